"""Erasure of an owner's personal data (UU 27/2022 Pasal 8), decided by staff.

An owner's deletion request (services.request_deletion) becomes an ErasureRequest in the
admin's queue. Approving it (`approve`) anonymises, in one transaction:

- the owner's account (e-mail, names, password; the account is deactivated);
- each business: names, NIB, NIK, NPWP, address, phone, e-mail, web links, descriptions,
  notes and logo. What the program reports stays: the kecamatan, the commodities, the
  size figures, the export records, and every deal's amount, so the business appears as
  "IKM (dihapus)" and the program's totals do not change;
- its products' names and texts; its photos, logo and certificate scans are deleted
  from storage (through the storage API, so the filesystem and S3 alike);
- buyers' inquiries to it (messages addressed to the person) are deleted;
- the same fields in every history table (simple-history), the admin's change log,
  login-attempt logs of the address, and finished background-task rows that carry it;
- the other apps' rows about the business: each app may have an `erasure` module whose
  functions are registered with `@eraser` (gerai/erasure.py, missions/erasure.py).

Files are deleted after the transaction commits: a rolled-back erasure keeps them.
Refusing (`refuse`) records the reason and tells the owner. docs/privacy.md explains it
for people.
"""

from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _

from ikm_registry import facts, search
from ikm_registry.models import (
    Business,
    Certificate,
    ContactLog,
    ErasureRequest,
    Inquiry,
    Product,
    ProductPhoto,
    SearchTerm,
)
from tangerang_ikm.cache import bump
from tangerang_ikm.mail import send_templated_mail

ERASED_BUSINESS = "IKM (dihapus)"
ERASED_PRODUCT = "Produk (dihapus)"
ERASED_TEXT = "(dihapus)"

# Functions of other apps: f(*, businesses, user, values) -> list of FieldFile-like
# (storage, name) pairs to delete after the commit. `values` is the set of the person's
# old values, for logs that can only be found by what they contain.
ERASERS = []


def eraser(func):
    """Register an app's eraser (see the module docstring)."""
    ERASERS.append(func)
    return func


def _discover():
    autodiscover_modules("erasure")


def erased_email(user_pk):
    return f"dihapus-{user_pk}@invalid.invalid"


# --- Helpers every eraser may use ------------------------------------------------


def scrub_history(model, pks, values):
    """Set `values` (field → value) on every history row of `model`'s objects `pks`."""
    history = model.history.model
    names = {f.name for f in history._meta.fields}
    kept = {k: v for k, v in values.items() if k in names}
    if pks and kept:
        history.objects.filter(**{f"{model._meta.pk.attname}__in": list(pks)}).update(**kept)


def drop_history(model, pks):
    if pks:
        model.history.model.objects.filter(**{f"{model._meta.pk.attname}__in": list(pks)}).delete()


def file_names(model, pks, fields):
    """(storage, name) of every file that `model`'s objects `pks` hold or ever held."""
    found = set()
    if not pks:
        return found
    for field_name in fields:
        field = model._meta.get_field(field_name)
        for source in (model.objects, model.history.model.objects):
            rows = source.filter(**{f"{model._meta.pk.attname}__in": list(pks)})
            for name in rows.exclude(**{field_name: ""}).values_list(field_name, flat=True):
                if name:
                    found.add((field.storage, name))
    return found


def scrub_admin_log(model, pks, text=ERASED_TEXT):
    """The admin's change log names objects by their str(): rename those rows."""
    content_type = ContentType.objects.get_for_model(model)
    LogEntry.objects.filter(
        content_type=content_type, object_id__in=[str(pk) for pk in pks]
    ).update(object_repr=text)


def text_fields(model):
    return [
        f.name
        for f in model._meta.get_fields()
        if isinstance(f, (models.CharField, models.TextField)) and f.concrete
    ]


# --- The registry's own rows -------------------------------------------------------


def _business_values(business):
    """The anonymised values of a business (its pk keeps NIB and slug unique)."""
    return {
        "name": ERASED_BUSINESS,
        "slug": f"ikm-dihapus-{business.pk}",
        "nib": f"D{business.pk:012d}"[-13:],
        "npwp15": "",
        "npwp16": "",
        "owner_name": ERASED_TEXT,
        "address": ERASED_TEXT,
        "phone": "",
        "whatsapp_public": False,
        "email": "",
        "website": "",
        "marketplace_links": "",
        "description": "",
        "description_en": "",
        "logo": "",
        "staff_notes": "",
    }


def _user_values(user):
    values = {user.email, user.full_name, user.first_name, user.last_name}
    return {v for v in values if v and len(v) >= 5}


def _personal_values(business):
    """Every old value of the person, to find them in logs that only hold text."""
    values = {
        business.name,
        business.nib,
        business.owner_name,
        business.nik,
        business.npwp15,
        business.npwp16,
        business.address,
        business.phone,
        business.email,
        business.website,
    }
    return {v for v in values if v and len(v) >= 5}


def _erase_business(business, user, values):
    files = set()
    business_pk = [business.pk]
    old_texts = [business.search_text]

    products = list(Product.objects.filter(business=business))
    product_pks = [p.pk for p in products]
    old_texts += [p.search_text for p in products]
    photo_pks = list(
        ProductPhoto.objects.filter(product__in=product_pks).values_list("pk", flat=True)
    )
    # Photos that were deleted earlier still have history rows (and maybe files).
    photo_pks += list(
        ProductPhoto.history.filter(product_id__in=product_pks).values_list("id", flat=True)
    )
    files |= file_names(ProductPhoto, set(photo_pks), ["image", "medium", "thumbnail"])
    ProductPhoto.objects.filter(pk__in=photo_pks).delete()
    drop_history(ProductPhoto, set(photo_pks))
    for product in products:
        product_values = {
            "name": ERASED_PRODUCT,
            "name_en": "",
            "slug": f"produk-dihapus-{product.pk}",
            "description": "",
            "description_en": "",
            "is_active": False,
        }
        Product.objects.filter(pk=product.pk).update(**product_values, search_text="")
        scrub_history(Product, [product.pk], product_values)
    scrub_admin_log(Product, product_pks, ERASED_PRODUCT)

    certificate_pks = list(
        Certificate.objects.filter(business=business).values_list("pk", flat=True)
    )
    certificate_pks += list(
        Certificate.history.filter(business_id=business.pk).values_list("id", flat=True)
    )
    files |= file_names(Certificate, set(certificate_pks), ["document"])
    certificate_values = {"number": ERASED_TEXT, "issuer": "", "document": ""}
    Certificate.objects.filter(pk__in=certificate_pks).update(**certificate_values)
    scrub_history(Certificate, set(certificate_pks), certificate_values)
    scrub_admin_log(Certificate, certificate_pks)

    inquiry_pks = list(Inquiry.history.filter(business_id=business.pk).values_list("id", flat=True))
    Inquiry.objects.filter(business=business).delete()
    drop_history(Inquiry, set(inquiry_pks))

    contact_pks = list(ContactLog.objects.filter(business=business).values_list("pk", flat=True))
    contact_values = {"subject": ERASED_TEXT, "notes": ""}
    ContactLog.objects.filter(pk__in=contact_pks).update(**contact_values)
    scrub_history(ContactLog, contact_pks, contact_values)

    files |= file_names(Business, business_pk, ["logo"])
    business_values = _business_values(business)
    Business.objects.filter(pk=business.pk).update(
        **business_values,
        nik="",
        owner=None,
        verified_snapshot={},
        changed_since_verification=False,
        archived_at=business.archived_at or timezone.now(),
        deletion_requested_at=None,
    )
    scrub_history(Business, business_pk, {**business_values, "owner": None})
    Business.history.filter(id=business.pk).update(history_change_reason=None)
    scrub_admin_log(Business, business_pk, ERASED_BUSINESS)
    search.refresh_businesses(Business.objects.filter(pk=business.pk))
    search.refresh_products(Product.objects.filter(business=business))
    # The stored copy of the certificates (facts.py) held the numbers scrubbed above.
    facts.store(Business.objects.filter(pk=business.pk))
    _forget_words(old_texts)
    return files


def _forget_words(old_texts):
    """Drop the erased texts' words from the search vocabulary unless another text has them."""
    words = set().union(*(search.vocabulary_words(t or "") for t in old_texts))
    for word in words:
        if not (
            Business.objects.filter(search_text__icontains=word).exists()
            or Product.objects.filter(search_text__icontains=word).exists()
        ):
            SearchTerm.objects.filter(word=word).delete()


def _erase_user(user):
    User = get_user_model()
    user_values = {
        "email": erased_email(user.pk),
        "full_name": "",
        "first_name": "",
        "last_name": "",
        "is_active": False,
        "whatsapp_link": False,
    }
    user.set_unusable_password()
    User.objects.filter(pk=user.pk).update(**user_values, password=user.password)
    scrub_history(User, [user.pk], user_values)
    scrub_admin_log(User, [user.pk])
    # Sessions hold only the user's id, but an erased person should be signed out.
    from django.contrib.sessions.models import Session

    for session in Session.objects.iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()


def _forget_logs(values):
    """Third-party logs that hold the person's address or name as text."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django_tasks_db.models import DBTaskResult

    for value in values:
        for model in (AccessAttempt, AccessLog, AccessFailureLog):
            model.objects.filter(username__iexact=value).delete()
        # E-mail tasks keep their arguments (address, rendered text), queued or done; a
        # notice not yet sent to an erased person has no one left to reach.
        DBTaskResult.objects.filter(args_kwargs__icontains=value).exclude(status="RUNNING").delete()


def _delete_files(files):
    for storage, name in files:
        if storage.exists(name):
            storage.delete(name)


# --- The queue -------------------------------------------------------------------


@transaction.atomic
def approve(*, erasure, by):
    """Erase the person (and the business, or every business, named by the request)."""
    _discover()
    erasure = ErasureRequest.objects.select_for_update().get(pk=erasure.pk)
    if erasure.status != ErasureRequest.Status.PENDING:
        raise ValidationError(_("Permintaan ini sudah diputuskan."))
    user = erasure.user
    if erasure.business_id is not None:
        businesses = list(Business.objects.filter(pk=erasure.business_id))
    else:
        businesses = list(Business.objects.filter(owner=user)) if user else []
    # The last business of the owner erased: the account goes too.
    erase_account = user is not None and (
        erasure.business_id is None
        or not Business.objects.filter(owner=user).exclude(pk=erasure.business_id).exists()
    )
    # The last message to the person goes to the address they asked from.
    farewell = ([user.email], user.language) if erase_account and user.email else (None, None)
    values = set().union(*(_personal_values(b) for b in businesses))
    if erase_account:
        values |= _user_values(user)
    files = set()
    for func in ERASERS:
        files |= set(
            func(businesses=businesses, user=user if erase_account else None, values=values)
        )
    for business in businesses:
        files |= _erase_business(business, user, values)
    if erase_account:
        _erase_user(user)
    _forget_logs(values)
    erasure.status = ErasureRequest.Status.APPROVED
    erasure.decided_at = timezone.now()
    erasure.decided_by = by
    erasure.save()
    # Other pending requests of the same person are answered by this one.
    if erase_account:
        ErasureRequest.objects.filter(user=user, status=ErasureRequest.Status.PENDING).update(
            status=ErasureRequest.Status.APPROVED, decided_at=erasure.decided_at, decided_by=by
        )
    bump("reports")  # reports name businesses: drop the cached copies
    transaction.on_commit(lambda: _delete_files(files))
    if farewell[0]:
        transaction.on_commit(
            lambda: send_templated_mail(
                to=farewell[0],
                template="ikm_registry/email/erasure_done",
                context={"erasure": erasure},
                language=farewell[1],
            )
        )
    return erasure


@transaction.atomic
def refuse(*, erasure, by, reason):
    """Keep the data, record why, and tell the owner (in their language)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Tulis alasan penolakan: pemilik akan menerimanya."))
    erasure = ErasureRequest.objects.select_for_update().get(pk=erasure.pk)
    if erasure.status != ErasureRequest.Status.PENDING:
        raise ValidationError(_("Permintaan ini sudah diputuskan."))
    erasure.status = ErasureRequest.Status.REFUSED
    erasure.reason = reason
    erasure.decided_at = timezone.now()
    erasure.decided_by = by
    erasure.save()
    answered = Business.objects.filter(owner=erasure.user)
    if erasure.business_id:
        answered = answered.filter(pk=erasure.business_id)
    answered.update(deletion_requested_at=None)
    user = erasure.user
    if user is not None and user.email:
        transaction.on_commit(
            lambda: send_templated_mail(
                to=[user.email],
                template="ikm_registry/email/erasure_refused",
                context={"user": user, "erasure": erasure, "reason": reason},
                language=user.language,
                whatsapp=user.whatsapp_link,
            )
        )
    return erasure
