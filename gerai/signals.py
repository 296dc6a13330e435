"""Cache clearing only: the venue's data version.

Event pages name the venue (its address and map, for an event without spaces) and show a
photo of a space when the event has no poster. Both are the same for many events, so they
are kept in the "venue" data-version area (tangerang_ikm.cache), which every write to the
venue, its spaces, their photos, or the desa and kecamatan of its address bumps.
"""

from gerai.models import Space, SpacePhoto, Venue
from ikm_registry.models import Desa, Kecamatan
from tangerang_ikm.cache import bump, clear_on_change

VENUE_AREA = "venue"
VENUE_MODELS = (Venue, Space, SpacePhoto, Desa, Kecamatan)


def clear_venue(**kwargs):
    bump(VENUE_AREA)


def connect():
    clear_on_change(clear_venue, models=VENUE_MODELS)
