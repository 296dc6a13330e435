import re
import shutil
import subprocess
from pathlib import Path

import pytest

PO = Path(__file__).resolve().parents[2] / "locale" / "en" / "LC_MESSAGES" / "django.po"


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext is not installed")
def test_english_catalog_is_complete():
    """Every Indonesian string has an English translation, none fuzzy."""
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(PO)],
        capture_output=True,
        text=True,
        check=True,
    )
    stats = result.stderr
    assert "fuzzy" not in stats, stats
    assert "untranslated" not in stats, stats


def test_compiled_catalog_ships_with_the_project():
    mo = PO.with_suffix(".mo")
    assert mo.exists()
    assert mo.stat().st_mtime >= PO.stat().st_mtime - 1, "run `make messages` to recompile"


# --- No English on Indonesian pages -------------------------------------------------
#
# Indonesian pages show our templates' text as written: the literal text, the alt, title,
# placeholder and aria-label values, and the msgids of {% translate %} and
# {% blocktranslate %} (Indonesian, the source language). An English word there is a
# leftover. Code samples (<code>, <pre>), scripts, comments and template expressions are
# not text; Django's own English msgids (in admin templates) count only when Django's
# Indonesian catalog leaves them English.

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
NOT_PAGES = {"robots.txt"}  # for crawlers, in their protocol's words

# Common English words that are not Indonesian words or accepted loanwords
# ("data", "status", "format", "total", "agenda", "admin", "detail", "portal", "filter"
# are; "as" is AS, Amerika Serikat).
ENGLISH = set(
    """
    the and or of to in on for with from by at is are was were be been this that these
    those it its your you our we they their not yes all any each every some more less most
    only also than then there here when where what which who how why while if else about
    after before between into over under up down out will would can could should must may
    have has had do does did done new old first last next previous back home page pages
    search sort select option options choose submit send save cancel delete remove
    edit update add create view show hide open close closed login logout sign register
    password username user account profile settings help contact menu language loading
    please error errors warning success required optional field fields file files upload
    download image photo photos picture price prices product products business businesses
    company companies owner owners event events mission missions calendar today tomorrow
    yesterday week month year day days time date free paid ticket tickets booth booths floor
    ground second third showroom hall stage venue export import country countries
    certificate certificates commodity commodities category categories amount deal deals
    buyer buyers meeting meetings report reports print results result summary details read
    continue confirm confirmed cancelled postponed published draft ongoing completed
    reported selection pending approved rejected accepted withdrawn thank thanks dear
    regards hello welcome unsubscribe link links share subscribe
    """.split()
)

# Words that are right where they stand, each with its reason.
ALLOWED = {
    # Word: reason. Empty for now: a word that is right everywhere it stands goes here.
}
ALLOWED_IN = {
    # The API page names the fields of the JSON it documents, and its licence (CC BY).
    ("api/index.html", "next"),
    ("api/index.html", "previous"),
    ("api/index.html", "by"),
    # A product's name.
    ("gerai/event_detail.html", "calendar"),
}

_PROSE_ONLY = [
    re.compile(r"\{%\s*(comment|verbatim)\s*%\}.*?\{%\s*end\1\s*%\}", re.S),
    re.compile(r"\{#.*?#\}"),
    re.compile(r"<(script|style|code|pre|kbd|samp)\b.*?</\1>", re.S | re.I),
    re.compile(r"<!--.*?-->", re.S),
]
_MSGID = re.compile(r"\{%\s*trans(?:late)?\s+(\"[^\"]*\"|'[^']*')")
_TEMPLATE_CODE = re.compile(r"\{%.*?%\}|\{\{.*?\}\}", re.S)
_SHOWN_ATTRIBUTE = re.compile(r'\b(?:alt|title|placeholder|aria-label)="([^"]*)"')
_ELEMENT = re.compile(r"<[^>]*>", re.S)
_WORD = re.compile(r"[A-Za-z][\w'\-]*")


def shown_texts(source):
    """(text, is a Django msgid) pieces an Indonesian reader sees, from a template."""
    for pattern in _PROSE_ONLY:
        source = pattern.sub(" ", source)
    msgids = [quoted[1:-1] for quoted in _MSGID.findall(source)]
    source = _TEMPLATE_CODE.sub(" ", source)
    attributes = _SHOWN_ATTRIBUTE.findall(source)
    return [*msgids, *attributes, _ELEMENT.sub(" ", source)]


def english_words(text):
    words = set()
    for word in _WORD.findall(text):
        if "_" in word or "." in word:  # identifiers and file names
            continue
        word = word.lower().strip("'-")
        if word in ENGLISH and word not in ALLOWED:
            words.add(word)
    return words


def test_finds_english_in_a_template():
    source = (
        '{% load i18n %}<h1>{% translate "Daftar produk" %}</h1>'
        '<img src="x.jpg" alt="Photo of the product"><p>Select an option</p>'
        "<pre>for item in page</pre>{# the comment #}{{ product.name }}"
    )
    found = set().union(*(english_words(text) for text in shown_texts(source)))
    assert found == {"photo", "of", "the", "product", "select", "option"}


def test_indonesian_templates_show_no_english_words():
    from django.utils import translation

    leftovers = []
    with translation.override("id"):
        for path in sorted(TEMPLATES.rglob("*")):
            name = path.relative_to(TEMPLATES).as_posix()
            if path.suffix not in {".html", ".txt"} or name in NOT_PAGES:
                continue
            for text in shown_texts(path.read_text()):
                if translation.gettext(text) != text:
                    continue  # a Django msgid its Indonesian catalog translates
                for word in english_words(text):
                    if (name, word) not in ALLOWED_IN:
                        leftovers.append(f"{name}: {word!r} in {text.strip()[:80]!r}")
    assert not leftovers, "\n".join(leftovers)


@pytest.mark.django_db
def test_import_and_export_screens_are_indonesian_in_the_indonesian_admin(client, superuser):
    """django-import-export ships no Indonesian: locale/id fills it in."""
    client.force_login(superuser)
    body = client.get("/admin/ikm_registry/business/import/").content.decode()
    assert "Berkas yang diimpor" in body and "File to import" not in body
    assert "Kolom yang akan diimpor" in body
    body = client.get("/admin/ikm_registry/business/export/").content.decode()
    assert "Pilih semua" in body and "Select all" not in body


@pytest.mark.django_db
def test_the_task_queue_has_an_indonesian_name_in_the_admin(client, superuser):
    client.force_login(superuser)
    body = client.get("/admin/").content.decode()
    assert "Tasks Database Backend" not in body and "Task Results" not in body
    assert ">antrean tugas<" in body and "Hasil tugas" in body
