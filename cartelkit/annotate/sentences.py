"""Sentence splitting with character spans into the body.

Rules (no model): a sentence ends at ``.``, ``!`` or ``?`` (and a closing quote or
bracket after it) followed by space and an upper-case letter, a digit or an opening
quote — unless the word before is a known abbreviation ("U.S.", "Gen.", "Sept.", "Mr.")
or a single initial; a quotation that is still open does not end (so a quote spanning
several sentences stays with its attribution), up to a bound; paragraphs always end.
"""

from __future__ import annotations

import re

from cartelkit.model import Sentence

ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof gen lt col sgt capt adm cmdr gov sen rep rev fr st jr sr mt ft no vs etc inc corp co
    ltd dept univ approx est jan feb mar apr jun jul aug sep sept oct nov dec u.s u.n u.k e.g i.e a.m p.m
    sra sr dra lic ing pres atty supt insp cpl pvt det""".split()
)
MAX_QUOTE_CHARS = 900
_END_RE = re.compile(r"(?<![.!?…])[.!?…]++[\"”’»')\]]*+(?=\s+[\"“‘«'(\[]?[A-ZÁÉÍÓÚÑ0-9¿¡])")
_OPEN = "“"
_CLOSE = "”"


def _quote_open(text: str) -> bool:
    """Whether a quotation opened in ``text`` (“…”, «…» or "…") is still open at its end."""
    if text.count(_OPEN) > text.count(_CLOSE) or text.count("«") > text.count("»"):
        return True
    return text.count('"') % 2 == 1


_LAST_WORD_RE = re.compile(r"([\w.]+)\.$")
_INITIALS_RE = re.compile(r"(?:\w\.)+\w")  # U.S, e.g, a.m


def _abbreviation_before(text: str, end: int) -> bool:
    m = _LAST_WORD_RE.search(text[max(0, end - 40) : end + 1])
    if not m:
        return False
    word = m.group(1).lower()
    if word in ABBREVIATIONS or len(word) == 1:
        return True
    return bool(_INITIALS_RE.fullmatch(word))


def split_paragraph(text: str, offset: int) -> list[Sentence]:
    out: list[Sentence] = []
    start = 0
    for m in _END_RE.finditer(text):
        end = m.end()
        dot = m.start()
        if text[dot] == "." and _abbreviation_before(text, dot):
            continue
        piece = text[start:end]
        if _quote_open(piece) and len(piece) < MAX_QUOTE_CHARS:
            continue
        out.append(Sentence(offset + start, offset + end, piece))
        start = end
        while start < len(text) and text[start].isspace():
            start += 1
    if start < len(text.rstrip()):
        piece = text[start:].rstrip()
        out.append(Sentence(offset + start, offset + start + len(piece), piece))
    return out


def split_sentences(body: str) -> list[Sentence]:
    """Every sentence of ``body`` with its ``[start, end)`` span (``body[start:end] == text``)."""
    sentences: list[Sentence] = []
    pos = 0
    for para in body.split("\n\n"):
        lead = len(para) - len(para.lstrip())
        if para.strip():
            sentences.extend(split_paragraph(para.strip(), pos + lead))
        pos += len(para) + 2
    return sentences
