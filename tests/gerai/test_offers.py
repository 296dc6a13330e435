"""Booth offers: a freed booth is offered with a deadline, taken through a signed link,
declined or lapsed on to the next, and the quota holds under concurrent answers."""

import threading
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from gerai import services
from gerai.models import BoothApplication, BoothOffer
from tests.gerai.admin_forms import post_event_change
from tests.gerai.factories import BoothApplicationFactory, BoothEventFactory
from tests.queries import assert_fixed_queries

Status = BoothApplication.Status
State = BoothOffer.State


def full_event_with_waiting_list(*, booths=1, waiting=2, offer_hours=48):
    """An event whose booths are all taken, with `waiting` applications in line."""
    event = BoothEventFactory(booths=booths, offer_hours=offer_hours)
    accepted = [BoothApplicationFactory(event=event) for _ in range(booths)]
    for application in accepted:
        services.accept_application(application=application, notify=False)
    line = [BoothApplicationFactory(event=event) for _ in range(waiting)]
    for application in line:
        services.waitlist_application(application=application)
    mail.outbox.clear()
    return event, accepted, line


@pytest.mark.django_db
def test_offer_has_the_events_deadline_and_a_signed_link(django_capture_on_commit_callbacks):
    _event, (taken,), (first, _second) = full_event_with_waiting_list(offer_hours=24)
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        _app, (offer,) = services.withdraw_application(application=taken)
    assert offer.application_id == first.pk and offer.state == State.OPEN
    assert before + timedelta(hours=24) <= offer.expires_at <= timezone.now() + timedelta(hours=24)
    _withdrawn, message = mail.outbox
    assert message.to == [first.business.owner.email]
    link = settings.SITE_URL + offer.get_absolute_url()
    assert link in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and f'href="{link}"' in html
    assert BoothOffer.from_token(offer.token) == offer
    assert BoothOffer.from_token(offer.token + "x") is None


@pytest.mark.django_db
def test_accepting_through_the_link_takes_the_booth(client, django_capture_on_commit_callbacks):
    _event, (taken,), (first, second) = full_event_with_waiting_list()
    _app, (offer,) = services.withdraw_application(application=taken)
    page = client.get(offer.get_absolute_url())
    assert page.status_code == 200
    assert "Ambil stan ini" in page.content.decode()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(offer.get_absolute_url(), {"action": "accept"}, follow=True)
    assert "Stan nomor 1" in response.content.decode()
    first.refresh_from_db()
    offer.refresh_from_db()
    assert (first.status, first.booth_number) == (Status.ACCEPTED, 1)
    assert offer.state == State.ACCEPTED and offer.answered_at is not None
    assert [m.to for m in mail.outbox] == [[first.business.owner.email]]
    # The link is spent: a second answer is refused, nothing changes.
    response = client.post(offer.get_absolute_url(), {"action": "decline"}, follow=True)
    assert "sudah tidak berlaku" in response.content.decode()
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Status.ACCEPTED and second.status == Status.WAITING


@pytest.mark.django_db
def test_declining_offers_the_booth_to_the_next(client, django_capture_on_commit_callbacks):
    _event, (taken,), (first, second) = full_event_with_waiting_list()
    _app, (offer,) = services.withdraw_application(application=taken)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(offer.get_absolute_url(), {"action": "decline"})
    first.refresh_from_db()
    second.refresh_from_db()
    offer.refresh_from_db()
    assert first.status == Status.WITHDRAWN and offer.state == State.DECLINED
    assert second.status == Status.OFFERED
    assert mail.outbox[-1].to == [second.business.owner.email]


@pytest.mark.django_db
def test_a_forged_link_is_a_404(client):
    assert client.get("/gerai/stan/tawaran/1:forged:sig/").status_code == 404


@pytest.mark.django_db
def test_lapsed_offers_move_on_with_the_command(django_capture_on_commit_callbacks):
    _event, (taken,), (first, second) = full_event_with_waiting_list()
    _app, (offer,) = services.withdraw_application(application=taken)
    # Not yet due: nothing happens.
    call_command("expire_booth_offers", verbosity=0)
    offer.refresh_from_db()
    assert offer.state == State.OPEN
    BoothOffer.objects.filter(pk=offer.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("expire_booth_offers", verbosity=0)
    offer.refresh_from_db()
    first.refresh_from_db()
    second.refresh_from_db()
    assert offer.state == State.LAPSED
    assert first.status == Status.LAPSED
    assert second.status == Status.OFFERED
    assert [m.to for m in mail.outbox] == [
        [first.business.owner.email],
        [second.business.owner.email],
    ]
    assert "gugur" in mail.outbox[0].subject
    # Running again changes nothing (safe every few minutes).
    with django_capture_on_commit_callbacks(execute=True):
        call_command("expire_booth_offers", verbosity=0)
    assert BoothOffer.objects.open().count() == 1
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_a_lapsed_offer_cannot_be_accepted(client):
    _event, (taken,), (first, _second) = full_event_with_waiting_list()
    _app, (offer,) = services.withdraw_application(application=taken)
    later = offer.expires_at + timedelta(seconds=1)
    with pytest.raises(ValidationError, match="tidak berlaku"):
        services.accept_offer(offer=offer, now=later)
    first.refresh_from_db()
    assert first.status == Status.OFFERED  # lapses when the command runs


@pytest.mark.django_db
def test_staff_cannot_accept_over_an_open_offer():
    event, (taken,), (_first, _second) = full_event_with_waiting_list()
    services.withdraw_application(application=taken)
    late = BoothApplicationFactory(event=event)
    with pytest.raises(ValidationError, match="Semua 1 stan"):
        services.accept_application(application=late)


@pytest.mark.django_db
def test_raising_the_quota_in_the_admin_offers_booths(
    client, venue_manager, django_capture_on_commit_callbacks
):
    event, _taken, (first, second, _third) = full_event_with_waiting_list(waiting=3)
    client.force_login(venue_manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_event_change(client, event, booths=3)
    assert "2 stan kosong ditawarkan" in response.content.decode()
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == second.status == Status.OFFERED
    assert BoothApplication.objects.filter(event=event).waiting().count() == 1


@pytest.mark.django_db
def test_staff_see_every_offer_and_its_state(client, venue_manager):
    _event, (taken,), (first, _second) = full_event_with_waiting_list()
    services.withdraw_application(application=taken)
    client.force_login(venue_manager)
    content = client.get("/admin/gerai/boothoffer/").content.decode()
    assert first.business.name in content and "menunggu jawaban" in content
    content = client.get(f"/admin/gerai/boothapplication/{first.pk}/change/").content.decode()
    assert "menunggu jawaban" in content


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_accepts_and_lapses_keep_the_quota(reference_data):
    """Offers answered in the same instant as the lapse command and a withdrawal:
    whatever wins each lock, accepted plus offered never exceeds the booths."""
    event = BoothEventFactory(booths=3)
    holders = [BoothApplicationFactory(event=event) for _ in range(3)]
    for application in holders:
        services.accept_application(application=application, notify=False)
    line = [BoothApplicationFactory(event=event) for _ in range(6)]
    for application in line:
        services.waitlist_application(application=application)
    # Free two booths: the first two in line get offers.
    services.withdraw_application(application=holders[0])
    services.withdraw_application(application=holders[1])
    offers = list(BoothOffer.objects.open())
    assert len(offers) == 2
    deadline = offers[0].expires_at
    jobs = [
        *(
            (services.accept_offer, {"offer": o, "now": deadline - timedelta(seconds=1)})
            for o in offers
        ),
        (services.expire_booth_offers, {"now": deadline + timedelta(seconds=1)}),
        (services.expire_booth_offers, {"now": deadline + timedelta(seconds=1)}),
        (services.withdraw_application, {"application": holders[2]}),
    ]
    barrier = threading.Barrier(len(jobs))
    errors = []

    def run(func, kwargs):
        from django.db import connections

        try:
            barrier.wait()
            func(**kwargs)
        except ValidationError:
            pass  # an offer that lapsed first refuses the late answer
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=job) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    applications = BoothApplication.objects.filter(event=event)
    assert applications.holding_booths().count() <= event.booths
    numbers = list(applications.accepted().values_list("booth_number", flat=True))
    assert len(numbers) == len(set(numbers)) and all(1 <= n <= 3 for n in numbers)
    # Each answered offer ended one way only, matching its application.
    for offer in BoothOffer.objects.select_related("application"):
        expected = {
            State.OPEN: Status.OFFERED,
            State.ACCEPTED: Status.ACCEPTED,
            State.LAPSED: Status.LAPSED,
        }[offer.state]
        assert offer.application.status == expected
    # With three booths and people still waiting, none stays empty.
    assert applications.holding_booths().count() == event.booths


@pytest.mark.django_db
def test_offer_admin_and_offer_page_run_fixed_queries(client, venue_manager):
    _event, (taken,), _line = full_event_with_waiting_list()
    _app, (offer,) = services.withdraw_application(application=taken)

    def grow():
        for _i in range(3):
            _e, (holder,), _l = full_event_with_waiting_list()
            services.withdraw_application(application=holder)

    assert assert_fixed_queries(client, offer.get_absolute_url(), grow) == 1
    client.force_login(venue_manager)
    # Session and user, permissions, the rows (business and event joined), the
    # recent-events filter, the date hierarchy and the count behind the search box.
    assert assert_fixed_queries(client, "/admin/gerai/boothoffer/", grow) == 9
    assert BoothOffer.objects.count() == 7  # the data grew twice


@pytest.mark.django_db
def test_offers_cannot_be_added_or_deleted_in_the_admin(client, venue_manager, leadership):
    _event, (taken,), _line = full_event_with_waiting_list()
    _app, (offer,) = services.withdraw_application(application=taken)
    for user in (venue_manager, leadership):
        client.force_login(user)
        assert client.get("/admin/gerai/boothoffer/add/").status_code == 403
        assert client.get(f"/admin/gerai/boothoffer/{offer.pk}/delete/").status_code == 403
        assert client.get(f"/admin/gerai/boothoffer/{offer.pk}/change/").status_code == 200
        assert client.get(f"/admin/gerai/boothoffer/{offer.pk}/history/").status_code == 200


@pytest.mark.django_db
def test_the_owner_finds_the_open_offer_on_their_applications_page(client):
    _event, (taken,), (first, second) = full_event_with_waiting_list()
    _app, (offer,) = services.withdraw_application(application=taken)
    client.force_login(first.business.owner)
    assert offer.get_absolute_url() in client.get("/gerai/stan/").content.decode()
    client.force_login(second.business.owner)
    assert "/gerai/stan/tawaran/" not in client.get("/gerai/stan/").content.decode()


@pytest.mark.django_db
def test_postponing_takes_back_open_offers_and_republishing_offers_again(
    django_capture_on_commit_callbacks,
):
    from gerai.models import Event

    event, (taken,), (first, _second) = full_event_with_waiting_list()
    _app, (offer,) = services.withdraw_application(application=taken)

    def change(**fields):
        old = {"old_status": event.status, "old_start": event.start, "old_end": event.end}
        for name, value in fields.items():
            setattr(event, name, value)
        event.save()
        with django_capture_on_commit_callbacks(execute=True):
            return services.change_event(event=event, old_booths=event.booths, **old)

    change(status=Event.Status.POSTPONED, status_reason="Cuaca.")
    offer.refresh_from_db()
    first.refresh_from_db()
    assert offer.state == State.CANCELLED and first.status == Status.WAITING
    # Nothing lapses for a postponed event: the offer is closed already.
    assert services.expire_booth_offers(now=offer.expires_at + timedelta(hours=1)) == 0
    done = change(status=Event.Status.PUBLISHED, status_reason="")
    assert done["offers"] == 1
    first.refresh_from_db()
    assert first.status == Status.OFFERED
    assert first.offers.open().count() == 1
