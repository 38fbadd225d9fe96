import datetime as dt

import pytest

from khabar.extract.timex import find_anchor, find_times

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


@pytest.mark.parametrize("text", ["on Tuesday", "last month", "on March 26", "two days ago"])
def test_find_times_without_a_reference_leaves_relative_dates_unknown(text):
    assert resolved(f"It happened {text}.", None) == []


def test_find_times_fixes_the_year_from_a_weekday():
    ((_, value, _, _, _),) = resolved("on Thursday, May 30, the ministry said", None)
    assert value == "2024-05-30"


def test_find_times_ignores_since_and_lowercase_may():
    assert resolved("attacks have risen since 2021", PUBLISHED) == []
    assert resolved("they may 30 times have tried", PUBLISHED) == []


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
