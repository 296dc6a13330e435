"""Queue the staff's daily digest: `manage.py send_digests`, once a day from cron.

The command only queues the `send_digests` task; the task worker (`manage.py db_worker`)
builds the digest and sends the e-mails. With TASKS_BACKEND=immediate it runs here.
"""

from django.core.management.base import BaseCommand

from ikm_registry.digest import send_digests


class Command(BaseCommand):
    help = "Queue the daily staff digest (what waits for each role) for the task worker."

    def handle(self, *args, **options):
        result = send_digests.enqueue()
        self.stdout.write(f"digest queued: {result.id} ({result.status})")
