"""What ``cartelkit report`` draws (loaded on first use)."""

from __future__ import annotations

from dataclasses import dataclass

from cartelkit.model.facts import PeriodCount, StanceRow, TimelineEntry


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
