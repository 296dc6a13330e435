"""Writes that touch several rows: applying, accepting, scheduling, recording deals.

Each runs in `transaction.atomic`, and whatever a quota or a schedule protects is
checked under a lock on the mission row (`select_for_update`), so two staff acting
at the same moment are serialised by the database.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import time_format
from django.utils.translation import gettext as _

from missions.models import Buyer, Deal, Meeting, Participation, TradeMission
from tangerang_ikm.mail import send_templated_mail

NOTIFIED = (
    Participation.Status.SHORTLISTED,
    Participation.Status.ACCEPTED,
    Participation.Status.REJECTED,
)


def lock_mission(mission_or_pk):
    pk = getattr(mission_or_pk, "pk", mission_or_pk)
    return TradeMission.objects.select_for_update().get(pk=pk)


# --- Participation ----------------------------------------------------------


def apply_for_mission(*, mission, business, products=(), notes="", now=None):
    """An owner applies with chosen products; refused outside the registration window."""
    now = now or timezone.now()
    with transaction.atomic():
        mission = lock_mission(mission)
        if not mission.registration_is_open(now):
            if now > mission.registration_closes:
                raise ValidationError(
                    _("Pendaftaran misi ini sudah ditutup pada %(deadline)s.")
                    % {
                        "deadline": timezone.localtime(mission.registration_closes).strftime(
                            "%d/%m/%Y %H.%M"
                        )
                    }
                )
            raise ValidationError(_("Pendaftaran misi ini belum dibuka."))
        if business.status != business.Status.VERIFIED or business.archived_at:
            raise ValidationError(_("Hanya IKM terverifikasi yang dapat mendaftar misi dagang."))
        foreign = [p for p in products if p.business_id != business.pk]
        if foreign:
            raise ValidationError(_("Produk yang dipilih harus milik usaha yang mendaftar."))
        if Participation.objects.filter(mission=mission, business=business).exists():
            raise ValidationError(
                _("%(business)s sudah mendaftar misi ini.") % {"business": business}
            )
        try:
            with transaction.atomic():
                participation = Participation.objects.create(
                    mission=mission, business=business, notes=notes, applied_at=now
                )
        except IntegrityError as exc:
            raise ValidationError(
                _("%(business)s sudah mendaftar misi ini.") % {"business": business}
            ) from exc
        participation.products.set(products)
    return participation


def withdraw(*, participation):
    return set_participation_status(
        participation=participation, status=Participation.Status.WITHDRAWN
    )


def set_participation_status(*, participation, status, now=None):
    """The one way a participation changes status. Accepting respects the quota."""
    result = set_participations_status(
        mission=participation.mission, participations=[participation], status=status, now=now
    )
    if result.refused:
        raise ValidationError(result.refused[0][1])
    participation.refresh_from_db()
    return participation


class BulkResult:
    def __init__(self):
        self.changed = []
        self.refused = []  # (participation, reason)


def set_participations_status(*, mission, participations, status, now=None):
    """Change many participations of one mission; accept only while places remain.

    The mission row is locked first, so the count of places taken cannot change
    under us: two staff accepting at the same moment take turns.
    """
    now = now or timezone.now()
    status = Participation.Status(status)
    result = BulkResult()
    with transaction.atomic():
        mission = lock_mission(mission)
        pks = [p.pk for p in participations]
        rows = (
            Participation.objects.select_for_update()
            .filter(pk__in=pks, mission=mission)
            .select_related("business")
            .order_by("applied_at", "pk")
        )
        taken = mission.participations.holding_a_place().count()
        for row in rows:
            if row.status == status:
                continue
            if not row.can_transition_to(status):
                result.refused.append(
                    (
                        row,
                        _("%(business)s: status tidak dapat diubah dari “%(old)s” ke “%(new)s”.")
                        % {
                            "business": row.business,
                            "old": row.get_status_display(),
                            "new": status.label,
                        },
                    )
                )
                continue
            adds_place = status in Participation.PLACE_HOLDING and (
                row.status not in Participation.PLACE_HOLDING
            )
            if adds_place and taken >= mission.quota:
                result.refused.append(
                    (
                        row,
                        _("%(business)s tidak diterima: kuota %(quota)s IKM sudah penuh.")
                        % {"business": row.business, "quota": mission.quota},
                    )
                )
                continue
            if adds_place:
                taken += 1
            elif row.status in Participation.PLACE_HOLDING and status not in (
                Participation.PLACE_HOLDING
            ):
                taken -= 1
            row.status = status
            if status in (Participation.Status.ACCEPTED, Participation.Status.REJECTED):
                row.decided_at = now
            row.save(update_fields=["status", "decided_at"])
            result.changed.append(row)
            if status in NOTIFIED:
                transaction.on_commit(lambda row=row: notify_decision(row))
    return result


def notify_decision(participation):
    """Tell the owner, in their language, that their application was decided."""
    owner = participation.business.owner
    if owner is None or not owner.email:
        return
    language = getattr(owner, "language", None) or "id"
    with translation.override(language):
        status = str(participation.get_status_display())
    send_templated_mail(
        to=[owner.email],
        template="missions/email/decision",
        context={
            "user": owner,
            "business": participation.business,
            "mission": participation.mission,
            "status": status,
            "link": reverse("missions:my"),
        },
        language=language,
    )


# --- Meetings ---------------------------------------------------------------


def _when(meeting):
    start = timezone.localtime(meeting.start)
    end = timezone.localtime(meeting.end)
    return f"{start:%d/%m/%Y} {time_format(start, 'H.i')}\u2013{time_format(end, 'H.i')}"


def meeting_clashes(*, mission, business, buyer, start, end, table, exclude_pk=None):
    """Messages naming every meeting that overlaps the proposed one."""
    messages = []
    others = Meeting.objects.overlapping(start, end).select_related("business", "buyer")
    if exclude_pk:
        others = others.exclude(pk=exclude_pk)
    for other in others.filter(business=business):
        messages.append(
            _("Bentrok: %(business)s sudah bertemu %(buyer)s pada %(when)s.")
            % {"business": business, "buyer": other.buyer.company, "when": _when(other)}
        )
    for other in others.filter(buyer=buyer):
        messages.append(
            _("Bentrok: %(buyer)s sudah bertemu %(business)s pada %(when)s.")
            % {"buyer": buyer.company, "business": other.business, "when": _when(other)}
        )
    if table:
        for other in others.filter(mission=mission, table=table):
            messages.append(
                _("Bentrok: meja %(table)s sudah dipakai %(business)s dan %(buyer)s pada %(when)s.")
                % {
                    "table": table,
                    "business": other.business,
                    "buyer": other.buyer.company,
                    "when": _when(other),
                }
            )
    return messages


def validate_meeting(*, mission, participation, buyer, start, end, table, exclude_pk=None):
    """Raise ValidationError naming the clash. Call inside a transaction: locks the mission."""
    if end <= start:
        raise ValidationError(_("Waktu selesai harus setelah waktu mulai."))
    if participation.mission_id != mission.pk:
        raise ValidationError(_("Peserta itu bukan peserta misi ini."))
    if participation.status not in Participation.PLACE_HOLDING:
        raise ValidationError(
            _("%(business)s belum diterima sebagai peserta misi ini.")
            % {"business": participation.business}
        )
    lock_mission(mission)
    clashes = meeting_clashes(
        mission=mission,
        business=participation.business,
        buyer=buyer,
        start=start,
        end=end,
        table=table,
        exclude_pk=exclude_pk,
    )
    if clashes:
        raise ValidationError(clashes)


def schedule_meeting(*, mission, participation, buyer, start, end, table="", notes=""):
    with transaction.atomic():
        validate_meeting(
            mission=mission,
            participation=participation,
            buyer=buyer,
            start=start,
            end=end,
            table=table,
        )
        return Meeting.objects.create(
            mission=mission,
            participation=participation,
            business_id=participation.business_id,
            buyer=buyer,
            start=start,
            end=end,
            table=table,
            notes=notes,
        )


# --- Deals ------------------------------------------------------------------


def record_deal(*, recorded_by, confirmed, **fields):
    """Create a deal; staff record it confirmed, owners as reported for staff to confirm."""
    deal = Deal(**fields)
    if deal.product_id and not deal.commodity_id:
        deal.commodity_id = deal.product.category_id
    deal.reported_by = recorded_by
    if confirmed:
        deal.status = Deal.Status.CONFIRMED
        deal.confirmed_by = recorded_by
        deal.confirmed_at = timezone.now()
    with transaction.atomic():
        deal.full_clean()
        deal.save()
    return deal


def confirm_deals(*, deals, by):
    """Staff confirm owner-reported deals; returns how many changed."""
    now = timezone.now()
    count = 0
    with transaction.atomic():
        for deal in deals:
            if deal.status != Deal.Status.CONFIRMED:
                deal.status = Deal.Status.CONFIRMED
                deal.confirmed_by = by
                deal.confirmed_at = now
                deal.save(update_fields=["status", "confirmed_by", "confirmed_at"])
                count += 1
    return count


# --- Inquiries --------------------------------------------------------------


def convert_inquiry(
    *,
    inquiry,
    mission,
    kind,
    commodity,
    amount,
    currency,
    rate_to_idr,
    usd_rate,
    rate_date,
    stage="",
    by,
):
    """Turn a catalog inquiry into a Buyer (reusing a duplicate) and a potential deal."""
    with transaction.atomic():
        buyer = getattr(inquiry, "buyer", None)
        if buyer is None:
            company = inquiry.company or inquiry.name
            buyer = Buyer.objects.possible_duplicates(company, inquiry.country).first()
            if buyer is None:
                buyer = Buyer(
                    company=company,
                    country=inquiry.country,
                    kind=kind,
                    contact_person=inquiry.name,
                    email=inquiry.email,
                    phone=inquiry.phone,
                    notes=inquiry.message[:1000],
                    source_inquiry=inquiry,
                )
                buyer.save()
            if commodity:
                buyer.commodities.add(commodity)
        deal = record_deal(
            recorded_by=by,
            confirmed=True,
            mission=mission,
            business=inquiry.business,
            buyer=buyer,
            product=inquiry.product,
            commodity=commodity,
            kind=Deal.Kind.POTENTIAL,
            stage=stage or Deal.Stage.NEGOTIATION,
            quantity=None,
            unit="",
            amount=amount,
            currency=currency,
            rate_to_idr=rate_to_idr,
            usd_rate=usd_rate,
            rate_date=rate_date,
            destination_country=inquiry.country,
            date=timezone.localdate(),
            notes=_("Dari permintaan pembeli di katalog: %(quantity)s")
            % {"quantity": inquiry.quantity or "-"},
        )
    return buyer, deal
