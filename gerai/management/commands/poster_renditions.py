"""Make the display size (AVIF and JPEG) of every event poster that has none.

Saving an event with a new poster makes it (Event.save); posters stored before that
existed, or whose rendition failed, get it here. Run once after deploying, and with
--all whenever ikm_registry/images.process_poster changes. Until then a page shows the
poster as uploaded.
"""

from django.core.management.base import BaseCommand

from gerai.models import Event


class Command(BaseCommand):
    help = "Make event posters' display sizes (AVIF with a JPEG fallback)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--all", action="store_true", help="also posters that already have a display size"
        )

    def handle(self, *args, all=False, verbosity=1, **options):
        events = Event.objects.exclude(poster="").order_by("pk")
        if not all:
            events = events.filter(poster_avif="")
        done = 0
        for event in events.iterator(chunk_size=100):
            event.store_poster_renditions()
            done += bool(event.poster_avif)
        if verbosity:
            self.stdout.write(self.style.SUCCESS(f"{done} posters made."))
