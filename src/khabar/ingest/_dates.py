"""Publication dates from metadata values and from page lines.

Only a date with a day, a month and a year is a publication date: "Updated 28 November
2025" is one, "2 hours ago" or "November 2025" are not (the first moves with the clock,
the second is a month). dateparser reads the many ways sites write dates.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

__all__ = ["find_date_marker", "parse_publication_date"]

_YEAR = re.compile(r"\b(19|20)\d{2}\b")
_ISO = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})(?:[T ][0-9:.+\-Z ]*)?\s*$")
_MARKER = re.compile(
    r"^(?:(?:last\s+)?updated|published|posted|first\s+published|date(?:d)?|"
    r"publish(?:ed)?\s+date)(?:\s+on)?\s*[:|\-]?\s*(?P<date>.{6,80}?)\s*$",
    re.IGNORECASE,
)
_BARE_DATE = re.compile(
    r"^(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?"
    r"(?:\d{1,2}\s+[a-z]{3,9}\.?,?\s+\d{4}|[a-z]{3,9}\.?\s+\d{1,2},?\s+\d{4})"
    r"(?:\s*[|,\-]?\s*\d{1,2}:\d{2}(?:\s*[ap]\.?m\.?)?(?:\s*[a-z]{2,5})?)?$",
    re.IGNORECASE,
)


@lru_cache(maxsize=4096)
def parse_publication_date(value: object) -> dt.date | None:
    """Read a publication date from a metadata value (front matter, JSON, feed, meta tag).

    Args:
        value: a ``date``, a ``datetime`` or a string in any common format.

    Returns:
        The date, or ``None`` when the value holds no full day-month-year date.
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not _YEAR.search(value):
        return None
    iso = _ISO.match(value)
    if iso:
        try:
            return dt.date(int(iso[1]), int(iso[2]), int(iso[3]))
        except ValueError:
            return None
    return _dateparser_day(value.strip())


def find_date_marker(line: str, *, bare: bool = False) -> dt.date | None:
    """The date of a page line such as "Updated 28 November 2025" or "Published March
    26, 2024"; with ``bare``, also of a line that is only a date ("28 Nov 2025 10:32")."""
    line = line.strip()
    if len(line) > 100 or not _YEAR.search(line):
        return None
    marker = _MARKER.match(line)
    if marker:
        return parse_publication_date(marker["date"])
    if bare and _BARE_DATE.match(line):
        return parse_publication_date(line)
    return None


def _dateparser_day(text: str) -> dt.date | None:
    import dateparser  # slow to import: only when a non-ISO date is met

    parsed = dateparser.parse(
        text,
        languages=["en"],
        settings={
            "STRICT_PARSING": True,
            "REQUIRE_PARTS": ["day", "month", "year"],
            "RETURN_AS_TIMEZONE_AWARE": False,
            "PREFER_DATES_FROM": "past",
        },
    )
    return parsed.date() if parsed else None
