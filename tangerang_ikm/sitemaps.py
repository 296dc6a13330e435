"""Public pages outside the language prefixes: the API's page (/api/), in one language."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse


class SingleLanguagePagesSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.4

    def items(self):
        return ["api:index"]

    def location(self, item):
        return reverse(item)


SITEMAPS = {"api": SingleLanguagePagesSitemap}
