"""Formatting the portal's money, phones, dates and times (in WIB), the Indonesian way;
pictures with their fallback."""

import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django import template
from django.urls import translate_url
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


def _group(digits: str, sep: str) -> str:
    out = []
    while len(digits) > 3:
        out.insert(0, digits[-3:])
        digits = digits[:-3]
    out.insert(0, digits)
    return sep.join(out)


def format_number(value, decimals=0, *, indonesian=True) -> str:
    """1500000 → '1.500.000'; with decimals=2 → '1.500.000,00' (Indonesian separators)."""
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return ""
    quant = Decimal(1).scaleb(-decimals)
    amount = amount.quantize(quant, rounding=ROUND_HALF_UP)
    sign = "-" if amount < 0 else ""
    whole, _, frac = f"{abs(amount):f}".partition(".")
    thousands, point = (".", ",") if indonesian else (",", ".")
    text = _group(whole, thousands)
    if decimals:
        text += point + frac
    return sign + text


@register.filter
def rupiah(value, decimals=0):
    """Rp1.500.000 (PUEBI: no space after Rp). Empty for None."""
    if value is None or value == "":
        return ""
    text = format_number(value, int(decimals))
    if text.startswith("-"):
        return "-Rp" + text[1:]
    return "Rp" + text


@register.filter
def money(value, currency="IDR"):
    """An amount in its own currency: Rp for rupiah, the ISO code otherwise."""
    if value is None or value == "":
        return ""
    if currency == "IDR":
        return rupiah(value)
    indonesian = (translation.get_language() or "id").startswith("id")
    symbol = "US$" if currency == "USD" else f"{currency} "
    return symbol + format_number(value, 2, indonesian=indonesian)


@register.filter
def number(value, decimals=0):
    """A plain number with Indonesian thousands separators."""
    return format_number(value, int(decimals)) if value is not None else ""


@register.filter
def phone_local(e164):
    """+6281234567890 → 0812-3456-7890; landlines +62215550123 → (021) 5550123."""
    if not e164:
        return ""
    if not e164.startswith("+62"):
        return e164
    national = "0" + e164[3:]
    if national.startswith("08"):
        parts = [national[:4], national[4:8], national[8:]]
        return "-".join(p for p in parts if p)
    if national.startswith("021"):
        return f"(021) {national[3:]}"
    return national


@register.filter
def wa_link(e164):
    """https://wa.me/6281234567890 for an E.164 number."""
    return f"https://wa.me/{e164.lstrip('+')}" if e164 else ""


@register.simple_tag(takes_context=True)
def this_page_in(context, language):
    """This page's path (with its query) in another language: / and /en/ prefixes swapped."""
    request = context.get("request")
    if request is None:
        return "/" if language == "id" else f"/{language}/"
    return translate_url(request.get_full_path(), language)


# --- Times: always in Jakarta time, always saying so ------------------------

JAKARTA = ZoneInfo("Asia/Jakarta")


def _aware(value):
    if not isinstance(value, datetime.datetime):
        return None
    return value if timezone.is_aware(value) else timezone.make_aware(value, JAKARTA)


@register.filter
def wib(value, fmt="j F Y H.i"):
    """A moment in Jakarta time, labelled: '5 Maret 2026 14.30 WIB'.

    Converts explicitly (not through the active time zone), so a deadline reads the
    same on every page and in every e-mail. `fmt` is a `date` filter format.
    """
    moment = _aware(value)
    if moment is None:
        return ""
    return f"{date_format(moment.astimezone(JAKARTA), fmt)} WIB"


@register.filter
def local_time(value, zone):
    """The same moment where a mission takes place: '16.30 (Asia/Seoul)'.

    Empty for Jakarta time or an unknown zone, so `{{ t|wib }} {{ t|local_time:zone }}`
    shows the local time only for missions abroad.
    """
    moment = _aware(value)
    if moment is None or not zone or zone == "Asia/Jakarta":
        return ""
    try:
        there = moment.astimezone(ZoneInfo(zone))
    except (ZoneInfoNotFoundError, ValueError):
        return ""
    day = "" if there.date() == moment.astimezone(JAKARTA).date() else "j F "
    return _("(%(time)s waktu setempat, %(zone)s)") % {
        "time": date_format(there, f"{day}H.i"),
        "zone": zone,
    }


_IMG = '<img src="{}" alt="{}" width="{}" height="{}" decoding="async">'
_IMG_LAZY = '<img src="{}" alt="{}" width="{}" height="{}" loading="lazy" decoding="async">'
_PICTURE = '<picture><source srcset="{}" type="image/avif">{}</picture>'


def picture_html(src, fallback, alt, width, height, *, lazy=True):
    """An <img> with width and height; in a <picture> with a JPEG fallback when `src` is
    AVIF (the stored thumbnail and medium sizes) and `fallback` is given (the stored
    display-size JPEG), for browsers that cannot show AVIF (Android before 12).

    Written in Python rather than as an include: cards call it 24 times a page.
    """
    tag = _IMG_LAZY if lazy else _IMG
    if src and fallback and src.endswith(".avif"):
        return format_html(_PICTURE, src, format_html(tag, fallback, alt, width, height))
    return format_html(tag, src or fallback, alt, width, height)


@register.simple_tag
def picture(src, fallback, alt, width, height, lazy=True):
    """`{% picture photo.medium.url photo.image.url alt 800 800 lazy=False %}`: see
    picture_html. `src` or `fallback` may be empty (a photo stored before a size existed)."""
    return picture_html(src, fallback, alt, width, height, lazy=lazy)


@register.simple_tag(takes_context=True)
def site_json_ld(context):
    """The home page's schema.org WebSite (with the catalog search) and its publisher."""
    from django.urls import reverse

    from tangerang_ikm import jsonld

    absolute = context["request"].build_absolute_uri
    home = absolute(reverse("home"))
    return jsonld.script(
        {
            "@context": "https://schema.org",
            "@type": "WebSite",
            "name": "Portal IKM Kabupaten Tangerang",
            "url": home,
            "inLanguage": translation.get_language() or "id",
            "publisher": {
                "@type": "GovernmentOrganization",
                "name": "Dinas Perindustrian dan Perdagangan Kabupaten Tangerang",
                "alternateName": "Disperindag Kabupaten Tangerang",
                "address": {
                    "@type": "PostalAddress",
                    "addressLocality": "Tigaraksa, Kabupaten Tangerang",
                    "addressRegion": "Banten",
                    "addressCountry": "ID",
                },
            },
            "potentialAction": {
                "@type": "SearchAction",
                "target": absolute(reverse("ikm_registry:catalog")) + "?q={search_term_string}",
                "query-input": "required name=search_term_string",
            },
        }
    )
