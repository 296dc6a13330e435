"""The portal's one rate limiter: counts that hold across every worker and app server.

Counting lives in the "limits" cache (settings.CACHES["limits"]): the shared cache
(Redis) when one is configured, else a table in the database. Never process memory, so
two requests answered by two workers count against the same limit::

    from tangerang_ikm.ratelimit import ratelimit

    @ratelimit("inquiry", limit=10, window=3600)          # 10 POSTs per hour per client
    def send_inquiry(request, slug): ...

or, inside a form, ``if is_limited("signup-ip", client_ip(request), limit=10,
window=3600): ...`` (forms use `tangerang_ikm.forms.GuardedFormMixin`, which does this
for them). Login throttling is django-axes' job (see settings.AXES_*): it counts in the
database as well.
"""

import functools
import hashlib
import time

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.db import BaseDatabaseCache
from django.shortcuts import render
from django.utils.translation import gettext as _


def limits_cache():
    return caches["limits"]


def client_ip(request):
    """The client's address: the socket's, or the one the trusted load balancer saw.

    With TRUSTED_PROXY_COUNT = n, the n-th address from the right of X-Forwarded-For is
    the one our own proxy recorded; anything further left is client-supplied and ignored.
    """
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def login_username(request, credentials=None):
    """The account a login attempt targets, for django-axes: the e-mail, lower-cased."""
    if credentials:
        value = credentials.get("username") or credentials.get("email")
    else:
        value = request.POST.get("username")
    return (value or "").strip().lower() or None


def _key(scope, ident, bucket):
    # Hashed: e-mail addresses are not kept readable, and any value makes a valid key.
    digest = hashlib.sha256(str(ident).strip().lower().encode()).hexdigest()[:32]
    return f"ratelimit:{scope}:{digest}:{bucket}"


def hit(scope, ident, *, window):
    """Count one request for (scope, ident) in the current fixed window; return the count.

    Exact under concurrency on every backend: Redis and Memcached increment atomically;
    the database cache has no atomic increment, so each request claims the next free
    number with `add` (an INSERT that only one request can win) instead.
    """
    cache = limits_cache()
    bucket = int(time.time() // window)
    key = _key(scope, ident, bucket)
    if not isinstance(cache, BaseDatabaseCache):
        if cache.add(key, 1, timeout=window + 1):
            return 1
        try:
            return cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.add(key, 1, timeout=window + 1)
            return 1
    number = cache.get(key) or 0  # the last number claimed, as a hint
    while True:
        number += 1
        if cache.add(f"{key}:{number}", 1, timeout=window + 1):
            cache.set(key, number, timeout=window + 1)
            return number


def is_limited(scope, ident, *, limit, window):
    """Record a request and say whether it goes over `limit` per `window` seconds.

    An empty `ident` (no address, no e-mail) is never limited and not counted.
    """
    if not ident:
        return False
    return hit(scope, ident, window=window) > limit


def use_once(scope, value, *, timeout):
    """True the first time `value` is presented in `scope` (within `timeout`), then False.

    Atomic on every backend (`add` writes only when the key is absent), so a replayed
    value is refused however many workers it is sent to at once.
    """
    digest = hashlib.sha256(value.encode()).hexdigest()
    return limits_cache().add(f"once:{scope}:{digest}", 1, timeout=timeout)


def ratelimit(scope, *, limit, window, methods=("POST",), key=client_ip):
    """View decorator: over the limit, answer 429 with a translated page."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in methods and is_limited(
                scope, key(request), limit=limit, window=window
            ):
                response = render(
                    request,
                    "rate_limited.html",
                    {
                        "message": _(
                            "Terlalu banyak permintaan dari alamat Anda. "
                            "Silakan coba lagi dalam beberapa menit."
                        )
                    },
                    status=429,
                )
                response["Retry-After"] = str(window)
                return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
