"""Figures as news writes them -> low / best / high, UCDP-style.

"at least 12" and "more than 20" are floors (the stated figure is the best estimate),
"nearly 30" a ceiling,
"two to three" a range, "dozens" a vague plural; none of them is an exact number, and the
Count says so. Words and digits are both read ("five", "5", "twenty-one", "1,200").

Dates, clock times, ages and measures are never counts of people: "10:30 am", "the
45-year-old", "12 March", "200 km", "two weeks", "Route 7" and a year are not figures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..records import Count
from ._match import compile as _compile

__all__ = ["NUMBER_PATTERN", "Figure", "find_figures", "parse_figure", "word_number"]

_UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
# Read by word_number (a victim phrase "a Chinese citizen") but not found as figures on
# their own: "a roadside bomb" holds no count.
_ARTICLES = {"a": 1, "an": 1, "single": 1, "lone": 1}
_COLLECTIVE = {"couple": 2, "pair": 2, "dozen": 12, "score": 20}
# Vague plurals: (low, best). "dozens" is at least 24 (two dozen); ACLED codes it 12,
# which is kept as the low figure so both readings are in the record.
_VAGUE = {
    "dozens": (12, 24),
    "scores": (20, 40),
    "hundreds": (100, 200),
    "several": (3, 3),
    "a few": (2, 3),
    "few": (2, 3),
    "many": (5, 5),
    "numerous": (5, 5),
}

_WORD = "|".join(sorted([*_UNITS, *_TENS], key=len, reverse=True))
_SIMPLE = rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+|(?:{_WORD})(?:[- ](?:{_WORD}))?(?: hundred)?)"
NUMBER_PATTERN = (
    r"(?:(?P<hedge>at least|at most|more than|over|nearly|almost|around|about|some|up to|"
    r"as many as|fewer than|less than|roughly|approximately|an estimated|not less than|"
    r"no fewer than|close to|in excess of|just over|just under|upwards of)\s+)?"
    rf"(?P<value>(?:a |one |two |three |half a )?(?:couple|pair|dozen|score)(?: of)?|"
    rf"dozens|scores|hundreds|several|a few|numerous|"
    rf"\d+\s*[-–]\s*\d+|{_SIMPLE}(?:\s+(?:to|or)\s+{_SIMPLE})?)"
)
_FIGURE = _compile(rf"\b{NUMBER_PATTERN}\b", re.IGNORECASE)
_COLLECTIVE_FORM = re.compile(r"^(?:(a|one|two|three|half a) )?(couple|pair|dozen|score)(?: of)?$")
_RANGE = re.compile(
    rf"^(\d+)\s*[-–]\s*(\d+)$|^({_SIMPLE})\s+(?:to|or)\s+({_SIMPLE})$", re.IGNORECASE
)


_MONTHS = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\b"
)
# What follows a number that measures something other than people.
_NOT_COUNT_AFTER = re.compile(
    r"(?:\s*(?::\d|/\d|\.\d|am\b|pm\b|a\.m\.|p\.m\.|o['’]clock|hours?\b|hrs\b|"
    r"minutes?\b|mins?\b|seconds?\b|km\b|kms\b|kilomet|miles?\b|metres?\b|meters?\b|"
    r"feet\b|ft\b|kg\b|kilos?\b|kilograms?\b|tons?\b|tonnes?\b|per ?cent\b|%|years? old\b|"
    r"years?\b|months?\b|weeks?\b|days?\b|nights?\b|decades?\b|rupees\b|Rs\b|dollars\b|"
    r"crore\b|lakh\b|million\b|billion\b|mm\b|cm\b|th\b|st\b|nd\b|rd\b|"
    rf"{_MONTHS})"
    r"|-(?:year|month|week|day|hour|minute|km|kilomet|mile|member|point|storey|story|kg)s?\b)",
    re.IGNORECASE,
)
# What stands right before a number that is a date, a time, an age or a label.
_NOT_COUNT_BEFORE = re.compile(
    rf"(?:{_MONTHS}\.?|\d[:/.]|\baged|\bage of|\bages of|\bNo\.|\bnumber|\bRoute|"
    r"\bHighway|\bSector|\bPhase|\bBlock|\bStreet|\bArticle|\bSection|\bChapter|"
    r"\bBrigade|\bCorps|\bDivision|\bRegiment|\bBattalion|\bWing|\bFlight|\bRs\.?|"
    r"\$|#|\bpast|\bsince|\buntil|\byear|\bversion|\bpage)\s*$",
    re.IGNORECASE,
)
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_ISO_DATE = re.compile(r"\d{4}-\d\d-\d\d|\d\d?/\d\d?/\d{2,4}")


def _is_count(text: str, start: int, end: int, value: str, *, hedged: bool) -> bool:
    """Whether a number is a count of something, not a date, time, age or measure."""
    if _NOT_COUNT_AFTER.match(text, end):
        return False
    if (start and text[start - 1] in "-–/:.") or _ISO_DATE.search(
        text, max(0, start - 8), min(len(text), end + 8)
    ):
        return False  # "2022-09-05", "05/09", a piece of a longer number
    if _YEAR.match(value.strip()):
        return False  # "in 2022", "the 2014 attack"
    if hedged:
        return True  # "at least 12" cannot be a date or a label
    before = text[max(0, start - 12) : start]
    return not _NOT_COUNT_BEFORE.search(before)


@dataclass(frozen=True)
class Figure:
    count: Count
    start: int
    end: int
    text: str


def word_number(text: str) -> int | None:
    """A whole number written in digits or English words, or None."""
    text = text.strip().lower().replace(",", "")
    if text.isdigit():
        return int(text)
    total = 0
    for part in re.split(r"[- ]+", text):
        if part in _UNITS:
            total += _UNITS[part]
        elif part in _ARTICLES and total == 0:
            total = _ARTICLES[part]
        elif part in _TENS:
            total += _TENS[part]
        elif part == "hundred":
            total = max(total, 1) * 100
        elif part == "thousand":
            total = max(total, 1) * 1000
        else:
            return None
    return total


def parse_figure(hedge: str | None, value: str) -> Count | None:
    """The Count of one figure: ``parse_figure("at least", "12")`` -> low 12, best 12."""
    value = value.strip().lower()
    hedge = (hedge or "").strip().lower()
    if value in _VAGUE:
        low, best = _VAGUE[value]
        return Count(low=low, best=best, high=None)
    collective = re.match(
        r"^(?:(a|one|two|three|half a) )?(couple|pair|dozen|score)(?: of)?$", value
    )
    if collective:
        times = {"": 1, "a": 1, "one": 1, "two": 2, "three": 3, "half a": 0.5}
        number = int(times[collective[1] or ""] * _COLLECTIVE[collective[2]])
        low = best = high = number
    else:
        spread = _RANGE.match(value)
        if spread:
            low = word_number(spread[1] or spread[3])
            high = word_number(spread[2] or spread[4])
            if low is None or high is None:
                return None
            if high < low:
                low, high = high, low
            return Count(low=low, best=low, high=high)
        number = word_number(value)
        if number is None:
            return None
        low = best = high = number
    if hedge in ("at least", "not less than", "no fewer than", "upwards of"):
        return Count(low=number, best=number, high=None)
    if hedge in ("more than", "over", "in excess of", "just over"):
        # "More than 30 wounded" is what the source counted: 30 is its floor and the
        # best figure (a report that meant 31 would say so).
        return Count(low=number, best=number, high=None)
    if hedge in ("nearly", "almost", "close to", "just under"):
        return Count(low=None, best=number, high=number)
    if hedge in ("up to", "as many as", "at most"):
        return Count(low=None, best=number, high=number)
    if hedge in ("fewer than", "less than"):
        return Count(low=None, best=number - 1, high=number - 1)
    if hedge in ("around", "about", "some", "roughly", "approximately", "an estimated"):
        return Count(low=None, best=number, high=None)
    return Count(low=low, best=best, high=high)


def find_figures(text: str) -> list[Figure]:
    """Every figure in ``text`` with its span, in order."""
    figures = []
    for match in _FIGURE.finditer(text):
        if not _is_count(
            text, match.start(), match.end(), match["value"], hedged=bool(match["hedge"])
        ):
            continue
        count = parse_figure(match["hedge"], match["value"])
        if count is not None:
            figures.append(Figure(count, match.start(), match.end(), match.group(0)))
    return figures
