"""The deal list at regency scale: what each row shows stays what Django's columns showed."""

import pytest
from django.urls import reverse
from django.utils import translation

from missions.models import Deal
from tests.factories import BusinessFactory
from tests.missions.conftest import make_deal, make_mission

pytestmark = pytest.mark.django_db


def test_the_currency_column_shows_the_fields_label(client, coordinator):
    mission = make_mission()
    make_deal(mission, BusinessFactory(), amount="7", currency="JPY", rate="105")
    make_deal(mission, BusinessFactory(), amount="9", currency="IDR")
    labels = dict(Deal._meta.get_field("currency").flatchoices)  # the admin is Indonesian
    jpy, idr = str(labels["JPY"]), str(labels["IDR"])
    assert jpy != idr and "JPY - " in jpy
    client.force_login(coordinator)
    body = client.get(reverse("admin:missions_deal_changelist")).content.decode()
    assert f'<td class="field-currency_label">{jpy}</td>' in body
    assert f'<td class="field-currency_label">{idr}</td>' in body


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_currency_label_follows_the_active_language(language):
    from django.contrib import admin

    deal = make_deal(make_mission(), BusinessFactory(), amount="7", currency="JPY", rate="105")
    with translation.override(language):
        expected = dict(Deal._meta.get_field("currency").flatchoices)["JPY"]
        assert admin.site._registry[Deal].currency_label(deal) == expected


def test_the_currency_column_sorts_by_the_code(client, coordinator):
    mission = make_mission()
    make_deal(mission, BusinessFactory(), amount="7", currency="JPY", rate="105")
    make_deal(mission, BusinessFactory(), amount="9", currency="EUR", rate="17000")
    client.force_login(coordinator)
    url = reverse("admin:missions_deal_changelist")
    body = client.get(url + "?o=6").content.decode()  # the 6th column: currency
    assert body.index("EUR - ") < body.index("JPY - ")
    body = client.get(url + "?o=-6").content.decode()
    assert body.index("JPY - ") < body.index("EUR - ")
