"""Cache clearing only: public mission pages and reports are dropped when missions change."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from missions.models import Buyer, Deal, Meeting, Participation, ProgramTarget, TradeMission
from tangerang_ikm.cache import bump

AREAS = ("missions", "reports")
MODELS = (TradeMission, Participation, Buyer, Meeting, Deal, ProgramTarget)


def clear_mission_pages(**kwargs):
    for area in AREAS:
        bump(area)


def connect():
    for model in MODELS:
        post_save.connect(clear_mission_pages, sender=model, dispatch_uid=f"pages-{model}")
        post_delete.connect(clear_mission_pages, sender=model, dispatch_uid=f"pages-del-{model}")
    for through in (TradeMission.commodities.through, Participation.products.through):
        m2m_changed.connect(clear_mission_pages, sender=through, dispatch_uid=f"pages-{through}")
