"""Statements read against each other: a joint statement ("A and B agreed", "both
sides", "A, B and C signed") is one statement per speaker and counterpart; a denial, an
agreement or a threat with no counterpart named answers the statement it replies to; the
same act told twice, once with its target and once without, is one statement."""

from __future__ import annotations

import re

from ...records import ActorRef, SpeakerRef, Statement
from ..actors import ActorDictionary
from ..view import ArticleView, Sentence

__all__ = ["BOTH_SIDES", "coordinated", "resolve_replies"]

BOTH_SIDES = re.compile(
    r"\b(the two sides|both sides|both countries|the two countries|the two governments|"
    r"both governments|the two neighbours|the two neighbors|the two ministers|both ministers|"
    r"the two leaders|both leaders|the two delegations|both delegations)\b",
    re.IGNORECASE,
)
_JOINT = ("AGREE",)


def _pairwise(made: Statement, refs: list[ActorRef], speaker: str | None) -> list[Statement]:
    out = []
    for i, first in enumerate(refs):
        for j, second in enumerate(refs):
            if i == j:
                continue
            out.append(
                made.model_copy(
                    update={
                        "id": f"{made.id}-{i}{j}",
                        "source": SpeakerRef(**first.model_dump(), speaker=speaker or first.name),
                        "target": second,
                    }
                )
            )
    return out


def coordinated(
    view: ArticleView,
    sentence: Sentence,
    verb: re.Match[str],
    made: Statement,
    actors: ActorDictionary,
) -> list[Statement]:
    """ "Pakistan and Afghanistan agreed ...": each agreed with each other one."""
    if made.type not in _JOINT:
        return []
    before = sentence.text[: verb.start()]
    if BOTH_SIDES.search(before):
        # "The two sides also agreed": the two states the article names most.
        counts: dict[str, int] = {}
        for mention in view.actors:
            ref = actors.ref(mention.actor)
            if (
                mention.actor.kind in ("state", "organ", "person")
                and ref.country
                and actors.canonical(mention.actor).kind == "state"
            ):
                counts[ref.name] = counts.get(ref.name, 0) + 1
        top = sorted(counts, key=lambda name: -counts[name])[:2]
        found = [actors.lookup(name) for name in top]
        refs = [actors.ref(actor) for actor in found if actor is not None]
        if len(refs) == 2:
            return _pairwise(made, refs, before.strip()[-120:])
    pair = re.search(r"(\S[^;]*?\s+and\s+[^,;]+?)\s+(have\s+|had\s+|also\s+|jointly\s+)*$", before)
    if not pair:
        return []
    refs: list[ActorRef] = []
    for mention in view.actors_in(sentence):
        offset = mention.start - sentence.start
        if pair.start() <= offset < pair.end():
            ref = actors.ref(mention.actor)
            if (ref.country or actors.is_armed_group(mention.actor)) and all(
                r.name != ref.name for r in refs
            ):
                refs.append(ref)
    for national in re.finditer(
        r"\b([A-Z][a-z]+)\s+(?:[a-z]+\s+)?(?:[A-Z][a-z]+\s+){0,3}(?:[Mm]inister|[Pp]resident|[Aa]mbassador|[Ee]nvoy|delegation|officials?)\b",
        pair.group(1),
    ):
        iso2 = view.demonyms.get(national.group(1).casefold())
        if iso2 and iso2 in view.states:
            ref = actors.ref(view.states[iso2])
            if all(r.name != ref.name for r in refs):
                refs.append(ref)
    if len(refs) < 2:
        return []
    return _pairwise(made, refs, None)


def _ref(statement: Statement) -> ActorRef:
    return ActorRef(name=statement.source.name, country=statement.source.country)


def resolve_replies(statements: list[Statement]) -> list[Statement]:
    """Fill the counterpart a reply leaves implicit, then drop what still lacks one where
    its type needs it (an agreement or a support with nobody; an accusation of nobody)."""
    addressed: dict[str, ActorRef] = {}
    """actor -> who last accused, asked or threatened it"""
    requesters: dict[str, ActorRef] = {}
    accused: dict[str, ActorRef] = {}
    claimant: ActorRef | None = None
    for statement in statements:
        if statement.target and statement.type in ("ACCUSE", "REQUEST", "THREATEN"):
            addressed.setdefault(statement.target.name, _ref(statement))
        if statement.type == "CLAIM_RESPONSIBILITY" and claimant is None:
            claimant = _ref(statement)
    resolved: list[Statement] = []
    last_accuser: dict[str, ActorRef] = {}
    """actor -> who accused it most recently, for "rejected the accusation" """
    for statement in statements:
        if statement.type == "ACCUSE" and statement.target:
            last_accuser[statement.target.name] = _ref(statement)
    for statement in statements:
        quote = statement.evidence[0].quote
        if statement.type == "REJECT" and statement.target is None:
            if (
                re.search(r"\b(accusations?|allegations?|charges?|blame)\b", quote, re.IGNORECASE)
                and statement.source.name in last_accuser
            ):
                # "rejected the accusation": the last actor that accused it
                statement = statement.model_copy(
                    update={"target": last_accuser[statement.source.name]}
                )
            elif re.search(
                r"\b(reports?|media|news|rumou?rs?|speculation|hospital|toll)\b",
                quote,
                re.IGNORECASE,
            ):
                pass  # a denial of media reports or of a toll has no actor for counterpart
            elif (
                claimant is not None
                and claimant.name != statement.source.name
                and re.search(
                    r"\b(claim|claims|claimed|taken|captured|truth|killed|figures?|statement|propaganda)\b",
                    quote,
                )
            ):
                statement = statement.model_copy(update={"target": claimant})
            elif statement.source.name in addressed:
                statement = statement.model_copy(
                    update={"target": addressed[statement.source.name]}
                )
        if (
            statement.type == "THREATEN"
            and statement.target is None
            and re.search(r"\b(aggression|violation|sovereignty|incursion|provocation)\b", quote)
        ):
            earlier = accused.get(statement.source.name)
            if earlier is not None:
                statement = statement.model_copy(update={"target": earlier})
        if statement.type == "AGREE" and statement.target is None:
            asker = requesters.get(statement.source.name)
            if asker is not None:  # "X urged Tajikistan to ...; Tajikistan pledged to do so"
                statement = statement.model_copy(update={"target": asker})
        if statement.type == "REQUEST" and statement.target:
            requesters[statement.target.name] = _ref(statement)
        if statement.type == "ACCUSE" and statement.target:
            accused.setdefault(statement.source.name, statement.target)
        if statement.target is None and statement.type in ("ACCUSE", "AGREE", "SUPPORT", "REQUEST"):
            continue
        if statement.target is not None and statement.target.name == statement.source.name:
            continue
        resolved.append(statement)
    targeted = {(s.type, s.source.name) for s in resolved if s.target is not None}
    unique: dict[tuple[str, str, str | None], Statement] = {}
    for statement in resolved:
        if statement.target is None and (statement.type, statement.source.name) in targeted:
            continue
        key = (
            statement.type,
            statement.source.name,
            statement.target.name if statement.target else None,
        )
        unique.setdefault(key, statement)
    return list(unique.values())
