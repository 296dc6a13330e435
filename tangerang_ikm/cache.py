"""Two small caching tools: fragments kept by their data's version, and HTTP headers
that let browsers and a reverse proxy keep public pages.

**Fragments.** Every cached value belongs to an *area* (``"reports"``,
``"catalog-choices"``…). Each area has a version number in the shared cache, stored with
every value, so ``bump(area)`` makes all of that area's entries stale at once, on every
app server, without knowing their keys (each is computed again when next asked for)::

    from tangerang_ikm.cache import bump, cached

    def catalog_facets():
        return cached("catalog-choices", "facets", compute=_count_facets, timeout=600)

    # in a post_save/post_delete receiver (clear_on_change) or a service:
    bump("catalog-choices")

Keys are per language by default; pass ``per_language=False`` for language-free
values. Cache only data that everyone allowed to see it sees alike.

**Public pages** (`public_page`) are not stored here at all: they say in their
headers that a browser or a proxy may keep them (docs/deployment.md has the nginx
configuration), and ConditionalGetMiddleware answers a revalidation with 304.
"""

import functools
import time

from django.conf import settings
from django.core.cache import cache
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language

DEFAULT_TIMEOUT = 300


def _version_key(area):
    return f"fragment-version:{area}"


def _new_version(area):
    # A fresh, time-based start: it can never meet entries of an evicted older version.
    cache.add(_version_key(area), time.time_ns(), timeout=None)
    return cache.get(_version_key(area))


def version(area):
    """The area's current version: whatever was stored under it is current until bump()."""
    return cache.get(_version_key(area)) or _new_version(area)


def cached(area, key, compute, timeout=DEFAULT_TIMEOUT, *, per_language=True):
    """Return the cached value of `key` in `area`, computing and storing it when absent.

    `compute` is a function without arguments; its result must be picklable (plain data,
    strings of rendered HTML, lists of dicts — not querysets that are still lazy).

    The value is stored with the area's version beside it, so that the version and the
    value come back in one round trip (get_many) and a value of an older version is
    computed again.
    """
    language = (get_language() or "-") if per_language else "-"
    value_key = f"fragment:{area}:{language}:{key}"
    found = cache.get_many([_version_key(area), value_key])
    current = found.get(_version_key(area)) or _new_version(area)
    stored = found.get(value_key)
    if stored is not None and stored[0] == current:
        return stored[1]
    value = compute()
    cache.set(value_key, (current, value), timeout)
    return value


def bump(area):
    """Invalidate everything cached in `area`, on every app server."""
    try:
        cache.incr(_version_key(area))
    except ValueError:  # no version yet (or evicted): start a fresh one
        cache.set(_version_key(area), time.time_ns(), timeout=None)


def clear_on_change(receiver, *, models, through=()):
    """Call `receiver` (which bumps areas) whenever a row of `models` is saved or
    deleted, or a many-to-many table in `through` changes. Apps call it in ready()."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    name = f"{receiver.__module__}.{receiver.__name__}"
    for model in models:
        post_save.connect(receiver, sender=model, dispatch_uid=f"{name}:{model}")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"{name}:-{model}")
    for table in through:
        m2m_changed.connect(receiver, sender=table, dispatch_uid=f"{name}:{table}")


# --- Public pages: HTTP caching ------------------------------------------------


def _visitor_without_session(request):
    """A visitor who is not logged in and has nothing waiting: the page is the same for all."""
    from django.contrib.messages.storage.cookie import CookieStorage

    return request.method in ("GET", "HEAD") and not (
        settings.SESSION_COOKIE_NAME in request.COOKIES
        or CookieStorage.cookie_name in request.COOKIES
    )


def public_page(view):
    """A page that is the same for every visitor without a session.

    For such visitors a 200 says `public`, with a short max-age and a longer
    stale-while-revalidate, so a browser or a proxy (nginx `proxy_cache`) keeps it and
    the app renders it at most once per PUBLIC_CACHE_SECONDS for all of them. Everyone
    else gets `private, no-cache`: their page names them. `Vary: Cookie` keeps the two
    apart in any cache. Validators come from ConditionalGetMiddleware (ETag, 304).

    A page that sets a cookie (a CSRF token used in a form) is never marked public:
    proxies do not keep responses that set cookies, and a token must not be shared.
    """

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.has_header("Cache-Control"):
            return response
        seconds = settings.PUBLIC_CACHE_SECONDS
        if (
            seconds
            and response.status_code == 200
            and _visitor_without_session(request)
            and not response.cookies
        ):
            patch_cache_control(
                response,
                public=True,
                max_age=seconds,
                stale_while_revalidate=settings.PUBLIC_CACHE_STALE_SECONDS,
            )
        else:
            patch_cache_control(response, private=True, no_cache=True)
        patch_vary_headers(response, ["Cookie"])
        return response

    return wrapped
