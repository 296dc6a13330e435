"""The month grid behind the calendar table: weeks of days, each with its events."""

import calendar as pycalendar
from dataclasses import dataclass, field
from datetime import date

from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _


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
        return date_format(self.date, "l, j F Y")


_ITEM = '<li{}><a href="{}">{}</a>{}</li>'
_CANCELLED = mark_safe(' class="event-cancelled"')


def add_items(events):
    """Each event's `<li>` (`event.item_html`, as _calendar_item.html writes it) worked
    out once: an event shows in the grid on every day it touches and again in the
    agenda, and through the template each showing resolved its five lookups and
    translations again (the month's rendering was most of its time). Needs `event.url`."""
    cancelled = format_html(" <strong>({})</strong>", _("dibatalkan"))
    postponed = format_html(" <strong>({})</strong>", _("ditunda"))
    for event in events:
        state = cancelled if event.is_cancelled else postponed if event.is_postponed else ""
        event.item_html = format_html(
            _ITEM,
            _CANCELLED if event.is_cancelled else "",
            event.url,
            event.display_title,
            state,
        )
    return events


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
    """Weeks (Monday first) of Day objects; an event appears on every day it touches."""
    weeks = pycalendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    by_day = {}
    for event in events:
        for day in event.days():
            by_day.setdefault(day, []).append(event)
    return [
        [
            Day(date=d, in_month=d.month == month, is_today=d == today, events=by_day.get(d, []))
            for d in week
        ]
        for week in weeks
    ]
