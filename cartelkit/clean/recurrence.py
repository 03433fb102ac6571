"""Cross-document evidence for the cleaner: which lines recur in other documents.

A :class:`LineIndex` keeps, for every raw file, the fingerprints of its lines (so an
unchanged file is never re-read: its size and modification time identify it, as for
make or rsync) and a count-min sketch of how many documents hold each line. The sketch
has a fixed size, so memory does not grow with the corpus; it never under-counts, and
with two rows of 2**21 counters a false "recurring" needs two independent collisions.
It is saved atomically beside the clean cache, in a plain format of its own (a JSON header
and raw arrays: nothing in it can run code when read), and updated incrementally: the
snapshot is mapped, not read, and a build that changes a few files appends them to a
journal beside it (JSON lines, one batch per build, ended by an ``end`` line) instead of
writing 25 MB again; a large journal is folded into a new snapshot. Whatever a killed build
leaves, the index loads a state some build saved, never a mixture: a batch without its end
is skipped, and a new snapshot is written only after the journal is gone (the old snapshot
alone is an older state; files changed since are read again, and keys that no longer match
the index's are computed again).
"""

from __future__ import annotations

import base64
import contextlib
import json
import mmap
import struct
import sys
from array import array
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cartelkit.fsutil import atomic_write_bytes
from cartelkit.textutil import gc_paused, line_key

VERSION = 4  # 3: the sidecar and cache key each file was last built with; 4: its name
MAGIC = b"CKLINES\n"
_HEAD = struct.Struct("<IQ")  # version, JSON header length
BITS = 21
SIZE = 1 << BITS
MASK = SIZE - 1
MAX_LINE_FOR_COUNTS = 600
RECURRING = 3  # a line is evidence of boilerplate when this many documents (itself included) hold it
_LOW = 0 if sys.byteorder == "little" else 1  # where a 64-bit key's low half sits among its two 32-bit words
JOURNAL = "-journal"  # suffix of the snapshot's journal
MAX_JOURNAL_BYTES = 4 << 20  # past this, the next save writes a new snapshot


def line_keys(text: str) -> array[int]:
    """Distinct fingerprints of a text's non-blank lines (long lines are never chrome)."""
    keys = {line_key(line) for line in text.split("\n") if line.strip() and len(line) <= MAX_LINE_FOR_COUNTS}
    return array("Q", sorted(keys))


@dataclass
class FileFacts:
    size: int
    mtime_ns: int
    digest: str
    keys: array[int] | memoryview  # an array, or a view of the saved file's (nothing is copied at load)
    sidecar: str = ""  # the sidecar the last build saw: "", "link" or "<size>:<mtime_ns>"
    key: str = ""  # the cache key the last build computed for the file
    name: str = ""  # the file's name (a page renamed from .html to .txt is read again)


class LineIndex:
    def __init__(self, rows: tuple[memoryview, memoryview] | None = None) -> None:
        self.files: dict[str, FileFacts] = {}
        self.rows: tuple[array[int] | memoryview, array[int] | memoryview] = rows or (
            array("I", bytes(4 * SIZE)),
            array("I", bytes(4 * SIZE)),
        )
        self.context = ""  # what every cache key of the last build also hashed (data files, version)
        self._before: tuple[dict[int, int], dict[int, int]] = ({}, {})  # counters as loaded, of those changed
        self._saved: dict[str, tuple[str, str]] = {}  # (sidecar, key) of each file as saved
        self._put: set[str] = set()  # files put or dropped since loaded
        self._saved_context = ""
        self._journal = 0  # bytes of journal the snapshot it was loaded from has (-1: no snapshot)

    # --- persistence ---------------------------------------------------------------
    @classmethod
    def load(cls, path: Path) -> LineIndex:
        """The saved index, or an empty one when missing, damaged or of another version."""
        with gc_paused():
            return cls._load(path)

    @classmethod
    def _load(cls, path: Path) -> LineIndex:
        try:
            with open(path, "rb") as fh:
                data = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_COPY)  # pages are read as touched
            if data[: len(MAGIC)] != MAGIC:
                return cls()
            version, head_len = _HEAD.unpack_from(data, len(MAGIC))
            if version != VERSION:
                return cls()
            pos = len(MAGIC) + _HEAD.size
            head = json.loads(data[pos : pos + head_len])
            pos += head_len
            total = sum(int(f[4]) for f in head["files"])
            if len(data) != pos + 8 * total + 8 * SIZE:
                return cls()
            view = memoryview(data)
            keys = view[pos : pos + 8 * total].cast("Q")
            pos += 8 * total
            index = cls((view[pos : pos + 4 * SIZE].cast("I"), view[pos + 4 * SIZE : pos + 8 * SIZE].cast("I")))
            files = index.files
            at = 0
            for doc_id, size, mtime, digest, count, sidecar, key, name in head["files"]:  # as save() wrote them
                files[doc_id] = FileFacts(size, mtime, digest, keys[at : at + count], sidecar, key, name)
                at += count
            index.context = str(head.get("context", ""))
        except (OSError, ValueError, TypeError, KeyError, struct.error):
            return cls()
        index._journal = index._replay(Path(f"{path}{JOURNAL}"))
        index._saved = {d: (f.sidecar, f.key) for d, f in index.files.items()}
        index._saved_context = index.context
        index._before = ({}, {})
        return index

    def _replay(self, journal: Path) -> int:
        """Apply the journal's changes; its size in bytes. Each save appends one batch, ended by
        an ``end`` line: a batch a killed build left unfinished is skipped whole (applying part
        of one would mix two builds' states), and its files are read again by the next build."""
        try:
            text = journal.read_bytes()
        except OSError:
            return 0
        batch: list[dict[str, Any]] = []
        for line in text.splitlines():
            try:
                op = json.loads(line)
                kind = op["op"]
            except (ValueError, TypeError, KeyError):
                batch = []  # a torn line: the batch it belongs to is incomplete
                continue
            if kind != "end":
                batch.append(op)
                continue
            with contextlib.suppress(ValueError, TypeError, KeyError, AttributeError):
                for op in batch:
                    self._apply(op)
            batch = []
        self._put = set()
        return len(text)

    def _apply(self, op: dict[str, Any]) -> None:
        doc_id = str(op.get("doc", ""))
        if op["op"] == "put":
            keys = array("Q")
            keys.frombytes(base64.b64decode(op["keys"]))
            self.put(
                doc_id, FileFacts(int(op["size"]), int(op["mtime"]), str(op["digest"]), keys, name=str(op["name"]))
            )
        if op["op"] == "drop":
            self.drop(doc_id)
        if op["op"] in ("put", "meta") and doc_id in self.files:
            self.files[doc_id].sidecar, self.files[doc_id].key = str(op["sidecar"]), str(op["key"])
        if op["op"] == "context":
            self.context = str(op["value"])

    def save(self, path: Path) -> None:
        """Append the changes since the load to the journal, or write a new snapshot (and no
        journal) when there is none yet or the journal has grown large."""
        journal = Path(f"{path}{JOURNAL}")
        ops = self._changes()
        if not ops:
            return
        lines = b"".join(json.dumps(op).encode() + b"\n" for op in [*ops, {"op": "end"}])
        if self._saved and path.is_file() and self._journal + len(lines) <= MAX_JOURNAL_BYTES:
            with open(journal, "ab") as fh:
                fh.write(lines)
            self._journal += len(lines)
        else:
            # the journal goes first: after a crash between the two, the old snapshot alone is an
            # older state the next build corrects; the new snapshot with the old journal would not be
            journal.unlink(missing_ok=True)
            files = [
                [d, f.size, f.mtime_ns, f.digest, len(f.keys), f.sidecar, f.key, f.name] for d, f in self.files.items()
            ]
            head = json.dumps({"context": self.context, "files": files}).encode()
            head += b" " * (-(len(MAGIC) + _HEAD.size + len(head)) % 8)  # the arrays start aligned
            parts: list[bytes | memoryview] = [MAGIC, _HEAD.pack(VERSION, len(head)), head]
            parts += [memoryview(f.keys).cast("B") for f in self.files.values()]
            parts += [memoryview(row).cast("B") for row in self.rows]
            atomic_write_bytes(path, b"".join(parts), durable=False)
            self._journal = 0
        self._saved = {d: (f.sidecar, f.key) for d, f in self.files.items()}
        self._saved_context = self.context
        self._put = set()

    def _changes(self) -> list[dict[str, object]]:
        ops: list[dict[str, object]] = []
        for doc_id in sorted(self._put):
            f = self.files.get(doc_id)
            if f is None:
                ops.append({"op": "drop", "doc": doc_id})
                continue
            keys = base64.b64encode(memoryview(f.keys).cast("B")).decode()
            ops.append(
                {"op": "put", "doc": doc_id, "size": f.size, "mtime": f.mtime_ns, "digest": f.digest, "name": f.name}
                | {"sidecar": f.sidecar, "key": f.key, "keys": keys}
            )
        for doc_id, f in self.files.items():
            if doc_id not in self._put and self._saved.get(doc_id) != (f.sidecar, f.key):
                ops.append({"op": "meta", "doc": doc_id, "sidecar": f.sidecar, "key": f.key})
        if self.context != self._saved_context:
            ops.append({"op": "context", "value": self.context})
        return ops

    # --- counting ------------------------------------------------------------------
    def _bump(self, keys: array[int] | memoryview, step: int) -> None:
        r0, r1 = self.rows
        b0, b1 = self._before
        for k in keys:
            i, j = k & MASK, (k >> 32) & MASK
            b0.setdefault(i, r0[i])
            b1.setdefault(j, r1[j])
            r0[i] = max(0, r0[i] + step)
            r1[j] = max(0, r1[j] + step)

    def put(self, doc_id: str, facts: FileFacts) -> None:
        old = self.files.get(doc_id)
        if old is not None:
            self._bump(old.keys, -1)
        self._bump(facts.keys, 1)
        self.files[doc_id] = facts
        self._put.add(doc_id)

    def drop(self, doc_id: str) -> None:
        old = self.files.pop(doc_id, None)
        if old is not None:
            self._bump(old.keys, -1)
            self._put.add(doc_id)

    def count(self, key: int) -> int:
        return min(self.rows[0][key & MASK], self.rows[1][(key >> 32) & MASK])

    def recurring(self, doc_id: str) -> dict[int, int]:
        """The document's lines that recur: fingerprint -> number of *other* documents holding it."""
        facts = self.files.get(doc_id)
        if facts is None:
            return {}
        r0, r1 = self.rows
        out = {}
        for k in facts.keys:
            n = min(r0[k & MASK], r1[(k >> 32) & MASK])
            if n >= RECURRING:
                out[k] = n - 1
        return out

    def moved(self) -> set[str]:
        """The files whose recurring lines may differ from when the index was loaded: those
        holding a line whose counter crossed :data:`RECURRING` since (a line recurs when both
        its counters reach it). Every other unchanged file keeps its cache key."""
        crossed = [
            {i for i, was in before.items() if (was >= RECURRING) != (row[i] >= RECURRING)}
            for before, row in zip(self._before, self.rows, strict=True)
        ]
        if not any(crossed):
            return set()
        # every 32-bit half of a key that lands on a crossed counter: a file is then tested by two
        # set operations in C over its keys' halves, not by a Python loop over its keys
        spread = range(1 << (32 - BITS))
        halves = [{i | (high << BITS) for i in c for high in spread} for c in crossed]
        out = set()
        for doc_id, f in self.files.items():
            words = memoryview(f.keys).cast("B").cast("I")
            if not halves[0].isdisjoint(words[_LOW::2]) or not halves[1].isdisjoint(words[1 - _LOW :: 2]):
                out.add(doc_id)
        return out
