from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GeraiConfig(AppConfig):
    name = "gerai"
    verbose_name = _("Gerai Tangerang Gemilang")

    def ready(self):
        from gerai import signals

        signals.connect()
