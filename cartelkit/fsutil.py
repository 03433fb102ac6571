"""Files and folders every layer shares: atomic writes, and this user's config and cache folders."""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")


def config_dir() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "cartelkit"


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "cartelkit"


def _umask() -> int:
    mask = os.umask(0o022)  # the only way to read it is to set it; set it straight back
    os.umask(mask)
    return mask


def atomic_write_bytes(path: Path, data: bytes, durable: bool = True) -> None:
    """Write via a temporary file in the same folder, then rename over ``path``.

    Readers see the old or the new content, never a part. ``durable`` also fsyncs
    (for the manifest); derived caches skip it: after a power loss they are rebuilt."""
    import tempfile  # not imported by a query that writes nothing (8 ms of start-up)

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o666 & ~_umask())  # as open() would create it: a shared corpus stays readable
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_json(path: Path, obj: Any, durable: bool = True) -> None:
    atomic_write_bytes(path, json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), durable)


def cached_json(name: str, key: str, make: Callable[[], Any], use: Callable[[Any], T]) -> T:
    """``use(make())``, with ``make()``'s plain data (JSON) kept in this user's cache folder as
    ``<name>-<key>.json``: a later process with the same ``key`` reads it instead of making it
    (and an earlier key's file is removed). An unwritable cache, or a damaged or foreign file
    (``use`` fails on it), is only slower."""
    path = cache_dir() / f"{name}-{key}.json"
    with contextlib.suppress(OSError, ValueError, TypeError, KeyError, IndexError, AttributeError):
        return use(json.loads(path.read_bytes()))
    value = make()
    with contextlib.suppress(OSError):
        for old in path.parent.glob(f"{name}-*.json"):
            old.unlink(missing_ok=True)
        atomic_write_bytes(path, json.dumps(value, ensure_ascii=False).encode("utf-8"), durable=False)
    return use(value)
