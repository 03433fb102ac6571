"""The index folder: generations, the manifest that commits them, and the build lock.

A generation folder (``gen-<n>``) holds both stores of :mod:`cartelkit.index.protocol`: the
Whoosh files (words) and ``facts.sqlite`` (facts). ``<index>/MANIFEST.json`` names the live
generation, the schema version, the SHA-256 of every file of the generation and an HMAC of
it all under this user's key (see :mod:`cartelkit.index.trust`). It is replaced atomically,
so a reader always sees a complete generation of both stores: a crash mid-build leaves the
last good one in place. Every build writes a new generation — a full rebuild from scratch,
an incremental one from hard links to the live generation's Whoosh files (Whoosh never
rewrites a file) and facts base file, and a copy of its small facts delta (the one file a
build edits in place) — and then swaps the manifest.
The previous generation is kept until the next build, so a query that opened it just
before the swap finishes on it.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hmac
import json
import os
import re
import shutil
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cartelkit.corpus import Corpus
from cartelkit.errors import IndexStateError, UntrustedIndexError
from cartelkit.fsutil import atomic_write_json
from cartelkit.index import trust
from cartelkit.index.protocol import FACTS, FACTS_DELTA, FactWriter, TextWriter
from cartelkit.version import PIPELINE_VERSION

if TYPE_CHECKING:
    from cartelkit.model import Document

SCHEMA_VERSION = 10  # 8: sealed manifests; 9: facts in SQLite, Whoosh holds articles only; 10: facts delta
MANIFEST = "MANIFEST.json"
LOCK = ".lock"
COPIED = frozenset({FACTS_DELTA})  # files a build edits in place: copied into a new generation, not linked
WHOOSH_LOCKS = ("MAIN_WRITELOCK",)  # Whoosh's own lock files: never read, never sealed
_GENERATION_RE = re.compile(r"gen-[0-9a-f]{1,32}-[0-9]{1,10}")


@dataclass
class Manifest:
    schema_version: int
    pipeline: str
    generation: str
    corpus: str  # corpus folder the index was built from
    fingerprint: str  # Corpus.fingerprint() at the end of the build
    built_at: float
    files: dict[str, str] = field(default_factory=dict)  # file of the generation -> SHA-256
    mac: str = ""  # HMAC of every other field under this user's key

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
        if not isinstance(manifest.generation, str) or not _GENERATION_RE.fullmatch(manifest.generation):
            raise UntrustedIndexError(
                f"{path} names a folder outside the index ({manifest.generation!r})",
                "cartelkit opens only indexes you built; use another --index folder",
            )
        return manifest

    def read_manifest_quietly(self) -> str | None:
        """The live generation's name, or None (no manifest, or an unreadable one)."""
        manifest = self.manifest_or_none()
        return manifest.generation if manifest else None

    def manifest_or_none(self) -> Manifest | None:
        """The manifest, or None (no manifest, or an unreadable one)."""
        try:
            return self.read_manifest()
        except IndexStateError:
            return None

    def generation_path(self, manifest: Manifest) -> Path:
        return self.root / manifest.generation

    def new_generation(self) -> Path:
        self.root.mkdir(parents=True, exist_ok=True)
        name = f"gen-{time.time_ns():x}-{os.getpid()}"
        path = self.root / name
        path.mkdir()
        return path

    def clone_generation(self, manifest: Manifest) -> tuple[Path, dict[str, int]]:
        """A new generation holding hard links to the (verified) live one's sealed files (a
        copy of those a build edits in place), for an incremental build to write in, and the
        inode of each linked file (the live generation is never modified)."""
        src = self.generation_path(manifest)
        dst = self.new_generation()
        try:
            for name in manifest.files:  # the sealed files only, never whatever else is there
                if name in COPIED:
                    shutil.copyfile(src / name, dst / name)
                    continue
                try:
                    os.link(src / name, dst / name)
                except OSError as exc:  # a file system without hard links
                    if exc.errno in (errno.ENOSPC, errno.EROFS, errno.EDQUOT):
                        raise
                    shutil.copy2(src / name, dst / name)
        except BaseException:
            shutil.rmtree(dst, ignore_errors=True)  # a partial generation is never left behind
            raise
        return dst, {
            name: (dst / name).stat().st_ino for name in manifest.files if name not in COPIED and (dst / name).exists()
        }

    def commit(
        self, manifest: Manifest, previous: Manifest | None = None, inherited: dict[str, int] | None = None
    ) -> None:
        """Seal ``manifest`` (digests of its generation's files, HMAC under this user's key),
        swap it in, and remove every generation but it and ``previous``. ``inherited``: the
        inode of each file hard-linked from ``previous`` (verified), whose digest is reused."""
        key = trust.user_key(create=True)
        assert key is not None
        gen = self.generation_path(manifest)
        verified = trust.VerifiedFiles()
        names = sorted(
            e.name for e in os.scandir(gen) if e.name not in WHOOSH_LOCKS and e.is_file(follow_symlinks=False)
        )
        stamps = {}
        for name in names:  # only the builder may write the index: nobody can swap a file once sealed
            trust.make_private(gen / name)
            stamps[name] = (gen / name).stat()
        trust.make_private(gen)
        trust.make_private(self.root)
        old = previous.files if previous is not None else {}
        manifest.files = {
            name: old[name]
            if name in old and inherited and inherited.get(name) == stamps[name].st_ino
            else verified.digest(gen / name)
            for name in names
        }
        manifest.mac = trust.seal(manifest.to_json(), key)
        atomic_write_json(self.manifest_path, manifest.to_json())
        trust.make_private(self.manifest_path)
        removed = self.collect_garbage(keep={manifest.generation, *([previous.generation] if previous else [])})
        verified.forget_under(removed)
        for name in names:  # unlinking old generations changed the shared files' ctime, nothing else
            now = (gen / name).stat()
            then = stamps[name]
            if (now.st_ino, now.st_size, now.st_mtime_ns) == (then.st_ino, then.st_size, then.st_mtime_ns):
                verified.remember(gen / name, manifest.files[name], now)
        verified.save()

    def verify(self, manifest: Manifest) -> Path:
        """The generation folder, once the manifest's seal and every file's digest check out;
        :class:`UntrustedIndexError` when they do not (the index is then never opened)."""
        where = self.manifest_path
        hint = (
            "cartelkit opens only indexes you built: if it is yours, `cartelkit build --rebuild` replaces it;"
            " otherwise use another --index folder"
        )
        key = trust.user_key()
        if not manifest.mac or key is None:
            raise UntrustedIndexError(f"the index {self.root} is not sealed by this user's key", hint)
        if not hmac_equal(trust.seal(manifest.to_json(), key), manifest.mac):
            raise UntrustedIndexError(f"the seal of {where} does not match this user's key", hint)
        gen = self.generation_path(manifest)
        if not gen.is_dir():
            raise IndexStateError("the index files are missing", "run `cartelkit build --rebuild`")
        for path in (self.root, gen, self.manifest_path):  # who else could swap a file after the check
            why = trust.not_private(path)
            if why:
                raise UntrustedIndexError(f"{path} {why}", hint)
        on_disk = {e.name for e in os.scandir(gen) if e.name not in WHOOSH_LOCKS}
        unknown = sorted(on_disk - set(manifest.files))
        if unknown:  # Whoosh opens the newest table of contents it finds: a planted one would win
            raise UntrustedIndexError(f"the index {gen} holds files it was not built with ({unknown[0]})", hint)
        verified = trust.VerifiedFiles()
        try:
            for name, digest in manifest.files.items():
                path = gen / name
                if "/" in name or name in (".", ".."):
                    raise UntrustedIndexError(f"the manifest {where} names a file outside the index", hint)
                if not path.is_file() and self.read_manifest_quietly() != manifest.generation:
                    raise IndexStateError("a build replaced the index meanwhile", "run the command again")
                if not path.is_file() or path.is_symlink() or trust.not_private(path):
                    raise UntrustedIndexError(f"the index file {path} is missing, not a file or not yours", hint)
                if not hmac_equal(verified.digest(path), digest):
                    raise UntrustedIndexError(f"the index file {path} changed since it was built", hint)
        finally:
            verified.save()
        return gen

    def collect_garbage(self, keep: set[str]) -> list[Path]:
        """Remove generations not in ``keep`` (the previous ones, or left by a crash)."""
        removed: list[Path] = []
        if not self.root.is_dir():
            return removed
        for entry in self.root.iterdir():
            if entry.is_dir() and entry.name.startswith("gen-") and entry.name not in keep:
                shutil.rmtree(entry, ignore_errors=True)
                removed.append(entry)
        return removed

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


class GenerationWriter:
    """What the pipeline writes a generation through: the words to the Whoosh
    :class:`~cartelkit.index.protocol.TextWriter`, the facts to the SQLite
    :class:`~cartelkit.index.protocol.FactWriter`. ``fresh``: a new, empty generation;
    otherwise a clone of the live one (see :meth:`IndexDir.clone_generation`)."""

    def __init__(self, gen: Path, fresh: bool) -> None:
        from cartelkit.index import whoosh_index as wx
        from cartelkit.index.facts import FactsWriter

        self._ix = wx.create(gen) if fresh else wx.open_generation(gen)
        self._text: TextWriter | None = None  # a Whoosh writer only when something changes
        self.facts: FactWriter = FactsWriter(gen / FACTS)
        self.committed = False

    @property
    def text(self) -> TextWriter:
        if self._text is None:
            from cartelkit.index import whoosh_index as wx

            self._text = wx.Writer(self._ix)
        return self._text

    def cache_keys(self) -> dict[str, str]:
        """doc_id -> the cache key of each document the generation holds."""
        return self.facts.cache_keys()

    def add(self, doc: Document, cache_key: str) -> None:
        self.text.add(doc)
        self.facts.add(doc, cache_key)

    def delete(self, doc_id: str) -> None:
        self.text.delete(doc_id)
        self.facts.delete(doc_id)

    def commit(self) -> None:
        if self._text is not None:
            self._text.commit()
        self.facts.commit()
        self.committed = True

    def cancel(self) -> None:
        if self._text is not None:
            self._text.cancel()
        self.facts.cancel()


def hmac_equal(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


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
