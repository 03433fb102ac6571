"""Find the article's body among a scraped page's lines.

The mechanism, general across sites (no per-site rules):

1. *Units*: the page's non-blank lines; hard-wrapped prose lines are joined.
2. *Evidence per unit*: its shape (prose, heading, menu/counter/date line, CamelGlued
   breadcrumbs, teasers ending in "…"), chrome phrases (data file ``boilerplate.toml``),
   recurrence across the corpus (``line_counts``), and repetition within the page.
3. *Position*: a tail marker ("Related Content", "Trending", "About X", ...) is a barrier;
   the body is the highest-scoring run of units between barriers, trimmed to prose.
   Self-promotion that names the publisher at the body's edge is trimmed too.
4. Inside the body, chrome lines go, repeated paragraphs go, subheadings stay.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache

from cartelkit.data import load_toml
from cartelkit.textutil import fold, line_key

GOOD, NEUTRAL, BAD, BARRIER, META = "good", "neutral", "bad", "barrier", "meta"
# Reasons that mark a unit as the site's own chrome (where a publisher names itself).
CHROME_REASONS = frozenset(
    {
        "tail marker",
        "site chrome",
        "navigation",
        "metadata",
        "label",
        "recurs in other documents",
        "teaser",
        "counter",
        "caption",
    }
)
_PROMO_RE = re.compile(r"\b(?:our|we|us|subscribe\w*|members?(?:hip)?|readers)\b|^[\"“]", re.IGNORECASE)

_WORD_RE = re.compile(r"[^\W\d_][\w'’.-]*|\d[\d,.:]*")
_SENT_END_RE = re.compile(r"[.!?…:;\"”’')\]]$")
_GLUED_RE = re.compile(r"^(?:[A-Z][a-z]{2,}){3,}")  # HomeNewsBriefMexico...
_TEASER_RE = re.compile(r"(?:…|\.\.\.|\[…\]|\[\.\.\.\])\s*(?:more|read more)?$", re.IGNORECASE)
_BULLET_RE = re.compile(r"^[•·▪►–\-*]\s")
_COUNTER_RE = re.compile(
    r"^[\d\s.,:/kKmM+|-]*(?:\s*(?:comments?|shares?|views?|likes?|min read|minutes?|comentarios?|compartidos?|vistas"
    r"|lecturas|minutos?|min de lectura))?$",
    re.IGNORECASE,
)
_NON_ALNUM_RE = re.compile(r"[\W_]+")
# a photo caption or credit: "FILE - In this July 9, 2018 file photo, …", "Photo: X/EPA", "(Getty Images)"
_CAPTION_RE = re.compile(
    r"^(?:FILE\s*[-–—:]|(?:photo|foto|fotograf[ií]a|image|imagen|caption|pie de foto|cr[eé]dito|credit)\s*:)"
    r"|\bin\s+this\s+(?:\w+\s+){0,5}(?:file\s+)?(?:photo|image|picture)\b"
    r"|\b(?-i:REUTERS|AP|AFP|EPA|EFE)/(?-i:[A-Z])"
    r"|(?:/|\(|\|\s|\s[-–—]\s)\s*(?:AP|EPA(?:-EFE)?|AFP|Reuters|Getty(?:\s+Images)?|EFE|Cuartoscuro|Xinhua|Bloomberg|"
    r"Anadolu|NurPhoto|Shutterstock|Archivo|File)(?:\s+(?:photo|Photo|Images?))?\)?\.?\s*$",
    re.IGNORECASE,
)
_BREADCRUMB_RE = re.compile(r"^\S.{0,40}(?:\s[>»›/|]\s.{1,40}){1,6}$")


@dataclass(frozen=True)
class Unit:
    """A line (or joined wrapped lines) of the page."""

    index: int
    text: str
    first_line: int
    last_line: int
    block: int


@dataclass(frozen=True)
class Split:
    """The result: which units are header, body, tail, and why each removed unit went."""

    units: tuple[Unit, ...]
    body: tuple[int, ...]  # unit indices kept as body, in order
    header: tuple[int, ...]  # units before the body (title, byline, navigation)
    reasons: Mapping[int, str]  # unit index -> why it was removed


@cache
def _cues() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], int, int]:
    data = load_toml("boilerplate.toml")

    def alternation(phrases: list[str]) -> str:
        return "|".join(sorted((re.escape(fold(p)) for p in phrases), key=len, reverse=True))

    tail = re.compile(rf"^(?:{alternation(data['tail']['starts'])})(?:\W|$)")
    chrome_start = re.compile(rf"^(?:{alternation(data['chrome']['starts'])})(?:\W|$)")
    chrome_contains = re.compile(alternation(data["chrome"]["contains"]))
    return tail, chrome_start, chrome_contains, int(data["tail"]["max_words"]), int(data["chrome"]["max_words"])


def words(text: str) -> list[str]:
    return _WORD_RE.findall(text)


def is_prose(text: str) -> bool:
    """A sentence-shaped line: enough words, mostly lower-case, ends like a sentence."""
    ws = words(text)
    if len(ws) < 8:
        return False
    lower = sum(1 for w in ws if w[:1].islower())
    if lower < len(ws) * 0.35:
        return False
    return bool(_SENT_END_RE.search(text.rstrip())) or len(text) >= 160


def is_heading(text: str) -> bool:
    """A short title-like line: a subheading, a headline, a kicker."""
    ws = words(text)
    stripped = text.rstrip()
    if not 1 <= len(ws) <= 20 or stripped.endswith((".", ",", ";")):
        return False
    return text.lstrip()[:1].isupper() or text.lstrip()[:1].isdigit() or text.lstrip()[:1] in "\"“'‘¿¡«"


def make_units(lines: list[str]) -> list[Unit]:
    """Non-blank lines as units; a wrapped prose line is joined with the line that continues it."""
    units: list[Unit] = []
    block = 0
    pending: list[tuple[int, str]] = []

    def flush() -> None:
        if pending:
            text = "\n".join(t.strip() for _, t in pending)  # keep the source's own line break
            units.append(Unit(len(units), text, pending[0][0], pending[-1][0], block))
            pending.clear()

    for i, line in enumerate(lines):
        if not line.strip():
            flush()
            block += 1
            continue
        if pending:
            prev = pending[-1][1].rstrip()
            nxt = line.strip()
            wrapped = (
                len(prev) >= 40
                and not _SENT_END_RE.search(prev)
                and nxt[:1].islower()
                and " " in nxt  # a lone token ("rio_desk") is a line of its own
                and not _BULLET_RE.match(nxt)
            )
            if not wrapped:
                flush()
        pending.append((i, line))
    flush()
    return units


def classify(
    unit: Unit,
    recurring: bool,
    is_meta: Callable[[str], bool],
) -> tuple[str, str]:
    """The unit's class and the reason, from its own text (and whether it recurs in the corpus)."""
    tail_re, chrome_start, chrome_contains, tail_max, chrome_max = _cues()
    text = unit.text.strip()
    folded = fold(text)
    ws = words(text)
    prose = is_prose(text)
    if len(ws) <= tail_max and not text.endswith(".") and tail_re.match(folded):
        return BARRIER, "tail marker"
    if is_meta(text):
        return META, "metadata"
    if not ws:
        return BAD, "no words"
    if (len(ws) <= 6 or not prose) and len(ws) <= chrome_max and chrome_start.match(folded):
        return BAD, "site chrome"
    if len(ws) <= 60 and chrome_contains.search(folded):
        return BAD, "site chrome"
    if _GLUED_RE.match(text) and " " not in text.split()[0][1:]:
        return BAD, "navigation"
    if _COUNTER_RE.match(text):
        return BAD, "counter"
    if len(ws) <= 60 and _CAPTION_RE.search(text):
        return BAD, "caption"
    if not prose and _BREADCRUMB_RE.match(text) and len(ws) <= 14:
        return BAD, "navigation"
    if not prose and len(re.findall(r"\S\s{2,}\S", text)) >= 2:
        return BAD, "navigation"
    if _TEASER_RE.search(text):
        return BAD, "teaser"
    if recurring:
        return (
            (NEUTRAL, "recurring heading") if is_heading(text) and len(ws) <= 8 else (BAD, "recurs in other documents")
        )
    if text.isupper() and len(ws) <= 8:
        return BAD, "label"
    if prose:
        return GOOD, "prose"
    if _BULLET_RE.match(text):
        return NEUTRAL, "list item"
    if is_heading(text):
        return NEUTRAL, "heading"
    return (GOOD, "text") if len(ws) >= 12 else (NEUTRAL, "short line")


def _weight(kind: str, unit: Unit) -> float:
    if kind == GOOD:
        return 1.0 + min(len(unit.text), 600) / 100
    if kind == NEUTRAL:
        return -0.5
    return -3.0


def _best_run(weights: list[float], barriers: set[int]) -> tuple[int, int]:
    """Highest-sum contiguous run (Kadane), never crossing a barrier. Returns [start, end)."""
    best, best_span = float("-inf"), (0, 0)
    total, start = 0.0, 0
    for i, w in enumerate(weights):
        if i in barriers:
            total, start = 0.0, i + 1
            continue
        if total <= 0:
            total, start = 0.0, i
        total += w
        if total > best:
            best, best_span = total, (start, i + 1)
    return best_span


@dataclass(frozen=True)
class Classified:
    """Every unit of a page with its class and reason (the costly step, done once)."""

    units: tuple[Unit, ...]
    kinds: tuple[str, ...]
    reasons: Mapping[int, str]


def classify_page(
    lines: list[str],
    line_counts: Mapping[int, int] | None = None,
    is_meta: Callable[[str], bool] = lambda _t: False,
) -> Classified:
    """Units of the page and their classes.

    ``line_counts`` maps :func:`line_key` fingerprints to the number of *other*
    documents of the corpus holding that line; two or more marks it as recurring.
    """
    units = make_units(lines)
    counts = line_counts or {}
    recurs = [bool(counts) and counts.get(line_key(u.text), 0) >= 2 for u in units]
    prose = [is_prose(u.text) for u in units]
    n_prose = sum(prose)
    if n_prose and sum(r and p for r, p in zip(recurs, prose, strict=True)) * 2 >= n_prose:
        # most of the prose recurs: a copy of an article (syndication), not boilerplate
        recurs = [r and not p for r, p in zip(recurs, prose, strict=True)]
    kinds: list[str] = []
    reasons: dict[int, str] = {}
    seen: set[str] = set()
    for u, recurring in zip(units, recurs, strict=True):
        kind, why = classify(u, recurring, is_meta)
        if kind == GOOD:
            key = _NON_ALNUM_RE.sub("", fold(u.text))
            if key in seen:
                kind, why = BAD, "repeats an earlier paragraph"
            seen.add(key)
        kinds.append(kind)
        reasons[u.index] = why
    return Classified(tuple(units), tuple(kinds), reasons)


def split_page(
    lines: list[str] | Classified,
    line_counts: Mapping[int, int] | None = None,
    is_meta: Callable[[str], bool] = lambda _t: False,
    publisher_names: tuple[str, ...] = (),
) -> Split:
    """Decide header, body and tail of a page (given as lines, or already classified)."""
    page = lines if isinstance(lines, Classified) else classify_page(lines, line_counts, is_meta)
    units, kinds, reasons = page.units, page.kinds, dict(page.reasons)
    barriers = {i for i, k in enumerate(kinds) if k == BARRIER}
    # a caption sits inside the article: dropped, but it does not end the body as chrome does
    weights = [
        -0.5 if reasons.get(i) == "caption" else _weight(k, u)
        for i, (k, u) in enumerate(zip(kinds, units, strict=True))
    ]
    start, end = _best_run(weights, barriers)
    # trim to prose at both ends; self-promotion naming the publisher goes at the edges
    names = tuple(fold(n) for n in publisher_names if n)
    while start < end and (kinds[start] != GOOD or _names_publisher(units[start].text, names)):
        start += 1
    while end > start and (kinds[end - 1] != GOOD or _names_publisher(units[end - 1].text, names)):
        if kinds[end - 1] == GOOD:
            reasons[end - 1] = "publisher's self-promotion"
        end -= 1
    body = [i for i in range(start, end) if kinds[i] in (GOOD, NEUTRAL)]
    in_body = set(body)
    header = tuple(range(start))
    for i in range(start, end):
        if i not in in_body:
            reasons.setdefault(i, "chrome in body")
    for i in range(end, len(units)):
        reasons[i] = reasons.get(i, "tail") if kinds[i] != GOOD else "after the article's end"
    for i in body:
        reasons.pop(i, None)
    return Split(tuple(units), tuple(body), header, reasons)


def _names_publisher(text: str, names: tuple[str, ...]) -> bool:
    """Self-promotion: names the publisher twice, or names it in a promotional voice."""
    folded = fold(text)
    mentions = sum(folded.count(n) for n in names if n)
    return mentions >= 2 or (mentions == 1 and bool(_PROMO_RE.search(text)))
