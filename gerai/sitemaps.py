"""Sitemap of public event pages. Uses the same published() rule as views and feeds."""

from django.contrib.sitemaps import Sitemap

from gerai.models import Event


class EventSitemap(Sitemap):
    changefreq = "weekly"
    i18n = True

    def items(self):
        return Event.objects.published().order_by("start", "pk")

    def lastmod(self, event):
        return event.updated_at
