"""Arrests: an arrest verb with a number of people ("arrested eleven individuals in
connection with the attack", "one was apprehended", "the guard was arrested", "the arrest
of commander X"), made by the actor who arrests (a police force under its state), else by
the state of the place where it happened or of the story's dateline, else by nobody
named (a null actor: the arrest still counts). An arrest links to the incident its
sentence or paragraph is about."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..records import Arrest, Evidence, Incident, SourceRef
from ._match import compile as _compile
from .actors import ActorDictionary
from .numbers import find_figures
from .statements import ABOUT, national_body, record_id, said_on
from .statements._about import about_of
from .view import ArticleView

__all__ = ["extract_arrests"]

_CONNECTED = re.compile(
    r"\b(in connection with|over|for (their|his|her) (role|involvement) in|suspected of|"
    r"accused of|linked to|behind|involved in|implicated in|helping|sheltered|who carried out)\b",
    re.IGNORECASE,
)

_ARRESTED_PEOPLE = re.compile(
    r"^(?:[\w-]+\s+){0,3}?(suspects?|men|people|persons?|individuals?|militants?|operatives?|"
    r"members|terrorists?|facilitators?|accomplices?|brothers|others|youths?|workers?)\b",
    re.IGNORECASE,
)

_ARREST = _compile(
    r"\b(arrest(ed|s|ing)?|detain(ed|s|ing)?|apprehend(ed|s)?|taken into custody|took into "
    r"custody|picked up|rounded up|nabbed|captured|held)\b",
    re.IGNORECASE,
)


def extract_arrests(
    view: ArticleView,
    *,
    actors: ActorDictionary,
    about: str | None,
    incidents: Sequence[Incident] = (),
) -> list[Arrest]:
    """Arrests the article reports, each with who arrested how many, where and why."""
    arrests: list[Arrest] = []
    for sentence in view.sentences:
        text = sentence.text
        for verb in _ARREST.finditer(text):
            before = text[: verb.start()]
            if re.search(r"\b(not|no|never|yet to|without)\b[^.,;]{0,20}$", before):
                continue
            if verb.group(0).lower() == "held" and not re.match(
                r"\s+(in\s+custody|captive|hostage)", text[verb.end() :]
            ):
                continue  # "held talks", "held responsible"
            if verb.group(0).lower() == "captured" and not re.search(
                r"\b(alive|police|forces|troops|security)\b", text
            ):
                continue  # "captured the check posts": a group's gain, not an arrest
            count = _arrested_count(text, verb)
            if count is None:
                continue
            places = [p for p in view.places_in(sentence) if not p.container]
            concerning = about_of(view, sentence, incidents, about)
            mentions = [
                m
                for m in view.actors_in(sentence)
                if m.start < sentence.start + verb.start() and not actors.is_armed_group(m.actor)
            ]
            national = national_body(before, view)
            if mentions:
                actor = actors.ref(mentions[0].actor)
            elif national is not None:
                actor = actors.ref(national[0])  # "Pakistani security authorities ..."
            elif places and places[0].place.country in view.states:
                actor = actors.ref(view.states[places[0].place.country])
            elif (state := _state_of(view, incidents, concerning)) is not None:
                actor = actors.ref(state)  # "one was apprehended": the state where it happened
            elif view.filed_state is not None and not _agentless(text, verb):
                actor = actors.ref(view.filed_state)
            else:
                actor = None  # no arresting force named: the arrest still counts
            location = places[0].place.location() if places else None
            connected = concerning if (_CONNECTED.search(text) and ABOUT.search(text)) else None
            if connected is None and ABOUT.search(text) and incidents:
                connected = concerning  # "one attacker was apprehended" in the attack's story
            arrests.append(
                Arrest(
                    id=record_id("ar", view.article.id, sentence.start, verb.start()),
                    actor=actor,
                    count=count,
                    location=location,
                    date=said_on(view, sentence, verb),
                    about=connected,
                    sources=(
                        SourceRef(
                            article_id=view.article.id,
                            file=view.article.file,
                            url=view.article.url,
                            role="report",
                        ),
                    ),
                    evidence=(
                        Evidence(
                            field="arrest",
                            article_id=view.article.id,
                            start=sentence.start,
                            end=sentence.end,
                            quote=text,
                        ),
                    ),
                )
            )
            break
    return arrests


def _agentless(text: str, verb: re.Match[str]) -> bool:
    """ "the month saw the arrest of X": nobody is said to have arrested (a passive
    such as "four were taken into custody" is still the local forces' act)."""
    before = text[: verb.start()]
    return bool(re.search(r"\b(the|an?)\s+$", before)) and not re.match(
        r"\s+(\w+\s+){0,6}by\b", text[verb.end() :]
    )


def _state_of(view: ArticleView, incidents: Sequence[Incident], incident_id: str | None):  # type: ignore[no-untyped-def]
    for incident in incidents:
        if incident.id == incident_id and incident.location and incident.location.country:
            return view.states.get(incident.location.country)
    return None


def _arrested_count(text: str, verb: re.Match[str]) -> int | None:
    """How many were arrested: the figure after the verb ("arrested nine suspects", "the
    arrest of six operatives") or before it ("four suspects were taken into custody")."""
    after = text[verb.end() : verb.end() + 80]
    for figure in find_figures(after):
        if figure.start > 30:
            break
        if _ARRESTED_PEOPLE.match(after[figure.end :].lstrip()) and figure.count.best:
            return figure.count.best
    before = text[max(0, verb.start() - 60) : verb.start()]
    figures = find_figures(before)
    if figures:
        last = figures[-1]
        rest = before[last.end :]
        if _ARRESTED_PEOPLE.match(rest.lstrip()) and re.search(
            r"\b(were|was|had been|have been|has been|have now been|had now been)\b", rest
        ):
            return last.count.best
    if re.match(
        r"\s+(a|an|one)\s+(suspect|man|person|militant|attacker|assailant|gunman)\b", after
    ):
        return 1
    if re.match(
        r"\s+(of\s+)?(the\s+)?(\w+\s+){0,3}(commander|leader|chief|spokesman|suspect|"
        r"militant|attacker|assailant|gunman|bomber|facilitator|mastermind)\b",
        after,
    ) and re.match(r"\s+of\b", after):
        return 1  # "the arrest of TTP top commander X"
    # "one was apprehended", "the guard was arrested", "the suspect has been arrested"
    one = re.search(
        r"\b(one|a|an|the)\s+(?:[\w-]+\s+){0,2}?(was|has\s+been|had\s+been|is)\s+"
        r"(?:(?:also|later|successfully|reportedly|now)\s+)?$|\b(one|another)\s+(?:of\s+(?:them|the\s+\w+)\s+)?"
        r"(was|has\s+been|had\s+been)\s+(?:(?:also|later|successfully|reportedly|now)\s+)?$",
        before,
        re.IGNORECASE,
    )
    if one and not re.search(
        r"\b(they|them|all|several|many|suspects|men|people)\s+(were|have)", before
    ):
        return 1
    return None
