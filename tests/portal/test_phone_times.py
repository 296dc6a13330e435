"""Times say WIB, and the local time where a mission is abroad (issue #22)."""

import datetime
from zoneinfo import ZoneInfo

from django.template import Context, Template
from django.utils import translation

from tangerang_ikm.templatetags.portal import local_time, wib

UTC = datetime.UTC
# 07.30 UTC is 14.30 in Jakarta (UTC+7), 16.30 in Seoul (UTC+9), 11.30 in Dubai (UTC+4).
MOMENT = datetime.datetime(2026, 3, 5, 7, 30, tzinfo=UTC)


def test_wib_converts_to_jakarta_and_says_so():
    with translation.override("id"):
        assert wib(MOMENT) == "5 Maret 2026 14.30 WIB"
        assert wib(MOMENT, "l, j F Y H.i") == "Kamis, 5 Maret 2026 14.30 WIB"
    with translation.override("en"):
        assert wib(MOMENT) == "5 March 2026 14.30 WIB"


def test_wib_ignores_the_active_time_zone_and_empty_values():
    from django.utils import timezone

    with timezone.override(ZoneInfo("Asia/Seoul")), translation.override("id"):
        assert wib(MOMENT) == "5 Maret 2026 14.30 WIB"
    assert wib(None) == "" and wib("") == ""


def test_local_time_shows_the_missions_own_clock_abroad_only():
    with translation.override("id"):
        assert local_time(MOMENT, "Asia/Seoul") == "(16.30 waktu setempat, Asia/Seoul)"
        assert local_time(MOMENT, "Asia/Dubai") == "(11.30 waktu setempat, Asia/Dubai)"
        late = datetime.datetime(2026, 3, 5, 16, 30, tzinfo=UTC)  # 23.30 WIB
        assert local_time(late, "Asia/Seoul") == "(6 Maret 01.30 waktu setempat, Asia/Seoul)"
        assert local_time(MOMENT, "Asia/Jakarta") == ""
        assert local_time(MOMENT, "") == ""
        assert local_time(MOMENT, "Mars/Olympus") == ""


def test_the_filters_work_in_templates():
    template = Template("{% load portal %}{{ t|wib }} {{ t|local_time:zone }}")
    with translation.override("id"):
        html = template.render(Context({"t": MOMENT, "zone": "Asia/Seoul"}))
    assert html == "5 Maret 2026 14.30 WIB (16.30 waktu setempat, Asia/Seoul)"
