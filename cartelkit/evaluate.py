"""``cartelkit eval``: score the pipeline against hand-written gold (format in DESIGN.md).

Tasks: metadata (exact title/date/author/source), body (gold body lines kept = recall,
gold boilerplate lines removed = precision), actors, events (+ date accuracy at the
gold's precision) and statements (speaker, topic and stance agree, evidence overlaps).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cartelkit.annotate import annotate_document
from cartelkit.clean import clean_document, parse_sidecar
from cartelkit.clean.decode import to_text
from cartelkit.clean.recurrence import FileFacts, LineIndex, line_keys
from cartelkit.corpus import SIDECAR_SUFFIX
from cartelkit.errors import CartelkitError, GoldError, UsageError
from cartelkit.model import Document
from cartelkit.textutil import fold

META_FIELDS = ("title", "date", "author", "source")


@dataclass(frozen=True)
class TaskScore:
    task: str
    precision: float | None
    recall: float | None
    f1: float | None
    gold: int
    predicted: int
    matched: int


@dataclass
class EvalReport:
    tasks: list[TaskScore]
    misses: list[dict[str, Any]] = field(default_factory=list)
    documents: int = 0

    def task(self, name: str) -> TaskScore | None:
        return next((t for t in self.tasks if t.task == name), None)


def _f1(p: float | None, r: float | None) -> float | None:
    if p is None or r is None:
        return None
    return 0.0 if p + r == 0 else round(2 * p * r / (p + r), 4)


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 4) if b else None


def _words(text: str) -> set[str]:
    return {w for w in fold(text).replace('"', " ").replace("'", " ").split() if len(w) > 2}


def overlaps(gold: str, predicted: str) -> bool:
    """Evidence match: containment either way, or most of the gold's words in the prediction."""
    g, p = fold(gold), fold(predicted)
    if not g or not p:
        return False
    if g in p or p in g:
        return True
    gw, pw = _words(gold), _words(predicted)
    return bool(gw) and len(gw & pw) / len(gw) >= 0.6


def _ws(text: str) -> str:
    return " ".join(text.split())


def _in_body(line: str, paragraphs: set[str], body: str, sentence: bool = False) -> bool:
    """A gold line is in the body when it is a paragraph, or a long enough piece of one
    (a short line such as "Security" would be found inside any text). A gold *sentence*
    (``body_first_sentence``/``body_last_sentence``) is in the body when a paragraph holds
    it: the line holding it is the body's edge."""
    line = _ws(line)
    if sentence and any(line in p for p in paragraphs):
        return True
    return line in paragraphs or (len(line) >= 60 and line in body)


def _date_ok(gold: str | None, pred: str | None) -> bool:
    if gold is None:
        return pred is None
    return pred is not None and pred[: len(gold)] == gold


def load_gold(path: Path) -> dict[str, dict[str, Any]]:
    try:
        data = json.loads(path.read_text("utf-8"))
    except FileNotFoundError as exc:
        raise GoldError(f"no gold file at {path}", "pass the path of a gold JSON file") from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise GoldError(f"{path}: not a readable JSON file ({exc})", "fix the gold file") from exc
    if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
        raise GoldError(f"{path}: must be an object keyed by raw file name", "see the gold format in the README")
    return data


def evaluate(gold_path: Path, raw_dir: Path, actors_file: Path | None = None) -> EvalReport:
    """Clean and annotate each gold file from ``raw_dir`` and score it against the gold."""
    gold = load_gold(gold_path)
    if not raw_dir.is_dir():
        raise GoldError(f"no folder {raw_dir} with the gold's raw files", "pass --raw DIR")
    texts: dict[str, bytes] = {}
    lines = LineIndex()
    for p in sorted(raw_dir.iterdir()):
        if not p.is_file() or p.name.endswith(SIDECAR_SUFFIX) or p.name.startswith("."):
            continue
        data = p.read_bytes()
        try:
            text, _ = to_text(data, p.name)
        except CartelkitError:
            continue
        lines.put(p.name, FileFacts(len(data), 0, "", line_keys(text)))
        texts[p.name] = data
    docs: dict[str, Document] = {}
    for name in gold:
        if name not in texts:
            raise GoldError(f"gold names {name!r}, which is not in {raw_dir}", "pass --raw DIR holding the files")
        side_path = raw_dir / (name.rsplit(".", 1)[0] + SIDECAR_SUFFIX)
        side = parse_sidecar(side_path.read_bytes(), side_path.name) if side_path.is_file() else None
        doc = clean_document(texts[name], name, lines.recurring(name), side)
        docs[name] = annotate_document(doc, actors_file)
    return score(gold, docs)


def _canon(name: str, aliases: dict[str, str]) -> str:
    """An actor name as compared: the gazetteer's canonical name of it, else the name
    without a trailing acronym ("Colectivo … (CHJP)" is "Colectivo …")."""
    f = fold(name)
    if f in aliases:
        return aliases[f]
    bare = re.sub(r"\s*\([^()]*\)$", "", f)
    return aliases.get(bare, bare)


def score(gold: dict[str, dict[str, Any]], docs: dict[str, Document]) -> EvalReport:
    from cartelkit.annotate.gazetteer import load_gazetteer

    alias: dict[str, str] = {}
    for a in load_gazetteer().actors:
        for n in (a.name, *a.aliases):
            alias.setdefault(fold(n), fold(a.name))
    misses: list[dict[str, Any]] = []
    meta_ok = meta_n = 0
    by_field: dict[str, list[int]] = {}  # field -> [right, scored]
    body_kept = body_n = boiler_gone = boiler_n = 0
    act = [0, 0, 0]  # gold, predicted, matched
    ev = [0, 0, 0]
    ev_dates_ok = 0
    st = [0, 0, 0]
    for name, g in gold.items():
        doc = docs[name]
        for f in META_FIELDS:
            if f not in g:
                continue
            got = doc.published if f == "date" else getattr(doc, f)
            meta_n += 1
            tally = by_field.setdefault(f, [0, 0])
            tally[1] += 1
            if got == g[f]:
                meta_ok += 1
                tally[0] += 1
            else:
                misses.append({"file": name, "task": "metadata", "field": f, "gold": g[f], "got": got})
        paragraphs = {_ws(p) for p in doc.body.split("\n\n")}
        body = _ws(doc.body)
        body_lines = g.get("body_lines") or [
            x for x in (g.get("body_first_sentence"), g.get("body_last_sentence")) if x
        ]
        for line in body_lines:
            body_n += 1
            if _in_body(line, paragraphs, body, sentence=not g.get("body_lines")):
                body_kept += 1
            else:
                misses.append({"file": name, "task": "body", "gold": line, "got": "missing from body"})
        for line in g.get("boilerplate_lines", []):
            boiler_n += 1
            if not _in_body(line, paragraphs, body):
                boiler_gone += 1
            else:
                misses.append({"file": name, "task": "boilerplate", "gold": line, "got": "left in body"})
        if "actors" in g:
            gold_names = {_canon(a["name"], alias) for a in g["actors"]}
            pred_names = {_canon(a.name, alias) for a in doc.actors}
            act[0] += len(gold_names)
            act[1] += len(pred_names)
            act[2] += len(gold_names & pred_names)
            misses += [
                {"file": name, "task": "actors", "gold": n, "got": None} for n in sorted(gold_names - pred_names)
            ]
        if "events" in g:
            used: set[int] = set()
            # the gold lists an event under the one who acts, or, in a sentence without a named doer
            # ("Zambada fue detenido"), under the one it happened to
            doers = {e.span for e in doc.events if e.role == "actor"}
            acts = [e for e in doc.events if e.role == "actor" or e.span not in doers]
            ev[0] += len(g["events"])
            ev[1] += len(acts)
            for ge in g["events"]:
                hit = next(
                    (
                        i
                        for i, e in enumerate(acts)
                        if i not in used
                        and _canon(e.actor, alias) == _canon(ge["actor"], alias)
                        and overlaps(ge["evidence"], e.evidence)
                    ),
                    None,
                )
                if hit is None:
                    misses.append(
                        {"file": name, "task": "events", "gold": f"{ge['actor']}: {ge['evidence'][:80]}", "got": None}
                    )
                    continue
                used.add(hit)
                ev[2] += 1
                if _date_ok(ge.get("date"), acts[hit].date):
                    ev_dates_ok += 1
                else:
                    misses.append(
                        {
                            "file": name,
                            "task": "event_dates",
                            "gold": f"{ge['actor']} {ge.get('date')}",
                            "got": acts[hit].date,
                        }
                    )
        if "statements" in g:
            used = set()
            st[0] += len(g["statements"])
            preds = [s for s in doc.statements if s.stance != "neutral"]
            st[1] += len(preds)
            for gs in g["statements"]:
                hit = next(
                    (
                        i
                        for i, s in enumerate(preds)
                        if i not in used
                        and _canon(s.speaker, alias) == _canon(gs["speaker"], alias)
                        and s.topic == gs["topic"]
                        and s.stance == gs["stance"]
                        and overlaps(gs["evidence"], s.evidence)
                    ),
                    None,
                )
                if hit is None:
                    misses.append(
                        {
                            "file": name,
                            "task": "statements",
                            "gold": f"{gs['speaker']} {gs['stance']} {gs['topic']}: {gs['evidence'][:80]}",
                            "got": None,
                        }
                    )
                else:
                    used.add(hit)
                    st[2] += 1
            for i, s in enumerate(preds):
                if i not in used:
                    misses.append(
                        {
                            "file": name,
                            "task": "statements",
                            "gold": None,
                            "got": f"{s.speaker} {s.stance} {s.topic}: {s.evidence[:80]}",
                        }
                    )
    tasks = [
        TaskScore(
            "metadata",
            _ratio(meta_ok, meta_n),
            _ratio(meta_ok, meta_n),
            _ratio(meta_ok, meta_n),
            meta_n,
            meta_n,
            meta_ok,
        )
    ]
    for name_, (right, scored) in by_field.items():  # "metadata.title": each field's accuracy
        acc = _ratio(right, scored)
        label = f"metadata.{'published' if name_ == 'date' else name_}"
        tasks.append(TaskScore(label, acc, acc, acc, scored, scored, right))
    p, r = _ratio(boiler_gone, boiler_n), _ratio(body_kept, body_n)
    tasks.append(TaskScore("body", p, r, _f1(p, r), body_n + boiler_n, body_n + boiler_n, body_kept + boiler_gone))
    for label, (n_gold, n_pred, n_match) in (("actors", act), ("events", ev), ("statements", st)):
        if n_gold or n_pred:
            p, r = _ratio(n_match, n_pred), _ratio(n_match, n_gold)
            tasks.append(TaskScore(label, p, r, _f1(p, r), n_gold, n_pred, n_match))
    if ev[2]:
        acc = _ratio(ev_dates_ok, ev[2])
        tasks.append(TaskScore("event_dates", acc, acc, acc, ev[2], ev[2], ev_dates_ok))
    return EvalReport(tasks, misses, len(gold))


TASKS = (
    "metadata",
    "metadata.title",
    "metadata.published",
    "metadata.author",
    "metadata.source",
    "body",
    "actors",
    "events",
    "statements",
    "event_dates",
)


def parse_floors(floors: tuple[str, ...] | list[str]) -> dict[str, float]:
    """``--floor TASK=F1`` values, checked before any work (a usage error names the bad one)."""
    wanted: dict[str, float] = {}
    for spec in floors:
        task, sep, value = spec.partition("=")
        try:
            wanted[task.strip()] = float(value)
        except ValueError:
            sep = ""
        if not sep or not 0 <= wanted.get(task.strip(), -1) <= 1:
            raise UsageError(f"bad --floor {spec!r}", "write TASK=F1, e.g. --floor statements=0.6")
    unknown = set(wanted) - set(TASKS)
    if unknown:
        raise UsageError(f"no task named {', '.join(sorted(unknown))}", "tasks: " + ", ".join(TASKS))
    return wanted


def check_floors(report: EvalReport, min_f1: float | None, floors: tuple[str, ...] | list[str]) -> None:
    """Raise :class:`GoldError` naming every task whose F1 is under its floor."""
    wanted = parse_floors(floors)
    failures = []
    for t in report.tasks:
        floor = wanted.get(t.task, min_f1)
        if floor is not None and t.f1 is not None and t.f1 < floor:
            failures.append(f"{t.task} F1 {t.f1:.3f} < {floor:.3f}")
    if failures:
        raise GoldError("below the floor: " + "; ".join(failures), "see `cartelkit eval GOLD --misses`")
