from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tangerang_ikm.backup import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump custom format, or an SQLite copy) and every media and "
        "private file into one tar.gz archive."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            "-o",
            help="Archive path (default: var/backups/ikm-<date>-<time>.tar.gz).",
        )

    def handle(self, *args, output=None, **options):
        if not output:
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
            output = Path(settings.BASE_DIR) / "var" / "backups" / f"ikm-{stamp}.tar.gz"
        try:
            create_backup(output, stdout=self.stdout)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
