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


def switcher_link(body, language):
    nav = re.search(r'<nav class="language-switcher".*?</nav>', body, re.S).group(0)
    return re.search(rf'<a href="([^"]+)" hreflang="{language}"', nav).group(1)


@pytest.mark.django_db
def test_language_switcher_links_to_this_page_in_the_other_language(client):
    page = client.get("/katalog/?q=rotan&sort=name").content.decode()
    english = switcher_link(page, "en")
    assert english == "/en/katalog/?q=rotan&amp;sort=name"
    body = client.get(english.replace("&amp;", "&")).content.decode()
    assert '<html lang="en">' in body
    assert "IKM Catalog" in body
    assert switcher_link(body, "id") == "/katalog/?q=rotan&amp;sort=name"
    # The switcher needs no form, so pages carry no CSRF token for it.
    assert "csrfmiddlewaretoken" not in client.get("/").content.decode()


@pytest.mark.django_db
def test_set_language_still_answers_for_old_links(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, follow=True)
    assert response.redirect_chain[-1][0] == "/en/"


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
