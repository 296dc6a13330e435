"""Formatting one report cell by its column kind, the same way on screen and on paper."""

from django import template

from tangerang_ikm.templatetags.portal import money, number, rupiah

register = template.Library()


def format_cell(value, kind):
    if value is None:
        return "\u2013"
    if kind == "idr":
        return rupiah(value)
    if kind == "usd":
        return money(value, "USD")
    if kind == "pct":
        return f"{number(value, 1)}%"
    if kind == "int":
        return number(value)
    return str(value)


@register.filter
def cell(value, kind):
    return format_cell(value, kind)


@register.filter
def zip_columns(row, columns):
    """Pairs (value, column) for one table row."""
    return list(zip(row, columns, strict=False))
