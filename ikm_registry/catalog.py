"""The public catalog: products and the IKM directory, in Indonesian and English.

Everything here starts from `Business.objects.verified()` or `Product.objects.public()`,
so drafts, returned, unverified and archived data cannot leak through a forgotten filter.
Owners mark inquiries answered through `inquiries.inquiries_for_owner` (404 for others).
The inquiry form has its own page (views_inquiry.py), so these pages carry no token.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, OuterRef, Q, Subquery
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ikm_registry import inquiries, search, trust
from ikm_registry.forms_catalog import CatalogFilterForm
from ikm_registry.models import Business, Product, ProductPhoto
from tangerang_ikm.cache import public_page
from tangerang_ikm.pagination import KeysFirstPaginator

PAGE_SIZE = 24
# The most matches a list counts: beyond it, "more than 1.000" and 42 pages to page,
# filters and search words to narrow them. As many as a search ranks (search.RANKED).
COUNT_CAP = 1_000


# Columns no public page shows, left unread: the search texts and vectors (a tsvector is
# the largest column of a row), the verification snapshot (JSON to decode), staff notes
# and the NIK. A card's row came to 3 KB with them.
PRODUCT_UNREAD = ("search_text", "search_vector")
BUSINESS_UNREAD = (
    "search_text", "products_text", "search_vector", "verified_snapshot", "staff_notes", "nik",
)  # fmt: skip


def public_business_fields(prefix=""):
    return [prefix + name for name in BUSINESS_UNREAD]


def public_products():
    """Public products with what a card shows, in one query: the cover photo is annotated."""
    photos = ProductPhoto.objects.filter(product=OuterRef("pk")).order_by("position", "pk")
    return (
        Product.objects.public()
        .select_related("business__desa__kecamatan", "category")
        .defer(*PRODUCT_UNREAD, *public_business_fields("business__"))
        .annotate(
            cover_image=Subquery(photos.values("image")[:1]),
            cover_thumbnail=Subquery(photos.values("thumbnail")[:1]),
            cover_alt=Subquery(photos.values("alt_text")[:1]),
        )
    )


# What a product card shows (catalog_cards.product_cards), and all a list of cards reads.
# Whole rows of each product, its business, desa, kecamatan and category cost the ORM
# more to read and to turn into instances: a catalog page took 7-15 % less CPU without
# them (interleaved A/B, regency scale). A field a card reads but this leaves out costs
# a query per card, which the query-count tests catch.
CARD_PRODUCT_COLUMNS = (  # the product's own and its category's
    "slug", "name", "name_en", "min_order", "unit", "export_ready",
    "category__name", "category__name_en",
)  # fmt: skip
CARD_COLUMNS = (
    *CARD_PRODUCT_COLUMNS,
    "business__slug",
    "business__name",
    "business__desa__kecamatan__name",
)


def product_cards():
    """public_products() reading only what a card shows."""
    return public_products().only(*CARD_COLUMNS)


class CappedPaginator(KeysFirstPaginator):
    """Counts matches only up to `cap`: past that the page says "more than …".

    An exact count reads every match; a capped one stops after `cap` rows, so a common
    word or an unfiltered national catalog costs the same as a rare one.
    """

    def __init__(self, object_list, per_page, cap, *, known=None, rows=None):
        super().__init__(object_list, per_page, rows=rows)
        self.cap = cap
        self.known = known  # a count already known (a search's matches), or None
        self.more = False

    @cached_property
    def count(self):
        if self.known is not None:
            n = self.known
        else:
            n = self.object_list.order_by().values("pk")[: self.cap + 1].count()
        self.more = n > self.cap
        return min(n, self.cap)


def _page(request, qs, known=None, rows=None):
    paginator = CappedPaginator(qs, PAGE_SIZE, COUNT_CAP, known=known, rows=rows)
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)  # one query, whatever reads it first
    return page


def _list_page(request, form, filtered, empty, template):
    """A catalog or directory list: `filtered()` runs the form's search and filters under
    search.time_limit. A search the database gave up on shows the form's message and no
    rows, and is not kept by a browser or proxy: it may answer when the server is less
    busy."""
    try:
        with search.time_limit():
            qs = filtered()
            page = _page(request, qs, known=form.match_count, rows=form.rows)
    except search.SearchTooBroad:
        form.too_broad()
        page = _page(request, empty, known=0)
    response = render(
        request, template, {"form": form, "page_obj": page, "querystring_base": form.querystring()}
    )
    if form.gave_up:
        add_never_cache_headers(response)
    return response


# The lists below filter a bare queryset and read the page's rows from the cards' own
# (`rows`): the filters and keys need no joins or cover subqueries, and building those
# into a queryset only to leave them unread was a tenth of a search's CPU.


@public_page
def product_list(request):
    form = CatalogFilterForm(request.GET or None)
    return _list_page(
        request,
        form,
        lambda: form.filter_products(Product.objects.public(), rows=product_cards()),
        Product.objects.none(),
        "ikm_registry/catalog/product_list.html",
    )


# What a directory card shows (catalog_cards.business_cards), as CARD_COLUMNS for products.
DIRECTORY_CARD_COLUMNS = (
    "slug", "name", "size_class", "description", "description_en", "desa__kecamatan__name",
    "public_facts",  # the commodity badges (facts.commodities)
)  # fmt: skip


def directory_businesses():
    """Verified businesses with what a directory card shows (catalog_cards.business_cards)."""
    public_count = (
        Product.objects.public()
        .filter(business=OuterRef("pk"))
        .order_by()
        .values("business")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Business.objects.verified()
        .select_related("desa__kecamatan")
        .only(*DIRECTORY_CARD_COLUMNS)
        .annotate(public_products=Subquery(public_count))
    )


@public_page
def business_list(request):
    form = CatalogFilterForm(request.GET or None)
    return _list_page(
        request,
        form,
        lambda: form.filter_businesses(Business.objects.verified(), rows=directory_businesses()),
        Business.objects.none(),
        "ikm_registry/catalog/business_list.html",
    )


def products_of(business):
    """`business`'s public products as cards, without joining the business again (its
    page has it already: with_business puts it on each product) and without their
    covers (photos_and_covers gives them)."""
    return (
        Product.objects.public()
        .filter(business=business)
        .select_related("category")
        .only(*CARD_PRODUCT_COLUMNS)
    )


def with_business(business, products):
    """The products, each with `business` as its business (no query): a list."""
    products = list(products)
    for product in products:
        product.business = business
    return products


def photos_and_covers(product, others):
    """`product`'s photos (a list, in their order; none for no product), with one query
    that also gives each of `others` its card's cover (the `cover_*` values
    public_products() annotates: its first photo's, or None). The three cover
    subqueries cost more to compile than the query they saved: about a tenth of a
    product page's CPU."""
    own_pk = product.pk if product is not None else None
    photos = ProductPhoto.objects.filter(
        product_id__in=[*([own_pk] if own_pk else []), *(other.pk for other in others)]
    ).order_by("position", "pk")
    own, first = [], {}
    for photo in photos:
        if photo.product_id == own_pk:
            own.append(photo)
        else:
            first.setdefault(photo.product_id, photo)
    for other in others:
        cover = first.get(other.pk)
        other.cover_image = cover.image.name if cover else None
        other.cover_thumbnail = cover.thumbnail.name if cover else None
        other.cover_alt = cover.alt_text if cover else None
    return own


# What a product page shows of the product, its category, business and place: the
# query that reads them cost a sixth less CPU to build and read than whole rows less
# the unread columns (1,000 lookups, interleaved: 3.2 -> 2.7 ms). A field the page reads but this
# leaves out costs a query, which the query-count tests catch.
PRODUCT_PAGE_COLUMNS = (
    "slug", "name", "name_en", "description", "description_en", "hs_code", "unit",
    "min_order", "capacity_per_month", "price_min", "price_max", "fob_price_usd",
    "export_ready", "lead_time_days", "samples", "incoterms", "port_of_loading",
    "payment_terms", "created_at", "updated_at",
    "category__slug", "category__name", "category__name_en", "category__hs_code",
    "business__slug", "business__name", "business__description", "business__description_en",
    "business__legal_form", "business__size_class", "business__founded_year",
    "business__website", "business__phone", "business__whatsapp_public",
    "business__verified_at", "business__logo", "business__public_facts",
    "business__updated_at", "business__desa__code", "business__desa__name",
    "business__desa__kecamatan__code", "business__desa__kecamatan__name",
)  # fmt: skip


@public_page
def product_detail(request, slug):
    product = get_object_or_404(
        Product.objects.public()
        .select_related("business__desa__kecamatan", "category")
        .only(*PRODUCT_PAGE_COLUMNS),
        slug=slug,
    )
    business = product.business
    # The business's other products as cards: their covers come with the photos.
    more = with_business(
        business,
        Product.objects.public()
        .filter(business=business)
        .exclude(pk=product.pk)
        .select_related("category")
        .only(*CARD_PRODUCT_COLUMNS)
        .order_by("-export_ready", "name")[:4],
    )
    photos = photos_and_covers(product, more)
    context = {
        "product": product,
        "business": business,
        "photos": photos,
        "more_products": more,
        # Certificates with validity, export history, indicative US$ (issue #23).
        **trust.product_trust(product),
    }
    return render(request, "ikm_registry/catalog/product_detail.html", context)


def products_page(request, business):
    """A page of `business`'s product cards: the keys of its public products in their
    order first (at most COUNT_CAP + 1, from the index over public products by business;
    their number is the count), then the page's cards by key, then their covers
    (photos_and_covers). The paginator's count and keys-first page query, with the cards'
    subqueries, cost a third more to compile."""
    keys = list(
        Product.objects.public()
        .filter(business=business)
        .order_by("-export_ready", "name")
        .values_list("pk", flat=True)[: COUNT_CAP + 1]
    )
    paginator = CappedPaginator(keys[:COUNT_CAP], PAGE_SIZE, COUNT_CAP, known=len(keys))
    page = paginator.get_page(request.GET.get("page"))
    cards = {
        product.pk: product for product in products_of(business).filter(pk__in=page.object_list)
    }
    page.object_list = [cards[pk] for pk in page.object_list if pk in cards]
    photos_and_covers(None, page.object_list)
    return page


# What an IKM page shows of the business and its place (as PRODUCT_PAGE_COLUMNS).
BUSINESS_PAGE_COLUMNS = tuple(
    name.removeprefix("business__")
    for name in PRODUCT_PAGE_COLUMNS
    if name.startswith("business__")
)


@public_page
def business_detail(request, slug):
    business = get_object_or_404(
        Business.objects.verified().select_related("desa__kecamatan").only(*BUSINESS_PAGE_COLUMNS),
        slug=slug,
    )
    page = products_page(request, business)
    with_business(business, page.object_list)
    context = {
        "business": business,
        "page_obj": page,
        **trust.business_trust(business),
    }
    return render(request, "ikm_registry/catalog/business_detail.html", context)


# --- Owners: their inquiries -------------------------------------------------


@login_required
def owner_inquiries(request):
    qs = inquiries.inquiries_for_owner(request.user).select_related("business", "product")
    status = request.GET.get("status")
    if status in {"new", "answered"}:
        qs = qs.filter(status=status)
    counts = inquiries.inquiries_for_owner(request.user).aggregate(
        new=Count("pk", filter=Q(status="new")), total=Count("pk")
    )
    return render(
        request,
        "ikm_registry/catalog/owner_inquiries.html",
        {
            "page_obj": _page(request, qs),
            "status": status,
            "counts": counts,
            "querystring_base": f"status={status}" if status in {"new", "answered"} else "",
        },
    )


@login_required
@require_POST
def inquiry_answered(request, pk):
    inquiry = get_object_or_404(inquiries.inquiries_for_owner(request.user), pk=pk)
    inquiries.mark_answered(inquiry)
    messages.success(
        request, _("Permintaan dari %(name)s ditandai sudah dijawab.") % {"name": inquiry.name}
    )
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(next_url)
    return redirect("ikm_registry:owner_inquiries")
