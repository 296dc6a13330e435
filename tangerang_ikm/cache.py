"""Caching expensive public fragments, and dropping them when their data changes.

Every cached value belongs to an *area* (``"catalog"``, ``"calendar"``, ``"dashboard"``…).
Each area has a version number in the shared cache; the version is part of every key, so
``bump(area)`` makes all of that area's entries unreachable at once, on every app server,
without knowing their keys (they simply expire later). Usage::

    from tangerang_ikm.cache import bump, cached

    def catalog_facets():
        return cached("catalog", "facets", compute=_count_facets, timeout=600)

    # in the service that changes a product (or a post_save/post_delete receiver):
    bump("catalog")

Keys are per language by default (a fragment holding translated text differs by
language); pass ``per_language=False`` for language-free values. Cache only public data:
anything an owner or staff member may see and others may not does not belong here. The
one exception is ``staff_page``, whose keys name the user the page was rendered for.
The cache is CACHES["default"]: local memory in development, Redis in production.
"""

import functools
import gzip
import hashlib
import re
import struct
import threading
import time
import zlib
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.middleware.gzip import GZipMiddleware
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.html import escape
from django.utils.text import compress_string
from django.utils.translation import get_language

DEFAULT_TIMEOUT = 300
_MISSING = object()


def _version_key(area):
    return f"fragment-version:{area}"


# Each process remembers an area's version this long: a cached page is then one round
# trip to the cache, not two. A bump on one app server reaches the others this late;
# the process that bumps sees it at once.
VERSION_MEMORY_SECONDS = 1.0
_versions = {}  # area -> (version, until), this process only


def _version(area, *, fresh=False):
    remembered = None if fresh else _versions.get(area)
    if remembered is not None and remembered[1] > time.monotonic():
        return remembered[0]
    key = _version_key(area)
    version = cache.get(key)
    if version is None:
        # A fresh, time-based start: it can never meet entries of an evicted older version.
        cache.add(key, time.time_ns(), timeout=None)
        version = cache.get(key)
    _remember(area, version)
    return version


def _remember(area, version):
    _versions[area] = (version, time.monotonic() + VERSION_MEMORY_SECONDS)


def make_key(area, key, *, per_language=True, fresh=False):
    """`fresh` reads the area's version from the shared cache, not this process's memory."""
    language = (get_language() or "-") if per_language else "-"
    return f"fragment:{area}:{_version(area, fresh=fresh)}:{language}:{key}"


def cached(area, key, compute, timeout=DEFAULT_TIMEOUT, *, per_language=True):
    """Return the cached value of `key` in `area`, computing and storing it when absent.

    `compute` is a function without arguments; its result must be picklable (plain data,
    strings of rendered HTML, lists of dicts — not querysets that are still lazy).
    """
    full_key = make_key(area, key, per_language=per_language)
    value = cache.get(full_key, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(full_key, value, timeout)
    return value


def bump(area):
    """Invalidate everything cached in `area`, on every app server."""
    key = _version_key(area)
    try:
        version = cache.incr(key)
    except ValueError:  # no version yet (or evicted): start a fresh one
        version = time.time_ns()
        cache.set(key, version, timeout=None)
    _remember(area, version)


# --- Whole public pages ------------------------------------------------------

# Hidden inputs whose value differs per visitor, and the marker the cached copy holds
# instead. Django's {% csrf_token %} renders exactly `name="csrfmiddlewaretoken" value="…"`.
_HIDDEN_VALUE = r'name="{name}" value="[^"]*"'
_MARKER = "\x00page-cache:{name}\x00"
_ACCEPTS_GZIP = re.compile(r"\bgzip\b")


class _RecentPages:
    """The last pages this process served from the shared cache, for a few seconds.

    A hit then costs no round trip to Redis (0.1-0.2 ms for a 24 KB product page, a
    fifth of the hit). The keys hold the area's version, so a bump makes these copies
    unreachable exactly as it does the shared ones; a copy is kept at most SECONDS, so
    a page never outlives its shared entry by more than that.
    """

    SECONDS = 5.0
    SIZE = 256  # pages; a product page is 24 KB, the largest (the feed) 60 KB

    def __init__(self):
        self._pages = OrderedDict()  # key -> (stored, until)
        self._lock = threading.Lock()  # gunicorn's threaded workers share the process

    def get(self, key):
        with self._lock:
            found = self._pages.get(key)
            if found is None:
                return None
            if found[1] <= time.monotonic():
                del self._pages[key]
                return None
            self._pages.move_to_end(key)
            return found[0]

    def put(self, key, stored):
        with self._lock:
            self._pages[key] = (stored, time.monotonic() + self.SECONDS)
            self._pages.move_to_end(key)
            while len(self._pages) > self.SIZE:
                self._pages.popitem(last=False)

    def clear(self):
        with self._lock:
            self._pages.clear()


recent_pages = _RecentPages()


def _visitor_without_session(request):
    """A visitor who is not logged in and has nothing waiting: the page is the same for all."""
    from django.contrib.messages.storage.cookie import CookieStorage

    return (
        request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
    )


def _page_key(area, request):
    # The absolute URL: scheme, host, language prefix and query string all change the page.
    url = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
    # "page2": cached pages are stored compressed only; entries of the former format are
    # never read.
    return make_key(area, f"page2:{url}")


def public_page(area, *, fresh_inputs=None, timeout=None):
    """Cache a public page's whole response for visitors who are not logged in.

    The page must look the same to every such visitor. Logged-in users, visitors with a
    session or pending messages, POSTs and anything but a 200 go straight to the view.
    `bump(area)` (receivers in each app's signals.py) drops every page of the area;
    PAGE_CACHE_SECONDS bounds how long time-based changes (an event that has ended)
    take to show. 0 turns the cache off.

    Hidden inputs that must differ per visitor are cut out of the cached copy and filled
    in on every hit: the CSRF token always (a fresh one, with its cookie, for this
    visitor), and each name in `fresh_inputs`, a mapping of input name to a function of
    the request giving its value (the inquiry form's signed start time).
    """

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            seconds = settings.PAGE_CACHE_SECONDS if timeout is None else timeout
            if not seconds or not _visitor_without_session(request):
                return view(request, *args, **kwargs)
            holes = {"csrfmiddlewaretoken": get_token, **(fresh_inputs or {})}
            return _cached_response(
                request,
                key=_page_key(area, request),
                seconds=seconds,
                holes=holes,
                render=lambda: view(request, *args, **kwargs),
                cacheable=_cacheable,
            )

        return wrapped

    return decorator


def _cached_response(request, *, key, seconds, holes, render, cacheable):
    """The response stored under `key`, or `render()`'s, stored when `cacheable` says so."""
    stored = recent_pages.get(key)
    if stored is None:
        stored = cache.get(key)
        if stored is not None:
            recent_pages.put(key, stored)
    if stored is not None:
        response = _from_cache(request, stored, holes)
        response["X-Page-Cache"] = "hit"
    else:
        response = render()
        if getattr(response, "is_rendered", True) is False:
            response.render()  # the admin's TemplateResponse
        if not cacheable(response):
            return response
        stored = _to_cache(response, holes)
        cache.set(key, stored, seconds)
        recent_pages.put(key, stored)
        response["X-Page-Cache"] = "miss"
    # Other users (and visitors) get another page at the same address.
    patch_vary_headers(response, ["Cookie"])
    return response


def _cacheable(response):
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not response.has_header("Cache-Control")
    )


# --- Whole staff pages -------------------------------------------------------

# Every write to these apps' rows (users, groups and permissions included) drops every
# cached staff page: a staff page may show anything, so no finer rule is safe.
STAFF_AREA = "staff"
STAFF_APPS = frozenset({"ikm_registry", "missions", "gerai", "tangerang_ikm", "auth"})


def drop_staff_pages(using=None):
    """Drop every cached staff page once the current transaction commits (at once outside
    one). A page rendered before the commit was stored under the old version, so it is
    never read again; bumping before the commit could store old rows under the new one."""
    # robust: the write has committed; a cache outage must not turn it into an error.
    transaction.on_commit(lambda: bump(STAFF_AREA), using=using, robust=True)


def _is_ours(model):
    # Not the historical models of data migrations (module "__fake__"): a migrate must
    # not need the cache.
    return model._meta.app_label in STAFF_APPS and model.__module__ != "__fake__"


def _row_saved_or_deleted(sender, raw=False, using=None, **kwargs):
    if not raw and _is_ours(sender):
        drop_staff_pages(using=using)


def _many_to_many_changed(sender, action, using=None, **kwargs):
    if action.startswith("post_") and _is_ours(sender):
        drop_staff_pages(using=using)


def connect_staff_pages():
    """Called once, in the portal app's ready(): every model, so no new one is missed."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    post_save.connect(_row_saved_or_deleted, dispatch_uid="staff-pages:save")
    post_delete.connect(_row_saved_or_deleted, dispatch_uid="staff-pages:delete")
    m2m_changed.connect(_many_to_many_changed, dispatch_uid="staff-pages:m2m")


def _staff_without_messages(request):
    """A logged-in staff member's GET with no message waiting (messages are read once)."""
    from django.contrib.messages import get_messages

    return (
        request.method == "GET"
        and request.user.is_authenticated
        and request.user.is_staff
        and not len(get_messages(request))  # loads them without marking them read
    )


def _cacheable_for_staff(response):
    # The admin marks its pages never-cache for the browser; this cache is the server's.
    # Its views set the CSRF cookie themselves (csrf_protect); a hit sets its own.
    return (
        response.status_code == 200
        and not response.streaming
        and set(response.cookies) <= {settings.CSRF_COOKIE_NAME}
        and response.get("Content-Type", "").startswith("text/html")
    )


def staff_page(view):
    """Decorator: `staff_response` for a function view, below its access checks."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        return staff_response(request, lambda: view(request, *args, **kwargs))

    return wrapped


def staff_response(request, render):
    """A staff page's response, from the cache if this user has seen it since the last write.

    Admin change lists (`admin_lists.CachedChangeList`) and the mission reports
    (`@staff_page`) call this after their access checks. The key is the user (their
    name and permissions are on the page), the absolute URL, the language and today's
    date (filters such as "expires within 30 days"). Any write drops every entry:
    receivers on every row saved or deleted, and `DropStaffPagesMiddleware` after every
    POST. The version is read from the shared cache on every request, so that no app
    server shows a page from before a write it did not make. POSTs, pages with a message
    waiting and anything but a 200 go straight to the view; STAFF_PAGE_CACHE_SECONDS
    bounds the rest (a write made outside the ORM and outside a request). The CSRF token
    is filled in per request, as on public pages.
    """
    seconds = settings.STAFF_PAGE_CACHE_SECONDS
    if not seconds or not _staff_without_messages(request):
        return render()
    url = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
    day = timezone.localdate().isoformat()
    key = make_key(STAFF_AREA, f"user{request.user.pk}:{day}:{url}", fresh=True)
    return _cached_response(
        request,
        key=key,
        seconds=seconds,
        holes={"csrfmiddlewaretoken": get_token},
        render=render,
        cacheable=_cacheable_for_staff,
    )


def _markers(holes):
    """A pattern that finds the markers of these holes (and no other text) and names them."""
    names = "|".join(re.escape(name) for name in holes)
    return _MARKER.format(name=f"({names})")


def _to_cache(response, holes):
    """What the cache keeps of a page. A page without holes is kept compressed only, so
    that a hit reads and unpickles a few kilobytes (the 680 KB feed, kept beside its
    compressed copy, took 0.77 ms a hit instead of 0.35). A page with holes keeps each
    part between them plain (for the checksum and for clients without gzip) and
    compressed."""
    content = response.content.decode(response.charset)
    for name in holes:
        pattern = _HIDDEN_VALUE.format(name=re.escape(name))
        marker = f'name="{name}" value="{_MARKER.format(name=name)}"'
        content = re.sub(pattern, lambda _m, marker=marker: marker, content)
    headers = {k: v for k, v in response.headers.items() if k.lower() != "content-length"}
    stored = {"status": response.status_code, "headers": headers, "charset": response.charset}
    pieces = re.split(_markers(holes), content)  # text, hole name, text, ..., text
    if len(pieces) == 1:
        # Compressed once here rather than by GZipMiddleware on every hit. Nothing per
        # visitor is in it, so there is no secret to guess through its size; Django's
        # random header bytes anyway.
        stored["gzip"] = compress_string(
            content.encode(response.charset), max_random_bytes=GZipMiddleware.max_random_bytes
        )
    else:
        # The text between the holes is compressed once, each part on its own; a hit
        # only adds its tokens (see _gzip_with_holes).
        stored["parts"] = [
            piece if i % 2 else _deflated(piece.encode(response.charset))
            for i, piece in enumerate(pieces)
        ]
    return stored


def _from_cache(request, stored, holes):
    values = {}

    def value(name):  # once per hit, however often the page holds it
        if name not in values:
            values[name] = escape(holes[name](request)).encode(stored["charset"])
        return values[name]

    gzip_ok = _ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", ""))
    if "gzip" in stored:
        body = stored["gzip"] if gzip_ok else gzip.decompress(stored["gzip"])
    elif gzip_ok:
        body = _gzip_with_holes(stored["parts"], value)
    else:
        body = b"".join(value(part) if i % 2 else part[0] for i, part in enumerate(stored["parts"]))
    response = HttpResponse(body, status=stored["status"], headers=stored["headers"])
    if gzip_ok:
        # GZipMiddleware leaves a response that already has a Content-Encoding alone.
        response["Content-Encoding"] = "gzip"
    patch_vary_headers(response, ["Accept-Encoding"])
    return response


# A page with holes is sent as one gzip member (RFC 1952) whose deflate stream (RFC 1951)
# is the cached parts, each compressed on its own and ended on a byte boundary, with
# each hole's value between them as an uncompressed block. Compressing the whole page on
# every hit cost as much as the rest of the request. A side effect: the tokens are never
# compressed together with other text, so the response's size tells nothing about them.
_GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"  # no name, no time
_LAST_BLOCK = b"\x03\x00"  # an empty final block


def _deflated(data):
    """(data, its raw deflate stream flushed to a byte boundary, so more blocks can follow)."""
    compressor = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    return data, compressor.compress(data) + compressor.flush(zlib.Z_SYNC_FLUSH)


def _gzip_with_holes(parts, value):
    """`value(name)` gives each hole's bytes."""
    body, crc, size = [_GZIP_HEADER], 0, 0
    for i, part in enumerate(parts):
        if i % 2:  # a hole: its value in stored blocks (type 00, RFC 1951 3.2.4)
            data = value(part)
            for start in range(0, len(data), 0xFFFF):
                chunk = data[start : start + 0xFFFF]
                body += [b"\x00", struct.pack("<HH", len(chunk), len(chunk) ^ 0xFFFF), chunk]
        else:
            data, deflated = part
            body.append(deflated)
        crc = zlib.crc32(data, crc)
        size += len(data)
    body += [_LAST_BLOCK, struct.pack("<II", crc, size & 0xFFFFFFFF)]
    return b"".join(body)


def clear_on_change(receiver, *, models, through=()):
    """Call `receiver` (which clears cached areas) whenever a row of `models` is saved or
    deleted, or a many-to-many table in `through` changes. Apps call it in ready()."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    name = f"{receiver.__module__}.{receiver.__name__}"
    for model in models:
        post_save.connect(receiver, sender=model, dispatch_uid=f"{name}:{model}")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"{name}:-{model}")
    for table in through:
        m2m_changed.connect(receiver, sender=table, dispatch_uid=f"{name}:{table}")
