"""RSS and Atom feeds -> entries, through feedparser."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..errors import MalformedInput
from ._dates import parse_publication_date

__all__ = ["FeedEntry", "looks_like_feed", "parse_feed"]


@dataclass(frozen=True)
class FeedEntry:
    key: str
    """The entry's guid, else its link, else its position: unique within the feed."""
    title: str | None
    url: str | None
    published: dt.date | None
    content_html: str
    """The full story when the feed carries it (``content:encoded``), else the summary."""
    has_full_content: bool


def looks_like_feed(data: bytes) -> bool:
    """Whether a document's first bytes are those of an RSS, RDF or Atom feed."""
    head = data[:2048].lstrip().lower()
    return head.startswith((b"<?xml", b"<rss", b"<feed", b"<rdf")) and (
        b"<rss" in head or b"<feed" in head or b"<rdf" in head or b"<channel" in head
    )


def parse_feed(data: bytes, *, max_entries: int) -> tuple[str | None, list[FeedEntry]]:
    """The feed's title and its first ``max_entries`` entries.

    Raises:
        MalformedInput: feedparser finds no feed in the bytes.
    """
    import feedparser

    parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=True)
    if parsed.bozo and not parsed.entries:
        raise MalformedInput(f"not a readable RSS/Atom feed: {parsed.bozo_exception}")
    if not parsed.version and not parsed.entries:
        raise MalformedInput("not an RSS or Atom feed")
    entries = []
    for position, entry in enumerate(parsed.entries[:max_entries], start=1):
        content = entry.get("content") or []
        full = next((c.get("value", "") for c in content if c.get("value")), "")
        published = None
        for key in ("published_parsed", "updated_parsed"):
            if entry.get(key):
                published = dt.date(*entry[key][:3])
                break
        if published is None and entry.get("published"):
            published = parse_publication_date(entry["published"])
        entries.append(
            FeedEntry(
                key=entry.get("id") or entry.get("link") or str(position),
                title=(entry.get("title") or "").strip() or None,
                url=entry.get("link"),
                published=published,
                content_html=full or entry.get("summary", ""),
                has_full_content=bool(full),
            )
        )
    return (parsed.feed.get("title") or None), entries
