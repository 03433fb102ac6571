"""Raw bytes -> text: refuse what is not an article, decode what is, normalise line ends.

Each step is a small ``str -> str`` (or bytes) function, tested alone.
"""

from __future__ import annotations

import re

from cartelkit.errors import InputFileError

MAX_BYTES = 10 * 1024 * 1024
_FALLBACK_ENCODINGS = ("cp1252", "latin-1")
# Zero-width and bidi control characters carry no text; they break matching. (A regex, not
# str.translate: a translation table looks every character up, ten times slower.)
_INVISIBLE_RE = re.compile(
    "[\u200b\u200c\u200d\u2060\ufeff\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069]"
)


def check_bytes(data: bytes, name: str, max_bytes: int = MAX_BYTES) -> None:
    """Raise :class:`InputFileError` for empty, oversized or binary input."""
    if not data.strip():
        raise InputFileError(f"{name}: the file is empty", "add a file that holds an article's text")
    if len(data) > max_bytes:
        raise InputFileError(
            f"{name}: the file is {len(data) / 1_048_576:.1f} MB, over the {max_bytes // 1_048_576} MB limit",
            "split it into one file per article",
        )
    sample = data[:8192]
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return  # UTF-16 with a byte-order mark: NULs are part of the encoding
    nuls = sample.count(b"\x00")
    if nuls > max(4, len(sample) // 100):
        raise InputFileError(f"{name}: the file looks binary (it holds NUL bytes)", "convert it to plain text first")
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    if controls > max(8, len(sample) // 50):
        raise InputFileError(f"{name}: the file looks binary", "convert it to plain text first")


def decode(data: bytes, name: str = "input") -> tuple[str, str]:
    """Decode bytes as UTF-8 (BOM or not, or UTF-16 with a BOM); fall back to cp1252/latin-1.

    Returns ``(text, encoding)``; the caller reports a non-UTF-8 encoding as a warning.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise InputFileError(f"{name}: invalid UTF-16", "re-save the file as UTF-8") from exc
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    for enc in _FALLBACK_ENCODINGS:
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            continue
    raise InputFileError(f"{name}: cannot decode the text", "re-save the file as UTF-8")  # pragma: no cover


_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f]")


def normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")


def strip_invisible(text: str) -> str:
    """Drop zero-width/bidi controls and NULs; turn other C0 controls (but tab/newline) into spaces."""
    text = text if text.isascii() else _INVISIBLE_RE.sub("", text)
    if _CONTROL_RE.search(text):
        text = _CONTROL_RE.sub(lambda m: "" if m.group(0) == "\x00" else " ", text)
    return text


def to_text(data: bytes, name: str = "input", max_bytes: int = MAX_BYTES) -> tuple[str, str]:
    """The whole raw-to-text chain: checks, decoding, newline and invisible-character clean-up."""
    check_bytes(data, name, max_bytes)
    text, encoding = decode(data, name)
    text = strip_invisible(normalize_newlines(text))
    if not text.strip():
        raise InputFileError(f"{name}: the file holds no visible text", "add a file that holds an article's text")
    return text, encoding
