"""Whether a mention and an event are the same real-world attack, with the reasons."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ..records import Incident, Location
from ._review import FAMILY

__all__ = ["Candidate", "When", "month_day_of", "same_event_score", "uncertain", "when_of"]

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


REPORT_LAG_DAYS = 10
"""How long before its publication a report's undated event may have happened."""
_MENTION_REACH_DAYS = 20 * 365
"""How far back a passing mention with no date may reach."""


@dataclass(frozen=True)
class When:
    """The days an account's event could fall in: from its own date (``exact``), else
    bounded by its article's publication (a report: the days before it; a mention:
    any time before it)."""

    earliest: dt.date
    latest: dt.date
    exact: bool
    day: bool = False


def when_of(mention: Incident, published: dt.date | None) -> When | None:
    """The account's own date outranks its publication date (a feed's date or a late
    follow-up can be wrong); with no date of its own, the publication bounds it."""
    date = mention.date
    if date and date.earliest and date.latest:
        return When(date.earliest, date.latest, True, date.precision == "day")
    if published is None:
        return None
    reach = REPORT_LAG_DAYS if _is_report(mention) else _MENTION_REACH_DAYS
    return When(published - dt.timedelta(days=reach), published, False)


def _is_report(mention: Incident) -> bool:
    return bool(mention.sources) and mention.sources[0].role == "report"


def _meet(a: When, b: When, slack: int) -> bool:
    """Whether two accounts' days can be one day. Two dates of their own meet within
    ``slack`` days; a date bounded by publication is never met by a later event."""
    pad = dt.timedelta(days=slack)
    if a.exact and b.exact:
        return a.earliest - pad <= b.latest and b.earliest - pad <= a.latest
    if a.exact != b.exact:
        exact, bounded = (a, b) if a.exact else (b, a)
        return exact.earliest <= bounded.latest and bounded.earliest <= exact.latest + pad
    return a.earliest <= b.latest and b.earliest <= a.latest


def uncertain(location: Location) -> bool:
    """A place whose province is in doubt: a town named like its province ("Kunduz",
    "Khost") may mean the province, so a mismatch below the province is no evidence."""
    province = location.admin1
    if not province:
        return False
    folded = province.casefold()
    place, district = location.place, location.admin2
    return bool(
        (place and place.casefold() == folded) or (district and district.casefold() == folded)
    )


def _coarse(location: Location) -> Location:
    """An uncertain location read at the level of its province."""
    if not uncertain(location):
        return location
    return location.model_copy(
        update={"admin2": None, "place": None, "lat": None, "lon": None, "precision": "admin1"}
    )


@dataclass
class Candidate:
    """What an event is known to be, gathered from its accounts so far."""

    country: str | None = None
    locations: list[Location] = field(default_factory=list)
    whens: list[When] = field(default_factory=list)
    types: set[str] = field(default_factory=set)
    report_types: set[str] = field(default_factory=set)
    nationalities: set[str] = field(default_factory=set)
    claimed: set[str] = field(default_factory=set)
    fatalities: list[int] = field(default_factory=list)
    words: set[str] = field(default_factory=set)
    articles: set[str] = field(default_factory=set)
    month_days: set[str] = field(default_factory=set)
    """the accounts' months and days ("10-11"), from full days and from month_day"""

    def add(self, mention: Incident, when: When | None = None) -> None:
        self.articles |= {s.article_id for s in mention.sources}
        location = mention.location
        if location and location.country:
            self.country = self.country or location.country
            if location not in self.locations:  # each place once: scoring is per place
                self.locations.append(location)
        if when is not None:
            self.whens.append(when)
        self.types.add(mention.event_type)
        if _is_report(mention):
            self.report_types.add(mention.event_type)
        self.nationalities |= {v.nationality for v in mention.victims}
        if mention.perpetrator and mention.perpetrator.claimed_by:
            self.claimed.add(mention.perpetrator.claimed_by)
        if mention.fatalities and mention.fatalities.best is not None:
            self.fatalities.append(mention.fatalities.best)
        self.words |= distinctive_words(mention)
        day = month_day_of(mention)
        if day:
            self.month_days.add(day)

    def gap(self, when: When | None) -> int:
        """Days between an account's date and the nearest date of this event (0 when
        either has no day): ties between events go to the nearest."""
        if when is None or not when.day:
            return 0
        days = [abs((when.earliest - w.earliest).days) for w in self.whens if w.day]
        return min(days) if days else 0


def month_day_of(mention: Incident) -> str | None:
    """An account's month and day ("10-11"): from its full day, or from a month and day
    the text gave without a year (``DateSpan.month_day``)."""
    date = mention.date
    if date is None:
        return None
    if date.precision == "day" and date.value:
        return date.value[5:10]
    return date.month_day


def _days_apart(gap: int, what: str) -> tuple[int, str]:
    """Points and reason for two days ``gap`` days apart: the same day backs a merge,
    a day apart is neutral (a night attack, a late report), more counts against."""
    prefix = "" if what == "day" else f"{what} "
    if gap == 0:
        return 2, f"same {what}"
    if gap == 1:
        return 0, f"{prefix}a day apart"
    return -2, f"{prefix}{gap} days apart"


def _month_day_gap(a: str, b: str) -> int:
    """Days between two months-and-days, round the turn of the year ("12-31", "01-01"
    are a day apart); counted in a leap year, so "02-29" exists."""
    first = dt.date(2000, int(a[:2]), int(a[3:]))
    second = dt.date(2000, int(b[:2]), int(b[3:]))
    gap = abs((first - second).days)
    return min(gap, 366 - gap)


def distinctive_words(mention: Incident) -> set[str]:
    text = " ".join(filter(None, [mention.target]))
    return {w for w in re.findall(r"[a-z]{4,}", text.casefold()) if w not in _STOP}


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
    """'same', 'nested', 'near', 'apart', 'doubtful' or 'unknown' for two locations."""
    if a.country != b.country:
        return "apart"
    relation = _hierarchy(a, b)
    if relation != "same" and (uncertain(a) or uncertain(b)):
        relation = _hierarchy(_coarse(a), _coarse(b))
    if relation == "apart":
        distance = _km(a, b)
        if (
            distance is not None
            and distance <= 50
            and a.precision in ("place", "admin2")
            and b.precision in ("place", "admin2")
        ):
            return "near"  # across a district line: "Panji Poyon" and "Panj"
        if uncertain(a) or uncertain(b):
            return "doubtful"
    return relation


def _same_district(a: str, b: str) -> bool:
    """One district, or a district and a part it was split into ("Chitral" and "Lower
    Chitral", "South Waziristan" and "Lower South Waziristan")."""
    x, y = a.casefold(), b.casefold()
    return x == y or x.endswith(" " + y) or y.endswith(" " + x)


def _hierarchy(a: Location, b: Location) -> str:
    if a.admin1 and b.admin1 and a.admin1 != b.admin1:
        return "apart"
    if a.place and b.place:
        if a.place.casefold() == b.place.casefold():
            return "same"
        return "nested" if a.admin2 and b.admin2 and _same_district(a.admin2, b.admin2) else "apart"
    if a.admin2 and b.admin2:
        if a.admin2 == b.admin2:
            return "same"
        return "nested" if _same_district(a.admin2, b.admin2) else "apart"
    if a.admin1 and b.admin1:
        return "nested"
    return "unknown"


def same_event_score(
    event: Candidate,
    mention: Incident,
    *,
    when: When | None = None,
    window_days: int = 3,
    related: Callable[[str, str], bool] = lambda a, b: a == b,
) -> tuple[float, list[str]] | None:
    """A score (higher is more alike) and its reasons, or None when the two cannot be
    one event (other country, far-apart places or dates).

    ``when`` is the account's days (``when_of``); without it the account's own date is
    used. A passing mention is scored on year, place, victims, toll and target, without
    the penalty for another kind of attack: a mention names an attack loosely.
    """
    if when is None and mention.date and mention.date.earliest and mention.date.latest:
        when = When(
            mention.date.earliest, mention.date.latest, True, mention.date.precision == "day"
        )
    reasons: list[str] = []
    score = 0.0
    location = mention.location
    if location and location.country and event.country:
        if location.country != event.country:
            return None
        score += 1
        reasons.append(f"same country {location.country}")
    relations = [_nested(location, other) for other in event.locations] if location else []
    if "same" in relations:
        score += 3
        reasons.append("same place")
    elif "apart" in relations:
        return None
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
    elif "doubtful" in relations:
        score -= 1
        reasons.append("other places, one of them uncertain")
    if when is not None and event.whens:
        meeting = [w for w in event.whens if _meet(when, w, window_days)]
        if not meeting:
            return None
        days = [w for w in meeting if w.day]
        if when.day and days:
            gap = min(abs((when.earliest - w.earliest).days) for w in days)
            points, reason = _days_apart(gap, "day")
            score += points
            reasons.append(reason)
        else:
            score += 1
            reasons.append("dates overlap" if when.exact else "dates within publication")
    # A month and day without a year ("October 11", no publication date) is weighed
    # like a day against the event's days: the same month and day anchors it, another
    # counts against. Where both sides have full days the dates above did that already.
    day = month_day_of(mention)
    if (
        day
        and event.month_days
        and (
            (mention.date is not None and mention.date.month_day is not None)
            or not any(w.day for w in event.whens)
        )
    ):
        gap = min(_month_day_gap(day, other) for other in event.month_days)
        if gap > window_days:
            return None
        points, reason = _days_apart(gap, "month and day")
        score += points
        reasons.append(reason)
    report = _is_report(mention)
    families = {FAMILY.get(t, t) for t in event.types}
    if FAMILY.get(mention.event_type) in families:
        score += 1
        reasons.append("same kind of attack")
    elif event.report_types and report:
        # A complex attack (a bomb, then gunmen) is a bombing to one outlet and an
        # armed assault to another: between those two families the penalty is halved.
        mixed = {FAMILY.get(mention.event_type), *families} == {"explosive", "armed"}
        score -= 1.5 if mixed else 3
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
            # Outlets attribute an attack differently, and a claim read from the wrong
            # sentence is common: another claimant weighs against (a little more than
            # tolls far apart, less than another kind of attack), it does not forbid.
            score -= 1.5
            reasons.append(f"claimed by another group ({claimed})")
    if mention.fatalities and mention.fatalities.best and event.fatalities:
        best = mention.fatalities.best
        known = [f for f in event.fatalities if f]
        if any(min(best, f) * 5 >= max(best, f) * 4 for f in known):
            score += 1
            reasons.append("tolls agree")
        elif any(min(best, f) * 3 >= max(best, f) for f in known):
            score += 0.5
            reasons.append("similar tolls")
        elif known:
            score -= 1
            reasons.append("tolls far apart")
    words = distinctive_words(mention) & event.words
    if words:
        score += 0.5
        reasons.append("shared words: " + ", ".join(sorted(words)[:4]))
    return score, reasons
