"""Cache clearing only: public venue and event pages and feeds are dropped when they change."""

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
from tangerang_ikm.cache import bump, clear_on_change

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
    clear_on_change(clear_gerai_pages, models=MODELS, through=[Event.spaces.through])
