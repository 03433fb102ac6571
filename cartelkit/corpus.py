"""The corpus folder: raw files (never modified), sidecars, and the clean cache.

Layout: ``<corpus>/raw/<doc_id>.txt`` (+ optional ``<doc_id>.meta.json``),
``<corpus>/clean/<doc_id>.json`` (derived), ``<corpus>/actors.toml`` (optional, merged
over the packaged gazetteer). All writes of derived files are atomic.
"""

from __future__ import annotations

import glob
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from cartelkit.errors import CorpusError, InputFileError
from cartelkit.fsutil import atomic_write_bytes, atomic_write_json

if TYPE_CHECKING:
    from cartelkit.model import Document

SIDECAR_SUFFIX = ".meta.json"
_DOC_ID_RE = re.compile(r"^[^/\\\x00]{1,200}$")


class RawFile(NamedTuple):  # a tuple: 100k of them are made by every build's listing
    """A raw article in the corpus and the facts a build needs to know about it."""

    doc_id: str
    name: str  # the file's name in ``folder``
    folder: str
    size: int
    mtime_ns: int
    sidecar_kind: str | None = None  # its sidecar, as the folder listing saw it: None, "file" or "link"

    @property
    def path(self) -> Path:  # made on demand: a listing of 100k files makes no path objects
        return Path(self.folder, self.name)

    @property
    def sidecar(self) -> Path:
        return Path(self.folder, self.doc_id + SIDECAR_SUFFIX)


class Corpus:
    """A corpus folder. Cheap to create; touches the disk only when asked."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.raw_dir = self.root / "raw"
        self.clean_dir = self.root / "clean"

    @property
    def lines_file(self) -> Path:
        """Line fingerprints of the raw files (derived; see :mod:`cartelkit.clean.recurrence`)."""
        return self.clean_dir / ".lines"

    @property
    def actors_file(self) -> Path:
        return self.root / "actors.toml"

    def ensure(self) -> None:
        if not self.raw_dir.is_dir():
            raise CorpusError(
                f"no corpus at {self.root} (missing {self.raw_dir})",
                "pass --corpus DIR, set CARTELKIT_CORPUS, or add files with `cartelkit add FILE`",
            )

    def raw_files(self, warn: list[str] | None = None) -> list[RawFile]:
        """Every regular article file under ``raw/`` (sidecars, hidden files and symlinks skipped)."""
        self.ensure()
        out: list[RawFile] = []
        folder = str(self.raw_dir)
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda e: e.name)
        sidecars = {  # one listing tells which articles have a sidecar (no stat per article)
            e.name[: -len(SIDECAR_SUFFIX)]: "link" if e.is_symlink() else "file"
            for e in entries
            if e.name.endswith(SIDECAR_SUFFIX) and (e.is_symlink() or e.is_file(follow_symlinks=False))
        }
        for entry in entries:
            name = entry.name
            if name.startswith(".") or name.endswith(SIDECAR_SUFFIX):
                continue
            if entry.is_symlink():
                if warn is not None:
                    warn.append(f"{name}: skipped, a symbolic link (links are not followed)")
                continue
            if not entry.is_file(follow_symlinks=False):
                continue
            doc_id = doc_id_of(name)
            try:
                if len(doc_id) > 200 or "\\" in doc_id or doc_id in ("", ".", ".."):  # else a valid id
                    check_doc_id(doc_id)
            except CorpusError:  # "a\b.txt", a 300-character stem: never an id, so never a document
                if warn is not None:
                    warn.append(
                        f"{name!r}: skipped, its name cannot be a DOC_ID"
                        " (rename it: no \\ or /, at most 200 characters before the extension)"
                    )
                continue
            st = entry.stat(follow_symlinks=False)
            out.append(RawFile(doc_id, name, folder, st.st_size, st.st_mtime_ns, sidecars.get(doc_id)))
        return _one_file_per_id(out, warn)

    def fingerprint(self) -> str:
        """A cheap signature that changes when a raw file or sidecar is added, removed,
        renamed or replaced (the folder's modification time), or actors.toml changes.

        Query commands compare it to decide whether to build first; an in-place edit of
        a raw file is picked up by the next ``cartelkit build``, which compares every file."""
        parts = [str(self.raw_dir.stat().st_mtime_ns) if self.raw_dir.is_dir() else "-"]
        actors = self.actors_file
        if actors.is_file():
            st = actors.stat()
            parts.append(f"{st.st_size}:{st.st_mtime_ns}")
        return "/".join(parts)

    def raw_path(self, doc_id: str) -> Path:
        """The raw file of a DOC_ID; refuses ids that would leave the corpus."""
        check_doc_id(doc_id)
        self.ensure()
        direct = self.raw_dir / f"{doc_id}.txt"
        if direct.is_file() and not direct.is_symlink():
            return direct
        for f in self.raw_files():
            if f.doc_id == doc_id:
                return f.path
        raise CorpusError(
            f"no document {doc_id!r} in {self.raw_dir}", "list every document with `cartelkit search '*' --limit 0`"
        )

    def clean_path(self, doc_id: str) -> Path:
        check_doc_id(doc_id)
        return self.clean_dir / f"{doc_id}.json"

    def load_clean(self, doc_id: str) -> dict[str, Any] | None:
        """The cached clean record (document + cache key), or None when missing or unreadable."""
        path = self.clean_path(doc_id)
        try:
            data = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) and "document" in data else None

    def load_clean_key(self, doc_id: str) -> str | None:
        """The cache key of a cached clean record, read from its first bytes (no full parse)."""
        try:
            with open(self.clean_path(doc_id), "rb") as fh:
                head = fh.read(160).decode("utf-8", "replace")
        except OSError:
            return None
        m = re.match(r'\{\s*"cache_key":\s*"([0-9a-f]{64})"', head)
        return m.group(1) if m else None

    def save_clean(self, doc: Document, cache_key: str) -> None:
        atomic_write_json(self.clean_path(doc.doc_id), {"cache_key": cache_key, "document": doc.to_dict()}, False)

    def remove_clean(self, doc_id: str) -> None:
        self.clean_path(doc_id).unlink(missing_ok=True)

    def clean_ids(self) -> Iterator[str]:
        """The DOC_IDs the clean cache holds a record of (one folder listing, no path objects)."""
        if self.clean_dir.is_dir():
            with os.scandir(self.clean_dir) as entries:
                for e in entries:
                    if e.name.endswith(".json") and not e.name.startswith("."):
                        yield e.name[:-5]

    def add(self, source: Path) -> tuple[str, bool]:
        """Copy a file into ``raw/``. Returns ``(doc_id, copied)``; ``copied`` is False when
        an identical file is already there. Refuses to overwrite a different file."""
        if source.is_symlink():  # links are not followed: a link could name any file of the machine
            if not source.resolve().is_file():
                raise InputFileError(f"{source}: a broken symbolic link", "pass the file itself")
            raise InputFileError(f"{source}: a symbolic link (links are not followed)", f"add {source.resolve()}")
        if not source.is_file():
            raise InputFileError(f"{source}: no such file", "check the path")
        name = source.name
        if name.endswith(SIDECAR_SUFFIX) or name.startswith("."):
            raise InputFileError(f"{source}: not an article file name", "rename it, e.g. to article.txt")
        doc_id = doc_id_of(name)
        try:
            check_doc_id(doc_id)
        except CorpusError as exc:
            raise InputFileError(
                exc.message, "rename it: no \\ or /, at most 200 characters before the extension"
            ) from exc
        self.raw_dir.mkdir(parents=True, exist_ok=True)
        target = self.raw_dir / name
        other = self.file_of(doc_id)
        if other is not None and other.name != name:
            raise InputFileError(
                f"{name}: the DOC_ID {doc_id!r} is taken by {other.name} in the corpus",
                "rename the new file (a DOC_ID is the file name without its extension)",
            )
        data = source.read_bytes()
        from cartelkit.clean.decode import to_text  # (the cleaning package loads only when adding)

        to_text(data, name)  # refuse empty, binary, oversized files before copying
        side = source.with_name(doc_id + SIDECAR_SUFFIX)
        if target.exists():
            if target.read_bytes() == data:
                if side.is_file() and not side.is_symlink():
                    self.add_sidecar(side)  # a sidecar new since the article was added
                return doc_id, False
            raise InputFileError(
                f"{name}: a different file of that name is already in the corpus",
                "rename the new file before adding it",
            )
        if side.is_file() and not side.is_symlink():
            self.add_sidecar(side)  # before the article: a build never sees the article without it
        atomic_write_bytes(target, data)
        return doc_id, True

    def add_sidecar(self, source: Path) -> str:
        """Copy a ``<doc_id>.meta.json`` next to its article (given with it, or already in the
        corpus). Returns the DOC_ID; refuses to replace a different sidecar."""
        doc_id = source.name[: -len(SIDECAR_SUFFIX)]
        check_doc_id(doc_id)
        if source.is_symlink() or not source.is_file():
            raise InputFileError(f"{source}: no such file (or a symbolic link)", "pass the sidecar file itself")
        target = self.raw_dir / source.name
        data = source.read_bytes()
        if target.exists():
            if target.read_bytes() == data:
                return doc_id
            raise InputFileError(
                f"{source.name}: a different sidecar is already in the corpus",
                f"edit {target} instead, or remove it first",
            )
        self.raw_dir.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(target, data)
        return doc_id

    def file_of(self, doc_id: str) -> Path | None:
        """The raw file holding ``doc_id``, whatever its extension."""
        if not self.raw_dir.is_dir():
            return None
        bare = self.raw_dir / doc_id
        if bare.is_file() and not bare.is_symlink():
            return bare
        for p in self.raw_dir.glob(glob.escape(doc_id) + ".*"):
            if doc_id_of(p.name) == doc_id and not p.name.endswith(SIDECAR_SUFFIX) and not p.name.startswith("."):
                return p
        return None


def article_files(folder: Path) -> list[Path]:
    """The files of a folder that ``add`` takes as articles: regular, not hidden, not sidecars
    (sidecars come along with their article), in name order."""
    return sorted(
        p
        for p in folder.iterdir()
        if not p.name.startswith(".") and not p.name.endswith(SIDECAR_SUFFIX) and p.is_file() and not p.is_symlink()
    )


def _one_file_per_id(files: list[RawFile], warn: list[str] | None) -> list[RawFile]:
    """ "article.txt" and "article.md" share one DOC_ID: the file that was there first keeps it
    (oldest modification time, then name); the others are skipped with a warning."""
    first: dict[str, RawFile] = {}
    clashes = False
    for f in files:
        if first.setdefault(f.doc_id, f) is not f:
            clashes = True
    if not clashes:  # the usual case: one file per id, nothing to choose
        return files
    first = {}
    for f in sorted(files, key=lambda f: (not f.name.lower().endswith(".txt"), f.name)):
        first.setdefault(f.doc_id, f)
    kept = [f for f in files if first[f.doc_id] is f]
    if warn is not None:
        for f in files:
            if first[f.doc_id] is not f:
                warn.append(
                    f"{f.name}: skipped, same DOC_ID {f.doc_id!r} as {first[f.doc_id].name} (rename one of them)"
                )
    return kept


def doc_id_of(file_name: str) -> str:
    """``004_8d0e20a436d8e110.txt`` -> ``004_8d0e20a436d8e110``."""
    stem, dot, _ext = file_name.rpartition(".")
    return stem if dot and stem else file_name


def check_doc_id(doc_id: str) -> None:
    if not _DOC_ID_RE.match(doc_id) or doc_id in (".", "..") or doc_id.startswith("."):
        raise CorpusError(
            f"invalid DOC_ID {doc_id!r}: a DOC_ID is a raw file's name without its extension",
            "use an id shown by `cartelkit search`",
        )
