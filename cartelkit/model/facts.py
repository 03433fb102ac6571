"""What ``timeline``, ``stance`` and ``actors`` ask and answer (loaded on first use)."""

from __future__ import annotations

from dataclasses import dataclass

from cartelkit.model import PartialDate, Row, Span


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
