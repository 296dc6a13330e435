"""Reports recomputed by a task after a write: no viewer waits for the figures, and the
figures the task stores are the ones the report computes (totals that add up)."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from missions import reports
from missions.models import Deal, TradeMission
from tangerang_ikm.cache import version
from tests.factories import BusinessFactory
from tests.missions.conftest import make_deal, make_mission, make_participation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def report_cache(settings):
    settings.REPORT_CACHE_SECONDS = 600
    # A backend that queues for a worker, as in production (TASKS_BACKEND=database).
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    cache.clear()


def run_queued_refreshes():
    """What `manage.py db_worker` does: run the queued refreshes, in order."""
    backend = reports.refresh_reports.get_backend()
    queued = [r for r in backend.results if r.task.name == reports.refresh_reports.name]
    assert queued
    for result in queued:
        reports.refresh_reports.call(*result.args, **result.kwargs)
    backend.clear()


@pytest.fixture
def reported(db):
    mission = make_mission(status=TradeMission.Status.COMPLETED, slug="misi-segar")
    business = BusinessFactory(name="Mede Segar Jaya")
    make_participation(mission, business)
    make_deal(mission, business, amount="1500000")
    return mission, business


def read(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(ctx.captured_queries)


def total(report, label):
    return next(f.value for f in report.figures if str(f.label) == label)


def test_a_write_refreshes_the_read_reports_after_its_commit(
    client, coordinator, reported, django_capture_on_commit_callbacks
):
    mission, business = reported
    client.force_login(coordinator)
    report_url = reverse("missions:report", args=[mission.slug])
    dashboard_url = reverse("missions:dashboard")
    _, cold = read(client, report_url)
    read(client, dashboard_url)
    read(client, dashboard_url + "?scope=jabodetabek")

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        make_deal(mission, business, amount="2000000")
    assert callbacks  # the refresh was queued after the commit ...
    run_queued_refreshes()  # ... and a worker ran it

    body, warm = read(client, report_url)
    assert "Rp3.500.000" in body  # the new deal, computed by the task
    assert warm < cold - 5  # ... not by this reader
    body, _ = read(client, dashboard_url)
    assert "Rp3.500.000" in body
    jabodetabek, _ = read(client, dashboard_url + "?scope=jabodetabek")
    assert "Rp3.500.000" not in jabodetabek  # each filter's own figures


def test_the_refreshed_figures_are_those_the_report_computes(
    client, coordinator, reported, django_capture_on_commit_callbacks
):
    mission, business = reported
    client.force_login(coordinator)
    read(client, reverse("missions:report", args=[mission.slug]))
    with django_capture_on_commit_callbacks(execute=True):
        make_deal(mission, business, amount="700000")
        deal = make_deal(mission, business, amount="300000", status=Deal.Status.REPORTED)
    with django_capture_on_commit_callbacks(execute=True):
        deal.status = Deal.Status.CONFIRMED
        deal.save()
    run_queued_refreshes()
    stored = cache.get(f"report:id:mission:{mission.pk}")
    assert stored is not None and stored[0] == version("reports")
    fresh = reports.mission_report(mission)
    assert [(str(f.label), f.value) for f in stored[2].figures] == [
        (str(f.label), f.value) for f in fresh.figures
    ]
    assert [t.rows for t in stored[2].tables] == [t.rows for t in fresh.tables]
    body, _ = read(client, reverse("missions:report", args=[mission.slug]))
    assert "Rp2.500.000" in body  # 1.5 + 0.7 + 0.3 million, all confirmed


def test_a_reader_gets_the_last_figures_while_the_refresh_runs(client, coordinator, reported):
    mission, business = reported
    client.force_login(coordinator)
    url = reverse("missions:report", args=[mission.slug])
    _, cold = read(client, url)
    make_deal(mission, business, amount="2000000")  # bumps; the commit never comes here
    # As a queued refresh leaves it: marked for the new version, not yet done.
    cache.set(f"report-refresh:{version('reports')}", True)
    body, queries = read(client, url)
    assert "Rp1.500.000" in body and "Rp3.500.000" not in body
    assert queries < cold - 5  # no report query
    cache.delete(f"report-refresh:{version('reports')}")
    body, _ = read(client, url)  # no refresh on the way: this reader computes
    assert "Rp3.500.000" in body


def test_a_stale_copy_is_not_served_past_the_report_cache_seconds(
    client, coordinator, reported, settings, monkeypatch
):
    mission, business = reported
    client.force_login(coordinator)
    url = reverse("missions:report", args=[mission.slug])
    read(client, url)
    make_deal(mission, business, amount="2000000")
    cache.set(f"report-refresh:{version('reports')}", True)
    real_time = reports.time.time
    monkeypatch.setattr(reports.time, "time", lambda: real_time() + 601)
    body, _ = read(client, url)
    assert "Rp3.500.000" in body


def test_an_outdated_refresh_leaves_the_work_to_the_next(reported):
    mission, _business = reported
    old = version("reports")
    reports.cached_report(f"mission:{mission.pk}", lambda: reports.mission_report(mission))
    from tangerang_ikm.cache import bump

    bump("reports")
    assert reports.refresh_reports.call(version=old) == {"skipped": True}
    assert reports.refresh_reports.call(version=version("reports")) == {"refreshed": 1}


def test_a_refresh_computes_a_report_once_for_itself_and_its_body(
    client, coordinator, reported, monkeypatch
):
    mission, _business = reported
    client.force_login(coordinator)
    read(client, reverse("missions:report", args=[mission.slug]))  # the report and its body
    calls = []
    real = reports.mission_report
    monkeypatch.setattr(reports, "mission_report", lambda m: calls.append(m.pk) or real(m))
    assert reports.refresh_reports.call(version=version("reports")) == {"refreshed": 2}
    assert calls == [mission.pk]


def test_a_write_during_a_refresh_stops_it(client, coordinator, reported, monkeypatch):
    mission, _business = reported
    client.force_login(coordinator)
    read(client, reverse("missions:report", args=[mission.slug]))
    read(client, reverse("missions:dashboard"))
    from tangerang_ikm.cache import bump

    real = reports._compute_report

    def compute_then_write(key):
        value = real(key)
        bump("reports")  # a write lands while the refresh runs
        return value

    monkeypatch.setattr(reports, "_compute_report", compute_then_write)
    result = reports.refresh_reports.call(version=version("reports"))
    assert result["refreshed"] < 4


def test_without_a_worker_the_writer_does_not_compute_reports(
    client, coordinator, reported, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    mission, business = reported
    client.force_login(coordinator)
    url = reverse("missions:report", args=[mission.slug])
    read(client, url)
    with CaptureQueriesContext(connection) as ctx:
        with django_capture_on_commit_callbacks(execute=True):
            make_deal(mission, business, amount="2000000")
    writes = [q["sql"] for q in ctx.captured_queries]
    assert not cache.get(f"report-refresh:{version('reports')}")
    body, _ = read(client, url)  # the reader computes the new figures
    assert "Rp3.500.000" in body
    # No report computed, and no slice of the dashboard's rollup summed either: the writer
    # only marks its slices (missions/rollup.py); the next dashboard reader sums them.
    assert writes and not any("SUM(" in sql.upper() for sql in writes)
    assert any("missions_dealrollupdirty" in sql for sql in writes)
