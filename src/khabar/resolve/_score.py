"""Whether a mention and an event are the same real-world attack, with the reasons."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ..records import DateSpan, Incident, Location

__all__ = ["Candidate", "same_event_score"]

_STOP = {
    "the",
    "a",
    "an",
    "of",
    "in",
    "on",
    "at",
    "to",
    "for",
    "and",
    "with",
    "by",
    "near",
    "from",
    "their",
    "his",
    "her",
    "its",
    "carrying",
    "outside",
    "inside",
}
_FAMILY = {
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


@dataclass
class Candidate:
    """What an event is known to be, gathered from its mentions so far."""

    country: str | None = None
    locations: list[Location] = field(default_factory=list)
    dates: list[DateSpan] = field(default_factory=list)
    types: set[str] = field(default_factory=set)
    nationalities: set[str] = field(default_factory=set)
    claimed: set[str] = field(default_factory=set)
    fatalities: list[int] = field(default_factory=list)
    words: set[str] = field(default_factory=set)

    def add(self, mention: Incident) -> None:
        location = mention.location
        if location and location.country:
            self.country = self.country or location.country
            self.locations.append(location)
        if mention.date and mention.date.earliest:
            self.dates.append(mention.date)
        self.types.add(mention.event_type)
        self.nationalities |= {v.nationality for v in mention.victims}
        if mention.perpetrator and mention.perpetrator.claimed_by:
            self.claimed.add(mention.perpetrator.claimed_by)
        if mention.fatalities and mention.fatalities.best is not None:
            self.fatalities.append(mention.fatalities.best)
        self.words |= distinctive_words(mention)


def distinctive_words(mention: Incident) -> set[str]:
    text = " ".join(filter(None, [mention.target]))
    return {w for w in re.findall(r"[a-z]{4,}", text.casefold()) if w not in _STOP}


def _window(span: DateSpan, slack: int) -> tuple[dt.date, dt.date] | None:
    if span.earliest is None or span.latest is None:
        return None
    return span.earliest - dt.timedelta(days=slack), span.latest + dt.timedelta(days=slack)


def _km(a: Location, b: Location) -> float | None:
    if None in (a.lat, a.lon, b.lat, b.lon):
        return None
    la1, lo1, la2, lo2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))  # type: ignore[arg-type]
    h = (
        math.sin((la2 - la1) / 2) ** 2
        + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    )
    return 12742 * math.asin(math.sqrt(h))


def _nested(a: Location, b: Location) -> str:
    """'same', 'nested', 'near', 'apart' or 'unknown' for two locations."""
    if a.country != b.country:
        return "apart"
    relation = _hierarchy(a, b)
    if relation == "apart":
        distance = _km(a, b)
        if (
            distance is not None
            and distance <= 50
            and a.precision in ("place", "admin2")
            and b.precision in ("place", "admin2")
        ):
            return "near"  # across a district line: "Panji Poyon" and "Panj"
    return relation


def _hierarchy(a: Location, b: Location) -> str:
    if a.place and b.place:
        if a.place.casefold() == b.place.casefold():
            return "same"
        return "nested" if a.admin2 and a.admin2 == b.admin2 else "apart"
    if a.admin2 and b.admin2:
        return "same" if a.admin2 == b.admin2 else "apart"
    if a.admin1 and b.admin1:
        return "nested" if a.admin1 == b.admin1 else "apart"
    return "unknown"


def same_event_score(
    event: Candidate,
    mention: Incident,
    *,
    window_days: int = 3,
    related: Callable[[str, str], bool] = lambda a, b: a == b,
) -> tuple[float, list[str]] | None:
    """A score (higher is more alike) and its reasons, or None when the two cannot be
    one event (other country, far-apart places or dates, other claimant)."""
    reasons: list[str] = []
    score = 0.0
    location = mention.location
    if location and location.country and event.country:
        if location.country != event.country:
            return None
        score += 1
        reasons.append(f"same country {location.country}")
    relations = [_nested(location, other) for other in event.locations] if location else []
    if "apart" in relations and "same" not in relations:
        return None
    if "same" in relations:
        score += 3
        reasons.append("same place")
    elif "nested" in relations:
        score += 2
        reasons.append("nested places")
    elif "near" in relations:
        # Nearness alone is no evidence (two towns 20 km apart can both be attacked on a
        # day); with the same victims' nationality or claimant it bridges the district
        # lines a gazetteer draws differently from a reporter.
        corroborated = bool(event.nationalities & {v.nationality for v in mention.victims}) or (
            bool(mention.perpetrator and mention.perpetrator.claimed_by in event.claimed)
        )
        if not corroborated:
            return None
        score += 1
        reasons.append("places within 50 km, same victims or claimant")
    if mention.date and mention.date.earliest and event.dates:
        mine = _window(mention.date, window_days)
        overlaps = [
            w
            for w in (_window(d, window_days) for d in event.dates)
            if w and mine and w[0] <= mine[1] and mine[0] <= w[1]
        ]
        if not overlaps:
            return None
        days = [d for d in event.dates if d.precision == "day"]
        if mention.date.precision == "day" and days:
            gap = min(abs((mention.date.earliest - d.earliest).days) for d in days)
            if gap == 0:
                score += 2
                reasons.append("same day")
            elif gap == 1:
                reasons.append("a day apart")
            else:
                score -= 2
                reasons.append(f"{gap} days apart")
        else:
            score += 1
            reasons.append("dates overlap")
    families = {_FAMILY.get(t, t) for t in event.types}
    if _FAMILY.get(mention.event_type) in families:
        score += 1
        reasons.append("same kind of attack")
    elif event.types:
        score -= 3
        reasons.append("another kind of attack")
    shared = event.nationalities & {v.nationality for v in mention.victims}
    if shared:
        score += 1
        reasons.append("victims of the same nationality: " + ", ".join(sorted(shared)))
    claimed = mention.perpetrator.claimed_by if mention.perpetrator else None
    if claimed and event.claimed:
        if any(related(claimed, other) for other in event.claimed):
            score += 1
            reasons.append(f"same claim ({claimed})")
        else:
            return None  # two groups claimed it: two attacks
    if mention.fatalities and mention.fatalities.best and event.fatalities:
        best = mention.fatalities.best
        if any(min(best, f) * 3 >= max(best, f) for f in event.fatalities if f):
            score += 0.5
            reasons.append("similar tolls")
        else:
            score -= 1
            reasons.append("tolls far apart")
    words = distinctive_words(mention) & event.words
    if words:
        score += 0.5
        reasons.append("shared words: " + ", ".join(sorted(words)[:4]))
    return score, reasons
