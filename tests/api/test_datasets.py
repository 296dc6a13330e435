"""The open-data downloads, Satu Data style: data, metadata, licence and dictionary."""

import csv
import io

import pytest
from openpyxl import load_workbook

from ikm_registry.models import Business

pytestmark = pytest.mark.django_db


def read_csv(response):
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")  # Excel reads it as UTF-8
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def test_directory_csv_has_every_verified_business_and_names_its_metadata(client, api_world):
    response = client.get("/api/data/direktori-ikm.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="direktori-ikm.csv"' in response["Content-Disposition"]
    assert response["Link"] == (
        '<http://testserver/api/data/direktori-ikm.json>; rel="describedby"; '
        'type="application/json"'
    )
    rows = read_csv(response)
    assert [row["nama_usaha"] for row in rows] == ["Anyaman Rotan Sejahtera", "Kacang Mede Makmur"]
    first = rows[0]
    assert first["kode_kecamatan"] == "36.03.18"
    assert first["sertifikat"] == "SVLK/V-Legal"
    assert first["negara_ekspor"] == "JP"
    assert first["jumlah_produk"] == "2"
    assert first["whatsapp"] == "https://wa.me/6281234567890"
    assert rows[1]["whatsapp"] == ""  # not published by its owner
    assert first["diverifikasi_pada"].endswith("+07:00")


def test_directory_metadata_has_licence_date_and_column_dictionary(client, api_world):
    meta = client.get("/api/data/direktori-ikm.json").json()
    assert meta["license"]["name"] == "CC BY 4.0"
    assert meta["license"]["url"] == "https://creativecommons.org/licenses/by/4.0/"
    assert meta["title"] == "Direktori IKM terverifikasi Kabupaten Tangerang"
    assert meta["modified"]  # ISO date of the latest change
    header = next(csv.reader(io.StringIO(_csv_text(client).lstrip("\ufeff"))))
    assert [c["name"] for c in meta["columns"]] == header
    assert all(c["description"] for c in meta["columns"])
    assert set(meta["distributions"]) == {"csv", "xlsx", "json"}


def _csv_text(client):
    return b"".join(client.get("/api/data/direktori-ikm.csv").streaming_content).decode()


def test_directory_xlsx_has_data_metadata_and_dictionary_sheets(client, api_world):
    response = client.get("/api/data/direktori-ikm.xlsx")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Data", "Metadata", "Kamus kolom"]
    data = list(book["Data"].values)
    assert data[0][0] == "nama_usaha"
    assert data[1][0] == "Anyaman Rotan Sejahtera"
    metadata = dict(book["Metadata"].values)
    assert metadata["Judul"] == "Direktori IKM terverifikasi Kabupaten Tangerang"
    assert any("creativecommons.org/licenses/by/4.0" in str(v) for v in metadata.values())
    dictionary = list(book["Kamus kolom"].values)
    assert dictionary[1][0] == "nama_usaha"


def test_a_name_that_looks_like_a_formula_stays_text(client, api_world):
    Business.objects.filter(pk=api_world.business.pk).update(name='=HYPERLINK("http://x")')
    rows = read_csv(client.get("/api/data/direktori-ikm.csv"))
    assert rows[0]["nama_usaha"] == '\'=HYPERLINK("http://x")'
    book = load_workbook(io.BytesIO(client.get("/api/data/direktori-ikm.xlsx").content))
    cell = book["Data"]["A2"]
    assert cell.data_type == "s"
    assert cell.value.startswith("'=")


def test_mission_results_dataset_once_published(client, api_world):
    rows = read_csv(client.get("/api/data/misi/misi-osaka/hasil.csv"))
    values = {row["indikator"]: row["nilai"] for row in rows}
    assert values["deal_value_idr"] == "17500000.00"
    assert values["participants"] == "2"
    meta = client.get("/api/data/misi/misi-osaka/hasil.json").json()
    assert meta["license"]["name"] == "CC BY 4.0"
    assert meta["title"] == "Hasil misi dagang: Misi Osaka"
    assert client.get("/api/data/misi/misi-busan/hasil.csv").status_code == 404
    assert client.get("/api/data/misi/misi-drafsecret/hasil.csv").status_code == 404
    assert client.get("/api/data/direktori-ikm.pdf").status_code == 404


def test_api_page_in_both_languages_with_example_calls(client, api_world):
    indonesian = client.get("/api/").content.decode()
    assert "API dan data terbuka" in indonesian
    assert "curl 'http://testserver/api/v1/products/?commodity=kerajinan-rotan" in indonesian
    assert 'href="http://testserver/api/data/direktori-ikm.csv"' in indonesian
    assert 'href="http://testserver/api/data/misi/misi-osaka/hasil.csv"' in indonesian
    assert "nama_usaha" in indonesian  # the column dictionary
    english = client.get("/api/?lang=en")
    assert english.status_code == 200
    assert '<html lang="en">' in english.content.decode()


def test_api_page_lists_mission_datasets_under_their_title_in_the_readers_language(
    client, api_world
):
    api_world.done_mission.title_en = "Osaka Trade Mission"
    api_world.done_mission.save()
    assert "<li>Misi Osaka: " in client.get("/api/").content.decode()
    english = client.get("/api/?lang=en").content.decode()
    assert "<li>Osaka Trade Mission: " in english
    assert "Misi Osaka" not in english
