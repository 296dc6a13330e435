"""Widgets shared by the owner's forms (and, later, missions' and gerai's)."""

from decimal import Decimal

from django import forms
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext as _


class MoneyInput(forms.TextInput):
    """A text box for an amount: the phone's numeric keypad, the value grouped as written.

    A stored 25000000 shows as "25.000.000" in Indonesian ("25,000,000" in English)
    without turning on USE_THOUSAND_SEPARATOR for the whole site. Typed text (a string)
    comes back exactly as typed, so an error never rewrites what the owner wrote.
    """

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, (Decimal, int)) and not isinstance(value, bool):
            value = Decimal(value)
            if not value.is_finite():
                return str(value)
            # Whole rupiah read better without ",00"; cents stay when there are any.
            places = 0 if value == value.to_integral_value() else None
            return number_format(value, decimal_pos=places, force_grouping=True)
        return super().format_value(value)


class KecamatanSelect(forms.Select):
    """The kecamatan <select> followed by "Lanjut", the no-JavaScript way to narrow the desa.

    The button posts the whole form under `name="pick_kecamatan"`; the view shows the form
    again with what was typed. static/js/place_picker.js hides it and narrows in place.
    """

    def render(self, name, value, attrs=None, renderer=None):
        select = super().render(name, value, attrs, renderer)
        return format_html(
            '{} <button type="submit" name="pick_kecamatan" value="1" formnovalidate '
            'class="button button-secondary place-step">{}</button>',
            select,
            _("Lanjut"),
        )
