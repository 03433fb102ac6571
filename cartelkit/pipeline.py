"""Build: raw files -> clean/annotated documents (cached) -> the index. Incremental and crash-safe.

A document is reprocessed only when its cache key changes: the raw bytes, its sidecar,
the pipeline version, the data files (packaged and the corpus's ``actors.toml``) or
the set of its lines that recur elsewhere in the corpus (the cleaner's cross-document
evidence).
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import multiprocessing
import os
import shutil
import sys
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from cartelkit.clean import max_bytes_for, parse_sidecar
from cartelkit.clean.decode import to_text
from cartelkit.clean.html import extractor_version, is_html
from cartelkit.clean.recurrence import FileFacts, LineIndex, line_keys
from cartelkit.corpus import Corpus, RawFile
from cartelkit.errors import CartelkitError, IndexStateError
from cartelkit.index.store import SCHEMA_VERSION, GenerationWriter, IndexDir, Manifest
from cartelkit.model import Document
from cartelkit.textutil import sha256_bytes
from cartelkit.version import PIPELINE_VERSION

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
    stages: dict[str, float] = field(default_factory=dict)  # CPU seconds per stage, workers included


class Stages:
    """CPU time (``time.process_time``) spent per stage: ``with stages("clean"): …``."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._name = ""
        self._started = 0.0

    def __call__(self, name: str) -> Stages:
        self._name = name
        return self

    def __enter__(self) -> None:
        self._started = time.process_time()

    def __exit__(self, *_exc: object) -> None:
        spent = time.process_time() - self._started
        self.seconds[self._name] = self.seconds.get(self._name, 0.0) + spent

    def add(self, other: dict[str, float]) -> None:
        for name, spent in other.items():
            self.seconds[name] = self.seconds.get(name, 0.0) + spent


def data_hash(corpus: Corpus) -> str:
    """Hash of every packaged data file and the corpus's actors.toml (part of each cache key)."""
    h = hashlib.sha256(PIPELINE_VERSION.encode())
    for entry in sorted(resources.files("cartelkit.data").iterdir(), key=lambda e: e.name):
        if entry.name.endswith((".toml", ".txt", ".csv")):
            h.update(entry.name.encode() + entry.read_bytes())
    if corpus.actors_file.is_file():
        h.update(corpus.actors_file.read_bytes())
    return h.hexdigest()


@dataclass(frozen=True)
class _Job:
    raw: RawFile
    cache_key: str
    counts: dict[int, int] | None  # None: the clean cache is valid, load it instead of processing
    sidecar: bytes | None
    actors_file: str | None
    clean_dir: str


Result = tuple[str, "Document | None", "str | None", bool, dict[str, float]]


def _process(job: _Job) -> Result:
    """Worker: clean, annotate and cache one file (or load it from the cache).

    Returns ``(doc_id, document, error message, processed, CPU seconds per stage)``."""
    from cartelkit.annotate import annotate_document  # not imported by the builder itself: see _Workers
    from cartelkit.clean import clean_document

    corpus = Corpus(Path(job.clean_dir).parent)
    stages = Stages()
    try:
        if job.counts is None:
            with stages("cache load"):
                cached = _last_good(corpus, job.raw.doc_id)
            if cached is not None and cached[1] == job.cache_key:
                return job.raw.doc_id, cached[0], None, False, stages.seconds
        with stages("clean"):
            data = job.raw.path.read_bytes()
            side = parse_sidecar(job.sidecar, job.raw.sidecar.name) if job.sidecar is not None else None
            doc = clean_document(data, job.raw.name, job.counts or {}, side)
        with stages("annotate"):
            doc = annotate_document(doc, Path(job.actors_file) if job.actors_file else None)
        with stages("cache save"):
            corpus.save_clean(doc, job.cache_key)
        return job.raw.doc_id, doc, None, True, stages.seconds
    except CartelkitError as exc:
        return job.raw.doc_id, None, str(exc), False, stages.seconds
    except OSError as exc:
        return job.raw.doc_id, None, f"{job.raw.name}: cannot read ({exc.strerror})", False, stages.seconds
    except (RecursionError, MemoryError, ValueError, TypeError, KeyError, IndexError, OverflowError) as exc:
        # one bad input (a sidecar of nested arrays, a year 0) is that file's problem, not the build's
        why = f"{job.raw.name}: could not be processed ({type(exc).__name__})"
        return job.raw.doc_id, None, why, False, stages.seconds


def _sidecar_stamp(raw: RawFile) -> str:
    """What a build knows of a file's sidecar without reading it: none, a link, or its size and mtime."""
    if raw.sidecar_kind != "file":
        return raw.sidecar_kind or ""
    try:
        st = raw.sidecar.stat()
    except OSError:
        return "gone"
    return f"{st.st_size}:{st.st_mtime_ns}"


def _last_good(corpus: Corpus, doc_id: str) -> tuple[Document, str] | None:
    """A document's last successfully processed version in the clean cache, and its key."""
    cached = corpus.load_clean(doc_id)
    if cached is None:
        return None
    try:
        return Document.from_dict(cached["document"]), str(cached.get("cache_key", ""))
    except (TypeError, KeyError, ValueError):
        return None


def _worker_init(builder: int, actors_file: str | None) -> None:
    """A worker dies with the build and holds none of its output streams: a killed build leaves
    no worker running, and ``cartelkit build | tee log`` ends when the build does (Linux sends
    the worker SIGTERM when its parent, the builder, dies). It then loads the annotators."""
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    os.close(devnull)
    if sys.platform.startswith("linux"):
        import ctypes
        import signal

        pr_set_pdeathsig = 1
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)
    if os.getppid() != builder:  # the builder was already gone
        os._exit(1)
    _warm_up(actors_file)


_WARM_UP = b"Warm-up\n\nBy A. Writer\n\nThe president said on Monday that the army would stay in Sinaloa.\n"


def _warm_up(actors_file: str | None) -> None:
    """Load the cleaner, the annotators, the gazetteer and the lexicons (a third of a second of
    imports and tables) by cleaning and annotating a sentence, before the first document."""
    try:
        from cartelkit.annotate import annotate_document
        from cartelkit.clean import clean_document

        annotate_document(clean_document(_WARM_UP, "warm-up.txt", {}, None), Path(actors_file) if actors_file else None)
    except Exception:
        pass


class _Workers:
    """The worker processes of a build, started when first needed or early (:meth:`start`): a
    build that will process files (``add`` of one article among them) starts one at once, and it
    loads the annotators while this process lists the corpus and opens the index."""

    def __init__(self, workers: int, actors_file: str | None) -> None:
        self.workers = workers
        self.actors_file = actors_file
        self.pool: ProcessPoolExecutor | None = None
        self._ready: Future[int] | None = None  # done when the first worker has loaded the annotators
        self._before: set[multiprocessing.process.BaseProcess] = set()
        self._exiting: list[multiprocessing.process.BaseProcess] = []

    def start(self) -> ProcessPoolExecutor:
        if self.pool is None:
            # spawn, not fork: a forked worker would inherit the build lock's descriptor and keep the
            # lock held after the builder is killed. Not forkserver either: its server outlives a
            # killed builder, and so would the workers it forked; spawned workers are the builder's
            # children and die with it (see _worker_init).
            ctx = multiprocessing.get_context("spawn")
            self.pool = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=ctx,
                initializer=_worker_init,
                initargs=(os.getpid(), self.actors_file),
            )
            self._before = set(multiprocessing.active_children())  # the caller's own, never joined here
            self._ready = self.pool.submit(int)  # one worker starts now (the others when there is work)
        return self.pool

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None
        for process in self._exiting:  # told to exit at the last result: none outlives the build
            process.join()

    def map(self, jobs: Iterator[_Job]) -> Iterator[Result]:
        """Results in job order; at most a bounded window of documents is in flight or buffered.
        Without a started worker, a few jobs are done here (starting workers costs more)."""
        head = list(itertools.islice(jobs, 16))
        if self.workers <= 1 or (len(head) < 16 and self.pool is None):
            yield from map(_process, itertools.chain(head, jobs))
            return
        pool = self.start()
        if len(head) < 16 and self._ready is not None:
            self._ready.result()  # a few jobs go to the warm worker: none is started for them
        window = self.workers * 16
        pending: deque[Future[Result]] = deque()
        it = itertools.chain(head, jobs)
        for job in it:
            pending.append(pool.submit(_process, job))
            if len(pending) >= window:
                break
        while pending:
            result = pending.popleft().result()
            nxt = next(it, None)
            if nxt is not None:
                pending.append(pool.submit(_process, nxt))
            elif not pending:  # the last result: the workers exit while the index is written
                self._exiting = [p for p in multiprocessing.active_children() if p not in self._before]
                pool.shutdown(wait=False)
            yield result


EARLY_START = 500  # raw files from which listing them takes longer than starting a worker


def _expects_work(corpus: Corpus, index_dir: IndexDir, signature: str, rebuild: bool) -> bool:
    """Whether files were added or removed since the last build (or there is none) in a corpus
    big enough for its listing to hide a worker's start-up; one folder read, no stat."""
    try:
        if len(os.listdir(corpus.raw_dir)) < EARLY_START:
            return False
    except OSError:
        return False
    live = None if rebuild else index_dir.manifest_or_none()
    return live is None or live.fingerprint != signature


def build(
    corpus: Corpus,
    index_dir: IndexDir,
    rebuild: bool = False,
    progress: Progress | None = None,
    workers: int | None = None,
) -> BuildReport:
    """Clean, annotate and index every raw file; only new or changed files are processed.

    Documents stream through: workers clean, annotate and cache them while this process
    indexes the results in order, so memory stays bounded whatever the corpus size."""
    from cartelkit.index import trust

    started = time.monotonic()
    report = BuildReport()
    stages = Stages()
    workers = workers or os.cpu_count() or 1
    tick = progress or (lambda _s, _d, _t: None)
    actors_toml = corpus.actors_file if corpus.actors_file.is_file() else None
    pool = _Workers(workers, str(actors_toml) if actors_toml else None)
    with index_dir.lock(), contextlib.closing(pool):
        trust.user_key(create=True)  # the key seals the result: a build that cannot make it stops first
        from cartelkit.annotate.gazetteer import load_gazetteer

        if actors_toml is not None:  # a broken actors file stops the build before any work
            load_gazetteer(actors_toml)
        signature = corpus.fingerprint()  # before listing: a file added meanwhile makes the next query build
        if workers > 1 and _expects_work(corpus, index_dir, signature, rebuild):
            pool.start()  # it loads the annotators while this process lists the files
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
        writer: GenerationWriter | None = None
        gen: Path | None = None  # the generation this build writes (removed if it does not finish)
        inherited: dict[str, int] = {}
        if manifest is not None and not rebuild:
            index_dir.verify(manifest)  # an index this user did not build is refused, never rebuilt over
            try:
                gen, inherited = index_dir.clone_generation(manifest)
                writer = GenerationWriter(gen, fresh=False)  # the clone: sealed files only, ours to write
            except IndexStateError as exc:
                report.reason, rebuild = f"{exc.message}; rebuilding", True
                if gen is not None:
                    shutil.rmtree(gen, ignore_errors=True)
                    gen = None
        rebuild = rebuild or manifest is None or writer is None

        try:  # a build stopped before pass 3 leaves no generation behind either
            # pass 1: line fingerprints of new or changed files (unchanged ones are not read)
            dhash = data_hash(corpus)
            lines = LineIndex() if rebuild else LineIndex.load(corpus.lines_file)
            readable: list[RawFile] = []
            fingerprinted: set[str] = set()
            for i, raw in enumerate(files):
                if i % 512 == 0 or i == len(files) - 1:  # a bar's redraw costs more than a listed file
                    tick("reading", i, len(files))
                known = lines.files.get(raw.doc_id)
                if known is not None and (known.size, known.mtime_ns, known.name) == (raw.size, raw.mtime_ns, raw.name):
                    readable.append(raw)
                    continue
                try:
                    with stages("fingerprints"):
                        data = raw.path.read_bytes()
                        text, _enc = to_text(data, raw.name, max_bytes_for(raw.name))
                        facts = FileFacts(raw.size, raw.mtime_ns, sha256_bytes(data), line_keys(text), name=raw.name)
                except CartelkitError as exc:
                    report.failed.append((raw.name, str(exc)))
                    lines.drop(raw.doc_id)
                    continue
                except OSError as exc:
                    report.failed.append((raw.name, f"{raw.name}: cannot read ({exc.strerror})"))
                    lines.drop(raw.doc_id)
                    continue
                lines.put(raw.doc_id, facts)
                readable.append(raw)
                fingerprinted.add(raw.doc_id)
            present = {f.doc_id for f in readable}
            vanished = [d for d in lines.files if d not in present]
            for doc_id in vanished:
                lines.drop(doc_id)

            # pass 2 (lazy): the cache key of every file, and the jobs the index needs
            old_docs = {} if rebuild or writer is None else writer.cache_keys()
            keys_by_id: dict[str, str] = {}
            actors_file = str(corpus.actors_file) if corpus.actors_file.is_file() else None
            gone = sorted(set(old_docs) - present)

            # An unchanged file (same bytes, sidecar and data files) whose recurring lines did not move
            # keeps the key it was indexed with: it is skipped without hashing anything.
            unsure = fingerprinted | lines.moved() if lines.context == dhash else None

            def jobs() -> Iterator[_Job]:
                for raw in readable:
                    facts = lines.files[raw.doc_id]
                    if (
                        unsure is not None
                        and facts.key
                        and old_docs.get(raw.doc_id) == facts.key
                        and raw.doc_id not in unsure
                        and raw.sidecar_kind != "link"  # warned about at every build
                        and facts.sidecar == _sidecar_stamp(raw)
                        and not is_html(raw.name, "")
                    ):
                        report.reused += 1
                        continue
                    facts.sidecar = _sidecar_stamp(raw)
                    recurring = lines.recurring(raw.doc_id)
                    sidecar = None
                    if raw.sidecar_kind == "link":  # links are not followed, sidecars included
                        report.warnings.append(f"{raw.sidecar.name}: skipped, a symbolic link (links are not followed)")
                    elif raw.sidecar_kind == "file":
                        with contextlib.suppress(FileNotFoundError):  # removed since the listing
                            sidecar = raw.sidecar.read_bytes()
                    h = hashlib.sha256(f"{facts.digest}\n{dhash}\n".encode())
                    h.update(sidecar or b"")
                    h.update(",".join(str(k) for k in sorted(recurring)).encode())
                    if is_html(raw.name, ""):  # a new extractor may find another text
                        h.update(extractor_version().encode())
                    cache_key = facts.key = h.hexdigest()
                    keys_by_id[raw.doc_id] = cache_key
                    if old_docs.get(raw.doc_id) == cache_key:
                        report.reused += 1  # indexed with this key: nothing to do, its cache is not even opened
                        continue
                    cached = corpus.load_clean_key(raw.doc_id)
                    counts = None if cached == cache_key else recurring  # a valid cache is reused, even by --rebuild
                    yield _Job(raw, cache_key, counts, sidecar, actors_file, str(corpus.clean_dir))
        except BaseException:
            if writer is not None:
                writer.cancel()
            if gen is not None:
                shutil.rmtree(gen, ignore_errors=True)
            raise

        # pass 3: process (in workers) and index (here) as results arrive
        if rebuild:
            if writer is not None:
                writer.cancel()
            if gen is not None:
                shutil.rmtree(gen, ignore_errors=True)
            gen = index_dir.new_generation()
            try:
                writer = GenerationWriter(gen, fresh=True)
            except BaseException:
                shutil.rmtree(gen, ignore_errors=True)
                raise
        assert gen is not None and writer is not None
        generation = gen.name
        out = writer

        def forget(doc_id: str) -> None:  # take an indexed document out
            if doc_id in old_docs:
                out.delete(doc_id)

        try:
            for doc_id in gone:
                forget(doc_id)
            for n, (doc_id, doc, error, processed, spent) in enumerate(pool.map(jobs())):
                tick("building", n, len(readable))
                stages.add(spent)
                if doc is None:  # its last good version stays: in the index, or from the clean cache
                    kept = _last_good(corpus, doc_id) if rebuild else None
                    if not rebuild and doc_id in old_docs:
                        keys_by_id[doc_id] = old_docs[doc_id]  # retried by the next build
                        report.failed.append((doc_id, f"{error or 'failed'}; its last good version stays"))
                        continue
                    if kept is None:
                        forget(doc_id)
                        report.failed.append((doc_id, error or "failed"))
                        keys_by_id.pop(doc_id, None)
                        continue
                    doc, keys_by_id[doc_id] = kept
                    report.failed.append((doc_id, f"{error or 'failed'}; its last good version stays"))
                    processed = False
                forget(doc_id)
                report.processed += processed
                report.reused += not processed
                with stages("index"):
                    out.add(doc, keys_by_id[doc_id])
                report.indexed += 1
            tick("saving", 0, 1)
            with stages("index commit"):
                out.facts.set_gazetteer(dhash, lambda: load_gazetteer(actors_toml).entries())
                out.commit()
            report.removed, report.rebuilt = len(gone), rebuild
            for doc_id in gone:
                corpus.remove_clean(doc_id)
            if gone or rebuild or vanished:  # the entries of files removed or renamed
                for doc_id in set(corpus.clean_ids()) - {f.doc_id for f in files}:
                    corpus.remove_clean(doc_id)
            lines.context = dhash
            lines.save(corpus.lines_file)
            new_manifest = Manifest(
                SCHEMA_VERSION,
                PIPELINE_VERSION,
                generation,
                str(corpus.root.resolve()),
                signature,
                time.time(),
            )
            with stages("seal"):
                index_dir.commit(new_manifest, previous=manifest, inherited=inherited if not rebuild else None)
        except BaseException:
            if not out.committed:
                out.cancel()
            if index_dir.read_manifest_quietly() != generation:
                shutil.rmtree(gen, ignore_errors=True)  # the live generation was never touched
            raise
        tick("done", 1, 1)
    report.seconds = time.monotonic() - started
    report.stages = {k: round(v, 3) for k, v in stages.seconds.items()}
    return report
