"""One wrapper around dateutil for every date cartelkit reads, with an explicit policy.

``parse_date`` never guesses silently: the caller says whether day-first applies, the
default fills nothing (missing parts lower the precision), and an unparseable or
out-of-range value is ``None``.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from dateutil import parser as du_parser

from cartelkit.model import PartialDate, Precision

MONTHS = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
    # Spanish
    "enero": 1,
    "febrero": 2,
    "marzo": 3,
    "abril": 4,
    "mayo": 5,
    "junio": 6,
    "julio": 7,
    "agosto": 8,
    "septiembre": 9,
    "setiembre": 9,
    "octubre": 10,
    "noviembre": 11,
    "diciembre": 12,
    "ene": 1,
    "abr": 4,
    "ago": 8,
    "dic": 12,
}
MONTH_NAMES_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
EARLIEST_YEAR = 1900


_MONTH_TABLE: Any = [
    ("Jan", "January", "ene", "enero"),
    ("Feb", "February", "febrero"),
    ("Mar", "March", "marzo"),
    ("Apr", "April", "abr", "abril"),
    ("May", "May", "mayo"),
    ("Jun", "June", "junio"),
    ("Jul", "July", "julio"),
    ("Aug", "August", "ago", "agosto"),
    ("Sep", "Sept", "September", "septiembre", "setiembre"),
    ("Oct", "October", "octubre"),
    ("Nov", "November", "noviembre"),
    ("Dec", "December", "dic", "diciembre"),
]


_WEEKDAY_TABLE: Any = [
    ("Mon", "Monday", "lunes", "segunda", "segunda-feira"),
    ("Tue", "Tuesday", "Tues", "martes", "terça", "terça-feira"),
    ("Wed", "Wednesday", "miércoles", "miercoles", "quarta", "quarta-feira"),
    ("Thu", "Thursday", "Thur", "Thurs", "jueves", "quinta", "quinta-feira"),
    ("Fri", "Friday", "viernes", "sexta", "sexta-feira"),
    ("Sat", "Saturday", "sábado", "sabado"),
    ("Sun", "Sunday", "domingo"),
]


WEEKDAY_NAMES_RE = "|".join(sorted({name.lower() for row in _WEEKDAY_TABLE for name in row}, key=len, reverse=True))


class _SpanishInfo(du_parser.parserinfo):
    """dateutil's parser info with Spanish month and weekday names and the joining words "de"/"del"."""

    MONTHS = _MONTH_TABLE
    WEEKDAYS = _WEEKDAY_TABLE
    JUMP = [*du_parser.parserinfo.JUMP, "de", "del"]  # noqa: RUF012


_INFO = _SpanishInfo()


def today() -> dt.date:
    return dt.date.today()


def parse_date(text: str, *, dayfirst: bool, latest: dt.date | None = None) -> PartialDate | None:
    """Parse one date expression ("21 JUN 2011", "September 5, 2011", "2023-08-04",
    "17 de octubre de 2019", "March 2012"), keeping only the precision the text gives.

    Returns ``None`` when dateutil cannot read it, when no year is given, or when the
    date lies after ``latest`` (default: today) or before 1900.
    """
    cleaned = text.strip().strip(".,;")
    if not re.search(r"\b(1[89]\d\d|2\d\d\d)\b", cleaned):
        return None
    sentinel_a = dt.datetime(1, 1, 1)
    sentinel_b = dt.datetime(2, 2, 2)
    try:
        a = du_parser.parse(cleaned, parserinfo=_INFO, dayfirst=dayfirst, default=sentinel_a, fuzzy=False)
        b = du_parser.parse(cleaned, parserinfo=_INFO, dayfirst=dayfirst, default=sentinel_b, fuzzy=False)
    except (ValueError, OverflowError, TypeError):
        return None
    if a.year != b.year or a.year < EARLIEST_YEAR:
        return None
    precision: Precision
    if a.month != b.month:
        precision = "year"
    elif a.day != b.day:
        precision = "month"
    else:
        precision = "day"
    value = a.date()
    limit = latest or today()
    if dt.date(value.year, value.month if precision != "year" else 1, 1) > limit:
        return None
    iso = {"year": f"{value.year:04d}", "month": f"{value.year:04d}-{value.month:02d}"}.get(
        precision, value.isoformat()
    )
    return PartialDate(iso, precision)
