"""PostgreSQL only: the database itself refuses overlapping meetings.

A business, a buyer, or a table of a mission can never be in two meetings whose
half-open ranges [start, end) overlap. The model keeps plain `start`/`end`
DateTimeFields so that SQLite migrates too; there the services check overlaps
under a row lock, as they also do on PostgreSQL before the constraint is reached.
"""

from django.db import migrations

from tangerang_ikm.db import PostgreSQLOnlySQL as PostgreSQLOnly

CONSTRAINTS = {
    "meeting_business_no_overlap": "business_id WITH =",
    "meeting_buyer_no_overlap": "buyer_id WITH =",
    "meeting_table_no_overlap": 'mission_id WITH =, "table" WITH =',
}


def _add(name, columns):
    where = " WHERE (\"table\" <> '')" if name == "meeting_table_no_overlap" else ""
    return (
        f"ALTER TABLE missions_meeting ADD CONSTRAINT {name} EXCLUDE USING gist "
        f"({columns}, tstzrange(start, \"end\", '[)') WITH &&){where};"
    )


class Migration(migrations.Migration):
    dependencies = [("missions", "0001_initial")]

    operations = [
        PostgreSQLOnly(
            sql="CREATE EXTENSION IF NOT EXISTS btree_gist;",
            reverse_sql=migrations.RunSQL.noop,
        ),
        *[
            PostgreSQLOnly(
                sql=_add(name, columns),
                reverse_sql=f"ALTER TABLE missions_meeting DROP CONSTRAINT IF EXISTS {name};",
            )
            for name, columns in CONSTRAINTS.items()
        ],
    ]
