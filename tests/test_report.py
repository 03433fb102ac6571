"""``cartelkit report``: one self-contained HTML file, drawn by a real browser (headless
Chromium, Debian's ``chromium`` package; the browser tests are skipped, saying why, on a
machine without it — CI installs it)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from cartelkit.query.report import even_sample
from tests.conftest import Run

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
BROWSER = next((found for name in BROWSERS if (found := shutil.which(name))), None)
needs_browser = pytest.mark.skipif(BROWSER is None, reason="no Chromium on this machine (apt install chromium)")


def headless(page: Path, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Chromium without network chatter or a sandbox (CI runs as root), on a fresh profile."""
    assert BROWSER is not None
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={profile}",
        "--enable-logging=stderr",
        "--v=0",
    ]
    return subprocess.run(
        [BROWSER, *flags, *args, page.as_uri()], capture_output=True, text=True, timeout=120, check=False
    )


def test_the_report_is_one_file_that_fetches_nothing(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    result = run("report", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert f"wrote {out}" in result.stderr
    html = out.read_text("utf-8")
    assert not re.search(r"""(?:src|href)\s*=\s*['"]?(?:https?:)?//""", html)  # no network at view time
    assert not re.search(r"<(?:link|img|iframe|script)[^>]+src=", html)
    assert "<h3>Vicente Fox</h3>" in html and "aria-label='timeline of Vicente Fox'" in html
    assert "In August the former head of state called for" in html  # evidence, in the table and the tooltips
    doc = "004_8d0e20a436d8e110"
    assert f"href='#doc-{doc}'" in html and f"<details id='doc-{doc}'>" in html  # each row links to its text


def test_the_report_follows_its_filters(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    result = run("report", "--out", str(out), "--actor", "El Chapo", "--topic", "negotiation", "--from", "2012")
    assert result.exit_code == 0, result.output
    html = out.read_text("utf-8")
    assert "<h3>Joaquín Guzmán</h3>" in html and "<h3>Vicente Fox</h3>" not in html
    assert "<h3>Negotiation</h3>" in html and "<h3>Confrontation</h3>" not in html
    assert "2011-06-21" not in html.split("<h2 id='documents'>")[0]  # rows before --from are left out
    bad = run("report", "--out", str(out), "--actor", "Nobody Atall")
    assert bad.exit_code == 1 and "unknown actor" in bad.stderr


def test_an_even_sample_keeps_the_ends_and_the_order() -> None:
    assert even_sample(list(range(10)), 4) == (0, 3, 6, 9)
    assert even_sample([1, 2], 5) == (1, 2)


def test_big_timelines_and_tables_are_sampled_not_cut(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import cartelkit.query.report as report

    monkeypatch.setattr(report, "MAX_ENTRIES", 2)
    monkeypatch.setattr(report, "MAX_ROWS", 2)
    out = tmp_path / "r.html"
    assert run("report", "--out", str(out), "--actor", "Calderón").exit_code == 0
    html = out.read_text("utf-8")
    assert re.search(r"a sample of 2 of \d+ entries", html)
    assert re.search(r"A sample of [12] of \d+ statements", html)


@needs_browser
def test_a_browser_draws_the_report(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    assert run("report", "--out", str(out)).exit_code == 0
    drawn = headless(out, tmp_path / "profile", "--dump-dom")
    assert drawn.returncode == 0, drawn.stderr[-2000:]
    dom = drawn.stdout
    consoles = [line for line in drawn.stderr.splitlines() if ":CONSOLE" in line]
    assert not consoles, consoles  # no script error, nothing logged
    assert dom.count("<svg") >= 1 + 3 + 2 * 2  # documents per year, three timelines, two charts per topic
    fox = dom.split('aria-label="timeline of Vicente Fox"')[1].split("</svg>")[0]
    assert fox.count("<circle") >= 3  # his call for a truce, the BBC interview, the Milenio interview
    negotiation = dom.split('aria-label="negotiation statements per year"')[1].split("</svg>")[0]
    assert negotiation.count("<rect") >= 2
    shot = tmp_path / "report.png"
    pictured = headless(out, tmp_path / "profile2", "--window-size=1100,1600", f"--screenshot={shot}")
    assert pictured.returncode == 0 and shot.stat().st_size > 10_000


def test_an_actor_with_undated_entries_only_still_lists_them() -> None:
    from cartelkit.model import ActorTimeline, TimelineEntry
    from cartelkit.render.report import _timeline_section

    entry = TimelineEntry("X", None, None, None, "d1", None, None, None, "X said something.", (0, 17))
    html = _timeline_section(ActorTimeline("X", (entry,), 1))
    assert "X said something." in html and "href='#doc-d1'" in html
