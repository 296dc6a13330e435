"""Change lists on large tables: estimated totals on PostgreSQL, short filter lists."""

import pytest
from django.contrib import admin
from django.db import connection
from django.urls import reverse

from missions.models import Deal
from tangerang_ikm import admin_lists
from tests.factories import BusinessFactory
from tests.missions.conftest import make_buyer, make_deal, make_mission

pytestmark = pytest.mark.django_db


def test_a_filtered_list_is_counted_exactly(client, coordinator):
    mission = make_mission()
    for n in range(3):
        make_deal(mission, BusinessFactory(), amount=str(n + 1))
    client.force_login(coordinator)
    url = reverse("admin:missions_deal_changelist")
    body = client.get(url + f"?mission__id__exact={mission.pk}").content.decode()
    assert "sekitar" not in body
    assert "3 transaksi" in body


@pytest.mark.postgres
def test_an_unfiltered_huge_table_shows_the_planners_estimate(client, coordinator, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("the row estimate is PostgreSQL's")
    mission = make_mission()
    for n in range(3):
        make_deal(mission, BusinessFactory(), amount=str(n + 1))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE missions_deal")
    monkeypatch.setattr(admin_lists, "ESTIMATE_ABOVE", 0)  # three rows count as huge here
    client.force_login(coordinator)
    body = client.get(reverse("admin:missions_deal_changelist")).content.decode()
    assert f"sekitar {admin_lists.estimated_rows(Deal)} transaksi" in body


def test_small_tables_and_sqlite_are_counted_exactly(client, coordinator):
    make_deal(make_mission(), BusinessFactory(), amount="1")
    client.force_login(coordinator)
    body = client.get(reverse("admin:missions_deal_changelist")).content.decode()
    assert "1 transaksi" in body
    assert "sekitar" not in body


def test_the_mission_filter_lists_the_newest_missions_and_the_chosen_one(
    client, coordinator, monkeypatch
):
    import datetime

    from django.utils import timezone

    today = timezone.localdate()
    old = make_mission(title="Misi Lama Sekali", start_date=today - datetime.timedelta(days=900))
    newest = [
        make_mission(title=f"Misi Baru {n}", start_date=today - datetime.timedelta(days=n))
        for n in range(admin_lists.RECENT_CHOICES)
    ]
    client.force_login(coordinator)
    url = reverse("admin:missions_deal_changelist")
    body = client.get(url).content.decode()
    assert newest[0].title in body and newest[-1].title in body
    assert "Misi Lama Sekali" not in body
    chosen = client.get(url + f"?mission__id__exact={old.pk}").content.decode()
    assert "Misi Lama Sekali" in chosen


def test_inline_rows_still_name_their_raw_id_objects(client, superuser, world):
    """SharedLookupsInline looks the names up once, and still shows each row's."""
    mission = world["mission_done"]
    client.force_login(superuser)
    body = client.get(reverse("admin:missions_trademission_change", args=[mission.pk])).content
    body = body.decode()
    business = world["business_a"]
    # The raw-id widget's label links to the business beside its id.
    change = reverse("admin:ikm_registry_business_change", args=[business.pk])
    assert f'<a href="{change}">{business.name}</a>' in body
    assert 'name="participations-0-business"' in body


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_quick_row_checkbox_is_djangos_markup(language):
    from django.utils import translation

    from ikm_registry.models import Business

    business = BusinessFactory(name='Rotan & Bambu "Jaya" <Cikupa>')
    model_admin = admin.site._registry[Business]
    assert isinstance(model_admin, admin_lists.QuickRowCheckbox)
    with translation.override(language):
        quick = model_admin.action_checkbox(business)
        django = admin.ModelAdmin.action_checkbox(model_admin, business)
    assert quick == django
    assert "&lt;Cikupa&gt;" in quick


def test_every_row_of_a_change_list_has_its_checkbox(client, coordinator):
    mission = make_mission()
    deals = [make_deal(mission, BusinessFactory(), amount=str(n + 1)) for n in range(3)]
    client.force_login(coordinator)
    body = client.get(reverse("admin:missions_deal_changelist")).content.decode()
    for deal in deals:
        assert f'name="_selected_action" value="{deal.pk}" class="action-select"' in body


# --- QuickRows: the same rows as Django's, faster --------------------------------

QUICK_ADMINS = [
    pytest.param(model_admin, id=model._meta.label)
    for model, model_admin in admin.site._registry.items()
    if isinstance(model_admin, admin_lists.QuickRows)
]


def _awkward_rows(world):
    """Rows with the values a column writer can get wrong: markup in names, no buyer,
    empty optional fields, a booking without an event, decimals and dates."""
    import datetime

    from django.utils import timezone

    from gerai.models import Space, SpaceBooking
    from missions.models import Meeting
    from tests.gerai.factories import soon

    mission = world["mission_done"]
    business = BusinessFactory(name='Rotan & Bambu "Jaya" <Cikupa>', nib="")
    buyer = make_buyer(company="Osaka <Trading> & Co", contact_person="")
    make_deal(mission, business, amount="1234567.89", currency="USD", rate="16250.5", buyer=buyer)
    make_deal(mission, business, amount="0", kind=Deal.Kind.POTENTIAL, status=Deal.Status.REPORTED)
    participation = world["participation_a"]
    start = timezone.make_aware(datetime.datetime.combine(mission.start_date, datetime.time(10)))
    Meeting.objects.create(
        mission=mission,
        participation=participation,
        business=participation.business,
        buyer=buyer,
        start=start,
        end=start + datetime.timedelta(minutes=20),
        table="",
    )
    space = Space.objects.order_by("pk").first()
    if space is not None:
        start = soon(days=40)
        SpaceBooking.objects.create(
            space=space,
            purpose="Rapat <internal>",
            start=start,
            end=start + datetime.timedelta(hours=2),
        )


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("model_admin", QUICK_ADMINS)
def test_quick_rows_are_djangos_rows(rf, world, superuser, model_admin, language):
    """Cell by cell, against Django's own items_for_result, sorted and filtered."""
    from django.contrib.admin.templatetags.admin_list import items_for_result
    from django.utils import translation

    _awkward_rows(world)
    opts = model_admin.model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    for query in ("", "?o=-2.1&q="):
        request = rf.get(url + query)
        request.user = superuser
        with translation.override(language):
            cl = model_admin.get_changelist_instance(request)
            quick = [str(row[0]) for row in model_admin.quick_rows(cl)]
            django = ["".join(items_for_result(cl, obj, None)) for obj in cl.result_list]
        assert quick, f"no {opts.verbose_name_plural} in the test data"
        assert quick == django


@pytest.mark.parametrize("model_admin", QUICK_ADMINS)
def test_a_change_list_page_is_the_same_with_quick_rows(
    client, world, superuser, model_admin, monkeypatch
):
    """The whole page, through templates/admin/change_list.html, as Django writes it.

    (The admin is outside the language prefixes, so it is always in Indonesian; the test
    above covers the rows in English too.)"""
    import re

    _awkward_rows(world)
    opts = model_admin.model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist") + "?o=-2"
    client.force_login(superuser)

    def page():
        body = client.get(url).content.decode()
        # The per-request tokens differ; nothing else may.
        return re.sub(r'(csrfmiddlewaretoken" value|nonce)="[^"]*"', "", body)

    written = []
    quick_rows = type(model_admin).quick_rows

    def spy(self, cl):
        rows = quick_rows(self, cl)
        written.append(rows)
        return rows

    monkeypatch.setattr(type(model_admin), "quick_rows", spy)
    quick = page()
    # The page's template reached {% quick_result_list %}, and QuickRows wrote the rows
    # (the Meeting list is editable: Django writes it).
    assert len(written) == 1
    assert (written[0] is None) == bool(model_admin.list_editable)
    monkeypatch.setattr(type(model_admin), "quick_rows", lambda self, cl: None)
    django = page()
    assert 'class="action-select"' in quick
    assert quick == django


def test_editable_and_popup_lists_keep_djangos_rows(rf, world, superuser):
    """QuickRows leaves a list with form fields, or a pop-up's, to Django."""

    from missions.models import Meeting

    model_admin = admin.site._registry[Meeting]
    assert model_admin.list_editable
    request = rf.get(reverse("admin:missions_meeting_changelist"))
    request.user = superuser
    cl = model_admin.get_changelist_instance(request)
    cl.formset = model_admin.get_changelist_formset(request)(queryset=cl.result_list)
    assert model_admin.quick_rows(cl) is None
    popup = rf.get(reverse("admin:missions_deal_changelist") + "?_popup=1&_to_field=id")
    popup.user = superuser
    deal_admin = admin.site._registry[Deal]
    assert deal_admin.quick_rows(deal_admin.get_changelist_instance(popup)) is None


# Columns the portal's admins do not show yet, against Django's own rows: any list a
# later admin may declare should come out the same.


def _compare(model, attrs, rf, user, query=""):
    """Differences between QuickRows' rows and Django's for an admin with `attrs`."""
    from django.contrib.admin.templatetags.admin_list import items_for_result

    base = type(admin.site._registry[model])
    if not issubclass(base, admin_lists.QuickRows):
        base = type("Quick", (admin_lists.QuickRows, base), {})
    model_admin = type("Trial", (base,), attrs)(model, admin.site)
    opts = model._meta
    request = rf.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist") + query)
    request.user = user
    cl = model_admin.get_changelist_instance(request)
    quick = [str(row[0]) for row in model_admin.quick_rows(cl)]
    django = ["".join(items_for_result(cl, obj, None)) for obj in cl.result_list]
    assert quick, "no rows to compare"
    return [(q, d) for q, d in zip(quick, django, strict=True) if q != d]


@admin.display(boolean=True, description="b")
def _has_buyer(obj):
    return obj.buyer_id is not None


@admin.display(empty_value="<kosong>")
def _nothing(obj):
    return None


def _created(obj):
    return obj.created_at


def test_quick_rows_match_django_for_every_kind_of_column(rf, superuser):
    from django.utils import timezone

    mission = make_mission()
    business = BusinessFactory(name='A & "B" <c>')
    make_deal(mission, business, amount="1234.5", buyer=make_buyer(company="X<y>"))
    deal = make_deal(mission, business, amount="0")
    Deal.objects.filter(pk=deal.pk).update(confirmed_at=timezone.now())
    columns = [
        "id", "kind", "date", "confirmed_at", "created_at", "amount", "buyer", "meeting",
        "buyer_label", "__str__", lambda obj: obj.pk, _has_buyer, _nothing, _created,
        "mission_id", "business",
    ]  # fmt: skip
    for query in ("", "?status__exact=confirmed&q=", "?o=3"):
        links = {"list_display": columns, "list_display_links": ["amount", "buyer"]}
        assert not _compare(Deal, {**links, "sortable_by": ["kind"]}, rf, superuser, query)
        first = {"list_display": columns, "list_display_links": ()}
        assert not _compare(Deal, first, rf, superuser, query)


def test_a_cell_whose_object_is_gone_is_written_as_django_writes_it(rf, superuser):
    """A lookup that raises DoesNotExist (a row deleted meanwhile) is an empty cell, with
    the column's plain class even for the checkbox."""

    def gone(*args):
        raise Deal.DoesNotExist

    make_deal(make_mission(), BusinessFactory(), amount="1")
    attrs = {"list_display": ["date", "amount", gone], "action_checkbox": gone}
    assert not _compare(Deal, attrs, rf, superuser)


@pytest.mark.parametrize("code", ["", "a/b_c?é%", "#:x%20", " sp ace", "36.03.99"])  # max 8
def test_quick_rows_quote_text_keys_as_django_does(rf, superuser, code):
    from ikm_registry.models import Kecamatan

    Kecamatan.objects.create(code=code, name="K <1>")
    assert not _compare(Kecamatan, {"list_display": ["name", "code"]}, rf, superuser, "?o=1")


def test_a_change_list_with_its_own_links_keeps_djangos_rows(rf, superuser):
    from django.contrib.admin.views.main import ChangeList

    class OwnLinks(ChangeList):
        def url_for_result(self, result):
            return f"/elsewhere/{result.pk}/"

    make_deal(make_mission(), BusinessFactory(), amount="1")
    model_admin = admin.site._registry[Deal]
    request = rf.get(reverse("admin:missions_deal_changelist"))
    request.user = superuser
    cl = model_admin.get_changelist_instance(request)
    cl.__class__ = OwnLinks
    assert model_admin.quick_rows(cl) is None
