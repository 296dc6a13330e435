"""The month calendar on a phone: an agenda, one row per day with events (issue #22)."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from gerai.models import Event
from tests.gerai.factories import EventFactory, wib

pytestmark = pytest.mark.django_db
URL = "/gerai/acara/kalender/2026/12/"


@pytest.fixture
def december():
    EventFactory(title="Bazar Sabtu", start=wib(2026, 12, 12, 9), end=wib(2026, 12, 13, 21))
    EventFactory(title="Temu Rabu", start=wib(2026, 12, 16, 9), end=wib(2026, 12, 16, 12))
    EventFactory(
        title="Pameran Batal",
        start=wib(2026, 12, 16, 13),
        end=wib(2026, 12, 16, 17),
        status=Event.Status.CANCELLED,
    )


def agenda(html):
    return re.search(r'<ol class="month-agenda".*?</ol>', html, re.S).group(0)


def test_the_agenda_has_one_row_per_day_with_events_in_order(client, december):
    rows = re.findall(
        r'<li class="agenda-day[^"]*".*?<time class="agenda-date" datetime="([^"]+)">([^<]+)'
        r"</time>(.*?)</ul>",
        agenda(client.get(URL).content.decode()),
        re.S,
    )
    assert [(iso, label) for iso, label, _ in rows] == [
        ("2026-12-12", "Sabtu, 12 Desember 2026"),
        ("2026-12-13", "Minggu, 13 Desember 2026"),
        ("2026-12-16", "Rabu, 16 Desember 2026"),
    ]
    wednesday = rows[2][2]
    assert "Temu Rabu" in wednesday and "Pameran Batal" in wednesday
    assert "(dibatalkan)" in wednesday


def test_the_stylesheet_swaps_table_and_agenda_at_phone_width():
    css = Path(settings.BASE_DIR, "static/css/gerai.css").read_text()
    assert ".month-agenda { display: none;" in css
    phone = css.split("@media (max-width: 47.99rem)", 1)[1].split("}\n}", 1)[0]
    assert ".month-agenda { display: block; }" in phone
    assert ".calendar-grid { display: none;" in phone


def test_at_375_px_every_weekday_with_events_is_on_screen(client, december, tmp_path):
    chromium = Path("/usr/bin/chromium")
    if not chromium.exists():
        pytest.skip("no Chromium at /usr/bin/chromium (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    html = client.get(URL).content.decode()
    static = Path(settings.BASE_DIR, "static").as_uri()
    (tmp_path / "calendar.html").write_text(html.replace('href="/static', f'href="{static}'))
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(chromium), args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        try:
            page = browser.new_page(viewport={"width": 375, "height": 800})
            page.goto((tmp_path / "calendar.html").as_uri())
            assert page.locator(".calendar-grid").is_hidden()
            assert page.locator(".month-agenda").is_visible()
            overflow = page.evaluate("document.documentElement.scrollWidth - innerWidth")
            assert overflow <= 0
            saturday = page.locator(".month-agenda a", has_text="Bazar Sabtu").first
            box = saturday.bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= 375
            page.set_viewport_size({"width": 1280, "height": 800})
            assert page.locator(".calendar-grid").is_visible()
            assert page.locator(".month-agenda").is_hidden()
        finally:
            browser.close()
