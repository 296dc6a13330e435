"""Every page runs as many queries with ten times the data as with the world's (issue #9).

The pages are every route of the URL inventory (tests/url_matrix.py) that answers 200,
each seen by the first kind of user let in (owner A for owner pages), and every admin
changelist and change form, seen by a superuser. `grow_world` adds ten times the rows
around the very objects those pages show: owner A's business gets ten times the
products, photos, certificates and inquiries, the completed mission ten times the
participants, meetings and deals, the bazaar ten times the applications. An N+1
anywhere shows as a different count. A page added to the inventory is checked here
without a line of this file changing.

The page cache and the report cache are off in tests (tests/settings.py): these are
the views' own queries, what a cache miss costs.
"""

import datetime
from decimal import Decimal

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from tests import url_matrix as m
from tests.queries import count_queries

pytestmark = pytest.mark.django_db

GROWTH = 10
# Who looks at a page: a visitor if let in, else owner A (whose data grows), else staff.
VIEWERS = [m.ANON, m.OWNER_A, m.SUPERUSER, m.ADMIN, m.COORDINATOR, m.VENUE, m.LEADERSHIP]


def _viewer(route):
    return next((kind for kind in VIEWERS if route.expect.get(kind) == 200), None)


def _pages(world):
    """(label, path, kind of user) for every page that answers 200 to somebody."""
    for route in m.ROUTES:
        kind = _viewer(route)
        if kind is not None:
            yield route.name, route.path(world), kind
    for model, _model_admin in admin.site._registry.items():
        meta = model._meta
        name = f"admin:{meta.app_label}_{meta.model_name}"
        yield f"{name}_changelist", reverse(f"{name}_changelist"), m.SUPERUSER
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            yield f"{name}_change", reverse(f"{name}_change", args=[first.pk]), m.SUPERUSER


def _counts(client, world, pages):
    counts = {}
    for label, path, kind in pages:
        client.logout()
        if kind != m.ANON:
            client.force_login(world["users"][kind])
        client.get(path)  # per-process caches (content types, templates) first
        counts[label] = count_queries(client, path)
    return counts


def grow_world(world, n=GROWTH, start=0):
    """n more of each row, on the pages' own objects and around them."""
    from django.contrib.auth.models import Group

    from gerai.models import BoothApplication, EventSeries, SeriesException, ShowroomItem
    from ikm_registry.models import Certificate, Commodity, ExportRecord, Inquiry
    from missions import services as mission_services
    from missions.models import Buyer, ProgramTarget
    from tests.factories import BusinessFactory, ProductFactory, UserFactory
    from tests.gerai.factories import BoothEventFactory, EventFactory, space
    from tests.ikm_registry.catalog_fixtures import add_photo
    from tests.missions.conftest import at, make_deal, make_mission, make_participation

    business_a, product_a = world["business_a"], world["product_a"]
    rotan = Commodity.objects.get(slug="kerajinan-rotan")
    mission = world["mission_done"]
    event = world["gerai_event"]
    event.booths = 2 * (start + n)
    event.save()
    for i in range(start, start + n):
        # The registry: other businesses, and owner A's business grows too.
        other = BusinessFactory()
        other.commodities.add(rotan)
        add_photo(ProductFactory(business=other, category=rotan))
        product = ProductFactory(business=business_a, category=rotan, name=f"Tikar Rotan {i}")
        add_photo(product)
        add_photo(product_a, position=i + 1)
        Certificate.objects.create(business=business_a, kind="sni", number=f"SNI-{i}")
        ExportRecord.objects.create(business=business_a, country="SG", year=2000 + i)
        Inquiry.objects.create(
            business=business_a,
            product=product_a,
            name=f"Pembeli {i}",
            country="KR",
            email=f"buyer{i}@example.com",
            message="Minta harga.",
        )
        # Missions: participants, meetings and deals on the shown mission, and owner A
        # in more missions.
        make_participation(mission, other)
        buyer = Buyer.objects.create(company=f"Busan Trade {i}", country="KR", kind="importer")
        participation = world["participation_a"] if i % 2 else mission.participations.last()
        mission_services.schedule_meeting(
            mission=mission,
            participation=participation,
            buyer=buyer,
            start=at(mission.start_date, 8 + i),
            end=at(mission.start_date, 8 + i, 30),
        )
        make_deal(mission, business_a if i % 2 else other, amount=str(100 + i), buyer=buyer)
        make_participation(make_mission(status="open"), business_a, status="applied")
        # The venue: applications to the shown bazaar, more events, owner A's bookings.
        BoothApplication.objects.create(event=event, business=other)
        BoothApplication.objects.create(event=BoothEventFactory(), business=business_a)
        EventFactory(start=timezone.now() + datetime.timedelta(days=3 + i)).spaces.add(space())
        ShowroomItem.objects.create(product=product, space=space("ruang-pamer-1"))
        UserFactory(is_staff=True).groups.add(Group.objects.order_by("pk").first())
    series = EventSeries.objects.first()
    if series is not None:
        for i in range(start, start + n):
            SeriesException.objects.create(
                series=series,
                original_date=datetime.date(2030, 1, 1) + datetime.timedelta(days=i),
                action="skip",
            )
    ProgramTarget.objects.get_or_create(year=2001, defaults={"target_ikm": 10})
    return Decimal(n)


def test_every_page_runs_the_same_queries_with_ten_times_the_data(client, world):
    grow_world(world, 1)  # one of everything around the pages' objects
    pages = list(_pages(world))
    assert len(pages) > 90  # the inventory and the admin, not a handful
    before = _counts(client, world, pages)
    grow_world(world, GROWTH - 1, start=1)  # ten of everything
    after = _counts(client, world, pages)
    changed = {label: (before[label], after[label]) for label in before}
    changed = {label: counts for label, counts in changed.items() if counts[0] != counts[1]}
    assert not changed, f"queries before and after growing the data ten times: {changed}"
