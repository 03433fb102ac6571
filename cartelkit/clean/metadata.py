"""Read title, published date, author, source, section and language off a page's header.

Dates are only taken from where a page states its own date: a labelled line
("Published: ...", "Posted on ..."), a kicker ("MEXICO / 21 JUN 2011 BY ..."), a lone
date line in the header, or a dateline opening the body. Never from the page's tail,
a run of archive months, a "©" footer or the article's prose.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import cache

from cartelkit.clean.boilerplate import is_heading, words
from cartelkit.data import given_names, languages, load_toml
from cartelkit.dates import MONTH_NAMES_RE, parse_date
from cartelkit.model import PartialDate
from cartelkit.textutil import fold

_M = MONTH_NAMES_RE
_WEEKDAY = (
    r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?|lunes|martes|mi[eé]rcoles|jueves|viernes|s[aá]bado|domingo"
    r"|(?:segunda|ter[cç]a|quarta|quinta|sexta)(?:-feira)?)"
)
_DATE_EXPR = (
    rf"(?:{_WEEKDAY},?\s+)?"
    rf"(?:\d{{1,2}}(?:st|nd|rd|th)?\s+(?:de\s+)?(?:{_M})\.?,?\s+(?:de\s+|del\s+)?\d{{4}}"
    rf"|(?:{_M})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{4}}-\d{{2}}-\d{{2}}"
    rf"|(?:{_M})\.?,?\s+\d{{4}})"
)
DATE_RE = re.compile(_DATE_EXPR, re.IGNORECASE)
_TIME_TAIL = (
    r"(?:\s*(?:[,|·/–—-]\s*)?(?:at\s+|a\s+las\s+|-\s+)?\d{1,2}[:.h]\d{2}(?:\s*[ap]\.?\s?m\.?)?(?:\s*(?:hrs?\.?|h)(?!\w))?"
    r"(?:\s*\(?(?:[A-Z]{2,5}|GMT\s*[+-]\s*\d{1,2})\)?|\s*[+-]\d{2}:?\d{2})?)?"
    # "· Updated 3 hours ago", "| Updated 15:40 GMT": the update stamp of the same line
    r"(?:\s*[,|·/–—-]?\s*(?:last\s+)?(?:updated|modified|actualizado|act\.)\b[^\n]{0,40})?"
)
# a stamp's own line: "Martes 28 de enero de 2014 · 13:42 h", "Broadcast Friday 3 January 2025, 7:10 a.m.",
# "Tegucigalpa, 27 de junio de 2023" (a place first), "September 2023"
_DATE_ONLY_RE = re.compile(
    r"^\s*(?:(?:broadcast|aired|emitido|transmitido|publicado)\s+(?:on\s+|el\s+)?)?"
    r"(?:[^\W\d_][\w'’.-]*(?:\s+[^\W\d_][\w'’.-]*){0,2},\s+(?=\d|" + _WEEKDAY + r"))?"
    rf"{_DATE_EXPR}{_TIME_TAIL}\s*$",
    re.IGNORECASE,
)
_KICKER_RE = re.compile(
    rf"^(?P<section>[^\W\d_][\w .,'’&-]{{0,60}}?)\s*/\s*(?P<date>\d{{1,2}}\s+(?:{_M})\.?\s+\d{{4}})"
    r"(?:\s+BY\s+(?P<author>.+?))?(?:\s+(?P<lang>EN|ES|PT))?\s*$",
    re.IGNORECASE,
)
_LABEL_RE = re.compile(
    r"^(?P<label>published|first published|posted|updated|last updated|last modified|modified|date|dated|"
    r"fecha|publicado|actualizado)(?:\s+(?:on|at|el))?\s*:?\s*(?P<rest>.+)$",
    re.IGNORECASE,
)
_BY_RE = re.compile(
    r"^(?:(?:(?:interview|interviewed|commentary|analysis|opinion|column|story|report|reporting|text|written|words|"
    r"posted|published|filed|contributed|submitted|photos|"
    r"entrevista|texto|columna|cr[oó]nica|an[aá]lisis|reportaje)\s+)?(?:by|por)|author|autor|autora)\s*:?\s+(?P<name>.+)$",
    re.IGNORECASE,
)
_CREDIT_RE = re.compile(
    r"^\(?(?i:additional\s+)?(?i:reporting|editing|writing|compiled|edited|reported|written)\s+(?i:by)\s+"
    r"[A-ZÁÉÍÓÚÑ][\w'’-]+\s+[A-ZÁÉÍÓÚÑ]"  # a name: "Reporting by Tomás Erazo", not "Reporting by the press"
)
# a relative stamp, a date line but never a date: "Posted 2 days ago by X", "Publicado hace 4 días", "3 hours ago"
_STAMP_RE = re.compile(
    r"^(?:(?:posted|published|updated|publicado|actualizado)\s+)?(?:about\s+|hace\s+)?"
    r"(?:\d{1,3}|an?|one|un|una)\s+(?:min(?:ute)?s?|hours?|hrs?|days?|weeks?|months?|minutos?|horas?|d[ií]as?|semanas?|meses|mes)"
    r"(?:\s+ago)?(?:\s+(?:by|por)\s+.{2,60})?\s*$",
    re.IGNORECASE,
)
_INNER_BY_RE = re.compile(r"\b(?:by|por)\s+(?P<name>[^\W\d_][\w'’.-]*(?:\s+[^\W\d_][\w'’.-]*){0,4})\s*$", re.IGNORECASE)
_DATELINE_RE = re.compile(
    rf"^(?P<place>[^\W\d_][\w .'’-]{{1,40}}?(?:,\s*[^\W\d_][\w .'’-]{{1,30}}?)?)"
    rf"(?:,\s*(?P<date>(?:{_M})\.?\s+\d{{1,2}}(?:,\s*\d{{4}})?|\d{{1,2}}\s+(?:{_M})\.?(?:\s+\d{{4}})?))?"
    r"\s*(?:\((?P<agency>[^)]{1,40})\))?\s*(?:—|–|--| - )\s*",
    re.IGNORECASE,
)


def dateline_end(paragraph: str) -> int:
    """Where a dateline ("MEXICO CITY, Jan 9 (Wire) - ") that opens ``paragraph`` ends (0 if none)."""
    m = _DATELINE_RE.match(paragraph)
    return m.end() if m and (m.group("date") or m.group("agency")) else 0


_COPYRIGHT_RE = re.compile(
    r"(?:©|\(c\)|copyright)\s*(?:©\s*)?(?:\d{4}(?:\s*[-–]\s*\d{4})?)?\s*,?\s*(?P<name>[^\W\d_][\w&.'’ -]{1,50}?)"
    r"(?:[.,|]|\s+all rights|\s*$)",
    re.IGNORECASE,
)
_ABOUT_RE = re.compile(r"^about\s+(?P<name>[^\W\d_][\w&.'’ -]{1,40})$", re.IGNORECASE)
_ON_SITE_RE = re.compile(r"\b(?:news|stories|more|trending|popular)\s+(?:on|from)\s+(?P<name>[A-Z][\w&.'’ -]{1,40})$")
_PARTICLES = {"de", "del", "la", "las", "los", "y", "da", "do", "dos", "van", "von", "der", "e"}


@dataclass(frozen=True)
class Metadata:
    title: str | None
    published: PartialDate | None
    author: str | None
    source: str | None
    section: str | None
    language: str | None


@cache
def _roles_re() -> re.Pattern[str]:
    roles = load_toml("boilerplate.toml")["byline"]["roles"]
    alt = "|".join(sorted((re.escape(r) for r in roles), key=len, reverse=True))
    return re.compile(
        rf"^(?P<name>[^\W\d_][\w'’.-]+(?:\s+[^\W\d_][\w'’.-]+){{1,4}})\s*[|·,—–]\s*(?:{alt})\b",
        re.IGNORECASE,
    )


@cache
def known_sources() -> tuple[str, ...]:
    return tuple(load_toml("boilerplate.toml")["sources"]["names"])


@cache
def _sources_re() -> tuple[re.Pattern[str], dict[str, str]]:
    """One pattern for every known publisher (folded), and folded name -> name."""
    by_key = {fold(n): n for n in known_sources()}
    alt = "|".join(re.escape(k) for k in sorted(by_key, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alt})(?!\w)"), by_key


def is_meta_line(text: str) -> bool:
    """A byline, date line, kicker, wire credit ("Reporting by X; Editing by Y") or "Name |
    Reporter" line (removed from the body)."""
    t = text.strip()
    if _CREDIT_RE.match(t) and len(t) < 400:
        return True
    if len(t) > 160:
        return False
    if _KICKER_RE.match(t) or _DATE_ONLY_RE.match(t) or _STAMP_RE.match(t) or _roles_re().match(t):
        return True
    m = _LABEL_RE.match(t)
    if m and DATE_RE.search(m.group("rest")):
        return True
    m = _BY_RE.match(t)
    return bool(m and _names_someone(m.group("name")) and len(words(m.group("name"))) <= 8 and not t.endswith("."))


def _names_someone(text: str) -> bool:
    """A byline's name part starts like a name ("Ana Ruiz"), not like a phrase ("the numbers")."""
    first = text.strip().split()[0] if text.strip() else ""
    return first[:1].isupper() and first.lower() not in ("the", "a", "an", "el", "la", "los", "las", "un", "una")


def clean_name(raw: str) -> str | None:
    """'MARTHA MAGUIRE' -> 'Martha Maguire'; drops roles, agencies, co-authors and trailing
    punctuation ("Tomás Erazo and Ana Paredes" -> "Tomás Erazo")."""
    name = re.split(r"\s*(?:[|·—–(]|\s-\s|,\s*(?=[A-Z][a-z]+\s*$))\s*", raw.strip(), maxsplit=1)[0]
    name = re.split(r"\s+(?:and|&)\s+|,\s+(?=[A-Z])", name, maxsplit=1)[0]  # not " y ": Ortega y Gasset
    name = re.sub(r"\s+(?:on|el)\s+" + _DATE_EXPR + r".*$", "", name, flags=re.IGNORECASE)
    name = re.sub(r"\s+(?:in|en|from|desde)\s+[A-Z].*$", "", name)  # "Laura Benítez in San Salvador"
    name = re.sub(r",\s+(?:[a-z][\w-]*\s*)+$", "", name)  # "Rodrigo Salcedo, contributing analyst"
    name = name.strip(" .,:;")
    ws = name.split()
    if not ws or len(ws) > 8 or any(ch.isdigit() for ch in name):
        return None
    if name.isupper() or name.islower():
        ws = [w.lower() if w.lower() in _PARTICLES and i else _cap(w) for i, w in enumerate(ws)]
    name = " ".join(ws)
    return name if name[:1].isupper() else None


def _cap(word: str) -> str:
    return "-".join(p[:1].upper() + p[1:].lower() for p in word.split("-"))


def _date_in(text: str, dayfirst_hint: bool = True) -> PartialDate | None:
    m = DATE_RE.search(text)
    if not m:
        return None
    expr = m.group(0)
    if re.match(r"\d{4}-", expr):
        return parse_date(expr, dayfirst=False)
    dayfirst = bool(re.match(r"\s*(?:[a-z]+\.?,?\s+)?\d", expr, re.IGNORECASE)) or dayfirst_hint
    return parse_date(expr, dayfirst=dayfirst)


def find_published(header: Sequence[str], first_paragraph: str | None) -> PartialDate | None:
    """The article's own publication date from its header lines (see the module doc)."""
    labelled: list[tuple[int, PartialDate]] = []
    kicker: list[PartialDate] = []
    lone: list[PartialDate] = []
    run = 0
    for i, line in enumerate(header):
        t = line.strip()
        km = _KICKER_RE.match(t)
        if km:
            d = parse_date(km.group("date"), dayfirst=True)
            if d:
                kicker.append(d)
            continue
        lm = _LABEL_RE.match(t)
        if lm:
            d = _date_in(lm.group("rest"))
            if d:
                updated = "updat" in lm.group("label").lower() or "modif" in lm.group("label").lower()
                labelled.append((1 if updated else 0, d))
                continue
        if _DATE_ONLY_RE.match(t):
            prev_lone = i > 0 and bool(_DATE_ONLY_RE.match(header[i - 1].strip()))
            nxt_lone = i + 1 < len(header) and bool(_DATE_ONLY_RE.match(header[i + 1].strip()))
            run = run + 1 if prev_lone else 1
            d = _date_in(t)
            if d and d.precision != "year" and not prev_lone and not nxt_lone:
                lone.append(d)
            continue
        if re.match(r"^(?:posted|published)\b", t, re.IGNORECASE):
            d = _date_in(t)
            if d:
                labelled.append((0, d))
    if labelled:
        return sorted(labelled, key=lambda x: x[0])[0][1]
    if kicker:
        return kicker[0]
    if lone:
        return lone[0]
    if first_paragraph:
        m = _DATELINE_RE.match(first_paragraph)
        if m and m.group("date"):
            return _date_in(m.group("date"))
    return None


def _person_line(text: str) -> str | None:
    """A header line that is only a person's name ("Daniela Ibarra Solís"): two to five
    capitalised words, the first a known given name."""
    ws = text.split()
    if not 2 <= len(ws) <= 4 or any(ch.isdigit() for ch in text) or text.isupper():
        return None
    if not all(w[:1].isupper() or w.lower() in _PARTICLES for w in ws):
        return None
    if fold(ws[0]) not in given_names() or not re.fullmatch(r"[^\W\d_][\w'’.-]*(?:\s+[^\W\d_][\w'’.-]*)*", text):
        return None
    return text


def credit_author(lines: Sequence[str]) -> str | None:
    """The first "Reporting by" name of a wire credit (wire copy's author)."""
    for line in lines:
        m = re.match(r"^\(?(?:reporting|reported|written|writing)\s+by\s+(?P<name>.+)$", line.strip(), re.IGNORECASE)
        if m:
            name = re.split(r"\s+(?:in|en|from)\s+[A-Z]|[;,)]", m.group("name"))[0]
            return clean_name(name)
    return None


_DESK_RE = re.compile(
    r"\b(?:redacci[oó]n|desk|staff|newsroom|news\s+team|team|equipo|oficina|comunicaciones|communications|prensa|"
    r"press|wire|agencia|agency|editorial|editors?|servicio|service|bureau|departamento|department|[aá]rea|unidad)\b",
    re.IGNORECASE,
)


def _byline_name(line: str, title: str | None) -> str | None:
    """The name a header line gives as the byline, as printed (or None)."""
    t = line.strip()
    if t != (title or "").strip():
        name = _person_line(t)
        if name:
            return name
    km = _KICKER_RE.match(t)
    if km and km.group("author"):
        return km.group("author")
    m = _BY_RE.match(t)
    if m and not t.endswith(".") and _names_someone(m.group("name")):
        return m.group("name")
    m = _roles_re().match(t)
    if m:
        return m.group("name")
    lm = _LABEL_RE.match(t)
    bm = _INNER_BY_RE.search(lm.group("rest")) if lm else None
    if bm:
        return bm.group("name")
    if _STAMP_RE.match(t):  # "Publicado hace 4 días por Andreína Salcedo · 7 min de lectura"
        bm = re.search(r"\b(?:by|por)\s+(?P<name>.+)$", t, re.IGNORECASE)
        return bm.group("name") if bm else None
    return None


def find_author(header: Sequence[str], title: str | None = None, page: str = "") -> str | None:
    """The byline's person (``title``: the headline, which is never the byline). A desk
    ("Redacción", "Courier Wire Desk", "Oficina de Comunicaciones") or a username gives None;
    a name set in capitals takes the page's own spelling of it ("MIKE LASUSA" -> "Mike LaSusa")."""
    for line in header:
        raw = _byline_name(line, title)
        if raw is None:
            continue
        name = clean_name(raw)
        if name is None or _DESK_RE.search(name) or "_" in raw or "@" in raw:
            return None
        if raw.isupper() and page:
            m = re.search(rf"(?<!\w){re.escape(name)}(?!\w)", page, re.IGNORECASE)
            if m and not m.group(0).isupper():
                return m.group(0)
        return name
    return None


def find_section(header: Sequence[str]) -> str | None:
    for line in header:
        t = line.strip()
        km = _KICKER_RE.match(t)
        if km:
            sec = km.group("section").strip()
            return " ".join(_cap(w) if w.isupper() else w for w in sec.split())
        m = re.match(r"^(?:section|sección|category|categoría)\s*:\s*(?P<s>.{2,40})$", t, re.IGNORECASE)
        if m:
            return m.group("s").strip()
        if re.search(r"\s[>»›]\s", t) and len(t) < 100:
            crumbs = [c.strip() for c in re.split(r"\s[>»›]\s", t) if c.strip()]
            crumbs = [c for c in crumbs if fold(c) not in ("home", "inicio", "news", "noticias")]
            if crumbs:
                return crumbs[-1]
    return None


_NOT_NAMES = {"us", "the author", "this", "the authors", "me", "our team", "this site", "all rights reserved"}


_KEEP_CAPS_RE = re.compile(r"(?!(?:EL|LA|DE|DO|DA|EN|OF|ON|IN|AT|TO|BY)\b)[A-Z]{2}|.*\d.*")  # "FM", "98.7"


def _mixed_case(name: str, lines: Sequence[str]) -> str:
    """'ANDES LEDGER' -> the page's own mixed-case spelling if it has one, else title case."""
    if not name.isupper():
        return name
    pat = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)", re.IGNORECASE)
    for line in lines:
        for m in pat.finditer(line):
            if not m.group(0).isupper():
                return m.group(0)
    return " ".join(
        w.lower() if w.lower() in _PARTICLES and i else (w if _KEEP_CAPS_RE.fullmatch(w) else _cap(w))
        for i, w in enumerate(name.split())
    )


_COMPANY_RE = re.compile(
    r"(?:,?\s+(?:Ltd|Limited|Inc|LLC|S\.?\s?A\.?(?:\s?S\.?)?(?:\s+de\s+C\.?\s?V\.?)?|A\.?\s?C\.?|GmbH|plc"
    r"|Media(?:\s+(?:Group|Foundation|Ltd))?|Group|Foundation|(?-i:[A-Z]))\.?)+\s*$",  # "… S" of a cut "S.A."
    re.IGNORECASE,
)


def find_masthead(header: Sequence[tuple[str, str | None]], headline: str | None, page: str) -> str | None:
    """The outlet's name at the top of the page, above its menus: the first header line of
    up to six words (or a menu line's first part: "WAVE 98.7 FM | Talk Radio …") that is set
    in capitals ("THE ANDEAN LEDGER") or that the page names again (a footer, a copyright
    line). ``header``: (text, reason) per line; cookie banners and sign-in bars are passed
    over, and the search ends at the first menu, date line or the headline."""
    folded_page: str | None = None  # folded only when a candidate needs it
    for text, reason in header:
        if text == headline or reason in ("metadata", "tail marker"):
            return None
        if reason == "site chrome":
            continue
        name = re.split(r"\s+[|·•]\s+|\s{2,}", text.strip(), maxsplit=1)[0].strip()
        ws = words(name)
        if 1 <= len(ws) <= 6 and name[:1].isupper() and not name.endswith((".", "?", "!", ":")):
            if name.isupper() and len(name) >= 4:
                return name
            if len(ws) >= 2 and reason != "navigation":
                folded_page = folded_page if folded_page is not None else fold(page)
                if folded_page.count(fold(name)) >= 2:
                    return name
        if reason == "navigation":
            return None
    return None


def find_source(chrome: Sequence[str], first_paragraph: str | None, masthead: str | None = None) -> str | None:
    """The publisher: the masthead (:func:`find_masthead`); else a known outlet named in the
    page's chrome; else a "©" name (without "Ltd", "Media Group", "S.A.") or an "About X"
    name that the chrome repeats; else a dateline's agency."""
    if masthead:
        return _mixed_case(masthead, chrome)
    folded = [fold(line) for line in chrome]
    pattern, by_key = _sources_re()
    counts: Counter[str] = Counter(by_key[m.group(0)] for f in folded for m in pattern.finditer(f))
    if counts:
        return max(counts.items(), key=lambda kv: (kv[1], len(kv[0])))[0]
    for line in chrome:
        m = _COPYRIGHT_RE.search(line.strip())
        if m:
            name = _COMPANY_RE.sub("", m.group("name").strip(" .,-")).strip(" .,-")
            if name and fold(name) not in _NOT_NAMES and 1 <= len(name.split()) <= 6:
                return _mixed_case(name, chrome)
    candidates: list[str] = []
    for line in chrome:
        t = line.strip()
        for rx in (_ABOUT_RE, _ON_SITE_RE):
            m = rx.search(t)
            if m:
                name = m.group("name").strip(" .,-")
                if name and fold(name) not in _NOT_NAMES and 1 <= len(name.split()) <= 6:
                    candidates.append(name)
    everything = "\n".join(folded)
    scored = []
    for i, cand in enumerate(candidates):
        key = fold(cand)
        if len(key) < 3 or len(key.split()) > 6:
            continue
        n = len(re.findall(rf"(?<!\w){re.escape(key)}(?!\w)", everything))
        scored.append((n, -i, cand))
    if scored:
        n, _, best = max(scored)
        if n >= 2:
            return _mixed_case(best, chrome)
    if first_paragraph:
        m = _DATELINE_RE.match(first_paragraph)
        if m and m.group("agency"):
            return m.group("agency").strip()
    return None


_ISSUE_NUMBER_RE = re.compile(r"(?:\bN\.?\s?[º°o]\.?|\bNo\.|#)\s?\d")  # "Boletín N.º 014", "Issue #87"
_SEPARATOR_RE = re.compile(r"\s[|·•›»>/]\s")


def _title_like(line: str, source: str | None) -> bool:
    t = line.strip()
    if not is_heading(t) or is_meta_line(t) or len(words(t)) < 2:
        return False
    if source and fold(t) == fold(source):
        return False
    if len(_SEPARATOR_RE.findall(t)) >= 2:  # a menu, a share bar, a "Key points: … · … · …" box
        return False
    return not (t.isupper() and len(words(t)) <= 3)


def find_title(header: Sequence[str], source: str | None, chrome: Collection[str] = ()) -> str | None:
    """The headline. Where the header has a byline or date line, the first title-like line of
    four words or more between the last line of site chrome (``chrome``: menus, sign-in and
    share bars) and that line — a dek or an issue number follow the headline, a masthead's
    tagline precedes the menus. Else the longest heading-like line, preferring one the page
    repeats."""
    first_meta = next((i for i, h in enumerate(header) if is_meta_line(h.strip())), None)
    if first_meta is not None:
        after = max((i for i in range(first_meta) if header[i] in chrome), default=-1)
        zone = [
            h.strip()
            for h in header[after + 1 : first_meta]
            if _title_like(h, source) and len(words(h)) >= 4 and not _ISSUE_NUMBER_RE.search(h)
        ]
        if zone:
            return zone[0]
    best: tuple[float, str] | None = None
    joined = "\n".join(fold(h) for h in header)
    for line in header:
        t = line.strip()
        if not _title_like(t, source):
            continue
        n = len(words(t))
        score = min(n, 25) + (8 if n >= 4 and joined.count(fold(t)) > 1 else 0)
        if best is None or score > best[0]:
            best = (score, t)
    return best[1] if best else None


def detect_language(text: str) -> str | None:
    """The language of an article's body (``data/languages.toml``): the one whose function
    words are most frequent in its first 5,000 characters; None for fewer than five words or
    two function words. Read off the body only, so chrome in another language does not count."""
    tokens = [fold(w) for w in words(text[:5000])]
    if len(tokens) < 5:
        return None
    counts = [(sum(1 for w in tokens if w in lang.function_words), -i, lang.code) for i, lang in enumerate(languages())]
    best = max(counts)
    return best[2] if best[0] >= 2 else None
