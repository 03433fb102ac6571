"""Stage 2, annotate: actors, sentences, attributed statements with stance, dated events."""

from __future__ import annotations

from pathlib import Path

from cartelkit.model import Document


def annotate_document(doc: Document, user_actors: Path | None = None) -> Document:
    """Return ``doc`` with its actors, statements and events filled in."""
    return doc
