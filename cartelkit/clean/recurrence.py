"""Cross-document evidence for the cleaner: which lines recur in other documents.

A :class:`LineIndex` keeps, for every raw file, the fingerprints of its lines (so an
unchanged file is never re-read: its size and modification time identify it, as for
make or rsync) and a count-min sketch of how many documents hold each line. The sketch
has a fixed size, so memory does not grow with the corpus; it never under-counts, and
with two rows of 2**21 counters a false "recurring" needs two independent collisions.
It is saved atomically beside the clean cache, in a plain format of its own (a JSON header
and raw arrays: nothing in it can run code when read), and updated incrementally.
"""

from __future__ import annotations

import json
import struct
import sys
from array import array
from dataclasses import dataclass
from pathlib import Path

from cartelkit.textutil import line_key

VERSION = 3  # 3: the sidecar and cache key each file was last built with
MAGIC = b"CKLINES\n"
_HEAD = struct.Struct("<IQ")  # version, JSON header length
BITS = 21
SIZE = 1 << BITS
MASK = SIZE - 1
MAX_LINE_FOR_COUNTS = 600
RECURRING = 3  # a line is evidence of boilerplate when this many documents (itself included) hold it
_LOW = 0 if sys.byteorder == "little" else 1  # where a 64-bit key's low half sits among its two 32-bit words


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


class LineIndex:
    def __init__(self) -> None:
        self.files: dict[str, FileFacts] = {}
        self.rows = (array("I", bytes(4 * SIZE)), array("I", bytes(4 * SIZE)))
        self.context = ""  # what every cache key of the last build also hashed (data files, version)
        self._before: tuple[dict[int, int], dict[int, int]] = ({}, {})  # counters as loaded, of those changed

    # --- persistence ---------------------------------------------------------------
    @classmethod
    def load(cls, path: Path) -> LineIndex:
        """The saved index, or an empty one when missing, damaged or of another version."""
        index = cls()
        try:
            data = path.read_bytes()
            if not data.startswith(MAGIC):
                return index
            version, head_len = _HEAD.unpack_from(data, len(MAGIC))
            if version != VERSION:
                return index
            pos = len(MAGIC) + _HEAD.size
            head = json.loads(data[pos : pos + head_len])
            pos += head_len
            total = sum(int(f[4]) for f in head["files"])
            if len(data) != pos + 8 * total + 8 * SIZE:
                return cls()
            keys = memoryview(data)[pos : pos + 8 * total].cast("Q")
            at = 0
            for doc_id, size, mtime, digest, count, sidecar, key in head["files"]:
                index.files[str(doc_id)] = FileFacts(
                    int(size), int(mtime), str(digest), keys[at : at + count], str(sidecar), str(key)
                )
                at += count
            pos += 8 * total
            for row in index.rows:
                row[:] = array("I")
                row.frombytes(data[pos : pos + 4 * SIZE])
                pos += 4 * SIZE
            index.context = str(head.get("context", ""))
        except (OSError, ValueError, TypeError, KeyError, struct.error):
            return cls()
        return index

    def save(self, path: Path) -> None:
        from cartelkit.corpus import atomic_write_bytes

        files = [[d, f.size, f.mtime_ns, f.digest, len(f.keys), f.sidecar, f.key] for d, f in self.files.items()]
        head = json.dumps({"context": self.context, "files": files}).encode()
        parts: list[bytes | memoryview] = [MAGIC, _HEAD.pack(VERSION, len(head)), head]
        parts += [memoryview(f.keys).cast("B") for f in self.files.values()]
        parts += [memoryview(row).cast("B") for row in self.rows]
        atomic_write_bytes(path, b"".join(parts), durable=False)

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

    def drop(self, doc_id: str) -> None:
        old = self.files.pop(doc_id, None)
        if old is not None:
            self._bump(old.keys, -1)

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
