"""Factories for the gerai tests."""

from datetime import datetime, timedelta

import factory
from django.utils import timezone

from gerai.models import WIB, BoothApplication, Event, EventKind, Space
from tests.factories import BusinessFactory


def wib(year, month, day, hour=0, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=WIB)


def soon(days=10, hour=9):
    day = timezone.localdate() + timedelta(days=days)
    return wib(day.year, day.month, day.day, hour)


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Bazar Contoh {n}")
    title_en = factory.Sequence(lambda n: f"Sample Bazaar {n}")
    slug = factory.Sequence(lambda n: f"bazar-contoh-{n}")
    description = "Bazar produk IKM."
    kind = EventKind.BAZAAR
    start = factory.LazyFunction(lambda: soon(10, 9))
    end = factory.LazyAttribute(lambda o: o.start + timedelta(hours=12))
    status = Event.Status.PUBLISHED

    @factory.post_generation
    def spaces(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.spaces.set(extracted)


class BoothEventFactory(EventFactory):
    """An event whose booth applications are open now."""

    booths = 2
    applications_open_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    applications_close_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=5))


class BoothApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BoothApplication

    event = factory.SubFactory(BoothEventFactory)
    business = factory.SubFactory(BusinessFactory)


def space(slug="aula"):
    return Space.objects.get(slug=slug)
