"""The admin's change lists on large tables: estimated totals and short filter lists.

At regency scale (200,000 deals, 50,000 bookings) counting every row and listing
every mission or event as a filter link cost more than the page of rows itself.
"""

import datetime
from urllib.parse import quote as url_quote

from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin import widgets as admin_widgets
from django.contrib.admin.templatetags.admin_list import (
    ResultList,
    _boolean_icon,
    _coerce_field_name,
)
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import (
    FieldIsAForeignKeyColumnName,
    _get_non_gfk_field,
    display_for_field,
    display_for_value,
    lookup_field,
    quote,
)
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.core.paginator import Paginator
from django.core.signals import setting_changed
from django.db import connection, models
from django.dispatch import receiver
from django.urls import NoReverseMatch, reverse
from django.utils.functional import cached_property
from django.utils.html import conditional_escape, escape, format_html
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from tangerang_ikm.cache import staff_response

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


class LargeTablePaginator(Paginator):
    """Counts a filtered list exactly; an unfiltered huge table from the planner's estimate.

    Counting 200,000 deals takes longer than showing a page of them. The admin shows an
    estimated total as "sekitar …" (templates/admin/pagination.html).
    """

    estimated = False

    @cached_property
    def count(self):
        query = getattr(self.object_list, "query", None)
        if query is not None and not query.where:
            estimate = estimated_rows(self.object_list.model)
            if estimate is not None and estimate > ESTIMATE_ABOVE:
                self.estimated = True
                return estimate
        return super().count


class CachedChangeList:
    """ModelAdmin mixin: a change list a staff member has seen is served again from the
    cache until the next write to the portal's rows (`tangerang_ikm.cache.staff_response`).

    Going back to a list after opening a row, or paging back and forth, then costs a
    cache read instead of the 25-30 ms Django's change list takes at regency scale.
    """

    def changelist_view(self, request, extra_context=None):
        view = super().changelist_view
        if not self.has_view_or_change_permission(request):
            return view(request, extra_context)  # Django's own refusal
        return staff_response(request, lambda: view(request, extra_context))


class QuickRowCheckbox:
    """ModelAdmin mixin: each row's action checkbox written directly, not by the form renderer.

    Django renders it as a CheckboxInput through the template engine: about a sixth of a
    50-row change list in a profile, a few per cent of its time under load. This is the
    same markup (tests/portal/test_admin_lists.py compares the two).
    """

    def action_checkbox(self, obj):
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            str(obj.pk),
            format_html(_("Select this object for an action - {}"), str(obj)),
        )


# --- Change-list rows ---------------------------------------------------------


class QuickRows(QuickRowCheckbox):
    """ModelAdmin mixin: change-list rows written from columns worked out once a page.

    Django's `items_for_result` works out every cell from scratch: which field the
    column shows, its empty value, its CSS classes, the change link's URL (a `reverse`
    per row), a `static()` lookup per boolean icon, then `format_html`, and the
    template renders each cell again. Here each column is worked out once for the page
    and a row is one string. The markup is Django's, byte for byte; lists Django would
    write differently (editable ones, pop-ups, `__` lookups, change lists with their own
    links) are left to Django. tests/portal/test_admin_lists.py compares the two.
    """

    def quick_rows(self, cl):
        """The page's rows, or None when Django's own rows are needed."""
        if cl.formset or cl.is_popup or cl.list_display_links is None:
            return None
        if any(isinstance(n, str) and "__" in n and n != "__str__" for n in cl.list_display):
            return None
        if type(cl).url_for_result is not ChangeList.url_for_result:
            return None  # a change list with its own links
        columns = _columns(cl)
        if columns is None:
            return None
        return [ResultList(None, [_row(columns, obj, cl.pk_attname)]) for obj in cl.result_list]


_ICONS = {}


def _icon(value):
    """Django's boolean icon, one static() lookup per value and process."""
    if value not in _ICONS:
        _ICONS[value] = _boolean_icon(value)
    return _ICONS[value]


@receiver(setting_changed)
def _static_changed(*, setting, **kwargs):
    if setting in {"STATIC_URL", "STORAGES"}:
        _ICONS.clear()


def _columns(cl):
    """(writer, classes, tag, link, empty value, classes on failure) for each column, as
    items_for_result decides them; None when a change link cannot be written this way."""
    model_admin = cl.model_admin
    default_empty = model_admin.get_empty_value_display()
    links = cl.list_display_links
    columns, first = [], True
    for index, name in enumerate(cl.list_display):
        classes = f"field-{_coerce_field_name(name, index)}"
        is_link = (first and not links) or name in links
        writer = _writer(cl, name, default_empty, is_link)
        failed = classes  # a cell whose lookup fails keeps the plain class, as in Django
        if name == "action_checkbox":
            classes = "action-checkbox"
        if is_link:
            tag = "th" if first else "td"
            first = False
            url = _change_url(cl)
            if url is None:
                return None
        else:
            tag, url = "td", None
        columns.append((writer, classes, tag, url, default_empty, failed))
    return columns


_PK = "QUICKROWPK"  # letters only: quote() and add_preserved_filters leave it as it is


def _change_url(cl):
    """(before, after) the quoted primary key in a row's change link, or None."""
    try:
        url = reverse(
            f"admin:{cl.opts.app_label}_{cl.opts.model_name}_change",
            args=(_PK,),
            current_app=cl.model_admin.admin_site.name,
        )
    except NoReverseMatch:
        return None
    url = add_preserved_filters({"preserved_filters": cl.preserved_filters, "opts": cl.opts}, url)
    before, _sep, after = url.partition(_PK)
    return before, after


def _writer(cl, name, default_empty, is_link):
    """A function obj -> (shown value, nowrap) for one column."""
    model_admin = cl.model_admin
    try:
        field = _get_non_gfk_field(cl.opts, name)
    except (FieldDoesNotExist, FieldIsAForeignKeyColumnName):
        field = None
    if field is None:
        if callable(name) or (hasattr(model_admin, name) and name != "__str__"):
            attr = name if callable(name) else getattr(model_admin, name)
            empty = getattr(attr, "empty_value_display", default_empty)
            boolean = getattr(attr, "boolean", False)

            def method(obj):
                value = attr(obj)
                return (
                    display_for_value(value, empty, boolean),
                    isinstance(value, (datetime.date, datetime.time)),
                )

            return method

        # A model attribute or method: Django's own lookup, cell by cell.
        def attribute(obj):
            _f, attr, value = lookup_field(name, obj, model_admin)
            empty = getattr(attr, "empty_value_display", default_empty)
            boolean = getattr(attr, "boolean", False)
            if isinstance(attr, property) and hasattr(attr, "fget"):
                boolean = getattr(attr.fget, "boolean", False)
            return (
                display_for_value(value, empty, boolean),
                isinstance(value, (datetime.date, datetime.time)),
            )

        return attribute
    attname = field.name
    if field.auto_created:

        def auto(obj):
            value = getattr(obj, attname)
            return (
                display_for_value(value, default_empty),
                isinstance(value, (datetime.date, datetime.time)),
            )

        return auto
    nowrap = isinstance(field, (models.DateField, models.TimeField, models.ForeignKey))
    if isinstance(field.remote_field, models.ManyToOneRel):

        def related(obj):
            value = getattr(obj, attname)
            return (default_empty if value is None else value), nowrap

        return related
    choices = getattr(field, "flatchoices", None)
    if choices and not isinstance(field, models.BooleanField):
        try:
            shown = dict(choices)
        except TypeError:  # list-like choices: Django's own path
            shown = None
        if shown is not None:

            def choice(obj):
                try:
                    return shown.get(getattr(obj, attname), default_empty), nowrap
                except TypeError:
                    return display_for_field(getattr(obj, attname), field, default_empty), nowrap

            return choice
    if isinstance(field, models.BooleanField) and not choices:

        def boolean(obj):
            value = getattr(obj, attname)
            if value is True or value is False or value is None:
                return _icon(value), nowrap
            return display_for_field(value, field, default_empty, avoid_link=is_link), nowrap

        return boolean

    def other(obj):
        value = getattr(obj, attname)
        return display_for_field(value, field, default_empty, avoid_link=is_link), nowrap

    return other


def _row(columns, obj, pk_attname):
    cells = []
    for writer, classes, tag, url, empty, failed in columns:
        try:
            shown, nowrap = writer(obj)
        except ObjectDoesNotExist:
            shown, nowrap, classes = empty, False, failed
        shown = conditional_escape(shown)
        cls = classes + " nowrap" if nowrap else classes
        if url is not None:
            pk = str(quote(getattr(obj, pk_attname)))
            if pk != "":  # Django finds no change URL for an empty key
                # reverse() quotes the whole path so; the key is the only part that varies.
                pk = url_quote(pk, safe=RFC3986_SUBDELIMS + "/~:@")
                shown = f'<a href="{escape(url[0] + pk + url[1])}">{shown}</a>'
        cells.append(f'<{tag} class="{cls}">{shown}</{tag}>')
    return SafeString("".join(cells))


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
    """

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.raw_id_fields and "widget" not in kwargs:
            kwargs["widget"] = _PrimedRawIdWidget(
                db_field.remote_field, self.admin_site, using=kwargs.get("using")
            )
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        autocomplete = db_field.name in self.get_autocomplete_fields(request)
        if field is not None and db_field.name not in self.raw_id_fields and not autocomplete:
            field.choices = list(field.choices)  # read now, once, not once per row
        return field

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        raw_id = [name for name in self.raw_id_fields if name in formset.form.base_fields]

        class PrimedFormSet(formset):
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
