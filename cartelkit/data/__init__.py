"""Packaged data files (lexicons, gazetteer, cleaning cues) and their loaders."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any


@cache
def load_toml(name: str) -> dict[str, Any]:
    """Load a packaged TOML data file by name (cached for the process)."""
    with resources.files(__package__).joinpath(name).open("rb") as fh:
        return tomllib.load(fh)


@cache
def given_names() -> frozenset[str]:
    """Common given names of the region (``given_names.txt``), lower-cased and accent-free,
    for telling a person's name from other capitalised words."""
    from cartelkit.textutil import fold

    text = resources.files(__package__).joinpath("given_names.txt").read_text("utf-8")
    return frozenset(fold(line) for line in text.splitlines() if line.strip() and not line.startswith("#"))
