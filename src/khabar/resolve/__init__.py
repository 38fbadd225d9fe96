"""Resolve: per-article incident mentions -> one Incident per real-world event.

Incremental: each mention, in the order its article arrived, is compared with the events
it could belong to (blocking: same country and overlapping dates, or for an undated
mention the same place), scored on place, date, kind of attack, victims, claimant, tolls
and distinctive words (``_score``), and merged into the best event scoring at least the
threshold, or opened as a new event. Every decision is kept with its score and reasons.
An analyst's merges and splits are constraints between mentions, so they survive
re-extraction and rebuilds. ``run`` over all mentions in arrival order gives the same
events as adding them one by one.

    resolver = Resolver(ResolveOptions())
    for mention, published in mentions: resolver.add(mention, published)
    events = resolver.events()
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from pydantic import BaseModel, ConfigDict, Field

from ..extract.actors import ActorDictionary
from ..records import Incident
from ._correct import CORRECTABLE, apply_corrections, correct, normalise_value
from ._merge import event_id, reconcile
from ._score import Candidate, same_event_score

__all__ = [
    "CORRECTABLE",
    "Decision",
    "Override",
    "ResolveOptions",
    "Resolver",
    "apply_corrections",
    "correct",
    "normalise_value",
    "run",
]


_WeekKey = tuple[str | None, int]
_PlaceKey = tuple[str | None, str]


class ResolveOptions(BaseModel):
    model_config = ConfigDict(frozen=True)

    threshold: float = Field(3.0, description="least score to merge a mention into an event")
    window_days: int = Field(3, ge=0, description="days two dates may differ and still meet")


@dataclass(frozen=True)
class Decision:
    mention_id: str
    event_id: str
    score: float | None
    reason: str


@dataclass(frozen=True)
class Override:
    """An analyst's decision about two mentions: 'together' or 'apart'."""

    a: str
    b: str
    relation: str


@dataclass
class _Event:
    id: str
    mentions: list[Incident] = field(default_factory=list)
    candidate: Candidate = field(default_factory=Candidate)


class Resolver:
    def __init__(
        self,
        options: ResolveOptions | None = None,
        overrides: Iterable[Override] = (),
        *,
        actors: ActorDictionary | None = None,
    ):
        self.options = options or ResolveOptions()
        self._events: dict[str, _Event] = {}
        self._of_mention: dict[str, str] = {}
        self._published: dict[str, dt.date | None] = {}
        self._by_week: dict[tuple[str | None, int], set[str]] = defaultdict(set)
        self._by_week_admin1: dict[tuple[str | None, int, str | None], set[str]] = defaultdict(set)
        self._by_place: dict[tuple[str | None, str], set[str]] = defaultdict(set)
        self._undated_by_place: dict[tuple[str | None, str], set[str]] = defaultdict(set)
        self._together: dict[str, set[str]] = defaultdict(set)
        self._apart: dict[str, set[str]] = defaultdict(set)
        for override in overrides:
            table = self._together if override.relation == "together" else self._apart
            table[override.a].add(override.b)
            table[override.b].add(override.a)
        self.decisions: list[Decision] = []
        self._actors = actors

    def _related(self, a: str, b: str) -> bool:
        """Claimants that are one group: the same name, or a branch and its parent
        ("ISKP" and "Islamic State")."""
        if a == b:
            return True
        if self._actors is None:
            return False
        first, second = self._actors.lookup(a), self._actors.lookup(b)
        if first is None or second is None:
            return False
        family = {first.id} | {x.id for x in self._actors.ancestors(first)}
        other = {second.id} | {x.id for x in self._actors.ancestors(second)}
        return bool(family & other) and (first.id in other or second.id in family)

    def add(
        self,
        mention: Incident,
        published: dt.date | None = None,
        *,
        known: Decision | None = None,
    ) -> Decision:
        """Place one mention: into the event it matches best, or a new one. ``known`` is
        a decision taken in an earlier run, replayed as it was."""
        for source in mention.sources:
            self._published.setdefault(source.article_id, published)
        forced = [
            self._of_mention[other]
            for other in self._together.get(mention.id, ())
            if other in self._of_mention
        ]
        if known is not None:
            decision = known
        elif forced:
            decision = Decision(mention.id, forced[0], None, "merged by hand")
        else:
            decision = self._decide(mention)
        event = self._events.get(decision.event_id)
        if event is None:
            event = self._events[decision.event_id] = _Event(decision.event_id)
        event.mentions.append(mention)
        event.candidate.add(mention)
        self._of_mention[mention.id] = event.id
        self._index(event, mention)
        self.decisions.append(decision)
        return decision

    def events(self) -> list[Incident]:
        return [
            reconcile(event.id, event.mentions, self._published) for event in self._events.values()
        ]

    def event_of(self, mention_id: str) -> str | None:
        return self._of_mention.get(mention_id)

    def _decide(self, mention: Incident) -> Decision:
        barred = {
            self._of_mention[m] for m in self._apart.get(mention.id, ()) if m in self._of_mention
        }
        best: tuple[float, list[str], str] | None = None
        for candidate_id in sorted(self._candidates(mention)):
            if candidate_id in barred:
                continue
            scored = same_event_score(
                self._events[candidate_id].candidate,
                mention,
                window_days=self.options.window_days,
                related=self._related,
            )
            if scored is None:
                continue
            score, reasons = scored
            if best is None or score > best[0]:
                best = (score, reasons, candidate_id)
        if best is not None and best[0] >= self.options.threshold:
            return Decision(mention.id, best[2], best[0], "; ".join(best[1]))
        detail = f" (best score {best[0]:.1f}: {'; '.join(best[1])})" if best else ""
        return Decision(mention.id, event_id(mention.id), None, "new event" + detail)

    def _keys(self, mention: Incident) -> tuple[list[_WeekKey], list[_PlaceKey]]:
        country = mention.location.country if mention.location else None
        weeks: list[_WeekKey] = []
        if mention.date and mention.date.earliest and mention.date.latest:
            slack = dt.timedelta(days=self.options.window_days)
            start = (mention.date.earliest - slack).toordinal() // 7
            end = (mention.date.latest + slack).toordinal() // 7
            if end - start <= 60:  # a year's window; wider dates block by place only
                weeks = [(country, week) for week in range(start, end + 1)]
        return weeks, self._place_keys(mention)

    def _place_keys(self, mention: Incident) -> list[_PlaceKey]:
        country = mention.location.country if mention.location else None
        places: list[_PlaceKey] = []
        location = mention.location
        if location:
            for name in (location.place, location.admin2):
                if name:
                    places.append((country, name.casefold()))
        return places

    def _candidates(self, mention: Incident) -> set[str]:
        """Events that could be this one: in its country, province and weeks (or any
        province when either does not know it); an undated mention ("the Zhob attack")
        looks by place, and a dated one also meets the undated events of its place."""
        weeks, places = self._keys(mention)
        admin1 = mention.location.admin1 if mention.location else None
        found: set[str] = set()
        for key in weeks:
            if admin1 is None:
                found |= self._by_week.get(key, set())
            else:
                found |= self._by_week_admin1.get((*key, admin1), set())
                found |= self._by_week_admin1.get((*key, None), set())
        index = self._undated_by_place if weeks else self._by_place
        for key in places:
            found |= index.get(key, set())
        return found

    def _index(self, event: _Event, mention: Incident) -> None:
        weeks, places = self._keys(mention)
        admin1 = mention.location.admin1 if mention.location else None
        for key in weeks:
            self._by_week[key].add(event.id)
            self._by_week_admin1[(*key, admin1)].add(event.id)
        for key in places:
            self._by_place[key].add(event.id)
            if not weeks:
                self._undated_by_place[key].add(event.id)


def run(
    mentions: Iterable[tuple[Incident, dt.date | None]],
    *,
    options: ResolveOptions | None = None,
    overrides: Iterable[Override] = (),
    actors: ActorDictionary | None = None,
) -> tuple[list[Incident], list[Decision]]:
    """Resolve all mentions, in the order given (the order their articles arrived)."""
    resolver = Resolver(options, overrides, actors=actors)
    for mention, published in mentions:
        resolver.add(mention, published)
    return resolver.events(), resolver.decisions
