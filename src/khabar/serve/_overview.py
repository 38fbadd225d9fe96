"""What the dashboard's overview draws besides the list: the map's labels and totals by group.

Labels come from khabar's own data, never from a tile server: country and province names
sit at a point inside their outline (``data/boundaries``), and towns come from the curated
gazetteer with their population, which decides from which zoom level a town is named.
Totals are the filtered incidents per province, actor or type over the whole window, so
the charts also count incidents whose date is too vague for one period of the timeline.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from itertools import pairwise
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from ._api import CatalogDep, _known_parameters, require_read
from ._catalog import GroupBy, IncidentFilter, IncidentRow, _groups

__all__ = ["label_point", "overview", "totals"]

overview = APIRouter(
    prefix="/api", dependencies=[Depends(require_read), Depends(_known_parameters)]
)

Ring = list[list[float]]
Metric = Literal["incidents", "fatalities"]

# The least population a town needs to be named at each zoom level (provinces show from 4).
_TOWN_ZOOMS = ((1_000_000, 5), (300_000, 6), (100_000, 7), (0, 8))


class Label(BaseModel):
    name: str
    country: str
    lat: float
    lon: float
    kind: Literal["country", "admin1", "town"]
    min_zoom: int = Field(description="the zoom level from which the map shows it")
    population: int | None = None


class Total(BaseModel):
    group: str | None = Field(description="null: incidents with no value for the group")
    incidents: int
    fatalities: int
    injured: int


class Totals(BaseModel):
    by: GroupBy
    total: int = Field(description="incidents counted (each once, whatever its groups)")
    groups: list[Total]


@overview.get("/map/labels", response_model=list[Label], tags=["incidents"])
def map_labels() -> list[Label]:
    """Country, province and town names for the offline map, with the zoom each needs."""
    return list(_labels())


@overview.get("/aggregates/totals", response_model=Totals, tags=["incidents"])
def aggregate_totals(
    cat: CatalogDep,
    wanted: Annotated[IncidentFilter, Query()],
    by: Annotated[GroupBy, Query(description="count per this")] = "admin1",
    order: Annotated[Metric, Query(description="largest first by this")] = "incidents",
) -> dict[str, Any]:
    """Incidents, fatalities and injured per group over the filtered incidents, dated or not."""
    rows = cat.filter_incidents(wanted)
    return {"by": by, "total": len(rows), "groups": totals(rows, by, order)}


def totals(rows: list[IncidentRow], by: GroupBy, order: Metric = "incidents") -> list[dict]:
    """One cell per group, largest first; an incident with several actors (or victims'
    nationalities) counts once in each."""
    cells: dict[str | None, dict[str, Any]] = {}
    for row in rows:
        injured = row.incident.injured
        for group in _groups(row, by):
            cell = cells.setdefault(
                group, {"group": group, "incidents": 0, "fatalities": 0, "injured": 0}
            )
            cell["incidents"] += 1
            cell["fatalities"] += row.fatalities or 0
            cell["injured"] += (injured.best or 0) if injured else 0
    return sorted(cells.values(), key=lambda c: (-c[order], c["group"] is None, c["group"] or ""))


# -- label points ---------------------------------------------------------------------


@lru_cache(maxsize=1)
def _labels() -> tuple[Label, ...]:
    from ..extract.gazetteer import load_gazetteer

    gazetteer = load_gazetteer(geonames=False)
    labels: list[Label] = []
    for props, polygons in _features("countries.geojson"):
        point = label_point(polygons)
        labels.append(
            Label(
                name=props["name"],
                country=props["iso"],
                lat=point[1],
                lon=point[0],
                kind="country",
                min_zoom=3,
            )
        )
    shown = {label.country for label in labels}
    stated = {
        (p.country, p.admin1): (p.lon, p.lat)
        for p in gazetteer.places.values()
        if p.kind == "admin1" and p.lat is not None and p.lon is not None
    }
    for props, polygons in _features("admin1.geojson"):
        hint = stated.get((props["country"], props["admin1"]))
        point = hint if hint and _inside(hint, polygons) else label_point(polygons)
        labels.append(
            Label(
                name=props["admin1"],
                country=props["country"],
                lat=point[1],
                lon=point[0],
                kind="admin1",
                min_zoom=4,
            )
        )
    seen: set[tuple[str, float, float]] = set()
    towns = sorted(
        (
            p
            for p in gazetteer.places.values()
            if p.kind == "place" and p.population and p.lat is not None and p.country in shown
        ),
        key=lambda p: (-(p.population or 0), p.name),
    )
    for place in towns:
        key = (place.country, round(place.lat or 0, 1), round(place.lon or 0, 1))
        if key in seen:  # one town under two spellings
            continue
        seen.add(key)
        population = place.population or 0
        zoom = next(z for least, z in _TOWN_ZOOMS if population >= least)
        labels.append(
            Label(
                name=place.name,
                country=place.country,
                lat=place.lat or 0.0,
                lon=place.lon or 0.0,
                kind="town",
                min_zoom=zoom,
                population=population,
            )
        )
    return tuple(labels)


def _features(name: str) -> list[tuple[dict[str, Any], list[list[Ring]]]]:
    """(properties, polygons as lists of rings) of each feature of a boundaries file."""
    text = resources.files("khabar.data").joinpath("boundaries", name).read_text("utf-8")
    found = []
    for feature in json.loads(text)["features"]:
        geometry = feature["geometry"]
        polygons = (
            [geometry["coordinates"]]
            if geometry["type"] == "Polygon"
            else list(geometry["coordinates"])
        )
        found.append((feature["properties"], polygons))
    return found


def label_point(polygons: list[list[Ring]]) -> tuple[float, float]:
    """A point well inside the largest polygon (lon, lat): its centroid when that lies
    inside, else the inside point of a grid over it that is farthest from its edge."""
    outer = max(polygons, key=lambda rings: abs(_area(rings[0])))
    centroid = _centroid(outer[0])
    if _inside(centroid, [outer]) and _clearance(centroid, outer) > 0.15 * _span(outer[0]):
        return centroid
    xs = [p[0] for p in outer[0]]
    ys = [p[1] for p in outer[0]]
    best, far = centroid, -1.0
    steps = 16
    for i in range(1, steps):
        for j in range(1, steps):
            point = (
                min(xs) + (max(xs) - min(xs)) * i / steps,
                min(ys) + (max(ys) - min(ys)) * j / steps,
            )
            if _inside(point, [outer]):
                clearance = _clearance(point, outer)
                if clearance > far:
                    best, far = point, clearance
    return (round(best[0], 3), round(best[1], 3))


def _area(ring: Ring) -> float:
    return (
        sum(ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1] for i in range(len(ring) - 1))
        / 2
    )


def _centroid(ring: Ring) -> tuple[float, float]:
    area = _area(ring)
    if not area:
        return (ring[0][0], ring[0][1])
    cx = cy = 0.0
    for (x0, y0), (x1, y1) in pairwise(ring):
        cross = x0 * y1 - x1 * y0
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    return (round(cx / (6 * area), 3), round(cy / (6 * area), 3))


def _span(ring: Ring) -> float:
    xs = [p[0] for p in ring]
    ys = [p[1] for p in ring]
    return min(max(xs) - min(xs), max(ys) - min(ys))


def _inside(point: tuple[float, float], polygons: list[list[Ring]]) -> bool:
    """Whether the point is in one of the polygons (and not in one of its holes)."""
    x, y = point
    for rings in polygons:
        crossings = 0
        for ring in rings:
            for (x0, y0), (x1, y1) in pairwise(ring):
                if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
                    crossings += 1
        if crossings % 2:
            return True
    return False


def _clearance(point: tuple[float, float], rings: list[Ring]) -> float:
    """The distance (degrees) from the point to the nearest edge of the rings."""
    x, y = point
    nearest = float("inf")
    for ring in rings:
        for (x0, y0), (x1, y1) in pairwise(ring):
            dx, dy = x1 - x0, y1 - y0
            t = ((x - x0) * dx + (y - y0) * dy) / (dx * dx + dy * dy) if dx or dy else 0.0
            t = max(0.0, min(1.0, t))
            nearest = min(nearest, ((x - x0 - t * dx) ** 2 + (y - y0 - t * dy) ** 2) ** 0.5)
    return nearest
