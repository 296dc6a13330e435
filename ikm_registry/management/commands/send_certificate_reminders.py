"""E-mail owners whose certificates expire in 60 and 14 days: `manage.py
send_certificate_reminders`, once a day from cron (docs/deployment.md).

Safe to run again at any time: each notice is sent once per certificate and expiry date
(ikm_registry.notifications.send_certificate_reminders). The e-mails are queued for the
task worker like every other notice.
"""

from django.core.management.base import BaseCommand

from ikm_registry.models import Certificate
from ikm_registry.notifications import send_certificate_reminders


class Command(BaseCommand):
    help = "E-mail owners 60 and 14 days before a certificate expires (once each)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be sent; send nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        if dry_run:
            n = 0
            for stage in Certificate.EXPIRY_NOTICE_DAYS:
                for certificate in Certificate.objects.expiry_notice_due(stage).select_related(
                    "business"
                ):
                    self.stdout.write(
                        f"would tell {certificate.business.name}: {certificate} "
                        f"expires {certificate.valid_until:%d/%m/%Y} ({stage}-day notice)"
                    )
                    n += 1
            self.stdout.write(f"{n} reminder(s) due (dry run)")
            return
        sent = send_certificate_reminders()
        self.stdout.write(f"{len(sent)} certificate reminder(s) sent")
