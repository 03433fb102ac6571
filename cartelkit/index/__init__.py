"""Stage 3, index: a generation is two stores behind one typed protocol
(:mod:`cartelkit.index.protocol`): the words in Whoosh (:mod:`cartelkit.index.whoosh_index`,
the only module that imports whoosh) and the facts in SQLite (:mod:`cartelkit.index.facts`,
the only one that imports sqlite3). :mod:`cartelkit.index.store` keeps the manifest (the
commit point of both), generations and the build lock; :mod:`cartelkit.index.trust` the seal
that proves an index is this user's. Importing the
package puts a lazy stand-in for one slow-to-import Whoosh module in place (below).
"""

from __future__ import annotations

import sys
import types
from pathlib import Path
from typing import Any


def _lazy_morph_en() -> None:
    """``whoosh.query.terms`` imports ``whoosh.lang.morph_en`` for the Variations query, which
    cartelkit never builds; compiling that module's regular expressions is a fifth of a
    query's start-up. A stand-in loads the real module only if ``variations`` is ever called."""
    name = "whoosh.lang.morph_en"
    if name in sys.modules:
        return
    stub = types.ModuleType(name)

    def variations(word: str) -> Any:
        import importlib.util

        spec = importlib.util.find_spec("whoosh.lang")
        assert spec is not None and spec.submodule_search_locations
        path = Path(next(iter(spec.submodule_search_locations))) / "morph_en.py"
        real_spec = importlib.util.spec_from_file_location("whoosh.lang._morph_en", path)
        assert real_spec is not None and real_spec.loader is not None
        real = importlib.util.module_from_spec(real_spec)
        real_spec.loader.exec_module(real)
        stub.variations = real.variations  # type: ignore[attr-defined]
        return real.variations(word)

    stub.variations = variations  # type: ignore[attr-defined]
    sys.modules[name] = stub


_lazy_morph_en()
