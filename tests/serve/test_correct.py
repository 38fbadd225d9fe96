"""An analyst's corrections (khabar.resolve._correct): values, one field, every event."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from khabar.records import (
    Allegation,
    Correction,
    Count,
    DateSpan,
    Evidence,
    Incident,
    Location,
    Perpetrator,
    SourceRef,
)
from khabar.resolve import CORRECTABLE, apply_corrections, correct, normalise_value

ARTICLE = "a" * 16
TEXT = "Seven people were killed. The BLA claimed it. It happened in Gwadar on Friday."


def span(field: str | None, start: int, end: int) -> Evidence:
    return Evidence(field=field, article_id=ARTICLE, start=start, end=end, quote=TEXT[start:end])


def gwadar(id: str = "evt-1") -> Incident:
    return Incident(
        id=id,
        event_type="bombing",
        suicide=True,
        date=DateSpan(
            value="2026-01-16",
            precision="day",
            earliest=dt.date(2026, 1, 16),
            latest=dt.date(2026, 1, 16),
        ),
        location=Location(
            country="PK",
            admin1="Balochistan",
            admin2="Gwadar",
            place="Gwadar",
            lat=25.12,
            lon=62.33,
            precision="place",
        ),
        fatalities=Count(low=3, best=7, high=None),
        injured=Count(low=2, best=2, high=2),
        perpetrator=Perpetrator(
            claimed_by="BLA",
            alleged=(Allegation(actor="militants based in Afghanistan", by="Pakistan"),),
        ),
        target="a convoy",
        sources=(SourceRef(article_id=ARTICLE),),
        evidence=(
            span("fatalities", 0, 25),
            span("perpetrator", 26, 45),
            span("location", 46, 78),
            span("date", 46, 78),
        ),
    )


def correction(
    field: str,
    value: Any,
    *,
    event_id: str = "evt-1",
    anchor: str = "inc-1",
    evidence: Evidence | None = None,
    at: int = 0,
) -> Correction:
    return Correction(
        id=f"c-{field}-{at}",
        event_id=event_id,
        anchor=anchor,
        field=field,  # type: ignore[arg-type]
        value=normalise_value(field, value),
        evidence=evidence,
        created_at=dt.datetime(2026, 1, 20, 12, 0, at),
    )


def fields_of(incident: Incident) -> list[str | None]:
    return [e.field for e in incident.evidence]


# -- normalise_value -------------------------------------------------------------------


def test_every_correctable_field_is_named():
    assert CORRECTABLE == (
        "event_type",
        "suicide",
        "date",
        "location",
        "fatalities",
        "injured",
        "target",
        "claimed_by",
    )


@pytest.mark.parametrize("field", ["casualties", "victims", "sources", "id", "evidence", ""])
def test_a_field_that_cannot_be_corrected(field):
    with pytest.raises(ValueError, match="cannot be corrected") as caught:
        normalise_value(field, 3)
    assert "fatalities" in str(caught.value), "the message lists what can be"


@pytest.mark.parametrize("value", ["bombing", "armed_assault", "drone_strike", "other_attack"])
def test_event_type_good(value):
    assert normalise_value("event_type", value) == value


@pytest.mark.parametrize("value", ["explosion", "Bombing", "", None, 3])
def test_event_type_bad(value):
    with pytest.raises(ValueError, match="event_type must be one of"):
        normalise_value("event_type", value)


@pytest.mark.parametrize("value", [True, False, None])
def test_suicide_good(value):
    assert normalise_value("suicide", value) is value


@pytest.mark.parametrize("value", ["yes", "true", 1, 0, []])
def test_suicide_bad(value):
    with pytest.raises(ValueError, match="suicide"):
        normalise_value("suicide", value)


@pytest.mark.parametrize("value", ["2025-03-04", "2025-03", "2025", "2024-02-29", None])
def test_date_good(value):
    assert normalise_value("date", value) == value


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("2025-13", "does not exist"),
        ("2025-02-30", "does not exist"),
        ("2025-00", "does not exist"),
        ("2023-02-29", "does not exist"),
        ("04/03/2025", "YYYY-MM-DD"),
        ("2025-3-4", "YYYY-MM-DD"),
        ("20250304", "YYYY-MM-DD"),
        ("2025-03-04T10:00", "YYYY-MM-DD"),
        ("", "YYYY-MM-DD"),
        (2025, "YYYY-MM-DD"),
        ({"value": "2025"}, "YYYY-MM-DD"),
    ],
)
def test_date_bad(value, words):
    with pytest.raises(ValueError, match=words):
        normalise_value("date", value)


@pytest.mark.parametrize("field", ["fatalities", "injured"])
@pytest.mark.parametrize(
    ("value", "stored"),
    [
        (12, {"low": 12, "best": 12, "high": 12}),
        (0, {"low": 0, "best": 0, "high": 0}),
        ({"low": 5, "best": 7}, {"low": 5, "best": 7, "high": None}),
        ({"best": 4}, {"low": None, "best": 4, "high": None}),
        ({"low": 2, "high": 9}, {"low": 2, "best": None, "high": 9}),
        ({"low": 3, "best": 3, "high": 3}, {"low": 3, "best": 3, "high": 3}),
        (None, None),
    ],
)
def test_counts_good(field, value, stored):
    assert normalise_value(field, value) == stored


@pytest.mark.parametrize("field", ["fatalities", "injured"])
@pytest.mark.parametrize(
    ("value", "words"),
    [
        (-1, "negative"),
        ({"low": -2, "best": 1}, "negative"),
        ({"low": 5, "best": 2}, "low <= best <= high"),
        ({"best": 9, "high": 4}, "low <= best"),
        ({"low": 9, "high": 4}, "low <= best"),
        (True, "a count must be"),
        ("12", "a count must be"),
        (7.5, "a count must be"),
        ([1, 2], "a count must be"),
        ({"best": "many"}, "a count must be"),
        ({"most": 3}, "a count must be"),
    ],
)
def test_counts_bad(field, value, words):
    with pytest.raises(ValueError, match=words):
        normalise_value(field, value)


@pytest.mark.parametrize("field", ["target", "claimed_by"])
def test_texts(field):
    assert normalise_value(field, "  a checkpoint ") == "a checkpoint"
    assert normalise_value(field, None) is None
    for bad in ("", "   ", 5, ["x"]):
        with pytest.raises(ValueError, match=f"{field} must be a non-empty text or null"):
            normalise_value(field, bad)


def test_location_by_gazetteer_name():
    stored = normalise_value("location", "Turbat")
    assert stored["country"] == "PK"
    assert stored["admin1"] == "Balochistan"
    assert stored["place"] == "Turbat"
    assert stored["precision"] == "place"
    assert stored["lat"] is not None and stored["lon"] is not None
    district = normalise_value("location", " Kech district ")
    assert district["admin2"] == "Kech" and district["place"] is None
    assert district["precision"] == "admin2"
    assert Location.model_validate(stored).country == "PK"


def test_location_name_not_in_the_gazetteer():
    with pytest.raises(ValueError, match="not in the gazetteer"):
        normalise_value("location", "Atlantis")


class _Place:
    def location(self) -> Location:
        return Location(country="PK", place="Somewhere", precision="place")


class _Gazetteer:
    def __init__(self) -> None:
        self.asked: list[str] = []

    def choose(self, name: str) -> _Place | None:
        self.asked.append(name)
        return _Place() if name == "Somewhere" else None


def test_location_uses_the_gazetteer_given():
    gazetteer = _Gazetteer()
    assert normalise_value("location", "Somewhere", gazetteer=gazetteer)["place"] == "Somewhere"
    with pytest.raises(ValueError, match="not in the gazetteer"):
        normalise_value("location", "Turbat", gazetteer=gazetteer)
    assert gazetteer.asked == ["Somewhere", "Turbat"]


@pytest.mark.parametrize(
    ("value", "precision"),
    [
        ({"country": "PK", "admin1": "Sindh"}, "admin1"),
        ({"country": "PK", "admin1": "Sindh", "admin2": "Karachi"}, "admin2"),
        ({"country": "PK", "place": "Lyari", "lat": 24.87, "lon": 67.0}, "place"),
        ({"country": "AF"}, "country"),
        ({}, "unknown"),
        ({"country": "PK", "precision": "place"}, "country"),
    ],
)
def test_location_object_gets_its_precision(value, precision):
    stored = normalise_value("location", value)
    assert stored["precision"] == precision
    for key, given in value.items():
        if key != "precision":
            assert stored[key] == given


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ({"country": "Pakistan"}, "alpha-2"),
        ({"country": "pk"}, "alpha-2"),
        ({"lat": 10.0}, "both lat and lon"),
        ({"lon": 10.0}, "both lat and lon"),
        ({"lat": 91, "lon": 0}, "lat must lie"),
        ({"lat": 0, "lon": -181}, "lon must lie"),
        ({"town": "Lyari"}, "location"),
        ({"lat": "north", "lon": 0}, "location"),
        (5, "gazetteer name or an object"),
        (["PK"], "gazetteer name or an object"),
    ],
)
def test_location_object_bad(value, words):
    with pytest.raises(ValueError, match=words):
        normalise_value("location", value)


def test_location_null_clears():
    assert normalise_value("location", None) is None


# -- correct ---------------------------------------------------------------------------


def test_correcting_a_count_replaces_it_and_drops_its_evidence():
    before = gwadar()
    after = correct(before, correction("fatalities", 12))
    assert after.fatalities == Count(low=12, best=12, high=12)
    assert "fatalities" not in fields_of(after)
    assert fields_of(after) == ["perpetrator", "location", "date"]
    assert before.fatalities == Count(low=3, best=7, high=None), "the incident is not changed"
    assert after.model_dump(exclude={"fatalities", "evidence"}) == before.model_dump(
        exclude={"fatalities", "evidence"}
    )


def test_a_cited_span_takes_the_evidence_place():
    cited = span(None, 0, 25)
    after = correct(gwadar(), correction("fatalities", {"low": 7, "best": 8}, evidence=cited))
    assert after.fatalities == Count(low=7, best=8, high=None)
    (evidence,) = [e for e in after.evidence if e.field == "fatalities"]
    assert evidence.quote == TEXT[0:25]
    assert (evidence.article_id, evidence.start, evidence.end) == (ARTICLE, 0, 25)


def test_a_field_without_evidence_gets_the_cited_span():
    after = correct(gwadar(), correction("target", "a bus", evidence=span("x", 0, 6)))
    assert after.target == "a bus"
    assert [e for e in after.evidence if e.field == "target"] == [span("target", 0, 6)]
    assert len(after.evidence) == len(gwadar().evidence) + 1


def test_clearing_a_field():
    after = correct(gwadar(), correction("injured", None))
    assert after.injured is None
    after = correct(gwadar(), correction("location", None))
    assert after.location is None
    assert "location" not in fields_of(after)
    assert correct(gwadar(), correction("suicide", None)).suicide is None


def test_correcting_the_date_sets_its_precision_and_window():
    after = correct(gwadar(), correction("date", "2026-02"))
    assert after.date == DateSpan(
        value="2026-02",
        precision="month",
        earliest=dt.date(2026, 2, 1),
        latest=dt.date(2026, 2, 28),
    )
    assert "date" not in fields_of(after)
    year = correct(gwadar(), correction("date", "2024")).date
    assert (year.precision, year.earliest, year.latest) == (
        "year",
        dt.date(2024, 1, 1),
        dt.date(2024, 12, 31),
    )
    day = correct(gwadar(), correction("date", "2024-02-29")).date
    assert (day.precision, day.earliest, day.latest) == (
        "day",
        dt.date(2024, 2, 29),
        dt.date(2024, 2, 29),
    )
    assert correct(gwadar(), correction("date", None)).date is None


def test_correcting_the_location():
    after = correct(gwadar(), correction("location", "Turbat"))
    assert after.location is not None
    assert (after.location.place, after.location.admin1) == ("Turbat", "Balochistan")
    assert "location" not in fields_of(after)
    assert "date" in fields_of(after), "a span that backs another field stays"


@pytest.mark.parametrize(
    ("field", "value", "attribute"),
    [
        ("event_type", "armed_assault", "event_type"),
        ("suicide", False, "suicide"),
        ("target", "a school", "target"),
    ],
)
def test_correcting_plain_fields(field, value, attribute):
    after = correct(gwadar(), correction(field, value))
    assert getattr(after, attribute) == value
    assert fields_of(after) == fields_of(gwadar()), "no evidence was given for these"


def test_correcting_the_claimant_keeps_the_allegations():
    before = gwadar()
    after = correct(before, correction("claimed_by", "BLF"))
    assert after.perpetrator is not None
    assert after.perpetrator.claimed_by == "BLF"
    assert after.perpetrator.alleged == before.perpetrator.alleged  # type: ignore[union-attr]
    assert "perpetrator" not in fields_of(after), "claimed_by's evidence is perpetrator's"
    cleared = correct(before, correction("claimed_by", None))
    assert cleared.perpetrator == Perpetrator(claimed_by=None, alleged=before.perpetrator.alleged)  # type: ignore[union-attr]


def test_clearing_the_only_claimant_leaves_no_perpetrator():
    before = gwadar().model_copy(update={"perpetrator": Perpetrator(claimed_by="BLA")})
    assert correct(before, correction("claimed_by", None)).perpetrator is None
    nobody = gwadar().model_copy(update={"perpetrator": None})
    after = correct(nobody, correction("claimed_by", "TTP"))
    assert after.perpetrator == Perpetrator(claimed_by="TTP")


def test_a_cited_span_for_the_claimant_is_perpetrator_evidence():
    after = correct(gwadar(), correction("claimed_by", "BLA", evidence=span(None, 26, 45)))
    assert [e.field for e in after.evidence if e.start == 26] == ["perpetrator"]


def test_the_result_is_a_valid_incident():
    after = correct(gwadar(), correction("fatalities", {"low": 1, "best": 2, "high": 3}))
    assert Incident.model_validate_json(after.model_dump_json()) == after


# -- apply_corrections -----------------------------------------------------------------


def no_mentions(mention: str) -> str | None:
    return None


def test_applies_to_the_event_it_was_made_on():
    events = [gwadar("evt-1"), gwadar("evt-2")]
    out = apply_corrections(events, [correction("fatalities", 12, event_id="evt-2")], no_mentions)
    assert [e.id for e in out] == ["evt-1", "evt-2"]
    assert out[0] == events[0]
    assert out[1].fatalities == Count(low=12, best=12, high=12)


def test_follows_the_anchor_when_the_event_id_changed():
    events = [gwadar("evt-new"), gwadar("evt-other")]
    asked: list[str] = []

    def event_of(mention: str) -> str | None:
        asked.append(mention)
        return {"inc-anchor": "evt-new"}.get(mention)

    out = apply_corrections(
        events,
        [correction("target", "a bus", event_id="evt-gone", anchor="inc-anchor")],
        event_of,
    )
    assert asked == ["inc-anchor"]
    assert [e.target for e in out] == ["a bus", "a convoy"]


def test_the_event_id_wins_over_the_anchor():
    events = [gwadar("evt-1"), gwadar("evt-2")]
    out = apply_corrections(
        events,
        [correction("target", "a bus", event_id="evt-1", anchor="inc-x")],
        lambda mention: "evt-2",
    )
    assert [e.target for e in out] == ["a bus", "a convoy"]


@pytest.mark.parametrize("found", [None, "evt-elsewhere"])
def test_skips_a_correction_whose_event_is_gone(found):
    events = [gwadar("evt-1")]
    out = apply_corrections(
        events,
        [correction("fatalities", 12, event_id="evt-gone", anchor="inc-gone")],
        lambda mention: found,
    )
    assert out == events


def test_applies_in_order_so_the_later_wins():
    first = correction("fatalities", 12, at=1)
    second = correction("fatalities", 10, at=2)
    other = correction("target", "a bus", at=3)
    (out,) = apply_corrections([gwadar()], [first, second, other], no_mentions)
    assert out.fatalities == Count(low=10, best=10, high=10)
    assert out.target == "a bus"
    (reversed_,) = apply_corrections([gwadar()], [second, first], no_mentions)
    assert reversed_.fatalities == Count(low=12, best=12, high=12)


def test_several_events_and_corrections_keep_the_order_of_events():
    events = [gwadar("evt-3"), gwadar("evt-1"), gwadar("evt-2")]
    out = apply_corrections(
        events,
        [
            correction("suicide", False, event_id="evt-1"),
            correction("event_type", "clash", event_id="evt-3", at=1),
            correction("target", "x", event_id="evt-9", anchor="inc-9", at=2),
        ],
        no_mentions,
    )
    assert [e.id for e in out] == ["evt-3", "evt-1", "evt-2"]
    assert [(e.event_type, e.suicide) for e in out] == [
        ("clash", True),
        ("bombing", False),
        ("bombing", True),
    ]
    assert out[2] == events[2]


def test_nothing_to_apply():
    events = [gwadar()]
    assert apply_corrections(events, [], no_mentions) == events
    assert apply_corrections([], [correction("target", "x")], no_mentions) == []
