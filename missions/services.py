"""Writes that touch several rows: applying, accepting, scheduling, recording deals.

Each runs in `transaction.atomic`, and whatever a quota or a schedule protects is
checked under a lock on the mission row (`select_for_update`), so two staff acting
at the same moment are serialised by the database.
"""

import calendar
import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import time_format
from django.utils.translation import gettext as _

from ikm_registry.notifications import owner_recipient, tell_owner
from missions.models import (
    Buyer,
    Deal,
    DigestSent,
    FollowUp,
    Meeting,
    MeetingRequest,
    MissionBuyer,
    Participation,
    PartyAnswer,
    PartyConfirmation,
    Rating,
    TradeMission,
)
from tangerang_ikm.mail import send_templated_mail

# Status → the owner's notice (docs/notifications.md). Attendance (attended, no-show) is
# recorded after the mission and shown on the owner's page, without an e-mail.
NOTIFIED = {
    Participation.Status.SHORTLISTED: "missions/email/decision",
    Participation.Status.ACCEPTED: "missions/email/decision",
    Participation.Status.REJECTED: "missions/email/decision",
    Participation.Status.WITHDRAWN: "missions/email/withdrawn",
}


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
        transaction.on_commit(lambda: tell_participant(participation, "missions/email/received"))
    return participation


def withdraw(*, participation):
    """The owner withdraws their application (staff use set_participation_status)."""
    return set_participation_status(
        participation=participation, status=Participation.Status.WITHDRAWN, by_owner=True
    )


def set_participation_status(*, participation, status, now=None, by_owner=False):
    """The one way a participation changes status. Accepting respects the quota."""
    result = set_participations_status(
        mission=participation.mission,
        participations=[participation],
        status=status,
        now=now,
        by_owner=by_owner,
    )
    if result.refused:
        raise ValidationError(result.refused[0][1])
    participation.refresh_from_db()
    return participation


class BulkResult:
    def __init__(self):
        self.changed = []
        self.refused = []  # (participation, reason)


def set_participations_status(*, mission, participations, status, now=None, by_owner=False):
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
                transaction.on_commit(
                    lambda row=row: tell_participant(row, NOTIFIED[row.status], by_owner=by_owner)
                )
    return result


def notify_decision(participation):
    """Tell the owner, in their language, that their application was decided."""
    return tell_participant(participation, NOTIFIED[participation.status])


def tell_participant(participation, template, **context):
    """Tell the applying business's owner (their account, else the business's address),
    in their language, with a link to their missions page in that language."""
    business = participation.business
    _to, language, _wa = owner_recipient(business)
    with translation.override(language):
        status = str(participation.get_status_display())
    return tell_owner(
        business,
        template,
        context={
            "user": business.owner,
            "participation": participation,
            "mission": participation.mission,
            "status": status,
            **context,
        },
        path_for=lambda: reverse("missions:my"),
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


# --- Invited buyers and meeting requests ------------------------------------


def invite_buyers(*, mission, buyers):
    """Invite buyers to a mission (once each); returns the new invitations."""
    created = []
    with transaction.atomic():
        for buyer in buyers:
            row, new = MissionBuyer.objects.get_or_create(mission=mission, buyer=buyer)
            if new:
                created.append(row)
    return created


def send_invitation(invitation, now=None):
    """E-mail the buyer their personal link (in English: the e-catalogue's language)."""
    buyer = invitation.buyer
    if not buyer.email:
        return False
    with translation.override("en"):
        link = reverse("missions:buyer_link", args=[invitation.token])
    send_templated_mail(
        to=[buyer.email],
        template="missions/email/buyer_invitation",
        context={
            "invitation": invitation,
            "buyer": buyer,
            "mission": invitation.mission,
            "link": link,
            "expires": timezone.localtime(invitation.expires_at),
        },
        language="en",
    )
    invitation.link_sent_at = now or timezone.now()
    invitation.save(update_fields=["link_sent_at"])
    return True


def request_meetings(*, invitation, participations, free_slots, message="", now=None):
    """A buyer asks to meet IKM of the mission, within the mission's limit.

    Raises ValidationError naming the problem; the owners are told by e-mail.
    """
    now = now or timezone.now()
    with transaction.atomic():
        mission = lock_mission(invitation.mission_id)
        if not invitation.is_usable(now):
            raise ValidationError(_("Tautan ini tidak berlaku lagi."))
        if mission.results_published:
            raise ValidationError(_("Misi ini sudah selesai: pertemuan tidak dapat diminta lagi."))
        if not participations:
            raise ValidationError(_("Pilih sedikitnya satu IKM."))
        valid_slots = dict(mission.free_slot_choices())
        if not free_slots or any(key not in valid_slots for key in free_slots):
            raise ValidationError(_("Pilih sedikitnya satu waktu luang pada hari misi."))
        existing = set(invitation.requests.values_list("participation_id", flat=True))
        for participation in participations:
            if (
                participation.mission_id != mission.pk
                or participation.status not in Participation.PLACE_HOLDING
            ):
                raise ValidationError(_("IKM itu bukan peserta misi ini."))
            if participation.pk in existing:
                raise ValidationError(
                    _("Anda sudah meminta bertemu %(business)s.")
                    % {"business": participation.business.name}
                )
        counted = invitation.requests.counting().count()
        if counted + len(participations) > mission.meeting_request_limit:
            raise ValidationError(
                _(
                    "Anda dapat meminta bertemu paling banyak %(limit)d IKM; "
                    "sisa permintaan Anda: %(left)d."
                )
                % {
                    "limit": mission.meeting_request_limit,
                    "left": max(mission.meeting_request_limit - counted, 0),
                }
            )
        invitation.free_slots = [key for key, _label in valid_slots.items() if key in free_slots]
        invitation.save(update_fields=["free_slots"])
        rows = MeetingRequest.objects.bulk_create(
            [
                MeetingRequest(
                    invitation=invitation, participation=p, message=message, created_at=now
                )
                for p in participations
            ]
        )
        for row in rows:
            transaction.on_commit(lambda row=row: notify_meeting_request(row))
    return rows


def notify_meeting_request(row):
    """Tell the IKM owner a buyer asked to meet them, with a link to their agenda."""
    row = MeetingRequest.objects.select_related(
        "participation__business__owner", "participation__mission", "invitation__buyer"
    ).get(pk=row.pk)
    participation = row.participation
    return tell_owner(
        participation.business,
        "missions/email/meeting_request",
        context={
            "user": participation.business.owner,
            "mission": participation.mission,
            "buyer": row.invitation.buyer,
            "request": row,
        },
        path_for=lambda: reverse("missions:agenda", args=[participation.pk]),
    )


def answer_meeting_request(*, meeting_request, owner, accept, comment="", now=None):
    """The IKM owner accepts or declines; a placed meeting can no longer be declined."""
    now = now or timezone.now()
    with transaction.atomic():
        row = MeetingRequest.objects.select_for_update().get(pk=meeting_request.pk)
        if row.meeting_id and not accept:
            raise ValidationError(
                _("Pertemuan ini sudah dijadwalkan petugas: hubungi panitia untuk membatalkannya.")
            )
        row.status = MeetingRequest.Status.ACCEPTED if accept else MeetingRequest.Status.DECLINED
        row.owner_comment = comment
        row.answered_at = now
        row.answered_by = owner
        row.save(update_fields=["status", "owner_comment", "answered_at", "answered_by"])
    return row


def place_meeting_request(*, meeting_request, start, end, table):
    """Staff place an accepted request in the grid: a Meeting row, clashes refused."""
    with transaction.atomic():
        row = MeetingRequest.objects.select_for_update().get(pk=meeting_request.pk)
        if row.status != MeetingRequest.Status.ACCEPTED:
            raise ValidationError(_("Hanya permintaan yang diterima IKM yang dapat dijadwalkan."))
        if row.meeting_id:
            raise ValidationError(_("Permintaan ini sudah dijadwalkan."))
        participation = Participation.objects.select_related("business").get(
            pk=row.participation_id
        )
        invitation = MissionBuyer.objects.select_related("buyer", "mission").get(
            pk=row.invitation_id
        )
        try:
            with transaction.atomic():
                meeting = schedule_meeting(
                    mission=invitation.mission,
                    participation=participation,
                    buyer=invitation.buyer,
                    start=start,
                    end=end,
                    table=table,
                    notes=row.message,
                )
        except IntegrityError as exc:
            # PostgreSQL's exclusion constraints catch what a concurrent write slipped past.
            raise ValidationError(
                _(
                    "Jadwal bentrok dengan pertemuan lain (IKM, pembeli, atau meja): "
                    "pilih waktu lain."
                )
            ) from exc
        row.meeting = meeting
        row.save(update_fields=["meeting"])
        transaction.on_commit(lambda: notify_meeting_placed(row.pk))
    return meeting


def notify_meeting_placed(request_pk):
    """Tell both sides when and where they meet: the owner in their language, with their
    agenda; the buyer in English, in the destination's time, with their personal link."""
    row = MeetingRequest.objects.select_related(
        "meeting__mission",
        "participation__business__owner",
        "invitation__buyer",
        "invitation__mission",
    ).get(pk=request_pk)
    meeting, participation, invitation = row.meeting, row.participation, row.invitation
    mission = meeting.mission
    tell_owner(
        participation.business,
        "missions/email/meeting_placed",
        context={
            "user": participation.business.owner,
            "mission": mission,
            "meeting": meeting,
            "buyer": invitation.buyer,
            "side": "ikm",
        },
        path_for=lambda: reverse("missions:agenda", args=[participation.pk]),
    )
    if invitation.buyer.email and invitation.is_usable():
        with translation.override("en"):
            link = reverse("missions:buyer_link", args=[invitation.token])
        send_templated_mail(
            to=[invitation.buyer.email],
            template="missions/email/meeting_placed",
            context={
                "mission": mission,
                "meeting": meeting,
                "buyer": invitation.buyer,
                "business": participation.business,
                "side": "buyer",
                "link": link,
            },
            language="en",
        )


def rate_meeting(*, meeting, side, rating, next_step="", now=None):
    """One side says whether the meeting was useful and what follows (after it took place)."""
    now = now or timezone.now()
    rating = Rating(rating)
    if side not in ("buyer", "ikm"):
        raise ValueError(side)
    if not meeting.rateable(now):
        raise ValidationError(_("Pertemuan dapat dinilai setelah berlangsung."))
    setattr(meeting, f"{side}_rating", rating)
    setattr(meeting, f"{side}_next_step", next_step)
    setattr(meeting, f"{side}_rated_at", now)
    meeting.save(update_fields=[f"{side}_rating", f"{side}_next_step", f"{side}_rated_at"])
    return meeting


# --- Deals ------------------------------------------------------------------


def record_deal(*, recorded_by, confirmed, **fields):
    """Create a deal; staff record it confirmed, owners as reported for staff to confirm.

    Then both parties are asked to confirm it (ask_parties); a deal its owner records
    counts as confirmed by the IKM.
    """
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
        _mark_owner_reported(deal, recorded_by)
        deal.save()
        ask_parties(deal=deal)
    return deal


def _mark_owner_reported(deal, user):
    if user is not None and deal.business.owner_id == getattr(user, "pk", None):
        deal.ikm_answer = PartyAnswer.CONFIRMED
        deal.ikm_answered_at = timezone.now()


def report_deal_by_owner(*, deal, owner):
    """An owner reports a deal (validated form instance): staff confirm it later."""
    with transaction.atomic():
        deal.status = Deal.Status.REPORTED
        deal.reported_by = owner
        _mark_owner_reported(deal, owner)
        deal.save()
        ask_parties(deal=deal)
    return deal


def deal_saved_by_staff(*, deal, created, changed_fields=()):
    """After the admin saved a deal: ask the parties about a new deal or changed facts."""
    if created:
        ask_parties(deal=deal)
    elif set(changed_fields) & set(Deal.FACTS):
        ask_parties(deal=deal, facts_changed=True)


# --- Both parties confirm ----------------------------------------------------


def link_days():
    return getattr(settings, "DEAL_LINK_DAYS", 30)


def owner_contact(business):
    owner = business.owner
    if owner is None or not owner.email:
        return None, None
    return owner.email, getattr(owner, "language", None) or "id"


def ask_parties(*, deal, facts_changed=False, now=None):
    """E-mail each party that has not confirmed the deal a signed, single-use link.

    The buyer is asked when an e-mail is known; the IKM owner unless the IKM already
    confirmed (a deal the owner reported). When the deal's facts changed, earlier
    answers were about other facts: they are cleared and both are asked again. Earlier
    links still open are replaced. Returns the PartyConfirmation rows created.
    """
    now = now or timezone.now()
    created = []
    with transaction.atomic():
        # of=self: PostgreSQL refuses FOR UPDATE on the nullable side of the buyer join.
        deal = (
            Deal.objects.select_for_update(of=("self",))
            .select_related("buyer", "business__owner")
            .get(pk=deal.pk)
        )
        if facts_changed:
            deal.buyer_answer = deal.ikm_answer = ""
            deal.buyer_answered_at = deal.ikm_answered_at = None
            deal.buyer_comment = deal.ikm_comment = ""
            deal.save(
                update_fields=[
                    "buyer_answer",
                    "buyer_answered_at",
                    "buyer_comment",
                    "ikm_answer",
                    "ikm_answered_at",
                    "ikm_comment",
                ]
            )
        owner_email, owner_language = owner_contact(deal.business)
        wanted = []
        if deal.buyer_email and deal.buyer_answer != PartyAnswer.CONFIRMED:
            buyer_side = PartyConfirmation.Side.BUYER
            wanted.append((buyer_side, deal.buyer_email, deal.buyer.email_language))
        if owner_email and deal.ikm_answer != PartyAnswer.CONFIRMED:
            wanted.append((PartyConfirmation.Side.IKM, owner_email, owner_language))
        for side, email, language in wanted:
            PartyConfirmation.objects.filter(
                deal=deal, side=side, answered_at__isnull=True, superseded_at__isnull=True
            ).update(superseded_at=now)
            row = PartyConfirmation.objects.create(
                deal=deal,
                side=side,
                email=email,
                language=language,
                sent_at=now,
                expires_at=now + datetime.timedelta(days=link_days()),
            )
            created.append(row)
            transaction.on_commit(lambda row=row: _send_party_request(row))
    return created


def _send_party_request(row):
    deal = row.deal
    send_templated_mail(
        to=[row.email],
        template="missions/email/party_confirm",
        context={
            "deal": deal,
            "side": row.side,
            "mission": deal.mission,
            "link": reverse("missions:party_confirm", args=[row.token]),
            "expires": timezone.localtime(row.expires_at),
        },
        language=row.language,
    )


def answer_party(*, confirmation, answer, comment="", now=None):
    """Record a party's answer from its link; a disputed deal goes to the coordinators."""
    now = now or timezone.now()
    answer = PartyAnswer(answer)
    with transaction.atomic():
        row = PartyConfirmation.objects.select_for_update().get(pk=confirmation.pk)
        if not row.is_usable(now):
            raise ValidationError(_("Tautan ini tidak berlaku lagi."))
        row.answer, row.comment, row.answered_at = answer, comment, now
        row.save(update_fields=["answer", "comment", "answered_at"])
        deal = Deal.objects.select_for_update().get(pk=row.deal_id)
        prefix = "buyer" if row.side == PartyConfirmation.Side.BUYER else "ikm"
        setattr(deal, f"{prefix}_answer", answer)
        setattr(deal, f"{prefix}_answered_at", now)
        setattr(deal, f"{prefix}_comment", comment)
        deal.save(update_fields=[f"{prefix}_answer", f"{prefix}_answered_at", f"{prefix}_comment"])
        if answer == PartyAnswer.DISPUTED:
            transaction.on_commit(lambda: notify_dispute(row))
    return row


def notify_dispute(row):
    deal = Deal.objects.select_related("mission", "business", "buyer").get(pk=row.deal_id)
    to = deal.mission.coordinator_emails()
    if not to:
        return
    send_templated_mail(
        to=to,
        template="missions/email/deal_disputed",
        context={
            "deal": deal,
            "row": row,
            "side": row.get_side_display(),
            "link": reverse("admin:missions_deal_change", args=[deal.pk]),
        },
        language=settings.LANGUAGE_CODE,
    )


def resend_party_requests(*, deals):
    """Staff send fresh links to every party that has not confirmed; returns how many."""
    n = 0
    for deal in deals:
        n += len(ask_parties(deal=deal))
    return n


# --- Follow-ups of potential deals ------------------------------------------


def add_months(day, months):
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def realised_against(deal):
    """Rupiah value of the confirmed and reported realisations of a potential deal."""
    total = deal.realisations.aggregate(s=Sum("value_idr"))["s"]
    return total or Decimal(0)


def due_follow_ups(*, today=None):
    """[(potential deal, months, due date)] to ask about now: the latest stage due.

    A potential deal is asked about 3, 6 and 12 months after its mission ends, unless its
    owner said it will not happen, it is realised in full, or the owner has no e-mail.
    A stage already asked (or a later one) is never asked again, so hourly runs are safe.
    """
    today = today or timezone.localdate()
    earliest_end = add_months(today, -FollowUp.MONTHS[0])
    deals = (
        Deal.objects.filter(kind=Deal.Kind.POTENTIAL, mission__end_date__lte=earliest_end)
        .exclude(follow_ups__answer=FollowUp.Answer.WILL_NOT_HAPPEN)
        .exclude(business__owner__isnull=True)
        .exclude(business__owner__email="")
        .select_related("mission", "business__owner")
        # Reported realisations count too (the stored realised_idr holds confirmed ones
        # only): an owner who reported the whole sale is not asked again.
        .annotate(reported_idr=Sum("realisations__value_idr"))
        .order_by("pk")
    )
    asked = {}
    for deal_id, months in FollowUp.objects.filter(deal__in=deals).values_list("deal_id", "months"):
        asked[deal_id] = max(asked.get(deal_id, 0), months)
    due = []
    for deal in deals:
        if deal.reported_idr is not None and deal.reported_idr >= deal.value_idr:
            continue
        stages = [m for m in FollowUp.MONTHS if add_months(deal.mission.end_date, m) <= today]
        latest = max(stages)
        if asked.get(deal.pk, 0) >= latest:
            continue
        due.append((deal, latest, add_months(deal.mission.end_date, latest)))
    return due


def send_follow_ups(*, today=None, now=None):
    """Create and e-mail every follow-up due; returns the FollowUp rows sent."""
    now = now or timezone.now()
    sent = []
    for deal, months, due_date in due_follow_ups(today=today):
        email, language = owner_contact(deal.business)
        try:
            with transaction.atomic():
                FollowUp.objects.filter(
                    deal=deal, answered_at__isnull=True, superseded_at__isnull=True
                ).update(superseded_at=now)
                row = FollowUp.objects.create(
                    deal=deal,
                    months=months,
                    due_date=due_date,
                    email=email,
                    sent_at=now,
                    expires_at=now + datetime.timedelta(days=link_days()),
                )
                transaction.on_commit(lambda row=row, lang=language: _send_follow_up(row, lang))
        except IntegrityError:
            continue  # another run sent this stage a moment ago
        sent.append(row)
    return sent


def _send_follow_up(row, language):
    deal = row.deal
    send_templated_mail(
        to=[row.email],
        template="missions/email/follow_up",
        context={
            "deal": deal,
            "mission": deal.mission,
            "months": row.months,
            "link": reverse("missions:follow_up", args=[row.token]),
            "expires": timezone.localtime(row.expires_at),
        },
        language=language,
    )


def answer_follow_up(*, follow_up, answer, reason="", realisations=(), now=None):
    """The owner's answer; each realisation becomes a realised deal for staff to confirm."""
    now = now or timezone.now()
    answer = FollowUp.Answer(answer)
    if answer == FollowUp.Answer.REALISED and not realisations:
        raise ValidationError(_("Isi paling sedikit satu realisasi: nilai, mata uang, tanggal."))
    with transaction.atomic():
        row = (
            FollowUp.objects.select_for_update(of=("self",))
            .select_related("deal__business__owner")
            .get(pk=follow_up.pk)
        )
        if not row.is_usable(now):
            raise ValidationError(_("Tautan ini tidak berlaku lagi."))
        potential = row.deal
        created = []
        for item in realisations:
            deal = Deal(
                mission_id=potential.mission_id,
                business_id=potential.business_id,
                buyer_id=potential.buyer_id,
                buyer_name=potential.buyer_name,
                product_id=potential.product_id,
                commodity_id=potential.commodity_id,
                kind=Deal.Kind.REALISED,
                realises=potential,
                amount=item["amount"],
                currency=item["currency"],
                date=item["date"],
                destination_country=potential.destination_country,
                notes=_("Dilaporkan pada tindak lanjut %(months)s bulan.") % {"months": row.months},
                follow_up=row,
                status=Deal.Status.REPORTED,
            )
            deal.full_clean()
            _mark_owner_reported(deal, potential.business.owner)
            deal.save()
            created.append(deal)
        row.answer, row.reason, row.answered_at = answer, reason, now
        row.save(update_fields=["answer", "reason", "answered_at"])
        for deal in created:
            ask_parties(deal=deal, now=now)
    return row, created


def send_digests(*, today=None, now=None, dry_run=False):
    """Once a week, each coordinator gets the follow-up answers and the overdue ones.

    Overdue: asked over 14 days ago and still unanswered. Returns {email: [FollowUp]}.
    """
    now = now or timezone.now()
    today = today or timezone.localdate()
    week = today - datetime.timedelta(days=today.weekday())
    since = now - datetime.timedelta(days=7)
    rows = list(
        FollowUp.objects.filter(answered_at__gte=since).select_related(
            "deal__mission", "deal__business"
        )
    ) + list(
        FollowUp.objects.filter(
            answered_at__isnull=True,
            superseded_at__isnull=True,
            sent_at__lte=now - datetime.timedelta(days=14),
        ).select_related("deal__mission", "deal__business")
    )
    per_email = {}
    missions = {}
    for row in rows:
        missions.setdefault(row.deal.mission_id, row.deal.mission)
    emails_of = {pk: m.coordinator_emails() for pk, m in missions.items()}
    for row in rows:
        for email in emails_of[row.deal.mission_id]:
            per_email.setdefault(email, []).append(row)
    already = set(DigestSent.objects.filter(week=week).values_list("email", flat=True))
    due = {e: r for e, r in per_email.items() if e not in already}
    if dry_run:
        return due
    for email, items in due.items():
        try:
            with transaction.atomic():
                DigestSent.objects.create(week=week, email=email, sent_at=now)
        except IntegrityError:
            continue
        answered = [r for r in items if r.answered_at]
        overdue = [r for r in items if not r.answered_at]
        send_templated_mail(
            to=[email],
            template="missions/email/follow_up_digest",
            context={"answered": answered, "overdue": overdue, "week": week},
            language=settings.LANGUAGE_CODE,
        )
    return due


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
    usd_rate=None,
    rate_date=None,
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
