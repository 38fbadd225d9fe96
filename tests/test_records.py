import json

import pytest
from pydantic import ValidationError

from khabar.records import (
    ActorRef,
    Allegation,
    Arrest,
    Count,
    DateSpan,
    Evidence,
    Incident,
    Location,
    Perpetrator,
    SourceRef,
    SpeakerRef,
    Statement,
    VictimGroup,
)


def test_incident_exports_the_fields_of_eval_md_in_order():
    incident = Incident(
        id="i1",
        event_type="bombing",
        suicide=True,
        date=DateSpan(
            value="2024-03-26", precision="day", earliest="2024-03-26", latest="2024-03-26"
        ),
        location=Location(
            country="PK", admin1="Khyber Pakhtunkhwa", place="Besham", precision="place"
        ),
        fatalities=Count(low=6, best=6, high=6),
        victims=(VictimGroup(nationality="CN", count=5, description="engineers"),),
        perpetrator=Perpetrator(alleged=(Allegation(actor="TTP", by="Pakistan"),)),
        target="convoy",
        sources=(SourceRef(article_id="a", file="x.txt"),),
        evidence=(Evidence(field="fatalities", article_id="a", start=3, end=9, quote="killed"),),
    )
    line = json.loads(incident.model_dump_json())
    assert list(line) == [
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
        "status",
        "review",
    ]
    assert line["kind"] == "incident"
    assert (line["status"], line["review"]) == ("reported", [])
    assert line["injured"] is None
    assert line["date"] == {
        "value": "2024-03-26",
        "precision": "day",
        "earliest": "2024-03-26",
        "latest": "2024-03-26",
        "month_day": None,  # a month and day without a year only
    }
    assert list(line["location"]) == [
        "country",
        "admin1",
        "admin2",
        "place",
        "lat",
        "lon",
        "precision",
        "gazetteer_id",
    ]
    assert line["perpetrator"] == {
        "claimed_by": None,
        "alleged": [{"actor": "TTP", "by": "Pakistan"}],
    }
    assert list(line["evidence"][0]) == ["field", "article_id", "start", "end", "quote"]
    assert Incident.model_validate_json(incident.model_dump_json()) == incident


def test_statement_and_arrest_export_their_fields():
    statement = Statement(
        id="s",
        type="ACCUSE",
        source=SpeakerRef(name="Pakistan", country="PK", speaker="Foreign Office"),
        target=ActorRef(name="Afghanistan"),
    )
    assert list(json.loads(statement.model_dump_json())) == [
        "kind",
        "id",
        "type",
        "source",
        "target",
        "date",
        "about",
        "sources",
        "evidence",
    ]
    assert json.loads(statement.model_dump_json())["source"] == {
        "name": "Pakistan",
        "country": "PK",
        "speaker": "Foreign Office",
    }
    arrest = Arrest(id="a", actor=ActorRef(name="Pakistan"), count=11)
    assert list(json.loads(arrest.model_dump_json())) == [
        "kind",
        "id",
        "actor",
        "count",
        "location",
        "date",
        "about",
        "sources",
        "evidence",
    ]


def test_records_are_frozen_and_strict():
    count = Count(low=1, best=2, high=3)
    with pytest.raises(ValidationError):
        count.best = 5
    with pytest.raises(ValidationError):
        Count(low=1, guess=2)
    with pytest.raises(ValidationError):
        Incident(id="x", event_type="riot")
    with pytest.raises(ValidationError):
        Statement(id="x", type="PRAISE", source=SpeakerRef(name="A"))


def test_evidence_span_must_be_ordered():
    with pytest.raises(ValidationError, match="ends"):
        Evidence(article_id="a", start=10, end=5, quote="")


def test_date_span_unknown_has_no_value_and_an_ordered_window():
    assert DateSpan().model_dump() == {
        "value": None,
        "precision": "unknown",
        "earliest": None,
        "latest": None,
        "month_day": None,
    }
    with pytest.raises(ValidationError):
        DateSpan(value="2024", precision="unknown")
    with pytest.raises(ValidationError):
        DateSpan(value="2024-03", precision="month", earliest="2024-03-31", latest="2024-03-01")


def test_date_span_month_day_is_a_month_and_day_without_a_year():
    bare = DateSpan(month_day="10-11")
    assert (bare.value, bare.precision, bare.label()) == (None, "unknown", "11 Oct, year unknown")
    assert DateSpan(month_day="02-29").label() == "29 Feb, year unknown"  # some year has it
    assert DateSpan(value="2025", precision="year").label() == "2025"
    assert DateSpan().label() is None
    for wrong in ("13-01", "1-11", "04-31", "02-30"):
        with pytest.raises(ValidationError):
            DateSpan(month_day=wrong)
    with pytest.raises(ValidationError, match="value"):
        DateSpan(value="2025-10-11", precision="day", month_day="10-11")
