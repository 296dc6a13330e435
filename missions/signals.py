"""Cache clearing only: cached reports are dropped when missions change."""

from missions.models import Buyer, Deal, Meeting, Participation, ProgramTarget, TradeMission
from tangerang_ikm.cache import bump, clear_on_change

MODELS = (TradeMission, Participation, Buyer, Meeting, Deal, ProgramTarget)


def clear_reports(**kwargs):
    bump("reports")


def connect():
    through = [TradeMission.commodities.through, Participation.products.through]
    clear_on_change(clear_reports, models=MODELS, through=through)
