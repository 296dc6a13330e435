"""Cells written from user text stay text in every spreadsheet the portal writes.

A cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage return before one)
is a formula to Excel, LibreOffice and Google Sheets, whether the file is XLSX or CSV:
an owner who names their business `=HYPERLINK(...)` would put a live link in a staff
member's report. OWASP's advice: make such a value literal text. In XLSX openpyxl
stores a string that starts with `=` as a formula, so `safe_text` prefixes a single
quote, which spreadsheet programs show as text and hide.
"""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value):
    """`value` unchanged unless it is a string a spreadsheet would read as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values):
    return [safe_text(value) for value in values]


class SafeExportMixin:
    """django-import-export ModelResource mixin: every exported cell through `safe_text`,
    in XLSX and CSV alike; numbers stay numbers. Imports are untouched."""

    def export_field(self, field, instance, **kwargs):
        return safe_text(super().export_field(field, instance, **kwargs))
