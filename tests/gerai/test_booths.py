"""Booth applications: the accepted count never exceeds the booths, the waiting list
moves up when a booth frees, and owners are told by e-mail."""

import threading

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection

from gerai import services
from gerai.models import BoothApplication
from tests.factories import BusinessFactory, ProductFactory
from tests.gerai.factories import BoothApplicationFactory, BoothEventFactory

Status = BoothApplication.Status


@pytest.fixture
def event(db):
    return BoothEventFactory(booths=2, title="Bazar Stan Dua")


def applications(event, n):
    return [BoothApplicationFactory(event=event) for _ in range(n)]


@pytest.mark.django_db
def test_accepting_gives_booth_numbers_until_full(event, django_capture_on_commit_callbacks):
    a, b, c = applications(event, 3)
    with django_capture_on_commit_callbacks(execute=True):
        services.accept_application(application=a)
        services.accept_application(application=b)
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.status, a.booth_number, b.booth_number) == (Status.ACCEPTED, 1, 2)
    with pytest.raises(ValidationError, match="Semua 2 stan"):
        services.accept_application(application=c)
    c.refresh_from_db()
    assert c.status == Status.APPLIED
    assert BoothApplication.objects.accepted().count() == 2
    assert len(mail.outbox) == 2
    assert "stan nomor 1" in mail.outbox[0].body
    assert mail.outbox[0].to == [a.business.owner.email]


@pytest.mark.django_db
def test_a_freed_booth_is_offered_to_the_first_on_the_waiting_list(
    event, django_capture_on_commit_callbacks
):
    a, b, first, second = applications(event, 4)
    services.accept_application(application=a)
    services.accept_application(application=b)
    services.waitlist_application(application=first)
    services.waitlist_application(application=second)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        withdrawn, offers = services.withdraw_application(application=a)
    assert withdrawn.status == Status.WITHDRAWN and withdrawn.booth_number is None
    assert [o.application_id for o in offers] == [first.pk]
    first.refresh_from_db()
    second.refresh_from_db()
    # An offer, not an acceptance: the booth is held until the first one answers.
    assert (first.status, first.booth_number) == (Status.OFFERED, None)
    assert second.status == Status.WAITING
    assert [m.to for m in mail.outbox] == [
        [a.business.owner.email],
        [first.business.owner.email],
    ]
    assert "ditarik" in mail.outbox[0].subject
    assert offers[0].get_absolute_url() in mail.outbox[1].body
    # Rejecting an accepted one frees its booth too: the next one is offered it.
    services.reject_application(application=b)
    second.refresh_from_db()
    assert (second.status, second.booth_number) == (Status.OFFERED, None)
    assert BoothApplication.objects.holding_booths().count() == 2


@pytest.mark.django_db
def test_transitions_are_checked(event):
    (a,) = applications(event, 1)
    services.reject_application(application=a)
    with pytest.raises(ValidationError, match="tidak dapat menjadi"):
        services.accept_application(application=a)
    with pytest.raises(ValidationError):
        services.withdraw_application(application=a)


@pytest.mark.django_db
def test_applying_needs_an_open_window_and_once_per_business(
    event, owner, django_capture_on_commit_callbacks
):
    business = BusinessFactory(owner=owner)
    product = ProductFactory(business=business)
    with django_capture_on_commit_callbacks(execute=True):
        application = services.apply_for_booth(event=event, business=business, products=[product])
    assert list(application.products.all()) == [product]
    assert mail.outbox[0].to == [owner.email]
    with pytest.raises(ValidationError, match="sudah mendaftar"):
        services.apply_for_booth(event=event, business=business)
    with pytest.raises(ValidationError, match="tidak sedang dibuka"):
        services.apply_for_booth(event=BoothEventFactory(booths=0), business=business)
    with pytest.raises(ValidationError, match="produk usaha Anda"):
        services.apply_for_booth(
            event=BoothEventFactory(), business=business, products=[ProductFactory()]
        )


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_accepts_never_exceed_the_booths(reference_data):
    """Six staff accept six applications at the same moment, for two booths."""
    event = BoothEventFactory(booths=2)
    pending = applications(event, 6)
    barrier = threading.Barrier(len(pending))
    outcomes = []

    def accept(application):
        from django.db import connections

        try:
            barrier.wait()
            services.accept_application(application=application, notify=False)
            outcomes.append("accepted")
        except ValidationError:
            outcomes.append("full")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=accept, args=(a,)) for a in pending]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["accepted"] * 2 + ["full"] * 4
    accepted = BoothApplication.objects.filter(event=event).accepted()
    assert sorted(accepted.values_list("booth_number", flat=True)) == [1, 2]


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_withdrawals_promote_each_waiting_application_once(reference_data):
    event = BoothEventFactory(booths=2)
    a, b, w1, w2, w3 = applications(event, 5)
    for app in (a, b):
        services.accept_application(application=app, notify=False)
    for app in (w1, w2, w3):
        services.waitlist_application(application=app)
    barrier = threading.Barrier(2)

    def withdraw(application):
        from django.db import connections

        try:
            barrier.wait()
            services.withdraw_application(application=application)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=withdraw, args=(x,)) for x in (a, b)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    statuses = dict(BoothApplication.objects.values_list("pk", "status"))
    assert statuses[w1.pk] == statuses[w2.pk] == Status.OFFERED
    assert statuses[w3.pk] == Status.WAITING
    assert BoothApplication.objects.filter(event=event).holding_booths().count() == 2
