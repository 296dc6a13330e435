"""An owner chooses their e-mail language and the WhatsApp link on "Data saya"."""

import pytest
from django.core import mail
from django.urls import reverse

from ikm_registry import services
from ikm_registry.models import Business
from tests.factories import BusinessFactory

pytestmark = pytest.mark.django_db

URL = reverse("ikm_registry:my_data")


def test_the_owner_opts_in_and_gets_the_wa_me_link(client, owner, coordinator, settings):
    settings.OFFICE_WHATSAPP = "+62 812-0000-1111"
    client.force_login(owner)
    page = client.get(reverse("ikm_registry:my_data")).content.decode()
    assert 'name="whatsapp_link"' in page
    response = client.post(URL, {"language": "en", "whatsapp_link": "on"})
    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.whatsapp_link and owner.language == "en"

    business = BusinessFactory(owner=owner, status=Business.Status.SUBMITTED)
    services.verify(business=business, by=coordinator)
    (message,) = mail.outbox
    assert "https://wa.me/6281200001111?text=" in message.body
    assert 'href="https://wa.me/6281200001111?text=' in message.alternatives[0][0]


def test_without_the_choice_there_is_no_link(client, owner, coordinator):
    business = BusinessFactory(owner=owner, status=Business.Status.SUBMITTED)
    services.verify(business=business, by=coordinator)
    (message,) = mail.outbox
    assert "wa.me" not in message.body and "wa.me" not in message.alternatives[0][0]


def test_a_bad_choice_shows_the_page_again_with_the_error(client, owner):
    client.force_login(owner)
    response = client.post(URL, {"language": "xx"})
    assert response.status_code == 400
    assert 'name="whatsapp_link"' in response.content.decode()
    owner.refresh_from_db()
    assert owner.language == "id"


def test_strangers_cannot_post(client):
    response = client.post(URL, {"language": "en"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_data_page_runs_a_fixed_number_of_queries(client, owner):
    from tests.queries import assert_fixed_queries, session_queries

    BusinessFactory(owner=owner)
    services.request_deletion(user=owner)
    client.force_login(owner)

    def grow():
        for _i in range(3):
            BusinessFactory(owner=owner)
        services.request_deletion(user=owner)

    # The user, the businesses, the erasure requests.
    url = reverse("ikm_registry:my_data")
    assert assert_fixed_queries(client, url, grow) == 3 + session_queries()
