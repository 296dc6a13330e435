import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from missions import services
from missions.models import Participation, TradeMission
from tests.factories import BusinessFactory
from tests.missions.conftest import make_mission, make_participation

S = Participation.Status


def test_owner_applies_before_the_deadline_with_chosen_products(
    client, owner, owner_business, mission
):
    client.force_login(owner)
    product = owner_business.products.get()
    response = client.post(
        reverse("missions:apply", args=[mission.slug]),
        {"business": owner_business.pk, "products": [product.pk], "notes": "Siap"},
    )
    assert response.status_code == 302
    participation = Participation.objects.get(mission=mission, business=owner_business)
    assert participation.status == S.APPLIED
    assert list(participation.products.all()) == [product]


def test_apply_after_the_deadline_is_refused_with_a_clear_message(client, owner, owner_business):
    mission = make_mission(
        registration_opens=timezone.now() - datetime.timedelta(days=20),
        registration_closes=timezone.now() - datetime.timedelta(minutes=1),
    )
    client.force_login(owner)
    response = client.post(
        reverse("missions:apply", args=[mission.slug]), {"business": owner_business.pk}, follow=True
    )
    assert "Pendaftaran misi ini sudah ditutup" in response.content.decode()
    assert not Participation.objects.exists()


def test_service_refuses_application_after_deadline(owner_business, mission):
    late = mission.registration_closes + datetime.timedelta(seconds=1)
    with pytest.raises(ValidationError, match="sudah ditutup"):
        services.apply_for_mission(mission=mission, business=owner_business, now=late)


def test_owner_cannot_apply_with_another_owners_products(
    client, owner, owner_business, other_business, mission
):
    client.force_login(owner)
    response = client.post(
        reverse("missions:apply", args=[mission.slug]),
        {"business": owner_business.pk, "products": [other_business.products.get().pk]},
    )
    assert response.status_code == 200
    assert "field-error" in response.content.decode()
    assert not Participation.objects.exists()


def test_owner_cannot_apply_with_another_owners_business(client, owner, other_business, mission):
    client.force_login(owner)
    client.post(reverse("missions:apply", args=[mission.slug]), {"business": other_business.pk})
    assert not Participation.objects.exists()


def test_one_application_per_business_per_mission(owner_business, mission):
    services.apply_for_mission(mission=mission, business=owner_business)
    with pytest.raises(ValidationError, match="sudah mendaftar"):
        services.apply_for_mission(mission=mission, business=owner_business)
    assert Participation.objects.count() == 1


def test_bulk_accept_stops_at_the_quota(db):
    mission = make_mission(quota=2)
    rows = [make_participation(mission, status=S.SHORTLISTED) for _ in range(3)]
    result = services.set_participations_status(
        mission=mission, participations=rows, status=S.ACCEPTED
    )
    assert len(result.changed) == 2
    assert len(result.refused) == 1
    assert "kuota 2 IKM sudah penuh" in result.refused[0][1]
    assert mission.participations.holding_a_place().count() == 2


def test_withdrawal_frees_a_place(db):
    mission = make_mission(quota=1)
    first = make_participation(mission, status=S.ACCEPTED)
    second = make_participation(mission, status=S.SHORTLISTED)
    with pytest.raises(ValidationError, match="penuh"):
        services.set_participation_status(participation=second, status=S.ACCEPTED)
    services.withdraw(participation=first)
    services.set_participation_status(participation=second, status=S.ACCEPTED)
    assert second.status == S.ACCEPTED


def test_participation_transitions_are_checked(db):
    mission = make_mission()
    p = make_participation(mission, status=S.APPLIED)
    with pytest.raises(ValidationError, match="tidak dapat diubah"):
        services.set_participation_status(participation=p, status=S.ATTENDED)


def test_mission_transition_checks_allowed_steps(db):
    mission = make_mission(status=TradeMission.Status.DRAFT)
    with pytest.raises(ValidationError):
        mission.transition_to(TradeMission.Status.COMPLETED)
    mission.transition_to(TradeMission.Status.OPEN)
    mission.refresh_from_db()
    assert mission.status == TradeMission.Status.OPEN


@pytest.mark.django_db(transaction=True)
def test_two_staff_accepting_at_the_same_moment_never_exceed_the_quota(reference_data):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no row locks; the race needs PostgreSQL's select_for_update")
    mission = make_mission(quota=1)
    a = make_participation(mission, status=S.SHORTLISTED)
    b = make_participation(mission, status=S.SHORTLISTED)
    barrier = threading.Barrier(2)
    outcomes = []

    def accept(p):
        from django.db import connection as conn

        try:
            barrier.wait()
            try:
                services.set_participation_status(participation=p, status=S.ACCEPTED)
                outcomes.append("ok")
            except ValidationError:
                outcomes.append("refused")
        finally:
            conn.close()

    threads = [threading.Thread(target=accept, args=(p,)) for p in (a, b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ok", "refused"]
    assert mission.participations.holding_a_place().count() == 1


def test_unverified_business_cannot_apply(mission, owner):
    business = BusinessFactory(owner=owner, status="draft")
    with pytest.raises(ValidationError, match="terverifikasi"):
        services.apply_for_mission(mission=mission, business=business)


def test_owner_is_emailed_in_their_language_when_accepted(
    owner, owner_business, django_capture_on_commit_callbacks
):
    from django.core import mail

    mailoutbox = mail.outbox
    owner.language = "en"
    owner.save()
    mission = make_mission(title="Busan Matching")
    p = make_participation(mission, owner_business, S.SHORTLISTED)
    with django_capture_on_commit_callbacks(execute=True):
        services.set_participation_status(participation=p, status=S.ACCEPTED)
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [owner.email]
    assert "Busan Matching" in mailoutbox[0].subject and "accepted" in mailoutbox[0].subject
