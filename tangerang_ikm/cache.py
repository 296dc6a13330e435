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
anything an owner or staff member may see and others may not does not belong here.
The cache is CACHES["default"]: local memory in development, Redis in production.
"""

import time

from django.core.cache import cache
from django.utils.translation import get_language

DEFAULT_TIMEOUT = 300
_MISSING = object()


def _version_key(area):
    return f"fragment-version:{area}"


def _version(area):
    key = _version_key(area)
    version = cache.get(key)
    if version is None:
        # A fresh, time-based start: it can never meet entries of an evicted older version.
        cache.add(key, time.time_ns(), timeout=None)
        version = cache.get(key)
    return version


def make_key(area, key, *, per_language=True):
    language = (get_language() or "-") if per_language else "-"
    return f"fragment:{area}:{_version(area)}:{language}:{key}"


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
        cache.incr(key)
    except ValueError:  # no version yet (or evicted): start a fresh one
        cache.set(key, time.time_ns(), timeout=None)
