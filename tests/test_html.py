"""HTML pages in: main text and declared metadata, the same cleaning, annotation and index as a
text page. The pages and their gold (``tests/html``) were written by a session that never
saw the extraction code."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.conftest import ROOT, Run

HTML = ROOT / "tests" / "html"
GOLD = json.loads((HTML / "gold.json").read_text("utf-8"))


def show(run: Run, doc_id: str) -> dict[str, object]:
    result = run("show", doc_id, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert isinstance(data, dict)
    return data


@pytest.fixture
def added(run: Run, corpus: Path) -> Run:
    """The samples and the four HTML pages, added with `cartelkit add`."""
    result = run("add", *map(str, sorted(HTML.glob("*.html"))))
    assert result.exit_code == 0, result.output
    return run


@pytest.mark.parametrize("name", sorted(GOLD))
def test_an_html_page_gives_its_metadata_and_a_body_without_chrome(added: Run, name: str) -> None:
    gold = GOLD[name]
    doc = show(added, name.removesuffix(".html"))
    assert doc["format"] == "html"
    got = (doc["title"], doc["published"], doc["author"], doc["source"], doc["language"])
    assert got == (gold["title"], gold["date"], gold["author"], gold["source"], gold["language"])
    body = str(doc["body"])
    for sentence in (gold["body_first_sentence"], gold["body_last_sentence"]):
        if sentence:
            assert sentence in body
    for chrome in gold["must_not_appear"]:
        assert chrome not in body, chrome
    assert doc["dropped"]  # what extraction left out is listed
    if gold["body_first_sentence"] is None:  # the login wall
        assert any("subscribe or log in" in str(w) for w in doc["warnings"])  # type: ignore[attr-defined]


def test_metadata_comes_from_the_markup_and_a_sidecar_wins(added: Run, corpus: Path) -> None:
    doc = show(added, "h01_jsonld_news")
    assert doc["metadata_from"] == dict.fromkeys(("title", "author", "source", "published"), "html") | {
        k: v
        for k, v in doc["metadata_from"].items()
        if k not in ("title", "author", "source", "published")  # type: ignore[attr-defined]
    }
    side = corpus / "raw" / "h01_jsonld_news.meta.json"
    side.write_text(json.dumps({"author": "Desk Editor", "published": "2024-03-15"}), "utf-8")
    assert added("build").exit_code == 0
    doc = show(added, "h01_jsonld_news")
    assert (doc["author"], doc["published"], doc["title"]) == (
        "Desk Editor",
        "2024-03-15",
        GOLD["h01_jsonld_news.html"]["title"],
    )
    assert doc["metadata_from"]["author"] == "sidecar"  # type: ignore[index]


def test_search_stance_and_timeline_treat_html_like_text(added: Run) -> None:
    hits = json.loads(added("search", "truce", "--limit", "0", "--json").stdout)
    assert "h01_jsonld_news" in {h["doc_id"] for h in hits}
    rows = json.loads(added("stance", "--topic", "negotiation", "--json").stdout)
    html_rows = [r for r in rows if r["doc_id"].startswith("h0")]
    assert html_rows and all(r["evidence"] in show(added, r["doc_id"])["body"] for r in html_rows)  # type: ignore[operator]
    speaker = html_rows[0]["speaker"]
    entries = json.loads(added("timeline", "--actor", speaker, "--json").stdout)
    assert any(e["doc_id"].startswith("h0") for e in entries)


def test_the_html_gold_scores(run: Run) -> None:
    result = run("eval", str(HTML / "gold.json"), "--raw", str(HTML), "--floor", "metadata=1.0", "--floor", "body=1.0")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("damage", ["truncated", "binary", "scripts", "empty-body", "not-html"])
def test_bad_html_is_a_warning_for_that_page_never_a_failed_build(run: Run, corpus: Path, damage: str) -> None:
    page = (HTML / "h01_jsonld_news.html").read_text("utf-8")
    raw = corpus / "raw" / f"bad_{damage}.html"
    if damage == "truncated":
        raw.write_text(page[: len(page) // 3], "utf-8")
    elif damage == "binary":
        raw.write_bytes(b"<html>\x00\x00\x00" + bytes(range(256)) * 40)
    elif damage == "scripts":  # 20 MB of scripts around the article
        script = "<script>var x = '" + "a" * 1_000_000 + "';</script>\n"
        raw.write_text(page.replace("</head>", script * 20 + "</head>"), "utf-8")
    elif damage == "empty-body":
        raw.write_text("<html><head><title>Home</title></head><body><nav><a>Home</a></nav></body></html>", "utf-8")
    else:
        raw.write_text("<<<>>> <html <body <p unclosed &&&& </div></span>", "utf-8")
    result = run("build")
    assert "Traceback" not in result.output and "internal error" not in result.output
    assert result.exit_code == 0, result.output  # the samples are built; the bad page is that page's problem
    if f"skipped bad_{damage}" not in result.stderr:  # indexed, with what could be read of it
        assert show(run, f"bad_{damage}")["format"] == "html"
    if damage == "scripts":
        doc = show(run, "bad_scripts")
        assert GOLD["h01_jsonld_news.html"]["body_last_sentence"] in str(doc["body"])
    assert json.loads(run("search", "truce", "--json").stdout)


def test_metadata_declared_only_in_json_ld_is_read(run: Run, corpus: Path) -> None:
    page = (
        '<!doctype html><html><head><meta charset="utf-8"><title>Army rejects truce</title>'
        '<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle",'
        ' "headline": "Army rejects truce with cartel", "datePublished": "2019-05-02T08:00:00-05:00",'
        ' "author": {"@type": "Person", "name": "Ana Ruiz"},'
        ' "publisher": {"@type": "Organization", "name": "Diario Norte"}}</script>'
        "<script>var tracking = 1;</script></head><body><article><h1>Army rejects truce with cartel</h1>"
        + "".join(
            f"<p>Paragraph {i}: the defence minister said on Monday that the army would not accept any truce"
            " with the cartel that controls the border crossings of the state.</p>"
            for i in range(3)
        )
        + "</article></body></html>"
    )
    (corpus / "raw" / "jsonld.html").write_text(page, "utf-8")
    assert run("build").exit_code == 0
    doc = show(run, "jsonld")
    assert (doc["author"], doc["published"], doc["source"]) == ("Ana Ruiz", "2019-05-02", "Diario Norte")


def test_scripts_are_stripped_without_losing_text_or_json_ld() -> None:
    from cartelkit.clean.html import strip_scripts

    html = '<p>a</p><SCRIPT src="x.js"></script><p>b</p><svg><g/></SVG><script type="application/ld+json">{}</script>'
    assert strip_scripts(html) == '<p>a</p> <p>b</p> <script type="application/ld+json">{}</script>'
    assert "keep" in strip_scripts("<svg>x<p>keep</p>")  # an unclosed tag takes only itself
    assert strip_scripts("<style>a</style><style>b</style>c") == "  c"


def test_a_page_renamed_from_html_to_text_is_read_again(run: Run, corpus: Path) -> None:
    """Same DOC_ID, same size and modification time: the name alone says it is now text."""
    page = corpus / "raw" / "page.html"
    page.write_text(
        "<div><h1>Truce talks in Culiacan</h1><p>The governor said on Monday that he would never negotiate"
        " with the cartel, and that the army would stay in Culiacan for as long as it takes.</p></div>",
        "utf-8",
    )
    assert run("build").exit_code == 0
    shown = json.loads(run("show", "page", "--json").stdout)
    assert shown["format"] == "html"
    os.rename(page, corpus / "raw" / "page.txt")  # a rename keeps the size and modification time
    report = json.loads(run("build", "--json").stdout)
    assert report["processed"] == 1
    shown = json.loads(run("show", "page", "--json").stdout)
    assert shown["format"] == "text" and shown["file"] == "page.txt"
