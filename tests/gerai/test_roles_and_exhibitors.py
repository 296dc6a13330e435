"""Leadership only reads the venue's data, and only verified IKM are named as exhibitors."""

import pytest
from django.contrib import admin
from django.urls import reverse

from gerai.models import BoothApplication, Event, EventSeries
from ikm_registry.models import Business
from tests.factories import BusinessFactory
from tests.gerai.factories import BoothApplicationFactory, BoothEventFactory

pytestmark = pytest.mark.django_db

CHANGING_ACTIONS = [
    (BoothApplication, "accept"),
    (BoothApplication, "waitlist"),
    (BoothApplication, "reject"),
    (Event, "book_spaces"),
    (EventSeries, "generate_events"),
]


@pytest.mark.parametrize(("model", "action"), CHANGING_ACTIONS)
def test_only_roles_that_change_the_venue_get_its_actions(
    rf, leadership, venue_manager, model, action
):
    model_admin = admin.site._registry[model]
    for user, allowed in ((leadership, False), (venue_manager, True)):
        request = rf.get("/")
        request.user = user
        assert (action in model_admin.get_actions(request)) is allowed, user


def test_leadership_cannot_accept_a_booth_application_by_posting_the_action(client, leadership):
    application = BoothApplicationFactory()
    client.force_login(leadership)
    client.post(
        reverse("admin:gerai_boothapplication_changelist"),
        {"action": "accept", "_selected_action": [application.pk], "index": 0},
    )
    application.refresh_from_db()
    assert application.status == BoothApplication.Status.APPLIED
    assert application.booth_number is None


def test_the_event_page_names_only_verified_exhibitors(client, venue_manager):
    from gerai import services

    event = BoothEventFactory(booths=3)
    shown = BusinessFactory(name="Terverifikasi Jaya")
    draft = BusinessFactory(name="Rahasia Draf Sejahtera", status=Business.Status.DRAFT)
    archived = BusinessFactory(name="Arsip Lama Abadi")
    applications = [
        BoothApplicationFactory(event=event, business=business)
        for business in (shown, draft, archived)
    ]
    for application in applications:
        services.accept_application(application=application, by=venue_manager, notify=False)
    Business.objects.filter(pk=archived.pk).update(archived_at=event.start)
    body = client.get(reverse("gerai:event_detail", args=[event.slug])).content.decode()
    assert "Terverifikasi Jaya" in body
    assert "Rahasia Draf Sejahtera" not in body
    assert "Arsip Lama Abadi" not in body


def test_an_owner_applies_for_a_booth_only_with_a_verified_business(client, owner):
    event = BoothEventFactory()
    BusinessFactory(owner=owner, name="Usaha Terverifikasi")
    BusinessFactory(owner=owner, name="Usaha Masih Draf", status=Business.Status.DRAFT)
    client.force_login(owner)
    body = client.get(reverse("gerai:apply", args=[event.slug])).content.decode()
    assert "Usaha Terverifikasi" in body
    assert "Usaha Masih Draf" not in body
