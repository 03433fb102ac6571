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
