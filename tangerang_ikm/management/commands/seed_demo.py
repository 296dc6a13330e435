"""Idempotent demo data: staff accounts per role, two IKM owners, and each app's data."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from gerai import demo as gerai_demo
from ikm_registry import demo as registry_demo
from missions import demo as missions_demo
from tangerang_ikm import roles

DEMO_PASSWORD = "demo-ikm-2026"  # noqa: S105 - published demo logins for local use only

STAFF = [
    ("admin@demo.tangerangkab.go.id", "Admin Disperindag (demo)", roles.ADMIN),
    ("koordinator@demo.tangerangkab.go.id", "Koordinator Misi (demo)", roles.COORDINATOR),
    ("gerai@demo.tangerangkab.go.id", "Pengelola Gerai (demo)", roles.VENUE_MANAGER),
    ("pimpinan@demo.tangerangkab.go.id", "Pimpinan (demo)", roles.LEADERSHIP),
]
OWNERS = [
    ("pemilik1@demo.ikm.id", "Siti Rahmawati (demo)"),
    ("pemilik2@demo.ikm.id", "Budi Santoso (demo)"),
]


class Command(BaseCommand):
    help = "Create demo accounts and demo data for every app. Safe to run again."

    def handle(self, *args, **options):
        roles.sync_roles()
        User = get_user_model()
        with transaction.atomic():
            logins = []
            for email, name, role in STAFF:
                user = self._user(User, email, name, is_staff=True)
                user.groups.set([Group.objects.get(name=role)])
                logins.append((role, email))
            owners = [self._user(User, email, name, is_staff=False) for email, name in OWNERS]
            logins += [("IKM owner", o.email) for o in owners]

            registry_demo.seed(owners=owners, stdout=self.stdout)
            gerai_demo.seed(owners=owners, stdout=self.stdout)
            missions_demo.seed(owners=owners, stdout=self.stdout)

        self.stdout.write(self.style.SUCCESS(f"\nDemo logins (password for all: {DEMO_PASSWORD})"))
        for role, email in logins:
            self.stdout.write(f"  {role:<26} {email}")
        self.stdout.write("  Staff log in at /admin/, owners at /akun/masuk/\n")

    def _user(self, User, email, name, *, is_staff):
        user, created = User.objects.get_or_create(
            email=email,
            defaults={
                "full_name": name,
                "is_staff": is_staff,
                "email_confirmed_at": timezone.now(),
                "privacy_consent_at": timezone.now(),
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        return user
