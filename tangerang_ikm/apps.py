from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The project package: users, accounts, roles, health check and demo data."""

    name = "tangerang_ikm"
    verbose_name = _("portal")

    def ready(self):
        from django.db.models import fields

        from tangerang_ikm import checks  # noqa: F401 - deploy checks register on import
        from tangerang_ikm.roles import sync_roles

        # Django 6.1's documented hook for the empty choice of every select; its own
        # "- Select an option -" has no Indonesian translation.
        fields.BLANK_CHOICE_LABEL = _("- Pilih -")

        # Like django.contrib.sites: keep default rows in place after every migrate.
        post_migrate.connect(sync_roles, sender=self)
