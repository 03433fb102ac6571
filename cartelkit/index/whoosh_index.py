"""The only module that imports whoosh (the ``whoosh3`` distribution, pinned in pyproject):
the words of a generation, one record per article (title, body, and the fields ``search``
filters on: publication date as an integer ``YYYYMMDD``, source, language, actor keys).
Statements and events live in the facts store (:mod:`cartelkit.index.facts`).
"""

from __future__ import annotations

import functools
import itertools
import json
import re
from collections.abc import Collection, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from whoosh import fields, index, qparser, query
from whoosh.analysis import CharsetFilter, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.filedb.filestore import FileStorage
from whoosh.highlight import ContextFragmenter, Formatter, get_text
from whoosh.matching.wrappers import FilterMatcher
from whoosh.support.charset import accent_map

from cartelkit.data import Language, languages
from cartelkit.errors import IndexStateError, QuerySyntaxError
from cartelkit.model import Hit, PartialDate, SearchQuery, SearchResult
from cartelkit.textutil import fold, fold_keep_length

if TYPE_CHECKING:
    from cartelkit.model import Document

# Match markers inside a snippet while it is made (control characters: never in a cleaned body);
# a Hit carries the plain snippet and the markers' offsets.
HIGHLIGHT_OPEN, HIGHLIGHT_CLOSE = "\x02", "\x03"


class AccentStemmer:
    """A Snowball stemmer for a language whose endings carry accents: stems the word as
    written (a word typed without its ending's accent gets it back first: "negociacion"),
    then folds accents, so "negociación", "negociacion" and "negociar" share "negoci".
    Pickled into the index schema by Whoosh (a plain class, no closures)."""

    def __init__(self, lang: str, restore: tuple[tuple[str, str], ...]) -> None:
        self.lang = lang
        self.restore = restore

    def __call__(self, word: str) -> str:
        for plain, accented in self.restore:
            if word.endswith(plain):
                word = word[: -len(plain)] + accented
                break
        return fold(_snowball(self.lang)(word))


@functools.cache
def _snowball(lang: str) -> Any:
    from whoosh.lang import stemmer_for_language

    return stemmer_for_language(lang)


def _analyzer(lang: Language) -> Any:
    """English is folded, then stemmed (Porter-style Snowball); other languages are stemmed as
    written, then folded (their stemmers need the accents)."""
    tokens = RegexTokenizer(r"\w+(?:[.'’]\w+)*") | LowercaseFilter()
    if lang.code == "en":
        return (
            tokens
            | CharsetFilter(accent_map)
            | StopFilter(stoplist=lang.stop_words)
            | StemFilter(lang="en", cachesize=100_000)
        )
    return (
        tokens
        | StopFilter(stoplist=lang.stop_words)
        | StemFilter(stemfn=AccentStemmer(lang.stemmer, lang.restore_suffixes), cachesize=100_000)
    )


def text_fields(field: str) -> list[str]:
    """The index fields of ``field`` ("title", "body") in every language: "body", "body_es", …"""
    return [field if lang.code == "en" else f"{field}_{lang.code}" for lang in languages()]


def _language_of(doc: Document) -> Language:
    """The language whose fields hold a document: its own, English when unknown or unlisted."""
    return next((lang for lang in languages() if lang.code == doc.language), languages()[0])


def make_schema() -> fields.Schema:
    text: dict[str, Any] = {}
    for lang in languages():
        ana = _analyzer(lang)
        suffix = "" if lang.code == "en" else f"_{lang.code}"
        text["title" + suffix] = fields.TEXT(analyzer=ana, stored=True, field_boost=2.0)
        text["body" + suffix] = fields.TEXT(analyzer=ana, stored=True)
    return fields.Schema(
        kind=fields.ID(stored=True),  # "article" (the only kind since the facts moved to SQLite)
        doc_id=fields.ID(stored=True, unique=False),
        language=fields.ID(),  # the document's language code, on every record
        **text,
        date=fields.NUMERIC(int, bits=32, stored=True, signed=False),
        meta=fields.STORED(),  # JSON of the remaining stored values
        source=fields.ID(),  # folded source name
        actors=fields.KEYWORD(commas=True, scorable=False),  # folded actor names
    )


def create(path: Path) -> Any:
    return index.create_in(str(path), make_schema())


class _SealedStorage(FileStorage):  # type: ignore[misc]
    """A folder as Whoosh sees it: only the files the manifest sealed (Whoosh opens the newest
    table of contents it lists, so nothing else may be listed)."""

    def __init__(self, path: str, names: Collection[str]) -> None:
        super().__init__(path, readonly=True)
        self._names = frozenset(names)

    def list(self) -> list[str]:
        return [n for n in super().list() if n in self._names]

    def open_file(self, name: str, *args: Any, **kwargs: Any) -> Any:
        if name not in self._names:
            raise IndexStateError(f"the index has no sealed file {name!r}", "run `cartelkit build --rebuild`")
        return super().open_file(name, *args, **kwargs)


def open_generation(path: Path, sealed: Collection[str] | None = None) -> Any:
    """The Whoosh index of a generation folder; with ``sealed`` (the manifest's files), Whoosh
    sees and opens those files only."""
    try:
        if sealed is not None:
            ix = index.FileIndex(_SealedStorage(str(path), sealed), indexname="MAIN")
            ix.doc_count()
            return ix
        ix = index.open_dir(str(path))
        ix.doc_count()  # touches the TOC and segments
        return ix
    except Exception as exc:  # whoosh raises many types on damaged files
        raise IndexStateError(
            f"the index in {path} is damaged ({type(exc).__name__})", "run `cartelkit build --rebuild`"
        ) from exc


def _date_int(iso: str | None) -> int | None:
    return PartialDate.from_iso(iso).sort_key if iso else None


def records(doc: Document) -> Iterable[dict[str, Any]]:
    """The index record of one document (an iterable, for writers that batch)."""
    lang = _language_of(doc)
    suffix = "" if lang.code == "en" else f"_{lang.code}"
    meta = {"title": doc.title, "published": doc.published, "author": doc.author, "source": doc.source}
    article: dict[str, Any] = {
        "kind": "article",
        "doc_id": doc.doc_id,
        "language": doc.language or "",
        "title" + suffix: doc.title or "",
        "body" + suffix: doc.body,
        "meta": json.dumps(meta, ensure_ascii=False),
        "source": fold(doc.source) if doc.source else "",
        "actors": ",".join(_key(a.name) for a in doc.actors),
    }
    d = _date_int(doc.published)
    if d is not None:
        article["date"] = d
    yield article


def _key(name: str) -> str:
    """An actor name as one index token ("Felipe Calderón" -> "felipe_calderon")."""
    return "_".join(fold(name).replace(",", " ").split())


class WhooshText:
    """The :class:`~cartelkit.index.protocol.TextIndex` of a generation."""

    def __init__(self, ix: Any) -> None:
        self.ix = ix

    def search(self, q: SearchQuery, limit: int | None, count: bool = False) -> SearchResult:
        return search_articles(self.ix, q, limit, count)


class Writer:
    """The :class:`~cartelkit.index.protocol.TextWriter`: adds and deletes documents;
    ``commit()`` makes the changes visible atomically."""

    def __init__(self, ix: Any) -> None:
        # compound=False: separate segment files open much faster for every later query.
        # One writer in the builder process: the workers already use the other cores.
        self._w = ix.writer(limitmb=256, compound=False)
        self.committed = False

    def delete(self, doc_id: str) -> None:
        self._w.delete_by_term("doc_id", doc_id)

    def add(self, doc: Document) -> None:
        for rec in records(doc):
            self._w.add_document(**rec)

    def commit(self, optimize: bool = False) -> None:
        self._w.commit(optimize=optimize)
        self.committed = True

    def cancel(self) -> None:
        self._w.cancel()


class _Marker(Formatter):  # type: ignore[misc]
    """Marks matched terms (see ``HIGHLIGHT_OPEN``); ``split_marks`` turns them into offsets."""

    between = " … "

    def format_token(self, text: str, token: Any, replace: bool = False) -> str:
        return f"{HIGHLIGHT_OPEN}{get_text(text, token, replace)}{HIGHLIGHT_CLOSE}"


def _range(date_from: PartialDate | None, date_to: PartialDate | None) -> query.Query | None:
    if not date_from and not date_to:
        return None
    return query.NumericRange("date", date_from.sort_key if date_from else None, date_to.last_key if date_to else None)


def _and(*parts: query.Query | None) -> query.Query:
    qs = [p for p in parts if p is not None]
    return qs[0] if len(qs) == 1 else query.And(qs)


MAX_QUERY_CHARS = 2_000
MAX_WORD_CHARS = 100
_FIELD_RE = re.compile(r"(?:^|[\s(])([A-Za-z_]+):")
_EMPTY_FIELD_RE = re.compile(r"(?<![\w:])(\w+):(?=\s|$|\))")
QUERY_FIELDS = ("title", "body")
TEXT_FIELDS = frozenset(text_fields("title") + text_fields("body"))


def check_syntax(text: str) -> None:
    """Refuse what the Whoosh parser would silently misread (unbalanced quotes or
    parentheses, unknown fields) or take minutes over (its tagger is quadratic in a word's
    length: a 100,000-character word took a minute)."""
    if len(text) > MAX_QUERY_CHARS:
        raise QuerySyntaxError(
            f"the query is {len(text):,} characters long", f"search with at most {MAX_QUERY_CHARS:,} characters"
        )
    longest = max(text.split(), key=len, default="")
    if len(longest) > MAX_WORD_CHARS:
        raise QuerySyntaxError(
            f"the query has a {len(longest):,}-character word", f"no word is longer than {MAX_WORD_CHARS} characters"
        )
    if text.count('"') % 2:
        raise QuerySyntaxError(f"unbalanced quotation mark in {text!r}", 'close the "phrase" or drop the quote')
    depth = 0
    unquoted = re.sub(r'"[^"]*"', " ", text)
    for ch in unquoted:
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth < 0:
            break
    if depth:
        raise QuerySyntaxError(f"unbalanced parenthesis in {text!r}", "close every ( with a )")
    empty = _EMPTY_FIELD_RE.search(re.sub(r'"[^"]*"', "x", text))  # body:"a phrase" is not empty
    if empty:  # "title:" would silently search the word "title"
        raise QuerySyntaxError(
            f"nothing after {empty.group(1)}: in the query",
            f'write {empty.group(1)}:word or {empty.group(1)}:"a phrase"',
        )
    for m in _FIELD_RE.finditer(unquoted):
        if m.group(1) not in QUERY_FIELDS:
            raise QuerySyntaxError(
                f"unknown field {m.group(1)!r} in the query", "search title:word, body:word or plain words"
            )


def _localize(text: str, suffix: str) -> str:
    """``title:x`` -> ``title_es:x`` outside quoted phrases."""
    if not suffix:
        return text
    parts = re.split(r'("[^"]*")', text)
    return "".join(p if p.startswith('"') else re.sub(r"(^|[\s(])(title|body):", rf"\1\2{suffix}:", p) for p in parts)


def parse_query(ix: Any, text: str, reader: Any = None) -> query.Query:
    """The query in every language of the index: each language's fields analyse it with
    their own stemmer and stop words ("negociación" finds "negociar" in Spanish pages,
    "negotiation" finds "negotiated" in English ones), and a document matches in its own.
    With a ``reader``, languages without a page in the index are left out (no cost)."""
    check_syntax(text)
    if text.split() and all(w in _OPERATORS for w in text.split()):
        raise QuerySyntaxError(
            f"the query {text!r} has no searchable words", 'search for a word, a "phrase" or field:value'
        )
    parts = []
    for lang in languages():
        suffix = "" if lang.code == "en" else f"_{lang.code}"
        if "body" + suffix not in ix.schema or (
            suffix and reader is not None and not reader.field_length("body" + suffix)
        ):
            continue
        parser = qparser.MultifieldParser(["title" + suffix, "body" + suffix], ix.schema)
        parser.remove_plugin_class(qparser.PlusMinusPlugin)
        try:
            q = parser.parse(_localize(text, suffix))
        except Exception as exc:  # whoosh parser errors are not a single type
            raise QuerySyntaxError(f"cannot parse the query {text!r}", "check quotes and parentheses") from exc
        if not (q is query.NullQuery or isinstance(q, query.NullQuery.__class__)):
            parts.append(q)
    if not parts:
        raise QuerySyntaxError(
            f"the query {text!r} has no searchable words", 'search for a word, a "phrase" or field:value'
        )
    return parts[0] if len(parts) == 1 else query.Or(parts).normalize()


def _match_all(q: query.Query) -> bool:
    """``*``: Every, or an Or of Every over the text fields."""
    if isinstance(q, query.Every):
        return True
    return isinstance(q, query.Or) and all(isinstance(sub, query.Every) for sub in q.children())


def _unbounded(q: query.Query) -> bool:
    """Whether ``q`` may match records that have no title or body (statements, events)."""
    if isinstance(q, query.Not):
        return True
    if isinstance(q, query.Every):
        return q.fieldname not in TEXT_FIELDS
    if isinstance(q, query.AndNot):
        return _unbounded(q.a)
    if isinstance(q, (query.And, query.Require)):
        return all(_unbounded(sub) for sub in q.children())
    if isinstance(q, (query.CompoundQuery, query.BinaryQuery)):
        return any(_unbounded(sub) for sub in q.children())
    return False


# What a terminal must never receive, except the two match markers (see ``printable``): dropped
# before the markers become offsets, so the offsets hold in every output format.
_UNPRINTABLE_RE = re.compile(r"[\x00\x01\x04-\x08\x0b-\x1f\x7f-\x9f]")


def split_marks(marked: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """A marked snippet -> (plain text, offsets of the marked stretches in it)."""
    plain: list[str] = []
    spans: list[tuple[int, int]] = []
    pos, start = 0, None
    for ch in marked:
        if ch == HIGHLIGHT_OPEN:
            start = pos
        elif ch == HIGHLIGHT_CLOSE:
            if start is not None and pos > start:
                spans.append((start, pos))
            start = None
        else:
            plain.append(ch)
            pos += 1
    return "".join(plain), tuple(spans)


def search_articles(ix: Any, q: SearchQuery, limit: int | None, count: bool = False) -> SearchResult:
    """Ranked articles (``limit`` of them, None for all) with highlighted snippets, and a "did
    you mean" when nothing matches. ``total`` is how many matched in all when ``count`` (a
    second pass over every match: as costly as the search) or when the hits are all of them;
    otherwise it is the number of hits."""
    text, date_from, date_to, source, actor, language = q.text, q.date_from, q.date_to, q.source, q.actor, q.language
    check_syntax(text)
    # Only article records have date, source and actors: these filters need no "kind" term.
    parts = [
        _range(date_from, date_to),
        query.Term("source", fold(source)) if source else None,
        query.Term("actors", _key(actor)) if actor else None,
        query.And([_language(language), query.Term("kind", "article")]) if language else None,
    ]
    filt = _and(*parts) if any(p is not None for p in parts) else None
    hits: list[Hit] = []
    suggestion = None

    @functools.lru_cache(maxsize=4096)
    def stem_of(field: str, word: str) -> str:
        return next((t.text for t in ix.schema[field].analyzer(word)), "")

    with ix.searcher() as searcher:
        parsed = parse_query(ix, text, searcher.reader())
        # A query that can match documents without text ("NOT x") is scoped to articles; the
        # others need no "kind" clause, which would cost a pass over every article.
        if _match_all(parsed):  # "*": every article, unscored
            scoped: query.Query = query.ConstantScoreQuery(query.Term("kind", "article"))
        else:
            scoped = query.And([parsed, query.Term("kind", "article")]) if _unbounded(parsed) else parsed
        exact: set[int] | None = None
        # Whoosh's block skipping fails an assertion inside REQUIRE's matcher: no skipping there
        optimize = not _contains(scoped, query.Require)
        if _contains(scoped, query.Not, query.AndNot):
            # Whoosh's AND NOT matcher can keep a page it must drop (the first page of the
            # positive side, when the negated side starts earlier) and then miscounts: these
            # queries rank the positive side among the pages the set algebra says match
            exact = matching_docs(searcher, scoped, filt)
            # (an empty filter set would be no filter at all)
            positive = _positive(scoped) if exact else query.NullQuery
            results = searcher.search(positive, filter=exact, limit=limit, optimize=optimize)
        else:  # no terms=True: it disables block skipping
            results = searcher.search(scoped, filter=filt, limit=limit, optimize=optimize)
        stems: dict[str, set[str]] = {}  # body field -> stems matched in it or its title field
        for f, t in _existing_terms(parsed, searcher.reader(), phrases=False):
            if f in TEXT_FIELDS:
                stems.setdefault(f.replace("title", "body"), set()).add(t)
        phrases: dict[str, list[tuple[str, ...]]] = {}  # body field -> its phrases' stems
        for leaf in parsed.leaves():
            if isinstance(leaf, query.Phrase) and leaf.fieldname in TEXT_FIELDS:
                seq = tuple(str(w) for w in leaf.words)
                phrases.setdefault(leaf.fieldname.replace("title", "body"), []).append(seq)
        results.fragmenter = ContextFragmenter(maxchars=240, surround=70)
        results.formatter = _Marker()
        for r in results:
            meta = json.loads(r["meta"])
            body_field = next((f for f in text_fields("body") if f in r), "body")
            body = r.get(body_field, "")
            snippet = (
                _snippet(
                    body,
                    sorted(stems.get(body_field, ())),
                    functools.partial(stem_of, body_field),
                    phrases.get(body_field, ()),
                )
                or r.highlights(body_field, top=2)
                or r.highlights(body_field.replace("body", "title"), top=1)
                or body[:200]
            )
            hits.append(
                Hit(
                    r["doc_id"],
                    meta["title"],
                    meta["published"],
                    meta["author"],
                    meta["source"],
                    round(r.score, 4),
                    *split_marks(_UNPRINTABLE_RE.sub("", " ".join(snippet.split()))),
                )
            )
        if exact is not None:
            total = len(exact)
        elif count and limit is not None and len(hits) == limit:
            total = len(matching_docs(searcher, scoped, filt))
        else:
            total = len(hits)
        if not hits:
            suggestion = _did_you_mean(searcher, ix, text)
    return SearchResult(tuple(hits), total, suggestion)


def matching_docs(searcher: Any, q: query.Query, filt: Any = None) -> set[int]:
    """The live documents that match ``q`` (and ``filt``, a query), as the searcher's document
    numbers. A word's are read block by block from its postings, and AND, OR and NOT are set
    operations: Whoosh's own count steps its matcher tree once per match (38 ms for the 4,500
    pages of one word at 5,000; this takes 10), and can be wrong: 80 for "truce AND NOT
    capture" where 222 pages match (its own ``docs_for_query`` agrees with 222). Other queries
    (a phrase, a range) are asked of Whoosh as a set, the way it applies a search's filter."""
    out: set[int] = set()
    for leaf, offset in searcher.subsearchers or [(searcher, 0)]:
        ids = _doc_set(leaf, q)
        if filt is not None:
            ids &= _doc_set(leaf, filt)
        out |= {i + offset for i in ids} if offset else ids
    return out


def _contains(q: query.Query, *kinds: type) -> bool:
    """Whether a query of one of ``kinds`` is anywhere in ``q``."""
    return isinstance(q, kinds) or any(_contains(sub, *kinds) for sub in q.children())


def _positive(q: query.Query) -> query.Query:
    """The query without its top-level NOTs ("a AND NOT b" -> "a"), which rank the same pages
    the same way (a NOT adds no score); the query itself when nothing positive is left."""
    if type(q) is query.AndNot:
        return _positive(q.a)
    if type(q) is query.And:
        kept = [sub for sub in q.subqueries if not isinstance(sub, query.Not)]
        if kept and len(kept) < len(q.subqueries):
            return kept[0] if len(kept) == 1 else query.And(kept, boost=q.boost)
    return q


def _doc_set(searcher: Any, q: query.Query) -> set[int]:
    """The live documents of one segment's searcher that match ``q``."""
    if isinstance(q, query.ConstantScoreQuery):
        return _doc_set(searcher, q.child)
    if type(q) is query.Term:
        return _term_docs(searcher.reader(), q.fieldname, q.text)
    if type(q) is query.Or and not q.minmatch:
        out: set[int] = set()
        for sub in q.subqueries:
            out |= _doc_set(searcher, sub)
        return out
    wanted = [sub for sub in q.subqueries if not isinstance(sub, query.Not)] if type(q) is query.And else []
    if wanted:
        result = set.intersection(*(_doc_set(searcher, sub) for sub in wanted))
        for sub in q.subqueries:
            if isinstance(sub, query.Not):
                result -= _doc_set(searcher, sub.query)
        return result
    if type(q) is query.AndNot:
        return _doc_set(searcher, q.a) - _doc_set(searcher, q.b)
    return set(q.docs(searcher))


def _term_docs(reader: Any, fieldname: str, text: Any) -> set[int]:
    """The live documents of one segment that hold a term (what ``Term.matcher`` visits)."""
    if fieldname not in reader.schema:
        return set()
    try:
        btext = reader.schema[fieldname].to_bytes(text)
    except ValueError:
        return set()
    if (fieldname, btext) not in reader:
        return set()
    matcher = reader.postings(fieldname, btext)
    deleted: frozenset[int] = frozenset()
    if isinstance(matcher, FilterMatcher):  # the segment's deleted documents
        matcher, deleted = matcher.child, reader.deleted_docs_set
    if isinstance(matcher, W3LeafMatcher):  # a block at a time (whoosh3 is pinned: its block layout is known)
        ids: set[int] = set()
        while matcher.is_active():
            if matcher._data is None:
                matcher._read_data()
            stored = matcher._data[0]  # document numbers, as deltas unless stored as bytes
            ids.update(stored if matcher._byteids else itertools.accumulate(stored))
            matcher._next_block()
    else:
        ids = set(matcher.all_ids())
    return ids - deleted if deleted else ids


def baseline_search(ix: Any, q: SearchQuery, limit: int) -> list[tuple[str, str]]:
    """What a bare Whoosh application does for the same query (the benchmark's yardstick): the
    query parsed over the title and body fields, the same filters, the top ``limit`` hits with
    their stored title and Whoosh's own highlighted fragment of the body."""
    parts = [
        _range(q.date_from, q.date_to),
        query.Term("source", fold(q.source)) if q.source else None,
        query.Term("actors", _key(q.actor)) if q.actor else None,
    ]
    filt = _and(*parts) if any(p is not None for p in parts) else None
    parser = qparser.MultifieldParser(["title", "body"], ix.schema)
    with ix.searcher() as searcher:
        results = searcher.search(parser.parse(q.text), filter=filt, limit=limit)
        return [(r["doc_id"], r.highlights("body", top=2)) for r in results]


def _existing_terms(q: query.Query, reader: Any, phrases: bool = True) -> set[tuple[str, str]]:
    """The (field, term) pairs of ``q``, wildcards expanded, that the index holds (with
    ``phrases``, the words of its phrases too). (Whoosh's ``existing_terms`` stops at the first
    field: its loop variable shadows its field filter.)"""
    out = set()
    for leaf in q.leaves():
        for field, text in leaf.expanded_terms(reader, phrases=phrases):
            if field in reader.schema and (field, reader.schema[field].to_bytes(text)) in reader:
                out.add((field, text.decode("utf-8") if isinstance(text, bytes) else str(text)))
    return out


_BODY_WORD_RE = re.compile(r"\w+")
PHRASE_GAP = 3  # stop words a phrase may skip between two of its words ("state [of] exception")


def _snippet(
    body: str, stems: list[str], stem_of: Any, phrases: Sequence[tuple[str, ...]] = (), width: int = 240
) -> str | None:
    """A window of the body around the first match, with every match marked: a word whose
    stem a term of the query matched, or the run of words of a whole phrase (a phrase's words
    alone are no match: "state of exception" does not mark "States" in "United States").
    One regex pass over candidate words instead of re-analysing the whole body. None when
    nothing is found (the caller then uses Whoosh's highlighter)."""
    if not (stems or phrases) or not body:
        return None
    folded = fold_keep_length(body)
    if len(folded) != len(body):
        return None
    alone = set(stems)  # terms searched on their own
    wanted = alone | {p[0] for p in phrases if p}
    prefixes = sorted({s[:-1] if len(s) > 4 else s for s in wanted}, key=len, reverse=True)
    candidates = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(p) for p in prefixes) + r")\w*")

    def phrase_end(pos: int, rest: tuple[str, ...], limit: int) -> int | None:
        """Where a phrase whose first word ends at ``pos`` ends, if its other words follow."""
        skipped = 0
        for w in _BODY_WORD_RE.finditer(folded, pos, limit):
            stem = stem_of(w.group(0))
            if not rest:
                break
            if stem == rest[0]:
                rest, skipped = rest[1:], 0
                if not rest:
                    return w.end()
            elif stem == "" and skipped < PHRASE_GAP:  # a stop word
                skipped += 1
            else:
                return None
        return None

    def matches(lo: int, hi: int) -> Iterator[tuple[int, int]]:
        after = lo
        for m in candidates.finditer(folded, lo, hi):
            if m.start() < after:
                continue
            word = m.group(0)
            stem = word if word in wanted else stem_of(word)
            if stem in alone:
                after = m.end()
                yield m.start(), m.end()
                continue
            for seq in phrases:
                if seq and seq[0] == stem:
                    end = phrase_end(m.end(), seq[1:], min(len(folded), m.end() + 200)) if len(seq) > 1 else m.end()
                    if end is not None and end <= hi:
                        after = end
                        yield m.start(), end
                        break

    first = next(matches(0, len(folded)), None)
    if first is None:
        return None
    start = max(0, first[0] - 70)
    if start:
        space = body.find(" ", start)
        start = space + 1 if 0 <= space < first[0] else start
    end = min(len(body), max(start + width, first[1]))
    if end < len(body):
        space = body.rfind(" ", first[1], end)
        end = space if space > 0 else end
    out, pos = [], start
    for s0, e0 in matches(start, end):
        out.append(body[pos:s0])
        out.append(f"{HIGHLIGHT_OPEN}{body[s0:e0]}{HIGHLIGHT_CLOSE}")
        pos = e0
    out.append(body[pos:end])
    return ("…" if start else "") + "".join(out) + ("…" if end < len(body) else "")


_WORD_RE = re.compile(r"(?<![\w:])([^\W\d_]{3,})(?![\w:*?])")
_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO"}


def _closest_stem(searcher: Any, field: str, word: str) -> tuple[float, str | None]:
    """The indexed stem of ``field`` most like a misspelt word, among stems sharing its first
    letters, and how alike they are."""
    if len(word) < 4:
        return 0.0, None
    import difflib  # only when nothing matched

    best, best_score = None, 0.0
    for raw in searcher.reader().expand_prefix(field, word[:3]):
        term = raw.decode("utf-8") if isinstance(raw, bytes) else str(raw)
        score = difflib.SequenceMatcher(None, word, term).ratio()
        if term and word.startswith(term) and len(term) >= 4:
            score = max(score, 0.8)  # the typo continues a stem: "negotiaton" -> "negoti"
        if score > best_score:
            best, best_score = term, score
    return (best_score, best) if best_score >= 0.7 else (0.0, None)


def _surface(searcher: Any, field: str, stem: str) -> str:
    """A word of the corpus whose stem is ``stem`` ("negoti" -> "negotiations")."""
    analyzer = searcher.schema[field].analyzer
    for docnum in searcher.postings(field, stem).all_ids():
        for word in re.findall(r"[^\W\d_]+", searcher.stored_fields(docnum).get(field, "")):
            if [t.text for t in analyzer(word)] == [stem]:
                return str(word)
        break
    return stem


def _did_you_mean(searcher: Any, ix: Any, text: str) -> str | None:
    """Replace each query word that matches nothing, in any language, by the closest indexed word."""
    bodies = [f for f in text_fields("body") if f in ix.schema]
    changed = False

    def fix(m: re.Match[str]) -> str:
        nonlocal changed
        word = m.group(1)
        if word in _OPERATORS:
            return word
        for f in bodies:
            terms = [t.text for t in ix.schema[f].analyzer(word)]
            if not terms or any(searcher.doc_frequency(g, t) for g in (f, f.replace("body", "title")) for t in terms):
                return word
        _score, best, field = max(((*_closest_stem(searcher, f, fold(word)), f) for f in bodies), key=lambda x: x[0])
        if best:
            changed = True
            return _surface(searcher, field, best)
        return word

    fixed = _WORD_RE.sub(fix, text)
    return fixed if changed else None


def _language(code: str | None) -> query.Query | None:
    return query.Term("language", code) if code else None
