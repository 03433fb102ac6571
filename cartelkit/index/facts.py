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
import heapq
import itertools
import json
import os
import shutil
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cartelkit.errors import IndexStateError
from cartelkit.index.protocol import FACTS_DELTA
from cartelkit.model import (
    PartialDate,
    PeriodCount,
    SpeakerSummary,
    StanceQuery,
    StanceRow,
    TimelineEntry,
    TimelineQuery,
)
from cartelkit.textutil import fold

if TYPE_CHECKING:
    from cartelkit.model import Document

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
"""
_VIEWS = {  # over "@doc", "@actor"…: the tables of a file, or of both parts of a generation
    "documents": "SELECT doc_id, cache_key, title, published, published_key, date_precision, author, source,"
    " section, language, url, file, statements, events FROM @doc",
    "mentions": "SELECT d.doc_id, a.name AS actor, m.type, m.count, m.discovered"
    " FROM @mention m JOIN @doc d ON d.id = m.doc JOIN @actor a ON a.id = m.actor",
    "statements": "SELECT d.doc_id, a.name AS speaker, s.topic, s.stance, s.mode, s.date, s.date_key,"
    " s.date_precision, s.date_source, s.evidence, s.span_start, s.span_end, s.cues"
    " FROM @statement s JOIN @doc d ON d.id = s.doc JOIN @actor a ON a.id = s.speaker",
    "events": "SELECT d.doc_id, a.name AS actor, e.kind, e.role, e.date, e.date_key, e.date_precision,"
    " e.date_source, e.evidence, e.span_start, e.span_end"
    " FROM @event e JOIN @doc d ON d.id = e.doc JOIN @actor a ON a.id = e.actor",
}

_INDEXES = """
CREATE INDEX mention_doc ON mention(doc);
CREATE INDEX mention_actor ON mention(actor, type);
CREATE INDEX actor_key ON actor(key);
CREATE INDEX form_form ON form(form);
CREATE INDEX statement_topic ON statement(topic, date_key, doc, span_start);
CREATE INDEX statement_speaker ON statement(speaker, topic, date_key, doc, span_start);
CREATE INDEX statement_doc ON statement(doc);
CREATE INDEX statement_counts ON statement(topic, speaker, stance, date, doc);  -- covers --summary, --by, counts
CREATE INDEX event_actor ON event(actor, date_key, doc, span_start);
CREATE INDEX event_doc ON event(doc);
"""
_GONE = "CREATE TABLE gone(id INTEGER PRIMARY KEY);"  # in a delta: the base documents it replaces or removes


def date_key(iso: str | None) -> int:
    return PartialDate.from_iso(iso).sort_key if iso else UNDATED


MERGE_SHARE = 0.1  # a delta grown past this share of the base's documents (and MERGE_MIN) is merged into it
MERGE_MIN = 1000
_MERGED = ("mention", "statement", "event")


def _uri(path: Path, read_only: bool) -> str:
    return Path(path).resolve().as_uri() + ("?mode=ro&immutable=1" if read_only else "")


def _run_script(db: sqlite3.Connection, script: str) -> None:
    for stmt in script.split(";"):
        if stmt.strip():
            db.execute(stmt)


class FactsWriter:
    """Writes one generation's facts; ``commit()`` leaves them complete on disk.

    A generation's facts are a base file (``facts.sqlite``) and, after incremental builds,
    a small delta beside it (:data:`~cartelkit.index.protocol.FACTS_DELTA`): the rows of the documents added or changed
    since the base was written, and the base documents they replace or remove (``gone``).
    An incremental build hard-links the base, which is never written again, and edits a
    copy of the delta: so adding one article costs the same at 1,000 or 100,000 articles.
    When the delta outgrows :data:`MERGE_SHARE` of the base (or the gazetteer changed), the
    build writes a new base with the delta merged in.

    Every file written is private to the build until the manifest seals it, and a build that
    does not finish is thrown away whole: so files are written without a rollback journal or
    fsyncs per transaction, and a new base gets its indexes once, after the rows."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.delta_path = self.path.with_name(FACTS_DELTA)
        self._fresh = not self.path.exists()
        self._gazetteer: tuple[str, Callable[[], Iterable[tuple[str, str, Sequence[str], Iterable[str]]]]] | None = None
        target = self.path if self._fresh else self.delta_path
        try:
            new_delta = not self._fresh and not self.delta_path.exists()
            self._db = sqlite3.connect(_uri(target, False), uri=True, isolation_level=None, check_same_thread=False)
            _fast_writes(self._db)
            self._db.execute("BEGIN")
            if self._fresh:
                _run_script(self._db, _TABLES)
                for name, select in _VIEWS.items():
                    self._db.execute(f"CREATE VIEW {name} AS {select.replace('@', '')}")
            else:
                self._db.execute("ATTACH DATABASE ? AS base", (_uri(self.path, True),))
                self._db.execute("SELECT 1 FROM base.doc, base.actor, base.meta LIMIT 1").fetchall()
                if new_delta:
                    _run_script(self._db, _TABLES + _INDEXES + _GONE)
                    self._db.execute("INSERT INTO actor SELECT * FROM base.actor")  # one id space for both
                self._db.execute("SELECT 1 FROM doc, actor, gone LIMIT 1").fetchall()  # the tables it needs
        except sqlite3.Error as exc:
            raise _damaged(target, exc) from exc
        self._next_doc = (
            0
            if self._fresh
            else 1 + max(self._one("SELECT max(id) FROM base.doc"), self._one("SELECT max(id) FROM doc"))
        )
        self._actors: dict[str, int] = {}
        self.committed = False

    def _one(self, sql: str, args: Sequence[Any] = ()) -> int:
        row = self._db.execute(sql, args).fetchone()
        return int(row[0]) if row and row[0] is not None else 0

    def cache_keys(self) -> dict[str, str]:
        """doc_id -> the cache key each document was indexed with."""
        if self._fresh:
            return dict(self._db.execute("SELECT doc_id, cache_key FROM doc"))
        sql = (
            "SELECT doc_id, cache_key FROM base.doc WHERE id NOT IN (SELECT id FROM gone)"
            " UNION ALL SELECT doc_id, cache_key FROM main.doc"
        )
        return dict(self._db.execute(sql))

    def _actor(self, name: str) -> int:
        known = self._actors.get(name)
        if known is None:
            row = self._db.execute("SELECT id FROM main.actor WHERE name = ?", (name,)).fetchone()
            if row is None:
                row = (self._db.execute("INSERT INTO actor(name, key) VALUES (?, ?)", (name, fold(name))).lastrowid,)
            known = self._actors[name] = int(row[0])
        return known

    def delete(self, doc_id: str) -> None:
        row = self._db.execute("SELECT id FROM main.doc WHERE doc_id = ?", (doc_id,)).fetchone()
        if row is not None:
            for table in _MERGED:
                self._db.execute(f"DELETE FROM main.{table} WHERE doc = ?", row)
            self._db.execute("DELETE FROM main.doc WHERE id = ?", row)
        if not self._fresh:  # a base document is marked gone (the base is never edited)
            sql = "INSERT OR IGNORE INTO gone SELECT id FROM base.doc WHERE doc_id = ?"
            self._db.execute(sql, (doc_id,))

    def add(self, doc: Document, cache_key: str) -> None:
        db = self._db
        doc_key = None if self._fresh else self._next_doc
        self._next_doc += 1
        d = db.execute(
            "INSERT INTO doc(id, doc_id, cache_key, title, published, published_key, date_precision, author, source,"
            " source_key, section, language, url, file, statements, events) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                doc_key,
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
        meta = "meta" if self._fresh else "base.meta"
        row = self._db.execute(f"SELECT value FROM {meta} WHERE key = 'gazetteer'").fetchone()
        if row is None or row[0] != digest:
            self._gazetteer = (digest, actors)  # written into the base: a delta build merges

    def commit(self) -> None:
        """Write what is pending, index a new base, commit, fsync and close."""
        if self._fresh:
            self._write_gazetteer(self._db)
            _run_script(self._db, _INDEXES)
            self._finish(self._db, self.path)
            return
        changed = self._one("SELECT count(*) FROM doc") + self._one("SELECT count(*) FROM gone")
        base_docs = self._one("SELECT count(*) FROM base.doc")
        if self._gazetteer is None and changed <= max(MERGE_MIN, MERGE_SHARE * base_docs):
            self._finish(self._db, self.delta_path)
            return
        self._db.execute("COMMIT")
        self._db.close()
        self._merge()

    def _merge(self) -> None:
        """A new base: a copy of the old one with the delta applied (the old one, hard-linked
        from the live generation, is replaced in this generation only)."""
        merged = self.path.with_name(f".{self.path.name}.merge")
        shutil.copyfile(self.path, merged)
        db = sqlite3.connect(_uri(merged, False), uri=True, isolation_level=None, check_same_thread=False)
        try:
            _fast_writes(db)
            db.execute("ATTACH DATABASE ? AS delta", (_uri(self.delta_path, True),))
            db.execute("BEGIN")
            for table in (*_MERGED, "doc"):
                key = "id" if table == "doc" else "doc"
                db.execute(f"DELETE FROM main.{table} WHERE {key} IN (SELECT id FROM delta.gone)")
            db.execute("INSERT OR IGNORE INTO main.actor SELECT * FROM delta.actor")
            for table in ("doc", *_MERGED):
                db.execute(f"INSERT INTO main.{table} SELECT * FROM delta.{table}")
            db.execute("COMMIT")  # the delta is read-only and detached before the gazetteer's own transaction
            db.execute("DETACH DATABASE delta")
            db.execute("BEGIN")
            self._write_gazetteer(db)
            self._finish(db, merged)
        except BaseException:
            db.close()
            merged.unlink(missing_ok=True)
            raise
        os.replace(merged, self.path)
        self.delta_path.unlink()

    def _write_gazetteer(self, db: sqlite3.Connection) -> None:
        if self._gazetteer is None:
            return
        digest, actors = self._gazetteer
        db.execute("DELETE FROM known")
        db.execute("DELETE FROM form")
        for name, typ, aliases, forms in actors():
            db.execute("INSERT INTO known VALUES (?,?,?)", (name, typ, "\x1f".join(aliases)))
            db.executemany("INSERT INTO form VALUES (?,?)", [(f, name) for f in forms])
        db.execute("INSERT OR REPLACE INTO meta VALUES ('gazetteer', ?)", (digest,))

    def _finish(self, db: sqlite3.Connection, path: Path) -> None:
        db.execute("COMMIT")
        db.close()
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        self.committed = True

    def cancel(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self._db.execute("ROLLBACK")
        with contextlib.suppress(sqlite3.Error):
            self._db.close()


def _fast_writes(db: sqlite3.Connection) -> None:
    db.execute("PRAGMA journal_mode=OFF")
    db.execute("PRAGMA synchronous=OFF")
    db.execute("PRAGMA cache_size=-65536")  # 64 MiB


class Facts:
    """Read-only queries over a sealed generation's facts (see the module docstring).

    With a delta beside the base, each query runs on both parts ("arms": the base without the
    documents the delta replaced, and the delta) and their answers are combined: ordered rows
    are merged, counts added. Each arm is a set of temporary views (``b_doc``, ``d_statement``…)
    that SQLite flattens into the query, so the base's indexes serve it as before."""

    def __init__(self, path: Path) -> None:
        path = Path(path)
        delta = path.with_name(FACTS_DELTA)
        try:
            self.connection = sqlite3.connect(_uri(path, True), uri=True, check_same_thread=False)
            db = self.connection
            db.execute("SELECT 1 FROM doc, actor, mention, statement, event LIMIT 1").fetchall()
            self._arms = ["b_"]
            live = ""
            if delta.exists():
                db.execute("ATTACH DATABASE ? AS delta", (_uri(delta, True),))
                db.execute("SELECT 1 FROM delta.doc, delta.actor, delta.gone LIMIT 1").fetchall()
                self._arms.append("d_")
                if db.execute("SELECT EXISTS (SELECT 1 FROM delta.gone)").fetchone()[0]:
                    live = " WHERE {key} NOT IN (SELECT id FROM delta.gone)"  # else the base is whole
                for table in ("doc", "actor", *_MERGED):
                    db.execute(f"CREATE TEMP VIEW d_{table} AS SELECT rowid AS rid, * FROM delta.{table}")
                for name, select in _VIEWS.items():  # SQL users see both parts
                    both = " UNION ALL ".join(select.replace("@", arm) for arm in self._arms)
                    db.execute(f"CREATE TEMP VIEW {name} AS {both}")
            for table in ("doc", "actor", *_MERGED):
                where = "" if table == "actor" else live.format(key="id" if table == "doc" else "doc")
                db.execute(f"CREATE TEMP VIEW b_{table} AS SELECT rowid AS rid, * FROM main.{table}{where}")
        except sqlite3.Error as exc:
            raise _damaged(path, exc) from exc
        self.connection.execute("PRAGMA query_only=ON")

    def close(self) -> None:
        self.connection.close()

    def _each(
        self, sql: str, args: Sequence[Any] = (), by_arm: Sequence[Sequence[Any]] = ()
    ) -> Iterator[sqlite3.Cursor]:
        """``sql`` (over "@doc", "@statement"…) run on each arm (with ``by_arm[i]`` after ``args``)."""
        for i, arm in enumerate(self._arms):
            yield self.connection.execute(sql.replace("@", arm), [*args, *(by_arm[i] if by_arm else ())])

    def _all(self, sql: str, args: Sequence[Any] = ()) -> Iterator[Any]:
        for cursor in self._each(sql, args):
            yield from cursor

    def _sum(self, sql: str, args: Sequence[Any] = ()) -> int:
        return sum(int(c.fetchone()[0] or 0) for c in self._each(sql, args))

    def _merged(
        self, sql: str, args: Sequence[Any], limit: int | None, by_arm: Sequence[Sequence[Any]] = ()
    ) -> Iterator[Any]:
        """Rows of every arm in their ``ORDER BY`` order (its three columns are selected where
        ``sql`` says ``/*order*/``, only to merge two arms)."""
        order = sql.rsplit(" ORDER BY ", 1)[1]
        sql = sql.replace("/*order*/", f", {order}" if len(self._arms) > 1 else "")
        if limit:
            sql += " LIMIT ?"
            by_arm = [[*(by_arm[i] if by_arm else ()), limit] for i in range(len(self._arms))]
        cursors = list(self._each(sql, args, by_arm))
        rows = cursors[0] if len(cursors) == 1 else heapq.merge(*cursors, key=lambda r: r[-3:])
        return itertools.islice(rows, limit) if limit else iter(rows)

    # --- documents and actors -----------------------------------------------------
    def cache_keys(self) -> dict[str, str]:
        return dict(self._all("SELECT doc_id, cache_key FROM @doc"))

    def document_ids(self) -> list[str]:
        return sorted(d for (d,) in self._all("SELECT doc_id FROM @doc"))

    def summary(self) -> dict[str, Any]:
        """Documents, statement and event counts, and documents per publication date, source
        and language."""
        documents = statements = events = 0
        for cursor in self._each("SELECT count(*), coalesce(sum(statements), 0), coalesce(sum(events), 0) FROM @doc"):
            n, s, e = cursor.fetchone()
            documents, statements, events = documents + n, statements + s, events + e

        def per(column: str, missing: str) -> dict[str, int]:
            out: Counter[str] = Counter()
            for value, n in self._all(f"SELECT coalesce({column}, '{missing}'), count(*) FROM @doc GROUP BY 1"):
                out[value] += n
            return dict(out)

        return {
            "documents": documents,
            "statements": statements,
            "events": events,
            "dates": per("published", ""),
            "sources": per("source", "(unknown)"),
            "languages": per("language", "(unknown)"),
            "actors": len(self._mentioned()),
        }

    def actors(self, type_: str | None = None, name: str | None = None) -> list[tuple[str, str, int, int, bool]]:
        """(name, type, mentions, documents, discovered) of every actor the corpus mentions
        (``type_``: of that type; ``name``: that one only)."""
        where, args = ("WHERE a.name = ?", [name]) if name is not None else ("", [])
        sql = (
            "SELECT a.name, min(m.type), sum(m.count), count(DISTINCT m.doc), min(m.discovered)"
            f" FROM @mention m JOIN @actor a ON a.id = m.actor {where} GROUP BY m.actor"
        )
        rows: dict[str, tuple[str, str, int, int, bool]] = {}
        for n, t, c, d, x in self._all(sql, args):  # a document is in one arm: its counts add up
            old = rows.get(n)
            rows[n] = (
                (n, t, c, d, bool(x))
                if old is None
                else (n, min(t, old[1]), c + old[2], d + old[3], old[4] and bool(x))
            )
        return [r for r in rows.values() if type_ is None or r[1] == type_]

    def _mentioned(self, type_: str | None = None) -> set[int]:
        """The actors some document mentions (``type_``: as that type); one index probe per actor."""
        typed = " AND m.type = ?" if type_ else ""
        sql = f"SELECT a.id FROM @actor a WHERE EXISTS (SELECT 1 FROM @mention m WHERE m.actor = a.id{typed})"
        return {a for (a,) in self._all(sql, [type_] if type_ else [])}

    def _names(self) -> dict[int, tuple[str, str]]:
        """id -> (name, folded name) of every actor (the last arm's table holds them all)."""
        sql = f"SELECT id, name, key FROM {self._arms[-1]}actor"
        return {i: (n, k) for i, n, k in self.connection.execute(sql)}

    def actor_names(self) -> list[str]:
        """The names of the actors the corpus mentions, sorted."""
        names = self._names()
        return sorted(names[a][0] for a in self._mentioned())

    def names_for(self, form: str) -> list[str]:
        """The actors a folded form names: known actors with that name, alias or short form,
        and actors of the corpus with that name."""
        known = {n for (n,) in self.connection.execute("SELECT name FROM form WHERE form = ?", (form,))}
        sql = f"SELECT id, name FROM {self._arms[-1]}actor WHERE key = ?"
        ids = dict(self.connection.execute(sql, (form,)))
        if ids:
            known |= {ids[a] for a in self._mentioned() & ids.keys()}
        return sorted(known)

    def forms(self) -> dict[str, set[str]]:
        """Every known actor's folded forms, and the folded name of every actor of the corpus."""
        out: dict[str, set[str]] = {}
        for form, name in self.connection.execute("SELECT form, name FROM form"):
            out.setdefault(name, set()).add(form)
        names = self._names()
        for a in self._mentioned():
            name, key = names[a]
            out.setdefault(name, set()).add(key)
        return out

    def known(self, name: str) -> tuple[str, tuple[str, ...]] | None:
        """A known actor's type and aliases (None for one the corpus discovered)."""
        row = self.connection.execute("SELECT type, aliases FROM known WHERE name = ?", (name,)).fetchone()
        return (row[0], tuple(row[1].split("\x1f")) if row[1] else ()) if row else None

    def aliases(self) -> dict[str, tuple[str, ...]]:
        """name -> aliases of every known actor the corpus mentions."""
        names = self._names()
        mentioned = {names[a][0] for a in self._mentioned()}
        return {
            n: tuple(a.split("\x1f")) if a else ()
            for n, a in self.connection.execute("SELECT name, aliases FROM known")
            if n in mentioned
        }

    def _actor_id(self, name: str) -> int:
        sql = f"SELECT id FROM {self._arms[-1]}actor WHERE name = ?"
        row = self.connection.execute(sql, (name,)).fetchone()
        return int(row[0]) if row else -1  # -1: no row has it

    def by_source_year(self) -> list[tuple[str, str, int]]:
        """(source, publication year or "undated", documents), busiest source first."""
        sql = (
            "SELECT coalesce(source, '(unknown)'), coalesce(substr(published, 1, 4), 'undated'), count(*)"
            " FROM @doc GROUP BY 1, 2"
        )
        counts: Counter[tuple[str, str]] = Counter()
        for src, y, n in self._all(sql):
            counts[src, y] += n
        per_source: Counter[str] = Counter()
        for (src, _y), n in counts.items():
            per_source[src] += n
        return sorted(((s, y, n) for (s, y), n in counts.items()), key=lambda r: (-per_source[r[0]], r[0], r[1]))

    def busiest_actors(self, limit: int, type_: str = "person") -> list[str]:
        """The actors of a type with the most timeline entries."""
        typed = self._mentioned(type_)
        counts: Counter[int] = Counter()
        for a, n in self._all("SELECT actor, count(*) FROM @event GROUP BY actor"):
            if a in typed:
                counts[a] += n
        names = self._names()
        return [names[a][0] for a, _n in sorted(counts.items(), key=lambda c: (-c[1], names[c[0]][0]))[:limit]]

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
        by_arm: list[list[Any]] = []
        if every > 1:
            where, args, by_arm = self._sample(q, where, args, every)
        sql = (
            "SELECT a.name, s.topic, s.stance, s.date, s.date_precision, d.doc_id, d.title, d.source,"
            " d.published, s.evidence, s.span_start, s.span_end, s.cues, s.mode /*order*/"
            " FROM @statement s JOIN @doc d ON d.id = s.doc JOIN @actor a ON a.id = s.speaker"
            f" WHERE {where} ORDER BY s.date_key, s.doc, s.span_start"
        )
        make = StanceRow.from_values
        for r in self._merged(sql, args, limit, by_arm):
            cues = tuple(r[12].split("\x1f")) if r[12] else ()
            yield make(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], (r[10], r[11]), cues, r[13])

    def _sample(
        self, q: StanceQuery, where: str, args: list[Any], every: int
    ) -> tuple[str, list[Any], list[list[Any]]]:
        """``where`` narrowed to every ``every``-th statement in date order (from the first),
        with its arguments (and each arm's own, after them)."""
        join = " JOIN @doc d ON d.id = s.doc" if q.language else ""
        if len(self._arms) == 1:  # numbered in SQL
            where += (
                " AND s.rid IN (SELECT rid FROM (SELECT s.rid AS rid,"
                " row_number() OVER (ORDER BY s.date_key, s.doc, s.span_start) - 1 AS n"
                f" FROM @statement s{join} WHERE {where}) WHERE n % ? = 0)"
            )
            return where, [*args, *args, every], []
        # numbered here, over the arms merged in order; each arm then reads its own row ids
        sql = f"SELECT s.date_key, s.doc, s.span_start, s.rid FROM @statement s{join} WHERE {where} ORDER BY 1, 2, 3"
        chosen: list[list[int]] = [[] for _ in self._arms]
        tagged = [_tag(cursor, ids) for cursor, ids in zip(self._each(sql, args), chosen, strict=True)]
        for n, (*_key, rid, ids) in enumerate(heapq.merge(*tagged, key=lambda r: r[:3])):
            if n % every == 0:
                ids.append(rid)
        return f"{where} AND s.rid IN (SELECT value FROM json_each(?))", args, [[json.dumps(c)] for c in chosen]

    def count_stance(self, q: StanceQuery) -> int:
        where, args = self._stance_where(q)
        join = " JOIN @doc d ON d.id = s.doc" if q.language else ""
        return self._sum(f"SELECT count(*) FROM @statement s{join} WHERE {where}", args)

    def _stance_groups(self, q: StanceQuery, group: str | None) -> Iterator[tuple[Any, ...]]:
        """Per arm: (speaker, support, oppose, neutral, first date, last date), or with ``group``
        (an expression of the statement) (group, support, oppose, neutral, speaker ids)."""
        where, args = self._stance_where(q)
        join = " JOIN @doc d ON d.id = s.doc" if q.language else ""
        counts = "sum(s.stance = 'support'), sum(s.stance = 'oppose'), sum(s.stance = 'neutral')"
        if group is None:
            sql = (
                f"SELECT s.speaker, {counts}, min(s.date), max(s.date) FROM @statement s{join} WHERE {where} GROUP BY 1"
            )
        else:
            speakers = "group_concat(DISTINCT s.speaker)"
            sql = f"SELECT {group}, {counts}, {speakers} FROM @statement s{join} WHERE {where} GROUP BY 1"
        yield from self._all(sql, args)

    def stance_summary(self, q: StanceQuery) -> list[SpeakerSummary]:
        """One row per speaker: counts per stance, first and last date, most statements first."""
        rows: dict[int, list[Any]] = {}
        for speaker, sup, opp, neu, first, last in self._stance_groups(q, None):
            old = rows.get(speaker)
            rows[speaker] = [sup, opp, neu, first, last] if old is None else _add(old, [sup, opp, neu, first, last])
        names = self._names()
        out = [
            SpeakerSummary(names[a][0], q.topic, sup, opp, neu, first, last, bool(sup and opp))
            for a, (sup, opp, neu, first, last) in rows.items()
        ]
        return sorted(out, key=lambda r: (-(r.support + r.oppose), r.speaker))

    def stance_by(self, q: StanceQuery, period: str) -> list[PeriodCount]:
        """Statements per period ("year": ``2011``; "month": ``2011-08``, or ``2011`` for a
        statement dated to the year only) and stance, oldest first, undated last."""
        cut = 4 if period == "year" else 7
        counts: dict[str, list[int]] = {}
        speakers: dict[str, set[str]] = {}
        for p, sup, opp, neu, ids in self._stance_groups(q, f"coalesce(substr(s.date, 1, {cut}), 'undated')"):
            c = counts.setdefault(p, [0, 0, 0])
            c[0], c[1], c[2] = c[0] + sup, c[1] + opp, c[2] + neu
            speakers.setdefault(p, set()).update(ids.split(","))
        order = sorted(counts, key=lambda p: (p == "undated", p))
        return [PeriodCount(p, q.topic, counts[p][0], counts[p][1], counts[p][2], len(speakers[p])) for p in order]

    def speaker_years(self, q: StanceQuery, speakers: int) -> list[tuple[str, str, int, int]]:
        """(speaker, year, support, oppose) of the ``speakers`` speakers with the most dated
        statements."""
        where, args = self._stance_where(q)
        join = " JOIN @doc d ON d.id = s.doc" if q.language else ""
        sql = (
            "SELECT s.speaker, substr(s.date, 1, 4), sum(s.stance = 'support'), sum(s.stance = 'oppose')"
            f" FROM @statement s{join} WHERE {where} AND s.date IS NOT NULL GROUP BY 1, 2"
        )
        per: dict[tuple[int, str], list[int]] = {}
        for speaker, y, sup, opp in self._all(sql, args):
            c = per.setdefault((speaker, y), [0, 0])
            c[0], c[1] = c[0] + sup, c[1] + opp
        totals: Counter[int] = Counter()
        for (speaker, _y), (sup, opp) in per.items():
            totals[speaker] += sup + opp
        names = self._names()
        top = {a for a, _n in sorted(totals.items(), key=lambda t: (-t[1], names[t[0]][0]))[:speakers]}
        rows = [(names[a][0], y, sup, opp) for (a, y), (sup, opp) in per.items() if a in top]
        return sorted(rows, key=lambda r: (r[0], r[1]))

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
            " e.evidence, e.span_start, e.span_end, e.kind, e.role /*order*/"
            f" FROM @event e JOIN @doc d ON d.id = e.doc WHERE {where}"
            " ORDER BY e.date_key, e.doc, e.span_start"
        )
        name, make = q.actor, TimelineEntry.from_values
        for r in self._merged(sql, args, limit):
            yield make(name, r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], (r[8], r[9]), r[10], r[11])

    def count_timeline(self, q: TimelineQuery) -> int:
        where, args = self._timeline_where(q)
        join = " JOIN @doc d ON d.id = e.doc" if q.language else ""
        return self._sum(f"SELECT count(*) FROM @event e{join} WHERE {where}", args)


def _tag(rows: Iterable[tuple[Any, ...]], tag: Any) -> Iterator[tuple[Any, ...]]:
    return ((*row, tag) for row in rows)


def _add(old: list[Any], new: list[Any]) -> list[Any]:
    """Two arms' (support, oppose, neutral, first date, last date) of one speaker, together."""
    firsts = [d for d in (old[3], new[3]) if d is not None]
    lasts = [d for d in (old[4], new[4]) if d is not None]
    return [
        old[0] + new[0],
        old[1] + new[1],
        old[2] + new[2],
        min(firsts) if firsts else None,
        max(lasts) if lasts else None,
    ]


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
