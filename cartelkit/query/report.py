"""What ``cartelkit report`` shows, gathered from the facts store: aggregates for the charts
(all rows, counted in SQL) and, for the tables and the timelines' points, every row or an
even sample over time, so a report of 20,000 articles stays small enough to open."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, TypeVar

from cartelkit.model import ActorTimeline, Report, ReportDocument, TopicStance
from cartelkit.vocab import TOPICS

if TYPE_CHECKING:
    from cartelkit.query import Workspace

MAX_ENTRIES = 300  # points on one actor's timeline
MAX_ROWS = 300  # statements listed per topic
SPEAKERS = 12  # speakers on a topic's chart
DEFAULT_ACTORS = 3  # timelines when no --actor is given: the busiest people

T = TypeVar("T")


def even_sample(items: Sequence[T], k: int) -> tuple[T, ...]:
    """``k`` items spread evenly over ``items`` (first and last included), in order."""
    n = len(items)
    if n <= k:
        return tuple(items)
    if k <= 1:
        return tuple(items[:k])
    return tuple(items[round(i * (n - 1) / (k - 1))] for i in range(k))


def gather(
    ws: Workspace,
    actors: Sequence[str] = (),
    topics: Sequence[str] = TOPICS,
    date_from: str | None = None,
    date_to: str | None = None,
) -> Report:
    """The report's data: timelines of ``actors`` (default: the busiest people), stance on
    ``topics``, within the dates, and the cleaned text of every cited document."""
    facts = ws.facts()
    names = [ws.resolve_actor(a).name for a in actors] or facts.busiest_actors(DEFAULT_ACTORS)
    timelines = []
    for name in dict.fromkeys(names):
        entries = list(ws.timeline_rows(ws.timeline_query(name, date_from, date_to)))
        timelines.append(ActorTimeline(name, even_sample(entries, MAX_ENTRIES), len(entries)))
    stances = []
    for topic in topics:
        sq = ws.stance_query(topic, None, date_from, date_to)
        total = facts.count_stance(sq)
        # about twice the rows wanted, one in `every` over the whole corpus, then evenly over time
        rows = even_sample(list(facts.stance(sq, every=max(1, total // (2 * MAX_ROWS)))), MAX_ROWS)
        by_year, speakers = tuple(facts.stance_by(sq, "year")), tuple(facts.speaker_years(sq, SPEAKERS))
        stances.append(TopicStance(topic, by_year, speakers, rows, total))
    cited_ids = dict.fromkeys(
        [e.doc_id for t in timelines for e in t.entries] + [r.doc_id for s in stances for r in s.rows]
    )
    cited = []
    for doc_id in cited_ids:  # the clean cache's fields, read as they are (no Document per page)
        cached = ws.corpus.load_clean(doc_id)
        if cached is None:  # gone since the build: the row stays, without the text
            continue
        d = cached["document"]
        cited.append(ReportDocument(doc_id, d.get("title"), d.get("published"), d.get("source"), d.get("body", "")))
    filters = {k: v for k, v in (("from", date_from), ("to", date_to)) if v}
    if actors:
        filters["actor"] = ", ".join(names)
    if tuple(topics) != TOPICS:
        filters["topic"] = ", ".join(topics)
    summary = facts.summary()
    return Report(
        corpus=str(ws.corpus.root),
        generated=time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        filters=filters,
        documents=summary["documents"],
        by_source_year=tuple(facts.by_source_year()),
        timelines=tuple(timelines),
        stances=tuple(stances),
        cited=tuple(cited),
    )
