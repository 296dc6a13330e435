"""`{% language_switcher %}` and `{% language_alternates %}` (page_languages) write what
includes/_language_switcher.html and includes/_alternates.html write, byte for byte: the
two templates stay as the reference."""

import pytest
from django.template import engines
from django.utils import translation

pytestmark = pytest.mark.django_db

PATHS = [
    "/",
    "/en/",
    "/katalog/?q=rotan&sort=name",
    "/en/katalog/?q=%22kursi%22+%3Crotan%3E&page=2",
    "/ikm-direktori/?kecamatan=3603010",
    "/gerai/acara/kalender/2026/12/",
    "/en/gerai/acara/?kind=bazaar",
    "/api/",
    "/halaman-yang-tidak-ada/?a=1&b=<x>",  # a 404: no match, the path kept as it is
]


def _render(source, request):
    return engines["django"].from_string(source).render({}, request)


def _pair(request, include, tag):
    expected = _render(f'{{% include "{include}" %}}', request)
    # A fresh request: the first tag's work is kept on the request for the others.
    actual = _render(f"{{% load page_languages %}}{{% {tag} %}}", request)
    return expected, actual


@pytest.mark.parametrize("path", PATHS)
def test_tags_write_what_the_includes_wrote(client, path):
    response = client.get(path)
    request = response.wsgi_request
    language = "en" if path.startswith("/en/") else "id"
    with translation.override(language):
        for include, tag in [
            ("includes/_language_switcher.html", "language_switcher"),
            ("includes/_alternates.html", "language_alternates"),
        ]:
            expected, actual = _pair(request, include, tag)
            assert actual == expected, tag
    body = response.content.decode()
    assert 'hreflang="en" lang="en"' in body
    assert body.count('<link rel="canonical"') == 1


def test_without_a_request_too():
    template = engines["django"].from_string  # no request in the context
    for include, tag in [
        ("includes/_language_switcher.html", "language_switcher"),
        ("includes/_alternates.html", "language_alternates"),
    ]:
        expected = template(f'{{% include "{include}" %}}').render({})
        assert template(f"{{% load page_languages %}}{{% {tag} %}}").render({}) == expected


def test_the_pages_use_the_tags(client):
    body = client.get("/katalog/?q=a&b=c").content.decode()
    assert body.count('<nav class="language-switcher"') == 1
    assert '<a href="/en/katalog/?q=a&amp;b=c" hreflang="en" lang="en">English</a>' in body
    assert '<link rel="alternate" hreflang="x-default" href="http://testserver/katalog/">' in body
