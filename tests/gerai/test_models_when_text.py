"""Event.when_text, made cheaper (cached parts), says exactly what four date_format
calls said."""

from datetime import datetime

import pytest
from django.test import override_settings
from django.utils import timezone, translation
from django.utils.formats import date_format

from gerai.models import WIB, Event, _day_text, _time_text


def reference(event):
    """when_text as it was: four date_format calls."""
    start, end = timezone.localtime(event.start), timezone.localtime(event.end)
    if start.date() == end.date():
        return "{}, {}\N{EN DASH}{} WIB".format(
            date_format(start, "l, j F Y"),
            date_format(start, "TIME_FORMAT"),
            date_format(end, "TIME_FORMAT"),
        )
    return "{}, {} \N{EN DASH} {}, {} WIB".format(
        date_format(start, "l, j F Y"),
        date_format(start, "TIME_FORMAT"),
        date_format(end, "l, j F Y"),
        date_format(end, "TIME_FORMAT"),
    )


CASES = [
    ((2026, 12, 12, 9, 0), (2026, 12, 12, 21, 0)),  # one day
    ((2026, 12, 12, 0, 0), (2026, 12, 12, 12, 0)),  # midnight and noon
    ((2026, 12, 12, 9, 30), (2026, 12, 13, 16, 45)),  # two days
    ((2026, 1, 30, 8, 0), (2026, 2, 2, 17, 5)),  # across months
    ((2026, 12, 31, 19, 0), (2027, 1, 1, 1, 0)),  # across years
    ((2027, 3, 1, 7, 15), (2027, 3, 1, 23, 59)),
]


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize(("start", "end"), CASES)
def test_when_text_says_what_date_format_said(language, start, end):
    event = Event(start=datetime(*start, tzinfo=WIB), end=datetime(*end, tzinfo=WIB))
    with translation.override(language):
        assert event.when_text() == reference(event)
        assert event.when_text() == reference(event)  # and again, from the cache


def test_when_text_in_each_language_and_from_utc_times():
    event = Event(
        start=datetime(2026, 12, 31, 2, 0, tzinfo=timezone.UTC),  # 09.00 WIB
        end=datetime(2027, 1, 2, 14, 30, tzinfo=timezone.UTC),  # 21.30 WIB
    )
    with translation.override("id"):
        assert event.when_text() == (
            "Kamis, 31 Desember 2026, 09.00 \N{EN DASH} Sabtu, 2 Januari 2027, 21.30 WIB"
        )
    with translation.override("en"):
        assert event.when_text() == (
            "Thursday, 31 December 2026, 9 a.m. \N{EN DASH} Saturday, 2 January 2027, 9:30 p.m. WIB"
        )


def test_a_changed_setting_empties_the_cached_parts():
    """override_settings (tests) may change the formats: nothing cached survives it."""
    start = datetime(2026, 12, 12, 9, tzinfo=WIB)
    Event(start=start, end=start.replace(hour=21)).when_text()
    assert _day_text.cache_info().currsize and _time_text.cache_info().currsize
    with override_settings(TIME_FORMAT="H:i"):
        assert _day_text.cache_info().currsize == _time_text.cache_info().currsize == 0
