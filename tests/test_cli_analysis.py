"""actors, timeline and stance on the samples: the answers a researcher relies on."""

from __future__ import annotations

import json

import pytest

from tests.conftest import Run


def js(run: Run, *args: str) -> list[dict[str, object]]:
    result = run(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert isinstance(data, list)
    return data


def test_el_chapo_timeline_lists_what_was_done_to_him(built: Run) -> None:
    rows = js(built, "timeline", "--actor", "El Chapo")
    assert rows and {r["actor"] for r in rows} == {"Joaquín Guzmán"}
    assert {r["role"] for r in rows} == {"target"}
    assert js(built, "timeline", "--actor", "El Chapo", "--role", "actor") == []
    fox = js(built, "timeline", "--actor", "Fox", "--role", "actor")
    assert fox and all(r["role"] == "actor" for r in fox)


def test_fox_timeline_has_the_event_dates_in_order(built: Run) -> None:
    entries = js(built, "timeline", "--actor", "Fox")
    dates = [e["date"] for e in entries]
    assert dates[:2] == ["2011-08", "2011-10"]
    assert any(d and d.startswith("2012-03") for d in dates[2:])
    assert not any(d and d.startswith(("2012-08", "2012-10")) for d in dates)
    truce = entries[0]
    assert "truce" in str(truce["evidence"]) and truce["date_source"] == "text"
    assert set(truce) >= {
        "actor",
        "date",
        "date_precision",
        "date_source",
        "doc_id",
        "title",
        "source",
        "published",
        "evidence",
        "span",
    }
    bbc = entries[1]
    assert "BBC" in str(bbc["evidence"])
    milenio = next(e for e in entries if "Milenio" in str(e["evidence"]))
    assert str(milenio["date"]).startswith("2012-03")


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("El Chapo", "Joaquín Guzmán"),
        ("AMLO", "Andrés Manuel López Obrador"),
        ("Lopez Obrador", "Andrés Manuel López Obrador"),
        ("vicente fox", "Vicente Fox"),
        ("Calderon", "Felipe Calderón"),
    ],
)
def test_timeline_resolves_names(built: Run, typed: str, name: str) -> None:
    result = built("timeline", "--actor", typed, "--format", "json")
    assert result.exit_code == 0
    assert all(e["actor"] == name for e in json.loads(result.stdout))


def test_calderon_with_and_without_accent(built: Run) -> None:
    plain = js(built, "timeline", "--actor", "Calderon")
    accented = js(built, "timeline", "--actor", "Calderón")
    assert plain == accented
    assert any(e["date"] == "2006" and "administration" in str(e["evidence"]) for e in plain)


def test_unknown_and_ambiguous_actors(built: Run) -> None:
    unknown = built("timeline", "--actor", "Vicente Foxx")
    assert unknown.exit_code == 1 and "did you mean" in unknown.stderr and "Vicente Fox" in unknown.stderr
    ambiguous = built("timeline", "--actor", "Carrillo Fuentes")
    assert ambiguous.exit_code == 1 and "ambiguous" in ambiguous.stderr


def test_timeline_date_filter(built: Run) -> None:
    assert [e["date"] for e in js(built, "timeline", "--actor", "Fox", "--to", "2011")] == ["2011-08", "2011-10"]


def test_actors_lists_the_main_actors_and_nothing_from_boilerplate(built: Run) -> None:
    actors = {a["name"]: a for a in js(built, "actors")}
    for name in (
        "Vicente Fox",
        "Felipe Calderón",
        "Enrique Peña Nieto",
        "Juan Manuel Santos",
        "Andrés Manuel López Obrador",
        "Alejandro Poiré",
        "Joaquín Guzmán",
        "Nemesio Oseguera Cervantes",
        "Sinaloa Cartel",
        "Jalisco New Generation Cartel",
        "DEA",
        "International Crisis Group",
    ):
        assert name in actors, name
    assert actors["DEA"]["type"] == "government" and actors["DEA"]["discovered"] is False
    assert "El Chapo" in actors["Joaquín Guzmán"]["aliases"]
    for chrome_only in ("Ecuador", "Venezuela", "Reuters", "Jeremy McDermott", "Hernán Giraldo"):
        assert chrome_only not in actors  # named only in related lists and about boxes
    groups = js(built, "actors", "--type", "criminal_group")
    assert {a["type"] for a in groups} == {"criminal_group"}


def test_search_by_actor(built: Run) -> None:
    hits = js(built, "search", "cartels", "--actor", "El Mencho")
    assert [h["doc_id"] for h in hits] == ["002_8b4e1e16cd9a5d6b"]


def test_stance_negotiation(built: Run) -> None:
    rows = js(built, "stance", "--topic", "negotiation")
    got = {(r["speaker"], r["stance"], r["date"]) for r in rows}
    assert ("Vicente Fox", "support", "2011-08") in got
    assert ("Felipe Calderón", "oppose", "2012-03-21") in got
    assert any(s == "Alejandro Poiré" and st == "oppose" and str(d).startswith("2011-06") for s, st, d in got)
    assert ("Enrique Peña Nieto", "support", "2016-10-27") in got
    fox = next(r for r in rows if r["speaker"] == "Vicente Fox")
    assert "truce" in str(fox["evidence"]) and fox["cues"]
    body = json.loads(built("show", str(fox["doc_id"]), "--json").stdout)["body"]
    start, end = fox["span"]  # type: ignore[misc]
    assert body[start:end] == fox["evidence"]
    for r in rows:  # nobody speaks Fox's words for him, and the DEA's talks are no one's stance
        if "Fox" in str(r["evidence"]) and "truce" in str(r["evidence"]):
            assert r["speaker"] == "Vicente Fox"
        assert not ("DEA" in str(r["evidence"]) and "negotiat" in str(r["evidence"]))
    assert {r["stance"] for r in rows} <= {"support", "oppose"}


def test_stance_confrontation(built: Run) -> None:
    got = {(r["speaker"], r["stance"], r["date"]) for r in js(built, "stance", "--topic", "confrontation")}
    assert ("Enrique Peña Nieto", "support", "2016-10-27") in got
    assert ("Juan Manuel Santos", "support", "2016-10-27") in got


def test_stance_summary_and_filters(built: Run) -> None:
    summary = js(built, "stance", "--topic", "negotiation", "--summary")
    speakers = [s["speaker"] for s in summary]
    assert len(speakers) == len(set(speakers))
    fox = next(s for s in summary if s["speaker"] == "Vicente Fox")
    assert fox["support"] >= 1 and fox["oppose"] == 0 and fox["changed"] is False
    only = js(built, "stance", "--topic", "negotiation", "--actor", "Calderon")
    assert only and {r["speaker"] for r in only} == {"Felipe Calderón"}
    everything = js(built, "stance", "--topic", "negotiation", "--all")
    assert len(everything) >= len(js(built, "stance", "--topic", "negotiation"))
    assert "neutral" in {r["stance"] for r in everything}


@pytest.mark.parametrize("fmt", ["table", "csv", "markdown"])
def test_analysis_formats(built: Run, fmt: str) -> None:
    for args in (["actors"], ["timeline", "--actor", "Fox"], ["stance", "--topic", "negotiation"]):
        result = built(*args, "--format", fmt)
        assert result.exit_code == 0, (args, result.output)
        assert result.stdout.strip()


def test_show_includes_annotations(built: Run) -> None:
    doc = json.loads(built("show", "004_8d0e20a436d8e110", "--json").stdout)
    assert {"name": "Vicente Fox", "type": "person"}.items() <= next(
        a for a in doc["actors"] if a["name"] == "Vicente Fox"
    ).items()
    assert any(s["speaker"] == "Felipe Calderón" for s in doc["statements"])
    assert any(e["actor"] == "DEA" for e in doc["events"])
