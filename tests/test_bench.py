"""The benchmark runs end to end on a tiny corpus and records a positive number for every measure.

Nothing here is timed: the benchmark measures, the author quotes targets.
"""

from __future__ import annotations

import json
from pathlib import Path

from cartelkit.bench import generate_corpus, main

MEASURES = (
    "build_docs_per_s",
    "build_wall_s",
    "build_peak_rss_mib",
    "reindex_wall_s",
    "add_10_wall_s",
    "add_1_wall_s",
    "search_p50_ms",
    "search_p95_ms",
    "search_cold_ms",
    "timeline_p50_ms",
    "stance_p50_ms",
    "cli_help_ms",
    "cli_search_json_ms",
    "index_bytes",
    "corpus_raw_bytes",
    "corpus_clean_bytes",
)


def test_bench_small_run_writes_positive_numbers(tmp_path: Path) -> None:
    out, json_out = tmp_path / "bench-out", tmp_path / "results" / "bench.json"
    main(["--n", "20", "--repeat", "1", "--out", str(out), "--json-out", str(json_out)])

    data = json.loads(json_out.read_text("utf-8"))
    assert data["params"]["n"] == 20 and data["params"]["seed"] == 0
    assert data["machine"]["cpu_count"] and data["machine"]["python"]
    assert data["started"] and data["finished"]
    assert len(list((out / "corpus" / "raw").glob("0000*_*.txt"))) == 20 + 10 + 1  # the corpus and the added files
    for key in MEASURES:
        assert data["summary"][key] > 0, key
    assert data["build"]["report"]["processed"] == 20 and not data["build"]["report"]["failed"]
    for kind in ("term", "phrase", "boolean", "date", "actor"):
        assert data["search"]["by_type"][kind]["p50_ms"] > 0, kind
        assert data["search"]["by_type"][kind]["p95_ms"] > 0, kind
    assert any(q["hits"] and q["highlights"] for q in data["search"]["queries"])
    assert data["timeline"]["p95_ms"] > 0 and data["stance"]["p95_ms"] > 0
    assert data["cli"]["search_json_hits"] > 0
    assert data["query_messages"] == []  # the in-process queries did not have to build


def test_generated_corpus_is_deterministic(tmp_path: Path) -> None:
    a = generate_corpus(tmp_path / "a", 5, seed=7)
    b = generate_corpus(tmp_path / "b", 5, seed=7)
    assert [p.name for p in a] == [p.name for p in b]
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]
    assert a[0].name.startswith("000000_") and len(a[0].stem) == len("000000_") + 16
    words = len(a[0].read_text("utf-8").split())
    assert 400 <= words <= 1400  # 400-900 words of body plus the page's chrome
