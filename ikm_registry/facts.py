"""What public pages show of a business besides its own row: its commodities, its
certificates and its export history, stored with it (`Business.public_facts`, JSON).

A product page, an IKM page, a directory card or an API row then has them from the
query that reads the business, not from three queries more: each query is about a
tenth of a product page's CPU (building and compiling it, reading its rows). Like the
search texts (search.py) it is an index over other rows, kept current the same way:
signals.py stores it again after a certificate, an export record or a business's
commodities change, a commodity's rename refreshes it with the texts that name it, and
bulk writers (the import, erasure, seed_scale) call store() or build() themselves.

Stored: `{"commodities": [[slug, name, name_en], …]` in the commodities' own order,
`"certificates": [[kind, number, issuer, "YYYY-MM-DD" or null], …]` by kind and date,
`"exports": [[country code, year], …]` the most recent first}. Validity is worked out
when a page is read, so a certificate expires on its date without a write. Never the
certificate scan nor anything private: only what the public pages already show.
"""

from datetime import date

from django.db import connection
from django.db.models import Prefetch
from django_countries.fields import Country

from ikm_registry.models import Certificate, Commodity, ExportRecord

CERTIFICATE_ORDER = ("kind", "valid_until", "pk")
EXPORT_ORDER = ("-year", "country")


def build(*, commodities, certificates, exports):
    """The stored value, from the rows in the orders above (models or historical models)."""
    return {
        "commodities": [[c.slug, c.name, c.name_en] for c in commodities],
        "certificates": [
            [c.kind, c.number, c.issuer, c.valid_until.isoformat() if c.valid_until else None]
            for c in certificates
        ],
        "exports": [[e.country.code, e.year] for e in exports],
    }


def with_relations(
    businesses, *, commodity=Commodity, certificate=Certificate, export=ExportRecord
):
    """`businesses` with what build() reads, in three queries whatever their number."""
    return businesses.only("pk").prefetch_related(
        Prefetch("commodities", queryset=commodity._base_manager.order_by("position", "name")),
        Prefetch("certificates", queryset=certificate._base_manager.order_by(*CERTIFICATE_ORDER)),
        Prefetch("exports", queryset=export._base_manager.order_by(*EXPORT_ORDER)),
    )


def store(businesses, batch=1000, **related):
    """Compute and store `public_facts` for a queryset of businesses (of a migration's
    own models too: `related` as with_relations() takes them)."""
    rows = list(with_relations(businesses.order_by(), **related))
    for business in rows:
        business.public_facts = build(
            commodities=business.commodities.all(),
            certificates=business.certificates.all(),
            exports=business.exports.all(),
        )
    businesses.model._base_manager.bulk_update(rows, ["public_facts"], batch_size=batch)
    return len(rows)


# build() in SQL, for bulk fills (migration 0025) on PostgreSQL: the same lists in the
# same orders (a date becomes its ISO text in JSON), one UPDATE per chunk of ids.
_FILL_SQL = """
    UPDATE {business} AS b SET public_facts = jsonb_build_object(
        'commodities', coalesce((
            SELECT jsonb_agg(jsonb_build_array(c.slug, c.name, c.name_en)
                             ORDER BY c.position, c.name)
            FROM {through} AS t JOIN {commodity} AS c ON c.id = t.commodity_id
            WHERE t.business_id = b.id), '[]'::jsonb),
        'certificates', coalesce((
            SELECT jsonb_agg(jsonb_build_array(x.kind, x.number, x.issuer, x.valid_until)
                             ORDER BY x.kind, x.valid_until, x.id)
            FROM {certificate} AS x WHERE x.business_id = b.id), '[]'::jsonb),
        'exports', coalesce((
            SELECT jsonb_agg(jsonb_build_array(e.country, e.year) ORDER BY e.year DESC, e.country)
            FROM {export} AS e WHERE e.business_id = b.id), '[]'::jsonb)
    )
    WHERE b.id >= %s AND b.id < %s
"""


def fill(business_model, start, stop):
    """Store the facts of the businesses with ids in [start, stop). The models are given
    (a migration's own): on PostgreSQL in one UPDATE (a million businesses in minutes,
    not the hour that reading them into Python took), elsewhere through build()."""
    through = business_model._meta.get_field("commodities").remote_field.through
    related = {
        "commodity": business_model._meta.get_field("commodities").related_model,
        "certificate": business_model._meta.get_field("certificates").related_model,
        "export": business_model._meta.get_field("exports").related_model,
    }
    if connection.vendor == "postgresql":
        tables = {name: model._meta.db_table for name, model in related.items()}
        tables.update(business=business_model._meta.db_table, through=through._meta.db_table)
        sql = _FILL_SQL.format(**{k: connection.ops.quote_name(v) for k, v in tables.items()})
        with connection.cursor() as cursor:
            cursor.execute(sql, [start, stop])
        return
    store(business_model._base_manager.filter(pk__gte=start, pk__lt=stop), **related)


# --- Reading them: the shapes the pages and the API used to read from the rows ----


def _facts(business):
    return business.public_facts or {}


def commodities(business):
    """The business's commodities as (unsaved) Commodity objects: slug and both names."""
    return [
        Commodity(slug=slug, name=name, name_en=name_en)
        for slug, name, name_en in _facts(business).get("commodities", [])
    ]


def certificates(business):
    """Every certificate as an (unsaved) Certificate: the ones that still count first,
    then the expired, each group by kind and date."""
    rows = [
        Certificate(
            kind=kind,
            number=number,
            issuer=issuer,
            valid_until=date.fromisoformat(until) if until else None,
        )
        for kind, number, issuer, until in _facts(business).get("certificates", [])
    ]
    return sorted(rows, key=lambda c: c.is_expired)


def export_history(business):
    """[(country, [years, oldest first])], the most recent destination first."""
    by_country = {}
    for code, year in _facts(business).get("exports", []):
        by_country.setdefault(code, (Country(code), []))[1].append(year)
    return [(country, sorted(years)) for country, years in by_country.values()]


def export_countries(business):
    """Countries exported to, the most recent first, each once."""
    return [country for country, _years in export_history(business)]
