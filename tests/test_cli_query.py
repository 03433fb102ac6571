"""search, show and stats through the CLI, in every format (read-only on one built corpus)."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import Run, runner_for


def ids(run: Run, *args: str) -> list[str]:
    result = run("search", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return [h["doc_id"] for h in json.loads(result.stdout)]


def test_truce_ranks_the_fox_article_first(built: Run) -> None:
    result = built("search", "truce", "--format", "json")
    hits = json.loads(result.stdout)
    assert hits[0]["doc_id"] == "004_8d0e20a436d8e110"
    assert set(hits[0]) >= {"doc_id", "title", "published", "author", "source", "score", "snippet"}
    snippet = hits[0]["snippet"]
    assert "**" not in snippet  # machine formats carry plain text and offsets
    assert [snippet[a:b] for a, b in hits[0]["highlights"]] == ["truce"]


def test_negotiation_is_stemmed(built: Run) -> None:
    assert set(ids(built, "negotiation")) == {"000_6f858933a1127504", "003_c94cafd33fcfd750", "004_8d0e20a436d8e110"}


def test_accents_fold_both_ways(built: Run) -> None:
    plain, accented = ids(built, "Calderon"), ids(built, "Calderón")
    assert plain and sorted(plain) == sorted(accented)
    assert ids(built, "Michoacan") == ids(built, "Michoacán") == ["002_8b4e1e16cd9a5d6b"]


def test_query_syntax(built: Run) -> None:
    assert ids(built, '"amnesty law"') == ["004_8d0e20a436d8e110"]
    assert ids(built, "truce AND NOT amnesty") == []
    assert set(ids(built, "truce OR Santos")) == {"004_8d0e20a436d8e110", "003_c94cafd33fcfd750"}
    assert "000_6f858933a1127504" in ids(built, "title:talks")
    assert set(ids(built, "negot*")) == {"000_6f858933a1127504", "003_c94cafd33fcfd750", "004_8d0e20a436d8e110"}


def test_filters(built: Run) -> None:
    assert ids(built, "negotiation", "--from", "2012") == ["003_c94cafd33fcfd750", "004_8d0e20a436d8e110"] or set(
        ids(built, "negotiation", "--from", "2012")
    ) == {"003_c94cafd33fcfd750", "004_8d0e20a436d8e110"}
    assert ids(built, "negotiation", "--to", "2011-06") == ["000_6f858933a1127504"]
    assert ids(built, "negotiation", "--from", "2012-03-21", "--to", "2012-03-21") == ["004_8d0e20a436d8e110"]
    assert ids(built, "cartels", "--source", "PVDN") == ["002_8b4e1e16cd9a5d6b"]
    assert (
        ids(built, "cartels", "--source", "insight crime", "--limit", "1")
        and len(ids(built, "cartels", "--limit", "1")) == 1
    )


def test_did_you_mean(built: Run) -> None:
    result = built("search", "negotiaton", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == []
    assert "did you mean: negotiat" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["search", '"truce'], "unbalanced quotation mark"),
        (["search", "(truce OR fox"], "unbalanced parenthesis"),
        (["search", "author:fox"], "unknown field"),
        (["search", "AND"], "no searchable words"),
        (["search", "a" * 100_000], "the query is 100,000 characters long"),  # would take a minute to parse
        (["search", "truce " + "b" * 150], "150-character word"),
        (["search", "title:"], "nothing after title:"),  # not a search for the word "title"
        (["search", "truce", "--from", "2016", "--to", "2011"], "later than --to"),
        (["search", "   "], "empty"),
        (["search", "truce", "--from", "March 2011"], "is not a date"),
        (["show", "../../etc/passwd"], "invalid DOC_ID"),
        (["show", "nope"], "no document 'nope'"),
    ],
)
def test_bad_queries_and_options_are_usage_errors_in_one_line(built: Run, args: list[str], message: str) -> None:
    result = built(*args)
    assert result.exit_code == (1 if args[0] == "show" else 2)
    assert message in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert result.stdout == ""


def test_usage_errors_exit_2(built: Run) -> None:
    assert built("search", "truce", "--json", "--format", "csv").exit_code == 2
    assert built("search", "truce", "--format", "xml").exit_code == 2
    assert built("search", "truce", "--limit", "-1").exit_code == 2


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "markdown"])
def test_search_formats(built: Run, fmt: str) -> None:
    result = built("search", "truce", "--format", fmt)
    assert result.exit_code == 0
    out = result.stdout
    if fmt == "json":
        assert json.loads(out)[0]["doc_id"] == "004_8d0e20a436d8e110"
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out)))
        assert rows[0]["doc_id"] == "004_8d0e20a436d8e110"
    elif fmt == "markdown":
        assert out.startswith("| doc_id |") and "004_8d0e20a436d8e110" in out
    else:
        assert "004_8d0e20a436d8e110" in out and "**" not in out


def test_show_004(built: Run) -> None:
    doc = json.loads(built("show", "004_8d0e20a436d8e110", "--format", "json").stdout)
    assert doc["title"] == "US is Negotiating with 'El Chapo': Ex-Mexican President"
    assert (doc["published"], doc["author"], doc["source"]) == ("2012-03-21", "Geoffrey Ramsey", "InSight Crime")
    for chrome in ("DONATE", "Related Content", "About InSight Crime"):
        assert chrome not in doc["body"]
    assert set(doc) >= {
        "doc_id",
        "title",
        "published",
        "author",
        "source",
        "section",
        "language",
        "body",
        "removed",
        "actors",
        "statements",
        "events",
    }


def test_show_001_and_002(built: Run) -> None:
    doc = json.loads(built("show", "001_bdc43b40b0cbeb40", "--json").stdout)
    assert doc["author"] == "Enrique Betancourt" and doc["published"] is None
    doc = json.loads(built("show", "002_8b4e1e16cd9a5d6b", "--json").stdout)
    assert doc["body"].endswith("posing ongoing threats to national security and stability.")
    assert "A Controversial Alliance" in doc["body"].split("\n\n")
    assert any("Trending News on PVDN" in r for r in doc["removed"])
    assert any(r.startswith("Puerto Vallarta, Mexico — In the fall of 2021") for r in doc["removed"])


@pytest.mark.parametrize("fmt", ["table", "csv", "markdown"])
def test_show_other_formats(built: Run, fmt: str) -> None:
    result = built("show", "004_8d0e20a436d8e110", "--format", fmt)
    assert result.exit_code == 0 and "Geoffrey Ramsey" in result.stdout


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "markdown"])
def test_stats(built: Run, fmt: str) -> None:
    result = built("stats", "--format", fmt)
    assert result.exit_code == 0
    if fmt == "json":
        stats = json.loads(result.stdout)
        assert stats["documents"] == 5 and stats["undated"] == 2
        assert (stats["date_from"], stats["date_to"]) == ("2011-06-21", "2016-10-28")
        assert stats["sources"]["InSight Crime"] == 3
        assert stats["index_bytes"] > 0
    else:
        assert "InSight Crime" in result.stdout


def test_every_command_has_help_with_an_example() -> None:
    from click.testing import CliRunner

    from cartelkit.cli import cli

    for name, command in cli.commands.items():
        result = CliRunner().invoke(cli, [name, "--help"])
        assert result.exit_code == 0, name
        assert "Example" in (command.help or ""), f"{name} --help has no example"


def test_a_query_loads_no_cleaning_or_annotation(run: Run, corpus: Path, tmp_path: Path) -> None:
    """A query process imports neither the cleaner nor the annotators (nor the gazetteer: the
    facts store resolves actor names) nor the build pipeline; the commands that read facts do
    not load Whoosh, and search does not load SQLite."""
    assert run("build").exit_code == 0, "build"
    code = (
        "import json, sys\n"
        "from cartelkit.cli import cli\n"
        "try:\n"
        "    cli(sys.argv[1:], standalone_mode=False)\n"
        "except SystemExit:\n"
        "    pass\n"
        "names = sorted(m for m in sys.modules if m.startswith(('cartelkit', 'whoosh', 'sqlite3')))\n"
        "sys.stderr.write(json.dumps(names))\n"
    )
    env = {**os.environ, "CARTELKIT_CORPUS": str(corpus), "CARTELKIT_INDEX": str(tmp_path / "index")}
    heavy = ("cartelkit.clean", "cartelkit.pipeline", "cartelkit.annotate")
    cases = {  # what the command does not load: the other store, and records it never makes
        ("search", "truce", "-f", "json"): ("sqlite3", "cartelkit.model.document", "cartelkit.model.facts"),
        ("timeline", "--actor", "Fox", "-f", "json"): ("whoosh", "cartelkit.model.document"),
        ("stance", "--topic", "negotiation", "--summary", "-f", "json"): ("whoosh", "cartelkit.model.document"),
    }
    for args, unused in cases.items():
        done = subprocess.run([sys.executable, "-c", code, *args], env=env, capture_output=True, text=True, check=True)
        assert done.stdout.startswith("[")
        loaded = json.loads(done.stderr.splitlines()[-1])
        assert not [m for m in loaded if m.startswith(heavy)], args
        assert not [m for m in unused if m in loaded], args  # the whoosh package itself: a lazy stand-in is no import


def test_cut_results_say_so_and_limit_0_means_all(built: Run) -> None:
    cut = built("search", "*", "--limit", "2", "--json")
    assert len(json.loads(cut.stdout)) == 2
    assert "showing 2 of 5 (use --limit N, or --limit 0 for all)" in cut.stderr
    every = built("search", "*", "--limit", "0", "--json")
    assert len(json.loads(every.stdout)) == 5 and "showing" not in every.stderr
    stance = built("stance", "--topic", "negotiation", "--limit", "1", "--json")
    assert len(json.loads(stance.stdout)) == 1 and "showing 1 of" in stance.stderr


def test_an_empty_result_names_the_filter_that_emptied_it(built: Run) -> None:
    result = built("search", "truce", "--source", "Nope")
    assert result.exit_code == 0
    assert "no articles match 'truce' with --source 'Nope' (it matches without)" in result.stderr
    plain = built("search", "zzzzqqq")
    assert "no articles match 'zzzzqqq'" in plain.stderr and "with" not in plain.stderr


def test_a_phrase_highlights_the_phrase_not_its_words_alone(tmp_path: Path) -> None:
    from cartelkit.index.whoosh_index import _snippet

    body = (
        "The United States sent aid. Later the government declared a state of exception in the capital, "
        "and the state of exception was extended."
    )
    stems = {"state": "state", "states": "state", "of": "", "exception": "except", "the": ""}
    marked = _snippet(body, [], lambda w: stems.get(w.lower(), w.lower()), [("state", "except")])
    assert marked is not None
    from cartelkit.index.whoosh_index import split_marks

    plain, spans = split_marks(marked)
    assert [plain[a:b] for a, b in spans] == ["state of exception", "state of exception"]
    alone = _snippet(body, ["state"], lambda w: stems.get(w.lower(), w.lower()), [("state", "except")])
    assert alone is not None and "States" in [plain2[a:b] for plain2, sp in [split_marks(alone)] for a, b in sp]


@pytest.mark.parametrize("fmt", ["json", "csv", "markdown", "table"])
def test_highlights_are_offsets_in_machine_formats_and_bold_for_people(built: Run, fmt: str) -> None:
    out = built("search", "truce", "--format", fmt).stdout
    if fmt == "json":
        hit = json.loads(out)[0]
        assert "**" not in hit["snippet"] and hit["highlights"]
    elif fmt == "csv":
        header, row = list(csv.reader(io.StringIO(out)))[:2]
        assert header[-1] == "highlights" and "**" not in row[header.index("snippet")]
        a, b = map(int, row[-1].split()[0].split("-"))
        assert row[header.index("snippet")][a:b] == "truce"
    elif fmt == "markdown":
        assert "**truce**" in out
    else:
        assert "**" not in out and "truce" in out


def test_tables_fit_an_80_column_terminal_without_breaking_words(monkeypatch: pytest.MonkeyPatch) -> None:
    from cartelkit.render import render_rows

    monkeypatch.setenv("COLUMNS", "80")
    evidence = (
        "Former President Vicente Fox called for the Mexican government to gather the violent groups to a truce "
        "and evaluate the advantages of an amnesty law (2006-2012), in a bid to reduce violence."
    )
    rows = [
        {
            "date": "2011-08",
            "speaker": "Vicente Fox",
            "stance": "support",
            "evidence": evidence,
            "cues": ["called for", "truce"],
            "doc_id": "004_8d0e20a436d8e110",
        }
    ] * 3
    out, notes = io.StringIO(), []
    render_rows(
        rows,
        ["date", "speaker", "stance", "evidence", "cues", "doc_id"],
        "table",
        out,
        is_tty=True,
        optional=["doc_id", "cues"],
        notify=notes.append,
    )
    text = re.sub(r"\x1b\[[0-9;]*m", "", out.getvalue())
    lines = text.splitlines()
    assert all(len(line) <= 80 for line in lines)
    assert notes and "doc_id" in notes[0] and "hidden on this narrow terminal" in notes[0]
    cells = " ".join(line.split("│")[4] if line.count("│") > 4 else "" for line in lines).split()
    assert cells == evidence.split() * 3  # every word whole, in order
    assert "(2006-2012)" in out.getvalue()  # shown as written: no escape codes colouring the digits
    assert len(lines) < 3 * 8


def test_stats_in_human_units_for_people_and_raw_numbers_for_machines(built: Run) -> None:
    table = built("stats").stdout
    assert "index_size" in table and ("KiB" in table or "MiB" in table)
    assert ("ago" in table or "just now" in table) and "{" not in table and "index_age_seconds" not in table
    assert "InSight Crime (" in table
    raw = json.loads(built("stats", "--json").stdout)
    assert isinstance(raw["index_bytes"], int) and isinstance(raw["index_age_seconds"], float)
    assert isinstance(raw["sources"], dict)


def test_shell_completion_offers_actor_names_and_doc_ids(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from cartelkit.cli import cli
    from tests.conftest import make_corpus

    corpus = make_corpus(tmp_path)
    built = CliRunner().invoke(cli, ["--corpus", str(corpus), "--index", str(tmp_path / "index"), "build"])
    assert built.exit_code == 0

    def complete(words: str) -> list[str]:
        env = {
            "_CARTELKIT_COMPLETE": "bash_complete",
            "COMP_WORDS": f"cartelkit --corpus {corpus} --index {tmp_path / 'index'} {words}",
            "COMP_CWORD": str(len(words.split()) + 4),
        }
        result = CliRunner().invoke(cli, [], env=env, prog_name="cartelkit")
        return [line.split(",", 1)[1] for line in result.stdout.splitlines()]

    assert "Vicente Fox" in complete("timeline --actor fox")
    assert "Felipe Calderón" in complete("stance --topic negotiation --actor calderon")
    assert complete("show 004") == ["004_8d0e20a436d8e110"]


def test_the_terminal_timeline_shows_evidence_as_written() -> None:
    from cartelkit.model import TimelineEntry
    from cartelkit.render.timeline import print_timeline

    entry = TimelineEntry(
        "Felipe Calderón",
        "2006",
        "year",
        "text",
        "t",
        "A title",
        "A source",
        "2012-01-01",
        "The Calderón administration (2006-2012) [sent] 6,500 troops.",
        (0, 10),
    )
    out = io.StringIO()
    print_timeline("Felipe Calderón", [entry], out)
    assert "(2006-2012) [sent] 6,500 troops." in out.getvalue()


def test_whoosh_variations_still_work_behind_the_lazy_stand_in() -> None:
    import importlib

    import cartelkit.index  # noqa: F401 - installs the stand-in

    variations = importlib.import_module("whoosh.lang.morph_en").variations
    assert "truces" in variations("truce")


def test_a_field_with_a_phrase_is_a_query(built: Run) -> None:
    result = built("search", 'body:"amnesty law"', "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)


def test_highlight_offsets_hold_after_unprintable_characters_and_csv_guards() -> None:
    from cartelkit.index.whoosh_index import _UNPRINTABLE_RE, HIGHLIGHT_CLOSE, HIGHLIGHT_OPEN, split_marks
    from cartelkit.render import render_rows

    marked = f"\u0093deal\u0094 a {HIGHLIGHT_OPEN}truce{HIGHLIGHT_CLOSE} now"
    plain, spans = split_marks(_UNPRINTABLE_RE.sub("", marked))
    assert [plain[a:b] for a, b in spans] == ["truce"]
    out = io.StringIO()
    render_rows([{"snippet": "-Truce first", "highlights": [[1, 6]]}], ["snippet"], "csv", out)
    _header, row = list(csv.reader(io.StringIO(out.getvalue())))
    a, b = map(int, row[1].split("-"))
    assert row[0][a:b] == "Truce"
    empty = io.StringIO()
    render_rows([], ["doc_id", "snippet"], "csv", empty)
    assert empty.getvalue() == "doc_id,snippet,highlights\n"  # the same columns with or without rows


def test_showing_n_of_m_counts_what_limit_0_lists(tmp_path: Path) -> None:
    """The total of a cut result is the number of rows the whole result has, also in an index
    an incremental build left with several segments and deleted documents (Whoosh's own count
    said 80 for a "truce AND NOT capture" that has 222 rows)."""
    from cartelkit.bench import generate_corpus

    corpus = tmp_path / "corpus"
    raw = generate_corpus(corpus / "raw", 120, seed=3)
    run = runner_for(corpus, tmp_path / "index")
    assert run("build").exit_code == 0
    for path in raw[:5]:  # deleted documents, and changed ones in a new segment
        path.unlink()
    for path in raw[5:10]:
        path.write_text(path.read_text(encoding="utf-8") + "\n\nThe truce talks with the cartel failed.\n", "utf-8")
    generate_corpus(corpus / "raw", 10, seed=3, start=200)
    assert run("build").exit_code == 0
    queries = [
        ["truce"], ["truce AND NOT capture"], ["cartel NOT truce"], ["(talks OR dialogue) AND cartel"],
        ['"amnesty law" OR truce'], ["negoti*"], ["truce", "--from", "2006", "--to", "2012"], ["*"],
        ["army", "--actor", "Sinaloa Cartel"], ["truce REQUIRE amnesty"], ["cartel REQUIRE (truce NOT capture)"],
    ]  # fmt: skip
    for args in queries:
        rows = len(json.loads(run("search", *args, "--limit", "0", "--json").stdout))
        cut = run("search", *args, "--limit", "1", "--json")
        assert rows > 1 and f"showing 1 of {rows:,} (" in cut.stderr, (args, rows, cut.stderr)


def test_and_not_drops_a_page_that_has_both_words(tmp_path: Path) -> None:
    """Whoosh's AND NOT matcher kept the first page of the positive side when it also held the
    negated word and the negated word's first page came earlier: "amnesty NOT extradition"
    listed the page with both words, and the count disagreed with the list."""
    raw = tmp_path / "corpus" / "raw"
    raw.mkdir(parents=True)
    sentence = "Officials in the capital met on Tuesday to discuss the security situation in the region."
    pages = {
        "a1.txt": "Extradition request\n\nThe extradition of the leaders was approved by the court. " + sentence,
        "a2.txt": "Amnesty and extradition\n\nThe amnesty plan and the extradition treaty were debated. " + sentence,
        "a3.txt": "Amnesty law\n\nThe amnesty law was approved by the congress after a long debate. " + sentence,
    }
    for name, text in pages.items():
        (raw / name).write_text(text + "\n", encoding="utf-8")
    run = runner_for(tmp_path / "corpus", tmp_path / "index")
    assert run("build").exit_code == 0
    every = run("search", "title:amnesty ANDNOT title:extradition", "--limit", "0", "--json")
    assert [hit["doc_id"] for hit in json.loads(every.stdout)] == ["a3"], every.output
    both = run("search", "amnesty OR extradition", "--limit", "1", "--json")
    assert "showing 1 of 3 (" in both.stderr
