"""Records written for the export tests: invented incidents that exercise every field
(and every gap: no date, no place, no toll), a statement and an arrest."""

from __future__ import annotations

import datetime as dt

import pytest

from khabar.export import ExportContext
from khabar.export._context import ArticleInfo
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

NOW = dt.datetime(2026, 2, 1, 12, 0, tzinfo=dt.UTC)


def _day(value: str) -> DateSpan:
    day = dt.date.fromisoformat(value)
    return DateSpan(value=value, precision="day", earliest=day, latest=day)


# A suicide bombing of a bus of foreign workers, claimed, and blamed on another group too.
BUS = Incident(
    id="evt-00000000000000a1",
    event_type="bombing",
    suicide=True,
    date=_day("2026-01-07"),
    location=Location(
        country="PK",
        admin1="Khyber Pakhtunkhwa",
        admin2="Kohat",
        place="Kohat",
        lat=33.58,
        lon=71.44,
        precision="place",
        gazetteer_id="PK-KP-kohat-kohat",
    ),
    fatalities=Count(low=5, best=6, high=8),
    injured=Count(low=10, best=12, high=12),
    victims=(
        VictimGroup(nationality="CN", count=3, description="technicians"),
        VictimGroup(nationality="PK", count=2, description="drivers"),
    ),
    perpetrator=Perpetrator(claimed_by="TTP", alleged=(Allegation(actor="BLA", by="Pakistan"),)),
    target="a bus carrying road-project technicians",
    sources=(
        SourceRef(
            article_id="a1", file="kohat.txt", url="https://news.example/kohat", role="report"
        ),
        SourceRef(article_id="a2", file="brief.md", role="mention"),
    ),
    evidence=(
        Evidence(
            field="fatalities",
            article_id="a1",
            start=0,
            end=42,
            quote='Six killed, "say" officials, in Kohat',
        ),
    ),
)

# Gunmen storm a police post: an armed target, so a battle in ACLED's terms.
POST = Incident(
    id="evt-00000000000000b2",
    event_type="armed_assault",
    date=DateSpan(
        value="2025-11",
        precision="month",
        earliest=dt.date(2025, 11, 1),
        latest=dt.date(2025, 11, 30),
    ),
    location=Location(country="AF", admin1="Kunar", precision="admin1", lat=34.9, lon=71.1),
    fatalities=Count(low=2, best=2, high=2),
    target="a police post on the border road",
    sources=(SourceRef(article_id="a3", url="https://other.example/kunar"),),
)

# Known only from a passing mention: no date, no place, no toll.
VAGUE = Incident(id="evt-00000000000000c3", event_type="kidnapping")

STATEMENT = Statement(
    id="st-0000000000000001",
    type="ACCUSE",
    source=SpeakerRef(name="Pakistan", country="PK", speaker="Foreign Office"),
    target=ActorRef(name="Afghanistan", country="AF"),
    date=_day("2026-01-08"),
    about=BUS.id,
    sources=(SourceRef(article_id="a1"),),
)

ARREST = Arrest(
    id="ar-0000000000000001",
    actor=ActorRef(name="Pakistan", country="PK"),
    count=4,
    about=BUS.id,
    sources=(SourceRef(article_id="a1"),),
)


@pytest.fixture
def incidents() -> list[Incident]:
    return [BUS, POST, VAGUE]


@pytest.fixture
def context() -> ExportContext:
    return ExportContext(
        articles={
            "a1": ArticleInfo(
                outlet="Frontier Test Post", title="Bus bombed", url="https://news.example/kohat"
            ),
            "a3": ArticleInfo(outlet=None, url="https://other.example/kunar"),
        },
        now=NOW,
    )
