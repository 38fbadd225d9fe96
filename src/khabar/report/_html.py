"""The report page: a Jinja2 template (autoescaped) filled with the data and the charts.

Only http(s) URLs become links; everything else from an article is text. A
Content-Security-Policy meta tag allows images from ``data:`` URIs and the inline
stylesheet only, so the file can load nothing from anywhere.
"""

from __future__ import annotations

import re
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from ..records import Incident, Statement
from . import _charts
from ._data import ReportData

__all__ = ["render"]

_HTTP = re.compile(r"^https?://", re.IGNORECASE)


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("khabar.report", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["http"] = lambda url: url if url and _HTTP.match(url) else None
    return env


def change(current: int, previous: int) -> dict[str, Any]:
    """How a figure moved against the previous period."""
    delta = current - previous
    if delta == 0:
        return {"text": "no change", "direction": "same"}
    percent = f" ({delta / previous:+.0%})" if previous else ""
    return {"text": f"{delta:+d}{percent}", "direction": "up" if delta > 0 else "down"}


def _place(incident: Incident) -> str:
    where = incident.location
    if where is None:
        return "unknown"
    parts = [where.place or where.admin2, where.admin1, where.country]
    return ", ".join(dict.fromkeys(p for p in parts if p)) or "unknown"


def _count(value: Any) -> str:
    if value is None or value.best is None:
        return "–"
    spread = {value.low, value.best, value.high} - {None}
    if len(spread) > 1:
        return f"{value.best} ({min(spread)}–{max(spread)})"
    return str(value.best)


def _incident_row(incident: Incident, data: ReportData) -> dict[str, Any]:
    perpetrator = incident.perpetrator
    alleged = []
    for allegation in perpetrator.alleged if perpetrator else ():
        by = f" (by {allegation.by})" if allegation.by else ""
        alleged.append(f"{allegation.actor}{by}")
    base = data.options.base_url
    return {
        "id": incident.id,
        "link": f"{base}/incidents/{incident.id}" if base else None,
        "date": incident.date.value if incident.date and incident.date.value else "undated",
        "type": incident.event_type.replace("_", " ") + (" (suicide)" if incident.suicide else ""),
        "colour": _charts.TYPE_COLOURS.get(incident.event_type, "#566573"),
        "place": _place(incident),
        "precision": incident.location.precision if incident.location else "unknown",
        "killed": _count(incident.fatalities),
        "injured": _count(incident.injured),
        "victims": ", ".join(
            f"{v.count if v.count is not None else '?'} {v.nationality}" for v in incident.victims
        ),
        "target": incident.target,
        "claimed": perpetrator.claimed_by if perpetrator else None,
        "alleged": "; ".join(alleged),
        "sources": sorted({data.source_numbers[s.article_id] for s in incident.sources}),
    }


def _statement_row(statement: Statement, data: ReportData) -> dict[str, Any]:
    quote = next((e.quote for e in statement.evidence), "")
    return {
        "date": statement.date.value if statement.date and statement.date.value else "undated",
        "type": statement.type.replace("_", " ").lower(),
        "source": statement.source.name,
        "speaker": statement.source.speaker
        if statement.source.speaker and statement.source.speaker != statement.source.name
        else None,
        "target": statement.target.name if statement.target else None,
        "quote": quote if len(quote) <= 400 else quote[:399] + "…",
        "about": statement.about,
        "sources": sorted({data.source_numbers[s.article_id] for s in statement.sources}),
    }


def render(data: ReportData) -> str:
    """The whole page."""
    options = data.options
    charts: dict[str, Any] = {}
    if data.incidents:
        charts["map"] = _charts.incident_map(data.incidents, options.country)
        charts["timeline"], charts["unit"] = _charts.timeline(
            data.incidents, options.since, options.until
        )
        charts["provinces"] = _charts.bars(data.by_province, ("incidents", "killed"), "By province")
        if data.by_actor:
            charts["actors"] = _charts.bars(
                data.by_actor, ("claimed", "accused of"), "By actor (incidents)"
            )
    current, previous = data.current, data.previous
    headline = [
        ("incidents", current.incidents, previous.incidents),
        ("killed", current.fatalities, previous.fatalities),
        ("injured", current.injured, previous.injured),
        ("foreign nationals killed", current.foreign_killed, previous.foreign_killed),
        ("statements", current.statements, previous.statements),
    ]
    scope = data.country_name or "all countries"
    title = (
        options.title
        or f"Situation report: {scope}, {options.since:%d %b %Y} – {options.until:%d %b %Y}"
    )
    return (
        _environment()
        .get_template("report.html")
        .render(
            title=title,
            scope=scope,
            data=data,
            options=options,
            previous_period=options.previous,
            headline=[
                {"label": label, "value": now, "before": then, "change": change(now, then)}
                for label, now, then in headline
            ],
            charts=charts,
            incidents=[_incident_row(i, data) for i in data.incidents],
            statements=[_statement_row(s, data) for s in data.statements],
        )
    )
