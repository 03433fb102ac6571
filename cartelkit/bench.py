"""A re-runnable benchmark of cartelkit on a synthetic corpus: ``python -m cartelkit.bench``.

Usage::

    python -m cartelkit.bench                      # N=20000 articles into ./bench-out
    python -m cartelkit.bench --n 500 --repeat 3   # a quick run (well under two minutes on 2 cores)
    python -m cartelkit.bench --n 2000 --out /tmp/bench --json-out results.json --build-repeat 3
    python -m cartelkit.bench --help                 # --seed, --workers (passed to `build`), ...

The generator alone, from Python (writes ``NNNNNN_<hash>.txt`` files into the folder)::

    from cartelkit.bench import generate_corpus
    paths = generate_corpus(Path("corpus/raw"), n=100, seed=0)

What it does:

1. Generates a deterministic corpus of N scraped-looking articles into ``<out>/corpus/raw/``
   (``NNNNNN_<hash>.txt``): four kinds of site chrome (an InSight-Crime-like brief with a
   "MEXICO / 21 JUN 2011 BY NAME EN" kicker, "Related Content" and DONATE; a WordPress blog
   with "Posted on ... by ...", archive months and "© 2024 Site"; a news agency page with
   "Published: 5 Dec 2017 14:32 GMT", a cookie banner and a "Tags:" line; a minimal "By X"
   page), a headline, and 400-900 words in 6-12 paragraphs built from sentence templates
   filled with actors of the packaged gazetteer, time expressions, direct quotes, reported
   speech, negotiation and confrontation language and negation. Publication dates span
   2000-2025. Article ``i`` depends only on ``(seed, i)``, so a corpus of N is the prefix of
   any larger one. No network, no external data.
2. Measures, with the real CLI as a subprocess: a full ``build`` from scratch (wall time,
   docs/s, peak RSS of the process and its workers; each ``--build-repeat`` deletes the clean
   cache and the index first, since ``build --rebuild`` alone reuses the cache), a re-index with a warm clean cache
   (``build --rebuild``), ``add`` of 10 and of 1 new article(s), ``cartelkit --help`` and one
   ``cartelkit search truce --format json`` process. In-process (``cartelkit.query``):
   ``Workspace.search`` over a fixed query set (terms, phrases, boolean, date and actor
   filters), ``timeline(ws, "Fox")`` and ``stance(ws, "negotiation")`` — p50/p95 in ms.
   Also the sizes of the index and of the corpus on disk.
3. Prints a table and writes every number, with machine info, N, seed and timestamps, as
   JSON to ``--json-out`` (default ``<out>/bench.json``). The benchmark only measures; it
   asserts no targets.

The work folder is recreated on every run (its ``corpus/``, ``index/`` and ``extra/``);
a non-empty folder that the benchmark did not create is refused. Peak RSS comes from
``os.wait4`` on the child (Linux: KiB; the maximum over the process and the children it
reaped, i.e. its worker processes); elsewhere from ``resource.getrusage(RUSAGE_CHILDREN)``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cartelkit.annotate.gazetteer import GazActor

MARKER = ".cartelkit-bench"
HELP_RUNS = 5
ADD_SIZES = (10, 1)
TIMELINE_ACTOR = "Fox"
STANCE_TOPIC = "negotiation"
FACTS_ACTOR = "Vicente Fox"  # the actor of the facts-store measures (issue 12's targets)

# --------------------------------------------------------------------------------------
# corpus generator
# --------------------------------------------------------------------------------------

MONTHS = ("January February March April May June July August September October November December").split()
MON_ABBR = [m[:3] for m in MONTHS]
WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
FIRST_NAMES = (
    "Martha Laura Tomás Daniela Rodrigo Geoffrey Ana Luis Sofía James Elena Carlos Marisol Patrick Lucía "
    "Andrés Beatriz Jorge Natalia Steven Gabriela Miguel Parker Valeria Héctor Ruth Samuel Isabel Diego Claire"
).split()
LAST_NAMES = (
    "Maguire Benítez Aguirre Ferrera Salcedo Ramsey Ortega Villalobos Hughes Quintanilla Estrada Dalby "
    "Cawley Mendoza Ibarra Robbins Asmann Fuentes Lara Whitfield Carranza Zúñiga Pardo Nolan Bargent Serrano"
).split()
PLACES = (
    "Mexico City",
    "Culiacán",
    "Tijuana",
    "Ciudad Juárez",
    "Acapulco",
    "Monterrey",
    "Morelia",
    "Apatzingán",
    "Guadalajara",
    "San Salvador",
    "San Pedro Sula",
    "Tegucigalpa",
    "Guatemala City",
    "Bogotá",
    "Medellín",
    "Cali",
    "Guayaquil",
    "Michoacán",
    "Sinaloa",
    "Tamaulipas",
    "Guerrero",
    "Jalisco",
)
DATELINES = ("MEXICO CITY", "SAN SALVADOR", "TEGUCIGALPA", "BOGOTÁ", "GUATEMALA CITY", "CULIACÁN", "TIJUANA")
KICKERS = (
    "MEXICO",
    "EL SALVADOR",
    "HONDURAS",
    "GUATEMALA",
    "COLOMBIA",
    "ECUADOR",
    "HOMICIDES",
    "EXTORTION",
    "CONTRABAND",
    "GANGS",
    "PRISONS",
    "SECURITY POLICY",
)
NEG_NOUNS = ("truce", "amnesty", "talks", "pact", "dialogue", "negotiations", "ceasefire", "peace process")
NEG_PHRASES = ("a truce", "an amnesty", "talks", "a pact", "dialogue", "negotiations", "a ceasefire", "a peace process")
CON_NOUNS = (
    "troops",
    "crackdown",
    "offensive",
    "military operation",
    "iron-fist policy",
    "state of exception",
    "mass arrests",
)
NEG_QUOTES = (
    "We will not negotiate with criminals, not now and not ever",
    "A truce is the only way to stop the killing in our neighborhoods",
    "Dialogue is not surrender; it is how wars end",
    "There will be no amnesty for those who have blood on their hands",
    "We are ready to sit down and talk if the violence stops",
    "Hugs, not bullets — that is our policy",
    "Any pact with the gangs would be a betrayal of the victims",
    "We must gather the violent groups to a truce and evaluate the advantages of an amnesty law",
)
CON_QUOTES = (
    "The troops will stay as long as it takes",
    "The capture of one criminal cannot be worth more than people's lives",
    "You cannot fight fire with fire",
    "This state of exception allows us to carry out arrests around the clock",
    "We will extradite every leader we capture",
    "The offensive has broken the back of the cartel in this region",
    "Militarizing public security has only multiplied the violence",
)
NARRATIVE = (
    "Homicides in {PL} fell by {PCT} percent {T}, according to official figures.",
    "{G} has fought rival groups for control of smuggling routes through {PL} since {Y}.",
    "{T}, gunmen linked to {G} attacked a police patrol in {PL}, killing {NUM} officers.",
    "Analysts said the {NEG} had done little to reduce extortion of bus drivers and shopkeepers.",
    "{TL}, {GOV} reported {BIG} arrests in {PL}.",
    "Critics say the policy has done little to reduce violence and much to fill the prisons.",
    "{GOV} did not respond to a request for comment.",
    "The number of disappeared people in {PL} has risen every year since {Y}.",
    "Residents of {PL} said extortion payments had become a fixed cost of doing business.",
    "{T}, {G} blocked roads and set vehicles on fire across {PL} after the arrest of one of its leaders.",
    "Prison transfers of senior members of {G} were reported {T}.",
    "According to police statistics, the daily number of murders in {PL} has hovered around {NUM} since {Y}.",
    "{TL}, the violence reached the state capital.",
    "The talks were mediated by the Catholic Church and a representative of the Organization of American States.",
    "Human rights organizations warned that the measures could open the door to arbitrary detentions.",
    "Several thousand soldiers, marines and federal police were deployed to the highways of {PL} {T}.",
    "{G} controls much of the trade in fentanyl precursors that arrive at the port of {PL}.",
    "Bodies were found in a clandestine grave outside {PL} {T}.",
    "The government's figures could not be independently verified.",
    "Polls suggest that most residents of {PL} approve of the measures.",
)
REPORTED_NEG = (
    "{T}, {P} called for {GOV} to seek {NEGA} with {G}.",
    "{P} argued that {NEGA} with {G} would only let the group grow stronger.",
    "{P} rejected any {NEG} with {G} {T}.",
    "{P} ruled out {NEGA} with {G}, saying the state would not bargain with criminals.",
    "{P} urged lawmakers to approve the amnesty law {T}.",
    "{P} did not rule out {NEGA} with {G} if the killings stopped.",
    "{P} said the government will not negotiate with {G}.",
    "{P} proposed an amnesty for low-level members of {G} {T}.",
    "{GOV} denied that it had held talks with {G}.",
    "{P} called the {NEG} a mistake that rewarded the gangs.",
    "{P} expressed support for a negotiated solution to the conflict with {G}.",
    "{P} said it would be wrong to negotiate with {G}.",
    "{T}, {P} defended the {NEG} with {G}, arguing that it had saved thousands of lives.",
    "{P} denied rumors that the government had made a pact with {G}.",
)
REPORTED_CON = (
    "{T}, {P} ordered troops into {PL} in a crackdown on {G}.",
    "{P} defended the offensive against {G}, arguing that the state had to recover territory by force.",
    "{GOV} announced the capture of a senior leader of {G} {T}.",
    "{P} called for the extradition of the leaders of {G} to the United States.",
    "{P} criticized the state of exception, saying it had led to arbitrary detentions.",
    "Lawmakers extended the state of exception {T} at the request of {P}.",
    "{P} rejected calls for a crackdown, arguing that troops could not solve the problem alone.",
    "{P} urged {GOV} to step up the {CON} against {G}.",
    "{P} said the {CON} would continue for as long as it takes.",
    "{P} did not rule out sending more troops to {PL}.",
    "{T}, {P} announced an offensive against {G} in {PL}.",
)
QUOTES = (
    "“{QN},” {P} said {T}.",
    "“{QC},” {P} told reporters in {PL}.",
    "{P} said: “{QN}.”",
    "“{QC},” {P} said at a news conference.",
    "In an interview, {P} said: “{QC}.”",
    "According to {P}, “{QN}.”",
)
SUBHEADS = (
    "A fragile truce",
    "The numbers",
    "How it started",
    "The logic of the offensive",
    "Talks behind closed doors",
    "What comes next",
    "Critics and supporters",
    "Two years later",
)
HEADLINES = (
    "{S} Rules Out Talks With {GB}",
    "{S} Calls for Truce With {GB}",
    "{C} Extends State of Exception as Arrests Pass {BIG}",
    "Amnesty Law Divides {C} Lawmakers",
    "{S} Announces Offensive Against {GB} in {PL}",
    "Is a Pact With {GB} Possible?",
    "{S} Denies Secret Negotiations With {GB}",
    "Troops Deployed to {PL} After Attack by {GB}",
    "Gang Truce Holds in {C} as Killings Fall",
    "{S} Defends Crackdown on {GB}",
)
COUNTRIES = ("Mexico", "El Salvador", "Honduras", "Guatemala", "Colombia", "Ecuador")


@dataclass(frozen=True)
class _Names:
    persons: tuple[tuple[str, str], ...]  # (full name, surname used alone)
    speakers: tuple[tuple[str, str], ...]  # persons who are not known criminal leaders
    prominent: tuple[tuple[str, str], ...]  # presidents: cast more often so timelines have entries
    groups: tuple[str, ...]
    governments: tuple[str, ...]


@cache
def _names() -> _Names:
    from cartelkit.annotate.gazetteer import load_gazetteer

    actors = load_gazetteer().actors
    people = [a for a in actors if a.type == "person"]
    criminal = {"cartel_leader", "gang_leader", "guerrilla_leader"}

    def pair(a: GazActor) -> tuple[str, str]:
        return a.name, a.short[0] if a.short else a.name

    persons = tuple(pair(a) for a in people)
    speakers = tuple(pair(a) for a in people if not any(r.office in criminal for r in a.roles))
    prominent = tuple(pair(a) for a in people if any(r.office == "president" for r in a.roles))
    groups = tuple(a.name for a in actors if a.type == "criminal_group")
    governments = tuple(a.name for a in actors if a.type == "government")
    return _Names(persons, speakers or persons, prominent or persons, groups, governments)


def _with_article(name: str, kind: str) -> str:
    """'the Sinaloa Cartel', 'MS13', 'Los Zetas', 'the Mexican Army', 'Sedena'."""
    first = name.split()[0]
    if kind == "group":
        bare = first in {"Los", "La", "Las", "El", "Cártel", "Cárteles", "Barrio", "Clan", "Estado", "Segunda"}
        bare = bare or name.split()[0].isupper() or first[0] in "'’" or first in {"Comandos", "Oficina", "Tren"}
        bare = bare or first in {"Autodefensas", "Primeiro", "Comando", "Viv", "Cartel"}
        return name if bare else f"the {name}"
    single = len(name.split()) == 1 and name != "Pentagon"
    return name if single or first in {"Fiscalía", "Dirección", "Centro"} else f"the {name}"


class _Article:
    """The state of one article being written: its rng, dates and the actors already named."""

    def __init__(self, rng: random.Random, published: dt.date) -> None:
        self.rng = rng
        self.published = published
        self.introduced: set[str] = set()
        self.anchored = False  # a dated sentence has been written ("two months later" makes sense)
        names = _names()
        self.focus_group = rng.choice(names.groups)
        self.country = rng.choice(COUNTRIES)
        # the article's cast: a few speakers named again and again, often a president among them
        self.cast = rng.sample(names.speakers, rng.randint(2, 4))
        if rng.random() < 0.6:
            self.cast.append(rng.choice(names.prominent))

    def person(self) -> str:
        rng = self.rng
        full, short = rng.choice(self.cast) if rng.random() < 0.85 else rng.choice(_names().persons)
        if full in self.introduced and rng.random() < 0.6:
            return short
        self.introduced.add(full)
        return full

    def group(self) -> str:
        name = self.focus_group if self.rng.random() < 0.5 else self.rng.choice(_names().groups)
        return _with_article(name, "group")

    def government(self) -> str:
        return _with_article(self.rng.choice(_names().governments), "government")

    def year(self) -> int:
        return self.rng.randint(max(1990, self.published.year - 15), self.published.year)

    def when(self) -> str:
        """A time expression, lower case, to be read against the publication date."""
        rng = self.rng
        self.anchored = True
        kind = rng.randrange(11)
        if kind == 0:
            return f"in {rng.choice(MONTHS)}"
        if kind == 1:
            return f"on {rng.choice(MONTHS)} {rng.randint(1, 28)}"
        if kind == 2:
            return f"in {self.year()}"
        if kind == 3:
            return f"in {rng.choice(MONTHS)} {self.year()}"
        if kind == 4:
            return "last month"
        if kind == 5:
            return f"on {rng.choice(WEEKDAYS)}"
        if kind == 6:
            return rng.choice(("two years ago", "three months ago", "a decade ago"))
        if kind == 7:
            return "earlier this year"
        if kind == 8:
            return "yesterday"
        if kind == 9:
            return f"on {rng.choice(MONTHS)} {rng.randint(1, 28)}, {self.year()}"
        return "last year"

    def later(self) -> str:
        if not self.anchored:
            return self.when()
        return self.rng.choice(("Two months later", "A year later", "Days later", "A week later", "Weeks later"))

    def fill(self, template: str) -> str:
        rng = self.rng
        out: list[str] = []
        rest = template
        while "{" in rest:
            head, _, tail = rest.partition("{")
            slot, _, rest = tail.partition("}")
            out.append(head)
            out.append(self.slot(slot, rng))
        out.append(rest)
        text = "".join(out)
        i = 1 if text.startswith("“") else 0
        return text[:i] + text[i].upper() + text[i + 1 :]

    def slot(self, slot: str, rng: random.Random) -> str:
        simple: dict[str, Callable[[], str]] = {
            "P": self.person,
            "G": self.group,
            "GB": lambda: self.focus_group,
            "GOV": self.government,
            "PL": lambda: rng.choice(PLACES),
            "C": lambda: self.country,
            "T": self.when,
            "TL": self.later,
            "Y": lambda: str(self.year()),
            "NUM": lambda: str(rng.randint(2, 30)),
            "PCT": lambda: str(rng.randint(5, 70)),
            "BIG": lambda: f"{rng.randint(2, 80) * 1000:,}",
            "NEG": lambda: rng.choice(NEG_NOUNS),
            "NEGA": lambda: rng.choice(NEG_PHRASES),
            "CON": lambda: rng.choice(CON_NOUNS),
            "QN": lambda: rng.choice(NEG_QUOTES),
            "QC": lambda: rng.choice(CON_QUOTES),
            "S": lambda: _names().prominent[rng.randrange(len(_names().prominent))][1],
        }
        return simple[slot]()

    def sentence(self) -> str:
        r = self.rng.random()
        pool = NARRATIVE if r < 0.35 else REPORTED_NEG if r < 0.58 else REPORTED_CON if r < 0.78 else QUOTES
        return self.fill(self.rng.choice(pool))

    def body(self) -> list[str]:
        """6-12 paragraphs, 400-900 words in all; a sub-heading now and then."""
        rng = self.rng
        n_par = rng.randint(6, 12)
        target = rng.randint(400, 900)
        paragraphs: list[str] = []
        total = 0
        for i in range(n_par):
            want = (target - total) / (n_par - i)
            sents: list[str] = []
            words = 0
            while words < want * 0.85 or not sents:
                s = self.sentence()
                sents.append(s)
                words += len(s.split())
            total += words
            if i and rng.random() < 0.15:
                paragraphs.append(rng.choice(SUBHEADS))
            paragraphs.append(" ".join(sents))
        return paragraphs

    def headline(self) -> str:
        return self.fill(self.rng.choice(HEADLINES))


def _author(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def _teaser(art: _Article) -> str:
    words = art.fill(art.rng.choice(NARRATIVE)).split()
    return " ".join(words[: max(6, len(words) - 3)]) + "…"


def _insight_page(art: _Article, title: str, body: list[str]) -> list[str]:
    rng, pub = art.rng, art.published
    site = rng.choice(("Crime Monitor Americas", "Hemisphere Crime Watch"))
    kicker = (
        f"{rng.choice(KICKERS)} / {pub.day} {MON_ABBR[pub.month - 1].upper()} {pub.year} BY {_author(rng).upper()} EN"
    )
    help_block = [
        "Was this content helpful?",
        "We want to sustain Latin America’s largest organized crime database, "
        "but in order to do so, we need resources.",
        "DONATE",
    ]
    lines = ["HomeNewsBrief" + title, rng.choice(("BRIEF", "NEWS", "ANALYSIS")), title, kicker, *body]
    lines += ["share icon icon icon", *help_block]
    lines += [f"What are your thoughts? Click here to send {site} your comments.", *help_block, "Related Content"]
    for _ in range(3):
        d = pub - dt.timedelta(days=rng.randint(1, 900))
        lines += [f"{rng.choice(KICKERS)} / {d.day} {MON_ABBR[d.month - 1].upper()} {d.year}", _teaser(art)]
    lines += [f"About {site}", "THE ORGANIZATION", "WORK WITH US"]
    return lines


def _wordpress_page(art: _Article, title: str, body: list[str]) -> list[str]:
    rng, pub = art.rng, art.published
    site, tagline = rng.choice(
        (
            ("Cuscatlán Notebook", "Notes on security, politics and everyday life in El Salvador"),
            ("Border Beat", "Field notes from the US-Mexico border"),
            ("Sierra Madre Dispatches", "Security and politics in northern Mexico"),
        )
    )
    posted = f"Posted on {MONTHS[pub.month - 1]} {pub.day}, {pub.year} by {_author(rng)}"
    lines = ["Skip to content", site, tagline, "Menu", "Home", "About", "Contact", title, posted, *body]
    lines += ["Share this:", "Twitter", "Facebook", "Like this:", "Leave a Reply", "Archives"]
    for k in range(rng.randint(6, 12)):
        m = (pub.year * 12 + pub.month - 1) - k
        lines.append(f"{MONTHS[m % 12]} {m // 12}")
    lines += ["Categories", "Politics", "Security", art.country, "Meta", "Log in", "Entries feed", "WordPress.org"]
    lines += [f"© 2024 {site}", "Proudly powered by WordPress | Theme: Twenty Twenty-One"]
    return lines


def _agency_page(art: _Article, title: str, body: list[str]) -> list[str]:
    rng, pub = art.rng, art.published
    site = rng.choice(("Pan-American News Agency", "Continental Wire Service"))
    stamp = f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d} GMT"
    first = f"{rng.choice(DATELINES)} — {body[0]}"
    lines = [
        "We use cookies to personalise content and to analyse our traffic. "
        "By continuing to use this site you consent to our use of cookies.",
        "Our cookie policy was last updated on 25 May 2018.",
        "Accept all cookies",
        "Manage preferences",
        site.upper(),
        "Sign in | Register | Español",
        "Home > World > Americas",
        title,
        f"Published: {pub.day} {MON_ABBR[pub.month - 1]} {pub.year} {stamp}",
        f"By {_author(rng)} in {rng.choice(PLACES)}",
        "Listen to this article",
        first,
        *body[1:],
        f"Tags: {art.country}, Security, {rng.choice(('Cartels', 'Gangs', 'Organized crime', 'Prisons'))}",
        "More from Americas",
    ]
    lines += [art.fill(rng.choice(HEADLINES)) for _ in range(4)]
    lines += [
        "About us | Contact | Terms of use | Privacy | Cookie settings",
        f"© {pub.year} {site}. All rights reserved.",
    ]
    return lines


def _minimal_page(art: _Article, title: str, body: list[str]) -> list[str]:
    pub = art.published
    lines = [title, f"By {_author(art.rng)}"]
    if art.rng.random() < 0.8:
        lines.append(f"{MONTHS[pub.month - 1]} {pub.day}, {pub.year}")
    return lines + body


PAGE_STYLES: tuple[Callable[[_Article, str, list[str]], list[str]], ...] = (
    _insight_page,
    _wordpress_page,
    _agency_page,
    _minimal_page,
)
_EPOCH = dt.date(2000, 1, 1)
_SPAN_DAYS = (dt.date(2025, 12, 31) - _EPOCH).days


def generate_article(seed: int, i: int) -> str:
    """The text of article ``i`` of the corpus of ``seed`` (deterministic, independent of N)."""
    rng = random.Random(f"cartelkit-bench/{seed}/{i}")
    art = _Article(rng, _EPOCH + dt.timedelta(days=rng.randint(0, _SPAN_DAYS)))
    style = rng.choices(PAGE_STYLES, weights=(4, 3, 3, 2))[0]
    title = art.headline()
    body = art.body()
    return "\n\n".join(style(art, title, body)) + "\n"


def generate_corpus(out_dir: Path, n: int, seed: int, start: int = 0) -> list[Path]:
    """Write articles ``start .. start+n-1`` as ``out_dir/NNNNNN_<hash>.txt``; return their paths.

    ``out_dir`` is the folder that receives the files (for a corpus, ``<corpus>/raw``).
    The same ``(seed, i)`` always gives the same bytes, so file names are stable.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    for i in range(start, start + n):
        data = generate_article(seed, i).encode("utf-8")
        path = out_dir / f"{i:06d}_{hashlib.sha256(data).hexdigest()[:16]}.txt"
        path.write_bytes(data)
        paths.append(path)
    return paths


# --------------------------------------------------------------------------------------
# measuring
# --------------------------------------------------------------------------------------


@dataclass
class Proc:
    """One finished subprocess: wall time, peak RSS (KiB), exit code and output."""

    argv: list[str]
    seconds: float
    maxrss_kib: int
    returncode: int
    stdout: str
    stderr: str


def _cli() -> list[str]:
    script = Path(sys.executable).with_name("cartelkit")
    if script.is_file():
        return [str(script)]
    found = shutil.which("cartelkit")
    return [found] if found else [sys.executable, "-m", "cartelkit"]


def _env() -> dict[str, str]:
    # PYTHONDONTWRITEBYTECODE: processes are measured as a user runs them, with Python's bytecode
    # cached (pip writes it at install); without it each one compiles every module again
    dropped = ("CARTELKIT_CORPUS", "CARTELKIT_INDEX", "PYTHONDONTWRITEBYTECODE")
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.setdefault("PYTHONHASHSEED", "0")
    return env


# Runs the measured command and reports its wall time and peak RSS. A small process of its
# own: on Linux a child started from a big process (this benchmark, after in-process queries)
# inherits that process's peak RSS at exec, so measuring from here would report ours.
_LAUNCHER = """
import json, os, subprocess, sys, time
started = time.perf_counter()
child = subprocess.Popen(sys.argv[2:])
_pid, status, usage = os.wait4(child.pid, 0)
seconds = time.perf_counter() - started
with open(sys.argv[1], "w") as fh:
    json.dump([seconds, usage.ru_maxrss, os.waitstatus_to_exitcode(status)], fh)
"""


def run_process(argv: Sequence[str], check: bool = True) -> Proc:
    """Run ``argv`` with stdout/stderr to temporary files; its wall time and peak RSS."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, tempfile.TemporaryDirectory() as tmp:
        if hasattr(os, "wait4"):
            report = Path(tmp) / "rusage.json"
            launcher = [sys.executable, "-c", _LAUNCHER, str(report), *argv]
            subprocess.run(launcher, stdin=subprocess.DEVNULL, stdout=out, stderr=err, env=_env(), check=False)
            seconds, maxrss, returncode = json.loads(report.read_text())
        else:  # pragma: no cover - not Linux/macOS: the maximum over all children so far
            started = time.perf_counter()
            proc = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=err, env=_env(), check=False)
            seconds, returncode = time.perf_counter() - started, proc.returncode
            maxrss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        if sys.platform == "darwin":  # pragma: no cover - bytes there
            maxrss //= 1024
        out.seek(0)
        err.seek(0)
        result = Proc(list(argv), seconds, int(maxrss), returncode, out.read().decode(), err.read().decode())
    if check and result.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} exited {result.returncode}:\n{result.stderr[-2000:]}")
    return result


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100) with linear interpolation between order statistics."""
    xs = sorted(values)
    if not xs:
        return 0.0
    k = (len(xs) - 1) * q / 100
    lo = int(k)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def latency_summary(seconds: Sequence[float]) -> dict[str, float]:
    ms = [s * 1000 for s in seconds]
    return {
        "n": len(ms),
        "p50_ms": round(percentile(ms, 50), 3),
        "p95_ms": round(percentile(ms, 95), 3),
        "min_ms": round(min(ms), 3) if ms else 0.0,
        "max_ms": round(max(ms), 3) if ms else 0.0,
    }


def tree_size(root: Path) -> tuple[int, int]:
    """(bytes, files) of every regular file under ``root``; a file hard-linked into several
    index generations counts once, as on the disk."""
    total = files = 0
    seen: set[tuple[int, int]] = set()
    if root.is_dir():
        for dirpath, _dirs, names in os.walk(root):
            for name in names:
                p = Path(dirpath, name)
                if p.is_file() and not p.is_symlink():
                    st = p.stat()
                    if (st.st_dev, st.st_ino) not in seen:
                        seen.add((st.st_dev, st.st_ino))
                        total += st.st_size
                        files += 1
    return total, files


@dataclass(frozen=True)
class Query:
    kind: str
    text: str
    date_from: str | None = None
    date_to: str | None = None
    actor: str | None = None

    def label(self) -> str:
        extra = [f"{k}={v}" for k, v in (("from", self.date_from), ("to", self.date_to), ("actor", self.actor)) if v]
        return " ".join([self.text, *extra])


QUERIES: tuple[Query, ...] = (
    Query("term", "truce"),
    Query("term", "amnesty"),
    Query("term", "extradition"),
    Query("term", "crackdown"),
    Query("term", "negotiation"),
    Query("phrase", '"amnesty law"'),
    Query("phrase", '"state of exception"'),
    Query("phrase", '"will not negotiate"'),
    Query("boolean", "truce AND NOT capture"),
    Query("boolean", "truce OR amnesty"),
    Query("boolean", "(talks OR dialogue) AND cartel"),
    Query("date", "truce", date_from="2006", date_to="2012"),
    Query("date", "crackdown", date_from="2019-01", date_to="2022-12-31"),
    Query("date", "amnesty", date_from="2018"),
    Query("actor", "truce", actor="Fox"),
    Query("actor", "offensive", actor="Sinaloa Cartel"),
    Query("actor", "talks", actor="Felipe Calderón"),
)


@dataclass
class Results:
    data: dict[str, Any] = field(default_factory=dict)
    summary: dict[str, float] = field(default_factory=dict)  # headline numbers (all positive on success)
    rows: list[tuple[str, str, str]] = field(default_factory=list)  # (measure, value, note) for the table

    def add(self, key: str, value: float, shown: str, note: str = "") -> None:
        self.summary[key] = value
        self.rows.append((key, shown, note))


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t = time.perf_counter()
    value = fn()
    return time.perf_counter() - t, value


def _bench_build(cli: list[str], corpus: Path, index: Path, n: int, args: argparse.Namespace, res: Results) -> None:
    workers = ["--workers", str(args.workers)] if args.workers else []
    runs: list[Proc] = []
    reports: list[Any] = []
    for r in range(args.build_repeat):
        if r:  # from scratch again: `build --rebuild` alone would reuse the clean cache
            shutil.rmtree(corpus / "clean", ignore_errors=True)
            shutil.rmtree(index, ignore_errors=True)
        extra = ["--rebuild"] if r else []
        p = run_process([*cli, "--corpus", str(corpus), "--index", str(index), "build", *extra, *workers, "--json"])
        runs.append(p)
        reports.append(json.loads(p.stdout))
    wall = statistics.median(p.seconds for p in runs)
    rss = max(p.maxrss_kib for p in runs)
    res.data["build"] = {
        "runs_s": [round(p.seconds, 3) for p in runs],
        "wall_s": round(wall, 3),
        "docs_per_s": round(n / wall, 2),
        "peak_rss_kib": rss,
        "report": reports[-1],
    }
    res.add(
        "build_docs_per_s", n / wall, f"{n / wall:.1f} docs/s", f"{wall:.2f}s wall for {n} docs, median of {len(runs)}"
    )
    res.add("build_wall_s", wall, f"{wall:.2f} s")
    stages = reports[-1].get("stages", {})
    res.data["build"]["cpu_ms_per_article"] = {k: round(1000 * v / n, 2) for k, v in stages.items()}
    total = 1000 * sum(stages.values()) / n
    parts = ", ".join(f"{k} {1000 * v / n:.1f}" for k, v in sorted(stages.items(), key=lambda kv: -kv[1]))
    res.add("build_cpu_ms_per_article", total, f"{total:.1f} ms", f"CPU by stage, workers included: {parts}")
    res.add("build_peak_rss_mib", rss / 1024, f"{rss / 1024:.0f} MiB", "process + workers")
    # warm re-index: the clean cache is current, only the index is rewritten
    p = run_process([*cli, "--corpus", str(corpus), "--index", str(index), "build", "--rebuild", *workers, "--json"])
    rep = json.loads(p.stdout)
    res.data["reindex"] = {"wall_s": round(p.seconds, 3), "peak_rss_kib": p.maxrss_kib, "report": rep}
    res.add(
        "reindex_wall_s",
        p.seconds,
        f"{p.seconds:.2f} s",
        f"build --rebuild, clean cache warm ({rep['processed']} processed)",
    )


def _bench_add(
    cli: list[str], corpus: Path, index: Path, out: Path, n: int, args: argparse.Namespace, res: Results
) -> None:
    res.data["add"] = {}
    start = n
    for size in ADD_SIZES:
        runs: list[Proc] = []
        reports: list[Any] = []
        for _ in range(args.repeat):
            files = generate_corpus(out / "extra", size, args.seed, start=start)
            start += size
            p = run_process([*cli, "--corpus", str(corpus), "--index", str(index), "add", *map(str, files), "--json"])
            runs.append(p)
            reports.append(json.loads(p.stdout))
        wall = statistics.median(p.seconds for p in runs)
        res.data["add"][str(size)] = {
            "runs_s": [round(p.seconds, 3) for p in runs],
            "wall_s": round(wall, 3),
            "peak_rss_kib": max(p.maxrss_kib for p in runs),
            "processed": [r["processed"] for r in reports],
            "indexed": [r["indexed"] for r in reports],
        }
        note = f"median of {len(runs)}; processed {reports[-1]['processed']}, indexed {reports[-1]['indexed']}"
        res.add(f"add_{size}_wall_s", wall, f"{wall:.2f} s", note)


def _bench_queries(corpus: Path, index: Path, repeat: int, res: Results) -> None:
    from cartelkit.index import whoosh_index as wx
    from cartelkit.model import PartialDate, SearchQuery
    from cartelkit.query import Workspace

    messages: list[str] = []
    ws = Workspace.at(corpus, index, notify=messages.append)
    cold, _ = _timed(lambda: ws.search("truce"))
    ix = ws.text().ix  # type: ignore[attr-defined]
    by_kind: dict[str, list[float]] = {}
    baseline: list[float] = []
    per_query: list[dict[str, Any]] = []
    for q in QUERIES:
        times: list[float] = []
        hits: tuple[Any, ...] = ()
        actor = ws.resolve_actor(q.actor).name if q.actor else None
        lo = PartialDate.from_iso(q.date_from) if q.date_from else None
        hi = PartialDate.from_iso(q.date_to) if q.date_to else None
        for _ in range(repeat):
            t0 = time.perf_counter()
            hits = ws.search(q.text, 10, q.date_from, q.date_to, None, q.actor).hits
            times.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            wx.baseline_search(ix, SearchQuery(q.text, lo, hi, None, actor), 10)
            baseline.append(time.perf_counter() - t0)
        by_kind.setdefault(q.kind, []).extend(times)
        per_query.append(
            {
                "type": q.kind,
                "query": q.text,
                "date_from": q.date_from,
                "date_to": q.date_to,
                "actor": q.actor,
                "hits": len(hits),
                "median_ms": round(statistics.median(times) * 1000, 3),
                "snippet": hits[0].snippet if hits else None,
                "highlights": list(hits[0].highlights) if hits else [],
            }
        )
    every = [t for ts in by_kind.values() for t in ts]
    res.data["search"] = {
        "cold_ms": round(cold * 1000, 3),
        "baseline_whoosh": latency_summary(baseline),
        "overall": latency_summary(every),
        "by_type": {k: latency_summary(v) for k, v in by_kind.items()},
        "queries": per_query,
    }
    overall = res.data["search"]["overall"]
    res.add(
        "search_p50_ms", overall["p50_ms"], f"{overall['p50_ms']:.1f} ms", f"p95 {overall['p95_ms']:.1f} ms, in-process"
    )
    res.add("search_p95_ms", overall["p95_ms"], f"{overall['p95_ms']:.1f} ms")
    raw = res.data["search"]["baseline_whoosh"]
    ratio = overall["p95_ms"] / raw["p95_ms"] if raw["p95_ms"] else 0.0
    res.add(
        "search_p95_vs_whoosh",
        ratio,
        f"{ratio:.2f}x",
        f"bare Whoosh, same index and queries: p95 {raw['p95_ms']:.1f} ms (parse, filter, top 10, highlights)",
    )
    res.add("search_cold_ms", cold * 1000, f"{cold * 1000:.1f} ms", "first query of a fresh Workspace")

    tl_times: list[float] = []
    name = ""
    entries: list[Any] = []
    for _ in range(repeat):
        t, entries = _timed(lambda: ws.timeline(TIMELINE_ACTOR))
        name = entries[0].actor if entries else TIMELINE_ACTOR
        tl_times.append(t)
    st_times: list[float] = []
    rows: list[Any] = []
    for _ in range(repeat):
        t, rows = _timed(lambda: ws.stance(STANCE_TOPIC))
        st_times.append(t)
    res.data["timeline"] = {"actor": name, "entries": len(entries), **latency_summary(tl_times)}
    res.data["stance"] = {"topic": STANCE_TOPIC, "rows": len(rows), **latency_summary(st_times)}
    tl, st = res.data["timeline"], res.data["stance"]
    res.add(
        "timeline_p50_ms",
        tl["p50_ms"],
        f"{tl['p50_ms']:.1f} ms",
        f"p95 {tl['p95_ms']:.1f} ms; {name}: {len(entries)} entries",
    )
    res.add("stance_p50_ms", st["p50_ms"], f"{st['p50_ms']:.1f} ms", f"p95 {st['p95_ms']:.1f} ms; {len(rows)} rows")
    res.data["query_messages"] = messages  # e.g. "building the index…": should stay empty


def _bench_facts(cli: list[str], corpus: Path, index: Path, repeat: int, res: Results) -> None:
    """The facts store: filtered stance and timeline, the summary, in-process and as whole
    processes, and every row of a topic streamed as ndjson (rows/s, peak RSS)."""
    from cartelkit.query import Workspace

    ws = Workspace.at(corpus, index)
    q = ws.stance_query(STANCE_TOPIC)
    calls: dict[str, Callable[[], Any]] = {
        "stance_actor": lambda: ws.stance(STANCE_TOPIC, actor=FACTS_ACTOR),
        "timeline_actor": lambda: ws.timeline(FACTS_ACTOR),
        "stance_summary": lambda: ws.stance_summary(ws.stance_query(STANCE_TOPIC)),
        "stance_by_year": lambda: ws.stance_by(ws.stance_query(STANCE_TOPIC), "year"),
    }
    base = [*cli, "--corpus", str(corpus), "--index", str(index)]
    argvs = {
        "stance_actor": [*base, "stance", "--topic", STANCE_TOPIC, "--actor", FACTS_ACTOR, "--json"],
        "timeline_actor": [*base, "timeline", "--actor", FACTS_ACTOR, "--json"],
        "stance_summary": [*base, "stance", "--topic", STANCE_TOPIC, "--summary", "--json"],
        "stance_by_year": [*base, "stance", "--topic", STANCE_TOPIC, "--by", "year", "--json"],
    }
    res.data["facts"] = {}
    for name, call in calls.items():
        call()  # opens the store
        inproc = [_timed(call)[0] for _ in range(max(repeat, 5))]
        procs = [run_process(argvs[name]) for _ in range(repeat)]
        rows = len(json.loads(procs[-1].stdout))
        wall = statistics.median(p.seconds for p in procs)
        res.data["facts"][name] = {
            "in_process": latency_summary(inproc),
            "process_runs_s": [round(p.seconds, 4) for p in procs],
            "process_s": round(wall, 4),
            "rows": rows,
        }
        p50 = res.data["facts"][name]["in_process"]["p50_ms"]
        res.add(f"{name}_ms", p50, f"{p50:.1f} ms", f"in-process p50; whole process {wall * 1000:.0f} ms; {rows} rows")
    streams = [
        run_process([*base, "stance", "--topic", STANCE_TOPIC, "--all", "--format", "ndjson"]) for _ in range(repeat)
    ]
    rows = streams[-1].stdout.count("\n")
    wall = statistics.median(p.seconds for p in streams)
    rss = max(p.maxrss_kib for p in streams)
    res.data["facts"]["stance_ndjson"] = {
        "rows": rows,
        "process_runs_s": [round(p.seconds, 3) for p in streams],
        "rows_per_s": round(rows / wall, 1),
        "peak_rss_kib": rss,
        "total_rows": ws.count_stance(ws.stance_query(STANCE_TOPIC, include_neutral=True)),
        "support_oppose_rows": ws.count_stance(q),
    }
    res.add(
        "stance_ndjson_rows_per_s",
        rows / wall,
        f"{rows / wall:,.0f} rows/s",
        f"stance --all --format ndjson: {rows:,} rows in {wall:.2f} s, peak RSS {rss / 1024:.0f} MiB",
    )


def _bench_cli(cli: list[str], corpus: Path, index: Path, repeat: int, res: Results) -> None:
    helps = [run_process([*cli, "--help"]) for _ in range(HELP_RUNS)]
    help_s = statistics.median(p.seconds for p in helps)
    searches = [
        run_process([*cli, "--corpus", str(corpus), "--index", str(index), "search", "truce", "--format", "json"])
        for _ in range(repeat)
    ]
    hits = len(json.loads(searches[-1].stdout))
    search_s = statistics.median(p.seconds for p in searches)
    res.data["cli"] = {
        "help_runs_s": [round(p.seconds, 4) for p in helps],
        "help_s": round(help_s, 4),
        "search_json_runs_s": [round(p.seconds, 4) for p in searches],
        "search_json_s": round(search_s, 4),
        "search_json_hits": hits,
        "search_json_peak_rss_kib": max(p.maxrss_kib for p in searches),
    }
    res.add("cli_help_ms", help_s * 1000, f"{help_s * 1000:.0f} ms", f"median of {HELP_RUNS} processes")
    res.add("cli_search_json_ms", search_s * 1000, f"{search_s * 1000:.0f} ms", f"whole process, {hits} hits")


def _mib(n: int) -> str:
    return f"{n / 2**20:.1f} MiB"


def _bench_sizes(corpus: Path, index: Path, res: Results) -> None:
    idx_bytes, idx_files = tree_size(index)
    raw_bytes, raw_files = tree_size(corpus / "raw")
    clean_bytes, clean_files = tree_size(corpus / "clean")
    res.data["sizes"] = {
        "index_bytes": idx_bytes,
        "index_files": idx_files,
        "corpus_raw_bytes": raw_bytes,
        "corpus_raw_files": raw_files,
        "corpus_clean_bytes": clean_bytes,
        "corpus_clean_files": clean_files,
    }
    res.add("index_bytes", idx_bytes, _mib(idx_bytes), f"{idx_files} files")
    from cartelkit.index.protocol import FACTS, FACTS_DELTA

    live = index / json.loads((index / "MANIFEST.json").read_text("utf-8"))["generation"]
    base, delta = live / FACTS, live / FACTS_DELTA
    facts, delta_bytes = base.stat().st_size, delta.stat().st_size if delta.exists() else 0
    res.data["sizes"]["facts_bytes"] = facts
    res.data["sizes"]["facts_delta_bytes"] = delta_bytes
    res.add("facts_bytes", facts, _mib(facts), f"the live generation's base; its delta: {_mib(delta_bytes)}")
    res.add("corpus_raw_bytes", raw_bytes, _mib(raw_bytes), f"{raw_files} raw files")
    res.add("corpus_clean_bytes", clean_bytes, _mib(clean_bytes), f"{clean_files} clean cache files")


def _prepare(out: Path) -> None:
    """Recreate the work folder's corpus/, index/ and extra/ — only in a folder the benchmark made."""
    if out.exists() and any(out.iterdir()) and not (out / MARKER).exists():
        raise SystemExit(f"error: {out} is not empty and was not made by cartelkit.bench; choose another --out")
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text("made by python -m cartelkit.bench; its corpus/, index/ and extra/ are recreated\n")
    for sub in ("corpus", "index", "extra"):
        shutil.rmtree(out / sub, ignore_errors=True)


def load_average() -> list[float] | None:
    """1, 5 and 15 minute load averages (other work on the machine skews every number)."""
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except (AttributeError, OSError):  # pragma: no cover - not available on Windows
        return None


def machine_info() -> dict[str, Any]:
    return {
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "machine": platform.machine(),
    }


def run_benchmark(args: argparse.Namespace) -> Results:
    from cartelkit.version import __version__

    out = Path(args.out).resolve()
    corpus, index = out / "corpus", out / "index"
    res = Results()
    started = time.time()
    load_start = load_average()
    cli = _cli()
    if args.queries_only:  # the corpus and index of an earlier run, measured again
        if not (out / MARKER).exists() or not (index / "MANIFEST.json").exists():
            raise SystemExit(f"error: {out} holds no built benchmark corpus; run without --queries-only first")
        paths = sorted((corpus / "raw").glob("*.txt"))
        gen_s = 0.0
    else:
        _prepare(out)
        gen_s, paths = _timed(lambda: generate_corpus(corpus / "raw", args.n, args.seed))
    words = statistics.mean(len(p.read_text("utf-8").split()) for p in paths[:200]) if paths else 0.0
    res.data["corpus"] = {
        "documents": len(paths),
        "generate_s": round(gen_s, 3),
        "mean_words_per_page": round(words, 1),
    }
    if not args.queries_only:
        _bench_build(cli, corpus, index, args.n, args, res)
    # new articles numbered after those already there (a --queries-only run adds to its corpus too)
    _bench_add(cli, corpus, index, out, args.n + len(paths) + 1_000_000 * args.queries_only, args, res)
    _bench_queries(corpus, index, args.repeat, res)
    _bench_facts(cli, corpus, index, args.repeat, res)
    _bench_cli(cli, corpus, index, args.repeat, res)
    _bench_sizes(corpus, index, res)
    finished = time.time()
    machine = machine_info()
    machine["loadavg_at_start"] = load_start
    machine["loadavg_at_end"] = load_average()
    res.data = {
        "benchmark": "cartelkit.bench",
        "cartelkit_version": __version__,
        "started": dt.datetime.fromtimestamp(started, dt.UTC).isoformat(timespec="seconds"),
        "finished": dt.datetime.fromtimestamp(finished, dt.UTC).isoformat(timespec="seconds"),
        "duration_s": round(finished - started, 2),
        "machine": machine,
        "params": {
            "n": args.n,
            "seed": args.seed,
            "repeat": args.repeat,
            "build_repeat": args.build_repeat,
            "workers": args.workers,
            "out": str(out),
            "cli": cli,
        },
        "summary": {k: round(v, 3) for k, v in res.summary.items()},
        **res.data,
    }
    return res


def format_tables(res: Results) -> str:
    from tabulate import tabulate

    d = res.data
    m = d["machine"]
    head = (
        f"cartelkit {d['cartelkit_version']} benchmark: N={d['params']['n']} seed={d['params']['seed']} "
        f"repeat={d['params']['repeat']} build_repeat={d['params']['build_repeat']} — "
        f"{m['cpu_count']} CPU(s), Python {m['python']}, {m['platform']}"
    )
    if m.get("loadavg_at_start") is not None:
        head += f"\nload average at start {m['loadavg_at_start']}, at end {m['loadavg_at_end']}"
    main = tabulate(res.rows, headers=["measure", "value", "note"], tablefmt="simple")
    by_type = [(kind, s["n"], f"{s['p50_ms']:.1f}", f"{s['p95_ms']:.1f}") for kind, s in d["search"]["by_type"].items()]
    o = d["search"]["overall"]
    by_type.append(("overall", o["n"], f"{o['p50_ms']:.1f}", f"{o['p95_ms']:.1f}"))
    types = tabulate(by_type, headers=["search type", "runs", "p50 ms", "p95 ms"], tablefmt="simple")
    queries = tabulate(
        [
            (q["type"], _label(q), q["hits"], f"{q['median_ms']:.1f}", _short(q["snippet"], q.get("highlights", ())))
            for q in d["search"]["queries"]
        ],
        headers=["type", "query", "hits", "median ms", "first snippet"],
        tablefmt="simple",
    )
    return "\n\n".join([head, main, types, queries])


def _label(q: dict[str, Any]) -> str:
    return Query(q["type"], q["query"], q["date_from"], q["date_to"], q["actor"]).label()


def _short(snippet: str | None, highlights: Sequence[Sequence[int]] = (), width: int = 60) -> str:
    """The part of a snippet around its first highlighted word."""
    if not snippet:
        return "-"
    start = max(0, (highlights[0][0] if highlights else 0) - width // 3)
    part = snippet[start : start + width]
    return ("…" if start else "") + part + ("…" if start + width < len(snippet) else "")


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="python -m cartelkit.bench",
        description="Benchmark cartelkit (build, add, search, timeline, stance, CLI start-up) on a synthetic corpus.",
    )
    p.add_argument("--n", type=int, default=20000, help="number of articles to generate (default 20000)")
    p.add_argument("--seed", type=int, default=0, help="corpus seed (default 0)")
    p.add_argument("--out", type=Path, default=Path("bench-out"), help="work folder (default ./bench-out)")
    p.add_argument("--repeat", type=int, default=3, help="runs per latency measure (default 3)")
    p.add_argument("--build-repeat", type=int, default=1, help="full builds from scratch (default 1)")
    p.add_argument("--workers", type=int, default=None, help="passed to `cartelkit build --workers`")
    p.add_argument("--json-out", type=Path, default=None, help="results file (default <out>/bench.json)")
    p.add_argument(
        "--queries-only",
        action="store_true",
        help="measure add, queries, facts and start-up on the corpus and index an earlier run left in"
        " --out (the articles added stay in its corpus)",
    )
    args = p.parse_args(argv)
    if args.n < 1 or args.repeat < 1 or args.build_repeat < 1:
        p.error("--n, --repeat and --build-repeat must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> Results:
    args = parse_args(argv)
    res = run_benchmark(args)
    json_out = Path(args.json_out) if args.json_out else Path(args.out) / "bench.json"
    json_out.parent.mkdir(parents=True, exist_ok=True)
    json_out.write_text(json.dumps(res.data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(format_tables(res))
    print(f"\nresults written to {json_out}")
    return res


if __name__ == "__main__":
    main()
