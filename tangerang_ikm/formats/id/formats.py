"""Indonesian formats, fixing Django's `id` input order.

Django's `id` locale accepts "05/03/2025 14.30" only as %m/%d/%Y, i.e. as
3 May. Indonesians write day first, so every slash or dash form here is
day-month-year; ISO (what HTML5 inputs send) is accepted first.
"""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H.i"
TIME_FORMAT = "H.i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H.i"
FIRST_DAY_OF_WEEK = 1  # Monday

DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # '2025-03-05' (HTML5 date input)
    "%d/%m/%Y",  # '05/03/2025'
    "%d-%m-%Y",  # '05-03-2025'
    "%d/%m/%y",  # '05/03/25'
    "%d-%m-%y",  # '05-03-25'
    "%d %B %Y",  # '5 Maret 2025' (after translation of month names)
]

TIME_INPUT_FORMATS = [
    "%H:%M:%S",
    "%H:%M",
    "%H.%M.%S",  # '14.30.59'
    "%H.%M",  # '14.30'
]

DATETIME_INPUT_FORMATS = [
    "%Y-%m-%dT%H:%M:%S",  # HTML5 datetime-local input
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%d/%m/%Y %H.%M.%S",  # '05/03/2025 14.30.59'
    "%d/%m/%Y %H.%M",  # '05/03/2025 14.30'
    "%d/%m/%Y %H:%M",
    "%d-%m-%Y %H.%M.%S",
    "%d-%m-%Y %H.%M",
    "%d-%m-%Y %H:%M",
]

DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
