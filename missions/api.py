"""The missions' part of the public API: missions past their draft
(`TradeMission.objects.public()`) and, once completed, their published results: the
figures the mission page shows (`reports.public_results`), counts and values only,
never a buyer's or an owner's name or contact."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from ikm_registry.api import CommodityRefSerializer
from ikm_registry.models import Commodity
from missions import reports
from missions.models import TradeMission
from tangerang_ikm.api import (
    DATE_RANGE_PARAMETERS,
    LANG_PARAMETER,
    ChoiceLabelField,
    CodeNameSerializer,
    LocalizedField,
    PageURLField,
    PublicAPIMixin,
    date_range,
    list_responses,
)
from tangerang_ikm.cache import cached
from tangerang_ikm.datasets import Column, Dataset

# Machine names of reports.public_results()'s figures, in its order (zip is strict:
# a figure added there fails loudly here, and in tests/api).
RESULT_KEYS = (
    "participants",
    "buyers",
    "meetings",
    "confirmed_deals",
    "deal_value_idr",
    "deal_value_usd",
    "open_potential_idr",
    "open_potential_usd",
)


class ResultSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    value = serializers.CharField(
        allow_null=True, help_text="Bilangan desimal sebagai teks / a decimal as text."
    )
    kind = serializers.ChoiceField(choices=["int", "idr", "usd", "pct"])


def published_results(mission):
    """[{key, label, value, kind}] of a mission whose results are published, else None.

    Kept in the "reports" cache area, which missions/signals.py drops on every change."""
    if not mission.results_published:
        return None

    def compute():
        figures = reports.public_results(mission)
        return [
            {
                "key": key,
                "label": str(f.label),
                "value": None if f.value is None else str(f.value),
                "kind": f.kind,
            }
            for key, f in zip(RESULT_KEYS, figures, strict=True)
        ]

    return cached("reports", f"public-results:{mission.pk}", compute)


class MissionSerializer(serializers.ModelSerializer):
    url = PageURLField("missions:detail")
    title = LocalizedField("title")
    kind_label = ChoiceLabelField("kind")
    scope_label = ChoiceLabelField("scope")
    status_label = ChoiceLabelField("status")
    country = serializers.SerializerMethodField()
    commodities = CommodityRefSerializer(many=True)
    results_published = serializers.BooleanField()
    results_url = serializers.SerializerMethodField()

    class Meta:
        model = TradeMission
        fields = [
            "slug",
            "url",
            "title",
            "description",
            "kind",
            "kind_label",
            "scope",
            "scope_label",
            "city",
            "country",
            "partner",
            "venue",
            "start_date",
            "end_date",
            "registration_opens",
            "registration_closes",
            "quota",
            "commodities",
            "status",
            "status_label",
            "results_published",
            "results_url",
            "updated_at",
        ]

    @extend_schema_field(CodeNameSerializer)
    def get_country(self, mission):
        return {"code": mission.country.code, "name": str(mission.country.name)}

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_results_url(self, mission):
        if not mission.results_published:
            return None
        path = reverse("api:mission-results", args=[mission.slug])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class MissionResultsSerializer(serializers.Serializer):
    mission = serializers.SlugField()
    title = serializers.CharField()
    results = ResultSerializer(many=True)


@extend_schema(tags=["missions"])
class MissionViewSet(PublicAPIMixin, viewsets.ReadOnlyModelViewSet):
    """Trade missions past their draft, newest first."""

    serializer_class = MissionSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return TradeMission.objects.public().prefetch_related("commodities")

    def cursor_ordering(self):
        return ("-start_date", "-pk")

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        params = self.request.query_params
        for name, choices in (
            ("kind", TradeMission.Kind),
            ("scope", TradeMission.Scope),
            ("status", TradeMission.Status),
        ):
            value = params.get(name)
            if value:
                if value not in choices.values or value == TradeMission.Status.DRAFT:
                    raise ValidationError({name: [_("Pilihan tidak dikenal.")]})
                queryset = queryset.filter(**{name: value})
        if slug := params.get("commodity"):
            commodity = Commodity.objects.filter(slug=slug).values_list("pk", flat=True).first()
            if commodity is None:
                raise ValidationError({"commodity": [_("Komoditas tidak dikenal.")]})
            queryset = queryset.filter(commodities=commodity)
        start, end = date_range(self.request)
        if start:
            queryset = queryset.filter(end_date__gte=start)
        if end:
            queryset = queryset.filter(start_date__lte=end)
        return queryset

    @extend_schema(
        parameters=[
            LANG_PARAMETER,
            OpenApiParameter("kind", str, enum=TradeMission.Kind.values),
            OpenApiParameter("scope", str, enum=TradeMission.Scope.values),
            OpenApiParameter(
                "status",
                str,
                enum=[s for s in TradeMission.Status.values if s != TradeMission.Status.DRAFT],
            ),
            OpenApiParameter("commodity", str, description="Slug komoditas sasaran."),
            *DATE_RANGE_PARAMETERS,
        ],
        responses=list_responses(MissionSerializer),
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(parameters=[LANG_PARAMETER], responses=list_responses(MissionSerializer))
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(parameters=[LANG_PARAMETER], responses=list_responses(MissionResultsSerializer))
    @action(detail=True, url_path="results", pagination_class=None)
    def results(self, request, slug=None):
        """The published results of a completed mission (404 until they are published)."""
        mission = get_object_or_404(self.get_queryset(), slug=slug)
        results = published_results(mission)
        if results is None:
            raise Http404
        data = {"mission": mission.slug, "title": mission.display_title, "results": results}
        return Response(MissionResultsSerializer(data).data)


# --- The open-data results ------------------------------------------------------


def _decimal(text):
    from decimal import Decimal

    return None if text is None else Decimal(text)


def _results_modified(mission):
    """When the published figures last changed: the mission, or a deal confirmed since."""
    from django.db.models import Max

    from missions.models import Deal

    confirmed = Deal.objects.confirmed().filter(mission=mission).aggregate(m=Max("confirmed_at"))
    return max(filter(None, [mission.updated_at, confirmed["m"]]))


def results_dataset(mission):
    """A mission's published results as a Satu Data-style dataset (None if unpublished)."""
    results = published_results(mission)
    if results is None:
        return None
    return Dataset(
        slug=f"hasil-misi-{mission.slug}",
        title=gettext_lazy("Hasil misi dagang: %(title)s") % {"title": mission.display_title},
        description=gettext_lazy(
            "Hasil yang dipublikasikan dari misi dagang Disperindag Kabupaten Tangerang: "
            "jumlah peserta, pembeli, pertemuan dan transaksi terkonfirmasi serta nilainya. "
            "Nilai transaksi = transaksi langsung + realisasi yang dikonfirmasi petugas."
        ),
        modified=_results_modified(mission),
        columns=[
            Column("misi", gettext_lazy("Slug misi"), "text"),
            Column("indikator", gettext_lazy("Kode indikator"), "text"),
            Column("keterangan", gettext_lazy("Nama indikator"), "text"),
            Column("nilai", gettext_lazy("Nilai"), "decimal"),
            Column(
                "satuan",
                gettext_lazy("Satuan: int (jumlah), idr (rupiah), usd (dolar AS), pct (persen)"),
                "text",
            ),
        ],
        rows=lambda: [
            [mission.slug, r["key"], r["label"], _decimal(r["value"]), r["kind"]] for r in results
        ],
    )
