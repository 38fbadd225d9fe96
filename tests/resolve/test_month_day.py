"""A month and day without a year (``DateSpan.month_day``): the dated accounts of the
event an account joins anchor it; another month and day counts against merging."""

import datetime as dt

from khabar.records import Count, DateSpan, Incident, Location, SourceRef
from khabar.resolve import run
from khabar.resolve._score import Candidate, same_event_score

KALAT = Location(
    country="PK",
    admin1="Balochistan",
    admin2="Kalat",
    place="Kalat",
    lat=29.03,
    lon=66.59,
    precision="place",
)


def account(n, date, *, killed=4):
    return Incident(
        id=f"inc-{n}",
        event_type="armed_assault",
        date=date,
        location=KALAT,
        fatalities=Count(low=killed, best=killed, high=killed),
        sources=(SourceRef(article_id=f"a{n}", file=f"a{n}.txt"),),
    )


def day(value):
    date = dt.date.fromisoformat(value)
    return DateSpan(value=value, precision="day", earliest=date, latest=date)


def test_a_month_and_day_joins_the_event_of_that_day_and_takes_its_date():
    dated = account(1, day("2026-10-11"))
    bare = account(2, DateSpan(month_day="10-11"))
    events, decisions = run([(dated, dt.date(2026, 10, 12)), (bare, None)])
    (event,) = events
    assert event.date.value == "2026-10-11"
    assert "same month and day" in decisions[1].reason


def test_an_event_known_only_by_month_and_day_keeps_it():
    first = account(1, DateSpan(month_day="10-11"))
    second = account(2, DateSpan(month_day="10-11"))
    (event,) = run([(first, None), (second, None)])[0]
    assert (event.date.value, event.date.month_day) == (None, "10-11")
    assert event.date.label() == "11 Oct, year unknown"


def test_another_month_and_day_counts_against_the_merge():
    candidate = Candidate()
    candidate.add(account(1, day("2026-10-11")))
    near, reasons = same_event_score(candidate, account(2, DateSpan(month_day="10-13")))
    same, _ = same_event_score(candidate, account(3, DateSpan(month_day="10-11")))
    assert same - near == 4 and "month and day 2 days apart" in reasons
    # weeks apart: not one event, as with two full dates weeks apart
    assert same_event_score(candidate, account(4, DateSpan(month_day="11-20"))) is None
    # round the turn of the year
    candidate = Candidate()
    candidate.add(account(5, DateSpan(month_day="12-31")))
    _, reasons = same_event_score(candidate, account(6, day("2027-01-01")))
    assert "month and day a day apart" in reasons
