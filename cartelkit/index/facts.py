"""The only module that imports sqlite3: the facts of a generation in ``facts.sqlite``.

Documents, the actors each mentions, attributed statements and dated events are rows with
columns; the commands that filter, group and count them (``stance``, ``timeline``,
``actors``, ``stats``) run SQL over indexes made for them. Dates are kept as written
(``"2011-08"``) and as a sortable integer key ``YYYYMMDD`` (missing parts 00; undated rows
get :data:`UNDATED`, so they sort last and fall outside every date range).

A build writes the file in WAL mode without fsyncs (a crashed build's generation is thrown
away), then folds the log back into one file, fsyncs it and closes it; the manifest then
seals it with the Whoosh files. Queries open it read-only and immutable: they never write
or lock anything in the sealed generation.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from cartelkit.errors import IndexStateError
from cartelkit.model import (
    Document,
    PartialDate,
    PeriodCount,
    SpeakerSummary,
    StanceQuery,
    StanceRow,
    TimelineEntry,
    TimelineQuery,
)
from cartelkit.textutil import fold

UNDATED = 99_999_999  # sorts after every YYYYMMDD key, outside every range

_SCHEMA = """
CREATE TABLE documents(
    doc_id TEXT PRIMARY KEY, cache_key TEXT NOT NULL, title TEXT, published TEXT, published_key INTEGER NOT NULL,
    date_precision TEXT, author TEXT, source TEXT, source_key TEXT, section TEXT, language TEXT, url TEXT,
    file TEXT, statements INTEGER NOT NULL, events INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE mentions(
    doc_id TEXT NOT NULL, actor TEXT NOT NULL, type TEXT NOT NULL, count INTEGER NOT NULL,
    discovered INTEGER NOT NULL, forms TEXT NOT NULL
);
CREATE TABLE statements(
    doc_id TEXT NOT NULL, speaker TEXT NOT NULL, topic TEXT NOT NULL, stance TEXT NOT NULL, mode TEXT NOT NULL,
    date TEXT, date_key INTEGER NOT NULL, date_precision TEXT, date_source TEXT,
    evidence TEXT NOT NULL, span_start INTEGER NOT NULL, span_end INTEGER NOT NULL, cues TEXT NOT NULL
);
CREATE TABLE events(
    doc_id TEXT NOT NULL, actor TEXT NOT NULL, kind TEXT NOT NULL, role TEXT NOT NULL,
    date TEXT, date_key INTEGER NOT NULL, date_precision TEXT, date_source TEXT,
    evidence TEXT NOT NULL, span_start INTEGER NOT NULL, span_end INTEGER NOT NULL
);
CREATE INDEX documents_source ON documents(source_key);
CREATE INDEX mentions_doc ON mentions(doc_id);
CREATE INDEX mentions_actor ON mentions(actor);
CREATE INDEX statements_topic ON statements(topic, date_key, doc_id, span_start);
CREATE INDEX statements_speaker ON statements(speaker, topic, date_key, doc_id, span_start);
CREATE INDEX statements_doc ON statements(doc_id);
CREATE INDEX events_actor ON events(actor, date_key, doc_id, span_start);
CREATE INDEX events_doc ON events(doc_id);
"""


def date_key(iso: str | None) -> int:
    return PartialDate.from_iso(iso).sort_key if iso else UNDATED


class FactsWriter:
    """Writes one generation's facts; ``commit()`` leaves a single complete file."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        fresh = not self.path.exists()
        try:
            self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=OFF")
            self._db.execute("PRAGMA cache_size=-65536")  # 64 MiB
            self._db.execute("BEGIN")
            if fresh:
                for stmt in _SCHEMA.split(";"):
                    if stmt.strip():
                        self._db.execute(stmt)
            else:
                self._db.execute("SELECT doc_id, cache_key FROM documents LIMIT 1").fetchall()
        except sqlite3.Error as exc:
            raise _damaged(self.path, exc) from exc
        self.committed = False

    def cache_keys(self) -> dict[str, str]:
        """doc_id -> the cache key each document was indexed with."""
        return dict(self._db.execute("SELECT doc_id, cache_key FROM documents"))

    def delete(self, doc_id: str) -> None:
        for table in ("documents", "mentions", "statements", "events"):
            self._db.execute(f"DELETE FROM {table} WHERE doc_id = ?", (doc_id,))

    def add(self, doc: Document, cache_key: str) -> None:
        db = self._db
        d = doc.doc_id
        db.execute(
            "INSERT INTO documents VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                d,
                cache_key,
                doc.title,
                doc.published,
                date_key(doc.published),
                doc.date_precision,
                doc.author,
                doc.source,
                fold(doc.source) if doc.source else None,
                doc.section,
                doc.language,
                doc.url,
                doc.file,
                len(doc.statements),
                len(doc.events),
            ),
        )
        db.executemany(
            "INSERT INTO mentions VALUES (?,?,?,?,?,?)",
            [
                (d, a.name, a.type, a.count, int(a.discovered), json.dumps(list(a.mentions), ensure_ascii=False))
                for a in doc.actors
            ],
        )
        db.executemany(
            "INSERT INTO statements VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [
                (
                    d,
                    s.speaker,
                    s.topic,
                    s.stance,
                    s.mode,
                    s.date,
                    date_key(s.date),
                    s.date_precision,
                    s.date_source,
                    s.evidence,
                    s.span[0],
                    s.span[1],
                    "\x1f".join(s.cues),
                )
                for s in doc.statements
            ],
        )
        db.executemany(
            "INSERT INTO events VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            [
                (
                    d,
                    e.actor,
                    e.kind,
                    e.role,
                    e.date,
                    date_key(e.date),
                    e.date_precision,
                    e.date_source,
                    e.evidence,
                    e.span[0],
                    e.span[1],
                )
                for e in doc.events
            ],
        )

    def commit(self) -> None:
        """Commit, fold the write-ahead log into the file, fsync it and close."""
        self._db.execute("COMMIT")
        self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self._db.execute("PRAGMA journal_mode=DELETE")  # one self-contained file to seal
        self._db.close()
        fd = os.open(self.path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        self.committed = True

    def cancel(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self._db.execute("ROLLBACK")
        self._db.close()


class Facts:
    """Read-only queries over a sealed generation's facts (see the module docstring)."""

    def __init__(self, path: Path) -> None:
        uri = Path(path).resolve().as_uri() + "?mode=ro&immutable=1"
        try:
            self.connection = sqlite3.connect(uri, uri=True, check_same_thread=False)
            self.connection.execute("SELECT 1 FROM documents LIMIT 1").fetchall()
        except sqlite3.Error as exc:
            raise _damaged(path, exc) from exc
        self.connection.execute("PRAGMA query_only=ON")

    def close(self) -> None:
        self.connection.close()

    # --- documents and actors -----------------------------------------------------
    def cache_keys(self) -> dict[str, str]:
        return dict(self.connection.execute("SELECT doc_id, cache_key FROM documents"))

    def summary(self) -> dict[str, Any]:
        """Documents, statement and event counts, and documents per publication date, source
        and language."""
        db = self.connection
        documents, statements, events = db.execute(
            "SELECT count(*), coalesce(sum(statements), 0), coalesce(sum(events), 0) FROM documents"
        ).fetchone()
        return {
            "documents": documents,
            "statements": statements,
            "events": events,
            "dates": dict(db.execute("SELECT coalesce(published, ''), count(*) FROM documents GROUP BY 1")),
            "sources": dict(db.execute("SELECT coalesce(source, '(unknown)'), count(*) FROM documents GROUP BY 1")),
            "languages": dict(db.execute("SELECT coalesce(language, '(unknown)'), count(*) FROM documents GROUP BY 1")),
            "actors": db.execute("SELECT count(DISTINCT actor) FROM mentions").fetchone()[0],
        }

    def actors(self, type_: str | None = None, name: str | None = None) -> list[tuple[str, str, int, int, bool]]:
        """(name, type, mentions, documents, discovered) of every actor the corpus mentions
        (``type_``: of that type; ``name``: that one only)."""
        where, args = ("WHERE actor = ?", [name]) if name is not None else ("", [])
        sql = (
            "SELECT actor, min(type), sum(count), count(DISTINCT doc_id), min(discovered) FROM mentions"
            f" {where} GROUP BY actor"
        )
        rows = [(n, t, m, d, bool(x)) for n, t, m, d, x in self.connection.execute(sql, args)]
        return [r for r in rows if type_ is None or r[1] == type_]

    def actor_names(self) -> list[str]:
        return [n for (n,) in self.connection.execute("SELECT DISTINCT actor FROM mentions ORDER BY actor")]

    def document_ids(self) -> list[str]:
        return [d for (d,) in self.connection.execute("SELECT doc_id FROM documents ORDER BY doc_id")]

    # --- stance --------------------------------------------------------------------
    def _stance_where(self, q: StanceQuery) -> tuple[str, list[Any]]:
        where = ["s.topic = ?", f"s.stance IN ({','.join('?' * len(q.stances))})"]
        args: list[Any] = [q.topic, *q.stances]
        if q.speaker:
            where.append("s.speaker = ?")
            args.append(q.speaker)
        _dates(where, args, "s.date_key", q.date_from, q.date_to)
        if q.language:
            where.append("d.language = ?")
            args.append(q.language)
        return " AND ".join(where), args

    def stance(self, q: StanceQuery, limit: int | None = None) -> Iterator[StanceRow]:
        """Statements on a topic, oldest first (undated last), streamed from the database."""
        where, args = self._stance_where(q)
        sql = (
            "SELECT s.speaker, s.topic, s.stance, s.date, s.date_precision, s.doc_id, d.title, d.source,"
            " d.published, s.evidence, s.span_start, s.span_end, s.cues, s.mode"
            f" FROM statements s JOIN documents d ON d.doc_id = s.doc_id WHERE {where}"
            " ORDER BY s.date_key, s.doc_id, s.span_start" + _limit(limit, args)
        )
        for r in self.connection.execute(sql, args):
            yield StanceRow(
                r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], (r[10], r[11]), _cues(r[12]), r[13]
            )

    def count_stance(self, q: StanceQuery) -> int:
        where, args = self._stance_where(q)
        join = " JOIN documents d ON d.doc_id = s.doc_id" if q.language else ""
        return int(
            self.connection.execute(f"SELECT count(*) FROM statements s{join} WHERE {where}", args).fetchone()[0]
        )

    def stance_summary(self, q: StanceQuery) -> list[SpeakerSummary]:
        """One row per speaker: counts per stance, first and last date, most statements first."""
        where, args = self._stance_where(q)
        join = " JOIN documents d ON d.doc_id = s.doc_id" if q.language else ""
        sql = (
            "SELECT s.speaker, sum(s.stance = 'support'), sum(s.stance = 'oppose'), sum(s.stance = 'neutral'),"
            " min(s.date), max(s.date) FROM statements s" + join + f" WHERE {where}"
            " GROUP BY s.speaker ORDER BY -(sum(s.stance = 'support') + sum(s.stance = 'oppose')), s.speaker"
        )
        return [
            SpeakerSummary(speaker, q.topic, sup, opp, neu, first, last, bool(sup and opp))
            for speaker, sup, opp, neu, first, last in self.connection.execute(sql, args)
        ]

    def stance_by(self, q: StanceQuery, period: str) -> list[PeriodCount]:
        """Statements per period ("year": ``2011``; "month": ``2011-08``, or ``2011`` for a
        statement dated to the year only) and stance, oldest first, undated last."""
        where, args = self._stance_where(q)
        cut = 4 if period == "year" else 7
        join = " JOIN documents d ON d.doc_id = s.doc_id" if q.language else ""
        sql = (
            f"SELECT coalesce(substr(s.date, 1, {cut}), 'undated') AS p, sum(s.stance = 'support'),"
            " sum(s.stance = 'oppose'), sum(s.stance = 'neutral'), count(DISTINCT s.speaker)"
            f" FROM statements s{join} WHERE {where} GROUP BY p ORDER BY p = 'undated', p"
        )
        return [
            PeriodCount(p, q.topic, sup, opp, neu, speakers)
            for p, sup, opp, neu, speakers in self.connection.execute(sql, args)
        ]

    # --- timeline ------------------------------------------------------------------
    def _timeline_where(self, q: TimelineQuery) -> tuple[str, list[Any]]:
        where, args = ["e.actor = ?"], [q.actor]
        if q.role:
            where.append("e.role = ?")
            args.append(q.role)
        _dates(where, args, "e.date_key", q.date_from, q.date_to)
        if q.language:
            where.append("d.language = ?")
            args.append(q.language)
        return " AND ".join(where), args

    def timeline(self, q: TimelineQuery, limit: int | None = None) -> Iterator[TimelineEntry]:
        """Events of one actor, oldest first (undated last)."""
        where, args = self._timeline_where(q)
        sql = (
            "SELECT e.actor, e.date, e.date_precision, e.date_source, e.doc_id, d.title, d.source, d.published,"
            " e.evidence, e.span_start, e.span_end, e.kind, e.role"
            f" FROM events e JOIN documents d ON d.doc_id = e.doc_id WHERE {where}"
            " ORDER BY e.date_key, e.doc_id, e.span_start" + _limit(limit, args)
        )
        for r in self.connection.execute(sql, args):
            yield TimelineEntry(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], (r[9], r[10]), r[11], r[12])

    def count_timeline(self, q: TimelineQuery) -> int:
        where, args = self._timeline_where(q)
        join = " JOIN documents d ON d.doc_id = e.doc_id" if q.language else ""
        return int(self.connection.execute(f"SELECT count(*) FROM events e{join} WHERE {where}", args).fetchone()[0])


def _damaged(path: Path, exc: Exception) -> IndexStateError:
    return IndexStateError(f"the facts file {path} is damaged ({exc})", "run `cartelkit build --rebuild`")


def _dates(where: list[str], args: list[Any], column: str, lo: PartialDate | None, hi: PartialDate | None) -> None:
    if lo is not None:
        where.append(f"{column} >= ?")
        args.append(lo.sort_key)
    if hi is not None:
        where.append(f"{column} <= ?")
        args.append(hi.last_key)
    elif lo is not None:
        where.append(f"{column} < ?")
        args.append(UNDATED)


def _limit(limit: int | None, args: list[Any]) -> str:
    if not limit:
        return ""
    args.append(limit)
    return " LIMIT ?"


def _cues(text: str) -> tuple[str, ...]:
    return tuple(text.split("\x1f")) if text else ()
