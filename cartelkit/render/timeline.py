"""The terminal view of a timeline: entries grouped by year, each year with an activity bar."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import IO

from cartelkit.model import TimelineEntry


def print_timeline(name: str, entries: Sequence[TimelineEntry], out: IO[str]) -> None:
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
