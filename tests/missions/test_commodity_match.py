"""An application whose business lacks the mission's target commodities is warned, not barred."""

import pytest
from django.urls import reverse

from ikm_registry.models import Commodity
from missions.models import Participation
from tests.factories import BusinessFactory
from tests.missions.conftest import make_mission, make_participation

WARNING = "tidak memiliki komoditas sasaran misi ini"


@pytest.fixture
def food_mission(db):
    mission = make_mission()
    mission.commodities.set(Commodity.objects.filter(slug__in=["kacang-mede", "gula-semut"]))
    return mission


@pytest.fixture
def rattan_business(owner):
    business = BusinessFactory(owner=owner, name="Rotan Tanpa Pangan")
    business.commodities.set([Commodity.objects.get(slug="kerajinan-rotan")])
    return business


def test_owner_is_warned_but_may_still_apply(client, owner, food_mission, rattan_business):
    client.force_login(owner)
    url = reverse("missions:apply", args=[food_mission.slug])
    page = client.get(url).content.decode()
    assert WARNING in page and "Rotan Tanpa Pangan" in page and "Kacang Mede" in page
    response = client.post(url, {"business": rattan_business.pk}, follow=True)
    assert Participation.objects.filter(business=rattan_business).exists()
    assert WARNING in response.content.decode()  # repeated after applying


def test_a_matching_business_sees_no_warning(client, owner, food_mission):
    business = BusinessFactory(owner=owner)
    business.commodities.set([Commodity.objects.get(slug="kacang-mede")])
    client.force_login(owner)
    page = client.get(reverse("missions:apply", args=[food_mission.slug])).content.decode()
    assert WARNING not in page


def test_a_mission_without_targets_warns_nobody(client, owner, rattan_business):
    mission = make_mission()
    client.force_login(owner)
    assert (
        WARNING not in client.get(reverse("missions:apply", args=[mission.slug])).content.decode()
    )


def test_staff_see_the_mismatch_in_the_participant_list(
    client, coordinator, food_mission, rattan_business
):
    matching = BusinessFactory(name="Mede Cocok")
    matching.commodities.set([Commodity.objects.get(slug="gula-semut")])
    make_participation(food_mission, rattan_business)
    make_participation(food_mission, matching)
    client.force_login(coordinator)
    body = client.get(reverse("admin:missions_participation_changelist")).content.decode()
    rows = {
        name: body[body.index(name) :].split("</tr>")[0]
        for name in ("Rotan Tanpa Pangan", "Mede Cocok")
    }
    assert 'alt="False"' in rows["Rotan Tanpa Pangan"]
    assert 'alt="True"' in rows["Mede Cocok"]
