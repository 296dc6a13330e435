"""Public event pages and feeds, and the owners' booth applications."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gerai import feeds, services
from gerai.calendar import (
    ITEM_FIELDS,
    add_items,
    agenda_html,
    grid_html,
    month_grid,
    parse_month,
    shift_month,
)
from gerai.forms import BoothApplicationForm, EventFilterForm
from gerai.models import (
    BoothApplication,
    BoothOffer,
    Event,
    EventKind,
    ShowroomItem,
    Space,
    Venue,
)
from gerai.signals import VENUE_AREA
from ikm_registry.models import Product
from tangerang_ikm import jsonld
from tangerang_ikm.cache import cached, public_page

PAGE_SIZE = 20


def _filtered(request, queryset):
    form = EventFilterForm(request.GET or None)
    kind = month = None
    if form.is_bound and form.is_valid():
        kind = form.cleaned_data["kind"] or None
        month = form.cleaned_data["month"]
    if kind:
        queryset = queryset.filter(kind=kind)
    if month:
        queryset = queryset.in_month(*month)
    query = request.GET.copy()
    query.pop("page", None)
    return form, queryset, kind, month, query.urlencode()


def _list_page(request, queryset, *, archive):
    form, queryset, kind, _month, querystring = _filtered(request, queryset)
    queryset = queryset.prefetch_related(
        Prefetch("spaces", queryset=Space.objects.order_by("position"))
    )
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "gerai/event_list.html",
        {
            "form": form,
            "page_obj": page,
            "events": page.object_list,
            "archive": archive,
            "querystring_base": querystring,
            "kind": kind,
            "kinds": EventKind.choices,
        },
    )


@public_page
def event_list(request):
    """Upcoming events, soonest first: the list comes first for phones."""
    return _list_page(request, Event.objects.published().upcoming(), archive=False)


@public_page
def event_archive(request):
    return _list_page(request, Event.objects.published().past().order_by("-start"), archive=True)


@public_page
def event_calendar(request, year=None, month=None):
    """A month as an accessible table; prev/next are plain links."""
    today = timezone.localdate()
    if year is None:
        year, month = today.year, today.month
    if not (1 <= month <= 12) or parse_month(f"{year}-{month}", today) is None:
        raise Http404
    kind = request.GET.get("kind") or None
    if kind not in EventKind.values:
        kind = None
    events = Event.objects.published().in_month(year, month).only(*ITEM_FIELDS)
    if kind:
        events = events.filter(kind=kind)
    events = list(events)
    # Each event's link worked out once: an event shows in the grid on every day
    # it touches and again in the list below it (a reverse() each time).
    prefix, _slug, suffix = reverse("gerai:event_detail", args=["--slug--"]).partition("--slug--")
    for event in events:
        event.url = prefix + event.slug + suffix
    add_items(events)
    weeks = month_grid(year, month, events, today)
    prev_year, prev_month = shift_month(year, month, -1)
    next_year, next_month = shift_month(year, month, 1)
    suffix = f"?kind={kind}" if kind else ""
    return render(
        request,
        "gerai/event_calendar.html",
        {
            "weeks": weeks,
            "grid_rows": grid_html(weeks),
            "agenda_days": agenda_html(weeks),
            "month_events": events,
            "month_start": weeks[0][0].date.replace(year=year, month=month, day=1),
            "prev_url": reverse("gerai:event_calendar", args=[prev_year, prev_month]) + suffix,
            "next_url": reverse("gerai:event_calendar", args=[next_year, next_month]) + suffix,
            "kind": kind,
            "kinds": EventKind.choices,
            "list_url": reverse("gerai:event_list")
            + f"?month={year}-{month:02d}"
            + (f"&kind={kind}" if kind else ""),
        },
    )


def spaces_of(event):
    """The event's spaces with their venue, in the venue's order: their keys through the
    many-to-many table (one small query), the spaces themselves from the venue's data
    version (a venue has a handful; gerai.signals bumps it on every write to a space, the
    venue or its address). The prefetch with its joins was a quarter of the page's CPU."""
    used = set(
        Event.spaces.through.objects.filter(event_id=event.pk).values_list("space_id", flat=True)
    )
    if not used:
        return []
    every = cached(
        VENUE_AREA,
        "spaces",
        lambda: list(Space.objects.select_related("venue__desa__kecamatan").order_by("position")),
        per_language=False,
    )
    return [space for space in every if space.pk in used]


@public_page
def event_detail(request, slug):
    event = get_object_or_404(Event.objects.published(), slug=slug)
    # The venue comes with the event's spaces; an event without spaces names the
    # portal's venue, the first.
    its_spaces = spaces_of(event)
    exhibitors = (
        BoothApplication.objects.filter(event=event)
        .exhibitors()
        .select_related("business")
        .only("booth_number", "business__name")
        .order_by("booth_number")
    )
    if its_spaces:
        venue = its_spaces[0].venue
    else:  # the portal's venue, kept per data version of the venue (gerai.signals)
        venue = cached(
            VENUE_AREA,
            "first",
            lambda: Venue.objects.select_related("desa__kecamatan").first(),
            per_language=False,
        )
    ics_path = reverse("gerai:event_ics", args=[event.slug])
    can_apply = event.applications_open()
    image = feeds.event_image(event, spaces=its_spaces)  # the poster, else a photo of the place
    return render(
        request,
        "gerai/event_detail.html",
        {
            "event": event,
            "spaces": its_spaces,
            "exhibitors": exhibitors,
            "venue": venue,
            "json_ld": jsonld.script(
                feeds.event_json_ld(event, request=request, venue=venue, image=image)
            ),
            "og_image": request.build_absolute_uri(image),
            "google_url": feeds.google_calendar_url(event, request=request, spaces=its_spaces),
            "whatsapp_url": feeds.whatsapp_share_url(event, request=request),
            "ics_url": ics_path,
            "webcal_url": feeds.webcal_url(request, ics_path),
            "can_apply": can_apply,
        },
    )


def _ics_response(body, filename):
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _feed_events():
    since, until = feeds.feed_window()
    return (
        Event.objects.published()
        .filter(end__gte=since, start__lt=until)
        .prefetch_related("spaces")
        .order_by("start", "pk")
    )


@public_page
def calendar_feed(request, kind=None):
    """The whole calendar, or one event type's. Cancelled events stay, marked CANCELLED."""
    events = _feed_events()
    name = "Gerai Tangerang Gemilang"
    if kind is not None:
        if kind not in EventKind.values:
            raise Http404
        events = events.filter(kind=kind)
        name = f"{name} — {EventKind(kind).label}"
    body = feeds.build_calendar(events, request=request, name=name)
    return _ics_response(body, f"gerai-{kind or 'semua'}.ics")


@public_page
def event_ics(request, slug):
    event = get_object_or_404(Event.objects.published().prefetch_related("spaces"), slug=slug)
    body = feeds.build_calendar([event], request=request, name=event.display_title)
    return _ics_response(body, f"{event.slug}.ics")


@public_page
def feeds_page(request):
    """Subscription links for every feed."""
    feeds_list = [(_("Semua acara"), reverse("gerai:calendar_feed"))] + [
        (label, reverse("gerai:kind_feed", args=[value])) for value, label in EventKind.choices
    ]
    rows = [
        {"label": label, "url": path, "webcal": feeds.webcal_url(request, path)}
        for label, path in feeds_list
    ]
    return render(request, "gerai/feeds.html", {"feeds": rows})


@public_page
def venue(request):
    """The venue, its spaces and what is in the showroom now."""
    place = Venue.objects.select_related("desa__kecamatan").first()
    spaces = Space.objects.filter(is_active=True).prefetch_related("photos").order_by("position")
    showroom = (
        ShowroomItem.objects.on_display()
        .filter(product__in=Product.objects.public())
        .select_related("product__business", "space")
    )
    upcoming = Event.objects.published().upcoming()[:3]
    return render(
        request,
        "gerai/venue.html",
        {"venue": place, "spaces": spaces, "showroom": showroom, "upcoming": upcoming},
    )


# --- Owner pages -------------------------------------------------------------


@login_required
def my_applications(request):
    applications = (
        BoothApplication.objects.owned_by(request.user)
        .with_open_offer()
        .select_related("event", "business")
        .prefetch_related("products")
        .order_by("-event__start", "pk")
    )
    open_events = Event.objects.accepting_booths().order_by("start")
    return render(
        request,
        "gerai/my_applications.html",
        {"applications": applications, "open_events": open_events},
    )


@login_required
def apply(request, slug):
    event = get_object_or_404(Event.objects.published(), slug=slug)
    if not event.applications_open():
        messages.error(request, _("Pendaftaran stan untuk acara ini tidak sedang dibuka."))
        return redirect(event)
    form = BoothApplicationForm(request.POST or None, user=request.user)
    if not form.fields["business"].queryset.exists():
        return render(request, "gerai/apply.html", {"event": event, "form": None})
    if request.method == "POST" and form.is_valid():
        try:
            services.apply_for_booth(
                event=event,
                business=form.cleaned_data["business"],
                products=list(form.cleaned_data["products"]),
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Pendaftaran stan terkirim. Kami memberi tahu keputusannya lewat e-mail."),
            )
            return redirect("gerai:my_applications")
    return render(request, "gerai/apply.html", {"event": event, "form": form})


@login_required
@require_POST
def withdraw(request, pk):
    application = get_object_or_404(
        BoothApplication.objects.owned_by(request.user).select_related("event"), pk=pk
    )
    if not application.can_withdraw:
        messages.error(request, _("Pendaftaran ini tidak dapat ditarik lagi."))
        return redirect("gerai:my_applications")
    services.withdraw_application(application=application, by=request.user)
    messages.success(
        request,
        _("Pendaftaran untuk %(event)s ditarik.") % {"event": application.event.display_title},
    )
    return redirect("gerai:my_applications")


# --- Booth offers (signed link from the e-mail) ---------------------------------


def offer(request, token):
    """Take or turn down an offered booth. The signed link is the key: the e-mail may be
    opened on a phone where the owner is not logged in."""
    booth_offer = BoothOffer.from_token(token)
    if booth_offer is None:
        raise Http404
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "accept":
                application = services.accept_offer(offer=booth_offer)
                messages.success(
                    request,
                    _("Stan nomor %(n)s di %(event)s sekarang milik Anda.")
                    % {"n": application.booth_number, "event": application.event.display_title},
                )
            elif action == "decline":
                services.decline_offer(offer=booth_offer)
                messages.info(
                    request, _("Tawaran ditolak. Stan ini ditawarkan kepada IKM berikutnya.")
                )
            else:
                messages.error(request, _("Pilih ambil atau tolak."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(request.path)
    return render(
        request,
        "gerai/offer.html",
        {
            "offer": booth_offer,
            "application": booth_offer.application,
            "event": booth_offer.application.event,
            "answerable": booth_offer.is_answerable(),
        },
    )
