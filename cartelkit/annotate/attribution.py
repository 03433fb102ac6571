"""Who said what, and who did what: speakers and the stretch of text that is theirs.

Heuristics without a parser (each rule a regex over one sentence), English and Spanish:

* direct quotes — ``“…,” X said``, ``«…», afirmó la directora, X``, ``X said: “…”``; a quote
  speaks together with what follows its verb (", renewing his call for …");
* reported speech and stance acts — ``X (verb) (that) …`` with the verb lists of
  ``data/lexicon.toml``; the subject found across appositives, relative clauses ("a quien …"),
  "X of the Y party" and titles; ``according to X``; ``an interview with X``;
* parenthetical attributions ("Years of mano dura, he added, …", "Tampoco habrá, dijo, …")
  speak the whole sentence; a coordinated verb shares the sentence's subject;
* pronouns — "he"/"she" by gender (passed in by the caller), Spanish verbs without a subject;
* transcript labels ("NAME, ROLE:"), interview answers ("R.", "A:"), first-person views;
* never a speaker: an unnamed "senior official", a newspaper reporting words, a
  counterfactual ("could have ended"), words inside a quotation.

What a speaker's words say about a topic is :mod:`cartelkit.annotate.stance`'s job.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from cartelkit.annotate.actors import NAME_PARTICLES, Mention, is_female
from cartelkit.annotate.lexicon import Lexicon, lexicon
from cartelkit.clean.metadata import known_sources
from cartelkit.dates import MONTH_NAMES_RE, WEEKDAY_NAMES_RE
from cartelkit.model import Sentence
from cartelkit.textutil import QUOTATION_RE, fold, fold_keep_length

# Attribution also takes single curly quotes (the tense rule does not: apostrophes look alike).
# Single curly quotes too; a ’ between letters is an apostrophe ("‘We don’t want war,’ he said").
_QUOTE_RE = re.compile(QUOTATION_RE.pattern + r"|‘(?:[^’]|’(?=\w)){8,3000}’")
MAX_VERBS = 24  # reporting verbs looked at per sentence (prose has a few; a list of "X said" has no end)
SPEAKER_TYPES = ("person", "organization", "government", "criminal_group")
_AUX_RE = re.compile(
    r"^(?:is|was|were|are|has|have|had|will|would|can|could|may|might|must|should|did|does|do|also|then|later|"
    r"now|again|still|recently|reportedly|allegedly|quickly|initially|finally|once|previously|himself|herself|long|"
    r"often|always|even|first|publicly|privately|"
    r"itself|themselves|alone|too|not|never|didn['’]t|doesn['’]t|hasn['’]t|haven['’]t|won['’]t|\w+ly|who|which|"
    r"quien|quienes|que|ya|tambi[eé]n|adem[aá]s|luego|despu[eé]s|finalmente|asimismo|no|nunca|se|le|les|lo|ha|han|"
    r"hab[ií]a|hab[ií]an|habr[ií]a|hoy|ayer|me|nos|te)$"
)
_VERBISH_RE = re.compile(
    r"^(?:[a-z]{2,}ed|[a-záéíóúñ]{2,}(?:ó|aron|ieron)|fue|fueron|es|ha|han|había|era|dijo|hizo|tiene|dice|está|"
    r"is|was|were|are|has|have|had|will|would|can|could|did|does|must|should|may|might|made|led|"
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
# A time between a subject and its verb: "Petro on Friday suspended …", "Valencia el lunes calificó …".
_TIME_GAP_RE = re.compile(
    rf"\b(?:(?:on|this|last|el|este|el\s+pasado)\s+(?:{WEEKDAY_NAMES_RE})(?:\s+(?:morning|night|afternoon|evening))?|"
    rf"(?:in|en)\s+(?:{MONTH_NAMES_RE})(?:\s+(?:of\s+|de\s+)?\d{{4}})?|on\s+\d{{1,2}}\s+(?:{MONTH_NAMES_RE})|"
    rf"(?:{MONTH_NAMES_RE})\s+\d{{1,2}}|yesterday|today|tonight|ayer|hoy|anoche|"
    r"(?:last|this|esta|la\s+semana|el\s+mes)\s+(?:week|month|year|pasad[oa])|at\s+the\s+time|later|then)\b",
    re.IGNORECASE,
)
# Aspect between a subject and its verb: "volvió a pedir", "lleva años advirtiendo", "has long insisted".
_ASPECT_RE = re.compile(
    r"\b(?:(?:volvi[oó]|vuelve|volvieron|vuelven|sigui[oó]|sigue|siguen|empez[oó]|comenz[oó])\s+a|"
    r"lleva(?:ba|n)?\s+(?:\w+\s+)?(?:años|meses|semanas|d[ií]as|tiempo|décadas)|"
    r"(?:continued|continues|went\s+on|goes\s+on|began|begins|started|starts)\s+to|keeps|kept)\b",
    re.IGNORECASE,
)
# Between a subject and its verb: an appositive, a relative clause, a parenthesis, a few auxiliaries.
# "X went further and vowed …", "X stepped in and ordered …": the verb is still X's.
_MOTION_AND_RE = re.compile(
    r"^\s+(?:went|came|stepped|moved|turned|stood|spoke|appeared|arrived|returned)\s+(?:[a-z]+\s+){0,2}and\s+$"
)
_GAP_OK_RE = re.compile(
    r"^(?:\s*(?:,[^,\"“”«»]{0,120},|,\s+(?:who|quien|que|a quien|which)\b[^;]{0,160}?,|--.{0,120}?--|—.{0,120}?—|"
    r"\([^)]{0,80}\)|,\s+(?:an?|the|un|una|el|la)\s+[^,;]{0,60}?\s+(?=(?:who|que|quien)\s)|"
    r",\s+(?=(?:who|quien|que|which)\s)))?"
    r"\s*(?:[\w'’-]+\s+){0,3}$"
)
# "…», afirmó la directora ejecutiva del Colectivo, Marcela Turcios": a title before the speaker's name.
_INVERTED_GAP_RE = re.compile(r"\s+(?:el|la|the)\s+[^,.;«»“”\"]{0,60},\s*(?:[a-záéíóú]+\s+){0,2}$")
# "El comandante de la PMOP, coronel Ramiro Muñoz, aseguró": the name closes an appositive.
_INVERSION_RE = re.compile(r"[,”\"»’]\s*$")
_OF_RE = re.compile(r"\s+(?:of|from|at|in|del|de|en)\s+(?:the\s+|la\s+|el\s+|los\s+|las\s+)?", re.IGNORECASE)
_APPOSITION_OPEN_RE = re.compile(r",\s+[^,;.]{0,100}$")
_LEADING_PARENS_RE = re.compile(r"^\s*\([^()]{0,80}\)")
_QUOTE_CLOSE_RE = re.compile(r"[”\"»’]\s*,?\s*$")
_TRAILING_COMMA_RE = re.compile(r"^\s*,\s*(?:[\w'’-]+\s+){0,3}$")
_TITLED_APPOSITION_RE = re.compile(r",\s*(?:[\w.]+\s+){0,2}$")
# An attribution set off by commas inside what is said.
_PARENTHETICAL_BEFORE_RE = re.compile(r"\w[\w\s»”\"']*?,\s*(?:[\w'’.-]+\s+){0,4}$")
_PARENTHETICAL_AFTER_RE = re.compile(r"(?:\s+[\w'’-]+){0,4}\s*,")
_COORDINATED_RE = re.compile(r"(?:,\s*)?\b(?:y|and|e)\s+(?:(?:also|then|later|además|luego|también)\s+)?$")
_AFTER_QUOTE_RE = re.compile(r"[»”\"]\s*,\s*$")
_COUNTERFACTUAL_RE = re.compile(r"\b(?:could|would|might|should|may|must)\s+(?:not\s+|never\s+)?have\s+$")
_OWNER_OF_RE = re.compile(r"\w\s+(?:of|from|de|del)\s+(?:the\s+|la\s+|el\s+)?(?:[a-z]+\s+)?$")
_CLAUSE_END_RE = re.compile(r"[;.!?]\s")
_ANONYMOUS_RE = re.compile(
    r"(?:^|[^\w])(?:an?|one|two|three|several|some|un|una|dos|varios|algunos)\s+(?:[\w.'’-]+\s+){0,4}"
    r"(?:officials?|sources?|officers?|diplomats?|agents?|aides?|funcionarios?|mandos?|fuentes?|agentes?|"
    r"oficial|oficiales)"
    r"\b(?![^,]{0,30}\b(?:named|llamad))",
    re.IGNORECASE,
)
# What may stand before a verb whose subject is left out (Spanish): connectives and time words.
_NULL_SUBJECT_RE = re.compile(
    r"^[\W\d]*(?:(?:adem[aá]s|tambi[eé]n|luego|despu[eé]s|asimismo|finalmente|por su parte|en tanto|"
    r"esta semana|este (?:lunes|martes|mi[eé]rcoles|jueves|viernes|s[aá]bado|domingo)|el (?:pasado )?"
    r"(?:lunes|martes|mi[eé]rcoles|jueves|viernes|s[aá]bado|domingo)|ayer|hoy|en \w+ de \d{4}|en \w+|"
    # a leading phrase of common words: "En un mensaje posterior", "Sin pronunciarse sobre la labor de …,"
    r"(?:en|con|sin|tras|al|ante|durante|desde|por|a)\s+(?:[a-záéíóúñ]+\s+){0,7}[a-záéíóúñ]+)[\s,]*)*$",
    re.IGNORECASE,
)
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
    parenthetical: bool = False  # "X, he added, Y": the verb sits inside what is said


@cache
def _media() -> frozenset[str]:
    return frozenset(fold(n) for n in known_sources())


def is_media(m: Mention) -> bool:
    return _is_media_name(m.actor) or _is_media_name(m.text)


@lru_cache(maxsize=4096)
def _is_media_name(name: str) -> bool:
    return fold(name) in _media()


# "gave the decree his backing", "le dio su respaldo a la medida": giving one's support is advocacy.
_GAVE_SUPPORT_RE = re.compile(
    r"\b(?:gave|give|gives|giving|dio|da|dieron|brindo|brindó)\b(?=(?:\s+[\w'’-]+){0,5}?\s+"
    r"(?:his|her|its|their|full|su|sus|pleno|total)\s+(?:full\s+|pleno\s+|total\s+)?"
    r"(?:backing|support|blessing|endorsement|respaldo|apoyo|aval|visto bueno)\b)"
)


def _verb_kind(lex: Lexicon, text: str, start: int) -> list[tuple[int, int, str, str]]:
    """Reporting and stance verbs of ``text`` with their kind: one scan for any verb, then
    the longest of the four lists at each place (advocacy before rejection before claim
    before neutral on equal length); "gave X his backing" is advocacy too."""
    out = _scan_verbs(lex, text, start)
    gave = [(m.start(), m.end(), "advocacy", m.group(0)) for m in _GAVE_SUPPORT_RE.finditer(text, start)]
    return sorted(out + gave) if gave else out


def _scan_verbs(lex: Lexicon, text: str, start: int) -> list[tuple[int, int, str, str]]:
    out: list[tuple[int, int, str, str]] = []
    pos = start
    kinds = (
        ("advocacy", lex.advocacy_verbs),
        ("rejection", lex.rejection_verbs),
        ("claim", lex.claim_verbs),
        ("neutral", lex.neutral_verbs),
    )
    while True:
        hit = lex.any_reporting.search(text, pos)
        if hit is None:
            return out
        best: tuple[int, int, str, str] | None = None
        for kind, rx in kinds:
            m = rx.match(text, hit.start())
            if m and (best is None or m.end() > best[1]):
                best = (m.start(), m.end(), kind, m.group(0))
        if best is None:  # cannot happen: the lists make up any_reporting
            pos = hit.end()
            continue
        out.append(best)
        pos = best[1]


def _quoted(mask: bytearray, pos: int) -> bool:
    """Whether ``pos`` (an offset in the sentence; outside it: no) lies inside a quotation."""
    return 0 <= pos < len(mask) and bool(mask[pos])


def _mask(spans: Sequence[tuple[int, int]], length: int) -> bytearray:
    """Positions covered by any of ``spans`` (linear lookups, however many spans)."""
    covered = bytearray(length + 1)
    for s, e in spans:
        covered[s + 1 : e] = b"\x01" * max(0, e - s - 1)
    return covered


def negated_before(lex: Lexicon, text: str, pos: int, words: int = 3) -> bool:
    """A negator among the few words before ``pos`` (for "did not rule out", "never denied")."""
    window = " ".join(_WORD_RE.findall(text[:pos])[-words:])
    return bool(lex.negators.search(window) or _CONTRACTED_NOT_RE.search(window))


def attribute(
    sentence: Sentence,
    mentions: Sequence[Mention],
    last_person: Mention | None,
    previous: Attribution | None,
    last_she: Mention | None = None,
    last_anyone: Mention | None = None,
) -> list[Attribution]:
    """The speakers of one sentence (mentions' offsets are document offsets); ``last_person``
    is whom "he" stands for, ``last_she`` whom "she" does, ``last_anyone`` the subject a
    Spanish verb without one refers to."""
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
    starts = [m.start for m in local]
    verbs = _verb_kind(lex, folded, 0)[:MAX_VERBS]
    anonymous = [(m.start(), m.end()) for m in _ANONYMOUS_RE.finditer(text)] if verbs else []
    for vs, ve, kind, verb in verbs:
        if in_quote[vs] or _COUNTERFACTUAL_RE.search(folded, max(0, vs - 24), vs):
            continue  # quoted words, or "the army could have ended the war": nobody's act
        speaker: Mention | None = None
        content = (ve, len(text))
        if verb == "according to":
            after = [m for m in local[bisect_left(starts, ve) :][:3] if m.start - ve <= 40]
            if after:
                speaker = after[0]
                content = (0, vs) if vs > 10 else (after[0].end, len(text))
                kind = "according"
        else:
            near = local[: bisect_left(starts, vs)][-4:]
            if _anonymous_subject(text, near, vs, anonymous):
                continue  # "A senior official, who asked not to be named, said …": nobody's position
            speaker = _subject_before(text, near, vs, current, previous, last_she, last_anyone or current)
            in_sentence = any(speaker is m for m in near)  # a pronoun's referent carries document offsets
            if (
                speaker is not None
                and in_sentence
                and speaker.end <= vs
                and not re.search(r"[,—(]|--", text[speaker.end : vs])
            ):
                content = (speaker.end, len(text))  # "X has framed … as a war and has said …"
            if (
                speaker is None
                and _INVERSION_RE.search(text, max(0, vs - 4), vs)
                and (kind in ("neutral", "claim") or _QUOTE_CLOSE_RE.search(text, max(0, vs - 4), vs))
            ):  # “…,” said X / «…», afirmó X — not "…, urged the government": an object
                after = [
                    m
                    for m in local[bisect_left(starts, ve) :][:3]
                    if m.start >= ve and (m.start - ve <= 3 or _INVERTED_GAP_RE.match(text, ve, m.start))
                ]
                if after:
                    speaker = after[0]
            if speaker is None and verb.endswith("ing") and found and found[-1].verb_span:
                speaker = found[-1].speaker  # "…,” the president said, adding that …"
            if speaker is None and verb.endswith("ing"):  # "…, X broke ranks by urging …"
                subj = subjects(sentence, [m for m in mentions if m.type in SPEAKER_TYPES], current)
                subj = [
                    m for m in subj if m.start - sentence.start < vs and not _quoted(in_quote, m.start - sentence.start)
                ]
                if subj:
                    speaker = _local(subj[0], sentence.start)
            if verb.startswith("warn") and kind == "claim":
                kind = "warning"
            if quotes and quotes[0][1] <= vs + 2:
                content = (quotes[0][0], len(text))  # the quote, and what follows the verb ("…, renewing his call")
            elif quotes and quotes[-1][0] >= ve:
                content = (ve, len(text))
        parenthetical = bool(
            _PARENTHETICAL_BEFORE_RE.search(text, max(0, vs - 60), vs) and _PARENTHETICAL_AFTER_RE.match(text, ve)
        )
        spanish_verb = " " not in verb and verb.endswith("o") and kind != "according"
        if speaker is None and parenthetical and spanish_verb and re.search(r",\s*$", text[:vs]):
            # Spanish leaves the subject out ("Tampoco habrá, dijo, …"): the sentence's speaker or the last person
            speaker = found[-1].speaker if found else (last_anyone or current)
        if speaker is None and _COORDINATED_RE.search(text, max(0, vs - 40), vs):
            if found:
                speaker = found[-1].speaker  # "X confirmó que …, y defendió el diálogo": the same subject
            else:  # "X signed a decree … and defended the deployment": the subject of the sentence
                subj = [
                    m
                    for m in subjects(sentence, [m for m in mentions if m.type in SPEAKER_TYPES], current)
                    if m.start - sentence.start < vs and not _quoted(in_quote, m.start - sentence.start)
                ]
                if subj and not _CLAUSE_END_RE.search(text, max(0, subj[0].start - sentence.start), vs):
                    speaker = _local(subj[0], sentence.start)
        if speaker is None and spanish_verb and _AFTER_QUOTE_RE.search(text, max(0, vs - 4), vs):
            speaker = last_anyone or current  # "«…», dijo." without a name: the last person
        if speaker is None:
            continue
        if parenthetical:
            content = (0, len(text))  # "Years of mano dura, he added, had only …", "Tampoco habrá, dijo, …"
        neg = negated_before(lex, folded, vs) and kind in ("advocacy", "rejection")
        found.append(Attribution(speaker, verb, kind, content, (vs, ve), neg, parenthetical))
        if speaker.type == "person":  # "X announced …, and she promised …": the pronoun is X
            if is_female(speaker.actor):
                last_she = speaker
            else:
                current = speaker
            last_anyone = speaker
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
    return [a for a in found if not is_media(a.speaker)]  # a newspaper reporting words never speaks


def _local(m: Mention, offset: int) -> Mention:
    """A document mention in sentence offsets (a pronoun's referent keeps document offsets)."""
    if m.start < offset:
        return m
    return Mention(m.start - offset, m.end - offset, m.text, m.actor, m.type, m.how)


def _subject_before(
    text: str,
    local: Sequence[Mention],
    vs: int,
    last_person: Mention | None,
    previous: Attribution | None = None,
    last_she: Mention | None = None,
    last_anyone: Mention | None = None,
) -> Mention | None:
    """The actor whose clause the verb at ``vs`` belongs to (nearest mention before it, across
    an appositive or a parenthesis), or a pronoun's referent. ``local`` are the mentions just
    before the verb."""
    before = [m for m in local if m.end <= vs]
    for m in reversed(before):  # nearest first, across appositives and relative clauses
        gap = _LEADING_PARENS_RE.sub("", text[m.end : vs])  # "X (ACRO), which …, urged"
        owner = _OWNER_OF_RE.search(text, max(0, m.start - 30), m.start)
        if owner and m.type != "person":  # "Senator Paloma Valencia of the Democratic Centre dismissed …"
            person = next((p for p in before if p.type == "person" and p.end == owner.start() + 1), None)
            if person is not None and _GAP_OK_RE.match(gap):
                return person
        named_in_apposition = (
            m.type == "person"
            and _TRAILING_COMMA_RE.match(gap)
            and _TITLED_APPOSITION_RE.search(text, max(0, m.start - 40), m.start)
        )
        if _MOTION_AND_RE.match(gap):
            return m
        if _GAP_OK_RE.match(gap) or named_in_apposition:
            words = _WORD_RE.findall(_TIME_GAP_RE.sub(" ", _ASPECT_RE.sub(" ", _strip_apposition(gap))))
            if all(_AUX_RE.match(w.lower()) or _DOC_NOUN_RE.match(w.lower()) for w in words):
                if m.type != "person" and gap.lstrip().startswith(","):
                    # "Diosdado Cabello, the president of the National Assembly, praised": the person
                    holder = next(
                        (p for p in before if p.type == "person" and _APPOSITION_OPEN_RE.match(text, p.end, m.start)),
                        None,
                    )
                    if holder is not None:
                        return holder
                return m
        if re.search(r"[.;:!?]", gap):
            break
    head = text[max(0, vs - 30) : vs].lower()
    pronoun = re.search(r"\b(he|she)(?:\s+\w+){0,2}\s*$", head)
    if pronoun:
        return last_she if pronoun.group(1) == "she" else last_person
    if last_anyone is not None and not before and _NULL_SUBJECT_RE.match(text[:vs]):
        return last_anyone  # Spanish drops the subject: "Negó, además, que …", "Esta semana pidió …"
    if (
        previous is not None
        and previous.speaker.type != "person"
        and re.search(r"(?:^|\W)they(?:\s+\w+){0,2}\s*$", head)
    ):
        return previous.speaker
    return None


def unnamed_speaker(text: str) -> bool:
    """The sentence reports an unnamed source ("A military source told …"): nobody's view, not
    even the voice of the paragraph's speaker."""
    return bool(_ANONYMOUS_RE.search(text))


def _anonymous_subject(text: str, before: Sequence[Mention], vs: int, anonymous: Sequence[tuple[int, int]]) -> bool:
    """The verb's subject is an unnamed "a senior official", "one source" (``anonymous``: their spans)."""
    unnamed = [e for _s, e in anonymous if e <= vs and not _CLAUSE_END_RE.search(_strip_apposition(text[e:vs]))]
    named = [m for m in before if m.end <= vs]
    if not unnamed:
        return False
    if not named or unnamed[-1] > named[-1].start:
        return True
    # "un oficial del Ejército que pidió no ser identificado dijo", "an official of the ministry said"
    owner = next((m for m in named if m.start >= unnamed[-1]), None)
    return owner is not None and bool(_OF_RE.fullmatch(text, unnamed[-1], owner.start))


_RELATIVE_RE = re.compile(r",\s+(?:who|quien|que|a quien|which)\b[^;]{0,160}?,")
_DESCRIBED_RE = re.compile(r",\s+(?:an?|the|un|una|el|la)\s+[^,;]{0,60}?\s+(?=(?:who|que|quien)\s)")
_ASIDE_RE = re.compile(r",[^,\"“”«»]{0,120},|--.*?--|—.*?—|\([^)]*\)")
_CLOSED_RE = re.compile(r"\)?\s*[,)]")
_CONTRACTED_NOT_RE = re.compile(r"n['’]t\b")


def _strip_apposition(gap: str) -> str:
    gap = _RELATIVE_RE.sub(" ", gap)
    gap = _DESCRIBED_RE.sub(" ", gap)
    return _ASIDE_RE.sub(" ", gap)


_NOT_DONE = frozenset(
    "will would could should might may must can cannot won't wouldn't shouldn't couldn't va van podría podrían "
    "podrá podrán debería deberían debe deben".split()
)
_COPULAS = frozenset({"is", "are", "es", "son"})
_ARTICLES = frozenset({"a", "an", "the", "one", "un", "una", "el", "la", "uno"})
# between an organisation and the person whose title it is part of: "'s commander, ", ", coronel "
_TITLE_GAP_RE = re.compile(r"(?:['’]s\s+[a-z][\w -]{0,30}?)?\s*,\s+(?:[a-záéíóúñ][\w.-]*\s+){0,3}$")
# what lies between a name and a mention inside its appositive: ", executive director of the … ("
_APPOSITIVE_RE = re.compile(r"\s*,\s+(?:[^,;.]*\s)?[a-záéíóúñ][^,;.]{0,100}$")


def subjects(sentence: Sentence, mentions: Sequence[Mention], last_person: Mention | None) -> list[Mention]:
    """Actors in subject position: a mention followed (after an appositive, a parenthesis or
    adverbs) by a verb; a leading "He"/"She" stands for ``last_person``."""
    text = sentence.text
    out: list[Mention] = []
    local = [m for m in mentions if sentence.start <= m.start and m.end <= sentence.end and m.type in SPEAKER_TYPES]
    unnamed = [a.span() for a in _ANONYMOUS_RE.finditer(text)] if local else []
    for i, m in enumerate(local):
        if any(a <= m.start - sentence.start < b for a, b in unnamed):
            continue  # "A senior Mexican security official, who asked not to be named, said": nobody named
        closed = _CLOSED_RE.match(text[m.end - sentence.start : m.end - sentence.start + 4])
        if closed and any(
            _APPOSITIVE_RE.match(text, prev.end - sentence.start, m.start - sentence.start) for prev in local[:i]
        ):
            continue  # "Pierre Esperance, executive director of the Network (RNDDH), has …": Esperance's
        nxt = local[i + 1] if i + 1 < len(local) else None
        if (
            m.type != "person"
            and nxt is not None
            and nxt.type == "person"
            and _TITLE_GAP_RE.match(text, m.end - sentence.start, nxt.start - sentence.start)
        ):
            continue  # "the FARC's commander, Rodrigo Londoño, said", "el comandante de la PMOP, coronel X, aseguró"
        rest = _strip_apposition(text[m.end - sentence.start : m.end - sentence.start + 160])
        words = _WORD_RE.findall(rest)[:5]
        for j, w in enumerate(words):
            lw = w.lower()
            if lw in ("and", "or") or lw in _NOT_DONE:
                break  # "the armed forces will be checking …": not something done
            if lw in _COPULAS and j + 1 < len(words) and words[j + 1].lower() in _ARTICLES:
                break  # "X is a professor of …": a description
            if _VERBISH_RE.match(lw) and not w[:1].isupper():
                out.append(m)
                break
            if not _AUX_RE.match(lw):
                break
    lead = re.match(r"^\s*(?:[A-Z][\w ,]{0,40},\s+)?(he|she)\b", text, re.IGNORECASE)
    if lead and last_person is not None and not any(m.actor == last_person.actor for m in out):
        out.append(last_person)
    return out


_PASSIVE_RE = re.compile(
    r"\s*(?:was|were|(?:has|had|have)\s+been|is\s+being|fue|fueron|(?:ha|hab[ií]a|han|hab[ií]an)\s+sido)\s+"
    r"(?:\w+ly\s+|later\s+|finally\s+|luego\s+|finalmente\s+)?"
    r"(?:\w+(?:ed|en|wn)|caught|held|shot|sent|brought|taken|found|seized|hit|\w+(?:ad|id)[oa]s?)\b",
    re.IGNORECASE,
)


def is_passive_subject(sentence: Sentence, mention: Mention) -> bool:
    """Whether a subject is acted upon: "Guzmán was extradited", "Zambada fue detenido"."""
    rest = _strip_apposition(sentence.text[mention.end - sentence.start : mention.end - sentence.start + 160])
    return bool(_PASSIVE_RE.match(rest))


def is_analysis_heading(paragraph: str) -> bool:
    p = paragraph.strip()
    return len(p) < 60 and not p.endswith(".") and bool(_ANALYSIS_HEADING_RE.search(p))


_FIRST_PERSON_RE = re.compile(
    r"\b(?:I|I['’](?:m|d|ve|ll)|(?i:in my (?:view|opinion|assessment|judgment|judgement)|my view|"
    r"creo que|no lo creo|considero que|pienso que|en mi opini[oó]n|a mi juicio|a mi parecer|"
    r"desde mi punto de vista))\b"
)
INTERVIEW_INTRO = 3000  # characters at the top of a page where its guest is introduced
_ANSWER = r"\s*(?:R|A|Respuesta|Answer)\s*[.:—–-]{1,2}\s"  # "R. …", "A: …", "R.: …": an interview's answer
_ANSWER_RE = re.compile("^" + _ANSWER)
_ANSWER_LINE_RE = re.compile(r"(?:^|\n\n)" + _ANSWER)
_INTERVIEW_RE = re.compile(
    r"(?:(?:convers|habl|platic|charl)(?:amos|ó|o)\s+con|entrevist(?:amos|ó|a)\s+a|entrevista\s+con|"
    r"(?:spoke|talked|speaks|talks)\s+(?:with|to)|interview(?:ed)?\s+(?:with\s+)?|we\s+asked)"
    r"(?:\s+(?:the|el|la|a|an)\s+[\w\s-]{0,40}?)?\s*$",
    re.IGNORECASE,
)
# A transcript turn: "QUINTANILLA: …", "ALEJANDRO HOPE, SECURITY ANALYST (through translator): …"
_NUMERAL_I_RE = re.compile(r"\w[\w,]*\s+[A-Z][\w-]*\s+$")  # a Roman "I" after a capitalised word: "Phase I"
_LABEL_RE = re.compile(
    r"^\s*(?P<label>[A-ZÁÉÍÓÚÑ][A-ZÁÉÍÓÚÑ'’ .-]{1,40})(?P<role>,[^:\n]{1,80}?|\s*\([^)\n]{1,40}\))?:\s"
)


def first_person(text: str) -> bool:
    """The sentence voices the writer's own view ("I believe", "In my view", "Creo que"),
    outside any quotation ("Phase I", "World War I" are no "I")."""
    bare = _QUOTE_RE.sub(" ", text)
    return any(
        not (m.group(0)[:1] == "I" and _NUMERAL_I_RE.search(bare, 0, m.start()))
        for m in _FIRST_PERSON_RE.finditer(bare)
    )


def interviewee(body: str, mentions: Sequence[Mention]) -> Mention | None:
    """The person an interview is with: the first one named right after "we spoke with",
    "conversamos con", "an interview with" …; in a page of questions and answers without
    such words, the first person it names."""
    for m in mentions:
        if m.start > INTERVIEW_INTRO:
            break
        if m.type == "person" and _INTERVIEW_RE.search(body, max(0, m.start - 60), m.start):
            return m
    if _ANSWER_LINE_RE.search(body):
        return next((m for m in mentions if m.type == "person" and m.start < INTERVIEW_INTRO), None)
    return None


def people_by_last_name(mentions: Sequence[Mention]) -> dict[str, Mention]:
    """The first person of a document by the last word of their folded name (for labels)."""
    out: dict[str, Mention] = {}
    for m in mentions:
        if m.type == "person":
            out.setdefault(fold(m.actor).split()[-1], m)
    return out


def label_speaker(
    sentence: Sentence, people: Mapping[str, Mention], author: str | None, guest: Mention | None = None
) -> Mention | None:
    """The speaker of a transcript turn: "QUINTANILLA: …" is the person of the document whose
    name ends with the label (or the byline author); "R. …", "A: …" is the interviewee."""
    answer = _ANSWER_RE.match(sentence.text)
    if answer and guest is not None:
        return Mention(sentence.start, sentence.start, answer.group(0).strip(), guest.actor, guest.type, "label")
    m = _LABEL_RE.match(sentence.text)
    role = (m.group("role") or "").split("(")[0] if m else ""
    if not m or not m.group("label").isupper() or role.upper() != role:
        return None
    raw = m.group("label").strip()
    label = fold(raw)
    p = people.get(label.split()[-1]) if label.split() else None
    if p is not None:
        return Mention(sentence.start, sentence.start, raw, p.actor, p.type, "label")
    if author and fold(author).split()[-1:] == label.split()[-1:]:
        return Mention(sentence.start, sentence.start, raw, author, "person", "author")
    if len(raw.split()) >= 2 and m.group("role"):  # a named guest the page introduces only in the label
        name = " ".join(w.capitalize() if w.lower() not in NAME_PARTICLES else w.lower() for w in raw.split())
        return Mention(sentence.start, sentence.start, raw, name, "person", "label")
    return None
