import datetime
import re

import pytest
from django import forms
from django.template import Context, Template
from django.utils import translation


@pytest.mark.django_db
def test_home_is_indonesian_by_default(client):
    response = client.get("/")
    assert response.status_code == 200
    assert '<html lang="id">' in response.content.decode()
    assert "Katalog IKM" in response.content.decode()


def switcher_action(body):
    return re.search(r'<form class="language-switcher" action="([^"]+)"', body).group(1)


@pytest.mark.django_db
def test_language_switcher_changes_the_page_language(client):
    page = client.get("/").content.decode()
    response = client.post(switcher_action(page), {"language": "en", "next": "/"}, follow=True)
    body = response.content.decode()
    assert response.redirect_chain[-1][0] == "/en/"
    assert '<html lang="en">' in body
    assert "IKM Catalog" in body
    back = client.post(switcher_action(body), {"language": "id", "next": "/en/"}, follow=True)
    assert back.redirect_chain[-1][0] == "/"
    assert "Katalog IKM" in back.content.decode()


def test_rupiah_is_written_the_indonesian_way():
    out = Template("{% load portal %}{{ a|rupiah }} {{ b|rupiah:2 }} {{ c|rupiah }}").render(
        Context({"a": 1500000, "b": "2240000.5", "c": -1000})
    )
    assert out == "Rp1.500.000 Rp2.240.000,50 -Rp1.000"


def test_dates_are_written_in_indonesian():
    with translation.override("id"):
        out = Template("{{ d|date }}").render(Context({"d": datetime.date(2026, 11, 28)}))
    assert out == "28 November 2026"


def test_datetime_input_reads_day_first_in_indonesian():
    class F(forms.Form):
        when = forms.DateTimeField()
        day = forms.DateField()

    with translation.override("id"):
        form = F({"when": "05/03/2025 14.30", "day": "05/03/2025"})
        assert form.is_valid(), form.errors
    assert form.cleaned_data["when"].date() == datetime.date(2025, 3, 5)
    assert form.cleaned_data["when"].hour == 14
    assert form.cleaned_data["day"] == datetime.date(2025, 3, 5)


def test_html5_inputs_are_read_in_iso():
    class F(forms.Form):
        when = forms.DateTimeField()

    with translation.override("id"):
        form = F({"when": "2025-03-05T14:30"})
        assert form.is_valid(), form.errors
    assert form.cleaned_data["when"].month == 3
