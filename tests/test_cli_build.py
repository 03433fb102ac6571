"""build and add: incremental work, bad files in a batch, and an index that is never lost."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import SAMPLES, Run, make_corpus, runner_for


def report(run: Run, *args: str) -> dict[str, object]:
    result = run("build", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_first_query_builds_the_index_and_says_so(run: Run, tmp_path: Path) -> None:
    result = run("search", "truce", "--format", "json")
    assert result.exit_code == 0
    assert "building the index" in result.stderr
    assert json.loads(result.stdout)[0]["doc_id"] == "004_8d0e20a436d8e110"
    assert (tmp_path / "index" / "MANIFEST.json").is_file()
    again = run("search", "truce", "--format", "json")
    assert "building" not in again.stderr


def test_build_is_incremental(run: Run, corpus: Path) -> None:
    first = report(run)
    assert (first["processed"], first["indexed"]) == (5, 5)
    second = report(run)
    assert (second["processed"], second["reused"], second["indexed"]) == (0, 5, 0)
    raw = corpus / "raw" / "001_bdc43b40b0cbeb40.txt"
    raw.write_text(
        raw.read_text("utf-8").replace("Reducing Cartel Violence", "Reducing Cartel Violence Now", 1), "utf-8"
    )
    third = report(run)
    assert (third["processed"], third["indexed"]) == (1, 1)
    full = report(run, "--rebuild")
    assert full["rebuilt"] and full["indexed"] == 5


def test_deleted_raw_file_leaves_the_index(run: Run, corpus: Path) -> None:
    report(run)
    (corpus / "raw" / "004_8d0e20a436d8e110.txt").unlink()
    result = run("search", "truce", "--format", "json")
    assert "corpus changed" in result.stderr
    assert json.loads(result.stdout) == []
    assert not (corpus / "clean" / "004_8d0e20a436d8e110.json").exists()


def test_add_copies_builds_and_refuses_a_clash(run: Run, corpus: Path, tmp_path: Path) -> None:
    article = tmp_path / "new_article.txt"
    article.write_text(
        "A truce in Guerrero\n\nBy Ana Ruiz\n\n"
        + (
            "The bishop said a truce between the gangs was "
            "possible if the state guaranteed the safety of those who laid down their weapons. " * 3
        ),
        "utf-8",
    )
    result = run("add", str(article))
    assert result.exit_code == 0, result.output
    assert (corpus / "raw" / "new_article.txt").read_bytes() == article.read_bytes()
    ids = [h["doc_id"] for h in json.loads(run("search", "bishop", "--json").stdout)]
    assert ids == ["new_article"]
    assert run("add", str(article)).exit_code == 0  # the same file again is fine
    article.write_text("something else entirely, a different article with the same name", "utf-8")
    clash = run("add", str(article))
    assert clash.exit_code == 1
    assert "already in the corpus" in clash.stderr and "rename" in clash.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"\x00\x01\x02\x03" * 100, "binary"),
        (b"x" * (10 * 1024 * 1024 + 10), "over the 10 MB limit"),
    ],
    ids=["empty", "binary", "huge"],
)
def test_add_refuses_bad_files(run: Run, tmp_path: Path, content: bytes, message: str) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    result = run("add", str(bad))
    assert result.exit_code == 1
    assert message in result.stderr and "Traceback" not in result.stderr


ARTICLE = "A truce in Guerrero\n\nBy Ana Ruiz\n\n" + (
    "The bishop said a truce between the gangs was possible if the state guaranteed the safety of those "
    "who laid down their weapons. " * 3
)


def test_two_files_with_one_doc_id_are_never_two_documents(run: Run, corpus: Path, tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "article.txt").write_text(ARTICLE, "utf-8")
    (tmp_path / "b" / "article.md").write_text(ARTICLE.replace("bishop", "cardinal"), "utf-8")
    assert run("add", str(tmp_path / "a" / "article.txt")).exit_code == 0
    clash = run("add", str(tmp_path / "b" / "article.md"))
    assert clash.exit_code == 1 and "taken by article.txt" in clash.stderr
    assert not (corpus / "raw" / "article.md").exists()
    shutil.copy(tmp_path / "b" / "article.md", corpus / "raw")  # copied by hand: skipped with a warning
    built = run("build", "--json")
    assert "article.md: skipped, same DOC_ID 'article' as article.txt" in built.stderr
    hits = json.loads(run("search", "*", "--limit", "0", "--json").stdout)
    assert [h["doc_id"] for h in hits].count("article") == 1
    assert json.loads(run("stats", "--json").stdout)["documents"] == len(hits)


def test_add_a_folder_and_sidecars_given_with_their_article(run: Run, corpus: Path, tmp_path: Path) -> None:
    folder = tmp_path / "scraped"
    folder.mkdir()
    (folder / "one.txt").write_text(ARTICLE, "utf-8")
    (folder / "two.txt").write_text(ARTICLE.replace("bishop", "cardinal"), "utf-8")
    (folder / "two.meta.json").write_text('{"source": "Folder Wire"}', "utf-8")
    (folder / ".hidden.txt").write_text(ARTICLE, "utf-8")
    result = run("add", str(folder), "--json")
    assert result.exit_code == 0, result.output
    assert "a folder, 2 article file(s)" in result.stderr
    assert sorted(a["doc_id"] for a in json.loads(result.stdout)["added"]) == ["one", "two"]
    assert (corpus / "raw" / "two.meta.json").is_file() and not (corpus / "raw" / ".hidden.txt").exists()
    three = tmp_path / "three.txt"
    three.write_text(ARTICLE.replace("bishop", "priest"), "utf-8")
    side = tmp_path / "three.meta.json"
    side.write_text('{"source": "Side Wire"}', "utf-8")
    for args in ((str(side), str(three)), (str(three), str(side))):  # either order, silently
        both = run("add", *args)
        assert both.exit_code == 0, both.output
        assert "warning" not in both.stderr
    assert json.loads(run("show", "three", "--json").stdout)["source"] == "Side Wire"
    orphan = tmp_path / "nobody.meta.json"
    orphan.write_text("{}", "utf-8")
    alone = run("add", str(orphan))
    assert alone.exit_code == 1 and "a sidecar without its article" in alone.stderr


def test_add_missing_file(run: Run) -> None:
    result = run("add", "no/such/file.txt")
    assert result.exit_code == 1 and "no such file" in result.stderr


def test_a_bad_file_in_a_batch_warns_and_the_rest_is_built(run: Run, corpus: Path) -> None:
    (corpus / "raw" / "broken.txt").write_bytes(b"\x00\xff" * 500)
    (corpus / "raw" / "latin.txt").write_bytes(
        (
            "Tregua en Michoacán\n\n" + "El obispo dijo que una tregua con los grupos criminales era posible. " * 4
        ).encode("cp1252")
    )
    result = run("build", "--format", "json")
    assert result.exit_code == 0
    assert "skipped broken" in result.stderr and "binary" in result.stderr
    rep = json.loads(result.stdout)
    assert rep["processed"] == 6
    shown = json.loads(run("show", "latin", "--json").stdout)
    assert "decoded as cp1252" in shown["warnings"][0]


def test_nothing_processable_is_an_error(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "c", [])
    (corpus / "raw" / "empty.txt").write_bytes(b"")
    run = runner_for(corpus, tmp_path / "i")
    result = run("build")
    assert result.exit_code == 1 and "no file could be processed" in result.stderr


def test_missing_corpus(tmp_path: Path) -> None:
    run = runner_for(tmp_path / "nowhere", tmp_path / "i")
    result = run("search", "truce")
    assert result.exit_code == 1 and "no corpus at" in result.stderr


def test_corrupt_manifest_is_rebuilt(run: Run, tmp_path: Path) -> None:
    report(run)
    (tmp_path / "index" / "MANIFEST.json").write_text("{not json")
    result = run("search", "truce", "--json")
    assert result.exit_code == 0 and "corrupt" in result.stderr
    assert json.loads(result.stdout)[0]["doc_id"] == "004_8d0e20a436d8e110"


def test_damaged_index_files_are_refused_and_a_rebuild_replaces_them(run: Run, tmp_path: Path) -> None:
    """A damaged file and a planted one look the same: never opened, never silently rebuilt over."""
    report(run)
    gen = next(p for p in (tmp_path / "index").iterdir() if p.name.startswith("gen-"))
    for f in gen.iterdir():
        if f.suffix == ".toc":
            f.write_bytes(b"garbage")
    result = run("search", "truce", "--json")
    assert result.exit_code == 1 and "changed since it was built" in result.stderr
    assert "build --rebuild" in result.stderr and result.stdout == ""
    assert (gen / "_MAIN_1.toc").read_bytes() == b"garbage"  # left as it is
    assert run("build", "--rebuild").exit_code == 0
    assert json.loads(run("search", "truce", "--json").stdout)[0]["doc_id"] == "004_8d0e20a436d8e110"


def test_index_of_another_version_is_rebuilt(run: Run, tmp_path: Path) -> None:
    report(run)
    path = tmp_path / "index" / "MANIFEST.json"
    manifest = json.loads(path.read_text())
    manifest["schema_version"] = 0
    path.write_text(json.dumps(manifest))
    result = run("search", "truce", "--json")
    assert "another version" in result.stderr
    assert json.loads(result.stdout)[0]["doc_id"] == "004_8d0e20a436d8e110"


def test_a_crash_mid_build_keeps_the_last_good_index(run: Run, corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    report(run)
    from cartelkit.index import whoosh_index

    def boom(self: object, doc: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(whoosh_index.Writer, "add", boom)
    shutil.copyfile(SAMPLES / "004_8d0e20a436d8e110.txt", corpus / "raw" / "copy.txt")
    crashed = run("build", "--rebuild")
    assert crashed.exit_code == 1 and "internal error" in crashed.stderr
    monkeypatch.undo()
    os.unlink(corpus / "raw" / "copy.txt")
    result = run("search", "truce", "--json")
    assert json.loads(result.stdout)[0]["doc_id"] == "004_8d0e20a436d8e110"


def test_symlinks_in_raw_are_not_followed(run: Run, corpus: Path, tmp_path: Path) -> None:
    outside = tmp_path / "secret.txt"
    outside.write_text("Secret truce text " * 20)
    (corpus / "raw" / "link.txt").symlink_to(outside)
    result = run("build")
    assert result.exit_code == 0 and "symbolic link" in result.stderr
    assert "link" not in [h["doc_id"] for h in json.loads(run("search", "secret", "--json").stdout)]


def test_traceback_only_on_request(run: Run, corpus: Path) -> None:
    shutil.rmtree(corpus / "raw")
    quiet = run("search", "truce")
    assert "Traceback" not in quiet.output
    from click.testing import CliRunner

    from cartelkit.cli import cli

    loud = CliRunner().invoke(cli, ["--corpus", str(corpus), "--traceback", "search", "truce"])
    assert loud.exception is not None


@pytest.mark.parametrize("fmt", ["json", "csv", "markdown"])
def test_build_honours_format(run: Run, fmt: str) -> None:
    result = run("build", "--format", fmt)
    assert result.exit_code == 0, result.output
    if fmt == "json":
        assert json.loads(result.stdout)["total"] == 5
    elif fmt == "csv":
        assert result.stdout.startswith("field,value\n") and "\ntotal,5\n" in result.stdout
    else:
        assert "| total | 5 |" in result.stdout


def test_a_new_sidecar_reaches_an_article_already_added_and_bad_names_do_not_stop_a_folder(
    run: Run, corpus: Path, tmp_path: Path
) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, "utf-8")
    assert run("add", str(tmp_path / "a.txt")).exit_code == 0
    (tmp_path / "a.meta.json").write_text('{"source": "Later Wire"}', "utf-8")
    again = run("add", str(tmp_path / "a.txt"), str(tmp_path / "a.meta.json"))
    assert again.exit_code == 0, again.output
    assert (corpus / "raw" / "a.meta.json").is_file()
    assert json.loads(run("show", "a", "--json").stdout)["source"] == "Later Wire"
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / ("x" * 210 + ".txt")).write_text(ARTICLE, "utf-8")
    (folder / "zz.txt").write_text(ARTICLE.replace("bishop", "cardinal"), "utf-8")
    result = run("add", str(folder))
    assert result.exit_code == 1 and "at most 200 characters" in result.stderr
    assert (corpus / "raw" / "zz.txt").is_file() and "zz" in result.stderr


def test_a_build_with_files_to_process_warms_a_worker_first(
    run: Run, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The early worker of a big corpus (here: any corpus) processes the new page like any worker,
    an unchanged corpus starts none, and no worker outlives the build."""
    import multiprocessing

    from cartelkit import pipeline
    from tests.conftest import ARTICLES

    assert run("build", "--workers", "1").exit_code == 0
    monkeypatch.setattr(pipeline, "EARLY_START", 0)
    started: list[int] = []
    real_start = pipeline._Workers.start

    def start(self: pipeline._Workers) -> object:
        started.append(1)
        return real_start(self)

    monkeypatch.setattr(pipeline._Workers, "start", start)
    assert json.loads(run("build", "--workers", "2", "--json").stdout)["processed"] == 0
    assert not started  # nothing was added: no worker
    (corpus / "raw" / "new.txt").write_text((ARTICLES / "101_salvador-truce.txt").read_text("utf-8"), "utf-8")
    report = json.loads(run("build", "--workers", "2", "--json").stdout)
    assert started and report["processed"] == 1 and not report["failed"]
    assert "new" in {r["doc_id"] for r in json.loads(run("stance", "--topic", "negotiation", "--json").stdout)}
    assert multiprocessing.active_children() == []
