"""No personal data leaves through the API or the downloads.

Every operation in the OpenAPI schema is called (a new endpoint without an entry here
fails), every field of every answer is checked against an allow-list, and the personal
data planted in the seeded world (owner names, NIK, NPWP, e-mail, street, private phone,
certificate numbers, buyers' contacts) must appear in no answer at all.
"""

import pytest

from ikm_registry.models import Business
from tangerang_ikm.models import User
from tests.api.conftest import PERSONAL

pytestmark = pytest.mark.django_db

COMMODITY = {"slug", "name"}
KECAMATAN = {"code", "name"}
PAGE = {"next", "previous", "results"}


def nested(prefix, fields):
    return {f"{prefix}.{field}" for field in fields}


PRODUCT = {
    "slug",
    "url",
    "name",
    "description",
    "category",
    *nested("category", COMMODITY),
    "hs_code",
    "unit",
    "min_order",
    "capacity_per_month",
    "price_min",
    "price_max",
    "fob_price_usd",
    "export_ready",
    # Trade terms (issue #23): the product's own, no person's.
    "lead_time_days",
    "samples",
    "samples_label",
    "incoterms",
    "port_of_loading",
    "payment_terms",
    "photo",
    *nested("photo", {"image", "thumbnail", "alt"}),
    "business",
    *nested("business", {"slug", "name", "url", "kecamatan", "verified_at"}),
    *nested("business.kecamatan", KECAMATAN),
    "created_at",
    "updated_at",
}
# One product's answer adds what a buyer checks: certificates without their numbers
# (PERSONAL plants one), export history, the indicative US$ figure.
PRODUCT_DETAIL = PRODUCT | {
    "certificates",
    *nested("certificates[]", {"kind", "label", "issuer", "valid_until", "valid"}),
    "export_history",
    *nested("export_history[]", {"code", "name", "years"}),
    "indicative_usd",
    *nested("indicative_usd", {"low", "high", "rate", "date", "source"}),
}
BUSINESS = {
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
    *nested("desa", KECAMATAN),
    "kecamatan",
    *nested("kecamatan", KECAMATAN),
    "commodities",
    *nested("commodities[]", COMMODITY),
    "certificates",
    *nested("certificates[]", {"kind", "label"}),
    "export_countries",
    *nested("export_countries[]", {"code", "name"}),
    "website",
    "whatsapp",  # only where whatsapp_public (test_endpoints)
    "product_count",
    "verified_at",
    "updated_at",
}
EVENT = {
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
}
MISSION = {
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
    *nested("country", {"code", "name"}),
    "partner",
    "venue",
    "start_date",
    "end_date",
    "registration_opens",
    "registration_closes",
    "quota",
    "commodities",
    *nested("commodities[]", COMMODITY),
    "status",
    "status_label",
    "results_published",
    "results_url",
    "updated_at",
}
RESULTS = {"mission", "title", "results", *nested("results[]", {"key", "label", "value", "kind"})}
REFERENCE_COMMODITY = {"slug", "name", "hs_code", "kbli_code", "kbli_version", "is_flagship"}


def page_of(fields):
    return PAGE | nested("results[]", fields)


ALLOWED = {
    "/api/v1/products/": page_of(PRODUCT),
    "/api/v1/products/{slug}/": PRODUCT_DETAIL,
    "/api/v1/businesses/": page_of(BUSINESS),
    "/api/v1/businesses/{slug}/": BUSINESS,
    "/api/v1/commodities/": nested("[]", REFERENCE_COMMODITY),
    "/api/v1/kecamatan/": nested("[]", KECAMATAN),
    "/api/v1/events/": page_of(EVENT),
    "/api/v1/events/{slug}/": EVENT,
    "/api/v1/missions/": page_of(MISSION),
    "/api/v1/missions/{slug}/": MISSION,
    "/api/v1/missions/{slug}/results/": RESULTS,
}
SLUGS = {
    "products": ["keranjang-rotan-bundar", "kacang-mede-goreng"],
    "businesses": ["anyaman-rotan-sejahtera", "kacang-mede-makmur"],
    "events": ["bazar-desember", "bazar-batal"],
    "missions": ["misi-osaka", "misi-busan"],
}


def field_paths(value, prefix=""):
    """Every key of a JSON document as a dotted path, lists written `[]`."""
    out = set()
    if isinstance(value, dict):
        for key, item in value.items():
            path = f"{prefix}.{key}" if prefix else key
            out.add(path)
            out |= field_paths(item, path)
    elif isinstance(value, list):
        for item in value:
            out |= field_paths(item, f"{prefix}[]" if prefix else "[]")
    return out


def personal_values():
    values = set(PERSONAL)
    for business in Business.objects.all():
        values |= {business.owner_name, business.nik, business.npwp15, business.npwp16}
        values |= {business.email, business.address, business.nib}
        if not business.whatsapp_public:
            values.add(business.phone)
    for user in User.objects.all():
        values |= {user.email, user.full_name}
    return {v for v in values if v and len(v) >= 6}


def urls(path):
    resource = path.split("/")[3]
    if "{slug}" not in path:
        return [path, f"{path}?lang=en"]
    return [path.replace("{slug}", slug) for slug in SLUGS[resource]]


def test_every_field_of_every_endpoint_is_allowed(client, api_world, no_rate_limit):
    schema = client.get("/api/v1/openapi.json").json()
    assert set(schema["paths"]) == set(ALLOWED), "an endpoint without an allow-list"
    secrets = personal_values()
    assert "+6281299990000" in secrets and "3603011234567890" in secrets
    for path, allowed in ALLOWED.items():
        seen = set()
        for url in urls(path):
            response = client.get(url)
            if path.endswith("results/") and "misi-busan" in url:
                assert response.status_code == 404  # not published yet
                continue
            assert response.status_code == 200, url
            seen |= field_paths(response.json())
            body = response.content.decode()
            leaked = [s for s in secrets if s in body]
            assert not leaked, (url, leaked)
        assert seen <= allowed, (path, seen - allowed)
        assert seen, path


@pytest.mark.parametrize(
    "url",
    [
        "/api/data/direktori-ikm.csv",
        "/api/data/direktori-ikm.xlsx",
        "/api/data/direktori-ikm.json",
        "/api/data/misi/misi-osaka/hasil.csv",
        "/api/data/misi/misi-osaka/hasil.xlsx",
    ],
)
def test_downloads_carry_no_personal_data(client, api_world, url):
    import io
    import zipfile

    response = client.get(url)
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if url.endswith(".xlsx"):
        with zipfile.ZipFile(io.BytesIO(content)) as book:
            text = "".join(book.read(name).decode() for name in book.namelist())
    else:
        text = content.decode("utf-8-sig")
    leaked = [s for s in personal_values() if s in text]
    assert not leaked, leaked
    if "direktori" in url and not url.endswith(".json"):
        assert "Anyaman Rotan Sejahtera" in text  # the file is not simply empty
