"""The month page's table rows, phone agenda and month list are written in Python
(gerai.calendar.grid_html, agenda_html, add_items' list_html): byte for byte what the
template's loops wrote, kept here as the reference."""

import datetime

import pytest
from django.template import engines
from django.utils import timezone, translation

from gerai.calendar import add_items, agenda_html, grid_html, month_grid
from gerai.models import Event
from tests.gerai.factories import EventFactory, wib

pytestmark = pytest.mark.django_db

# The loops event_calendar.html had, as they were.
GRID = """  {% for week in weeks %}
    <tr>
    {% for day in week %}
      <td class="{% if not day.in_month %}other-month{% endif %}{% if day.is_today %} today{% endif %}"{% if day.is_today %} aria-current="date"{% endif %}>
        <span class="day-number"><time datetime="{{ day.iso }}"><span class="visually-hidden">{{ day.label }}</span><span aria-hidden="true">{{ day.date.day }}</span></time></span>
        {% if day.events %}
        <ul class="day-events">
          {% for event in day.events %}
          {{ event.item_html }}
          {% endfor %}
        </ul>
        {% endif %}
      </td>
    {% endfor %}
    </tr>
  {% endfor %}"""  # noqa: E501
AGENDA = """{% for week in weeks %}{% for day in week %}{% if day.in_month and day.events %}
  <li class="agenda-day{% if day.is_today %} today{% endif %}"{% if day.is_today %} aria-current="date"{% endif %}>
    <time class="agenda-date" datetime="{{ day.iso }}">{{ day.label }}</time>
    <ul class="day-events">
      {% for event in day.events %}
      {{ event.item_html }}
      {% endfor %}
    </ul>
  </li>
{% endif %}{% endfor %}{% endfor %}"""  # noqa: E501
MONTH_LIST = """{% load i18n %}    {% for event in month_events %}
    <li><a href="{{ event.url }}">{{ event.display_title }}</a>, <time datetime="{{ event.start|date:'c' }}">{{ event.when_text }}</time>{% if event.is_cancelled %} <strong>({% translate "dibatalkan" %})</strong>{% elif event.is_postponed %} <strong>({% translate "ditunda" %})</strong>{% endif %}</li>
    {% endfor %}"""  # noqa: E501


def _render(source, **context):
    return engines["django"].from_string(source).render(context)


@pytest.mark.parametrize("language", ["id", "en"])
def test_rows_agenda_and_list_are_the_loops_output(language):
    events = [
        EventFactory(
            title='Bazar <Rotan> & "Mede"',
            title_en="",
            start=wib(2026, 12, 3, 9),
            end=wib(2026, 12, 5, 17),  # three days: in three cells
        ),
        EventFactory(
            start=wib(2026, 12, 3, 19),
            end=wib(2026, 12, 3, 21),
            status=Event.Status.CANCELLED,
            status_reason="Renovasi.",
        ),
        EventFactory(
            start=wib(2026, 11, 30, 9),  # begins in the month before
            end=wib(2026, 12, 1, 12),
            status=Event.Status.POSTPONED,
            status_reason="Hujan.",
        ),
        EventFactory(start=wib(2026, 12, 31, 20), end=wib(2027, 1, 1, 2)),  # into January
    ]
    for event in events:
        event.url = f"/gerai/acara/{event.slug}/"
    with translation.override(language):
        add_items(events)
        weeks = month_grid(2026, 12, events, datetime.date(2026, 12, 3))
        # The two spaces before the loop are the template's, before {{ grid_rows }}.
        assert "  " + grid_html(weeks) == _render(GRID, weeks=weeks)
        assert agenda_html(weeks) == _render(AGENDA, weeks=weeks)
        with timezone.override("Asia/Jakarta"):
            expected = _render(MONTH_LIST, month_events=events)
        assert "    " + "".join(event.list_html for event in events) == expected
    assert 'aria-current="date"' in grid_html(weeks)
    assert "Bazar &lt;Rotan&gt; &amp; &quot;Mede&quot;" in agenda_html(weeks)
    assert "<strong>(" in expected


def test_the_month_page_has_the_rows_agenda_and_list(client):
    event = EventFactory(
        title="Bazar Akhir Tahun", start=wib(2026, 12, 12, 9), end=wib(2026, 12, 12, 17)
    )
    body = client.get("/gerai/acara/kalender/2026/12/").content.decode()
    table, agenda = body.split('<ol class="month-agenda"')
    assert table.count(f'href="/gerai/acara/{event.slug}/"') == 1
    assert '<time datetime="2026-12-12"><span class="visually-hidden">' in table
    assert agenda.split("</ol>")[0].count(f'href="/gerai/acara/{event.slug}/"') == 1
    month_list = body.split('<ul class="month-list">')[1].split("</ul>")[0]
    assert f'<time datetime="{event.start.astimezone(wib(2026, 1, 1).tzinfo).isoformat()}">' in (
        month_list
    )
