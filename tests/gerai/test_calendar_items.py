"""The calendar's event items written in Python (gerai.calendar.add_items) write what
_calendar_item.html writes, and the month page shows them in the grid and the agenda."""

import pytest
from django.template.loader import render_to_string
from django.utils import timezone, translation

from gerai.calendar import add_items
from gerai.models import Event
from tests.gerai.factories import EventFactory

pytestmark = pytest.mark.django_db


def _december(day, **kwargs):
    start = timezone.make_aware(timezone.datetime(2026, 12, day, 9))
    return EventFactory(start=start, end=start + timezone.timedelta(hours=8), **kwargs)


@pytest.mark.parametrize("language", ["id", "en"])
def test_items_written_in_python_match_the_item_template(language):
    events = [
        _december(3, title='Bazar <Rotan> & "Mede"', title_en=""),
        _december(4, status=Event.Status.CANCELLED, status_reason="Renovasi."),
        _december(5, status=Event.Status.POSTPONED, status_reason="Hujan."),
    ]
    for event in events:
        event.url = f"/gerai/acara/{event.slug}/"
    with translation.override(language):
        expected = [render_to_string("gerai/_calendar_item.html", {"event": e}) for e in events]
        add_items(events)
        assert [e.item_html for e in events] == expected
    assert "Bazar &lt;Rotan&gt; &amp; &quot;Mede&quot;" in expected[0]
    assert 'class="event-cancelled"' in expected[1] and "<strong>(" in expected[2]


def test_month_page_shows_each_item_in_the_grid_and_the_agenda(client):
    event = _december(12, title="Bazar Akhir Tahun", status=Event.Status.POSTPONED)
    content = client.get("/gerai/acara/kalender/2026/12/").content.decode()
    item = (
        f'<li><a href="/gerai/acara/{event.slug}/">Bazar Akhir Tahun</a>'
        " <strong>(ditunda)</strong></li>"
    )
    grid, agenda = content.split('<ol class="month-agenda"')
    assert item in grid.split("</table>")[0]
    assert item in agenda.split("</ol>")[0]
