"""Private files (certificate scans): outside MEDIA_ROOT, without any URL."""

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property


@deconstructible(path="ikm_registry.storage.PrivateStorage")
class PrivateStorage(FileSystemStorage):
    """MEDIA_ROOT/../private (or PRIVATE_MEDIA_ROOT): never reachable through MEDIA_URL.

    Files are served only by ikm_registry.views.certificate_document, which checks
    permission first.
    """

    @cached_property
    def base_location(self):
        default = getattr(settings, "PRIVATE_MEDIA_ROOT", None) or (
            Path(settings.MEDIA_ROOT).parent / "private"
        )
        return self._value_or_setting(self._location, default)

    @cached_property
    def base_url(self):
        return None

    def url(self, name):
        raise ValueError("Private files have no URL; use the permission-checked view.")

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting in ("MEDIA_ROOT", "PRIVATE_MEDIA_ROOT"):
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)


private_storage = PrivateStorage()
