"""Cache clearing and search-index upkeep only; business flow lives in services.py.

- The mission reports and the dashboard name IKM, their kecamatan and commodities, so
  a registry change drops the cached reports.
- The stored search texts (search.py) are an index over other rows, kept current here
  the way a cache is: a product's text names its business and kecamatan, a business's
  its commodities and its active products.
- Product pages keep the day's US$ rate (pricing.usd_rate) until the rate table changes.
- A business's stored public facts (facts.py: its commodities, certificates and export
  history) are an index like the search texts, stored again after each of them changes.
"""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from ikm_registry import facts, pricing, search
from ikm_registry.models import (
    Business,
    Certificate,
    Commodity,
    ContactLog,
    ExportRecord,
    Kecamatan,
    Product,
    ProductPhoto,
)
from tangerang_ikm.cache import bump, clear_on_change

# Kecamatan: its names are in the reports and the catalog filter (a rename is rare).
# ContactLog: the program dashboard counts the IKM reached by pembinaan.
MODELS = (
    Business,
    Product,
    ProductPhoto,
    Certificate,
    ExportRecord,
    Commodity,
    Kecamatan,
    ContactLog,
)
# The catalog filter's options (forms_catalog._filter_choices): only these tables.
CHOICES_AREA = "catalog-choices"
CHOICE_MODELS = (Commodity, Kecamatan)


def product_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        search.refresh_products(Product.objects.filter(pk=instance.pk))
        # The directory finds the business by its products' text (Business.products_text):
        # its business's, and the one it was read with when it moved.
        businesses = instance.saved_businesses()
        search.refresh_businesses(Business.objects.filter(pk__in=businesses))


def product_deleted(sender, instance, **kwargs):
    # After the commit: when the business itself was deleted (the cascade deletes its
    # products first), there is nothing left to refresh and it costs one query.
    business = instance.business_id
    transaction.on_commit(lambda: search.refresh_businesses(Business.objects.filter(pk=business)))


def business_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        search.refresh_businesses(Business.objects.filter(pk=instance.pk))
        search.refresh_products(instance.products.all())


def commodities_changed(sender, instance, action, **kwargs):
    # From the business's side (business.commodities.add) or the commodity's
    # (commodity.businesses.add): `pk_set` names the businesses then, and a clear names
    # none, so the businesses are read before it.
    if action == "pre_clear" and isinstance(instance, Commodity):
        instance.cleared_businesses = list(instance.businesses.values_list("pk", flat=True))
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if isinstance(instance, Business):
        businesses = Business.objects.filter(pk=instance.pk)
    elif action == "post_clear":
        businesses = Business.objects.filter(pk__in=instance.cleared_businesses)
    else:
        businesses = Business.objects.filter(pk__in=kwargs.get("pk_set") or ())
    search.refresh_businesses(businesses)
    facts.store(businesses)


def business_fact_saved(sender, instance, raw=False, **kwargs):
    """A certificate or an export record was saved: its business's public facts again,
    and the business it was read with when it moved."""
    if raw:
        return
    facts.store(Business.objects.filter(pk__in=instance.saved_businesses()))


def business_fact_deleted(sender, instance, **kwargs):
    # After the commit, as product_deleted: a deleted business's cascade ends here too.
    business = instance.business_id
    transaction.on_commit(lambda: facts.store(Business.objects.filter(pk=business)))


def _refresh_later(**task_kwargs):
    """Commodities and kecamatan are named in many texts: refresh them after the commit,
    in the background (a task), not in the admin's request."""
    transaction.on_commit(lambda: search.refresh_after_rename.enqueue(**task_kwargs))


def commodity_saved(sender, instance, created=False, raw=False, **kwargs):
    if not (raw or created):
        _refresh_later(commodity_id=instance.pk)


def kecamatan_saved(sender, instance, created=False, raw=False, **kwargs):
    if not (raw or created):
        _refresh_later(kecamatan_code=instance.pk)


def clear_reports(**kwargs):
    """Reports name registry data; resources.py calls this after a bulk import too."""
    bump("reports")


def clear_filter_choices(**kwargs):
    bump(CHOICES_AREA)


def clear_rates(**kwargs):
    """The rate table changed: product pages read the day's US$ rate again."""
    bump(pricing.RATES_AREA)


def connect():
    rates = pricing.rate_model()
    if rates is not None:
        clear_on_change(clear_rates, models=[rates])
    clear_on_change(clear_reports, models=MODELS, through=[Business.commodities.through])
    clear_on_change(clear_filter_choices, models=CHOICE_MODELS)
    post_save.connect(product_saved, sender=Product, dispatch_uid="search-product")
    post_delete.connect(product_deleted, sender=Product, dispatch_uid="search-product-deleted")
    post_save.connect(business_saved, sender=Business, dispatch_uid="search-business")
    m2m_changed.connect(
        commodities_changed, sender=Business.commodities.through, dispatch_uid="search-m2m"
    )
    for model in (Certificate, ExportRecord):
        post_save.connect(business_fact_saved, sender=model, dispatch_uid="facts-saved")
        post_delete.connect(business_fact_deleted, sender=model, dispatch_uid="facts-deleted")
    post_save.connect(commodity_saved, sender=Commodity, dispatch_uid="search-commodity")
    post_save.connect(kecamatan_saved, sender=Kecamatan, dispatch_uid="search-kecamatan")
