"""The month grid behind the calendar table: weeks of days, each with its events."""

import calendar as pycalendar
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from gerai.models import day_text

_INSTANT = timedelta(microseconds=1)


@dataclass
class Day:
    date: date
    in_month: bool
    is_today: bool
    events: list = field(default_factory=list)

    # Written once per day here rather than by three `date` filters per cell.
    @property
    def iso(self):
        return self.date.isoformat()

    @cached_property  # the grid and the agenda both show it
    def label(self):
        return day_text(self.date)


_CANCELLED = ' class="event-cancelled"'

# Written with str.format over escaped parts rather than format_html (which escapes
# each argument again through conditional_escape): a month has about 60 events.
_ITEM = '<li{}><a href="{}">{}</a>{}</li>'
_LIST_ITEM = '\n    <li><a href="{}">{}</a>, <time datetime="{}">{}</time>{}</li>\n    '

# The fields add_items and month_grid read (the calendar view loads only these).
ITEM_FIELDS = ("pk", "slug", "title", "title_en", "start", "end", "status")


def add_items(events):
    """Each event's `<li>` (`event.item_html`, as _calendar_item.html writes it) worked
    out once: an event shows in the grid on every day it touches and again in the
    agenda, and through the template each showing resolved its five lookups and
    translations again (the month's rendering was most of its time). Needs `event.url`.

    Also `event.list_html`, its line in the month's list below the table."""
    cancelled = format_html(" <strong>({})</strong>", _("dibatalkan"))
    postponed = format_html(" <strong>({})</strong>", _("ditunda"))
    english = (get_language() or "id").startswith("en")
    # The `date:"c"` filter's local time: the active time zone, looked up once.
    zone = timezone.get_current_timezone()
    for event in events:
        state = cancelled if event.is_cancelled else postponed if event.is_postponed else ""
        # Event.display_title (gerai.models.localized) with the language looked up once.
        title = escape((english and event.title_en) or event.title)
        url = escape(event.url)
        event.item_html = mark_safe(  # noqa: S308 - every part is escaped or format_html
            _ITEM.format(_CANCELLED if event.is_cancelled else "", url, title, state)
        )
        event.list_html = mark_safe(  # noqa: S308 - every part is escaped or format_html
            _LIST_ITEM.format(
                url,
                title,
                event.start.astimezone(zone).isoformat(),
                escape(event.when_text()),
                state,
            )
        )
    return events


# The month table's rows and the phone agenda's days, written here rather than by the
# template's loops over 35-42 cells (the month's rendering was most of its CPU). The
# whitespace is the loops' own, so the page is byte for byte what event_calendar.html
# wrote with them (tests/gerai/test_calendar_markup.py keeps the loops to compare).


def _events_html(events, indent):
    return "".join(f"\n{indent}{event.item_html}\n{indent}" for event in events)


def grid_html(weeks):
    """The table body's rows: `{% for week in weeks %}…{% endfor %}` of the template."""
    out = []
    for week in weeks:
        out.append("\n    <tr>\n    ")
        for day in week:
            today = day.is_today
            out.append(
                '\n      <td class="{}{}"{}>\n        <span class="day-number"><time datetime="{}">'
                '<span class="visually-hidden">{}</span><span aria-hidden="true">{}</span>'
                "</time></span>\n        ".format(
                    "" if day.in_month else "other-month",
                    " today" if today else "",
                    ' aria-current="date"' if today else "",
                    day.iso,
                    conditional_escape(day.label),
                    day.date.day,
                )
            )
            if day.events:
                out.append('\n        <ul class="day-events">\n          ')
                out.append(_events_html(day.events, "          "))
                out.append("\n        </ul>\n        ")
            out.append("\n      </td>\n    ")
        out.append("\n    </tr>\n  ")
    return mark_safe("".join(out))  # noqa: S308 - escaped above; items are format_html


def agenda_html(weeks):
    """The phone agenda's days with events, as the template's loops wrote them."""
    out = []
    for week in weeks:
        for day in week:
            if not (day.in_month and day.events):
                continue
            today = day.is_today
            out.append(
                '\n  <li class="agenda-day{}"{}>\n    <time class="agenda-date" datetime="{}">'
                '{}</time>\n    <ul class="day-events">\n      '.format(
                    " today" if today else "",
                    ' aria-current="date"' if today else "",
                    day.iso,
                    conditional_escape(day.label),
                )
            )
            out.append(_events_html(day.events, "      "))
            out.append("\n    </ul>\n  </li>\n")
    return mark_safe("".join(out))  # noqa: S308 - escaped above; items are format_html


def parse_month(value, today):
    """'2026-12' → (2026, 12); anything invalid → None."""
    try:
        year, month = (int(part) for part in value.split("-"))
    except (AttributeError, ValueError):
        return None
    if 1 <= month <= 12 and today.year - 20 <= year <= today.year + 20:
        return year, month
    return None


def shift_month(year, month, delta):
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def month_grid(year, month, events, today):
    """Weeks (Monday first) of Day objects; an event appears on every day it touches
    (Event.days(), with the time zone looked up once rather than twice per event)."""
    weeks = pycalendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    zone = timezone.get_current_timezone()  # Event.days()'s, looked up once
    by_day = {}
    for event in events:
        first = event.start.astimezone(zone).date()
        last = (event.end - _INSTANT).astimezone(zone).date()
        for n in range((last - first).days + 1):
            by_day.setdefault(first + timedelta(days=n), []).append(event)
    return [
        [
            Day(date=d, in_month=d.month == month, is_today=d == today, events=by_day.get(d, []))
            for d in week
        ]
        for week in weeks
    ]
