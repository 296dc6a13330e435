from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IkmRegistryConfig(AppConfig):
    name = "ikm_registry"
    verbose_name = _("registri IKM")

    def ready(self):
        from ikm_registry import checks, signals  # noqa: F401 - checks register on import

        signals.connect()
