"""ACLED-style CSV: ACLED's columns, in ACLED's order, coded by ``docs/codebooks.md``.

Every mapping below is a table of that document; ``tests/export/test_acled.py`` checks
that the two agree. After ACLED's columns come khabar's own in ``khabar_*`` columns: the
id, the date and place precision and windows, low/best/high tolls, victims by
nationality, claim and allegations, sources and evidence, and any other field a record
carries (``khabar_status``, ``khabar_review``...).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Sequence
from typing import Any, BinaryIO
from urllib.parse import urlsplit

from ..extract.actors import ActorDictionary, load_actors
from ..records import Incident
from ..store import ExportRecord
from ._context import ExportContext, countries
from ._csv import cell

__all__ = [
    "ACLED_COLUMNS",
    "ARMED_TARGET_WORDS",
    "EVENT_TYPES",
    "GEO_PRECISION",
    "INTER",
    "KHABAR_COLUMNS",
    "POLICE_WORDS",
    "row",
    "write",
]

ACLED_COLUMNS = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
)

KHABAR_COLUMNS = (
    "khabar_id",
    "khabar_event_type",
    "khabar_suicide",
    "khabar_date",
    "khabar_date_precision",
    "khabar_date_earliest",
    "khabar_date_latest",
    "khabar_location_precision",
    "khabar_gazetteer_id",
    "khabar_fatalities_low",
    "khabar_fatalities_best",
    "khabar_fatalities_high",
    "khabar_injured_low",
    "khabar_injured_best",
    "khabar_injured_high",
    "khabar_victims",
    "khabar_claimed_by",
    "khabar_alleged",
    "khabar_target",
    "khabar_sources",
    "khabar_evidence",
)
_COVERED = {
    "kind",
    "id",
    "event_type",
    "suicide",
    "date",
    "location",
    "fatalities",
    "injured",
    "victims",
    "perpetrator",
    "target",
    "sources",
    "evidence",
}

# khabar event type -> (ACLED event type, sub-event type); "armed" is the coding when the
# target is an armed one (ARMED_TARGET_WORDS). Disorder type is "Political violence".
EVENT_TYPES: dict[str, dict[str, tuple[str, str]]] = {
    "bombing": {
        "default": ("Explosions/Remote violence", "Remote explosive/landmine/IED"),
        "suicide": ("Explosions/Remote violence", "Suicide bomb"),
    },
    "drone_strike": {"default": ("Explosions/Remote violence", "Air/drone strike")},
    "air_strike": {"default": ("Explosions/Remote violence", "Air/drone strike")},
    "armed_assault": {
        "default": ("Violence against civilians", "Attack"),
        "armed": ("Battles", "Armed clash"),
    },
    "assassination": {
        "default": ("Violence against civilians", "Attack"),
        "armed": ("Battles", "Armed clash"),
    },
    "kidnapping": {"default": ("Violence against civilians", "Abduction/forced disappearance")},
    "hijacking": {"default": ("Violence against civilians", "Abduction/forced disappearance")},
    "clash": {"default": ("Battles", "Armed clash")},
    "other_attack": {
        "default": ("Violence against civilians", "Attack"),
        "armed": ("Battles", "Armed clash"),
    },
}

# A target naming one of these (whole words, any case) is armed: police or military.
POLICE_WORDS = (
    "police",
    "policeman",
    "policemen",
    "policewoman",
    "constable",
    "constables",
    "counter-terrorism department",
    "CTD",
    "Levies",
)
ARMED_TARGET_WORDS = (
    *POLICE_WORDS,
    "soldier",
    "soldiers",
    "troops",
    "army",
    "military",
    "security forces",
    "security personnel",
    "paramilitary",
    "Frontier Corps",
    "Rangers",
    "checkpoint",
    "check post",
    "checkpost",
    "border post",
    "border guards",
    "garrison",
    "cantonment",
)

# ACLED's actor types (inter1 / inter2).
INTER = {
    1: "State forces",
    2: "Rebel group",
    3: "Political militia",
    4: "Identity militia",
    5: "Rioters",
    6: "Protesters",
    7: "Civilians",
    8: "External/Other forces",
}

GEO_PRECISION = {"place": 1, "admin2": 2, "admin1": 3, "country": 3}


def _words(words: Sequence[str]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.IGNORECASE)


_ARMED = _words(ARMED_TARGET_WORDS)
_POLICE = _words(POLICE_WORDS)


def _country_name(code: str | None) -> str | None:
    if not code:
        return None
    country = countries().get(code)
    return country.name if country else code


def _coding(incident: Incident) -> tuple[str, str, bool]:
    """(ACLED event type, sub-event type, whether the target is armed)."""
    armed = bool(incident.target and _ARMED.search(incident.target))
    options = EVENT_TYPES.get(incident.event_type, EVENT_TYPES["other_attack"])
    if incident.event_type == "bombing" and incident.suicide:
        event, sub = options["suicide"]
    elif armed and "armed" in options:
        event, sub = options["armed"]
    else:
        event, sub = options["default"]
    return event, sub, armed


def _acled_actor(name: str, actors: ActorDictionary) -> tuple[str, str, int]:
    """(actor, associated actor, inter code) for a canonical khabar actor name."""
    actor = actors.lookup(name)
    if actor is None:
        return name, "", 3
    canonical = actors.canonical(actor)
    if canonical.kind == "state":
        return f"Military Forces of {_country_name(canonical.country) or canonical.name}", "", 1
    if actors.is_armed_group(actor):
        top = ([actor, *actors.ancestors(actor)])[-1]
        label = top.name
        long = next((a for a in top.aliases if len(a) > len(top.name) and " " in a), None)
        if long and top.name.isupper():
            label = f"{top.name}: {long}"
        return label, (actor.name if actor.id != top.id else ""), 2
    return canonical.name, "", 3


def _actor1(incident: Incident, actors: ActorDictionary) -> tuple[str, str, int]:
    claimed = incident.perpetrator.claimed_by if incident.perpetrator else None
    if claimed:
        return _acled_actor(claimed, actors)
    where = _country_name(incident.location.country if incident.location else None)
    return f"Unidentified Armed Group ({where})" if where else "Unidentified Armed Group", "", 3


def _actor2(incident: Incident, event: str, armed: bool) -> tuple[str, str, int | None]:
    country = incident.location.country if incident.location else None
    if armed:
        forces = "Police Forces" if _POLICE.search(incident.target or "") else "Military Forces"
        name = _country_name(country)
        return (f"{forces} of {name}" if name else forces), "", 1
    civilian = event == "Violence against civilians" or (
        event == "Explosions/Remote violence" and incident.target is not None
    )
    if not civilian:
        return "", "", None
    by_count = sorted(incident.victims, key=lambda v: -(v.count or 0))
    nationalities = [v.nationality for v in by_count]
    first = nationalities[0] if nationalities else country
    others = [n for n in nationalities if n != first]
    label = f"Civilians ({_country_name(first)})" if first else "Civilians"
    return label, "; ".join(f"Civilians ({_country_name(n)})" for n in others), 7


def _event_date(incident: Incident) -> tuple[str, str, str]:
    """(event_date, year, time_precision) by the codebook: the middle of the window."""
    date = incident.date
    if date is None or date.earliest is None or date.latest is None:
        year = date.value[:4] if date and date.value else ""
        return "", year, ""
    days = (date.latest - date.earliest).days + 1
    middle = date.earliest + dt.timedelta(days=(days - 1) // 2)
    if date.precision == "day" or days == 1:
        precision = "1"
    elif days <= 7:
        precision = "2"
    elif date.precision == "month" or days <= 31:
        precision = "3"
    else:
        same_year = date.earliest.year == date.latest.year
        return "", str(date.earliest.year) if same_year else "", ""
    return middle.isoformat(), str(middle.year), precision


def _sources(incident: Incident, context: ExportContext) -> str:
    names: list[str] = []
    for source in incident.sources:
        name = context.outlet(source.article_id)
        if not name and source.url:
            name = urlsplit(source.url).hostname
        if name and name not in names:
            names.append(name)
    return "; ".join(names)


def notes(incident: Incident) -> str:
    """A one-paragraph summary written from the record's fields."""
    where = incident.location
    place = ", ".join(
        p
        for p in (
            where.place if where else None,
            where.admin2 if where and where.admin2 != where.place else None,
            where.admin1 if where else None,
            _country_name(where.country) if where else None,
        )
        if p
    )
    kind = incident.event_type.replace("_", " ")
    if incident.suicide:
        kind = f"suicide {kind}"
    date = incident.date.value if incident.date and incident.date.value else "an unknown date"
    parts = [f"On {date}, {kind}" + (f" in {place}" if place else "") + "."]
    if incident.target:
        parts.append(f"Target: {incident.target}.")
    tolls = []
    if incident.fatalities and incident.fatalities.best is not None:
        tolls.append(f"{incident.fatalities.best} killed")
    if incident.injured and incident.injured.best is not None:
        tolls.append(f"{incident.injured.best} injured")
    if tolls:
        parts.append(", ".join(tolls).capitalize() + ".")
    if incident.victims:
        dead = ", ".join(
            f"{v.count if v.count is not None else '?'} {v.nationality}" for v in incident.victims
        )
        parts.append(f"Dead by nationality: {dead}.")
    if incident.perpetrator and incident.perpetrator.claimed_by:
        parts.append(f"Claimed by {incident.perpetrator.claimed_by}.")
    for allegation in incident.perpetrator.alleged if incident.perpetrator else ():
        by = f" by {allegation.by}" if allegation.by else ""
        parts.append(f"{allegation.actor} alleged{by}.")
    return " ".join(parts)


def row(incident: Incident, context: ExportContext, actors: ActorDictionary) -> dict[str, str]:
    """ACLED's columns, then khabar's, for one incident."""
    where = incident.location
    country = countries().get(where.country) if where and where.country else None
    event, sub, armed = _coding(incident)
    actor1, assoc1, inter1 = _actor1(incident, actors)
    actor2, assoc2, inter2 = _actor2(incident, event, armed)
    interaction = f"{min(inter1, inter2)}{max(inter1, inter2)}" if inter2 else f"{inter1}0"
    event_date, year, time_precision = _event_date(incident)
    fatalities, injured = incident.fatalities, incident.injured
    precision = where.precision if where else "unknown"
    values: dict[str, Any] = {
        "event_id_cnty": (country.alpha3 if country else "XXX") + incident.id.removeprefix("evt-"),
        "event_date": event_date,
        "year": year,
        "time_precision": time_precision,
        "disorder_type": "Political violence",
        "event_type": event,
        "sub_event_type": sub,
        "actor1": actor1,
        "assoc_actor_1": assoc1,
        "inter1": inter1,
        "actor2": actor2,
        "assoc_actor_2": assoc2,
        "inter2": inter2,
        "interaction": interaction,
        "civilian_targeting": "Civilian targeting" if inter2 == 7 else "",
        "iso": country.numeric if country else None,
        "region": country.acled_region if country else None,
        "country": country.name if country else (where.country if where else None),
        "admin1": where.admin1 if where else None,
        "admin2": where.admin2 if where else None,
        "admin3": None,
        "location": (
            where.place or where.admin2 or where.admin1 or (country.name if country else None)
        )
        if where
        else None,
        "latitude": where.lat if where else None,
        "longitude": where.lon if where else None,
        "geo_precision": GEO_PRECISION.get(precision),
        "source": _sources(incident, context),
        "source_scale": None,
        "notes": notes(incident),
        "fatalities": fatalities.best if fatalities else None,
        "tags": None,
        "timestamp": int(context.now.timestamp()),
        "khabar_id": incident.id,
        "khabar_event_type": incident.event_type,
        "khabar_suicide": incident.suicide,
        "khabar_date": incident.date.value if incident.date else None,
        "khabar_date_precision": incident.date.precision if incident.date else "unknown",
        "khabar_date_earliest": incident.date.earliest if incident.date else None,
        "khabar_date_latest": incident.date.latest if incident.date else None,
        "khabar_location_precision": precision,
        "khabar_gazetteer_id": where.gazetteer_id if where else None,
        "khabar_fatalities_low": fatalities.low if fatalities else None,
        "khabar_fatalities_best": fatalities.best if fatalities else None,
        "khabar_fatalities_high": fatalities.high if fatalities else None,
        "khabar_injured_low": injured.low if injured else None,
        "khabar_injured_best": injured.best if injured else None,
        "khabar_injured_high": injured.high if injured else None,
        "khabar_victims": [v.model_dump(mode="json") for v in incident.victims],
        "khabar_claimed_by": incident.perpetrator.claimed_by if incident.perpetrator else None,
        "khabar_alleged": [a.model_dump(mode="json") for a in incident.perpetrator.alleged]
        if incident.perpetrator
        else [],
        "khabar_target": incident.target,
        "khabar_sources": [s.model_dump(mode="json") for s in incident.sources],
        "khabar_evidence": [e.model_dump(mode="json") for e in incident.evidence],
    }
    data = incident.model_dump(mode="json")
    for name in type(incident).model_fields:
        if name not in _COVERED:
            values[f"khabar_{name}"] = data.get(name)
    return {name: cell(value) for name, value in values.items()}


def write(records: Sequence[ExportRecord], stream: BinaryIO, context: ExportContext) -> None:
    actors = load_actors()
    incidents = [r for r in records if isinstance(r, Incident)]
    model = type(incidents[0]) if incidents else Incident
    extra = [f"khabar_{n}" for n in model.model_fields if n not in _COVERED]
    columns = [*ACLED_COLUMNS, *KHABAR_COLUMNS, *extra]
    text = io.StringIO(newline="")
    writer = csv.DictWriter(text, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for incident in incidents:
        writer.writerow(row(incident, context, actors))
    stream.write(text.getvalue().encode("utf-8"))
