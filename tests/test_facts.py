"""The facts store (SQLite) behind stance, timeline, actors and stats, and the Python API."""

from __future__ import annotations

import io
import json
import sqlite3
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

import cartelkit
from cartelkit.errors import QueryError, UsageError
from cartelkit.index.protocol import FACTS, FACTS_DELTA
from cartelkit.index.store import IndexDir
from cartelkit.model import StanceRow
from cartelkit.render import render_rows
from tests.conftest import ARTICLES, Run


def js(run: Run, *args: str) -> list[dict[str, object]]:
    result = run(*args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert isinstance(data, list)
    return data


def ndjson(run: Run, *args: str) -> list[dict[str, object]]:
    result = run(*args, "--format", "ndjson")
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


@pytest.mark.parametrize(
    "args",
    [
        ("stance", "--topic", "negotiation", "--all"),
        ("stance", "--topic", "confrontation", "--summary"),
        ("stance", "--topic", "negotiation", "--by", "month"),
        ("timeline", "--actor", "Fox"),
        ("search", "truce"),
        ("actors",),
    ],
)
def test_ndjson_holds_the_json_rows_one_per_line(built: Run, args: tuple[str, ...]) -> None:
    rows = ndjson(built, *args)
    assert rows and rows == js(built, *args, "--format", "json")


def test_the_summary_counts_what_the_rows_list(built: Run) -> None:
    rows = js(built, "stance", "--topic", "negotiation", "--all", "--json")
    summary = js(built, "stance", "--topic", "negotiation", "--all", "--summary", "--json")
    counted = Counter((r["speaker"], r["stance"]) for r in rows)
    assert {s["speaker"] for s in summary} == {r["speaker"] for r in rows}
    for s in summary:
        assert (s["support"], s["oppose"], s["neutral"]) == tuple(
            counted[(s["speaker"], k)] for k in ("support", "oppose", "neutral")
        )
        dates = sorted(str(r["date"]) for r in rows if r["speaker"] == s["speaker"] and r["date"])
        assert (s["first"], s["last"]) == ((dates[0], dates[-1]) if dates else (None, None))
        assert s["changed"] == bool(s["support"] and s["oppose"])
    totals = [int(s["support"]) + int(s["oppose"]) for s in summary]  # type: ignore[call-overload]
    assert totals == sorted(totals, reverse=True)


def test_counts_by_period_add_up_to_the_rows(built: Run) -> None:
    rows = js(built, "stance", "--topic", "negotiation", "--json")
    by_year = js(built, "stance", "--topic", "negotiation", "--by", "year", "--json")
    assert sum(int(p["support"]) + int(p["oppose"]) for p in by_year) == len(rows)  # type: ignore[call-overload]
    periods = [p["period"] for p in by_year]
    assert periods == sorted(p for p in periods if p != "undated") + (["undated"] if "undated" in periods else [])
    fox_2011 = [p for p in by_year if p["period"] == "2011"]
    assert fox_2011 and fox_2011[0]["support"] >= 1  # Fox's call for a truce, August 2011
    by_month = js(built, "stance", "--topic", "negotiation", "--by", "month", "--json")
    assert "2011-08" in {p["period"] for p in by_month}


def test_summary_and_by_are_one_table_at_a_time(built: Run) -> None:
    result = built("stance", "--topic", "negotiation", "--summary", "--by", "year")
    assert result.exit_code == 2 and "use one of them" in result.stderr


@pytest.mark.parametrize("fmt", ["ndjson", "json", "csv"])
def test_rows_are_written_while_they_arrive(fmt: str) -> None:
    """Each row is on the output before the next one is asked for: constant memory."""
    out = io.StringIO()

    def rows() -> Iterator[StanceRow]:
        for i in range(3):
            assert out.getvalue().count("Speaker") == i  # the rows before this one are written
            yield StanceRow(f"Speaker{i}", "negotiation", "support", None, None, "d", None, None, None, "e", (0, 1), ())

    render_rows(rows(), ["speaker"], fmt, out)
    assert out.getvalue().count("Speaker") == 3
    if fmt == "json":
        assert [r["speaker"] for r in json.loads(out.getvalue())] == ["Speaker0", "Speaker1", "Speaker2"]


def test_an_empty_json_listing_is_an_empty_array() -> None:
    out = io.StringIO()
    render_rows([], ["speaker"], "json", out)
    assert json.loads(out.getvalue()) == []


def test_the_facts_are_sealed_in_the_generation_and_open_read_only(run: Run, corpus: Path, tmp_path: Path) -> None:
    assert run("build").exit_code == 0
    ws = cartelkit.open(corpus, tmp_path / "index")
    assert ws.stance("negotiation")  # opens the facts
    manifest = IndexDir(tmp_path / "index").read_manifest()
    assert manifest is not None and FACTS in manifest.files
    with pytest.raises(sqlite3.OperationalError):
        ws.connection.execute("DELETE FROM statement")
    tables = {name for (name,) in ws.connection.execute("SELECT name FROM sqlite_schema WHERE type = 'view'")}
    assert tables >= {"documents", "mentions", "statements", "events"}
    speakers = dict(ws.connection.execute("SELECT speaker, count(*) FROM statements GROUP BY speaker"))
    assert speakers["Vicente Fox"] >= 1


def test_the_python_api_answers_like_the_command_line(run: Run, corpus: Path) -> None:
    ws = cartelkit.open(corpus)  # index/ beside the corpus folder, as the command line's default
    rows = ws.stance("negotiation", actor="Fox")
    assert [r.to_dict() for r in rows] == js(run, "stance", "--topic", "negotiation", "--actor", "Fox", "--json")
    assert rows[0].span == (rows[0].to_dict()["span"][0], rows[0].to_dict()["span"][1])  # type: ignore[index]
    entries = ws.timeline("El Chapo", role="target", limit=2)
    assert len(entries) == 2 and {e.actor for e in entries} == {"Joaquín Guzmán"}
    assert ws.search("truce", limit=1).hits[0].doc_id == "004_8d0e20a436d8e110"
    assert ws.actors("criminal_group")[0].type == "criminal_group"
    assert ws.document("004_8d0e20a436d8e110").statements
    assert ws.stats()["documents"] == 5
    with pytest.raises(UsageError, match="unknown topic 'peace'"):
        ws.stance("peace")
    with pytest.raises(UsageError, match="unknown role"):
        ws.timeline("Fox", role="victim")
    with pytest.raises(UsageError, match="unknown actor type"):
        ws.actors("cartel")
    with pytest.raises(QueryError, match="unknown actor"):
        ws.timeline("Nobody Atall")


def test_the_api_builds_on_first_use_and_follows_the_corpus(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "raw").mkdir(parents=True)
    (corpus / "raw" / "sv.txt").write_text((ARTICLES / "101_salvador-truce.txt").read_text("utf-8"), "utf-8")
    messages: list[str] = []
    ws = cartelkit.open(corpus, notify=messages.append)
    assert ws.stats()["documents"] == 1 and any("building the index" in m for m in messages)
    assert (tmp_path / "index" / "MANIFEST.json").is_file()  # index/ beside the corpus folder
    before = ws.count_stance(ws.stance_query("negotiation", include_neutral=True))
    (corpus / "raw" / "sv2.txt").write_text((ARTICLES / "102_salvador-exception.txt").read_text("utf-8"), "utf-8")
    assert ws.stats()["documents"] == 2  # the next question sees the new page
    (corpus / "raw" / "sv2.txt").unlink()
    assert ws.stats()["documents"] == 1
    assert ws.count_stance(ws.stance_query("negotiation", include_neutral=True)) == before


def test_an_incremental_build_never_edits_the_live_facts(run: Run, corpus: Path, tmp_path: Path) -> None:
    assert run("build").exit_code == 0
    index = IndexDir(tmp_path / "index")
    first = index.read_manifest()
    assert first is not None
    live = index.generation_path(first) / FACTS
    before = live.read_bytes()
    (corpus / "raw" / "extra.txt").write_text((ARTICLES / "101_salvador-truce.txt").read_text("utf-8"), "utf-8")
    assert run("build").exit_code == 0
    second = index.read_manifest()
    assert second is not None and second.generation != first.generation
    assert live.read_bytes() == before  # the previous generation is intact for queries still on it
    # the base is shared, never written again; the change is in the new generation's delta
    assert (index.generation_path(second) / FACTS).stat().st_ino == live.stat().st_ino
    assert (index.generation_path(second) / FACTS_DELTA).is_file()
    assert "extra" in {r["doc_id"] for r in js(run, "stance", "--topic", "negotiation", "--all", "--json")}


def test_a_sample_takes_every_kth_statement_in_date_order(run: Run, corpus: Path, tmp_path: Path) -> None:
    assert run("build").exit_code == 0
    ws = cartelkit.open(corpus, tmp_path / "index")
    facts = ws.facts()
    q = ws.stance_query("negotiation", include_neutral=True)
    rows = list(facts.stance(q))
    for every in (2, 3):
        assert list(facts.stance(q, every=every)) == rows[::every]


def test_an_actors_file_edited_after_a_build_is_what_names_resolve_to(run: Run, corpus: Path) -> None:
    """The facts keep the gazetteer only while it is unchanged: an edited actors.toml is written anew."""
    assert run("build").exit_code == 0
    assert run("timeline", "--actor", "Chente").exit_code == 1  # no such alias yet
    (corpus / "actors.toml").write_text(
        '[[actor]]\nname = "Vicente Fox"\ntype = "person"\naliases = ["Chente"]\n', "utf-8"
    )
    assert run("build").exit_code == 0
    entries = js(run, "timeline", "--actor", "Chente", "--json")
    assert entries and {e["actor"] for e in entries} == {"Vicente Fox"}


def _answers(ws: cartelkit.Workspace) -> dict[str, object]:
    """Every kind of answer the facts give, in a form two indexes of one corpus share (rows
    with the same date may come in another order: their documents' keys differ)."""
    facts = ws.facts()
    out: dict[str, object] = {
        "stats": {k: v for k, v in ws.stats().items() if not k.startswith("index")},
        "actors": sorted(a.to_dict().items().__repr__() for a in ws.actors()),
        "names": facts.actor_names(),
        "forms": facts.forms(),
        "aliases": facts.aliases(),
        "fox": facts.names_for("fox"),
        "docs": facts.document_ids(),
        "keys": facts.cache_keys(),
        "sources": facts.by_source_year(),
        "busiest": facts.busiest_actors(5),
        "sql": ws.connection.execute("SELECT count(*), sum(span_end) FROM statements").fetchone(),
    }
    for topic in ("negotiation", "confrontation"):
        q = ws.stance_query(topic, include_neutral=True)
        rows = [r.to_dict() for r in ws.stance_rows(q)]
        keys = [(r["date"] or "9999",) for r in rows]
        assert keys == sorted(keys)  # oldest first, undated last, across both parts
        out[topic] = sorted(json.dumps(r, sort_keys=True) for r in rows)
        out[f"{topic} count"] = ws.count_stance(q)
        out[f"{topic} summary"] = [s.to_dict() for s in ws.stance_summary(q)]
        out[f"{topic} by"] = [p.to_dict() for p in ws.stance_by(q, "month")]
        out[f"{topic} years"] = facts.speaker_years(q, 3)
        out[f"{topic} sample"] = len(list(facts.stance(q, every=2)))
    for actor in facts.busiest_actors(3):
        q2 = ws.timeline_query(actor)
        out[f"timeline {actor}"] = sorted(json.dumps(e.to_dict(), sort_keys=True) for e in ws.timeline_rows(q2))
        out[f"timeline {actor} count"] = ws.count_timeline(q2)
    return out


@pytest.mark.parametrize("merge", [False, True], ids=["delta", "merged"])
def test_incremental_builds_answer_like_a_clean_build(
    run: Run, corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, merge: bool
) -> None:
    from cartelkit.index import facts

    if merge:  # every build merges its delta into a new base
        monkeypatch.setattr(facts, "MERGE_MIN", 0)
        monkeypatch.setattr(facts, "MERGE_SHARE", 0.0)
    assert run("build").exit_code == 0
    raw = corpus / "raw"
    (raw / "extra.txt").write_text((ARTICLES / "101_salvador-truce.txt").read_text("utf-8"), "utf-8")
    assert run("build").exit_code == 0
    first, second = sorted(raw.glob("*.txt"))[:2]
    first.write_text(first.read_text("utf-8") + "\n\nThe president said he would never negotiate with the cartels.\n")
    second.unlink()
    assert run("build").exit_code == 0
    index = IndexDir(tmp_path / "index")
    manifest = index.read_manifest()
    assert manifest is not None
    assert (FACTS_DELTA in manifest.files) is not merge
    incremental = _answers(cartelkit.open(corpus, tmp_path / "index"))
    assert incremental["docs"] == sorted(p.stem for p in raw.glob("*.txt"))
    clean = _answers(cartelkit.open(corpus, tmp_path / "clean-index"))
    for key in clean:
        assert incremental[key] == clean[key], key
