"""JSON-LD of product and IKM pages: parsed, typed, complete, with no personal data."""

import json
import re
from decimal import Decimal

import pytest
from django.utils import translation

from ikm_registry.models import ExportRecord
from tangerang_ikm import jsonld
from tests.factories import BusinessFactory, ProductFactory
from tests.ikm_registry.catalog_fixtures import add_photo

pytestmark = pytest.mark.django_db


def json_ld_blocks(response):
    content = response.content.decode()
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', content, re.S)
    return [json.loads(block) for block in blocks]


def only_json_ld(response):
    blocks = json_ld_blocks(response)
    assert len(blocks) == 1, blocks
    return blocks[0]


@pytest.fixture
def business():
    return BusinessFactory(
        name="Rotan Talaga",
        slug="rotan-talaga",
        owner_name="Siti Rahmawati",
        phone="081234567890",
        email="siti.pribadi@example.com",
        address="Jl. Melati No. 7 RT 02",
        nik="3603124101900001",
        description="Anyaman rotan dari Talaga.",
        description_en="Rattan weaving from Talaga.",
        founded_year=2015,
    )


PRIVATE = ["Siti Rahmawati", "081234567890", "siti.pribadi", "Melati", "3603124101900001"]


def assert_no_personal_data(data, business):
    text = json.dumps(data)
    for private in [*PRIVATE, business.nib]:
        assert private not in text


def test_product_page_describes_a_product_with_its_price_range(client, business):
    product = ProductFactory(
        business=business,
        name="Keranjang Rotan",
        name_en="Rattan Basket",
        slug="keranjang-rotan",
        price_min=Decimal("25000.00"),
        price_max=Decimal("40000.00"),
        min_order=Decimal("10"),
    )
    add_photo(product)
    data = only_json_ld(client.get("/katalog/keranjang-rotan/"))
    assert data["@context"] == "https://schema.org" and data["@type"] == "Product"
    assert data["name"] == "Keranjang Rotan"
    assert data["url"] == "http://testserver/katalog/keranjang-rotan/"
    assert data["brand"] == {"@type": "Brand", "name": "Rotan Talaga"}
    assert data["countryOfOrigin"]["identifier"] == "ID"
    assert data["image"][0].startswith("http://testserver/media/products/")
    offer = data["offers"]
    assert offer["@type"] == "AggregateOffer"
    assert (offer["lowPrice"], offer["highPrice"]) == ("25000", "40000")
    assert offer["priceCurrency"] == "IDR"
    assert offer["availability"] == "https://schema.org/InStock"
    assert offer["eligibleQuantity"]["minValue"] == "10"
    assert_no_personal_data(data, business)


def test_product_with_one_price_has_a_single_offer_and_english_names(client, business):
    ProductFactory(business=business, slug="tikar", name_en="Rattan Mat", price_min=15000)
    with translation.override("en"):
        data = only_json_ld(client.get("/en/katalog/tikar/"))
    assert data["name"] == "Rattan Mat"
    assert data["url"] == "http://testserver/en/katalog/tikar/"
    assert data["offers"]["@type"] == "Offer" and data["offers"]["price"] == "15000"


def test_product_without_price_has_no_offer(client, business):
    ProductFactory(business=business, slug="tanpa-harga")
    data = only_json_ld(client.get("/katalog/tanpa-harga/"))
    assert data["@type"] == "Product" and "offers" not in data


def test_ikm_page_describes_an_organization_by_desa_and_kecamatan(client, business):
    ExportRecord.objects.create(business=business, country="NL", year=2024)
    data = only_json_ld(client.get("/ikm-direktori/rotan-talaga/"))
    assert data["@type"] == "Organization"
    assert data["name"] == "Rotan Talaga"
    assert data["description"] == "Anyaman rotan dari Talaga."
    assert data["foundingDate"] == "2015"
    address = data["address"]
    assert address["@type"] == "PostalAddress"
    assert address["addressLocality"] == (
        f"{business.desa.name}, Kecamatan {business.desa.kecamatan.name}, Kabupaten Tangerang"
    )
    assert (address["addressRegion"], address["addressCountry"]) == ("Banten", "ID")
    assert "streetAddress" not in address
    served = data["areaServed"]
    assert served[0] == {"@type": "AdministrativeArea", "name": "Kabupaten Tangerang"}
    assert served[1] == {"@type": "Country", "name": "Belanda", "identifier": "NL"}
    assert_no_personal_data(data, business)


def test_list_pages_carry_no_product_or_organization_json_ld(client, business):
    ProductFactory(business=business)
    assert json_ld_blocks(client.get("/katalog/")) == []


def test_script_escapes_what_could_close_the_element():
    text = str(jsonld.script({"name": "</script><b>&"}))
    assert "</script><b>" not in text.removesuffix("</script>")
    assert json.loads(text.split(">", 1)[1].removesuffix("</script>")) == {"name": "</script><b>&"}


def test_home_page_describes_the_site_with_its_catalog_search(client):
    data = only_json_ld(client.get("/en/"))
    assert data["@type"] == "WebSite" and data["url"] == "http://testserver/en/"
    assert data["inLanguage"] == "en"
    assert data["publisher"]["alternateName"] == "Disperindag Kabupaten Tangerang"
    action = data["potentialAction"]
    assert action["target"] == "http://testserver/en/katalog/?q={search_term_string}"
    assert action["query-input"] == "required name=search_term_string"
