"""Sitemap of the venue's public pages. Events use the same published() rule as views and feeds."""

from gerai.models import Event
from ikm_registry.sitemaps import BilingualSitemap, PagesSitemap


class GeraiPagesSitemap(PagesSitemap):
    priority = 0.7
    pages = (
        "gerai:venue",
        "gerai:event_list",
        "gerai:event_calendar_current",
        "gerai:event_archive",
        "gerai:feeds",
    )


class EventSitemap(BilingualSitemap):
    changefreq = "weekly"

    def items(self):
        return Event.objects.published().order_by("start", "pk").only("slug", "updated_at")

    def lastmod(self, event):
        return event.updated_at


SITEMAPS = {"gerai": GeraiPagesSitemap, "events": EventSitemap}
