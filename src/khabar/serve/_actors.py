"""Actor pages: what one actor claimed, what it is accused of, what it said and what was
said to it, and all of that over time (``/api/actors/{name}/activity`` and ``/actors/{name}``).

The name may hold a slash (names come from articles), so the routes take it as a path.
An actor is matched by its canonical name (the dictionary's, or the name as recorded), so
an alias or another case of the name finds the same records.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field

from ..records import Statement
from ._api import ActorSummary, CatalogDep, _known_parameters, get_actor, require_read
from ._catalog import Catalog, IncidentRow, Interval, period_of
from ._pages import _can_read, _page

__all__ = ["activity_of", "actor_pages", "actors_api"]

actors_api = APIRouter(
    prefix="/api", dependencies=[Depends(require_read), Depends(_known_parameters)]
)
actor_pages = APIRouter(include_in_schema=False)


class IncidentBrief(BaseModel):
    """An incident as an actor's page lists it."""

    id: str
    date: str | None
    event_type: str
    place: str | None
    fatalities: int | None
    claimed_by: str | None
    alleged_by: list[str | None] = Field(
        default_factory=list, description="who made each allegation against this actor"
    )
    review: bool


class ActivityCell(BaseModel):
    period: str
    claimed: int = 0
    alleged: int = 0
    said: int = 0
    addressed: int = 0


class Activity(BaseModel):
    actor: ActorSummary
    interval: Interval
    claimed: list[IncidentBrief] = Field(description="incidents it claimed, newest first")
    alleged: list[IncidentBrief] = Field(description="incidents it is accused of")
    said: list[Statement] = Field(description="statements it made, newest first")
    addressed: list[Statement] = Field(description="statements aimed at it")
    series: list[ActivityCell] = Field(
        description="counts per period; a statement with no date of its own counts at "
        "its article's publication day"
    )
    left_out: int = Field(description="records whose date does not fit one period")
    reported: dict[str, dt.date] = Field(
        description="statement id -> the day its first article was published, for "
        "statements with no date of their own"
    )


@actors_api.get(
    "/actors/{name:path}/activity",
    response_model=Activity,
    tags=["actors"],
    responses={404: {"description": "unknown actor"}},
)
def actor_activity(
    name: str,
    cat: CatalogDep,
    interval: Annotated[Interval, Query(description="week, month or quarter")] = "month",
) -> dict[str, Any]:
    """Claims, allegations against it, its statements and those aimed at it, over time."""
    return activity_of(cat, name, interval)


@actor_pages.get(
    "/actors/{name:path}", response_class=HTMLResponse, dependencies=[Depends(_can_read)]
)
def actor_page(name: str, request: Request) -> HTMLResponse:
    found = activity_of(request.app.state.catalog, name, "month")
    actor = found["actor"]
    return _page(
        request,
        "actor.html",
        title=f"khabar: {actor.name}",
        actor=actor,
        found=found,
        api=f"/api/actors/{quote(actor.name, safe='')}/activity",
    )


def activity_of(cat: Catalog, name: str, interval: Interval) -> dict[str, Any]:
    """Everything the records say about one actor; 404 when neither the dictionary nor
    the records know it."""
    actor = get_actor(name, cat)
    key = cat.canonical(actor.name)
    claimed: list[IncidentRow] = []
    alleged: list[tuple[IncidentRow, list[str | None]]] = []
    for row in cat.incidents():
        perpetrator = row.incident.perpetrator
        if perpetrator is None or row.incident.status == "mentioned":
            continue
        if perpetrator.claimed_by and cat.canonical(perpetrator.claimed_by) == key:
            claimed.append(row)
        by = [a.by for a in perpetrator.alleged if cat.canonical(a.actor) == key]
        if by:
            alleged.append((row, by))
    said = [s for s in cat.statements() if cat.canonical(s.source.name) == key]
    addressed = [s for s in cat.statements() if s.target and cat.canonical(s.target.name) == key]
    newest = Catalog.sort_incidents
    claimed = newest(claimed, "-date")
    order = {row.id: i for i, row in enumerate(newest([r for r, _ in alleged], "-date"))}
    alleged.sort(key=lambda pair: order[pair[0].id])
    undated = [s for s in said + addressed if s.date is None or not s.date.earliest]
    reported = _reported(cat, undated)
    series, left_out = _series(
        interval, claimed, [r for r, _ in alleged], said, addressed, reported
    )
    return {
        "actor": actor,
        "interval": interval,
        "claimed": [_brief(row) for row in claimed],
        "alleged": [_brief(row, by) for row, by in alleged],
        "said": said,
        "addressed": addressed,
        "series": series,
        "left_out": left_out,
        "reported": reported,
    }


def _reported(cat: Catalog, statements: list[Statement]) -> dict[str, dt.date]:
    """statement id -> the earliest publication day of the articles it was read from."""
    wanted = {s.id: [src.article_id for src in s.sources] for s in statements}
    ids = sorted({i for found in wanted.values() for i in found})
    if not ids:
        return {}
    with cat.locked() as store:
        published = {a.id: a.published for a in store.get_articles(ids) if a.published}
    days = {
        sid: min(published[i] for i in found if i in published)
        for sid, found in wanted.items()
        if any(i in published for i in found)
    }
    return days


def _brief(row: IncidentRow, alleged_by: list[str | None] | None = None) -> IncidentBrief:
    incident, where = row.incident, row.incident.location
    place = None
    if where:
        names = [where.place or where.admin2, where.admin1, where.country]
        place = ", ".join(dict.fromkeys(n for n in names if n)) or None
    return IncidentBrief(
        id=incident.id,
        date=incident.date.value if incident.date else None,
        event_type=incident.event_type,
        place=place,
        fatalities=row.fatalities,
        claimed_by=incident.perpetrator.claimed_by if incident.perpetrator else None,
        alleged_by=alleged_by or [],
        review=bool(incident.review),
    )


def _series(
    interval: Interval,
    claimed: list[IncidentRow],
    alleged: list[IncidentRow],
    said: list[Statement],
    addressed: list[Statement],
    reported: dict[str, dt.date],
) -> tuple[list[dict[str, Any]], int]:
    """Counts per period of each kind of record; a record whose date spans more than one
    period (or is unknown) is left out and counted. A statement with no date of its own is
    placed at the day its first article was published (``reported``), when known."""
    cells: dict[str, dict[str, Any]] = {}
    left_out = 0

    def place(field: str, earliest: dt.date | None, latest: dt.date | None) -> None:
        nonlocal left_out
        if earliest is None or latest is None:
            left_out += 1
            return
        period = period_of(earliest, interval)
        if period != period_of(latest, interval):
            left_out += 1
            return
        cell = cells.setdefault(period, ActivityCell(period=period).model_dump())
        cell[field] += 1

    for field, rows in (("claimed", claimed), ("alleged", alleged)):
        for row in rows:
            place(field, row.earliest, row.latest)
    for field, statements in (("said", said), ("addressed", addressed)):
        for statement in statements:
            date = statement.date
            if date and date.earliest:
                place(field, date.earliest, date.latest)
            else:
                day = reported.get(statement.id)
                place(field, day, day)
    return sorted(cells.values(), key=lambda c: c["period"]), left_out
