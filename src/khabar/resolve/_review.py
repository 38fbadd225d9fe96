"""Consistency of a merged incident: the reasons an analyst should look at it.

``review_reasons`` checks the record as a user sees it (after corrections) and the
accounts it rests on. Each reason is a sentence; an incident with none is clean:

- victims by nationality add up to more than the killed shown (``fatalities.best``, so
  also more than ``high``);
- the target names no people or things (a time, a place name alone);
- a claimant or an accused is not a known actor, or is the victims' own state;
- reports disagree on the day by more than a day, on the kind of attack, or on the toll
  by more than three times (beyond a toll that grows: a misread figure, or two events);
- only passing mentions know the incident;
- a hand merge joined accounts days apart.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..extract.actors import ActorDictionary
from ..records import Incident, Location

__all__ = ["FAMILY", "review_reasons", "target_is_valid"]

FAMILY = {
    "bombing": "explosive",
    "drone_strike": "explosive",
    "air_strike": "explosive",
    "armed_assault": "armed",
    "assassination": "armed",
    "clash": "armed",
    "kidnapping": "abduction",
    "hijacking": "abduction",
    "other_attack": "other",
}
_LEADING = {
    "of",
    "on",
    "during",
    "since",
    "after",
    "before",
    "by",
    "from",
    "into",
    "when",
    "while",
    "and",
    "or",
    "but",
    "with",
}
"""Words a noun phrase does not start with ("of a suicide explosion", "on Sunday")."""
_THINGS = {
    "hotel",
    "airport",
    "airbase",
    "mosque",
    "church",
    "temple",
    "shrine",
    "school",
    "college",
    "university",
    "bank",
    "base",
    "station",
    "post",
    "gate",
    "camp",
    "market",
    "bazaar",
    "embassy",
    "consulate",
    "cantonment",
    "checkpoint",
    "convoy",
    "bus",
    "van",
    "vehicle",
    "office",
    "hospital",
    "court",
    "prison",
    "rally",
    "compound",
    "house",
}
"""Facilities: a phrase that names one names a thing, even when a gazetteer knows it."""
_TIME = {
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "morning",
    "evening",
    "night",
    "afternoon",
    "noon",
    "midnight",
    "dawn",
    "today",
    "yesterday",
    "tonight",
    "day",
    "days",
    "week",
    "weeks",
    "month",
    "months",
    "year",
    "years",
    "hours",
    "last",
    "this",
    "next",
    "ago",
    "early",
    "late",
}
_PLACE_NOUNS = {
    "town",
    "city",
    "village",
    "district",
    "province",
    "area",
    "region",
    "border",
    "capital",
    "country",
    "outskirts",
    "valley",
    "tehsil",
    "the",
    "a",
    "an",
    "and",
    "its",
    "of",
    "in",
    "near",
}


def target_is_valid(
    target: str, location: Location | None, is_place: Callable[[str], bool] | None = None
) -> bool:
    """Whether a target is a noun phrase naming people or things: not a time ("on
    Sunday evening"), not a bare prepositional phrase ("of a suicide explosion"), not a
    place name alone ("the border town of X", a country)."""
    words = re.findall(r"[A-Za-z][A-Za-z'-]*|\d+", target)
    if not words or words[0].casefold() in _LEADING:
        return False
    names = set()
    if location is not None:
        for name in (location.place, location.admin2, location.admin1):
            names |= {w.casefold() for w in re.findall(r"[A-Za-z]+", name or "")}
    rest = [
        w
        for w in words
        if not w.isdigit()
        and w.casefold() not in _TIME
        and w.casefold() not in _PLACE_NOUNS
        and w.casefold() not in names
    ]
    if not rest:
        return False
    if is_place is not None and not any(
        w.casefold() in _THINGS or w.casefold()[:-1] in _THINGS for w in rest
    ):
        capitalised = [w for w in rest if w[0].isupper()]
        if len(capitalised) == len(rest) and is_place(" ".join(rest)):
            return False
    return True


def review_reasons(
    incident: Incident,
    accounts: list[Incident],
    *,
    by_hand: bool = False,
    actors: ActorDictionary | None = None,
    is_place: Callable[[str], bool] | None = None,
) -> tuple[str, ...]:
    """Why the incident needs an analyst's eye; empty when it is consistent."""
    reasons: list[str] = []
    killed = incident.fatalities
    counted = sum(v.count or 0 for v in incident.victims)
    shown = None if killed is None else (killed.best if killed.best is not None else killed.high)
    if shown is not None and counted > shown:
        # Above the best figure shown (and so above ``high`` when that is the bound).
        reasons.append(f"victims by nationality add up to {counted}, more than the {shown} killed")
    if incident.target and not target_is_valid(incident.target, incident.location, is_place):
        reasons.append(f"target {incident.target!r} names no people or things")
    reasons += _actor_reasons(incident, actors)
    reports = [a for a in accounts if a.sources and a.sources[0].role == "report"]
    told = reports or accounts
    days = sorted(
        {a.date.earliest for a in told if a.date and a.date.precision == "day" and a.date.earliest}
    )
    if len(days) >= 2 and (days[-1] - days[0]).days > 1:
        reasons.append(f"sources disagree on the day: {days[0]} to {days[-1]}")
    tolls = sorted(
        {a.fatalities.best for a in reports if a.fatalities and a.fatalities.best is not None}
    )
    if len(tolls) >= 2 and tolls[-1] > 3 * max(tolls[0], 1):
        reasons.append(f"reports disagree on the toll: {tolls[0]} to {tolls[-1]} killed")
    families = sorted({FAMILY.get(a.event_type, a.event_type) for a in reports})
    if len(families) > 1:
        kinds = sorted({a.event_type for a in reports})
        reasons.append("sources disagree on the kind of attack: " + ", ".join(kinds))
    if not reports:
        reasons.append("known only from passing mentions")
    if by_hand:
        dated = sorted({a.date.earliest for a in accounts if a.date and a.date.earliest})
        if len(dated) >= 2 and (dated[-1] - dated[0]).days > 1:
            reasons.append(f"merged by hand across {(dated[-1] - dated[0]).days} days")
    return tuple(reasons)


def _actor_reasons(incident: Incident, actors: ActorDictionary | None) -> list[str]:
    perpetrator = incident.perpetrator
    if perpetrator is None or actors is None:
        return []
    victims = {v.nationality for v in incident.victims}
    home = incident.location.country if incident.location else None
    named = [("claimant", perpetrator.claimed_by)] if perpetrator.claimed_by else []
    named += [("accused", a.actor) for a in perpetrator.alleged]
    reasons = []
    for role, name in named:
        exact = actors.lookup(name)  # type: ignore[arg-type]
        actor = exact or actors.find_in(name)  # type: ignore[arg-type]
        if actor is None:
            reasons.append(f"{role} {name!r} is not a known actor")
        elif (
            actor.kind == "state"
            and actor.country in victims
            and (exact is not None or actor.country != home)
        ):
            # A state named as the perpetrator of its own people's deaths, or militants
            # placed in foreign victims' country: both are misreadings more often
            # than facts.
            reasons.append(f"{role} {name!r} is the victims' own state")
    return reasons
