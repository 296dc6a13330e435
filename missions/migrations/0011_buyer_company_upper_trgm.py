"""PostgreSQL only: a trigram index for the deal list's search by buyer company.

The admin's deal search looks the registered buyers of each word up first
(`UPPER(company) LIKE UPPER('%word%')`, what icontains compiles to): without an index
that read all 20,000 buyers for every search. Outside the model state, as the business
search's indexes (ikm_registry 0016), so SQLite and makemigrations never see it.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

from tangerang_ikm.db import PostgreSQLOnlySQL


class Migration(migrations.Migration):
    dependencies = [
        ("missions", "0010_trademission_title_en"),
    ]

    operations = [
        TrigramExtension(),  # exists already (ikm_registry); does nothing then
        PostgreSQLOnlySQL(
            "CREATE INDEX buyer_company_upper_trgm ON missions_buyer "
            "USING gin (UPPER(company) gin_trgm_ops)",
            "DROP INDEX IF EXISTS buyer_company_upper_trgm",
        ),
    ]
