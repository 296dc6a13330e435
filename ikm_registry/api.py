"""The registry's part of the public API: products, verified businesses, commodities,
kecamatan, and the open-data download of the IKM directory.

Everything starts from `Product.objects.public()` / `Business.objects.verified()` (through
catalog.public_products) and is filtered by the catalog's own `CatalogFilterForm`, so the
API answers exactly what the catalog pages show. Fields are an allow-list: no NIK, NPWP,
NIB, owner, street address, e-mail or phone; the WhatsApp number only where the owner
chose to publish it (`whatsapp_public`), as the business page does.
"""

from django.db.models import Count, Max, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import ValidationError

from ikm_registry.catalog import export_countries, public_products
from ikm_registry.forms_catalog import CatalogFilterForm, valid_certificates
from ikm_registry.models import Business, Certificate, Commodity, Kecamatan, Product
from tangerang_ikm.api import (
    LANG_PARAMETER,
    ChoiceLabelField,
    CodeNameSerializer,
    LocalizedField,
    PageURLField,
    PublicAPIMixin,
    list_responses,
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


def _media_url(request, name):
    from django.core.files.storage import default_storage

    if not name:
        return None
    url = default_storage.url(name)
    return request.build_absolute_uri(url) if request else url


class ProductSerializer(serializers.ModelSerializer):
    url = PageURLField("ikm_registry:catalog_product")
    name = LocalizedField("name")
    description = LocalizedField("description")
    category = CommodityRefSerializer()
    photo = serializers.SerializerMethodField()
    business = BusinessRefSerializer()

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
            "photo",
            "business",
            "created_at",
            "updated_at",
        ]

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


class BusinessSerializer(serializers.ModelSerializer):
    url = PageURLField("ikm_registry:directory_business")
    description = LocalizedField("description")
    legal_form_label = ChoiceLabelField("legal_form")
    size_class_label = ChoiceLabelField("size_class")
    desa = CodeNameSerializer()
    kecamatan = CodeNameSerializer(source="desa.kecamatan")
    commodities = CommodityRefSerializer(many=True)
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

    @extend_schema_field(CertificateKindSerializer(many=True))
    def get_certificates(self, business):
        """Kinds of certificate still valid: numbers, issuers and scans stay private."""
        kinds = sorted({c.kind for c in business.valid_certificates})
        return [{"kind": kind, "label": str(Certificate.Kind(kind).label)} for kind in kinds]

    @extend_schema_field(CodeNameSerializer(many=True))
    def get_export_countries(self, business):
        return [{"code": c.code, "name": str(c.name)} for c in export_countries(business)]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_whatsapp(self, business) -> str | None:
        """The number in E.164 only where the owner chose to publish it."""
        return business.phone if business.whatsapp_public and business.phone else None


# --- Querysets ------------------------------------------------------------------

# Never read from the database for the API: personal data (the NIK is also decrypted for
# every row that loads it) and large texts no field shows.
UNUSED_BUSINESS_FIELDS = (
    "nik",
    "npwp15",
    "npwp16",
    "owner_name",
    "address",
    "email",
    "marketplace_links",
    "staff_notes",
    "verified_snapshot",
    "search_text",
    "search_vector",
)


def api_products():
    """The catalog's public products, without the columns the API never shows."""
    return public_products().defer(
        "search_text", "search_vector", *(f"business__{f}" for f in UNUSED_BUSINESS_FIELDS)
    )


def public_businesses():
    """Verified businesses with everything a directory row shows, in four queries."""
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
        .defer(*UNUSED_BUSINESS_FIELDS)
        .select_related("desa__kecamatan")
        .prefetch_related(
            "commodities",
            "exports",
            Prefetch(
                "certificates",
                queryset=valid_certificates().only("pk", "business_id", "kind"),
                to_attr="valid_certificates",
            ),
        )
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


class CatalogFilterMixin:
    """The catalog pages' filters (CatalogFilterForm), refused with 400 when invalid."""

    lookup_field = "slug"

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
        return api_products()

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        return self.filter_form().filter_products(queryset)

    @extend_schema(parameters=CATALOG_PARAMETERS, responses=list_responses(ProductSerializer))
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(parameters=[LANG_PARAMETER], responses=list_responses(ProductSerializer))
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)


@extend_schema(tags=["businesses"])
class BusinessViewSet(CatalogFilterMixin, PublicAPIMixin, viewsets.ReadOnlyModelViewSet):
    """Verified, not archived IKM: the public directory."""

    serializer_class = BusinessSerializer
    ORDERINGS = {"name": ("name", "pk"), "newest": ("-created_at", "-pk"), "relevance": ("pk",)}

    def get_queryset(self):
        return public_businesses()

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        return self.filter_form().filter_businesses(queryset)

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
