"""Stage 4, query: search, show, stats (and, with the annotators, actors/timeline/stance).

A :class:`Workspace` is a corpus folder and an index folder. Query functions build the
index first when it is missing or older than the corpus, and return dataclasses.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cartelkit.corpus import Corpus
from cartelkit.errors import CorpusError, IndexStateError, QuerySyntaxError, UsageError, describe_os_error
from cartelkit.index.store import IndexDir, Manifest, index_is_current
from cartelkit.model import Document, PartialDate, SearchResult

if TYPE_CHECKING:  # the pipeline (cleaning, annotation) loads only when a build is needed
    from cartelkit.pipeline import BuildReport, Progress

Notify = Callable[[str], None]


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
    corpus: Corpus
    index: IndexDir
    notify: Notify = lambda _m: None
    progress: Progress | None = None
    _opened: tuple[str, float, Any] | None = None  # (generation, built_at, index): reused while current

    @classmethod
    def at(cls, corpus_dir: Path, index_dir: Path, **kw: Any) -> Workspace:
        return cls(Corpus(corpus_dir), IndexDir(index_dir), **kw)

    def build(self, rebuild: bool = False, workers: int | None = None) -> BuildReport:
        from cartelkit.pipeline import build

        return build(self.corpus, self.index, rebuild=rebuild, progress=self.progress, workers=workers)

    def ensure_index(self) -> Manifest:
        """Build when the index is missing, stale, damaged or of another version (saying so)."""
        self.corpus.ensure()
        current, why = index_is_current(self.corpus, self.index)
        if not current and why == "the corpus changed since the last build" and self.index.is_locked():
            manifest = self.index.read_manifest()
            if manifest is not None:
                self.notify("a build is running: answering from the last complete index")
                return manifest
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

    def open(self) -> Any:
        """The Whoosh index of the live generation, once its seal and files check out (see
        :mod:`cartelkit.index.trust`: an index this user did not build is refused). When a
        build swapped generations while it was being opened, the new one is opened."""
        from cartelkit.index import whoosh_index as wx

        manifest = self.ensure_index()
        if self._opened and self._opened[:2] == (manifest.generation, manifest.built_at):
            return self._opened[2]
        for attempt in (1, 2):
            try:
                ix = wx.open_generation(self.index.verify(manifest), manifest.files)
                break
            except IndexStateError:
                fresh = self.index.read_manifest()
                if attempt == 2 or fresh is None or fresh.generation == manifest.generation:
                    raise
                manifest = fresh  # a build committed meanwhile: its generation is the live one
        self._opened = (manifest.generation, manifest.built_at, ix)
        return ix

    # --- queries -----------------------------------------------------------------
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
        from cartelkit.index import whoosh_index as wx

        if not text.strip():
            raise QuerySyntaxError("the query is empty", 'search for a word, a "phrase" or field:value')
        if limit < 0:
            raise UsageError("--limit must be 0 (all) or more", "e.g. --limit 10")
        lo, hi = parse_date_range(date_from, date_to)
        lang = check_language(language)
        ix = self.open()
        actor_name = self.resolve_actor(actor).name if actor else None
        return wx.search_articles(ix, text, limit or None, lo, hi, source, actor_name, lang, count)

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

    def document(self, doc_id: str) -> Document:
        """One cleaned, annotated document (from the clean cache, built if needed)."""
        self.corpus.raw_path(doc_id)  # validates the id and that the file exists
        self.ensure_index()
        cached = self.corpus.load_clean(doc_id)
        if cached is None:
            raise CorpusError(f"{doc_id} could not be processed", "see the warnings of `cartelkit build`")
        return Document.from_dict(cached["document"])

    def summary(self) -> dict[str, Any]:
        """The corpus summary the last build kept beside the index (no index scan)."""
        manifest = self.ensure_index()
        try:
            return self.index.read_summary(manifest)
        except IndexStateError as exc:
            self.notify(f"{exc.message}: rebuilding the index…")
            self.build(rebuild=True)
            return self.index.read_summary(self.ensure_index())

    def stats(self) -> dict[str, Any]:
        """Documents, date range, sources, statement and event counts, index size and age."""
        summary = self.summary()
        manifest = self.index.read_manifest()  # summary() has just ensured it is current
        assert manifest is not None
        dated = sorted(k for k in summary.get("dates", {}) if k)
        sources = summary.get("sources", {})
        return {
            "documents": summary.get("documents", 0),
            "undated": summary.get("dates", {}).get("", 0),
            "date_from": dated[0] if dated else None,
            "date_to": dated[-1] if dated else None,
            "sources": dict(sorted(sources.items(), key=lambda kv: (-kv[1], kv[0]))),
            "languages": dict(sorted(summary.get("languages", {}).items(), key=lambda kv: (-kv[1], kv[0]))),
            "statements": summary.get("statements", 0),
            "events": summary.get("events", 0),
            "actors": len(summary.get("actors", {})),
            "index_bytes": self.index.size_bytes(manifest),
            "index_built": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(manifest.built_at)),
            "index_age_seconds": round(time.time() - manifest.built_at, 1),
            "corpus": str(self.corpus.root),
            "index": str(self.index.root),
        }

    def resolve_actor(self, name: str) -> Any:
        from cartelkit.query.actors import resolve_actor

        return resolve_actor(self, name)
