"""Every ``$ cartelkit …`` example of the README runs on the samples and prints what the README
shows, so the documentation cannot drift from the commands.

A console block's ``$ cartelkit …`` lines are commands; the lines after one, up to the next
``$``, are what it prints (stderr, then stdout). In the expected text a line that is only ``…``
stands for any number of lines, a line ending in `` …`` for any line starting with what comes
before, and build times are normalised. An HTML comment right before a block names its setup:

* (none): the five samples, built;
* ``<!-- readme: fresh -->``: the samples, not built yet;
* ``<!-- readme: spanish -->``: the samples and the Spanish test page, built;
* ``<!-- readme: broken-actors -->``: the samples with an actors file whose first actor has
  ``aliases = 5``;
* ``<!-- readme: downloads -->``: the samples, built, and an article at ``~/Downloads/article.txt``.
"""

from __future__ import annotations

import re
import shlex
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from cartelkit.cli import cli
from tests.conftest import ROOT, SAMPLES, make_corpus

README = ROOT / "README.md"
BLOCK_RE = re.compile(r"(?:<!-- readme: (?P<setup>[\w-]+) -->\n)?```console\n(?P<body>.*?)```", re.S)
TIME_RE = re.compile(r"\bin \d+\.\d+s\b")
ARTICLE = (
    "Bishop calls for a truce in Guerrero\n\nBy Ana Ruiz\n\nMarch 3, 2023\n\n"
    + "The bishop of Chilpancingo said on Friday that a truce between the gangs was possible if the state "
    "guaranteed the safety of those who laid down their weapons. " * 3
)


def examples() -> Iterator[tuple[str, str, list[str]]]:
    for block in BLOCK_RE.finditer(README.read_text("utf-8")):
        command: str | None = None
        expected: list[str] = []
        for line in block.group("body").splitlines():
            if line.startswith("$ "):
                if command is not None:
                    yield block.group("setup") or "built", command, _trimmed(expected)
                command, expected = line[2:], []
            elif command is not None:
                expected.append(line)
        if command is not None:
            yield block.group("setup") or "built", command, _trimmed(expected)


def _trimmed(lines: list[str]) -> list[str]:
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    return lines


def matches(expected: list[str], actual: list[str]) -> bool:
    """Line by line; ``…`` skips any lines, a line ending in `` …`` is a prefix."""
    if not expected:
        return not actual
    head, rest = expected[0], expected[1:]
    if head.strip() == "…":
        return any(matches(rest, actual[k:]) for k in range(len(actual) + 1))
    if not actual:
        return False
    line = actual[0]
    ok = line.startswith(head[:-2]) if head.endswith(" …") else line == head
    return ok and matches(rest, actual[1:])


@pytest.fixture(scope="module")
def setups(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One folder per setup (a ``corpus`` and an ``index`` inside), built where the setup says."""
    out = {}
    for name in ("built", "fresh", "spanish", "broken-actors", "downloads"):
        root = tmp_path_factory.mktemp(name)
        sources = sorted(SAMPLES.glob("*.txt"))
        if name == "spanish":
            sources.append(ROOT / "tests" / "pages" / "es_durazo.txt")
        corpus = make_corpus(root, sources)
        if name == "broken-actors":
            (corpus / "actors.toml").write_text('[[actor]]\nname = "Ana Ruiz"\naliases = 5\ntype = "person"\n')
        if name not in ("fresh", "broken-actors"):
            result = CliRunner().invoke(cli, ["--corpus", str(corpus), "--index", str(root / "index"), "build"])
            assert result.exit_code == 0, result.output
        if name == "downloads":
            (root / "Downloads").mkdir()
            (root / "Downloads" / "article.txt").write_text(ARTICLE, "utf-8")
        out[name] = root
    return out


EXAMPLES = list(examples())


def test_the_readme_has_examples_of_every_command() -> None:
    commands = {shlex.split(c)[1] for _s, c, _e in EXAMPLES}
    assert commands >= {"build", "add", "search", "show", "stats", "actors", "timeline", "stance", "report", "eval"}


@pytest.mark.parametrize(("setup", "command", "expected"), EXAMPLES, ids=[c for _s, c, _e in EXAMPLES])
def test_readme_example(
    setups: dict[str, Path], monkeypatch: pytest.MonkeyPatch, setup: str, command: str, expected: list[str]
) -> None:
    root = setups[setup]
    if setup == "fresh":  # every run starts unbuilt
        shutil.rmtree(root / "index", ignore_errors=True)
        shutil.rmtree(root / "corpus" / "clean", ignore_errors=True)
    if setup == "downloads":  # every run adds the article anew
        (root / "corpus" / "raw" / "article.txt").unlink(missing_ok=True)
    monkeypatch.chdir(root)
    monkeypatch.setenv("HOME", str(root))
    monkeypatch.setenv("CARTELKIT_CORPUS", "corpus")  # relative, as a user in that folder would
    monkeypatch.setenv("CARTELKIT_INDEX", "index")
    args = [
        str(ROOT / a) if a.startswith("tests/") else str(Path(a).expanduser()) if a.startswith("~") else a
        for a in shlex.split(command)
    ]
    assert args[0] == "cartelkit"
    result = CliRunner().invoke(cli, args[1:])
    actual = TIME_RE.sub("in N.Ns", result.stderr + result.stdout).splitlines()
    wanted = [TIME_RE.sub("in N.Ns", line) for line in expected]
    assert matches(wanted, actual), "\n".join(["README shows:", *wanted, "", "the command prints:", *actual])


def test_the_readme_python_example_prints_what_it_shows(
    setups: dict[str, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The first ``python`` block of the README runs on the built samples and prints the lines
    its ``# prints:`` comment shows; the next one runs when pandas is installed."""
    blocks = re.findall(r"```python\n(.*?)```", README.read_text("utf-8"), re.S)
    code, _, shown = blocks[0].partition("# prints:\n")
    monkeypatch.chdir(setups["built"])
    namespace: dict[str, object] = {}
    exec(compile(code, "README.md", "exec"), namespace)
    printed = capsys.readouterr().out.splitlines()
    assert printed == [line.removeprefix("# ") for line in shown.splitlines()]
    try:
        import pandas  # noqa: F401
    except ImportError:
        return
    exec(compile(blocks[1], "README.md", "exec"), namespace)
