"""Staff pages (admin change lists, reports) are kept per user and dropped by any write.

Django's test runs are one transaction, so the drops (made once a write commits) run
only inside `django_capture_on_commit_callbacks(execute=True)`.
"""

import re

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from ikm_registry.models import Business
from missions.models import TradeMission
from tangerang_ikm import roles
from tests.factories import BusinessFactory
from tests.missions.conftest import make_deal, make_mission, make_participation

pytestmark = pytest.mark.django_db

BUSINESSES = "/admin/ikm_registry/business/"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def staff_cache(settings):
    settings.STAFF_PAGE_CACHE_SECONDS = 60


def get(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response, len(queries)


def without_tokens(response):
    return TOKEN.sub("", response.content.decode())


def test_a_second_look_at_a_change_list_comes_from_the_cache(client, admin_staff):
    BusinessFactory(name="Rotan Jaya Cikupa")
    client.force_login(admin_staff)
    first, cold = get(client, BUSINESSES)
    second, warm = get(client, BUSINESSES)
    assert first["X-Page-Cache"] == "miss"
    assert second["X-Page-Cache"] == "hit"
    assert "Rotan Jaya Cikupa" in second.content.decode()
    assert without_tokens(second) == without_tokens(first)
    # The user and Django's two permission lookups (the session is read from the cache);
    # none of the change list's own queries.
    assert warm == 3
    assert cold > warm + 3
    assert "no-store" in second["Cache-Control"]  # still never kept by the browser


@pytest.mark.parametrize("rows", [1, 10])
@pytest.mark.parametrize("url", [BUSINESSES, "/admin/missions/deal/"])
def test_a_cached_change_list_runs_three_queries_at_any_size(client, coordinator, url, rows):
    mission = make_mission(status=TradeMission.Status.COMPLETED)
    for business in BusinessFactory.create_batch(rows):
        make_participation(mission, business)
        make_deal(mission, business, amount="1000000")
    client.force_login(coordinator)
    get(client, url)
    hit, queries = get(client, url)
    assert hit["X-Page-Cache"] == "hit"
    assert hit.content.decode().count('class="action-select"') == rows
    assert queries == 3


def test_a_cached_page_carries_a_working_csrf_token(coordinator):
    business = BusinessFactory(status=Business.Status.SUBMITTED)
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)
    get(client, BUSINESSES)
    hit, _ = get(client, BUSINESSES)
    assert hit["X-Page-Cache"] == "hit"
    token = TOKEN.search(hit.content.decode()).group(1)
    response = client.post(
        BUSINESSES,
        {"action": "verify", "_selected_action": [business.pk], "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    business.refresh_from_db()
    assert business.status == Business.Status.VERIFIED


def test_each_user_gets_their_own_page(admin_staff, coordinator):
    admin_staff.full_name, coordinator.full_name = "Rahmi Administrator", "Joko Koordinator"
    admin_staff.save()
    coordinator.save()
    first = Client()
    first.force_login(admin_staff)
    assert "Rahmi" in get(first, BUSINESSES)[0].content.decode()  # the admin greets by name
    second = Client()
    second.force_login(coordinator)
    response, _ = get(second, BUSINESSES)
    assert response["X-Page-Cache"] == "miss"
    body = response.content.decode()
    assert "Joko" in body
    assert "Rahmi" not in body
    again, _ = get(first, BUSINESSES)
    assert again["X-Page-Cache"] == "hit"
    assert "Rahmi" in again.content.decode() and "Joko" not in again.content.decode()


def test_a_saved_row_drops_the_page(client, admin_staff, django_capture_on_commit_callbacks):
    business = BusinessFactory(name="Rotan Jaya Cikupa")
    client.force_login(admin_staff)
    get(client, BUSINESSES)
    with django_capture_on_commit_callbacks(execute=True):
        business.name = "Rotan Makmur Talaga"
        business.save()
    response, _ = get(client, BUSINESSES)
    assert response["X-Page-Cache"] == "miss"
    assert "Rotan Makmur Talaga" in response.content.decode()


def test_a_many_to_many_change_drops_the_page(
    client, coordinator, django_capture_on_commit_callbacks
):
    """A role given to a user changes what their pages offer (m2m_changed, not post_save)."""
    client.force_login(coordinator)
    get(client, BUSINESSES)
    assert get(client, BUSINESSES)[0]["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        coordinator.groups.add(Group.objects.get(name=roles.VENUE_MANAGER))
    assert get(client, BUSINESSES)[0]["X-Page-Cache"] == "miss"


def test_a_write_without_signals_in_a_post_drops_the_page(
    client, admin_staff, django_capture_on_commit_callbacks
):
    """QuerySet.update() sends no signal; the POST that made it drops the pages."""
    business = BusinessFactory(name="Rotan Jaya Cikupa")
    client.force_login(admin_staff)
    get(client, BUSINESSES)
    with django_capture_on_commit_callbacks(execute=True):
        Business.objects.filter(pk=business.pk).update(name="Rotan Diam-diam")
        client.post(reverse("set_language"), {"language": "id"})
    response, _ = get(client, BUSINESSES)
    assert response["X-Page-Cache"] == "miss"
    assert "Rotan Diam-diam" in response.content.decode()


def test_a_page_with_a_message_waiting_is_not_served_from_the_cache(client, coordinator):
    business = BusinessFactory(status=Business.Status.SUBMITTED)
    client.force_login(coordinator)
    get(client, BUSINESSES)
    response = client.post(
        BUSINESSES, {"action": "verify", "_selected_action": [business.pk]}, follow=True
    )
    assert "X-Page-Cache" not in response
    assert "1 usaha diverifikasi." in response.content.decode()  # the action's message
    # Nothing was stored with the message in it.
    again, _ = get(client, BUSINESSES)
    assert "1 usaha diverifikasi." not in again.content.decode()


def test_losing_a_role_closes_the_cached_list_at_once(client, coordinator):
    """Checked on every request, before the cache: not left to the drop that follows."""
    client.force_login(coordinator)
    get(client, BUSINESSES)
    assert get(client, BUSINESSES)[0]["X-Page-Cache"] == "hit"
    coordinator.groups.remove(Group.objects.get(name=roles.COORDINATOR))  # no commit, no drop
    response, _ = get(client, BUSINESSES)
    assert response.status_code == 403


def test_a_role_without_access_is_refused_even_with_a_page_cached_for_others(
    admin_staff, venue_manager
):
    url = "/admin/missions/deal/"
    allowed = Client()
    allowed.force_login(admin_staff)
    assert get(allowed, url)[0].status_code == 200
    refused = Client()
    refused.force_login(venue_manager)
    assert get(refused, url)[0].status_code == 403


def test_the_mission_report_is_cached_per_user_and_dropped_by_a_deal(
    client, leadership, owner, django_capture_on_commit_callbacks
):
    mission = make_mission(status=TradeMission.Status.COMPLETED, slug="misi-staf")
    business = BusinessFactory(name="Mede Staf Jaya")
    make_participation(mission, business)
    make_deal(mission, business, amount="1500000")
    url = reverse("missions:report", args=[mission.slug])
    client.force_login(leadership)
    get(client, url)
    hit, warm = get(client, url)
    assert hit["X-Page-Cache"] == "hit"
    assert "Rp1.500.000" in hit.content.decode()
    assert warm == 3
    with django_capture_on_commit_callbacks(execute=True):
        make_deal(mission, business, amount="2000000")
    response, _ = get(client, url)
    assert response["X-Page-Cache"] == "miss"
    assert "Rp3.500.000" in response.content.decode()
    # An IKM owner is still refused, whatever is cached.
    stranger = Client()
    stranger.force_login(owner)
    assert get(stranger, url)[0].status_code == 403


def test_languages_are_cached_apart(client, leadership):
    mission = make_mission(status=TradeMission.Status.COMPLETED, slug="misi-bahasa")
    client.force_login(leadership)
    url = reverse("missions:report", args=[mission.slug])
    get(client, url)
    with translation.override("en"):
        english_url = reverse("missions:report", args=[mission.slug])
    response, _ = get(client, english_url)
    assert english_url.startswith("/en/")
    assert response["X-Page-Cache"] == "miss"
    assert response["Content-Language"] == "en"


def test_zero_seconds_turns_the_cache_off(client, admin_staff, settings):
    settings.STAFF_PAGE_CACHE_SECONDS = 0
    client.force_login(admin_staff)
    get(client, BUSINESSES)
    response, _ = get(client, BUSINESSES)
    assert "X-Page-Cache" not in response


def test_another_app_server_sees_a_write_at_once(
    client, admin_staff, django_capture_on_commit_callbacks
):
    """Staff pages read the area's version from the shared cache on every request: a
    version this process remembers from another server's write is not trusted."""
    from tangerang_ikm import cache as page_cache

    business = BusinessFactory(name="Rotan Jaya Cikupa")
    client.force_login(admin_staff)
    assert get(client, BUSINESSES)[0]["X-Page-Cache"] == "miss"
    before = page_cache._version(page_cache.STAFF_AREA, fresh=True)
    with django_capture_on_commit_callbacks(execute=True):
        business.name = "Rotan Server Lain"
        business.save()
    # As if this process had remembered the version from before another server's write.
    page_cache._remember(page_cache.STAFF_AREA, before)
    response, _ = get(client, BUSINESSES)
    assert response["X-Page-Cache"] == "miss"
    assert "Rotan Server Lain" in response.content.decode()
