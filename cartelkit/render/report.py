"""``cartelkit report``: one self-contained HTML file (inline CSS, SVG and a few lines of
script; nothing is fetched when it is opened) with the corpus summary, a timeline per
actor, a stance chart per topic and the statements with their evidence, each linked to the
cleaned text of its document inside the report."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from html import escape

from cartelkit.model import ActorTimeline, Report, StanceRow, TimelineEntry, TopicStance

WIDTH = 960  # drawing width of every chart (it scales down with the page)
SUPPORT, OPPOSE, MIXED, NEUTRAL = "#1a7f4b", "#c0392b", "#7d3c98", "#7f8c8d"
_CSS = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1d1d1f;background:#fafafa}
main{max-width:1000px;margin:0 auto;padding:24px}
h1{font-size:26px;margin:0 0 4px}h2{margin-top:36px;border-bottom:2px solid #ddd;padding-bottom:4px}
h3{margin:24px 0 6px}.meta{color:#555}.note{color:#666;font-size:13px}
svg{width:100%;height:auto;background:#fff;border:1px solid #e2e2e2;border-radius:6px}
svg text{font:12px system-ui,sans-serif;fill:#333}svg a circle:hover,svg a rect:hover{stroke:#000;stroke-width:2}
table{border-collapse:collapse;width:100%;background:#fff;font-size:14px}
th,td{border-bottom:1px solid #e6e6e6;padding:5px 8px;text-align:left;vertical-align:top}
th{background:#f0f0f0;position:sticky;top:0}td.n{text-align:right;font-variant-numeric:tabular-nums}
.support{color:#1a7f4b;font-weight:600}.oppose{color:#c0392b;font-weight:600}.neutral{color:#7f8c8d}
details{background:#fff;border:1px solid #e2e2e2;border-radius:6px;margin:6px 0;padding:6px 10px}
details:target{outline:3px solid #f1c40f}summary{cursor:pointer;font-weight:600}
.legend span{display:inline-block;margin-right:14px}
.dot{display:inline-block;width:10px;height:10px;border-radius:50%;margin-right:4px}
"""
_SCRIPT = """
function openTarget(){var id=location.hash.slice(1);try{id=decodeURIComponent(id);}catch(e){}
var el=id&&document.getElementById(id);
if(el&&el.tagName==='DETAILS'){el.open=true;el.scrollIntoView();}}
window.addEventListener('hashchange',openTarget);window.addEventListener('DOMContentLoaded',openTarget);
"""


def render_report(report: Report) -> str:
    """The report as one HTML document."""
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width, initial-scale=1'>",
        f"<title>cartelkit report — {escape(report.corpus)}</title><style>{_CSS}</style>",
        f"<script>{_SCRIPT}</script></head><body><main>",
        "<h1>cartelkit report</h1>",
        f"<p class='meta'>Corpus <b>{escape(report.corpus)}</b> · {report.documents:,} documents · "
        f"generated {escape(report.generated)}"
        + "".join(f" · {escape(k)} {escape(v)}" for k, v in report.filters.items())
        + "</p>",
        _corpus_section(report),
        "<h2 id='timelines'>Timelines</h2>",
        *(_timeline_section(t) for t in report.timelines),
        "<h2 id='stance'>Stance</h2>",
        *(_stance_section(s) for s in report.stances),
        _documents_section(report),
        "</main></body></html>",
    ]
    return "\n".join(parts) + "\n"


# --- corpus ---------------------------------------------------------------------------
def _corpus_section(report: Report) -> str:
    per_year: dict[str, int] = defaultdict(int)
    per_source: dict[str, dict[str, int]] = defaultdict(dict)
    for source, year, n in report.by_source_year:
        per_year[year] += n
        per_source[source][year] = n
    years = sorted(y for y in per_year if y != "undated")
    bars = _bars([(y, per_year[y]) for y in years], "documents")
    rows = "".join(
        f"<tr><td>{escape(src)}</td><td class='n'>{sum(ys.values()):,}</td>"
        f"<td>{escape(_span(sorted(y for y in ys if y != 'undated')))}</td></tr>"
        for src, ys in list(per_source.items())[:30]
    )
    more = len(per_source) - 30
    undated = per_year.get("undated", 0)
    return (
        "<h2 id='corpus'>Corpus</h2><h3>Documents per year of publication</h3>"
        + bars
        + (f"<p class='note'>{undated:,} documents without a publication date are not drawn.</p>" if undated else "")
        + "<h3>Sources</h3><table><tr><th>source</th><th>documents</th><th>years</th></tr>"
        + rows
        + "</table>"
        + (f"<p class='note'>and {more:,} more sources.</p>" if more > 0 else "")
    )


def _span(years: Sequence[str]) -> str:
    if not years:
        return "undated"
    return years[0] if years[0] == years[-1] else f"{years[0]}–{years[-1]}"


def _bars(values: Sequence[tuple[str, int]], what: str) -> str:
    """A bar chart of counts per label (years)."""
    if not values:
        return "<p class='note'>Nothing to draw.</p>"
    height, left, bottom = 180, 50, 30
    top = max(n for _, n in values) or 1
    slot = (WIDTH - left - 10) / len(values)
    out = [f"<svg viewBox='0 0 {WIDTH} {height}' role='img' aria-label='{what} per year'>"]
    out += _y_axis(top, left, height - bottom, 10)
    for i, (label, n) in enumerate(values):
        h = (height - bottom - 10) * n / top
        x = left + i * slot
        out.append(
            f"<rect x='{x + slot * 0.1:.1f}' y='{height - bottom - h:.1f}' width='{slot * 0.8:.1f}' height='{h:.1f}'"
            f" fill='#2e86c1'><title>{escape(label)}: {n:,} {what}</title></rect>"
        )
        out.append(_column_label(i, len(values), x + slot / 2, height - 12, label))
    out.append("</svg>")
    return "".join(out)


def _column_label(i: int, n: int, x: float, y: float, label: str, most: int = 30) -> str:
    """The label under column ``i`` of ``n``; past ``most`` columns, only every k-th is labelled."""
    if n > most and i % math.ceil(n / most):
        return ""
    return f"<text x='{x:.1f}' y='{y}' text-anchor='middle'>{escape(label)}</text>"


def _y_axis(top: int, left: float, base: float, ceiling: float) -> list[str]:
    out = [f"<line x1='{left}' y1='{ceiling}' x2='{left}' y2='{base}' stroke='#999'/>"]
    for value in sorted({0, top // 2 if top >= 4 else 0, top}):
        y = base - (base - ceiling) * value / top
        out.append(f"<text x='{left - 6}' y='{y + 4:.1f}' text-anchor='end'>{value:,}</text>")
    return out


# --- timelines --------------------------------------------------------------------------
def _year_of(date: str | None) -> float | None:
    """A date as a fractional year (2011-08 -> 2011.58; mid-month or mid-year when cut)."""
    if not date:
        return None
    parts = [int(p) for p in date.split("-")]
    if len(parts) == 1:
        return parts[0] + 0.5
    if len(parts) == 2:
        return parts[0] + (parts[1] - 0.5) / 12
    return parts[0] + (parts[1] - 1) / 12 + (parts[2] - 0.5) / 365


def _axis(lo: float, hi: float, left: float, right: float, y: float) -> tuple[list[str], float, float]:
    """Year ticks along a horizontal axis; returns the SVG and the axis's range in years."""
    lo, hi = math.floor(lo), math.floor(hi) + 1
    step = max(1, math.ceil((hi - lo) / 12))
    out = [f"<line x1='{left}' y1='{y}' x2='{right}' y2='{y}' stroke='#999'/>"]
    for year in range(lo, hi + 1, step):
        x = left + (right - left) * (year - lo) / (hi - lo)
        out.append(f"<line x1='{x:.1f}' y1='{y}' x2='{x:.1f}' y2='{y + 5}' stroke='#999'/>")
        out.append(f"<text x='{x:.1f}' y='{y + 18}' text-anchor='middle'>{year}</text>")
    return out, lo, hi


def _timeline_section(t: ActorTimeline) -> str:
    dated = [(e, _year_of(e.date)) for e in t.entries]
    points = [(e, x) for e, x in dated if x is not None]
    head = f"<h3>{escape(t.actor)}</h3>"
    shown = f"a sample of {len(t.entries):,} of {t.total:,}" if len(t.entries) < t.total else f"{t.total:,}"
    note = f"<p class='note'>{shown} entries; hover a point for its sentence, click it for the document."
    undated = len(dated) - len(points)
    note += f" {undated:,} undated entries are listed under the chart only.</p>" if undated else "</p>"
    if not points:
        return head + note + _entries_table(e for e, _ in dated)
    left, right, height = 110, WIDTH - 20, 150
    svg, lo, hi = _axis(min(x for _, x in points), max(x for _, x in points), left, right, height - 30)
    lanes = {"actor": 40.0, "target": 85.0}
    out = [f"<svg viewBox='0 0 {WIDTH} {height}' role='img' aria-label='timeline of {escape(t.actor)}'>", *svg]
    out.append("<text x='8' y='44'>did or said</text><text x='8' y='89'>done to them</text>")
    for e, x in points:
        cx = left + (right - left) * (x - lo) / (hi - lo)
        cy = lanes.get(e.role, 40.0)
        colour = "#2e86c1" if e.kind == "speech" else "#d35400"
        out.append(
            f"<a href='#doc-{escape(e.doc_id, quote=True)}'><circle cx='{cx:.1f}' cy='{cy}' r='5' fill='{colour}'"
            f" fill-opacity='0.75'><title>{escape(e.date or '')} — {escape(e.evidence)}</title></circle></a>"
        )
    out.append("</svg>")
    legend = (
        "<p class='legend note'><span><i class='dot' style='background:#2e86c1'></i>speech</span>"
        "<span><i class='dot' style='background:#d35400'></i>action</span></p>"
    )
    return head + "".join(out) + legend + note + _entries_table(e for e, x in dated if x is None)


def _entries_table(entries: Iterable[TimelineEntry]) -> str:
    rows = "".join(
        f"<tr><td>{_doc_link(e.doc_id)}</td><td>{escape(e.role)}</td><td>{escape(e.evidence)}</td></tr>"
        for e in entries
    )
    return f"<table><tr><th>document</th><th>role</th><th>sentence</th></tr>{rows}</table>" if rows else ""


def _doc_link(doc_id: str) -> str:
    return f"<a href='#doc-{escape(doc_id, quote=True)}'>{escape(doc_id)}</a>"


# --- stance ------------------------------------------------------------------------------
def _stance_section(s: TopicStance) -> str:
    head = f"<h3>{escape(s.topic.capitalize())}</h3>"
    if not s.total:
        return head + "<p class='note'>No statements.</p>"
    return (
        head
        + "<p class='legend note'>"
        + f"<span><i class='dot' style='background:{SUPPORT}'></i>support</span>"
        + f"<span><i class='dot' style='background:{OPPOSE}'></i>oppose</span>"
        + f"<span><i class='dot' style='background:{MIXED}'></i>both in one year</span></p>"
        + _diverging(s)
        + _speaker_matrix(s)
        + _rows_table(s)
    )


def _diverging(s: TopicStance) -> str:
    """Support above the axis, opposition below, per year."""
    years = [p for p in s.by_year if p.period != "undated"]
    if not years:
        return ""
    height, left = 240, 50
    mid = (height - 20) / 2
    top = max(max(p.support, p.oppose) for p in years) or 1
    slot = (WIDTH - left - 10) / len(years)
    out = [f"<svg viewBox='0 0 {WIDTH} {height}' role='img' aria-label='{escape(s.topic)} statements per year'>"]
    out.append(f"<line x1='{left}' y1='{mid}' x2='{WIDTH - 10}' y2='{mid}' stroke='#999'/>")
    out.append(f"<text x='{left - 6}' y='18' text-anchor='end'>{top:,}</text>")
    out.append(f"<text x='{left - 6}' y='{height - 26}' text-anchor='end'>{top:,}</text>")
    out.append(f"<text x='{left - 6}' y='{mid + 4}' text-anchor='end'>0</text>")
    for i, p in enumerate(years):
        x = left + i * slot
        up, down = (mid - 14) * p.support / top, (mid - 14) * p.oppose / top
        tip = f"{escape(p.period)}: {p.support:,} support, {p.oppose:,} oppose, {p.speakers:,} speakers"
        out.append(
            f"<rect x='{x + slot * 0.15:.1f}' y='{mid - up:.1f}' width='{slot * 0.7:.1f}' height='{up:.1f}'"
            f" fill='{SUPPORT}'><title>{tip}</title></rect>"
            f"<rect x='{x + slot * 0.15:.1f}' y='{mid:.1f}' width='{slot * 0.7:.1f}' height='{down:.1f}'"
            f" fill='{OPPOSE}'><title>{tip}</title></rect>"
        )
        out.append(_column_label(i, len(years), x + slot / 2, height - 6, p.period))
    out.append("</svg>")
    return "".join(out)


def _speaker_matrix(s: TopicStance) -> str:
    """One row per speaker, a dot per year: its area the number of statements, its colour the
    side taken."""
    if not s.speakers:
        return ""
    speakers = list(dict.fromkeys(name for name, *_ in s.speakers))
    years = sorted({int(y) for _, y, *_ in s.speakers})
    lo, hi = years[0], years[-1] + 1
    left, right = 200, WIDTH - 20
    row = 26
    height = 40 + row * len(speakers)
    axis, lo_f, hi_f = _axis(lo, hi - 1, left, right, height - 30)
    top = max(sup + opp for _, _, sup, opp in s.speakers) or 1
    out = [f"<svg viewBox='0 0 {WIDTH} {height}' role='img' aria-label='{escape(s.topic)} by speaker'>", *axis]
    for i, name in enumerate(speakers):
        out.append(f"<text x='{left - 8}' y='{20 + i * row + 4}' text-anchor='end'>{escape(_short(name))}</text>")
    for name, year, sup, opp in s.speakers:
        cx = left + (right - left) * (int(year) + 0.5 - lo_f) / (hi_f - lo_f)
        cy = 20 + speakers.index(name) * row
        r = 3 + 8 * math.sqrt((sup + opp) / top)
        colour = SUPPORT if not opp else OPPOSE if not sup else MIXED
        out.append(
            f"<circle cx='{cx:.1f}' cy='{cy}' r='{r:.1f}' fill='{colour}' fill-opacity='0.8'>"
            f"<title>{escape(name)}, {escape(year)}: {sup:,} support, {opp:,} oppose</title></circle>"
        )
    out.append("</svg>")
    return "".join(out)


def _short(name: str, width: int = 28) -> str:
    return name if len(name) <= width else name[: width - 1] + "…"


def _rows_table(s: TopicStance) -> str:
    shown = (
        f"A sample of {len(s.rows):,} of {s.total:,} statements, spread over the corpus"
        if len(s.rows) < s.total
        else f"All {s.total:,} statements"
    )
    rows = "".join(_stance_row(r) for r in s.rows)
    return (
        f"<p class='note'>{shown} (`cartelkit stance --topic {escape(s.topic)} --format csv` lists every one).</p>"
        "<table><tr><th>date</th><th>speaker</th><th>stance</th><th>evidence</th><th>source</th></tr>"
        + rows
        + "</table>"
    )


def _stance_row(r: StanceRow) -> str:
    return (
        f"<tr><td>{escape(r.date or '—')}</td><td>{escape(r.speaker)}</td>"
        f"<td class='{escape(r.stance)}'>{escape(r.stance)}</td><td>{escape(r.evidence)}</td>"
        f"<td>{escape(r.source or '')}<br>{_doc_link(r.doc_id)}</td></tr>"
    )


# --- documents -----------------------------------------------------------------------------
def _documents_section(report: Report) -> str:
    out = [f"<h2 id='documents'>Documents cited ({len(report.cited):,})</h2>"]
    for d in report.cited:
        paragraphs = "".join(f"<p>{escape(p)}</p>" for p in d.body.split("\n\n") if p.strip())
        meta = " · ".join(escape(x) for x in (d.source, d.published, d.doc_id) if x)
        out.append(
            f"<details id='doc-{escape(d.doc_id, quote=True)}'><summary>{escape(d.title or d.doc_id)}"
            f" <span class='note'>{meta}</span></summary>{paragraphs}</details>"
        )
    return "".join(out)
