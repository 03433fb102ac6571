"""Stage 1, clean: a raw scraped page -> :class:`~cartelkit.model.Document` (no annotations yet)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from cartelkit.clean import max_bytes_for
from cartelkit.clean.boilerplate import CHROME_REASONS, Split, classify_page, split_page, words
from cartelkit.clean.decode import to_text
from cartelkit.clean.html import PAYWALL_WORDS, Extracted, extract, is_html
from cartelkit.clean.metadata import (
    credit_author,
    detect_language,
    find_author,
    find_masthead,
    find_published,
    find_section,
    find_source,
    find_title,
    is_meta_line,
)
from cartelkit.model import Document, PartialDate
from cartelkit.textutil import fold, sha256_bytes

_BIO_VERB_RE = re.compile(r"(?:is|was|covers|writes|reports|has|holds|leads|directs|teaches|served|works)\b")


def drop_author_bio(split: Split, author: str | None) -> list[int]:
    """Body units without an about-the-author box at the body's first or last place."""
    body = list(split.body)
    if not author or len(body) < 3:
        return body
    names = (fold(author) + " ", fold(author.split()[-1]) + " ")
    for pos in (-1, 0):
        text = fold(split.units[body[pos]].text)
        name = next((n for n in names if text.startswith(n)), None)
        if name and _BIO_VERB_RE.match(text, len(name)) and len(words(text)) <= 80:
            body.pop(pos)
    return body


def clean_document(
    data: bytes,
    file_name: str,
    line_counts: Mapping[int, int] | None = None,
    sidecar: Mapping[str, str | None] | None = None,
    max_bytes: int | None = None,
) -> Document:
    """Decode, strip boilerplate and read metadata of one raw page.

    ``line_counts`` tells how many *other* documents hold each line (see
    :func:`cartelkit.clean.boilerplate.split_page`); ``sidecar`` overrides metadata.
    """
    text, encoding = to_text(data, file_name, max_bytes or max_bytes_for(file_name))
    html: Extracted | None = None
    if is_html(file_name, text):
        html = extract(text)
        text = html.text
    lines = text.split("\n")
    page = classify_page(lines, line_counts, is_meta_line)
    split = split_page(page)
    chrome = [u.text for u in split.units if split.reasons.get(u.index) in CHROME_REASONS]
    first_paragraph = split.units[split.body[0]].text if split.body else None
    chrome_set = {u.text for u in split.units if split.reasons.get(u.index) in CHROME_REASONS}
    headline = find_title([split.units[i].text for i in split.header], None, chrome_set)
    masthead = find_masthead([(split.units[i].text, split.reasons.get(i)) for i in split.header], headline, text)
    source = find_source(chrome, first_paragraph, masthead)
    if source:  # second pass: self-promotion naming the publisher leaves the body's edges
        split = split_page(page, publisher_names=(source,))
    header = [split.units[i].text for i in split.header]
    title = find_title(header, source, chrome_set)
    author = find_author(header, title, text) or credit_author(
        [u.text for u in split.units if split.reasons.get(u.index) == "metadata"]
    )
    body_ids = drop_author_bio(split, author)
    body_set = set(body_ids)
    body_paragraphs = [split.units[i].text for i in body_ids]
    first_paragraph = body_paragraphs[0] if body_paragraphs else None
    published = find_published(header, first_paragraph)
    side = dict(sidecar or {})
    meta_sources: dict[str, str] = {}
    values: dict[str, Any] = {
        "title": title,
        "published": published.iso if published else None,
        "date_precision": published.precision if published else None,
        "author": author,
        "source": source,
        "section": find_section(header),
        "language": detect_language("\n".join(body_paragraphs)),
        "url": None,
    }
    if html is not None:  # what the page's markup declares wins over the text's heuristics
        author = html.author if html.author_declared else None
        if not author and not values["author"]:  # a byline the extraction left out of the text
            author = find_author(list(html.dropped), values["title"], "\n".join(html.dropped)) or html.author
        declared = {"title": html.title, "author": author, "source": html.source, "url": html.url}
        if html.published is not None:
            declared |= {"published": html.published.iso, "date_precision": html.published.precision}
        for key, value in declared.items():
            if value:
                values[key] = value
                if key != "date_precision":
                    meta_sources[key] = "html"
    for key, value in side.items():
        values[key] = value
        meta_sources[key] = "sidecar"
        if key == "published":
            values["date_precision"] = PartialDate.from_iso(value).precision if value else None
    warnings: list[str] = []
    if encoding not in ("utf-8",):
        warnings.append(f"decoded as {encoding} (not valid UTF-8)")
    if not body_paragraphs:
        warnings.append("no article body found" + (" (a login wall or a page of links?)" if html else ""))
    elif html is not None and html.paywall and len(words(" ".join(body_paragraphs))) < PAYWALL_WORDS:
        warnings.append("the page asks to subscribe or log in: only a teaser of the article was found")
    return Document(
        doc_id=file_name.rsplit(".", 1)[0],
        file=file_name,
        sha256=sha256_bytes(data),
        body="\n\n".join(body_paragraphs),
        removed=tuple(u.text for u in split.units if u.index not in body_set),
        encoding=encoding,
        warnings=tuple(warnings),
        meta_sources=meta_sources,
        format="html" if html is not None else "text",
        dropped=html.dropped if html is not None else (),
        **values,
    )
