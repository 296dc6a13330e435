"""Every gerai model staff can edit in the admin keeps its history, shown in the admin."""

import pytest
from django.apps import apps
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin
from simple_history.utils import get_history_manager_for_model

from gerai.models import Event
from tests.gerai.admin_forms import post_event_change
from tests.gerai.factories import EventFactory


def gerai_admin_models():
    return [
        model
        for model in apps.get_app_config("gerai").get_models()
        if admin.site.is_registered(model)
    ]


def test_the_admin_registry_has_the_expected_gerai_models():
    names = {model.__name__ for model in gerai_admin_models()}
    assert names >= {
        "Venue",
        "Space",
        "Event",
        "EventSeries",
        "SpaceBooking",
        "BoothApplication",
        "BoothOffer",
        "ShowroomItem",
    }


@pytest.mark.parametrize("model", gerai_admin_models(), ids=lambda m: m.__name__)
def test_every_gerai_admin_model_keeps_history(model):
    # Raises NotHistoricalModelError for a model without HistoricalRecords.
    get_history_manager_for_model(model)
    assert isinstance(admin.site.get_model_admin(model), SimpleHistoryAdmin)


@pytest.mark.parametrize("model", gerai_admin_models(), ids=lambda m: m.__name__)
def test_every_inline_model_keeps_history_too(model):
    for inline in admin.site.get_model_admin(model).inlines:
        get_history_manager_for_model(inline.model)


@pytest.mark.django_db
def test_a_change_in_the_admin_is_recorded_with_who_and_shown(client, venue_manager):
    event = EventFactory(title="Bazar Riwayat")
    client.force_login(venue_manager)
    response = post_event_change(client, event, title="Bazar Riwayat Baru")
    assert response.status_code == 200
    latest = Event.history.filter(id=event.pk).latest("history_date")
    assert (latest.title, latest.history_user, latest.history_type) == (
        "Bazar Riwayat Baru",
        venue_manager,
        "~",
    )
    page = client.get(f"/admin/gerai/event/{event.pk}/history/").content.decode()
    assert str(venue_manager) in page and "Bazar Riwayat Baru" in page


@pytest.mark.django_db
def test_the_spaces_an_event_uses_are_kept_in_its_history(client, venue_manager):
    from tests.gerai.factories import space

    event = EventFactory(title="Bazar Ruang", spaces=[space("aula")])
    client.force_login(venue_manager)
    post_event_change(client, event, spaces=[space("halaman-depan").pk])
    records = Event.history.filter(id=event.pk).order_by("history_date")
    latest = records.last()
    assert [row.space.slug for row in latest.spaces.all()] == ["halaman-depan"]
    assert latest.history_user == venue_manager
