"""Publication dates from metadata values and from page lines.

Only a date with a day, a month and a year is a publication date: "Updated 28 November
2025" is one, "2 hours ago" or "November 2025" are not (the first moves with the clock,
the second is a month). dateparser reads the many ways sites write dates.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

__all__ = ["date_in_url", "find_date_marker", "parse_publication_date"]

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


_URL_DATES = (
    # /2023/11/04/, -2023-11-04-
    re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)[/_-](?P<m>\d\d)[/_-](?P<d>\d\d)(?!\d)"),
    # 06-Sep-2023
    re.compile(
        r"(?<!\d)(?P<d>\d\d?)-(?P<mon>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*-"
        r"(?P<y>(?:19|20)\d\d)(?!\d)",
        re.IGNORECASE,
    ),
    # /20220707170702, /202502119335: a date that starts a number
    re.compile(r"(?<![\d.])(?P<y>20\d\d)(?P<m>[01]\d)(?P<d>[0-3]\d)\d{0,8}(?!\d)"),
)
_MONTH_ABBR = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def date_in_url(url: str | None, *, today: dt.date | None = None) -> dt.date | None:
    """The day a story's address carries ("/2023/11/04/", "06-Sep-2023"): the reference
    date when the page gives no publication date. A date after ``today`` is no date."""
    if not url:
        return None
    today = today or dt.date.today()
    path = url.split("?", 1)[0]
    for pattern in _URL_DATES:
        for match in pattern.finditer(path):
            groups = match.groupdict()
            month = (
                _MONTH_ABBR.index(groups["mon"][:3].lower()) + 1
                if groups.get("mon")
                else int(groups["m"])
            )
            try:
                day = dt.date(int(groups["y"]), month, int(groups["d"]))
            except ValueError:
                continue
            if day <= today:
                return day
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
