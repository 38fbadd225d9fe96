"""Checks on a page's shape before it is parsed: what no real news page reaches.

libxml2 and trafilatura take time in proportion to what a page holds, and a hostile
page can hold a lot in a few megabytes: a million attributes on one tag (seen to run
past 90 s), 100,000 unclosed paragraphs (111 s), or one line of several megabytes. One
linear scan of the raw bytes measures the page first, stopping as soon as a limit is
passed, and a page over any limit is refused with a reason instead of parsed.

The limits, and what they were set against (``docs/architecture.md`` keeps the table):

- ``MAX_TAGS`` 50,000 start tags. The demo and fixture pages hold 29-80; a long news
  page with its menus, comments and scripts holds a few thousand. trafilatura reads
  about 10,000 tags a second on this project's machines, so the limit also caps a page's
  parse near 5 s.
- ``MAX_ATTRIBUTES`` 500 on one tag. The pages measured carry at most 13; templates with
  data-, aria- and tracking attributes stay under 50.
- ``MAX_DEPTH`` 255 levels, libxml2's own limit: it drops what lies deeper.
- ``MAX_LINE`` 4,000,000 characters. Minified pages put a whole page, inline scripts and
  JSON state on one line, so this only refuses a page that is one giant line (an
  attribute or text bomb) within the 8 MB document cap.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import HtmlTooComplex, HtmlTooDeep

__all__ = [
    "MAX_ATTRIBUTES",
    "MAX_DEPTH",
    "MAX_LINE",
    "MAX_TAGS",
    "HtmlShape",
    "check_html",
    "html_shape",
]

MAX_TAGS = 50_000
MAX_ATTRIBUTES = 500
MAX_DEPTH = 255
MAX_LINE = 4_000_000

_NAME = re.compile(rb"(/?)([a-zA-Z][a-zA-Z0-9:-]*)")
_ATTRIBUTE = re.compile(rb"[^\s=/>\"']+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>]*))?")
_VOID = {
    b"area",
    b"base",
    b"br",
    b"col",
    b"embed",
    b"hr",
    b"img",
    b"input",
    b"link",
    b"meta",
    b"param",
    b"source",
    b"track",
    b"wbr",
    b"p",
    b"li",
    b"option",
    b"td",
    b"tr",
    b"th",
}  # p/li/td... may be left open in HTML; counting them would overstate depth


@dataclass(frozen=True)
class HtmlShape:
    """What a page holds, each figure counted up to one past its limit."""

    tags: int
    most_attributes: int
    depth: int
    longest_line: int


def _longest_line(html: bytes, stop_at: int) -> int:
    longest = start = 0
    while start < len(html):
        end = html.find(b"\n", start)
        if end < 0:
            end = len(html)
        longest = max(longest, end - start)
        if longest >= stop_at:
            break
        start = end + 1
    return longest


def _attributes(body: bytes, stop_at: int) -> int:
    count = 0
    for _ in _ATTRIBUTE.finditer(body):
        count += 1
        if count >= stop_at:
            break
    return count


def html_shape(
    html: bytes,
    *,
    max_tags: int = MAX_TAGS,
    max_attributes: int = MAX_ATTRIBUTES,
    max_depth: int = MAX_DEPTH,
) -> HtmlShape:
    """Measure a page in one pass over its start and end tags (no parse)."""
    tags = most = depth = deepest = 0
    position = html.find(b"<")
    # find() rather than one regex: a regex retried at every "<" of a page whose last
    # ">" is missing would rescan the rest of the page each time.
    while position >= 0:
        name = _NAME.match(html, position + 1)
        if name is None:
            position = html.find(b"<", position + 1)
            continue
        end = html.find(b">", name.end())
        if end < 0:
            break  # no later tag can close either
        body = html[name.end() : end]
        position = html.find(b"<", end + 1)
        if name.group(1):
            depth = max(depth - 1, 0)
            continue
        tags += 1
        if body.strip(b" \t\r\n/"):
            most = max(most, _attributes(body, max_attributes + 1))
        if name.group(2).lower() not in _VOID and not body.endswith(b"/"):
            depth += 1
            deepest = max(deepest, depth)
        if tags > max_tags or most > max_attributes or deepest > max_depth:
            break
    return HtmlShape(tags, most, deepest, _longest_line(html, MAX_LINE + 1))


def check_html(html: bytes) -> HtmlShape:
    """Refuse a page no real news page resembles, before any parser sees it.

    Raises:
        HtmlTooDeep: elements nested deeper than libxml2 builds.
        HtmlTooComplex: too many tags, too many attributes on one tag, or too long a line.
    """
    shape = html_shape(html)
    if shape.depth > MAX_DEPTH:
        raise HtmlTooDeep(
            f"HTML nests elements more than {MAX_DEPTH} levels deep; the parser would "
            "drop what lies below that level"
        )
    if shape.tags > MAX_TAGS:
        raise HtmlTooComplex(
            f"HTML holds more than {MAX_TAGS:,} tags; no news page does (refused unparsed)"
        )
    if shape.most_attributes > MAX_ATTRIBUTES:
        raise HtmlTooComplex(
            f"an HTML tag carries more than {MAX_ATTRIBUTES:,} attributes; no news page's "
            "does (refused unparsed)"
        )
    if shape.longest_line > MAX_LINE:
        raise HtmlTooComplex(
            f"HTML has a line longer than {MAX_LINE:,} characters (refused unparsed)"
        )
    return shape
