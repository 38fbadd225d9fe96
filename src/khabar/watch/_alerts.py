"""Alerts: what a watchlist tells its notifiers about one record.

An alert fires once per incident or statement; it fires again, marked ``update``, when
an incident's figures change: its toll (killed, injured), its claimant or the precision
of its place. ``figures`` is what that is judged on, stored with the alert mark.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from typing import Any

from ..records import Count, Incident, Statement

__all__ = ["alert_body", "changed_figures", "figures_of", "summary_of"]

_VERBS = {
    "ACCUSE": "accused",
    "REJECT": "rejected",
    "REQUEST": "made a request of",
    "AGREE": "agreed with",
    "THREATEN": "threatened",
    "SUPPORT": "backed",
    "CLAIM_RESPONSIBILITY": "claimed responsibility",
}


def figures_of(record: Incident | Statement) -> dict[str, Any]:
    """The figures whose change makes an update (none for a statement)."""
    if not isinstance(record, Incident):
        return {}
    perpetrator = record.perpetrator
    return {
        "fatalities": _count(record.fatalities),
        "injured": _count(record.injured),
        "claimed_by": perpetrator.claimed_by if perpetrator else None,
        "place_precision": record.location.precision if record.location else "unknown",
    }


def _count(count: Count | None) -> list[int | None] | None:
    return None if count is None else [count.low, count.best, count.high]


def changed_figures(before: Mapping[str, Any], now: Mapping[str, Any]) -> list[str]:
    """The names of the figures that differ (JSON-equal values are the same)."""
    keys = sorted(set(before) | set(now))
    return [k for k in keys if json.dumps(before.get(k)) != json.dumps(now.get(k))]


def summary_of(record: Incident | Statement, countries: Mapping[str, str]) -> str:
    """One line a person reads first: what, where, when, how many, who."""
    if isinstance(record, Statement):
        return _statement_summary(record)
    parts = [record.event_type.replace("_", " ").capitalize()]
    if record.suicide:
        parts[0] = "Suicide " + parts[0].lower()
    where = record.location
    if where is not None:
        names = [where.place, where.admin2, where.admin1, countries.get(where.country or "")]
        place = ", ".join(dict.fromkeys(n for n in names if n))
        if place:
            parts.append(f"in {place}")
    if record.date is not None and record.date.value:
        parts.append(f"on {record.date.value}")
    line = " ".join(parts)
    tolls = []
    if record.fatalities is not None and record.fatalities.best is not None:
        tolls.append(f"{record.fatalities.best} killed")
    if record.injured is not None and record.injured.best is not None:
        tolls.append(f"{record.injured.best} injured")
    victims = [
        f"{v.count} {countries.get(v.nationality, v.nationality)}"
        if v.count is not None
        else countries.get(v.nationality, v.nationality)
        for v in record.victims
    ]
    if victims:
        tolls.append("victims: " + ", ".join(victims))
    if tolls:
        line += ": " + ", ".join(tolls)
    perpetrator = record.perpetrator
    if perpetrator is not None and perpetrator.claimed_by:
        line += f"; claimed by {perpetrator.claimed_by}"
    if perpetrator is not None and perpetrator.alleged:
        blamed = ", ".join(a.actor + (f" (by {a.by})" if a.by else "") for a in perpetrator.alleged)
        line += f"; blamed on {blamed}"
    if record.target:
        line += f"; target: {record.target}"
    return line + "."


def _statement_summary(statement: Statement) -> str:
    source = statement.source.name
    if statement.source.speaker and statement.source.speaker != source:
        source += f" ({statement.source.speaker})"
    line = f"{source} {_VERBS.get(statement.type, statement.type.lower())}"
    if statement.target is not None and statement.type != "CLAIM_RESPONSIBILITY":
        line += f" {statement.target.name}"
    if statement.date is not None and statement.date.value:
        line += f" on {statement.date.value}"
    return f"{line} [{statement.type}]."


def alert_body(
    watchlist: str,
    record: Incident | Statement,
    *,
    update: bool,
    changed: list[str],
    countries: Mapping[str, str],
    urls_of: Callable[[str], list[str]],
    base_url: str | None,
    created_at: dt.datetime,
) -> dict[str, Any]:
    """The JSON object every notifier sends: ``record`` is the line ``khabar export
    --format jsonl`` writes for it, parsed."""
    sources: list[str] = []
    for ref in record.sources:
        for url in [ref.url] if ref.url else urls_of(ref.article_id):
            if url and url not in sources:
                sources.append(url)
    incident_id = record.id if isinstance(record, Incident) else record.about
    link = f"{base_url}/incidents/{incident_id}" if base_url and incident_id else None
    return {
        "watchlist": watchlist,
        "kind": record.kind,
        "update": update,
        "changed": changed,
        "summary": summary_of(record, countries),
        "evidence": [
            {"field": e.field, "quote": e.quote, "article_id": e.article_id}
            for e in record.evidence
        ],
        "sources": sources,
        "link": link,
        "created_at": created_at.replace(microsecond=0).isoformat() + "Z",
        "record": json.loads(record.model_dump_json()),
    }
