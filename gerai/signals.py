"""Cache clearing only: public venue and event pages and feeds are dropped when they change."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from gerai.models import (
    BoothApplication,
    Event,
    EventSeries,
    SeriesException,
    ShowroomItem,
    Space,
    SpacePhoto,
    Venue,
)
from tangerang_ikm.cache import bump

MODELS = (
    Venue,
    Space,
    SpacePhoto,
    EventSeries,
    SeriesException,
    Event,
    BoothApplication,
    ShowroomItem,
)


def clear_gerai_pages(**kwargs):
    bump("gerai")


def connect():
    for model in MODELS:
        post_save.connect(clear_gerai_pages, sender=model, dispatch_uid=f"pages-{model}")
        post_delete.connect(clear_gerai_pages, sender=model, dispatch_uid=f"pages-del-{model}")
    m2m_changed.connect(
        clear_gerai_pages, sender=Event.spaces.through, dispatch_uid="pages-m2m-event"
    )
