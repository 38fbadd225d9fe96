"""The report's map and charts, drawn with matplotlib (no pyplot, no display) and
returned as ``data:image/png;base64,...`` URIs to inline in the page.

The map draws the country and province outlines shipped in ``khabar/data/boundaries``
(Natural Earth, simplified) in plain longitude/latitude, its aspect corrected for the
latitude, with one circle per incident sized by fatalities and coloured by type.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import math
from collections import defaultdict
from functools import lru_cache
from importlib import resources
from typing import Any

from ..records import Incident

__all__ = ["TYPE_COLOURS", "bars", "incident_map", "timeline"]

TYPE_COLOURS = {
    "bombing": "#c0392b",
    "drone_strike": "#8e44ad",
    "air_strike": "#6c3483",
    "armed_assault": "#d35400",
    "assassination": "#7f8c8d",
    "kidnapping": "#2471a3",
    "hijacking": "#1abc9c",
    "clash": "#b7950b",
    "other_attack": "#566573",
}
_DPI = 110
MAP_LABELS = 15


def _figure(width: float, height: float) -> Any:
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=_DPI, layout="constrained")
    return figure


def _png(figure: Any) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=_DPI, facecolor="white")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


@lru_cache(maxsize=2)
def _outlines(name: str) -> list[tuple[dict[str, Any], list[list[list[float]]]]]:
    """(properties, rings) of each feature of a boundaries file."""
    text = resources.files("khabar.data").joinpath("boundaries", name).read_text("utf-8")
    found = []
    for feature in json.loads(text)["features"]:
        geometry = feature["geometry"]
        polygons = (
            [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        )
        rings = [ring for polygon in polygons for ring in polygon]
        found.append((feature["properties"], rings))
    return found


def _extent(points: list[tuple[float, float]], country: str | None) -> tuple[float, ...]:
    """(west, east, south, north): the incidents with a margin, else the country, else the
    theatre (Pakistan, Afghanistan, Tajikistan)."""
    if not points:
        codes = {country} if country else {"PK", "AF", "TJ"}
        points = [
            (x, y)
            for props, rings in _outlines("countries.geojson")
            if props.get("iso") in codes
            for ring in rings
            for x, y in ring
        ] or [(60.0, 24.0), (75.0, 41.0)]
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    west, east, south, north = min(xs), max(xs), min(ys), max(ys)
    span = max(east - west, north - south, 6.0)
    cx, cy = (west + east) / 2, (south + north) / 2
    half = span / 2 + 1.0
    return cx - half * 1.25, cx + half * 1.25, cy - half, cy + half


def incident_map(incidents: list[Incident], country: str | None = None) -> str:
    """The period's incidents on the outlines; a PNG data URI."""
    from matplotlib.lines import Line2D

    located = [
        i
        for i in incidents
        if i.location and i.location.lat is not None and i.location.lon is not None
    ]
    points = [(i.location.lon, i.location.lat) for i in located]  # type: ignore[union-attr]
    west, east, south, north = _extent(points, country)  # type: ignore[misc]
    figure = _figure(9.0, 7.0)
    ax = figure.subplots()
    ax.set_facecolor("#dfeaf2")
    for _, rings in _outlines("countries.geojson"):
        for ring in rings:
            ax.fill(*zip(*ring, strict=True), facecolor="#f7f4ec", edgecolor="none")
    for _, rings in _outlines("admin1.geojson"):
        for ring in rings:
            ax.plot(*zip(*ring, strict=True), color="#c4bfb1", linewidth=0.4)
    for props, rings in _outlines("countries.geojson"):
        for ring in rings:
            ax.plot(*zip(*ring, strict=True), color="#555555", linewidth=0.9)
        _label_country(ax, props.get("iso"), rings, (west, east, south, north))
    by_toll = sorted(located, key=lambda i: -((i.fatalities.best or 0) if i.fatalities else 0))
    for rank, incident in enumerate(by_toll):
        where = incident.location
        killed = (incident.fatalities.best or 0) if incident.fatalities else 0
        ax.scatter(
            [where.lon],  # type: ignore[union-attr]
            [where.lat],  # type: ignore[union-attr]
            s=40 + 30 * math.sqrt(killed),
            color=TYPE_COLOURS.get(incident.event_type, "#566573"),
            edgecolor="black",
            linewidth=0.6,
            alpha=0.85,
            zorder=3,
        )
        label = where.place or where.admin2 or where.admin1  # type: ignore[union-attr]
        if label and rank < MAP_LABELS:  # the deadliest only: more would hide the map
            ax.annotate(
                label,
                (where.lon, where.lat),  # type: ignore[union-attr]
                xytext=(6, 4),
                textcoords="offset points",
                fontsize=8,
                zorder=4,
            )
    ax.set_xlim(west, east)
    ax.set_ylim(south, north)
    ax.set_aspect(1 / math.cos(math.radians((south + north) / 2)))
    ax.tick_params(labelsize=7)
    types = sorted({i.event_type for i in located})
    if types:
        handles = [
            Line2D(
                [],
                [],
                marker="o",
                linestyle="",
                color=TYPE_COLOURS.get(t, "#566573"),
                markeredgecolor="black",
                label=t.replace("_", " "),
            )
            for t in types
        ]
        ax.legend(
            handles=handles,
            loc="lower left",
            fontsize=8,
            framealpha=0.9,
            title="circle area: killed",
            title_fontsize=8,
        )
    else:
        ax.text(
            0.5,
            0.5,
            "no incident with coordinates in this period",
            transform=ax.transAxes,
            ha="center",
            fontsize=11,
            color="#444444",
        )
    return _png(figure)


def _label_country(ax: Any, code: str | None, rings: list, box: tuple[float, ...]) -> None:
    if not code or not rings:
        return
    ring = max(rings, key=len)
    x = sum(p[0] for p in ring) / len(ring)
    y = sum(p[1] for p in ring) / len(ring)
    west, east, south, north = box
    if west < x < east and south < y < north:
        ax.text(
            x,
            y,
            code,
            fontsize=11,
            color="#8a8577",
            ha="center",
            va="center",
            zorder=2,
            fontweight="bold",
        )


def _bucket(day: dt.date, size: str) -> dt.date:
    if size == "day":
        return day
    if size == "week":
        return day - dt.timedelta(days=day.weekday())
    return day.replace(day=1)


def timeline(incidents: list[Incident], since: dt.date, until: dt.date) -> tuple[str, str]:
    """Incidents (bars) and fatalities (line) per day, week or month; (URI, unit)."""
    days = (until - since).days + 1
    size = "day" if days <= 31 else "week" if days <= 183 else "month"
    counts: dict[dt.date, list[int]] = defaultdict(lambda: [0, 0])
    for incident in incidents:
        if incident.date and incident.date.earliest:
            cell = counts[_bucket(incident.date.earliest, size)]
            cell[0] += 1
            cell[1] += (incident.fatalities.best or 0) if incident.fatalities else 0
    periods = []
    cursor = _bucket(since, size)
    while cursor <= until:
        periods.append(cursor)
        if size == "day":
            cursor += dt.timedelta(days=1)
        elif size == "week":
            cursor += dt.timedelta(days=7)
        else:
            cursor = (cursor.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    figure = _figure(9.0, 3.2)
    ax = figure.subplots()
    xs = list(range(len(periods)))
    ax.bar(xs, [counts[p][0] for p in periods], color="#5d6d7e", label="incidents")
    ax.set_ylabel("incidents", fontsize=9)
    ax.yaxis.get_major_locator().set_params(integer=True)
    other = ax.twinx()
    other.plot(
        xs,
        [counts[p][1] for p in periods],
        color="#c0392b",
        marker="o",
        markersize=3,
        linewidth=1.5,
        label="killed",
    )
    other.set_ylabel("killed", fontsize=9, color="#c0392b")
    other.yaxis.get_major_locator().set_params(integer=True)
    other.set_ylim(bottom=0)
    step = max(1, len(periods) // 12)
    ax.set_xticks(xs[::step])
    form = "%b %Y" if size == "month" else "%d %b"
    ax.set_xticklabels([p.strftime(form) for p in periods[::step]], fontsize=8, rotation=0)
    ax.set_title(f"Incidents and killed per {size}", fontsize=10, loc="left")
    ax.tick_params(labelsize=8)
    other.tick_params(labelsize=8)
    return _png(figure), size


def bars(rows: list[tuple[str, int, int]], labels: tuple[str, str], title: str) -> str:
    """Horizontal bars, two series per row (incidents and killed, or claimed and accused)."""
    rows = rows[:12]
    figure = _figure(4.6, 0.45 * max(len(rows), 2) + 1.2)
    ax = figure.subplots()
    names = [r[0] for r in rows][::-1]
    first = [r[1] for r in rows][::-1]
    second = [r[2] for r in rows][::-1]
    ys = list(range(len(rows)))
    ax.barh([y + 0.2 for y in ys], first, height=0.4, color="#5d6d7e", label=labels[0])
    ax.barh([y - 0.2 for y in ys], second, height=0.4, color="#c0392b", label=labels[1])
    for y, a, b in zip(ys, first, second, strict=True):
        for value, offset in ((a, 0.2), (b, -0.2)):
            if value:
                ax.text(value, y + offset, f" {value}", va="center", fontsize=7)
    ax.set_yticks(ys)
    ax.set_yticklabels(names, fontsize=8)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.tick_params(axis="x", labelsize=7)
    ax.set_title(title, fontsize=10, loc="left")
    ax.legend(fontsize=7, loc="lower right")
    ax.margins(x=0.15)
    return _png(figure)
