from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The project package: users, accounts, roles, health check and demo data."""

    name = "tangerang_ikm"
    verbose_name = _("portal")

    def ready(self):
        from tangerang_ikm import checks  # noqa: F401 - deploy checks register on import
        from tangerang_ikm.roles import sync_roles

        # Like django.contrib.sites: keep default rows in place after every migrate.
        post_migrate.connect(sync_roles, sender=self)
