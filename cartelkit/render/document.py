"""The document view of ``show``: the contract's JSON object (DESIGN.md) and the readable page."""

from __future__ import annotations

from dataclasses import asdict
from typing import IO, Any

from cartelkit.model import Document
from cartelkit.textutil import printable


def document_view(doc: Document) -> dict[str, Any]:
    """``show --format json``: the contract's fields first, then extras."""
    return {
        "doc_id": doc.doc_id,
        "title": doc.title,
        "published": doc.published,
        "author": doc.author,
        "source": doc.source,
        "section": doc.section,
        "language": doc.language,
        "body": doc.body,
        "removed": list(doc.removed),
        "actors": [
            {"name": a.name, "type": a.type, "mentions": list(a.mentions), "count": a.count, "discovered": a.discovered}
            for a in doc.actors
        ],
        "statements": [asdict(s) for s in doc.statements],
        "events": [asdict(e) for e in doc.events],
        "date_precision": doc.date_precision,
        "url": doc.url,
        "file": doc.file,
        "encoding": doc.encoding,
        "warnings": list(doc.warnings),
        "metadata_from": doc.meta_sources,
        "format": doc.format,
        "dropped": list(doc.dropped),
    }


def print_document(view: dict[str, Any], out: IO[str], is_tty: bool) -> None:
    """A readable page: metadata, body, annotations, removed lines."""

    def line(text: str = "") -> None:
        out.write(printable(text) + "\n")

    title = printable(view["title"] or "(untitled)", one_line=True)
    line(title)
    line("=" * min(79, len(title)))
    for key in ("doc_id", "published", "author", "source", "section", "language", "file", "format"):
        value = printable(str(view[key]), one_line=True) if view[key] is not None else "-"
        line(f"{key:>10}: {value}")
    for w in view["warnings"]:
        line(f"{'warning':>10}: {w}")
    line()
    line(view["body"])
    if view["actors"]:
        line()
        line(f"Actors ({len(view['actors'])})")
        for a in view["actors"]:
            line(f"  {a['name']} [{a['type']}{', discovered' if a['discovered'] else ''}]: {', '.join(a['mentions'])}")
    if view["statements"]:
        line()
        line(f"Statements ({len(view['statements'])})")
        for s in view["statements"]:
            line(f"  {s['date'] or '-':10} {s['speaker']}: {s['stance']} {s['topic']} — {s['evidence']}")
    if view["events"]:
        line()
        line(f"Events ({len(view['events'])})")
        for e in view["events"]:
            line(f"  {e['date'] or '-':10} {e['actor']}: {e['evidence']}")
    if view["format"] == "html":
        line()
        line(f"Dropped by HTML extraction ({len(view['dropped'])} lines)")
        for r in view["dropped"]:
            line(f"  - {r}")
    line()
    line(f"Removed by cleaning ({len(view['removed'])} lines)")
    for r in view["removed"]:
        line(f"  - {r}")
