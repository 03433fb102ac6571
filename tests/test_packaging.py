"""Packaging and repository hygiene a new contributor relies on."""

from __future__ import annotations

import tomllib

from tests.conftest import ROOT


def test_local_environments_are_not_committed() -> None:
    ignored = (ROOT / ".gitignore").read_text("utf-8").split()
    assert ".venv/" in ignored and ".ci-venv/" in ignored


def test_dev_tools_are_pinned_and_runtime_dependencies_have_lower_bounds() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    pins = dict(
        line.split("==")
        for line in (ROOT / "constraints-dev.txt").read_text("utf-8").splitlines()
        if line and not line.startswith("#")
    )
    for tool in ("ruff", "mypy", "pytest", "hypothesis"):
        assert tool in pins, tool
    for dep in project["project"]["dependencies"]:
        assert ">=" in dep or "==" in dep, dep
    assert "constraints-dev.txt" in (ROOT / ".ci" / "run").read_text("utf-8")
    assert "-c constraints-dev.txt" in (ROOT / "README.md").read_text("utf-8")
