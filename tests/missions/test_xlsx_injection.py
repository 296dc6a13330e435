"""User text in the mission report and dashboard XLSX stays text, never a formula."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from ikm_registry.models import Commodity
from missions.models import TradeMission
from tests.factories import BusinessFactory
from tests.missions.conftest import make_deal, make_mission, make_participation

PAYLOADS = ["=1+1", "+cmd", "-1", "@SUM(A1)", "\t=2+2"]


def cells(content):
    workbook = load_workbook(BytesIO(content))
    return [cell for sheet in workbook for row in sheet.iter_rows() for cell in row]


def assert_all_text(content):
    found = {}
    for cell in cells(content):
        assert cell.data_type != "f", (cell.coordinate, cell.value)
        if isinstance(cell.value, str) and cell.value.startswith("'"):
            found.setdefault(cell.value[1:], []).append(cell)
    for payload in PAYLOADS:
        assert payload in found, payload
        assert all(c.data_type == "s" for c in found[payload])
    assert not any(c.value in PAYLOADS for c in cells(content))


@pytest.fixture
def hostile(db):
    mission = make_mission(status=TradeMission.Status.REPORTED, slug="misi-berbahaya")
    for i, payload in enumerate(PAYLOADS):
        business = BusinessFactory(name=payload)
        make_participation(mission, business, "attended", booth_number=payload[:20])
        commodity = Commodity.objects.create(name=payload, name_en=payload, slug=f"berbahaya-{i}")
        make_deal(mission, business, amount=str(1000 + i), commodity=commodity)
    return mission


def test_mission_report_xlsx_writes_names_as_text(client, coordinator, hostile):
    client.force_login(coordinator)
    response = client.get(reverse("missions:report_xlsx", args=[hostile.slug]))
    assert_all_text(response.content)
    workbook = load_workbook(BytesIO(response.content))
    names = [r[0] for r in workbook["Peserta"].iter_rows(min_row=3, values_only=True)]
    assert sorted(names) == sorted("'" + p for p in PAYLOADS)


def test_dashboard_xlsx_writes_commodity_names_as_text(client, leadership, hostile):
    client.force_login(leadership)
    response = client.get(reverse("missions:dashboard_xlsx"))
    workbook = load_workbook(BytesIO(response.content))
    names = [r[0] for r in workbook["Per komoditas"].iter_rows(min_row=3, values_only=True)]
    assert set("'" + p for p in PAYLOADS) <= set(names)
    for cell in cells(response.content):
        assert cell.data_type != "f"
