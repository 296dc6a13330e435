"""The event page keeps the venue (for an event without spaces) and the spaces' photos
(its picture without a poster) per data version of the venue: read once, and a write to
the venue, a space, a photo or the desa of the address shows on the next page at once."""

import re

import pytest
from django.core.files.base import ContentFile

from gerai.models import SpacePhoto, Venue
from tests.gerai.factories import EventFactory, space
from tests.gerai.test_public_pages import json_ld, tiny_jpeg
from tests.queries import count_queries

pytestmark = pytest.mark.django_db


def add_photo(where, position=0):
    photo = SpacePhoto(space=where, alt_text=f"Foto {where.slug}", position=position)
    photo.image.save(f"{where.slug}-{position}.jpg", ContentFile(tiny_jpeg()), save=True)
    return photo


def image(client, event):
    return json_ld(client.get(event.get_absolute_url()))["image"][0]


def test_the_venue_of_an_event_without_spaces_is_read_once_and_follows_writes(client):
    event = EventFactory()
    url = event.get_absolute_url()
    cold = count_queries(client, url)
    # The venue and the spaces' photos (none) are kept.
    assert count_queries(client, url) == cold - 2
    venue = Venue.objects.select_related("desa__kecamatan").first()
    venue.address = "Jl. Baru Nomor 7"
    venue.save()
    assert count_queries(client, url) == cold
    assert "Jl. Baru Nomor 7" in client.get(url).content.decode()
    desa = venue.desa  # the seeded venue's (migration data)
    desa.name = "Berganti Nama"
    desa.save()
    assert "Desa Berganti Nama" in client.get(url).content.decode()


def test_the_picture_follows_the_spaces_photos_at_once(client):
    aula, halaman = space("aula"), space("halaman-depan")
    event = EventFactory(spaces=[aula])
    other = EventFactory()  # no spaces: the first space's photo
    assert "/static/img/gerai-tangerang-gemilang" in image(client, event)

    add_photo(halaman)
    assert re.search(r"/media/gerai/spaces/halaman-depan[-\w]*\.jpg$", image(client, event))
    first = add_photo(aula, position=2)
    assert re.search(r"/media/gerai/spaces/aula-2\w*\.jpg$", image(client, event))
    add_photo(aula, position=1)
    assert re.search(r"/media/gerai/spaces/aula-1\w*\.jpg$", image(client, event))

    ordered = sorted([aula, halaman], key=lambda s: (s.position, s.pk))
    assert ordered[0].slug in image(client, other)
    url = event.get_absolute_url()
    warm = count_queries(client, url)
    aula.is_active = False  # a space taken out of use: its photos are not shown
    aula.save()
    # The write refills the two values kept per venue version that this event's page
    # reads: the spaces' photos and the spaces themselves (gerai.views.spaces_of).
    assert count_queries(client, url) == warm + 2
    assert re.search(r"/media/gerai/spaces/halaman-depan[-\w]*\.jpg$", image(client, event))
    first.delete()
    assert count_queries(client, url) == warm + 2  # the photos and the spaces, as above
