"""Rate limits that count across every app server, through the shared cache.

Counting lives in CACHES["default"] (Redis in production), never in process memory, so
two requests answered by two app servers count against the same limit::

    from tangerang_ikm.ratelimit import ratelimit

    @ratelimit("inquiry", limit=10, window=3600)          # 10 POSTs per hour per client
    def send_inquiry(request, slug): ...

or, inside a view or form, ``if is_limited("inquiry", client_ip(request), limit=10,
window=3600): ...``. Login throttling is django-axes' job (see settings.AXES_*).
"""

import functools
import time

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.utils.translation import gettext as _


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


def hit(scope, ident, *, window):
    """Count one request for (scope, ident) in the current fixed window; return the count."""
    bucket = int(time.time() // window)
    key = f"ratelimit:{scope}:{ident}:{bucket}"
    if cache.add(key, 1, timeout=window + 1):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, timeout=window + 1)
        return 1


def is_limited(scope, ident, *, limit, window):
    """Record a request and say whether it goes over `limit` per `window` seconds."""
    return hit(scope, ident, window=window) > limit


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
