"""Timeline and stance queries over the index, and their summaries."""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING

from cartelkit.model import StanceRow, TimelineEntry
from cartelkit.query import check_language, parse_date_range

if TYPE_CHECKING:
    from cartelkit.query import Workspace


def timeline(
    ws: Workspace,
    actor: str,
    date_from: str | None = None,
    date_to: str | None = None,
    role: str | None = None,
    language: str | None = None,
) -> tuple[str, list[TimelineEntry]]:
    """The resolved actor's name and its dated entries, oldest first, undated last
    (``role``: only "actor" or only "target" entries; ``language``: of documents in it)."""
    from cartelkit.index import whoosh_index as wx

    lo, hi = parse_date_range(date_from, date_to)
    code = check_language(language)
    ix = ws.open()
    name = ws.resolve_actor(actor).name
    return name, [e for e in wx.timeline(ix, name, lo, hi, code) if role is None or e.role == role]


def stance(
    ws: Workspace,
    topic: str,
    actor: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    include_neutral: bool = False,
    language: str | None = None,
) -> list[StanceRow]:
    """Attributed statements on a topic with their stance, oldest first."""
    from cartelkit.index import whoosh_index as wx

    lo, hi = parse_date_range(date_from, date_to)
    code = check_language(language)
    ix = ws.open()
    name = ws.resolve_actor(actor).name if actor else None
    return wx.stance(ix, topic, name, lo, hi, include_neutral, code)


@dataclass(frozen=True)
class SpeakerSummary:
    speaker: str
    topic: str
    support: int
    oppose: int
    neutral: int
    first: str | None
    last: str | None
    changed: bool  # the speaker's stance differs between their earliest and latest dated statements
    stances: tuple[str, ...]  # the sequence of stances in date order


def summarize(rows: list[StanceRow]) -> list[SpeakerSummary]:
    """One row per speaker: counts, first and last date, and whether the stance changed over time."""
    by: dict[str, list[StanceRow]] = defaultdict(list)
    for r in rows:
        by[r.speaker].append(r)
    out = []
    for speaker, rs in by.items():
        dated = [r.date for r in rs if r.date]
        polar = [r.stance for r in rs if r.stance != "neutral"]  # rows come in date order
        changed = any(a != b for a, b in itertools.pairwise(polar))
        out.append(
            SpeakerSummary(
                speaker,
                rs[0].topic,
                sum(r.stance == "support" for r in rs),
                sum(r.stance == "oppose" for r in rs),
                sum(r.stance == "neutral" for r in rs),
                min(dated) if dated else None,
                max(dated) if dated else None,
                changed,
                tuple(polar),
            )
        )
    out.sort(key=lambda s: (-(s.support + s.oppose), s.speaker))
    return out


def print_timeline(name: str, entries: list[TimelineEntry], out: IO[str]) -> None:
    """A terminal view: entries grouped by year, each year with a compact activity bar."""
    from rich.console import Console
    from rich.markup import escape

    console = Console(file=out, force_terminal=True, highlight=False)  # evidence as written
    console.print(f"[bold]{escape(name)}[/] — {len(entries)} entries")
    groups: dict[str, list[TimelineEntry]] = defaultdict(list)
    for e in entries:
        groups[e.date[:4] if e.date else "undated"].append(e)
    most = max((len(v) for v in groups.values()), default=1)
    for year, items in groups.items():
        bar = "█" * max(1, round(20 * len(items) / most))
        console.print(f"\n[bold cyan]{year}[/] [green]{bar}[/] {len(items)}")
        for e in items:
            src = "" if e.date_source == "text" else " [dim](published)[/]"
            role = " [magenta](target)[/]" if e.role == "target" else ""
            console.print(
                f"  [bold]{e.date or '—':10}[/]{src}{role} {escape(e.evidence)} [dim]{e.doc_id} {list(e.span)}[/]"
            )
