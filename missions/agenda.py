"""An owner's meeting agenda for one mission as iCalendar (RFC 5545), through `icalendar`."""

import datetime

import icalendar
from django.conf import settings
from django.utils.translation import gettext as _

PRODID = "-//Disperindag Kabupaten Tangerang//Misi Dagang//ID"
UID_DOMAIN = "misi.ikm.tangerangkab.go.id"


def meeting_uid(meeting):
    """Stable for the life of the meeting: its primary key, never its time or table."""
    return f"meeting-{meeting.pk}@{UID_DOMAIN}"


def agenda_calendar(participation, meetings, *, stamp):
    """The participation's meetings as an iCalendar document (bytes), in UTC."""
    mission = participation.mission
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add(
        "x-wr-calname",
        _("Agenda %(business)s: %(mission)s")
        % {"business": participation.business.name, "mission": mission.display_title},
    )
    for meeting in meetings:
        item = icalendar.Event()
        item.add("uid", meeting_uid(meeting))
        item.add("dtstamp", stamp.astimezone(datetime.UTC))
        item.add("dtstart", meeting.start.astimezone(datetime.UTC))
        item.add("dtend", meeting.end.astimezone(datetime.UTC))
        item.add(
            "summary",
            _("Pertemuan bisnis: %(buyer)s") % {"buyer": meeting.buyer.company},
        )
        place = ", ".join(p for p in (mission.venue, mission.city) if p)
        if meeting.table:
            place = _("Meja %(table)s, %(place)s") % {"table": meeting.table, "place": place}
        item.add("location", place)
        lines = [mission.display_title, f"{meeting.buyer.company} ({meeting.buyer.country.name})"]
        if meeting.outcome:
            lines.append(_("Hasil: %(outcome)s") % {"outcome": meeting.get_outcome_display()})
        lines.append(settings.SITE_URL + mission.get_absolute_url())
        item.add("description", "\n".join(lines))
        item.add("status", "CONFIRMED")
        item.add("transp", "OPAQUE")
        cal.add_component(item)
    return cal.to_ical()
