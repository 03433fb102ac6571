"""Cleaning and metadata on the samples and on small pages of other layouts."""

from __future__ import annotations

from pathlib import Path

import pytest

from cartelkit.annotate import annotate_document
from cartelkit.clean import clean_document
from cartelkit.clean.metadata import clean_name, find_published
from cartelkit.errors import InputFileError
from tests.conftest import SAMPLES

BODY = (
    "The government of Honduras announced on Tuesday that it would extend the state of exception for another "
    "forty-five days, arguing that extortion by gangs had fallen in the neighborhoods under the measure.",
    "Critics said the measure had been used to detain people without evidence, and that the police had not "
    "published the numbers it promised to the congress when the decree was first approved last year.",
    "Security minister Ramón Sabillón said the operations would continue until the gangs were dismantled, "
    "and added that the government would not negotiate with criminal groups under any circumstances.",
)


def page(*lines: str) -> bytes:
    return "\n\n".join(lines).encode("utf-8")


def sample(name: str) -> str:
    return (SAMPLES / name).read_text("utf-8")


def test_sample_004_metadata_and_body() -> None:
    doc = clean_document((SAMPLES / "004_8d0e20a436d8e110.txt").read_bytes(), "004_8d0e20a436d8e110.txt")
    assert doc.title == "US is Negotiating with 'El Chapo': Ex-Mexican President"
    assert (doc.published, doc.date_precision) == ("2012-03-21", "day")
    assert doc.author == "Geoffrey Ramsey"
    assert doc.source == "InSight Crime"
    assert doc.section == "El Chapo"
    assert doc.language == "en"
    for chrome in ("DONATE", "Related Content", "About InSight Crime", "share icon"):
        assert chrome not in doc.body
    assert "InSight Crime Analysis" in doc.body  # an in-body subheading stays
    assert doc.body.startswith("As the Mexican government claims")
    assert "DONATE" in doc.removed


def test_sample_001_has_author_and_no_date() -> None:
    doc = clean_document((SAMPLES / "001_bdc43b40b0cbeb40.txt").read_bytes(), "001.txt")
    assert doc.author == "Enrique Betancourt"
    assert doc.published is None  # "Sept. 2018" in a testimonial is not the article's date
    assert doc.source == "The Cipher Brief"
    assert "Cipher Brief has become the most popular" not in doc.body
    assert doc.body.endswith("too soon to claim that this decline is sustainable.")


def test_sample_002_repeated_lead_and_trending_removed_subheading_kept() -> None:
    doc = clean_document((SAMPLES / "002_8b4e1e16cd9a5d6b.txt").read_bytes(), "002.txt")
    assert doc.body.rstrip().endswith("posing ongoing threats to national security and stability.")
    assert "A Controversial Alliance" in doc.body.split("\n\n")
    assert doc.body.count("In the fall of 2021, Michoacán became") == 1
    assert any(r.startswith("Puerto Vallarta, Mexico — In the fall of 2021") and "Mexico's" in r for r in doc.removed)
    assert any("Tropical Storm Erick" in r for r in doc.removed)
    assert doc.published is None and doc.author is None
    assert doc.source == "PVDN"


def test_body_never_holds_a_character_the_raw_file_lacks() -> None:
    for p in SAMPLES.glob("*.txt"):
        raw = p.read_text("utf-8")
        doc = clean_document(raw.encode(), p.name)
        assert set(doc.body) - set(raw) <= set()


def test_cookie_banner_breadcrumbs_tags_newsletter_and_footer() -> None:
    raw = "\n".join(
        [
            "We use cookies to improve your experience. By continuing you accept our cookie policy "
            "(updated 1 May 2024).",
            "Accept all",
            "Home > World > Americas",
            "",
            "Honduras extends state of exception against extortion gangs",
            "Published: 5 Dec 2017 14:32 GMT",
            "By Daniela Ferrera | Reporter",
            "",
            *[b + "\n" for b in BODY],
            "Tags: Honduras, gangs, extortion",
            "Sign up for our newsletter",
            "Get the week's top stories in your inbox every Friday.",
            "© 2024 Isthmus Report. All rights reserved.",
        ]
    ).encode()
    doc = clean_document(raw, "hn.txt")
    assert doc.title == "Honduras extends state of exception against extortion gangs"
    assert doc.published == "2017-12-05"
    assert doc.author == "Daniela Ferrera"
    assert doc.section == "Americas"
    assert doc.source == "Isthmus Report"
    assert doc.body.split("\n\n") == list(BODY)
    assert "Tags: Honduras, gangs, extortion" in doc.removed


def test_wordpress_sidebar_archive_months_are_not_the_date() -> None:
    raw = page(
        "Cuscatlán Notebook",
        "Menu",
        "Archives",
        "November 2024",
        "October 2024",
        "September 2022",
        "Notes on a crackdown",
        "Posted on September 5, 2022 by Marisol Quintanilla",
        *BODY,
        "Leave a comment",
        "Categories",
        "Security",
        "© 2024 Cuscatlán Notebook",
    )
    doc = clean_document(raw, "wp.txt")
    assert doc.published == "2022-09-05"
    assert doc.author == "Marisol Quintanilla"
    assert doc.source == "Cuscatlán Notebook"
    assert doc.body.split("\n\n") == list(BODY)


def test_no_date_means_null_not_footer_or_today() -> None:
    raw = page(
        "A title that is long enough",
        "By Ana Ruiz",
        *BODY,
        "Copyright © 2024 Some Site",
        "Related",
        "Gang truce collapses",
        "12 March 2021",
    )
    doc = clean_document(raw, "nodate.txt")
    assert doc.published is None


@pytest.mark.parametrize(
    ("header", "published", "precision"),
    [
        (["Last updated 2023-08-04"], "2023-08-04", "day"),
        (["September 5, 2011"], "2011-09-05", "day"),
        (["MEXICO / 21 JUN 2011 BY MARTHA MAGUIRE EN"], "2011-06-21", "day"),
        (["17 de octubre de 2019 - 21:47 hrs"], "2019-10-17", "day"),
        (["Published: 5 Dec 2017 14:32 GMT", "Updated: 6 Dec 2017"], "2017-12-05", "day"),
        (["November 2024", "October 2024"], None, None),
        (["Sábado 4 de mayo de 2019 · 09:15 h"], "2019-05-04", "day"),
        (["April 2, 2020 / 6:40 PM / Updated 5 hours ago"], "2020-04-02", "day"),
        (["3 February 2021, 08:30 GMT | Updated 11:02 GMT"], "2021-02-03", "day"),
        (["Managua, 14 de julio de 2018"], "2018-07-14", "day"),
        (["Aired May 12, 2022 - 21:00   ET"], "2022-05-12", "day"),
        (["Policy Paper No. 4", "March 2015"], "2015-03", "month"),
        (["Publicado hace 3 días"], None, None),
        (["2099-01-01"], None, None),
    ],
)
def test_published_forms(header: list[str], published: str | None, precision: str | None) -> None:
    got = find_published(header, None)
    assert (got.iso if got else None, got.precision if got else None) == (published, precision)


def test_dateline_gives_the_date_when_the_header_has_none() -> None:
    got = find_published([], "WASHINGTON, March 3, 2014 (Reuters) — The DEA said on Monday that it had arrested.")
    assert got is not None and got.iso == "2014-03-03"


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        ("MARTHA MAGUIRE", "Martha Maguire"),
        ("Tomás Aguirre | Reporter", "Tomás Aguirre"),
        ("Laura Benítez in San Salvador", "Laura Benítez"),
        ("Rodrigo Salcedo, contributing analyst", "Rodrigo Salcedo"),
        ("JUAN DE LA CRUZ", "Juan de la Cruz"),
    ],
)
def test_author_names(raw: str, name: str) -> None:
    assert clean_name(raw) == name


def test_por_and_role_bylines() -> None:
    doc = clean_document(page("Una nota larga sobre la tregua", "Por Mariana Estrada Villa", *BODY), "es.txt")
    assert doc.author == "Mariana Estrada Villa"
    doc = clean_document(page("Headline of this article here", "Tomás Aguirre | Reporter", *BODY), "r.txt")
    assert doc.author == "Tomás Aguirre"


def test_desks_and_usernames_are_not_authors() -> None:
    for byline in ("Por Redacción", "By the Wire Desk", "Oficina de Prensa", "posted by news_team"):
        doc = clean_document(page("A headline about the security plan", byline, "June 3, 2020", *BODY), "d.txt")
        assert doc.author is None, byline
    doc = clean_document(
        page("Título largo de la nota aquí", "Publicado hace 2 días por Renata Ibáñez · 5 min", *BODY), "s.txt"
    )
    assert doc.author == "Renata Ibáñez"


def test_the_headline_sits_between_the_menus_and_the_byline() -> None:
    raw = page(
        "THE GULF OBSERVER",
        "Independent reporting on the Caribbean coast, every week",
        "News | Politics | Security | Opinion | Podcasts",
        "Port authority seizes record cocaine shipment in container terminal",
        "Issue #212 — what the seizure says about the new routes through the region and the ports",
        "By Hannah Ruiz-Carter",
        "May 4, 2022",
        *BODY,
        "© 2022 Gulf Observer Media Group Ltd. All rights reserved.",
    )
    doc = clean_document(raw, "h.txt")
    assert doc.title == "Port authority seizes record cocaine shipment in container terminal"
    assert doc.source == "The Gulf Observer"
    assert doc.author == "Hannah Ruiz-Carter"
    assert doc.published == "2022-05-04"


def test_photo_captions_and_credits_are_chrome_not_body_or_dates() -> None:
    captions = (
        "FILE - In this July 9, 2018 file photo, soldiers stand guard outside the prison in Culiacán.",
        "Federal police patrol the port of Manzanillo. Photo: Marta Gil/EPA",
        "Relatives of the victims gather outside the morgue. (Getty Images)",
    )
    raw = page("A headline about the port operation here", "June 3, 2020", BODY[0], captions[0], BODY[1], *captions[1:])
    doc = clean_document(raw, "cap.txt")
    assert doc.published == "2020-06-03"
    for c in captions:
        assert c not in doc.body and c in doc.removed
    assert BODY[1] in doc.body
    events = annotate_document(doc).events
    assert not any(e.date and e.date.startswith("2018") for e in events)


def test_a_copyright_name_loses_its_company_form() -> None:
    raw = page("Una crónica larga sobre la frontera sur", *BODY, "© 2019 Diario del Sureste S.A. de C.V.")
    assert clean_document(raw, "c.txt").source == "Diario del Sureste"


def test_sidecar_overrides_metadata() -> None:
    doc = clean_document(page("Title", *BODY), "x.txt", sidecar={"published": "2019-10", "source": "Milenio"})
    assert (doc.published, doc.date_precision, doc.source) == ("2019-10", "month", "Milenio")
    assert doc.meta_sources == {"published": "sidecar", "source": "sidecar"}


def test_recurring_lines_across_the_corpus_are_removed(tmp_path: Path) -> None:
    from cartelkit.textutil import line_key

    promo = "Our reporting is free because readers like you support independent journalism every single month."
    doc = clean_document(page("Headline of the piece", *BODY, promo), "a.txt", {line_key(promo): 3})
    assert promo not in doc.body
    doc = clean_document(page("Headline of the piece", *BODY, promo), "a.txt", {})
    assert promo in doc.body  # without the corpus evidence it reads as prose


def test_wrapped_paragraphs_are_joined() -> None:
    raw = (
        b"Title of the article\n\nThe president said on Monday that the government would not\n"
        b"negotiate with the gangs, and that troops would stay.\n"
    )
    doc = clean_document(raw, "w.txt")
    assert doc.body == (  # one paragraph; the source's line break is kept, nothing is invented
        "The president said on Monday that the government would not\nnegotiate with the gangs, "
        "and that troops would stay."
    )
    from cartelkit.annotate.sentences import split_sentences

    assert len(split_sentences(doc.body)) == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"   \n\n  ", "empty"),
        (b"\x00\x01\x02binary\x00" * 10, "binary"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(32)) * 40, "binary"),
    ],
    ids=["empty", "blank", "nul", "png"],
)
def test_bad_input_is_refused_with_a_clear_error(data: bytes, message: str) -> None:
    with pytest.raises(InputFileError, match=message):
        clean_document(data, "bad.txt")


def test_oversized_input_is_refused() -> None:
    with pytest.raises(InputFileError, match="over the 1 MB limit"):
        clean_document(b"word " * 300_000, "big.txt", max_bytes=1024 * 1024)


def test_cp1252_is_decoded_and_reported() -> None:
    raw = page("Calderón y la tregua", *BODY).decode().encode("cp1252")
    doc = clean_document(raw, "cp.txt")
    assert doc.encoding == "cp1252"
    assert any("cp1252" in w for w in doc.warnings)
    assert doc.title == "Calderón y la tregua"


def test_zero_width_and_bidi_characters_are_dropped() -> None:
    doc = clean_document(page("Title of the article", BODY[0].replace("Honduras", "Hon\u200bduras\u202e")), "z.txt")
    assert "Honduras" in doc.body and "\u200b" not in doc.body and "\u202e" not in doc.body


def test_a_syndicated_copy_keeps_its_body() -> None:
    """Copies of one article in several documents are duplicates, not boilerplate."""
    from cartelkit.textutil import line_key

    raw = page("Headline of the piece", *BODY, "Share this article")
    counts = {line_key(line): 3 for line in [*BODY, "Share this article"]}
    doc = clean_document(raw, "copy.txt", counts)
    assert doc.body.split("\n\n") == list(BODY)


def test_folding_equals_its_translation_table_definition() -> None:
    """fold, fold_keep_length and strip_accents replace characters with regexes (ten times
    faster than str.translate on non-ASCII text): the result is the tables' own, character
    for character, on random text of ASCII, quotes, dashes, accented letters and other scripts."""
    import random

    from cartelkit import textutil

    def by_table(text: str) -> str:
        return text.translate(textutil._QUOTES).translate(textutil._ACCENTS).lower()

    alphabet = (
        "abcXYZ 09.,;\n\t'\"" + "".join(map(chr, textutil._QUOTES)) + "".join(chr(c) for c in range(0xB0, 0x260))
        + "ßİДжΩ中文🙂\u0301"
    )  # fmt: skip
    rng = random.Random(7)
    ascii_only = "abcXYZ 09.,;'\"`´"[:-1]  # all-ASCII text has a character to replace too: "`"
    for i in range(3000):
        letters = ascii_only if i % 3 == 0 else alphabet
        text = "".join(rng.choice(letters) for _ in range(rng.randint(0, 60)))
        assert textutil.strip_accents(text) == text.translate(textutil._ACCENTS)
        expected = by_table(text)
        assert textutil.fold_keep_length(text) == (expected if len(expected) == len(text) else text.lower())
        assert textutil.fold(text) == textutil._SPACE_RE.sub(" ", expected).strip()
    long = "".join(rng.choice(alphabet) for _ in range(20_000))  # past the memoised length
    assert textutil.fold(long) == textutil._SPACE_RE.sub(" ", by_table(long)).strip()
