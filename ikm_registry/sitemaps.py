"""sitemap.xml of the public catalog, in both languages, from the same visibility methods."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from ikm_registry.models import Business, Product


class _Bilingual(Sitemap):
    i18n = True
    alternates = True
    x_default = True


class CatalogPagesSitemap(_Bilingual):
    changefreq = "daily"
    priority = 0.8

    def items(self):
        return ["home", "ikm_registry:catalog", "ikm_registry:directory"]

    def location(self, item):
        return reverse(item)


class BusinessSitemap(_Bilingual):
    changefreq = "weekly"
    priority = 0.6

    def items(self):
        return Business.objects.verified().order_by("pk").only("slug", "updated_at")

    def location(self, business):
        return reverse("ikm_registry:directory_business", args=[business.slug])

    def lastmod(self, business):
        return business.updated_at


class ProductSitemap(_Bilingual):
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
