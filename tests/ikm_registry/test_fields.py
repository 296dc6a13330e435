import pytest

from ikm_registry.fields import SafeModelChoiceField, SafeModelMultipleChoiceField
from ikm_registry.models import Commodity, Desa


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["9223372036854775808", "-1", "0", "1e3", "abc"])
def test_ids_no_database_can_hold_are_invalid_choices(value):
    field = SafeModelChoiceField(queryset=Commodity.objects.all())
    with pytest.raises(Exception) as caught:
        field.clean(value)
    assert caught.value.code == "invalid_choice"
    multiple = SafeModelMultipleChoiceField(queryset=Commodity.objects.all())
    with pytest.raises(Exception) as caught:
        multiple.clean([value])
    assert caught.value.code == "invalid_choice"


@pytest.mark.django_db
def test_real_ids_slugs_and_codes_still_work():
    rotan = Commodity.objects.get(slug="kerajinan-rotan")
    assert SafeModelChoiceField(queryset=Commodity.objects.all()).clean(str(rotan.pk)) == rotan
    by_slug = SafeModelChoiceField(queryset=Commodity.objects.all(), to_field_name="slug")
    assert by_slug.clean("kerajinan-rotan") == rotan
    talaga = SafeModelChoiceField(queryset=Desa.objects.all()).clean("36.03.18.2004")
    assert talaga.name == "Talaga"


def test_quick_select_renders_what_djangos_select_renders():
    import re

    from django import forms

    from ikm_registry.fields import QuickSelect

    choices = [
        ("", "---------"),
        ("ID", "Indonesia"),
        ("KR", "Korea <Selatan> & Co"),
        ("JP", "Jepang"),
    ]

    def options(html):
        return re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', html)

    for value in ["", "KR", None]:
        attrs = {"id": "id_country", "required": True, "aria-invalid": "true"}
        ours = QuickSelect(choices=choices).render("country", value, attrs)
        django = forms.Select(choices=choices).render("country", value, attrs)
        assert options(ours) == options(django), value
        for attribute in ('name="country"', 'id="id_country"', "required", 'aria-invalid="true"'):
            assert attribute in ours
    assert "Korea &lt;Selatan&gt; &amp; Co" in ours
