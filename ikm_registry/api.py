"""The registry's part of the public API: products, verified businesses, commodities,
kecamatan, and the open-data download of the IKM directory.

Everything starts from `Product.objects.public()` / `Business.objects.verified()` (through
catalog.public_products) and is filtered by the catalog's own `CatalogFilterForm`, so the
API answers exactly what the catalog pages show. Fields are an allow-list: no NIK, NPWP,
NIB, owner, street address, e-mail or phone; the WhatsApp number only where the owner
chose to publish it (`whatsapp_public`), as the business page does.
"""

from django.db.models import Count, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import APIException, ValidationError

from ikm_registry import facts, search
from ikm_registry.catalog import public_products
from ikm_registry.forms_catalog import CatalogFilterForm
from ikm_registry.models import (
    Business,
    Certificate,
    Commodity,
    Kecamatan,
    Product,
)
from ikm_registry.pricing import indicative_usd, usd_rate
from tangerang_ikm.api import (
    LANG_PARAMETER,
    ChoiceLabelField,
    CodeNameSerializer,
    HandBuilt,
    LocalizedField,
    PageURLField,
    PublicAPIMixin,
    list_responses,
    localized,
)
from tangerang_ikm.datasets import Column, Dataset
from tangerang_ikm.templatetags.portal import wa_link

# --- Serializers ----------------------------------------------------------------


class CommoditySerializer(serializers.ModelSerializer):
    name = LocalizedField("name")

    class Meta:
        model = Commodity
        fields = ["slug", "name", "hs_code", "kbli_code", "kbli_version", "is_flagship"]


class CommodityRefSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = LocalizedField("name")


class KecamatanSerializer(serializers.ModelSerializer):
    class Meta:
        model = Kecamatan
        fields = ["code", "name"]


class PhotoSerializer(serializers.Serializer):
    image = serializers.URLField()
    thumbnail = serializers.URLField()
    alt = serializers.CharField()


class BusinessRefSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    url = PageURLField("ikm_registry:directory_business")
    kecamatan = CodeNameSerializer(source="desa.kecamatan")
    verified_at = serializers.DateTimeField(
        help_text="Diverifikasi Disperindag pada / verified by Disperindag on."
    )


def _media_url(request, name):
    from django.core.files.storage import default_storage

    if not name:
        return None
    url = default_storage.url(name)
    return request.build_absolute_uri(url) if request else url


class ProductSerializer(HandBuilt, serializers.ModelSerializer):
    """A product as a catalog card shows it, with its trade terms; each answer built
    by hand (HandBuilt)."""

    url = PageURLField("ikm_registry:catalog_product")
    name = LocalizedField("name")
    description = LocalizedField("description")
    category = CommodityRefSerializer()
    photo = serializers.SerializerMethodField()
    business = BusinessRefSerializer()
    samples = serializers.SerializerMethodField()
    samples_label = serializers.SerializerMethodField()
    incoterms = serializers.ListField(
        child=serializers.ChoiceField(choices=Product.Incoterm.values),
        help_text="Incoterms 2020 yang ditawarkan / Incoterms offered.",
    )

    class Meta:
        model = Product
        fields = [
            "slug",
            "url",
            "name",
            "description",
            "category",
            "hs_code",
            "unit",
            "min_order",
            "capacity_per_month",
            "price_min",
            "price_max",
            "fob_price_usd",
            "export_ready",
            "lead_time_days",
            "samples",
            "samples_label",
            "incoterms",
            "port_of_loading",
            "payment_terms",
            "photo",
            "business",
            "created_at",
            "updated_at",
        ]

    def to_representation(self, product):
        business = product.business
        kecamatan = business.desa.kecamatan
        category = product.category
        return {
            "slug": product.slug,
            "url": self.page_url("ikm_registry:catalog_product", product.slug),
            "name": localized(product, "name"),
            "description": localized(product, "description"),
            "category": {"slug": category.slug, "name": localized(category, "name")},
            "hs_code": product.hs_code,
            "unit": product.unit,
            "min_order": self.decimal(product.min_order),
            "capacity_per_month": self.decimal(product.capacity_per_month),
            "price_min": self.decimal(product.price_min),
            "price_max": self.decimal(product.price_max),
            "fob_price_usd": self.decimal(product.fob_price_usd),
            "export_ready": product.export_ready,
            "lead_time_days": product.lead_time_days,
            "samples": self.get_samples(product),
            "samples_label": self.get_samples_label(product),
            "incoterms": list(product.incoterms or ()),
            "port_of_loading": product.port_of_loading,
            "payment_terms": product.payment_terms,
            "photo": self.get_photo(product),
            "business": {
                "slug": business.slug,
                "name": business.name,
                "url": self.page_url("ikm_registry:directory_business", business.slug),
                "kecamatan": {"code": kecamatan.code, "name": kecamatan.name},
                "verified_at": self.datetime(business.verified_at),
            },
            "created_at": self.datetime(product.created_at),
            "updated_at": self.datetime(product.updated_at),
        }

    @extend_schema_field(serializers.ChoiceField(choices=Product.Samples.values, allow_null=True))
    def get_samples(self, product) -> str | None:
        """free, paid or none; null when the owner has not said."""
        return product.samples or None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_samples_label(self, product) -> str | None:
        return self.choice_label(Product.Samples, product.samples) if product.samples else None

    @extend_schema_field(PhotoSerializer(allow_null=True))
    def get_photo(self, product):
        """The cover photo (annotated by catalog.public_products), or null."""
        image = getattr(product, "cover_image", None)
        if not image:
            return None
        request = self.context.get("request")
        return {
            "image": _media_url(request, image),
            "thumbnail": _media_url(request, product.cover_thumbnail),
            "alt": product.cover_alt or "",
        }


class CertificateKindSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()


class CertificateSerializer(serializers.Serializer):
    """A certificate as the product page lists it, without its number (the allow-list
    keeps numbers out of every answer) and never its scan."""

    kind = serializers.ChoiceField(choices=Certificate.Kind.values)
    label = serializers.CharField()
    issuer = serializers.CharField()
    valid_until = serializers.DateField(
        allow_null=True, help_text="Berlaku sampai; null: tanpa batas / valid until; null: no end."
    )
    valid = serializers.BooleanField(help_text="Masih berlaku hari ini / still valid today.")


class ExportHistorySerializer(serializers.Serializer):
    code = serializers.CharField(help_text="ISO 3166-1 alpha-2")
    name = serializers.CharField()
    years = serializers.ListField(child=serializers.IntegerField())


class IndicativePriceSerializer(serializers.Serializer):
    """The rupiah prices in US$ at the rate table's rate: indicative, not an offer."""

    low = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    high = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    rate = serializers.DecimalField(
        max_digits=16, decimal_places=4, help_text="Rupiah untuk 1 US$ / rupiah per US$."
    )
    date = serializers.DateField()
    source = serializers.CharField()


class ProductDetailSerializer(ProductSerializer):
    """One product, as its page shows it: the list's fields, and what a buyer checks
    before writing (ikm_registry/trust.py): the business's certificates with their
    validity, its export history, and the prices' indicative US$ figure."""

    certificates = serializers.SerializerMethodField()
    export_history = serializers.SerializerMethodField()
    indicative_usd = serializers.SerializerMethodField()

    class Meta(ProductSerializer.Meta):
        fields = [
            *ProductSerializer.Meta.fields,
            "certificates",
            "export_history",
            "indicative_usd",
        ]

    def to_representation(self, product):
        data = super().to_representation(product)
        data["certificates"] = self.get_certificates(product)
        data["export_history"] = self.get_export_history(product)
        data["indicative_usd"] = self.get_indicative_usd(product)
        return data

    @extend_schema_field(CertificateSerializer(many=True))
    def get_certificates(self, product):
        """Every certificate of the business, the valid ones first."""
        return [
            {
                "kind": c.kind,
                "label": str(c.get_kind_display()),
                "issuer": c.issuer,
                "valid_until": c.valid_until.isoformat() if c.valid_until else None,
                "valid": not c.is_expired,
            }
            for c in facts.certificates(product.business)
        ]

    @extend_schema_field(ExportHistorySerializer(many=True))
    def get_export_history(self, product):
        """Countries exported to, the most recent first, with the years."""
        return [
            {"code": country.code, "name": str(country.name), "years": years}
            for country, years in facts.export_history(product.business)
        ]

    @extend_schema_field(IndicativePriceSerializer(allow_null=True))
    def get_indicative_usd(self, product):
        """null when no US$ rate is in force or the product has no rupiah price."""
        price = indicative_usd(product, usd_rate())
        if price is None:
            return None
        return IndicativePriceSerializer(price).data


class BusinessSerializer(HandBuilt, serializers.ModelSerializer):
    url = PageURLField("ikm_registry:directory_business")
    description = LocalizedField("description")
    legal_form_label = ChoiceLabelField("legal_form")
    size_class_label = ChoiceLabelField("size_class")
    desa = CodeNameSerializer()
    kecamatan = CodeNameSerializer(source="desa.kecamatan")
    commodities = serializers.SerializerMethodField()
    certificates = serializers.SerializerMethodField()
    export_countries = serializers.SerializerMethodField()
    whatsapp = serializers.SerializerMethodField()
    product_count = serializers.IntegerField(source="public_products")

    class Meta:
        model = Business
        fields = [
            "slug",
            "url",
            "name",
            "description",
            "legal_form",
            "legal_form_label",
            "size_class",
            "size_class_label",
            "founded_year",
            "desa",
            "kecamatan",
            "commodities",
            "certificates",
            "export_countries",
            "website",
            "whatsapp",
            "product_count",
            "verified_at",
            "updated_at",
        ]

    def to_representation(self, business):
        """As DRF's walk of the fields would give it (HandBuilt), in a third of the time."""
        desa = business.desa
        kecamatan = desa.kecamatan
        return {
            "slug": business.slug,
            "url": self.page_url("ikm_registry:directory_business", business.slug),
            "name": business.name,
            "description": localized(business, "description"),
            "legal_form": business.legal_form,
            "legal_form_label": self.choice_label(Business.LegalForm, business.legal_form),
            "size_class": business.size_class,
            "size_class_label": self.choice_label(Business.SizeClass, business.size_class),
            "founded_year": business.founded_year,
            "desa": {"code": desa.code, "name": desa.name},
            "kecamatan": {"code": kecamatan.code, "name": kecamatan.name},
            "commodities": self.get_commodities(business),
            "certificates": self.get_certificates(business),
            "export_countries": self.get_export_countries(business),
            "website": business.website,
            "whatsapp": self.get_whatsapp(business),
            "product_count": business.public_products,
            "verified_at": self.datetime(business.verified_at),
            "updated_at": self.datetime(business.updated_at),
        }

    @extend_schema_field(CommodityRefSerializer(many=True))
    def get_commodities(self, business):
        """From the business's stored public facts (facts.py), as CommodityRefSerializer."""
        return [{"slug": c.slug, "name": localized(c, "name")} for c in facts.commodities(business)]

    @extend_schema_field(CertificateKindSerializer(many=True))
    def get_certificates(self, business):
        """Kinds of certificate still valid: numbers, issuers and scans stay private."""
        kinds = sorted({c.kind for c in facts.certificates(business) if not c.is_expired})
        return [{"kind": kind, "label": str(Certificate.Kind(kind).label)} for kind in kinds]

    @extend_schema_field(CodeNameSerializer(many=True))
    def get_export_countries(self, business):
        return [{"code": c.code, "name": str(c.name)} for c in facts.export_countries(business)]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_whatsapp(self, business) -> str | None:
        """The number in E.164 only where the owner chose to publish it."""
        return business.phone if business.whatsapp_public and business.phone else None


# --- Querysets ------------------------------------------------------------------

# The columns the API reads, and no others: an allow-list, so that no personal data
# (the NIK is also decrypted for every row that loads it) and no large text that no
# field shows is ever read. Each list's rows are also decoded and built into models
# column by column: a product row read 64 columns across its five tables, 31 suffice.
PRODUCT_COLUMNS = (
    "slug",
    "name",
    "name_en",
    "description",
    "description_en",
    "hs_code",
    "unit",
    "min_order",
    "capacity_per_month",
    "price_min",
    "price_max",
    "fob_price_usd",
    "export_ready",
    "lead_time_days",
    "samples",
    "incoterms",
    "port_of_loading",
    "payment_terms",
    "created_at",
    "updated_at",
    "category__slug",
    "category__name",
    "category__name_en",
    "business__slug",
    "business__name",
    "business__verified_at",
    "business__desa__kecamatan__code",
    "business__desa__kecamatan__name",
)
BUSINESS_COLUMNS = (
    "slug",
    "name",
    "description",
    "description_en",
    "legal_form",
    "size_class",
    "founded_year",
    "website",
    "phone",  # published only where whatsapp_public (get_whatsapp)
    "whatsapp_public",
    "verified_at",
    "updated_at",
    "desa__code",
    "desa__name",
    "desa__kecamatan__code",
    "desa__kecamatan__name",
    "public_facts",  # commodities, certificate kinds, export countries (facts.py)
)


def api_products(*extra):
    """The catalog's public products (with the cover photo), only the columns shown."""
    return public_products().only(*PRODUCT_COLUMNS, *extra)


def public_businesses():
    """Verified businesses with everything a directory row shows, in one query."""
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
        .only(*BUSINESS_COLUMNS)
        .annotate(public_products=Coalesce(Subquery(public_count), 0))
    )


CATALOG_PARAMETERS = [
    LANG_PARAMETER,
    OpenApiParameter("q", str, description="Kata pencarian / search words (max. 100)."),
    OpenApiParameter("commodity", str, description="Slug komoditas / commodity slug."),
    OpenApiParameter("kecamatan", str, description="Kode kecamatan, mis. 36.03.18."),
    OpenApiParameter(
        "certificate", str, enum=Certificate.Kind.values, description="Sertifikat yang berlaku."
    ),
    OpenApiParameter("size", str, enum=Business.SizeClass.values, description="PP 7/2021."),
    OpenApiParameter("export_ready", bool, description="Hanya yang siap ekspor."),
    OpenApiParameter(
        "sort",
        str,
        enum=list(CatalogFilterForm.SORTS),
        description="relevance (with q), name, newest.",
    ),
]


def read_by_key(filtered, rows):
    """A search's matches (search.InOrder) are filtered already: its page's rows are read
    by key from the unfiltered list `rows`. With the filters again, reading 24 rows by key
    also ran their subqueries (a commodity's: every business with a product in it)."""
    if isinstance(filtered, search.InOrder):
        return search.InOrder(rows, filtered.ids)
    return filtered


class SearchTooBroad(APIException):
    """The database gave up on the list's search or filters (search.time_limit)."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = CatalogFilterForm.TOO_BROAD
    default_code = "search_too_broad"


class CatalogFilterMixin:
    """The catalog pages' filters (CatalogFilterForm), refused with 400 when invalid;
    a list the database gives up on answers 503 with a message, never a 500."""

    lookup_field = "slug"

    def list(self, request, *args, **kwargs):
        try:
            with search.time_limit():
                return super().list(request, *args, **kwargs)
        except search.SearchTooBroad:
            raise SearchTooBroad() from None

    def filter_form(self):
        if not hasattr(self, "_form"):
            self._form = CatalogFilterForm(self.request.query_params)
            errors = self._form.errors.get_json_data()
            if errors:
                raise ValidationError(
                    {field: [e["message"] for e in messages] for field, messages in errors.items()}
                )
        return self._form

    def cursor_ordering(self):
        return self.ORDERINGS[self.filter_form().sort_key()]


@extend_schema(tags=["products"])
class ProductViewSet(CatalogFilterMixin, PublicAPIMixin, viewsets.ReadOnlyModelViewSet):
    """Active products of verified IKM: the public catalog."""

    serializer_class = ProductSerializer
    ORDERINGS = {"name": ("name", "pk"), "newest": ("-created_at", "-pk"), "relevance": ("pk",)}

    def get_queryset(self):
        if self.action == "retrieve":
            # The certificates and the export history (facts.py), with the product.
            return api_products("business__public_facts")
        return api_products()

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        return read_by_key(self.filter_form().filter_products(queryset), queryset)

    @extend_schema(parameters=CATALOG_PARAMETERS, responses=list_responses(ProductSerializer))
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_serializer_class(self):
        return ProductDetailSerializer if self.action == "retrieve" else ProductSerializer

    @extend_schema(parameters=[LANG_PARAMETER], responses=list_responses(ProductDetailSerializer))
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)


@extend_schema(tags=["businesses"])
class BusinessViewSet(CatalogFilterMixin, PublicAPIMixin, viewsets.ReadOnlyModelViewSet):
    """Verified, not archived IKM: the public directory."""

    serializer_class = BusinessSerializer
    # As the directory (CatalogFilterForm.filter_businesses): newest verified first.
    ORDERINGS = {"name": ("name", "pk"), "newest": ("-verified_at", "-pk"), "relevance": ("pk",)}

    def get_queryset(self):
        return public_businesses()

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        return read_by_key(self.filter_form().filter_businesses(queryset), queryset)

    def cursor_ordering(self):
        if self.filter_form().in_listing_order():
            return CatalogFilterForm.LISTING_ORDER  # the same order, read from an index
        return super().cursor_ordering()

    @extend_schema(parameters=CATALOG_PARAMETERS, responses=list_responses(BusinessSerializer))
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(parameters=[LANG_PARAMETER], responses=list_responses(BusinessSerializer))
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)


@extend_schema(
    tags=["reference"],
    parameters=[LANG_PARAMETER],
    responses=list_responses(CommoditySerializer(many=True)),
)
class CommodityViewSet(PublicAPIMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Commodities and product categories, with their default HS and KBLI codes."""

    serializer_class = CommoditySerializer
    queryset = Commodity.objects.order_by("position", "name")
    pagination_class = None


@extend_schema(
    tags=["reference"],
    parameters=[LANG_PARAMETER],
    responses=list_responses(KecamatanSerializer(many=True)),
)
class KecamatanViewSet(PublicAPIMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """The kecamatan of Kabupaten Tangerang with their Kemendagri codes."""

    serializer_class = KecamatanSerializer
    queryset = Kecamatan.objects.order_by("name")
    pagination_class = None


# --- The open-data directory ----------------------------------------------------


def directory_dataset(request):
    """The IKM directory as a Satu Data-style dataset: the same fields as the API."""
    from django.utils.translation import gettext_lazy as _

    def rows():
        qs = public_businesses().order_by("name", "pk")
        for business in qs.iterator(chunk_size=500):
            data = BusinessSerializer(business, context={"request": request}).data
            yield [
                data["name"],
                data["url"],
                data["kecamatan"]["code"],
                data["kecamatan"]["name"],
                data["desa"]["code"],
                data["desa"]["name"],
                data["legal_form_label"],
                data["size_class_label"],
                data["founded_year"],
                "; ".join(c["name"] for c in data["commodities"]),
                "; ".join(c["label"] for c in data["certificates"]),
                "; ".join(c["code"] for c in data["export_countries"]),
                data["product_count"],
                data["website"],
                wa_link(data["whatsapp"]),
                business.verified_at,
            ]

    modified = Business.objects.verified().aggregate(m=Max("updated_at"))["m"]
    return Dataset(
        slug="direktori-ikm",
        title=_("Direktori IKM terverifikasi Kabupaten Tangerang"),
        description=_(
            "Industri kecil dan menengah (IKM) Kabupaten Tangerang yang telah diverifikasi "
            "Disperindag: lokasi, bentuk dan skala usaha, komoditas, sertifikat yang "
            "berlaku, negara tujuan ekspor dan jumlah produk. Tanpa data pribadi."
        ),
        modified=modified,
        columns=[
            Column("nama_usaha", _("Nama usaha"), "text"),
            Column("url", _("Halaman di portal"), "url"),
            Column("kode_kecamatan", _("Kode Kemendagri kecamatan"), "text"),
            Column("kecamatan", _("Kecamatan"), "text"),
            Column("kode_desa", _("Kode Kemendagri desa/kelurahan"), "text"),
            Column("desa", _("Desa/kelurahan"), "text"),
            Column("bentuk_usaha", _("Bentuk badan usaha"), "text"),
            Column("skala_usaha", _("Skala usaha menurut PP 7/2021"), "text"),
            Column("tahun_berdiri", _("Tahun berdiri"), "integer"),
            Column("komoditas", _("Komoditas, dipisah titik koma"), "text"),
            Column(
                "sertifikat", _("Jenis sertifikat yang masih berlaku, dipisah titik koma"), "text"
            ),
            Column(
                "negara_ekspor", _("Kode ISO 3166 negara tujuan ekspor, dipisah titik koma"), "text"
            ),
            Column("jumlah_produk", _("Jumlah produk aktif di katalog"), "integer"),
            Column("situs_web", _("Situs web usaha"), "url"),
            Column(
                "whatsapp",
                _("Tautan WhatsApp (wa.me), hanya jika pemilik memilih menampilkannya"),
                "url",
            ),
            Column("diverifikasi_pada", _("Waktu verifikasi Disperindag (WIB)"), "datetime"),
        ],
        rows=rows,
    )
