"""Accounts of one event -> the event's own record, by stated rules.

Reports come first: date, place, type, target, claim, tolls and victims are read from the
accounts that report the event, and from passing mentions only when no report gives the
value (a briefing that recalls an attack does not date it against five reports).

- date: the day most reports give (a report's window that holds a day supports it),
  else the most precise date that no other contradicts, else the first report's;
- place: the most precise place most reports agree with (a place inside another agrees
  with it; a town named like its province agrees with anything in that province);
- type: the one most reports give (on a tie, an explosive one: a bomb followed by
  gunmen is a bombing); suicide: yes if any report says so;
- fatalities: ``best`` is the best-supported figure among reports (the latest of
  those backed by a second report; with none backed, the lower middle, so an outlier no
  second report gives never becomes the best); injured: the highest report's figure;
  ``low`` and ``high`` keep the whole spread;
- victims: for each nationality the best-supported count, as for tolls;
- claim: the claimant most reports name; allegations: all of them, but never one that
  names foreign victims' own country ("militants from China" when Chinese were killed
  in Pakistan);
- target: the one most reports share, among those that name people or things;
- status: ``mentioned`` when no account reports the event.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Callable

from ..extract.actors import ActorDictionary
from ..records import (
    Allegation,
    Count,
    DateSpan,
    Incident,
    Location,
    Perpetrator,
    SourceRef,
    VictimGroup,
)
from ._review import FAMILY, target_is_valid
from ._score import _coarse, distinctive_words

__all__ = ["best_supported", "event_id", "reconcile"]

_PRECISION = {"day": 3, "month": 2, "year": 1, "unknown": 0}
_LOCATION = {"place": 4, "admin2": 3, "admin1": 2, "country": 1, "unknown": 0}


def event_id(first_mention_id: str) -> str:
    return "evt-" + hashlib.sha256(first_mention_id.encode()).hexdigest()[:16]


def _is_report(mention: Incident) -> bool:
    return bool(mention.sources) and mention.sources[0].role == "report"


def reconcile(
    eid: str,
    mentions: list[Incident],
    published: dict[str, dt.date | None],
    *,
    actors: ActorDictionary | None = None,
    is_place: Callable[[str], bool] | None = None,
) -> Incident:
    """The event's record from its accounts (in resolution order)."""
    reports = [m for m in mentions if _is_report(m)]
    pool = reports or mentions

    def when(mention: Incident) -> dt.date:
        return published.get(mention.sources[0].article_id) or dt.date.min

    victims = _victims(pool, when)
    location = _location(reports) or _location(mentions)
    return Incident(
        id=eid,
        event_type=_event_type(pool),  # type: ignore[arg-type]
        suicide=_suicide(pool),
        date=_date(reports) or _date(mentions),
        location=location,
        fatalities=_count([(m, m.fatalities) for m in pool], when),
        injured=_count([(m, m.injured) for m in pool], when, highest=True),
        victims=victims,
        perpetrator=_perpetrator(
            pool, mentions, victims, location.country if location else None, actors
        ),
        target=_target(reports, is_place) or _target(mentions, is_place),
        sources=_sources(mentions),
        evidence=tuple(e for m in mentions for e in m.evidence),
        status="reported" if reports else "mentioned",
    )


def _event_type(reports: list[Incident]) -> str:
    """The type most reports give; on a tie, an explosive type before another (a bomb
    followed by gunmen is a bombing), then the first report's."""
    counts = Counter(m.event_type for m in reports)

    def rank(kind: str) -> tuple[int, int]:
        return counts[kind], int(FAMILY.get(kind) == "explosive")

    top = max(rank(m.event_type) for m in reports)
    return next(m.event_type for m in reports if rank(m.event_type) == top)


def _suicide(reports: list[Incident]) -> bool | None:
    values = [m.suicide for m in reports if m.suicide is not None]
    if True in values:
        return True
    return False if values else None


def _date(accounts: list[Incident]) -> DateSpan | None:
    dates = [m.date for m in accounts if m.date and m.date.earliest and m.date.latest]
    # Accounts that give a month and day without a year: the dated accounts anchor them
    # (the same month and day backs that day); alone, the event keeps the month and day.
    bare = Counter(m.date.month_day for m in accounts if m.date and m.date.month_day)
    if not dates:
        return DateSpan(month_day=bare.most_common(1)[0][0]) if bare else None
    days = [d for d in dates if d.precision == "day"]
    if days:
        votes = Counter(d.value for d in days)

        def support(day: DateSpan) -> tuple[int, int]:
            held = sum(
                1
                for other in dates
                if other.precision != "day" and other.earliest <= day.earliest <= other.latest  # type: ignore[operator]
            )
            return votes[day.value] + bare[(day.value or "")[5:10]], held

        top = max(support(d) for d in days)
        return next(d for d in days if support(d) == top)
    for candidate in sorted(dates, key=lambda d: -_PRECISION[d.precision]):
        if all(
            other.earliest <= candidate.earliest and candidate.latest <= other.latest  # type: ignore[operator]
            for other in dates
        ):
            return candidate
    return dates[0]


def _location(accounts: list[Incident]) -> Location | None:
    locations = [m.location for m in accounts if m.location]
    if not locations:
        return None

    coarse = [_coarse(loc) for loc in locations]
    ranks = [
        (
            sum(1 for other in coarse if _within(candidate, other)),
            int(wide is candidate),
            _LOCATION[candidate.precision],
        )
        for candidate, wide in zip(locations, coarse, strict=True)
    ]
    return locations[ranks.index(max(ranks))]


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


def best_supported(figures: list[tuple[int, int | None, int | None, dt.date]]) -> int | None:
    """The best of several reports' figures, each ``(best, low, high, published)``.

    A figure is backed by every other report that gives it (the same figure, or a
    tight range that holds it: "14 or 15"), and half backed by one within a fifth of it.
    Of the figures backed most, the latest published stands (tolls grow; on one day, the
    lower); with none backed, the lower middle figure: an outlier that no second report
    gives never becomes the best. A wide range ("2 of the 8") backs only its best: its
    low is a part.
    """
    if not figures:
        return None

    def backs(value: int, other: tuple[int, int | None, int | None, dt.date]) -> float:
        best, low, high, _ = other
        if value == best:
            return 1.0
        if low is not None and high is not None and low * 2 >= best and low <= value <= high:
            return 1.0
        return 0.5 if min(value, best) * 5 >= max(value, best) * 4 else 0.0

    backing = [
        sum(backs(figure[0], other) for j, other in enumerate(figures) if j != i)
        for i, figure in enumerate(figures)
    ]
    most = max(backing)
    if most:
        backed = [f for f, n in zip(figures, backing, strict=True) if n == most]
        return max(backed, key=lambda f: (f[3], -f[0]))[0]
    values = sorted(f[0] for f in figures)
    return values[(len(values) - 1) // 2]


def _count(
    counts: list[tuple[Incident, Count | None]],
    when: Callable[[Incident], dt.date],
    *,
    highest: bool = False,
) -> Count | None:
    """low, best and high of the reports' figures; ``highest`` takes the highest best
    (the wounded: hospitals count more as days pass, and a partial count is no fall)."""
    known = [(m, c) for m, c in counts if c is not None]
    if not known:
        return None
    lows = [c.low for _, c in known if c.low is not None]
    highs = [c.high for _, c in known]
    figures = [(c.best, c.low, c.high, when(m)) for m, c in known if c.best is not None]
    best = max((f[0] for f in figures), default=None) if highest else best_supported(figures)
    return Count(
        low=min(lows) if lows else None,
        best=best,
        high=None if any(h is None for h in highs) else max(h for h in highs if h is not None),
    )


def _victims(
    reports: list[Incident], when: Callable[[Incident], dt.date]
) -> tuple[VictimGroup, ...]:
    counts: dict[str, list[tuple[int, int | None, int | None, dt.date]]] = {}
    described: dict[str, str | None] = {}
    for mention in reports:
        for group in mention.victims:
            counts.setdefault(group.nationality, [])
            described.setdefault(group.nationality, group.description)
            if group.count is not None:
                counts[group.nationality].append((group.count, None, None, when(mention)))
    groups = [
        VictimGroup(nationality=n, count=best_supported(figures), description=described[n])
        for n, figures in counts.items()
    ]
    return tuple(sorted(groups, key=lambda g: -(g.count or 0)))


def _perpetrator(
    reports: list[Incident],
    mentions: list[Incident],
    victims: tuple[VictimGroup, ...],
    home: str | None,
    actors: ActorDictionary | None,
) -> Perpetrator | None:
    claims = [
        m.perpetrator.claimed_by for m in reports if m.perpetrator and m.perpetrator.claimed_by
    ]
    if not claims:
        claims = [
            m.perpetrator.claimed_by for m in mentions if m.perpetrator and m.perpetrator.claimed_by
        ]
    votes = Counter(claims)
    claimed = next((c for c in claims if votes[c] == max(votes.values())), None)
    foreign = {v.nationality for v in victims} - {home}
    alleged: list[Allegation] = []
    for mention in mentions:
        for allegation in mention.perpetrator.alleged if mention.perpetrator else ():
            if allegation in alleged or _country_of(allegation.actor, actors) in foreign:
                continue  # foreign victims' own country is their side, not the accused
            alleged.append(allegation)
    if claimed is None and not alleged:
        return None
    return Perpetrator(claimed_by=claimed, alleged=tuple(alleged))


def _country_of(name: str, actors: ActorDictionary | None) -> str | None:
    """The country an accused names: a state ("China") or a country it places
    militants in ("militants from China"); None otherwise."""
    if actors is None:
        return None
    actor = actors.lookup(name) or actors.find_in(name)
    return actor.country if actor is not None and actor.kind == "state" else None


def _target(accounts: list[Incident], is_place: Callable[[str], bool] | None = None) -> str | None:
    targets = [
        m.target for m in accounts if m.target and target_is_valid(m.target, m.location, is_place)
    ]
    if not targets:
        return None
    words = [distinctive_words_of(t) for t in targets]

    def shared(index: int) -> int:
        return sum(1 for j, other in enumerate(words) if j != index and words[index] & other)

    top = max(shared(i) for i in range(len(targets)))
    return next(t for i, t in enumerate(targets) if shared(i) == top)


def distinctive_words_of(text: str) -> set[str]:
    return distinctive_words(Incident(id="", event_type="other_attack", target=text))


def _sources(mentions: list[Incident]) -> tuple[SourceRef, ...]:
    by_article: dict[str, SourceRef] = {}
    for mention in mentions:
        for source in mention.sources:
            known = by_article.get(source.article_id)
            if known is None or (known.role == "mention" and source.role == "report"):
                by_article[source.article_id] = source
    return tuple(by_article.values())
