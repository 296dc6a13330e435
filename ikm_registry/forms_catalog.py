"""The catalog's GET filter form: search words, filters and sort order."""

from functools import partial

from django import forms
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce, NullIf
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ikm_registry import search
from ikm_registry.fields import SafeModelChoiceField
from ikm_registry.models import Business, Certificate, Commodity, Kecamatan, Product, unindexed
from ikm_registry.search import MAX_QUERY_LENGTH
from tangerang_ikm.cache import cached


def valid_certificates(today=None):
    """Certificates that still count: no end date, or not yet expired."""
    today = today or timezone.localdate()
    return Certificate.objects.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))


def _input_html(input_type, name, value, attrs):
    """Django's input.html and attrs.html, byte for byte, written in Python: the form
    renderer's two templates were a quarter of the catalog filter form's rendering."""
    html = format_html('<input type="{}" name="{}"', input_type, name)
    if value is not None:
        html += format_html(' value="{}"', value)
    for key, item in attrs.items():
        if item is True:
            html += format_html(" {}", key)
        elif item is not False and item is not None:
            html += format_html(' {}="{}"', key, item)
    return html + mark_safe(">")


class QuickInput(forms.TextInput):
    """A text input without the form renderer (see _input_html)."""

    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, attrs)
        return _input_html(self.input_type, name, self.format_value(value), final)


class QuickCheckbox(forms.CheckboxInput):
    """A checkbox without the form renderer (see _input_html)."""

    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, attrs)
        if self.check_test(value):
            final["checked"] = True
        return _input_html("checkbox", name, self.format_value(value), final)


class KnownChoiceMixin:
    """A model choice found among rows already read (`known`: key -> instance, from the
    cached filter choices), so that a chosen filter costs no query on every page; the
    cache is dropped when the table changes (ikm_registry/signals.py)."""

    known = None

    def to_python(self, value):
        if self.known is None or value in self.empty_values:
            return super().to_python(value)
        try:
            return self.known[str(value)]
        except KeyError:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            ) from None


class CommodityChoiceField(KnownChoiceMixin, SafeModelChoiceField):
    def label_from_instance(self, obj):
        if (get_language() or "id").startswith("en") and obj.name_en:
            return obj.name_en
        return obj.name


class KecamatanChoiceField(KnownChoiceMixin, forms.ModelChoiceField):
    pass


def _options(choices):
    """Each option as (value, the markup before " selected", the markup after), escaped."""
    return [
        (str(key), format_html('<option value="{}"', key), format_html(">{}</option>", label))
        for key, label in choices
    ]


def _filter_choices():
    """The commodity and kecamatan options, as the form's fields list them, escaped,
    and each row by the key a query string names it with: cached per language, dropped
    when either table changes (ikm_registry/signals.py). Products and businesses do not
    drop them, so a page's query count stays the same."""
    options, known = [], []
    for name in ("commodity", "kecamatan"):
        # A model choice's value carries its row (ModelChoiceIteratorValue.instance).
        # (Iterated, not list(): that asks the iterator's length first, a COUNT query.)
        choices = [choice for choice in CatalogFilterForm.base_fields[name].choices]
        options.append(_options(choices))
        known.append({str(v): v.instance for v, _label in choices if hasattr(v, "instance")})
    return (*options, *known)


class OptionsSelect(forms.Select):
    """A <select> from options escaped once (`options`, as _options makes them), or
    once per language and process for fixed choices: QuickSelect's markup, without
    escaping every option on every page (as slow as all 24 product cards together)."""

    options = None
    # (field name, language): options. Only CatalogFilterForm uses this widget, and each
    # of its fields without `options` has fixed choices.
    _escaped = {}

    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        chosen = {str(v) for v in self.format_value(value)}
        options = self.options
        if options is None:
            key = (name, get_language())
            options = self._escaped.get(key)
            if options is None:
                options = self._escaped[key] = _options(self.choices)
        html = "".join(
            before + (" selected" if key in chosen else "") + after
            for key, before, after in options
        )
        return format_html("<select{}>{}</select>", flatatt(final), mark_safe(html))  # noqa: S308 - escaped in _options


class CatalogFilterForm(forms.Form):
    """Filters shared by the product catalog and the IKM directory.

    Bad values (a commodity that does not exist, an unknown sort) are reported by the
    form and that filter is ignored: the page still answers.
    """

    SORTS = {
        "relevance": _("paling sesuai"),
        "name": _("nama (A-Z)"),
        "newest": _("terbaru"),
    }

    q = forms.CharField(
        label=_("Cari"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        widget=QuickInput(attrs={"type": "search", "placeholder": _("mis. rotan, mede")}),
    )
    commodity = CommodityChoiceField(
        label=_("Komoditas"),
        queryset=Commodity.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("Semua komoditas"),
        widget=OptionsSelect,
    )
    kecamatan = KecamatanChoiceField(
        label=_("Kecamatan"),
        queryset=Kecamatan.objects.all(),
        required=False,
        empty_label=_("Semua kecamatan"),
        widget=OptionsSelect,
    )
    certificate = forms.ChoiceField(
        label=_("Sertifikat"),
        choices=[("", _("Semua sertifikat")), *Certificate.Kind.choices],
        required=False,
        widget=OptionsSelect,
    )
    size = forms.ChoiceField(
        label=_("Skala usaha"),
        choices=[("", _("Semua skala")), *Business.SizeClass.choices],
        required=False,
        widget=OptionsSelect,
    )
    export_ready = forms.BooleanField(
        label=_("Hanya yang siap ekspor"), required=False, widget=QuickCheckbox
    )
    # Options written in Python (OptionsSelect): through the template engine the filter
    # form's 60 options were a fifth of a catalog page's rendering.
    sort = forms.ChoiceField(
        label=_("Urutkan"), choices=list(SORTS.items()), required=False, widget=OptionsSelect
    )

    def __init__(self, data=None, **kwargs):
        # Drop empty parameters so that an empty GET form is not "bound with errors".
        self.implicit_sort = False
        self.match_count = None  # set by a search: how many matches it answers from
        self.rows = None  # set by filter_*(rows=…): the page's rows, read by key
        self.gave_up = False  # set by too_broad()
        if data is not None:
            data = data.copy()
            data.pop("page", None)
            if not data.get("sort"):
                # Show the order actually used: relevance when searching, else by name.
                data["sort"] = "relevance" if data.get("q", "").strip() else "name"
                self.implicit_sort = True
        else:
            kwargs.setdefault("initial", {"sort": "name"})
        super().__init__(data, **kwargs)
        # The options and the rows a chosen value names come from the cache. Reading the
        # two lists through Django's model-choice iterator took two server-side cursors
        # (six round trips) and 50 model objects on every page, and checking a chosen
        # value against its table a query each.
        # (A key of its own: the options alone were cached as "options" before.)
        choices = cached("catalog-choices", "options-and-rows", _filter_choices)
        names = ("commodity", "kecamatan")
        for name, options, known in zip(names, choices[:2], choices[2:], strict=True):
            self.fields[name].widget.options = options
            self.fields[name].known = known
        self.valid = self.is_valid() if self.is_bound else True

    def value(self, name):
        """A cleaned value, or the empty default when the field was invalid."""
        if not self.is_bound or name in self.errors:
            return self.fields[name].to_python("") if name != "export_ready" else False
        return self.cleaned_data.get(name)

    @property
    def query(self):
        return (self.value("q") or "").strip()

    def sort_key(self):
        sort = self.value("sort")
        if not sort:
            return "relevance" if self.query else "name"
        if sort == "relevance" and not self.query:
            return "name"
        return sort

    def _business_filters(self, prefix="", kecamatan_field=None, size_field=None):
        """The filters on the business; `kecamatan_field` and `size_field` name stored
        copies of its kecamatan (Product.kecamatan, Listing.kecamatan) and size class
        (Product.size_class) instead of the business's own."""
        condition = Q()
        if kecamatan := self.value("kecamatan"):
            condition &= Q(**{kecamatan_field or f"{prefix}desa__kecamatan": kecamatan})
        if size := self.value("size"):
            condition &= Q(**{size_field or f"{prefix}size_class": size})
        if kind := self.value("certificate"):
            holders = valid_certificates().filter(kind=kind).values("business_id")
            condition &= Q(**{f"{prefix}pk__in": holders})
        return condition

    def _export_ready(self):
        """The export-ready filter; in a search, checked on the word's matches
        (models.unindexed). As a plain condition, the planner ANDed the word's matches
        with a bitmap of every export-ready product (1,200,000 at national scale, 123 of
        a search's 173 ms)."""
        if not self.query:
            return Q(export_ready=True)
        return unindexed("export_ready")[0]

    def _ordered(self, qs, rows, ordering, rows_ordering=None):
        """`qs` in the page's order; `rows` (the same list without the filters, given
        by a view that pages by key) in the same order (`rows_ordering` where that is
        written otherwise), as self.rows: a page's rows are read from it by key, without
        the filters' subqueries and joins again."""
        if rows is not None:
            self.rows = rows.order_by(*(rows_ordering or ordering))
        return qs.order_by(*ordering)

    def _first_matches(self, products=False):
        """search.first_matches, searching the names of the chosen commodity and kecamatan
        with the words in a large catalog (see search.match_plan): a product's
        text holds its category's and kecamatan's names, a business's its kecamatan's and
        every commodity it is listed under (its own, its active products' categories).
        A product's vector also holds the words of its size class and export readiness
        (search.FlagWords): `products` searches those of the chosen filters too."""
        chosen = (self.value("commodity"), self.value("kecamatan"))
        flags = ()
        if products:
            flags = search.flag_words(
                size=self.value("size"), export_ready=bool(self.value("export_ready"))
            )
        return partial(search.first_matches, within=[f.name for f in chosen if f], flags=flags)

    def _searched(self, qs, first_matches, names, ordering, rows=None):
        """The first RANKED matches of the query (and one more, to tell "more than"), in
        the page's order, as a sequence the paginator pages.

        A search is answered from at most that many matches, whichever the sort: ranking
        needs every row it ranks, and walking the name index until enough matches turn
        up took 8 s at national scale when the matching names sort late. One query
        finds the matches and orders just their keys (no joins, no photos); the page
        then reads its own rows by key. Ordering whole rows of every match, with the
        joins and cover-photo subqueries of a card, was half of a search's time. More
        than RANKED matches is "more than 1.000" on the page: filters narrow them.
        """
        query = search.prepare(self.query)
        first = first_matches(qs, query, search.RANKED + 1)
        model = qs.model._default_manager
        matches = search.ranked(model.filter(pk__in=first), query, names=names)
        with search.match_plan(query):
            ids = list(matches.order_by(*ordering).values_list("pk", flat=True))
        self.match_count = len(ids)  # exact up to RANKED: the page needs no count query
        # The matches are already filtered: their rows are read by key alone.
        return search.InOrder(qs if rows is None else rows, ids)

    def filter_products(self, qs, rows=None):
        """Public products narrowed by the filters, in the chosen order: a queryset, or
        a search's matches as an InOrder sequence. `rows`: see _ordered().

        `qs` is every public product (Product.objects.public(), its columns chosen by the
        caller): a search finds its matches among the same rows written for a search
        (public(indexed=False)) and reads its page's rows from `rows` or `qs` by key."""
        # The kecamatan and size class from the product's own copies (Product.kecamatan,
        # Product.size_class): not a join of every matching product to its business.
        conditions = [
            self._business_filters(
                "business__", kecamatan_field="kecamatan", size_field="size_class"
            )
        ]
        if commodity := self.value("commodity"):
            conditions.append(Q(category=commodity))
        if self.value("export_ready"):
            conditions.append(self._export_ready())
        english = (get_language() or "id").startswith("en")
        display = Coalesce(NullIf(F("name_en"), Value("")), F("name")) if english else None
        ordering = {
            "relevance": ["-search_rank", "name", "pk"],
            "name": [display.asc() if display is not None else "name", "pk"],
            "newest": ["-created_at", "-pk"],
        }[self.sort_key()]
        if self.query:
            matches = Product.objects.public(indexed=False).filter(*conditions)
            return self._searched(
                matches, self._first_matches(products=True), ("name", "name_en"), ordering,
                qs if rows is None else rows,
            )  # fmt: skip
        return self._ordered(qs.filter(*conditions), rows, ordering)

    def filter_businesses(self, qs, rows=None):
        """Verified businesses narrowed by the filters, in the chosen order (as above)."""
        ordering = {
            "relevance": ["-search_rank", "name", "pk"],
            "name": ["name", "pk"],
            "newest": ["-verified_at", "-pk"],
        }[self.sort_key()]
        # Its own commodities or its products' (Business.listed_commodities): for a
        # verified business, its active products are its public ones.
        commodity = self.value("commodity")
        listing = self.in_listing_order()
        if listing:
            # The listing's copies of its kecamatan and name (models.Listing), in one
            # filter() so that both conditions are on the same listing row.
            filters = self._business_filters(kecamatan_field="listings__kecamatan")
            qs = qs.filter(filters, listings__commodity=commodity)
            qs = qs.annotate(listed_name=F("listings__name"))
        else:
            qs = qs.filter(self._business_filters())
            if commodity:
                qs = qs.filter(listed_commodities=commodity)
        if self.value("export_ready"):
            public = Product.objects.public()
            qs = qs.filter(pk__in=public.filter(export_ready=True).values("business_id"))
        if self.query:
            return self._searched(qs, self._first_matches(), ("name",), ordering, rows=rows)
        if listing:
            return self._ordered(qs, rows, self.LISTING_ORDER, rows_ordering=ordering)
        return self._ordered(qs, rows, ordering)

    # A commodity's businesses (in a kecamatan) in name order: by the listing's copy of
    # the name (models.Listing), which PostgreSQL reads in order from the listing's
    # indexes (commodity, [kecamatan,] name, business) instead of walking every
    # business's name index until enough of the commodity's turn up (a name often says
    # what a business makes, so a commodity's names sort together: 2 s at national
    # scale). The API's cursor pages by it too (BusinessViewSet.cursor_ordering).
    LISTING_ORDER = ("listed_name", "pk")

    def in_listing_order(self):
        return bool(self.value("commodity")) and self.sort_key() == "name" and not self.query

    TOO_BROAD = _(
        "Pencarian ini terlalu luas untuk dijawab sekarang. Persempit dengan kata yang "
        "lebih khusus atau tambahkan filter."
    )

    def too_broad(self):
        """The database gave up on this search (search.time_limit): no matches to show,
        and the reason under the search box."""
        self.match_count = 0
        self.rows = None
        self.gave_up = True
        self.add_error("q" if self.is_bound else None, self.TOO_BROAD)

    def querystring(self):
        """The current filters as a query string, without the page, for pagination links."""
        if not self.is_bound:
            return ""
        params = self.data.copy()
        for key in list(params):
            if not params.get(key) or (key == "sort" and self.implicit_sort):
                del params[key]
        return params.urlencode()

    @property
    def active(self):
        return bool(self.querystring())
