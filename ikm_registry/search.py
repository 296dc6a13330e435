"""Catalog search over one stored text per product and per business (`search_text`).

Each product's text holds its names and descriptions in both languages, its category,
its business and its kecamatan; each business's text its name, descriptions,
kecamatan and commodities, and beside it (`products_text`) its active products' names
and categories, so that the IKM directory finds a business by what it makes
without reading its products. `product_text()`, `business_text()` and `products_text()`
compose them; the receivers in signals.py keep them current and `manage.py
refresh_search` rebuilds them. A search is then one condition on one indexed column,
however large the catalog.

PostgreSQL:
- full-text search over `search_vector`, a stored tsvector of the names (weight A)
  and `search_text` (weight B) stemmed both the `indonesian` and the `english` way,
  GIN-indexed (migration 0008): word forms match in both languages, and ranking reads
  the stored vector instead of parsing every text again;
- typos: each query word not in the vocabulary (`SearchTerm`, every word of the texts)
  is also searched as its nearest vocabulary words by pg_trgm similarity ('rottan'
  is searched as 'rottan' or 'rotan'), found in one small indexed query;
- spelling variants that neither catches ('mete' and 'mede' are the same cashew);
- a query whose words are common in a large catalog is answered by reading rows in id
  order instead of the GIN index (first_matches, _is_common);
- in a large catalog, the names of a search's commodity and kecamatan filters, and the
  words of its size-class and export-ready filters (FlagWords, in a product's vector
  only), are searched with its words, so that the GIN index intersects them;
- relevance ranks at most RANKED matches (ts_rank, names weighted above the rest),
  so a word that half the country's products contain is still answered in
  milliseconds. Sorting by name or date walks the sort index instead.

SQLite: every word (or one of its variants or corrections, found with difflib) must
appear in `search_text`.
"""

import difflib
import re
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.contrib.postgres.lookups import TrigramSimilar
from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorCombinable,
    SearchVectorField,
    TrigramSimilarity,
)
from django.db import OperationalError, connection, transaction
from django.db.models import BooleanField, F, FloatField, Func, Q, Value
from django.tasks import task

MAX_QUERY_LENGTH = 100
MAX_WORDS = 8
# The most matches a relevance sort ranks: a page a buyer reads is among them.
RANKED = 1000
# Words that may be corrected, and how alike a correction must be (pg_trgm similarity).
MIN_CORRECTABLE = 4
SIMILARITY = 0.4
CORRECTIONS_PER_WORD = 2

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
# Vocabulary words: letters only, three or more (numbers and codes are not corrected).
_VOCABULARY_WORD = re.compile(r"[^\W\d_]{3,60}")


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


def vocabulary_words(text):
    return {w.lower() for w in _VOCABULARY_WORD.findall(text or "")}


# --- The stored texts ---------------------------------------------------------


def _join(*parts):
    return " ".join(p.strip() for p in parts if p and p.strip())


def product_text(product, *, business_name=None, kecamatan=None):
    """What a product is found by. Its category is read, and unless given, its business's
    name and kecamatan (bulk loads pass them to save the lookups)."""
    if business_name is None or kecamatan is None:
        business_name = product.business.name
        kecamatan = product.business.desa.kecamatan.name
    return _join(
        product.name,
        product.name_en,
        product.description,
        product.description_en,
        product.category.name,
        product.category.name_en,
        business_name,
        kecamatan,
    )


def business_text(business, *, commodities=None, kecamatan=None):
    """What a business is found by in the IKM directory (besides its products)."""
    if commodities is None:
        commodities = business.commodities.all()
    if kecamatan is None:
        kecamatan = business.desa.kecamatan.name
    return _join(
        business.name,
        business.description,
        business.description_en,
        kecamatan,
        *[_join(c.name, c.name_en) for c in commodities],
    )


# --- Preparing a query --------------------------------------------------------


@dataclass
class Query:
    """A query's words, each with the alternatives searched in its place."""

    text: str
    alternatives: list = field(default_factory=list)  # [[word, variant, correction, ...]]
    tsquery: str = ""  # PostgreSQL: the stemmed alternatives as one raw tsquery
    # PostgreSQL, a large table (LARGE rows or more: first_matches, match_plan) ...
    large: bool = False
    # ... where the sample found no match, so reading the table until enough match
    # would read all of it.
    rare: bool = False

    def __bool__(self):
        return bool(self.text)


def _pg_corrections(candidates):
    """{word: [nearest vocabulary words]} for words not in the vocabulary, one query."""
    from ikm_registry.models import SearchTerm

    condition = Q(word__in=candidates)
    annotations = {}
    for i, word in enumerate(candidates):
        condition |= Q(TrigramSimilar(F("word"), Value(word)))
        annotations[f"s{i}"] = TrigramSimilarity("word", Value(word))
    rows = list(SearchTerm.objects.filter(condition).annotate(**annotations).values())
    known = {row["word"] for row in rows}
    out = {}
    for i, word in enumerate(candidates):
        if word in known:
            continue
        near = sorted(
            (r for r in rows if r[f"s{i}"] >= SIMILARITY), key=lambda r: (-r[f"s{i}"], r["word"])
        )
        out[word] = [r["word"] for r in near[:CORRECTIONS_PER_WORD]]
    return out


def _simple_corrections(candidates):
    """The same with difflib over the vocabulary (a small table on a SQLite install)."""
    from ikm_registry.models import SearchTerm

    vocabulary = set(SearchTerm.objects.values_list("word", flat=True))
    return {
        word: difflib.get_close_matches(word, vocabulary, n=CORRECTIONS_PER_WORD, cutoff=0.75)
        for word in candidates
        if word not in vocabulary
    }


def prepare(q):
    """The query's words with their variants and, for unknown words, corrections."""
    q = normalize(q)
    query = Query(text=q)
    found = words(q)
    if not found:
        return query
    candidates = sorted(
        {w for w in found if len(w) >= MIN_CORRECTABLE and _VOCABULARY_WORD.fullmatch(w)}
    )
    corrections = {}
    if candidates:
        corrections = (_pg_corrections if is_postgresql() else _simple_corrections)(candidates)
    for word in found:
        alternatives = variants(word)
        for correction in corrections.get(word, []):
            for alternative in variants(correction):
                if alternative not in alternatives:
                    alternatives.append(alternative)
        query.alternatives.append(alternatives)
    if is_postgresql():
        query.tsquery = _pg_stems(query.alternatives)
    return query


def _pg_stems(alternatives):
    """'(rottan | rotan | rattan) & (keranjang | …)': each alternative stemmed the
    Indonesian and the English way, each lexeme once, in one query.

    Written once, the planner estimates a match's share of rows right; the same lexeme
    OR-ed from both languages looked three times as common and chose a full scan.
    """
    flat = sorted({word for group in alternatives for word in group})
    # Only the fixed CONFIGS names are written into the SQL; the words are a parameter.
    columns = ", ".join(f"plainto_tsquery('{c}', w)::text" for c in CONFIGS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT w, {columns} FROM unnest(%s::text[]) AS w",  # noqa: S608 - see above
            [flat],
        )
        stems = {row[0]: [s for s in row[1:] if s] for row in cursor.fetchall()}
    groups = []
    for group in alternatives:
        lexemes = sorted({f"({stem})" if " " in stem else stem for w in group for stem in stems[w]})
        if lexemes:
            groups.append("(" + " | ".join(lexemes) + ")")
    return " & ".join(groups)


# --- PostgreSQL ---------------------------------------------------------------

CONFIGS = ("indonesian", "english")


def vector_expression(names, *, products=False, flags=False):
    """The stored `search_vector`: the names weighted A, the whole text B and, for a
    business (`products`), its products' text C, each in both languages' stemming; for a
    product (`flags`), the words of its size class and export readiness (FlagWords).
    refresh_*() and migrations 0008, 0024 and 0029 store it; GIN-indexed."""
    vector = None
    for config in CONFIGS:
        parts = [
            SearchVector(*names, config=config, weight="A"),
            SearchVector("search_text", config=config, weight="B"),
        ]
        if products:
            parts.append(SearchVector("products_text", config=config, weight="C"))
        for part in parts:
            vector = part if vector is None else vector + part
    if flags:
        vector = vector + FlagWords()
    return vector


# A product's size class and export readiness as words of its vector, not of its text:
# 'skalamikro', 'siapekspor'. In a large catalog a search with those filters searches
# these words with its own (flag_words, first_matches' `flags`), so that the GIN index
# intersects them, as it does a commodity's or a kecamatan's name. As conditions on the
# row, the planner either ANDed the word's matches with an index of every micro or
# export-ready product (a million entries) or checked each match's row (`?size=mikro&
# q=anyaman`: 209 ms at national scale).
SIZE_WORD = "skala{}"
EXPORT_WORD = "siapekspor"


def flag_words(*, size="", export_ready=False):
    """The words a search's filters add to its query (FlagWords writes them per row)."""
    return [*([SIZE_WORD.format(size)] if size else []), *([EXPORT_WORD] if export_ready else [])]


class FlagWords(SearchVectorCombinable, Func):
    """flag_words() of each row, in SQL: its words as lexemes, without stemming."""

    def __init__(self):
        super().__init__(F("size_class"), F("export_ready"), output_field=SearchVectorField())

    def as_sql(self, compiler, connection, **extra_context):
        size, export = self.get_source_expressions()
        size_sql, size_params = compiler.compile(size)
        export_sql, export_params = compiler.compile(export)
        word = SIZE_WORD.format("")
        # array_to_tsvector refuses NULL elements: a product without a class or not
        # export-ready has none.
        sql = (
            f"array_to_tsvector(array_remove(ARRAY['{word}' || NULLIF({size_sql}, ''), "
            f"CASE WHEN {export_sql} THEN '{EXPORT_WORD}' END], NULL))"
        )
        return sql, (*size_params, *export_params)


def _tsquery(query):
    """The query's raw tsquery (prepare() stemmed it) as an expression."""
    return SearchQuery(query.tsquery, search_type="raw", config="simple")


def _pg_match(qs, query, within=(), flags=()):
    if not query.tsquery:
        return qs.none()
    tsquery = _tsquery(query)
    for name in within:
        tsquery &= _name_words(name)
    for word in flags:
        tsquery &= _flag_word(word)
    return qs.filter(search_vector__matches=tsquery)


def _flag_word(word):
    """A flag word (flag_words) as the stored vectors hold it: as it is, unstemmed."""
    return SearchQuery(word, config="simple")


def _name_words(name):
    """The words of a name as the stored vectors hold them (stemmed the Indonesian way)."""
    return SearchQuery(name, config=CONFIGS[0])


def _pg_rank(qs, query, names):
    """Text rank from the stored vector: no text is parsed again to rank it."""
    if not query.tsquery:
        return qs.annotate(search_rank=Value(0.0, output_field=FloatField()))
    return qs.annotate(search_rank=SearchRank(F("search_vector"), _tsquery(query)))


# --- SQLite (and any other database) ------------------------------------------


def _simple_match(qs, query):
    columns = ["search_text", *(["products_text"] if _has_products_text(qs.model) else [])]
    condition = Q()
    for alternatives in query.alternatives or [[query.text]]:
        either = Q()
        for word in alternatives:
            for column in columns:
                either |= Q(**{f"{column}__icontains": word})
        condition &= either
    return qs.filter(condition)


def _simple_rank(qs, query, names):
    """A name that contains the whole query first."""
    from django.db.models import Case, When

    text = query.text
    return qs.annotate(
        search_rank=Case(
            When(Q(**{f"{names[0]}__icontains": text}), then=Value(1.0)),
            default=Value(0.0),
            output_field=FloatField(),
        )
    )


# --- Entry points -------------------------------------------------------------


def matching(qs, query):
    """`qs` narrowed to what matches `query` (a Query from prepare())."""
    if not query:
        return qs
    return _pg_match(qs, query) if is_postgresql() else _simple_match(qs, query)


def ranked(qs, query, names=("name",)):
    """`qs` annotated with `search_rank` (higher is better) for `query`."""
    if not query:
        return qs.annotate(search_rank=Value(0.0, output_field=FloatField()))
    if is_postgresql():
        return _pg_rank(qs, query, names)
    return _simple_rank(qs, query, names)


def first_matches(qs, query, limit, *, within=(), flags=()):
    """The keys of the first `limit` rows of `qs` that match `query` (a prepared Query),
    as a sliced queryset: a subquery for `pk__in`, or a list once evaluated.

    `within`: the names of the list's filters (its commodity, its kecamatan) that every
    row it keeps has in its text (product_text; business_text and products_text), and
    `flags` the flag words of its size class and export-ready filters (products only,
    FlagWords). In a large table they are searched with the words (see match_plan)."""
    if not (is_postgresql() and query.tsquery):
        return matching(qs, query).order_by().values_list("pk", flat=True)[:limit]
    rows, share = _sampled_share(qs, query)
    query.large = share is not None
    if _common(rows, share):
        matches = qs.filter(_MatchFunction(F("search_vector"), _tsquery(query))).order_by("pk")
        return matches.values_list("pk", flat=True)[:limit]
    query.rare = query.large and share == 0
    if not query.large:
        within = flags = ()
    matches = _pg_match(qs, query, within, flags).order_by()
    return matches.values_list("pk", flat=True)[:limit]


class InOrder:
    """The rows of `qs` with these keys, in this order, read a slice at a time.

    A paginator pages it like a queryset: a page reads only its own rows, by key.
    """

    def __init__(self, qs, ids):
        self.qs = qs
        self.ids = ids

    def count(self):
        return len(self.ids)

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self.qs.get(pk=self.ids[index])
        ids = self.ids[index]
        rows = self.qs.in_bulk(ids)
        return [rows[pk] for pk in ids if pk in rows]  # a row gone since is left out

    def __iter__(self):
        return iter(self[:])


# Common words in a large catalog (PostgreSQL). The GIN index collects every match
# before it returns the first: quick for rare words, slow when a query matches a large
# share of a large table (120 ms for the 625,000 matches of 'kacang mete' among
# 5,000,000 products). Reading rows in id order until enough match is then quicker
# (17 ms), but the planner cannot tell: it takes words to occur independently and
# expected 103,000 matches. So the first SAMPLE rows decide, in the same query as the
# table's size. Measured at that scale: a GIN scan costs 0.2-0.5 us a match, reading in
# id order 1.2 us a row read (limit / share rows), so the latter wins when
# share^2 * rows > COMMON (4 * limit): above a 2.8 % share of 5,000,000 rows.
SAMPLE = 2000
LARGE = 500_000  # below this, every match is collected in a few milliseconds
COMMON = 4_000


def _is_common(qs, query):
    """Whether reading `qs` in id order finds the matches sooner than the GIN index."""
    return _common(*_sampled_share(qs, query))


def _common(rows, share):
    """The rule above, for a table's size and its sample's share of matches (or None)."""
    return share is not None and share**2 * rows > COMMON


def _sampled_share(qs, query):
    """The table's size, and the share of its first SAMPLE rows in `qs` that match
    (None below LARGE).

    The table's size comes first (a catalog read): below LARGE the index always wins, and
    the sample costs more than it saves (30-35 ms at regency scale, 50,000 products, for
    2,000 vectors read). The sample is the table's first SAMPLE rows with the list's own
    filters applied: a common word in a kecamatan where it never occurs ('gunung' in
    Mauk) is rare there, and reading in id order walked all 5,000,000 products (3 s) to
    find none."""
    rows = _table_rows(qs.model)
    if rows < LARGE:
        return rows, None
    first_rows = qs.model._base_manager.order_by("pk").values("pk")[:SAMPLE]
    sample = qs.filter(pk__in=first_rows).filter(
        _MatchFunction(F("search_vector"), _tsquery(query))
    )
    return rows, sample.order_by().count() / SAMPLE


# Words common in the whole catalog but rare with the list's filters ('gula' among batik,
# 'keranjang kristal': 0 of 5,000,000 products). The planner takes words and filters to
# be independent and expects thousands of matches, so it reads the table until enough
# match (all of it, 2-6 s), or ANDs a bitmap of the word's 625,000 matches with one of
# the commodity's 625,000 products (too large for work_mem, so rechecked row by row: 2 s).
# Two levers, on a large table only:
# - `within` (first_matches): the filter's name is searched with the words. Every
#   product's text holds its category's and its kecamatan's names (product_text), so
#   the GIN index intersects word and name itself (2 s -> 0.1 s); the filter still applies.
# - match_plan(): where the sample found no match at all, the table is not read in any
#   order (sequential and plain index scans off for the query): the GIN index answers
#   (3.5 s -> 0.1 s for 'keranjang kristal').


@contextmanager
def match_plan(query):
    """The plan of the block's queries, which find a search's matches, in a large table
    (first_matches sets query.large and query.rare): one transaction with SET LOCAL.

    - No parallel workers: under concurrent requests on two cores they took the CPU
      other requests were waiting for (national scale, 4 connections: the search mix's
      p95 237-292 -> 184-203 ms with them off everywhere). Staff lists at regency scale
      did better with them, so only these queries go without.
    - A rare query collects its matches from the indexes (bitmap scans) instead of
      reading the table in some order until enough match: sequential and plain index
      scans off. With only the former off, the planner walked an index over the whole
      table instead (3.5 s)."""
    if not query.large:
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
            if query.rare:
                cursor.execute("SET LOCAL enable_seqscan = off")
                cursor.execute("SET LOCAL enable_indexscan = off")
        yield


def _table_rows(model):
    """The table's size as autovacuum last counted it (-1 before its first ANALYZE)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples FROM pg_class WHERE oid = %s::regclass",
            [_table(model)],
        )
        return cursor.fetchone()[0]


class _MatchFunction(Func):
    """`search_vector @@ query` written as the function behind @@, which no index answers:
    PostgreSQL then reads rows in id order until enough match (see _is_common)."""

    function = "ts_match_vq"
    output_field = BooleanField()


def search_products(qs, q):
    """Products matching `q`, annotated with `search_rank`; all of them when `q` is blank."""
    query = prepare(q)
    if not query:
        return qs
    return ranked(matching(qs, query), query, names=("name", "name_en"))


def matching_businesses(qs, query):
    """Businesses whose text matches: their own, or their active products' (stored with
    the business as `products_text`, see refresh_businesses)."""
    return matching(qs, query)


def search_businesses(qs, q):
    """Businesses matching `q`, annotated with `search_rank`; all of them when `q` is blank."""
    query = prepare(q)
    if not query:
        return qs
    return ranked(matching_businesses(qs, query), query)


# --- A time limit for public searches -----------------------------------------

# Seconds a public list or search may spend in the database before its query is
# cancelled and the visitor is asked for a narrower search. Gunicorn kills a worker
# that takes 30 s; a search that has not answered in a few seconds only holds the worker
# (and a database core) away from the other visitors.
TIME_LIMIT = 3.0


class SearchTooBroad(Exception):
    """The database gave up on a public search (time_limit): too broad to answer now."""


class _Deadline:
    """A block under time_limit: its connection, and when its query is to be cancelled."""

    def __init__(self, raw, seconds):
        self.raw = raw
        self.at = time.monotonic() + seconds
        self.lock = threading.Lock()  # held while cancelling and while the block ends
        self.running = True


class _Watchdog:
    """One thread per process that cancels the query of each block past its deadline.

    A thread per search (threading.Timer) cost 0.3-1 ms of a 8 ms catalog page through
    the test client (its start waits for the new thread to run), on every page the
    limit guards. This one wakes every TICK seconds, so a query is cancelled up to TICK
    after its deadline; arming and ending a block only add and remove a dictionary entry.
    """

    TICK = 0.1

    def __init__(self):
        self.deadlines = set()
        self.lock = threading.Lock()
        self.thread = None

    def arm(self, deadline):
        with self.lock:
            self.deadlines.add(deadline)
            # Started on first use, and again in a forked process (a preloaded app
            # server's workers), where the parent's thread does not run.
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self.run, name="search-time-limit")
                self.thread.daemon = True
                self.thread.start()

    def disarm(self, deadline):
        with deadline.lock:  # waits for a cancel request being sent for it
            deadline.running = False
        with self.lock:
            self.deadlines.discard(deadline)

    def run(self):
        while True:
            time.sleep(self.TICK)
            now = time.monotonic()
            with self.lock:
                due = [d for d in self.deadlines if d.at <= now]
            for deadline in due:
                with deadline.lock:
                    if deadline.running:
                        deadline.running = False  # one cancel request per block
                        deadline.raw.cancel_safe(timeout=2.0)


_watchdog = _Watchdog()


@contextmanager
def time_limit(seconds=None):
    """Cancel the query running when `seconds` (TIME_LIMIT) have passed, and raise
    SearchTooBroad; also for a query cancelled by a server-side statement_timeout.

    PostgreSQL only: the process's watchdog thread (_Watchdog) sends a cancel request
    (psycopg's cancel_safe, on a connection of its own), so the page runs no more
    queries than without it, where `SET statement_timeout` would be one more on every
    search. The request is sent only while the block runs (a lock holds it off once the
    block is done); a cancel that reaches the server between queries is ignored by it.
    Not armed inside a transaction (a test's, or a view's atomic block): a cancelled
    query would abort it.
    """
    deadline = None
    if is_postgresql() and not connection.in_atomic_block:
        connection.ensure_connection()
        # psycopg's own connection: cancel_safe() is its API.
        deadline = _Deadline(connection.connection, TIME_LIMIT if seconds is None else seconds)
        _watchdog.arm(deadline)
    try:
        yield
    except OperationalError as exc:
        if not _cancelled(exc):
            raise
        raise SearchTooBroad from exc
    finally:
        if deadline is not None:
            _watchdog.disarm(deadline)


def _cancelled(exc):
    """A query cancelled (by time_limit or a statement_timeout): SQLSTATE 57014."""
    return getattr(exc.__cause__, "sqlstate", None) == "57014"


# --- Keeping the stored texts and the vocabulary current ----------------------


def add_words(texts):
    """Put every word of `texts` in the vocabulary (one INSERT … ON CONFLICT DO NOTHING)."""
    from ikm_registry.models import SearchTerm

    found = set().union(*(vocabulary_words(t) for t in texts)) if texts else set()
    SearchTerm.objects.bulk_create(
        [SearchTerm(word=w) for w in sorted(found)], ignore_conflicts=True, batch_size=1000
    )


def _has_products_text(model):
    """A business: it is also found by its products' text (Business.products_text)."""
    return any(f.name == "products_text" for f in model._meta.concrete_fields)


def _has_flag_words(model):
    """A product: its vector holds its flag words (FlagWords)."""
    return any(f.name == "export_ready" for f in model._meta.concrete_fields)


def store_vectors(model, ids, names):
    """PostgreSQL: compute the stored `search_vector` of these rows from their texts."""
    if ids and is_postgresql():
        vector = vector_expression(
            names, products=_has_products_text(model), flags=_has_flag_words(model)
        )
        model.objects.filter(pk__in=ids).update(search_vector=vector)


def refresh_products(products, batch=1000):
    """Compute and store `search_text` for a queryset of products, and their copies of
    their business's kecamatan and size class (Product.kecamatan, Product.size_class),
    which a business's save may change."""
    from ikm_registry.models import Product

    rows = list(products.select_related("business__desa__kecamatan", "category").order_by())
    for product in rows:
        product.search_text = product_text(product)
        # The catalog's kecamatan filter reads this copy (Product.kecamatan).
        product.kecamatan_id = product.business.desa.kecamatan_id
        product.size_class = product.business.size_class
    fields = ["search_text", "kecamatan", "size_class"]
    Product.objects.bulk_update(rows, fields, batch_size=batch)
    store_vectors(Product, [p.pk for p in rows], ["name", "name_en"])
    add_words([p.search_text for p in rows])
    return len(rows)


# The whitespace a stored part is trimmed of, here and in SQL (btrim).
_TRIM = " \t\n\r"


def products_text(products):
    """What a business is also found by in the IKM directory: the names and categories
    of its active products, each different one once, in code-point order (their words are
    in the vocabulary already). Not their descriptions: a business's vector is read
    whole for every business a filtered list tests, and five products' descriptions made
    it five times larger. fill_products_text() writes the same text in SQL."""
    parts = {
        part.strip(_TRIM)
        for p in products
        for part in (p.name, p.name_en, p.category.name, p.category.name_en)
    }
    return " ".join(sorted(parts - {""}))


def active_products():
    """The products a business's `products_text` is made of, as products_text() reads them."""
    from ikm_registry.models import Product

    return (
        Product.objects.filter(is_active=True)
        .select_related("category")
        .only("business_id", "name", "name_en", "category__name", "category__name_en")
        .order_by("pk")
    )  # fmt: skip


_PARTS = ("p.name", "p.name_en", "c.name", "c.name_en")
# products_text() in SQL: the parts trimmed, each different one once, in byte order
# (COLLATE "C": UTF-8's byte order is Python's code-point order), one space between.
_PRODUCTS_TEXT_SQL = """
    UPDATE {business} AS b SET products_text = coalesce((
        SELECT string_agg(DISTINCT part COLLATE "C", ' ' ORDER BY part COLLATE "C")
        FROM {product} AS p JOIN {commodity} AS c ON c.id = p.category_id,
            unnest(ARRAY[{parts}]) AS part
        WHERE p.business_id = b.id AND p.is_active AND part <> ''
    ), '')
    WHERE b.id >= %s AND b.id < %s
"""


def _table(model):
    """A model's table name, quoted for raw SQL."""
    return connection.ops.quote_name(model._meta.db_table)


def fill_products_text(business_model, start, stop):
    """Bulk loads (seed_scale, migration 0024): `products_text` and, on PostgreSQL, the
    vector of the businesses with ids in [start, stop), from their active products, as
    refresh_businesses() writes them. The models are given (a migration's own)."""
    product_model = business_model._meta.get_field("products").related_model
    commodity_model = product_model._meta.get_field("category").related_model
    businesses = business_model._base_manager.filter(pk__gte=start, pk__lt=stop)
    if is_postgresql():
        parts = ", ".join(f"btrim({part}::text, E' \\t\\n\\r')" for part in _PARTS)
        sql = _PRODUCTS_TEXT_SQL.format(
            business=_table(business_model),
            product=_table(product_model),
            commodity=_table(commodity_model),
            parts=parts,
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [start, stop])
        businesses.update(search_vector=vector_expression(["name"], products=True))
        return
    products = {}
    active = product_model._base_manager.filter(
        is_active=True, business_id__gte=start, business_id__lt=stop
    )
    for product in active.select_related("category").order_by("pk"):
        products.setdefault(product.business_id, []).append(product)
    rows = list(businesses.filter(pk__in=list(products)).only("pk"))
    for business in rows:
        business.products_text = products_text(products[business.pk])
    business_model._base_manager.bulk_update(rows, ["products_text"], batch_size=1000)


# Business.listed_commodities (models.Listing) from its declared commodities and its
# active products' categories, with its name and kecamatan, in plain SQL that both
# databases run: one INSERT for a batch of businesses.
_LISTINGS_SQL = """
    INSERT INTO {listing} (business_id, commodity_id, name, kecamatan_id)
    SELECT listed.business_id, listed.commodity_id, business.name, desa.kecamatan_id FROM (
        SELECT business_id, commodity_id FROM {declared} WHERE {where}
        UNION
        SELECT business_id, category_id FROM {product} WHERE is_active AND {where}
    ) listed
    JOIN {business} business ON business.id = listed.business_id
    JOIN {desa} desa ON desa.code = business.desa_id
"""


def _store_listings(business_model, where, params, rows):
    """Write Business.listed_commodities anew for some businesses: `rows` are their
    current listing rows (deleted), `where` the same businesses as an SQL condition on
    `business_id` (with `params`), for the INSERT that lists them again."""
    listed = business_model._meta.get_field("listed_commodities").remote_field.through
    declared = business_model._meta.get_field("commodities").remote_field.through
    product = business_model._meta.get_field("products").related_model
    rows.delete()
    sql = _LISTINGS_SQL.format(
        listing=_table(listed),
        declared=_table(declared),
        product=_table(product),
        business=_table(business_model),
        desa=_table(business_model._meta.get_field("desa").related_model),
        where=where,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *params])


def store_listings(business_ids):
    """The commodities these businesses are listed under (Business.listed_commodities),
    after their commodities, products, names or places changed: refresh_businesses(),
    the import."""
    from ikm_registry.models import Business

    through = Business.listed_commodities.through
    for start in range(0, len(business_ids), 500):  # SQLite's limit on parameters
        ids = list(business_ids[start : start + 500])
        where = f"business_id IN ({', '.join(['%s'] * len(ids))})"
        _store_listings(Business, where, ids, through.objects.filter(business_id__in=ids))


def fill_listings(business_model, start, stop):
    """Bulk loads (seed_scale, migration 0026): the listings of the businesses with ids in
    [start, stop), as store_listings() writes them. The model is given (a migration's)."""
    through = business_model._meta.get_field("listed_commodities").remote_field.through
    rows = through._base_manager.filter(business_id__gte=start, business_id__lt=stop)
    _store_listings(business_model, "business_id >= %s AND business_id < %s", [start, stop], rows)


def refresh_businesses(businesses, batch=1000):
    """Compute and store `search_text` and `products_text` for a queryset of businesses
    (after a business's save, and a product's save or delete: signals.py)."""
    from django.db.models import Prefetch

    from ikm_registry.models import Business

    rows = list(
        businesses.select_related("desa__kecamatan")
        .prefetch_related(
            "commodities", Prefetch("products", queryset=active_products(), to_attr="active")
        )
        .order_by()
    )
    for business in rows:
        business.search_text = business_text(business)
        business.products_text = products_text(business.active)
    Business.objects.bulk_update(rows, ["search_text", "products_text"], batch_size=batch)
    store_vectors(Business, [b.pk for b in rows], ["name"])
    store_listings([b.pk for b in rows])
    add_words([b.search_text for b in rows])
    return len(rows)


def rebuild(*, batch=2000, progress=None):
    """Every stored text and the whole vocabulary, anew: `manage.py refresh_search`."""
    from ikm_registry.models import Business, Product, SearchTerm

    SearchTerm.objects.all().delete()
    for model, refresh in ((Business, refresh_businesses), (Product, refresh_products)):
        ids = list(model.objects.order_by("pk").values_list("pk", flat=True))
        bar = progress(model._meta.model_name, len(ids)) if progress else None
        for start in range(0, len(ids), batch):
            chunk = ids[start : start + batch]
            refresh(model.objects.filter(pk__in=chunk), batch=batch)
            if bar:
                bar(len(chunk))


@task()
def refresh_after_rename(*, commodity_id=None, kecamatan_code=None):
    """A commodity or kecamatan was renamed: every text that names it, in the background."""
    from ikm_registry.models import Business, Product

    if commodity_id is not None:
        refresh_products(Product.objects.filter(category_id=commodity_id))
        # Its name is in the sector businesses' text, and in the products_text of every
        # business with a product in it.
        refresh_businesses(
            Business.objects.filter(
                Q(commodities=commodity_id) | Q(products__category_id=commodity_id)
            ).distinct()
        )
        # Its names are in the public facts of the businesses in its sector (facts.py).
        from ikm_registry import facts

        facts.store(Business.objects.filter(commodities=commodity_id))
    if kecamatan_code is not None:
        refresh_products(Product.objects.filter(business__desa__kecamatan_id=kecamatan_code))
        refresh_businesses(Business.objects.filter(desa__kecamatan_id=kecamatan_code))
