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
from array import array
from dataclasses import dataclass
from pathlib import Path

from cartelkit.textutil import line_key

VERSION = 2
MAGIC = b"CKLINES\n"
_HEAD = struct.Struct("<IQ")  # version, JSON header length
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
            data = path.read_bytes()
            if not data.startswith(MAGIC):
                return index
            version, head_len = _HEAD.unpack_from(data, len(MAGIC))
            if version != VERSION:
                return index
            pos = len(MAGIC) + _HEAD.size
            head = json.loads(data[pos : pos + head_len])
            pos += head_len
            for doc_id, size, mtime, digest, count in head["files"]:
                keys = array("Q")
                keys.frombytes(data[pos : pos + 8 * count])
                if len(keys) != count:
                    return cls()
                pos += 8 * count
                index.files[str(doc_id)] = FileFacts(int(size), int(mtime), str(digest), keys)
            for row in index.rows:
                raw = data[pos : pos + 4 * SIZE]
                if len(raw) != 4 * SIZE:
                    return cls()
                row[:] = array("I", raw)
                pos += 4 * SIZE
        except (OSError, ValueError, TypeError, KeyError, struct.error):
            return cls()
        return index

    def save(self, path: Path) -> None:
        from cartelkit.corpus import atomic_write_bytes

        head = json.dumps(
            {"files": [[d, f.size, f.mtime_ns, f.digest, len(f.keys)] for d, f in self.files.items()]}
        ).encode()
        parts = [MAGIC, _HEAD.pack(VERSION, len(head)), head]
        parts += [f.keys.tobytes() for f in self.files.values()]
        parts += [row.tobytes() for row in self.rows]
        atomic_write_bytes(path, b"".join(parts), durable=False)

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
