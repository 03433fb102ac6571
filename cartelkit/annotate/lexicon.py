"""The annotators' lexicons (``data/lexicon.toml``) compiled to matchers, loaded once."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from cartelkit.data import load_toml
from cartelkit.textutil import fold


def phrase_pattern(phrases: list[str]) -> re.Pattern[str]:
    """One regex over folded text for a list of phrases; ``*`` ends a word prefix."""
    parts = []
    for p in sorted({fold(p) for p in phrases}, key=len, reverse=True):
        star = p.endswith("*")
        body = re.escape(p.rstrip("*")).replace(r"\ ", r"\s+")
        parts.append(body + (r"[\w'-]*" if star else ""))
    return re.compile(r"(?<![\w'])(?:" + "|".join(parts) + r")(?![\w])")


@dataclass(frozen=True)
class Topic:
    name: str
    strong: re.Pattern[str]
    weak: re.Pattern[str]


@dataclass(frozen=True, eq=False)
class Lexicon:
    topics: tuple[Topic, ...]
    criminal_context: re.Pattern[str]
    neutral_verbs: re.Pattern[str]
    claim_verbs: re.Pattern[str]
    advocacy_verbs: re.Pattern[str]
    rejection_verbs: re.Pattern[str]
    support: re.Pattern[str]
    oppose: re.Pattern[str]
    undo: re.Pattern[str]
    promise: re.Pattern[str]
    enacting: re.Pattern[str]
    slogans: re.Pattern[str]
    anaphora: re.Pattern[str]
    negators: re.Pattern[str]
    titles: tuple[str, ...]
    roles: dict[str, str]
    demonyms: dict[str, str]
    org_heads: dict[str, str]
    any_reporting: re.Pattern[str]
    institutions: dict[str, str]  # folded generic name -> key ("ejercito" -> "army")
    title_refs: dict[str, str]  # folded title word -> office key ("mandatario" -> "president")


@cache
def lexicon() -> Lexicon:
    data = load_toml("lexicon.toml")
    topics = tuple(
        Topic(name, phrase_pattern(spec["strong"]), phrase_pattern(spec["weak"]))
        for name, spec in data["topics"].items()
        if isinstance(spec, dict)
    )
    rep = data["reporting"]
    heads = {w: typ for typ, words in data["actors"]["org_heads"].items() for w in words}
    return Lexicon(
        topics=topics,
        criminal_context=phrase_pattern(data["context"]["criminal"]),
        neutral_verbs=phrase_pattern(rep["neutral"]),
        claim_verbs=phrase_pattern(rep["claim"]),
        advocacy_verbs=phrase_pattern(rep["advocacy"]),
        rejection_verbs=phrase_pattern(rep["rejection"]),
        support=phrase_pattern(data["stance"]["support"]),
        oppose=phrase_pattern(data["stance"]["oppose"]),
        undo=phrase_pattern(data["stance"]["undo"]),
        promise=phrase_pattern(data["stance"]["promise"]),
        enacting=phrase_pattern(data["stance"]["enacting"]),
        slogans=phrase_pattern(data["stance"]["slogans"]),
        anaphora=phrase_pattern(data["context"]["anaphora"]),
        negators=phrase_pattern(data["stance"]["negators"]),
        titles=tuple(data["actors"]["titles"]),
        roles={fold(k): v for k, v in data["actors"]["roles"].items()},
        demonyms={fold(k): v for k, v in data["actors"]["demonyms"].items()},
        org_heads=heads,
        any_reporting=phrase_pattern(rep["neutral"] + rep["claim"] + rep["advocacy"] + rep["rejection"]),
        institutions={fold(k): v for k, v in data["actors"]["institutions"].items()},
        title_refs={fold(w): key for key, ws in data["actors"]["title_refs"].items() for w in ws},
    )
