"""A report as an XLSX workbook: a summary sheet, then one sheet per table."""

from io import BytesIO

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from tangerang_ikm.spreadsheets import safe_text

NUMBER_FORMATS = {"idr": "#,##0.00", "usd": "#,##0.00", "pct": "0.0", "int": "0"}


def _sheet_name(name, used):
    name = "".join(c for c in name if c not in "[]:*?/\\")[:31]
    base, n = name, 2
    while name in used:
        name = f"{base[:28]} {n}"
        n += 1
    used.add(name)
    return name


def _write(ws, row, values, kinds, bold=False):
    for col, (value, kind) in enumerate(zip(values, kinds, strict=False), start=1):
        if isinstance(value, Promise):
            value = str(value)
        # Business, buyer and commodity names are user text: never a formula.
        value = safe_text(value)
        cell = ws.cell(row=row, column=col, value=value if value != "" else None)
        if kind in NUMBER_FORMATS and value is not None:
            cell.number_format = NUMBER_FORMATS[kind]
        if bold:
            cell.font = Font(bold=True)


def report_xlsx(report):
    """The bytes of the workbook. Numbers stay numbers (Decimal), never formatted text."""
    wb = Workbook()
    used = set()
    ws = wb.active
    ws.title = _sheet_name(_("Ringkasan"), used)
    ws.append([safe_text(report.title)])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([safe_text(report.subtitle)])
    ws.append([])
    _write(ws, 4, [_("Indikator"), _("Nilai")], ["text", "text"], bold=True)
    row = 5
    for row, fig in enumerate(report.figures, start=5):
        _write(ws, row, [fig.label, fig.value], ["text", fig.kind])
    for offset, note in enumerate(getattr(report, "notes", []), start=2):
        _write(ws, row + offset, [note], ["text"])
    ws.column_dimensions["A"].width = 42
    ws.column_dimensions["B"].width = 22
    for table in report.tables:
        ws = wb.create_sheet(_sheet_name(table.key, used))
        kinds = [c.kind for c in table.columns]
        ws.append([safe_text(table.title)])
        ws["A1"].font = Font(bold=True)
        _write(ws, 2, [c.label for c in table.columns], ["text"] * len(kinds), bold=True)
        row = 3
        for values in table.rows:
            _write(ws, row, values, kinds)
            row += 1
        if table.total:
            _write(ws, row, table.total, kinds, bold=True)
        for idx in range(len(kinds)):
            ws.column_dimensions[chr(ord("A") + idx)].width = 30 if idx == 0 else 20
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
