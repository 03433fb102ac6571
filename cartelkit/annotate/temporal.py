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

from dateutil.easter import easter
from dateutil.relativedelta import relativedelta

from cartelkit.dates import MONTH_NAMES_RE, MONTHS, parse_date
from cartelkit.model import PartialDate
from cartelkit.textutil import QUOTATION_RE, fold, fold_keep_length

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
_NUM_ES = {
    "un": 1,
    "una": 1,
    "dos": 2,
    "tres": 3,
    "cuatro": 4,
    "cinco": 5,
    "seis": 6,
    "siete": 7,
    "ocho": 8,
    "nueve": 9,
    "diez": 10,
    "once": 11,
    "doce": 12,
    "unos": 0,
    "unas": 0,
    "varios": 0,
    "varias": 0,
}
_NUM_ES_RE = r"(?:un|una|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|once|doce|unos|unas|varios|varias|\d{1,2})"
_WEEKDAYS_ES = ["lunes", "martes", "miercoles", "jueves", "viernes", "sabado", "domingo"]
# fixed-date holidays (month, day) and the ones that move with Easter (days from Easter Sunday)
_FIXED_HOLIDAYS = {
    "new year's eve": (12, 31),
    "nochevieja": (12, 31),
    "new year's day": (1, 1),
    "ano nuevo": (1, 1),
    "christmas eve": (12, 24),
    "nochebuena": (12, 24),
    "christmas day": (12, 25),
    "christmas": (12, 25),
    "navidad": (12, 25),
}
_EASTER_HOLIDAYS = {
    "good friday": -2,
    "viernes santo": -2,
    "holy thursday": -3,
    "maundy thursday": -3,
    "jueves santo": -3,
    "easter sunday": 0,
    "easter": 0,
    "domingo de resurreccion": 0,
    "domingo de pascua": 0,
    "palm sunday": -7,
    "domingo de ramos": -7,
}
_HOLIDAYS_RE = (
    r"new\s+year['’]s\s+(?:eve|day)|nochevieja|a[nñ]o\s+nuevo|christmas(?:\s+(?:eve|day))?|nochebuena|navidad"
    r"|good\s+friday|holy\s+thursday|maundy\s+thursday|easter(?:\s+sunday)?|palm\s+sunday|viernes\s+santo"
    r"|jueves\s+santo|domingo\s+de\s+(?:resurrecci[oó]n|pascua|ramos)"
)
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
    ("holiday", re.compile(rf"\b({_HOLIDAYS_RE})\b(?:,?\s+(?:of\s+|de\s+)?({_YEAR})\b)?", re.IGNORECASE)),
    ("season", re.compile(rf"\b(?:the\s+)?(spring|summer|fall|autumn|winter)\s+(?:of\s+)?({_YEAR})\b", re.IGNORECASE)),
    (
        "season",
        re.compile(
            rf"\b(?:la\s+|el\s+)?(primavera|verano|oto[nñ]o|invierno)\s+(?:de|del)\s+({_YEAR})\b", re.IGNORECASE
        ),
    ),
    ("month_year", re.compile(rf"\b((?:{_M}))\.?,?\s+(?:of\s+|de\s+)?({_YEAR})\b", re.IGNORECASE)),
    (
        "range",
        re.compile(
            rf"\b({_YEAR})\s*(?:-|–|—|to|through|until|a|al|y|hasta)\s*(?:{_YEAR}|present|today|now|la\s+fecha)\b",
            re.IGNORECASE,
        ),
    ),
    ("month_day", re.compile(rf"\b((?:{_M}))\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?!\s*,?\s*\d)", re.IGNORECASE)),
    (
        "day_month",
        re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+|de\s+)?((?:{_M}))\b(?!\.?,?\s+\d)", re.IGNORECASE),
    ),
    (
        "year",
        re.compile(
            rf"\b(?:in|since|by|from|during|until|through|of|early|late|mid|mid-|before|after|around|as of|between"
            r"|en|desde|hasta|durante|entre|para|a\s+(?:fines|finales|principios|comienzos|mediados)\s+de)"
            rf"\s+(?:early\s+|late\s+|mid-?|el\s+a[nñ]o\s+)?({_YEAR})\b|\(({_YEAR})\)",
            re.IGNORECASE,
        ),
    ),
    # relative to the narrative: "the previous December", "that week", "the same day", "esa misma noche"
    (
        "previous",
        re.compile(rf"\bthe\s+(previous|preceding|prior)\s+(day|night|week|month|year|{_M})\b", re.IGNORECASE),
    ),
    (
        "same",
        re.compile(
            r"\b(?:(?:that|the\s+same|that\s+same|later\s+(?:that|in\s+the))\s+(day|night|morning|afternoon|evening|week|month|year)"
            r"|(?:(?:ese|esa|aquel|aquella)(?:\s+(?:mismo|misma))?|el\s+mismo|la\s+misma)\s+"
            r"(d[ií]a|noche|ma[nñ]ana|tarde|semana|mes|a[nñ]o))\b",
            re.IGNORECASE,
        ),
    ),
    (
        "later_es",
        re.compile(
            r"\b(?:al|el|la|a\s+la)\s+(d[ií]a|noche|ma[nñ]ana|semana|mes|a[nñ]o)\s+(siguiente|posterior|anterior)\b"
            rf"|\b({_NUM_ES_RE})\s+(d[ií]a|semana|mes|a[nñ]o)(?:s|es)?\s+(despu[eé]s|m[aá]s\s+tarde|antes)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "later",
        re.compile(
            rf"\b({_NUM_RE}|a few|several)\s+(day|week|month|year)s?\s+(later|earlier|before|after that|afterwards?)\b"
            r"|\b(?:the\s+)?(following|next)\s+(day|week|month|year|morning|afternoon|evening|night)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "vague_later",
        re.compile(r"\b(days|weeks|months|d[ií]as|semanas|meses)\s+(later|despu[eé]s|m[aá]s\s+tarde)\b", re.IGNORECASE),
    ),
    ("ago", re.compile(rf"\b({_NUM_RE}|a few|several)\s+(day|week|month|year|decade)s?\s+ago\b", re.IGNORECASE)),
    ("ago_es", re.compile(rf"\bhace\s+({_NUM_ES_RE})\s+(d[ií]a|semana|mes|a[nñ]o)(?:s|es)?\b", re.IGNORECASE)),
    (
        "last_unit",
        re.compile(r"\b(last|this|next|earlier this|later this|past)\s+(week|month|year|weekend)\b", re.IGNORECASE),
    ),
    (
        "last_unit_es",
        re.compile(
            r"\b(?:(?:la|el)\s+(semana|mes|a[nñ]o)\s+(pasad[oa]|anterior|pr[oó]xim[oa]|que\s+viene)"
            r"|(?:(?:el|la)\s+(pasad[oa]|pr[oó]xim[oa])\s+|(est[ea])\s+)(semana|mes|a[nñ]o))\b",
            re.IGNORECASE,
        ),
    ),
    ("weekend", re.compile(r"\b(?:over|during)\s+the\s+weekend\b", re.IGNORECASE)),
    (
        "relday",
        re.compile(
            r"\b(yesterday|today|tomorrow|this\s+morning|this\s+afternoon|this\s+evening|tonight|last\s+night"
            r"|anteayer|antier|ayer|anoche|hoy|esta\s+ma[nñ]ana|esta\s+tarde|esta\s+noche)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "weekday",
        re.compile(
            r"\b(?:(last|this|next|on|that|on\s+a|early|late)\s+)?(monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
            r"(?:'s)?\b",
            re.IGNORECASE,
        ),
    ),
    (
        "weekday_es",
        re.compile(
            r"\b(?:(el\s+pasado|este|esta|ese|el|del|desde\s+el|hasta\s+el|ayer|la\s+(?:noche|tarde|ma[nñ]ana|madrugada)"
            r"\s+del|en\s+la\s+(?:noche|tarde|ma[nñ]ana|madrugada)\s+del)\s+)"
            r"(lunes|martes|mi[eé]rcoles|jueves|viernes|s[aá]bado|domingo)"
            r"(?:\s+(pasado|anterior|(\d{1,2})\b(?!\s+de\s)))?",
            re.IGNORECASE,
        ),
    ),
    (
        "month",
        re.compile(
            r"\b(en|desde|hasta|durante|el\s+pasado|este|el\s+pr[oó]ximo|a\s+(?:fines|finales|principios|comienzos|mediados)"
            r"\s+de)\s+(enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre)"
            r"\b(?!\s+(?:de\s+|del\s+)?\d)",
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


_MONTH_WORDS_SET = frozenset(MONTHS)
_WEEKDAY_WORDS = frozenset(_WEEKDAYS)
_WEEKDAY_ES_WORDS = frozenset(_WEEKDAYS_ES)
# the words one of a pattern's matches must hold (folded): a pattern runs only on a sentence that has
# one ("digit": a digit), so a sentence costs a set lookup per pattern, not a regex pass
_NEEDS: dict[str, frozenset[str]] = {
    "holiday": frozenset(
        {
            "christmas",
            "easter",
            "good",
            "holy",
            "maundy",
            "palm",
            "new",
            "nochebuena",
            "nochevieja",
            "navidad",
            "ano",
            "viernes",
            "jueves",
            "domingo",
        }
    ),
    "season": frozenset({"spring", "summer", "fall", "autumn", "winter", "primavera", "verano", "otono", "invierno"}),
    "previous": frozenset({"previous", "preceding", "prior"}),
    "same": frozenset({"that", "same", "ese", "esa", "aquel", "aquella", "mismo", "misma"}),
    "later": frozenset({"later", "earlier", "before", "after", "afterwards", "afterward", "following", "next"}),
    "later_es": frozenset({"siguiente", "posterior", "anterior", "despues", "tarde", "antes"}),
    "vague_later": frozenset({"later", "despues", "tarde"}),
    "ago": frozenset({"ago"}),
    "ago_es": frozenset({"hace"}),
    "last_unit": frozenset({"week", "month", "year", "weekend"}),
    "last_unit_es": frozenset({"semana", "mes", "ano"}),
    "weekend": frozenset({"weekend"}),
    "relday": frozenset(
        {
            "yesterday",
            "today",
            "tomorrow",
            "this",
            "tonight",
            "last",
            "anteayer",
            "antier",
            "ayer",
            "anoche",
            "hoy",
            "esta",
        }
    ),
    "weekday": _WEEKDAY_WORDS,
    "weekday_es": _WEEKDAY_ES_WORDS,
    "month": _MONTH_WORDS_SET,
}
_DIGIT_KINDS = frozenset({"full", "month_year", "range", "month_day", "day_month", "year"})
_TOKEN_RE = re.compile(r"[^\W\d_]+")
_DIGIT_RE = re.compile(r"\d")
_EXPLICIT = ("full", "month_day", "day_month")


def find_time_expressions(text: str) -> list[TimeExpr]:
    """All non-overlapping time expressions of ``text``, in order."""
    has_digit = _DIGIT_RE.search(text) is not None
    tokens = set(_TOKEN_RE.findall(fold_keep_length(text)))  # cached: the annotators fold each sentence
    taken = bytearray(len(text) + 1)  # positions already claimed (linear, however many matches)
    found: list[TimeExpr] = []
    for kind, rx in _PATTERNS:
        if not (has_digit if kind in _DIGIT_KINDS else not tokens.isdisjoint(_NEEDS[kind])):
            continue
        for m in rx.finditer(text):
            s, e = m.span()
            if any(taken[s:e]):
                continue
            if kind == "month" and m.group(2).lower() == "may" and text[m.start(2)] == "m":
                continue  # the modal verb "may"
            taken[s:e] = b"\x01" * (e - s)
            found.append(TimeExpr(s, e, kind, m.group(0), m))
    found.sort(key=lambda t: t.start)
    # explicit beats relative: "on Friday, August 26", "el martes 20 de junio" are the date's, not two dates
    return [
        t
        for i, t in enumerate(found)
        if not (
            t.kind in ("weekday", "weekday_es")
            and i + 1 < len(found)
            and found[i + 1].kind in _EXPLICIT
            and re.fullmatch(r"[\s,]*", text[t.end : found[i + 1].start])
        )
    ]


# background inside a sentence: a parenthesis, a relative clause, a "since …" phrase; each dates
# its own event and nothing else
_BACKGROUND_RE = re.compile(
    r"\([^()]{0,200}\)"
    r"|(?:,|\s--|\s—|\s–)\s+(?:who|which|whose|where|quien(?:es)?|que|cuy[oa]s?|donde|cuando|el\s+cual|la\s+cual"
    r"|a\s+quien)\b(?:(?!--)[^,;:()—–])*"
    r"|\b(?:since|desde)\b[^,;:()]*",
    re.IGNORECASE,
)


def background_spans(text: str) -> list[tuple[int, int]]:
    """The stretches of a sentence that give background rather than its main event."""
    return [m.span() for m in _BACKGROUND_RE.finditer(text)]


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
        if k == "holiday":
            return _holiday(fold(m.group(1)), int(m.group(2)) if m.group(2) else None, published, anchor)
        if k == "previous":
            return _previous(m.group(2).lower(), anchor)
        if k == "same":
            if anchor is None:
                return None
            unit = fold(m.group(1) or m.group(2))
            if unit in ("week", "semana", "month", "mes") and anchor.precision == "day":
                return _month(anchor.year, int(anchor.iso[5:7]))
            if unit in ("year", "ano"):
                return _year(anchor.year)
            return anchor
        if k == "later_es":
            if anchor is None:
                return None
            if m.group(1):
                unit = _ES_UNIT[fold(m.group(1))]
                return _shift(anchor, unit, -1 if fold(m.group(2)) == "anterior" else 1)
            n = _NUM_ES.get(m.group(3).lower(), 0) if not m.group(3).isdigit() else int(m.group(3))
            if n == 0:
                return None
            return _shift(anchor, _ES_UNIT[fold(m.group(4))], -n if fold(m.group(5)) == "antes" else n)
        if k == "vague_later":  # "weeks later": about three of them, at the precision that still holds
            if anchor is None:
                return None
            unit = _ES_UNIT[fold(m.group(1))]
            about = {"day": relativedelta(days=3), "week": relativedelta(weeks=3)}.get(unit, relativedelta(months=3))
            shifted = _as_date(anchor) + about
            if unit == "month" or anchor.precision == "year":
                return _year(shifted.year)
            return _month(shifted.year, shifted.month)
        if k == "ago_es":
            if published is None:
                return None
            n = int(m.group(1)) if m.group(1).isdigit() else _NUM_ES.get(m.group(1).lower(), 0)
            return _shift(published, _ES_UNIT[fold(m.group(2))], -n) if n else None
        if k == "last_unit_es":
            if published is None:
                return None
            unit = _ES_UNIT[fold(m.group(1) or m.group(5))]
            which = fold(m.group(2) or m.group(3) or m.group(4))
            step = -1 if which.startswith(("pasad", "anterior")) else (0 if which.startswith("est") else 1)
            return _shift(published, unit, step, keep_week_as_month=True)
        if k == "weekday_es":
            base = published if published is not None and published.precision == "day" else None
            if base is None:
                return None
            pub = _as_date(base)
            prefix, extra = fold(m.group(1) or ""), fold(m.group(3) or "")
            if m.group(4):  # "el miércoles 15": the 15th, the latest one not after publication
                return (
                    _with_year(base, pub.month, int(m.group(4)))
                    if int(m.group(4)) <= pub.day
                    else _day((pub.replace(day=1) - dt.timedelta(days=1)).replace(day=int(m.group(4))))
                )
            wd = _WEEKDAYS_ES.index(fold(m.group(2)))
            back = (pub.weekday() - wd) % 7
            if back == 0 and (prefix.endswith("pasado") or extra in ("pasado", "anterior")):
                back = 7
            if prefix == "ayer":
                return _day(pub - dt.timedelta(days=1))
            return _day(pub - dt.timedelta(days=back))
        if k == "month":
            if published is None:
                return None
            month = _month_num(m.group(2))
            word = _MONTH_WORDS.get(fold(m.group(1)), m.group(1).lower())
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
                unit = unit if unit in ("day", "week", "month", "year") else "day"  # "the following morning"
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
            delta = _RELDAYS[" ".join(fold(m.group(1)).split())]
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


_ES_UNIT = {
    "dia": "day",
    "noche": "day",
    "manana": "day",
    "semana": "week",
    "mes": "month",
    "ano": "year",
    "dias": "day",
    "semanas": "week",
    "meses": "month",
    "days": "day",
    "weeks": "week",
    "months": "month",
}
_RELDAYS = {
    "yesterday": -1,
    "today": 0,
    "tomorrow": 1,
    "this morning": 0,
    "this afternoon": 0,
    "this evening": 0,
    "tonight": 0,
    "last night": -1,
    "anteayer": -2,
    "antier": -2,
    "ayer": -1,
    "anoche": -1,
    "hoy": 0,
    "esta manana": 0,
    "esta tarde": 0,
    "esta noche": 0,
}
_MONTH_WORDS = {"hasta": "until", "este": "this", "el proximo": "next", "el pasado": "last"}


def _holiday(
    name: str, year: int | None, published: PartialDate | None, anchor: PartialDate | None
) -> PartialDate | None:
    """A holiday's date: of the year the text gives; else the one nearest the narrative's
    date; else the latest one not after publication."""
    name = " ".join(name.replace("’", "'").split())

    def on(y: int) -> dt.date:
        if name in _FIXED_HOLIDAYS:
            month, day = _FIXED_HOLIDAYS[name]
            return dt.date(y, month, day)
        return easter(y) + dt.timedelta(days=_EASTER_HOLIDAYS[name])

    if year is not None:
        return _day(on(year))
    if anchor is not None:
        a = _as_date(anchor)
        return _day(min((on(y) for y in (a.year - 1, a.year, a.year + 1)), key=lambda d: abs((d - a).days)))
    ref = published
    if ref is None:
        return None
    candidate = on(ref.year)
    if ref.precision != "year" and candidate > _as_date(ref) + dt.timedelta(days=1):
        candidate = on(ref.year - 1)
    return _day(candidate)


def _previous(unit: str, anchor: PartialDate | None) -> PartialDate | None:
    """ "the previous December / week / day", counted back from the narrative's date."""
    if anchor is None:
        return None
    if unit in MONTHS:
        month = _month_num(unit)
        year = anchor.year - 1 if anchor.precision == "year" or month >= int(anchor.iso[5:7]) else anchor.year
        return _month(year, month)
    if unit == "night":
        unit = "day"
    return _shift(anchor, unit, -1)


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
