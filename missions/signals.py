"""Reports follow the data: a write drops the cached reports' version and, after its
commit, queues their refresh (missions.reports.refresh_reports), so staff read figures
computed by the task, not by the first viewer after the write."""

from django.db.models.signals import post_delete, post_save, pre_save
from import_export.signals import post_import

from ikm_registry.models import Business, ContactLog, Desa, ExportRecord
from missions import rollup
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


def refresh_realised_after_delete(sender, instance, **kwargs):
    """A deleted realisation no longer counts for its potential deal (also on bulk deletes,
    which never call Deal.delete())."""
    if instance.realises_id:
        Deal.objects.filter(pk=instance.realises_id).refresh_realised()


def _imported(sender, model=None, **kwargs):
    """An import writes businesses in bulk, without their save(): sum everything again."""
    if model is Business:
        rollup.everything_changed()


def connect():
    through = [
        TradeMission.commodities.through,
        Participation.products.through,
        Business.commodities.through,
    ]
    clear_on_change(clear_reports, models=MODELS + REGISTRY, through=through)
    post_delete.connect(refresh_realised_after_delete, sender=Deal, dispatch_uid="deal_realised")
    # The dashboard's rollup (missions/rollup.py): each write marks what it changed, and a
    # task (or the next dashboard reader) sums it again.
    # Deal.save() and DealQuerySet.update() mark their own slices.
    post_delete.connect(rollup.deal_deleted, sender=Deal, dispatch_uid="rollup_deal")
    post_save.connect(rollup.mission_saved, sender=TradeMission, dispatch_uid="rollup_mission")
    pre_save.connect(rollup.business_saving, sender=Business, dispatch_uid="rollup_business")
    post_save.connect(rollup.business_saved, sender=Business, dispatch_uid="rollup_business")
    post_save.connect(rollup.everything_changed, sender=Desa, dispatch_uid="rollup_desa")
    post_import.connect(_imported, dispatch_uid="rollup_import")
