"""The actor gazetteer: packaged ``data/actors.toml`` merged with ``<corpus>/actors.toml``.

See the header of ``cartelkit/data/actors.toml`` for the format. A user entry with the
name of a packaged one extends it (aliases and roles are added, other fields replaced).
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from cartelkit.data import load_toml
from cartelkit.errors import CorpusError

ACTOR_TYPES = ("person", "criminal_group", "government", "organization", "place")


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
    by_name: dict[str, GazActor] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_name", {a.name: a for a in self.actors})


def _date(value: Any, where: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise CorpusError(f"{where}: {value!r} is not a YYYY-MM-DD date", "fix the actors file") from exc


def _parse(entries: list[dict[str, Any]], where: str) -> list[GazActor]:
    out = []
    for i, e in enumerate(entries):
        pos = f"{where}, actor #{i + 1}"
        if not isinstance(e, dict) or not isinstance(e.get("name"), str) or not e["name"].strip():
            raise CorpusError(f"{pos}: every actor needs a name", "fix the actors file")
        typ = e.get("type", "person")
        if typ not in ACTOR_TYPES:
            raise CorpusError(
                f"{pos} ({e['name']}): type {typ!r} is not one of {', '.join(ACTOR_TYPES)}", "fix the actors file"
            )
        roles = tuple(
            Role(str(r.get("office", "")), r.get("country"), _date(r.get("start"), pos), _date(r.get("end"), pos))
            for r in e.get("roles", [])
            if isinstance(r, dict)
        )
        out.append(
            GazActor(
                e["name"].strip(),
                typ,
                tuple(str(a) for a in e.get("aliases", []) if str(a).strip()),
                tuple(str(a) for a in e.get("short", []) if str(a).strip()),
                e.get("country"),
                e.get("affiliation"),
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
    base = _parse(load_toml("actors.toml").get("actor", []), "cartelkit/data/actors.toml")
    if user_file is None:
        return Gazetteer(_merge(base, []))
    try:
        with open(user_file, "rb") as fh:
            data = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise CorpusError(f"{user_file}: cannot read the actors file ({exc})", "fix or remove it") from exc
    return Gazetteer(_merge(base, _parse(data.get("actor", []), str(user_file))))
