import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from missions import services
from missions.models import Meeting
from tests.missions.conftest import at, make_buyer, make_participation


@pytest.fixture
def setup(mission):
    p1 = make_participation(mission)
    p2 = make_participation(mission)
    b1 = make_buyer("Seoul Trading")
    b2 = make_buyer("Incheon Foods")
    day = mission.start_date
    first = services.schedule_meeting(
        mission=mission,
        participation=p1,
        buyer=b1,
        start=at(day, 10),
        end=at(day, 10, 30),
        table="1",
    )
    return mission, p1, p2, b1, b2, day, first


def test_business_cannot_be_in_two_overlapping_meetings(setup):
    mission, p1, _p2, _b1, b2, day, _ = setup
    with pytest.raises(ValidationError) as exc:
        services.schedule_meeting(
            mission=mission,
            participation=p1,
            buyer=b2,
            start=at(day, 10, 15),
            end=at(day, 10, 45),
            table="2",
        )
    message = " ".join(exc.value.messages)
    assert p1.business.name in message and "Seoul Trading" in message
    assert "10.00\u201310.30" in message
    assert Meeting.objects.count() == 1


def test_buyer_cannot_be_in_two_overlapping_meetings(setup):
    mission, _p1, p2, b1, _b2, day, _ = setup
    with pytest.raises(ValidationError, match="Seoul Trading sudah bertemu"):
        services.schedule_meeting(
            mission=mission,
            participation=p2,
            buyer=b1,
            start=at(day, 10, 29),
            end=at(day, 11),
            table="2",
        )


def test_table_cannot_hold_two_meetings_at_once(setup):
    mission, _p1, p2, _b1, b2, day, _ = setup
    with pytest.raises(ValidationError, match="meja 1 sudah dipakai"):
        services.schedule_meeting(
            mission=mission,
            participation=p2,
            buyer=b2,
            start=at(day, 10),
            end=at(day, 10, 30),
            table="1",
        )


def test_back_to_back_meetings_are_allowed(setup):
    mission, p1, _p2, _b1, b2, day, _ = setup
    services.schedule_meeting(
        mission=mission,
        participation=p1,
        buyer=b2,
        start=at(day, 10, 30),
        end=at(day, 11),
        table="1",
    )
    assert Meeting.objects.count() == 2


def test_unaccepted_participant_cannot_meet(mission):
    p = make_participation(mission, status="applied")
    day = mission.start_date
    with pytest.raises(ValidationError, match="belum diterima"):
        services.schedule_meeting(
            mission=mission,
            participation=p,
            buyer=make_buyer(),
            start=at(day, 9),
            end=at(day, 9, 30),
        )


def test_database_itself_refuses_overlap_on_postgresql(setup):
    if connection.vendor != "postgresql":
        pytest.skip("exclusion constraints exist only on PostgreSQL")
    mission, p1, _p2, _b1, b2, day, _ = setup
    with pytest.raises(IntegrityError, match="meeting_business_no_overlap"), transaction.atomic():
        Meeting.objects.create(  # raw insert, no validation
            mission=mission,
            participation=p1,
            business=p1.business,
            buyer=b2,
            start=at(day, 10, 10),
            end=at(day, 10, 20),
            table="9",
        )
    with pytest.raises(IntegrityError, match="meeting_buyer_no_overlap"), transaction.atomic():
        p2 = _p2
        Meeting.objects.create(
            mission=mission,
            participation=p2,
            business=p2.business,
            buyer=_b1,
            start=at(day, 10, 10),
            end=at(day, 10, 20),
            table="8",
        )


def test_admin_grid_refuses_a_clash_and_names_it(client, coordinator, setup):
    mission, p1, _p2, _b1, b2, day, _ = setup
    client.force_login(coordinator)
    url = reverse("admin:missions_trademission_schedule", args=[mission.pk])
    response = client.post(
        url + f"?date={day.isoformat()}",
        {
            "participation": p1.pk,
            "buyer": b2.pk,
            "date": day.isoformat(),
            "time": "10:15",
            "minutes": 30,
            "table": "3",
        },
        follow=True,
    )
    body = response.content.decode()
    assert "Bentrok" in body and "Seoul Trading" in body
    assert Meeting.objects.count() == 1


def test_admin_grid_schedules_and_shows_a_meeting(client, coordinator, setup):
    mission, _p1, p2, _b1, b2, day, _ = setup
    client.force_login(coordinator)
    url = reverse("admin:missions_trademission_schedule", args=[mission.pk])
    response = client.post(
        url + f"?date={day.isoformat()}",
        {
            "participation": p2.pk,
            "buyer": b2.pk,
            "date": day.isoformat(),
            "time": "11:00",
            "minutes": 30,
            "table": "2",
        },
        follow=True,
    )
    body = response.content.decode()
    assert Meeting.objects.count() == 2
    assert f"{p2.business.name} \u00d7 Incheon Foods" in body


def test_admin_meeting_form_refuses_a_clash(client, coordinator, setup):
    mission, p1, _p2, _b1, b2, day, _ = setup
    client.force_login(coordinator)
    response = client.post(
        reverse("admin:missions_meeting_add"),
        {
            "mission": mission.pk,
            "participation": p1.pk,
            "buyer": b2.pk,
            "start_0": day.strftime("%d/%m/%Y"),
            "start_1": "10.10",
            "end_0": day.strftime("%d/%m/%Y"),
            "end_1": "10.40",
            "table": "5",
            "outcome": "",
            "notes": "",
            "deals-TOTAL_FORMS": 0,
            "deals-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200
    assert "Bentrok" in response.content.decode()
    assert Meeting.objects.count() == 1


def test_venue_manager_cannot_open_the_grid(client, venue_manager, mission):
    client.force_login(venue_manager)
    response = client.get(reverse("admin:missions_trademission_schedule", args=[mission.pk]))
    assert response.status_code == 403


def test_grid_day_outside_the_mission_falls_back_to_its_first_day(client, coordinator, setup):
    mission, p1, *_ = setup
    client.force_login(coordinator)
    url = reverse("admin:missions_trademission_schedule", args=[mission.pk])
    body = client.get(url + "?date=1999-01-01").content.decode()
    assert f'value="{mission.start_date.isoformat()}"' in body
    assert p1.business.name in body  # the 10.00 meeting of the first day is in the grid


@pytest.mark.parametrize("object_id", ["abc", "99999999999999999999", "0"])
def test_the_schedule_grid_of_a_bad_mission_id_is_not_an_error(client, coordinator, object_id):
    client.force_login(coordinator)
    response = client.get(f"/admin/missions/trademission/{object_id}/jadwal/", follow=True)
    assert response.status_code in {200, 404}
    assert response.status_code == 404 or "tidak ada" in response.content.decode().lower()
