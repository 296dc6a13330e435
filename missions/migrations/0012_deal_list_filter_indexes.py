"""PostgreSQL only: indexes for the admin's deal list when a rare filter meets a search.

A search word ("UD", "Kriya") leaves a tenth of the 200,000 deals; a filter to one
currency or to the parties' answers leaves a few of those. With no index on the
filter's column, the page and its count read the whole table in date order to find
them (40-60 ms each). With these, PostgreSQL intersects the filter's index with the
search's (business_id and buyer_id have theirs) and reads only the rows that match.

- currency: each foreign currency is 7 % of the deals;
- the parties' answers: only the answered deals are indexed (most have no answer);
- buyer_name (the name of a buyer not registered): a trigram index over the deals that
  have one, so a search is a union of index look-ups (business, buyer, buyer name)
  instead of a scan. DealAdmin's search says `buyer_name <> ''` beside its LIKE, so
  PostgreSQL can use this partial index.

Outside the model state, as missions 0011, so SQLite and makemigrations never see them.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

from tangerang_ikm.db import PostgreSQLOnlySQL


class Migration(migrations.Migration):
    dependencies = [
        ("missions", "0011_buyer_company_upper_trgm"),
    ]

    operations = [
        TrigramExtension(),  # exists already (ikm_registry, missions 0011); does nothing then
        PostgreSQLOnlySQL(
            "CREATE INDEX deal_currency ON missions_deal (currency)",
            "DROP INDEX IF EXISTS deal_currency",
        ),
        PostgreSQLOnlySQL(
            "CREATE INDEX deal_buyer_answer ON missions_deal (buyer_answer) "
            "WHERE buyer_answer <> ''",
            "DROP INDEX IF EXISTS deal_buyer_answer",
        ),
        PostgreSQLOnlySQL(
            "CREATE INDEX deal_ikm_answer ON missions_deal (ikm_answer) WHERE ikm_answer <> ''",
            "DROP INDEX IF EXISTS deal_ikm_answer",
        ),
        PostgreSQLOnlySQL(
            "CREATE INDEX deal_buyer_name_upper_trgm ON missions_deal "
            "USING gin (UPPER(buyer_name) gin_trgm_ops) WHERE buyer_name <> ''",
            "DROP INDEX IF EXISTS deal_buyer_name_upper_trgm",
        ),
    ]
