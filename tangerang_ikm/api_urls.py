"""Routes of the public API (/api/v1/), its schema, its human page (/api/) and the
open-data downloads (/api/data/). Included once from tangerang_ikm/urls.py."""

from django.conf import settings
from django.shortcuts import get_object_or_404, render
from django.urls import include, path, re_path, reverse
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularJSONAPIView
from rest_framework.routers import APIRootView, DefaultRouter

from gerai.api import EventViewSet
from ikm_registry.api import (
    BusinessViewSet,
    CommodityViewSet,
    KecamatanViewSet,
    ProductViewSet,
    directory_dataset,
)
from missions.api import MissionViewSet, results_dataset
from missions.models import TradeMission
from tangerang_ikm import datasets
from tangerang_ikm.api import PublicAPIMixin, activate_language
from tangerang_ikm.cache import public_page
from tangerang_ikm.ratelimit import ratelimit

app_name = "api"


@extend_schema(exclude=True)
class RootView(PublicAPIMixin, APIRootView):
    """The list of endpoints."""


class Router(DefaultRouter):
    include_format_suffixes = False
    APIRootView = RootView


router = Router()
router.register("products", ProductViewSet, basename="product")
router.register("businesses", BusinessViewSet, basename="business")
router.register("commodities", CommodityViewSet, basename="commodity")
router.register("kecamatan", KecamatanViewSet, basename="kecamatan")
router.register("events", EventViewSet, basename="event")
router.register("missions", MissionViewSet, basename="mission")


class OpenAPIView(PublicAPIMixin, SpectacularJSONAPIView):
    """The OpenAPI 3 document, open to any origin like the API itself."""

    renderer_classes = SpectacularJSONAPIView.renderer_classes


# --- Language of the plain pages and files --------------------------------------


def with_lang(view):
    """The page or file in `?lang=`'s language, else Accept-Language's (as on the API)."""

    def wrapped(request, *args, **kwargs):
        activate_language(request)
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


# --- Downloads -------------------------------------------------------------------

FORMATS = ("csv", "xlsx", "json")


def _urls(request, name, *args):
    return {
        fmt: request.build_absolute_uri(reverse(f"api:{name}", args=[*args, fmt]))
        for fmt in FORMATS
    }


def _publish(request, dataset, urls, fmt):
    if fmt == "csv":
        return datasets.csv_response(dataset, metadata_url=urls["json"])
    if fmt == "xlsx":
        return datasets.xlsx_response(dataset, urls=urls)
    return datasets.metadata_response(dataset, urls=urls)


download_limit = ratelimit("api-data", limit=30, window=60, methods=("GET", "HEAD"))


@download_limit
@with_lang
def directory_download(request, fmt):
    """The verified IKM directory: data (CSV, XLSX) or its metadata (JSON)."""
    return _publish(request, directory_dataset(request), _urls(request, "directory_data"), fmt)


@download_limit
@with_lang
def mission_results_download(request, slug, fmt):
    """A mission's published results; 404 until they are published."""
    mission = get_object_or_404(TradeMission.objects.public(), slug=slug)
    dataset = results_dataset(mission)
    if dataset is None:
        from django.http import Http404

        raise Http404
    return _publish(request, dataset, _urls(request, "mission_results_data", slug), fmt)


# --- The human page ---------------------------------------------------------------


@public_page
@with_lang
def index(request):
    base = request.build_absolute_uri("/api/v1/")
    published = list(
        TradeMission.objects.public()
        .with_results()
        .order_by("-start_date")
        .only("slug", "title", "title_en")[:20]
    )
    context = {
        "base": base,
        "schema_url": request.build_absolute_uri(reverse("api:schema")),
        "directory_urls": _urls(request, "directory_data"),
        "missions": [
            {
                "slug": m.slug,
                "title": m.display_title,
                "urls": _urls(request, "mission_results_data", m.slug),
            }
            for m in published
        ],
        "directory": directory_dataset(request),
        "rate_limit": settings.API_RATE_LIMIT,
    }
    return render(request, "api/index.html", context)


urlpatterns = [
    path("api/", index, name="index"),
    path("api/v1/openapi.json", OpenAPIView.as_view(), name="schema"),
    path("api/v1/", include(router.urls)),
    re_path(
        r"^api/data/direktori-ikm\.(?P<fmt>csv|xlsx|json)$",
        directory_download,
        name="directory_data",
    ),
    re_path(
        r"^api/data/misi/(?P<slug>[-a-zA-Z0-9_]+)/hasil\.(?P<fmt>csv|xlsx|json)$",
        mission_results_download,
        name="mission_results_data",
    ),
]
