"""Create the coming months' events of every series. Run it monthly (cron or a timer)."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand

from gerai import services
from gerai.models import EventSeries


class Command(BaseCommand):
    help = "Create or update the dated events of every event series; exceptions are kept."

    def handle(self, *args, **options):
        failed = False
        for series in EventSeries.objects.order_by("pk"):
            try:
                created, updated, cancelled = services.generate_series_events(series=series)
            except ValidationError as exc:
                failed = True
                self.stderr.write(f"{series.slug}: {' '.join(exc.messages)}")
                continue
            self.stdout.write(
                f"{series.slug}: {created} created, {updated} updated, {cancelled} cancelled"
            )
        if failed:
            raise SystemExit(1)
