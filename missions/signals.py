"""Cache clearing only: public mission pages and reports are dropped when missions change."""

from missions.models import Buyer, Deal, Meeting, Participation, ProgramTarget, TradeMission
from tangerang_ikm.cache import bump, clear_on_change

AREAS = ("missions", "reports")
MODELS = (TradeMission, Participation, Buyer, Meeting, Deal, ProgramTarget)


def clear_mission_pages(**kwargs):
    for area in AREAS:
        bump(area)


def connect():
    through = [TradeMission.commodities.through, Participation.products.through]
    clear_on_change(clear_mission_pages, models=MODELS, through=through)
