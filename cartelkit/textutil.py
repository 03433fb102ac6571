"""Small text helpers shared by every layer (no third-party imports)."""

from __future__ import annotations

import contextlib
import gc
import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from typing import TypeVar

T = TypeVar("T")

_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "`": "'",
        "\u00b4": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2033": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u00a0": " ",
    }
)
_SPACE_RE = re.compile(r"\s+")
# A quotation in double quotes, curly or straight (bounded: linear on unbalanced marks).
QUOTATION_RE = re.compile(r"“[^”]{3,3000}”|\"[^\"]{3,3000}\"|«[^»]{3,3000}»")


def _accent_table() -> dict[int, str]:
    """Latin letters with diacritics -> their base letter (one character each)."""
    table: dict[int, str] = {}
    for cp in range(0xC0, 0x250):
        ch = chr(cp)
        base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
        if len(base) == 1 and base != ch:
            table[cp] = base
    return table


_ACCENTS = _accent_table()


_ACCENT_CHARS = {chr(cp): base for cp, base in _ACCENTS.items()}
_ACCENT_RE = re.compile("[" + re.escape("".join(sorted(_ACCENT_CHARS))) + "]")
_QUOTE_CHARS = {chr(cp): str(to) for cp, to in _QUOTES.items()}
_QUOTE_RE = re.compile("[" + re.escape("".join(sorted(_QUOTE_CHARS))) + "]")
# str.translate with a table looks every character up once the text is not ASCII (1 ms for a
# 5 KB article); a regex finds the few characters to replace at C speed (ten times faster)


def strip_accents(text: str) -> str:
    """``Calderón`` -> ``Calderon``; one character in, one character out."""
    return text if text.isascii() else _ACCENT_RE.sub(_accent_of, text)


def _accent_of(m: re.Match[str]) -> str:
    return _ACCENT_CHARS[m.group()]


def _quote_of(m: re.Match[str]) -> str:
    return _QUOTE_CHARS[m.group()]


def _plain_quotes(text: str) -> str:
    """Typographic quotes, dashes and no-break spaces as their ASCII forms (``_QUOTES``)."""
    return _QUOTE_RE.sub(_quote_of, text)  # not skipped for ASCII text: "`" is one of them


def fold(text: str) -> str:
    """Case-, accent- and quote-insensitive form with single spaces: for comparing text.

    Memoised up to a paragraph's length: a page's lines, paragraphs and words are folded again
    by each step of the cleaner and the annotators (700 calls per article, most of them repeats)."""
    if len(text) <= _FOLD_CACHED_CHARS:
        return _fold_cached(text)
    return _fold(text)


def _fold(text: str) -> str:
    return _SPACE_RE.sub(" ", strip_accents(_plain_quotes(text)).lower()).strip()


_FOLD_CACHED_CHARS = 2_000
# keys and values: at most 16 M characters (16 to 64 MB) held, 2 to 4 MB typically
_fold_cached = lru_cache(maxsize=4_096)(_fold)


def fold_keep_length(text: str) -> str:
    """Like :func:`fold` but keeps every character's position (for matching with offsets)."""
    if len(text) <= _CACHED_LENGTH:  # sentences are folded again by each annotator
        return _fold_keep_length_cached(text)
    return _fold_keep_length(text)


def _fold_keep_length(text: str) -> str:
    folded = strip_accents(_plain_quotes(text)).lower()
    return folded if len(folded) == len(text) else text.lower()


_CACHED_LENGTH = 200_000  # a whole sentence, folded once for all its cues
_fold_keep_length_cached = lru_cache(maxsize=64)(_fold_keep_length)


def line_key(text: str) -> int:
    """A 64-bit fingerprint of a line's folded text (for counting recurring lines)."""
    return int.from_bytes(hashlib.blake2b(fold(text).encode("utf-8"), digest_size=8).digest(), "big")


# C0 and C1 control characters but tab and newline (an ESC starts a terminal escape sequence)
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str, one_line: bool = False) -> str:
    """Text safe to write to a terminal: control characters dropped (no escape sequences
    from a page or a sidecar reach the screen); with ``one_line``, line breaks become spaces."""
    text = _CONTROL_RE.sub("", text)
    return " ".join(text.split()) if one_line else text


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def leftmost_longest(items: Iterable[T], span: Callable[[T], tuple[int, int]]) -> list[T]:
    """Matches that do not overlap, in text order: at each place the longest wins, and a
    match that starts inside a kept one is dropped."""
    out: list[T] = []
    last = -1
    for item in sorted(items, key=lambda it: (span(it)[0], span(it)[0] - span(it)[1])):
        start, end = span(item)
        if start >= last:
            out.append(item)
            last = end
    return out


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """No cycle collection while a large structure of acyclic objects is built (each pass would
    walk every object made so far: a third of the time of loading 20,000 files' records)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
