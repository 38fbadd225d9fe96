"""Watchlists against records: does this incident or statement concern the desk?"""

from __future__ import annotations

import math

from ..errors import UsageError
from ..extract.actors import ActorDictionary
from ..records import Incident, Statement
from ._config import NamedPlace, Watchlist

__all__ = ["Matcher", "distance_km", "is_mentioned_only"]

# A province's or a country's point is its centre or capital: it says nothing about how
# far an attack was from a site, so a radius tests only places and districts.
_NEAR_PRECISIONS = {"place", "admin2"}


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine, mean Earth radius 6371 km)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


def is_mentioned_only(incident: Incident) -> bool:
    """Resolution marks an incident known only from passing mentions ("mentioned"):
    it is background, not news, and never alerts."""
    return incident.status == "mentioned"


class Matcher:
    """One watchlist, its actor names resolved once through the actor dictionary.

    Raises:
        UsageError: an actor the watchlist names is not in the dictionary (it could
            never match: records name actors canonically).
    """

    def __init__(self, watchlist: Watchlist, actors: ActorDictionary) -> None:
        self.watchlist = watchlist
        self._actors = actors
        self._countries = set(watchlist.countries)
        self._admin1 = {name.casefold() for name in watchlist.admin1}
        self._admin2 = {name.casefold() for name in watchlist.admin2}
        self._types = set(watchlist.event_types)
        self._victims = set(watchlist.victims)
        self._wanted_actors = self._known(watchlist.actors, "actors")
        self._statement_types = set(watchlist.statement_types)
        self._sources = self._known(watchlist.statement_source, "statement_source")
        self._targets = self._known(watchlist.statement_target, "statement_target")

    def _known(self, names: list[str], key: str) -> set[str]:
        ids = set()
        for name in names:
            actor = self._actors.lookup(name)
            if actor is None:
                raise UsageError(
                    f"watchlist {self.watchlist.name!r}: {key} names {name!r}, which is not "
                    "in khabar's actor dictionary (data/actors.yaml)"
                )
            ids.add(self._actors.canonical(actor).id)
        return ids

    def _ids(self, name: str | None) -> set[str]:
        """The canonical actor a record's name stands for and the groups it belongs to
        (a watch on Islamic State sees its branches' attacks)."""
        if not name:
            return set()
        actor = self._actors.lookup(name)
        if actor is None:
            return {name.casefold()}
        actor = self._actors.canonical(actor)
        chain = [actor, *self._actors.ancestors(actor)]
        return {a.id for a in chain} | {self._actors.canonical(a).id for a in chain}

    def matches(self, record: object) -> bool:
        if isinstance(record, Incident):
            return self.watchlist.kind == "incident" and self._incident(record)
        if isinstance(record, Statement):
            return self.watchlist.kind == "statement" and self._statement(record)
        return False

    def _incident(self, incident: Incident) -> bool:
        if is_mentioned_only(incident):
            return False
        where = incident.location
        if self._countries and (where is None or where.country not in self._countries):
            return False
        if self._admin1 and (where is None or (where.admin1 or "").casefold() not in self._admin1):
            return False
        if self._admin2 and (where is None or (where.admin2 or "").casefold() not in self._admin2):
            return False
        if self.watchlist.near and not any(self._near(incident, p) for p in self.watchlist.near):
            return False
        if self._types and incident.event_type not in self._types:
            return False
        if self._victims and not any(v.nationality in self._victims for v in incident.victims):
            return False
        if self._wanted_actors:
            perpetrator = incident.perpetrator
            names = (
                [perpetrator.claimed_by, *(a.actor for a in perpetrator.alleged)]
                if perpetrator
                else []
            )
            found = set().union(*(self._ids(n) for n in names)) if names else set()
            if not found & self._wanted_actors:
                return False
        if self.watchlist.min_fatalities is not None:
            toll = incident.fatalities
            best = None if toll is None else (toll.best if toll.best is not None else toll.low)
            if best is None or best < self.watchlist.min_fatalities:
                return False
        return True

    @staticmethod
    def _near(incident: Incident, place: NamedPlace) -> bool:
        where = incident.location
        if where is None or where.lat is None or where.lon is None:
            return False
        if where.precision not in _NEAR_PRECISIONS:
            return False
        return distance_km(where.lat, where.lon, place.lat, place.lon) <= place.km

    def _statement(self, statement: Statement) -> bool:
        if self._statement_types and statement.type not in self._statement_types:
            return False
        if self._sources and not self._ids(statement.source.name) & self._sources:
            return False
        target = statement.target.name if statement.target else None
        return not (self._targets and not self._ids(target) & self._targets)
