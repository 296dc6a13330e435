"""Reports follow the data: a write drops the cached reports' version and, after its
commit, queues their refresh (missions.reports.refresh_reports), so staff read figures
computed by the task, not by the first viewer after the write."""

from ikm_registry.models import Business, ContactLog, ExportRecord
from missions.models import Buyer, Deal, Meeting, Participation, ProgramTarget, TradeMission
from tangerang_ikm.cache import bump, clear_on_change

MODELS = (TradeMission, Participation, Buyer, Meeting, Deal, ProgramTarget)
# Registry rows the dashboard reads (ikm_registry/signals.py bumps the version for them
# too); here they also queue the refresh.
REGISTRY = (Business, ContactLog, ExportRecord)


def clear_reports(**kwargs):
    from missions.reports import refresh_after_commit

    if kwargs.get("raw"):
        return
    bump("reports")
    refresh_after_commit()


def connect():
    through = [
        TradeMission.commodities.through,
        Participation.products.through,
        Business.commodities.through,
    ]
    clear_on_change(clear_reports, models=MODELS + REGISTRY, through=through)
