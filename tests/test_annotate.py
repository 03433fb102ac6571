"""The annotators one by one: sentences, time expressions, actors, attribution and stance."""

from __future__ import annotations

import pytest

from cartelkit.annotate import annotate_document
from cartelkit.annotate.actors import find_mentions
from cartelkit.annotate.gazetteer import load_gazetteer
from cartelkit.annotate.sentences import split_sentences
from cartelkit.annotate.temporal import find_time_expressions, resolve
from cartelkit.clean import clean_document
from cartelkit.model import Document, PartialDate
from tests.conftest import DEVSET, SAMPLES

PUB = PartialDate("2012-03-21", "day")


def doc(*paragraphs: str, published: str | None = "2012-03-21") -> Document:
    body = "\n\n".join(paragraphs)
    side = {"published": published, "title": "T", "source": "Test Wire"}
    raw = ("Headline of a test article\n\nBy Ana Ruiz\n\n" + body + "\n").encode()
    return annotate_document(clean_document(raw, "t.txt", sidecar=side))


def statements(d: Document) -> set[tuple[str, str, str]]:
    return {(s.speaker, s.topic, s.stance) for s in d.statements if s.stance != "neutral"}


# --- sentences ------------------------------------------------------------------
def test_sentences_keep_abbreviations_and_quotes_together() -> None:
    body = (
        "The U.S. Gen. John Kelly spoke in Sept. 2016 to Mr. Fox. “We will not negotiate. We will fight,” "
        "he said.\n\nA new paragraph starts here."
    )
    texts = [s.text for s in split_sentences(body)]
    assert texts == [
        "The U.S. Gen. John Kelly spoke in Sept. 2016 to Mr. Fox.",
        "“We will not negotiate. We will fight,” he said.",
        "A new paragraph starts here.",
    ]
    for s in split_sentences(body):
        assert body[s.start : s.end] == s.text


# --- time -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "anchor", "expected"),
    [
        ("In August the former head of state called for a truce", None, "2011-08"),
        ("in an October interview", None, "2011-10"),
        ("Two months later, he argued", "2011-08", "2011-10"),
        ("traveled to Bogotá on March 2 for talks", None, "2012-03-02"),
        ("was arrested in 2009", None, "2009"),
        ("during the Calderon administration (2006-2012)", None, "2006"),
        ("In the fall of 2021, Michoacán became", None, "2021"),
        ("last month", None, "2012-02"),
        ("police said on Friday", None, "2012-03-16"),
        ("yesterday", None, "2012-03-20"),
        ("since 2006", None, "2006"),
        ("in December 2006", None, "2006-12"),
        ("on 5 December 2017", None, "2017-12-05"),
        # Spanish (publication: Wednesday 21 March 2012)
        ("El miércoles 14, el ministro renunció", None, "2012-03-14"),
        ("el pasado viernes", None, "2012-03-16"),
        ("El viernes asumió el nuevo ministro", None, "2012-03-16"),
        ("Ayer, en su conferencia", None, "2012-03-20"),
        ("anoche", None, "2012-03-20"),
        ("Esa misma noche, la presidenta afirmó", "2012-03-10", "2012-03-10"),
        ("Al día siguiente, el ministro admitió", "2012-03-10", "2012-03-11"),
        ("dos meses después", "2011-08", "2011-10"),
        ("hace tres semanas", None, "2012-02-29"),
        ("negó en agosto cualquier trato", None, "2011-08"),
        ("esta semana", None, "2012-03"),
        ("a mediados de 2010", None, "2010"),
        ("gobernó de 2006 a 2012", None, "2006"),
        ("desde diciembre de 2006", None, "2006-12"),
        # holidays, the narrative, explicit beats relative
        ("On Good Friday the bishop met them", None, "2011-04-22"),
        ("on Christmas Eve", None, "2011-12-24"),
        ("on New Year's Eve", "2010-11-20", "2010-12-31"),
        ("He had sent troops the previous December", "2007-03", "2006-12"),
        ("said that week", "2012-03-10", "2012-03"),
        ("the same day", "2012-03-10", "2012-03-10"),
        ("the following morning", "2012-03-10", "2012-03-11"),
        ("This morning, at his news conference", None, "2012-03-21"),
        ("last night", None, "2012-03-20"),
        ("on Friday, August 26", None, "2011-08-26"),
        ("El martes 20 de junio, un grupo", None, "2011-06-20"),
    ],
)
def test_time_expressions_resolve(text: str, anchor: str | None, expected: str) -> None:
    exprs = find_time_expressions(text)
    assert exprs, text
    got = resolve(exprs[0], PUB, PartialDate.from_iso(anchor) if anchor else None)
    assert got is not None and got.iso == expected


def test_relative_expressions_stay_null_in_an_undated_article() -> None:
    for text in ("last month", "In August", "on Friday", "two months later"):
        assert resolve(find_time_expressions(text)[0], None, None) is None
    assert resolve(find_time_expressions("in December 2006")[0], None, None) == PartialDate("2006-12", "month")


def events_of(d: Document, actor: str) -> list[tuple[str | None, str]]:
    return [(e.date, e.role) for e in d.events if e.actor == actor]


def test_a_dateline_is_the_publication_date_not_the_event_date() -> None:
    d = doc("MEXICO CITY, March 21 (Test Wire) - Vicente Fox said on Friday that the cartels had to be confronted.")
    assert events_of(d, "Vicente Fox") == [("2012-03-16", "actor")]


def test_a_relative_clause_dates_its_own_event_and_nothing_else() -> None:
    d = doc(
        "Felipe Calderón, who took office in December 2006, spoke to the troops on Monday. "
        "The army sent another battalion to Michoacán."
    )
    assert events_of(d, "Felipe Calderón") == [("2006-12", "actor"), ("2012-03-19", "actor")]
    army = [e.date for e in d.events if e.actor == "Mexican Army"]
    assert army == ["2012-03-19"]  # the narrative is Monday's, not the background's December 2006


def test_a_scheduled_date_does_not_move_the_narrative() -> None:
    d = doc(
        "A federal jury convicted Juan Orlando Hernández on Friday, and sentencing was set for June 26. "
        "Vicente Fox praised the verdict."
    )
    assert events_of(d, "Vicente Fox") == [("2012-03-16", "actor")]


def test_what_is_not_an_event() -> None:
    d = doc(
        "Should Vicente Fox have negotiated with the cartels?",
        "Rafael Quintanilla is a professor of public policy in Guadalajara.",
        "The army will keep checking containers in the ports.",
    )
    assert d.events == ()


def test_a_quote_that_runs_on_is_one_event() -> None:
    d = doc("“We will not negotiate,” Vicente Fox said on Monday. “The cartels must be defeated.”")
    assert events_of(d, "Vicente Fox") == [("2012-03-19", "actor")]


def test_who_is_acted_upon_is_a_target() -> None:
    d = doc("Soldiers of the Mexican Army arrested Joaquín Guzmán on Friday in Los Mochis.")
    assert events_of(d, "Joaquín Guzmán") == [("2012-03-16", "target")]
    d = doc("Joaquín Guzmán was extradited to the United States on Thursday.")
    assert events_of(d, "Joaquín Guzmán") == [("2012-03-15", "target")]
    d = doc("Vicente Fox defended the crackdown started by his successor Felipe Calderón.")
    assert ("2012-03-21", "actor") in events_of(d, "Felipe Calderón")


def test_spanish_names_are_the_same_actors_as_english_ones() -> None:
    d = doc(
        "El presidente Andrés Manuel López Obrador dijo que el Cártel de Sinaloa perdió fuerza.",
        "El tabasqueño añadió que la Secretaría de la Defensa Nacional, la Guardia Nacional y el Ejército "
        "seguirán en Culiacán, y que no negociará con el Cártel del Golfo.",
        published="2020-03-02",
    )
    names = {a.name for a in d.actors}
    assert {"Sinaloa Cartel", "Sedena", "National Guard", "Mexican Army", "Gulf Cartel"} <= names
    assert ("Andrés Manuel López Obrador", "negotiation", "oppose") in statements(d)


def test_may_the_verb_is_not_a_month() -> None:
    assert find_time_expressions("Police may act soon") == []


# --- actors ------------------------------------------------------------------------
def names(body: str, published: PartialDate | None = PUB) -> list[str]:
    return [m.actor for m in find_mentions(body, load_gazetteer(), published)]


def test_aliases_accents_and_longest_match() -> None:
    got = names("El Chapo and Joaquin Guzman of the Sinaloa Cartel met AMLO and the CJNG in Culiacan.")
    assert got == [
        "Joaquín Guzmán",
        "Joaquín Guzmán",
        "Sinaloa Cartel",
        "Andrés Manuel López Obrador",
        "Jalisco New Generation Cartel",
        "Culiacán",
    ]


def test_surnames_need_support_and_false_friends_are_rejected() -> None:
    assert "Vicente Fox" in names("Former President Vicente Fox spoke. Later Fox said more.")
    assert "Vicente Fox" not in names("Fox News reported that a fox crossed the road.")
    assert "Juan Manuel Santos" not in names("Fernando Santos coached the team in 2016.")
    assert "Felipe Calderón" in names("The Calderon administration began in 2006.", None)


def test_role_nouns_resolve_by_office_and_date() -> None:
    body = (
        "Former President Vicente Fox criticised Felipe Calderón. The former president said so. "
        "The president denied it."
    )
    got = [(m.text, m.actor) for m in find_mentions(body, load_gazetteer(), PUB) if m.how == "role"]
    assert got == [("The former president", "Vicente Fox"), ("The president", "Felipe Calderón")]
    assert ("the Mexican president", "Enrique Peña Nieto") in [
        (m.text, m.actor)
        for m in find_mentions("Later the Mexican president spoke.", load_gazetteer(), PartialDate("2016-10-28", "day"))
    ]


def test_discovery_of_actors_the_gazetteer_lacks() -> None:
    d = doc(
        "Police spokesman Carlos Quintero Rivas said the operation would continue. "
        "The Arcoiris Peace Foundation said it had documented abuses."
    )
    found = {a.name: (a.type, a.discovered) for a in d.actors}
    assert found["Carlos Quintero Rivas"] == ("person", True)
    assert found["Arcoiris Peace Foundation"] == ("organization", True)


# --- attribution and stance ----------------------------------------------------------
def test_reported_speech_with_advocacy_and_rejection() -> None:
    d = doc(
        "President Felipe Calderón rejected any truce with the cartels.",
        "Former President Vicente Fox called for a truce and an amnesty law.",
    )
    assert statements(d) == {("Felipe Calderón", "negotiation", "oppose"), ("Vicente Fox", "negotiation", "support")}


def test_negation_and_double_negation() -> None:
    d = doc("In December 2017, Andrés Manuel López Obrador did not rule out an amnesty for cartel leaders.")
    assert statements(d) == {("Andrés Manuel López Obrador", "negotiation", "support")}
    d = doc("Felipe Calderón said his government would not negotiate with criminals.")
    assert statements(d) == {("Felipe Calderón", "negotiation", "oppose")}


def test_direct_quote_and_its_continuation_keep_the_speaker() -> None:
    d = doc(
        "“We will continue to combat the cartels,” said Juan Manuel Santos.",
        "“We have promised to deepen our fight against organized crime,” he added.",
    )
    assert ("Juan Manuel Santos", "confrontation", "support") in statements(d)
    assert {s.speaker for s in d.statements} == {"Juan Manuel Santos"}


def test_newspaper_reporting_is_not_the_speaker() -> None:
    d = doc("Juan Manuel Santos said both nations would continue the fight against drug trafficking, Milenio reported.")
    assert {s.speaker for s in d.statements} == {"Juan Manuel Santos"}


def test_reporting_that_someone_negotiates_is_not_a_stance() -> None:
    d = doc("According to Vicente Fox, the DEA is negotiating with several cartel leaders.")
    assert statements(d) == set()
    assert "DEA" in {e.actor for e in d.events}


def test_pronoun_subject_resolves_to_the_last_person() -> None:
    d = doc(
        "Former President Vicente Fox spoke to reporters in Mexico City.",
        "He argued that the government should negotiate a truce with the cartels.",
    )
    assert ("Vicente Fox", "negotiation", "support") in statements(d)


def test_statement_and_event_dates_come_from_the_text() -> None:
    d = doc(
        "In August Vicente Fox called for a truce with the gangs.",
        "Two months later, in an October interview, he argued that drugs should be legal.",
    )
    fox = [(e.date, e.date_source) for e in d.events if e.actor == "Vicente Fox"]
    assert fox == [("2011-08", "text"), ("2011-10", "text")]
    assert [s.date for s in d.statements if s.stance != "neutral"] == ["2011-08"]


def test_every_span_points_into_the_body() -> None:
    d = doc("In August Vicente Fox called for a truce with the gangs.", "Felipe Calderón rejected it.")
    for item in (*d.statements, *d.events):
        assert d.body[item.span[0] : item.span[1]] == item.evidence


def test_damaged_or_foreign_derived_tables_are_made_again() -> None:
    """The gazetteer's tables kept in the user cache: a file of another shape is ignored."""
    from cartelkit.annotate import actors, gazetteer
    from cartelkit.fsutil import cache_dir

    page = (SAMPLES / sorted(p.name for p in SAMPLES.glob("*.txt"))[0]).read_bytes()

    def annotated() -> dict[str, object]:
        for cached in (gazetteer.load_gazetteer, actors.build_matcher, actors._institutions):
            cached.cache_clear()
        return annotate_document(clean_document(page, "page.txt"), None).to_dict()

    before = annotated()
    files = sorted(cache_dir().glob("derived-*.json"))
    assert {f.name.split("-")[1] for f in files} == {"matcher", "institutions"}
    for bad in (b"[[1, 2]]", b'{"x": 1}', b"[[", b'[["a", [[1, [[["x"], [[1]]]]]]]]'):
        for f in files:
            f.write_bytes(bad)
        assert annotated() == before


def test_grouped_phrase_patterns_match_what_one_flat_alternation_matches() -> None:
    """The lexicon's regexes group their phrases by first letter (three times faster): every
    list of ``lexicon.toml`` finds the same spans as the flat longest-first alternation, on the
    folded sentences of the sample and development pages (English and Spanish)."""
    import re

    from cartelkit.annotate.lexicon import phrase_pattern
    from cartelkit.annotate.sentences import split_sentences
    from cartelkit.data import load_toml
    from cartelkit.textutil import fold, fold_keep_length

    def flat(phrases: list[str]) -> re.Pattern[str]:
        parts = []
        for p in sorted({fold(p) for p in phrases}, key=len, reverse=True):
            body = re.escape(p.rstrip("*")).replace(r"\ ", r"\s+")
            parts.append(body + (r"[\w'-]*" if p.endswith("*") else ""))
        return re.compile(r"(?<![\w'])(?:" + "|".join(parts) + r")(?![\w])")

    def lists(node: object) -> list[list[str]]:
        if isinstance(node, dict):
            return [found for value in node.values() for found in lists(value)]
        return [node] if isinstance(node, list) and node and all(isinstance(x, str) for x in node) else []

    pages = [f.read_text(encoding="utf-8") for f in [*sorted(SAMPLES.glob("*.txt")), *sorted(DEVSET.glob("a*.txt"))]]
    texts = [fold_keep_length(s.text) for page in pages for s in split_sentences(page)]
    texts += ["he said, saying: according to the army's spokesman", "no dijo nada; según la fiscalía"]
    phrase_lists = lists(load_toml("lexicon.toml"))
    assert len(phrase_lists) > 20
    for phrases in phrase_lists:
        grouped, reference = phrase_pattern(phrases), flat(phrases)
        for text in texts:
            assert [m.span() for m in grouped.finditer(text)] == [m.span() for m in reference.finditer(text)], phrases[
                :3
            ]
