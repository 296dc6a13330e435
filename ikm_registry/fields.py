"""Form and model fields shared by the apps.

Money: MoneyField reads amounts as Indonesians type them ("Rp 25.000.000", "2,5").

Model choice fields that refuse ids no database can hold.

A posted id such as 9223372036854775808 overflows SQLite's INTEGER ("Python int too
large") before Django can say "not a valid choice": these fields say it first. Used by
every form that offers businesses, products or commodities (found by fuzzing).
"""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.utils import flatatt
from django.utils.formats import get_format, number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from ikm_registry.widgets import MoneyInput

MAX_PK = 2**63 - 1


def storable_pk(value):
    """True for a positive integer id a 64-bit column can hold."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return False
    return 0 < number <= MAX_PK


def _keys_are_integers(field):
    """Only integer primary keys can overflow; slugs and codes (Desa) are left alone."""
    key = field.queryset.model._meta.pk if not field.to_field_name else None
    return key is not None and key.get_internal_type() in {
        "AutoField",
        "BigAutoField",
        "IntegerField",
        "BigIntegerField",
    }


class SafeModelChoiceField(forms.ModelChoiceField):
    def to_python(self, value):
        if value not in self.empty_values and _keys_are_integers(self) and not storable_pk(value):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class SafeModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        for item in value:
            if _keys_are_integers(self) and not storable_pk(item):
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": item},
                )
        return super()._check_values(value)


class SearchVectorColumn(models.TextField):
    """A stored full-text vector: `tsvector` on PostgreSQL, an unused text column elsewhere.

    search.py fills it on PostgreSQL from `search_text` (ranking then reads it instead
    of parsing every matching text again); SQLite searches `search_text` itself and
    leaves this empty. Query it with `search_vector__matches=SearchQuery(...)`.
    """

    def db_type(self, connection):
        return "tsvector" if connection.vendor == "postgresql" else super().db_type(connection)


@SearchVectorColumn.register_lookup
class Matches(models.Lookup):
    """`vector @@ query` (PostgreSQL full-text match)."""

    lookup_name = "matches"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} @@ {rhs}", (*lhs_params, *rhs_params)


class QuickSelect(forms.Select):
    """A <select> whose options are written in Python, not one template each.

    The inquiry form's ~250 countries took 10 ms a page through the template engine,
    on every product page. Plain options only (no groups), as the country list has.
    """

    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        chosen = {str(v) for v in self.format_value(value)}
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (key, mark_safe(" selected") if str(key) in chosen else "", label)
                for key, label in self.choices
            ),
        )
        return format_html("<select{}>{}</select>", flatatt(final), options)


# --- Money: what Indonesians type ------------------------------------------

CURRENCY_PREFIX = re.compile(r"^(?:rp\.?|idr|us\$|usd|\$)", re.IGNORECASE)
# "Rp 25.000,-" is how prices are often written: the trailing ",-" means "no cents".
NO_CENTS_SUFFIX = re.compile(r"[.,]-$")
SPACES = re.compile(r"[\s\u00a0\u202f]+")


def parse_amount(text):
    """'Rp 25.000.000' → Decimal('25000000'), read with the active language's separators.

    Indonesian: dots group thousands, a comma starts the decimals ("2,5"). A lone dot
    not followed by exactly three digits ("2.5") is taken as a decimal point, as Django's
    sanitize_separators does. Anything else raises ValueError.
    """
    decimal_sep = get_format("DECIMAL_SEPARATOR")
    thousand_sep = get_format("THOUSAND_SEPARATOR")
    text = SPACES.sub("", str(text))
    text = NO_CENTS_SUFFIX.sub("", CURRENCY_PREFIX.sub("", text))
    sign = ""
    if text.startswith("-"):
        sign, text = "-", text[1:]
    whole, has_decimals, fraction = text.partition(decimal_sep)
    if thousand_sep and thousand_sep in whole:
        sep = re.escape(thousand_sep)
        if re.fullmatch(rf"\d{{1,3}}(?:{sep}\d{{3}})+", whole):
            whole = whole.replace(thousand_sep, "")
        elif thousand_sep == "." and not has_decimals and re.fullmatch(r"\d+\.\d{1,2}", whole):
            whole, has_decimals, fraction = whole.partition(".")
        else:
            raise ValueError(text)
    if not re.fullmatch(r"\d+", whole) or (has_decimals and not re.fullmatch(r"\d+", fraction)):
        raise ValueError(text)
    return Decimal(f"{sign}{whole}.{fraction}" if has_decimals else f"{sign}{whole}")


class MoneyField(forms.DecimalField):
    """A localized DecimalField that also reads thousand separators and "Rp".

    Django's localized DecimalField drops thousand separators only when
    USE_THOUSAND_SEPARATOR is on for the whole site (which would print ids and years as
    "1.234"), so this field reads them itself. Errors say what to type, with examples
    written in the active language.
    """

    widget = MoneyInput

    default_error_messages = {
        "invalid": _("Tulis jumlah dengan angka, mis. %(example)s atau %(decimal)s."),
        "max_decimal_places": _("Paling banyak %(max)s angka di belakang koma desimal."),
        "max_whole_digits": _("Jumlah terlalu besar: paling banyak %(max)s angka."),
        "max_digits": _("Jumlah terlalu besar: paling banyak %(max)s angka."),
        "min_value": _("Jumlah tidak boleh negatif."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("localize", True)
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, (Decimal, int)):
            return Decimal(value)
        try:
            return parse_amount(value)
        except (ValueError, InvalidOperation):
            raise ValidationError(
                self.error_messages["invalid"],
                code="invalid",
                params={
                    "example": number_format(25_000_000, force_grouping=True),
                    "decimal": number_format(Decimal("2.5")),
                },
            ) from None
