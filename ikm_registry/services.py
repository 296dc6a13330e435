"""Writes that touch several rows or send mail: the status flow, photos, ownership, privacy.

Status flow (one place checks every transition). Business.save() refuses any other
change of status or archive date; these functions pass `workflow=True`:

    draft ──submit──▶ submitted ──verify──▶ verified
                        │  ▲
            return_with_notes   submit
                        ▼  │
                      returned (owner edits, then submits again)

Rule for a verified business whose owner changes public data: it stays verified and
public (buyers and missions keep working), `changed_since_verification` is set, and staff
see a diff against the snapshot taken at verification (admin "perubahan sejak verifikasi",
plus the full simple-history log). Verifying again takes a new snapshot and clears the flag;
returning it with notes takes it out of the catalog until it is submitted and verified again.
The office's import follows the same rule for the rows that update a verified business
(ikm_registry/resources.py).

archive / unarchive set and clear `archived_at`: an archived business is hidden everywhere
whatever its status.
"""

import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ikm_registry.images import process_photo
from ikm_registry.models import Business, ErasureRequest, NikAccessLog, Product, ProductPhoto
from ikm_registry.notifications import tell_owner
from tangerang_ikm.mail import send_templated_mail

Status = Business.Status

TRANSITIONS = {
    "submit": ({Status.DRAFT, Status.RETURNED}, Status.SUBMITTED),
    "verify": ({Status.SUBMITTED, Status.VERIFIED}, Status.VERIFIED),
    "return": ({Status.SUBMITTED, Status.VERIFIED}, Status.RETURNED),
}


class TransitionError(ValidationError):
    pass


def _check(business, action):
    allowed, target = TRANSITIONS[action]
    if business.status not in allowed:
        raise TransitionError(
            _("Usaha berstatus “%(status)s” tidak dapat di-%(action)s.")
            % {"status": business.get_status_display(), "action": action}
        )
    return target


def possible_steps(business):
    """The steps the status flow allows for `business` now, in the order staff see them.

    Verifying a verified business again makes sense only when it has changes to review.
    """
    steps = [
        action
        for action, (allowed, _target) in TRANSITIONS.items()
        if business.status in allowed
        and not (
            action == "verify"
            and business.status == Status.VERIFIED
            and not business.changed_since_verification
        )
    ]
    steps.append("archive" if business.archived_at is None else "unarchive")
    return steps


def submission_problems(business):
    """What an owner must still fill in before submitting: a list of messages."""
    problems = []
    if not business.products.exists():
        problems.append(_("Tambahkan sedikitnya satu produk."))
    if not business.phone and not business.email:
        problems.append(_("Isi nomor telepon atau e-mail usaha."))
    if not business.commodities.exists():
        problems.append(_("Pilih sedikitnya satu sektor komoditas."))
    return problems


def _mail_owner(business, template, **context):
    """Tell the owner (their account, else the business's address), in their language."""
    pk = business.pk

    def path_for():
        if template == "verified":
            return reverse("ikm_registry:dashboard")
        return reverse("ikm_registry:business_detail", args=[pk])

    # Queued inside the transaction: with the database task backend the row is
    # written (or rolled back) with the change itself.
    tell_owner(business, f"ikm_registry/email/{template}", context=context, path_for=path_for)


@transaction.atomic
def submit(*, business, by):
    business = Business.objects.select_for_update().get(pk=business.pk)
    _check(business, "submit")
    problems = submission_problems(business)
    if problems:
        raise ValidationError(problems)
    business.mark_submitted(at=timezone.now())
    business._change_reason = "submitted"
    business.save(workflow=True)
    send_templated_mail(
        to=[settings.OFFICE_EMAIL],
        template="ikm_registry/email/submitted_staff",
        context={"business": business, "by": by},
    )
    _mail_owner(business, "submitted")
    return business


@transaction.atomic
def verify(*, business, by):
    business = Business.objects.select_for_update().get(pk=business.pk)
    _check(business, "verify")
    business.mark_verified(at=timezone.now())
    business._change_reason = f"verified by {by}"
    business.save(workflow=True)
    _mail_owner(business, "verified")
    return business


@transaction.atomic
def return_with_notes(*, business, by, notes):
    notes = (notes or "").strip()
    if not notes:
        raise ValidationError(_("Tulis catatan untuk pemilik: apa yang harus diperbaiki."))
    business = Business.objects.select_for_update().get(pk=business.pk)
    _check(business, "return")
    business.mark_returned(notes=notes)
    business._change_reason = f"returned by {by}"
    business.save(workflow=True)
    _mail_owner(business, "returned", notes=notes)
    return business


@transaction.atomic
def archive(*, business, by):
    """Hide a business from every page (its records stay); unarchive brings it back."""
    business = Business.objects.select_for_update().get(pk=business.pk)
    if business.archived_at is not None:
        raise TransitionError(_("Usaha ini sudah diarsipkan."))
    business.archived_at = timezone.now()
    business._change_reason = f"archived by {by}"
    business.save(workflow=True)
    return business


@transaction.atomic
def unarchive(*, business, by):
    business = Business.objects.select_for_update().get(pk=business.pk)
    if business.archived_at is None:
        raise TransitionError(_("Usaha ini tidak diarsipkan."))
    business.archived_at = None
    business._change_reason = f"unarchived by {by}"
    business.save(workflow=True)
    return business


def owner_saved(*, business):
    """Called after an owner saves the profile: flag public changes of a verified business."""
    if business.status == Status.VERIFIED and business.changes_since_verification():
        if not business.changed_since_verification:
            Business.objects.filter(pk=business.pk).update(changed_since_verification=True)
            business.changed_since_verification = True
            send_templated_mail(
                to=[settings.OFFICE_EMAIL],
                template="ikm_registry/email/changed_staff",
                context={"business": business, "changes": business.changes_since_verification()},
            )


def owner_changed_products(*, business):
    """Products and photos are public too: flag a verified business for review.

    Staff see what changed in the product's history (admin "Riwayat").
    """
    if business.status == Status.VERIFIED and not business.changed_since_verification:
        Business.objects.filter(pk=business.pk).update(changed_since_verification=True)
        business.changed_since_verification = True
        send_templated_mail(
            to=[settings.OFFICE_EMAIL],
            template="ikm_registry/email/changed_staff",
            context={"business": business, "changes": []},
        )


@transaction.atomic
def transfer_ownership(*, business, new_owner, by):
    previous = business.owner
    business.owner = new_owner
    business._change_reason = f"ownership transferred by {by}"
    business.save()
    _mail_owner(business, "transferred", previous=previous)
    return business


@transaction.atomic
def add_photo(*, product, upload, alt_text=""):
    """Check, re-encode and store one photo; at most Product.MAX_PHOTOS per product."""
    product = Product.objects.select_for_update().get(pk=product.pk)
    count = product.photos.count()
    if count >= Product.MAX_PHOTOS:
        raise ValidationError(
            _("Satu produk paling banyak %(n)d foto.") % {"n": Product.MAX_PHOTOS}
        )
    # An unguessable name: photos of unverified businesses are not listed anywhere.
    processed = process_photo(upload, stem=f"{product.slug[:50]}-{secrets.token_urlsafe(9)}")
    photo = ProductPhoto(product=product, alt_text=alt_text or product.name, position=count)
    photo.store(processed)
    photo.save()
    return photo


def delete_photo(*, photo):
    photo.delete_files()
    photo.delete()


def log_nik_view(*, business, user, context):
    if business.nik:
        NikAccessLog.objects.create(business=business, user=user, context=context)


@transaction.atomic
def request_deletion(*, user, business=None):
    """Record an owner's deletion request (UU 27/2022 Pasal 8) and tell the office.

    The request waits in the admin's queue (ErasureRequest); ikm_registry.erasure
    approves or refuses it."""
    businesses = Business.objects.owned_by(user)
    if business is not None:
        if business.owner_id != user.pk:
            raise PermissionDenied
        businesses = businesses.filter(pk=business.pk)
    now = timezone.now()
    businesses.filter(deletion_requested_at__isnull=True).update(deletion_requested_at=now)
    pending = ErasureRequest.objects.pending().filter(user=user)
    if (
        not pending.filter(business=business).exists()
        and not pending.filter(business__isnull=True).exists()
    ):
        ErasureRequest.objects.create(user=user, business=business, requested_at=now)
    send_templated_mail(
        to=[settings.OFFICE_EMAIL],
        template="ikm_registry/email/deletion_requested",
        context={"user": user, "businesses": list(businesses)},
    )


BUSINESS_EXPORT_FIELDS = [
    "name",
    "legal_form",
    "nib",
    "npwp15",
    "npwp16",
    "owner_name",
    "nik",
    "address",
    "phone",
    "whatsapp_public",
    "email",
    "website",
    "marketplace_links",
    "founded_year",
    "workers_female",
    "workers_male",
    "capital",
    "annual_sales",
    "investment",
    "size_class",
    "size_class_by_capital",
    "size_class_by_sales",
    "ikm_scale",
    "kbli_code",
    "kbli_version",
    "description",
    "description_en",
    "status",
    "staff_notes",
    "created_at",
    "updated_at",
]
PRODUCT_EXPORT_FIELDS = [
    "name",
    "name_en",
    "description",
    "description_en",
    "hs_code",
    "unit",
    "min_order",
    "capacity_per_month",
    "price_min",
    "price_max",
    "fob_price_usd",
    "lead_time_days",
    "samples",
    "incoterms",
    "port_of_loading",
    "payment_terms",
    "export_ready",
    "is_active",
]


def _plain(value):
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, list):  # the Incoterms offered: one cell reads "FOB, CIF"
        return ", ".join(str(item) for item in value)
    return str(value)


def owner_data(user):
    """Everything the portal holds about `user` and their businesses (UU 27/2022 Pasal 7)."""
    businesses = (
        Business.objects.owned_by(user)
        .select_related("desa__kecamatan")
        .prefetch_related("commodities", "products__photos", "certificates", "exports")
        .order_by("pk")
    )
    out = {
        "account": {
            "email": user.email,
            "full_name": user.full_name,
            "language": user.language,
            "date_joined": _plain(user.date_joined),
            "privacy_consent_at": _plain(user.privacy_consent_at),
        },
        "businesses": [],
    }
    for b in businesses:
        row = {f: _plain(getattr(b, f)) for f in BUSINESS_EXPORT_FIELDS}
        row["desa"] = str(b.desa)
        row["commodities"] = [c.name for c in b.commodities.all()]
        row["exports"] = [{"country": e.country.code, "year": e.year} for e in b.exports.all()]
        row["products"] = [
            {
                **{f: _plain(getattr(p, f)) for f in PRODUCT_EXPORT_FIELDS},
                "photos": [ph.image.name for ph in p.photos.all()],
            }
            for p in b.products.all()
        ]
        row["certificates"] = [
            {
                "kind": c.kind,
                "number": c.number,
                "issuer": c.issuer,
                "valid_until": _plain(c.valid_until),
                "document": bool(c.document),
            }
            for c in b.certificates.all()
        ]
        out["businesses"].append(row)
    return out


def owner_data_xlsx(user):
    """The same data as owner_data, one sheet per kind, as XLSX bytes."""
    import io

    from openpyxl import Workbook

    from tangerang_ikm.spreadsheets import safe_row

    data = owner_data(user)
    book = Workbook()
    sheet = book.active
    sheet.title = "akun"
    for key, value in data["account"].items():
        sheet.append(safe_row([key, value]))
    sheets = {
        "usaha": ["business", *BUSINESS_EXPORT_FIELDS, "desa", "commodities"],
        "produk": ["business", *PRODUCT_EXPORT_FIELDS],
        "sertifikat": ["business", "kind", "number", "issuer", "valid_until"],
        "ekspor": ["business", "country", "year"],
    }
    for title, header in sheets.items():
        ws = book.create_sheet(title)
        ws.append(header)
    for b in data["businesses"]:
        # Every cell from user text stays text, never a formula (OWASP CSV injection).
        book["usaha"].append(
            safe_row(
                [b["nib"]]
                + [b[f] for f in BUSINESS_EXPORT_FIELDS]
                + [b["desa"], ", ".join(b["commodities"])]
            )
        )
        for p in b["products"]:
            book["produk"].append(safe_row([b["nib"]] + [p[f] for f in PRODUCT_EXPORT_FIELDS]))
        for c in b["certificates"]:
            book["sertifikat"].append(
                safe_row([b["nib"], c["kind"], c["number"], c["issuer"], c["valid_until"]])
            )
        for e in b["exports"]:
            book["ekspor"].append(safe_row([b["nib"], e["country"], e["year"]]))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
