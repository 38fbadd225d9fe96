"""Plain text of a news page -> one or more stories, without the site's furniture.

A text dump of a news page carries share bars, comment forms, photo credits and
"Related" blocks, and some pages hold several stories one after another. A story on
such a page is announced by a header: a headline, then (after credits and share
buttons) a date line such as "Updated 28 November 2025", then the headline again or a
bullet summary, then the body. ``read_page`` finds those headers, cuts the page at them
and returns each story's clean text, title, date line and dateline ("KARACHI:").
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml

from ._dates import find_date_marker
from ._text import clean_text

__all__ = ["Boilerplate", "Story", "detect_dateline", "load_boilerplate", "read_page"]


@dataclass(frozen=True)
class Boilerplate:
    """Compiled patterns from ``data/boilerplate.yaml``."""

    line: re.Pattern[str]
    caption: re.Pattern[str]
    section: re.Pattern[str]
    pointer: re.Pattern[str]


@dataclass(frozen=True)
class Story:
    text: str
    title: str | None
    published: dt.date | None
    dateline: str | None


class _Kind(Enum):
    BLANK = "blank"
    MARKER = "marker"
    JUNK = "junk"
    SECTION = "section"
    TEXT = "text"


_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z.'’\-]+(?:[ \-/][A-Z][A-Z.'’\-]*)*"
    r"(?:,\s*[A-Z][A-Za-z.'’\-]+(?:\s[A-Z][A-Za-z.'’\-]+)*)?)"
    r"(?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2})?"
    r"\s*(?:\((?P<agency>[^()\n]{2,40})\))?"
    r"\s*(?:[:—–]|-{1,2})\s+(?=\S)"
)
_BULLET = re.compile(r"^\s*[•●▪◦·*\-–]\s+")
_MAX_HEADER_LOOKBACK = 8
_BODY_MIN_WORDS = 20


@lru_cache(maxsize=8)
def load_boilerplate(path: Path | None = None) -> Boilerplate:
    """Load and compile the boilerplate patterns (the packaged file by default)."""
    if path is None:
        raw = resources.files("khabar.data").joinpath("boilerplate.yaml").read_text("utf-8")
    else:
        raw = Path(path).read_text("utf-8")
    spec = yaml.safe_load(raw)

    def union(key: str, *, whole: bool = True, anchor_end: bool = False) -> re.Pattern[str]:
        body = "|".join(f"(?:{p})" for p in spec[key])
        if whole:
            return re.compile(rf"^(?:{body})$", re.IGNORECASE)
        if anchor_end:
            return re.compile(rf"(?:{body})$", re.IGNORECASE)
        return re.compile(rf"^(?:{body})", re.IGNORECASE)

    return Boilerplate(
        line=union("lines"),
        caption=union("caption_credits", whole=False, anchor_end=True),
        section=union("section_markers"),
        pointer=union("pointer_prefixes", whole=False),
    )


def detect_dateline(text: str, *, paragraphs: int = 3) -> str | None:
    """The dateline opening one of the first paragraphs ("KABUL, AFGHANISTAN –" gives
    "KABUL, AFGHANISTAN"), or ``None``. It tells where the story was filed, which is
    not where the event happened."""
    seen = 0
    for paragraph in text.split("\n"):
        paragraph = paragraph.strip()
        if not paragraph or _BULLET.match(paragraph):
            continue  # a bullet summary comes before the dateline paragraph
        match = _DATELINE.match(paragraph)
        if match and match["place"].split()[0].isupper() and len(match["place"]) <= 60:
            return match["place"].strip()
        seen += 1
        if seen >= paragraphs:
            break
    return None


def read_page(
    text: str,
    *,
    boilerplate: Boilerplate,
    title: str | None = None,
    split: bool = True,
) -> list[Story]:
    """Cut a page's text into stories and clean each one.

    Args:
        text: the page as plain text.
        boilerplate: patterns of site furniture (``load_boilerplate()``).
        title: a title known from metadata; it is then not looked for in the text.
        split: whether the page may hold several stories (False for a record that is
            one story by construction, such as a JSON object with front matter).

    Returns:
        The stories in page order; empty when nothing but furniture is left.
    """
    lines = clean_text(text).split("\n")
    kinds, dates = _classify(lines, boilerplate)
    headers = _story_headers(lines, kinds)
    if split and len(headers) >= 2:
        # A preamble before the first headline (a menu, a site name) is not a story.
        starts = [start for start, _ in headers]
        ends = [*starts[1:], len(lines)]
        stories = [
            _story(
                lines[start:end],
                kinds[start:end],
                dates[start:end],
                headline=0 if start != marker else None,
                title=None,
            )
            for (start, marker), end in zip(headers, ends, strict=True)
        ]
    else:
        headline = headers[0][0] if headers and headers[0][0] != headers[0][1] else None
        stories = [_story(lines, kinds, dates, headline=headline, title=title)]
    return [story for story in stories if story.text]


def _classify(
    lines: list[str], boilerplate: Boilerplate
) -> tuple[list[_Kind], list[dt.date | None]]:
    kinds: list[_Kind] = []
    dates: list[dt.date | None] = []
    for raw in lines:
        line = raw.strip()
        date = find_date_marker(line, bare=True) if line else None
        if not line:
            kind = _Kind.BLANK
        elif date is not None:
            kind = _Kind.MARKER
        elif (
            boilerplate.line.match(line)
            or boilerplate.pointer.match(line)
            or (boilerplate.caption.search(line) and not _DATELINE.match(line))
        ):
            kind = _Kind.JUNK
        elif boilerplate.section.match(line):
            kind = _Kind.SECTION
        else:
            kind = _Kind.TEXT
        kinds.append(kind)
        dates.append(date)
    return kinds, dates


def _is_body(line: str) -> bool:
    return not _BULLET.match(line) and len(line.split()) >= _BODY_MIN_WORDS


def _is_headline(line: str) -> bool:
    line = line.strip()
    words = line.split()
    return (
        2 <= len(words) <= 30
        and len(line) <= 220
        and not _BULLET.match(line)
        and line[-1] not in ".,;:"
        and not _DATELINE.match(line)
    )


def _story_headers(lines: list[str], kinds: list[_Kind]) -> list[tuple[int, int]]:
    """(start, marker) of each story header: a date line with body text after it,
    starting at the headline above it when there is one."""
    headers: list[tuple[int, int]] = []
    floor = 0
    index = 0
    while index < len(lines):
        if kinds[index] is not _Kind.MARKER:
            index += 1
            continue
        marker = index
        # Several date lines in one header ("Published ...", "Updated ...") are one.
        after = marker + 1
        while after < len(lines) and not (kinds[after] is _Kind.TEXT and _is_body(lines[after])):
            after += 1
        if after == len(lines):
            break
        start = marker
        for back in range(marker - 1, max(floor, marker - _MAX_HEADER_LOOKBACK) - 1, -1):
            if kinds[back] is _Kind.TEXT:
                if _is_headline(lines[back]):
                    start = back
                break
        headers.append((start, marker))
        floor = after
        index = after
    return headers


def _story(
    lines: list[str],
    kinds: list[_Kind],
    dates: list[dt.date | None],
    *,
    headline: int | None,
    title: str | None,
) -> Story:
    body_indices = [i for i, k in enumerate(kinds) if k is _Kind.TEXT and _is_body(lines[i])]
    first_body = body_indices[0] if body_indices else len(lines)
    second_body = body_indices[1] if len(body_indices) > 1 else len(lines)
    if title is None:
        if headline is None:
            headline = next((i for i in range(first_body) if kinds[i] is _Kind.TEXT), None)
            if headline is not None and not (
                _is_headline(lines[headline])
                and any(k is _Kind.TEXT for k in kinds[headline + 1 :])
            ):
                headline = None  # a lone short line is the story, not its title
        if headline is not None:
            title = lines[headline].strip()
    published = next(
        (dates[i] for i in range(min(second_body, len(lines))) if dates[i] is not None), None
    )
    title_key = _fold(title) if title else None
    kept: list[str] = []
    for i, (line, kind) in enumerate(zip(lines, kinds, strict=True)):
        if headline is not None and i <= headline:
            continue
        if kind is _Kind.SECTION and i > first_body:
            break
        if kind in (_Kind.MARKER, _Kind.JUNK, _Kind.SECTION):
            continue
        if kind is _Kind.TEXT and title_key and _fold(line) == title_key:
            continue
        kept.append(_BULLET.sub("• ", line).strip() if kind is _Kind.TEXT else "")
    text = clean_text("\n".join(kept))
    return Story(text=text, title=title, published=published, dateline=detect_dateline(text))


def _fold(line: str) -> str:
    return re.sub(r"\W+", " ", line).strip().casefold()
