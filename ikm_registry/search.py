"""Catalog search: full-text and trigram search on PostgreSQL, icontains on SQLite.

The querysets call in here (`Product.objects.public().search(q)`), so views, the
sitemap and tests share one implementation.

PostgreSQL:
- full-text search with the `indonesian` configuration over the Indonesian texts and
  the `english` configuration over the English texts, so word forms match;
- trigram word similarity on names, so typos match ('rottan' finds 'rotan');
- a small list of spelling variants that neither catches ('mete' and 'mede' are the
  same cashew but share too few trigrams);
- results ranked by text rank plus name similarity;
- the text matches run first as their own query (two on PostgreSQL: products and
  businesses), so that the planner uses the GIN indexes.
The expressions below are the very ones indexed by migration 0004 (expression GIN
indexes), so the planner can use the indexes: change both together.

SQLite: a case-insensitive substring search over the same fields, variants included.
"""

import re

from django.db import connection
from django.db.models import Case, F, FloatField, Q, Value, When
from django.db.models.functions import Greatest

MAX_QUERY_LENGTH = 100
MAX_WORDS = 8
# The most text matches a PostgreSQL search considers (beyond any catalog page a buyer reads).
MAX_TEXT_MATCHES = 5000

# Spellings of the same thing that full-text stemming and trigrams do not join.
VARIANTS = [
    {"mede", "mete"},
    {"rotan", "rattan"},
    {"aren", "enau"},
    {"kripik", "keripik"},
    {"kerupuk", "krupuk"},
    {"batik", "bathik"},
]
_VARIANT_OF = {word: group for group in VARIANTS for word in group}


def is_postgresql():
    return connection.vendor == "postgresql"


def normalize(q):
    """Drop NULs, trim, collapse spaces, cap the length."""
    q = (q or "").replace("\x00", "")  # PostgreSQL refuses NUL in text
    return re.sub(r"\s+", " ", q.strip())[:MAX_QUERY_LENGTH]


def words(q):
    return re.findall(r"\w+", q.lower())[:MAX_WORDS]


def variants(word):
    """The word and its known spelling variants, the word itself first."""
    return [word, *sorted(_VARIANT_OF.get(word, set()) - {word})]


# --- PostgreSQL -------------------------------------------------------------


def product_vector_id():
    from django.contrib.postgres.search import SearchVector

    return SearchVector("name", "description", config="indonesian")


def product_vector_en():
    from django.contrib.postgres.search import SearchVector

    return SearchVector("name_en", "description_en", config="english")


def business_vector_id():
    from django.contrib.postgres.search import SearchVector

    return SearchVector("name", "description", config="indonesian")


def business_vector_en():
    from django.contrib.postgres.search import SearchVector

    return SearchVector("name", "description_en", config="english")


def _tsquery(q, config):
    """Every word must match (in one of its variants): (w1 | v1) & w2 & ..."""
    from django.contrib.postgres.search import SearchQuery

    combined = None
    for word in words(q):
        alternatives = None
        for variant in variants(word):
            one = SearchQuery(variant, config=config, search_type="plain")
            alternatives = one if alternatives is None else alternatives | one
        combined = alternatives if combined is None else combined & alternatives
    return combined


def _trigram_terms(q):
    """The query and, for each word with variants, the query with that word swapped."""
    terms = [q.lower()]
    for word in words(q):
        for variant in variants(word)[1:]:
            terms.append(re.sub(rf"\b{re.escape(word)}\b", variant, q.lower()))
    return terms[:4]


def _word_similar(field, terms):
    """`field %> term` for any term: trigram word similarity above pg_trgm's threshold."""
    from django.contrib.postgres.lookups import TrigramWordSimilar

    condition = Q()
    for term in terms:
        condition |= Q(TrigramWordSimilar(F(field), Value(term)))
    return condition


def _similarity(field, terms):
    from django.contrib.postgres.search import TrigramWordSimilarity

    parts = [TrigramWordSimilarity(Value(term), field) for term in terms]
    return parts[0] if len(parts) == 1 else Greatest(*parts)


def _pg_reference_matches(q):
    """Commodities and kecamatan whose name matches: small tables, searched as subqueries."""
    from ikm_registry.models import Commodity, Kecamatan

    terms = _trigram_terms(q)
    commodities = Commodity.objects.filter(
        _word_similar("name", terms) | _word_similar("name_en", terms)
    ).values("pk")
    kecamatan = Kecamatan.objects.filter(_word_similar("name", terms)).values("pk")
    return commodities, kecamatan


def product_text_matches(q):
    """Products whose own texts match: one scan of the GIN indexes (a BitmapOr)."""
    from ikm_registry.models import Product

    query_id, query_en = _tsquery(q, "indonesian"), _tsquery(q, "english")
    terms = _trigram_terms(q)
    condition = _word_similar("name", terms) | _word_similar("name_en", terms)
    if query_id is not None:
        condition |= Q(_vector_id=query_id) | Q(_vector_en=query_en)
    return Product.objects.annotate(
        _vector_id=product_vector_id(), _vector_en=product_vector_en()
    ).filter(condition)


def business_text_matches(q):
    """Businesses whose own texts match, through their GIN indexes."""
    from ikm_registry.models import Business

    query_id, query_en = _tsquery(q, "indonesian"), _tsquery(q, "english")
    condition = _word_similar("name", _trigram_terms(q))
    if query_id is not None:
        condition |= Q(_vector_id=query_id) | Q(_vector_en=query_en)
    return Business.objects.annotate(
        _vector_id=business_vector_id(), _vector_en=business_vector_en()
    ).filter(condition)


def _fulltext_ids(model, vector_id, vector_en, q):
    """Ids whose texts match the full-text query in either language (GIN indexes)."""
    query_id, query_en = _tsquery(q, "indonesian"), _tsquery(q, "english")
    if query_id is None:
        return []
    qs = model.objects.annotate(_vector_id=vector_id, _vector_en=vector_en).filter(
        Q(_vector_id=query_id) | Q(_vector_en=query_en)
    )
    return _ids(qs)


def _trigram_ids(model, fields, q):
    """Ids whose names are similar to the query, typos included (trigram GIN indexes)."""
    terms = _trigram_terms(q)
    condition = Q()
    for field in fields:
        condition |= _word_similar(field, terms)
    return _ids(model.objects.filter(condition))


def _rank(q, fulltext_ids, names):
    """A full-text match counts 1, plus the names' trigram word similarity (0..1 each).

    Cheap on purpose: it reuses the ids found through the indexes instead of computing
    every matching row's tsvector again (seconds on a regency-sized catalog).
    """
    rank = Case(
        When(pk__in=fulltext_ids, then=Value(1.0)),
        default=Value(0.0),
        output_field=FloatField(),
    )
    terms = _trigram_terms(q)
    for name in names:
        rank = rank + _similarity(name, terms)
    return rank


def _ids(qs):
    """Run an index-driven match as its own query and return its ids.

    As a subquery the planner often prefers a sequential scan that recomputes every
    to_tsvector (seconds at 10,000 products); on its own it uses the GIN indexes.
    """
    return list(qs.order_by().values_list("pk", flat=True)[:MAX_TEXT_MATCHES])


def _pg_search_products(qs, q):
    from ikm_registry.models import Business, Product

    commodities, kecamatan = _pg_reference_matches(q)
    fulltext = _fulltext_ids(Product, product_vector_id(), product_vector_en(), q)
    similar = _trigram_ids(Product, ["name", "name_en"], q)
    businesses = _trigram_ids(Business, ["name"], q)
    condition = (
        Q(pk__in={*fulltext, *similar})
        | Q(category__in=commodities)
        | Q(business__desa__kecamatan__in=kecamatan)
        | Q(business__in=businesses)
    )
    rank = _rank(q, fulltext, ["name", "name_en"])
    return qs.filter(condition).annotate(search_rank=rank)


def _pg_search_businesses(qs, q):
    from ikm_registry.models import Business, Product

    commodities, kecamatan = _pg_reference_matches(q)
    with_commodity = Business.commodities.through.objects.filter(commodity__in=commodities).values(
        "business_id"
    )
    fulltext = _fulltext_ids(Business, business_vector_id(), business_vector_en(), q)
    similar = _trigram_ids(Business, ["name"], q)
    products = Product.objects.public().filter(pk__in=_ids(product_text_matches(q)))
    condition = (
        Q(pk__in={*fulltext, *similar})
        | Q(pk__in=with_commodity)
        | Q(desa__kecamatan__in=kecamatan)
        | Q(pk__in=products.values("business_id"))
    )
    rank = _rank(q, fulltext, ["name"])
    return qs.filter(condition).annotate(search_rank=rank)


# --- SQLite (and any other database) ----------------------------------------


def _contains_any(fields, q):
    """Every word must appear (in one of its variants) in one of the fields."""
    condition = Q()
    for word in words(q) or [q]:
        per_word = Q()
        for variant in variants(word):
            for field in fields:
                per_word |= Q(**{f"{field}__icontains": variant})
        condition &= per_word
    return condition


PRODUCT_FIELDS = [
    "name",
    "name_en",
    "description",
    "description_en",
    "category__name",
    "category__name_en",
    "business__name",
    "business__desa__kecamatan__name",
]
BUSINESS_FIELDS = ["name", "description", "description_en", "desa__kecamatan__name"]


def _simple_search_products(qs, q):
    return qs.filter(_contains_any(PRODUCT_FIELDS, q)).annotate(
        search_rank=Value(0.0, output_field=FloatField())
    )


def _simple_search_businesses(qs, q):
    from ikm_registry.models import Business, Commodity, Product

    commodities = Commodity.objects.filter(_contains_any(["name", "name_en"], q)).values("pk")
    with_commodity = Business.commodities.through.objects.filter(commodity__in=commodities).values(
        "business_id"
    )
    products = Product.objects.public().filter(_contains_any(["name", "name_en"], q))
    condition = (
        _contains_any(BUSINESS_FIELDS, q)
        | Q(pk__in=with_commodity)
        | Q(pk__in=products.values("business_id"))
    )
    return qs.filter(condition).annotate(search_rank=Value(0.0, output_field=FloatField()))


# --- Entry points used by the querysets ------------------------------------


def search_products(qs, q):
    """Products matching `q`, annotated with `search_rank` (higher is better)."""
    q = normalize(q)
    if not q:
        return qs
    return _pg_search_products(qs, q) if is_postgresql() else _simple_search_products(qs, q)


def search_businesses(qs, q):
    """Businesses matching `q`, annotated with `search_rank` (higher is better)."""
    q = normalize(q)
    if not q:
        return qs
    if is_postgresql():
        return _pg_search_businesses(qs, q)
    return _simple_search_businesses(qs, q)
