"""Rebuild every stored search text and the typo vocabulary (ikm_registry/search.py).

Receivers keep them current as rows are saved; run this after bulk loads that skip
save() (an SQL import, a restore from elsewhere) or to prune words no longer used.
"""

from django.core.management.base import BaseCommand

from ikm_registry import search


class Command(BaseCommand):
    help = "Rebuild the catalog's stored search texts and the vocabulary for typos."

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=2000)

    def handle(self, *args, batch, verbosity=1, **options):
        from tangerang_ikm.management.commands.seed_scale import Progress

        search.rebuild(batch=batch, progress=Progress if verbosity else None)
        if verbosity:
            self.stdout.write(self.style.SUCCESS("Search texts and vocabulary rebuilt."))
