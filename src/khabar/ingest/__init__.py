"""Ingest: sources -> Articles.

Reads files and folders (.txt/.md with YAML front matter, .html, .json, .jsonl, RSS and
Atom feeds, WARC), and URLs (pages and feeds, fetched within bounds and never from a
private address unless allowed). Plain-text page dumps lose their site furniture and a
page holding several stories becomes one Article per story. An Article's id is a
fingerprint of its text, so ingesting the same story twice gives one Article.

    sources, failures, skipped, links = discover(["articles/", "https://example.com/feed"])
    with Reader(IngestOptions()) as reader:
        for item in reader.read(sources[0]): ...   # Article | IngestFailure

``run`` chains both for library users.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ..records import Article, IngestFailure
from ._fetch import Fetched, Fetcher
from ._readers import IngestOptions, Reader, Source, SourceKind
from ._sources import SUFFIXES, discover
from ._text import fingerprint

__all__ = [
    "SUFFIXES",
    "Fetched",
    "Fetcher",
    "IngestOptions",
    "Reader",
    "Source",
    "SourceKind",
    "discover",
    "fingerprint",
    "run",
]


def run(
    inputs: Iterable[str], *, options: IngestOptions | None = None
) -> Iterator[Article | IngestFailure]:
    """Every Article of every input, and a failure for each input or item that could
    not be read. Files skipped inside folders are not reported here (see ``discover``)."""
    sources, failures, _, _ = discover(list(inputs))
    yield from failures
    with Reader(options or IngestOptions()) as reader:
        for source in sources:
            yield from reader.read(source)
