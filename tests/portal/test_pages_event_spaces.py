"""The event page reads its spaces' keys through the many-to-many table and the spaces
from the venue's data version (gerai.views.spaces_of): the page names them, in the
venue's order, in both languages, in the Google Calendar link too, and a write to the
event's spaces or to a space shows on the very next page."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import translation

from gerai import feeds
from gerai.models import Space
from tests.gerai.factories import EventFactory, space
from tests.queries import count_queries

pytestmark = pytest.mark.django_db


def _place(body):
    return body.split("<dt>", 3)[2].split("</dd>", 1)[0]


def _google_location(body):
    start = body.index("https://calendar.google.com/calendar/render?")
    url = body[start : body.index('"', start)].replace("&amp;", "&")
    return parse_qs(urlsplit(url).query)["location"][0]


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_page_names_the_spaces_as_the_prefetch_did(client, language):
    used = sorted(Space.objects.all()[:3], key=lambda s: s.position)
    event = EventFactory(spaces=list(reversed(used)))
    prefix = "/en" if language == "en" else ""
    body = client.get(prefix + event.get_absolute_url()).content.decode()
    with translation.override(language):
        names = ", ".join(f"{s.display_name} ({s.floor_label})" for s in used)
        expected_location = feeds.location_text(event)  # event.spaces.all(): Meta ordering
    assert names in _place(body)
    assert _google_location(body) == expected_location.replace(
        ", ".join(s.display_name for s in event.spaces.all()),
        ", ".join(s.display_name for s in used),
    )


def test_writes_show_on_the_next_page(client):
    aula = space("aula")
    event = EventFactory(spaces=[aula])
    url = event.get_absolute_url()
    client.get(url)
    warm = count_queries(client, url)
    assert aula.display_name in _place(client.get(url).content.decode())

    aula.name = "Aula Baru Bersinar"
    aula.save()  # bumps the venue's data version
    assert "Aula Baru Bersinar" in _place(client.get(url).content.decode())

    other = Space.objects.exclude(pk=aula.pk).first()
    event.spaces.add(other)  # no cache holds an event's spaces
    body = client.get(url).content.decode()
    assert other.display_name in _place(body) and "Aula Baru Bersinar" in _place(body)
    event.spaces.clear()
    assert "Aula Baru Bersinar" not in _place(client.get(url).content.decode())
    assert count_queries(client, url) == warm
