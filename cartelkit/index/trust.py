"""What an index must prove before Whoosh reads it: that this user built it.

Whoosh reads its segment tables, postings headers and stored fields with ``pickle``, so
opening an index runs whatever its files say. A planted ``_MAIN_1.toc`` would run code in
``search``. So a build seals its index: the manifest records the SHA-256 of every file of the
generation and an HMAC of the whole manifest under a per-user secret key
(``$XDG_CONFIG_HOME/cartelkit/index.key``, 32 random bytes, mode 0600, made on the first
build). Before any file is opened, the seal and every digest are checked; an index that fails
is refused (:class:`~cartelkit.errors.UntrustedIndexError`) and never rebuilt over.

Hashing a large index on every query would be slow, so checked files are remembered in
``$XDG_CACHE_HOME/cartelkit/verified.json`` by path, inode, size, modification and change
time: a file replaced or rewritten since (which changes its ctime, which no user tool can
set back) is hashed again. Both files live in the user's own directories; whoever can
write there can run code as the user anyway.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from cartelkit.errors import UntrustedIndexError
from cartelkit.fsutil import atomic_write_bytes, cache_dir, config_dir

KEY_FILE = "index.key"
CACHE_FILE = "verified.json"
KEY_BYTES = 32
MAX_CACHE_ENTRIES = 20_000


def user_key(create: bool = False) -> bytes | None:
    """This user's index key (made, 0600, when ``create`` and missing); None when there is none."""
    path = config_dir() / KEY_FILE
    try:
        key = path.read_bytes()
    except FileNotFoundError:
        if not create:
            return None
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        import secrets  # only the first build of a user makes a key

        tmp = path.with_name(f".{KEY_FILE}.{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(secrets.token_bytes(KEY_BYTES))
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.link(tmp, path)  # whole or not at all; another build's key, made meanwhile, wins
        except FileExistsError:
            pass
        finally:
            tmp.unlink(missing_ok=True)
        return user_key(create=False)
    if len(key) < KEY_BYTES:
        raise UntrustedIndexError(
            f"the index key {path} is damaged", "delete it and rebuild your indexes (`cartelkit build --rebuild`)"
        )
    if path.stat().st_mode & 0o077:
        os.chmod(path, 0o600)  # a key others can read is no secret
    return key


def seal(fields: dict[str, Any], key: bytes) -> str:
    """The HMAC of a manifest's fields (every field but ``mac``), canonically encoded."""
    body = json.dumps({k: v for k, v in fields.items() if k != "mac"}, sort_keys=True, separators=(",", ":"))
    return hmac.new(key, body.encode("utf-8"), hashlib.sha256).hexdigest()


def file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _stamp(st: os.stat_result) -> list[int]:
    return [st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns]


class VerifiedFiles:
    """The cache of files already hashed, by absolute path and stat stamp."""

    def __init__(self) -> None:
        self.path = cache_dir() / CACHE_FILE
        try:
            data = json.loads(self.path.read_text("utf-8"))
            self.entries: dict[str, list[Any]] = data if isinstance(data, dict) else {}
        except (OSError, ValueError):
            self.entries = {}
        self.changed = False

    def digest(self, path: Path) -> str:
        """The SHA-256 of ``path``: from the cache when its stamp has not changed."""
        key = str(path.resolve())
        st = path.stat()
        entry = self.entries.get(key)
        if isinstance(entry, list) and len(entry) == 5 and entry[:4] == _stamp(st):
            return str(entry[4])
        digest = file_digest(path)
        self.remember(path, digest, st)
        return digest

    def remember(self, path: Path, digest: str, st: os.stat_result | None = None) -> None:
        self.entries[str(path.resolve())] = [*_stamp(st or path.stat()), digest]
        self.changed = True

    def forget_under(self, folders: Iterable[Path]) -> None:
        prefixes = tuple(str(f.resolve()) + os.sep for f in folders)
        for k in [k for k in self.entries if k.startswith(prefixes)]:
            del self.entries[k]
            self.changed = True

    def save(self) -> None:
        if not self.changed:
            return
        if len(self.entries) > MAX_CACHE_ENTRIES:  # keep the newest (insertion order)
            self.entries = dict(list(self.entries.items())[-MAX_CACHE_ENTRIES:])
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            atomic_write_bytes(self.path, json.dumps(self.entries).encode(), durable=False)
            os.chmod(self.path, 0o600)
        except OSError:
            pass  # a cache: the next query hashes again
        self.changed = False


def make_private(path: Path) -> None:
    """Nobody but the owner may write ``path`` (reading stays as the umask allows)."""
    mode = path.stat().st_mode
    if mode & 0o022:
        os.chmod(path, mode & ~0o022)


def not_private(path: Path) -> str | None:
    """Why others could change ``path`` (not ours, or writable by group or others), or None."""
    st = path.lstat()
    if st.st_uid != os.getuid():
        return "belongs to another user"
    if st.st_mode & 0o022:
        return "is writable by other users"
    return None
