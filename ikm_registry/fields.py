"""Model choice fields that refuse ids no database can hold.

A posted id such as 9223372036854775808 overflows SQLite's INTEGER ("Python int too
large") before Django can say "not a valid choice": these fields say it first. Used by
every form that offers businesses, products or commodities (found by fuzzing).
"""

from django import forms
from django.db import models
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

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
