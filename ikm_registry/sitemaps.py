"""sitemap.xml of the public catalog, in both languages, from the same visibility methods.

Every entry is listed in Indonesian and in English, each with its alternates (id, en,
x-default: Indonesian). gerai/sitemaps.py and missions/sitemaps.py add their pages on the
same bases; tangerang_ikm/urls.py joins the sections.
"""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from ikm_registry.models import Business, Product


class BilingualSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True


class PagesSitemap(BilingualSitemap):
    """Pages without a row of their own (home, lists): `pages` are URL names."""

    changefreq = "daily"
    pages = ()

    def items(self):
        return list(self.pages)

    def location(self, item):
        return reverse(item)


class CatalogPagesSitemap(PagesSitemap):
    priority = 0.8
    pages = ("home", "ikm_registry:catalog", "ikm_registry:directory")


class BusinessSitemap(BilingualSitemap):
    changefreq = "weekly"
    priority = 0.6

    def items(self):
        return Business.objects.verified().order_by("pk").only("slug", "updated_at")

    def location(self, business):
        return reverse("ikm_registry:directory_business", args=[business.slug])

    def lastmod(self, business):
        return business.updated_at


class ProductSitemap(BilingualSitemap):
    changefreq = "weekly"
    priority = 0.7

    def items(self):
        return Product.objects.public().order_by("pk").only("slug", "updated_at")

    def location(self, product):
        return reverse("ikm_registry:catalog_product", args=[product.slug])

    def lastmod(self, product):
        return product.updated_at


SITEMAPS = {
    "pages": CatalogPagesSitemap,
    "ikm": BusinessSitemap,
    "products": ProductSitemap,
}
