"""Machine-readable views of events: iCalendar (RFC 5545), Google Calendar links, JSON-LD.

The `icalendar` package folds lines at 75 octets, ends them with CRLF and escapes
text; we never write iCalendar by hand.
"""

from datetime import UTC, date, timedelta
from functools import lru_cache
from urllib.parse import urlencode

import icalendar
from django.conf import settings
from django.templatetags.static import static
from django.utils import timezone
from django.utils.translation import gettext as _

from gerai.models import WIB, Event, SpacePhoto
from gerai.signals import VENUE_AREA
from tangerang_ikm.cache import cached

PRODID = "-//Disperindag Kabupaten Tangerang//Gerai Tangerang Gemilang//ID"
UID_DOMAIN = "gerai.ikm.tangerangkab.go.id"

ICS_STATUS = {
    Event.Status.PUBLISHED: "CONFIRMED",
    Event.Status.POSTPONED: "TENTATIVE",
    Event.Status.CANCELLED: "CANCELLED",
}
# What the event's offer (free entry or a ticket) is while the event stands, is put off,
# or is called off: a cancelled or ended event offers nothing any more.
SCHEMA_AVAILABILITY = {
    Event.Status.PUBLISHED: "https://schema.org/InStock",
    Event.Status.POSTPONED: "https://schema.org/OutOfStock",
    Event.Status.CANCELLED: "https://schema.org/Discontinued",
}
# The picture of an event that has no poster and whose spaces have no photo.
FALLBACK_IMAGE = "img/gerai-tangerang-gemilang.jpg"
SCHEMA_STATUS = {
    Event.Status.PUBLISHED: "https://schema.org/EventScheduled",
    Event.Status.POSTPONED: "https://schema.org/EventPostponed",
    Event.Status.CANCELLED: "https://schema.org/EventCancelled",
}


def event_uid(event):
    """Stable for the life of the event: its UUID, never its slug or times."""
    return f"{event.uid}@{UID_DOMAIN}"


def absolute(request, path):
    return request.build_absolute_uri(path) if request else settings.SITE_URL + path


def webcal_url(request, path):
    url = absolute(request, path)
    return "webcal://" + url.split("://", 1)[1]


def location_text(event, spaces=None):
    """Where: the spaces used (`spaces`, else event.spaces.all()) and the venue's address."""
    spaces = ", ".join(s.display_name for s in (event.spaces.all() if spaces is None else spaces))
    place = "Gerai Tangerang Gemilang, Jl. Raya Serang Km 18,5, Talaga, Cikupa, Kabupaten Tangerang"
    return f"{spaces} — {place}" if spaces else place


@lru_cache(maxsize=1)
def _vtimezone():
    # Asia/Jakarta has had no offset change since 1964; a range around now is plenty.
    return icalendar.Timezone.from_tzinfo(
        WIB, tzid="Asia/Jakarta", first_date=date(1970, 1, 1), last_date=date(2100, 1, 1)
    )


def build_calendar(events, *, request, name):
    """An iCalendar document (bytes) for these events, cancelled ones included."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Asia/Jakarta")
    cal.add_component(_vtimezone())
    for event in events:
        cal.add_component(vevent(event, request=request))
    return cal.to_ical()


def vevent(event, *, request):
    item = icalendar.Event()
    item.add("uid", event_uid(event))
    item.add("dtstamp", event.updated_at.astimezone(UTC))
    item.add("created", event.created_at.astimezone(UTC))
    item.add("last-modified", event.updated_at.astimezone(UTC))
    item.add("sequence", event.sequence)
    item.add("dtstart", event.start.astimezone(WIB))
    item.add("dtend", event.end.astimezone(WIB))
    title = event.display_title
    if event.is_cancelled:
        title = _("DIBATALKAN: %(title)s") % {"title": title}
    elif event.is_postponed:
        title = _("DITUNDA: %(title)s") % {"title": title}
    item.add("summary", title)
    description = event.display_description
    if event.status_reason and (event.is_cancelled or event.is_postponed):
        description = f"{event.get_status_display()}: {event.status_reason}\n\n{description}"
    url = absolute(request, event.get_absolute_url())
    item.add("description", f"{description}\n\n{url}".strip())
    item.add("location", location_text(event))
    item.add("url", url)
    item.add("status", ICS_STATUS.get(event.status, "TENTATIVE"))
    item.add("categories", [event.get_kind_display()])
    item.add("transp", "OPAQUE")
    return item


def google_calendar_url(event, *, request, spaces=None):
    fmt = "%Y%m%dT%H%M%SZ"
    start = event.start.astimezone(UTC).strftime(fmt)
    end = event.end.astimezone(UTC).strftime(fmt)
    params = {
        "action": "TEMPLATE",
        "text": event.display_title,
        "dates": f"{start}/{end}",
        "details": absolute(request, event.get_absolute_url()),
        "location": location_text(event, spaces),
        "ctz": "Asia/Jakarta",
    }
    return "https://calendar.google.com/calendar/render?" + urlencode(params)


def whatsapp_share_url(event, *, request):
    url = absolute(request, event.get_absolute_url())
    text = f"{event.display_title} — {event.when_text()}\n{url}"
    return "https://wa.me/?" + urlencode({"text": text})


def event_image(event, spaces=None):
    """The event's picture for search engines: its poster, else a photo of a space it
    uses (else of any space of the venue), else the venue's picture. No query when there
    is a poster; otherwise the spaces' photos come from venue_photos(), kept per data
    version of the venue, so at most one query. `spaces` are the event's (else
    `event.spaces`, which should then be prefetched)."""
    if event.poster:
        return event.poster.url
    photos = venue_photos()
    used = {space.pk for space in (event.spaces.all() if spaces is None else spaces)}
    its_own = next((url for space_pk, url in photos if space_pk in used), None)
    if its_own:
        return its_own
    return photos[0][1] if photos else static(FALLBACK_IMAGE)


def venue_photos():
    """[(space pk, URL of its first photo)] of the active spaces that have photos, in the
    venue's order (space position, then the photo's position): one query per data version
    of the venue (gerai.signals bumps it on every write to spaces and their photos)."""

    def first_of_each_space():
        photos = (
            SpacePhoto.objects.filter(space__is_active=True)
            .order_by("space__position", "position", "pk")
            .only("space_id", "image")
        )
        firsts = {}
        for photo in photos:
            if photo.image and photo.space_id not in firsts:
                firsts[photo.space_id] = photo.image.url
        return list(firsts.items())

    return cached(VENUE_AREA, "space-photos", first_of_each_space, per_language=False)


def event_availability(event, now=None):
    if event.status == Event.Status.PUBLISHED and event.end < (now or timezone.now()):
        return "https://schema.org/Discontinued"
    return SCHEMA_AVAILABILITY.get(event.status, "https://schema.org/OutOfStock")


def event_json_ld(event, *, request, venue=None, image=None):
    """schema.org Event as a dict (written out by tangerang_ikm.jsonld.script).

    `image` is event_image(event), worked out by the caller (it may cost a query).
    """
    url = absolute(request, event.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.display_title,
        "description": event.display_description,
        "startDate": event.start.astimezone(WIB).isoformat(),
        "endDate": event.end.astimezone(WIB).isoformat(),
        "eventStatus": SCHEMA_STATUS.get(event.status, "https://schema.org/EventScheduled"),
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "url": url,
        "location": {
            "@type": "Place",
            "name": "Gerai Tangerang Gemilang",
            "address": {
                "@type": "PostalAddress",
                "streetAddress": venue.address if venue else "Jl. Raya Serang Km 18,5",
                "addressLocality": "Cikupa",
                "addressRegion": "Banten",
                "postalCode": (venue.postal_code if venue else "") or "15710",
                "addressCountry": "ID",
            },
        },
        "organizer": {"@type": "Organization", "name": event.organiser},
        "isAccessibleForFree": event.is_free,
        "offers": {
            "@type": "Offer",
            "price": "0" if event.is_free else str(event.ticket_price or 0),
            "priceCurrency": "IDR",
            "availability": event_availability(event),
            "url": url,
        },
    }
    if image:
        data["image"] = [absolute(request, image)]
    return data


FEED_DAYS_BACK = 90
FEED_DAYS_AHEAD = 400


def feed_window(now=None):
    """(from, until): feeds carry the last 90 days and the coming 13 months.

    A subscribed calendar fetches the feed every few hours; a venue with thousands of
    events would otherwise send years of them (a megabyte) every time.
    """
    now = now or timezone.now()
    return now - timedelta(days=FEED_DAYS_BACK), now + timedelta(days=FEED_DAYS_AHEAD)
