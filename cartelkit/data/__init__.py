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
