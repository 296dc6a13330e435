"""Any input gives a clean value or a ValidationError with a message: never a crash."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ikm_registry.validators import clean_nib, clean_nik, normalize_phone, split_npwp

phone_like = st.one_of(st.text(max_size=30), st.from_regex(r"\+?[0-9 ()-]{0,20}", fullmatch=True))


@given(phone_like)
def test_phone_is_e164_or_refused(value):
    try:
        result = normalize_phone(value)
    except ValidationError as exc:
        assert exc.messages
    else:
        assert result == "" or re.fullmatch(r"\+62\d{8,13}", result)


@given(st.text(max_size=40))
def test_identifiers_are_digits_or_refused(value):
    for clean, lengths in ((clean_nib, {13}), (clean_nik, {0, 16})):
        try:
            result = clean(value)
        except ValidationError as exc:
            assert exc.messages
        else:
            assert result.isdigit() or result == ""
            assert len(result) in lengths
    try:
        npwp15, npwp16 = split_npwp(value)
    except ValidationError as exc:
        assert exc.messages
    else:
        assert len(npwp15) in (0, 15) and len(npwp16) in (0, 16)


@pytest.mark.django_db
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.fixed_dictionaries(
        {
            "name": st.text(max_size=200),
            "nib": st.text(max_size=20),
            "nik": st.text(max_size=20),
            "npwp": st.text(max_size=25),
            "phone": st.text(max_size=25),
            "capital": st.text(max_size=25),
            "founded_year": st.text(max_size=6),
            "desa": st.text(max_size=15),
        }
    )
)
def test_business_form_never_crashes(client, owner, data):
    client.force_login(owner)
    clean = {k: v.replace("\x00", "") for k, v in data.items()}
    response = client.post(reverse("ikm_registry:business_create"), clean)
    assert response.status_code in (200, 302)
