"""Shared fixtures: every test runs in a temporary folder with its own corpus and index."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from cartelkit.cli import cli

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "corpus" / "raw"
ARTICLES = Path(__file__).resolve().parent / "articles"
GOLD = Path(__file__).resolve().parent / "gold"
DEVSET = Path(__file__).resolve().parent / "devset"
HELDOUT = Path(__file__).resolve().parent / "heldout"
TRAINSET = Path(__file__).resolve().parent / "trainset"

Run = Callable[..., Result]

# The index key and the verified-files cache of the test session (never the user's own).
_USER_DIRS = Path(tempfile.mkdtemp(prefix="cartelkit-test-home-"))
os.environ["XDG_CONFIG_HOME"] = str(_USER_DIRS / "config")
os.environ["XDG_CACHE_HOME"] = str(_USER_DIRS / "cache")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """The session's key and cache folders go when the tests end (they piled up in /tmp)."""
    shutil.rmtree(_USER_DIRS, ignore_errors=True)


@pytest.fixture(autouse=True)
def _isolate(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Never touch the repository's corpus/ and index/: point the env vars at tmp."""
    monkeypatch.setenv("CARTELKIT_CORPUS", str(tmp_path / "corpus"))
    monkeypatch.setenv("CARTELKIT_INDEX", str(tmp_path / "index"))
    monkeypatch.chdir(tmp_path)


def make_corpus(root: Path, sources: list[Path] | None = None) -> Path:
    raw = root / "corpus" / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    for src in sources if sources is not None else sorted(SAMPLES.glob("*.txt")):
        shutil.copyfile(src, raw / src.name)
    return root / "corpus"


def runner_for(corpus: Path, index: Path) -> Run:
    def run(*args: str, input: str | None = None) -> Result:
        return CliRunner().invoke(cli, ["--corpus", str(corpus), "--index", str(index), *args], input=input)

    return run


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A fresh copy of the five sample articles (not yet built)."""
    return make_corpus(tmp_path)


@pytest.fixture
def run(corpus: Path, tmp_path: Path) -> Run:
    return runner_for(corpus, tmp_path / "index")


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Run:
    """The samples, built once for the read-only query tests of the session."""
    root = tmp_path_factory.mktemp("built")
    corpus = make_corpus(root)
    run = runner_for(corpus, root / "index")
    result = run("build")
    assert result.exit_code == 0, result.output
    return run


def _children() -> list[str]:
    """Live processes whose parent is this test process (Linux), with their command lines."""
    out = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
            cmd = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        fields = dict(line.split(":\t", 1) for line in status.splitlines() if ":\t" in line)
        if fields.get("PPid", "").strip() == str(os.getpid()) and not fields.get("State", "").startswith("Z"):
            out.append(f"{entry.name}: {cmd[:120]}")
    return out


@pytest.fixture(scope="session", autouse=True)
def _no_process_left_behind() -> Iterator[None]:
    """The suite leaves no worker, fork server or resource tracker running."""
    yield
    if not Path("/proc/self/status").exists():
        return
    import time

    deadline = time.monotonic() + 10
    while _children() and time.monotonic() < deadline:
        time.sleep(0.2)
    left = [c for c in _children() if "resource_tracker" not in c]  # Python's own, shared by the whole session
    assert not left, f"processes left behind: {left}"
