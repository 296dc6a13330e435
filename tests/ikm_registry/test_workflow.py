import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from ikm_registry import services
from ikm_registry.models import Business, Commodity
from tests.factories import BusinessFactory, ProductFactory

pytestmark = pytest.mark.django_db

Status = Business.Status


@pytest.fixture
def draft(owner):
    business = BusinessFactory(owner=owner, status=Status.DRAFT, phone="+6281234567890")
    business.commodities.add(Commodity.objects.get(slug="kerajinan-rotan"))
    ProductFactory(business=business)
    return business


def test_owner_submits_from_the_page_and_the_office_is_told(client, owner, draft):
    client.force_login(owner)
    response = client.post(reverse("ikm_registry:business_submit", args=[draft.pk]), follow=True)
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED
    assert draft.submitted_at is not None
    assert "Data usaha diajukan" in response.content.decode()
    to_office, receipt = mail.outbox[-2:]
    assert to_office.to == [settings.OFFICE_EMAIL]
    assert draft.nib in to_office.body
    # The owner's receipt, linking to the business page.
    assert receipt.to == [owner.email] and "sudah kami terima" in receipt.subject
    assert f"/ikm/usaha/{draft.pk}/" in receipt.body


def test_incomplete_business_cannot_be_submitted(client, owner):
    business = BusinessFactory(owner=owner, status=Status.DRAFT)
    client.force_login(owner)
    response = client.post(reverse("ikm_registry:business_submit", args=[business.pk]), follow=True)
    business.refresh_from_db()
    assert business.status == Status.DRAFT
    assert "Tambahkan sedikitnya satu produk" in response.content.decode()
    assert mail.outbox == []


def test_verify_emails_the_owner_in_their_language(owner, draft, coordinator):
    owner.language = "en"
    owner.save()
    services.submit(business=draft, by=owner)
    mail.outbox.clear()
    services.verify(business=draft, by=coordinator)
    draft.refresh_from_db()
    assert draft.status == Status.VERIFIED
    assert draft in Business.objects.verified()
    assert draft.verified_snapshot["name"] == draft.name
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [owner.email]
    assert "verified" in message.subject.lower()


def test_return_with_notes_then_edit_and_submit_again(client, owner, draft, coordinator):
    services.submit(business=draft, by=owner)
    mail.outbox.clear()
    services.return_with_notes(business=draft, by=coordinator, notes="Isi NPWP usaha.")
    draft.refresh_from_db()
    assert draft.status == Status.RETURNED
    assert draft not in Business.objects.verified()
    assert "Isi NPWP usaha." in mail.outbox[0].body
    assert "perlu diperbaiki" in mail.outbox[0].subject
    client.force_login(owner)
    page = client.get(reverse("ikm_registry:dashboard")).content.decode()
    assert "Isi NPWP usaha." in page
    services.submit(business=draft, by=owner)
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED


def test_return_needs_notes(owner, draft, coordinator):
    services.submit(business=draft, by=owner)
    with pytest.raises(ValidationError):
        services.return_with_notes(business=draft, by=coordinator, notes="  ")


@pytest.mark.parametrize(
    ("status", "action"),
    [
        (Status.DRAFT, "verify"),
        (Status.RETURNED, "verify"),
        (Status.SUBMITTED, "submit"),
        (Status.VERIFIED, "submit"),
        (Status.DRAFT, "return"),
    ],
)
def test_disallowed_transitions_are_refused(owner, coordinator, status, action):
    business = BusinessFactory(owner=owner, status=status)
    call = {
        "verify": lambda: services.verify(business=business, by=coordinator),
        "submit": lambda: services.submit(business=business, by=owner),
        "return": lambda: services.return_with_notes(business=business, by=coordinator, notes="x"),
    }[action]
    with pytest.raises(services.TransitionError):
        call()
    business.refresh_from_db()
    assert business.status == status


def test_history_records_each_step(owner, draft, coordinator):
    services.submit(business=draft, by=owner)
    services.verify(business=draft, by=coordinator)
    statuses = list(draft.history.order_by("history_date").values_list("status", flat=True))
    assert statuses[-2:] == [Status.SUBMITTED, Status.VERIFIED]


def test_transfer_ownership_emails_the_new_owner(owner, other_owner, draft, admin_staff):
    services.transfer_ownership(business=draft, new_owner=other_owner, by=admin_staff)
    draft.refresh_from_db()
    assert draft.owner == other_owner
    assert mail.outbox[-1].to == [other_owner.email]


def test_owner_adding_a_photo_to_a_verified_business_flags_it_once(client, owner, coordinator):
    from tests.ikm_registry.helpers import image_bytes, upload

    business = BusinessFactory(owner=owner, status=Status.SUBMITTED)
    product = ProductFactory(business=business)
    services.verify(business=business, by=coordinator)
    mail.outbox.clear()
    client.force_login(owner)
    url = reverse("ikm_registry:photo_add", args=[product.pk])
    client.post(url, {"image": upload(image_bytes())})
    client.post(url, {"image": upload(image_bytes())})
    business.refresh_from_db()
    assert business.changed_since_verification
    assert business.status == Status.VERIFIED
    assert len(mail.outbox) == 1
    assert "lihat riwayat produk" in mail.outbox[0].body
    assert business in Business.objects.awaiting_review()
