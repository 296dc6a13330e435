"""Open-data downloads published the Satu Data Indonesia way (Perpres 39/2019).

A `Dataset` has a title, a description, a licence (CC BY 4.0), the date its data last
changed and a column dictionary; its rows come from the same allow-listed serializers as
the API. It is published as CSV (the data, UTF-8 with a header row), as XLSX (the data,
then a metadata sheet and the column dictionary) and as JSON metadata, which the CSV
names in a `Link: rel="describedby"` header.

Every text cell goes through `spreadsheets.safe_text`: a name that starts with `=`
stays text in every spreadsheet program.
"""

import csv
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font

from tangerang_ikm.spreadsheets import safe_text

LICENCE = {
    "name": "CC BY 4.0",
    "title": "Creative Commons Attribution 4.0 International",
    "url": "https://creativecommons.org/licenses/by/4.0/",
}
PUBLISHER = "Dinas Perindustrian dan Perdagangan Kabupaten Tangerang"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TYPES = {
    "text": gettext_lazy("teks"),
    "url": gettext_lazy("alamat web (URL)"),
    "integer": gettext_lazy("bilangan bulat"),
    "decimal": gettext_lazy("bilangan desimal"),
    "datetime": gettext_lazy("tanggal dan waktu (ISO 8601, WIB)"),
    "date": gettext_lazy("tanggal (ISO 8601)"),
}


@dataclass
class Column:
    name: str  # machine name: lower case, no spaces (the CSV header)
    description: str
    type: str = "text"


@dataclass
class Dataset:
    slug: str
    title: str
    description: str
    columns: list
    rows: object  # a function returning an iterable of lists, one value per column
    modified: datetime | date | None = None

    def cells(self, values):
        """Values as stored: times in WIB, ISO 8601; user text made formula-safe."""
        out = []
        for value in values:
            if isinstance(value, datetime):
                value = timezone.localtime(value).isoformat(timespec="seconds")
            elif isinstance(value, date):
                value = value.isoformat()
            elif value is None:
                value = ""
            elif not isinstance(value, int | float | Decimal):
                value = safe_text(str(value))
            out.append(value)
        return out

    def modified_text(self):
        if self.modified is None:
            return ""
        if isinstance(self.modified, datetime):
            return timezone.localtime(self.modified).date().isoformat()
        return self.modified.isoformat()

    def metadata(self, urls):
        """The dataset's description (Satu Data / DCAT-like), for the JSON and XLSX."""
        return {
            "identifier": self.slug,
            "title": str(self.title),
            "description": str(self.description),
            "publisher": PUBLISHER,
            "license": LICENCE,
            "modified": self.modified_text() or None,
            "language": ["id", "en"],
            "columns": [
                {"name": c.name, "description": str(c.description), "type": c.type}
                for c in self.columns
            ],
            "distributions": urls,
        }


class _Echo:
    def write(self, value):
        return value


def _headers(response, dataset, filename):
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "public, max-age=300"
    if isinstance(dataset.modified, datetime):
        response["Last-Modified"] = http_date(dataset.modified.timestamp())
    return response


def csv_response(dataset, *, metadata_url):
    """The rows as CSV, streamed: a large directory is never held in memory whole."""
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff"  # a BOM, so that Excel reads the file as UTF-8
        yield writer.writerow([c.name for c in dataset.columns])
        for values in dataset.rows():
            yield writer.writerow(dataset.cells(values))

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Link"] = f'<{metadata_url}>; rel="describedby"; type="application/json"'
    return _headers(response, dataset, f"{dataset.slug}.csv")


def xlsx_response(dataset, *, urls):
    """Data, metadata and the column dictionary in three sheets."""
    wb = Workbook(write_only=True)
    data = wb.create_sheet(_("Data"))
    data.append([c.name for c in dataset.columns])
    for values in dataset.rows():
        data.append(dataset.cells(values))
    meta = dataset.metadata(urls)
    sheet = wb.create_sheet(_("Metadata"))
    for label, value in [
        (_("Judul"), meta["title"]),
        (_("Deskripsi"), meta["description"]),
        (_("Penerbit"), meta["publisher"]),
        (_("Lisensi"), f"{LICENCE['title']} ({LICENCE['url']})"),
        (_("Tanggal pembaruan"), meta["modified"] or ""),
        (_("Diunduh pada"), timezone.localtime().isoformat(timespec="seconds")),
    ]:
        sheet.append([label, safe_text(value)])
    dictionary = wb.create_sheet(_("Kamus kolom"))
    header = [_("Kolom"), _("Keterangan"), _("Tipe")]
    dictionary.append([_cell(h, bold=True, sheet=dictionary) for h in header])
    for column in dataset.columns:
        dictionary.append([column.name, str(column.description), str(TYPES[column.type])])
    out = BytesIO()
    wb.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    return _headers(response, dataset, f"{dataset.slug}.xlsx")


def _cell(value, *, bold, sheet):
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    if bold:
        cell.font = Font(bold=True)
    return cell


def metadata_response(dataset, *, urls):
    response = JsonResponse(dataset.metadata(urls), json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "public, max-age=300"
    return response
