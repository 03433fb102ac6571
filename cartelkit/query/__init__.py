"""Stage 4, query: plain functions over the stores of :mod:`cartelkit.index.protocol`.

A :class:`Workspace` is a corpus folder and an index folder; it is also the Python API
(``cartelkit.open("corpus")``). Its methods validate what a user typed (dates, topics,
actor names: the same errors as the command line), ask the text index or the facts store,
and return dataclasses. They never print and never import the pipeline: when the index is
missing or older than the corpus, the ``builder`` given to the workspace builds it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cartelkit.corpus import Corpus
from cartelkit.errors import CorpusError, IndexStateError, QuerySyntaxError, UsageError, describe_os_error
from cartelkit.index.protocol import FACTS
from cartelkit.index.store import IndexDir, Manifest, index_is_current
from cartelkit.model import PartialDate, SearchQuery, SearchResult
from cartelkit.vocab import PERIODS, ROLES, TOPICS

if TYPE_CHECKING:
    from cartelkit.index.protocol import FactStore, TextIndex
    from cartelkit.model import (
        ActorSummary,
        Document,
        PeriodCount,
        SpeakerSummary,
        StanceQuery,
        StanceRow,
        TimelineEntry,
        TimelineQuery,
    )

Notify = Callable[[str], None]
Builder = Callable[[bool, "int | None"], Any]  # (rebuild, workers) -> a build report


def parse_date_option(value: str | None, name: str) -> PartialDate | None:
    if value is None:
        return None
    try:
        return PartialDate.from_iso(value.strip())
    except ValueError as exc:
        raise UsageError(f"{name} {value!r} is not a date", "use YYYY, YYYY-MM or YYYY-MM-DD") from exc


def parse_date_range(date_from: str | None, date_to: str | None) -> tuple[PartialDate | None, PartialDate | None]:
    """``--from``/``--to`` as dates; a range that ends before it starts is a usage error."""
    lo, hi = parse_date_option(date_from, "--from"), parse_date_option(date_to, "--to")
    if lo is not None and hi is not None and lo.iso[: len(hi.iso)] > hi.iso:
        raise UsageError(f"--from {date_from} is later than --to {date_to}", "swap them")
    return lo, hi


def check_choice(value: str | None, choices: tuple[str, ...], what: str) -> str | None:
    """A closed-set value (topic, role, period) as stored, or a usage error that lists the choices."""
    if value is None:
        return None
    if value.strip().lower() not in choices:
        raise UsageError(f"unknown {what} {value!r}", "use one of: " + ", ".join(choices))
    return value.strip().lower()


def check_limit(limit: int | None) -> int | None:
    """``limit`` rows (None or 0: all)."""
    if limit is not None and limit < 0:
        raise UsageError("--limit must be 0 (all) or more", "e.g. --limit 10")
    return limit or None


def check_language(code: str | None) -> str | None:
    """A ``--language`` value as stored (lower case), or a clear error for one cartelkit does not know."""
    if code is None:
        return None
    from cartelkit.data import languages

    known = [lang.code for lang in languages()]
    if code.strip().lower() not in known:
        raise UsageError(f"unknown language {code!r}", "use one of: " + ", ".join(known))
    return code.strip().lower()


@dataclass
class Workspace:
    """A corpus and its index. ``builder(rebuild, workers)`` builds the index when a query
    finds it missing or stale (``cartelkit.open`` and the command line give the pipeline's);
    without one, such a query raises :class:`IndexStateError`."""

    corpus: Corpus
    index: IndexDir
    notify: Notify = lambda _m: None
    builder: Builder | None = None
    _stores: dict[str, tuple[str, float, Any]] | None = None  # kind -> (generation, built_at, store)

    @classmethod
    def at(cls, corpus_dir: Path, index_dir: Path, **kw: Any) -> Workspace:
        return cls(Corpus(corpus_dir), IndexDir(index_dir), **kw)

    def build(self, rebuild: bool = False, workers: int | None = None) -> Any:
        """Build (incrementally, or from scratch with ``rebuild``); returns the build report."""
        if self.builder is None:
            raise IndexStateError(f"no builder for the index {self.index.root}", "run `cartelkit build`")
        return self.builder(rebuild, workers)

    def ensure_index(self) -> Manifest:
        """Build when the index is missing, stale, damaged or of another version (saying so)."""
        self.corpus.ensure()
        current, why = index_is_current(self.corpus, self.index)
        if not current and why == "the corpus changed since the last build" and self.index.is_locked():
            manifest = self.index.read_manifest()
            if manifest is not None:
                self.notify("a build is running: answering from the last complete index")
                return manifest
        if not current and self.builder is None:
            last = self._usable_manifest()
            if last is None:
                raise IndexStateError(f"{why} in {self.index.root}", "run `cartelkit build`")
            self.notify(f"{why}: answering from the last complete index (run `cartelkit build`)")
            return last
        if not current:
            self.notify(f"{why}: building the index…")
            try:
                report = self.build()
            except CorpusError as exc:  # e.g. a broken actors.toml: answer from what was built last
                last = self._usable_manifest()
                if last is None:
                    raise
                self.notify(f"warning: {exc.message}; answering from the last complete index")
                return last
            except OSError as exc:  # a full disk, a read-only index or corpus: the last index still answers
                last = self._usable_manifest()
                if last is None:
                    raise
                why = describe_os_error(exc)
                self.notify(f"warning: cannot refresh the index ({why}); answering from the last complete index")
                return last
            for name, msg in report.failed:
                self.notify(f"warning: skipped {name}: {msg}")
        manifest = self.index.read_manifest()
        if manifest is None:  # pragma: no cover - build always writes one
            raise IndexStateError("no index after building", "run `cartelkit build --rebuild`")
        return manifest

    def _usable_manifest(self) -> Manifest | None:
        """The last complete index, when this version of cartelkit can read it."""
        current, why = index_is_current(self.corpus, self.index)
        if not current and why != "the corpus changed since the last build":
            return None  # missing, damaged or of another version: nothing to answer from
        return self.index.read_manifest()

    def _store(self, kind: str) -> Any:
        """The live generation's text index ("text") or facts store ("facts"), once its seal and
        files check out (see :mod:`cartelkit.index.trust`: an index this user did not build is
        refused). When a build swapped generations while it was being opened, the new one is
        opened. Reused while the generation is live."""
        manifest = self.ensure_index()
        stores = self._stores if self._stores is not None else {}
        self._stores = stores
        kept = stores.get(kind)
        if kept and kept[:2] == (manifest.generation, manifest.built_at):
            return kept[2]
        for attempt in (1, 2):
            try:
                gen = self.index.verify(manifest)
                if kind == "text":
                    from cartelkit.index import whoosh_index as wx

                    store: Any = wx.WhooshText(wx.open_generation(gen, manifest.files))
                else:
                    from cartelkit.index.facts import Facts

                    store = Facts(gen / FACTS)
                break
            except IndexStateError:
                fresh = self.index.read_manifest()
                if attempt == 2 or fresh is None or fresh.generation == manifest.generation:
                    raise
                manifest = fresh  # a build committed meanwhile: its generation is the live one
        stores[kind] = (manifest.generation, manifest.built_at, store)
        return store

    def text(self) -> TextIndex:
        """The Whoosh side of the live generation (articles)."""
        return self._store("text")  # type: ignore[no-any-return]

    def facts(self) -> FactStore:
        """The SQLite side of the live generation (documents, actors, statements, events)."""
        return self._store("facts")  # type: ignore[no-any-return]

    @property
    def connection(self) -> Any:
        """A read-only ``sqlite3`` connection to the facts (tables documents, mentions,
        statements, events): ``pandas.read_sql("SELECT * FROM statements", ws.connection)``."""
        return self.facts().connection

    # --- search ------------------------------------------------------------------
    def search(
        self,
        text: str,
        limit: int = 10,
        date_from: str | None = None,
        date_to: str | None = None,
        source: str | None = None,
        actor: str | None = None,
        language: str | None = None,
        count: bool = False,
    ) -> SearchResult:
        """Ranked articles for a Whoosh query (``limit`` of them, 0 for all), how many matched
        (with ``count``: it costs a second pass), and a spelling suggestion when none did."""
        if not text.strip():
            raise QuerySyntaxError("the query is empty", 'search for a word, a "phrase" or field:value')
        n = check_limit(limit)
        lo, hi = parse_date_range(date_from, date_to)
        lang = check_language(language)
        actor_name = self.resolve_actor(actor).name if actor else None
        q = SearchQuery(text, lo, hi, source, actor_name, lang)
        store = self.text()
        opened = self._stores["text"][0] if self._stores and "text" in self._stores else None
        try:
            return store.search(q, n, count)
        except Exception:
            # Whoosh reads the generation's table of contents again for each search: if two
            # builds committed since it was opened, the older generation is gone. Once more,
            # on the live one; anything else is the error it was.
            fresh = self.index.read_manifest()
            if fresh is None or fresh.generation == opened or self._stores is None:
                raise
            self._stores.pop("text", None)
            return self.text().search(q, n, count)

    def empty_because(
        self,
        text: str,
        date_from: str | None = None,
        date_to: str | None = None,
        source: str | None = None,
        actor: str | None = None,
        language: str | None = None,
    ) -> str | None:
        """Why a search with filters found nothing: the filters that, each on its own, leave
        no match for a query that matches without them ("--source 'Nope'"); None when the
        query itself matches nothing."""
        filters: dict[str, tuple[str, str | None]] = {
            "--from": ("date_from", date_from),
            "--to": ("date_to", date_to),
            "--source": ("source", source),
            "--actor": ("actor", actor),
            "--language": ("language", language),
        }
        given = {option: kv for option, kv in filters.items() if kv[1] is not None}
        if not given or not self.search(text, 1).hits:
            return None
        blamed = [
            f"{option} {value!r}"
            for option, (name, value) in given.items()
            if not self.search(text, 1, **{name: value}).hits  # type: ignore[arg-type]
        ]
        return " and ".join(blamed) if blamed else "the filters together"

    # --- stance and timeline -----------------------------------------------------------
    def stance_query(
        self,
        topic: str,
        actor: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        include_neutral: bool = False,
        language: str | None = None,
    ) -> StanceQuery:
        """What the user asked, checked: a known topic and language, dates, the speaker's full name."""
        name = check_choice(topic, TOPICS, "topic")
        assert name is not None
        lo, hi = parse_date_range(date_from, date_to)
        code = check_language(language)
        speaker = self.resolve_actor(actor).name if actor else None
        stances = ("support", "oppose", "neutral") if include_neutral else ("support", "oppose")
        from cartelkit.model.facts import StanceQuery

        return StanceQuery(name, stances, speaker, lo, hi, code)

    def stance(
        self,
        topic: str,
        actor: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        include_neutral: bool = False,
        language: str | None = None,
        limit: int | None = None,
    ) -> list[StanceRow]:
        """Attributed statements on ``topic`` ("negotiation" or "confrontation"), oldest first
        (undated last); ``actor``: one speaker; ``include_neutral``: statements without a clear
        stance too; ``limit``: the first rows only."""
        q = self.stance_query(topic, actor, date_from, date_to, include_neutral, language)
        return list(self.facts().stance(q, check_limit(limit)))

    def stance_rows(self, q: StanceQuery, limit: int | None = None) -> Iterator[StanceRow]:
        """The rows of a checked query as a stream (constant memory, whatever their number)."""
        return self.facts().stance(q, check_limit(limit))

    def count_stance(self, q: StanceQuery) -> int:
        return self.facts().count_stance(q)

    def stance_summary(self, q: StanceQuery) -> list[SpeakerSummary]:
        """One row per speaker: counts per stance, first and last date, most statements first."""
        return self.facts().stance_summary(q)

    def stance_by(self, q: StanceQuery, period: str) -> list[PeriodCount]:
        """Statements per ``period`` ("year" or "month") and stance, oldest first."""
        name = check_choice(period, PERIODS, "period")
        assert name is not None
        return self.facts().stance_by(q, name)

    def timeline_query(
        self,
        actor: str,
        date_from: str | None = None,
        date_to: str | None = None,
        role: str | None = None,
        language: str | None = None,
    ) -> TimelineQuery:
        lo, hi = parse_date_range(date_from, date_to)
        role_name = check_choice(role, ROLES, "role")
        code = check_language(language)
        from cartelkit.model.facts import TimelineQuery

        return TimelineQuery(self.resolve_actor(actor).name, role_name, lo, hi, code)

    def timeline(
        self,
        actor: str,
        date_from: str | None = None,
        date_to: str | None = None,
        role: str | None = None,
        language: str | None = None,
        limit: int | None = None,
    ) -> list[TimelineEntry]:
        """What ``actor`` (a name, alias or nickname) did or said, and what was done to them,
        oldest first (undated last); ``role``: only "actor" or only "target" entries."""
        q = self.timeline_query(actor, date_from, date_to, role, language)
        return list(self.facts().timeline(q, check_limit(limit)))

    def timeline_rows(self, q: TimelineQuery, limit: int | None = None) -> Iterator[TimelineEntry]:
        return self.facts().timeline(q, check_limit(limit))

    def count_timeline(self, q: TimelineQuery) -> int:
        return self.facts().count_timeline(q)

    # --- documents, actors, stats ---------------------------------------------------
    def document(self, doc_id: str) -> Document:
        """One cleaned, annotated document (from the clean cache, built if needed)."""
        self.corpus.raw_path(doc_id)  # validates the id and that the file exists
        self.ensure_index()
        cached = self.corpus.load_clean(doc_id)
        if cached is None:
            raise CorpusError(
                f"{doc_id} could not be processed, or its clean cache is missing or damaged",
                "see the warnings of `cartelkit build --rebuild`",
            )
        from cartelkit.model.document import Document

        return Document.from_dict(cached["document"])

    def actors(self, type_: str | None = None) -> list[ActorSummary]:
        """Actors the corpus mentions, with aliases and counts, most mentioned first."""
        from cartelkit.query.actors import list_actors

        return list_actors(self, type_)

    def resolve_actor(self, name: str) -> ActorSummary:
        """One actor for a name a user typed ("Fox", "AMLO"); :class:`QueryError` when unknown
        or ambiguous."""
        from cartelkit.query.actors import resolve_actor

        return resolve_actor(self, name)

    def stats(self) -> dict[str, Any]:
        """Documents, date range, sources, statement and event counts, index size and age."""
        summary = self.facts().summary()
        manifest = self.index.read_manifest()  # facts() has just ensured it is current
        assert manifest is not None
        dates = summary["dates"]
        dated = sorted(k for k in dates if k)
        return {
            "documents": summary["documents"],
            "undated": dates.get("", 0),
            "date_from": dated[0] if dated else None,
            "date_to": dated[-1] if dated else None,
            "sources": dict(sorted(summary["sources"].items(), key=lambda kv: (-kv[1], kv[0]))),
            "languages": dict(sorted(summary["languages"].items(), key=lambda kv: (-kv[1], kv[0]))),
            "statements": summary["statements"],
            "events": summary["events"],
            "actors": summary["actors"],
            "index_bytes": self.index.size_bytes(manifest),
            "index_built": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(manifest.built_at)),
            "index_age_seconds": round(time.time() - manifest.built_at, 1),
            "corpus": str(self.corpus.root),
            "index": str(self.index.root),
        }
