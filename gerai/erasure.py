"""What erasing an owner (ikm_registry.erasure) does to gerai's rows: the applicant's
notes on booth applications (and their history) are cleared; the application itself,
its event and booth stay for the venue's records."""

from gerai.models import BoothApplication
from ikm_registry.erasure import eraser, scrub_history


@eraser
def erase_booth_applications(*, businesses, user, values):
    pks = list(
        BoothApplication.objects.filter(business__in=businesses).values_list("pk", flat=True)
    )
    values = {"note": "", "staff_note": ""}
    BoothApplication.objects.filter(pk__in=pks).update(**values)
    scrub_history(BoothApplication, pks, values)
    return set()
