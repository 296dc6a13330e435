"""The staff's daily digest: what waits for each person, by what their roles allow.

Each app lists its waiting work in a `digest` module (this one, missions/digest.py,
gerai/digest.py) with functions registered by `@section`. `manage.py send_digests`
(run daily from cron) queues `send_digests`, and the task worker builds and sends one
e-mail per staff member with the sections their permissions cover and that are not
empty, in their language. Nothing is built inside a web request.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.tasks import task
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from ikm_registry.models import Business, ContactLog, ErasureRequest
from tangerang_ikm.mail import send_templated_mail

SECTIONS = []
ITEMS_SHOWN = 10


@dataclass
class Section:
    title: str
    permission: str  # "app.codename": who gets this section
    count: int
    items: list = field(default_factory=list)  # lines: a name and what about it
    path: str = ""  # the admin list that shows them all

    @property
    def url(self):
        return settings.SITE_URL + self.path if self.path else ""


def section(func):
    """Register `func(now) -> Section | None` as a part of the digest."""
    SECTIONS.append(func)
    return func


def build(now=None):
    """Every non-empty section, in registration order (this app's first)."""
    autodiscover_modules("digest")
    now = now or timezone.now()
    return [s for s in (func(now) for func in SECTIONS) if s is not None and s.count]


def for_user(user, sections):
    return [s for s in sections if user.has_perm(s.permission)]


def staff_recipients():
    return (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True)
        .exclude(email="")
        .prefetch_related("groups__permissions", "user_permissions")
        .order_by("pk")
    )


@task()
def send_digests():
    """Build the sections once and e-mail each staff member their part (worker only)."""
    now = timezone.now()
    sections = build(now)
    sent = 0
    for user in staff_recipients():
        mine = for_user(user, sections)
        if not mine:
            continue
        send_templated_mail(
            to=[user.email],
            template="emails/digest",
            context={"user": user, "sections": mine, "today": timezone.localdate(now)},
            language=user.language,
            action_url=settings.SITE_URL + reverse("admin:index"),
        )
        sent += 1
    return {"sent": sent, "sections": [str(s.title) for s in sections]}


# --- The registry's own waiting work -------------------------------------------------


def admin_list_path(model, **query):
    path = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    if query:
        path += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return path


@section
def businesses_to_verify(now):
    waiting = Business.objects.filter(status=Business.Status.SUBMITTED, archived_at__isnull=True)
    changed = Business.objects.filter(
        status=Business.Status.VERIFIED, changed_since_verification=True, archived_at__isnull=True
    )
    rows = list(waiting.order_by("submitted_at").values_list("name", "submitted_at")[:ITEMS_SHOWN])
    items = [f"{name} ({timezone.localtime(at):%d/%m/%Y})" for name, at in rows]
    n_changed = changed.count()
    if n_changed:
        # Lazy: rendered in each recipient's language.
        items.append(
            format_lazy("{}: {}", _("Usaha terverifikasi berubah sejak diverifikasi"), n_changed)
        )
    return Section(
        title=_("Usaha menunggu verifikasi"),
        permission="ikm_registry.verify_business",
        count=waiting.count() + n_changed,
        items=items,
        path=admin_list_path(Business, status__exact="submitted"),
    )


@section
def erasure_requests(now):
    pending = ErasureRequest.objects.pending()
    rows = pending.order_by("requested_at").values_list("pk", "requested_at")[:ITEMS_SHOWN]
    return Section(
        title=_("Permintaan penghapusan data menunggu keputusan"),
        permission="ikm_registry.change_erasurerequest",
        count=pending.count(),
        items=[f"#{pk} ({timezone.localtime(at):%d/%m/%Y})" for pk, at in rows],
        path=admin_list_path(ErasureRequest, status__exact="pending"),
    )


@section
def contact_follow_ups(now):
    due = ContactLog.objects.follow_ups_due(timezone.localdate(now)).select_related(
        "business", "staff"
    )
    rows = list(due.order_by("follow_up_on")[:ITEMS_SHOWN])
    return Section(
        title=_("Tindak lanjut pembinaan jatuh tempo"),
        permission="ikm_registry.change_contactlog",
        count=due.count(),
        items=[
            f"{c.follow_up_on:%d/%m/%Y} {c.business.name}: {c.subject}"
            + (f" ({c.staff})" if c.staff_id else "")
            for c in rows
        ],
        path=admin_list_path(ContactLog, follow_up_done__exact="0"),
    )
