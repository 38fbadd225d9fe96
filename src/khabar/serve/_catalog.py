"""A cached, filterable view of what the store holds, for the API and the dashboard.

The resolved incidents and the statements are read once and kept with what filters and
sorts need (date window, casefolded names, a search text), so a list request filters
in memory instead of parsing every stored record. Every write the app makes refreshes
the view, and so does a write by another process (``khabar ingest`` or ``watch`` on a
shared PostgreSQL, the ``--watch`` child): the store's change token is polled, at most
once per ``poll`` seconds, before a cached view is used. The store's connection is not
safe across threads, so every read of the store goes through one lock.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, Field, field_validator, model_validator

from ..extract.actors import ActorDictionary, load_actors
from ..records import Arrest, EventType, Incident, Statement, StatementType
from ..store import Store

__all__ = [
    "Catalog",
    "IncidentFilter",
    "IncidentRow",
    "StatementFilter",
    "aggregate",
    "period_of",
]

Interval = Literal["week", "month", "quarter"]
GroupBy = Literal["country", "admin1", "actor", "nationality", "event_type"]
IncidentSort = Literal["date", "-date", "fatalities", "-fatalities", "sources", "-sources"]

T = TypeVar("T")


class IncidentFilter(BaseModel):
    """Which incidents a list, map, timeline or aggregate covers; every filter optional."""

    since: dt.date | None = Field(None, description="on or after this day (YYYY-MM-DD)")
    until: dt.date | None = Field(None, description="on or before this day (YYYY-MM-DD)")
    country: str | None = Field(
        None, pattern=r"^[A-Za-z]{2}$", description="ISO 3166-1 alpha-2 code, e.g. PK"
    )
    admin1: str | None = Field(None, max_length=100, description="province, any case")
    event_type: list[EventType] | None = Field(None, description="one or more event types")
    nationality: str | None = Field(
        None, pattern=r"^[A-Za-z]{2}$", description="victims of this nationality (ISO code)"
    )
    actor: str | None = Field(
        None, max_length=100, description="claimed by or alleged against (name or alias)"
    )
    min_fatalities: int | None = Field(None, ge=0, description="best fatality estimate ≥")
    suicide: bool | None = Field(None, description="only suicide (or non-suicide) attacks")
    q: str | None = Field(
        None, max_length=200, description="text search: places, target, actors, evidence quotes"
    )
    review: bool | None = Field(
        None, description="only incidents to review (true: values or sources disagree) or clean"
    )
    mentioned: bool = Field(
        False,
        description="also incidents only passing mentions know (status 'mentioned'), "
        "left out of lists, maps and aggregates otherwise",
    )

    @field_validator("country", "nationality")
    @classmethod
    def _upper(cls, value: str | None) -> str | None:
        return value.upper() if value else value

    @field_validator("admin1", "actor", "q")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        return value.strip() or None if value is not None else None

    @model_validator(mode="after")
    def _window_is_ordered(self) -> IncidentFilter:
        if self.since and self.until and self.until < self.since:
            raise ValueError(f"until ({self.until}) is before since ({self.since})")
        return self


class StatementFilter(BaseModel):
    """Which statements a list or the network covers; every filter optional."""

    source: str | None = Field(None, max_length=100, description="source actor, name or alias")
    target: str | None = Field(None, max_length=100, description="target actor, name or alias")
    type: list[StatementType] | None = Field(None, description="one or more statement types")
    since: dt.date | None = Field(None, description="said on or after this day")
    until: dt.date | None = Field(None, description="said on or before this day")
    about: str | None = Field(None, max_length=40, description="about this incident id")

    @model_validator(mode="after")
    def _window_is_ordered(self) -> StatementFilter:
        if self.since and self.until and self.until < self.since:
            raise ValueError(f"until ({self.until}) is before since ({self.since})")
        return self


@dataclass(frozen=True)
class IncidentRow:
    """An incident with what filtering and sorting it needs, computed once."""

    incident: Incident
    earliest: dt.date | None
    latest: dt.date | None
    precision: str
    fatalities: int | None
    actors: frozenset[str]
    """casefolded canonical names of the claimant and the accused"""
    nationalities: frozenset[str]
    search: str
    reports: int

    @property
    def id(self) -> str:
        return self.incident.id


class Catalog:
    """The app's read model over one store."""

    def __init__(
        self, store: Store, *, actors: ActorDictionary | None = None, poll: float = 1.0
    ) -> None:
        self.store = store
        self.actors = actors or load_actors()
        self._lock = threading.RLock()
        self._incidents: list[IncidentRow] | None = None
        self._by_id: dict[str, IncidentRow] = {}
        self._statements: list[Statement] | None = None
        self._arrests: list[Arrest] | None = None
        self.generation = 0
        self.poll = poll
        self._token = store.change_token()
        self._checked = time.monotonic()

    @property
    def guard(self) -> threading.RLock:
        """The lock every use of the store takes (``--watch`` calls go through it too)."""
        return self._lock

    @contextmanager
    def locked(self) -> Iterator[Store]:
        """The store, for the calling thread alone."""
        with self._lock:
            yield self.store

    def refresh(self) -> None:
        """Forget the cached view (after a write)."""
        with self._lock:
            self._incidents = None
            self._statements = None
            self._arrests = None
            self.generation += 1
            self._token = self.store.change_token()
            self._checked = time.monotonic()

    def _current(self) -> None:
        """Refresh when another process wrote since the last look (called locked)."""
        if time.monotonic() - self._checked < self.poll:
            return
        token = self.store.change_token()
        self._checked = time.monotonic()
        if token != self._token:
            self.refresh()

    # -- incidents -------------------------------------------------------------------

    def incidents(self) -> list[IncidentRow]:
        with self._lock:
            self._current()
            if self._incidents is None:
                rows = [self._row(event) for event in self.store.iter_events()]
                self._incidents = rows
                self._by_id = {row.id: row for row in rows}
            return self._incidents

    def incident(self, event_id: str) -> IncidentRow | None:
        self.incidents()
        return self._by_id.get(event_id)

    def renamed(self, event_id: str) -> str | None:
        """Where an incident id that no longer exists went, if anywhere.

        An event's id is the hash of its first mention, so a merge, a split or a rebuild
        that changes the first mention renames it. Every id an event ever had is the hash
        of one of the mentions, so the mention is found again and its event is the
        answer (None when no stored mention hashes to the id).
        """
        from ..resolve._merge import event_id as id_of

        with self._lock:
            links = self.store.resolution_links()
        for mention, (current, _, _) in links.items():
            if id_of(mention) == event_id:
                return current if current != event_id else None
        return None

    def filter_incidents(self, wanted: IncidentFilter) -> list[IncidentRow]:
        actor = self.canonical(wanted.actor) if wanted.actor else None
        admin1 = wanted.admin1.casefold() if wanted.admin1 else None
        types = set(wanted.event_type or ())
        query = wanted.q.casefold() if wanted.q else None
        found = []
        for row in self.incidents():
            incident, where = row.incident, row.incident.location
            if incident.status == "mentioned" and not wanted.mentioned:
                continue
            if wanted.review is not None and bool(incident.review) is not wanted.review:
                continue
            if wanted.since and (row.latest is None or row.latest < wanted.since):
                continue
            if wanted.until and (row.earliest is None or row.earliest > wanted.until):
                continue
            if wanted.country and (where is None or where.country != wanted.country):
                continue
            if admin1 and (where is None or (where.admin1 or "").casefold() != admin1):
                continue
            if types and incident.event_type not in types:
                continue
            if wanted.nationality and wanted.nationality not in row.nationalities:
                continue
            if actor and actor not in row.actors:
                continue
            if wanted.min_fatalities is not None and (
                row.fatalities is None or row.fatalities < wanted.min_fatalities
            ):
                continue
            if wanted.suicide is not None and incident.suicide is not wanted.suicide:
                continue
            if query and query not in row.search:
                continue
            found.append(row)
        return found

    @staticmethod
    def sort_incidents(rows: list[IncidentRow], order: IncidentSort) -> list[IncidentRow]:
        """Sorted; unknown values (no date, no toll) go last either way."""
        key: Callable[[IncidentRow], Any]
        name = order.lstrip("-")
        if name == "date":
            key = lambda r: r.earliest  # noqa: E731
        elif name == "fatalities":
            key = lambda r: r.fatalities  # noqa: E731
        else:
            key = lambda r: len(r.incident.sources)  # noqa: E731
        known = sorted(
            (r for r in rows if key(r) is not None),
            key=lambda r: (key(r), r.id),
            reverse=order.startswith("-"),
        )
        return known + sorted((r for r in rows if key(r) is None), key=lambda r: r.id)

    def _row(self, incident: Incident) -> IncidentRow:
        date, where = incident.date, incident.location
        actors: set[str] = set()
        words: list[str] = [incident.event_type.replace("_", " "), incident.target or ""]
        if incident.perpetrator:
            names = [incident.perpetrator.claimed_by] + [
                a.actor for a in incident.perpetrator.alleged
            ]
            for name in filter(None, names):
                actors.add(self.canonical(name) or name.casefold())
                words.append(name)
        if where:
            words += [where.place or "", where.admin2 or "", where.admin1 or ""]
            words.append(where.country or "")
        words += [e.quote for e in incident.evidence]
        return IncidentRow(
            incident=incident,
            earliest=date.earliest if date else None,
            latest=date.latest if date else None,
            precision=date.precision if date else "unknown",
            fatalities=incident.fatalities.best if incident.fatalities else None,
            actors=frozenset(actors),
            nationalities=frozenset(v.nationality for v in incident.victims),
            search=" ".join(words).casefold(),
            reports=sum(1 for s in incident.sources if s.role == "report"),
        )

    # -- statements and arrests ------------------------------------------------------

    def statements(self) -> list[Statement]:
        """Every statement, ``about`` pointing at the resolved incident (as exported)."""
        with self._lock:
            self._current()
            if self._statements is None:
                self._statements, self._arrests = self._repointed()
            return self._statements

    def arrests(self) -> list[Arrest]:
        with self._lock:
            self._current()
            if self._arrests is None:
                self._statements, self._arrests = self._repointed()
            return self._arrests

    def _repointed(self) -> tuple[list[Statement], list[Arrest]]:
        from ..pipeline import repointed_records

        statements: list[Statement] = repointed_records(self.store, "statement")  # type: ignore[assignment]
        arrests: list[Arrest] = repointed_records(self.store, "arrest")  # type: ignore[assignment]
        statements.sort(key=lambda s: ((s.date.value if s.date else None) or "", s.id))
        statements.reverse()
        return statements, arrests

    def filter_statements(self, wanted: StatementFilter) -> list[Statement]:
        source = self.canonical(wanted.source) if wanted.source else None
        target = self.canonical(wanted.target) if wanted.target else None
        types = set(wanted.type or ())
        found = []
        for statement in self.statements():
            if types and statement.type not in types:
                continue
            if source and statement.source.name.casefold() != source:
                continue
            if target and (statement.target is None or statement.target.name.casefold() != target):
                continue
            if wanted.about and statement.about != wanted.about:
                continue
            earliest = statement.date.earliest if statement.date else None
            latest = statement.date.latest if statement.date else None
            if wanted.since and (latest is None or latest < wanted.since):
                continue
            if wanted.until and (earliest is None or earliest > wanted.until):
                continue
            found.append(statement)
        return found

    # -- actors ----------------------------------------------------------------------

    def canonical(self, name: str | None) -> str | None:
        """The casefolded canonical name an actor name or alias stands for."""
        if not name:
            return None
        actor = self.actors.lookup(name)
        return (self.actors.canonical(actor).name if actor else name).casefold()

    def actor_counts(self) -> dict[str, Counter[str]]:
        """canonical name (as recorded) -> role -> how many records give it that role."""
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        for row in self.incidents():
            perpetrator = row.incident.perpetrator
            if perpetrator is None or row.incident.status == "mentioned":
                continue  # an attack only mentioned in passing is no reported incident
            if perpetrator.claimed_by:
                counts[perpetrator.claimed_by]["claimed"] += 1
            for allegation in perpetrator.alleged:
                counts[allegation.actor]["accused_of_attack"] += 1
        for statement in self.statements():
            counts[statement.source.name]["said"] += 1
            if statement.target is not None:
                counts[statement.target.name]["addressed"] += 1
        for arrest in self.arrests():
            if arrest.actor is not None:
                counts[arrest.actor.name]["arrested"] += 1
        return counts


def period_of(day: dt.date, interval: Interval) -> str:
    """The period a day falls in: the Monday of its ISO week, ``2025-03`` or ``2025-Q1``."""
    if interval == "week":
        return (day - dt.timedelta(days=day.weekday())).isoformat()
    if interval == "month":
        return f"{day.year:04d}-{day.month:02d}"
    return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"


def _fits(row: IncidentRow, interval: Interval) -> bool:
    """Whether the incident's date is precise enough to place in one period."""
    if row.earliest is None or row.latest is None:
        return False
    return period_of(row.earliest, interval) == period_of(row.latest, interval)


def _groups(row: IncidentRow, by: GroupBy | None) -> Iterable[str | None]:
    incident, where = row.incident, row.incident.location
    if by is None:
        return [None]
    if by == "country":
        return [where.country if where else None]
    if by == "admin1":
        return [f"{where.country}/{where.admin1}" if where and where.admin1 else None]
    if by == "event_type":
        return [incident.event_type]
    if by == "nationality":
        return sorted(row.nationalities) or [None]
    perpetrator = incident.perpetrator
    names = (
        {perpetrator.claimed_by, *(a.actor for a in perpetrator.alleged)} - {None}
        if perpetrator
        else set()
    )
    return sorted(names) or [None]  # type: ignore[type-var]


def aggregate(
    rows: Iterable[IncidentRow], interval: Interval, by: GroupBy | None = None
) -> tuple[list[dict[str, Any]], int]:
    """Incidents, fatalities and injured per period (and group).

    An incident whose date spans more than one period (a month-precision date in a
    weekly series, or no date) is not placed; how many were left out is returned with
    the series so a chart can say so. With ``by=actor`` or ``nationality`` an incident
    counts once in each of its groups.

    Returns:
        (series sorted by period then group, incidents left out).
    """
    cells: dict[tuple[str, str | None], dict[str, Any]] = {}
    left_out = 0
    for row in rows:
        if not _fits(row, interval):
            left_out += 1
            continue
        period = period_of(row.earliest, interval)  # type: ignore[arg-type]
        for group in _groups(row, by):
            cell = cells.setdefault(
                (period, group),
                {"period": period, "group": group, "incidents": 0, "fatalities": 0, "injured": 0},
            )
            cell["incidents"] += 1
            cell["fatalities"] += row.fatalities or 0
            injured = row.incident.injured
            cell["injured"] += (injured.best or 0) if injured else 0
    series = sorted(cells.values(), key=lambda c: (c["period"], c["group"] or ""))
    return series, left_out
