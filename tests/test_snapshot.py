"""A change made for speed alone changes no prediction: the pipeline's output on the
development set (metadata, body, actors, statements, events) equals the snapshot in
``tests/snapshots/devset.json``.

A change that is meant to alter what cartelkit finds (a new rule, a lexicon entry) updates
the snapshot in the same commit, and says so in its message:

    CARTELKIT_SNAPSHOT=update pytest tests/test_snapshot.py
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import asdict
from pathlib import Path
from typing import Any

import cartelkit
from tests.conftest import ROOT

DEVSET = ROOT / "tests" / "devset"
SNAPSHOT = ROOT / "tests" / "snapshots" / "devset.json"


def predictions(tmp_path: Path) -> dict[str, Any]:
    raw = tmp_path / "corpus" / "raw"
    raw.mkdir(parents=True)
    for page in sorted(DEVSET.glob("*.txt")):
        shutil.copyfile(page, raw / page.name)
    ws = cartelkit.open(tmp_path / "corpus", tmp_path / "index")
    ws.build()
    out: dict[str, Any] = {}
    for page in sorted(raw.glob("*.txt")):
        doc = ws.document(page.stem)
        assert doc.to_dict() == asdict(doc)  # the fast copy the clean cache is written from
        out[page.stem] = {
            "meta": [doc.title, doc.published, doc.author, doc.source, doc.language],
            "body_sha256": hashlib.sha256(doc.body.encode()).hexdigest(),
            "actors": sorted([a.name, a.type, a.count] for a in doc.actors),
            "statements": [[s.speaker, s.topic, s.stance, s.date, s.mode, *s.span, *s.cues] for s in doc.statements],
            "events": [[e.actor, e.date, e.date_source, e.kind, e.role, *e.span] for e in doc.events],
        }
    return out


def test_the_pipeline_predicts_what_the_snapshot_holds(tmp_path: Path) -> None:
    got = predictions(tmp_path)
    if os.environ.get("CARTELKIT_SNAPSHOT") == "update":
        SNAPSHOT.parent.mkdir(exist_ok=True)
        SNAPSHOT.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", "utf-8")
    want = json.loads(SNAPSHOT.read_text("utf-8"))
    assert sorted(got) == sorted(want)
    for page in sorted(want):
        for part in want[page]:
            assert got[page][part] == want[page][part], (
                f"{page}: {part} differ from tests/snapshots/devset.json; a change meant to alter "
                "predictions updates it (CARTELKIT_SNAPSHOT=update pytest tests/test_snapshot.py)"
            )
