import datetime as dt

import pytest

from khabar.extract.timex import find_anchor, find_times, is_caption

PUBLISHED = dt.date(2025, 11, 28)  # a Friday


def resolved(text, reference, today=dt.date(2026, 11, 22)):
    return [
        (m.text, m.span.value, m.span.precision, m.span.earliest, m.span.latest)
        for m in find_times(text, reference=reference, today=today)
    ]


@pytest.mark.parametrize(
    ("text", "value", "precision"),
    [
        ("on Tuesday", "2025-11-25", "day"),
        ("late on Friday", "2025-11-28", "day"),
        ("last Friday", "2025-11-21", "day"),
        ("yesterday", "2025-11-27", "day"),
        ("two days ago", "2025-11-26", "day"),
        ("on November 3", "2025-11-03", "day"),
        ("on December 3", "2024-12-03", "day"),
        ("last month", "2025-10", "month"),
        ("earlier this month", "2025-11", "month"),
        ("last year", "2024", "year"),
        ("in 2022", "2022", "year"),
        ("in March 2024", "2024-03", "month"),
        ("on 3 January 2026", "2026-01-03", "day"),
        ("a 2021 blast", "2021", "year"),
    ],
)
def test_find_times_resolves_against_the_publication_date(text, value, precision):
    ((_, got_value, got_precision, _, _),) = resolved(f"It happened {text}.", PUBLISHED)
    assert (got_value, got_precision) == (value, precision)


def test_find_times_gives_a_window_for_last_week():
    ((_, value, precision, earliest, latest),) = resolved("last week", PUBLISHED)
    assert (value, precision) == (None, "unknown")
    assert (earliest, latest) == (dt.date(2025, 11, 17), dt.date(2025, 11, 23))


@pytest.mark.parametrize(
    "text", ["on Tuesday", "last month", "two days ago", "yesterday", "last week", "in June"]
)
def test_find_times_without_a_reference_leaves_relative_dates_unknown(text):
    """A weekday, "last month", a month alone: no reference, no date (never a guess)."""
    assert resolved(f"It happened {text}.", None) == []


@pytest.mark.parametrize(
    ("text", "month_day"),
    [
        ("on March 26", "03-26"),
        ("on 7 November", "11-07"),
        ("on the night of 11/12 October", "10-11"),
        ("on the night of October 11-12", "10-11"),
        ("on February 29", "02-29"),
    ],
)
def test_find_times_without_a_reference_keeps_a_month_and_day_without_a_year(text, month_day):
    ((_, value, precision, earliest, latest),) = resolved(f"It happened {text}.", None)
    assert (value, precision, earliest, latest) == (None, "unknown", None, None)
    (mention,) = find_times(f"It happened {text}.", reference=None, today=dt.date(2026, 1, 1))
    assert mention.span.month_day == month_day


def test_find_times_reads_no_day_that_no_month_has():
    assert resolved("It happened on February 30.", None) == []
    assert resolved("It happened on April 31.", PUBLISHED) == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("on the night of 11/12 October", "2025-10-11"),
        ("during the night of 11-12 October", "2025-10-11"),
        ("on the night of October 11 and 12", "2025-10-11"),
        ("on the night of 30/31 December 2024", "2024-12-30"),
    ],
)
def test_find_times_dates_a_night_by_its_first_day(text, value):
    ((_, got, precision, _, _),) = resolved(f"Militants attacked {text}.", PUBLISHED)
    assert (got, precision) == (value, "day")


def test_find_times_resolves_a_weekday_against_the_reference_only():
    ((_, value, _, _, _),) = resolved("Gunmen struck on Monday.", PUBLISHED)
    assert value == "2025-11-24"
    assert resolved("Gunmen struck on Monday.", None) == []
    assert resolved("Gunmen struck last month.", None) == []  # no publication date: null


@pytest.mark.parametrize(
    "line",
    [
        "In this file photo, police guard a market in Quetta on March 3.",
        "Rescuers search the rubble on Tuesday.—Courtesy Rescue 1122",
        "Mourners gather at a funeral on Sunday. — Picture courtesy: State TV",
        "Soldiers stand guard at a checkpoint. (AFP/File)",
        "Photo: a burnt-out van on the highway",
    ],
)
def test_is_caption_knows_a_photo_caption(line):
    assert is_caption(line)


@pytest.mark.parametrize(
    "line",
    [
        "Gunmen killed four policemen in Kalat on Tuesday, officials said.",
        "The photo of the attacker was released by police on Monday.",
    ],
)
def test_is_caption_leaves_the_story_alone(line):
    assert not is_caption(line)


def test_find_times_fixes_the_year_from_a_weekday():
    ((_, value, _, _, _),) = resolved("on Thursday, May 30, the ministry said", None)
    assert value == "2024-05-30"


def test_find_times_ignores_since_and_lowercase_may():
    assert resolved("attacks have risen since 2021", PUBLISHED) == []
    assert resolved("they may 30 times have tried", PUBLISHED) == []


def test_find_anchor_prefers_the_datelines_date():
    text = (
        "• Talks held on 2 March 2025 ended without a deal\n"
        "KABUL, March 9, 2025: Gunmen attacked a checkpoint on Friday."
    )
    assert find_anchor(text, today=dt.date(2026, 11, 22)) == dt.date(2025, 3, 9)
    # a date that lies after today is no reference
    assert find_anchor("on 3 May 2031 and 2 May 2024", today=dt.date(2026, 1, 1)) == dt.date(
        2024, 5, 2
    )


def test_find_anchor_is_the_first_date_the_text_fixes():
    text = "The March 26 attack ... In a statement on Thursday, May 30, officials said."
    assert find_anchor(text, today=dt.date(2026, 11, 22)) == dt.date(2024, 5, 30)
    assert find_anchor("on Tuesday", today=dt.date(2026, 11, 22)) is None


@pytest.mark.parametrize(
    ("text", "value"),
    [("a March bombing", "2025-03"), ("in December", "2024-12"), ("in November", "2025-11")],
)
def test_find_times_reads_a_month_without_year_as_the_latest_such_month(text, value):
    ((_, got, precision, _, _),) = resolved(text, PUBLISHED)
    assert (got, precision) == (value, "month")


def test_find_times_answers_again_from_its_cache_with_a_list_of_its_own():
    """Attacks and statements both read a sentence's times: the second reading comes
    from the cache, and a caller that changes its list changes nobody else's."""
    text = "The convoy was ambushed on Tuesday, officials said on Wednesday."
    first = find_times(text, reference=dt.date(2025, 3, 7), today=dt.date(2025, 3, 7))
    first.clear()
    again = find_times(text, reference=dt.date(2025, 3, 7), today=dt.date(2025, 3, 7))
    assert [m.text for m in again] == ["Tuesday", "Wednesday"]
    assert again[0].span.value == "2025-03-04"
    other = find_times(text, reference=dt.date(2025, 3, 14), today=dt.date(2025, 3, 14))
    assert other[0].span.value == "2025-03-11"  # another reference: read again
