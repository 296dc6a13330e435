"""The admin's change lists on large tables: estimated totals and short filter lists.

At regency scale (200,000 deals, 50,000 bookings) counting every row and listing
every mission or event as a filter link cost more than the page of rows itself.
"""

import json

from django.contrib import admin
from django.contrib.admin import widgets as admin_widgets
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import EmptyResultSet
from django.db import connection, connections
from django.db.models import F
from django.db.models.lookups import In
from django.urls import NoReverseMatch, reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext

from tangerang_ikm.pagination import KeysFirstPaginator

# Below this many rows an exact COUNT(*) is cheap enough (a few milliseconds).
ESTIMATE_ABOVE = 100_000


def estimated_rows(model):
    """PostgreSQL's planner estimate of the table's rows (kept fresh by autovacuum), or None."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
            [connection.ops.quote_name(model._meta.db_table)],
        )
        row = cursor.fetchone()
    return row[0] if row and row[0] >= 0 else None


# A list is counted exactly up to this many rows; above, the planner's estimate.
COUNT_UP_TO = 1000


def planned_rows(queryset):
    """PostgreSQL's planner estimate of the rows a query returns (EXPLAIN: no rows read)."""
    if connections[queryset.db].vendor != "postgresql":
        return None
    plan = json.loads(queryset.order_by().values("pk").explain(format="json"))
    return int(plan[0]["Plan"]["Plan Rows"])


class LargeTablePaginator(KeysFirstPaginator):
    """Counts short lists exactly; an unfiltered huge table or a long filtered list from
    the planner's estimate.

    Counting 200,000 deals takes longer than showing a page of them, and so does counting
    the 100,000 of them a filter ("dikonfirmasi", "IDR") or a common word leaves: the
    page itself is the first 50 on the date index, the count reads the whole table. A
    list is counted up to COUNT_UP_TO rows (the scan stops there); a longer one shows
    the planner's estimate (of the table's rows when unfiltered). The admin shows an
    estimated total as "sekitar …" (templates/admin/pagination.html). A page's keys are
    found first (KeysFirstPaginator): deep pages of deals and bookings skip keys only.
    """

    estimated = False

    @cached_property
    def count(self):
        queryset = self.object_list
        query = getattr(queryset, "query", None)
        if query is None:
            return super().count
        estimate = None
        if not query.where:
            estimate = estimated_rows(queryset.model)
            if estimate is not None and estimate > ESTIMATE_ABOVE:
                self.estimated = True
                return estimate
        # Keys only: a sliced count keeps the select list, annotations (each business's
        # product count) included, and a DISTINCT compares them all.
        counted = queryset.order_by().values("pk")[: COUNT_UP_TO + 1].count()
        if counted <= COUNT_UP_TO:
            return counted
        if query.where:
            estimate = planned_rows(queryset)
        if estimate is None:  # SQLite: exact
            return queryset.count()
        self.estimated = True
        return max(estimate, counted)


class _ArrayIn(In):
    """Django's IN with the keys as one array parameter on PostgreSQL (`= ANY(%s)`)."""

    def as_postgresql(self, compiler, connection):
        keys = [key for key in dict.fromkeys(self.rhs) if key is not None]
        if not keys:
            raise EmptyResultSet  # as Django's IN: an OR drops it, an AND finds nothing
        lhs, lhs_params = self.process_lhs(compiler, connection)
        array = f"{self.lhs.output_field.db_type(connection)}[]"
        return f"{lhs} = ANY(%s::{array})", (*lhs_params, keys)


def keys_in(field, keys):
    """`Q(field__in=keys)` for a long list of keys looked up first (a search's sellers).

    As Django's IN each key is its own placeholder, which the driver finds and quotes one
    by one, in each query of the page (count, keys, rows): a word that matches a thousand
    businesses made a third of the deal list's CPU. On PostgreSQL the keys go as one
    array; elsewhere this is Django's IN. Combine it with Q objects as a Q."""
    return _ArrayIn(F(field), list(keys))


# Django's own msgid (contrib/admin/options.py), so Django's catalogs translate it as
# they do its widget's label; a constant, so makemessages leaves it out of ours.
DJANGO_CHECKBOX_LABEL = "Select this object for an action - {}"


# A stand-in for the primary key in a row link made once per page (see RowLinksChangeList).
_PK_MARK = "rowpkmark"  # letters only: the admin's quote() leaves it as it is


class RowLinksChangeList(ChangeList):
    """Django's ChangeList, with each row's link made once per page instead of per row.

    For each row Django reverses the change view's URL (about 60 us here: the admin has
    many URL patterns) and adds the list's filters to it with `add_preserved_filters`,
    which resolves that URL again (another 60 us) to see whether it is the list itself:
    a tenth of a page of 50 deals. Here the link is reversed and given the filters once,
    with a stand-in for the key, and each row puts its key in. `preserved_filters` is
    then empty, so the template tag adds nothing a second time. The links are Django's
    own, byte for byte (tests/portal/test_admin_rows.py); keys that are not integers
    (which Django's `quote` escapes) take Django's way.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.row_filters, self.preserved_filters = self.preserved_filters, ""

    @cached_property
    def _row_link(self):
        url = super().url_for_result(_PkMark())
        return self._with_filters(url)

    def _with_filters(self, url):
        return add_preserved_filters(
            {"preserved_filters": self.row_filters, "opts": self.opts}, url
        )

    def url_for_result(self, result):
        pk = getattr(result, self.pk_attname)
        if type(pk) is int:
            return self._row_link.replace(_PK_MARK, str(pk), 1)
        return self._with_filters(super().url_for_result(result))


class _PkMark:
    """An object whose every attribute is the stand-in key (ChangeList.url_for_result
    reads the key by the model's attribute name)."""

    def __getattr__(self, name):
        return _PK_MARK


class ListRowsMixin:
    """For ModelAdmins of long lists: each row's action checkbox written out, and each
    row's link made once per page (RowLinksChangeList).

    Django's `ModelAdmin.action_checkbox` renders a CheckboxInput through the form
    renderer, a template per row: on a page of 50 deals, a tenth of the request's CPU.
    This is the same markup (tests/portal/test_admin_lists.py compares it with
    Django's, byte for byte) in one format_html. The rest of the row is Django's own.
    """

    def get_changelist(self, request, **kwargs):
        return RowLinksChangeList

    def action_checkbox(self, obj):
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            ACTION_CHECKBOX_NAME,
            str(obj.pk),
            format_html(gettext(DJANGO_CHECKBOX_LABEL), str(obj)),
        )


RECENT_CHOICES = 30


def recent_filter(*ordering, limit=RECENT_CHOICES):
    """A related-object filter listing the newest `limit` objects (and the chosen one).

    Use as `list_filter = [("mission", recent_filter("-start_date"))]`: the URL
    parameter stays `mission__id__exact`, so links from other pages keep working.
    """

    class RecentRelatedFilter(admin.RelatedFieldListFilter):
        def field_choices(self, field, request, model_admin):
            related = field.remote_field.model._default_manager
            objects = list(related.order_by(*ordering)[:limit])
            chosen = [v for v in (self.lookup_val or []) if v]
            shown = {str(obj.pk) for obj in objects}
            missing = [pk for pk in chosen if pk not in shown and str(pk).isdigit()]
            if missing:
                objects += list(related.filter(pk__in=missing))
            return [(obj.pk, str(obj)) for obj in objects]

        def has_output(self):
            # Chosen, it applies even with one choice to offer: Django leaves out a filter
            # without output, and the chosen value with it (the list came unfiltered).
            return bool(self.lookup_val) or super().has_output()

    return RecentRelatedFilter


class _PrimedRawIdWidget(admin_widgets.ForeignKeyRawIdWidget):
    """A raw-id widget that names the object from a shared dict when it holds it."""

    objects = None  # {str(pk): object}, filled by SharedLookupsInline's formset

    def label_and_url_for_value(self, value):
        obj = (self.objects or {}).get(str(value))
        if obj is None:
            return super().label_and_url_for_value(value)
        meta = obj._meta
        try:
            url = reverse(
                f"{self.admin_site.name}:{meta.app_label}_{meta.model_name}_change", args=[obj.pk]
            )
        except NoReverseMatch:
            url = ""
        return Truncator(obj).words(14), url


class SharedLookupsInline:
    """Mixin for inlines: all rows share one query per foreign key, however many rows.

    Django evaluates a select's choices once per row, and a raw-id field looks up the
    name it shows beside the id once per row: a mission with 400 deals ran 2,000
    queries. Here each select's choices are read once per page, the raw-id names of all
    rows in one query per field, and every row knows its parent without asking.

    `max_rows`: show at most this many rows, the first by key (new rows come last, so
    the rows a page shows stay those it posts back), in the inline's order. Django's
    inlines show every row: a seeded mission's 533 deals made its page 20 MB and 105 s.
    The rest are a link away.
    """

    max_rows = None

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.raw_id_fields and "widget" not in kwargs:
            kwargs["widget"] = _PrimedRawIdWidget(
                db_field.remote_field, self.admin_site, using=kwargs.get("using")
            )
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        autocomplete = db_field.name in self.get_autocomplete_fields(request)
        if (
            field is not None
            and db_field.name not in self.raw_id_fields
            and not autocomplete
            and not self._links_parent(db_field)
        ):
            field.choices = list(field.choices)  # read now, once, not once per row
        return field

    def _links_parent(self, db_field):
        """The key to the page's object: the formset replaces its field (with one that
        shows no choices), so reading its choices read the whole parent table for
        nothing (a business's page read all 10,000 businesses five times: 8 s)."""
        return db_field.remote_field.model is self.parent_model and self.fk_name in (
            None,
            db_field.name,
        )

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        raw_id = [name for name in self.raw_id_fields if name in formset.form.base_fields]
        max_rows = self.max_rows

        class PrimedFormSet(formset):
            shown = None

            def get_queryset(self):
                rows = super().get_queryset()
                if max_rows is None:
                    return rows
                if self.shown is None:
                    # The first rows by key, listed in the inline's own order.
                    first = rows.order_by("pk").values("pk")[:max_rows]
                    self.shown = rows.filter(pk__in=first)
                return self.shown

            def __init__(self, *args, **kw):
                super().__init__(*args, **kw)
                rows = self.get_queryset()
                for row in rows:  # each row's parent is the page's object: no query for it
                    setattr(row, self.fk.name, self.instance)
                for name in raw_id:
                    field = self.form.base_fields[name]
                    attname = self.model._meta.get_field(name).attname
                    ids = {getattr(row, attname) for row in rows} - {None}
                    found = field.queryset.model._default_manager.in_bulk(ids)
                    field.widget.objects = {str(pk): o for pk, o in found.items()}

        return PrimedFormSet
