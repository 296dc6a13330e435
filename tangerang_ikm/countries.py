"""Country names in Indonesian from CLDR (Babel), for django-countries.

django-countries ships no Indonesian catalog, so Indonesian pages showed English names
("Netherlands" where a reader looks for "Belanda"). Rather than translating 249 names
by hand, COUNTRIES_OVERRIDE (settings.py) gives every code a lazy name that, when shown,
takes CLDR's name for the active language if it is Indonesian, and django-countries' own
(translated) name otherwise. django-countries caches its sorted list per language, so
forms, filters, pages and the admin all sort by the names a reader sees.
"""

from functools import cache

from babel import Locale
from django.utils.functional import lazy
from django.utils.translation import get_language
from django_countries import Countries
from django_countries.data import COUNTRIES

# Languages whose names come from CLDR; the others keep django-countries' catalogs.
CLDR_LANGUAGES = {"id"}


class UnchangedCountries(Countries):
    """django-countries as shipped, without our override: its own names and fallbacks
    (e.g. English "Netherlands" rather than ISO's "Netherlands (Kingdom of the)")."""

    override = {}


SHIPPED = UnchangedCountries()


@cache
def cldr_territories(language):
    return dict(Locale.parse(language).territories)


def country_name(code):
    """CLDR's name in the active language where we take it from CLDR, else the shipped one."""
    language = (get_language() or "").split("-")[0]
    if language in CLDR_LANGUAGES:
        name = cldr_territories(language).get(code)
        if name:
            return name
    return SHIPPED.name(code)


lazy_country_name = lazy(country_name, str)


def cldr_overrides():
    """{code: lazy name} for every country django-countries knows (COUNTRIES_OVERRIDE)."""
    return {code: lazy_country_name(code) for code in COUNTRIES}
