"""Typed records that flow between the layers. JSON is only one rendering of them."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, Literal

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
class Sentence:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class DocActor:
    """An actor as found in one document."""

    name: str
    type: str
    mentions: tuple[str, ...]  # distinct surface strings, in order of first use
    count: int
    discovered: bool = False
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Statement:
    """A speaker's attributed statement with its stance on a topic."""

    speaker: str
    topic: str  # "negotiation" | "confrontation"
    stance: str  # "support" | "oppose" | "neutral"
    date: str | None
    date_precision: str | None
    date_source: str | None  # "text" | "published" | None
    evidence: str
    span: Span
    cues: tuple[str, ...]
    mode: str = "reported"  # "quote" | "reported" | "publication"


@dataclass(frozen=True)
class Event:
    """One sentence in which an actor acts or speaks, with its resolved date."""

    actor: str
    date: str | None
    date_precision: str | None
    date_source: str | None
    evidence: str
    span: Span
    kind: str = "action"  # "speech" | "action"
    role: str = "actor"  # "actor": acts or speaks; "target": acted upon or spoken about ("recaptured Guzmán")


@dataclass(frozen=True)
class Document:
    """A cleaned article: metadata, clean body and (once annotated) its annotations."""

    doc_id: str
    file: str
    sha256: str
    title: str | None
    published: str | None
    date_precision: str | None
    author: str | None
    source: str | None
    section: str | None
    language: str | None
    url: str | None
    body: str
    removed: tuple[str, ...]
    encoding: str = "utf-8"
    warnings: tuple[str, ...] = ()
    actors: tuple[DocActor, ...] = ()
    statements: tuple[Statement, ...] = ()
    events: tuple[Event, ...] = ()
    meta_sources: dict[str, str] = field(default_factory=dict)  # field -> "sidecar" | "html" (the page's markup)
    format: str = "text"  # "text" | "html"
    dropped: tuple[str, ...] = ()  # an HTML page's visible lines that extraction left out

    @property
    def published_date(self) -> PartialDate | None:
        return PartialDate.from_iso(self.published) if self.published else None

    def to_dict(self) -> dict[str, Any]:
        """What ``dataclasses.asdict`` gives (equal to it: a test checks), 15 times faster: the
        nested records hold only strings, numbers and tuples of them, so a copy of each record's
        fields is a deep enough copy."""
        data = dict(self.__dict__)
        data["actors"] = tuple(dict(a.__dict__) for a in self.actors)
        data["statements"] = tuple(dict(s.__dict__) for s in self.statements)
        data["events"] = tuple(dict(e.__dict__) for e in self.events)
        data["meta_sources"] = dict(self.meta_sources)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Document:
        data = dict(data)
        data["removed"] = tuple(data.get("removed", ()))
        data["warnings"] = tuple(data.get("warnings", ()))
        data["dropped"] = tuple(data.get("dropped", ()))
        data["actors"] = tuple(
            DocActor(**{**a, "mentions": tuple(a["mentions"]), "aliases": tuple(a.get("aliases", ()))})
            for a in data.get("actors", ())
        )
        data["statements"] = tuple(
            Statement(**{**s, "span": tuple(s["span"]), "cues": tuple(s["cues"])}) for s in data.get("statements", ())
        )
        data["events"] = tuple(Event(**{**e, "span": tuple(e["span"])}) for e in data.get("events", ()))
        return cls(**data)


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
class TimelineEntry(Row):
    actor: str
    date: str | None
    date_precision: str | None
    date_source: str | None
    doc_id: str
    title: str | None
    source: str | None
    published: str | None
    evidence: str
    span: Span
    kind: str = "action"
    role: str = "actor"


@dataclass(frozen=True)
class StanceRow(Row):
    speaker: str
    topic: str
    stance: str
    date: str | None
    date_precision: str | None
    doc_id: str
    title: str | None
    source: str | None
    published: str | None
    evidence: str
    span: Span
    cues: tuple[str, ...]
    mode: str = "reported"


@dataclass(frozen=True)
class SpeakerSummary(Row):
    """``stance --summary``: one speaker's statements on a topic."""

    speaker: str
    topic: str
    support: int
    oppose: int
    neutral: int
    first: str | None  # earliest statement date
    last: str | None  # latest statement date
    changed: bool  # argued both for and against


@dataclass(frozen=True)
class PeriodCount(Row):
    """``stance --by year|month``: statements of one period, per stance."""

    period: str  # "2011", "2011-08", or "undated"
    topic: str
    support: int
    oppose: int
    neutral: int
    speakers: int  # distinct speakers


@dataclass(frozen=True)
class ActorSummary(Row):
    """``actors``: an actor of the corpus (or of the gazetteer, with no mentions)."""

    name: str
    type: str
    aliases: tuple[str, ...]
    mentions: int
    documents: int
    discovered: bool


@dataclass(frozen=True)
class StanceQuery:
    """What ``stance`` asks the facts store (names resolved, dates parsed, sets validated)."""

    topic: str
    stances: tuple[str, ...] = ("support", "oppose")
    speaker: str | None = None
    date_from: PartialDate | None = None
    date_to: PartialDate | None = None
    language: str | None = None


@dataclass(frozen=True)
class TimelineQuery:
    """What ``timeline`` asks the facts store."""

    actor: str
    role: str | None = None
    date_from: PartialDate | None = None
    date_to: PartialDate | None = None
    language: str | None = None


@dataclass(frozen=True)
class SearchQuery:
    """What ``search`` asks the text index (the query text is checked by the index)."""

    text: str
    date_from: PartialDate | None = None
    date_to: PartialDate | None = None
    source: str | None = None
    actor: str | None = None
    language: str | None = None


@dataclass(frozen=True)
class ActorTimeline:
    """One actor's timeline in a report: its entries (all, or an even sample) and how many
    there are in all."""

    actor: str
    entries: tuple[TimelineEntry, ...]
    total: int


@dataclass(frozen=True)
class TopicStance:
    """One topic in a report: counts per year and stance, per speaker and year, and the
    statements (all, or an even sample over time) with how many there are in all."""

    topic: str
    by_year: tuple[PeriodCount, ...]
    speakers: tuple[tuple[str, str, int, int], ...]  # (speaker, year, support, oppose), busiest speakers
    rows: tuple[StanceRow, ...]
    total: int


@dataclass(frozen=True)
class ReportDocument:
    doc_id: str
    title: str | None
    published: str | None
    source: str | None
    body: str


@dataclass(frozen=True)
class Report:
    """What ``cartelkit report`` draws: the corpus, actors' timelines, stance per topic, and
    the cleaned text of every document a shown row cites."""

    corpus: str
    generated: str
    filters: dict[str, str]
    documents: int
    by_source_year: tuple[tuple[str, str, int], ...]  # (source, year or "undated", documents)
    timelines: tuple[ActorTimeline, ...]
    stances: tuple[TopicStance, ...]
    cited: tuple[ReportDocument, ...]
