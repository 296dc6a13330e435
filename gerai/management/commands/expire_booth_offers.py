"""Lapse booth offers past their deadline and offer each booth to the next in line.

Safe to run every few minutes (cron or a systemd timer) and beside the web workers:
each offer is re-read under the lock on its event's row, so an offer accepted in the
same second is left alone and a second run finds nothing to do.
"""

from django.core.management.base import BaseCommand

from gerai import services


class Command(BaseCommand):
    help = "Lapse booth offers past their deadline and offer the booths to the waiting list."

    def handle(self, *args, **options):
        lapsed = services.expire_booth_offers()
        if options["verbosity"] >= 1:
            self.stdout.write(f"{lapsed} booth offer(s) lapsed.")
