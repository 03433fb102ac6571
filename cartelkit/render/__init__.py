"""Stage 5, render: rows -> table (rich on a terminal, plain otherwise), json, csv or markdown.

The only layer that knows about terminals. Result objects are dataclasses; a column
list says which fields a table shows, while json always carries every field.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, is_dataclass
from typing import IO, Any

from cartelkit.textutil import printable

FORMATS = ("table", "json", "csv", "markdown")
_BOLD_RE = re.compile(r"\*\*(.+?)\*\*")


def to_jsonable(obj: Any) -> Any:
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


def render_rows(
    rows: Sequence[Any],
    columns: Sequence[str],
    fmt: str,
    out: IO[str],
    is_tty: bool = False,
    title: str | None = None,
    widths: Mapping[str, int] | None = None,
) -> None:
    """Print ``rows`` (dataclasses or dicts) in ``fmt``. JSON holds every field; the
    other formats show ``columns``."""
    data = [to_jsonable(r) for r in rows]
    if fmt == "json":
        out.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return
    table = [[_cell(r.get(c)) for c in columns] for r in data]
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([[_csv_safe(c) for c in row] for row in table])
        out.write(buf.getvalue())
        return
    if fmt == "markdown":

        def esc(s: str) -> str:
            return s.replace("|", "\\|").replace("\n", " ")

        out.write("| " + " | ".join(columns) + " |\n")
        out.write("|" + "|".join("---" for _ in columns) + "|\n")
        for row in table:
            out.write("| " + " | ".join(esc(c) for c in row) + " |\n")
        return
    if is_tty:
        _rich_table(table, columns, out, title, widths or {})
        return
    _plain_table(table, columns, out)


def _plain_table(table: list[list[str]], columns: Sequence[str], out: IO[str]) -> None:
    from tabulate import tabulate

    plain = [[_BOLD_RE.sub(r"\1", " ".join(c.split())) for c in row] for row in table]
    out.write(tabulate(plain, headers=list(columns), tablefmt="simple", disable_numparse=True) + "\n")


def _rich_table(
    table: list[list[str]], columns: Sequence[str], out: IO[str], title: str | None, widths: Mapping[str, int]
) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    t = Table(title=title, show_lines=False, header_style="bold")
    for c in columns:
        t.add_column(c, overflow="fold", max_width=widths.get(c))
    for row in table:
        t.add_row(*(_BOLD_RE.sub(r"[bold yellow]\1[/]", escape(c)) for c in row))
    Console(file=out, force_terminal=True).print(t)


def render_object(obj: Mapping[str, Any], fmt: str, out: IO[str], is_tty: bool = False) -> None:
    """One record (``show``, ``stats``): json as an object; other formats as field/value rows."""
    data = to_jsonable(obj)
    if fmt == "json":
        out.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return
    rows = [
        {"field": k, "value": v if not isinstance(v, (list, dict)) else json.dumps(v, ensure_ascii=False)}
        for k, v in data.items()
    ]
    render_rows(rows, ["field", "value"], fmt, out, is_tty)
