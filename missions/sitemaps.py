"""Sitemap of the public trade-mission pages, from the same public() rule as the views."""

from ikm_registry.sitemaps import BilingualSitemap, PagesSitemap
from missions.models import TradeMission


class MissionPagesSitemap(PagesSitemap):
    priority = 0.7
    pages = ("missions:list",)


class MissionSitemap(BilingualSitemap):
    changefreq = "weekly"
    priority = 0.6

    def items(self):
        return TradeMission.objects.public().order_by("start_date", "pk").only("slug", "updated_at")

    def lastmod(self, mission):
        return mission.updated_at


SITEMAPS = {"mission_lists": MissionPagesSitemap, "missions": MissionSitemap}
