"""Who said what, class by class (issue 9): stance acts, composed polarity, negation scope,
coordination, things that are not statements, and speakers. Sentences written for these
tests; none is copied from a corpus page."""

from __future__ import annotations

import pytest

from cartelkit.annotate import annotate_document
from cartelkit.annotate.stance import TopicHit, stance_of
from cartelkit.clean import clean_document
from cartelkit.model import Document


def doc(*paragraphs: str, author: str | None = None, section: str = "") -> Document:
    body = "\n\n".join(paragraphs)
    side = {"published": "2019-05-20", "title": "T", "source": "Test Wire", "author": author}
    head = "Headline of a test article\n\n" + (f"By {author}\n\n" if author else "")
    raw = (head + body + "\n").encode()
    return annotate_document(clean_document(raw, "t.txt", sidecar={k: v for k, v in side.items() if v}))


def rows(d: Document) -> set[tuple[str, str, str]]:
    return {(s.speaker, s.topic, s.stance) for s in d.statements if s.stance != "neutral"}


INTRO = "Felipe Calderón spoke in Morelia on Monday."


# --- 1. the verb is the position ---------------------------------------------------
@pytest.mark.parametrize(
    ("sentence", "topic", "stance"),
    [
        ("Calderón rejected the idea of any truce with the cartels.", "negotiation", "oppose"),
        ("Calderón ruled out talks with the gangs.", "negotiation", "oppose"),
        ("Calderón did not rule out a dialogue with the gangs.", "negotiation", "support"),
        ("Calderón denied that his government had negotiated with the cartels.", "negotiation", "oppose"),
        ("Calderón defended the deployment of troops in Michoacán.", "confrontation", "support"),
        ("Calderón rechazó cualquier tregua con los cárteles.", "negotiation", "oppose"),
        ("Calderón descartó negociar con la delincuencia organizada.", "negotiation", "oppose"),
    ],
)
def test_stance_acts_without_a_reporting_verb(sentence: str, topic: str, stance: str) -> None:
    assert ("Felipe Calderón", topic, stance) in rows(doc(INTRO + " " + sentence))


# --- 2. polarity is composed --------------------------------------------------------
@pytest.mark.parametrize(
    ("sentence", "topic", "stance"),
    [
        ("Calderón said any negotiation with the cartels would be absolutely unacceptable.", "negotiation", "oppose"),
        ("Calderón said the militarized strategy had been a mistake.", "confrontation", "oppose"),
        ("Calderón said the state would keep pursuing the cartels.", "confrontation", "support"),
        ("Calderón promised there would be no truce with the gangs.", "negotiation", "oppose"),
        ("“We don't want war with the gangs,” Calderón said.", "confrontation", "oppose"),
        ("Calderón dijo que el diálogo con las pandillas es un fracaso.", "negotiation", "oppose"),
    ],
)
def test_polarity_is_composed_with_negation_in_scope(sentence: str, topic: str, stance: str) -> None:
    assert ("Felipe Calderón", topic, stance) in rows(doc(INTRO + " " + sentence))


def test_cues_explain_the_decision() -> None:
    d = doc(INTRO + " Calderón did not rule out a dialogue with the gangs.")
    (row,) = [s for s in d.statements if s.topic == "negotiation"]
    assert row.cues[:2] == ("not", "rule out") and row.cues[-1] == "dialogue with"
    assert d.body[row.span[0] : row.span[1]] == row.evidence


def test_a_negator_far_from_the_cue_does_not_flip_it() -> None:
    text = (
        "Calderón, who was not in Mexico City that week, said the army must stay in the streets to fight the cartels."
    )
    assert ("Felipe Calderón", "confrontation", "support") in rows(doc(INTRO + " " + text))


# --- 4. scope: a coordinated verb has its own polarity -------------------------------
def test_coordinated_verbs_keep_their_own_polarity() -> None:
    d = doc(INTRO + " Calderón suspended the talks with the gangs and reactivated the arrest warrants.")
    assert {("Felipe Calderón", "negotiation", "oppose"), ("Felipe Calderón", "confrontation", "support")} <= rows(d)


def test_stance_of_directly() -> None:
    text = "He suspended the talks and reactivated the arrest warrants."
    talks = TopicHit("negotiation", "talks", text.index("talks"), text.index("talks") + 5)
    arrest = TopicHit("confrontation", "arrest", text.index("arrest"), text.index("arrest") + 6)
    span = (3, 12)
    assert stance_of(text, talks, 0, "suspended", -1, span)[0] == "oppose"
    assert stance_of(text, arrest, 0, "suspended", -1, span)[0] == "support"


# --- 5. things that are not statements -----------------------------------------------
def test_a_gang_acting_is_not_a_position() -> None:
    d = doc("MS-13 launched a campaign of terror after the extradition of its leaders.")
    assert not rows(d)


def test_anonymous_officials_and_media_are_not_speakers() -> None:
    d = doc(
        INTRO,
        "A senior security official, who asked not to be named, said there would be no truce with the gangs.",
        "The newspaper El Universal reported that the gangs wanted a truce.",
    )
    assert not {r for r in rows(d) if r[1] == "negotiation"}


# --- 6. speakers -----------------------------------------------------------------------
def test_appositive_speaker() -> None:
    d = doc("Alejandro Poiré, the government's security spokesman, rejected any pact with the cartels.")
    assert ("Alejandro Poiré", "negotiation", "oppose") in rows(d)


def test_speaker_after_a_relative_clause() -> None:
    d = doc(
        "Governor Mara Quiñones Beltrán, whom the gang leader had named in a letter as a contact in the city, "
        "denied any deal with the cartel."
    )
    assert any(r[0] == "Mara Quiñones Beltrán" and r[2] == "oppose" for r in rows(d))


def test_title_only_speaker_is_the_person_introduced_with_that_title() -> None:
    d = doc(
        "Security Minister Teodoro Balcázar visited the port on Monday.",
        "“There will be no negotiation with the gangs,” the minister said.",
    )
    assert ("Teodoro Balcázar", "negotiation", "oppose") in rows(d)


def test_she_is_not_the_last_man_named() -> None:
    d = doc(
        INTRO + " Senator Gabriela Ortiz Cano met Interior Minister Tomás Ledesma on Monday.",
        "Tomás Ledesma spoke first. Later she said that talks with the gangs should continue.",
    )
    assert ("Gabriela Ortiz Cano", "negotiation", "support") in rows(d)
    assert ("Tomás Ledesma", "negotiation", "support") not in rows(d)


def test_spanish_dropped_subject_takes_the_last_person() -> None:
    d = doc(
        "Las autoridades no dieron cifras oficiales sobre los ataques de la semana.",
        "El gobernador Rubén Escalante Ríos visitó la capital el lunes. Además, pidió más tropas contra las pandillas.",
    )
    assert ("Rubén Escalante Ríos", "confrontation", "support") in rows(d)


def test_columnist_first_person_view_is_the_author() -> None:
    d = doc(
        "The government has deployed troops for two years.",
        "In my view, a dialogue with the gangs would be a mistake.",
        author="Carolina Mendes Prado",
    )
    assert ("Carolina Mendes Prado", "negotiation", "oppose") in rows(d)


def test_transcript_label_is_the_speaker() -> None:
    d = doc(
        "We spoke with the analyst Ernesto Villalba about the new policy.",
        "VILLALBA: Frankly, I think any truce with the cartels would be a disaster.",
    )
    assert ("Ernesto Villalba", "negotiation", "oppose") in rows(d)


def test_a_rejecting_verb_and_a_disapproval_agree() -> None:
    d = doc(INTRO + " Calderón condemned the abuses committed under the state of emergency.")
    assert ("Felipe Calderón", "confrontation", "oppose") in rows(d)


def test_undoing_a_policy_flips_the_speakers_verb() -> None:
    d = doc(INTRO + " Calderón announced the suspension of the talks with the cartels.")
    assert ("Felipe Calderón", "negotiation", "oppose") in rows(d)


def test_a_warning_about_a_policy_is_opposition() -> None:
    d = doc(INTRO + " Calderón warned that an amnesty for the cartels would turn the country into a narco-state.")
    assert ("Felipe Calderón", "negotiation", "oppose") in rows(d)


def test_a_topic_word_inside_a_name_is_no_cue() -> None:
    text = (
        "Santos announced that his government would open talks with the Revolutionary Armed Forces of Colombia "
        "(FARC) in Havana."
    )
    d = doc("Juan Manuel Santos spoke in Bogotá on Monday. " + text)
    assert ("Juan Manuel Santos", "negotiation", "support") in rows(d)
    assert not any(r[1] == "confrontation" for r in rows(d))


def test_a_paragraphs_first_pronoun_is_the_person_who_acts_most() -> None:
    d = doc(
        "President Aurelio Benítez Soto ordered the arrest of the gang leader Ramón Castillo. Benítez Soto said "
        "the army had done its job. Castillo was flown to the capital.",
        "Speaking later that night, he said the state would keep pursuing the gangs.",
    )
    assert ("Aurelio Benítez Soto", "confrontation", "support") in rows(d)


def test_surname_of_a_person_named_in_full() -> None:
    d = doc(
        "Former president Augusto Velarde Ruiz was convicted on Friday of helping traffickers.",
        "Velarde, who governed for two terms, insisted that the army should keep fighting the gangs.",
    )
    assert ("Augusto Velarde Ruiz", "confrontation", "support") in rows(d)


def test_the_government_is_the_government_of_the_country_in_play() -> None:
    d = doc(
        "Andrés Manuel López Obrador met Mexican officials in Mexico City on Monday to discuss Sinaloa.",
        "In Colombia, the government said it would suspend the talks with the ELN.",
    )
    speakers = {r[0] for r in rows(d) if r[1] == "negotiation"}
    assert speakers and all("Mexic" not in s for s in speakers)


def test_interview_answers_are_the_interviewees() -> None:
    d = doc(
        "Para entender la crisis conversamos con Rosendo Almaraz Vidal, investigador de seguridad.",
        "P. ¿Funcionaría una tregua con las pandillas?",
        "R. No lo creo. Negociar con las pandillas ahora sería un error grave.",
    )
    assert ("Rosendo Almaraz Vidal", "negotiation", "oppose") in rows(d)


# --- 7. actors ------------------------------------------------------------------------
def _mentions(text: str) -> list[tuple[str, str, str]]:
    from cartelkit.annotate.actors import find_mentions
    from cartelkit.annotate.gazetteer import load_gazetteer

    return [(m.text, m.actor, m.type) for m in find_mentions(text, load_gazetteer(), None)]


def test_generic_institutions_are_those_of_the_country_in_play() -> None:
    from cartelkit.annotate.gazetteer import load_gazetteer

    by_name = load_gazetteer().by_name
    found = _mentions("Gustavo Petro spoke in Bogotá. In Colombia, the army and the Congress backed the plan.")
    bodies = [actor for text, actor, _t in found if text.lower() in ("the army", "congress")]
    assert bodies and all(by_name[a].country == "Colombia" for a in bodies)


def test_places_and_institutions_named_after_people_are_not_people() -> None:
    found = _mentions("Cocaine arrived at the port of Lázaro Cárdenas and at Simón Bolívar Airport last week.")
    assert not [m for m in found if m[2] == "person"]


def test_a_name_with_a_known_given_name_is_a_person() -> None:
    found = _mentions("The report was written by Marisela Quintero Lobos, who studies prisons.")
    assert ("Marisela Quintero Lobos", "Marisela Quintero Lobos", "person") in found


def test_a_pronoun_subject_of_an_ing_verb_from_an_earlier_sentence() -> None:
    d = doc(
        "Interior Minister Teodoro Balcázar Quintana spoke for an hour in the capital about the long and bloody "
        "campaign against the gangs of the northern provinces, which has now lasted for three years.",
        "He left the stage before questions, saying that a truce with the gangs would be a grave mistake.",
    )
    assert ("Teodoro Balcázar Quintana", "negotiation", "oppose") in rows(d)


def test_a_parenthetical_attribution_speaks_the_whole_sentence() -> None:
    d = doc(INTRO + " Years of mano dura against the gangs, Calderón added, had been a failure.")
    assert ("Felipe Calderón", "confrontation", "oppose") in rows(d)
    d = doc("El gobernador Rubén Escalante Ríos habló el lunes. Tampoco habrá, dijo, una tregua con las pandillas.")
    assert ("Rubén Escalante Ríos", "negotiation", "oppose") in rows(d)


def test_a_transcript_label_with_a_role_names_the_speaker() -> None:
    d = doc(
        "The program looked back at the release of the cartel leader in Culiacán and the debate that followed it.",
        "HUMBERTO ZAVALA, SECURITY ANALYST (through translator): Any truce with the cartels would be a disaster.",
    )
    assert ("Humberto Zavala", "negotiation", "oppose") in rows(d)


def test_spanish_perfect_tense_is_a_statement() -> None:
    d = doc(
        "La senadora Inés Carrasco Vidal presentó su plan de seguridad en la capital del estado el domingo.",
        "Carrasco Vidal ha prometido enfrentar a los cárteles con toda la fuerza del Estado.",
    )
    assert ("Inés Carrasco Vidal", "confrontation", "support") in rows(d)


# --- found in review ----------------------------------------------------------------------
def test_a_title_case_headline_is_not_the_author() -> None:
    raw = (
        "Gustavo Petro Rejects Talks\n\nBy Daniela Ferrera\n\nBOGOTÁ - The president spoke at length about the "
        "talks with the armed groups on Monday in the capital.\n\nReporting by the press was limited to a few "
        "outlets in the region at the time.\n"
    ).encode()
    d = clean_document(raw, "t.txt")
    assert d.author == "Daniela Ferrera" and "Reporting by the press" in d.body


def test_a_roman_numeral_is_not_the_author_speaking() -> None:
    d = doc(
        "In Phase I of the plan, the government negotiated a truce with the gangs of the capital.",
        author="Carolina Mendes Prado",
    )
    assert not [s for s in d.statements if s.speaker == "Carolina Mendes Prado"]


def test_spans_hold_for_every_row() -> None:
    d = doc(
        "Filler sentence about the weather in the capital city of the country this week.",
        "Iván Duque met the press on Monday. Of the gangs and of the truce he said nothing new.",
        "«Tampoco habrá tregua», dijo el presidente Iván Duque.",
    )
    for row in (*d.statements, *d.events):
        assert d.body[row.span[0] : row.span[1]] == row.evidence


# --- second round: promises, aspect, long appositives, two-sentence positions -------------
@pytest.mark.parametrize(
    ("sentence", "topic", "stance"),
    [
        # a promise about the policy, in the speaker's clause, is support; negated, it is oppose
        ("Calderón said the state will extradite every cartel boss it captures.", "confrontation", "support"),
        ("Calderón said his government will never negotiate with the cartels.", "negotiation", "oppose"),
        # a result the speaker claims for the policy, or pride in it
        ("Calderón said he was proud of having extradited the cartel bosses.", "confrontation", "support"),
        ("Calderón said the troops had saved lives in the towns held by the cartels.", "confrontation", "support"),
        ("Calderón sostuvo que frente a los cárteles no hay marcha atrás en la ofensiva.", "confrontation", "support"),
        # an outcome a critic blames on the policy
        ("Calderón said mano dura had only filled the prisons.", "confrontation", "oppose"),
    ],
)
def test_promises_results_and_blame(sentence: str, topic: str, stance: str) -> None:
    assert ("Felipe Calderón", topic, stance) in rows(doc(INTRO + " " + sentence))


@pytest.mark.parametrize(
    "sentence",
    [
        "Asked whether the government would seek a truce with the gangs, Calderón said he had nothing to add.",
        "Calderón said the army would not sit down with men who burned police stations and schools.",
    ],
)
def test_a_promise_in_a_question_or_across_a_relative_clause_is_no_position(sentence: str) -> None:
    assert not [r for r in rows(doc(INTRO + " " + sentence)) if r[0] == "Felipe Calderón" and r[2] == "support"]


def test_the_speaker_is_found_across_aspect_and_a_long_appositive() -> None:
    d = doc(
        "Tomás Iribarne Sotelo volvió a pedir el jueves un estado de excepción para la capital.",
        "Renata Olmedo Cifuentes, investigadora del Centro de Estudios de Seguridad Ciudadana de la Universidad "
        "Central de Bolivia (CESC), sostuvo que el estado de excepción «ha sido un fracaso».",
        "Martín Echevarría Rojas lleva años advirtiendo que las pandillas no se derrotan con más violencia.",
        "Days later President Iván Duque went further and vowed to send troops against the gangs.",
    )
    got = rows(d)
    assert ("Tomás Iribarne Sotelo", "confrontation", "support") in got
    assert ("Renata Olmedo Cifuentes", "confrontation", "oppose") in got
    assert ("Martín Echevarría Rojas", "confrontation", "oppose") in got
    assert ("Iván Duque", "confrontation", "support") in got


def test_a_neutral_sentence_joins_the_next_that_judges_the_same_policy() -> None:
    d = doc(
        "Bishop Tomás Iribarne spoke to reporters in Chilpancingo on Monday.",
        "“The war on the cartels began twenty years ago. More soldiers will not bring peace, and it has been a "
        "failure,” Iribarne said.",
    )
    mine = [s for s in d.statements if s.speaker == "Tomás Iribarne" and s.topic == "confrontation"]
    assert [s.stance for s in mine] == ["oppose"]
    assert mine[0].evidence.startswith("“The war on the cartels") and mine[0].evidence.endswith("Iribarne said.")
    assert d.body[mine[0].span[0] : mine[0].span[1]] == mine[0].evidence


def test_a_verb_inside_a_policy_name_is_not_a_rejection() -> None:
    d = doc(
        "Xiomara Castro habló el lunes en Tegucigalpa sobre la seguridad en los barrios.",
        "Honduras vive bajo un régimen especial desde diciembre, cuando el Gobierno suspendió garantías "
        "constitucionales en decenas de colonias para combatir la extorsión de las pandillas.",
    )
    assert not [r for r in rows(d) if r[2] == "oppose"]


def test_the_government_in_spanish_is_the_country_in_play() -> None:
    d = doc(
        "Xiomara Castro habló el lunes en Tegucigalpa sobre la seguridad en Honduras.",
        "El Gobierno rechazó cualquier tregua con las pandillas.",
    )
    assert ("Honduran government", "negotiation", "oppose") in rows(d)


def test_a_quote_that_goes_on_is_one_row_and_a_new_attribution_another() -> None:
    d = doc(
        "President Iván Duque spoke to reporters in Cali on Monday about the gangs of the Pacific coast.",
        "“There will be no truce with the gangs,” Duque said. “Any truce with them would be a betrayal.”",
        "“We will never sit down with the cartels,” Duque told a radio station. He also rejected any truce with "
        "them on Tuesday.",
    )
    mine = [s for s in d.statements if (s.speaker, s.topic, s.stance) == ("Iván Duque", "negotiation", "oppose")]
    assert len(mine) == 3
    assert mine[0].evidence.endswith("would be a betrayal.”")  # the quote's next sentence has no verb of its own


@pytest.mark.parametrize(
    ("sentence", "topic", "stance"),
    [
        # a modal and the act it governs compose; yielding negated is resolve
        (
            "Calderón dijo que el Estado no va a retroceder en la ofensiva contra los cárteles.",
            "confrontation",
            "support",
        ),
        ("Calderón said the army will not back down against the cartels.", "confrontation", "support"),
        ("Calderón said the government must end the truce with the gangs.", "negotiation", "oppose"),
        # the policy as subject of an undoing verb: its efficacy
        ("Calderón said a state of emergency will not stop the killing by the gangs.", "confrontation", "oppose"),
    ],
)
def test_modal_acts_and_efficacy(sentence: str, topic: str, stance: str) -> None:
    assert ("Felipe Calderón", topic, stance) in rows(doc(INTRO + " " + sentence))


def test_enacting_a_policy_is_an_event_not_a_position() -> None:
    d = doc(INTRO + " The next day Calderón announced a 60-day state of emergency in Michoacán.")
    assert ("Felipe Calderón", "confrontation", "support") not in rows(d)
    assert any(e.actor == "Felipe Calderón" and "state of emergency" in e.evidence for e in d.events)


def test_she_in_a_sentence_is_the_woman_it_names() -> None:
    d = doc(
        "Q: What did the government do after the massacre at the women's prison of Támara?",
        "A: The following day, President Xiomara Castro announced that the military police would take over the "
        "prisons, and she promised drastic measures against the gangs.",
        author="Lucía Benavente",
    )
    assert all(s.speaker != "Lucía Benavente" for s in d.statements)
    assert ("Xiomara Castro", "confrontation", "support") in rows(d)


def test_speakers_across_a_time_phrase_and_a_coordinated_verb() -> None:
    d = doc(
        "Senator Tomás Iribarne Sotelo on Monday called the truce with the gangs a failure.",
        "President Iván Duque signed a decree on the border and defended the deployment of troops against the "
        "cartels as necessary.",
    )
    got = rows(d)
    assert ("Tomás Iribarne Sotelo", "negotiation", "oppose") in got
    assert ("Iván Duque", "confrontation", "support") in got


@pytest.mark.parametrize(
    ("sentence", "topic", "stance"),
    [
        ("Calderón repitió: «Abrazos, no balazos».", "negotiation", "support"),  # the policy's own slogan
        ("Calderón said the truce with the gangs is not a concession.", "negotiation", "neutral"),
        ("Calderón dijo que no va a dejar de hablar con los grupos criminales.", "negotiation", "support"),
    ],
)
def test_slogans_copular_denials_and_stopping(sentence: str, topic: str, stance: str) -> None:
    d = doc(INTRO + " " + sentence)
    mine = {s.stance for s in d.statements if s.speaker == "Felipe Calderón" and s.topic == topic}
    assert mine == {stance}


def test_a_cue_in_a_relative_clause_or_after_a_participle_is_not_governed_by_the_verb() -> None:
    d = doc(
        INTRO + " Calderón ruled out any dialogue with the gang leaders, describing them as criminals who had "
        "declared war on Mexican families.",
        "Senator Tomás Iribarne Sotelo declared a state of emergency in the north, saying the country could no "
        "longer live with the violence of the gangs.",
    )
    got = rows(d)
    assert ("Felipe Calderón", "negotiation", "oppose") in got
    assert ("Felipe Calderón", "confrontation", "oppose") not in got
    assert ("Tomás Iribarne Sotelo", "confrontation", "oppose") not in got


def test_doing_little_to_reach_a_goal_is_a_criticism() -> None:
    d = doc(INTRO + " Calderón argued that mass arrests of young men would do little to dismantle the gangs.")
    assert ("Felipe Calderón", "confrontation", "support") not in rows(d)


def test_a_definite_policy_noun_stands_for_the_policy_last_named() -> None:
    d = doc(
        "President Iván Duque declared a state of emergency in Cauca on Monday after a wave of attacks by the gangs.",
        "Senator Tomás Iribarne Sotelo gave the decree his backing the same night.",
        "El alcalde Martín Echevarría Rojas rechazó la medida el martes.",
    )
    got = rows(d)
    assert ("Tomás Iribarne Sotelo", "confrontation", "support") in got
    assert ("Martín Echevarría Rojas", "confrontation", "oppose") in got


def test_a_participle_clause_is_its_own_proposition() -> None:
    d = doc(
        INTRO + " Calderón rejected the idea flatly, stating that his government would never make pacts with the "
        "cartels."
    )
    assert ("Felipe Calderón", "negotiation", "oppose") in rows(d)
    assert ("Felipe Calderón", "negotiation", "support") not in rows(d)


@pytest.mark.parametrize(
    ("paragraph", "speaker"),
    [
        # the object after an advocacy verb is not a speaker after a quote
        (
            "The Peace Mediation Network (PMN), which mediates truces between rival gangs in Kingston, urged the "
            "government to fund peace talks between the gangs.",
            "Peace Mediation Network",
        ),
        # a body named inside a person's appositive is not the subject
        (
            "Tomás Iribarne Sotelo, the president of the National Assembly, praised the truce with the gangs.",
            "Tomás Iribarne Sotelo",
        ),
    ],
)
def test_speakers_are_subjects_not_objects_or_appositives(paragraph: str, speaker: str) -> None:
    d = doc("Officials in the capital discussed the violence of the gangs on Monday.", paragraph)
    assert {r[0].split(" (")[0] for r in rows(d)} == {speaker}


def test_an_unnamed_spanish_officer_is_nobody() -> None:
    d = doc(
        "Un oficial del Ejército que pidió no ser identificado dijo que la ofensiva contra los cárteles seguirá.",
    )
    assert not rows(d)


@pytest.mark.parametrize(
    ("sentence", "topic", "stance"),
    [
        ("Nobody, Calderón added, had fought the cartels as hard as his government.", "confrontation", "support"),
        ("Calderón insisted that no Mexican leader did more to fight the cartels.", "confrontation", "support"),
        ("Calderón said the point was to hit the cartels where it hurts.", "confrontation", "support"),
    ],
)
def test_boasts_and_stated_aims(sentence: str, topic: str, stance: str) -> None:
    assert ("Felipe Calderón", topic, stance) in rows(doc(INTRO + " " + sentence))


def test_enacting_with_a_long_object_is_an_act() -> None:
    d = doc(
        INTRO + " In October 2007 Calderón announced a package of helicopters, surveillance aircraft, scanners and "
        "training for the security forces fighting the cartels."
    )
    assert ("Felipe Calderón", "confrontation", "support") not in rows(d)
