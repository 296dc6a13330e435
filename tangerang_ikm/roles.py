"""Staff roles: Django groups whose permissions are listed here, in one place.

`sync_roles` runs after every migrate (see PortalConfig.ready), so a new model's
permissions reach the right groups without a data migration.

Each rule is (app_label, model, actions): model "*" means every model of the app.
Actions are the default permission verbs: add, change, delete, view; actions None
means `model` is a custom permission's codename. docs/roles.md shows this table for
people, and tests/portal/test_roles.py checks that it matches.
"""

from django.utils.translation import gettext_lazy as _

ALL = ("add", "change", "delete", "view")
VIEW = ("view",)

ADMIN = "Admin Disperindag"
COORDINATOR = "Koordinator Misi Dagang"
VENUE_MANAGER = "Pengelola Gerai"
LEADERSHIP = "Pimpinan"

ROLE_DESCRIPTIONS = {
    ADMIN: _("Semuanya, termasuk pengguna, peran, dan verifikasi registri."),
    COORDINATOR: _("Misi dagang, pembeli, transaksi, catatan pembinaan, dan verifikasi registri."),
    VENUE_MANAGER: _("Gedung, acara, pemesanan ruang, dan stan."),
    LEADERSHIP: _("Melihat semuanya, tidak mengubah apa pun."),
}

PORTAL_APPS = ("ikm_registry", "missions", "gerai")

ROLES = {
    ADMIN: [
        *[(app, "*", ALL) for app in PORTAL_APPS],
        ("tangerang_ikm", "user", ALL),
        ("auth", "group", VIEW),
        ("axes", "*", ALL),
        ("django_tasks_database", "*", ALL),  # django-tasks-db's app label
        ("ikm_registry", "verify_business", None),  # verify, return, archive in the admin
    ],
    COORDINATOR: [
        ("missions", "*", ALL),
        ("ikm_registry", "business", ("view", "change", "add")),
        ("ikm_registry", "product", ("view", "change")),
        ("ikm_registry", "productphoto", VIEW),
        ("ikm_registry", "certificate", ("view", "change")),
        ("ikm_registry", "commodity", VIEW),
        ("ikm_registry", "kecamatan", VIEW),
        ("ikm_registry", "desa", VIEW),
        ("ikm_registry", "inquiry", ("view", "change")),
        ("ikm_registry", "contactlog", ALL),  # pembinaan: mission briefings and more
        ("ikm_registry", "verify_business", None),
    ],
    VENUE_MANAGER: [
        ("gerai", "*", ALL),
        ("ikm_registry", "business", VIEW),
        ("ikm_registry", "product", VIEW),
        ("ikm_registry", "productphoto", VIEW),
        ("ikm_registry", "commodity", VIEW),
        ("ikm_registry", "kecamatan", VIEW),
        ("ikm_registry", "desa", VIEW),
    ],
    LEADERSHIP: [
        *[(app, "*", VIEW) for app in PORTAL_APPS],
        ("missions", "view_report", None),
    ],
}


def role_permissions(rules):
    """The Permission queryset a list of rules grants."""
    from django.contrib.auth.models import Permission
    from django.db.models import Q

    query = Q(pk__in=[])
    for app_label, model, actions in rules:
        if actions is None:
            # A custom permission named by its codename.
            query |= Q(content_type__app_label=app_label, codename=model)
            continue
        for action in actions:
            part = Q(content_type__app_label=app_label, codename__startswith=f"{action}_")
            if model != "*":
                part &= Q(content_type__model=model, codename=f"{action}_{model}")
            query |= part
    return Permission.objects.filter(query)


def sync_roles(using="default", **kwargs):
    """Create the role groups and set their permissions to exactly the rules above."""
    from django.contrib.auth.models import Group

    for name, rules in ROLES.items():
        group, _created = Group.objects.using(using).get_or_create(name=name)
        group.permissions.set(role_permissions(rules).using(using))
