"""The only module that imports sqlite3: the facts of a generation in ``facts.sqlite``.

Documents, the actors each mentions, attributed statements and dated events are rows with
columns; the commands that filter, group and count them (``stance``, ``timeline``,
``actors``, ``stats``) run SQL over indexes made for them. Dates are kept as written
(``"2011-08"``) and as a sortable integer key ``YYYYMMDD`` (missing parts 00; undated rows
get :data:`UNDATED`, so they sort last and fall outside every date range).

A build writes the file of a new generation (see :class:`FactsWriter`), fsyncs and closes
it; the manifest then seals it with the Whoosh files. Queries open it read-only and
immutable: they never write, lock or leave a file in the sealed generation.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
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

# Base tables key documents and actors by integer (a name or DOC_ID is stored once); the views
# (documents, mentions, statements, events) spell them out for SQL users (``ws.connection``).
_TABLES = """
CREATE TABLE doc(
    id INTEGER PRIMARY KEY, doc_id TEXT NOT NULL UNIQUE, cache_key TEXT NOT NULL, title TEXT, published TEXT,
    published_key INTEGER NOT NULL, date_precision TEXT, author TEXT, source TEXT, source_key TEXT, section TEXT,
    language TEXT, url TEXT, file TEXT, statements INTEGER NOT NULL, events INTEGER NOT NULL
);
CREATE TABLE actor(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, key TEXT NOT NULL);  -- key: folded name
CREATE TABLE mention(
    doc INTEGER NOT NULL, actor INTEGER NOT NULL, type TEXT NOT NULL, count INTEGER NOT NULL,
    discovered INTEGER NOT NULL
);
CREATE TABLE statement(
    doc INTEGER NOT NULL, speaker INTEGER NOT NULL, topic TEXT NOT NULL, stance TEXT NOT NULL, mode TEXT NOT NULL,
    date TEXT, date_key INTEGER NOT NULL, date_precision TEXT, date_source TEXT,
    evidence TEXT NOT NULL, span_start INTEGER NOT NULL, span_end INTEGER NOT NULL, cues TEXT NOT NULL
);
CREATE TABLE event(
    doc INTEGER NOT NULL, actor INTEGER NOT NULL, kind TEXT NOT NULL, role TEXT NOT NULL,
    date TEXT, date_key INTEGER NOT NULL, date_precision TEXT, date_source TEXT,
    evidence TEXT NOT NULL, span_start INTEGER NOT NULL, span_end INTEGER NOT NULL
);
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE known(name TEXT PRIMARY KEY, type TEXT NOT NULL, aliases TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE form(form TEXT NOT NULL, name TEXT NOT NULL);
CREATE VIEW documents AS SELECT doc_id, cache_key, title, published, published_key, date_precision, author, source,
    section, language, url, file, statements, events FROM doc;
CREATE VIEW mentions AS SELECT d.doc_id, a.name AS actor, m.type, m.count, m.discovered
    FROM mention m JOIN doc d ON d.id = m.doc JOIN actor a ON a.id = m.actor;
CREATE VIEW statements AS SELECT d.doc_id, a.name AS speaker, s.topic, s.stance, s.mode, s.date, s.date_key,
    s.date_precision, s.date_source, s.evidence, s.span_start, s.span_end, s.cues
    FROM statement s JOIN doc d ON d.id = s.doc JOIN actor a ON a.id = s.speaker;
CREATE VIEW events AS SELECT d.doc_id, a.name AS actor, e.kind, e.role, e.date, e.date_key, e.date_precision,
    e.date_source, e.evidence, e.span_start, e.span_end
    FROM event e JOIN doc d ON d.id = e.doc JOIN actor a ON a.id = e.actor;
"""
_INDEXES = """
CREATE INDEX mention_doc ON mention(doc);
CREATE INDEX mention_actor ON mention(actor);
CREATE INDEX actor_key ON actor(key);
CREATE INDEX form_form ON form(form);
CREATE INDEX statement_topic ON statement(topic, date_key, doc, span_start);
CREATE INDEX statement_speaker ON statement(speaker, topic, date_key, doc, span_start);
CREATE INDEX statement_doc ON statement(doc);
CREATE INDEX statement_counts ON statement(topic, speaker, stance, date);  -- covers --summary, --by and counts
CREATE INDEX event_actor ON event(actor, date_key, doc, span_start);
CREATE INDEX event_doc ON event(doc);
"""


def date_key(iso: str | None) -> int:
    return PartialDate.from_iso(iso).sort_key if iso else UNDATED


class FactsWriter:
    """Writes one generation's facts; ``commit()`` leaves a single complete file.

    The file is private to the build until the manifest seals it (a new file, or a copy of
    the live one), and a build that does not finish is thrown away whole: so it is written
    without a rollback journal or fsyncs, and a new file gets its indexes once, after the
    rows (bulk loading is several times faster than keeping indexes up to date row by row)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._fresh = not self.path.exists()
        try:
            self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=OFF")
            self._db.execute("PRAGMA synchronous=OFF")
            self._db.execute("PRAGMA cache_size=-65536")  # 64 MiB
            self._db.execute("BEGIN")
            if self._fresh:
                for stmt in _TABLES.split(";"):
                    if stmt.strip():
                        self._db.execute(stmt)
            else:
                self._db.execute("SELECT 1 FROM doc, meta LIMIT 1").fetchall()  # the tables this writer needs
        except sqlite3.Error as exc:
            raise _damaged(self.path, exc) from exc
        self._actors: dict[str, int] = {}
        self.committed = False

    def cache_keys(self) -> dict[str, str]:
        """doc_id -> the cache key each document was indexed with."""
        return dict(self._db.execute("SELECT doc_id, cache_key FROM doc"))

    def _actor(self, name: str) -> int:
        known = self._actors.get(name)
        if known is None:
            row = self._db.execute("SELECT id FROM actor WHERE name = ?", (name,)).fetchone()
            if row is None:
                row = (self._db.execute("INSERT INTO actor(name, key) VALUES (?, ?)", (name, fold(name))).lastrowid,)
            known = self._actors[name] = int(row[0])
        return known

    def delete(self, doc_id: str) -> None:
        row = self._db.execute("SELECT id FROM doc WHERE doc_id = ?", (doc_id,)).fetchone()
        if row is None:
            return
        for table in ("mention", "statement", "event"):
            self._db.execute(f"DELETE FROM {table} WHERE doc = ?", row)
        self._db.execute("DELETE FROM doc WHERE id = ?", row)

    def add(self, doc: Document, cache_key: str) -> None:
        db = self._db
        d = db.execute(
            "INSERT INTO doc(doc_id, cache_key, title, published, published_key, date_precision, author, source,"
            " source_key, section, language, url, file, statements, events) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                doc.doc_id,
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
        ).lastrowid
        actor = self._actor
        db.executemany(
            "INSERT INTO mention VALUES (?,?,?,?,?)",
            [(d, actor(a.name), a.type, a.count, int(a.discovered)) for a in doc.actors],
        )
        db.executemany(
            "INSERT INTO statement VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [
                (
                    d,
                    actor(s.speaker),
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
            "INSERT INTO event VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            [
                (
                    d,
                    actor(e.actor),
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

    def set_gazetteer(
        self, digest: str, actors: Callable[[], Iterable[tuple[str, str, Sequence[str], Iterable[str]]]]
    ) -> None:
        """The known actors (name, type, aliases, the folded forms a user may type for them)
        the documents were annotated with: a query resolves "AMLO" or "Fox" here, without
        loading the gazetteer files. ``digest`` names the gazetteer: an unchanged one is not
        written again (``actors`` is called only when it changed)."""
        row = self._db.execute("SELECT value FROM meta WHERE key = 'gazetteer'").fetchone()
        if row is not None and row[0] == digest:
            return
        self._db.execute("DELETE FROM known")
        self._db.execute("DELETE FROM form")
        for name, typ, aliases, forms in actors():
            self._db.execute("INSERT INTO known VALUES (?,?,?)", (name, typ, "\x1f".join(aliases)))
            self._db.executemany("INSERT INTO form VALUES (?,?)", [(f, name) for f in forms])
        self._db.execute("INSERT OR REPLACE INTO meta VALUES ('gazetteer', ?)", (digest,))

    def commit(self) -> None:
        """Index a new file, commit, fsync the file and close it."""
        if self._fresh:
            for stmt in _INDEXES.split(";"):
                if stmt.strip():
                    self._db.execute(stmt)
        self._db.execute("COMMIT")
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
            self.connection.execute("SELECT 1 FROM doc, actor, mention, statement, event LIMIT 1").fetchall()
        except sqlite3.Error as exc:
            raise _damaged(path, exc) from exc
        self.connection.execute("PRAGMA query_only=ON")

    def close(self) -> None:
        self.connection.close()

    # --- documents and actors -----------------------------------------------------
    def cache_keys(self) -> dict[str, str]:
        return dict(self.connection.execute("SELECT doc_id, cache_key FROM doc"))

    def document_ids(self) -> list[str]:
        return [d for (d,) in self.connection.execute("SELECT doc_id FROM doc ORDER BY doc_id")]

    def summary(self) -> dict[str, Any]:
        """Documents, statement and event counts, and documents per publication date, source
        and language."""
        db = self.connection
        documents, statements, events = db.execute(
            "SELECT count(*), coalesce(sum(statements), 0), coalesce(sum(events), 0) FROM doc"
        ).fetchone()
        return {
            "documents": documents,
            "statements": statements,
            "events": events,
            "dates": dict(db.execute("SELECT coalesce(published, ''), count(*) FROM doc GROUP BY 1")),
            "sources": dict(db.execute("SELECT coalesce(source, '(unknown)'), count(*) FROM doc GROUP BY 1")),
            "languages": dict(db.execute("SELECT coalesce(language, '(unknown)'), count(*) FROM doc GROUP BY 1")),
            "actors": db.execute("SELECT count(DISTINCT actor) FROM mention").fetchone()[0],
        }

    def actors(self, type_: str | None = None, name: str | None = None) -> list[tuple[str, str, int, int, bool]]:
        """(name, type, mentions, documents, discovered) of every actor the corpus mentions
        (``type_``: of that type; ``name``: that one only)."""
        where, args = ("WHERE a.name = ?", [name]) if name is not None else ("", [])
        sql = (
            "SELECT a.name, min(m.type), sum(m.count), count(DISTINCT m.doc), min(m.discovered)"
            f" FROM mention m JOIN actor a ON a.id = m.actor {where} GROUP BY m.actor"
        )
        rows = [(n, t, c, d, bool(x)) for n, t, c, d, x in self.connection.execute(sql, args)]
        return [r for r in rows if type_ is None or r[1] == type_]

    def actor_names(self) -> list[str]:
        """The names of the actors the corpus mentions, sorted."""
        sql = "SELECT name FROM actor WHERE id IN (SELECT DISTINCT actor FROM mention) ORDER BY name"
        return [n for (n,) in self.connection.execute(sql)]

    def names_for(self, form: str) -> list[str]:
        """The actors a folded form names: known actors with that name, alias or short form,
        and actors of the corpus with that name."""
        sql = (
            "SELECT name FROM form WHERE form = ? UNION SELECT name FROM actor WHERE key = ?"
            " AND EXISTS (SELECT 1 FROM mention WHERE mention.actor = actor.id) ORDER BY 1"
        )
        return [n for (n,) in self.connection.execute(sql, (form, form))]

    def forms(self) -> dict[str, set[str]]:
        """Every known actor's folded forms, and the folded name of every actor of the corpus."""
        out: dict[str, set[str]] = {}
        for form, name in self.connection.execute(
            "SELECT form, name FROM form UNION SELECT key, name FROM actor"
            " WHERE EXISTS (SELECT 1 FROM mention WHERE mention.actor = actor.id)"
        ):
            out.setdefault(name, set()).add(form)
        return out

    def known(self, name: str) -> tuple[str, tuple[str, ...]] | None:
        """A known actor's type and aliases (None for one the corpus discovered)."""
        row = self.connection.execute("SELECT type, aliases FROM known WHERE name = ?", (name,)).fetchone()
        return (row[0], tuple(row[1].split("\x1f")) if row[1] else ()) if row else None

    def aliases(self) -> dict[str, tuple[str, ...]]:
        """name -> aliases of every known actor the corpus mentions."""
        sql = (
            "SELECT k.name, k.aliases FROM known k JOIN actor a ON a.name = k.name"
            " WHERE EXISTS (SELECT 1 FROM mention WHERE mention.actor = a.id)"
        )
        return {n: tuple(a.split("\x1f")) if a else () for n, a in self.connection.execute(sql)}

    def _actor_id(self, name: str) -> int:
        row = self.connection.execute("SELECT id FROM actor WHERE name = ?", (name,)).fetchone()
        return int(row[0]) if row else -1  # -1: no row has it

    def by_source_year(self) -> list[tuple[str, str, int]]:
        """(source, publication year or "undated", documents), busiest source first."""
        sql = (
            "SELECT coalesce(source, '(unknown)') AS src, coalesce(substr(published, 1, 4), 'undated') AS y, count(*)"
            " FROM doc GROUP BY src, y ORDER BY sum(count(*)) OVER (PARTITION BY src) DESC, src, y"
        )
        return [(s, y, n) for s, y, n in self.connection.execute(sql)]

    def busiest_actors(self, limit: int, type_: str = "person") -> list[str]:
        """The actors of a type with the most timeline entries."""
        sql = (
            "SELECT a.name FROM event e JOIN actor a ON a.id = e.actor"
            " WHERE e.actor IN (SELECT actor FROM mention WHERE type = ?) GROUP BY e.actor"
            " ORDER BY count(*) DESC, a.name LIMIT ?"
        )
        return [n for (n,) in self.connection.execute(sql, (type_, limit))]

    # --- stance --------------------------------------------------------------------
    def _stance_where(self, q: StanceQuery) -> tuple[str, list[Any]]:
        where = ["s.topic = ?", f"s.stance IN ({','.join('?' * len(q.stances))})"]
        args: list[Any] = [q.topic, *q.stances]
        if q.speaker:
            where.append("s.speaker = ?")
            args.append(self._actor_id(q.speaker))
        _dates(where, args, "s.date_key", q.date_from, q.date_to)
        if q.language:
            where.append("d.language = ?")
            args.append(q.language)
        return " AND ".join(where), args

    def stance(self, q: StanceQuery, limit: int | None = None, every: int = 1) -> Iterator[StanceRow]:
        """Statements on a topic, oldest first (undated last), streamed from the database
        (``every``: the 1st, the ``every``+1st, … of them in that order, a sample spread over time)."""
        where, args = self._stance_where(q)
        if every > 1:
            join = " JOIN doc d ON d.id = s.doc" if q.language else ""
            where += (
                " AND s.rowid IN (SELECT rid FROM (SELECT s.rowid AS rid,"
                " row_number() OVER (ORDER BY s.date_key, s.doc, s.span_start) - 1 AS n"
                f" FROM statement s{join} WHERE {where}) WHERE n % ? = 0)"
            )
            args = [*args, *args, every]
        sql = (
            "SELECT a.name, s.topic, s.stance, s.date, s.date_precision, d.doc_id, d.title, d.source,"
            " d.published, s.evidence, s.span_start, s.span_end, s.cues, s.mode"
            " FROM statement s JOIN doc d ON d.id = s.doc JOIN actor a ON a.id = s.speaker"
            f" WHERE {where} ORDER BY s.date_key, s.doc, s.span_start" + _limit(limit, args)
        )
        make = StanceRow.from_values
        for r in self.connection.execute(sql, args):
            cues = tuple(r[12].split("\x1f")) if r[12] else ()
            yield make(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], (r[10], r[11]), cues, r[13])

    def count_stance(self, q: StanceQuery) -> int:
        where, args = self._stance_where(q)
        join = " JOIN doc d ON d.id = s.doc" if q.language else ""
        sql = f"SELECT count(*) FROM statement s{join} WHERE {where}"
        return int(self.connection.execute(sql, args).fetchone()[0])

    def stance_summary(self, q: StanceQuery) -> list[SpeakerSummary]:
        """One row per speaker: counts per stance, first and last date, most statements first."""
        where, args = self._stance_where(q)
        join = " JOIN doc d ON d.id = s.doc" if q.language else ""
        sql = (
            "SELECT a.name, g.sup, g.opp, g.neu, g.first, g.last FROM (SELECT s.speaker,"
            " sum(s.stance = 'support') AS sup, sum(s.stance = 'oppose') AS opp, sum(s.stance = 'neutral') AS neu,"
            " min(s.date) AS first, max(s.date) AS last"
            f" FROM statement s{join} WHERE {where} GROUP BY s.speaker) g JOIN actor a ON a.id = g.speaker"
            " ORDER BY -(g.sup + g.opp), a.name"
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
        join = " JOIN doc d ON d.id = s.doc" if q.language else ""
        sql = (
            f"SELECT coalesce(substr(s.date, 1, {cut}), 'undated') AS p, sum(s.stance = 'support'),"
            " sum(s.stance = 'oppose'), sum(s.stance = 'neutral'), count(DISTINCT s.speaker)"
            f" FROM statement s{join} WHERE {where} GROUP BY p ORDER BY p = 'undated', p"
        )
        return [
            PeriodCount(p, q.topic, sup, opp, neu, speakers)
            for p, sup, opp, neu, speakers in self.connection.execute(sql, args)
        ]

    def speaker_years(self, q: StanceQuery, speakers: int) -> list[tuple[str, str, int, int]]:
        """(speaker, year, support, oppose) of the ``speakers`` speakers with the most dated
        statements."""
        where, args = self._stance_where(q)
        join = " JOIN doc d ON d.id = s.doc" if q.language else ""
        sql = (
            "WITH c AS (SELECT s.speaker, substr(s.date, 1, 4) AS y, sum(s.stance = 'support') AS sup,"
            f" sum(s.stance = 'oppose') AS opp FROM statement s{join} WHERE {where} AND s.date IS NOT NULL"
            " GROUP BY s.speaker, y),"
            " top AS (SELECT speaker FROM c GROUP BY speaker ORDER BY sum(sup + opp) DESC LIMIT ?)"
            " SELECT a.name, c.y, c.sup, c.opp FROM c JOIN top USING (speaker) JOIN actor a ON a.id = c.speaker"
            " ORDER BY a.name, c.y"
        )
        return [(n, y, sup, opp) for n, y, sup, opp in self.connection.execute(sql, [*args, speakers])]

    # --- timeline ------------------------------------------------------------------
    def _timeline_where(self, q: TimelineQuery) -> tuple[str, list[Any]]:
        where: list[str] = ["e.actor = ?"]
        args: list[Any] = [self._actor_id(q.actor)]
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
            "SELECT e.date, e.date_precision, e.date_source, d.doc_id, d.title, d.source, d.published,"
            " e.evidence, e.span_start, e.span_end, e.kind, e.role"
            f" FROM event e JOIN doc d ON d.id = e.doc WHERE {where}"
            " ORDER BY e.date_key, e.doc, e.span_start" + _limit(limit, args)
        )
        name, make = q.actor, TimelineEntry.from_values
        for r in self.connection.execute(sql, args):
            yield make(name, r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], (r[8], r[9]), r[10], r[11])

    def count_timeline(self, q: TimelineQuery) -> int:
        where, args = self._timeline_where(q)
        join = " JOIN doc d ON d.id = e.doc" if q.language else ""
        return int(self.connection.execute(f"SELECT count(*) FROM event e{join} WHERE {where}", args).fetchone()[0])


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
