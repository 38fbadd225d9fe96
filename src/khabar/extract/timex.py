"""Temporal expressions -> DateSpans, resolved against a reference date.

The reference is the publication date. Without one, only what the text itself fixes
counts: a full date, a year, or a weekday with a day and month ("Thursday, May 30"
happens in 2024, the latest such year not after today). Such a fixed date can then serve
as the article's reference (``find_anchor``). "Last month" with no reference gives
nothing: an unknown date is ``None``, never a guess.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from ..records import DateSpan
from ._match import compile as _compile
from .numbers import word_number

__all__ = [
    "TimeMention",
    "day_span",
    "find_anchor",
    "find_times",
    "is_caption",
    "month_day_span",
    "month_span",
    "year_span",
]

_MONTHS = {
    name.lower(): number
    for number in range(1, 13)
    for name in (calendar.month_name[number], calendar.month_abbr[number])
}
_MONTHS["sept"] = 9
_WEEKDAYS = {name.lower(): number for number, name in enumerate(calendar.day_name)}
_MONTH = (
    r"(?P<month>January|February|March|April|May|June|July|August|September|October|"
    r"November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
_MONTH2 = _MONTH.replace("?P<month>", "?P<month2>")
_WEEKDAY = r"(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_DAY2 = _DAY.replace("?P<day>", "?P<day2>")
_MONTH3 = _MONTH.replace("?P<month>", "?P<month3>")
_YEAR = r"(?P<year>(?:19|20)\d{2})"

_PATTERNS = [
    # "the night of 11/12 October [2024]", "the night of October 11-12": the first day
    (
        "night",
        _compile(
            r"\bnight of\s+(?:(?P<nday>[0-3]?\d)\s*(?:/|-|–|and)\s*[0-3]?\d\s+"
            + _MONTH.replace("?P<month>", "?P<nmonth>")
            + r"|"
            + _MONTH.replace("?P<month>", "?P<nmonth2>")
            + r"\s+(?P<nday2>[0-3]?\d)\s*(?:/|-|–|and)\s*[0-3]?\d)"
            + r"(?:,?\s+(?P<nyear>(?:19|20)\d{2}))?\b"
        ),
    ),
    # Thursday, May 30[, 2024] | Thursday, 30 May[ 2024] | May 30, 2024 | 30 May 2024
    (
        "date",
        _compile(
            rf"\b(?:{_WEEKDAY},?\s+)?(?:(?:the\s+)?{_DAY}\s+(?:of\s+)?{_MONTH}|{_MONTH2}\s+{_DAY2})"
            rf"(?!\d)(?:,?\s+{_YEAR})?\b"
        ),
    ),  # months capitalised: "may 30" is not a date
    (
        "month_year",
        _compile(rf"\b(?:in\s+|during\s+|since\s+)?{_MONTH3}\s+(?P<year2>(?:19|20)\d{{2}})\b"),
    ),
    (
        "year",
        _compile(
            r"\b(?P<lead>in|during|of|since|by|a|the)\s+(?P<year3>(?:19|20)\d{2})\b"
            r"(?!\s*(?:-|–)\s*\d)",
            re.IGNORECASE,
        ),
    ),
    (
        "year_adj",
        _compile(
            r"\b(?P<year4>(?:19|20)\d{2})\s+(?=(?:attack|bombing|blast|assault|"
            r"raid|strike|killing|kidnapping|massacre|explosion|shooting))",
            re.IGNORECASE,
        ),
    ),
    (
        "month_only",
        _compile(
            r"\b(?P<mlead>(?i:in|a|an|last|this|early|late|mid-|since|during|the))\s+"
            + _MONTH.replace("?P<month>", "?P<month4>")
            + r"(?!\s*\d)(?:'s)?\b"
        ),
    ),
    (
        "season",
        _compile(
            r"\b(?P<swhich>last|this|early last|late last|earlier this)\s+"
            r"(?P<season>spring|summer|autumn|fall|winter)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "relative_day",
        _compile(
            r"\b(?P<rel>yesterday|today|last night|this morning|tonight|"
            r"earlier today|overnight)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "ago",
        _compile(
            r"\b(?P<n>\d+|one|two|three|four|five|six|seven|eight|nine|ten|a|an)\s+"
            r"(?P<unit>days?|weeks?|months?|years?)\s+ago\b",
            re.IGNORECASE,
        ),
    ),
    (
        "last_unit",
        _compile(
            r"\b(?P<which>last|past|previous|this|earlier this|later this|"
            r"late last|early last|next)\s+(?P<unit2>week|month|year)\b",
            re.IGNORECASE,
        ),
    ),
    ("weekday", _compile(rf"\b(?P<last>last\s+)?{_WEEKDAY}\b", re.IGNORECASE)),
]


# A photo caption dates the picture (often a file photo), not the event: "In this file
# photo, ...", "Photo: ...", or a line that ends with its credit ("...—Courtesy Rescue
# 1122", "— Picture courtesy: Radio Pakistan", "(AFP)").
_CAPTION = _compile(
    r"^\s*(?:in this (?:undated |file |handout )*(?:photo|picture|image)"
    r"|(?:file |handout )?(?:photo|picture|image)\s*:)"
    r"|[—–-]\s*(?:(?:photo|picture|image)\s*)?(?:courtesy|credit)\b[^\n]{0,60}$"
    r"|[—–-]\s*(?:file )?(?:photo|picture|image)\s*:[^\n]{1,60}$"
    r"|\((?:file photo|photo|afp|reuters|ap photo|epa|getty images|handout)"
    r"(?:\s*[/:][^)]{0,60})?\)\.?\s*$",
    re.IGNORECASE,
)


def is_caption(line: str) -> bool:
    """Whether a line of an article is a photo caption, whose dates are skipped."""
    return bool(_CAPTION.search(line.strip()))


@dataclass(frozen=True)
class TimeMention:
    start: int
    end: int
    text: str
    span: DateSpan
    kind: str
    """night | date | month_year | year | relative_day | ago | last_unit | weekday"""


def day_span(day: dt.date) -> DateSpan:
    return DateSpan(value=day.isoformat(), precision="day", earliest=day, latest=day)


def month_span(year: int, month: int) -> DateSpan:
    last = calendar.monthrange(year, month)[1]
    return DateSpan(
        value=f"{year:04d}-{month:02d}",
        precision="month",
        earliest=dt.date(year, month, 1),
        latest=dt.date(year, month, last),
    )


def year_span(year: int) -> DateSpan:
    return DateSpan(
        value=f"{year:04d}",
        precision="year",
        earliest=dt.date(year, 1, 1),
        latest=dt.date(year, 12, 31),
    )


def month_day_span(month: int, day: int) -> DateSpan | None:
    """A month and day without a year ("on October 11" with no reference date): the
    value stays unknown, ``month_day`` keeps what the text fixes. None for no such day."""
    if _safe_date(2000, month, day) is None:  # 2000 is a leap year: 29 February exists
        return None
    return DateSpan(precision="unknown", month_day=f"{month:02d}-{day:02d}")


def _window(earliest: dt.date, latest: dt.date) -> DateSpan:
    if earliest == latest:
        return day_span(earliest)
    return DateSpan(value=None, precision="unknown", earliest=earliest, latest=latest)


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _latest_on_or_before(month: int, day: int, reference: dt.date) -> dt.date | None:
    for year in (reference.year, reference.year - 1):
        candidate = _safe_date(year, month, day)
        if candidate and candidate <= reference:
            return candidate
    return None


def _year_of_weekday(month: int, day: int, weekday: int, today: dt.date) -> int | None:
    """The latest year not after ``today`` in which month/day falls on ``weekday``."""
    for year in range(today.year, today.year - 40, -1):
        candidate = _safe_date(year, month, day)
        if candidate and candidate <= today and candidate.weekday() == weekday:
            return year
    return None


def find_anchor(text: str, *, today: dt.date | None = None) -> dt.date | None:
    """The reference date of an article with no publication date: its dateline's date
    ("ISLAMABAD, June 1, 2025:"), else the first date the text fixes by itself (a full
    date, or a weekday with a day and month: "Thursday, May 30" happens in 2024)."""
    today = today or dt.date.today()
    fixed = [found for found in _fixed_dates(text, today) if found[2] <= today]
    for start, end, day in fixed:
        if start < 120 and _DATELINE_END.match(text, end):
            return day
    return fixed[0][2] if fixed else None


# what follows a dateline's date: "ISLAMABAD, June 1, 2025: ...", "Kabul, 3 May 2024 -"
_DATELINE_END = re.compile(r"\s*(?:\([^()]{1,30}\)\s*)?(?::|–|—|-\s)")


def _fixed_dates(text: str, today: dt.date) -> Iterator[tuple[int, int, dt.date]]:
    dates = next(pattern for kind, pattern in _PATTERNS if kind == "date")
    for match in dates.finditer(text):
        month = _MONTHS[(match["month"] or match["month2"]).lower().rstrip(".")]
        day = int(match["day"] or match["day2"])
        if match["year"]:
            fixed = _safe_date(int(match["year"]), month, day)
        elif match["weekday"]:
            year = _year_of_weekday(month, day, _WEEKDAYS[match["weekday"].lower()], today)
            fixed = _safe_date(year, month, day) if year else None
        else:
            continue
        if fixed:
            yield match.start(), match.end(), fixed


def find_times(
    text: str, *, reference: dt.date | None, today: dt.date | None = None
) -> list[TimeMention]:
    """Every temporal expression of ``text`` that resolves, with its span.

    Args:
        text: a sentence or an article.
        reference: the publication date, or an anchor the text fixes; None when unknown.
        today: the latest date a weekday-fixed date may take (default: today).
    """
    return list(_times(text, reference, today or dt.date.today()))


# Attacks date a sentence and statements date its verb: one scan serves both. Small on
# purpose: it spares re-reading one article's sentences, not repeated articles.
@lru_cache(maxsize=128)
def _times(text: str, reference: dt.date | None, today: dt.date) -> tuple[TimeMention, ...]:
    found: list[TimeMention] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            span = _resolve(kind, match, reference, today)
            if span is None:
                continue
            taken.append((match.start(), match.end()))
            found.append(TimeMention(match.start(), match.end(), match.group(0), span, kind))
    return tuple(sorted(found, key=lambda mention: mention.start))


def _resolve(
    kind: str, match: re.Match[str], reference: dt.date | None, today: dt.date
) -> DateSpan | None:
    if kind == "night":
        month = _MONTHS[(match["nmonth"] or match["nmonth2"]).lower().rstrip(".")]
        day = int(match["nday"] or match["nday2"])
        if match["nyear"]:
            fixed = _safe_date(int(match["nyear"]), month, day)
        elif reference is None:
            return month_day_span(month, day)
        else:
            fixed = _latest_on_or_before(month, day, reference)
        return day_span(fixed) if fixed else None
    if kind == "date":
        month = _MONTHS[(match["month"] or match["month2"]).lower().rstrip(".")]
        day = int(match["day"] or match["day2"])
        if not 1 <= day <= 31:
            return None
        if match["year"]:
            fixed = _safe_date(int(match["year"]), month, day)
            return day_span(fixed) if fixed else None
        if match["weekday"]:
            weekday = _WEEKDAYS[match["weekday"].lower()]
            if reference is not None:
                fixed = _latest_on_or_before(month, day, reference + dt.timedelta(days=7))
                if fixed and fixed.weekday() == weekday:
                    return day_span(fixed)
            year = _year_of_weekday(month, day, weekday, today)
            fixed = _safe_date(year, month, day) if year else None
            return day_span(fixed) if fixed else None
        if reference is None:
            return month_day_span(month, day)  # what the text fixes: no year
        fixed = _latest_on_or_before(month, day, reference)
        return day_span(fixed) if fixed else None
    if kind == "month_year":
        return month_span(int(match["year2"]), _MONTHS[match["month3"].lower().rstrip(".")])
    if kind == "year":
        if match["lead"].lower() == "since":
            return None  # "since 2021" opens a period; it dates no single event
        return year_span(int(match["year3"]))
    if kind == "year_adj":
        return year_span(int(match["year4"]))
    if reference is None:
        return None
    if kind == "season":
        # Northern-hemisphere seasons by month; "last autumn" is the latest one ended.
        first_month = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}
        start_month = first_month[match["season"].lower()]
        year = reference.year
        start = dt.date(year, start_month, 1)
        if "last" in match["swhich"].lower():
            while start + dt.timedelta(days=91) > reference:
                year -= 1
                start = dt.date(year, start_month, 1)
        elif start > reference:
            year -= 1
            start = dt.date(year, start_month, 1)
        end_year, end_month = divmod(year * 12 + start_month - 1 + 3, 12)
        end = dt.date(end_year, end_month + 1, 1) - dt.timedelta(days=1)
        return _window(start, min(end, reference))
    if kind == "month_only":
        if match["mlead"].lower() == "since":
            return None
        month = _MONTHS[match["month4"].lower().rstrip(".")]
        year = reference.year if month <= reference.month else reference.year - 1
        if match["mlead"].lower() == "last" and month == reference.month:
            year -= 1
        return month_span(year, month)
    if kind == "relative_day":
        rel = match["rel"].lower()
        if rel in ("yesterday", "last night"):
            return day_span(reference - dt.timedelta(days=1))
        if rel == "overnight":
            return _window(reference - dt.timedelta(days=1), reference)
        return day_span(reference)
    if kind == "ago":
        n = word_number(match["n"])
        unit = match["unit"].lower().rstrip("s")
        if unit == "day":
            return day_span(reference - dt.timedelta(days=n))
        if unit == "week":
            return _window(
                reference - dt.timedelta(days=7 * n + 3),
                reference - dt.timedelta(days=max(7 * n - 3, 0)),
            )
        if unit == "month":
            year, month = divmod(reference.year * 12 + reference.month - 1 - n, 12)
            return month_span(year, month + 1)
        return year_span(reference.year - n)
    if kind == "last_unit":
        which, unit = match["which"].lower(), match["unit2"].lower()
        if which == "next":
            return None
        back = which in ("last", "past", "previous", "late last", "early last")
        if unit == "week":
            monday = reference - dt.timedelta(days=reference.weekday())
            if back:
                return _window(monday - dt.timedelta(days=7), monday - dt.timedelta(days=1))
            return _window(monday, reference)
        if unit == "month":
            if back:
                year, month = divmod(reference.year * 12 + reference.month - 2, 12)
                return month_span(year, month + 1)
            return month_span(reference.year, reference.month)
        return year_span(reference.year - 1 if back else reference.year)
    if kind == "weekday":
        weekday = _WEEKDAYS[match["weekday"].lower()]
        back = (reference.weekday() - weekday) % 7
        if match["last"] and back == 0:
            back = 7
        return day_span(reference - dt.timedelta(days=back))
    return None
