"""The actor list of a corpus, and turning what a user types ("Fox", "AMLO") into one actor."""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING

from cartelkit.errors import QueryError
from cartelkit.model import ActorSummary
from cartelkit.textutil import fold

if TYPE_CHECKING:
    from cartelkit.query import Workspace


def list_actors(ws: Workspace, type_: str | None = None) -> list[ActorSummary]:
    """Actors found in the corpus with mention and document counts (from the facts store)
    and their aliases (from the gazetteer), most mentioned first."""
    from cartelkit.annotate.gazetteer import ACTOR_TYPES, load_gazetteer
    from cartelkit.query import check_choice

    check_choice(type_, ACTOR_TYPES, "actor type")
    rows = ws.facts().actors(type_)
    gaz = load_gazetteer(ws.corpus.actors_file if ws.corpus.actors_file.is_file() else None)
    by_name = gaz.by_name
    out = []
    for name, typ, mentions, documents, discovered in rows:
        known = by_name.get(name)
        aliases = known.aliases + known.short if known else ()
        out.append(ActorSummary(name, typ, aliases, mentions, documents, discovered))
    out.sort(key=lambda a: (-a.mentions, a.name))
    return out


def resolve_actor(ws: Workspace, text: str) -> ActorSummary:
    """One actor for a name typed by a user; ambiguous names list the candidates, unknown
    names suggest close ones (both as :class:`QueryError`)."""
    from cartelkit.annotate.gazetteer import load_gazetteer

    query = fold(text)
    if not query:
        raise QueryError("the actor name is empty", "e.g. --actor Fox")
    facts = ws.facts()
    gaz = load_gazetteer(ws.corpus.actors_file if ws.corpus.actors_file.is_file() else None)
    # the name, an alias or a short form as typed: two indexed lookups, no scan
    exact: list[str] = sorted({*gaz.by_form.get(query, ()), *facts.actors_with_key(query)})
    in_corpus: set[str] | None = None
    forms: dict[str, set[str]] = {}
    if not exact:  # a part of a name ("Calderón" for "Felipe Calderón"): every form, word by word
        in_corpus = set(facts.actor_names())
        for name in in_corpus | set(gaz.by_name):
            known = gaz.by_name.get(name)
            names = {name, *(known.aliases if known else ()), *(known.short if known else ())}
            forms[name] = {fold(n) for n in names}
        qtokens: set[str] = set(query.split())
        exact = sorted(n for n, fs in forms.items() if any(qtokens <= set(f.split()) for f in fs))
    if len(exact) > 1:
        used = [n for n in exact if facts.actors(name=n)]
        exact = used if len(used) == 1 else exact
    if len(exact) > 1:
        listed = "; ".join(exact[:8])
        raise QueryError(f"{text!r} is ambiguous: {listed}", "give the full name")
    if exact:
        name = exact[0]
        known = gaz.by_name.get(name)
        aliases = known.aliases + known.short if known else ()
        row = facts.actors(name=name)
        if row:
            return ActorSummary(row[0][0], row[0][1], aliases, row[0][2], row[0][3], row[0][4])
        assert known is not None  # a name not in the corpus comes from the gazetteer
        return ActorSummary(name, known.type, aliases, 0, 0, False)
    vocab = {f: n for n, fs in forms.items() for f in fs}
    close = difflib.get_close_matches(query, list(vocab), n=4, cutoff=0.72)
    suggestions = list(dict.fromkeys(vocab[c] for c in close))
    hint = f"did you mean: {', '.join(suggestions)}?" if suggestions else "list actors with `cartelkit actors`"
    raise QueryError(f"unknown actor {text!r}", hint)
