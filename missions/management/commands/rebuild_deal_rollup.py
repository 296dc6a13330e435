"""Sum the program dashboard's rollup again from the deals (missions/rollup.py).

Writes keep the rollup right by themselves; this is for after a bulk load that saved no
deal, or to check: `--check` reports whether the stored sums equal a fresh sum and
changes nothing.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from missions import rollup
from missions.models import DealRollup


class Command(BaseCommand):
    help = "Sum the program dashboard's figures (DealRollup) again from the deals."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="Compare with a fresh sum; change nothing."
        )

    def handle(self, *args, check=False, **options):
        if check:
            stored = rollup.snapshot()
            with transaction.atomic():
                rollup.rebuild()
                fresh = rollup.snapshot()
                transaction.set_rollback(True)
            if stored != fresh:
                raise CommandError(
                    f"the rollup differs from the deals in {len(stored ^ fresh)} rows: "
                    "run rebuild_deal_rollup"
                )
            self.stdout.write(f"rollup matches the deals ({len(stored)} rows)")
            return
        written = rollup.rebuild()
        self.stdout.write(f"{written} rollup rows written ({DealRollup.objects.count()} in all)")
