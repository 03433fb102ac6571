"""Packaged data files (lexicons, gazetteer, cleaning cues) and their loaders."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any


@cache
def load_toml(name: str) -> dict[str, Any]:
    """Load a packaged TOML data file by name (cached for the process)."""
    with resources.files(__package__).joinpath(name).open("rb") as fh:
        return tomllib.load(fh)


@cache
def given_names() -> frozenset[str]:
    """Common given names of the region (``given_names.txt``), lower-cased and accent-free,
    for telling a person's name from other capitalised words."""
    from cartelkit.textutil import fold

    text = resources.files(__package__).joinpath("given_names.txt").read_text("utf-8")
    return frozenset(fold(line) for line in text.splitlines() if line.strip() and not line.startswith("#"))


@dataclass(frozen=True)
class Language:
    """One language of ``languages.toml``: how to recognise it and how to search it."""

    code: str
    name: str
    stemmer: str  # a Snowball stemmer name known to whoosh.lang
    function_words: frozenset[str]  # folded
    stop_words: frozenset[str]  # as written and folded ("según", "segun")
    restore_suffixes: tuple[tuple[str, str], ...]  # ("cion", "ción"): an unaccented query word's ending


@cache
def languages() -> tuple[Language, ...]:
    """The languages cartelkit tells apart and searches (English first: the default)."""
    from cartelkit.textutil import fold

    out = []
    for code, table in load_toml("languages.toml").items():
        out.append(
            Language(
                code,
                str(table["name"]),
                str(table["stemmer"]),
                frozenset(fold(w) for w in table["function_words"]),
                frozenset(w.lower() for w in table["stop_words"]) | frozenset(fold(w) for w in table["stop_words"]),
                tuple((str(k), str(v)) for k, v in table.get("restore_suffixes", {}).items()),
            )
        )
    out.sort(key=lambda lang: lang.code != "en")
    return tuple(out)
