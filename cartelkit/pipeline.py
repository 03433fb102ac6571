"""Build: raw files -> clean/annotated documents (cached) -> the index. Incremental and crash-safe.

A document is reprocessed only when its cache key changes: the raw bytes, its sidecar,
the pipeline version, the data files (packaged and the corpus's ``actors.toml``) or
the set of its lines that recur elsewhere in the corpus (the cleaner's cross-document
evidence).
"""

from __future__ import annotations

import hashlib
import os
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from cartelkit import __version__
from cartelkit.annotate import annotate_document
from cartelkit.clean import clean_document, parse_sidecar
from cartelkit.clean.decode import MAX_BYTES, to_text
from cartelkit.corpus import Corpus, RawFile
from cartelkit.errors import CartelkitError, IndexStateError
from cartelkit.index.store import SCHEMA_VERSION, IndexDir, Manifest
from cartelkit.model import Document
from cartelkit.textutil import line_key, sha256_bytes

PIPELINE_VERSION = f"{__version__}+p1"
MAX_LINE_FOR_COUNTS = 600
Progress = Callable[[str, int, int], None]


@dataclass
class BuildReport:
    total: int = 0
    processed: int = 0
    reused: int = 0
    indexed: int = 0
    removed: int = 0
    rebuilt: bool = False
    reason: str | None = None
    seconds: float = 0.0
    failed: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def data_hash(corpus: Corpus) -> str:
    """Hash of every packaged data file and the corpus's actors.toml (part of each cache key)."""
    h = hashlib.sha256(PIPELINE_VERSION.encode())
    for entry in sorted(resources.files("cartelkit.data").iterdir(), key=lambda e: e.name):
        if entry.name.endswith((".toml", ".txt", ".csv")):
            h.update(entry.name.encode() + entry.read_bytes())
    if corpus.actors_file.is_file():
        h.update(corpus.actors_file.read_bytes())
    return h.hexdigest()


def _line_keys(text: str) -> set[int]:
    return {line_key(line) for line in text.split("\n") if line.strip() and len(line) <= MAX_LINE_FOR_COUNTS}


@dataclass(frozen=True)
class _Job:
    raw: RawFile
    cache_key: str
    counts: dict[int, int]
    sidecar: bytes | None
    actors_file: str | None


def _process(job: _Job) -> tuple[str, Document | None, str | None]:
    """Worker: clean and annotate one file. Returns (doc_id, document, error message)."""
    try:
        data = job.raw.path.read_bytes()
        side = parse_sidecar(job.sidecar, job.raw.sidecar.name) if job.sidecar is not None else None
        doc = clean_document(data, job.raw.path.name, job.counts, side)
        doc = annotate_document(doc, Path(job.actors_file) if job.actors_file else None)
        return job.raw.doc_id, doc, None
    except CartelkitError as exc:
        return job.raw.doc_id, None, str(exc)
    except OSError as exc:
        return job.raw.doc_id, None, f"{job.raw.path.name}: cannot read ({exc.strerror})"


def _map(jobs: list[_Job], workers: int) -> Iterator[tuple[str, Document | None, str | None]]:
    if workers <= 1 or len(jobs) < 16:
        yield from map(_process, jobs)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(_process, jobs, chunksize=max(1, min(64, len(jobs) // (workers * 8) or 1)))


def build(
    corpus: Corpus,
    index_dir: IndexDir,
    rebuild: bool = False,
    progress: Progress | None = None,
    workers: int | None = None,
) -> BuildReport:
    """Clean, annotate and index every raw file; only new or changed files are processed."""
    from cartelkit.index import whoosh_index as wx

    started = time.monotonic()
    report = BuildReport()
    workers = workers or os.cpu_count() or 1
    tick = progress or (lambda _s, _d, _t: None)
    with index_dir.lock():
        files = corpus.raw_files(report.warnings)
        report.total = len(files)
        try:
            manifest = index_dir.read_manifest()
        except IndexStateError as exc:
            manifest, report.reason = None, exc.message
        if manifest is not None:
            if manifest.schema_version != SCHEMA_VERSION or manifest.pipeline != PIPELINE_VERSION:
                report.reason = "the index was built by another version of cartelkit; rebuilding"
                rebuild = True
            elif not index_dir.generation_path(manifest).is_dir():
                report.reason, rebuild = "the index files are missing; rebuilding", True
        ix = None
        if manifest is not None and not rebuild:
            try:
                ix = wx.open_generation(index_dir.generation_path(manifest))
            except IndexStateError as exc:
                report.reason, rebuild = f"{exc.message}; rebuilding", True
        rebuild = rebuild or manifest is None or ix is None

        # pass 1: read every file once, count lines across documents
        dhash = data_hash(corpus)
        counts: Counter[int] = Counter()
        per_doc: dict[str, tuple[str, set[int]]] = {}
        for i, raw in enumerate(files):
            tick("reading", i, len(files))
            try:
                data = raw.path.read_bytes()
                text, _enc = to_text(data, raw.path.name, MAX_BYTES)
            except CartelkitError as exc:
                report.failed.append((raw.path.name, str(exc)))
                continue
            except OSError as exc:
                report.failed.append((raw.path.name, f"{raw.path.name}: cannot read ({exc.strerror})"))
                continue
            keys = _line_keys(text)
            counts.update(keys)
            per_doc[raw.doc_id] = (sha256_bytes(data), keys)

        # pass 2: decide what to (re)process
        jobs: list[_Job] = []
        docs: dict[str, Document] = {}
        keys_by_id: dict[str, str] = {}
        actors_file = str(corpus.actors_file) if corpus.actors_file.is_file() else None
        for raw in files:
            if raw.doc_id not in per_doc:
                continue
            digest, keys = per_doc[raw.doc_id]
            recurring = {k: counts[k] - 1 for k in keys if counts[k] >= 3}
            sidecar = raw.sidecar.read_bytes() if raw.sidecar.is_file() else None
            h = hashlib.sha256(f"{digest}\n{dhash}\n".encode())
            h.update(sidecar or b"")
            h.update(",".join(str(k) for k in sorted(recurring)).encode())
            cache_key = h.hexdigest()
            keys_by_id[raw.doc_id] = cache_key
            cached = corpus.load_clean(raw.doc_id)
            if cached is not None and cached.get("cache_key") == cache_key:
                try:
                    docs[raw.doc_id] = Document.from_dict(cached["document"])
                    report.reused += 1
                    continue
                except (TypeError, KeyError, ValueError):
                    pass
            jobs.append(_Job(raw, cache_key, recurring, sidecar, actors_file))
        del per_doc
        for n, (doc_id, doc, error) in enumerate(_map(jobs, workers)):
            tick("cleaning", n, len(jobs))
            if doc is None:
                report.failed.append((doc_id, error or "failed"))
                keys_by_id.pop(doc_id, None)
                continue
            corpus.save_clean(doc, keys_by_id[doc_id])
            docs[doc_id] = doc
            report.processed += 1

        # pass 3: index
        old_docs = {} if rebuild or manifest is None else manifest.docs
        to_index = sorted(d for d in keys_by_id if old_docs.get(d) != keys_by_id[d])
        gone = sorted(set(old_docs) - set(keys_by_id))
        if rebuild:
            gen = index_dir.new_generation()
            ix = wx.create(gen)
            generation = gen.name
        else:
            assert manifest is not None
            generation = manifest.generation
        if to_index or gone or rebuild:
            writer = wx.Writer(ix, procs=workers, bulk=rebuild and len(to_index) > 2000)
            try:
                for doc_id in gone:
                    writer.delete(doc_id)
                for n, doc_id in enumerate(to_index):
                    tick("indexing", n, len(to_index))
                    if not rebuild:
                        writer.delete(doc_id)
                    writer.add(docs[doc_id])
                writer.commit()
            except BaseException:
                writer.cancel()
                raise
        report.indexed, report.removed, report.rebuilt = len(to_index), len(gone), rebuild
        for doc_id in gone:
            corpus.remove_clean(doc_id)
        for doc_id in set(corpus.clean_ids()) - set(keys_by_id) - {f.doc_id for f in files}:
            corpus.remove_clean(doc_id)
        index_dir.commit(
            Manifest(
                SCHEMA_VERSION,
                PIPELINE_VERSION,
                generation,
                str(corpus.root.resolve()),
                corpus.fingerprint(files),
                time.time(),
                keys_by_id,
            )
        )
        tick("done", 1, 1)
    report.seconds = time.monotonic() - started
    return report


def index_is_current(corpus: Corpus, index_dir: IndexDir) -> tuple[bool, str]:
    """Whether queries may use the index as it is, and if not, why (for the message)."""
    try:
        manifest = index_dir.read_manifest()
    except IndexStateError as exc:
        return False, exc.message
    if manifest is None:
        return False, "no index yet"
    if manifest.schema_version != SCHEMA_VERSION or manifest.pipeline != PIPELINE_VERSION:
        return False, "the index was built by another version of cartelkit"
    if not index_dir.generation_path(manifest).is_dir():
        return False, "the index files are missing"
    if manifest.fingerprint != corpus.fingerprint():
        return False, "the corpus changed since the last build"
    return True, ""
