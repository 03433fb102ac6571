"""Packaged data files (lexicons, gazetteer, cleaning cues) and their loaders."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from cartelkit.fsutil import cached_json

_HERE = Path(__file__).resolve().parent


@cache
def load_toml(name: str) -> dict[str, Any]:
    """A packaged TOML data file by name, with dates as ISO strings (cached for the process).

    Parsing the 400 KB gazetteer costs a tenth of a second, paid again by every process that
    annotates (``cartelkit add`` of one article among them); so the parsed data is kept as
    JSON in this user's cache folder, under the digest of the file's bytes (an edited or
    upgraded file is parsed afresh; an unwritable or damaged cache is only slower)."""
    data = data_bytes(name)

    def parse() -> Any:
        import tomllib  # only when the cache misses (12 ms of a query's start-up otherwise)

        return json.loads(json.dumps(tomllib.loads(data.decode("utf-8")), default=_iso))

    return cached_json(f"data-{name.replace('.', '-')}", hashlib.sha256(data).hexdigest()[:32], parse, _mapping)


def _mapping(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise TypeError("not a table")
    return value


@cache
def data_bytes(name: str) -> bytes:
    """A packaged data file's bytes (beside this module: importlib.resources costs a query 4 ms)."""
    return (_HERE / name).read_bytes()


def _iso(value: Any) -> str:
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} in a data file")


@cache
def given_names() -> frozenset[str]:
    """Common given names of the region (``given_names.txt``), lower-cased and accent-free,
    for telling a person's name from other capitalised words."""
    from cartelkit.textutil import fold

    text = data_bytes("given_names.txt").decode("utf-8")
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
