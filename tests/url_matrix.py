"""Every URL the portal serves, and what each kind of user gets from it.

`ROUTES` is the one inventory used by the permission-matrix test
(tests/portal/test_url_matrix.py) and the browser checks (tests/e2e/test_pages.py).
A named URL that is missing here fails `test_every_url_is_in_the_inventory`: add a
Route when you add a URL.

Paths are built from the `world` fixture (tests/conftest.py), where owner A owns the
objects and owner B is the other owner.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

ANON = "anonymous"
OWNER_A = "owner_a"
OWNER_B = "owner_b"
ADMIN = "admin"
COORDINATOR = "coordinator"
VENUE = "venue"
LEADERSHIP = "leadership"
SUPERUSER = "superuser"
USERS = [ANON, OWNER_A, OWNER_B, ADMIN, COORDINATOR, VENUE, LEADERSHIP, SUPERUSER]
STAFF = [ADMIN, COORDINATOR, VENUE, LEADERSHIP, SUPERUSER]
LOGIN = "/akun/masuk/"


def everyone(code=200):
    return dict.fromkeys(USERS, code)


def anonymous_only():
    """Sign-up and log-in pages: logged-in users are sent on."""
    return {ANON: 200, **dict.fromkeys(USERS[1:], 302)}


def logged_in(code=200):
    return {ANON: 302, **dict.fromkeys(USERS[1:], code)}


def owner_of_a(staff=404):
    """An object of owner A: owner B and staff (who use the admin) get a 404."""
    return {ANON: 302, OWNER_A: 200, OWNER_B: 404, **dict.fromkeys(STAFF, staff)}


def with_permission(allowed, *, ok=200):
    """A staff page: the listed kinds get `ok`, other logged-in users 403."""
    return {ANON: 302, **{u: (ok if u in allowed else 403) for u in USERS[1:]}}


@dataclass
class Route:
    name: str
    path: Callable[[dict], str]
    expect: dict
    public: bool = False  # also checked in the browser: axe, 375 px layout, no-JS
    owner_page: bool = False  # checked in the browser as owner A
    content: dict = field(default_factory=dict)  # kind -> text the page must contain
    fuzz_as: str | None = None  # the page has a form: fuzz its POST as this kind of user


ROUTES = [
    # tangerang_ikm
    Route("home", lambda w: "/", everyone(), public=True, content={ANON: "Katalog IKM"}),
    Route("healthz", lambda w: "/healthz", everyone()),
    Route("set_language", lambda w: "/i18n/setlang/", everyone(302)),
    Route("signup", lambda w: "/akun/daftar/", anonymous_only(), public=True, fuzz_as=ANON),
    Route("signup_done", lambda w: "/akun/daftar/selesai/", everyone(), public=True),
    Route(
        "confirm_email", lambda w: "/akun/konfirmasi/MQ/invalid-token/", everyone(400), public=True
    ),
    Route(
        "resend_confirmation",
        lambda w: "/akun/konfirmasi/kirim-ulang/",
        everyone(),
        public=True,
        fuzz_as=ANON,
    ),
    Route("login", lambda w: "/akun/masuk/", anonymous_only(), public=True, fuzz_as=ANON),
    Route("logout", lambda w: "/akun/keluar/", everyone(405)),
    Route("password_reset", lambda w: "/akun/sandi/lupa/", everyone(), public=True, fuzz_as=ANON),
    Route("password_reset_done", lambda w: "/akun/sandi/lupa/terkirim/", everyone(), public=True),
    Route(
        "password_reset_confirm",
        lambda w: "/akun/sandi/atur/MQ/set-password/",
        everyone(),
        public=True,
    ),
    Route(
        "password_reset_complete", lambda w: "/akun/sandi/atur/selesai/", everyone(), public=True
    ),
    Route(
        "password_change",
        lambda w: "/akun/sandi/ubah/",
        logged_in(),
        owner_page=True,
        fuzz_as=OWNER_A,
    ),
    Route(
        "password_change_done", lambda w: "/akun/sandi/ubah/selesai/", logged_in(), owner_page=True
    ),
    # ikm_registry
    Route(
        "ikm_registry:catalog",
        lambda w: "/katalog/",
        everyone(),
        public=True,
        content={ANON: "Katalog IKM"},
    ),
    # ikm_registry: the owner area (owner A's objects; others get a 404)
    Route(
        "ikm_registry:dashboard",
        lambda w: "/ikm/dasbor/",
        logged_in(),
        owner_page=True,
        content={OWNER_A: "Rotan Jaya Cikupa"},
    ),
    Route(
        "ikm_registry:business_create",
        lambda w: "/ikm/usaha/baru/",
        logged_in(),
        owner_page=True,
        fuzz_as=OWNER_A,
    ),
    Route(
        "ikm_registry:business_detail",
        lambda w: f"/ikm/usaha/{w['business_a'].pk}/",
        owner_of_a(),
        owner_page=True,
        content={OWNER_A: "Rotan Jaya Cikupa"},
    ),
    Route(
        "ikm_registry:business_edit",
        lambda w: f"/ikm/usaha/{w['business_a'].pk}/ubah/",
        owner_of_a(),
        owner_page=True,
        fuzz_as=OWNER_A,
    ),
    Route(
        "ikm_registry:business_submit",
        lambda w: f"/ikm/usaha/{w['business_a'].pk}/ajukan/",
        logged_in(405),
    ),
    Route(
        "ikm_registry:export_add",
        lambda w: f"/ikm/usaha/{w['business_a'].pk}/ekspor/",
        logged_in(405),
    ),
    Route(
        "ikm_registry:export_delete",
        lambda w: f"/ikm/ekspor/{w['export_a'].pk}/hapus/",
        logged_in(405),
    ),
    Route(
        "ikm_registry:product_create",
        lambda w: f"/ikm/usaha/{w['business_a'].pk}/produk/baru/",
        owner_of_a(),
        owner_page=True,
        fuzz_as=OWNER_A,
    ),
    Route(
        "ikm_registry:product_edit",
        lambda w: f"/ikm/produk/{w['product_a'].pk}/",
        owner_of_a(),
        owner_page=True,
        fuzz_as=OWNER_A,
    ),
    Route(
        "ikm_registry:product_delete",
        lambda w: f"/ikm/produk/{w['product_a'].pk}/hapus/",
        logged_in(405),
    ),
    Route(
        "ikm_registry:photo_add",
        lambda w: f"/ikm/produk/{w['product_a'].pk}/foto/",
        owner_of_a(),
        owner_page=True,
        fuzz_as=OWNER_A,
    ),
    Route(
        "ikm_registry:photo_delete",
        lambda w: f"/ikm/foto/{w['photo_a'].pk}/hapus/",
        logged_in(405),
    ),
    Route(
        "ikm_registry:certificate_create",
        lambda w: f"/ikm/usaha/{w['business_a'].pk}/sertifikat/baru/",
        owner_of_a(),
        owner_page=True,
        fuzz_as=OWNER_A,
    ),
    Route(
        "ikm_registry:certificate_edit",
        lambda w: f"/ikm/sertifikat/{w['certificate_a'].pk}/",
        owner_of_a(),
        owner_page=True,
        fuzz_as=OWNER_A,
    ),
    Route(
        "ikm_registry:certificate_delete",
        lambda w: f"/ikm/sertifikat/{w['certificate_a'].pk}/hapus/",
        logged_in(405),
    ),
    Route(
        "ikm_registry:certificate_document",
        lambda w: f"/ikm/sertifikat/{w['certificate_a'].pk}/dokumen/",
        # Private scans: the owner, and staff who may view certificates.
        {**owner_of_a(), ADMIN: 200, COORDINATOR: 200, LEADERSHIP: 200, SUPERUSER: 200},
    ),
    Route(
        "ikm_registry:my_data",
        lambda w: "/ikm/data-saya/",
        logged_in(),
        owner_page=True,
        content={OWNER_A: "Rotan Jaya Cikupa"},
    ),
    Route("ikm_registry:my_data_json", lambda w: "/ikm/data-saya/unduh.json", logged_in()),
    Route("ikm_registry:my_data_xlsx", lambda w: "/ikm/data-saya/unduh.xlsx", logged_in()),
    Route("ikm_registry:my_data_delete", lambda w: "/ikm/data-saya/hapus/", logged_in(405)),
    # missions
    Route("missions:list", lambda w: "/misi-dagang/", everyone(), public=True),
    Route(
        "missions:detail",
        lambda w: f"/misi-dagang/{w['mission_done'].slug}/",
        everyone(),
        public=True,
        content={ANON: "Hasil misi"},
    ),
    Route("missions:my", lambda w: "/misi-dagang/saya/", logged_in(), owner_page=True),
    Route(
        "missions:apply",
        lambda w: f"/misi-dagang/{w['mission_open'].slug}/daftar/",
        {ANON: 302, OWNER_A: 200, OWNER_B: 200, **dict.fromkeys(STAFF, 302)},
        owner_page=True,
        fuzz_as=OWNER_A,
    ),
    Route(
        "missions:withdraw",
        lambda w: f"/misi-dagang/peserta/{w['participation_a'].pk}/mundur/",
        logged_in(405),
    ),
    Route(
        "missions:agenda",
        lambda w: f"/misi-dagang/peserta/{w['participation_a'].pk}/agenda/",
        owner_of_a(),
        owner_page=True,
        content={OWNER_A: "Agenda pertemuan"},
    ),
    Route(
        "missions:agenda_print",
        lambda w: f"/misi-dagang/peserta/{w['participation_a'].pk}/agenda/cetak/",
        owner_of_a(),
        owner_page=True,
    ),
    Route(
        "missions:agenda_ics",
        lambda w: f"/misi-dagang/peserta/{w['participation_a'].pk}/agenda.ics",
        owner_of_a(),
        content={OWNER_A: "BEGIN:VCALENDAR"},
    ),
    Route(
        "missions:answer_meeting_request",
        lambda w: "/misi-dagang/permintaan/1/jawab/",
        logged_in(405),
    ),
    Route("missions:rate_meeting", lambda w: "/misi-dagang/pertemuan/1/nilai/", logged_in(405)),
    Route(
        "missions:buyer_link",
        lambda w: "/misi-dagang/pembeli/bad-token/",
        everyone(410),
        public=True,
    ),
    Route(
        "missions:buyer_rate",
        lambda w: "/misi-dagang/pembeli/bad-token/nilai/1/",
        everyone(405),
    ),
    Route(
        "missions:report_deal",
        lambda w: f"/misi-dagang/peserta/{w['participation_a'].pk}/transaksi/",
        owner_of_a(),
        owner_page=True,
        fuzz_as=OWNER_A,
    ),
    Route(
        "missions:deal_document",
        lambda w: f"/misi-dagang/transaksi/{w['deal_a'].pk}/dokumen/",
        {
            ANON: 302,
            OWNER_A: 200,
            OWNER_B: 404,
            ADMIN: 200,
            COORDINATOR: 200,
            VENUE: 404,
            LEADERSHIP: 200,
            SUPERUSER: 200,
        },
    ),
    *[
        Route(
            f"missions:{name}",
            lambda w, s=suffix: f"/misi-dagang/{w['mission_done'].slug}/laporan/{s}",
            with_permission([ADMIN, COORDINATOR, LEADERSHIP, SUPERUSER]),
        )
        for name, suffix in (
            ("report", ""),
            ("report_print", "cetak/"),
            ("report_xlsx", "unduh.xlsx"),
        )
    ],
    *[
        Route(
            f"missions:{name}",
            lambda w, s=suffix: f"/misi-dagang/dasbor/{s}",
            with_permission([ADMIN, COORDINATOR, LEADERSHIP, SUPERUSER]),
        )
        for name, suffix in (
            ("dashboard", ""),
            ("dashboard_print", "cetak/"),
            ("dashboard_xlsx", "unduh.xlsx"),
        )
    ],
    # gerai
    Route(
        "gerai:event_list",
        lambda w: "/gerai/acara/",
        everyone(),
        public=True,
        content={ANON: "Bazar Matriks"},
    ),
    Route("gerai:venue", lambda w: "/gerai/", everyone(), public=True, content={ANON: "Aula"}),
    Route("gerai:event_archive", lambda w: "/gerai/acara/arsip/", everyone(), public=True),
    Route(
        "gerai:event_calendar_current", lambda w: "/gerai/acara/kalender/", everyone(), public=True
    ),
    Route(
        "gerai:event_calendar",
        lambda w: "/gerai/acara/kalender/{0:%Y}/{0.month}/".format(w["gerai_event"].start),
        everyone(),
        public=True,
        content={ANON: "Bazar Matriks"},
    ),
    Route(
        "gerai:event_detail",
        lambda w: f"/gerai/acara/{w['gerai_event'].slug}/",
        everyone(),
        public=True,
        content={ANON: "Bazar Matriks"},
    ),
    Route(
        "gerai:event_ics",
        lambda w: f"/gerai/acara/{w['gerai_event'].slug}.ics",
        everyone(),
        content={ANON: "BEGIN:VCALENDAR"},
    ),
    Route(
        "gerai:apply",
        lambda w: f"/gerai/acara/{w['gerai_event'].slug}/daftar-stan/",
        logged_in(),
        owner_page=True,
        content={OWNER_A: "Rotan Jaya Cikupa", OWNER_B: "Mede Sentosa"},
        fuzz_as=OWNER_A,
    ),
    Route("gerai:feeds", lambda w: "/gerai/kalender/", everyone(), public=True),
    Route("gerai:offer", lambda w: "/gerai/stan/tawaran/1:forged/", everyone(404)),
    Route(
        "missions:party_confirm",
        lambda w: "/misi-dagang/konfirmasi/bad-token/",
        everyone(410),
        public=True,
    ),
    Route(
        "missions:follow_up",
        lambda w: "/misi-dagang/tindak-lanjut/bad-token/",
        everyone(410),
        public=True,
    ),
    Route("gerai:calendar_feed", lambda w: "/gerai/kalender.ics", everyone()),
    Route("gerai:kind_feed", lambda w: "/gerai/kalender/bazar.ics", everyone()),
    Route(
        "gerai:my_applications",
        lambda w: "/gerai/stan/",
        logged_in(),
        owner_page=True,
        content={OWNER_A: "Rotan Jaya Cikupa"},
    ),
    Route(
        "gerai:withdraw",
        lambda w: f"/gerai/stan/{w['gerai_application_a'].pk}/tarik/",
        {ANON: 302, **dict.fromkeys(USERS[1:], 405)},  # POST only; see tests/gerai
    ),
]

# Served by Django itself, covered by its own tests or by the admin matrix.
IGNORED_PREFIXES = ("admin:",)


# --- ikm_registry: the public catalog and buyer inquiries (issue #4) ---------


def _inquiry_of_a(w):
    """A buyer inquiry to owner A's business (made on first use)."""
    from ikm_registry.models import Inquiry

    inquiry, _created = Inquiry.objects.get_or_create(
        business=w["business_a"],
        name="Matrix Buyer",
        defaults={"country": "JP", "email": "buyer@example.jp", "message": "Samples?"},
    )
    return inquiry


ROUTES += [
    Route(
        "ikm_registry:catalog_product",
        lambda w: f"/katalog/{w['product_a'].slug}/",
        everyone(),
        public=True,
        content={ANON: "Rotan Jaya Cikupa", OWNER_B: "Tanyakan produk ini"},
    ),
    Route(
        "ikm_registry:product_inquiry",
        lambda w: f"/katalog/{w['product_a'].slug}/tanya/",
        everyone(),
        public=True,
        fuzz_as=ANON,
    ),
    Route(
        "ikm_registry:business_inquiry",
        lambda w: f"/ikm-direktori/{w['business_a'].slug}/tanya/",
        everyone(),
        public=True,
        fuzz_as=ANON,
    ),
    Route("media", lambda w: "/media/tidak-ada.jpg", everyone(404)),
    Route(
        "ikm_registry:directory",
        lambda w: "/ikm-direktori/",
        everyone(),
        public=True,
        content={ANON: "Mede Sentosa"},
    ),
    Route(
        "ikm_registry:directory_business",
        lambda w: f"/ikm-direktori/{w['business_a'].slug}/",
        everyone(),
        public=True,
        content={ANON: "Kirim permintaan kepada IKM ini"},
    ),
    Route(
        "ikm_registry:owner_inquiries",
        lambda w: (_inquiry_of_a(w), "/permintaan-pembeli/")[1],
        logged_in(),
        owner_page=True,
        content={OWNER_A: "Matrix Buyer"},
    ),
    Route(
        "ikm_registry:inquiry_answered",
        lambda w: f"/permintaan-pembeli/{_inquiry_of_a(w).pk}/dijawab/",
        {ANON: 302, **dict.fromkeys(USERS[1:], 405)},
    ),
    Route("sitemap", lambda w: "/sitemap.xml", everyone(), content={ANON: "/katalog/"}),
    Route("robots_txt", lambda w: "/robots.txt", everyone(), content={ANON: "Sitemap:"}),
]

# --- The public API and open data (issue #23): anonymous, the same for everybody ------

ROUTES += [
    Route("api:index", lambda w: "/api/", everyone(), public=True, content={ANON: "API"}),
    Route("api:schema", lambda w: "/api/v1/openapi.json", everyone(), content={ANON: "openapi"}),
    Route("api:api-root", lambda w: "/api/v1/", everyone(), content={ANON: "products"}),
    Route(
        "api:product-list",
        lambda w: "/api/v1/products/",
        everyone(),
        content={ANON: "keranjang-rotan-cikupa"},
    ),
    Route(
        "api:product-detail",
        lambda w: f"/api/v1/products/{w['product_a'].slug}/",
        everyone(),
        content={ANON: "Rotan Jaya Cikupa"},
    ),
    Route("api:business-list", lambda w: "/api/v1/businesses/", everyone()),
    Route(
        "api:business-detail",
        lambda w: f"/api/v1/businesses/{w['business_a'].slug}/",
        everyone(),
        content={ANON: "Rotan Jaya Cikupa"},
    ),
    Route("api:commodity-list", lambda w: "/api/v1/commodities/", everyone()),
    Route("api:kecamatan-list", lambda w: "/api/v1/kecamatan/", everyone()),
    Route("api:event-list", lambda w: "/api/v1/events/", everyone()),
    Route(
        "api:event-detail",
        lambda w: f"/api/v1/events/{w['gerai_event'].slug}/",
        everyone(),
        content={ANON: "Bazar Matriks"},
    ),
    Route("api:mission-list", lambda w: "/api/v1/missions/", everyone()),
    Route(
        "api:mission-detail", lambda w: f"/api/v1/missions/{w['mission_open'].slug}/", everyone()
    ),
    Route(
        "api:mission-results",
        lambda w: f"/api/v1/missions/{w['mission_done'].slug}/results/",
        everyone(),
    ),
    Route("api:directory_data", lambda w: "/api/data/direktori-ikm.json", everyone()),
    Route(
        "api:mission_results_data",
        lambda w: f"/api/data/misi/{w['mission_done'].slug}/hasil.json",
        everyone(),
    ),
]
