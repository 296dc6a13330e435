"""What erasing an owner (ikm_registry.erasure) does to the missions' rows.

Deals keep their amounts, currencies, rates, dates, commodity and kecamatan (through the
business, now "IKM (dihapus)"), so every report's totals stay. Gone: the owner's notes
and comments, the signed document, and the owner's address in the confirmation and
follow-up links sent to them. Buyers are other people and keep their data.
"""

from ikm_registry.erasure import eraser, file_names, scrub_history
from missions.models import Deal, FollowUp, Meeting, Participation, PartyConfirmation

ERASED_EMAIL = "dihapus@invalid.invalid"


@eraser
def erase_mission_rows(*, businesses, user, values):
    files = set()
    if not businesses:
        return files
    participation_pks = list(
        Participation.objects.filter(business__in=businesses).values_list("pk", flat=True)
    )
    Participation.objects.filter(pk__in=participation_pks).update(notes="")
    scrub_history(Participation, participation_pks, {"notes": ""})

    meeting_pks = list(Meeting.objects.filter(business__in=businesses).values_list("pk", flat=True))
    Meeting.objects.filter(pk__in=meeting_pks).update(notes="")
    scrub_history(Meeting, meeting_pks, {"notes": ""})

    deal_pks = list(Deal.objects.filter(business__in=businesses).values_list("pk", flat=True))
    deal_pks += list(
        Deal.history.filter(business_id__in=[b.pk for b in businesses]).values_list("id", flat=True)
    )
    deal_pks = set(deal_pks)
    files |= file_names(Deal, deal_pks, ["document"])
    deal_values = {"notes": "", "document": "", "ikm_comment": ""}
    Deal.objects.filter(pk__in=deal_pks).update(**deal_values)
    scrub_history(Deal, deal_pks, deal_values)

    # Links sent to the owner's side carry their address; the buyer's side stays. The
    # links' history is scrubbed the same way.
    owner_links = {"email": ERASED_EMAIL, "comment": ""}
    pks = set(
        PartyConfirmation.history.filter(
            deal_id__in=deal_pks, side=PartyConfirmation.Side.IKM
        ).values_list("id", flat=True)
    )
    for value in values:
        pks |= set(
            PartyConfirmation.history.filter(deal_id__in=deal_pks, email__iexact=value).values_list(
                "id", flat=True
            )
        )
    PartyConfirmation.objects.filter(pk__in=pks).update(**owner_links)
    scrub_history(PartyConfirmation, pks, owner_links)
    follow_up_pks = set()
    for value in values:
        follow_up_pks |= set(
            FollowUp.history.filter(deal_id__in=deal_pks, email__iexact=value).values_list(
                "id", flat=True
            )
        )
    FollowUp.objects.filter(pk__in=follow_up_pks).update(email=ERASED_EMAIL, reason="")
    scrub_history(FollowUp, follow_up_pks, {"email": ERASED_EMAIL, "reason": ""})
    return files
