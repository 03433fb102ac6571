"""Cross-document evidence for the cleaner: which lines recur in other documents.

A :class:`LineIndex` keeps, for every raw file, the fingerprints of its lines (so an
unchanged file is never re-read: its size and modification time identify it, as for
make or rsync) and a count-min sketch of how many documents hold each line. The sketch
has a fixed size, so memory does not grow with the corpus; it never under-counts, and
with two rows of 2**21 counters a false "recurring" needs two independent collisions.
It is saved (marshal, atomically) beside the clean cache and updated incrementally.
"""

from __future__ import annotations

import marshal
from array import array
from dataclasses import dataclass
from pathlib import Path

from cartelkit.textutil import line_key

VERSION = 1
BITS = 21
SIZE = 1 << BITS
MASK = SIZE - 1
MAX_LINE_FOR_COUNTS = 600
RECURRING = 3  # a line is evidence of boilerplate when this many documents (itself included) hold it


def line_keys(text: str) -> array[int]:
    """Distinct fingerprints of a text's non-blank lines (long lines are never chrome)."""
    keys = {line_key(line) for line in text.split("\n") if line.strip() and len(line) <= MAX_LINE_FOR_COUNTS}
    return array("Q", sorted(keys))


@dataclass
class FileFacts:
    size: int
    mtime_ns: int
    digest: str
    keys: array[int]


class LineIndex:
    def __init__(self) -> None:
        self.files: dict[str, FileFacts] = {}
        self.rows = (array("I", bytes(4 * SIZE)), array("I", bytes(4 * SIZE)))

    # --- persistence ---------------------------------------------------------------
    @classmethod
    def load(cls, path: Path) -> LineIndex:
        """The saved index, or an empty one when missing, damaged or of another version."""
        index = cls()
        try:
            data = marshal.loads(path.read_bytes())
            if data.get("version") != VERSION:
                return index
            for doc_id, (size, mtime, digest, raw) in data["files"].items():
                keys = array("Q")
                keys.frombytes(raw)
                index.files[doc_id] = FileFacts(size, mtime, digest, keys)
            for row, raw in zip(index.rows, data["rows"], strict=True):
                row[:] = array("I", raw)
        except (OSError, ValueError, EOFError, TypeError, KeyError):
            return cls()
        return index

    def save(self, path: Path) -> None:
        from cartelkit.corpus import atomic_write_bytes

        data = {
            "version": VERSION,
            "files": {d: (f.size, f.mtime_ns, f.digest, f.keys.tobytes()) for d, f in self.files.items()},
            "rows": [row.tobytes() for row in self.rows],
        }
        atomic_write_bytes(path, marshal.dumps(data), durable=False)

    # --- counting ------------------------------------------------------------------
    def _bump(self, keys: array[int], step: int) -> None:
        r0, r1 = self.rows
        for k in keys:
            i, j = k & MASK, (k >> 32) & MASK
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
