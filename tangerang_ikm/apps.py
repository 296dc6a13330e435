from django.apps import AppConfig
from django.db.models import fields
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _
from django_tasks_db import apps as tasks_db_apps

# The empty choice of every select (Django 6.1's BLANK_CHOICE_LABEL, whose own
# "- Select an option -" has no Indonesian translation). Django's docs say to set it in
# ready(), but the admin's autodiscover (django.contrib.admin's ready(), which runs
# before ours) already builds the model forms that read it; app configs are imported
# before any ready() runs, so it is set here.
fields.BLANK_CHOICE_LABEL = _("- Pilih -")


class PortalConfig(AppConfig):
    """The project package: users, accounts, roles, health check and demo data."""

    default = True  # apps.py holds two configs; "tangerang_ikm" in INSTALLED_APPS is this one
    name = "tangerang_ikm"
    verbose_name = _("portal")

    def ready(self):
        from tangerang_ikm import checks  # noqa: F401 - deploy checks register on import
        from tangerang_ikm.roles import sync_roles

        # Like django.contrib.sites: keep default rows in place after every migrate.
        post_migrate.connect(sync_roles, sender=self)


class TasksConfig(tasks_db_apps.TasksAppConfig):
    """django-tasks-db under an Indonesian name: its own ("Tasks Database Backend") is
    not marked for translation. INSTALLED_APPS names this class instead of the app."""

    default = False
    verbose_name = _("antrean tugas")
