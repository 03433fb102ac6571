"""Spanish and English pages in one corpus: language per document, search with each
language's stemming, and --language filters (read-only on one built corpus)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cartelkit.clean.metadata import detect_language
from tests.conftest import SAMPLES, Run, make_corpus, runner_for

SPANISH = Path(__file__).resolve().parent / "pages" / "es_durazo.txt"


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> Run:
    root = tmp_path_factory.mktemp("mixed")
    corpus = make_corpus(root, [*sorted(SAMPLES.glob("*.txt")), SPANISH])
    run = runner_for(corpus, root / "index")
    result = run("build")
    assert result.exit_code == 0, result.output
    return run


def ids(run: Run, *args: str) -> list[str]:
    result = run("search", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return [h["doc_id"] for h in json.loads(result.stdout)]


def test_each_document_has_its_language(mixed: Run) -> None:
    assert json.loads(mixed("show", "es_durazo", "--json").stdout)["language"] == "es"
    assert json.loads(mixed("show", "004_8d0e20a436d8e110", "--json").stdout)["language"] == "en"
    stats = json.loads(mixed("stats", "--json").stdout)
    assert stats["languages"] == {"en": 5, "es": 1}


@pytest.mark.parametrize(
    "query",
    [
        "guerras",  # the page says "guerra"
        "negociación",  # the page says "negociar"
        "negociacion",  # typed without the accent
        "narcotrafico",  # the page says "narcotráfico"
        "tregua",
        '"pacto con quienes"',
        "title:negociaciones",
    ],
)
def test_spanish_queries_find_spanish_inflections(mixed: Run, query: str) -> None:
    assert "es_durazo" in ids(mixed, query)


def test_english_queries_behave_as_before(mixed: Run) -> None:
    assert ids(mixed, "truce") == ["004_8d0e20a436d8e110"]
    assert set(ids(mixed, "negotiation")) == {"000_6f858933a1127504", "003_c94cafd33fcfd750", "004_8d0e20a436d8e110"}
    hit = json.loads(mixed("search", "guerras", "--json").stdout)[0]
    assert next(hit["snippet"][a:b] for a, b in hit["highlights"]).lower() == "guerra"


def test_language_filters(mixed: Run) -> None:
    assert ids(mixed, "*", "--language", "es") == ["es_durazo"]
    assert "es_durazo" not in ids(mixed, "*", "--language", "en", "--limit", "50")
    rows = json.loads(mixed("stance", "--topic", "negotiation", "--language", "es", "--json").stdout)
    assert rows and {r["speaker"] for r in rows} == {"Alfonso Durazo"} and rows[0]["stance"] == "oppose"
    english = json.loads(mixed("stance", "--topic", "negotiation", "--language", "en", "--json").stdout)
    assert english and "Alfonso Durazo" not in {r["speaker"] for r in english}
    assert json.loads(mixed("timeline", "--actor", "Durazo", "--language", "en", "--json").stdout) == []
    bad = mixed("search", "truce", "--language", "klingon")
    assert bad.exit_code == 2 and "unknown language" in bad.stderr and "en, es" in bad.stderr


def test_language_is_read_off_the_body_not_the_chrome() -> None:
    body = "El presidente dijo que no habrá tregua con los cárteles y que la Guardia Nacional seguirá en las calles."
    assert detect_language(body) == "es"
    assert detect_language("The minister said there would be no truce with the gangs this year.") == "en"
    assert detect_language("Fox, 2012") is None


def test_every_dev_page_gets_its_language() -> None:
    from cartelkit.clean import clean_document
    from tests.conftest import DEVSET

    gold = json.loads((DEVSET / "gold.json").read_text("utf-8"))
    got = {name: clean_document((DEVSET / name).read_bytes(), name).language for name in gold}
    assert got == {name: g["language"] for name, g in gold.items()}
    assert sorted(got.values()).count("es") == 6
