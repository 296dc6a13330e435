"""A buyer invited to a mission requests meetings with two IKM from their personal link;
one owner accepts and the other declines; staff place the accepted one in the grid;
the owner sees it in their agenda and downloads it as .ics (issue #23, part 3)."""

import datetime
import re

import icalendar
import pytest
from playwright.sync_api import expect

from missions.models import Meeting, MeetingRequest, MissionBuyer
from tests.e2e.conftest import assert_page_is_sound
from tests.e2e.test_pages import login_browser
from tests.factories import BusinessFactory, ProductFactory, UserFactory
from tests.missions.conftest import make_buyer, make_mission, make_participation

pytestmark = pytest.mark.e2e


@pytest.mark.django_db(transaction=True)
def test_buyer_requests_owners_answer_staff_place_owner_downloads_the_agenda(
    live_server, context_factory, size, coordinator, tmp_path
):
    mission = make_mission(
        title="Temu Bisnis Seoul",
        city="Seoul",
        country="KR",
        venue="COEX Hall C",
        time_zone="Asia/Seoul",
        meeting_request_limit=3,
        status="selection",
    )
    owner_a = UserFactory(email=f"rotan-{size}@example.com", full_name="Pak Rudi")
    owner_b = UserFactory(email=f"mede-{size}@example.com", full_name="Ibu Sari")
    rattan = BusinessFactory(owner=owner_a, name="Rotan Jaya Cikupa")
    cashew = BusinessFactory(owner=owner_b, name="Mede Sentosa Balaraja")
    p_a = make_participation(mission, rattan)
    p_b = make_participation(mission, cashew)
    p_a.products.set([ProductFactory(business=rattan, name="Kursi rotan", name_en="Rattan chair")])
    p_b.products.set(
        [ProductFactory(business=cashew, name="Mede sangrai", name_en="Roasted cashew")]
    )
    buyer = make_buyer("Hanok Living Co")
    invitation = MissionBuyer.objects.create(mission=mission, buyer=buyer)

    # The buyer opens their personal link: the e-catalogue, in English, and the request form.
    buyer_page = context_factory(size, locale="en-US").new_page()
    buyer_page.goto(live_server.url + invitation.get_absolute_url())
    assert buyer_page.locator("html").get_attribute("lang") == "en"
    catalogue = buyer_page.locator("section[aria-labelledby='catalogue-heading']")
    assert "Rattan chair" in catalogue.inner_text()
    assert "Roasted cashew" in catalogue.inner_text()
    assert_page_is_sound(buyer_page, f"meeting-buyer-link-{size}")
    form = buyer_page.locator("#request-form")
    form.get_by_label("Rotan Jaya Cikupa").check()
    form.get_by_label("Mede Sentosa Balaraja").check()
    form.locator("input[name=free_slots]").first.check()
    form.locator("textarea[name=message]").fill("We import rattan furniture and snacks.")
    # Each submit below posts and answers with a page (a redirect or the form again): wait
    # for that navigation, or the reads that follow can still see the page before it.
    with buyer_page.expect_navigation():
        form.locator("button[type=submit]").click()
    requests = buyer_page.locator("section[aria-labelledby='requests-heading'] table")
    assert "Rotan Jaya Cikupa" in requests.inner_text()
    assert "Mede Sentosa Balaraja" in requests.inner_text()
    assert MeetingRequest.objects.filter(invitation=invitation).count() == 2

    # Owner A finds the agenda from their missions page and accepts.
    context_a = context_factory(size)
    login_browser(context_a, owner_a, live_server)
    page_a = context_a.new_page()
    page_a.goto(live_server.url + "/misi-dagang/saya/")
    page_a.get_by_role("link", name="Agenda pertemuan Temu Bisnis Seoul").click()
    page_a.wait_for_url(f"**/misi-dagang/peserta/{p_a.pk}/agenda/")
    request_a = MeetingRequest.objects.get(participation=p_a)
    card = page_a.locator(f"#request-{request_a.pk}")
    assert "Hanok Living Co" in card.inner_text()
    assert "We import rattan furniture" in card.inner_text()
    assert_page_is_sound(page_a, f"meeting-owner-agenda-{size}")
    card.get_by_label("Terima").check()
    card.get_by_label("Komentar untuk pembeli").fill("Kami bawa contoh kursi.")
    # The answer redirects back to the agenda, the URL it was sent from: waiting for that
    # URL would return at once.
    with page_a.expect_navigation():
        card.get_by_role("button", name="Kirim jawaban").click()
    page_a.wait_for_url(f"**/misi-dagang/peserta/{p_a.pk}/agenda/")
    expect(page_a.get_by_text("Jawaban Anda tersimpan")).to_be_visible()
    # Owner A never sees owner B's requests.
    assert "Mede Sentosa Balaraja" not in page_a.content()

    # Owner B declines, and must say why.
    context_b = context_factory(size)
    login_browser(context_b, owner_b, live_server)
    page_b = context_b.new_page()
    page_b.goto(live_server.url + f"/misi-dagang/peserta/{p_b.pk}/agenda/")
    request_b = MeetingRequest.objects.get(participation=p_b)
    card = page_b.locator(f"#request-{request_b.pk}")
    card.get_by_label("Tolak").check()
    with page_b.expect_navigation():
        card.get_by_role("button", name="Kirim jawaban").click()
    expect(page_b.locator(f"#request-{request_b.pk}")).to_contain_text("Tuliskan alasan penolakan")
    card = page_b.locator(f"#request-{request_b.pk}")
    card.get_by_label("Komentar untuk pembeli").fill("Stok mede habis sampai Maret.")
    with page_b.expect_navigation():
        card.get_by_role("button", name="Kirim jawaban").click()
    page_b.wait_for_url(f"**/misi-dagang/peserta/{p_b.pk}/agenda/")
    request_a.refresh_from_db()
    request_b.refresh_from_db()
    assert request_a.status == "accepted" and request_b.status == "declined"

    # The buyer sees both answers.
    buyer_page.reload()
    answers = buyer_page.locator("section[aria-labelledby='requests-heading']").inner_text()
    assert "Stok mede habis sampai Maret." in answers and "Kami bawa contoh kursi." in answers

    # Staff see the requests and answers in the grid and place the accepted one.
    staff_context = context_factory(size)
    login_browser(staff_context, coordinator, live_server)
    grid = staff_context.new_page()
    grid.goto(live_server.url + f"/admin/missions/trademission/{mission.pk}/jadwal/")
    listing = grid.locator("#request-list")
    assert "diterima IKM" in listing.inner_text() and "ditolak IKM" in listing.inner_text()
    # The link reloads the grid with the request to place; the form it fills is on the
    # page before it too, so wait for the new page before filling it.
    listing.locator(f"#request-{request_a.pk} a").click()
    grid.wait_for_url(re.compile(rf"[?&]request={request_a.pk}\b"))
    expect(grid.locator("#schedule-form")).to_contain_text("Tempatkan permintaan")
    grid.locator("#id_time").fill("10:00")
    grid.locator("#id_table").fill("2")
    with grid.expect_navigation():
        grid.locator("#schedule-form + form input[type=submit]").click()
    expect(grid.locator("ul.messagelist")).to_contain_text("Pertemuan dijadwalkan.")
    assert (
        "Rotan Jaya Cikupa \u00d7 Hanok Living Co"
        in grid.locator("table.schedule-grid").inner_text()
    )
    meeting = Meeting.objects.get()
    assert meeting.request == MeetingRequest.objects.get(pk=request_a.pk)
    assert meeting.table == "2"

    # Owner A sees it in the agenda, in WIB and Seoul time, and downloads the .ics.
    page_a.goto(live_server.url + f"/misi-dagang/peserta/{p_a.pk}/agenda/")
    schedule = page_a.locator("section[aria-labelledby='agenda-heading']").inner_text()
    assert "Hanok Living Co" in schedule
    # WIB, and Seoul two hours ahead.
    assert "10.00\u201310.30" in schedule and "12.00\u201312.30" in schedule
    with page_a.expect_download() as download:
        page_a.get_by_role("link", name="Unduh kalender (.ics)").click()
    path = tmp_path / "agenda.ics"
    download.value.save_as(path)
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    start = events[0].decoded("dtstart")
    assert start == datetime.datetime.combine(
        mission.start_date, datetime.time(3, 0), tzinfo=datetime.UTC
    )
    assert "Hanok Living Co" in str(events[0]["summary"])
    assert "2" in str(events[0]["location"])
