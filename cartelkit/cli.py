"""The ``cartelkit`` command: parses options, calls the library, renders. Nothing else.

Heavy modules (whoosh, rich, the annotators) are imported inside the commands that
need them, so ``cartelkit --help`` starts fast.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import click

from cartelkit.errors import CartelkitError, ExitStatus
from cartelkit.version import __version__
from cartelkit.vocab import PERIODS, ROLES, TOPICS

F = TypeVar("F", bound=Callable[..., Any])
FORMATS = ("table", "json", "ndjson", "csv", "markdown")


@dataclass
class State:
    corpus: Path
    index: Path
    traceback: bool

    def workspace(self, progress: bool = True) -> Any:
        import cartelkit

        return cartelkit.open(
            self.corpus, self.index, notify=_notify, progress=_progress_callback() if progress else None
        )


def _notify(message: str) -> None:
    click.echo(message, err=True)


def _progress_callback() -> Callable[[str, int, int], None] | None:
    """A progress bar on stderr when it is a terminal; a line per stage otherwise."""
    if not sys.stderr.isatty():
        seen: set[str] = set()

        def plain(stage: str, done: int, total: int) -> None:
            if stage not in seen and stage != "done" and total:
                seen.add(stage)
                click.echo("saving the index…" if stage == "saving" else f"{stage} {total} file(s)…", err=True)

        return plain
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    bar = Progress(
        TextColumn("{task.description:>9}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    tasks: dict[str, Any] = {}

    def rich_tick(stage: str, done: int, total: int) -> None:
        if stage == "done":
            bar.stop()
            return
        if not tasks:
            bar.start()
        if stage not in tasks:
            tasks[stage] = bar.add_task(stage, total=total)
        bar.update(tasks[stage], completed=done + 1)

    return rich_tick


class CartelkitGroup(click.Group):
    """Maps the project's errors to one-line messages and exit codes (tracebacks only on request)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CartelkitError as exc:
            if _wants_traceback(ctx):
                raise
            click.echo(f"error: {exc}", err=True)
            ctx.exit(int(exc.exit_status))
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            ctx.exit(int(ExitStatus.INTERRUPTED))
        except BrokenPipeError:
            sys.stderr.close()
            ctx.exit(int(ExitStatus.OK))
        except OSError as exc:  # a full disk, a read-only folder: name the cause, not an internal error
            if _wants_traceback(ctx):
                raise
            from cartelkit.errors import describe_os_error

            click.echo(f"error: {describe_os_error(exc)} (free space or fix permissions, then retry)", err=True)
            ctx.exit(int(ExitStatus.ERROR))
        except Exception as exc:  # a bug: say so in one line unless asked for the traceback
            if _wants_traceback(ctx):
                raise
            click.echo(
                f"error: internal error: {type(exc).__name__}: {exc} (rerun with --traceback and report it)", err=True
            )
            ctx.exit(int(ExitStatus.ERROR))


def _wants_traceback(ctx: click.Context) -> bool:
    return bool(isinstance(ctx.obj, State) and ctx.obj.traceback)


def output_options(func: F) -> F:
    """``--format table|json|csv|markdown`` and ``--json``, shared by every command that prints results."""

    @click.option(
        "--format", "-f", "fmt", type=click.Choice(FORMATS), default=None, help="Output format (default: table)."
    )
    @click.option("--json", "json_", is_flag=True, help="Short for --format json.")
    @functools.wraps(func)
    def wrapper(*args: Any, fmt: str | None, json_: bool, **kwargs: Any) -> Any:
        if json_ and fmt not in (None, "json"):
            raise click.UsageError(f"--json conflicts with --format {fmt}")
        return func(*args, fmt="json" if json_ else (fmt or "table"), **kwargs)

    return wrapper  # type: ignore[return-value]


def date_options(func: F) -> F:
    func = click.option("--to", "date_to", metavar="DATE", help="Up to this date (YYYY, YYYY-MM or YYYY-MM-DD).")(func)
    return click.option("--from", "date_from", metavar="DATE", help="From this date (YYYY, YYYY-MM or YYYY-MM-DD).")(
        func
    )


def language_option(func: F) -> F:
    return click.option(
        "--language",
        metavar="CODE",
        help="Only documents in this language (en, es, … as `stats` lists them).",
    )(func)


MAX_COMPLETIONS = 200


def _root_paths(ctx: click.Context) -> tuple[Path, Path]:
    """The ``--corpus`` and ``--index`` folders while the shell completes a word (env or default)."""
    params = ctx.find_root().params
    corpus = params.get("corpus") or os.environ.get("CARTELKIT_CORPUS") or "corpus"
    index = params.get("index_dir") or os.environ.get("CARTELKIT_INDEX") or "index"
    return Path(corpus), Path(index)


def complete_doc_ids(ctx: click.Context, _param: click.Parameter, incomplete: str) -> list[Any]:
    """DOC_IDs of the corpus starting with what was typed (read from raw/, no build)."""
    from click.shell_completion import CompletionItem

    from cartelkit.corpus import Corpus

    try:
        ids = [f.doc_id for f in Corpus(_root_paths(ctx)[0]).raw_files()]
    except Exception:  # completion never fails loudly
        return []
    return [CompletionItem(i) for i in ids if i.startswith(incomplete)][:MAX_COMPLETIONS]


def complete_actors(ctx: click.Context, _param: click.Parameter, incomplete: str) -> list[Any]:
    """Actor names of the last complete index whose name or a word of it starts with what was
    typed, accents and case ignored (read from the facts store, no build)."""
    from click.shell_completion import CompletionItem

    from cartelkit.query import Workspace
    from cartelkit.textutil import fold

    try:
        corpus, index = _root_paths(ctx)
        names = Workspace.at(corpus, index).facts().actor_names()  # no builder: never builds
    except Exception:  # completion never fails loudly
        return []
    typed = fold(incomplete)
    return [CompletionItem(n) for n in names if any(w.startswith(typed) for w in (fold(n), *fold(n).split()))][
        :MAX_COMPLETIONS
    ]


@contextmanager
def _out() -> Iterator[Any]:
    yield sys.stdout


def _tty() -> bool:
    return sys.stdout.isatty()


@click.group(cls=CartelkitGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--corpus",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="CARTELKIT_CORPUS",
    default=Path("corpus"),
    show_default=True,
    help="Corpus folder (raw/ inside). Env: CARTELKIT_CORPUS.",
)
@click.option(
    "--index",
    "index_dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="CARTELKIT_INDEX",
    default=Path("index"),
    show_default=True,
    help="Index folder. Env: CARTELKIT_INDEX.",
)
@click.option("--traceback", is_flag=True, help="Show the Python traceback of an error.")
@click.version_option(__version__, prog_name="cartelkit")
@click.pass_context
def cli(ctx: click.Context, corpus: Path, index_dir: Path, traceback: bool) -> None:
    """Cite-able answers from scraped articles on governments, cartels and gangs.

    \b
    Quickstart (in a folder with corpus/raw/*.txt):
      cartelkit search "truce"                 where a subject is discussed
      cartelkit timeline --actor Fox           what an actor did or said, and when
      cartelkit stance --topic negotiation     who argued for or against talks
    The index is built on first use; `cartelkit build` updates it explicitly.
    """
    ctx.obj = State(corpus, index_dir, traceback)


@cli.command()
@click.option("--rebuild", is_flag=True, help="Reprocess every file and write a new index.")
@click.option("--workers", type=click.IntRange(1, 64), default=None, help="Worker processes (default: all cores).")
@output_options
@click.pass_obj
def build(state: State, rebuild: bool, workers: int | None, fmt: str) -> None:
    """Clean, annotate and index every file under <corpus>/raw/ (only new or changed ones).

    Example: cartelkit build --rebuild
    """
    ws = state.workspace()
    report = ws.build(rebuild=rebuild, workers=workers)
    _report_build(report, fmt)


def _report_build(report: Any, fmt: str, extra: dict[str, Any] | None = None) -> None:
    """The build's summary on stderr; with ``--format json`` the report (and ``extra``: what
    ``add`` added) on stdout. Tables have nothing to show beyond the summary."""
    if report.reason:
        _notify(report.reason)
    for msg in report.warnings:
        _notify(f"warning: {msg}")
    for name, msg in report.failed:
        _notify(f"warning: skipped {name}: {msg}")
    ok = report.total - len(report.failed)
    _notify(
        f"{ok} document(s) ready: {report.processed} processed, {report.reused} unchanged, "
        f"{report.indexed} indexed, {report.removed} removed{' (full rebuild)' if report.rebuilt else ''} "
        f"in {report.seconds:.1f}s"
    )
    if fmt != "table":
        from cartelkit.render import render_object, to_jsonable

        data = {**(extra or {}), **to_jsonable(report)}
        with _out() as out:
            render_object(data, fmt, out, _tty())
    if report.total and ok == 0:
        raise CartelkitError("no file could be processed", "see the warnings above")


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@output_options
@click.pass_obj
def add(state: State, files: tuple[Path, ...], fmt: str) -> None:
    """Copy FILES (articles, their .meta.json sidecars, or folders of articles) into
    <corpus>/raw/ and build. Never overwrites a different file of the same name.

    Example: cartelkit add ~/Downloads/article.txt ~/Downloads/article.meta.json ~/scraped/
    """
    from cartelkit.corpus import SIDECAR_SUFFIX, Corpus, article_files, doc_id_of
    from cartelkit.errors import InputFileError

    corpus = Corpus(state.corpus)
    articles: list[Path] = []
    sidecars: list[Path] = []
    for f in files:
        if f.is_dir() and not f.is_symlink():
            found = article_files(f)
            _notify(f"{f}: a folder, {len(found)} article file(s) in it")
            articles += found
        elif f.name.endswith(SIDECAR_SUFFIX):
            sidecars.append(f)
        else:
            articles.append(f)
    given = {doc_id_of(a.name) for a in articles}
    added: list[dict[str, str]] = []
    errors = 0
    for side in sidecars:  # first: an article is never built without the sidecar given with it
        doc_id = side.name[: -len(SIDECAR_SUFFIX)]
        if any(a.parent == side.parent and doc_id_of(a.name) == doc_id for a in articles):
            continue  # comes along with its article
        try:
            if doc_id not in given and corpus.file_of(doc_id) is None:
                raise InputFileError(f"{side}: a sidecar without its article", "add the article with it")
            corpus.add_sidecar(side)
        except InputFileError as exc:
            _notify(f"warning: {exc}")
            errors += 1
            continue
        added.append({"doc_id": doc_id, "file": side.name, "status": "sidecar"})
        _notify(f"sidecar: {doc_id}")
    for f in articles:
        try:
            doc_id, copied = corpus.add(f)
        except InputFileError as exc:
            _notify(f"warning: {exc}")
            errors += 1
            continue
        added.append({"doc_id": doc_id, "file": f.name, "status": "added" if copied else "unchanged"})
        _notify(f"{'added' if copied else 'already in the corpus'}: {doc_id}")
    if not added:
        raise InputFileError("no file was added", "see the warnings above")
    report = state.workspace().build()
    failed = {name for name, _ in report.failed}
    _report_build(report, fmt, {"added": added})
    if errors or failed & {a["doc_id"] for a in added}:
        raise CartelkitError("some files were not added", "see the warnings above")


@cli.command()
@click.argument("query")
@click.option(
    "--limit",
    "-n",
    type=click.IntRange(0, 1_000_000),
    default=10,
    show_default=True,
    help="Number of articles (0: all).",
)
@date_options
@click.option("--source", help="Only articles of this publisher (e.g. 'InSight Crime').")
@click.option("--actor", help="Only articles that mention this actor (e.g. Fox, AMLO).", shell_complete=complete_actors)
@language_option
@output_options
@click.pass_obj
def search(
    state: State,
    query: str,
    limit: int,
    date_from: str | None,
    date_to: str | None,
    source: str | None,
    actor: str | None,
    language: str | None,
    fmt: str,
) -> None:
    """Ranked articles for QUERY, with highlighted snippets.

    QUERY uses Whoosh syntax: words, "phrases", AND/OR/NOT, title:word, wild*.
    Accents and word endings are ignored (Calderon finds Calderón, negotiate finds negotiations);
    Spanish pages are searched with Spanish stemming (negociación finds negociar).

    Example: cartelkit search "truce OR tregua" --from 2011 --language es --limit 5
    """
    from cartelkit.query import parse_date_range
    from cartelkit.render import render_rows

    parse_date_range(date_from, date_to)  # a bad option is a usage error before any work
    ws = state.workspace()
    result = ws.search(query, limit, date_from, date_to, source, actor, language, count=True)
    if not result.hits:
        blamed = ws.empty_because(query, date_from, date_to, source, actor, language)
        if blamed:
            _notify(f"no articles match {query!r} with {blamed} (it matches without)")
        else:
            _notify(
                f"no articles match {query!r}" + (f"; did you mean: {result.suggestion}?" if result.suggestion else "")
            )
    _showing(len(result.hits), result.total)
    with _out() as out:
        render_rows(
            result.hits,
            ["doc_id", "published", "source", "title", "score", "snippet"],
            fmt,
            out,
            _tty(),
            widths={"title": 40},
            optional=["score", "source", "published"],
            notify=_notify,
        )


def _showing(shown: int, total: int) -> None:
    """Say on stderr when rows were cut."""
    if shown < total:
        _notify(f"showing {shown:,} of {total:,} (use --limit N, or --limit 0 for all)")


def limit_option(what: str, default: int | None) -> Callable[[F], F]:
    return click.option(
        "--limit",
        "-n",
        type=click.IntRange(0, 1_000_000),
        default=default,
        show_default=default is not None,
        help=f"Number of {what} (0 or unset: all).",
    )


@cli.command()
@click.argument("doc_id", shell_complete=complete_doc_ids)
@output_options
@click.pass_obj
def show(state: State, doc_id: str, fmt: str) -> None:
    """One cleaned document: metadata, body, annotations, and what cleaning removed.

    Example: cartelkit show 004_8d0e20a436d8e110 --format json
    """
    from cartelkit.render.document import document_view, print_document

    doc = state.workspace().document(doc_id)
    view = document_view(doc)
    with _out() as out:
        if fmt == "table":
            print_document(view, out, _tty())
        else:
            from cartelkit.render import render_object

            render_object(view, fmt, out, _tty())


@cli.command()
@output_options
@click.pass_obj
def stats(state: State, fmt: str) -> None:
    """Documents, date range, sources, statements, events, index size and age.

    Example: cartelkit stats --json
    """
    from cartelkit.render import human_stats, render_object

    data = state.workspace().stats()
    with _out() as out:
        render_object(human_stats(data) if fmt in ("table", "markdown") else data, fmt, out, _tty())


@cli.command()
@click.option(
    "--type",
    "type_",
    type=click.Choice(["person", "criminal_group", "government", "organization", "place"]),
    help="Only actors of this type.",
)
@output_options
@click.pass_obj
def actors(state: State, type_: str | None, fmt: str) -> None:
    """Actors found in the corpus, with type, aliases, mention and document counts.

    Example: cartelkit actors --type criminal_group
    """
    from cartelkit.render import render_rows

    rows = state.workspace().actors(type_)
    with _out() as out:
        render_rows(
            rows,
            ["name", "type", "mentions", "documents", "discovered", "aliases"],
            fmt,
            out,
            _tty(),
            optional=["discovered", "documents"],
            notify=_notify,
        )


@cli.command()
@click.option(
    "--actor",
    required=True,
    help='Who: a name, surname, alias or nickname ("Fox", "El Chapo", "AMLO").',
    shell_complete=complete_actors,
)
@click.option(
    "--role",
    type=click.Choice(ROLES),
    help="Only events the actor did or said (actor), or only those done to or about them (target).",
)
@date_options
@language_option
@limit_option("entries", None)
@output_options
@click.pass_obj
def timeline(
    state: State,
    actor: str,
    role: str | None,
    date_from: str | None,
    date_to: str | None,
    language: str | None,
    limit: int | None,
    fmt: str,
) -> None:
    """What an actor did or said, and what was done to them, oldest first (undated last),
    each with its sentence.

    Dates are those of the events ("In August" in a March 2012 article is 2011-08);
    date_source says whether the date was read from the text or fell back to publication.
    role is "actor" when the actor acts or speaks, "target" when acted upon ("marines
    recaptured Guzmán", "Guzmán was extradited").

    Example: cartelkit timeline --actor "El Chapo" --role target --from 2011
    """
    from cartelkit.query import check_limit, parse_date_range
    from cartelkit.render import render_rows

    parse_date_range(date_from, date_to)
    ws = state.workspace()
    q = ws.timeline_query(actor, date_from, date_to, role, language)
    limit = check_limit(limit)
    total = ws.count_timeline(q)
    if not total:
        _notify(f"no dated entries for {q.actor}")
    _showing(min(limit or total, total), total)
    entries = ws.timeline_rows(q, limit)
    with _out() as out:
        if fmt == "table" and _tty():
            from cartelkit.render.timeline import print_timeline

            print_timeline(q.actor, list(entries), out)
        else:
            render_rows(
                entries,
                ["date", "actor", "role", "doc_id", "evidence", "date_source"],
                fmt,
                out,
                _tty(),
                optional=["date_source", "actor", "doc_id"],
                notify=_notify,
            )


@cli.command()
@click.option(
    "--topic",
    required=True,
    type=click.Choice(TOPICS),
    help="negotiation (truces, amnesty, talks, pacts) or confrontation (troops, crackdowns, captures).",
)
@click.option("--actor", help="Only this speaker.", shell_complete=complete_actors)
@date_options
@click.option("--all", "all_", is_flag=True, help="Include statements with no clear stance (neutral).")
@click.option(
    "--summary", is_flag=True, help="One row per speaker: support/oppose/neutral counts, first/last date, changed."
)
@click.option(
    "--by",
    "by",
    type=click.Choice(PERIODS),
    help="Counts per period: one row per year or month with support/oppose/neutral and speakers.",
)
@language_option
@limit_option("rows", None)
@output_options
@click.pass_obj
def stance(
    state: State,
    topic: str,
    actor: str | None,
    date_from: str | None,
    date_to: str | None,
    all_: bool,
    summary: bool,
    by: str | None,
    language: str | None,
    limit: int | None,
    fmt: str,
) -> None:
    """Who argued for or against TOPIC, each row with the sentence that shows it; or, with
    --summary, one row per speaker, and with --by year|month, counts per period.

    Example: cartelkit stance --topic negotiation --summary
    """
    from cartelkit.errors import UsageError
    from cartelkit.query import check_limit, parse_date_range
    from cartelkit.render import render_rows

    parse_date_range(date_from, date_to)
    if summary and by:
        raise UsageError("--summary and --by are two different tables", "use one of them")
    limit = check_limit(limit)
    ws = state.workspace()
    q = ws.stance_query(topic, actor, date_from, date_to, all_, language)
    rows: Iterable[Any]
    if summary or by:
        table: list[Any] = ws.stance_summary(q) if summary else ws.stance_by(q, by)
        total, rows = len(table), table[:limit] if limit else table
    else:
        total = ws.count_stance(q)
        rows = ws.stance_rows(q, limit)
    if not total:
        _notify(f"no statements on {topic}" + (" with these filters" if actor or date_from or date_to else ""))
    _showing(min(limit or total, total), total)
    if summary:
        columns = ["speaker", "support", "oppose", "neutral", "first", "last", "changed"]
    elif by:
        columns = ["period", "support", "oppose", "neutral", "speakers"]
    else:
        columns = ["date", "speaker", "stance", "evidence", "cues", "doc_id"]
    with _out() as out:
        render_rows(
            rows,
            columns,
            fmt,
            out,
            _tty(),
            optional=[] if summary or by else ["doc_id", "cues"],
            notify=_notify,
        )


@cli.command()
@click.option(
    "--out",
    "out_path",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The HTML file to write (one self-contained file).",
)
@click.option(
    "--actor",
    "actors",
    multiple=True,
    help="An actor to draw a timeline of (repeatable; default: the three busiest people).",
    shell_complete=complete_actors,
)
@click.option("--topic", "topics", multiple=True, type=click.Choice(TOPICS), help="Only this topic (repeatable).")
@date_options
@click.pass_obj
def report(
    state: State,
    out_path: Path,
    actors: tuple[str, ...],
    topics: tuple[str, ...],
    date_from: str | None,
    date_to: str | None,
) -> None:
    """Write a visual report: timelines, stance charts, statements with their evidence, and
    the cited documents, in one HTML file that opens offline in any browser.

    Example: cartelkit report --out report.html --actor Fox --topic negotiation --from 2006
    """
    from cartelkit.fsutil import atomic_write_bytes
    from cartelkit.query import parse_date_range
    from cartelkit.query.report import gather
    from cartelkit.render.report import render_report
    from cartelkit.vocab import TOPICS as ALL_TOPICS

    parse_date_range(date_from, date_to)
    data = gather(state.workspace(), actors, topics or ALL_TOPICS, date_from, date_to)
    html = render_report(data).encode("utf-8")
    atomic_write_bytes(out_path, html)
    rows = sum(len(s.rows) for s in data.stances)
    entries = sum(len(t.entries) for t in data.timelines)
    _notify(
        f"wrote {out_path} ({len(html) / 1024:,.0f} KiB): {len(data.timelines)} timeline(s) with {entries:,} entries,"
        f" {rows:,} statements, {len(data.cited):,} documents"
    )


@cli.command(name="eval")
@click.argument("gold", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--raw",
    "raw_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder of the gold's raw files (default: <corpus>/raw).",
)
@click.option("--min-f1", type=click.FloatRange(0, 1), default=None, help="Exit 1 when a task's F1 is below this.")
@click.option(
    "--floor",
    "floors",
    multiple=True,
    metavar="TASK=F1",
    help="A floor for one task, e.g. --floor statements=0.6 (repeatable).",
)
@click.option("--misses", is_flag=True, help="Also list what was missed or wrongly found (table and json).")
@click.option("--misses-only", is_flag=True, help="Only the list of misses (one table in any format).")
@output_options
@click.pass_obj
def eval_(
    state: State,
    gold: Path,
    raw_dir: Path | None,
    min_f1: float | None,
    floors: tuple[str, ...],
    misses: bool,
    misses_only: bool,
    fmt: str,
) -> None:
    """Score the pipeline against a gold file and print P/R/F1 per task.

    The gold format is in docs/gold-format.md; docs/gold-example.json is a small example
    for the sample articles.

    Example: cartelkit eval docs/gold-example.json --misses
    """
    from cartelkit.errors import UsageError
    from cartelkit.evaluate import check_floors, evaluate, parse_floors
    from cartelkit.render import render_rows, to_jsonable

    parse_floors(floors)  # a bad floor is a usage error before the evaluation runs
    if misses and fmt in ("csv", "markdown"):
        raise UsageError(f"--format {fmt} holds one table", "use --misses-only for the misses, or --format json")
    actors_file = state.corpus / "actors.toml"
    report = evaluate(gold, raw_dir or state.corpus / "raw", actors_file if actors_file.is_file() else None)
    with _out() as out:
        if misses_only:
            render_rows(report.misses, ["file", "task", "gold", "got"], fmt, out, _tty())
        elif fmt == "json":
            import json

            data = to_jsonable(report)
            if not misses:
                data.pop("misses", None)
            out.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        else:
            render_rows(
                report.tasks, ["task", "precision", "recall", "f1", "gold", "predicted", "matched"], fmt, out, _tty()
            )
            if misses:
                out.write("\n")
                render_rows(report.misses, ["file", "task", "gold", "got"], fmt, out, _tty())
    check_floors(report, min_f1, floors)


def main() -> None:
    """Console-script entry point."""
    try:
        cli.main(prog_name="cartelkit")
    except BrokenPipeError:  # pragma: no cover - output piped into `head`
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(int(ExitStatus.OK))
