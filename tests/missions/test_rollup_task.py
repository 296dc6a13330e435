"""The rollup's re-sum after a write (missions/rollup.py) runs in a task, never in the
writer's request: queued once per commit for a worker when the tasks backend defers
(TASKS_BACKEND=database), nothing at all with the immediate backend, whose next dashboard
reader sums the marked slices first. Either way the dashboard equals the deals."""

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from missions import reports, rollup
from missions.models import Deal, DealRollupDirty
from tests.missions import test_rollup
from tests.missions.conftest import make_deal
from tests.missions.test_rollup import AUTUMN, LAST_YEAR, check

pytestmark = pytest.mark.django_db

world = test_rollup.world  # the fixture: a few deals in two slices

DEFERRING = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def no_queued_marker():
    cache.delete(rollup.QUEUED)
    yield
    backend = rollup.resum_dirty.get_backend()
    if hasattr(backend, "clear"):
        backend.clear()


@pytest.fixture
def summed(world, settings, monkeypatch):
    """The world with its slices summed; returns the list each re-sum appends its slices to."""
    settings.TASKS = DEFERRING
    rollup.resum_dirty.get_backend().clear()
    rollup.rebuild()
    calls = []
    real = rollup._rebuild
    monkeypatch.setattr(rollup, "_rebuild", lambda slices: calls.append(slices) or real(slices))
    return calls


def queued():
    backend = rollup.resum_dirty.get_backend()
    return [r for r in backend.results if r.task.name == rollup.resum_dirty.name]


def write_two_deals(world):
    """One commit, two slices marked (2026 abroad, 2025 Jabodetabek)."""
    with transaction.atomic():
        make_deal(world["abroad"], world["small"], amount="1111111.11", date=AUTUMN)
        make_deal(world["local"], world["larger"], amount="2222.22", date=LAST_YEAR)


def test_with_the_immediate_backend_the_writer_sums_nothing(
    summed,
    world,
    settings,
    django_capture_on_commit_callbacks,
):
    settings.TASKS = IMMEDIATE
    with CaptureQueriesContext(connection) as ctx:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            write_two_deals(world)
    assert callbacks  # the commit's callbacks ran ...
    assert summed == []  # ... and summed no slice
    sql = [q["sql"] for q in ctx.captured_queries]
    assert not [s for s in sql if "SUM(" in s.upper() or '"missions_dealrollup"' in s]
    assert DealRollupDirty.objects.exists()
    # The next dashboard reader sums the two slices first, and shows the deals.
    reports.program_dashboard()
    assert len(summed) == 1 and {year for _scope, year in summed[0]} == {2025, 2026}
    check(committed=False)


def test_with_a_worker_one_resum_is_queued_per_commit_and_run_by_it(
    summed,
    world,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        write_two_deals(world)
    assert summed == []  # nothing summed in the request
    assert len(queued()) == 1  # one task for the commit's several marks
    result = queued()[0]
    assert rollup.resum_dirty.call(*result.args, **result.kwargs)["written"] > 0
    assert len(summed) == 1 and not DealRollupDirty.objects.exists()
    rollup.resum_dirty.get_backend().clear()
    # A later commit queues its own.
    with django_capture_on_commit_callbacks(execute=True):
        Deal.objects.filter(amount="2222.22").update(amount="3333.33")
    assert len(queued()) == 1
    result = queued()[0]
    rollup.resum_dirty.call(*result.args, **result.kwargs)
    rollup.resum_dirty.get_backend().clear()
    check()


def test_commits_before_the_worker_runs_share_its_task(
    summed,
    world,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        make_deal(world["abroad"], world["small"], amount="10", date=AUTUMN)
    with django_capture_on_commit_callbacks(execute=True):
        make_deal(world["local"], world["larger"], amount="20", date=LAST_YEAR)
    assert len(queued()) == 1  # the queued task reads both commits' marks when it starts
    check()  # runs it, requires no mark left and compares every filter
    assert len(summed) == 1


def test_a_reader_before_the_worker_sums_first(
    summed,
    world,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        write_two_deals(world)
    assert len(queued()) == 1 and summed == []
    check(committed=False)  # the dashboard never shows sums older than the deals
    result = queued()[0]
    assert rollup.resum_dirty.call(*result.args, **result.kwargs) == {"written": 0}
    assert len(summed) == 1  # the task found nothing left to sum
