"""Who said what, and who did what: speakers, stance, subjects of sentences.

Textacy-style heuristics without a parser (each rule is a regex over one sentence):

* direct quotes — ``“…,” X said``, ``“…,” said X``, ``X said: “…”``, ``“…,” he added`` —
  and a quote-only sentence that continues the previous speaker's quote;
* reported speech — ``X (reporting verb) (that) …`` with the verb lists of
  ``data/lexicon.toml``; ``according to X``; ``an interview with X``;
* nesting — when a newspaper reports that X said something the speaker is X: media
  (the publishers of ``boilerplate.toml``) only speak when nobody else does;
* pronoun subjects ("he argued") resolve to the last person in subject position;
* the publication's own voice in an analysis section is the publication's.

Stance comes from the reporting verb (advocacy/rejection) or from stance phrases in
the window before the topic cue, each flipped by a negation in its scope ("did not
rule out" is support). Reporting that someone else negotiates is no stance: without
an advocacy/rejection verb or a stance phrase the statement is ``neutral``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from cartelkit.annotate.actors import Mention
from cartelkit.annotate.lexicon import Lexicon, lexicon
from cartelkit.clean.metadata import known_sources
from cartelkit.model import Sentence
from cartelkit.textutil import QUOTATION_RE, fold, fold_keep_length

# Attribution also takes single curly quotes (the tense rule does not: apostrophes look alike).
_QUOTE_RE = re.compile(QUOTATION_RE.pattern + r"|‘[^’]{8,3000}’")
SPEAKER_TYPES = ("person", "organization", "government", "criminal_group")
_AUX_RE = re.compile(
    r"^(?:is|was|were|are|has|have|had|will|would|can|could|may|might|must|should|did|does|do|also|then|later|"
    r"now|again|still|recently|reportedly|allegedly|quickly|initially|finally|once|previously|himself|herself|"
    r"itself|themselves|alone|too|not|never|didn['’]t|doesn['’]t|hasn['’]t|haven['’]t|won['’]t|\w+ly)$"
)
_VERBISH_RE = re.compile(
    r"^(?:[a-z]{2,}ed|is|was|were|are|has|have|had|will|would|can|could|did|does|must|should|may|might|made|led|"
    r"took|gave|met|went|told|said|began|sent|held|kept|left|won|lost|ran|became|came|saw|got|put|set|spoke|wrote|"
    r"fled|fought|struck|sought|brought|built|says|wants|calls|plans|leads|controls|faces|remains|seeks|denies|"
    r"argues|claims|insists|warns|continues|runs|operates|uses|needs|takes|makes|gives|holds|keeps|sees|shows|"
    r"launches|orders|promises|vows|urges|rejects|accuses|blames|signs|meets|travels|visits|announces|proposes|"
    r"supports|opposes|notes|highlights|underscores|suggests|indicates|reports|states|adds|believes|thinks|"
    r"knows|tells|asks|agrees|refuses|offers|backs|defends|admits|estimates|expects|hopes|fears|became|begins|"
    r"killed|kills|attacks|extorts|recruits|governs|dominates|negotiates|deploys|arrests|captures|extradites|"
    r"broke|drove|chose|rose|fell|grew|knew|threw|stood|understood|paid|sat|flew|swore|declared|took)$"
)
_WORD_RE = re.compile(r"[\w'’-]+")
_CLAUSE_BREAK_RE = re.compile(r"[;:]|,\s+(?:but|while|whereas|although|though)\b|\bbut\b")
_DOC_NOUN_RE = re.compile(
    r"^(?:report|reports|study|analysis|statement|communiqu[eé]|document|survey|findings|data|investigation|"
    r"researchers|office|spokesman|spokeswoman|spokesperson|officials?|leadership|team|blog|website|account|"
    r"party|lawmakers|members|leaders|deputies|senators|legislators|lawyers|spokespeople|government|"
    r"administration|ministry|lawyer|director|chief|head|commanders?|['’]s)$"
)
_COMMUNICATION_RE = re.compile(
    r"^\s*(?:has\s+|have\s+|had\s+)?(?:released|published|issued|posted|presented|sent|delivered|put out|unveiled)"
    r"\s+(?:a|an|its|his|her|their)\s+(?:[\w-]+\s+){0,2}(?:blog|statement|report|communiqu[eé]|video|letter|"
    r"document|proposal|plan|op-ed|editorial|message|post|entry|speech)"
)
_ANALYSIS_HEADING_RE = re.compile(r"\b(?:analysis|opinion|commentary|editorial|comment|our view|perspective)\b", re.I)


@dataclass(frozen=True)
class Attribution:
    """The speaker of (part of) a sentence and the stretch of text that is theirs."""

    speaker: Mention
    verb: str | None  # the reporting verb, folded
    verb_kind: str  # neutral | claim | advocacy | rejection | quote | according | publication
    content: tuple[int, int]  # offsets in the sentence
    verb_span: tuple[int, int] | None
    negated: bool = False


@dataclass(frozen=True)
class TopicHit:
    topic: str
    cue: str
    start: int
    end: int


@cache
def _media() -> frozenset[str]:
    return frozenset(fold(n) for n in known_sources())


def is_media(m: Mention) -> bool:
    return fold(m.actor) in _media() or fold(m.text) in _media()


def _verb_kind(lex: Lexicon, text: str, start: int) -> list[tuple[int, int, str, str]]:
    hits = []
    for kind, rx in (
        ("advocacy", lex.advocacy_verbs),
        ("rejection", lex.rejection_verbs),
        ("claim", lex.claim_verbs),
        ("neutral", lex.neutral_verbs),
    ):
        for m in rx.finditer(text, start):
            hits.append((m.start(), m.end(), kind, m.group(0)))
    hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
    out: list[tuple[int, int, str, str]] = []
    last = -1
    for h in hits:
        if h[0] >= last:
            out.append(h)
            last = h[1]
    return out


def _mask(spans: Sequence[tuple[int, int]], length: int) -> bytearray:
    """Positions covered by any of ``spans`` (linear lookups, however many spans)."""
    covered = bytearray(length + 1)
    for s, e in spans:
        covered[s + 1 : e] = b"\x01" * max(0, e - s - 1)
    return covered


def negated_before(lex: Lexicon, text: str, pos: int, words: int = 3) -> bool:
    """A negator among the few words before ``pos`` (for "did not rule out", "never denied")."""
    window = " ".join(_WORD_RE.findall(text[:pos])[-words:])
    return bool(lex.negators.search(window) or re.search(r"n['’]t\b", window))


def attribute(
    sentence: Sentence,
    mentions: Sequence[Mention],
    last_person: Mention | None,
    previous: Attribution | None,
) -> list[Attribution]:
    """The speakers of one sentence (mentions' offsets are document offsets)."""
    lex = lexicon()
    text = sentence.text
    folded = fold_keep_length(text)
    local = [
        Mention(m.start - sentence.start, m.end - sentence.start, m.text, m.actor, m.type, m.how)
        for m in mentions
        if sentence.start <= m.start and m.end <= sentence.end and m.type in SPEAKER_TYPES
    ]
    quotes = [(q.start(), q.end()) for q in _QUOTE_RE.finditer(text)]
    in_quote = _mask(quotes, len(text))
    found: list[Attribution] = []
    current = last_person
    for vs, ve, kind, verb in _verb_kind(lex, folded, 0):
        if in_quote[vs]:
            continue
        speaker: Mention | None = None
        content = (ve, len(text))
        if verb == "according to":
            after = [m for m in local if m.start >= ve and m.start - ve <= 40]
            if after:
                speaker = after[0]
                content = (0, vs) if vs > 10 else (after[0].end, len(text))
                kind = "according"
        else:
            speaker = _subject_before(text, local, vs, current, previous)
            if speaker is not None and speaker.end <= vs and not re.search(r"[,—(]|--", text[speaker.end : vs]):
                content = (speaker.end, len(text))  # "X has framed … as a war and has said …"
            if speaker is None:  # inverted: “…,” said X / “…,” X said
                after = [m for m in local if m.start >= ve and m.start - ve <= 3]
                if after:
                    speaker = after[0]
            if speaker is None and verb.endswith("ing"):  # "…, X broke ranks by urging …"
                subj = subjects(sentence, [m for m in mentions if m.type in SPEAKER_TYPES], current)
                subj = [m for m in subj if m.start - sentence.start < vs]
                if subj:
                    speaker = Mention(
                        subj[0].start - sentence.start,
                        subj[0].end - sentence.start,
                        subj[0].text,
                        subj[0].actor,
                        subj[0].type,
                        subj[0].how,
                    )
            if verb.startswith("warn") and kind == "claim":
                kind = "warning"
            if quotes and quotes[0][1] <= vs + 2:
                content = quotes[0]
            elif quotes and quotes[-1][0] >= ve:
                content = (ve, len(text))
        if speaker is None:
            continue
        neg = negated_before(lex, folded, vs) and kind in ("advocacy", "rejection")
        found.append(Attribution(speaker, verb, kind, content, (vs, ve), neg))
        if speaker.type == "person":
            current = speaker
    for m in re.finditer(r"\binterview\b[^.]{0,60}?\bwith\s+", folded):
        after = [x for x in local if x.start >= m.end() and x.start - m.end() <= 30 and not is_media(x)]
        if after:
            found.append(Attribution(after[0], "interview", "according", (after[0].end, len(text)), None))
    if not found and previous is not None and text.lstrip()[:1] in '“"' and quotes:
        found.append(Attribution(previous.speaker, None, "quote", quotes[0], None))
    if not found:  # "X has released a blog entry on why …", "X's report calls …"
        for who in local:
            tail = folded[who.end : who.end + 90]
            if _COMMUNICATION_RE.match(tail):
                found.append(Attribution(who, "statement", "claim", (who.end, len(text)), (who.end, who.end)))
                break
    non_media = [a for a in found if not is_media(a.speaker)]
    return non_media or found


def _subject_before(
    text: str, local: Sequence[Mention], vs: int, last_person: Mention | None, previous: Attribution | None = None
) -> Mention | None:
    """The actor whose clause the verb at ``vs`` belongs to (nearest mention before it, across
    an appositive or a parenthesis), or a pronoun's referent."""
    before = [m for m in local if m.end <= vs]
    gap_ok = re.compile(r"^(?:\s*(?:,[^,]{0,80},|--.{0,120}?--|—.{0,120}?—|\([^)]{0,80}\)))?\s*(?:[\w'’-]+\s+){0,3}$")
    for m in reversed(before):
        gap = text[m.end : vs]
        words = _WORD_RE.findall(_strip_apposition(gap))
        if gap_ok.match(gap) and all(_AUX_RE.match(w.lower()) or _DOC_NOUN_RE.match(w.lower()) for w in words):
            return m
        break
    head = text[max(0, vs - 30) : vs].lower()
    if last_person is not None and re.search(r"\b(?:he|she)(?:\s+\w+){0,2}\s*$", head):
        return last_person
    if (
        previous is not None
        and previous.speaker.type != "person"
        and re.search(r"(?:^|\W)they(?:\s+\w+){0,2}\s*$", head)
    ):
        return previous.speaker
    return None


def _strip_apposition(gap: str) -> str:
    return re.sub(r",[^,]{0,80},|--.*?--|—.*?—|\([^)]*\)", " ", gap)


def subjects(sentence: Sentence, mentions: Sequence[Mention], last_person: Mention | None) -> list[Mention]:
    """Actors in subject position: a mention followed (after an appositive, a parenthesis or
    adverbs) by a verb; a leading "He"/"She" stands for ``last_person``."""
    text = sentence.text
    out: list[Mention] = []
    local = [m for m in mentions if sentence.start <= m.start and m.end <= sentence.end and m.type in SPEAKER_TYPES]
    for m in local:
        rest = _strip_apposition(text[m.end - sentence.start : m.end - sentence.start + 160])
        words = _WORD_RE.findall(rest)[:4]
        for w in words:
            lw = w.lower()
            if lw in ("and", "or"):
                break
            if _VERBISH_RE.match(lw) and not w[:1].isupper():
                out.append(m)
                break
            if not _AUX_RE.match(lw):
                break
    lead = re.match(r"^\s*(?:[A-Z][\w ,]{0,40},\s+)?(he|she)\b", text, re.IGNORECASE)
    if lead and last_person is not None and not any(m.actor == last_person.actor for m in out):
        out.append(last_person)
    return out


def topics_in(text: str, mentions_types: Sequence[str]) -> list[TopicHit]:
    """Topic cues of a stretch of text (weak cues need a criminal context)."""
    lex = lexicon()
    folded = fold_keep_length(text)
    criminal = bool(lex.criminal_context.search(folded)) or "criminal_group" in mentions_types
    hits: list[TopicHit] = []
    for topic in lex.topics:
        for m in topic.strong.finditer(folded):
            hits.append(TopicHit(topic.name, text[m.start() : m.end()], m.start(), m.end()))
        if criminal:
            for m in topic.weak.finditer(folded):
                if not any(h.start <= m.start() < h.end for h in hits):
                    hits.append(TopicHit(topic.name, text[m.start() : m.end()], m.start(), m.end()))
    return sorted(hits, key=lambda h: h.start)


def stance_of(text: str, attribution: Attribution, cue: TopicHit) -> tuple[str, tuple[str, ...]]:
    """``support``/``oppose``/``neutral`` of the speaker towards the topic cue, and the
    words that carried it."""
    lex = lexicon()
    folded = fold_keep_length(text)
    verb_polarity = {"advocacy": 1, "rejection": -1}.get(attribution.verb_kind, 0)
    flip = -1 if re.match(r"^\W*(?:nor|neither)\b", folded) else 1
    if verb_polarity and attribution.verb_span and attribution.verb_span[1] <= cue.start:
        if attribution.negated:
            verb_polarity = -verb_polarity
        verb_polarity *= flip
        return ("support" if verb_polarity > 0 else "oppose"), (attribution.verb or "", cue.cue)
    if attribution.verb_kind == "warning" and attribution.verb_span and 0 <= cue.start - attribution.verb_span[1] <= 30:
        return "oppose", (attribution.verb or "", cue.cue)  # "warned that such an amnesty would …"
    denial = re.search(r"(?:\b(?:not|never|no)|n['’]t)\s+(?:\w+\s+)?$", folded[max(0, cue.start - 20) : cue.start])
    if denial and cue.topic == "negotiation":
        return ("oppose" if flip > 0 else "support"), (denial.group(0).strip(), cue.cue)
    # a stance phrase in the clause right before the cue (or right after it for predicates)
    lo = max(attribution.content[0], _clause_start(folded, cue.start))
    window = folded[lo : cue.start]
    best: tuple[int, str, int] | None = None  # position, phrase, polarity
    for rx, pol in ((lex.support, 1), (lex.oppose, -1)):
        for hit in rx.finditer(window):
            if best is None or hit.start() > best[0]:
                best = (hit.start(), hit.group(0), pol)
    after = folded[cue.end : cue.end + 80]
    after = after[: _first_break(after)]
    if best is None:
        for rx, pol in ((lex.oppose, -1), (lex.support, 1)):
            later = rx.search(after)
            if later and later.start() < 50:
                best = (cue.end + later.start() - lo, later.group(0), pol)
                break
    if best is None:
        return "neutral", (cue.cue,)
    pos, phrase, pol = best
    absolute = lo + pos
    negs = len(
        re.findall(r"\b(?:not|never|no|without|cannot|nor)\b|n['’]t\b", folded[max(lo, absolute - 25) : absolute])
    )
    if phrase.strip() in ("never", "cannot", "can't", "no place"):
        negs = 0
    if negs % 2:
        pol = -pol
    pol *= flip
    return ("support" if pol > 0 else "oppose"), (phrase, cue.cue)


def _clause_start(folded: str, pos: int) -> int:
    start = 0
    for m in _CLAUSE_BREAK_RE.finditer(folded[:pos]):
        start = m.end()
    return start


def _first_break(text: str) -> int:
    m = re.search(r"[;.]|,\s+(?:but|while|and)\b", text)
    return m.start() if m else len(text)


def is_analysis_heading(paragraph: str) -> bool:
    p = paragraph.strip()
    return len(p) < 60 and not p.endswith(".") and bool(_ANALYSIS_HEADING_RE.search(p))
