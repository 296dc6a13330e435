from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def nik_key_is_set(app_configs, **kwargs):
    """Production needs its own NIK key, independent of SECRET_KEY."""
    if settings.NIK_ENCRYPTION_KEY:
        return []
    return [
        Warning(
            "NIK_ENCRYPTION_KEY is not set: owners' NIK are encrypted with a key derived "
            "from SECRET_KEY, and rotating SECRET_KEY would make them unreadable.",
            hint="Set NIK_ENCRYPTION_KEY to a Fernet key (Fernet.generate_key()).",
            id="ikm_registry.W001",
        )
    ]
