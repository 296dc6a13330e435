"""Ask IKM owners whether their potential deals became sales; weekly digest to coordinators.

Safe to run every hour: a follow-up stage is created once per potential deal (a unique
row), and a digest once per coordinator and week (DigestSent), so a second run in the
same hour, or two runs at once, send nothing twice.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from missions import services


class Command(BaseCommand):
    help = "Send due follow-ups of potential deals (3, 6, 12 months) and the weekly digest."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be sent; send nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        today = timezone.localdate()
        if dry_run:
            due = services.due_follow_ups(today=today)
            for deal, months, due_date in due:
                self.stdout.write(
                    f"would ask {deal.business.owner.email}: deal {deal.pk} "
                    f"({deal.business.name}, {deal.amount} {deal.currency}), "
                    f"{months} months, due {due_date:%d/%m/%Y}"
                )
            digests = services.send_digests(today=today, dry_run=True)
            for email, rows in digests.items():
                self.stdout.write(f"would send the weekly digest to {email} ({len(rows)} items)")
            self.stdout.write(f"{len(due)} follow-up(s), {len(digests)} digest(s) due (dry run)")
            return
        sent = services.send_follow_ups(today=today)
        digests = services.send_digests(today=today)
        self.stdout.write(f"{len(sent)} follow-up(s) sent, {len(digests)} digest(s) sent")
