"""Stage 5, render: rows -> table (rich on a terminal, plain otherwise), json, ndjson, csv or
markdown; :mod:`~cartelkit.render.document` and :mod:`~cartelkit.render.timeline` are the
readable views of ``show`` and ``timeline``.

The only layer that knows about terminals and markup. Result objects are dataclasses; a
column list says which fields a table shows, while json and ndjson always carry every
field. json, ndjson and csv are written row by row as the rows arrive (constant memory).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, is_dataclass
from typing import IO, Any

from cartelkit.model import Row
from cartelkit.textutil import printable

FORMATS = ("table", "json", "ndjson", "csv", "markdown")


def to_jsonable(obj: Any) -> Any:
    if isinstance(obj, Row):
        return obj.to_dict()
    if is_dataclass(obj) and not isinstance(obj, type):
        return to_jsonable(asdict(obj))
    if isinstance(obj, Mapping):
        return {k: to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_jsonable(v) for v in obj]
    return obj


def dumps(obj: Any) -> str:
    return json.dumps(to_jsonable(obj), ensure_ascii=False, indent=2)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(_cell(v) for v in value)
    if isinstance(value, float):
        return f"{value:.3f}"
    return printable(str(value), one_line=True)


def _csv_safe(cell: str) -> str:
    """A cell a spreadsheet will not run as a formula ("=HYPERLINK(…)", "+1", "@SUM")."""
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell


HIGHLIGHTED = "snippet"  # the column whose row carries ``highlights`` offsets
WIDE = ("evidence", "snippet", "value", "gold", "got", "aliases")  # the columns that get the room
MIN_WIDE = 36  # narrower than this, a wide column is unreadable: optional columns are dropped first
NARROW_MAX = 40  # a narrow column never takes more than this


def render_rows(
    rows: Iterable[Any],
    columns: Sequence[str],
    fmt: str,
    out: IO[str],
    is_tty: bool = False,
    title: str | None = None,
    widths: Mapping[str, int] | None = None,
    optional: Sequence[str] = (),
    notify: Callable[[str], None] | None = None,
) -> None:
    """Print ``rows`` (dataclasses or dicts) in ``fmt``. JSON holds every field; the
    other formats show ``columns``. A row's ``highlights`` (offsets in its snippet) become
    bold on a terminal and ``**…**`` in markdown; csv carries them as a column of offsets.
    On a terminal too narrow for the table, ``optional`` columns are left out (``notify``
    says which). json (an array, laid out as ``json.dumps(rows, indent=2)`` would), ndjson
    (one object per line) and csv are written as the rows come."""
    stream = (r.fields() if isinstance(r, Row) else to_jsonable(r) for r in rows)  # no copy per row
    if fmt == "json":
        first = True
        for r in stream:
            out.write(
                ("[\n  " if first else ",\n  ") + json.dumps(r, ensure_ascii=False, indent=2).replace("\n", "\n  ")
            )
            first = False
        out.write("[]\n" if first else "\n]\n")
        return
    if fmt == "ndjson":
        encode = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode  # rows hold no cycles
        for r in stream:
            out.write(encode(r) + "\n")
        return
    if fmt == "csv":
        cols = [*columns, *(["highlights"] if HIGHLIGHTED in columns else [])]  # the same columns, rows or not
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(cols)
        for r in stream:
            cells = [_cell(r.get(c)) for c in columns]
            if len(cols) > len(columns):  # offsets into the snippet cell as written (after a guard quote)
                spans = r.get("highlights") or []
                shift = len(_csv_safe(cells[columns.index(HIGHLIGHTED)])) - len(cells[columns.index(HIGHLIGHTED)])
                cells.append(" ".join(f"{a + shift}-{b + shift}" for a, b in spans))
            writer.writerow([_csv_safe(c) for c in cells])
        return
    data = list(stream)
    marks = [r.get("highlights") or [] if HIGHLIGHTED in columns else [] for r in data]
    if fmt == "table" and not data:
        return  # nothing to show: the command says so on stderr
    table = [[_cell(r.get(c)) for c in columns] for r in data]
    col = columns.index(HIGHLIGHTED) if HIGHLIGHTED in columns else -1
    if fmt == "markdown":

        def esc(s: str) -> str:
            return s.replace("|", "\\|").replace("\n", " ")

        out.write("| " + " | ".join(columns) + " |\n")
        out.write("|" + "|".join("---" for _ in columns) + "|\n")
        for row, spans in zip(table, marks, strict=True):
            cells = [esc(c) if i != col else _marked_escaped(c, spans, esc) for i, c in enumerate(row)]
            out.write("| " + " | ".join(cells) + " |\n")
        return
    if is_tty:
        _rich_table(table, marks, columns, out, title, widths or {}, optional, notify)
        return
    _plain_table(table, columns, out)


def _marked_escaped(text: str, spans: Sequence[Sequence[int]], esc: Callable[[str], str]) -> str:
    """Markdown bold around each highlighted stretch, the rest escaped."""
    out, pos = [], 0
    for s0, e0 in spans:
        if pos <= s0 <= e0 <= len(text):
            out += [esc(text[pos:s0]), "**", esc(text[s0:e0]), "**"]
            pos = e0
    return "".join(out) + esc(text[pos:])


def _plain_table(table: list[list[str]], columns: Sequence[str], out: IO[str]) -> None:
    from tabulate import tabulate

    plain = [[" ".join(c.split()) for c in row] for row in table]
    out.write(tabulate(plain, headers=list(columns), tablefmt="simple", disable_numparse=True) + "\n")


def _rich_table(
    table: list[list[str]],
    marks: list[Any],
    columns: Sequence[str],
    out: IO[str],
    title: str | None,
    widths: Mapping[str, int],
    optional: Sequence[str],
    notify: Callable[[str], None] | None,
) -> None:
    """A table sized to the terminal: narrow columns at their content's width (up to
    ``widths``), the wide column (evidence, snippet) gets the rest and wraps between words;
    when that rest is too small, ``optional`` columns go, last first. Cells are shown as
    written (no markup, no colouring of numbers)."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(file=out, force_terminal=True, highlight=False)
    shown = list(columns)

    def narrow_width(c: str) -> int:
        i = columns.index(c)
        natural = max([len(c), *(len(row[i]) for row in table)])
        return min(natural, widths.get(c, NARROW_MAX)) + 3  # padding and border

    def room(cols: list[str]) -> int:
        return console.width - 4 - sum(narrow_width(c) for c in cols if c not in WIDE)

    dropped = []
    for c in reversed(optional):
        if not any(w in shown for w in WIDE) or room(shown) >= MIN_WIDE:
            break
        if c in shown:
            shown.remove(c)
            dropped.append(c)
    if dropped and notify is not None:
        notify(f"hidden on this narrow terminal: {', '.join(reversed(dropped))} (widen it, or use --format csv|json)")
    t = Table(title=title, show_lines=False, header_style="bold", expand=any(w in shown for w in WIDE))
    for c in shown:
        if c in WIDE:
            t.add_column(c, ratio=1, overflow="fold", min_width=12)
        else:
            t.add_column(c, no_wrap=c != "title", overflow="ellipsis", max_width=widths.get(c, NARROW_MAX))
    keep = [columns.index(c) for c in shown]
    hi = columns.index(HIGHLIGHTED) if HIGHLIGHTED in columns else -1
    for row, spans in zip(table, marks, strict=True):
        cells = []
        for i in keep:
            text = Text(row[i])
            if i == hi:
                for s0, e0 in spans:
                    text.stylize("bold yellow", s0, e0)
            cells.append(text)
        t.add_row(*cells)
    console.print(t)


def render_object(obj: Mapping[str, Any], fmt: str, out: IO[str], is_tty: bool = False) -> None:
    """One record (``show``, ``stats``): json as an object; other formats as field/value rows."""
    data = to_jsonable(obj)
    if fmt == "json":
        out.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return
    if fmt == "ndjson":
        out.write(json.dumps(data, ensure_ascii=False) + "\n")
        return
    rows = [
        {"field": k, "value": v if not isinstance(v, (list, dict)) else json.dumps(v, ensure_ascii=False)}
        for k, v in data.items()
    ]
    render_rows(rows, ["field", "value"], fmt, out, is_tty)


def human_size(n: float) -> str:
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n:,.0f} {unit}" if unit == "bytes" else f"{n:,.1f} {unit}"
        n /= 1024
    return f"{n:,.1f} GiB"  # pragma: no cover - the loop returns


def human_age(seconds: float) -> str:
    for size, unit in ((86400, "day"), (3600, "hour"), (60, "minute")):
        if seconds >= size:
            k = int(seconds // size)
            return f"{k} {unit}{'s' if k != 1 else ''} ago"
    return "just now" if seconds < 5 else f"{int(seconds)} seconds ago"


def human_stats(stats: Mapping[str, Any]) -> dict[str, Any]:
    """``stats`` for people: sizes and ages in units, counts per source as one line. JSON and
    csv keep the raw numbers."""
    out: dict[str, Any] = {}
    for key, value in stats.items():
        if key == "index_bytes":
            out["index_size"] = human_size(value)
        elif key == "index_age_seconds":
            out["index_age"] = human_age(value)
        elif isinstance(value, Mapping):
            out[key] = ", ".join(f"{k} ({v:,})" for k, v in value.items()) or "-"
        elif isinstance(value, int) and not isinstance(value, bool):
            out[key] = f"{value:,}"
        else:
            out[key] = value
    return out
