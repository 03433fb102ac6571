"""Time expressions in a sentence and their resolution against the publication date and
the narrative (the last date the text anchored).

dateutil parses explicit dates (through :func:`cartelkit.dates.parse_date`); what it
cannot do is done here: a month or weekday without a year ("In August", "on Friday"),
relative expressions ("last month", "two months later", "yesterday"), seasons ("the
fall of 2021"), ranges ("2006-2012", its start) and "since 2006". Every result keeps
its precision (day, month, year). Relative expressions need an anchor: in an undated
article they stay unresolved unless the text anchored a date before them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

from cartelkit.dates import MONTH_NAMES_RE, MONTHS, parse_date
from cartelkit.model import PartialDate
from cartelkit.textutil import QUOTATION_RE

_M = MONTH_NAMES_RE
_NUM = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "several": 0,
    "few": 0,
    "a few": 0,
}
_NUM_RE = r"(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d{1,2})"
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_SEASONS = {"spring": 3, "summer": 6, "fall": 9, "autumn": 9, "winter": 12}
_YEAR = r"(?:19[5-9]\d|20\d\d)"

# Order matters: the first pattern to claim a stretch of text wins.
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "full",
        re.compile(
            rf"\b(?:(?:{_M})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+{_YEAR}|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:de\s+)?(?:{_M})\.?,?"
            rf"\s+(?:de\s+)?{_YEAR}|{_YEAR}-\d{{2}}-\d{{2}})\b",
            re.IGNORECASE,
        ),
    ),
    ("season", re.compile(rf"\b(?:the\s+)?(spring|summer|fall|autumn|winter)\s+(?:of\s+)?({_YEAR})\b", re.IGNORECASE)),
    ("month_year", re.compile(rf"\b((?:{_M}))\.?,?\s+(?:of\s+|de\s+)?({_YEAR})\b", re.IGNORECASE)),
    (
        "range",
        re.compile(rf"\b({_YEAR})\s*(?:-|–|—|to|through|until)\s*(?:{_YEAR}|present|today|now)\b", re.IGNORECASE),
    ),
    ("month_day", re.compile(rf"\b((?:{_M}))\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?!\s*,?\s*\d)", re.IGNORECASE)),
    (
        "day_month",
        re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+|de\s+)?((?:{_M}))\b(?!\.?,?\s+\d)", re.IGNORECASE),
    ),
    (
        "year",
        re.compile(
            rf"\b(?:in|since|by|from|during|until|through|of|early|late|mid|mid-|before|after|around|as of|between)"
            rf"\s+(?:early\s+|late\s+|mid-?)?({_YEAR})\b|\(({_YEAR})\)",
            re.IGNORECASE,
        ),
    ),
    (
        "later",
        re.compile(
            rf"\b({_NUM_RE}|a few|several)\s+(day|week|month|year)s?\s+(later|earlier|before|after that|afterwards?)\b"
            r"|\b(?:the\s+)?(following|next)\s+(day|week|month|year)\b",
            re.IGNORECASE,
        ),
    ),
    ("ago", re.compile(rf"\b({_NUM_RE}|a few|several)\s+(day|week|month|year|decade)s?\s+ago\b", re.IGNORECASE)),
    (
        "last_unit",
        re.compile(r"\b(last|this|next|earlier this|later this|past)\s+(week|month|year|weekend)\b", re.IGNORECASE),
    ),
    ("weekend", re.compile(r"\b(?:over|during)\s+the\s+weekend\b", re.IGNORECASE)),
    ("relday", re.compile(r"\b(yesterday|today|tomorrow)\b", re.IGNORECASE)),
    (
        "weekday",
        re.compile(
            r"\b(?:(last|this|next|on|that|on\s+a|early|late)\s+)?(monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
            r"(?:'s)?\b",
            re.IGNORECASE,
        ),
    ),
    (
        "month",
        re.compile(
            r"\b(in|on|since|by|until|during|last|early|late|mid-|of|this|next|an|a|the|that|through)\s+"
            r"(?:early\s+|late\s+|mid-)?((?:january|february|march|april|may|june|july|august|september|october|november"
            r"|december|sept?\.?|oct\.|nov\.|dec\.|jan\.|feb\.|aug\.))(?!\s+\d)\b",
            re.IGNORECASE,
        ),
    ),
]
_PAST_RE = re.compile(
    r"\b(?:was|were|had|did|said|told|went|met|took|gave|made|began|led|left|came|became|sent|saw|found|held|"
    r"won|lost|fell|rose|ran|got|put|set|kept|brought|thought|wrote|spoke|\w{3,}ed)\b",
    re.IGNORECASE,
)
_PERFECT_OR_PRESENT_RE = re.compile(r"\b(?:has|have|is|are|says|will)\b", re.IGNORECASE)


@dataclass(frozen=True)
class TimeExpr:
    start: int
    end: int
    kind: str
    text: str
    match: re.Match[str]

    @property
    def anchored(self) -> bool:
        """Explicit expressions need nothing; the others need a publication date or an anchor."""
        return self.kind in ("full", "season", "month_year", "range", "year")


_TRIGGER_RE = re.compile(
    rf"\d|\b(?:{_M}|monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|tomorrow|"
    r"last|this|next|past|later|earlier|ago|weekend|following|spring|summer|fall|autumn|winter)\b",
    re.IGNORECASE,
)


def find_time_expressions(text: str) -> list[TimeExpr]:
    """All non-overlapping time expressions of ``text``, in order."""
    if not _TRIGGER_RE.search(text):
        return []
    taken = bytearray(len(text) + 1)  # positions already claimed (linear, however many matches)
    found: list[TimeExpr] = []
    for kind, rx in _PATTERNS:
        for m in rx.finditer(text):
            s, e = m.span()
            if any(taken[s:e]):
                continue
            if kind == "month" and m.group(2).lower() == "may" and text[m.start(2)] == "m":
                continue  # the modal verb "may"
            taken[s:e] = b"\x01" * (e - s)
            found.append(TimeExpr(s, e, kind, m.group(0), m))
    return sorted(found, key=lambda t: t.start)


def is_past(text: str) -> bool:
    """Rough past tense: the sentence has a past form."""
    return bool(_PAST_RE.search(text))


def carries_narrative(text: str) -> bool:
    """Whether a sentence without a date of its own keeps the narrative's date: past tense
    outside its quotations, and no present or perfect ("has advocated" is not then)."""
    unquoted = QUOTATION_RE.sub(" ", text)
    return is_past(unquoted) and not _PERFECT_OR_PRESENT_RE.search(unquoted)


def _month_num(word: str) -> int:
    return MONTHS[word.lower().rstrip(".")]


def _num(word: str) -> int:
    w = word.lower()
    return int(w) if w.isdigit() else _NUM.get(w, 0)


def _day(d: dt.date) -> PartialDate:
    return PartialDate(d.isoformat(), "day")


def _month(y: int, m: int) -> PartialDate:
    return PartialDate(f"{y:04d}-{m:02d}", "month")


def _year(y: int) -> PartialDate:
    return PartialDate(f"{y:04d}", "year")


def _as_date(p: PartialDate) -> dt.date:
    parts = [int(x) for x in p.iso.split("-")] + [1, 1]
    return dt.date(parts[0], parts[1], parts[2])


def resolve(expr: TimeExpr, published: PartialDate | None, anchor: PartialDate | None) -> PartialDate | None:
    """The date an expression denotes, or None when it cannot be anchored."""
    m, k = expr.match, expr.kind
    try:
        if k == "full":
            dayfirst = bool(re.match(r"\d{1,2}\D", expr.text)) and not re.match(r"\d{4}-", expr.text)
            return parse_date(expr.text, dayfirst=dayfirst, latest=dt.date(2100, 1, 1))
        if k == "season":
            return _year(int(m.group(2)))
        if k == "month_year":
            return _month(int(m.group(2)), _month_num(m.group(1)))
        if k == "range":
            return _year(int(m.group(1)))
        if k == "year":
            return _year(int(m.group(1) or m.group(2)))
        ref = published or anchor
        if k == "month_day":
            if ref is None:
                return None
            month, day = _month_num(m.group(1)), int(m.group(2))
            return _with_year(ref, month, day)
        if k == "day_month":
            if ref is None:
                return None
            return _with_year(ref, _month_num(m.group(2)), int(m.group(1)))
        if k == "month":
            if published is None:
                return None
            month = _month_num(m.group(2))
            word = m.group(1).lower()
            year = published.year
            pub_month = int(published.iso[5:7]) if published.precision != "year" else 12
            if word == "next" or (word in ("until", "by") and month > pub_month):
                return _month(year if month > pub_month else year + 1, month)
            if word != "this" and month > pub_month:
                year -= 1
            return _month(year, month)
        if k == "later":
            if anchor is None:
                return None
            if m.group(1):
                n, unit, direction = _num(m.group(1)), m.group(2).lower(), m.group(3).lower()
            else:
                n, unit, direction = 1, m.group(5).lower(), "later"
            if n == 0:
                return None
            sign = -1 if direction in ("earlier", "before") else 1
            return _shift(anchor, unit, sign * n)
        if k == "ago":
            if published is None:
                return None
            n, unit = _num(m.group(1)), m.group(2).lower()
            if n == 0:
                return None
            if unit == "decade":
                return _year(published.year - 10 * n)
            return _shift(published, unit, -n)
        if k == "last_unit":
            if published is None:
                return None
            which, unit = m.group(1).lower(), m.group(2).lower()
            step = {"last": -1, "past": -1, "next": 1}.get(which, 0)
            if unit == "weekend":
                unit, step = "week", (-1 if step <= 0 else step)
            return _shift(published, unit, step, keep_week_as_month=True)
        if k == "weekend":
            if published is None or published.precision != "day":
                return None
            return _shift(published, "week", -1, keep_week_as_month=True)
        if k == "relday":
            if published is None or published.precision != "day":
                return None
            delta = {"yesterday": -1, "today": 0, "tomorrow": 1}[m.group(1).lower()]
            return _day(_as_date(published) + dt.timedelta(days=delta))
        if k == "weekday":
            base = published if published is not None and published.precision == "day" else None
            if base is None:
                return None
            wd = _WEEKDAYS.index(m.group(2).lower())
            pub = _as_date(base)
            if (m.group(1) or "").lower() == "next":
                return _day(pub + dt.timedelta(days=(wd - pub.weekday()) % 7 or 7))
            back = (pub.weekday() - wd) % 7
            if (m.group(1) or "").lower() == "last" and back == 0:
                back = 7
            return _day(pub - dt.timedelta(days=back))
    except (ValueError, KeyError, OverflowError):
        return None
    return None


def _with_year(ref: PartialDate, month: int, day: int) -> PartialDate | None:
    year = ref.year
    candidate = dt.date(year, month, day)
    if ref.precision != "year" and candidate > _as_date(ref) + dt.timedelta(days=31):
        candidate = dt.date(year - 1, month, day)
    return _day(candidate)


def _shift(base: PartialDate, unit: str, n: int, keep_week_as_month: bool = False) -> PartialDate | None:
    d = _as_date(base)
    if unit == "year":
        return _year(d.year + n)
    if unit == "month":
        if base.precision == "year":
            return None
        shifted = d + relativedelta(months=n)
        return _month(shifted.year, shifted.month)
    if unit == "week":
        if base.precision != "day":
            return None
        shifted = d + dt.timedelta(weeks=n)
        return _month(shifted.year, shifted.month) if keep_week_as_month else _day(shifted)
    if unit == "day":
        if base.precision != "day":
            return None
        return _day(d + dt.timedelta(days=n))
    return None
