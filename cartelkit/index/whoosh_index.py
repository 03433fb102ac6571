"""The only module that imports whoosh (the ``whoosh3`` distribution, pinned in pyproject).

Record kinds share one schema: ``article`` (title, body, metadata, actor keys),
``statement`` (speaker, topic, stance, evidence) and ``event`` (actor, evidence).
Dates are integers ``YYYYMMDD`` (missing parts 00) for fast numeric ranges.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from whoosh import fields, index, qparser, query
from whoosh.analysis import CharsetFilter, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.highlight import ContextFragmenter, Formatter, get_text
from whoosh.support.charset import accent_map

from cartelkit.errors import IndexStateError, QueryError
from cartelkit.model import Document, Hit, PartialDate, StanceRow, TimelineEntry
from cartelkit.textutil import fold

HIGHLIGHT_OPEN, HIGHLIGHT_CLOSE = "**", "**"


def _analyzer() -> Any:
    return (
        RegexTokenizer(r"\w+(?:[.'’]\w+)*")
        | LowercaseFilter()
        | CharsetFilter(accent_map)
        | StopFilter()
        | StemFilter(lang="en", cachesize=100_000)
    )


def make_schema() -> fields.Schema:
    ana = _analyzer()
    return fields.Schema(
        kind=fields.ID(stored=True),
        doc_id=fields.ID(stored=True, unique=False),
        title=fields.TEXT(analyzer=ana, stored=True, field_boost=2.0),
        body=fields.TEXT(analyzer=ana, stored=True, spelling=True),
        date=fields.NUMERIC(int, bits=32, stored=True, signed=False),
        meta=fields.STORED(),  # JSON of the remaining stored values
        source=fields.ID(),  # folded source name
        actors=fields.KEYWORD(commas=True, scorable=False),  # folded actor names (articles)
        actor=fields.ID(),  # folded actor/speaker (statements, events)
        topic=fields.ID(),
        stance=fields.ID(),
    )


def create(path: Path) -> Any:
    return index.create_in(str(path), make_schema())


def open_generation(path: Path) -> Any:
    try:
        ix = index.open_dir(str(path))
        ix.doc_count()  # touches the TOC and segments
        return ix
    except Exception as exc:  # whoosh raises many types on damaged files
        raise IndexStateError(
            f"the index in {path} is damaged ({type(exc).__name__})", "run `cartelkit build --rebuild`"
        ) from exc


def _date_int(iso: str | None) -> int | None:
    return PartialDate.from_iso(iso).sort_key if iso else None


def records(doc: Document) -> Iterable[dict[str, Any]]:
    """The index records of one document: its article, statements and events."""
    base_meta = {"title": doc.title, "published": doc.published, "author": doc.author, "source": doc.source}
    article: dict[str, Any] = {
        "kind": "article",
        "doc_id": doc.doc_id,
        "title": doc.title or "",
        "body": doc.body,
        "meta": json.dumps(
            {
                **base_meta,
                "section": doc.section,
                "language": doc.language,
                "actors": [
                    [a.name, a.type, len(a.mentions), a.count, a.discovered, list(a.mentions)] for a in doc.actors
                ],
            },
            ensure_ascii=False,
        ),
        "source": fold(doc.source) if doc.source else "",
        "actors": ",".join(fold(a.name).replace(",", " ") for a in doc.actors),
    }
    d = _date_int(doc.published)
    if d is not None:
        article["date"] = d
    yield article
    for i, s in enumerate(doc.statements):
        rec: dict[str, Any] = {
            "kind": "statement",
            "doc_id": doc.doc_id,
            "actor": fold(s.speaker),
            "topic": s.topic,
            "stance": s.stance,
            "meta": json.dumps(
                {
                    **base_meta,
                    "n": i,
                    "speaker": s.speaker,
                    "topic": s.topic,
                    "stance": s.stance,
                    "date": s.date,
                    "date_precision": s.date_precision,
                    "date_source": s.date_source,
                    "evidence": s.evidence,
                    "span": list(s.span),
                    "cues": list(s.cues),
                    "mode": s.mode,
                },
                ensure_ascii=False,
            ),
        }
        d = _date_int(s.date)
        if d is not None:
            rec["date"] = d
        yield rec
    for i, e in enumerate(doc.events):
        rec = {
            "kind": "event",
            "doc_id": doc.doc_id,
            "actor": fold(e.actor),
            "meta": json.dumps(
                {
                    **base_meta,
                    "n": i,
                    "actor": e.actor,
                    "date": e.date,
                    "date_precision": e.date_precision,
                    "date_source": e.date_source,
                    "evidence": e.evidence,
                    "span": list(e.span),
                    "kind": e.kind,
                },
                ensure_ascii=False,
            ),
        }
        d = _date_int(e.date)
        if d is not None:
            rec["date"] = d
        yield rec


class Writer:
    """Adds and deletes documents; ``commit()`` makes the changes visible atomically."""

    def __init__(self, ix: Any, procs: int = 1, bulk: bool = False) -> None:
        if bulk and procs > 1:
            self._w = ix.writer(procs=procs, multisegment=True, limitmb=256)
        else:
            self._w = ix.writer(limitmb=256)

    def delete(self, doc_id: str) -> None:
        self._w.delete_by_term("doc_id", doc_id)

    def add(self, doc: Document) -> None:
        for rec in records(doc):
            self._w.add_document(**rec)

    def commit(self, optimize: bool = False) -> None:
        self._w.commit(optimize=optimize)

    def cancel(self) -> None:
        self._w.cancel()


class _Marker(Formatter):  # type: ignore[misc]
    """Highlights matched terms as **term** (markdown bold); the renderer styles it."""

    between = " … "

    def format_token(self, text: str, token: Any, replace: bool = False) -> str:
        return f"{HIGHLIGHT_OPEN}{get_text(text, token, replace)}{HIGHLIGHT_CLOSE}"


def _range(date_from: PartialDate | None, date_to: PartialDate | None) -> query.Query | None:
    if not date_from and not date_to:
        return None
    lo = date_from.sort_key if date_from else None
    hi = None
    if date_to:
        y, m, dd = int(date_to.iso[:4]), 12, 99
        if date_to.precision != "year":
            m = int(date_to.iso[5:7])
        if date_to.precision == "day":
            dd = int(date_to.iso[8:10])
        hi = y * 10000 + m * 100 + dd
    return query.NumericRange("date", lo, hi)


def _and(*parts: query.Query | None) -> query.Query:
    qs = [p for p in parts if p is not None]
    return qs[0] if len(qs) == 1 else query.And(qs)


_FIELD_RE = re.compile(r"(?:^|[\s(])([A-Za-z_]+):")
QUERY_FIELDS = ("title", "body")


def check_syntax(text: str) -> None:
    """Refuse what the Whoosh parser would silently misread: unbalanced quotes or
    parentheses, unknown fields."""
    if text.count('"') % 2:
        raise QueryError(f"unbalanced quotation mark in {text!r}", 'close the "phrase" or drop the quote')
    depth = 0
    unquoted = re.sub(r'"[^"]*"', " ", text)
    for ch in unquoted:
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth < 0:
            break
    if depth:
        raise QueryError(f"unbalanced parenthesis in {text!r}", "close every ( with a )")
    for m in _FIELD_RE.finditer(unquoted):
        if m.group(1) not in QUERY_FIELDS:
            raise QueryError(
                f"unknown field {m.group(1)!r} in the query", "search title:word, body:word or plain words"
            )


def parse_query(ix: Any, text: str) -> query.Query:
    check_syntax(text)
    parser = qparser.MultifieldParser(["title", "body"], ix.schema)
    parser.remove_plugin_class(qparser.PlusMinusPlugin)
    try:
        q = parser.parse(text)
    except Exception as exc:  # whoosh parser errors are not a single type
        raise QueryError(f"cannot parse the query {text!r}", "check quotes and parentheses") from exc
    if q is query.NullQuery or isinstance(q, query.NullQuery.__class__):
        raise QueryError(f"the query {text!r} has no searchable words", 'search for a word, a "phrase" or field:value')
    return q


def search_articles(
    ix: Any,
    text: str,
    limit: int,
    date_from: PartialDate | None = None,
    date_to: PartialDate | None = None,
    source: str | None = None,
    actor: str | None = None,
) -> tuple[list[Hit], str | None]:
    """Ranked articles with highlighted snippets, and a "did you mean" when nothing matches."""
    q = parse_query(ix, text)
    filt = _and(
        query.Term("kind", "article"),
        _range(date_from, date_to),
        query.Term("source", fold(source)) if source else None,
        query.Term("actors", fold(actor)) if actor else None,
    )
    hits: list[Hit] = []
    suggestion = None
    with ix.searcher() as searcher:
        results = searcher.search(q, filter=filt, limit=limit, terms=True)
        results.fragmenter = ContextFragmenter(maxchars=240, surround=70)
        results.formatter = _Marker()
        for r in results:
            meta = json.loads(r["meta"])
            snippet = r.highlights("body", top=2) or r.highlights("title", top=1) or r["body"][:200]
            hits.append(
                Hit(
                    r["doc_id"],
                    meta["title"],
                    meta["published"],
                    meta["author"],
                    meta["source"],
                    round(r.score, 4),
                    " ".join(snippet.split()),
                )
            )
        if not hits:
            suggestion = _did_you_mean(searcher, ix, text)
    return hits, suggestion


_WORD_RE = re.compile(r"(?<![\w:])([^\W\d_]{3,})(?![\w:*?])")
_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO"}


def _did_you_mean(searcher: Any, ix: Any, text: str) -> str | None:
    """Replace each query word that matches nothing by the closest indexed word."""
    corrector = searcher.corrector("body")
    analyzer = ix.schema["body"].analyzer
    changed = False

    def fix(m: re.Match[str]) -> str:
        nonlocal changed
        word = m.group(1)
        if word in _OPERATORS:
            return word
        terms = [t.text for t in analyzer(word)]
        if not terms or any(searcher.doc_frequency(f, t) for f in ("body", "title") for t in terms):
            return word
        best = corrector.suggest(word.lower(), limit=1)
        if best:
            changed = True
            return str(best[0])
        return word

    fixed = _WORD_RE.sub(fix, text)
    return fixed if changed else None


def _rows(ix: Any, q: query.Query) -> list[dict[str, Any]]:
    out = []
    with ix.searcher() as searcher:
        for fields_ in searcher.search(q, limit=None, sortedby=None):
            meta = json.loads(fields_["meta"])
            meta["doc_id"] = fields_["doc_id"]
            out.append(meta)
    return out


def _entry_order(row: dict[str, Any]) -> tuple[int, int, str, int]:
    d = _date_int(row.get("date"))
    return (0 if d is not None else 1, d or 0, row["doc_id"], row.get("span", [0])[0])


def timeline(
    ix: Any, actor: str, date_from: PartialDate | None = None, date_to: PartialDate | None = None
) -> list[TimelineEntry]:
    q = _and(query.Term("kind", "event"), query.Term("actor", fold(actor)), _range(date_from, date_to))
    rows = sorted(_rows(ix, q), key=_entry_order)
    return [
        TimelineEntry(
            r["actor"],
            r["date"],
            r["date_precision"],
            r["date_source"],
            r["doc_id"],
            r["title"],
            r["source"],
            r["published"],
            r["evidence"],
            (r["span"][0], r["span"][1]),
            r.get("kind", "action"),
        )
        for r in rows
    ]


def stance(
    ix: Any,
    topic: str,
    actor: str | None = None,
    date_from: PartialDate | None = None,
    date_to: PartialDate | None = None,
    include_neutral: bool = False,
) -> list[StanceRow]:
    q = _and(
        query.Term("kind", "statement"),
        query.Term("topic", topic),
        query.Term("actor", fold(actor)) if actor else None,
        None if include_neutral else query.Or([query.Term("stance", "support"), query.Term("stance", "oppose")]),
        _range(date_from, date_to),
    )
    rows = sorted(_rows(ix, q), key=_entry_order)
    return [
        StanceRow(
            r["speaker"],
            topic,
            r["stance"],
            r["date"],
            r["date_precision"],
            r["doc_id"],
            r["title"],
            r["source"],
            r["published"],
            r["evidence"],
            (r["span"][0], r["span"][1]),
            tuple(r["cues"]),
            r.get("mode", "reported"),
        )
        for r in rows
    ]


def articles(ix: Any) -> list[dict[str, Any]]:
    """Stored metadata of every article record (for stats and the actor list)."""
    out = []
    with ix.searcher() as searcher:
        for docnum in searcher.document_numbers(kind="article"):
            stored = searcher.stored_fields(docnum)
            meta = json.loads(stored["meta"])
            meta["doc_id"] = stored["doc_id"]
            out.append(meta)
    return out
