"""annotate_document: one document's actors, statements and events, in one pass over its
sentences (the narrative state it keeps is described in :mod:`cartelkit.annotate`)."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import replace
from pathlib import Path

from cartelkit.annotate.actors import Mention, doc_actors, find_mentions, is_female
from cartelkit.annotate.attribution import (
    Attribution,
    attribute,
    first_person,
    interviewee,
    is_analysis_heading,
    is_passive_subject,
    label_speaker,
    people_by_last_name,
    subjects,
    unnamed_speaker,
)
from cartelkit.annotate.gazetteer import Gazetteer, load_gazetteer
from cartelkit.annotate.lexicon import lexicon
from cartelkit.annotate.sentences import split_sentences
from cartelkit.annotate.stance import TopicHit, criminal_context, criminal_density, stance_of, topics_in
from cartelkit.annotate.temporal import TimeExpr, background_spans, carries_narrative, find_time_expressions, resolve
from cartelkit.clean.metadata import dateline_end
from cartelkit.model import Document, Event, PartialDate, Sentence, Statement
from cartelkit.textutil import fold, fold_keep_length

MAX_ANNOTATED_CHARS = 1_000_000
_NAMED_BODIES = ("criminal_group", "government", "organization")  # whose names may hold topic words
_NOT_REFERENTS = ("publication", "label", "author")  # speakers a "he"/"she" never stands for
_VOICES = ("label", "author")
_TARGET_TYPES = ("person", "criminal_group")
# up to the day of publication: "the DEA is negotiating", "has engaged in negotiations", "ha negado"
_ONGOING_RE = re.compile(
    r"\s*(?:(?:is|are|has\s+been|have\s+been|est[aá]n?)\s+(?:now\s+|still\s+)?\w+(?:ing|ando|iendo)"
    r"|(?:has|have|ha|han)\s+(?:\w+ly\s+|repeatedly\s+|long\s+|since\s+)?\w+(?:ed|en|wn|ado|ido))\b"
)
_AGENT_RE = re.compile(
    r"\b\w+(?:ed|en|wn)\s+by\s+(?:(?:his|her|its|their|the)\s+)?(?:[a-z]+\s+){0,2}$"
)  # a transcript turn's or a column author's voice: speech, not an event
_TENURE_RE = re.compile(r"^['’]?s?\s*(?:administration|government|presidency|era|term|cabinet|years in office)\b", re.I)


def _span_of(pos: int, spans: list[tuple[int, int]]) -> tuple[int, int] | None:
    return next((sp for sp in spans if sp[0] <= pos < sp[1]), None)


_FIGURES_RE = re.compile(
    r"\b(?:according\s+to|seg[uú]n)\s+(?:\S+\s+){0,4}?(?:figures|data|statistics|numbers|count|tally|estimates?|"
    r"cifras|datos|estad[ií]sticas|recuento|reportes?|informes?|balance)\b|\b(?:figures|data|statistics|cifras|datos|"
    r"estad[ií]sticas|reportes?|informes?)\s+(?:from|of|by|de|del)\s+(?:the\s+|la\s+|el\s+)?\S+\s*$",
    re.IGNORECASE,
)
# a date something is scheduled for is no event's date yet: "sentencing was set for June 26"
_FUTURE_CUE_RE = re.compile(
    r"\b(?:set|scheduled|slated|due|planned|expected|postponed|adjourned|programad[oa]|previst[oa]|fijad[oa]|"
    r"aplazad[oa])\s+(?:for|until|to|on|para|hasta)\s+(?:the\s+|el\s+)?$",
    re.IGNORECASE,
)
_QUESTION_LABEL_RE = re.compile(r"^\s*(?:P|Q|Pregunta|Question)\s*[.:—–-]{1,2}\s")  # an interview's question
_TENURE_YEARS_RE = re.compile(r"\s*\(\s*(?:19|20)\d\d\s*[-–—]\s*(?:(?:19|20)\d\d|present|today)?\s*\)")


ANAPHORA_LOOKBACK = 600  # characters before a sentence where "the decree" finds the policy it names


def policy_anaphora(sentence: Sentence, body: str, cues: list[TopicHit]) -> list[TopicHit]:
    """ "gave the decree his backing", "le dio su respaldo a la medida": a definite policy noun
    stands for the policy the text last named (the topic of the last cue within
    ``ANAPHORA_LOOKBACK`` characters before the sentence)."""
    found = [
        m
        for m in lexicon().anaphora.finditer(fold_keep_length(sentence.text))
        if not any(c.start <= m.start() < c.end or m.start() <= c.start < m.end() for c in cues)
    ]
    if not found:
        return []
    window = body[max(0, sentence.start - ANAPHORA_LOOKBACK) : sentence.start]
    before = topics_in(window, (), criminal_context(fold_keep_length(window)))
    if not before:
        return []
    topic = before[-1].topic
    return [TopicHit(topic, sentence.text[m.start() : m.end()], m.start(), m.end()) for m in found]


def join_neighbours(statements: list[Statement], body: str, continued: set[tuple[int, int]]) -> tuple[Statement, ...]:
    """One position, one row. A speaker's position often takes consecutive sentences — a quote
    that goes on ("We will not negotiate. We never have."), or a neutral sentence that names the
    policy followed by one that judges it ("The war began in 2006. More bullets will not end
    it."). Rows of the same speaker and topic in consecutive sentences of one paragraph join
    when one is neutral (at most one neutral per row), or when their stances agree and the later
    sentence has no reporting verb of its own (``continued``: spans of sentences that go on
    with the previous speaker's words; "…," he told the radio is a new statement). The row's
    evidence and span then hold them all. The site's own voice is never joined."""
    groups: dict[tuple[str, str], list[int]] = {}
    for i, st in enumerate(statements):
        groups.setdefault((st.speaker, st.topic), []).append(i)
    merged: list[tuple[int, Statement]] = []
    for idx in groups.values():
        rows = sorted(idx, key=lambda i: statements[i].span)
        first, cur, has_neutral = rows[0], statements[rows[0]], statements[rows[0]].stance == "neutral"
        for i in rows[1:]:
            nxt = statements[i]
            gap = body[cur.span[1] : nxt.span[0]]
            agree = cur.stance == nxt.stance != "neutral" and nxt.span in continued
            one_neutral = (cur.stance == "neutral") != (nxt.stance == "neutral") and not (
                has_neutral and nxt.stance == "neutral"
            )
            if (
                cur.span[1] <= nxt.span[0]
                and not gap.strip()
                and "publication" not in (cur.mode, nxt.mode)
                and (agree or one_neutral)
            ):
                keep = cur if cur.stance != "neutral" else nxt
                span = (cur.span[0], nxt.span[1])
                has_neutral = has_neutral or nxt.stance == "neutral"
                cur = replace(keep, evidence=body[span[0] : span[1]], span=span)
                continue
            merged.append((first, cur))
            first, cur, has_neutral = i, nxt, nxt.stance == "neutral"
        merged.append((first, cur))
    return tuple(st for _i, st in sorted(merged, key=lambda x: x[0]))


def _relative_clause_date(
    text: str, start: int, end: int, dated: list[tuple[TimeExpr, PartialDate, tuple[int, int] | None]]
) -> PartialDate | None:
    """The date of a relative clause that follows an actor's name in ``text`` (", who took
    office in late November, …", ", quien asumió en 2019, …"), if it has one of its own."""
    if not (0 <= start < end <= len(text)):
        return None  # a speaker named in an earlier sentence ("he said")
    for e, d, bg in dated:
        if bg is not None and text[bg[0]] == "," and 0 <= bg[0] - end <= 2 and bg[0] <= e.start < bg[1]:
            return d
    return None


def _is_heading(sentence: Sentence, body: str) -> bool:
    text = sentence.text.strip()
    para_start = sentence.start == 0 or body[sentence.start - 2 : sentence.start] == "\n\n"
    para_end = sentence.end == len(body) or body[sentence.end : sentence.end + 2] == "\n\n"
    return para_start and para_end and len(text) < 90 and not text.endswith((".", "?", "!", "”", '"', ":"))


def _publication(doc: Document, gaz: Gazetteer, sentence: Sentence) -> Mention | None:
    if not doc.source:
        return None
    known = next(
        (
            a
            for a in gaz.actors
            if fold(a.name) == fold(doc.source) or any(fold(x) == fold(doc.source) for x in a.aliases)
        ),
        None,
    )
    name = known.name if known else doc.source
    return Mention(sentence.start, sentence.start, doc.source, name, "organization", "publication")


class _Salience:
    """Who has acted or spoken most so far, per gender (the latest of equals): the referent of
    a paragraph's first "he" or "she". Counts only grow, so the best is kept as they change."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}
        self.best: dict[bool, tuple[int, int, Mention]] = {}
        self.seen = 0  # order of the acts (mention offsets mix sentence and document ones)

    def add(self, m: Mention) -> None:
        n = self.counts.get(m.actor, 0) + 1
        self.counts[m.actor] = n
        self.seen += 1
        female = is_female(m.actor)
        current = self.best.get(female)
        if current is None or (n, self.seen) >= current[:2]:
            self.best[female] = (n, self.seen, m)

    def top(self, female: bool) -> Mention | None:
        best = self.best.get(female)
        return best[2] if best else None


def _may_speak_alone(text: str) -> bool:
    """A sentence without an attribution may be the voice of a transcript turn or of the
    column's author: not a fragment ("Not arrests, not seizures."), a question or a report
    of an unnamed source."""
    return len(text.split()) >= 5 and not text.rstrip().endswith("?") and not unnamed_speaker(text)


def _author(doc: Document, sentence: Sentence) -> Mention | None:
    """The byline's person, as the speaker of a first-person sentence of the article."""
    name = (doc.author or "").strip()
    words = name.split()
    if not 2 <= len(words) <= 5 or not all(w[:1].isupper() for w in words if len(w) > 3):
        return None
    return Mention(sentence.start, sentence.start, name, name, "person", "author")


def annotate_document(doc: Document, user_actors: Path | None = None) -> Document:
    """Return ``doc`` with its actors, statements and events filled in."""
    gaz = load_gazetteer(user_actors)
    body = doc.body
    warnings = doc.warnings
    if len(body) > MAX_ANNOTATED_CHARS:  # no article is this long: bound the work, say so
        cut = body.rfind("\n\n", 0, MAX_ANNOTATED_CHARS)
        body = body[: cut if cut > 0 else MAX_ANNOTATED_CHARS]
        warnings = (*warnings, f"only the first {len(body):,} characters were annotated")
    pub = doc.published_date
    sentences = split_sentences(body)
    folded_body = fold_keep_length(body)
    all_mentions = find_mentions(body, gaz, pub, folded_body)
    starts = [m.start for m in all_mentions]
    statements: list[Statement] = []
    continued: set[tuple[int, int]] = set()  # sentences that go on with a speaker's words, no verb of their own
    events: list[Event] = []
    # the last main-clause date: what "two months later" counts from and a dateless past sentence keeps
    # (across paragraphs: on the dev set, scoping it to one paragraph lost more dates than it saved)
    anchor: PartialDate | None = None
    lead_cut = dateline_end(body)  # "MEXICO CITY, Jan 9 (Wire) -" is the publication's date, not an event's
    previous_actors: set[str] = set()  # who acted or spoke in the sentence before, in this paragraph
    last_person: Mention | None = None  # "he"
    last_she: Mention | None = None
    last_anyone: Mention | None = None  # the subject of a Spanish verb that leaves it out
    previous: Attribution | None = None
    analysis = False
    turn: Mention | None = None
    salience = _Salience()
    named_actors = {m.actor for m in all_mentions}
    guest = interviewee(body, all_mentions)
    surname_index = people_by_last_name(all_mentions)
    para_criminal = False
    doc_criminal = criminal_density(folded_body) >= 3
    author_mentions: list[Mention] = []
    for s in sentences:
        if _is_heading(s, body):
            anchor, previous, turn = None, None, None
            previous_actors = set()
            analysis = is_analysis_heading(s.text)
            continue
        mentions = all_mentions[bisect_left(starts, s.start) : bisect_left(starts, s.end)]
        para_start = s.start == 0 or body[s.start - 2 : s.start] == "\n\n"
        if para_start:
            previous_actors = set()
        background = background_spans(s.text)
        dated = [
            (e, d, _span_of(e.start, background))
            for e in find_time_expressions(s.text)
            if s.start + e.start >= lead_cut and not _FUTURE_CUE_RE.search(s.text, max(0, e.start - 30), e.start)
            for d in (resolve(e, pub, anchor),)
            if d is not None
        ]
        narrative = anchor if anchor is not None and carries_narrative(s.text) else None

        def date_at(
            pos: int,
            end: int | None = None,
            dated: list[tuple[TimeExpr, PartialDate, tuple[int, int] | None]] = dated,
            narrative: PartialDate | None = narrative,
            background: list[tuple[int, int]] = background,
            text: str = s.text,
        ) -> tuple[PartialDate | None, str | None]:
            """The date of the event at ``pos`` (an actor's mention ending at ``end``): the
            nearest expression of its own clause (a relative clause, a parenthesis or a "since"
            phrase dates only its own event; a parenthesis right after the actor's name — "the
            Calderón administration (2006-2012)" — is the actor's), else the main clause's, else
            the narrative's, else the publication date."""
            span = _span_of(pos, background)
            if span is None and end is not None:
                span = next((b for b in background if text[b[0]] == "(" and 0 <= b[0] - end <= 30), None)
            own = [(e, d) for e, d, bg in dated if bg == span] or [(e, d) for e, d, bg in dated if bg is None]
            if own:
                _e, d = min(own, key=lambda ed: min(abs(ed[0].start - pos), abs(ed[0].end - pos)))
                return d, "text"
            if narrative is not None:
                return narrative, "text"
            if pub is not None:
                return pub, "published"
            return None, None

        if para_start:
            turn = label_speaker(s, surname_index, doc.author, guest)  # "QUINTANILLA: …" holds the paragraph
            para_end = body.find("\n\n", s.start)
            para_end = para_end if para_end >= 0 else len(body)
            para_criminal = (
                doc_criminal
                or criminal_context(folded_body, s.start, para_end)
                or any(
                    m.type == "criminal_group"
                    for m in all_mentions[bisect_left(starts, s.start) : bisect_left(starts, para_end)]
                )
            )
            # a paragraph's first "he"/"she" is the person who has acted or spoken most so far (the topic)
            he = salience.top(female=False) or last_person
            she = salience.top(female=True) or last_she
        else:
            he, she = last_person, last_she
        attributions = attribute(s, mentions, he, previous, she, last_anyone)
        if not attributions and (turn or doc.author) and _may_speak_alone(s.text):
            own = turn or (first_person(s.text) and _author(doc, s))
            if own:
                attributions = [Attribution(own, None, "quote", (0, len(s.text)), None)]
                if own.how == "author" or (own.how == "label" and own.actor not in named_actors):
                    author_mentions.append(own)
        if not attributions and analysis:
            voice = _publication(doc, gaz, s)
            if voice is not None:
                attributions = [Attribution(voice, None, "publication", (0, len(s.text)), None)]
        local_types = [m.type for m in mentions]
        names = [(m.start - s.start, m.end - s.start) for m in mentions if m.type in _NAMED_BODIES]
        sentence_cues = topics_in(s.text, local_types, para_criminal, names) if attributions else []
        if attributions:
            sentence_cues = sorted([*sentence_cues, *policy_anaphora(s, body, sentence_cues)], key=lambda c: c.start)
        seen: set[tuple[str, str]] = set()
        for a in attributions:
            lo, hi = a.content
            cues_here = [c for c in sentence_cues if lo <= c.start and c.end <= hi]
            spans = [(c.start, c.end) for c in cues_here]
            for shifted in cues_here:
                key = (a.speaker.actor, shifted.topic)
                stance, cues = stance_of(
                    s.text,
                    shifted,
                    lo,
                    a.verb,
                    {"advocacy": 1, "rejection": -1}.get(a.verb_kind, 0),
                    None if a.parenthetical else a.verb_span,
                    a.negated,
                    spans,
                )
                if key in seen:
                    if stance == "neutral":
                        continue
                    prior = next(
                        i
                        for i, st in enumerate(statements)
                        if st.span == (s.start, s.end) and (st.speaker, st.topic) == key
                    )
                    if statements[prior].stance != "neutral":
                        continue
                    statements.pop(prior)
                seen.add(key)
                if a.verb_span is None and a.verb_kind != "publication":
                    continued.add((s.start, s.end))
                pos = a.verb_span[0] if a.verb_span else a.content[0]
                d, src = date_at(pos)
                statements.append(
                    Statement(
                        speaker=a.speaker.actor,
                        topic=shifted.topic,
                        stance=stance,
                        date=d.iso if d else None,
                        date_precision=d.precision if d else None,
                        date_source=src,
                        evidence=s.text,
                        span=(s.start, s.end),
                        cues=cues,
                        mode="publication"
                        if a.verb_kind == "publication"
                        else ("quote" if a.verb_kind == "quote" or any(q in s.text for q in '“"') else "reported"),
                    )
                )
        # the voices of a transcript's turns, a column's author and the publication speak, but do not act
        speakers = [
            a.speaker
            for a in attributions
            if a.verb_kind != "publication"
            and a.speaker.how not in _VOICES
            and not (a.verb_kind == "according" and _FIGURES_RE.search(s.text))  # "according to U.N. figures"
        ]
        acting: dict[str, tuple[Mention, str]] = {}
        for m in speakers:
            acting.setdefault(m.actor, (m, "speech"))
        for m in subjects(s, mentions, he):
            acting.setdefault(m.actor, (m, "action"))
        for m in mentions:  # "the Calderón administration (2006-2012)": the administration acts
            if m.type == "person" and (
                _TENURE_RE.match(body[m.end : m.end + 30]) or _TENURE_YEARS_RE.match(body, m.end, m.end + 30)
            ):
                acting.setdefault(m.actor, (m, "action"))
        if (
            s.text.rstrip().endswith("?")
            or _QUESTION_LABEL_RE.match(s.text)
            or any(a.speaker.how == "author" for a in attributions)
        ):
            acting = {}  # a question, or a column author's view of what others did, is not an event
        sentence_events = len(events)
        for actor, (m, kind) in acting.items():
            shift = 0 if kind == "speech" else s.start  # speakers carry sentence offsets
            d, src = date_at(max(0, m.start - shift), m.end - shift)
            if not dated and (
                actor in previous_actors or any(e.actor == actor and e.date == (d.iso if d else None) for e in events)
            ):
                continue  # "He added …", a quote's next sentence, a later line of that day: the same act
            # "Noboa, who took office in late November, declared … on Monday": two events
            clause = _relative_clause_date(s.text, m.start - shift, m.end - shift, dated)
            if clause is not None:
                events.append(Event(actor, clause.iso, clause.precision, "text", s.text, (s.start, s.end), "action"))
            if src == "published" and (
                (kind == "action" and not _ONGOING_RE.match(body, m.end, m.end + 40))
                or any(e.actor == actor for e in events)
            ):
                continue  # in a dated page, an act the text gives no time for is description ("X faces charges")
            role = "target" if kind == "action" and is_passive_subject(s, m) else "actor"
            events.append(
                Event(
                    actor, d.iso if d else None, d.precision if d else None, src, s.text, (s.start, s.end), kind, role
                )
            )
        if len(events) > sentence_events:  # the people and groups the sentence's acts are about
            for m in mentions:
                if m.type in _TARGET_TYPES and m.actor not in acting and m.how not in _NOT_REFERENTS:
                    d, src = date_at(m.start - s.start, m.end - s.start)
                    # "a crackdown started by his predecessor Felipe Calderón in 2006": the doer
                    agent = bool(_AGENT_RE.search(s.text, 0, m.start - s.start))
                    acting[m.actor] = (m, "action" if agent else "target")
                    events.append(
                        Event(
                            m.actor,
                            d.iso if d else None,
                            d.precision if d else None,
                            src,
                            s.text,
                            (s.start, s.end),
                            "action",
                            "actor" if agent else "target",
                        )
                    )
        previous_actors = {a for a, (_m, k) in acting.items() if k != "target"}
        persons = [
            m for m, k in acting.values() if k != "target" and m.type == "person" and m.how not in _NOT_REFERENTS
        ]
        for m in persons:  # the people who act or speak: the candidates for a paragraph's "he"
            salience.add(m)
        if not persons:  # "Bukele's response was immediate. That Saturday he …": the one person named
            named = {m.actor: m for m in mentions if m.type == "person" and m.how not in _NOT_REFERENTS}
            persons = list(named.values()) if len(named) == 1 else []
        for p in persons[:1]:
            last_anyone = p
            if is_female(p.actor):
                last_she = p
            else:
                last_person = p
        previous = attributions[0] if attributions else None
        main = [d for _e, d, bg in dated if bg is None and not (pub is not None and d.iso > pub.iso)]
        if main:  # background and future dates ("sentencing was set for June 26") do not move the narrative
            anchor = main[-1]
    return Document(
        **{
            **doc.__dict__,
            "actors": doc_actors([*all_mentions, *author_mentions], gaz),
            "warnings": warnings,
            "statements": join_neighbours(statements, body, continued),
            "events": tuple(events),
        }
    )
