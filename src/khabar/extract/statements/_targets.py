"""Whom a statement is about: the actor its verb addresses, found in the verb's clause
(a search that stops at a relative clause, "saying", "which claimed"), or implicit in
it ("urged Kabul to act", "demanded that the Afghan side hand over", "Pakistani
aircraft"). The victims of an attack and the places where it happened are not targets."""

from __future__ import annotations

import re

from ...records import ActorRef
from .._match import compile as _compile
from ..actors import Actor, ActorDictionary
from ..entities import ActorMention
from ..view import Sentence

__all__ = ["NATIONAL_TARGET", "clause_end", "locative", "national_ref", "target"]

NATIONAL_TARGET = re.compile(
    r"\b([A-Z][a-z]+)(?:\s+|-)(?:[a-z]+\s+)?(terrorists|militants|nationals|citizens|"
    r"authorities|officials|government|forces|troops|side|elements|soil|territory|ambassador|"
    r"companies|firms|investors|"
    r"embassy|envoy|consulate|counterpart|delegation|request|demand|proposal|offer|diplomats?|"
    r"charg[ée]|aircraft|jets|warplanes|drones|army|military|state|proxy|proxies|backed|"
    r"sponsored|intelligence|agencies|regime|interim government|leadership)\b"
)
_STOP = re.compile(
    r"\s+and\s+(expressed|said|called|urged|vowed|added|offered|pledged|stressed|"
    r"welcomed|assured|announced)\b|[;.]\s|,\s+(saying|adding|and said|while|\w+ing)\b|"
    r",\s+(which|who)\b|"
    r"\b(that|which|who)\s+"
    r"(claimed|said|alleged|reported|suggested|has|have|had|was|were|is|are)\b"
)
_VICTIM = _compile(
    r"\b(attacks?|killing|killings|deaths?|murder|abduction|martyrdom|kidnapping)\s+(on|of)\s+"
    r"(the\s+)?$|\b(killed|targeting|against)\s+(the\s+)?$",
    re.IGNORECASE,
)
_CRIME = _compile(
    r"\b(extradition|handover|hand over|release|arrest|custody)\s+(of\s+)?(the\s+)?"
    r"(\w+\s+){0,2}$",
    re.IGNORECASE,
)


def clause_end(text: str, after: int) -> int:
    stop = _STOP.search(text, after)
    return stop.start() if stop else len(text)


def locative(text: str, offset: int) -> bool:
    """A place, not a target: "the killing of Chinese workers in Tajikistan" (but
    "authorities in Kabul" names the government, and "planned in Afghanistan" or "steps
    from Kabul" the one accused or asked)."""
    before = text[max(0, offset - 40) : offset]
    if re.search(r"\b(authorities|government|officials|leaders|regime|rulers)\s+in\s+$", before):
        return False
    if re.search(
        r"\b(planned|facilitated|based|operating|hiding|sheltering|trained|launched|"
        r"orchestrated|emanating|directed|sponsored|backed|fired|firing|shelling|havens?|"
        r"sanctuar(y|ies)|hideouts?|steps|action|measures|cooperation|assurances?|"
        r"guarantees?)(\s+\w+){0,2}\s+(in|from|inside)\s+(the\s+)?$",
        before,
        re.IGNORECASE,
    ):
        return False
    return bool(
        re.search(
            r"\b(in|near|at|inside|within|across|from|outside)\s+(the\s+)?$", before, re.IGNORECASE
        )
    )


def national_ref(
    match: re.Match[str],
    demonyms: dict[str, str],
    states: dict[str, Actor],
    actors: ActorDictionary,
) -> ActorRef | None:
    iso2 = demonyms.get(match.group(1).casefold())
    if iso2 and iso2 in states:
        return actors.ref(states[iso2])
    return None


def target(
    text: str,
    sentence: Sentence,
    verb: re.Match[str],
    mentions: list[ActorMention],
    source: Actor,
    actors: ActorDictionary,
    *,
    kind: str,
    passive: bool,
    demonyms: dict[str, str],
    states: dict[str, Actor],
    filed_state: Actor | None = None,
    agent: tuple[int, int] | None = None,
) -> ActorRef | None:
    verb_at = sentence.start + verb.start()
    source_name = actors.ref(source).name
    if passive:
        subjects = [m for m in mentions if m.start < verb_at]
        candidates = subjects[-1:]
    else:
        end = sentence.start + clause_end(text, verb.end())
        candidates = [
            m
            for m in mentions
            if verb_at < m.start < end
            and not (agent and agent[0] <= m.start < agent[1])
            and not locative(text, m.start - sentence.start)
            and not _VICTIM.search(
                text[max(0, m.start - sentence.start - 30) : m.start - sentence.start]
            )
            and not (
                kind == "ACCUSE"
                and re.search(
                    r"\bof\s+\w+ing\s+(\w+\s+){0,3}$",
                    text[max(0, m.start - sentence.start - 40) : m.start - sentence.start],
                )
            )
            and not (
                kind == "REQUEST"
                and _CRIME.search(
                    text[max(0, m.start - sentence.start - 40) : m.start - sentence.start]
                )
            )
            and not (
                kind == "REJECT"
                and re.search(
                    r"\b(reports?|rumou?rs?|speculation|news|claims?\s+(of|about))\b[^.;,]{0,120}$",
                    text[verb.end() : m.start - sentence.start],
                )
            )
        ]
    if not passive and re.search(r"\b(an?|the)\s+[A-Z][a-z]+\s+$", text[: verb.start()]):
        # a nation's request or demand, named as the object of another's verb: the
        # subject of that verb is whom it addresses
        candidates = [m for m in mentions if m.start < verb_at][:1] + candidates
    for mention in candidates:
        ref = actors.ref(mention.actor)
        if (ref.name != source_name and actors.canonical(mention.actor).kind != "media") or (
            kind == "REJECT" and ref.name != source_name
        ):
            return ref
    if passive:
        return None
    rest = text[verb.end() :]
    if (
        filed_state is not None
        and re.match(
            r"^\s+(that\s+)?(the\s+)?([a-z]+\s+)?(police|authorities|officials|government|"
            r"security forces)\b",
            rest,
            re.IGNORECASE,
        )
        and actors.ref(filed_state).name != source_name
    ):
        return actors.ref(filed_state)  # "denied police claims": the state's police
    if kind == "THREATEN" and re.search(
        r"\battacks?\s+(on|against)\s+(the\s+)?(police|security\s+forces|army|military|"
        r"government|state|soldiers)\b",
        rest[:160],
    ):
        state = filed_state or next(
            (
                states[m.actor.country]
                for m in mentions
                if m.actor.kind == "state" and m.actor.country in states
            ),
            None,
        )
        if state is not None and actors.ref(state).name != source_name:
            return actors.ref(state)  # "its attacks on the police will continue"
    if kind == "REJECT" and re.match(
        r"^\s+(the\s+|these\s+|such\s+)?(media\s+)?(reports?|rumou?rs?|speculation|news)\b", rest
    ):
        return None
    end = clause_end(text, verb.end())
    for national in NATIONAL_TARGET.finditer(text, verb.end(), min(end, verb.end() + 100)):
        if _VICTIM.search(text[max(0, national.start() - 30) : national.start()]):
            continue  # the victims of an attack are not the target of a statement
        ref = national_ref(national, demonyms, states, actors)
        if ref is not None and ref.name != source_name:
            return ref  # "confirming the role of Afghan terrorists"
    return None
