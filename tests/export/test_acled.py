"""The ACLED CSV: ACLED's columns in ACLED's order, coded exactly as docs/codebooks.md
says (its tables are parsed here and compared with the exporter's), readable by pandas."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest

from khabar.export import write
from khabar.export._acled import (
    _COVERED,
    ACLED_COLUMNS,
    ARMED_TARGET_WORDS,
    EVENT_TYPES,
    GEO_PRECISION,
    INTER,
    KHABAR_COLUMNS,
    POLICE_WORDS,
    row,
)
from khabar.extract.actors import load_actors
from khabar.records import DateSpan, Incident, Location, Perpetrator

from .conftest import BUS, NOW, POST, VAGUE

# Fields of the record the fixed columns do not cover follow as khabar_<field>.
RECORD_COLUMNS = [f"khabar_{n}" for n in Incident.model_fields if n not in _COVERED]

CODEBOOKS = (Path(__file__).parent.parent.parent / "docs" / "codebooks.md").read_text()

# ACLED's columns, in ACLED's order (ACLED's data since March 2023; the list).
EXPECTED = [
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
]


def acled(records: list[Any], context: Any = None) -> list[dict[str, str]]:
    stream = io.BytesIO()
    write(records, "acled", stream, context)
    return list(csv.DictReader(io.StringIO(stream.getvalue().decode())))


def coded(incident: Any) -> dict[str, str]:
    from khabar.export import ExportContext

    return row(incident, ExportContext(now=NOW), load_actors())


def _table(header: str) -> list[list[str]]:
    """The body rows of the codebook table whose header line starts with ``header``."""
    lines = CODEBOOKS.splitlines()
    first = next(n for n, line in enumerate(lines) if line.startswith(header))
    rows = []
    for line in lines[first + 2 :]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
    return rows


def test_acled_columns_are_acleds_in_acleds_order(incidents):
    assert list(ACLED_COLUMNS) == EXPECTED
    rows = acled(incidents)
    assert list(rows[0])[: len(EXPECTED)] == EXPECTED
    assert list(rows[0])[len(EXPECTED) :] == [*KHABAR_COLUMNS, *RECORD_COLUMNS]


def test_acled_csv_opens_in_pandas_with_the_documented_columns(incidents, context):
    pandas = pytest.importorskip("pandas")
    stream = io.BytesIO()
    write(incidents, "acled", stream, context)
    frame = pandas.read_csv(io.BytesIO(stream.getvalue()))
    assert list(frame.columns) == [*EXPECTED, *KHABAR_COLUMNS, *RECORD_COLUMNS]
    assert RECORD_COLUMNS == ["khabar_status", "khabar_review"]
    documented = [r[0] for r in _table("| column | from khabar |")]
    assert documented == EXPECTED
    for name in KHABAR_COLUMNS:
        assert f"`{name}`" in CODEBOOKS, name
    assert len(frame) == 3
    assert frame.loc[0, "event_id_cnty"] == "PAK00000000000000a1"
    assert frame.loc[0, "fatalities"] == 6
    assert frame.loc[0, "iso"] == 586 and frame.loc[0, "region"] == "South Asia"
    assert frame.loc[0, "source"] == "Frontier Test Post"
    assert frame.loc[1, "source"] == "other.example"
    assert pandas.isna(frame.loc[2, "fatalities"])  # unknown stays unknown
    assert json.loads(frame.loc[0, "khabar_victims"])[0]["nationality"] == "CN"
    assert json.loads(frame.loc[0, "khabar_evidence"])[0]["quote"].startswith("Six killed")


def test_acled_event_types_follow_the_codebook():
    table = _table("| khabar event_type | when |")
    documented = {(r[0], r[1]): (r[2], r[3]) for r in table}
    code = {}
    for kind, options in EVENT_TYPES.items():
        for case, value in options.items():
            when = {"default": "otherwise", "suicide": "suicide", "armed": "armed target"}[case]
            if len(options) == 1:
                when = "always"
            code[(kind, when)] = value
    assert documented == code


def test_acled_word_lists_follow_the_codebook():
    police, military = _table("| kind | words |")
    assert police[0] == "police" and military[0] == "military"
    assert [w.strip() for w in police[1].split(",")] == list(POLICE_WORDS)
    others = [w for w in ARMED_TARGET_WORDS if w not in POLICE_WORDS]
    assert [w.strip() for w in military[1].split(",")] == others


def test_acled_codes_follow_the_codebook():
    inter = {int(r[0]): r[1] for r in _table("| code | ACLED actor type |")}
    assert inter == INTER
    places = {r[0]: r[1] for r in _table("| khabar location.precision |")}
    assert {k: int(v) for k, v in places.items() if v.isdigit()} == GEO_PRECISION
    assert places["unknown"] == "(empty)"


def test_acled_codes_a_claimed_suicide_bombing_of_civilians():
    cells = coded(BUS)
    assert (cells["event_type"], cells["sub_event_type"]) == (
        "Explosions/Remote violence",
        "Suicide bomb",
    )
    assert cells["disorder_type"] == "Political violence"
    assert cells["actor1"] == "TTP: Tehreek-e-Taliban Pakistan" and cells["inter1"] == "2"
    assert cells["actor2"] == "Civilians (China)" and cells["inter2"] == "7"
    assert cells["assoc_actor_2"] == "Civilians (Pakistan)"
    assert cells["interaction"] == "27"
    assert cells["civilian_targeting"] == "Civilian targeting"
    assert (cells["event_date"], cells["time_precision"], cells["year"]) == (
        "2026-01-07",
        "1",
        "2026",
    )
    assert (cells["location"], cells["geo_precision"]) == ("Kohat", "1")
    assert (cells["latitude"], cells["longitude"]) == ("33.58", "71.44")
    assert cells["khabar_fatalities_low"] == "5" and cells["khabar_fatalities_high"] == "8"
    assert "BLA alleged by Pakistan" in cells["notes"]
    assert cells["timestamp"] == str(int(NOW.timestamp()))


def test_acled_codes_an_attack_on_a_police_post_as_a_battle():
    cells = coded(POST)
    assert (cells["event_type"], cells["sub_event_type"]) == ("Battles", "Armed clash")
    assert cells["actor1"] == "Unidentified Armed Group (Afghanistan)" and cells["inter1"] == "3"
    assert cells["actor2"] == "Police Forces of Afghanistan" and cells["inter2"] == "1"
    assert cells["interaction"] == "13" and cells["civilian_targeting"] == ""
    # A month: the middle of it, precision 3.
    assert (cells["event_date"], cells["time_precision"]) == ("2025-11-15", "3")
    assert (cells["location"], cells["geo_precision"]) == ("Kunar", "3")


@pytest.mark.parametrize(
    ("target", "sub", "actor2"),
    [
        ("soldiers at a checkpoint", "Armed clash", "Military Forces of Pakistan"),
        ("a Frontier Corps convoy", "Armed clash", "Military Forces of Pakistan"),
        ("two constables on patrol", "Armed clash", "Police Forces of Pakistan"),
        ("worshippers at a mosque", "Attack", "Civilians (Pakistan)"),
        ("an armyworm research station", "Attack", "Civilians (Pakistan)"),  # whole words only
    ],
)
def test_acled_armed_targets_by_whole_words(target, sub, actor2):
    incident = POST.model_copy(
        update={"target": target, "location": Location(country="PK", precision="country")}
    )
    cells = coded(incident)
    assert (cells["sub_event_type"], cells["actor2"]) == (sub, actor2)
    assert cells["geo_precision"] == "3" and cells["location"] == "Pakistan"


def test_acled_codes_a_state_claimant_as_its_military():
    strike = BUS.model_copy(
        update={
            "event_type": "drone_strike",
            "suicide": None,
            "perpetrator": Perpetrator(claimed_by="Pakistan"),
            "target": None,
        }
    )
    cells = coded(strike)
    assert cells["sub_event_type"] == "Air/drone strike"
    assert cells["actor1"] == "Military Forces of Pakistan" and cells["inter1"] == "1"
    assert cells["actor2"] == "" and cells["interaction"] == "10"


def test_acled_codes_a_wing_under_its_organisation():
    cells = coded(BUS.model_copy(update={"perpetrator": Perpetrator(claimed_by="Majeed Brigade")}))
    assert cells["actor1"] == "BLA: Balochistan Liberation Army"
    assert cells["assoc_actor_1"] == "Majeed Brigade"


@pytest.mark.parametrize(
    ("date", "event_date", "precision", "year"),
    [
        (
            DateSpan(
                value="2025-03-04",
                precision="day",
                earliest=dt.date(2025, 3, 4),
                latest=dt.date(2025, 3, 4),
            ),
            "2025-03-04",
            "1",
            "2025",
        ),
        (
            DateSpan(
                value=None,
                precision="unknown",
                earliest=dt.date(2025, 3, 3),
                latest=dt.date(2025, 3, 9),
            ),
            "2025-03-06",
            "2",
            "2025",
        ),
        (
            DateSpan(
                value="2025-02",
                precision="month",
                earliest=dt.date(2025, 2, 1),
                latest=dt.date(2025, 2, 28),
            ),
            "2025-02-14",
            "3",
            "2025",
        ),
        (
            DateSpan(
                value="2024",
                precision="year",
                earliest=dt.date(2024, 1, 1),
                latest=dt.date(2024, 12, 31),
            ),
            "",
            "",
            "2024",
        ),
        (None, "", "", ""),
    ],
)
def test_acled_dates_by_the_codebook(date, event_date, precision, year):
    cells = coded(BUS.model_copy(update={"date": date}))
    assert (cells["event_date"], cells["time_precision"], cells["year"]) == (
        event_date,
        precision,
        year,
    )


def test_acled_unknowns_are_empty_never_guessed():
    cells = coded(VAGUE)
    assert cells["event_id_cnty"] == "XXX00000000000000c3"
    for column in ("event_date", "fatalities", "iso", "country", "latitude", "geo_precision"):
        assert cells[column] == "", column
    assert cells["actor1"] == "Unidentified Armed Group"
    assert cells["sub_event_type"] == "Abduction/forced disappearance"
    assert re.match(r"On an unknown date, kidnapping\.", cells["notes"])
