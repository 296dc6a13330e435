"""Rebuild every stored search text and the typo vocabulary (ikm_registry/search.py),
and every business's stored public facts (ikm_registry/facts.py).

Receivers keep them current as rows are saved; run this after bulk loads that skip
save() (an SQL import, a restore from elsewhere) or to prune words no longer used.
"""

from django.core.management.base import BaseCommand
from django.db.models import Max

from ikm_registry import facts, search
from ikm_registry.models import Business


class Command(BaseCommand):
    help = (
        "Rebuild the catalog's stored search texts, the vocabulary for typos and the "
        "businesses' public facts."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=2000)

    def handle(self, *args, batch, verbosity=1, **options):
        from tangerang_ikm.management.commands.seed_scale import Progress

        search.rebuild(batch=batch, progress=Progress if verbosity else None)
        last = Business.objects.aggregate(last=Max("pk"))["last"] or 0
        for start in range(0, last + 1, batch):
            facts.fill(Business, start, start + batch)
        if verbosity:
            self.stdout.write(
                self.style.SUCCESS("Search texts, vocabulary and public facts rebuilt.")
            )
