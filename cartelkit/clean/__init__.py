"""Stage 1, clean: a raw scraped page -> :class:`~cartelkit.model.Document` (no annotations yet).

:func:`clean_document` is in :mod:`cartelkit.clean.document`; the package itself imports
nothing heavy, so the builder reads sidecars and sizes files without loading the cleaner
(its workers do the cleaning).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from cartelkit.clean.decode import MAX_BYTES
from cartelkit.clean.html import MAX_HTML_BYTES, is_html
from cartelkit.errors import InputFileError
from cartelkit.model import PartialDate

if TYPE_CHECKING:
    from cartelkit.clean.document import clean_document

__all__ = ["SIDECAR_FIELDS", "clean_document", "max_bytes_for", "parse_sidecar"]


def __getattr__(name: str) -> Any:
    if name == "clean_document":
        from cartelkit.clean import document

        return document.clean_document
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


SIDECAR_FIELDS = ("title", "published", "author", "source", "url", "section", "language")


def parse_sidecar(data: bytes, name: str) -> dict[str, str | None]:
    """Validate a ``<name>.meta.json`` sidecar: an object of known string fields."""
    try:
        obj = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputFileError(f"{name}: not valid JSON ({exc})", "fix or remove the sidecar file") from exc
    except RecursionError as exc:  # "[[[[…" thousands deep
        raise InputFileError(f"{name}: nested too deeply to be a sidecar", "fix or remove the sidecar file") from exc
    if not isinstance(obj, dict):
        raise InputFileError(f"{name}: must hold a JSON object", "fix or remove the sidecar file")
    out: dict[str, str | None] = {}
    for key, value in obj.items():
        if key not in SIDECAR_FIELDS:
            continue
        if value is not None and not isinstance(value, str):
            raise InputFileError(f"{name}: field {key!r} must be a string or null", "fix the sidecar file")
        if key == "published" and value:
            try:
                PartialDate.from_iso(value)
            except ValueError as exc:
                raise InputFileError(
                    f"{name}: published {value!r} is not YYYY, YYYY-MM or YYYY-MM-DD", "fix the sidecar file"
                ) from exc
        out[key] = value
    return out


def max_bytes_for(file_name: str) -> int:
    """The largest raw page cartelkit reads: HTML pages carry scripts and styles."""
    return MAX_HTML_BYTES if is_html(file_name, "") else MAX_BYTES
