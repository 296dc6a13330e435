"""What every endpoint of the public API (/api/v1/) shares.

The API is read-only, anonymous and the same for everybody, so:
- no authentication at all (no session, no CSRF), and every answer may be kept by any
  cache for a minute; ConditionalGetMiddleware gives each an ETag and answers 304;
- CORS is open to every origin, for GET and HEAD only (`PublicAPIMixin`);
- each address may make API_RATE_LIMIT requests a minute, counted in the shared cache
  by tangerang_ikm.ratelimit (all app servers alike), then 429 with Retry-After;
- texts come in Indonesian or English: `?lang=en`, else Accept-Language (LocaleMiddleware);
- lists page by opaque, signed cursors (`SignedCursorPagination`).

The apps' endpoints live in <app>/api.py and are routed in tangerang_ikm/api_urls.py.
"""

import math
import time
from base64 import b64decode, b64encode
from urllib import parse

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import APIException, NotFound, ValidationError
from rest_framework.pagination import Cursor, CursorPagination
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle
from rest_framework.utils.urls import remove_query_param, replace_query_param

from tangerang_ikm.ratelimit import client_ip, hit

CACHE_SECONDS = 60
RATE_WINDOW = 60

LANG_PARAMETER = OpenApiParameter(
    "lang",
    str,
    enum=["id", "en"],
    description="Bahasa teks / language of texts (default: Accept-Language, else id).",
)


def localized(obj, field):
    """`obj.<field>_en` under English when it is filled in, else the Indonesian text."""
    if (translation.get_language() or "id").startswith("en"):
        english = getattr(obj, f"{field}_en", "")
        if english:
            return english
    return getattr(obj, field, "") or ""


def activate_language(request):
    """`?lang=id|en`, else the best of Accept-Language, else Indonesian.

    Never the language cookie: answers say `Vary: Accept-Language`, not `Cookie`, so a
    shared cache may keep them. LocaleMiddleware alone would give every path outside
    the /en/ prefix the default language (i18n_patterns, prefix_default_language=False).
    """
    lang = request.GET.get("lang")
    if lang not in dict(settings.LANGUAGES):
        lang = accepted_language(request.META.get("HTTP_ACCEPT_LANGUAGE", ""))
    translation.activate(lang)
    request.LANGUAGE_CODE = lang
    return lang


def accepted_language(header):
    """The supported language the Accept-Language header prefers most (RFC 9110 12.5.4)."""
    choices = []
    for position, part in enumerate(header.split(",")[:20]):
        tag, _sep, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        if tag and tag != "*" and quality > 0:
            choices.append((-quality, position, tag.strip()))
    for _quality, _position, tag in sorted(choices):
        try:
            return translation.get_supported_language_variant(tag)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


# --- Throttling -----------------------------------------------------------------


class AddressRateThrottle(BaseThrottle):
    """API_RATE_LIMIT requests per minute per client address, across all app servers."""

    def allow_request(self, request, view):
        count = hit("api", client_ip(request), window=RATE_WINDOW)
        return count <= settings.API_RATE_LIMIT

    def wait(self):
        """Seconds until the current fixed window ends (at least 1)."""
        return max(1, math.ceil(RATE_WINDOW - time.time() % RATE_WINDOW))


# --- Pagination -----------------------------------------------------------------


class InvalidCursor(APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "invalid_cursor"

    def __init__(self):
        super().__init__({"cursor": [_("Kursor halaman tidak sah atau sudah kedaluwarsa.")]})


class SignedCursorPagination(CursorPagination):
    """DRF's cursor pagination, its cursors signed so none can be forged.

    An unsigned cursor carries a position that goes into a filter as it is: a forged
    one (a word where a date belongs) would be a server error. A list of search
    matches (`search.InOrder`, ranked once per request) is paged by position in it.
    The view gives the ordering: `view.cursor_ordering`.
    """

    page_size = 24  # as the catalog pages
    page_size_query_param = "page_size"
    max_page_size = 100
    signer = signing.Signer(salt="tangerang_ikm.api.cursor")

    def get_ordering(self, request, queryset, view):
        return view.cursor_ordering()

    def encode_cursor(self, cursor):
        tokens = {}
        if cursor.offset:
            tokens["o"] = str(cursor.offset)
        if cursor.reverse:
            tokens["r"] = "1"
        if cursor.position is not None:
            tokens["p"] = cursor.position
        encoded = b64encode(parse.urlencode(tokens, doseq=True).encode()).decode("ascii")
        return replace_query_param(
            self.base_url, self.cursor_query_param, self.signer.sign(encoded)
        )

    def decode_cursor(self, request):
        value = request.query_params.get(self.cursor_query_param)
        if value is None:
            return None
        try:
            tokens = parse.parse_qs(
                b64decode(self.signer.unsign(value).encode("ascii")).decode(),
                keep_blank_values=True,
            )
            offset = int(tokens.get("o", ["0"])[0])
            reverse = bool(int(tokens.get("r", ["0"])[0]))
            position = tokens.get("p", [None])[0]
        except (signing.BadSignature, TypeError, ValueError, UnicodeError):
            raise InvalidCursor() from None
        if offset < 0:
            raise InvalidCursor()
        return Cursor(offset=offset, reverse=reverse, position=position)

    def paginate_queryset(self, queryset, request, view=None):
        if not hasattr(queryset, "order_by"):  # search matches: a ranked sequence
            return self._paginate_sequence(queryset, request)
        self._sequence = False
        return super().paginate_queryset(queryset, request, view)

    def _paginate_sequence(self, sequence, request):
        self._sequence = True
        self.base_url = request.build_absolute_uri()
        self.page_size = self.get_page_size(request)
        cursor = self.decode_cursor(request)
        start = cursor.offset if cursor else 0
        page = list(sequence[start : start + self.page_size])
        self._next_offset = (
            start + self.page_size if start + self.page_size < len(sequence) else None
        )
        self._previous_offset = max(0, start - self.page_size) if start > 0 else None
        return page

    def _sequence_link(self, offset):
        if offset is None:
            return None
        if offset == 0:
            return remove_query_param(self.base_url, self.cursor_query_param)
        return self.encode_cursor(Cursor(offset=offset, reverse=False, position=None))

    def get_next_link(self):
        if getattr(self, "_sequence", False):
            return self._sequence_link(self._next_offset)
        return super().get_next_link()

    def get_previous_link(self):
        if getattr(self, "_sequence", False):
            return self._sequence_link(self._previous_offset)
        return super().get_previous_link()


# --- Views ----------------------------------------------------------------------

CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, Accept-Language, If-None-Match",
    "Access-Control-Expose-Headers": "ETag, Content-Language, Retry-After",
    "Access-Control-Max-Age": "86400",
}


class PublicAPIMixin:
    """Anonymous, read-only, throttled per address, open to any origin for GET."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [AddressRateThrottle]
    renderer_classes = [JSONRenderer]
    pagination_class = SignedCursorPagination
    http_method_names = ["get", "head", "options"]

    def initial(self, request, *args, **kwargs):
        # The language first, so that even a 429 answers in it.
        activate_language(request)
        lang = request.query_params.get("lang")
        if lang is not None and lang not in dict(settings.LANGUAGES):
            raise ValidationError({"lang": [_("Bahasa yang tersedia: id, en.")]})
        # PostgreSQL refuses NUL in text: say so, never a 500.
        for name, value in request.query_params.items():
            if "\x00" in value:
                raise ValidationError({name: [_("Karakter NUL tidak diperbolehkan.")]})
        if any("\x00" in str(value) for value in kwargs.values()):
            raise NotFound()
        super().initial(request, *args, **kwargs)

    def options(self, request, *args, **kwargs):
        """A CORS preflight: the headers say it all."""
        return Response(status=status.HTTP_204_NO_CONTENT)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        for header, value in CORS_HEADERS.items():
            response[header] = value
        if response.status_code == 200:
            patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
        else:
            patch_cache_control(response, no_store=True)
        patch_vary_headers(response, ["Accept-Language"])
        return response


# --- Serializer pieces ----------------------------------------------------------


@extend_schema_field(OpenApiTypes.STR)
class LocalizedField(serializers.Field):
    """The English text under English when there is one, else the Indonesian."""

    def __init__(self, field, **kwargs):
        self.field = field
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, obj):
        return localized(obj, self.field)


PLACEHOLDER = "__slug__"


def page_url_template(viewname, request):
    """The absolute URL of `viewname`'s page with PLACEHOLDER for the slug, in the
    active language: reversed once per list and language, then each slug put in
    (reversing each row's URL was a fifth of a 50-row page's time)."""
    path = reverse(viewname, args=[PLACEHOLDER])
    return request.build_absolute_uri(path) if request else settings.SITE_URL + path


@extend_schema_field(OpenApiTypes.URI)
class PageURLField(serializers.Field):
    """The absolute URL of the object's public page: `viewname` with its slug."""

    def __init__(self, viewname, **kwargs):
        self.viewname = viewname
        self._templates = {}
        super().__init__(source="slug", read_only=True, **kwargs)

    def to_representation(self, slug):
        language = translation.get_language()
        template = self._templates.get(language)
        if template is None:
            template = page_url_template(self.viewname, self.context.get("request"))
            self._templates[language] = template
        return template.replace(PLACEHOLDER, slug)


class ChoiceLabelField(serializers.CharField):
    """The translated label of a choice field (`get_<field>_display`)."""

    def __init__(self, field, **kwargs):
        super().__init__(source=f"get_{field}_display", read_only=True, **kwargs)


# --- Answers built by hand -------------------------------------------------------

_DATETIME = serializers.DateTimeField()
_DECIMALS = {}


class HandBuilt:
    """A serializer whose `to_representation` builds each answer by hand.

    DRF's walk (get_attribute, checks and to_representation for each field of each row)
    was most of a list's CPU time, and building a ModelSerializer's fields (once per
    list, with deep copies of every declared field) another tenth of a request. The
    declared fields still make the schema; tests/api/test_fast_serializers.py holds each
    hand-built answer equal to DRF's walk of them. Dates and decimals are written by
    DRF's own fields, so their text is the same.
    """

    def page_url(self, viewname, slug):
        templates = self.root.__dict__.setdefault("_page_url_templates", {})
        key = (viewname, translation.get_language())
        template = templates.get(key)
        if template is None:
            template = page_url_template(viewname, self.context.get("request"))
            templates[key] = template
        return template.replace(PLACEHOLDER, slug)

    @staticmethod
    def choice_label(choices, value):
        """As get_<field>_display(): the choice's translated label, else the value.
        Django's builds a dict of every choice, hashing each lazy label (a translation
        each): two of them were a third of a business row's time."""
        try:
            return str(choices(value).label)
        except ValueError:
            return str(value)

    @staticmethod
    def datetime(value):
        """As serializers.DateTimeField: ISO 8601 in the current time zone (WIB)."""
        return None if value is None else _DATETIME.to_representation(value)

    @staticmethod
    def decimal(value, places=2):
        """As serializers.DecimalField: text with `places` decimals."""
        if value is None:
            return None
        field = _DECIMALS.get(places)
        if field is None:
            field = _DECIMALS[places] = serializers.DecimalField(None, places)
        return field.to_representation(value)


class CodeNameSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class ErrorSerializer(serializers.Serializer):
    """A refused request: `detail`, or a list of messages per parameter."""

    detail = serializers.CharField(required=False)


def list_responses(serializer):
    """The documented answers of a list or detail endpoint."""
    return {200: serializer, 400: ErrorSerializer, 404: ErrorSerializer, 429: ErrorSerializer}


# --- Date ranges ----------------------------------------------------------------


class DateRangeSerializer(serializers.Serializer):
    """`from` and `to` (ISO dates, inclusive), as the list endpoints of events and
    missions take them."""

    def get_fields(self):
        # `from` is a Python keyword: the fields are named here, not as attributes.
        return {
            "from": serializers.DateField(required=False),
            "to": serializers.DateField(required=False),
        }

    def validate(self, attrs):
        if attrs.get("from") and attrs.get("to") and attrs["to"] < attrs["from"]:
            raise ValidationError({"to": [_("Tanggal akhir tidak boleh sebelum tanggal awal.")]})
        return attrs


DATE_RANGE_PARAMETERS = [
    OpenApiParameter(
        "from",
        OpenApiTypes.DATE,
        description="Berakhir pada/sesudah tanggal ini / ends on or after (YYYY-MM-DD, WIB).",
    ),
    OpenApiParameter(
        "to",
        OpenApiTypes.DATE,
        description="Mulai pada/sebelum tanggal ini / starts on or before (YYYY-MM-DD, WIB).",
    ),
]


def date_range(request):
    """(from, to) from the query string, either None; 400 when invalid."""
    params = DateRangeSerializer(
        data={k: request.query_params[k] for k in ("from", "to") if k in request.query_params}
    )
    params.is_valid(raise_exception=True)
    return params.validated_data.get("from"), params.validated_data.get("to")
