"""cartelkit: cite-able answers from scraped articles on states, cartels and gangs.

The library is layered like the data flow: ``clean`` (raw page -> Document),
``annotate`` (actors, sentences, statements, events), ``index`` (the typed store: words in
Whoosh, facts in SQLite), ``query`` (search, timeline, stance) and ``render``
(table/json/ndjson/csv/markdown). The Python API::

    import cartelkit
    ws = cartelkit.open("corpus")
    rows = ws.stance("negotiation", actor="Fox")
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cartelkit.query import Notify, Workspace

from cartelkit.version import PIPELINE_VERSION, __version__

__all__ = ["PIPELINE_VERSION", "__version__", "open"]


def open(
    corpus: str | os.PathLike[str] = "corpus",
    index: str | os.PathLike[str] | None = None,
    *,
    notify: Notify | None = None,
    progress: Any = None,
) -> Workspace:
    """A corpus folder (``raw/`` inside) and its index (default: ``index/`` beside the corpus
    folder), built on first use when missing or older than the corpus, like the command line.
    ``notify`` receives the messages the command line prints on stderr ("building the
    index…"); ``progress(stage, done, total)`` follows a build."""
    from cartelkit.query import Workspace

    corpus_dir = Path(corpus)
    index_dir = Path(index) if index is not None else corpus_dir.resolve().parent / "index"
    ws = Workspace.at(corpus_dir, index_dir, notify=notify or (lambda _m: None))

    def builder(rebuild: bool = False, workers: int | None = None) -> Any:
        from cartelkit.pipeline import build  # cleaning and annotation load only for a build

        return build(ws.corpus, ws.index, rebuild=rebuild, progress=progress, workers=workers)

    ws.builder = builder
    return ws
