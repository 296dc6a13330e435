from django.core.management.base import BaseCommand, CommandError

from tangerang_ikm.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a `manage.py backup` archive: REPLACES the database and every media and "
        "private file. Stop the app servers and workers first."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="Path of the tar.gz archive made by `backup`.")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation.",
        )

    def handle(self, *args, archive, interactive=True, **options):
        if interactive:
            answer = input(
                "This replaces the whole database and all stored files with the archive's "
                "content. Type 'yes' to continue: "
            )
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled.")
        try:
            restore_backup(archive, stdout=self.stdout)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
