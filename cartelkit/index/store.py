"""The index folder: generations, the manifest that commits them, and the build lock.

``<index>/MANIFEST.json`` names the live generation folder (``gen-<n>``), the schema
version and, for every document, the cache key it was indexed with. It is replaced
atomically, so a reader always sees a complete generation: a crash mid-build leaves
the last good one in place. A full rebuild writes a new generation and then swaps the
manifest; incremental updates commit inside the live generation (Whoosh commits are
atomic) and then rewrite the manifest.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import shutil
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cartelkit import PIPELINE_VERSION
from cartelkit.corpus import Corpus, atomic_write_json
from cartelkit.errors import IndexStateError

SCHEMA_VERSION = 7
MANIFEST = "MANIFEST.json"
LOCK = ".lock"
SUMMARY = "summary.json"
DOCS = "docs.json"
PENDING = "pending.json"


@dataclass
class Manifest:
    schema_version: int
    pipeline: str
    generation: str
    corpus: str  # corpus folder the index was built from
    fingerprint: str  # Corpus.fingerprint() at the end of the build
    built_at: float

    def to_json(self) -> dict[str, Any]:
        return self.__dict__.copy()


class IndexDir:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    @property
    def manifest_path(self) -> Path:
        return self.root / MANIFEST

    def read_manifest(self) -> Manifest | None:
        """The manifest, or None when there is no index. Raises IndexStateError when unreadable."""
        path = self.manifest_path
        if not path.exists():
            return None
        try:
            data = json.loads(path.read_text("utf-8"))
            known = {f: data[f] for f in Manifest.__dataclass_fields__ if f in data}
            manifest = Manifest(**known)  # an older version's extra fields are ignored
        except (OSError, ValueError, TypeError, KeyError) as exc:
            raise IndexStateError(f"the index manifest {path} is corrupt", "run `cartelkit build --rebuild`") from exc
        return manifest

    def generation_path(self, manifest: Manifest) -> Path:
        return self.root / manifest.generation

    def new_generation(self) -> Path:
        self.root.mkdir(parents=True, exist_ok=True)
        name = f"gen-{time.time_ns():x}-{os.getpid()}"
        path = self.root / name
        path.mkdir()
        return path

    def commit(self, manifest: Manifest) -> None:
        atomic_write_json(self.manifest_path, manifest.to_json())
        self.collect_garbage(keep=manifest.generation)

    def collect_garbage(self, keep: str) -> None:
        """Remove generations other than ``keep`` (left by a rebuild or a crash)."""
        if not self.root.is_dir():
            return
        for entry in self.root.iterdir():
            if entry.is_dir() and entry.name.startswith("gen-") and entry.name != keep:
                shutil.rmtree(entry, ignore_errors=True)

    def read_summary(self, manifest: Manifest) -> dict[str, Any]:
        """The corpus summary kept beside a generation (documents, dates, sources, actors)."""
        path = self.generation_path(manifest) / SUMMARY
        try:
            data = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError) as exc:
            raise IndexStateError(
                f"the index summary {path} is missing or corrupt", "run `cartelkit build --rebuild`"
            ) from exc
        if not isinstance(data, dict):
            raise IndexStateError(f"the index summary {path} is corrupt", "run `cartelkit build --rebuild`")
        return data

    def write_summary(self, manifest: Manifest, summary: dict[str, Any]) -> None:
        atomic_write_json(self.generation_path(manifest) / SUMMARY, summary)

    def read_docs(self, manifest: Manifest) -> dict[str, str]:
        """doc_id -> the cache key each document was indexed with (for incremental builds)."""
        try:
            data = json.loads((self.generation_path(manifest) / DOCS).read_text("utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def write_docs(self, manifest: Manifest, docs: dict[str, str]) -> None:
        atomic_write_json(self.generation_path(manifest) / DOCS, docs)

    def read_pending(self, manifest: Manifest) -> set[str]:
        """Ids an unfinished incremental build may have committed to the live generation."""
        try:
            data = json.loads((self.generation_path(manifest) / PENDING).read_text("utf-8"))
        except (OSError, ValueError):
            return set()
        return {str(x) for x in data} if isinstance(data, list) else set()

    def write_pending(self, generation: str, doc_ids: list[str]) -> None:
        atomic_write_json(self.root / generation / PENDING, doc_ids)

    def clear_pending(self, generation: str) -> None:
        (self.root / generation / PENDING).unlink(missing_ok=True)

    def size_bytes(self, manifest: Manifest) -> int:
        gen = self.generation_path(manifest)
        return sum(p.stat().st_size for p in gen.rglob("*") if p.is_file()) if gen.is_dir() else 0

    def is_locked(self) -> bool:
        """Whether another process holds the build lock right now."""
        path = self.root / LOCK
        if not path.exists():
            return False
        with open(path, "a+") as fh:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                return True
            fcntl.flock(fh, fcntl.LOCK_UN)
        return False

    @contextlib.contextmanager
    def lock(self, wait: bool = True) -> Iterator[None]:
        """Hold the build lock. A second builder waits (saying so on stderr) or fails.

        The lock is an ``flock`` on ``<index>/.lock``: the kernel releases it when the
        holder dies, so a stale lock from a killed process never blocks anyone.
        """
        self.root.mkdir(parents=True, exist_ok=True)
        fh = open(self.root / LOCK, "a+")  # noqa: SIM115 - held for the duration of the block
        try:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                    raise
                if not wait:
                    raise IndexStateError(
                        f"another cartelkit process is building the index in {self.root}", "try again when it ends"
                    ) from exc
                print(f"waiting for another cartelkit build in {self.root} to finish…", file=sys.stderr)
                fcntl.flock(fh, fcntl.LOCK_EX)
            fh.seek(0)
            fh.truncate()
            fh.write(str(os.getpid()))
            fh.flush()
            yield
        finally:
            with contextlib.suppress(OSError):
                fcntl.flock(fh, fcntl.LOCK_UN)
            fh.close()


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
