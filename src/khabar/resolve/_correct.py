"""An analyst's corrections, applied to resolved incidents.

A correction replaces one field of the reconciled incident. The evidence the sources gave
for that field no longer supports the value, so it is dropped; the span the analyst cited,
when there is one, takes its place. Corrections are stored, not written into the event,
and applied by every resolution in the order they were made: a rebuild keeps them, and a
later correction of the same field wins.

Values, as JSON (``null`` clears the field where it may be unknown):

- ``event_type``: one of the record's event types;
- ``suicide``: true, false or null;
- ``date``: ``"2025-03-04"``, ``"2025-03"`` or ``"2025"`` (the precision follows);
- ``location``: a gazetteer name (``"Turbat"``, ``"Kech district"``), or an object with
  ``country`` (ISO code), ``admin1``, ``admin2``, ``place``, ``lat``, ``lon``;
- ``fatalities``, ``injured``: a number, or ``{"low": .., "best": .., "high": ..}``;
- ``target``, ``claimed_by``: a text.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable, Iterable
from typing import Any, get_args

from pydantic import ValidationError

from ..records import (
    CorrectableField,
    Correction,
    Count,
    DateSpan,
    EventType,
    Incident,
    Location,
    Perpetrator,
)

__all__ = ["CORRECTABLE", "apply_corrections", "correct", "normalise_value"]

CORRECTABLE: tuple[str, ...] = get_args(CorrectableField)
_EVIDENCE_FIELD = {"claimed_by": "perpetrator"}
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def normalise_value(field: str, value: Any, *, gazetteer: Any = None) -> Any:
    """The JSON form a correction stores, or ValueError saying what is wrong.

    A location given as a name is looked up once, here, so the stored correction does
    not change meaning when the gazetteer does.
    """
    if field not in CORRECTABLE:
        raise ValueError(f"{field!r} cannot be corrected; one of: {', '.join(CORRECTABLE)}")
    if field == "event_type":
        if value not in get_args(EventType):
            raise ValueError(f"event_type must be one of: {', '.join(get_args(EventType))}")
        return value
    if field == "suicide":
        if value is not None and not isinstance(value, bool):
            raise ValueError("suicide must be true, false or null")
        return value
    if field == "date":
        if value is None:
            return None
        _date_span(value)  # raises when malformed
        return value
    if field in ("fatalities", "injured"):
        return _count(value).model_dump() if value is not None else None
    if field in ("target", "claimed_by"):
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise ValueError(f"{field} must be a non-empty text or null")
        return value.strip() if value is not None else None
    return _location(value, gazetteer).model_dump() if value is not None else None


def correct(incident: Incident, correction: Correction) -> Incident:
    """The incident with one correction applied."""
    field, value = correction.field, correction.value
    update: dict[str, Any]
    if field == "date":
        update = {"date": _date_span(value) if value is not None else None}
    elif field in ("fatalities", "injured"):
        update = {field: Count.model_validate(value) if value is not None else None}
    elif field == "location":
        update = {"location": Location.model_validate(value) if value is not None else None}
    elif field == "claimed_by":
        alleged = incident.perpetrator.alleged if incident.perpetrator else ()
        perpetrator = Perpetrator(claimed_by=value, alleged=alleged) if value or alleged else None
        update = {"perpetrator": perpetrator}
    else:
        update = {field: value}
    evidence_field = _EVIDENCE_FIELD.get(field, field)
    evidence = tuple(e for e in incident.evidence if e.field != evidence_field)
    if correction.evidence is not None:
        evidence += (correction.evidence.model_copy(update={"field": evidence_field}),)
    update["evidence"] = evidence
    return Incident.model_validate(incident.model_dump() | update)


def apply_corrections(
    events: list[Incident],
    corrections: Iterable[Correction],
    event_of_mention: Callable[[str], str | None],
) -> list[Incident]:
    """Apply every correction to the event it was made on (found again by its anchor
    mention when the event's id changed); corrections whose event is gone are skipped."""
    by_id = {event.id: event for event in events}
    for correction in corrections:
        target = correction.event_id if correction.event_id in by_id else None
        target = target or event_of_mention(correction.anchor)
        if target is None or target not in by_id:
            continue
        by_id[target] = correct(by_id[target], correction)
    return [by_id[event.id] for event in events]


def _date_span(value: Any) -> DateSpan:
    match = _DATE.match(value) if isinstance(value, str) else None
    if match is None:
        raise ValueError("date must be written YYYY-MM-DD, YYYY-MM or YYYY")
    year, month, day = (int(g) if g else None for g in match.groups())
    try:
        if day is not None and month is not None:
            first = last = dt.date(year, month, day)  # type: ignore[arg-type]
            precision = "day"
        elif month is not None:
            first = dt.date(year, month, 1)  # type: ignore[arg-type]
            last = dt.date(year, month, calendar.monthrange(year, month)[1])  # type: ignore[arg-type]
            precision = "month"
        else:
            first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)  # type: ignore[arg-type]
            precision = "year"
    except ValueError as error:
        raise ValueError(f"date {value!r} does not exist: {error}") from None
    return DateSpan(value=value, precision=precision, earliest=first, latest=last)


def _count(value: Any) -> Count:
    if isinstance(value, bool):
        raise ValueError("a count must be a number or {low, best, high}")
    if isinstance(value, int):
        value = {"low": value, "best": value, "high": value}
    if not isinstance(value, dict):
        raise ValueError("a count must be a number or {low, best, high}")
    try:
        count = Count.model_validate(value)
    except ValidationError as error:
        raise ValueError(f"a count must be a number or {{low, best, high}}: {error}") from None
    figures = [count.low, count.best, count.high]
    if any(f is not None and f < 0 for f in figures):
        raise ValueError("a count cannot be negative")
    known = [f for f in figures if f is not None]
    if known != sorted(known):
        raise ValueError("a count must have low <= best <= high")
    return count


def _location(value: Any, gazetteer: Any) -> Location:
    if isinstance(value, str):
        if gazetteer is None:
            from ..extract.gazetteer import load_gazetteer

            gazetteer = load_gazetteer()
        place = gazetteer.choose(value.strip())
        if place is None:
            raise ValueError(
                f"{value!r} is not in the gazetteer; give an object with country, admin1, "
                "admin2, place, lat, lon"
            )
        return place.location()
    if not isinstance(value, dict):
        raise ValueError("location must be a gazetteer name or an object")
    try:
        location = Location.model_validate({k: v for k, v in value.items() if k != "precision"})
    except ValidationError as error:
        raise ValueError(f"location: {error}") from None
    if location.country is not None and not re.fullmatch(r"[A-Z]{2}", location.country):
        raise ValueError("location.country must be an ISO 3166-1 alpha-2 code, e.g. PK")
    if (location.lat is None) != (location.lon is None):
        raise ValueError("location needs both lat and lon, or neither")
    if location.lat is not None and not (-90 <= location.lat <= 90):
        raise ValueError("location.lat must lie between -90 and 90")
    if location.lon is not None and not (-180 <= location.lon <= 180):
        raise ValueError("location.lon must lie between -180 and 180")
    precision = (
        "place"
        if location.place
        else "admin2"
        if location.admin2
        else "admin1"
        if location.admin1
        else "country"
        if location.country
        else "unknown"
    )
    return location.model_copy(update={"precision": precision})
