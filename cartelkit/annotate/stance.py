"""Stance: what a speaker's words say about a policy (negotiation or confrontation).

The polarity of a statement towards a topic cue is composed, not looked up: the
speaker's act when it governs the cue ("rejected", "ruled out", "defended", "pidió"), times
the attitude word nearest before the cue ("must", "keep", "a mistake", "fracaso") or, with
none, the evaluation that heads the cue's predicate ("… would be absolutely unacceptable"),
each flipped by a negator close before it ("not", "neither", "no longer", "nadie"); a
negator right before the cue negates the cue itself. "did not rule out (−·−) keeping
soldiers" is support, "promised (+) there would be no (−) truce" is oppose. A statement
with no attitude word at all is ``neutral``: reporting that something happened is not a
position.

Each polarity word is in ``data/lexicon.toml`` (English and Spanish); ``cues`` of a row
list the words that decided it, in text order, with the topic cue last.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from cartelkit.annotate.lexicon import lexicon
from cartelkit.textutil import fold_keep_length, leftmost_longest

_PARTICIPLES = (
    r"saying|arguing|adding|insisting|noting|explaining|claiming|warning|stressing|writing|describing|calling|"
    r"stating|telling|declaring|asserting|recalling|acknowledging|promising|vowing|pledging|urging|"
    r"diciendo|asegurando|afirmando|advirtiendo|insistiendo|argumentando|sosteniendo|calificando"
)
# Clause boundaries inside a sentence: what is said after them is another proposition.
_CLAUSE_BREAK_RE = re.compile(
    rf"[;:]|[.!?]\s|,\s+(?=(?:{_PARTICIPLES})\b)|\b(?:who|whom|which|quien|quienes)\b|"
    r"\b(?:after|before|following|amid|tras|durante)\b|"
    r",\s+(?:but|while|whereas|although|though|pero|aunque|mientras|sino)\b|\b(?:but|pero|sino)\b"
)
_AFTER_BREAK_RE = re.compile(
    r"[;.:]|,\s+(?:but|while|pero|aunque|mientras)\b|\s+(?:but|pero)\b|\s(?:and|y)\s+(?:that|que)\b|"
    rf",\s+(?:{_PARTICIPLES})\b"
)
AFTER_WINDOW = 90  # characters after a cue where its predicate is looked for
CLAUSE_WINDOW = 240  # characters before a cue where its clause is looked for
WARNING_REACH = 30  # a warning is about a cue this close after the verb
ENACTING_REACH = 120  # "announced [a 30-day national] state of emergency": the policy as the verb's object
_CLAUSE_OPENER_RE = re.compile(r"\b(?:that|que|plans?|planes|to|para|would|will|its|his|her|su|sus)\b|[;:]")
_WARNING_VERBS = ("warn", "cautio", "advirti", "advierte", "alert")
NEGATION_SCOPE = 4  # words from a negator to the word it negates
NEGATOR = 0  # polarity marker of a negator (it flips what follows)
_LEADING_NOR_RE = re.compile(r"^\W*(nor|neither|ni|tampoco)\b")
# A verb of its own between a negator and the cue takes the negation ("not achieved by pursuing").
_OWN_VERB_RE = re.compile(r"\b(?!been\b|being\b|need\b)[a-z]{3,}(?:ed|ing)\b")
# What an undoing verb acts on when the cue is its subject: "[the emergency] will stop the killing".
_OBJECT_RE = re.compile(r"\s+(?:the|a|an|this|that|these|any|all|la|el|los|las|un|una|esta|este|toda|todo)\s")
# "This ceasefire is not a concession": denying a description of the policy is no rejection of it.
_COPULA_NOT_RE = re.compile(r"\b(?:is|was|are|were|es|fue|son|era)\s+(?:not|no)\s+(?:(?:a|an|una|un)\s+)?$")
_NOBODY_RE = re.compile(
    r"\b(?:nobody|no one|no other|none|nadie|ningun[oa]?|no\s+(?:\w+\s+){0,2}(?:leader|government|president|"
    r"administration|one|country|minister))\b"
)
_MORE_RE = re.compile(
    r"\b(?:as hard as|harder than|more than|did more|has done more|had done more|done more|as much as|"
    r"tanto como|mas que|hizo mas|ha hecho mas|habia hecho mas)\b"
)
_MODAL_RE = re.compile(
    r"va a|van a|vamos a|voy a|must|should|have to|has to|need to|needs to|tiene que|tienen que|hay que|debe|deben"
)
_QUESTION_RE = re.compile(r"\b(?:whether|if|si)\b|\?")
_SUBORDINATE_RE = re.compile(r"\b(?:who|which|whom|whose|quien|quienes|cuyo|cuya|if|unless)\b")
_CONTRACTED_NOT_RE = re.compile(r"n['’]t\b")
_WORDS_RE = re.compile(r"[\w'’-]+")
# "… and reactivated …": a coordinated verb starts its own predicate (its polarity is its own).
_COORDINATED_VERB_RE = re.compile(r"\s(?:and|y|e)\s+(?=(?:then\s+|luego\s+)?[a-z]{3,}(?:ed|o|io)\b)")


@dataclass(frozen=True)
class TopicHit:
    topic: str
    cue: str
    start: int
    end: int


@dataclass(frozen=True)
class _Word:
    start: int
    end: int
    text: str
    polarity: int  # +1 advocacy/approval, -1 rejection/disapproval/undoing, NEGATOR
    kind: str = "act"  # act (verbs, modals) | evaluation (disapproval) | negator | promise (future)


def criminal_context(folded: str, start: int = 0, end: int | None = None) -> bool:
    """Whether ``folded[start:end]`` (a paragraph of folded text) speaks of criminal groups."""
    return bool(lexicon().criminal_context.search(folded, start, len(folded) if end is None else end))


def criminal_density(folded: str) -> int:
    """How many criminal-context words a folded text holds (up to 10)."""
    n = 0
    for _m in lexicon().criminal_context.finditer(folded):
        n += 1
        if n >= 10:
            break
    return n


def topics_in(
    text: str, mentions_types: Sequence[str], context: bool = False, names: Sequence[tuple[int, int]] = ()
) -> list[TopicHit]:
    """Topic cues of a stretch of text. Weak cues ("deal", "accord", "war") need a criminal
    context: in the text, among its actors, or (``context``) in its paragraph. A cue inside an
    actor's name (``names``: "Revolutionary Armed Forces of Colombia") is no cue."""
    lex = lexicon()
    folded = fold_keep_length(text)
    criminal = context or bool(lex.criminal_context.search(folded)) or "criminal_group" in mentions_types
    hits: list[TopicHit] = []
    for topic in lex.topics:
        for m in topic.strong.finditer(folded):
            hits.append(TopicHit(topic.name, text[m.start() : m.end()], m.start(), m.end()))
        if criminal:
            for m in topic.weak.finditer(folded):
                if not any(h.start <= m.start() < h.end for h in hits):
                    hits.append(TopicHit(topic.name, text[m.start() : m.end()], m.start(), m.end()))
    kept = [
        h
        for h in hits
        if not any(s <= h.start < e for s, e in names)
        # a cue inside a longer one of the other topic is part of it ("balazos" of "abrazos, no balazos")
        and not any(o.start <= h.start and h.end <= o.end and o.end - o.start > h.end - h.start for o in hits)
    ]
    return sorted(kept, key=lambda h: h.start)


def polarity_words(folded: str, lo: int, hi: int, predicate: bool = False) -> list[_Word]:
    """Attitude words and negators of ``folded[lo:hi]``, longest match first, no overlaps
    (``predicate``: the words after a cue, where verbs and undoing operators act on something
    else — "declared a state of emergency, suspending civil liberties")."""
    lex = lexicon()
    window = folded[lo:hi]
    found: list[_Word] = []
    kinds = [
        (lex.undo, -1, "act"),
        (lex.oppose, -1, "evaluation"),
        (lex.support, 1, "act"),
        (lex.negators, NEGATOR, "negator"),
    ]
    if not predicate:
        kinds = [
            (lex.rejection_verbs, -1, "act"),
            (lex.advocacy_verbs, 1, "act"),
            *kinds,
            (lex.promise, 1, "promise"),
        ]
    for rx, pol, kind in kinds:
        for m in rx.finditer(window):
            if predicate and rx is lex.undo and _OBJECT_RE.match(folded, lo + m.end()):
                pol = 1  # the policy stops something else: "… will (not) stop the killing" is its efficacy
            found.append(_Word(lo + m.start(), lo + m.end(), m.group(0), pol, kind))
            pol = -1 if rx is lex.undo else pol
    for m in _CONTRACTED_NOT_RE.finditer(window):
        found.append(_Word(lo + m.start(), lo + m.end(), m.group(0), NEGATOR, "negator"))
    words = leftmost_longest(found, lambda w: (w.start, w.end))
    if any(w.kind == "promise" for w in words):
        words = _binding_promises(folded, words, hi)
    return words


def _binding_promises(folded: str, words: list[_Word], hi: int) -> list[_Word]:
    """Promises that commit the speaker to what follows: none in a negated clause (the negator
    decides there), a question ("asked whether … would"), or across a relative or conditional clause ("would
    not sit down with men who burned police stations", "will be damaging if it comes out that …")."""
    negated = any(w.kind == "negator" for w in words)
    return [
        w
        for w in words
        if w.kind != "promise"
        or not (
            negated
            or _QUESTION_RE.search(folded, max(0, w.start - 40), w.start)
            or _SUBORDINATE_RE.search(folded, w.end, hi)
        )
    ]


def _compose(folded: str, words: list[_Word], cue: TopicHit, verb_factor: bool) -> tuple[int, list[str], bool]:
    """Sign and reasons from the attitude word nearest before the cue (or, without one, the
    first in its predicate), each flipped by a negator up to ``NEGATION_SCOPE`` words before
    it; a negator right before the cue ("no truce", "neither truce") negates the cue."""
    before = [w for w in words if w.end <= cue.start]
    after = [w for w in words if w.start >= cue.end]
    sign, why = 1, []
    if (
        before
        and before[-1].polarity == NEGATOR
        and _gap_words(folded, before[-1].end, cue.start) <= NEGATION_SCOPE
        and not _COPULA_NOT_RE.search(folded, max(0, cue.start - 30), cue.start)
        and not _OWN_VERB_RE.search(folded, before[-1].end, _last_word_start(folded, cue.start))
    ):
        sign, why = -1, [before[-1].text.strip()]
        before = before[:-1]
    attitude_before = any(w.polarity != NEGATOR for w in before)
    if not attitude_before and not why and not verb_factor:
        pol, reason, blame = _first_attitude(folded, after, cue_end=cue.end)
        if reason and before and before[-1].polarity == NEGATOR:
            # "I do not think [the cue] would work": an open negator of the clause scopes over the predicate
            pol, reason, blame = -pol, [before[-1].text.strip(), *reason], False
        return pol, reason, blame
    if not attitude_before:
        return sign, why, False
    s2, why2, blame = _first_attitude(folded, before[::-1], reverse=True)
    return sign * s2, why2 + why, blame and not why


def _first_attitude(
    folded: str, group: list[_Word], reverse: bool = False, cue_end: int = 0
) -> tuple[int, list[str], bool]:
    """The first attitude word of ``group`` (ordered from the cue outwards), flipped by a
    negator scoping over it; and whether it is an unnegated disapproval (see ``stance_of``)."""
    if not reverse:  # in a predicate the evaluation is the head: "… must be left behind", "… tiene que quedar atrás"
        evaluations = [w for w in group if w.kind == "evaluation" and "," not in folded[cue_end : w.start]]
        group = [*evaluations, *(w for w in group if w.kind == "negator")] if evaluations else group
    for k, w in enumerate(group):
        if w.polarity == NEGATOR:
            continue
        earlier = group[k + 1 :] if reverse else [x for x in group if x.end <= w.start][::-1]
        pol, why = w.polarity, [w.text.strip()]
        if not reverse and w.polarity > 0 and w.kind != "evaluation":
            # a modal and the act it governs: "must stop the war" (−), "no vamos a ceder" (−·+·−)
            act = next((x for x in group[k + 1 :] if x.polarity != NEGATOR), None)
            if act is not None and act.kind == "act" and act.polarity < 0 and _gap_words(folded, w.end, act.start) <= 2:
                pol, why = -1, [*why, act.text.strip()]
        neg = _negator_before(folded, earlier, w)
        if neg is not None:
            return -pol, [neg.text.strip(), *why], False
        return pol, why, w.kind == "evaluation"
    return 1, [], False


def _negator_before(folded: str, earlier: list[_Word], w: _Word) -> _Word | None:
    """The negator scoping over ``w``: the nearest earlier word, when it is a negator close by
    (across a modal: "no va a retroceder", "will not be allowed to stop")."""
    rest = list(earlier)
    while rest and (rest[0].kind == "promise" or _MODAL_RE.fullmatch(rest[0].text.strip())):
        rest = rest[1:]
    if rest and rest[0].polarity == NEGATOR and _gap_words(folded, rest[0].end, w.start) <= NEGATION_SCOPE:
        return rest[0]
    return None


def _last_word_start(folded: str, pos: int) -> int:
    """Where the word right before ``pos`` starts (a participle there is an adjective:
    "isn't improvised raids")."""
    m = re.search(r"[\w'’-]+\s*$", folded[max(0, pos - 40) : pos])
    return pos - len(m.group(0)) if m else pos


def _gap_words(folded: str, a: int, b: int) -> int:
    return len(_WORDS_RE.findall(folded, a, b)) if b > a else 0


def clause_start(folded: str, pos: int) -> int:
    start = max(0, pos - CLAUSE_WINDOW)
    for rx in (_CLAUSE_BREAK_RE, _COORDINATED_VERB_RE):
        for m in rx.finditer(folded, start, pos):
            start = max(start, m.end())
    return start


def _enacts(folded: str, verb: str, verb_end: int, cue_start: int) -> bool:
    """Whether ``verb`` puts the policy at ``cue_start`` into force: an enacting verb with the
    policy as its object, a few words on ("declared a 60-day state of emergency")."""
    between = folded[verb_end:cue_start]
    return (
        0 <= cue_start - verb_end <= ENACTING_REACH
        and bool(lexicon().enacting.fullmatch(verb))
        and not _CLAUSE_OPENER_RE.search(between)
    )


def _boast(folded: str, lo: int, cue_start: int, hi: int) -> tuple[str, str] | None:
    """A comparative boast around a cue: "nobody … as hard as", "no leader did more to fight",
    "nadie ha hecho más contra": the negator and the comparison that make it one."""
    nobody = _NOBODY_RE.search(folded, lo, cue_start)
    if nobody is None:
        return None
    more = _MORE_RE.search(folded, nobody.end(), hi)
    return (nobody.group(0), more.group(0)) if more else None


def _predicate_end(folded: str, pos: int) -> int:
    m = _AFTER_BREAK_RE.search(folded, pos, pos + AFTER_WINDOW)
    return m.start() if m else min(len(folded), pos + AFTER_WINDOW)


def stance_of(
    text: str,
    cue: TopicHit,
    content_start: int,
    verb: str | None = None,
    verb_polarity: int = 0,
    verb_span: tuple[int, int] | None = None,
    verb_negated: bool = False,
    covered: Sequence[tuple[int, int]] = (),
) -> tuple[str, tuple[str, ...]]:
    """``support``/``oppose``/``neutral`` of a speaker towards ``cue`` in sentence ``text``.

    ``verb_polarity`` is the sign of the speaker's own act when it governs the cue (+1
    "defended", -1 "rejected", 0 a neutral "said"); ``covered`` are spans of other cues,
    whose words are not attitude words ("arrest" in "arrest warrants")."""
    folded = fold_keep_length(text)
    lo = clause_start(folded, cue.start)
    sign = 1
    if verb_span is not None and any(s < verb_span[1] and verb_span[0] < e for s, e in covered):
        verb_polarity = 0  # the verb is part of a policy's name ("suspendió garantías"): not a rejection
    if verb and verb_span is not None and _enacts(folded, verb, verb_span[1], cue.start):
        verb_polarity = 0  # "announced a 30-day state of emergency": an act, not words about it
    why: list[str] = []
    if (
        not verb_polarity
        and verb
        and verb.startswith(_WARNING_VERBS)
        and verb_span is not None
        and 0 <= cue.start - verb_span[1] <= WARNING_REACH
        and not lexicon().negators.search(folded, verb_span[1], _predicate_end(folded, cue.end))
    ):
        # "warned that such an amnesty would …"; a negated warning says what it says ("warning
        # that gangs are not defeated with more violence")
        verb_polarity = -1
    if verb_polarity and verb_span is not None and verb_span[0] >= lo - 1 and verb_span[1] <= cue.start:
        sign = -verb_polarity if verb_negated else verb_polarity
        why += (["not"] if verb_negated else []) + [verb or ""]
        lo = max(lo, verb_span[1])
    elif verb_span is not None and verb_span[1] <= cue.start:
        lo = max(lo, verb_span[1])
    lo = max(lo, content_start)
    hi = _predicate_end(folded, cue.end)
    later = [s for s, _e in covered if cue.end <= s < hi]
    hi = min([hi, *later])
    words = [
        w
        for w in polarity_words(folded, lo, cue.start) + polarity_words(folded, cue.end, hi, predicate=True)
        if not any(s <= w.start < e for s, e in covered)
    ]
    boast = _boast(folded, lo, cue.start, hi)
    if boast:  # "nobody had fought the narcos as hard as his administration": pride, not a negation
        return "support", (*why, *boast, cue.cue)
    composed, more, blame = _compose(folded, words, cue, bool(why))
    # a rejecting act and a disapproval agree ("accused the army of abuses under the emergency"):
    # they are one opposition, not a double negation
    sign = -1 if (blame and sign < 0) else sign * composed
    why += more
    lead = _LEADING_NOR_RE.match(folded)
    if lead and why and lead.end() <= lo:  # "Nor, he added, should any government sit down with …"
        sign = -sign
        why.insert(0, lead.group(1))
    if not why and lexicon().slogans.fullmatch(fold_keep_length(cue.cue)):
        return "support", ("slogan", cue.cue)  # saying "abrazos, no balazos" with no judgement of it
    if not why:
        return "neutral", (cue.cue,)
    return ("support" if sign > 0 else "oppose"), (*why, cue.cue)
