import pytest

from ikm_registry.models import Desa, Kecamatan


@pytest.mark.django_db
def test_29_kecamatan_and_274_desa_kelurahan_are_loaded():
    assert Kecamatan.objects.count() == 29
    assert Desa.objects.count() == 274
    assert Desa.objects.filter(kind="desa").count() == 246
    assert Desa.objects.filter(kind="kelurahan").count() == 28


@pytest.mark.django_db
def test_desa_talaga_is_under_kecamatan_cikupa():
    talaga = Desa.objects.select_related("kecamatan").get(code="36.03.18.2004")
    assert talaga.name == "Talaga"
    assert talaga.kecamatan.code == "36.03.18"
    assert talaga.kecamatan.name == "Cikupa"
    assert talaga.postal_code == "15710"


@pytest.mark.django_db
def test_repeated_names_are_told_apart_by_code():
    talagasari = Desa.objects.filter(name="Talagasari").order_by("code")
    assert [d.kecamatan.name for d in talagasari] == ["Balaraja", "Cikupa"]
