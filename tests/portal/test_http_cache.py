"""Public pages let browsers and a reverse proxy keep them; nothing else does.

No page is stored by the app itself: `tangerang_ikm.cache.public_page` only sets
Cache-Control, and ConditionalGetMiddleware adds an ETag and answers 304.
"""

import pytest
from django.urls import reverse

PUBLIC = [
    "home",
    "ikm_registry:catalog",
    "ikm_registry:directory",
    "gerai:venue",
    "gerai:event_list",
    "gerai:event_calendar_current",
    "missions:list",
]


@pytest.mark.django_db
@pytest.mark.parametrize("name", PUBLIC)
def test_a_public_page_is_public_for_visitors_without_a_session(client, settings, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    control = response["Cache-Control"]
    assert "public" in control
    assert f"max-age={settings.PUBLIC_CACHE_SECONDS}" in control
    assert f"stale-while-revalidate={settings.PUBLIC_CACHE_STALE_SECONDS}" in control
    assert "Cookie" in response["Vary"]
    assert not response.cookies  # a proxy keeps no response that sets a cookie
    # Nothing per visitor is in a page that others may be given.
    assert "csrfmiddlewaretoken" not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("name", PUBLIC)
def test_a_conditional_get_of_an_unchanged_page_is_answered_304(client, name):
    first = client.get(reverse(name))
    etag = first["ETag"]
    again = client.get(reverse(name), headers={"if-none-match": etag})
    assert again.status_code == 304
    assert again.content == b""


@pytest.mark.django_db
def test_a_changed_page_gets_a_new_etag(client):
    from ikm_registry.models import Commodity

    before = client.get(reverse("ikm_registry:catalog"))["ETag"]
    Commodity.objects.create(slug="komoditas-baru", name="Komoditas Baru Sekali")
    after = client.get(reverse("ikm_registry:catalog"), headers={"if-none-match": before})
    assert after.status_code == 200
    assert after["ETag"] != before


@pytest.mark.django_db
@pytest.mark.parametrize("name", PUBLIC)
def test_logged_in_users_get_a_private_page(client, owner, name):
    client.force_login(owner)
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]
    assert "Cookie" in response["Vary"]


@pytest.mark.django_db
def test_a_visitor_with_a_session_cookie_gets_a_private_page(client, settings):
    client.cookies[settings.SESSION_COOKIE_NAME] = "whatever"
    response = client.get(reverse("home"))
    assert "private" in response["Cache-Control"]


@pytest.mark.django_db
def test_zero_seconds_marks_public_pages_private(client, settings):
    settings.PUBLIC_CACHE_SECONDS = 0
    assert "private" in client.get(reverse("home"))["Cache-Control"]


@pytest.mark.django_db
def test_not_found_is_never_public(client):
    response = client.get(reverse("ikm_registry:catalog_product", args=["tidak-ada"]))
    assert response.status_code == 404
    assert "public" not in response.get("Cache-Control", "")


@pytest.mark.django_db
def test_staff_pages_are_never_public(client, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("admin:missions_deal_changelist"))
    assert response.status_code == 200
    assert "public" not in response.get("Cache-Control", "")
