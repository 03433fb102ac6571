"""Actor mentions: gazetteer names and aliases (longest match first), surnames the
document supports, role nouns ("the former president") resolved by office and date,
"the government" by the article's country, and discovery of actors the gazetteer lacks.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Container, Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from cartelkit.annotate.gazetteer import GazActor, Gazetteer, derived
from cartelkit.annotate.lexicon import lexicon
from cartelkit.data import given_names
from cartelkit.model import DocActor, PartialDate
from cartelkit.textutil import fold, fold_keep_length, gc_paused, leftmost_longest, strip_accents

_TOKEN_RE = re.compile(r"[^\W_]+(?:['’][sS])?")
# lower-case words inside a name ("José de Jesús", "Luiz Inácio Lula da Silva")
NAME_PARTICLES = frozenset(
    {"de", "del", "la", "las", "los", "y", "da", "do", "dos", "van", "von", "der", "bin", "al", "el"}
)
_STOP_CAPS = {
    "The",
    "A",
    "An",
    "In",
    "On",
    "At",
    "As",
    "But",
    "And",
    "Or",
    "If",
    "When",
    "While",
    "After",
    "Before",
    "Since",
    "Although",
    "Though",
    "This",
    "That",
    "These",
    "Those",
    "It",
    "He",
    "She",
    "They",
    "We",
    "I",
    "His",
    "Her",
    "Their",
    "Our",
    "Its",
    "Such",
    "Some",
    "Many",
    "Most",
    "All",
    "Both",
    "Despite",
    "According",
    "Among",
    "For",
    "From",
    "With",
    "By",
    "To",
    "Of",
    "Under",
    "Over",
    "Indeed",
    "However",
    "Meanwhile",
    "Additionally",
    "Also",
    "Like",
    "Still",
    "Yet",
    "So",
    "Then",
    "There",
    "Here",
    "What",
    "Why",
    "How",
    "Who",
    "Where",
    "Initially",
    "Officially",
    "Last",
    "Next",
    "Two",
    "Three",
    "One",
    "Several",
    "Spanish",
    "English",
    "SEE",
    "ALSO",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Mr",
    "Mrs",
    "Ms",
}
_ARTICLES = {"La", "El", "Los", "Las", "Lo", "The"}
_ACRONYM_RE = re.compile(
    r"(?P<name>(?:[A-Z][\w'’-]+)(?:\s+(?:(?:of|the|for|and|on|against|de|del|la|las|los|y|e|en|por|para|contra|"
    r"sobre|da|do|das|dos|in)\s+)*[A-ZÁÉÍÓÚÑ][\w'’-]+){1,9})"
    r"\s+\((?P<acro>[A-Z][A-Z0-9-]{1,9})\)"
)
# ", executive director of Jamaicans for Justice,", ", coordinadora del Observatorio": a role of a named body.
_ROLE_OF_RE = re.compile(
    r",\s+(?:[a-záéíóúñ][\w-]*\s+){1,3}(?:of|at|for|de|del|en)\s+(?:the\s+|la\s+|el\s+)?[A-ZÁÉÍÓÚÑ]"
)
_GROUP_NOUN_RE = re.compile(
    r"\b(?:the|that)\s+(?:(?:armed|criminal|guerrilla|rebel|drug)\s+)?(?P<noun>group|gang|cartel|guerrillas|rebels|mara|"
    r"organi[sz]ation)\b"
    r"(?!\s+(?:of|members?|leaders?|violence)\b)",
    re.IGNORECASE,
)
_ROLE_RE = re.compile(
    r"\b(?P<det>the|an?|his|her|its|their)\s+(?P<former>former\s+|ex-|then-|outgoing\s+|current\s+|new\s+)?"
    r"(?P<demonym>(?-i:[A-Z][\w.']*)\s+)?(?P<role>president|head of state|head of government|vice president|"
    r"interior minister|interior secretary|security minister|security secretary|public security secretary|"
    r"defen[cs]e minister|defense secretary|attorney general|prosecutor general|security spokesman|spokesman|"
    r"foreign minister|governor|mayor|archbishop|bishop|pope|ambassador)\b(?!\s+(?:of\s+the\s+)?(?-i:[A-Z][a-z]))",
    re.IGNORECASE,
)
_GAP_RE = re.compile(r"^[\s\-'’.]{0,3}$")
_KEY_STOP = frozenset("the of de del la el los las y and e".split())
_GOVT_LOOKBACK = 300  # characters before "the government" where the country in play is looked for
_PRESIDENCY_NOUNS = {"administration", "government", "presidency", "era", "years", "term", "cabinet"}
_PRESIDENT_OF_RE = re.compile(r"\b(?P<country>[A-Z][\w ]{2,20}?)['’]s\s+(?P<former>former\s+)?(?P<role>president)\b")
_PLACE_HEADS = frozenset(
    "School Academy Airport Port Prison Hospital Stadium Avenue Street Square Park Bridge Highway Station Dam "
    "Boulevard Colony District Municipality Barracks Base".split()
)
_PLACE_BEFORE_RE = re.compile(
    r"\b(?:port|city|town|village|state|municipality|province|department|district|neighbou?rhood|school|avenue|"
    r"street|airport|prison|barracks|puerto|ciudad|municipio|estado|colonia|barrio|calle|avenida|escuela|penal|"
    r"c[aá]rcel|aeropuerto|cuartel|provincia|departamento|distrito|parroquia)\s+(?:of\s+|de\s+|del\s+)?$",
    re.IGNORECASE,
)
_NICKNAME_RE = re.compile(r"\s+[\"“«‘'][^\"”»’'\n]{1,30}[\"”»’']\s+(?=[A-ZÁÉÍÓÚÑ])")
_REF_WORD_RE = re.compile(r"[^\W\d_][\w-]*")
_APPOSITIVE_RE = re.compile(r",\s+([^,.;]{3,90}),")
# Between a title and the name it introduces: nothing, a word ("Security Minister"), or a complement
# and a comma ("the bishop of Chilpancingo, ", "la ministra de Seguridad de la Nación, ").
_TITLE_GAP_RE = re.compile(
    r"^(?:\s+(?:(?!and\b|y\b|or\b|o\b)[\w'’.-]+\s+){0,2}|\s+(?:of|de|del|for|para|at|en)\s[^.;:]{0,60}?,\s+)$"
)
_NAMED_AFTER_RE = re.compile(r"[^,.;:«»“”\n]{0,60},\s+")
_TITLE_OF_RE = re.compile(r"\s+(?:of|de|del)\s+(?:the\s+|la\s+|el\s+)?[A-Z]")
_TITLE_REF_RE = re.compile(
    r"\b(?:[Tt]he|[Ee]l|[Ll]a)\s+(?:(?:former|then|new|outgoing|nuevo|nueva|ex|entonces)\s+)?(?P<title>[A-ZÁÉÍÓÚÑa-záéíóúñ][a-záéíóúñ-]+(?:\s+(?:de|of)\s+(?:[Ee]stado|[Ss]tate))?)\b"
)
_HEAD_REF_RE = re.compile(
    r"\b(?:[Tt]he|[Ee]l|[Ll]a|[Ll]os|[Ll]as)\s+(?P<head>[A-ZÁÉÍÓÚÑ][a-záéíóúñ]{3,})\b(?!\s+[A-Z])"
)
_GOVT_RE = re.compile(
    r"\b(?:the|this|his|her|el|este|su)\s+(?:federal\s+|national\s+)?(?:government|administration|gobierno)\b"
    r"(?!\s+(?:of|de|del)\b)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    text: str
    actor: str
    type: str
    how: str  # name | short | role | government | discovered


@dataclass(frozen=True)
class _Form:
    tokens: tuple[str, ...]
    actor: str
    kind: str  # name | short
    exact: str | None  # single-token acronyms/nicknames: the exact (accent-free) spelling


@dataclass(frozen=True)
class Matcher:
    # first folded token -> (length, {token tuple: forms}) from the longest length down
    by_first: dict[str, tuple[tuple[int, dict[tuple[str, ...], tuple[_Form, ...]]], ...]]
    gazetteer: Gazetteer


def _tokens(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group(0)) for m in _TOKEN_RE.finditer(text)]


def _key(token: str) -> str:
    return _strip_possessive(fold(token))


def _token_keys(text: str, toks: list[tuple[int, int, str]], folded: str | None = None) -> list[str]:
    """:func:`_key` of every token of ``text`` (``folded``: ``fold_keep_length(text)`` when the
    caller has it): the text is folded once and sliced, unless folding changed its length."""
    folded = fold_keep_length(text) if folded is None else folded
    if len(folded) == len(text):
        return [_strip_possessive(folded[s:e]) for s, e, _t in toks]
    return [_key(t) for _s, _e, t in toks]


def _strip_possessive(t: str) -> str:
    return t[:-2] if t.endswith(("'s", "’s")) else t


@cache
def build_matcher(gaz: Gazetteer) -> Matcher:
    """Index every name, alias and short form by its first folded token."""
    with gc_paused():
        return Matcher(derived(gaz, "matcher", lambda: _matcher_index(gaz), _matcher_tables), gaz)


def _matcher_tables(index: list[Any]) -> dict[str, tuple[tuple[int, dict[tuple[str, ...], tuple[_Form, ...]]], ...]]:
    """:attr:`Matcher.by_first` from :func:`_matcher_index`'s plain data."""
    return {
        str(first): tuple(
            (
                int(n),
                {
                    tuple(toks): tuple(_Form(tuple(toks), str(a), str(k), e) for a, k, e in forms)
                    for toks, forms in table
                },
            )
            for n, table in lengths
        )
        for first, lengths in index
    }


def _matcher_index(gaz: Gazetteer) -> list[Any]:
    """[first token, [[length, [[tokens, [[actor, kind, exact]…]]…]]…, longest first]] (JSON)."""
    index: dict[str, dict[int, dict[tuple[str, ...], list[list[str | None]]]]] = {}
    for a in gaz.actors:
        for form, kind in [(a.name, "name"), *((x, "name") for x in a.aliases), *((x, "short") for x in a.short)]:
            toks = tuple(_token_keys(form, _tokens(form)))
            if not toks:
                continue
            exact = strip_accents(form) if len(toks) == 1 and (form.isupper() or kind == "name") else None
            index.setdefault(toks[0], {}).setdefault(len(toks), {}).setdefault(toks, []).append([a.name, kind, exact])
    return [
        [first, [[n, [[list(t), fs] for t, fs in by_len[n].items()]] for n in sorted(by_len, reverse=True)]]
        for first, by_len in index.items()
    ]


def _role_office(role: str) -> str | None:
    return lexicon().roles.get(fold(role))


def _holds(a: GazActor, office: str, country: str | None, when: dt.date | None, former: bool | None) -> bool:
    for r in a.roles:
        if r.office != office or (country and r.country and r.country != country):
            continue
        if when is None or former is None:
            return True
        if former and r.ended_before(when):
            return True
        if not former and r.holds_on(when):
            return True
    return False


def _date_of(published: PartialDate | None) -> dt.date | None:
    if published is None:
        return None
    parts = [int(x) for x in published.iso.split("-")] + [6 if published.precision == "year" else 15, 15]
    return dt.date(parts[0], parts[1], min(parts[2], 28))


def find_mentions(body: str, gaz: Gazetteer, published: PartialDate | None, folded: str | None = None) -> list[Mention]:
    """Every actor mention of the body, in order, resolved to canonical names (``folded``:
    ``fold_keep_length(body)`` when the caller has it)."""
    matcher = build_matcher(gaz)
    by_name = gaz.by_name
    toks = _tokens(body)
    folded = fold_keep_length(body) if folded is None else folded
    keys = _token_keys(body, toks, folded)
    raw: list[tuple[int, int, list[_Form]]] = []  # token span and candidate forms
    i = 0
    while i < len(toks):
        key = keys[i]
        best_len = 0
        best: list[_Form] = []
        for n, table in matcher.by_first.get(key, ()):
            if best or i + n > len(toks):
                continue
            candidates = table.get(tuple(keys[i : i + n])) if n > 1 else table.get((key,))
            if not candidates:
                continue
            if n > 1 and any(not _GAP_RE.match(body[toks[k][1] : toks[k + 1][0]]) for k in range(i, i + n - 1)):
                continue
            span_text = body[toks[i][0] : toks[i + n - 1][1]]
            for form in candidates:
                if form.exact is not None:
                    word = strip_accents(toks[i][2])
                    word = word[:-2] if word.endswith(("'s", "’s")) else word
                    if form.exact.isupper() and word != form.exact:
                        continue
                    if not word[:1].isupper():
                        continue
                elif not any(ch.isupper() for ch in span_text):
                    continue
                if form.kind == "short" and not toks[i][2][:1].isupper():
                    continue
                best_len = n
                best.append(form)
        if best:
            raw.append((i, i + best_len, best))
            i += best_len
        else:
            i += 1
    when = _date_of(published)
    full_names = {f.actor for _, _, forms in raw for f in forms if f.kind == "name"}
    countries: Counter[str] = Counter(
        str(by_name[f.actor].country)
        for _, _, forms in raw
        for f in forms
        if f.kind == "name" and by_name[f.actor].country
    )
    mentions: list[Mention] = []
    for ti, tj, forms in raw:
        s, e = toks[ti][0], toks[tj - 1][1]
        if body[e - 2 : e] in ("'s", "’s"):
            e -= 2
        text = body[s:e]
        names = [f for f in forms if f.kind == "name"]
        if names:
            actor = by_name[names[0].actor]
            mentions.append(Mention(s, e, text, actor.name, actor.type, "name"))
            continue
        chosen = _resolve_short(forms, toks, ti, tj, body, by_name, full_names, countries, when)
        if chosen is not None:
            mentions.append(Mention(s, e, text, chosen.name, chosen.type, "short"))
    mentions += _role_mentions(body, mentions, gaz, published, countries)
    mentions += _discover(body, toks, mentions)
    in_play = CountryInPlay(body, mentions, gaz, _main_country(countries, gaz))
    drop, add = _institution_mentions(body, folded, mentions, gaz, in_play)
    dropped = {id(m) for m in drop}
    mentions = [m for m in mentions if id(m) not in dropped] + add
    mentions += _references(body, mentions)
    return leftmost_longest(mentions, lambda m: (m.start, m.end))


@cache
def _title_words() -> frozenset[str]:
    return frozenset(t.rstrip(".").lower() for t in lexicon().titles)


def _resolve_short(
    forms: list[_Form],
    toks: list[tuple[int, int, str]],
    ti: int,
    tj: int,
    body: str,
    by_name: dict[str, GazActor],
    full_names: set[str],
    countries: Counter[str],
    when: dt.date | None,
) -> GazActor | None:
    """A surname alone: the person the document names in full, or whom a title or a role
    of the article's date supports; never when it is part of another name ("Fox News")."""
    nxt = toks[tj][2] if tj < len(toks) else ""
    gap_next = body[toks[tj - 1][1] : toks[tj][0]] if tj < len(toks) else ""
    if nxt[:1].isupper() and gap_next.strip() == "" and nxt not in _STOP_CAPS:
        return None  # "Fox News", "Santos Laguna"
    prev = toks[ti - 1][2] if ti > 0 else ""
    gap_prev = body[toks[ti - 1][1] : toks[ti][0]] if ti > 0 else ""
    titled = prev.rstrip(".").lower() in _title_words()
    if prev[:1].isupper() and gap_prev.strip() == "" and not titled and prev not in _STOP_CAPS:
        return None  # "Fernando Santos": another person's given name
    candidates = list(dict.fromkeys(f.actor for f in forms))
    supported = [c for c in candidates if c in full_names]
    if len(supported) == 1:
        return by_name[supported[0]]
    if fold(nxt) in _PRESIDENCY_NOUNS:  # "the Calderon administration"
        heads = [c for c in candidates if _holds(by_name[c], "president", None, None, None)]
        if len(heads) == 1:
            return by_name[heads[0]]
    pool = supported or candidates
    if titled:
        office = _role_office(prev.rstrip("."))
        fitting = [c for c in pool if office and _holds(by_name[c], office, None, None, None)]
        if len(fitting) == 1:
            return by_name[fitting[0]]
    if when is not None:
        dated = [
            c
            for c in pool
            if any(r.holds_on(when) or (r.end and abs((r.end - when).days) < 400) for r in by_name[c].roles)
            and (by_name[c].country is None or by_name[c].country in countries)
        ]
        if len(dated) == 1:
            return by_name[dated[0]]
    return None


def _role_mentions(
    body: str, mentions: list[Mention], gaz: Gazetteer, published: PartialDate | None, countries: Counter[str]
) -> list[Mention]:
    """ "the former president", "the Mexican president", "the bishop", "the government"."""
    lex = lexicon()
    by_name = gaz.by_name
    when = _date_of(published)
    out: list[Mention] = []
    taken = [(m.start, m.end) for m in mentions]
    hits = [(m, m.group("role"), m.group("former"), m.group("demonym")) for m in _ROLE_RE.finditer(body)]
    hits += [(m, m.group("role"), m.group("former"), m.group("country")) for m in _PRESIDENT_OF_RE.finditer(body)]
    for m, role, former_word, demonym in sorted(hits, key=lambda h: h[0].start()):
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        office = _role_office(role)
        if office is None:
            continue
        country = None
        if demonym:
            country = lex.demonyms.get(fold(demonym.strip()))
            if country is None and fold(demonym.strip()) not in ("former", "current"):
                country = next((str(c) for c in countries if fold(str(c)) == fold(demonym.strip())), None)
                if country is None:
                    continue
        former = bool(former_word and fold(former_word).startswith(("former", "ex", "outgoing")))
        earlier = [x for x in mentions if x.start < m.start() and x.actor in by_name]
        fitting = [x for x in earlier if _holds(by_name[x.actor], office, country, when, former if when else None)]
        chosen = None
        if fitting and when is None and former:  # undated: the most discussed former holder
            chosen = by_name[Counter(x.actor for x in fitting).most_common(1)[0][0]]
        elif fitting:
            chosen = by_name[fitting[-1].actor]
        if chosen is None and not former and when is not None and country is not None:
            holders = [a for a in gaz.actors if _holds(a, office, country, when, False)]
            if len(holders) == 1:
                chosen = holders[0]
        if chosen is not None:
            out.append(Mention(m.start(), m.end(), m.group(0), chosen.name, chosen.type, "role"))
    for m in _GROUP_NOUN_RE.finditer(body):  # "the group said" -> the last criminal group named
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        groups = [x for x in mentions if x.end <= m.start() and x.type == "criminal_group"]
        if groups:
            g = groups[-1]
            out.append(Mention(m.start(), m.end(), m.group(0), g.actor, g.type, "role"))
    governments = _governments(gaz)
    in_play = CountryInPlay(body, mentions, gaz, _main_country(countries, gaz))
    for m in _GOVT_RE.finditer(body):
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        country = in_play.at(m.start(), among=governments)
        govt = governments.get(country) if country else None
        if govt is not None:
            out.append(Mention(m.start(), m.end(), m.group(0), govt.name, govt.type, "government"))
    return out


class CountryInPlay:
    """The country a passage is about: the last one an actor of the paragraph belongs to
    (within ``_GOVT_LOOKBACK`` characters), else the article's main country."""

    def __init__(self, body: str, mentions: list[Mention], gaz: Gazetteer, main: str | None) -> None:
        self.body, self.by_name, self.main = body, gaz.by_name, main
        self.ordered = sorted(mentions, key=lambda x: x.start)
        self.starts = [x.start for x in self.ordered]

    def at(self, pos: int, among: Container[str] | None = None) -> str | None:
        near = self.ordered[bisect_left(self.starts, max(0, pos - _GOVT_LOOKBACK)) : bisect_left(self.starts, pos)]
        para = self.body.rfind("\n\n", 0, pos)
        local = [_country_of(self.by_name[x.actor]) for x in near if x.start > para and x.actor in self.by_name]
        return next((c for c in reversed(local) if c and (among is None or c in among)), self.main)


def _name_words(phrase: str) -> list[str]:
    return re.findall(r"[\w'’]+", fold(re.sub(r"\(.*?\)", " ", phrase)))


def _institution_key(phrase: str | list[str], country_words: Container[str] = ()) -> str | None:
    """The generic key of an institution's name: "Ecuadorian Ministry of the Interior", "Ministerio
    de Gobernación" and "the Interior Ministry" all give "interior ministry" (``phrase``: the
    name, or its :func:`_name_words`)."""
    lex = lexicon()
    all_words = _name_words(phrase) if isinstance(phrase, str) else phrase
    words = [w for w in all_words if w not in country_words]
    while words and words[0] in _KEY_STOP:
        words.pop(0)
    while words and words[-1] in _KEY_STOP:
        words.pop()
    joined = " ".join(words)
    mapped = lex.institutions.get(joined, joined)
    key = " ".join(sorted(w for w in mapped.split() if w not in _KEY_STOP))
    return key or None


@cache
def _institutions(gaz: Gazetteer) -> dict[tuple[str, str], GazActor]:
    """(country, generic key) -> the state institution of the gazetteer ("Mexican Army")."""
    return derived(
        gaz,
        "institutions",
        lambda: _institution_table(gaz),
        lambda table: {(str(country), str(key)): gaz.by_name[name] for country, key, name in table},
    )


def _institution_table(gaz: Gazetteer) -> list[list[str]]:
    lex = lexicon()
    out: dict[tuple[str, str], str] = {}
    for a in gaz.actors:
        if a.type not in ("government", "organization") or not a.country:
            continue
        country_words = set(fold(a.country).split()) | {d for d, c in lex.demonyms.items() if c == a.country}
        for form in (a.name, *a.aliases):
            words = _name_words(form)
            key = _institution_key(words, country_words)
            if key and key != _institution_key(words):  # the name names the country: "Army of Peru"
                out.setdefault((a.country, key), a.name)
    return [[country, key, name] for (country, key), name in out.items()]


def _institution_mentions(
    body: str, folded: str, mentions: list[Mention], gaz: Gazetteer, in_play: CountryInPlay
) -> tuple[list[Mention], list[Mention]]:
    """Generic institutions ("the army", "el Congreso", a discovered "National Assembly") as the
    institution of the country in play: (mentions to drop, mentions to add)."""
    index = _institutions(gaz)
    known_keys = set(lexicon().institutions.values())
    drop: list[Mention] = []
    add: list[Mention] = []
    for m in mentions:  # discovered bodies without a country in their name
        if m.how != "discovered" or m.type not in ("government", "organization"):
            continue
        key = _institution_key(m.actor)
        country = in_play.at(m.start)
        if key is None or country is None:
            continue
        actor = index.get((country, key))
        if actor is not None:
            drop.append(m)
            add.append(Mention(m.start, m.end, m.text, actor.name, actor.type, "name"))
        elif _institution_key(m.actor) in {" ".join(sorted(k.split())) for k in known_keys}:
            drop.append(m)
            add.append(Mention(m.start, m.end, m.text, f"{m.actor} of {country}", m.type, "discovered"))
    taken = bytearray(len(body) + 1)
    for m in mentions:
        taken[m.start : m.end] = b"\x01" * (m.end - m.start)
    for r in _institution_re().finditer(folded):
        s, e = r.start("name"), r.end("name")
        if any(taken[s:e]) or not (r.group("det") or body[s].isupper()):
            continue
        country = in_play.at(s)
        key = _institution_key(r.group("name"))
        actor = index.get((country, key)) if country and key else None
        if actor is not None:
            add.append(Mention(r.start(), e, body[r.start() : e], actor.name, actor.type, "role"))
    return drop, add


@cache
def _institution_re() -> re.Pattern[str]:
    names = sorted(lexicon().institutions, key=len, reverse=True)
    alt = "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in names if n not in ("military", "police"))
    return re.compile(rf"(?:(?P<det>\b(?:the|el|la|los|las)\s+)|\b)(?P<name>{alt})\b(?!\s+(?:of|de)\s)")


@cache
def _governments(gaz: Gazetteer) -> dict[str, GazActor]:
    """Country -> its government actor ("Mexican government", "Government of Peru")."""
    out: dict[str, GazActor] = {}
    for a in gaz.actors:
        name = fold(a.name)
        if a.type == "government" and a.country and (name.endswith("government") or name.startswith("government of")):
            out.setdefault(a.country, a)
    return out


def _country_of(a: GazActor) -> str | None:
    """A country place stands for itself; other actors for their country."""
    return a.name if a.type == "place" and a.country in (None, a.name) else a.country


def _main_country(countries: Counter[str], gaz: Gazetteer) -> str | None:
    """The country most of the article's known actors belong to (None on a tie)."""
    ranked = countries.most_common()
    if not ranked or (len(ranked) > 1 and ranked[0][1] == ranked[1][1]):
        return None
    return ranked[0][0]


def _cap_run(toks: list[tuple[int, int, str]], i: int, body: str, limit: int = 5) -> int:
    """End index of a run of capitalised name tokens starting at ``i`` (particles allowed inside)."""
    j = i
    while j < len(toks) and j - i < limit:
        word = toks[j][2]
        if j > i and body[toks[j - 1][1] : toks[j][0]] not in (" ", "\u00a0", "-"):  # "Briceño-León"
            nick = _NICKNAME_RE.match(body, toks[j - 1][1])  # Jimmy "Barbecue" Chérizier
            if nick is None:
                break
            k = j
            while k < len(toks) and toks[k][0] < nick.end():
                k += 1
            if k >= len(toks) or not toks[k][2][:1].isupper():
                break
            j, limit = k + 1, limit + (k - j)
            continue
        if (word[:1].isupper() and word not in _STOP_CAPS and not word.isupper()) or (
            j > i and word.lower() in NAME_PARTICLES and j + 1 < len(toks) and toks[j + 1][2][:1].isupper()
        ):
            j += 1
        else:
            break
    while j > i and toks[j - 1][2].lower() in NAME_PARTICLES:
        j -= 1
    return j


def _org_after(body: str, end: int) -> bool:
    """A name is part of an institution's or a place's: "Simón Bolívar University", "José Martí
    Airport", "the port of Lázaro Cárdenas", "la colonia Emiliano Zapata"."""
    nxt = re.match(r"\s+([A-Z][a-z]+)", body[end : end + 30])
    return bool(nxt and (nxt.group(1) in lexicon().org_heads or nxt.group(1) in _PLACE_HEADS))


def _place_before(body: str, start: int) -> bool:
    return bool(_PLACE_BEFORE_RE.search(body, max(0, start - 40), start))


def _discover(body: str, toks: list[tuple[int, int, str]], known: list[Mention]) -> list[Mention]:
    """Actors the gazetteer lacks: a name after a title or role ("spokesman X", "Bishop X"),
    the subject of a reporting verb, or an organisation by its head noun ("X Foundation")."""
    lex = lexicon()
    covered = bytearray(len(body) + 1)
    for m in known:
        covered[m.start : m.end] = b"\x01" * (m.end - m.start)
    title_words = _folded_titles()
    heads = lex.org_heads
    found: list[Mention] = []

    def free(s: int, e: int) -> bool:
        return not any(covered[s:e])

    def claim(m: Mention) -> None:
        found.append(m)
        covered[m.start : m.end] = b"\x01" * (m.end - m.start)

    for i, (s, _e, word) in enumerate(toks):
        if not word[:1].isupper() or word in _STOP_CAPS:
            continue
        if i > 0 and toks[i - 1][0] < s and not free(toks[i][0], toks[i][1]):
            continue
        j = _cap_run(toks, i, body)
        if j - i < 1:
            continue
        last = toks[j - 1][2]
        if last in heads and j - i >= 2:
            start, end = toks[i][0], toks[j - 1][1]
            if free(start, end):
                claim(Mention(start, end, body[start:end], body[start:end], heads[last], "discovered"))
            continue
        k = max((x for x in range(i, j - 1) if fold(toks[x][2].rstrip(".")) in title_words), default=None)
        titled_inside = k is not None
        if k is not None:
            i = k + 1
            while i < j - 1 and toks[i][2].lower() in NAME_PARTICLES:  # "Jefe de Estado", "ministro del Interior"
                i += 1
        if toks[i][2] in _ARTICLES:
            continue
        # "la viceministra de Seguridad Julissa Villanueva": the office's name, then the person's
        office = (
            not titled_inside
            and i >= 2
            and fold(toks[i - 1][2]) in ("de", "del", "of")
            and fold(toks[i - 2][2].rstrip(".")) in title_words
        )
        if office:
            g = next((x for x in range(i + 1, j - 1) if fold(toks[x][2]) in given_names()), None)
            if g is not None:
                i, titled_inside = g, True
        start, end = toks[i][0], toks[j - 1][1]
        name = _NICKNAME_RE.sub(" ", body[start:end])
        if not free(start, end):
            continue
        if j - i < 2:
            continue
        prev = fold(toks[i - 1][2]) if i > 0 else ""
        after = fold(body[end : end + 40])
        titled = titled_inside or (prev in title_words and (i == 0 or body[toks[i - 1][1] : start] in (" ", "\u00a0")))
        reporting = bool(lex.any_reporting.match(after.lstrip(" ,")))
        appositive = bool(
            re.match(
                r",\s+(?:(?:a|an|the)\s+[a-z]|(?:president|director|head|leader|chief|"
                r"spokesman|spokeswoman|mayor|governor|minister|secretary|member|founder|"
                r"coordinator|commander|lawyer|bishop)\b)",
                body[end : end + 20],
            )
            or _ROLE_OF_RE.match(body, end)  # ", executive director of Jamaicans for Justice,"
        )
        given = (
            fold(toks[i][2]) in given_names()
            and toks[j - 1][2] not in _PLACE_HEADS
            and not _org_after(body, end)
            and not _place_before(body, start)
        )
        if fold(toks[i][2]) in _institution_words():  # "El Gobierno Nacional rechaza …": a body, not a person
            if reporting:
                claim(Mention(start, end, body[start:end], name, "government", "discovered"))
            continue
        if titled or reporting or appositive or given:
            claim(Mention(start, end, body[start:end], name, "person", "discovered"))
    # "the Committee of Relatives of the Detained (COFADEH)": a named body and its acronym
    for am in _ACRONYM_RE.finditer(body):
        name, acro = am.group("name"), am.group("acro")
        s0 = am.start("name")
        article = re.match(r"(?:The|El|La|Los|Las)\s+", name)
        if article:  # "El Colectivo Hondureño … (CHJP)": the article is not part of the name
            name, s0 = name[article.end() :], s0 + article.end()
        if not free(s0, am.end()):
            continue
        words = name.split()
        typ = next((heads[w] for w in words if w in heads), "organization")
        full = f"{name} ({acro})"  # the canonical form of a body named with its acronym
        claim(Mention(s0, am.end("name"), name, full, typ, "discovered"))
        claim(Mention(am.start("acro"), am.end("acro"), acro, full, typ, "discovered"))
        for later in re.finditer(rf"\b{re.escape(acro)}\b", body[am.end() :]):
            ls = am.end() + later.start()
            if free(ls, ls + len(acro)):
                claim(Mention(ls, ls + len(acro), acro, full, typ, "discovered"))
    # surnames of the people named in full (known or discovered) later in the document
    named = [m for m in (*known, *found) if m.type == "person" and m.how in ("name", "discovered") and " " in m.text]
    surnames = _surnames(named)
    first_named: dict[str, int] = {}
    for m in named:
        first_named[m.actor] = min(m.start, first_named.get(m.actor, m.start))
    for i, (s, e, word) in enumerate(toks):
        pair = None
        if i + 1 < len(toks) and body[e : toks[i + 1][0]] == " ":  # "Carrasco Vidal" of "Inés Carrasco Vidal"
            pair = surnames.get(f"{word} {toks[i + 1][2]}")
        width = 2 if pair else 1
        person = pair or surnames.get(word)
        end = toks[i + width - 1][1]
        nxt = i + width
        if (
            person is not None
            and free(s, end)
            and not (nxt < len(toks) and toks[nxt][2][:1].isupper() and body[end : toks[nxt][0]] == " ")
            and not (i > 0 and toks[i - 1][2][:1].isupper() and body[toks[i - 1][1] : s] == " ")
            and first_named.get(person[0], s) < s
        ):
            claim(Mention(s, end, body[s:end], person[0], "person", person[1]))
    return found


def _surnames(named: list[Mention]) -> dict[str, tuple[str, str]]:
    """Surname -> (person, how) for the people of one document: the last name, and the first
    surname of a Spanish double surname ("Rocha" of "Rubén Rocha Moya"). Two people who share
    a surname: it stands for the one named in full more often (the first named on a tie)."""
    owners: dict[str, Counter[str]] = {}
    how: dict[str, str] = {}
    for m in named:
        words = [w for w in m.actor.split() if w[:1].isupper() and w.lower() not in NAME_PARTICLES]
        forms = {words[-1], *([words[-2], " ".join(words[-2:])] if len(words) >= 3 else [])}
        for w in forms if len(words) >= 2 else ():
            owners.setdefault(w, Counter())[m.actor] += 1
            how[m.actor] = "short" if m.how == "name" else "discovered"
    out = {}
    for w, counts in owners.items():
        person = counts.most_common(1)[0][0]  # most_common is stable: the first named wins a tie
        out[w] = (person, how[person])
    return out


@cache
def _institution_words() -> frozenset[str]:
    """First words of a state institution's generic name ("gobierno", "ministry", "policia")."""
    return frozenset(fold(k.split()[0]) for k in lexicon().institutions) - {"the"}


@cache
def _folded_titles() -> frozenset[str]:
    return frozenset(fold(t.rstrip(".")) for t in lexicon().titles)


@lru_cache(maxsize=4096)
def is_female(name: str) -> bool:
    """A guess from the first given name, for "she" (Spanish, Portuguese, Italian names end in
    -a; a short list covers common others). Unknown names count as not female."""
    first = fold(name).split()[0] if name.strip() else ""
    return first in _female_names() or (first.endswith("a") and first not in _MALE_IN_A and len(first) > 2)


_MALE_IN_A = frozenset("luca joshua garcia costa sousa silva moura borja ezra elia nicola andrea akira".split())


@cache
def _female_names() -> frozenset[str]:
    return frozenset(
        """carmen isabel raquel marisol ruth mercedes luz rosario michelle anne ann alice hillary janet christine
        beatriz beatrice claire marie ines ingrid miriam esther pilar soledad consuelo milagros belen nancy karen
        helen ellen elizabeth margaret catherine kathleen susan sharon jennifer megan rachel sarah deborah judith
        dilma xiomara nayeli iris yolanda maribel rocio abigail evelyn caroline""".split()
    )


@lru_cache(maxsize=4096)
def _title_key(word: str) -> str | None:
    return lexicon().title_refs.get(fold(word))


def _references(body: str, mentions: list[Mention]) -> list[Mention]:
    """Title-only and head-noun references to actors the article has introduced: "the
    minister", "el mandatario", "la directora" stand for the last person introduced with
    that title ("Security Minister Mario Zamora", "X, the country's security minister,");
    "the Forum", "el Colectivo" for the last organisation whose name has that head noun."""
    titles: list[tuple[int, str, Mention]] = []  # position, title key, person
    heads: list[tuple[int, str, Mention]] = []
    for m in sorted(mentions, key=lambda m: m.start):
        if m.type == "person":
            before = body[max(0, m.start - 80) : m.start]
            before = re.split(r"[.;!?]\s|\n", before)[-1]
            words = _titles_before(before)
            after = _APPOSITIVE_RE.match(body, m.end)
            if after:
                words += _REF_WORD_RE.findall(after.group(1))[:5]
            for w in words:
                key = _title_key(w)
                if key:
                    titles.append((m.start, key, m))
        elif m.type in ("organization", "government", "criminal_group") and " " in m.actor:
            for w in _name_heads(m.actor):
                heads.append((m.start, w, m))
    if not titles and not heads:
        return []
    by_title: dict[str, list[tuple[int, Mention]]] = {}
    for pos, key, person in titles:
        by_title.setdefault(key, []).append((pos, person))
    by_head: dict[str, list[tuple[int, Mention]]] = {}
    for pos, head, org in heads:
        by_head.setdefault(head, []).append((pos, org))
    taken = bytearray(len(body) + 1)
    for m in mentions:
        taken[m.start : m.end] = b"\x01" * (m.end - m.start)
    out: list[Mention] = []
    for r in _TITLE_REF_RE.finditer(body):
        key = _title_key(r.group("title"))
        if key is None or key not in by_title or any(taken[r.start() : r.end()]) or _TITLE_OF_RE.match(body, r.end()):
            continue
        if re.search(r"\w\s*,\s*$", body[max(0, r.start() - 3) : r.start()]) and _follows_person(body, mentions, r):
            continue  # "Rodrigo Arias, the president of …": an appositive, not a reference
        if _NAMED_AFTER_RE.match(body, r.end()) and _person_at(mentions, _NAMED_AFTER_RE.match(body, r.end())):
            continue  # "la directora ejecutiva del Colectivo, Marcela Turcios": the title of a name that follows
        feminine = fold(r.group("title")).endswith("a") and fold(r.group("title")) not in ("analista", "activista")
        fitting = _last_before(by_title.get(key, []), r.start(), _a_woman if feminine else _anyone)
        if fitting is not None:
            p = fitting
            out.append(Mention(r.start(), r.end(), r.group(0), p.actor, p.type, "role"))
    for r in _HEAD_REF_RE.finditer(body):
        if r.group("head") not in by_head or any(taken[r.start() : r.end()]):
            continue
        fitting_org = _last_before(by_head.get(r.group("head"), []), r.start(), _anyone)
        if fitting_org is not None:
            o = fitting_org
            out.append(Mention(r.start(), r.end(), r.group(0), o.actor, o.type, "role"))
    return out


def _anyone(_m: Mention) -> bool:
    return True


def _a_woman(m: Mention) -> bool:
    return is_female(m.actor)


def _last_before(candidates: list[tuple[int, Mention]], pos: int, ok: Callable[[Mention], bool]) -> Mention | None:
    """The last of ``candidates`` (in text order) introduced before ``pos`` that is ``ok``."""
    i = bisect_left(candidates, pos, key=lambda c: c[0])
    return next((m for _p, m in reversed(candidates[:i]) if ok(m)), None)


def _titles_before(before: str) -> list[str]:
    """Title words that introduce the name right after ``before``: "Security Minister [X]",
    "the bishop of Chilpancingo, [X]", "La ministra de Seguridad de la Nación, [X]"."""
    out = []
    for t in _REF_WORD_RE.finditer(before):
        if _title_key(t.group(0)) is None:
            continue
        gap = before[t.end() :]
        if _TITLE_GAP_RE.match(gap):
            out.append(t.group(0))
    return out


def _person_at(mentions: list[Mention], m: re.Match[str] | None) -> bool:
    return m is not None and any(x.start == m.end() and x.type == "person" for x in mentions)


def _follows_person(body: str, mentions: list[Mention], r: re.Match[str]) -> bool:
    cut = body.rfind(",", 0, r.start())
    return any(m.type == "person" and 0 <= cut - m.end <= 1 for m in mentions)


def _name_heads(name: str) -> list[str]:
    """Head nouns of an organisation's name: "Colectivo Hondureño por la Justicia" -> Colectivo;
    "Mexican Forum for Democratic Security (FOMESED)" -> Forum."""
    words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", name) if w[:1].isupper()]
    out = []
    if words and words[0] not in _ARTICLES:
        out.append(words[0])
    m = re.search(r"([A-Z][\w'’-]+)\s+(?:of|for|on|against|de|del|por|para)\b", name)
    if m:
        out.append(m.group(1))
    return [w for w in out if w.lower() not in NAME_PARTICLES and len(w) > 3 and not w.isupper()]


def doc_actors(mentions: Iterable[Mention], gaz: Gazetteer) -> tuple[DocActor, ...]:
    """Mentions grouped by actor: surface forms in order of first use and counts."""
    forms: dict[str, list[str]] = {}
    counts: Counter[str] = Counter()
    types: dict[str, str] = {}
    discovered: dict[str, bool] = {}
    for m in mentions:
        forms.setdefault(m.actor, [])
        if m.text not in forms[m.actor]:
            forms[m.actor].append(m.text)
        counts[m.actor] += 1
        types[m.actor] = m.type
        discovered[m.actor] = m.how == "discovered"
    out = []
    for name in forms:
        known = gaz.by_name.get(name)
        aliases = (known.aliases + known.short) if known else ()
        out.append(DocActor(name, types[name], tuple(forms[name]), counts[name], discovered[name], aliases))
    return tuple(out)
