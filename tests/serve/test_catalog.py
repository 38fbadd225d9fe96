"""The API's read model (khabar.serve._catalog) over hand-made incidents in memory."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from pydantic import ValidationError

from khabar.records import (
    Allegation,
    Count,
    DateSpan,
    Evidence,
    Incident,
    Location,
    Perpetrator,
    SourceRef,
    VictimGroup,
)
from khabar.serve._catalog import (
    Catalog,
    IncidentFilter,
    StatementFilter,
    aggregate,
    period_of,
)
from khabar.store import open_store


def on(value: str) -> DateSpan:
    """A day-precision date."""
    day = dt.date.fromisoformat(value)
    return DateSpan(value=value, precision="day", earliest=day, latest=day)


def month(value: str) -> DateSpan:
    year, number = (int(part) for part in value.split("-"))
    last = calendar.monthrange(year, number)[1]
    return DateSpan(
        value=value,
        precision="month",
        earliest=dt.date(year, number, 1),
        latest=dt.date(year, number, last),
    )


def year(value: str) -> DateSpan:
    return DateSpan(
        value=value,
        precision="year",
        earliest=dt.date(int(value), 1, 1),
        latest=dt.date(int(value), 12, 31),
    )


def place(country: str, admin1: str | None = None, name: str | None = None) -> Location:
    return Location(
        country=country,
        admin1=admin1,
        place=name,
        precision="place" if name else "admin1" if admin1 else "country",
    )


def incident(
    id: str,
    *,
    date: DateSpan | None = None,
    where: Location | None = None,
    event_type: str = "bombing",
    killed: int | None = None,
    injured: int | None = None,
    victims: dict[str, int] | None = None,
    claimed_by: str | None = None,
    alleged: tuple[str, ...] = (),
    suicide: bool | None = None,
    target: str | None = None,
    sources: int = 1,
    quote: str | None = None,
) -> Incident:
    return Incident(
        id=id,
        event_type=event_type,  # type: ignore[arg-type]
        suicide=suicide,
        date=date,
        location=where,
        fatalities=Count(low=killed, best=killed, high=killed) if killed is not None else None,
        injured=Count(low=injured, best=injured, high=injured) if injured is not None else None,
        victims=tuple(VictimGroup(nationality=n, count=c) for n, c in (victims or {}).items()),
        perpetrator=(
            Perpetrator(
                claimed_by=claimed_by,
                alleged=tuple(Allegation(actor=a, by="Pakistan") for a in alleged),
            )
            if claimed_by or alleged
            else None
        ),
        target=target,
        sources=tuple(SourceRef(article_id=f"art-{id}-{n}") for n in range(sources)),
        evidence=(
            (
                Evidence(
                    field="target", article_id=f"art-{id}-0", start=0, end=len(quote), quote=quote
                ),
            )
            if quote
            else ()
        ),
    )


EVENTS = [
    incident(
        "evt-a",
        date=on("2025-03-05"),
        where=place("PK", "Balochistan", "Gwadar"),
        killed=3,
        injured=2,
        victims={"CN": 2, "PK": 1},
        claimed_by="BLA",
        alleged=("BLA",),
        suicide=True,
        sources=3,
        quote="A suicide bomber struck a convoy near the port",
    ),
    incident(
        "evt-b",
        date=on("2025-03-09"),
        where=place("PK", "Khyber Pakhtunkhwa", "Bannu"),
        event_type="armed_assault",
        killed=1,
        claimed_by="TTP",
        suicide=False,
        sources=2,
        target="a police station",
    ),
    incident(
        "evt-c",
        date=month("2025-03"),
        where=place("AF", "Kunduz"),
        killed=5,
        injured=1,
        alleged=("militants based in Pakistan",),
        sources=1,
    ),
    incident(
        "evt-d",
        where=place("PK", "Sindh", "Karachi"),
        event_type="kidnapping",
        victims={"CN": 1},
        sources=2,
    ),
    incident("evt-e", date=year("2024"), where=None, killed=9, victims={"CN": 9}),
    incident(
        "evt-f",
        date=on("2025-04-01"),
        where=place("TJ", "Khatlon"),
        event_type="drone_strike",
        killed=0,
        suicide=False,
        sources=4,
    ),
]


@pytest.fixture(scope="module")
def catalog() -> Iterator[Catalog]:
    store = open_store(":memory:")
    store.save_resolution(EVENTS, [])
    try:
        yield Catalog(store)
    finally:
        store.close()


def found(catalog: Catalog, **wanted: Any) -> list[str]:
    return sorted(row.id for row in catalog.filter_incidents(IncidentFilter(**wanted)))


# -- period_of -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "week"),
    [
        ("2025-03-03", "2025-03-03"),
        ("2025-03-05", "2025-03-03"),
        ("2025-03-09", "2025-03-03"),
        ("2025-03-10", "2025-03-10"),
        ("2025-01-01", "2024-12-30"),
        ("2024-02-29", "2024-02-26"),
    ],
)
def test_a_week_starts_on_monday(day, week):
    assert period_of(dt.date.fromisoformat(day), "week") == week
    assert dt.date.fromisoformat(week).weekday() == 0


@pytest.mark.parametrize(
    ("day", "month_", "quarter"),
    [
        ("2025-01-01", "2025-01", "2025-Q1"),
        ("2025-03-31", "2025-03", "2025-Q1"),
        ("2025-04-01", "2025-04", "2025-Q2"),
        ("2025-09-30", "2025-09", "2025-Q3"),
        ("2025-10-01", "2025-10", "2025-Q4"),
        ("2025-12-31", "2025-12", "2025-Q4"),
        ("0999-05-05", "0999-05", "0999-Q2"),
    ],
)
def test_month_and_quarter(day, month_, quarter):
    date = dt.date.fromisoformat(day)
    assert period_of(date, "month") == month_
    assert period_of(date, "quarter") == quarter


# -- aggregate -------------------------------------------------------------------------


def test_weekly_series_leaves_out_dates_wider_than_a_week(catalog):
    series, left_out = aggregate(catalog.incidents(), "week")
    # evt-c (month), evt-d (undated) and evt-e (year) do not fit one week
    assert left_out == 3
    assert series == [
        {"period": "2025-03-03", "group": None, "incidents": 2, "fatalities": 4, "injured": 2},
        {"period": "2025-03-31", "group": None, "incidents": 1, "fatalities": 0, "injured": 0},
    ]


def test_monthly_series_places_a_month_precision_date(catalog):
    series, left_out = aggregate(catalog.incidents(), "month")
    assert left_out == 2  # undated, and a year
    assert series == [
        {"period": "2025-03", "group": None, "incidents": 3, "fatalities": 9, "injured": 3},
        {"period": "2025-04", "group": None, "incidents": 1, "fatalities": 0, "injured": 0},
    ]


def test_quarterly_series(catalog):
    series, left_out = aggregate(catalog.incidents(), "quarter")
    assert left_out == 2
    assert [(c["period"], c["incidents"], c["fatalities"]) for c in series] == [
        ("2025-Q1", 3, 9),
        ("2025-Q2", 1, 0),
    ]


def test_a_month_date_that_fits_no_week_but_its_quarter():
    rows = _rows([incident("evt-m", date=month("2025-02"), killed=2)])
    assert aggregate(rows, "week") == ([], 1)
    assert aggregate(rows, "quarter")[0][0]["period"] == "2025-Q1"


def test_a_year_date_fits_no_quarter():
    rows = _rows([incident("evt-y", date=year("2025"), killed=2)])
    for interval in ("week", "month", "quarter"):
        assert aggregate(rows, interval) == ([], 1)  # type: ignore[arg-type]


def test_a_date_span_across_two_weeks_is_left_out():
    span = DateSpan(
        value="2025-03",
        precision="month",
        earliest=dt.date(2025, 3, 9),
        latest=dt.date(2025, 3, 10),
    )
    rows = _rows([incident("evt-s", date=span)])
    assert aggregate(rows, "week") == ([], 1)
    assert aggregate(rows, "month")[1] == 0


def test_by_nationality_counts_an_incident_in_each_group(catalog):
    series, left_out = aggregate(catalog.incidents(), "month", "nationality")
    assert left_out == 2
    cells = {(c["period"], c["group"]): c for c in series}
    assert set(cells) == {
        ("2025-03", None),
        ("2025-03", "CN"),
        ("2025-03", "PK"),
        ("2025-04", None),
    }
    assert cells["2025-03", "CN"]["incidents"] == 1
    assert cells["2025-03", "PK"]["incidents"] == 1
    assert cells["2025-03", "CN"]["fatalities"] == cells["2025-03", "PK"]["fatalities"] == 3
    assert cells["2025-03", None]["incidents"] == 2  # evt-b, evt-c: no victims named
    assert [(c["period"], c["group"] or "") for c in series] == sorted(
        (c["period"], c["group"] or "") for c in series
    )


def test_by_actor_counts_claimant_and_accused_once_each(catalog):
    series, _ = aggregate(catalog.incidents(), "month", "actor")
    cells = {(c["period"], c["group"]): c["incidents"] for c in series}
    assert cells == {
        ("2025-03", "BLA"): 1,  # claimed and alleged: counted once
        ("2025-03", "TTP"): 1,
        ("2025-03", "militants based in Pakistan"): 1,
        ("2025-04", None): 1,
    }


@pytest.mark.parametrize(
    ("by", "groups"),
    [
        ("country", {"PK": 2, "AF": 1, "TJ": 1}),
        (
            "admin1",
            {"PK/Balochistan": 1, "PK/Khyber Pakhtunkhwa": 1, "AF/Kunduz": 1, "TJ/Khatlon": 1},
        ),
        ("event_type", {"bombing": 2, "armed_assault": 1, "drone_strike": 1}),
    ],
)
def test_by_a_single_valued_group(catalog, by, groups):
    series, left_out = aggregate(catalog.incidents(), "quarter", by)
    assert left_out == 2
    counted: dict[str, int] = {}
    for cell in series:
        counted[cell["group"]] = counted.get(cell["group"], 0) + cell["incidents"]
    assert counted == groups


def test_an_incident_without_a_place_groups_under_none():
    rows = _rows([incident("evt-x", date=on("2025-01-02"), killed=1)])
    for by in ("country", "admin1"):
        series, _ = aggregate(rows, "month", by)  # type: ignore[arg-type]
        assert [c["group"] for c in series] == [None]


def test_aggregate_of_nothing():
    assert aggregate([], "week") == ([], 0)


def _rows(events: list[Incident]) -> list[Any]:
    store = open_store(":memory:")
    try:
        store.save_resolution(events, [])
        return Catalog(store).incidents()
    finally:
        store.close()


# -- IncidentFilter and StatementFilter ------------------------------------------------


def test_incident_filter_normalises_codes_and_blanks():
    wanted = IncidentFilter(country="pk", nationality="cn", admin1="  ", actor="", q="  port ")
    assert (wanted.country, wanted.nationality) == ("PK", "CN")
    assert wanted.admin1 is None and wanted.actor is None
    assert wanted.q == "port"


@pytest.mark.parametrize(
    ("values", "name"),
    [
        ({"since": "2025-03-02", "until": "2025-03-01"}, "until"),
        ({"country": "PAK"}, "country"),
        ({"country": "P1"}, "country"),
        ({"nationality": "Chinese"}, "nationality"),
        ({"event_type": ["explosion"]}, "event_type"),
        ({"min_fatalities": -1}, "min_fatalities"),
        ({"since": "2025-13-01"}, "since"),
        ({"admin1": "x" * 101}, "admin1"),
        ({"q": "x" * 201}, "q"),
        ({"suicide": "perhaps"}, "suicide"),
    ],
)
def test_incident_filter_rejects(values, name):
    with pytest.raises(ValidationError) as caught:
        IncidentFilter(**values)
    assert name in str(caught.value)


def test_incident_filter_allows_a_one_day_window():
    wanted = IncidentFilter(since="2025-03-01", until="2025-03-01")
    assert wanted.since == wanted.until == dt.date(2025, 3, 1)


@pytest.mark.parametrize(
    "values",
    [{"since": "2025-03-02", "until": "2025-03-01"}, {"type": ["BLAME"]}, {"about": "x" * 41}],
)
def test_statement_filter_rejects(values):
    with pytest.raises(ValidationError):
        StatementFilter(**values)


# -- filter semantics ------------------------------------------------------------------


def test_no_filter_keeps_everything(catalog):
    assert found(catalog) == sorted(e.id for e in EVENTS)


def test_a_date_window_keeps_what_overlaps_it(catalog):
    # evt-c is "March 2025": any window that touches March keeps it
    assert "evt-c" in found(catalog, since="2025-03-20")
    assert "evt-c" in found(catalog, until="2025-03-01")
    assert "evt-c" in found(catalog, since="2025-03-15", until="2025-03-16")
    assert "evt-c" not in found(catalog, since="2025-04-01")
    assert "evt-c" not in found(catalog, until="2025-02-28")
    # a day's bounds are inclusive
    assert found(catalog, since="2025-03-05", until="2025-03-05") == ["evt-a", "evt-c"]
    assert found(catalog, since="2025-03-06", until="2025-03-08") == ["evt-c"]
    # the year 2024 overlaps any window within it
    assert found(catalog, since="2024-06-01", until="2024-06-01") == ["evt-e"]


def test_a_date_filter_leaves_out_the_undated(catalog):
    assert "evt-d" not in found(catalog, since="1900-01-01")
    assert "evt-d" not in found(catalog, until="2100-01-01")
    assert found(catalog, since="1900-01-01") == sorted(e.id for e in EVENTS if e.date)


def test_filter_by_place(catalog):
    assert found(catalog, country="pk") == ["evt-a", "evt-b", "evt-d"]
    assert found(catalog, admin1="khyber pakhtunkhwa") == ["evt-b"]
    assert found(catalog, admin1="KUNDUZ", country="AF") == ["evt-c"]
    assert found(catalog, admin1="Kunduz", country="PK") == []
    assert found(catalog, country="IR") == []


def test_filter_by_event_types(catalog):
    assert found(catalog, event_type=["bombing"]) == ["evt-a", "evt-c", "evt-e"]
    assert found(catalog, event_type=["kidnapping", "drone_strike"]) == ["evt-d", "evt-f"]


def test_filter_by_nationality(catalog):
    assert found(catalog, nationality="CN") == ["evt-a", "evt-d", "evt-e"]
    assert found(catalog, nationality="pk") == ["evt-a"]


@pytest.mark.parametrize("name", ["BLA", "Balochistan Liberation Army", "baloch liberation army"])
def test_filter_by_actor_alias(catalog, name):
    assert found(catalog, actor=name) == ["evt-a"]


def test_filter_by_actor_matches_allegations_and_unknown_names(catalog):
    assert found(catalog, actor="Tehrik-i-Taliban Pakistan") == ["evt-b"]
    assert found(catalog, actor="Militants Based in Pakistan") == ["evt-c"]
    assert found(catalog, actor="ISKP") == []


def test_filter_by_toll_and_suicide(catalog):
    assert found(catalog, min_fatalities=3) == ["evt-a", "evt-c", "evt-e"]
    assert found(catalog, min_fatalities=0) == ["evt-a", "evt-b", "evt-c", "evt-e", "evt-f"]
    assert found(catalog, suicide=True) == ["evt-a"]
    assert found(catalog, suicide=False) == ["evt-b", "evt-f"]  # unknown is neither


def test_text_search_reads_places_target_actors_and_quotes(catalog):
    assert found(catalog, q="GWADAR") == ["evt-a"]
    assert found(catalog, q="convoy near the port") == ["evt-a"]
    assert found(catalog, q="police station") == ["evt-b"]
    assert found(catalog, q="ttp") == ["evt-b"]
    assert found(catalog, q="drone strike") == ["evt-f"]
    assert found(catalog, q="khatlon") == ["evt-f"]
    assert found(catalog, q="atlantis") == []


def test_filters_combine(catalog):
    assert found(catalog, country="PK", nationality="CN") == ["evt-a", "evt-d"]
    assert found(catalog, country="PK", nationality="CN", since="2025-01-01") == ["evt-a"]


# -- sorting ---------------------------------------------------------------------------


def sorted_ids(catalog: Catalog, order: str) -> list[str]:
    return [row.id for row in Catalog.sort_incidents(catalog.incidents(), order)]  # type: ignore[arg-type]


def test_sort_by_date_puts_the_undated_last_both_ways(catalog):
    # evt-c (from 2025-03-01) before evt-a (2025-03-05): by earliest day
    assert sorted_ids(catalog, "date") == ["evt-e", "evt-c", "evt-a", "evt-b", "evt-f", "evt-d"]
    assert sorted_ids(catalog, "-date") == ["evt-f", "evt-b", "evt-a", "evt-c", "evt-e", "evt-d"]


def test_sort_by_fatalities_puts_unknown_tolls_last_both_ways(catalog):
    assert sorted_ids(catalog, "fatalities") == [
        "evt-f",
        "evt-b",
        "evt-a",
        "evt-c",
        "evt-e",
        "evt-d",
    ]
    assert sorted_ids(catalog, "-fatalities") == [
        "evt-e",
        "evt-c",
        "evt-a",
        "evt-b",
        "evt-f",
        "evt-d",
    ]


def test_sort_by_sources_breaks_ties_by_id(catalog):
    assert sorted_ids(catalog, "sources") == ["evt-c", "evt-e", "evt-b", "evt-d", "evt-a", "evt-f"]
    assert sorted_ids(catalog, "-sources") == ["evt-f", "evt-a", "evt-d", "evt-b", "evt-e", "evt-c"]


def test_several_unknowns_go_last_in_id_order():
    rows = _rows(
        [
            incident("evt-3"),
            incident("evt-1", killed=2),
            incident("evt-2"),
            incident("evt-0", killed=1),
        ]
    )
    for order in ("fatalities", "-fatalities"):
        assert [r.id for r in Catalog.sort_incidents(rows, order)][2:] == ["evt-2", "evt-3"]
    assert [r.id for r in Catalog.sort_incidents(rows, "date")] == [
        "evt-0",
        "evt-1",
        "evt-2",
        "evt-3",
    ]


# -- the catalog itself ----------------------------------------------------------------


def test_rows_hold_what_filters_need(catalog):
    row = catalog.incident("evt-a")
    assert row is not None
    assert (row.earliest, row.latest) == (dt.date(2025, 3, 5), dt.date(2025, 3, 5))
    assert row.precision == "day"
    assert row.fatalities == 3
    assert row.actors == frozenset({"bla"})
    assert row.nationalities == frozenset({"CN", "PK"})
    assert row.reports == 3
    assert catalog.incident("evt-d").precision == "unknown"  # type: ignore[union-attr]
    assert catalog.incident("evt-nope") is None


def test_canonical_names(catalog):
    assert catalog.canonical("Balochistan Liberation Army") == "bla"
    assert catalog.canonical("Some Unknown Group") == "some unknown group"
    assert catalog.canonical(None) is None
    assert catalog.canonical("") is None


def test_actor_counts(catalog):
    counts = catalog.actor_counts()
    assert counts["BLA"] == {"claimed": 1, "accused_of_attack": 1}
    assert counts["TTP"] == {"claimed": 1}
    assert counts["militants based in Pakistan"] == {"accused_of_attack": 1}


def test_refresh_reads_the_store_again():
    store = open_store(":memory:")
    try:
        store.save_resolution(EVENTS[:2], [])
        catalog = Catalog(store)
        assert [r.id for r in catalog.incidents()] == ["evt-a", "evt-b"]
        store.save_resolution(EVENTS[2:3], [])
        assert [r.id for r in catalog.incidents()] == ["evt-a", "evt-b"], "cached"
        generation = catalog.generation
        catalog.refresh()
        assert catalog.generation == generation + 1
        assert [r.id for r in catalog.incidents()] == ["evt-c"]
        assert catalog.incident("evt-a") is None
        assert catalog.statements() == [] and catalog.arrests() == []
        assert catalog.filter_statements(StatementFilter()) == []
    finally:
        store.close()
