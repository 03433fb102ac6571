"""Typed records that flow between the layers. JSON is only one rendering of them.

Every record is importable from here (``from cartelkit.model import Document``). The ones a
search needs are defined in this module; the others live in three submodules that are loaded
on first use (``document``: an article and its annotations; ``facts``: what ``timeline``,
``stance`` and ``actors`` ask and answer; ``report``), because making a frozen dataclass
costs a query process 1.5 ms each (20 of them: a tenth of ``search``'s start-up).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:  # the lazy records, for type checkers
    from cartelkit.model.document import DocActor, Document, Event, Sentence, Statement
    from cartelkit.model.facts import (
        ActorSummary,
        PeriodCount,
        SpeakerSummary,
        StanceQuery,
        StanceRow,
        TimelineEntry,
        TimelineQuery,
    )
    from cartelkit.model.report import ActorTimeline, Report, ReportDocument, TopicStance

__all__ = [
    "ActorSummary",
    "ActorTimeline",
    "DocActor",
    "Document",
    "Event",
    "Hit",
    "PartialDate",
    "PeriodCount",
    "Precision",
    "Report",
    "ReportDocument",
    "Row",
    "SearchQuery",
    "SearchResult",
    "Sentence",
    "Span",
    "SpeakerSummary",
    "StanceQuery",
    "StanceRow",
    "Statement",
    "TimelineEntry",
    "TimelineQuery",
    "TopicStance",
]

_LAZY = {
    **dict.fromkeys(("DocActor", "Document", "Event", "Sentence", "Statement"), "document"),
    **dict.fromkeys(
        ("ActorSummary", "PeriodCount", "SpeakerSummary", "StanceQuery", "StanceRow", "TimelineEntry", "TimelineQuery"),
        "facts",
    ),
    **dict.fromkeys(("ActorTimeline", "Report", "ReportDocument", "TopicStance"), "report"),
}


def __getattr__(name: str) -> Any:
    """A record of a submodule, loaded when first asked for."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY])


Precision = Literal["day", "month", "year"]
Span = tuple[int, int]


class Row:
    """A result row: ``to_dict()`` gives its JSON form (tuples as lists) without the
    recursion of ``dataclasses.asdict``, and ``from_values`` makes one without the frozen
    ``__init__``'s per-field checks (rows stream by the hundred thousand)."""

    __slots__ = ()

    def to_dict(self) -> dict[str, Any]:
        data = self.__dict__.copy()
        for name in _tuple_fields(type(self)):
            data[name] = _plain(data[name])
        return data

    def fields(self) -> dict[str, Any]:
        """The row's own field mapping, tuples as tuples (what a JSON encoder writes as
        arrays): for reading, never to modify."""
        return self.__dict__

    @classmethod
    def from_values(cls, *values: Any) -> Any:
        """A row from its field values in order (as a query selects them)."""
        row = object.__new__(cls)
        object.__setattr__(row, "__dict__", dict(zip(_field_names(cls), values, strict=True)))
        return row


_FIELDS: dict[type, tuple[str, ...]] = {}
_TUPLES: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = tuple(f.name for f in fields(cls))
    return names


def _tuple_fields(cls: type) -> tuple[str, ...]:
    """The fields whose values are tuples (their annotation says so: ``tuple[…]``, ``Span``)."""
    names = _TUPLES.get(cls)
    if names is None:
        names = _TUPLES[cls] = tuple(f.name for f in fields(cls) if str(f.type).startswith(("tuple", "Span")))
    return names


def _plain(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value


@dataclass(frozen=True)
class PartialDate:
    """A date cut to its precision: ``2011``, ``2011-08`` or ``2011-08-26``."""

    iso: str
    precision: Precision

    @property
    def sort_key(self) -> int:
        """An integer ``YYYYMMDD`` (missing parts as 00) that orders dates."""
        parts = [int(p) for p in self.iso.split("-")] + [0, 0]
        return parts[0] * 10000 + parts[1] * 100 + parts[2]

    @property
    def last_key(self) -> int:
        """The last ``YYYYMMDD`` key inside the date ("2011" -> 20111299, "2011-08" -> 20110899)."""
        y, m, d = self.sort_key // 10000, self.sort_key // 100 % 100, self.sort_key % 100
        return y * 10000 + (m or 12) * 100 + (d or 99)

    @property
    def year(self) -> int:
        return int(self.iso[:4])

    @classmethod
    def from_iso(cls, iso: str) -> PartialDate:
        """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (raises ValueError otherwise)."""
        pieces = iso.split("-")
        if not 1 <= len(pieces) <= 3 or not all(p.isdigit() for p in pieces) or len(pieces[0]) != 4:
            raise ValueError(f"not an ISO date: {iso!r}")
        nums = [int(p) for p in pieces]
        if nums[0] < 1:
            raise ValueError(f"no year 0 in {iso!r}")
        if len(nums) > 1 and not 1 <= nums[1] <= 12:
            raise ValueError(f"bad month in {iso!r}")
        if len(nums) > 2:
            import datetime as _dt

            _dt.date(nums[0], nums[1], nums[2])  # validates the day
        precision: Precision = ("year", "month", "day")[len(nums) - 1]
        return cls("-".join(f"{n:04d}" if i == 0 else f"{n:02d}" for i, n in enumerate(nums)), precision)


@dataclass(frozen=True)
class Hit(Row):
    """One ranked article from ``search``."""

    doc_id: str
    title: str | None
    published: str | None
    author: str | None
    source: str | None
    score: float
    snippet: str  # plain text
    highlights: tuple[tuple[int, int], ...] = ()  # [start, end) of each matched word or phrase in the snippet


@dataclass(frozen=True)
class SearchResult:
    """The articles ``search`` shows, how many matched in all, and a spelling suggestion
    when none did."""

    hits: tuple[Hit, ...]
    total: int
    suggestion: str | None = None


@dataclass(frozen=True)
class SearchQuery:
    """What ``search`` asks the text index (the query text is checked by the index)."""

    text: str
    date_from: PartialDate | None = None
    date_to: PartialDate | None = None
    source: str | None = None
    actor: str | None = None
    language: str | None = None
