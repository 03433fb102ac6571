"""HTML pages -> the main text and the metadata the page declares, before cleaning.

A saved news page (``.html``/``.htm``, or any file that starts as an HTML document) goes
through trafilatura, the maintained extractor made for news pages: it finds the article's
text among menus, banners, related links and comments, and reads title, author, publisher
and publication date from the page's structured data (JSON-LD, ``og:``/``article:``
properties, meta tags). The date is read from markup only, never guessed from the text.
The extracted text then goes through the same cleaning as a text page; the page's metadata
wins over the cleaner's text heuristics (a sidecar still wins over both). What extraction
left out is kept as ``dropped`` lines, for ``show``.

trafilatura (and lxml) load only when a build meets an HTML page.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from cartelkit.model import PartialDate

HTML_SUFFIXES = (".html", ".htm", ".xhtml")
MAX_HTML_BYTES = 32 * 1024 * 1024  # pages carry scripts and styles: more room than a text page
_START_RE = re.compile(r"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])", re.I | re.S)
_NOT_TEXT_OPEN_RE = re.compile(r"<(script|style|noscript|template|svg)\b([^>]*)>", re.I)
_NOT_TEXT_CLOSE_RE = re.compile(r"</(script|style|noscript|template|svg)\s*>", re.I)
_TITLE_RE = re.compile(r"<title[^>]*>(.*?)</title\s*>", re.I | re.S)
SUBSTRING_BUDGET = 20_000_000  # characters of kept text scanned to tell kept lines from dropped ones
# markup that declares an author (JSON-LD, meta tags, microdata), as opposed to a byline in the text
_DECLARED_AUTHOR_RE = re.compile(
    r"""["']author["']\s*:|<meta[^>]+(?:name|property)\s*=\s*["'](?:author|article:author|dc\.creator)["']"""
    r"""|itemprop\s*=\s*["']author["']""",
    re.I,
)
_PAYWALL_RE = re.compile(
    r"\b(?:subscribe (?:now )?to (?:continue|keep) reading|log ?in to (?:continue|read)|sign in to (?:continue|read)"
    r"|unlimited access|already (?:a subscriber|have an account)|exclusive (?:for|to) subscribers"
    r"|suscr[ií]bete (?:para|y) (?:seguir|continuar)|contenido exclusivo para suscriptores|inicia sesi[oó]n para)",
    re.I,
)
PAYWALL_WORDS = 120  # a body this short beside a subscription prompt is a teaser
_BLOCKS = (
    "p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "nav", "header", "footer",
    "aside", "tr", "td", "th", "blockquote", "figcaption", "button", "form", "ul", "ol", "dt", "dd", "pre",
    "table", "main", "br", "label", "option",
)  # fmt: skip


@dataclass(frozen=True)
class Extracted:
    """What an HTML page holds: its main text (paragraphs separated by blank lines, the
    headline first when the page has one) and the metadata its markup declares."""

    text: str
    title: str | None
    author: str | None
    published: PartialDate | None
    source: str | None
    url: str | None
    dropped: tuple[str, ...]  # visible lines of the page the extraction left out
    author_declared: bool = False  # the author comes from the markup, not from a byline in the text
    paywall: bool = False  # the page asks the reader to subscribe or log in


def is_html(file_name: str, text: str) -> bool:
    """Whether a raw page is HTML: by its extension, or by how it starts."""
    return file_name.lower().endswith(HTML_SUFFIXES) or bool(_START_RE.match(text[:4096]))


def extractor_version() -> str:
    """The extractor's name and version (part of an HTML page's cache key)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"trafilatura {version('trafilatura')}"
    except PackageNotFoundError:  # pragma: no cover - a declared dependency
        return "trafilatura ?"


def extract(html: str) -> Extracted:
    """The main text and declared metadata of one page; an empty text when the page has no
    article (a login wall, a list of links)."""
    import trafilatura

    page = strip_scripts(html)  # 20 MB of scripts hold no article: never parsed
    try:
        found = trafilatura.bare_extraction(
            page,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            include_images=False,
            favor_precision=True,
            deduplicate=False,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except (ValueError, TypeError, AttributeError, RecursionError):  # a page lxml cannot make a tree of
        found = None
    text = ""
    title = author = date = source = url = None
    prompts: list[str] = []  # "Subscribe to continue reading": never article text
    if found is not None:
        meta = found.as_dict() if hasattr(found, "as_dict") else dict(found)
        paragraphs = [p.strip() for p in (meta.get("text") or "").split("\n") if p.strip()]
        prompts = [p for p in paragraphs if _PAYWALL_RE.search(p) and len(p.split()) < 40]
        text = "\n\n".join(p for p in paragraphs if p not in prompts)
        title, author, date = _clean(meta.get("title")), _clean(meta.get("author")), meta.get("date")
        source, url = _clean(meta.get("sitename")), _clean(meta.get("url"))
    if not title and (m := _TITLE_RE.search(page[:200_000])):  # a page with a <title> and nothing else
        import html as entities

        title = _clean(entities.unescape(m.group(1)))
    if title and text and not text.startswith(title):
        text = f"{title}\n\n{text}"  # the cleaner finds the headline where a page has it
    dropped = tuple(dict.fromkeys([*prompts, *_dropped(page, text)]))
    return Extracted(
        text,
        title,
        author,
        _date(date),
        source,
        url,
        dropped,
        author_declared=bool(_DECLARED_AUTHOR_RE.search(page)),
        paywall=any(_PAYWALL_RE.search(line) for line in dropped),
    )


def strip_scripts(html: str) -> str:
    """``html`` without its scripts, styles, SVG and templates, in linear time whatever the
    markup (an unclosed ``<svg>`` is dropped alone). JSON-LD stays: it holds the metadata."""
    closes: dict[str, list[int]] = {}
    for m in _NOT_TEXT_CLOSE_RE.finditer(html):
        closes.setdefault(m.group(1).lower(), []).append(m.start())
    out: list[str] = []
    pos = 0
    for m in _NOT_TEXT_OPEN_RE.finditer(html):
        if m.start() < pos:
            continue
        name = m.group(1).lower()
        if name == "script" and "ld+json" in m.group(2).lower():
            continue
        ends = closes.get(name, [])
        k = bisect.bisect_left(ends, m.end())
        end = html.find(">", ends[k]) + 1 if k < len(ends) else m.end()
        out += [html[pos : m.start()], " "]
        pos = max(end, m.end())
    out.append(html[pos:])
    return "".join(out)


def _clean(value: object) -> str | None:
    text = " ".join(str(value).split()) if value else ""
    return text or None


def _date(value: object) -> PartialDate | None:
    if not value:
        return None
    try:
        return PartialDate.from_iso(str(value)[:10])
    except ValueError:
        return None


def _dropped(page: str, kept: str) -> tuple[str, ...]:
    """The visible lines of ``page`` (block by block) that are not in the extracted text."""
    try:
        import lxml.html
        from lxml import etree

        tree = lxml.html.document_fromstring(page)
    except (ValueError, etree.ParserError, etree.XMLSyntaxError):
        return ()
    for head in list(tree.iter("head", "title")):
        head.drop_tree()
    for el in tree.iter(*_BLOCKS):
        el.tail = "\n" + (el.tail or "")
        if el.tag != "br":
            el.text = "\n" + (el.text or "")
    wanted = " ".join(kept.split())
    paragraphs = {" ".join(p.split()) for p in kept.split("\n\n")}
    budget = SUBSTRING_BUDGET  # a page of 50,000 menu lines must not cost minutes
    out: dict[str, None] = {}
    for line in tree.text_content().split("\n"):
        line = " ".join(line.split())
        if not line or line in out or line in paragraphs:
            continue
        if budget > 0:
            budget -= len(wanted)
            if line in wanted:
                continue
        out[line] = None
    return tuple(out)
