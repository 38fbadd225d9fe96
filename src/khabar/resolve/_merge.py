"""Mentions of one event -> the event's own record, by stated rules.

- fatalities and injured: low = the lowest low, high = the highest high, best = the best
  figure of the most recently published report (UCDP: the latest figure stands), but
  never below the median of the reports (of an even count, the upper middle one; tolls
  grow, and a later article that counts only some victims is no fall) nor above twice
  that median when three or more report;
- date and place: the most precise one that no other mention contradicts, else the
  first report's;
- type: the one most reports give; suicide: yes if any report says so;
- victims: for each nationality the highest count given;
- claim: the first report's claimant; allegations: all of them;
- sources and evidence: every mention's, a source being a report when any mention in
  that article reports the event.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter

from ..records import Count, DateSpan, Incident, Location, Perpetrator, SourceRef, VictimGroup

__all__ = ["event_id", "reconcile"]

_PRECISION = {"day": 3, "month": 2, "year": 1, "unknown": 0}
_LOCATION = {"place": 4, "admin2": 3, "admin1": 2, "country": 1, "unknown": 0}


def event_id(first_mention_id: str) -> str:
    return "evt-" + hashlib.sha256(first_mention_id.encode()).hexdigest()[:16]


def reconcile(eid: str, mentions: list[Incident], published: dict[str, dt.date | None]) -> Incident:
    """The event's record from its mentions (in resolution order)."""
    reports = [m for m in mentions if m.sources[0].role == "report"] or mentions
    return Incident(
        id=eid,
        event_type=_event_type(reports),  # type: ignore[arg-type]
        suicide=_suicide(reports),
        date=_date(mentions, reports),
        location=_location(mentions, reports),
        fatalities=_count([m.fatalities for m in reports], reports, published, "fatalities"),
        injured=_count([m.injured for m in reports], reports, published, "injured"),
        victims=_victims(reports),
        perpetrator=_perpetrator(reports, mentions),
        target=next((m.target for m in reports if m.target), None),
        sources=_sources(mentions),
        evidence=tuple(e for m in mentions for e in m.evidence),
    )


def _event_type(reports: list[Incident]) -> str:
    counts = Counter(m.event_type for m in reports)
    top = max(counts.values())
    return next(m.event_type for m in reports if counts[m.event_type] == top)


def _suicide(reports: list[Incident]) -> bool | None:
    values = [m.suicide for m in reports if m.suicide is not None]
    if True in values:
        return True
    return False if values else None


def _date(mentions: list[Incident], reports: list[Incident]) -> DateSpan | None:
    dates = [m.date for m in mentions if m.date and m.date.earliest and m.date.latest]
    for candidate in sorted(dates, key=lambda d: -_PRECISION[d.precision]):
        if all(
            other.earliest <= candidate.earliest and candidate.latest <= other.latest
            for other in dates
            if other.precision != "day" or other is candidate
        ) and all(other.value == candidate.value for other in dates if other.precision == "day"):
            return candidate
    first = next((m.date for m in reports if m.date), None)
    return first


def _location(mentions: list[Incident], reports: list[Incident]) -> Location | None:
    locations = [m.location for m in mentions if m.location]
    for candidate in sorted(locations, key=lambda loc: -_LOCATION[loc.precision]):
        if all(_within(candidate, other) for other in locations):
            return candidate
    return next((m.location for m in reports if m.location), None)


def _within(inner: Location, outer: Location) -> bool:
    if inner.country != outer.country:
        return False
    for level in ("admin1", "admin2", "place"):
        theirs = getattr(outer, level)
        if theirs and getattr(inner, level) and getattr(inner, level) != theirs:
            return False
        if theirs and not getattr(inner, level):
            return False
    return True


def _count(
    counts: list[Count | None],
    reports: list[Incident],
    published: dict[str, dt.date | None],
    field: str,
) -> Count | None:
    known = [c for c in counts if c is not None]
    if not known:
        return None
    lows = [c.low for c in known if c.low is not None]
    highs = [c.high for c in known]

    def when(mention: Incident) -> dt.date:
        return published.get(mention.sources[0].article_id) or dt.date.min

    latest = max((m for m in reports if getattr(m, field) is not None), key=when, default=None)
    best = getattr(latest, field).best if latest is not None else None
    bests = sorted(c.best for c in known if c.best is not None)
    if best is not None and len(bests) >= 2:
        median = bests[len(bests) // 2]
        if len(bests) >= 3 and median and best > median * 2:
            best = median  # an outlier is not a confirmation: most sources say otherwise
        elif best < median:
            best = median  # tolls grow: a later partial figure ("four Chinese") is no fall
    return Count(
        low=min(lows) if lows else None,
        best=best,
        high=None if any(h is None for h in highs) else max(h for h in highs if h is not None),
    )


def _victims(reports: list[Incident]) -> tuple[VictimGroup, ...]:
    most: dict[str, int] = {}
    for mention in reports:
        for group in mention.victims:
            most[group.nationality] = max(most.get(group.nationality, 0), group.count or 0)
    return tuple(
        VictimGroup(nationality=n, count=c) for n, c in sorted(most.items(), key=lambda i: -i[1])
    )


def _perpetrator(reports: list[Incident], mentions: list[Incident]) -> Perpetrator | None:
    claimed = next(
        (m.perpetrator.claimed_by for m in mentions if m.perpetrator and m.perpetrator.claimed_by),
        None,
    )
    alleged = []
    for mention in mentions:
        for allegation in mention.perpetrator.alleged if mention.perpetrator else ():
            if allegation not in alleged:
                alleged.append(allegation)
    if claimed is None and not alleged:
        return None
    return Perpetrator(claimed_by=claimed, alleged=tuple(alleged))


def _sources(mentions: list[Incident]) -> tuple[SourceRef, ...]:
    by_article: dict[str, SourceRef] = {}
    for mention in mentions:
        for source in mention.sources:
            known = by_article.get(source.article_id)
            if known is None or (known.role == "mention" and source.role == "report"):
                by_article[source.article_id] = source
    return tuple(by_article.values())
