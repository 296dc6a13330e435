"""recent_filter (tangerang_ikm.admin_lists): a chosen value always filters the list."""

import pytest
from django.urls import reverse

from tests.factories import BusinessFactory
from tests.missions.conftest import make_deal, make_mission

pytestmark = pytest.mark.django_db


def test_a_chosen_mission_filters_even_when_it_is_the_only_choice(client, coordinator):
    """Django leaves out a filter with one choice to offer, and the chosen value with it:
    a mission that is not there listed every deal instead of none."""
    mission = make_mission()
    make_deal(mission, BusinessFactory(), amount="1")
    client.force_login(coordinator)
    url = reverse("admin:missions_deal_changelist")
    assert len(client.get(url + f"?mission__id__exact={mission.pk}").context["cl"].result_list)
    response = client.get(url + f"?mission__id__exact={mission.pk + 1000}")
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == []
