"""The venue manager runs the Gerai in the admin; other roles get what roles.py grants."""

from datetime import date, time

import pytest
from django.core import mail
from django.utils import timezone

from gerai.models import BoothApplication, EventKind, EventSeries, SpaceBooking
from tests.gerai.factories import BoothApplicationFactory, BoothEventFactory, space, wib

pytestmark = pytest.mark.django_db

LISTS = [
    "/admin/gerai/venue/",
    "/admin/gerai/space/",
    "/admin/gerai/event/",
    "/admin/gerai/eventseries/",
    "/admin/gerai/spacebooking/",
    "/admin/gerai/boothapplication/",
    "/admin/gerai/showroomitem/",
]


@pytest.fixture
def data():
    event = BoothEventFactory(title="Bazar Admin")
    BoothApplicationFactory(event=event)
    return event


def test_venue_manager_works_on_every_gerai_list_and_add_page(client, venue_manager, data):
    client.force_login(venue_manager)
    for url in LISTS:
        response = client.get(url)
        assert response.status_code == 200, url
        assert client.get(url + "add/").status_code == 200, url
    assert "Bazar Admin" in client.get("/admin/gerai/event/").content.decode()
    change = client.get(f"/admin/gerai/event/{data.pk}/change/").content.decode()
    assert "Bazar Admin" in change


def test_leadership_views_but_cannot_change(client, leadership, data):
    client.force_login(leadership)
    for url in LISTS:
        assert client.get(url).status_code == 200, url
        assert client.get(url + "add/").status_code == 403, url
    page = client.get(f"/admin/gerai/event/{data.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()


def test_coordinator_and_owner_cannot_reach_gerai_admin(client, coordinator, owner, data):
    client.force_login(coordinator)
    for url in LISTS:
        assert client.get(url).status_code == 403, url
    client.force_login(owner)
    assert client.get("/admin/gerai/event/").status_code == 302


def test_admin_refuses_an_overlapping_booking_naming_the_clash(client, venue_manager):
    SpaceBooking.objects.create(
        space=space("aula"),
        purpose="Seminar ekspor",
        start=wib(2026, 12, 1, 8),
        end=wib(2026, 12, 1, 17),
    )
    client.force_login(venue_manager)
    response = client.post(
        "/admin/gerai/spacebooking/add/",
        {
            "space": space("aula").pk,
            "purpose": "Rapat",
            "start_0": "01/12/2026",
            "start_1": "16:00:00",
            "end_0": "01/12/2026",
            "end_1": "18:00:00",
            "note": "",
        },
    )
    assert response.status_code == 200
    assert "Seminar ekspor" in response.content.decode()
    assert SpaceBooking.objects.count() == 1
    response = client.post(
        "/admin/gerai/spacebooking/add/",
        {
            "space": space("aula").pk,
            "purpose": "Rapat",
            "start_0": "01/12/2026",
            "start_1": "17:00:00",
            "end_0": "01/12/2026",
            "end_1": "18:00:00",
            "note": "",
        },
    )
    assert response.status_code == 302
    assert SpaceBooking.objects.get(purpose="Rapat").booked_by == venue_manager


def test_admin_actions_allocate_booths_and_email_owners(
    client, venue_manager, django_capture_on_commit_callbacks
):
    event = BoothEventFactory(booths=1)
    first, second = BoothApplicationFactory(event=event), BoothApplicationFactory(event=event)
    client.force_login(venue_manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/gerai/boothapplication/",
            {"action": "accept", "_selected_action": [first.pk, second.pk]},
            follow=True,
        )
    content = response.content.decode()
    assert "1 pendaftaran diterima." in content
    assert "Semua 1 stan" in content
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.booth_number, first.decided_by) == (
        BoothApplication.Status.ACCEPTED,
        1,
        venue_manager,
    )
    assert second.status == BoothApplication.Status.APPLIED
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/admin/gerai/boothapplication/",
            {"action": "waitlist", "_selected_action": [second.pk]},
        )
    second.refresh_from_db()
    assert second.status == BoothApplication.Status.WAITING
    assert [m.to for m in mail.outbox] == [
        [first.business.owner.email],
        [second.business.owner.email],
    ]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/admin/gerai/boothapplication/",
            {"action": "reject", "_selected_action": [first.pk]},
        )
    second.refresh_from_db()
    # Rejecting frees the booth: it is offered to the waiting one, who must take it.
    assert (second.status, second.booth_number) == (BoothApplication.Status.OFFERED, None)
    assert "Tawaran stan untuk Anda" in mail.outbox[-1].subject


def test_series_action_generates_events(client, venue_manager):
    series = EventSeries.objects.create(
        title="Bazar Admin Bulanan",
        slug="bazar-admin-bulanan",
        kind=EventKind.BAZAAR,
        ordinal=EventSeries.Ordinal.SECOND,
        weekday=EventSeries.Weekday.SATURDAY,
        start_time=time(9),
        end_time=time(21),
        starts_on=date(2026, 1, 1),
        months_ahead=3,
    )
    client.force_login(venue_manager)
    response = client.post(
        "/admin/gerai/eventseries/",
        {"action": "generate_events", "_selected_action": [series.pk]},
        follow=True,
    )
    assert "dibuat" in response.content.decode()
    assert series.events.count() >= 2
    assert all(e.start > timezone.now() - timezone.timedelta(days=1) for e in series.events.all())


def test_admin_event_list_runs_a_fixed_number_of_queries(client, venue_manager, data):
    from tests.queries import assert_fixed_queries

    client.force_login(venue_manager)

    def grow():
        for _i in range(3):
            BoothApplicationFactory(event=BoothEventFactory())

    assert_fixed_queries(client, "/admin/gerai/event/", grow)
    assert_fixed_queries(client, "/admin/gerai/boothapplication/", grow)


def test_book_spaces_action_books_every_space_or_reports_the_clash(client, venue_manager):
    from tests.gerai.factories import EventFactory

    event = EventFactory(
        start=wib(2026, 12, 5, 9), end=wib(2026, 12, 5, 17), spaces=[space("aula")]
    )
    SpaceBooking.objects.create(
        space=space("aula"),
        purpose="Rapat lain",
        start=wib(2026, 12, 5, 17, 30),
        end=wib(2026, 12, 5, 19),
    )
    client.force_login(venue_manager)
    response = client.post(
        "/admin/gerai/event/",
        {"action": "book_spaces", "_selected_action": [event.pk]},
        follow=True,
    )
    assert "Rapat lain" in response.content.decode()  # teardown until 18.00 clashes
    assert not event.bookings.exists()
    SpaceBooking.objects.filter(purpose="Rapat lain").delete()
    client.post("/admin/gerai/event/", {"action": "book_spaces", "_selected_action": [event.pk]})
    booking = event.bookings.get()
    assert (booking.start, booking.end) == (wib(2026, 12, 5, 7), wib(2026, 12, 5, 18))


def test_cancelling_an_event_in_the_admin_releases_its_spaces_and_raises_sequence(
    client, venue_manager
):
    from gerai import services
    from gerai.models import Event
    from tests.gerai.factories import EventFactory

    event = EventFactory(
        start=wib(2026, 12, 5, 9), end=wib(2026, 12, 5, 17), spaces=[space("aula")]
    )
    services.book_event_spaces(event=event)
    client.force_login(venue_manager)
    url = f"/admin/gerai/event/{event.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        {
            "start_0": "05/12/2026",
            "start_1": "09:00:00",
            "end_0": "05/12/2026",
            "end_1": "17:00:00",
            "spaces": [space("aula").pk],
            "status": "cancelled",
            "status_reason": "",
            "poster": "",
        }
    )
    data.pop("applications_open_at", None)
    data.pop("applications_close_at", None)
    response = client.post(url, data)
    assert "Beri alasan yang dapat dibaca publik." in response.content.decode()
    data["status_reason"] = "Banjir."
    assert client.post(url, data).status_code == 302
    event.refresh_from_db()
    assert (event.status, event.sequence) == (Event.Status.CANCELLED, 1)
    assert not event.bookings.exists()
