"""Cache clearing only: public pages that show registry data are dropped when it changes.

Every app's public pages show businesses or products (the gerai's exhibitors and
showroom, the missions' participants), and the mission reports name IKM and their
kecamatan, so a registry change drops every area.
Business flow never lives here: see services.py.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save

from ikm_registry.models import (
    Business,
    Certificate,
    Commodity,
    ExportRecord,
    Product,
    ProductPhoto,
)
from tangerang_ikm.cache import bump

AREAS = ("catalog", "gerai", "missions", "reports")
MODELS = (Business, Product, ProductPhoto, Certificate, ExportRecord, Commodity)


def clear_public_pages(**kwargs):
    for area in AREAS:
        bump(area)


def connect():
    for model in MODELS:
        post_save.connect(clear_public_pages, sender=model, dispatch_uid=f"pages-{model}")
        post_delete.connect(clear_public_pages, sender=model, dispatch_uid=f"pages-del-{model}")
    m2m_changed.connect(
        clear_public_pages, sender=Business.commodities.through, dispatch_uid="pages-m2m-business"
    )
