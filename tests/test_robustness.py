"""Nothing lost, nothing let in: crashes, concurrent use, corruption, hostile input."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import random
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cartelkit.corpus import Corpus
from cartelkit.index import whoosh_index as wx
from cartelkit.index.facts import Facts
from cartelkit.index.protocol import FACTS
from cartelkit.index.store import IndexDir
from cartelkit.model import SearchQuery, StanceQuery, TimelineQuery
from tests.conftest import ARTICLES, SAMPLES, Run, make_corpus, runner_for

KILLS = 12


def cli(corpus: Path, index: Path, *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "cartelkit", "--corpus", str(corpus), "--index", str(index), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def raw_hashes(corpus: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted((corpus / "raw").iterdir())}


def answers(index: Path) -> tuple[list[str], list[tuple[str, str, str]], list[str | None]]:
    """What queries see in the live generation, read without triggering any build."""
    manifest = IndexDir(index).read_manifest()
    assert manifest is not None
    gen = IndexDir(index).generation_path(manifest)
    hits = wx.search_articles(wx.open_generation(gen), SearchQuery("truce"), 50).hits
    facts = Facts(gen / FACTS)
    rows = list(facts.stance(StanceQuery("negotiation")))
    entries = list(facts.timeline(TimelineQuery("Vicente Fox")))
    return (
        sorted(h.doc_id for h in hits),
        sorted((r.speaker, r.stance, r.date or "") for r in rows),
        [e.date for e in entries],
    )


def bigger_corpus(root: Path) -> Path:
    corpus = make_corpus(root, [*sorted(SAMPLES.glob("*.txt")), *sorted(ARTICLES.glob("*.txt"))])
    for i, src in enumerate(sorted(ARTICLES.glob("*.txt"))):  # more work per build
        text = src.read_text("utf-8")
        (corpus / "raw" / f"copy{i}.txt").write_text(text.replace("the ", "the  ", 3), "utf-8")
    return corpus


def test_sigkill_during_builds_never_loses_the_index(tmp_path: Path) -> None:
    corpus = bigger_corpus(tmp_path)
    index = tmp_path / "index"
    assert runner_for(corpus, index)("build").exit_code == 0
    before = answers(index)
    rng = random.Random(7)
    survived = 0
    for k in range(KILLS):
        extra = corpus / "raw" / f"extra{k}.txt"
        extra.write_text((SAMPLES / "004_8d0e20a436d8e110.txt").read_text("utf-8") + f"\n\nNote {k}.\n", "utf-8")
        hashes = raw_hashes(corpus)
        proc = cli(corpus, index, "build", *(["--rebuild"] if k % 3 == 0 else []))
        time.sleep(rng.uniform(0.05, 1.2))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert raw_hashes(corpus) == hashes, "a build changed raw files"
        got = answers(index)  # the last complete index still answers
        assert "004_8d0e20a436d8e110" in got[0]
        assert set(before[1]) <= set(got[1])
        survived += 1
    assert survived == KILLS
    assert runner_for(corpus, index)("build").exit_code == 0
    fresh = tmp_path / "fresh"
    shutil.copytree(corpus / "raw", fresh / "corpus" / "raw")
    assert runner_for(fresh / "corpus", fresh / "index")("build").exit_code == 0
    assert answers(index) == answers(fresh / "index")  # the repaired index equals a clean build


def test_a_second_build_waits_for_the_lock(tmp_path: Path, run: Run, corpus: Path) -> None:
    index = tmp_path / "index"
    assert run("build").exit_code == 0
    (corpus / "raw" / "new.txt").write_text((ARTICLES / "101_salvador-truce.txt").read_text("utf-8"), "utf-8")
    with IndexDir(index).lock():
        proc = cli(corpus, index, "build")
        time.sleep(1.5)
        assert proc.poll() is None, "the second build did not wait"
        # queries meanwhile answer from the last complete index, without waiting
        result = run("search", "truce", "--json")
        assert result.exit_code == 0 and "answering from the last complete index" in result.stderr
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0
    assert b"waiting for another cartelkit build" in err


def test_two_builds_at_once_both_finish_consistently(tmp_path: Path, corpus: Path) -> None:
    index = tmp_path / "index"
    procs = [cli(corpus, index, "build"), cli(corpus, index, "build", "--rebuild")]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    assert "004_8d0e20a436d8e110" in answers(index)[0]


def test_a_killed_builder_leaves_no_stale_lock(tmp_path: Path, corpus: Path) -> None:
    index = tmp_path / "index"
    proc = cli(corpus, index, "build")
    time.sleep(0.4)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    started = time.monotonic()
    assert runner_for(corpus, index)("build").exit_code == 0
    assert time.monotonic() - started < 60


@pytest.mark.parametrize(
    "damage", ["delete-segment", "truncate-toc", "delete-facts", "truncate-facts", "lines", "clean-cache"]
)
def test_corruption_is_detected_and_repaired_or_refused(tmp_path: Path, run: Run, corpus: Path, damage: str) -> None:
    assert run("build").exit_code == 0
    manifest = IndexDir(tmp_path / "index").read_manifest()
    assert manifest is not None
    gen = tmp_path / "index" / manifest.generation
    if damage == "delete-segment":
        for f in gen.glob("*.seg"):
            f.unlink()
    elif damage == "truncate-toc":
        for f in gen.glob("*.toc"):
            f.write_bytes(f.read_bytes()[:10])
    elif damage == "delete-facts":
        (gen / FACTS).unlink()
    elif damage == "truncate-facts":
        (gen / FACTS).write_bytes((gen / FACTS).read_bytes()[:4096])
    elif damage == "lines":
        Corpus(corpus).lines_file.write_bytes(b"\x00garbage")
    else:
        cache = corpus / "clean" / "004_8d0e20a436d8e110.json"
        data = json.loads(cache.read_text())
        data["cache_key"] = "0" * 64  # a cache written by another version
        cache.write_text(json.dumps(data))
        (corpus / "clean" / "000_6f858933a1127504.json").write_text("{truncated")
    result = run("stance", "--topic", "negotiation", "--json")
    # the index's own files: refused, then replaced on request
    if damage in ("truncate-toc", "delete-facts", "truncate-facts"):
        assert result.exit_code == 1 and "build --rebuild" in result.stderr, result.output
        assert run("build", "--rebuild").exit_code == 0
        result = run("stance", "--topic", "negotiation", "--json")
    assert result.exit_code == 0, result.output
    assert "Vicente Fox" in {r["speaker"] for r in json.loads(result.stdout)}
    assert run("build").exit_code == 0
    assert json.loads(run("search", "truce", "--json").stdout)[0]["doc_id"] == "004_8d0e20a436d8e110"


# --- hostile input -----------------------------------------------------------------
def _add_and_show(run: Run, tmp_path: Path, name: str, data: bytes) -> dict[str, object]:
    path = tmp_path / name
    path.write_bytes(data)
    result = run("add", str(path))
    assert result.exit_code == 0, result.output
    shown = run("show", name.rsplit(".", 1)[0], "--json")
    assert shown.exit_code == 0, shown.output
    doc = json.loads(shown.stdout)
    raw_chars = set(data.decode("utf-8", "replace"))
    assert set(doc["body"]) <= raw_chars | {"\n"}
    for item in [*doc["statements"], *doc["events"]]:
        start, end = item["span"]
        assert doc["body"][start:end] == item["evidence"]
    return doc


ARTICLE = (ARTICLES / "106_calderon-michoacan.txt").read_text("utf-8")


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("nul.txt", ARTICLE.replace("Michoacán", "Michoacán\x00", 2).encode()),
        ("mixed.txt", ARTICLE.replace("\n", "\r\n", 20).replace("\n\n", "\r\r", 3).encode()),
        ("quotes.txt", (ARTICLE + "\n\n" + "“" * 5000 + '‘“"' * 3000 + "\n").encode()),
        ("bidi.txt", ARTICLE.replace("Calderón", "Cal\u200bde\u202erón").encode()),
        ("año nuevo con espacios.txt", ARTICLE.encode()),
        ("tiny.txt", ("a\n" * 100_000).encode() + ARTICLE.encode()),
    ],
    ids=["nul-bytes", "mixed-line-endings", "unbalanced-quotes", "rtl-zero-width", "spaces-non-ascii", "100k-lines"],
)
def test_hostile_files_are_processed_safely(run: Run, tmp_path: Path, name: str, data: bytes) -> None:
    doc = _add_and_show(run, tmp_path, name, data)
    assert "Michoacán" in str(doc["body"]) or "Michoac" in str(doc["body"])
    assert "\x00" not in str(doc["body"]) and "\u202e" not in str(doc["body"])


def test_a_ten_megabyte_single_line(run: Run, tmp_path: Path) -> None:
    line = ("The government said it would not negotiate with the cartels. " * 170_000)[: 10 * 1024 * 1024 - 100]
    started = time.monotonic()
    doc = _add_and_show(run, tmp_path, "huge.txt", line.encode())
    assert time.monotonic() - started < 240
    assert any("annotated" in w for w in doc["warnings"])  # type: ignore[attr-defined]


def test_symlink_out_of_the_corpus_is_not_followed_by_add(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "outside.txt"
    target.write_text(ARTICLE, "utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(tmp_path / "missing.txt")
    result = run("add", str(link))
    assert result.exit_code == 1 and "broken symbolic link" in result.stderr


def test_exit_codes_are_documented_and_used(run: Run) -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text("utf-8")
    for code in ("| 0 |", "| 1 |", "| 2 |", "| 130 |"):
        assert code in readme
    assert run("search", "truce").exit_code == 0
    assert run("show", "../../etc/passwd").exit_code == 1
    assert run("search").exit_code == 2
    assert run("timeline").exit_code == 2
    os.environ.pop("CARTELKIT_NOPE", None)


def test_one_worker_and_several_give_identical_results(tmp_path: Path) -> None:
    corpus = bigger_corpus(tmp_path)  # more than 16 files: the worker pool is used
    runs = {}
    for workers in ("1", "2"):
        root = tmp_path / f"w{workers}"
        shutil.copytree(corpus / "raw", root / "corpus" / "raw")
        runs[workers] = runner_for(root / "corpus", root / "index")
        result = runs[workers]("build", "--workers", workers)
        assert result.exit_code == 0, result.output
    one, two = answers(tmp_path / "w1" / "index"), answers(tmp_path / "w2" / "index")
    assert one == two and one[0] and one[1]
    for doc_id in ("106_calderon-michoacan", "004_8d0e20a436d8e110", "copy3"):
        a, b = (json.loads(runs[w]("show", doc_id, "--json").stdout) for w in ("1", "2"))
        assert a["statements"] == b["statements"] and a["events"] == b["events"] and a["body"] == b["body"]


def test_documents_committed_by_an_unfinished_build_are_not_duplicated(
    tmp_path: Path, run: Run, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build killed after Whoosh committed but before the manifest was written."""
    assert run("build").exit_code == 0
    extra = corpus / "raw" / "extra.txt"
    extra.write_text((ARTICLES / "101_salvador-truce.txt").read_text("utf-8"), "utf-8")
    from cartelkit.index.store import IndexDir as Store

    def die(self: Store, manifest: object) -> None:
        raise KeyboardInterrupt  # the builder is gone before its commit point

    monkeypatch.setattr(Store, "commit", die)
    assert run("build").exit_code != 0
    monkeypatch.undo()
    extra.unlink()  # and the file went away before the next build
    (corpus / "raw" / "new.txt").write_text((ARTICLES / "102_salvador-exception.txt").read_text("utf-8"), "utf-8")
    assert run("build").exit_code == 0
    manifest = IndexDir(tmp_path / "index").read_manifest()
    assert manifest is not None
    gen = IndexDir(tmp_path / "index").generation_path(manifest)
    words = [h.doc_id for h in wx.search_articles(wx.open_generation(gen), SearchQuery("*"), None).hits]
    facts = Facts(gen / FACTS).document_ids()
    assert sorted(words) == facts == sorted(p.stem for p in (corpus / "raw").glob("*.txt"))
    hits = json.loads(run("search", "truce", "--json", "--limit", "50").stdout)
    assert len(hits) == len({h["doc_id"] for h in hits})


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"this is [not toml\n", "cannot read the actors file"),
        (b"[[actor]]\nname = 5\n", "line 2, actor #1: every actor needs a name"),
        (b'[[actor]]\nname = "Ana Ruiz"\naliases = 5\n', "line 3, actor #1: aliases must be a list"),
        (b'[[actor]]\nname = "Ana Ruiz"\nroles = 5\n', "line 3, actor #1 (Ana Ruiz): roles must be"),
        (b'[[actor]]\nname = "Ana Ruiz"\nroles = [{office = "mayor", start = "yesterday"}]\n', "is not a YYYY-MM-DD"),
        (b"\xff\xfe[[actor]]\n", "not UTF-8"),
    ],
)
def test_a_bad_actors_file_stops_the_build_and_keeps_the_index(
    run: Run, corpus: Path, content: bytes, message: str
) -> None:
    assert run("build").exit_code == 0
    (corpus / "actors.toml").write_bytes(content)
    result = run("build")
    assert result.exit_code == 1 and message in result.stderr and "Traceback" not in result.stderr
    assert result.stderr.count("error:") == 1
    search = run("search", "truce", "--format", "json")  # the last complete index still answers
    assert search.exit_code == 0 and json.loads(search.stdout)[0]["doc_id"] == "004_8d0e20a436d8e110"
    assert "answering from the last complete index" in search.stderr


@pytest.mark.parametrize(
    "sidecar",
    [b'{"published": "0000"}', b'{"title": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"],
)
def test_a_document_that_fails_keeps_its_last_good_version(run: Run, corpus: Path, sidecar: bytes) -> None:
    assert run("build").exit_code == 0
    (corpus / "raw" / "004_8d0e20a436d8e110.meta.json").write_bytes(sidecar)
    result = run("build")
    assert result.exit_code == 0 and "internal error" not in result.stderr
    assert "004_8d0e20a436d8e110" in result.stderr and "its last good version stays" in result.stderr
    hits = json.loads(run("search", "truce", "--format", "json").stdout)
    assert [h["doc_id"] for h in hits] == ["004_8d0e20a436d8e110"]
    again = run("build", "--rebuild")  # also from the clean cache when the index is rebuilt
    assert again.exit_code == 0 and "its last good version stays" in again.stderr
    assert [h["doc_id"] for h in json.loads(run("search", "truce", "--format", "json").stdout)] == [
        "004_8d0e20a436d8e110"
    ]


def test_a_file_whose_name_cannot_be_an_id_is_skipped(run: Run, corpus: Path) -> None:
    sample = (corpus / "raw" / "000_6f858933a1127504.txt").read_bytes()
    (corpus / "raw" / "a\\b.txt").write_bytes(sample)
    (corpus / "raw" / ("x" * 210 + ".txt")).write_bytes(sample)
    result = run("build")
    assert result.exit_code == 0 and result.stderr.count("its name cannot be a DOC_ID") == 2
    assert run("search", "truce", "--format", "json").exit_code == 0
    assert json.loads(run("stats", "--json").stdout)["documents"] == 5


def test_output_cannot_inject_escapes_formulas_or_lines(run: Run, corpus: Path) -> None:
    side = {"title": "Evil \x1b]0;pwned\x07\x1b[31mred", "author": "Ana\nRuiz", "source": '=HYPERLINK("x")'}
    (corpus / "raw" / "004_8d0e20a436d8e110.meta.json").write_text(json.dumps(side), "utf-8")
    shown = run("show", "004_8d0e20a436d8e110")
    assert shown.exit_code == 0 and "\x1b" not in shown.stdout and "\x07" not in shown.stdout
    assert "    author: Ana Ruiz\n" in shown.stdout
    rows = run("search", "truce", "--format", "csv").stdout.splitlines()
    assert "'=HYPERLINK" in rows[1] and "\x1b" not in rows[1]


def test_written_files_follow_the_umask(run: Run, corpus: Path, tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        assert run("build").exit_code == 0
    finally:
        os.umask(old)
    manifest = tmp_path / "index" / "MANIFEST.json"
    cached = next((corpus / "clean").glob("*.json"))
    for path in (manifest, cached):
        assert stat.S_IMODE(path.stat().st_mode) == 0o644, path


def test_symbolic_links_are_refused_by_add_and_as_sidecars(run: Run, corpus: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.json"
    secret.write_text('{"title": "SECRET"}', "utf-8")
    (corpus / "raw" / "000_6f858933a1127504.meta.json").symlink_to(secret)
    result = run("build")
    assert result.exit_code == 0 and "000_6f858933a1127504.meta.json: skipped, a symbolic link" in result.stderr
    shown = json.loads(run("show", "000_6f858933a1127504", "--json").stdout)
    assert shown["title"] != "SECRET"
    target = tmp_path / "outside.txt"
    target.write_text(ARTICLE, "utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    added = run("add", str(link))
    assert added.exit_code == 1 and "a symbolic link (links are not followed)" in added.stderr
    assert str(target) in added.stderr and not (corpus / "raw" / "link.txt").exists()


# --- a planted index (issue 16, item 1) -------------------------------------------------
class _Payload:
    """Unpickling this runs ``open(path, "w")``: a file appears if anything unpickles it."""

    def __init__(self, path: str) -> None:
        self.path = path

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return (open, (self.path, "w"))


def _plant(toc: Path, marker: Path) -> None:
    """Write a Whoosh table of contents, as Whoosh writes one, whose pickled schema is the payload."""
    import pickle

    from whoosh.filedb.filestore import FileStorage
    from whoosh.index import _CURRENT_TOC_VERSION, _FLOAT_SIZE, _INT_SIZE, _LONG_SIZE

    storage = FileStorage(str(toc.parent))
    stream = storage.create_file(toc.name)
    for size in (_INT_SIZE, _LONG_SIZE, _FLOAT_SIZE):
        stream.write_varint(size)
    stream.write_int(-12345)
    stream.write_int(_CURRENT_TOC_VERSION)
    for num in (2, 7, 4):
        stream.write_varint(num)
    stream.write_string(pickle.dumps(_Payload(str(marker)), 2))
    stream.write_int(int(toc.stem.rsplit("_", 1)[1]))
    stream.write_int(0)
    stream.write_pickle([])
    stream.close()


def test_the_planted_table_of_contents_does_run_code_when_whoosh_opens_it(tmp_path: Path) -> None:
    """The attack the seal stops: Whoosh itself unpickles a planted TOC."""
    from whoosh import index as whoosh_index

    folder = tmp_path / "planted"
    folder.mkdir()
    marker = tmp_path / "pwned"
    _plant(folder / "_MAIN_1.toc", marker)
    with contextlib.suppress(Exception):
        whoosh_index.open_dir(str(folder))
    assert marker.exists()


@pytest.mark.parametrize("where", ["toc", "extra-toc", "manifest", "foreign-key"])
def test_a_planted_index_is_refused_and_runs_nothing(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    import pickle

    assert run("build").exit_code == 0
    index = IndexDir(tmp_path / "index")
    manifest = index.read_manifest()
    assert manifest is not None and manifest.mac
    gen = index.generation_path(manifest)
    marker = tmp_path / "pwned"
    toc = next(gen.glob("*.toc"))
    if where == "toc":  # a table of contents replaced in place
        _plant(toc, marker)
    elif where == "extra-toc":  # a newer table of contents, which Whoosh would prefer
        _plant(gen / "_MAIN_9.toc", marker)
    elif where == "manifest":  # the manifest's digests rewritten to match a planted file
        _plant(toc, marker)
        data = json.loads(index.manifest_path.read_text())
        from cartelkit.index.trust import file_digest

        data["files"][toc.name] = file_digest(toc)
        index.manifest_path.write_text(json.dumps(data))
    else:  # a whole index sealed with someone else's key
        monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "someone-else"))
    assert pickle.loads(pickle.dumps(_Payload(str(tmp_path / "works")))) is not None  # the payload does run
    (tmp_path / "works").unlink()
    before = sorted((p.name, p.stat().st_size) for p in gen.iterdir())
    for args in (["search", "truce"], ["timeline", "--actor", "Fox"], ["stance", "--topic", "negotiation"], ["build"]):
        result = run(*args)
        assert result.exit_code == 1, (args, result.output)
        assert "Traceback" not in result.stderr and ("seal" in result.stderr or "built" in result.stderr)
        assert not marker.exists(), f"{args}: the planted pickle ran"
    assert sorted((p.name, p.stat().st_size) for p in gen.iterdir()) == before  # refused, not rebuilt over
    assert index.read_manifest() == IndexDir(tmp_path / "index").read_manifest()


def test_the_manifest_cannot_point_outside_the_index(run: Run, tmp_path: Path) -> None:
    assert run("build").exit_code == 0
    index = IndexDir(tmp_path / "index")
    data = json.loads(index.manifest_path.read_text())
    data["generation"] = "../../elsewhere"
    index.manifest_path.write_text(json.dumps(data))
    result = run("search", "truce")
    assert result.exit_code == 1 and "outside the index" in result.stderr


def test_the_line_index_is_not_read_with_marshal_or_pickle(run: Run, corpus: Path) -> None:
    assert run("build").exit_code == 0
    data = Corpus(corpus).lines_file.read_bytes()
    assert data.startswith(b"CKLINES\n")
    import cartelkit.clean.recurrence as recurrence

    assert "marshal" not in recurrence.__dict__ and "pickle" not in recurrence.__dict__


# --- full disks, read-only folders, killed builds, racing queries (issue 16 items 4-6) ----
@pytest.mark.parametrize("err", [errno.ENOSPC, errno.EROFS])
def test_a_full_disk_or_read_only_index_answers_from_the_last_index(
    run: Run, corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, err: int
) -> None:
    import cartelkit.fsutil as fsutil

    assert run("build").exit_code == 0
    (corpus / "raw" / "new.txt").write_text((ARTICLES / "101_salvador-truce.txt").read_text("utf-8"), "utf-8")
    real = fsutil.atomic_write_bytes

    def failing(path: Path, data: bytes, durable: bool = True) -> None:
        if "index" in path.parts or "clean" in path.parts:
            raise OSError(err, os.strerror(err), str(path))
        real(path, data, durable)

    for module in list(sys.modules.values()):  # every module that writes through it
        if getattr(module, "atomic_write_bytes", None) is real:
            monkeypatch.setattr(module, "atomic_write_bytes", failing)
    result = run("search", "truce", "--json")
    assert result.exit_code == 0, result.output
    assert "cannot refresh the index" in result.stderr and os.strerror(err).lower() in result.stderr
    assert json.loads(result.stdout)[0]["doc_id"] == "004_8d0e20a436d8e110"
    built = run("build", "--workers", "1")
    assert built.exit_code == 1 and os.strerror(err).lower() in built.stderr and "internal error" not in built.stderr
    gens = [p.name for p in (tmp_path / "index").iterdir() if p.name.startswith("gen-")]
    manifest = IndexDir(tmp_path / "index").read_manifest()
    assert manifest is not None and gens == [manifest.generation]  # no partial generation left
    monkeypatch.undo()
    assert run("build").exit_code == 0


def _session_processes(sid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[3]) == sid and fields[0] != "Z":
                out.append(int(entry.name))
    return out


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_killed_build_leaves_no_worker_and_releases_its_output(tmp_path: Path) -> None:
    raw = tmp_path / "corpus" / "raw"
    raw.mkdir(parents=True)
    sources = sorted(ARTICLES.glob("*.txt"))
    for i in range(80):  # enough documents for the worker pool
        src = sources[i % len(sources)]
        (raw / f"d{i:03d}.txt").write_text(src.read_text("utf-8") + f"\n\nNote {i}.\n", "utf-8")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "cartelkit",
            "--corpus",
            str(tmp_path / "corpus"),
            "--index",
            str(tmp_path / "index"),
            "build",
            "--workers",
            "2",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(_session_processes(proc.pid)) < 3:  # builder, fork server, workers
        time.sleep(0.05)
    assert len(_session_processes(proc.pid)) >= 3, "the worker pool never started"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    start = time.monotonic()
    proc.communicate(timeout=20)  # EOF on both pipes: nobody holds them any more
    assert time.monotonic() - start < 20
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and _session_processes(proc.pid):
        time.sleep(0.1)
    assert _session_processes(proc.pid) == [], "processes of the killed build are still running"


def test_a_search_whose_generation_two_builds_replaced_reads_the_live_one(
    tmp_path: Path, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A query read the manifest and opened the text index; then two builds committed, and the
    second removed the first's generation before the search ran: Whoosh reads the table of
    contents again for each search, so it ran into a missing folder ("internal error:
    EmptyIndexError", seen with queries racing builds in CI). It now answers from the live
    generation."""
    import cartelkit

    run = runner_for(corpus, tmp_path / "index")
    assert run("build").exit_code == 0
    ws = cartelkit.open(corpus, tmp_path / "index")
    assert ws.search("truce").hits  # this generation's store is open and kept
    first = ws.index.read_manifest()
    sample = corpus / "raw" / "004_8d0e20a436d8e110.txt"
    text = sample.read_text("utf-8")
    for i in range(2):
        sample.write_text(text + f"\n\nUpdate {i}.\n", "utf-8")
        assert run("build", "--workers", "1").exit_code == 0
    assert first is not None and not (tmp_path / "index" / first.generation).exists()
    live = ws.ensure_index
    seen: list[object] = []

    def read_before_the_builds() -> object:  # the manifest as the query read it, before the commits
        if not seen:
            seen.append(first)
            return first
        return live()

    monkeypatch.setattr(ws, "ensure_index", read_before_the_builds)
    assert ws.search("truce").hits
    assert seen


def test_queries_racing_incremental_builds_never_crash(tmp_path: Path, corpus: Path) -> None:
    run = runner_for(corpus, tmp_path / "index")
    assert run("build").exit_code == 0
    base = [sys.executable, "-m", "cartelkit", "--corpus", str(corpus), "--index", str(tmp_path / "index")]
    searchers = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                (
                    "import subprocess,sys,time\n"
                    "end=time.monotonic()+float(sys.argv[1]); bad=0\n"
                    "while time.monotonic()<end:\n"
                    "    r=subprocess.run(sys.argv[2:], capture_output=True, text=True)\n"
                    "    if r.returncode!=0 or 'Traceback' in r.stderr or 'internal error' in r.stderr:\n"
                    "        print(r.returncode, r.stderr[-300:]); bad+=1\n"
                    "sys.exit(bad)\n"
                ),
                "12",
                *base,
                "search",
                "truce OR cartel",
                "--json",
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    sample = corpus / "raw" / "004_8d0e20a436d8e110.txt"
    text = sample.read_text("utf-8")
    for i in range(6):
        sample.write_text(text + f"\n\nUpdate {i}.\n", "utf-8")
        assert run("build", "--workers", "1").exit_code == 0
    for s in searchers:
        out, _ = s.communicate(timeout=120)
        assert s.returncode == 0, out


def test_a_file_planted_after_the_check_is_never_seen(run: Run, tmp_path: Path, corpus: Path) -> None:
    """Whoosh lists the folder again for every reader: it sees only the sealed files."""
    from cartelkit.query import Workspace

    assert run("build").exit_code == 0
    ws = Workspace.at(corpus, tmp_path / "index")
    ws.text()
    manifest = IndexDir(tmp_path / "index").read_manifest()
    assert manifest is not None
    marker = tmp_path / "pwned"
    _plant(IndexDir(tmp_path / "index").generation_path(manifest) / "_MAIN_99.toc", marker)
    assert ws.search("truce").hits
    assert not marker.exists()


def test_an_index_others_can_write_is_refused(run: Run, tmp_path: Path) -> None:
    assert run("build").exit_code == 0
    index = IndexDir(tmp_path / "index")
    manifest = index.read_manifest()
    assert manifest is not None
    gen = index.generation_path(manifest)
    assert not (gen.stat().st_mode & 0o022)  # the builder keeps it private
    os.chmod(gen, gen.stat().st_mode | 0o002)
    result = run("search", "truce")
    assert result.exit_code == 1 and "writable by other users" in result.stderr


def test_an_incremental_build_seals_only_what_it_verified(
    run: Run, tmp_path: Path, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run("build").exit_code == 0
    real = IndexDir.verify

    def verify_then_plant(self: IndexDir, manifest: object) -> Path:
        gen = real(self, manifest)  # type: ignore[arg-type]
        (gen / "extra.planted").write_bytes(b"not sealed")
        return gen

    monkeypatch.setattr(IndexDir, "verify", verify_then_plant)
    (corpus / "raw" / "new.txt").write_text((ARTICLES / "101_salvador-truce.txt").read_text("utf-8"), "utf-8")
    assert run("build").exit_code == 0
    monkeypatch.undo()
    manifest = IndexDir(tmp_path / "index").read_manifest()
    assert manifest is not None and "extra.planted" not in manifest.files
    assert run("search", "truce").exit_code == 0


def test_the_line_index_journal_replays_to_what_a_fresh_count_gives(run: Run, corpus: Path) -> None:
    from cartelkit.clean.recurrence import JOURNAL, LineIndex

    lines_file = Corpus(corpus).lines_file
    journal = Path(f"{lines_file}{JOURNAL}")
    assert run("build").exit_code == 0
    assert lines_file.is_file() and not journal.exists()  # a first build writes a snapshot
    raw = corpus / "raw"
    (raw / "new.txt").write_text((ARTICLES / "101_salvador-truce.txt").read_text("utf-8"), "utf-8")
    sorted(raw.glob("0*.txt"))[0].unlink()
    assert run("build").exit_code == 0
    assert journal.is_file()  # a small change is appended, the snapshot is not written again

    def state(index: LineIndex) -> tuple[dict[str, tuple[int, ...]], bytes, bytes, str]:
        keys = {d: tuple(f.keys) for d, f in index.files.items()}
        return (
            keys,
            bytes(memoryview(index.rows[0]).cast("B")),
            bytes(memoryview(index.rows[1]).cast("B")),
            index.context,
        )

    replayed = state(LineIndex.load(lines_file))
    assert set(replayed[0]) == {p.stem for p in raw.glob("*.txt")}
    assert all(f.key for f in LineIndex.load(lines_file).files.values())  # each file's key is kept
    journal.write_bytes(journal.read_bytes() * 2 + b'{"op": "put", "doc"')  # replayed twice, then a torn line
    assert state(LineIndex.load(lines_file)) == replayed
    # a batch a killed build left without its end is skipped whole, not applied in part
    unfinished = b'{"op": "drop", "doc": "new"}\n{"op": "context", "value": "other"}\n'
    journal.write_bytes(journal.read_bytes() + b"\n" + unfinished)
    assert state(LineIndex.load(lines_file)) == replayed
    assert run("build", "--rebuild").exit_code == 0  # counts every file afresh, into a snapshot
    assert not journal.exists()
    assert state(LineIndex.load(lines_file))[:3] == replayed[:3]
