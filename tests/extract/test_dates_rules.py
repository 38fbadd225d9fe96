"""How an article's incidents and statements are dated: the reference date, what the
text fixes without one, captions, nights, follow-ups, and the day a statement was told.
Every article here is invented."""

import datetime as dt

import pytest

from khabar.extract import ExtractOptions, Extractor
from khabar.ingest import fingerprint
from khabar.records import Article

TODAY = dt.date(2026, 11, 22)


@pytest.fixture(scope="module")
def extractor():
    return Extractor(ExtractOptions(model="blank"), today=TODAY)


def records(extractor, text, kind, **meta):
    article = Article(id=fingerprint(text), text=text, file="a.txt", **meta)
    return [r for r in extractor.extract(article) if r.kind == kind]


def the_incident(extractor, text, **meta):
    reported = [
        i for i in records(extractor, text, "incident", **meta) if i.sources[0].role == "report"
    ]
    assert len(reported) == 1
    return reported[0]


STRUCK_MONDAY = "Gunmen attacked a police post in Kalat on Monday, killing three policemen."


@pytest.mark.parametrize(
    ("meta", "prefix", "value"),
    [
        # the publication date first, even when the address carries another day
        (
            {"published": dt.date(2026, 3, 12), "url": "https://example.org/2026/01/02/kalat"},
            "",
            "2026-03-09",
        ),
        # else a date in the address
        ({"url": "https://example.org/news/2026/03/12/kalat-attack"}, "", "2026-03-09"),
        ({"url": "https://example.org/12-Mar-2026/kalat-attack"}, "", "2026-03-09"),
        # else the dateline's date
        ({}, "QUETTA, March 12, 2026: ", "2026-03-09"),
    ],
)
def test_the_reference_is_the_publication_date_else_the_address_else_the_dateline(
    extractor, meta, prefix, value
):
    incident = the_incident(extractor, prefix + STRUCK_MONDAY, **meta)
    assert incident.date.value == value


def test_with_no_reference_a_weekday_or_last_month_gives_no_date(extractor):
    assert the_incident(extractor, STRUCK_MONDAY).date is None
    text = "Gunmen attacked a police post in Kalat last month, killing three policemen."
    assert the_incident(extractor, text).date is None


def test_with_no_reference_a_month_and_day_is_kept_without_a_year(extractor):
    text = "Gunmen attacked a police post in Kalat on 14 October, killing three policemen."
    date = the_incident(extractor, text).date
    assert (date.value, date.precision, date.month_day) == (None, "unknown", "10-14")
    assert date.label() == "14 Oct, year unknown"
    dated = the_incident(extractor, text, published=dt.date(2026, 10, 20)).date
    assert (dated.value, dated.month_day) == ("2026-10-14", None)


def test_the_night_of_two_days_is_the_first(extractor):
    text = (
        "Militants stormed a check post in Kalat on the night of 11/12 October, killing "
        "four soldiers."
    )
    assert the_incident(extractor, text, published=dt.date(2026, 10, 13)).date.value == (
        "2026-10-11"
    )
    assert the_incident(extractor, text).date.month_day == "10-11"


def test_a_photo_caption_dates_nothing(extractor):
    text = (
        "In this file photo, police guard a market in Quetta on March 3.\n"
        "A bomb exploded at a market in Quetta, killing nine people and wounding 20."
    )
    assert the_incident(extractor, text, published=dt.date(2026, 6, 10)).date is None
    text = (
        "Rescuers search the rubble of a police post in Kalat on Tuesday.—Courtesy Rescue 1122\n"
        "Militants stormed a police post in Kalat, killing four policemen."
    )
    assert the_incident(extractor, text, published=dt.date(2026, 6, 10)).date is None


def test_a_report_dated_only_by_its_telling_takes_that_day(extractor):
    text = (
        "Four soldiers were martyred in an attack on a check post in Kalat, the "
        "military said on Friday."
    )
    assert the_incident(extractor, text, published=dt.date(2026, 3, 6)).date.value == ("2026-03-06")
    text = (
        "The interior ministry on March 18 said militants attacked a check post in Kalat, "
        "killing four soldiers."
    )
    assert the_incident(extractor, text, published=dt.date(2026, 3, 19)).date.value == (
        "2026-03-18"
    )


def test_a_follow_up_is_dated_by_its_event_not_its_news_peg(extractor):
    published = dt.date(2026, 6, 10)
    text = (
        "Police on Tuesday arrested three suspects over the March 3 bombing of a market in "
        "Quetta that killed nine people."
    )
    assert the_incident(extractor, text, published=published).date.value == "2026-03-03"
    # the arrests' day is not the bombing's, and the lead gives the bombing no other
    text = (
        "Police said on Monday they had arrested two men over the bombing of a bus in "
        "Quetta that killed six people."
    )
    assert the_incident(extractor, text, published=published).date is None
    text = (
        "The death toll from the bombing of a bus in Quetta rose to nine as two more of "
        "the wounded died, officials said on Monday."
    )
    assert the_incident(extractor, text, published=published).date is None
    text = (
        "The funeral of four soldiers killed in an ambush near Turbat last week was held on Sunday."
    )
    date = the_incident(extractor, text, published=published).date
    assert (date.precision, date.earliest, date.latest) == (
        "unknown",
        dt.date(2026, 6, 1),
        dt.date(2026, 6, 7),
    )


def statements(extractor, text, **meta):
    return {(s.type, s.source.name): s for s in records(extractor, text, "statement", **meta)}


def test_a_statement_takes_the_day_its_source_was_told_to_speak(extractor):
    text = (
        "Militants stormed a police post in Kalat, killing four policemen.\n"
        "The Foreign Office said in a statement on Thursday that the attackers had come "
        "from Afghanistan.\n"
        "The Foreign Office urged Afghanistan to hand over the planners of the attack."
    )
    found = statements(extractor, text, published=dt.date(2026, 5, 30))
    request = found[("REQUEST", "Pakistan")]
    assert request.date.value == "2026-05-28"
    assert any(e.field == "date" and "on Thursday" in e.quote for e in request.evidence)


def test_a_statement_is_not_dated_by_a_year_another_event_or_an_earlier_telling(extractor):
    text = (
        "Saturday's bombing in Kalat was claimed by the TTP, which killed four policemen.\n"
        "The Foreign Office said on Monday that the attackers had come from Afghanistan.\n"
        "The Foreign Office had earlier urged Afghanistan to act against the TTP."
    )
    found = statements(extractor, text, published=dt.date(2026, 6, 3))
    assert found[("CLAIM_RESPONSIBILITY", "TTP")].date is None
    assert found[("REQUEST", "Pakistan")].date is None
    text = "In 2025, the Foreign Office urged Afghanistan to act against the TTP."
    assert (
        statements(extractor, text, published=dt.date(2026, 6, 3))[("REQUEST", "Pakistan")].date
        is None
    )


def test_an_attack_that_came_days_after_another_is_dated_from_it(extractor):
    published = dt.date(2026, 4, 10)
    text = (
        "Militants ambushed a police patrol in Kalat, killing four policemen.\n"
        "The ambush came two days after a bomb exploded at a market in Turbat on "
        "Wednesday, killing three people."
    )
    found = {
        i.event_type: i.date.value
        for i in records(extractor, text, "incident", published=published)
    }
    assert found == {"armed_assault": "2026-04-10", "bombing": "2026-04-08"}
    # the other way round: the dated attack came after the undated one
    text = (
        "A bomb exploded at a market in Turbat on Wednesday, killing three people.\n"
        "In a separate attack, militants ambushed a police patrol in Kalat, killing four "
        "policemen.\n"
        "The bombing came two days after the ambush."
    )
    found = {
        i.event_type: i.date for i in records(extractor, text, "incident", published=published)
    }
    assert found["armed_assault"] is None
