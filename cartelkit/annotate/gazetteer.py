"""The actor gazetteer: packaged ``data/actors.toml`` merged with ``<corpus>/actors.toml``.

See the header of ``cartelkit/data/actors.toml`` for the format. A user entry with the
name of a packaged one extends it (aliases and roles are added, other fields replaced).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from cartelkit.data import data_bytes, load_toml
from cartelkit.errors import CorpusError
from cartelkit.fsutil import cached_json
from cartelkit.textutil import gc_paused
from cartelkit.vocab import ACTOR_TYPES


@dataclass(frozen=True)
class Role:
    office: str
    country: str | None
    start: dt.date | None
    end: dt.date | None

    def holds_on(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)

    def ended_before(self, day: dt.date) -> bool:
        return self.end is not None and self.end < day


@dataclass(frozen=True)
class GazActor:
    name: str
    type: str
    aliases: tuple[str, ...] = ()
    short: tuple[str, ...] = ()
    country: str | None = None
    affiliation: str | None = None
    roles: tuple[Role, ...] = ()


@dataclass(frozen=True, eq=False)  # identity equality: cheap to hash as a cache key
class Gazetteer:
    actors: tuple[GazActor, ...]
    digest: str = ""  # of the files it was read from ("": not from files, nothing derived is kept)
    by_name: dict[str, GazActor] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_name", {a.name: a for a in self.actors})

    def entries(self) -> Iterator[tuple[str, str, tuple[str, ...], set[str]]]:
        """(name, type, aliases and short forms, the folded forms a user may type) of every
        actor, as the facts store keeps them for queries."""
        from cartelkit.textutil import fold

        for a in self.actors:
            names = a.aliases + a.short
            yield a.name, a.type, names, {fold(n) for n in (a.name, *names)}


T = TypeVar("T")

_FIX = "fix the actors file (format: README, actors)"


def _date(value: Any, where: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise CorpusError(f"{where}: {value!r} is not a YYYY-MM-DD date", _FIX) from exc


def _field_line(text: str, index: int, key: str | None) -> int | None:
    """The line of the ``index``-th ``[[actor]]`` table of ``text`` (or of its ``key`` in it)."""
    lines = text.splitlines()
    starts = [n for n, line in enumerate(lines) if re.match(r"\s*\[\[\s*actor\s*\]\]", line)]
    if index >= len(starts):
        return None
    end = starts[index + 1] if index + 1 < len(starts) else len(lines)
    if key is not None:
        for n in range(starts[index], end):
            if re.match(rf"\s*{re.escape(key)}\s*=", lines[n]):
                return n + 1
    return starts[index] + 1


def _strings(value: Any, where: str, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise CorpusError(f"{where}: {key} must be a list of names in quotes", _FIX)
    return tuple(v for v in value if v.strip())


def _text(value: Any, where: str, key: str) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise CorpusError(f"{where}: {key} must be a name in quotes", _FIX)


def _parse(entries: Any, where: str, text: str | None = None) -> list[GazActor]:
    """The actors of an actors file; a one-line error naming the line and the field for the
    first thing that is not as the format says (``text``: the file, for line numbers)."""
    if not isinstance(entries, list):
        raise CorpusError(f"{where}: actors must be [[actor]] tables", _FIX)
    out = []
    for i, e in enumerate(entries):

        def pos(key: str | None, i: int = i) -> str:
            line = _field_line(text, i, key) if text is not None else None
            return f"{where}{f', line {line}' if line else ''}, actor #{i + 1}"

        if not isinstance(e, dict) or not isinstance(e.get("name"), str) or not e["name"].strip():
            raise CorpusError(f"{pos('name')}: every actor needs a name in quotes", _FIX)
        typ = e.get("type", "person")
        if typ not in ACTOR_TYPES:
            raise CorpusError(f"{pos('type')} ({e['name']}): type {typ!r} is not one of {', '.join(ACTOR_TYPES)}", _FIX)
        raw_roles = e.get("roles", [])
        if not isinstance(raw_roles, list) or not all(isinstance(r, dict) for r in raw_roles):
            raise CorpusError(f"{pos('roles')} ({e['name']}): roles must be a list of {{office = …}} tables", _FIX)
        roles = tuple(
            Role(
                _text(r.get("office"), pos("roles"), "office") or "",
                _text(r.get("country"), pos("roles"), "country"),
                _date(r.get("start"), pos("roles")),
                _date(r.get("end"), pos("roles")),
            )
            for r in raw_roles
        )
        out.append(
            GazActor(
                e["name"].strip(),
                typ,
                _strings(e.get("aliases"), pos("aliases"), "aliases"),
                _strings(e.get("short"), pos("short"), "short"),
                _text(e.get("country"), pos("country"), "country"),
                _text(e.get("affiliation"), pos("affiliation"), "affiliation"),
                roles,
            )
        )
    return out


def _merge(base: list[GazActor], extra: list[GazActor]) -> tuple[GazActor, ...]:
    by_name = {a.name: a for a in base}
    order = [a.name for a in base]
    for a in extra:
        old = by_name.get(a.name)
        if old is None:
            order.append(a.name)
            by_name[a.name] = a
            continue
        by_name[a.name] = GazActor(
            a.name,
            a.type,
            tuple(dict.fromkeys(old.aliases + a.aliases)),
            tuple(dict.fromkeys(old.short + a.short)),
            a.country or old.country,
            a.affiliation or old.affiliation,
            old.roles + a.roles,
        )
    return tuple(_with_acronym_forms(by_name[n]) for n in order)


_ACRONYM_RE = re.compile(r"^[A-Z][A-Z0-9-]{1,9}$")


def _with_acronym_forms(a: GazActor) -> GazActor:
    """Add "Long Name (ACRO)" for an actor known by a long name and an acronym: the form
    pages and annotators write ("Mara Salvatrucha (MS-13)", "National Liberation Army (ELN)")."""
    forms = (a.name, *a.aliases)
    acronyms = [f for f in forms if _ACRONYM_RE.match(f)]
    longs = [f for f in forms if " " in f and "(" not in f and not any(a in f.split() for a in acronyms)]
    extra = tuple(f"{long} ({acro})" for acro in acronyms for long in longs if f"{long} ({acro})" not in forms)
    return a if not extra else GazActor(a.name, a.type, a.aliases + extra, a.short, a.country, a.affiliation, a.roles)


@cache
def load_gazetteer(user_file: Path | None = None) -> Gazetteer:
    """The packaged gazetteer, extended by a user's ``actors.toml`` when given."""
    with gc_paused():
        return _load_gazetteer(user_file)


def _load_gazetteer(user_file: Path | None) -> Gazetteer:
    base = _parse(load_toml("actors.toml").get("actor", []), "cartelkit/data/actors.toml")
    digest = hashlib.sha256(data_bytes("actors.toml"))
    if user_file is None:
        return Gazetteer(_merge(base, []), digest.hexdigest())
    try:
        raw = Path(user_file).read_bytes()
        text = raw.decode("utf-8")
        data = tomllib.loads(text)
    except UnicodeDecodeError as exc:
        raise CorpusError(f"{user_file}: the actors file is not UTF-8 text", "save it as UTF-8") from exc
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise CorpusError(f"{user_file}: cannot read the actors file ({exc})", "fix or remove it") from exc
    digest.update(raw)
    return Gazetteer(_merge(base, _parse(data.get("actor", []), str(user_file), text)), digest.hexdigest())


def derived(gaz: Gazetteer, name: str, make: Callable[[], Any], use: Callable[[Any], T]) -> T:
    """``use(make())``, where ``make()`` computes plain data (JSON) from the gazetteer once per
    process, such as the matcher's index of every name (a tenth of a second, which ``cartelkit
    add`` of one article would pay each time). The data is kept in this user's cache under the
    digests of the gazetteer's files and of the annotators' code and lexicon, so an edit of
    either makes it afresh; an unwritable, damaged or foreign cache file is only slower."""
    if not gaz.digest:
        return use(make())
    key = hashlib.sha256(f"{gaz.digest}/{name}/{_code_digest()}".encode()).hexdigest()[:32]
    return cached_json(f"derived-{name}", key, make, use)


@cache
def _code_digest() -> str:
    """Of the annotators' code, the text helpers and the lexicon: what derived data depends on."""
    here = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for path in sorted([*here.glob("*.py"), here.parent / "textutil.py"]):
        h.update(path.name.encode() + path.read_bytes())
    h.update(data_bytes("lexicon.toml"))
    return h.hexdigest()
