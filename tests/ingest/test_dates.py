import datetime as dt

import pytest

from khabar.ingest._dates import find_date_marker, parse_publication_date


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Updated 28 November 2025", dt.date(2025, 11, 28)),
        ("Published March 26, 2024", dt.date(2024, 3, 26)),
        ("Last updated: 06 December 2025 10:41 PKT", dt.date(2025, 12, 6)),
        ("Posted on 3 Jan 2026", dt.date(2026, 1, 3)),
        ("Published: 2026-02-14", dt.date(2026, 2, 14)),
    ],
)
def test_find_date_marker_reads_marked_lines(line, expected):
    assert find_date_marker(line) == expected


@pytest.mark.parametrize(
    "line",
    [
        "Updated 2 hours ago",
        "Published in November 2025",
        "The attack was carried out on 28 November 2025 by gunmen who fled the scene.",
        "Pakistan condemns killing of Chinese workers",
    ],
)
def test_find_date_marker_ignores_other_lines(line):
    assert find_date_marker(line) is None


def test_find_date_marker_reads_a_bare_date_only_when_asked():
    assert find_date_marker("14 January 2026") is None
    assert find_date_marker("14 January 2026", bare=True) == dt.date(2026, 1, 14)
    assert find_date_marker("Wednesday, January 14, 2026 | 10:32 AM", bare=True) == dt.date(
        2026, 1, 14
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-03-26", dt.date(2024, 3, 26)),
        ("2024-03-26T08:15:00+05:00", dt.date(2024, 3, 26)),
        (dt.date(2024, 3, 26), dt.date(2024, 3, 26)),
        (dt.datetime(2024, 3, 26, 8, 0), dt.date(2024, 3, 26)),
        ("Tue, 26 Mar 2024 08:15:00 GMT", dt.date(2024, 3, 26)),
        ("2024-02-30", None),
        ("March 2024", None),
        ("soon", None),
        (20240326, None),
    ],
)
def test_parse_publication_date(value, expected):
    assert parse_publication_date(value) == expected
