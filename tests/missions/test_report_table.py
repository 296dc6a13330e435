"""A report table's markup ({% report_table %}, written in Python) is byte for byte what
the template loops it replaced wrote, kept here as the reference: on a mission report
and a program dashboard from real deals, in both languages, and on tables with every
cell kind, empty cells, an empty table, a total row and text that must be escaped."""

from decimal import Decimal

import pytest
from django import template
from django.template import Context, Engine
from django.utils import translation

from missions import reports
from missions.reports import Column, Table
from tests.missions.test_report_passes import varied  # noqa: F401 - a fixture

register = template.Library()


@register.filter
def zip_columns(row, columns):
    """Pairs (value, column) for one table row (the filter the reference used)."""
    return list(zip(row, columns, strict=False))


# missions/_report_body.html's table before {% report_table %}, from <thead> to the total.
REFERENCE = (
    "{% load i18n missions_report reference %}"
    '<thead><tr>{% for col in table.columns %}<th scope="col"{% if col.kind != "text" %}'
    ' class="num"{% endif %}>{{ col.label }}</th>{% endfor %}</tr></thead>\n'
    "    <tbody>\n"
    "    {% for row in table.rows %}\n"
    "      <tr>{% for value, col in row|zip_columns:table.columns %}{% if forloop.first %}"
    '<th scope="row">{{ value|cell:col.kind }}</th>{% else %}<td{% if col.kind != "text" %}'
    ' class="num"{% endif %}>{{ value|cell:col.kind }}</td>{% endif %}{% endfor %}</tr>\n'
    "    {% empty %}\n"
    '      <tr><td colspan="{{ table.columns|length }}" class="muted">'
    '{% translate "Belum ada data." %}</td></tr>\n'
    "    {% endfor %}\n"
    "    </tbody>\n"
    '    {% if table.total %}<tfoot><tr class="total">{% for value, col in '
    "table.total|zip_columns:table.columns %}{% if forloop.first %}"
    '<th scope="row">{{ value }}</th>{% else %}<td{% if col.kind != "text" %} class="num"'
    "{% endif %}>{{ value|cell:col.kind }}</td>{% endif %}{% endfor %}</tr></tfoot>"
    "{% endif %}"
)
ENGINE = Engine(
    libraries={
        "i18n": "django.templatetags.i18n",
        "missions_report": "missions.templatetags.missions_report",
        "reference": __name__,
    }
)


def both(table):
    context = Context({"table": table})
    reference = ENGINE.from_string(REFERENCE).render(context)
    written = ENGINE.from_string("{% load missions_report %}{% report_table table %}").render(
        context
    )
    return reference, written


def test_every_cell_kind_empty_cells_escaping_and_totals():
    columns = [
        Column("Nama <IKM>"),
        Column("Transaksi", "int"),
        Column("Rp", "idr"),
        Column("US$", "usd"),
        Column("Bagian", "pct"),
        Column("Catatan & lain", "text"),
    ]
    rows = [
        ["Rotan <b>Jaya</b> & Co", 3, Decimal("1500000.55"), Decimal("96.10"), 12.5, "a\"b'c"],
        [None, None, None, None, None, None],
        ["Mede", 0, Decimal("0"), Decimal("0.00"), 0, ""],
    ]
    tables = [
        Table(
            "a",
            "With a total",
            columns,
            rows,
            total=["Total <all>", 3, Decimal("1500000.55"), None, 100, None],
        ),
        Table("b", "Without a total", columns, rows),
        Table("c", "Empty", columns, []),
        Table("d", "One column", [Column("Negara")], [["Jepang"], ["Korea"]]),
    ]
    for language in ("id", "en"):
        with translation.override(language):
            for table in tables:
                reference, written = both(table)
                assert written == reference, table.title
    assert "&lt;b&gt;Jaya&lt;/b&gt; &amp; Co" in both(tables[0])[1]
    assert "Belum ada data." in both(tables[2])[1]


@pytest.mark.django_db
def test_real_reports_match_the_template_loops(varied):  # noqa: F811 - the fixture
    for language in ("id", "en"):
        with translation.override(language):
            for report in (reports.mission_report(varied), reports.program_dashboard()):
                assert report.tables
                for table in report.tables:
                    reference, written = both(table)
                    assert written == reference, table.title
                    assert written.count("<tr>") == max(len(table.rows), 1) + 1
