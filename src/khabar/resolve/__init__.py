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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from pydantic import BaseModel, ConfigDict, Field

from ..extract.actors import ActorDictionary
from ..extract.gazetteer import Gazetteer
from ..records import Correction, Incident
from ._correct import CORRECTABLE, apply_corrections, correct, normalise_value
from ._merge import best_supported, event_id, reconcile
from ._review import FAMILY, review_reasons, target_is_valid
from ._score import REPORT_LAG_DAYS, Candidate, When, same_event_score, uncertain, when_of
from ._window import Memory, Window

__all__ = [
    "CORRECTABLE",
    "FAMILY",
    "Decision",
    "Override",
    "ResolveOptions",
    "Resolver",
    "Window",
    "apply_corrections",
    "best_supported",
    "correct",
    "normalise_value",
    "review_reasons",
    "run",
    "target_is_valid",
]


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
    by_hand: bool = False


class Resolver:
    def __init__(
        self,
        options: ResolveOptions | None = None,
        overrides: Iterable[Override] = (),
        *,
        actors: ActorDictionary | None = None,
        gazetteer: Gazetteer | None = None,
        keep_mentions: bool = True,
        remember: Iterable[str] = (),
    ):
        """``keep_mentions=False`` keeps of each event only what deciding needs (its
        ``Candidate``), not its accounts, and only the events of a window of recent
        publication in memory (``_window.Window``: older ones, the decisions and the
        publication dates go to a temporary file and are read back when needed, so
        every decision is the same): ``events()`` is then unavailable and the caller
        reconciles each event with ``close`` from the accounts it reads again, and calls
        ``release`` at the end (``pipeline.resolve_into`` does, so memory does not
        grow with the corpus). ``event_of`` then knows only the mentions of overrides
        and those named in ``remember`` (the corrections' anchors)."""
        self.options = options or ResolveOptions()
        self._keep = keep_mentions
        self._is_place = (lambda name: bool(gazetteer.lookup(name))) if gazetteer else None
        self._state: Memory = (
            Memory() if keep_mentions else Window(REPORT_LAG_DAYS + 2 * self.options.window_days)
        )
        self._of_mention: dict[str, str] = {}
        self._by_hand: set[str] = set()
        self._together: dict[str, set[str]] = defaultdict(set)
        self._apart: dict[str, set[str]] = defaultdict(set)
        for override in overrides:
            table = self._together if override.relation == "together" else self._apart
            table[override.a].add(override.b)
            table[override.b].add(override.a)
        self._remember = (
            None if keep_mentions else set(remember) | set(self._together) | set(self._apart)
        )
        self._actors = actors

    @property
    def decisions(self) -> list[Decision]:
        """Every decision, in order (kept in memory only with ``keep_mentions``)."""
        if not self._keep:
            raise RuntimeError("decisions are on disk without keep_mentions; use decisions_read()")
        return self._state.decisions

    def decisions_read(self) -> Iterator[tuple[str, str, float | None, str, bool]]:
        """(mention, event, score, reason, whether it is the event's last account), in
        order: read back from disk without ``keep_mentions``."""
        return self._state.decisions_read()

    def hold(self, event_id: str, account: Incident) -> None:
        """Keep an account read again in the second pass until its event closes (on
        disk past a bound without ``keep_mentions``)."""
        self._state.hold(event_id, account)

    def accounts_of(self, event_id: str) -> list[Incident]:
        """The accounts held for an event, in the order held; forgotten after."""
        return self._state.accounts_of(event_id)

    def release(self) -> None:
        """Remove the temporary file of a resolver without ``keep_mentions``."""
        self._state.close()

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
            self._state.publish(source.article_id, published)
        when = when_of(mention, published)
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
            decision = self._decide(mention, when)
        event = self._state.take(decision.event_id, _Event, published)
        if self._keep:
            event.mentions.append(mention)
        event.candidate.add(mention, when)
        if decision.reason == "merged by hand":
            event.by_hand = True
            self._by_hand.add(event.id)
        if self._remember is None or mention.id in self._remember:
            self._of_mention[mention.id] = event.id
        self._index(event, mention, when)
        self._state.decide(decision)
        self._state.settle()
        return decision

    def events(self) -> list[Incident]:
        """The reconciled events, each with its review reasons."""
        if not self._keep:
            raise RuntimeError("events() needs keep_mentions=True; use close()")
        return self.reviewed(
            [
                reconcile(
                    event.id,
                    event.mentions,
                    self._state.published,
                    actors=self._actors,
                    is_place=self._is_place,
                )
                for event in self._state.events.values()
            ]
        )

    def reviewed(self, events: list[Incident]) -> list[Incident]:
        """The events with their review reasons computed again (after corrections)."""
        out = []
        for incident in events:
            event = self._state.get(incident.id)
            accounts = event.mentions if event else []
            out.append(self._review(incident, accounts))
        return out

    def _review(self, incident: Incident, accounts: list[Incident]) -> Incident:
        reasons = review_reasons(
            incident,
            accounts,
            by_hand=incident.id in self._by_hand,
            actors=self._actors,
            is_place=self._is_place,
        )
        return incident.model_copy(update={"review": reasons})

    def event_ids(self) -> list[str]:
        """The events' ids, in the order they were opened (with ``keep_mentions``)."""
        return list(self._state.events)

    def event_count(self) -> int:
        """How many events the mentions added so far make."""
        return self._state.opened

    def close(
        self,
        event_id: str,
        accounts: list[Incident],
        corrections: Iterable[Correction] = (),
    ) -> Incident:
        """One event reconciled from its accounts (in resolution order), corrected and
        reviewed: what ``events()`` then ``apply_corrections`` and ``reviewed`` give
        for it, without the other events. ``corrections`` are those whose target is
        this event (``correction_targets``)."""
        published = self._state.published_of(s.article_id for m in accounts for s in m.sources)
        incident = reconcile(
            event_id, accounts, published, actors=self._actors, is_place=self._is_place
        )
        incident = self._review(incident, accounts)
        for correction in corrections:
            incident = correct(incident, correction)
        return self._review(incident, accounts) if corrections else incident

    def correction_targets(self, corrections: Iterable[Correction]) -> dict[str, list[Correction]]:
        """Each event's corrections, in order, found as ``apply_corrections`` finds them
        (the event they were made on, else the event of their anchor mention)."""
        targets: dict[str, list[Correction]] = defaultdict(list)
        for correction in corrections:
            known = self._state.get(correction.event_id) is not None
            target = correction.event_id if known else None
            target = target or self.event_of(correction.anchor)
            if target is not None and self._state.get(target) is not None:
                targets[target].append(correction)
        return targets

    def event_of(self, mention_id: str) -> str | None:
        return self._of_mention.get(mention_id)

    def _decide(self, mention: Incident, when: When | None) -> Decision:
        barred = {
            self._of_mention[m] for m in self._apart.get(mention.id, ()) if m in self._of_mention
        }
        best: tuple[float, int, list[str], str] | None = None
        articles = {s.article_id for s in mention.sources}
        ids = sorted(self._candidates(mention, when) - barred)
        held = self._state.fetch(ids)
        for candidate_id in ids:
            candidate = held[candidate_id].candidate
            if articles & candidate.articles:
                continue  # one article's accounts are different attacks (a round-up)
            scored = same_event_score(
                candidate,
                mention,
                when=when,
                window_days=self.options.window_days,
                related=self._related,
            )
            if scored is None:
                continue
            score, reasons = scored
            gap = candidate.gap(when)
            if best is None or (score, -gap) > (best[0], -best[1]):
                best = (score, gap, reasons, candidate_id)
        if best is not None and best[0] >= self.options.threshold:
            return Decision(mention.id, best[3], best[0], "; ".join(best[2]))
        detail = f" (best score {best[0]:.1f}: {'; '.join(best[2])})" if best else ""
        return Decision(mention.id, event_id(mention.id), None, "new event" + detail)

    def _keys(
        self, mention: Incident, when: When | None
    ) -> tuple[list[tuple], list[tuple], tuple[str | None, str] | None]:
        """The blocking keys an account is filed under and looked up by: ``(dated,
        undated)``. A dated account (its own date, or the days before its publication)
        is filed by country and week, with its province, its victims' nationalities and
        its claimant; one with no date at all by its place, province, nationalities and
        claimant."""
        location = mention.location
        country = location.country if location else None
        admin1 = location.admin1 if location else None
        doubtful = location is not None and uncertain(location)
        nationalities = sorted({v.nationality for v in mention.victims})
        claimed = mention.perpetrator.claimed_by if mention.perpetrator else None
        weeks: list[int] = []
        if when is not None:
            slack = dt.timedelta(days=self.options.window_days)
            start = (when.earliest - slack).toordinal() // 7
            end = (when.latest + slack).toordinal() // 7
            if end - start <= 60:  # a year's window; wider dates block by place only
                weeks = list(range(start, end + 1))
        dated: list[tuple] = []
        for week in weeks:
            dated.append(("w", country, week, None if doubtful else admin1))
            dated += [("wn", country, week, n) for n in nationalities]
            if claimed:
                dated.append(("wc", week, claimed))
        places = [
            ("p", country, name.casefold())
            for name in ((location.place, location.admin2) if location else ())
            if name and not doubtful
        ]
        vague = admin1 is not None and (doubtful or not places)
        undated = places + [("n", country, n) for n in nationalities]
        if claimed:
            undated.append(("c", claimed))
        if vague:
            undated.append(("a", country, admin1))
        return dated, undated, (country, admin1) if admin1 else None

    def _candidates(self, mention: Incident, when: When | None) -> set[str]:
        """Events that could be this one: in its country and weeks, in its province (or
        any when either does not know it or doubts it), of its victims' nationality or
        claimant; an account with no date at all looks by place (by province when it
        has no sure place). A dated account also meets the undated events of its place,
        nationality, claimant, and those of its province that have no sure place."""
        dated, undated, province = self._keys(mention, when)
        wanted: list[tuple] = []
        for key in dated:
            if key[0] == "w":
                _, country, week, admin1 = key
                if admin1 is None:
                    wanted.append(("w*", country, week))
                else:
                    wanted += [("w", country, week, admin1), ("w", country, week, None)]
            else:
                wanted.append(key)
        report = bool(mention.sources) and mention.sources[0].role == "report"
        for key in undated:
            if dated or key[0] in ("n", "c"):
                wanted.append(("u", *key))
            elif key[0] == "p" or report:
                # A whole province is searched for a report only: a passing mention
                # with neither date nor place ("an attack in Balochistan") names no
                # event that can be found again.
                wanted.append(("all", *key))
        if dated and province:
            wanted.append(("u", "a", *province))
        return self._state.find(wanted)

    def _index(self, event: _Event, mention: Incident, when: When | None) -> None:
        dated, undated, province = self._keys(mention, when)
        filed: list[tuple] = []
        for key in dated:
            filed.append(key)
            if key[0] == "w":
                filed.append(("w*", key[1], key[2]))
        for key in undated:
            if key[0] == "p":
                filed.append(("all", *key))
            if not dated:
                filed.append(("u", *key))
        if province:
            filed.append(("all", "a", *province))
        self._state.file(event.id, filed)


def run(
    mentions: Iterable[tuple[Incident, dt.date | None]],
    *,
    options: ResolveOptions | None = None,
    overrides: Iterable[Override] = (),
    actors: ActorDictionary | None = None,
    gazetteer: Gazetteer | None = None,
) -> tuple[list[Incident], list[Decision]]:
    """Resolve all mentions, in the order given (the order their articles arrived)."""
    resolver = Resolver(options, overrides, actors=actors, gazetteer=gazetteer)
    for mention, published in mentions:
        resolver.add(mention, published)
    return resolver.events(), resolver.decisions
