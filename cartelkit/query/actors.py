"""The actor list of a corpus, and turning what a user types ("Fox", "AMLO") into one actor."""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING

from cartelkit.errors import QueryError
from cartelkit.model import ActorSummary
from cartelkit.textutil import fold
from cartelkit.vocab import ACTOR_TYPES

if TYPE_CHECKING:
    from cartelkit.query import Workspace


def list_actors(ws: Workspace, type_: str | None = None) -> list[ActorSummary]:
    """Actors found in the corpus with mention and document counts, and the aliases of the
    known ones, most mentioned first (all from the facts store)."""
    from cartelkit.query import check_choice

    check_choice(type_, ACTOR_TYPES, "actor type")
    facts = ws.facts()
    aliases = facts.aliases()
    out = [ActorSummary(n, t, aliases.get(n, ()), m, d, x) for n, t, m, d, x in facts.actors(type_)]
    out.sort(key=lambda a: (-a.mentions, a.name))
    return out


def resolve_actor(ws: Workspace, text: str) -> ActorSummary:
    """One actor for a name typed by a user; ambiguous names list the candidates, unknown
    names suggest close ones (both as :class:`QueryError`)."""
    query = fold(text)
    if not query:
        raise QueryError("the actor name is empty", "e.g. --actor Fox")
    facts = ws.facts()
    exact = facts.names_for(query)  # the name, an alias or a short form as typed: indexed lookups
    forms: dict[str, set[str]] = {}
    if not exact:  # a part of a name ("Calderón" for "Felipe Calderón"): every form, word by word
        forms = facts.forms()
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
        known = facts.known(name)
        row = facts.actors(name=name)
        if row:
            return ActorSummary(name, row[0][1], known[1] if known else (), row[0][2], row[0][3], row[0][4])
        assert known is not None  # a name not in the corpus is a known one
        return ActorSummary(name, known[0], known[1], 0, 0, False)
    vocab = {f: n for n, fs in forms.items() for f in fs}
    close = difflib.get_close_matches(query, list(vocab), n=4, cutoff=0.72)
    suggestions = list(dict.fromkeys(vocab[c] for c in close))
    hint = f"did you mean: {', '.join(suggestions)}?" if suggestions else "list actors with `cartelkit actors`"
    raise QueryError(f"unknown actor {text!r}", hint)
