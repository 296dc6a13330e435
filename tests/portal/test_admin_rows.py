"""The long lists' rows (tangerang_ikm.admin_lists.ListRowsMixin) are Django's own rows.

RowLinksChangeList makes each row's link once per page; what the page shows must be what
Django's ChangeList shows, byte for byte, with filters, a search, sorting and popups.
"""

import re

import pytest
from django.contrib.admin.views.main import ChangeList
from django.urls import reverse

from missions.models import Buyer
from tangerang_ikm import admin_lists
from tests.factories import BusinessFactory, ProductFactory
from tests.missions.conftest import make_deal, make_mission

pytestmark = pytest.mark.django_db


def _rows(body):
    match = re.search(r"<tbody>.*</tbody>", body, re.S)
    assert match, body[:2000]
    return match.group(0)


def _djangos(monkeypatch):
    monkeypatch.setattr(
        admin_lists.ListRowsMixin, "get_changelist", lambda self, request, **kwargs: ChangeList
    )


@pytest.mark.parametrize(
    "changelist,query",
    [
        ("admin:missions_deal_changelist", ""),
        ("admin:missions_deal_changelist", "?currency__exact=JPY"),
        ("admin:missions_deal_changelist", "?q=Rasa+%22%26+Co%22&o=-1.3"),
        ("admin:missions_deal_changelist", "?_popup=1&status__exact=confirmed"),
        ("admin:missions_deal_changelist", "?mission__id__exact=1&parties=none&p=1"),
        ("admin:ikm_registry_business_changelist", "?q=Jaya"),
        ("admin:ikm_registry_business_changelist", ""),
        ("admin:ikm_registry_product_changelist", "?o=2"),
    ],
)
def test_the_rows_are_djangos_rows(client, superuser, monkeypatch, changelist, query):
    mission = make_mission()
    busan = Buyer.objects.create(company="Busan & Co", country="KR", kind="importer")
    for n, name in enumerate(["CV Jaya Abadi", 'Rasa & Co "Sari"', "UD <Makmur>"]):
        business = BusinessFactory(name=name)
        ProductFactory(business=business)
        make_deal(mission, business, amount=str(n + 1), buyer=busan if n else None)
    make_deal(mission, business, amount="4", currency="JPY", rate="105")
    client.force_login(superuser)
    url = reverse(changelist) + query.replace(
        "mission__id__exact=1", f"mission__id__exact={mission.pk}"
    )
    ours = client.get(url)
    assert ours.status_code == 200
    assert isinstance(ours.context["cl"], admin_lists.RowLinksChangeList)
    _djangos(monkeypatch)
    djangos = client.get(url)
    assert type(djangos.context["cl"]) is ChangeList
    rows = _rows(ours.content.decode())
    assert rows == _rows(djangos.content.decode())
    assert "/change/" in rows  # rows there, with their links
    if "?" in query:
        assert "_changelist_filters=" in rows


def test_a_row_link_keeps_the_lists_filters(client, superuser):
    deal = make_deal(make_mission(), BusinessFactory(name="CV Jaya"), amount="1")
    client.force_login(superuser)
    body = client.get(reverse("admin:missions_deal_changelist") + "?q=Jaya&kind__exact=spot")
    change = reverse("admin:missions_deal_change", args=[deal.pk])
    assert f'href="{change}?_changelist_filters=q%3DJaya%26kind__exact%3Dspot"' in (
        body.content.decode()
    )


def test_a_key_that_is_not_an_integer_takes_djangos_way(rf, superuser):
    """A string key is escaped by the admin's quote() (as Django does), not put in as is."""
    from django.contrib import admin

    from missions.models import Deal

    request = rf.get("/admin/missions/deal/")
    request.user = superuser
    changelist = admin.site._registry[Deal].get_changelist_instance(request)

    class Row:
        pk = id = "a/b_c"

    assert changelist.url_for_result(Row()) == "/admin/missions/deal/a_2Fb_5Fc/change/"
