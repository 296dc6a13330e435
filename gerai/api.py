"""The Gerai's part of the public API: published events, cancelled and postponed ones
included with their status and public reason (`Event.objects.published()`)."""

from datetime import datetime, time, timedelta

from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, viewsets

from gerai.models import Event, EventKind, Space
from tangerang_ikm.api import (
    DATE_RANGE_PARAMETERS,
    LANG_PARAMETER,
    ChoiceLabelField,
    HandBuilt,
    LocalizedField,
    PageURLField,
    PublicAPIMixin,
    date_range,
    list_responses,
)
from tangerang_ikm.api import localized as localized_text

WIB_MIDNIGHT = time(0, 0)


class EventSerializer(HandBuilt, serializers.ModelSerializer):
    url = PageURLField("gerai:event_detail")
    title = LocalizedField("title")
    description = LocalizedField("description")
    kind_label = ChoiceLabelField("kind")
    status_label = ChoiceLabelField("status")
    spaces = serializers.SerializerMethodField()
    poster = serializers.SerializerMethodField()

    class Meta:
        model = Event
        fields = [
            "slug",
            "url",
            "title",
            "description",
            "kind",
            "kind_label",
            "start",
            "end",
            "status",
            "status_label",
            "status_reason",
            "organiser",
            "is_free",
            "ticket_price",
            "booths",
            "spaces",
            "poster",
            "poster_alt",
            "updated_at",
        ]

    def to_representation(self, event):
        """As DRF's walk of the fields would give it (HandBuilt), in half the time."""
        return {
            "slug": event.slug,
            "url": self.page_url("gerai:event_detail", event.slug),
            "title": localized_text(event, "title"),
            "description": localized_text(event, "description"),
            "kind": event.kind,
            "kind_label": self.choice_label(EventKind, event.kind),
            "start": self.datetime(event.start),
            "end": self.datetime(event.end),
            "status": event.status,
            "status_label": self.choice_label(Event.Status, event.status),
            "status_reason": event.status_reason,
            "organiser": event.organiser,
            "is_free": event.is_free,
            "ticket_price": self.decimal(event.ticket_price),
            "booths": event.booths,
            "spaces": self.get_spaces(event),
            "poster": self.get_poster(event),
            "poster_alt": event.poster_alt,
            "updated_at": self.datetime(event.updated_at),
        }

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_spaces(self, event):
        return [localized_text(space, "name") for space in event.spaces.all()]

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_poster(self, event) -> str | None:
        if not event.poster:
            return None
        request = self.context.get("request")
        return request.build_absolute_uri(event.poster.url) if request else event.poster.url


@extend_schema(tags=["events"])
class EventViewSet(PublicAPIMixin, viewsets.ReadOnlyModelViewSet):
    """Published events at Gerai Tangerang Gemilang, soonest first."""

    serializer_class = EventSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return Event.objects.published().prefetch_related(
            Prefetch("spaces", queryset=Space.objects.order_by("position"))
        )

    def cursor_ordering(self):
        return ("start", "pk")

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        kind = self.request.query_params.get("kind")
        if kind:
            if kind not in EventKind.values:
                from django.utils.translation import gettext as _
                from rest_framework.exceptions import ValidationError

                raise ValidationError({"kind": [_("Jenis acara tidak dikenal.")]})
            queryset = queryset.filter(kind=kind)
        start, end = date_range(self.request)
        if start:
            queryset = queryset.filter(end__gte=_wib(start))
        if end:
            queryset = queryset.filter(start__lt=_wib(end + timedelta(days=1)))
        return queryset

    @extend_schema(
        parameters=[
            LANG_PARAMETER,
            OpenApiParameter("kind", str, enum=EventKind.values, description="Jenis acara."),
            *DATE_RANGE_PARAMETERS,
        ],
        responses=list_responses(EventSerializer),
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(parameters=[LANG_PARAMETER], responses=list_responses(EventSerializer))
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)


def _wib(day):
    from django.utils import timezone

    return datetime.combine(day, WIB_MIDNIGHT, tzinfo=timezone.get_default_timezone())
