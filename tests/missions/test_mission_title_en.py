"""A trade mission's English title on English pages, the buyer's e-catalogue and e-mails (#22).

Indonesian pages and e-mails keep the Indonesian title; without an English title the
Indonesian one is shown in English too.
"""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from missions import services
from missions.models import MissionBuyer, Participation
from tests.factories import BusinessFactory
from tests.missions.conftest import make_buyer, make_mission, make_participation

pytestmark = pytest.mark.django_db

ID_TITLE = "Temu Bisnis Pangan Olahan di Busan"
EN_TITLE = "Processed Food Business Meeting in Busan"


@pytest.fixture
def mission(db):
    return make_mission(title=ID_TITLE, title_en=EN_TITLE)


def _get(client, name, *args, language):
    with translation.override(language):
        url = reverse(name, args=args)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_display_title_follows_the_active_language(mission):
    with translation.override("en"):
        assert mission.display_title == EN_TITLE
    with translation.override("id"):
        assert mission.display_title == ID_TITLE
    mission.title_en = ""
    with translation.override("en"):
        assert mission.display_title == ID_TITLE


@pytest.mark.parametrize(
    ("language", "shown", "hidden"), [("en", EN_TITLE, ID_TITLE), ("id", ID_TITLE, EN_TITLE)]
)
def test_public_mission_page_and_list_show_the_title_in_the_page_language(
    client, mission, language, shown, hidden
):
    for body in (
        _get(client, "missions:detail", mission.slug, language=language),
        _get(client, "missions:list", language=language),
    ):
        assert shown in body
        assert hidden not in body


def test_english_page_falls_back_to_the_indonesian_title(client):
    bare = make_mission(title="Misi Dagang Tanpa Judul Inggris", title_en="")
    body = _get(client, "missions:detail", bare.slug, language="en")
    assert "Misi Dagang Tanpa Judul Inggris" in body


def test_buyer_e_catalogue_shows_the_english_title(client, mission):
    make_participation(mission, BusinessFactory(name="Rotan Jaya A"))
    invitation = MissionBuyer.objects.create(mission=mission, buyer=make_buyer("Busan Foods Co"))
    body = client.get(invitation.get_absolute_url()).content.decode()
    assert 'lang="en"' in body
    assert EN_TITLE in body
    assert ID_TITLE not in body


def test_buyer_e_catalogue_without_english_title_shows_the_indonesian_one(client):
    bare = make_mission(title="Misi Dagang Tanpa Judul Inggris", title_en="")
    invitation = MissionBuyer.objects.create(mission=bare, buyer=make_buyer())
    body = client.get(invitation.get_absolute_url()).content.decode()
    assert "Misi Dagang Tanpa Judul Inggris" in body


def test_buyer_invitation_e_mail_carries_the_english_title(mission):
    invitation = MissionBuyer.objects.create(mission=mission, buyer=make_buyer("Busan Foods Co"))
    mail.outbox.clear()
    assert services.send_invitation(invitation)
    (message,) = mail.outbox
    assert EN_TITLE in message.subject and EN_TITLE in message.body
    assert ID_TITLE not in message.subject and ID_TITLE not in message.body


@pytest.mark.parametrize(
    ("language", "shown", "hidden"), [("en", EN_TITLE, ID_TITLE), ("id", ID_TITLE, EN_TITLE)]
)
def test_decision_e_mail_to_the_owner_uses_their_language(owner, mission, language, shown, hidden):
    owner.language = language
    owner.save()
    participation = make_participation(
        mission, BusinessFactory(owner=owner), status=Participation.Status.ACCEPTED
    )
    mail.outbox.clear()
    services.notify_decision(participation)
    (message,) = mail.outbox
    assert shown in message.subject and shown in message.body
    assert hidden not in message.subject and hidden not in message.body


def test_english_e_mail_falls_back_to_the_indonesian_title(owner):
    owner.language = "en"
    owner.save()
    bare = make_mission(title="Misi Dagang Tanpa Judul Inggris", title_en="")
    participation = make_participation(
        bare, BusinessFactory(owner=owner), status=Participation.Status.ACCEPTED
    )
    mail.outbox.clear()
    services.notify_decision(participation)
    (message,) = mail.outbox
    assert "Misi Dagang Tanpa Judul Inggris" in message.subject
