"""Stage 2, annotate: actors, sentences, attributed statements with stance, dated events.

:func:`annotate_document` (in :mod:`cartelkit.annotate.document`) runs, per document:
sentence splitting, actor mentions, then one pass over the sentences that keeps the
narrative state — the last anchored date (for "two months later", and for past-tense
sentences without a date of their own), the last person in subject position (for "he
said") and the last quote's speaker (for a quote that runs over several sentences). A
heading ends a section: the narrative date resets, and a heading such as "Analysis"
starts the publication's own voice.

The package itself imports nothing heavy: a query that only needs the gazetteer
(``cartelkit.annotate.gazetteer``) does not load the annotators.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cartelkit.annotate.document import MAX_ANNOTATED_CHARS, annotate_document

__all__ = ["MAX_ANNOTATED_CHARS", "annotate_document"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from cartelkit.annotate import document

        return getattr(document, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
