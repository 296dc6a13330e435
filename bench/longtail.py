"""Long-tail traffic (issue #26): each request a random path from thousands of real ones.

A cache in front of a page helps a visitor only when someone asked for the same URL
shortly before. Real traffic is a long tail (thousands of product and IKM pages, each
seen now and then; searches that rarely repeat; staff paging through filtered lists),
so what counts is what a page costs when nothing is cached for it. Each mix below is a
list of real paths built from the data in the database; wrk (bench/longtail.lua) asks
for a random one of them on every request, with the cookie the path needs.

A mix is (name, kind, [(path, cookie or "")]). Kinds are judged by run.LONG_TAIL_TARGETS.
"""

import random
import re
import urllib.request
from html import unescape
from importlib import import_module

from django.utils import timezone

SEED = 26  # the same paths in every run, so that runs compare


def session_cookie(user):
    """A logged-in session for `user`, as the login view would make it."""
    from django.conf import settings

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store["_auth_user_id"] = str(user.pk)
    store["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    store["_auth_user_hash"] = user.get_session_auth_hash()
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def _sample(rng, items, n):
    items = list(items)
    return rng.sample(items, min(n, len(items)))


def _lang(rng, path):
    """A quarter of the visitors read the English pages."""
    return "/en" + path if rng.random() < 0.25 else path


def _public(rng):
    from gerai.models import Event
    from ikm_registry.models import Business, Commodity, Kecamatan, Product, SearchTerm

    products = _sample(
        rng, Product.objects.public().order_by("pk").values_list("slug", flat=True), 4000
    )
    businesses = _sample(
        rng, Business.objects.verified().order_by("pk").values_list("slug", flat=True), 3000
    )
    events = _sample(
        rng, Event.objects.published().order_by("pk").values_list("slug", flat=True), 1500
    )
    commodities = list(Commodity.objects.values_list("slug", flat=True))
    kecamatan = list(Kecamatan.objects.values_list("code", flat=True))
    # Search words as visitors type them: words of the catalog's own texts, some with a
    # typo, some two at a time.
    vocabulary = SearchTerm.objects.filter(word__regex=r"^[a-z]{4,12}$").order_by("word")
    vocabulary = _sample(rng, vocabulary.values_list("word", flat=True), 400)

    def term():
        word = rng.choice(vocabulary)
        roll = rng.random()
        if roll < 0.2 and len(word) > 4:  # a doubled letter: 'rottan'
            i = rng.randrange(1, len(word) - 1)
            return word[:i] + word[i] + word[i:]
        if roll < 0.5:
            return f"{word}+{rng.choice(vocabulary)}"
        return word

    searches = set()
    while len(searches) < 800:
        params = [f"q={term()}"]
        if rng.random() < 0.4:
            params.append(f"commodity={rng.choice(commodities)}")
        if rng.random() < 0.4:
            params.append(f"kecamatan={rng.choice(kecamatan)}")
        if rng.random() < 0.15:
            params.append(f"certificate={rng.choice(['halal', 'pirt', 'sni', 'svlk', 'bpom_md'])}")
        if rng.random() < 0.15:
            params.append(f"size={rng.choice(['mikro', 'kecil', 'menengah'])}")
        if rng.random() < 0.2:
            params.append("export_ready=on")
        if rng.random() < 0.4:
            params.append(f"sort={rng.choice(['relevance', 'name', 'newest'])}")
        if rng.random() < 0.2:
            params.append(f"page={rng.randint(2, 5)}")
        rng.shuffle(params)
        base = "/katalog/" if rng.random() < 0.75 else "/ikm-direktori/"
        searches.add(_lang(rng, base + "?" + "&".join(params)))

    now = timezone.localdate()
    # The public API (issue #23): the same filters as the pages, as JSON, in both languages.
    api = set()
    while len(api) < 800:
        roll = rng.random()
        if roll < 0.7:
            params = [p for p in rng.choice(sorted(searches)).split("?", 1)[1].split("&")]
            params = [p for p in params if not p.startswith("page=")]
            endpoint = "/api/v1/products/" if roll < 0.45 else "/api/v1/businesses/"
            if rng.random() < 0.5:
                params = [p for p in params if not p.startswith("q=")]
        elif roll < 0.9:
            endpoint = "/api/v1/events/"
            year = rng.randint(now.year - 1, now.year + 1)
            month = rng.randint(1, 12)
            params = [f"from={year}-{month:02d}-01", f"to={year}-{month:02d}-28"]
        else:
            endpoint = rng.choice(
                ["/api/v1/missions/", "/api/v1/commodities/", "/api/v1/kecamatan/"]
            )
            params = []
        if rng.random() < 0.25:
            params.append("lang=en")
        api.add(endpoint + ("?" + "&".join(params) if params else ""))

    catalog = []
    for page in range(1, 401):
        sort = rng.choice(["", "&sort=newest", "&sort=name"])
        catalog.append(_lang(rng, f"/katalog/?page={page}{sort}"))
    directory = [_lang(rng, f"/ikm-direktori/?page={page}") for page in range(1, 201)]
    directory += [
        _lang(rng, f"/ikm-direktori/?kecamatan={code}&commodity={slug}")
        for code in kecamatan
        for slug in _sample(rng, commodities, 5)
    ]
    months = []
    for delta in range(-18, 19):
        year, month = divmod(now.year * 12 + now.month - 1 + delta, 12)
        months.append(_lang(rng, f"/gerai/acara/kalender/{year}/{month + 1}/"))
    return [
        ("product pages", "public", [_lang(rng, f"/katalog/{s}/") for s in products]),
        ("IKM pages", "public", [_lang(rng, f"/ikm-direktori/{s}/") for s in businesses]),
        ("catalog pages 1-400", "public", catalog),
        ("search + filters", "public", sorted(searches)),
        ("IKM directory pages + filters", "public", directory),
        ("event pages", "public", [_lang(rng, f"/gerai/acara/{s}/") for s in events]),
        ("calendar months", "public", months),
        ("home", "public", ["/", "/en/"]),
        ("API lists + filters", "public", sorted(api)),
    ]


OWNERS = 200


def ensure_owners(n=OWNERS):
    """seed_scale makes businesses without accounts: give `n` verified ones an owner
    account each (bench-owner-N@example.com), once, so owner pages can be loaded."""
    from django.contrib.auth import get_user_model

    from ikm_registry.models import Business

    User = get_user_model()
    have = Business.objects.filter(owner__email__startswith="bench-owner-").count()
    if have >= n:
        return
    free = Business.objects.verified().filter(owner__isnull=True).order_by("pk")
    for i, pk in enumerate(free.values_list("pk", flat=True)[: n - have], start=have):
        user, _ = User.objects.get_or_create(email=f"bench-owner-{i}@example.com")
        user.set_unusable_password()
        user.save()
        Business.objects.filter(pk=pk).update(owner=user)  # no receivers: bench data only


def _owners(rng):
    """Logged-in IKM owners on their own pages, each with their own session."""
    from ikm_registry.models import Business

    ensure_owners()
    rows = []
    ids = Business.objects.filter(owner__isnull=False, owner__is_active=True).order_by("pk")
    chosen = _sample(rng, ids.values_list("pk", flat=True), 300)
    owned = Business.objects.filter(pk__in=chosen).select_related("owner").order_by("pk")
    seen = set()
    for business in owned:
        if business.owner_id in seen:
            continue
        seen.add(business.owner_id)
        cookie = session_cookie(business.owner)
        product = business.products.order_by("pk").first()
        pages = [
            "/ikm/dasbor/",
            f"/ikm/usaha/{business.pk}/",
            "/permintaan-pembeli/",
            "/gerai/stan/",
            "/misi-dagang/saya/",
        ]
        if product is not None:
            pages.append(f"/ikm/produk/{product.pk}/")
        rows += [(path, cookie) for path in pages]
    return [("owner pages (logged in)", "owner", rows)]


_FILTER_LINK = re.compile(r'<a href="(\?[^"]*)"')


def admin_filter_links(base, path, cookie):
    """The query strings of a change list's filter sidebar, read from the page itself."""
    request = urllib.request.Request(base + path, headers={"Cookie": cookie})
    html = urllib.request.urlopen(request, timeout=120).read().decode()
    start = html.find('id="changelist-filter"')
    links = _FILTER_LINK.findall(html[start:]) if start >= 0 else []
    return sorted({unescape(link)[1:] for link in links if link != "?"} - {""})


def _staff(rng, base, cookie):
    """Staff paging through change lists with searches and filters, reports, dashboard."""
    from ikm_registry.models import Business, Product
    from missions.models import Deal, TradeMission

    names = _sample(rng, Business.objects.order_by("pk").values_list("name", "nib"), 300)
    words = sorted({w for name, _ in names for w in name.split() if len(w) > 3})

    def change_list(path, pages, searches):
        filters = admin_filter_links(base, path, cookie)
        out = set()
        for _ in range(5000):  # up to 600 different paths, fewer if the list has few
            if len(out) >= 600:
                break
            params = []
            if filters and rng.random() < 0.6:
                params.append(rng.choice(filters))
            if searches and rng.random() < 0.4:
                params.append("q=" + rng.choice(searches).replace(" ", "+"))
            # Deep pages of the whole list; the first few of a filtered or searched one
            # (a page past the end of a list redirects to its first page).
            if not params and rng.random() < 0.8:
                params.append(f"p={rng.randint(1, pages)}")
            elif params and rng.random() < 0.3:
                params.append("p=2")
            out.add(path + ("?" + "&".join(params) if params else ""))
        return [(p, cookie) for p in sorted(out)]

    business_searches = [*words, *[nib for _, nib in names if nib][:100]]
    deal_searches = [name.split()[0] for name, _ in names[:100]]
    missions = TradeMission.objects.with_results().order_by("pk").values_list("slug", flat=True)
    reports = [(f"/misi-dagang/{slug}/laporan/", cookie) for slug in _sample(rng, missions, 300)]
    # One object's page, with its inlines: a seeded mission has hundreds of deals.
    change_forms = [
        (f"/admin/{app}/{model}/{pk}/change/", cookie)
        for app, model, queryset, n in (
            ("ikm_registry", "business", Business.objects, 200),
            ("ikm_registry", "product", Product.objects, 200),
            ("missions", "deal", Deal.objects, 150),
            ("missions", "trademission", TradeMission.objects, 50),
        )
        for pk in _sample(rng, queryset.order_by("pk").values_list("pk", flat=True), n)
    ]
    dashboard = [("/misi-dagang/dasbor/", cookie)]
    dashboard += [
        (f"/misi-dagang/dasbor/?{query}", cookie)
        for query in _sample(rng, admin_filter_links_dashboard(base, cookie), 200)
    ]
    return [
        (
            "admin businesses: search, filters, pages",
            "admin",
            change_list("/admin/ikm_registry/business/", 200, business_searches),
        ),
        (
            "admin products: search, filters, pages",
            "admin",
            change_list("/admin/ikm_registry/product/", 300, words),
        ),
        (
            "admin deals: search, filters, pages 1-300",
            "admin",
            change_list("/admin/missions/deal/", 300, deal_searches),
        ),
        (
            "admin bookings: filters, pages",
            "admin",
            change_list("/admin/gerai/spacebooking/", 300, []),
        ),
        ("admin change forms: IKM, products, deals, missions", "admin", change_forms),
        ("mission reports", "report", reports),
        ("program dashboard + filters", "report", dashboard),
    ]


def admin_filter_links_dashboard(base, cookie):
    """The dashboard's filter form as query strings: each option of each select alone."""
    request = urllib.request.Request(base + "/misi-dagang/dasbor/", headers={"Cookie": cookie})
    html = urllib.request.urlopen(request, timeout=300).read().decode()
    out = []
    for select in re.finditer(r'<select[^>]*? name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        name, body = select.groups()
        for value in re.findall(r'<option value="([^"]+)"', body):
            out.append(f"{name}={unescape(value)}")
    return out


def mixes(base, staff_cookie):
    rng = random.Random(SEED)
    return [*_public(rng), *_owners(rng), *_staff(rng, base, staff_cookie)]
