"""The event page names its venue: the one of its spaces (read with them), or the
portal's venue for an event without spaces."""

import pytest

from gerai.models import Venue
from tests.gerai.factories import EventFactory, space

pytestmark = pytest.mark.django_db


def test_an_event_in_spaces_names_their_venue(client):
    event = EventFactory(spaces=[space("aula")])
    venue = space("aula").venue
    content = client.get(event.get_absolute_url()).content.decode()
    assert f"Gerai Tangerang Gemilang, {venue.full_address}" in content
    assert venue.map_url().replace("&", "&amp;") in content


def test_an_event_without_spaces_names_the_portals_venue(client):
    event = EventFactory()
    venue = Venue.objects.select_related("desa__kecamatan").first()
    content = client.get(event.get_absolute_url()).content.decode()
    assert f"Gerai Tangerang Gemilang, {venue.full_address}" in content
    assert "Ruang:" not in content
