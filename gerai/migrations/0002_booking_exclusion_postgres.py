"""PostgreSQL only: two bookings of one space can never overlap, whatever writes them.

The model keeps portable start/end DateTimeFields (SQLite migrates and runs too);
here, on PostgreSQL alone, btree_gist and an EXCLUDE constraint over
TSTZRANGE(start, "end") (half-open, so back-to-back bookings are fine) are added.
Application code checks the same rule under a row lock on both databases.
"""

from django.db import migrations

from tangerang_ikm.db import PostgreSQLOnlySQL as PostgresOnlySQL

CONSTRAINT = "gerai_spacebooking_no_overlap"


class Migration(migrations.Migration):
    dependencies = [
        ("gerai", "0001_initial"),
    ]

    operations = [
        PostgresOnlySQL(
            sql=[
                "CREATE EXTENSION IF NOT EXISTS btree_gist",
                f"""ALTER TABLE gerai_spacebooking ADD CONSTRAINT {CONSTRAINT}
                    EXCLUDE USING gist (
                        space_id WITH =,
                        tstzrange("start", "end", '[)') WITH &&
                    )""",
            ],
            reverse_sql=[f"ALTER TABLE gerai_spacebooking DROP CONSTRAINT {CONSTRAINT}"],
        ),
    ]
