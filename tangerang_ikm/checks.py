"""Deploy checks of the project package (`manage.py check --deploy`)."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.caches, deploy=True)
def per_process_cache_with_several_workers(app_configs, **kwargs):
    """A per-process cache (locmem) is each worker's own: with more than one worker or
    app server, fragments one worker caches are not dropped by a change made through
    another. Sessions and limits do not depend on it (settings.py), but the rest does."""
    if settings.DEBUG or settings.SHARED_CACHE:
        return []
    if settings.WEB_CONCURRENCY <= 1 and settings.APP_SERVERS <= 1:
        return []
    return [
        Error(
            f"CACHE_URL is a per-process cache ({settings.CACHES['default']['BACKEND']}) "
            f"while WEB_CONCURRENCY={settings.WEB_CONCURRENCY} and "
            f"APP_SERVERS={settings.APP_SERVERS}: each worker would keep its own copy.",
            hint="Set CACHE_URL=redis://host:6379/0 (a cache every worker shares), or run "
            "one worker on one server (WEB_CONCURRENCY=1, APP_SERVERS=1).",
            id="tangerang_ikm.E001",
        )
    ]


@register(Tags.security, deploy=True)
def media_is_served(app_configs, **kwargs):
    """Public media on the filesystem needs somebody to serve it when DEBUG is off: a
    reminder (not a warning, so a deployment whose proxy serves it passes
    `--fail-level WARNING`)."""
    from django.core.checks import Info

    if settings.DEBUG or settings.STORAGE_BACKEND != "filesystem" or settings.SERVE_MEDIA:
        return []
    return [
        Info(
            "SERVE_MEDIA is false: the app does not serve MEDIA_URL, so product photos "
            "show only if a proxy serves MEDIA_ROOT at MEDIA_URL.",
            hint="Serve MEDIA_ROOT at /media/ in the proxy (docs/deployment.md), or "
            "leave SERVE_MEDIA unset.",
            id="tangerang_ikm.I002",
        )
    ]
