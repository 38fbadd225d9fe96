"""One reader per kind of source; each yields Articles and failures, never raises for
bad input, so that one broken item costs only itself."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..errors import IngestError, MalformedInput, NoArticleText
from ..records import Article, IngestFailure
from ._dates import parse_publication_date
from ._decode import check_size, decode_bytes
from ._feeds import FeedEntry, looks_like_feed, parse_feed
from ._fetch import Fetcher
from ._files import markdown_to_text, read_bounded, split_front_matter
from ._html import declared_charset, extract_html, fragment_to_text
from ._outlets import load_outlets, outlet_for_url
from ._page import Boilerplate, load_boilerplate, read_page
from ._text import fingerprint
from ._warc import iter_warc_pages

__all__ = ["IngestOptions", "Reader", "Source", "SourceKind"]

SourceKind = Literal["text", "markdown", "html", "json", "jsonl", "feed", "warc", "url"]
Item = Article | IngestFailure


class IngestOptions(BaseModel):
    """How ingest reads and fetches; ``Settings`` fills it from flags and environment."""

    model_config = ConfigDict(frozen=True)

    max_bytes: int = Field(8_000_000, gt=0, description="largest document read, in bytes")
    timeout: float = Field(20.0, gt=0, description="seconds allowed for one download")
    max_redirects: int = Field(5, ge=0, description="redirects followed per download")
    allow_private: bool = Field(False, description="fetch from private/loopback addresses")
    follow_feed_links: bool = Field(
        True, description="fetch the page of a feed entry that carries only a summary"
    )
    max_feed_entries: int = Field(500, gt=0, description="entries read from one feed")
    doc_timeout: float = Field(
        20.0,
        ge=0,
        description="seconds allowed to read, and again to extract, one document (0: no "
        "limit); enforced in a child process that is killed when a document overruns",
    )
    follow_symlinks: bool = Field(
        False, description="follow symbolic links that lead outside an ingested folder"
    )
    user_agent: str = "khabar/0.1 (news event extraction; +https://pypi.org/project/khabar/)"


@dataclass(frozen=True)
class Source:
    """One input: a file (with its path relative to the folder given) or a URL."""

    kind: SourceKind
    locator: str
    path: Path | None = None
    url: str | None = None
    # A part of a JSONL file (``khabar batch`` splits big ones so that several tasks
    # read one file): the bytes [start, stop), both at line starts, whose first line is
    # line number ``line`` of the file. Locators keep the file's own line numbers.
    start: int = 0
    stop: int | None = None
    line: int = 1

    @property
    def file(self) -> str | None:
        return self.locator if self.path is not None else None


@dataclass
class _Draft:
    """What a reader knows of one story before it becomes an Article."""

    text: str
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: dt.date | None = None
    language: str | None = None
    encoding: str | None = None
    split: bool = False
    markup: Literal["plain", "markdown"] = "plain"
    extra: dict[str, Any] = field(default_factory=dict)


class Reader:
    """Reads sources into Articles with one set of options, boilerplate and outlets.

    Holds the HTTP client for the run, so use it as a context manager.
    """

    def __init__(
        self,
        options: IngestOptions,
        *,
        boilerplate: Boilerplate | None = None,
        outlets: dict[str, str] | None = None,
        fetcher: Fetcher | None = None,
        known: Callable[[str], bool] | None = None,
    ) -> None:
        """``known`` tells, by locator, the feed entries stored before: one that carries
        only a summary is then not fetched again (``khabar watch`` re-reads a feed each
        time it changes; entries with their full text are cheap and are read again)."""
        self.options = options
        self._boilerplate = boilerplate or load_boilerplate()
        self._outlets = outlets if outlets is not None else load_outlets()
        self._fetcher = fetcher
        self._known = known

    def __enter__(self) -> Reader:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._fetcher is not None:
            self._fetcher.close()

    @property
    def fetcher(self) -> Fetcher:
        if self._fetcher is None:
            self._fetcher = Fetcher(
                timeout=self.options.timeout,
                max_bytes=self.options.max_bytes,
                max_redirects=self.options.max_redirects,
                allow_private=self.options.allow_private,
                user_agent=self.options.user_agent,
            )
        return self._fetcher

    def read(self, source: Source) -> Iterator[Item]:
        """Every Article of ``source``, and a failure for each item that could not be
        read. Failures of one item (a JSON line, a feed entry, a WARC record) do not
        stop the others."""
        method = getattr(self, f"_read_{source.kind}")
        try:
            yield from method(source)
        except IngestError as error:
            yield _failure(source.locator, error)

    def read_object(self, obj: object, source: Source, locator: str) -> Iterator[Item]:
        """The Articles of one JSON-like object (a row of a Parquet file, say), read as
        a line of a JSONL file is: ``text`` or ``html`` with its metadata."""
        yield from self._guard(locator, lambda: self._from_object(obj, source, locator, None))

    # -- one method per kind ---------------------------------------------------------

    def _read_text(self, source: Source) -> Iterator[Item]:
        yield from self._read_plain(source, markup="plain")

    def _read_markdown(self, source: Source) -> Iterator[Item]:
        yield from self._read_plain(source, markup="markdown")

    def _read_plain(
        self, source: Source, *, markup: Literal["plain", "markdown"]
    ) -> Iterator[Item]:
        assert source.path is not None
        decoded = decode_bytes(read_bounded(source.path, self.options.max_bytes))
        meta, body = split_front_matter(decoded.text)
        draft = _draft_from_mapping(meta, text=body)
        draft.encoding = decoded.encoding
        draft.split = not meta
        draft.markup = markup
        yield from self._finish(draft, source, locator=source.locator)

    def _read_html(self, source: Source) -> Iterator[Item]:
        assert source.path is not None
        yield from self._from_html(
            read_bounded(source.path, self.options.max_bytes), source, source.locator
        )

    def _read_json(self, source: Source) -> Iterator[Item]:
        assert source.path is not None
        decoded = decode_bytes(read_bounded(source.path, self.options.max_bytes))
        try:
            value = json.loads(decoded.text)
        except json.JSONDecodeError as error:
            raise MalformedInput(f"invalid JSON at line {error.lineno}: {error.msg}") from error
        objects = value if isinstance(value, list) else [value]
        for index, obj in enumerate(objects, start=1):
            locator = source.locator if len(objects) == 1 else f"{source.locator}[{index}]"
            yield from self._guard(
                locator,
                lambda obj=obj, locator=locator: self._from_object(
                    obj, source, locator, decoded.encoding
                ),
            )

    def _read_jsonl(self, source: Source) -> Iterator[Item]:
        assert source.path is not None
        limit = self.options.max_bytes
        with source.path.open("rb") as file:
            stream: Any = file
            if source.start or source.stop is not None:
                file.seek(source.start)
                stream = _Window(file, None if source.stop is None else source.stop - source.start)
            for number, raw in enumerate(_bounded_lines(stream, limit), start=source.line):
                locator = f"{source.locator}:{number}"
                if raw is None:
                    yield IngestFailure(
                        locator=locator,
                        code="K103",
                        reason=f"line is over the {limit:,}-byte limit for one document",
                    )
                    continue
                if not raw.strip():
                    continue
                try:
                    decoded = decode_bytes(raw)
                    obj = json.loads(decoded.text)
                except json.JSONDecodeError as error:
                    yield _failure(locator, MalformedInput(f"invalid JSON: {error.msg}"))
                    continue
                except IngestError as error:
                    yield _failure(locator, error)
                    continue
                yield from self._guard(
                    locator,
                    lambda obj=obj, locator=locator, encoding=decoded.encoding: self._from_object(
                        obj, source, locator, encoding
                    ),
                )

    def _read_feed(self, source: Source) -> Iterator[Item]:
        assert source.path is not None
        yield from self._from_feed(
            read_bounded(source.path, self.options.max_bytes), source, source.locator
        )

    def _read_warc(self, source: Source) -> Iterator[Item]:
        assert source.path is not None
        for page in iter_warc_pages(source.path, max_bytes=self.options.max_bytes):
            locator = f"{source.locator}#{page.record_id}"
            if page.error is not None:
                yield _failure(locator, page.error)
                continue
            assert page.content is not None
            yield from self._guard(
                locator,
                lambda page=page, locator=locator: self._from_html(
                    page.content, source, locator, url=page.url, charset=page.charset
                ),
            )

    def _read_url(self, source: Source) -> Iterator[Item]:
        assert source.url is not None
        fetched = self.fetcher.get(source.url)
        if looks_like_feed(fetched.content) or (fetched.content_type or "").endswith(
            ("rss+xml", "atom+xml", "rdf+xml")
        ):
            yield from self._from_feed(fetched.content, source, source.locator)
        else:
            yield from self._from_html(
                fetched.content, source, source.locator, url=fetched.url, charset=fetched.charset
            )

    # -- shared steps ----------------------------------------------------------------

    def _from_html(
        self,
        data: bytes,
        source: Source,
        locator: str,
        *,
        url: str | None = None,
        charset: str | None = None,
    ) -> Iterator[Item]:
        check_size(len(data), self.options.max_bytes)
        decoded = decode_bytes(data, declared=charset or declared_charset(data))
        story = extract_html(decoded.text, data, url=url)
        draft = _Draft(
            text=story.text,
            title=story.title,
            outlet=story.outlet,
            url=story.url or url,
            published=story.published,
            language=story.language,
            encoding=decoded.encoding,
        )
        yield from self._finish(draft, source, locator=locator)

    def _from_object(
        self, obj: object, source: Source, locator: str, encoding: str | None
    ) -> Iterator[Item]:
        if not isinstance(obj, dict):
            yield IngestFailure(locator=locator, code="K105", reason="JSON value is not an object")
            return
        obj = {str(k).lower(): v for k, v in obj.items()}
        text, html = obj.get("text"), obj.get("html")
        if isinstance(text, str) and text.strip():
            draft = _draft_from_mapping(obj, text=text)
            draft.encoding = encoding
            yield from self._finish(draft, source, locator=locator)
        elif isinstance(html, str) and html.strip():
            yield from self._from_json_html(obj, html, source, locator)
        else:
            yield IngestFailure(
                locator=locator, code="K105", reason='object has no "text" or "html" string'
            )

    def _from_json_html(
        self, obj: dict[str, Any], html: str, source: Source, locator: str
    ) -> Iterator[Item]:
        if "<body" in html.lower() or "<html" in html.lower():
            story = extract_html(html, html.encode("utf-8"), url=obj.get("url"))
            text, title = story.text, story.title
        else:
            text, title = fragment_to_text(html), None
        draft = _draft_from_mapping(obj, text=text)
        draft.title = draft.title or title
        yield from self._finish(draft, source, locator=locator)

    def _from_feed(self, data: bytes, source: Source, locator: str) -> Iterator[Item]:
        feed_title, entries = parse_feed(data, max_entries=self.options.max_feed_entries)
        for entry in entries:
            entry_locator = f"{locator}#{entry.key}"
            yield from self._guard(
                entry_locator,
                lambda entry=entry, entry_locator=entry_locator: self._from_entry(
                    entry, feed_title, source, entry_locator
                ),
            )

    def _from_entry(
        self, entry: FeedEntry, feed_title: str | None, source: Source, locator: str
    ) -> Iterator[Item]:
        if not entry.has_full_content and entry.url and self.options.follow_feed_links:
            if self._known is not None and self._known(locator):
                return
            fetched = self.fetcher.get(entry.url)
            for item in self._from_html(
                fetched.content, source, locator, url=fetched.url, charset=fetched.charset
            ):
                if isinstance(item, Article):
                    item = item.model_copy(
                        update={
                            "title": item.title or entry.title,
                            "published": item.published or entry.published,
                            "published_from": item.published_from
                            or ("metadata" if entry.published else None),
                        }
                    )
                yield item
            return
        text = fragment_to_text(entry.content_html)
        if not entry.has_full_content and len(text) < 300:
            raise NoArticleText(
                "feed entry carries only a short summary and following links is off"
                if entry.url
                else "feed entry has neither content nor a link"
            )
        draft = _Draft(
            text=text,
            title=entry.title,
            outlet=feed_title,
            url=entry.url,
            published=entry.published,
        )
        yield from self._finish(draft, source, locator=locator)

    def _guard(self, locator: str, produce: Any) -> Iterator[Item]:
        """Run one item's reader, turning its IngestError into that item's failure."""
        try:
            yield from produce()
        except IngestError as error:
            yield _failure(locator, error)

    def _finish(self, draft: _Draft, source: Source, *, locator: str) -> Iterator[Article]:
        text = markdown_to_text(draft.text) if draft.markup == "markdown" else draft.text
        stories = read_page(
            text, boilerplate=self._boilerplate, title=draft.title, split=draft.split
        )
        if not stories:
            raise NoArticleText("nothing but page furniture (menus, share buttons) is left")
        outlet = draft.outlet
        if outlet is None or _looks_like_domain(outlet):
            # A name from our table beats a bare host name (trafilatura's fallback).
            outlet = outlet_for_url(draft.url, self._outlets) or outlet
        several = len(stories) > 1
        for part, story in enumerate(stories, start=1):
            if draft.published is not None:
                published, published_from = draft.published, "metadata"
            elif story.published is not None:
                published, published_from = story.published, "text"
            else:
                published, published_from = None, None
            yield Article(
                id=fingerprint(story.text),
                text=story.text,
                title=story.title,
                outlet=outlet,
                url=draft.url,
                published=published,
                published_from=published_from,
                dateline=story.dateline,
                language=draft.language,
                file=source.file,
                part=part if several else None,
                locator=f"{locator}#{part}" if several else locator,
                encoding=draft.encoding,
            )


def _draft_from_mapping(meta: dict[str, Any], *, text: str) -> _Draft:
    def string(*keys: str) -> str | None:
        for key in keys:
            value = meta.get(key)
            if isinstance(value, str) and value.strip():
                return value.strip()
        return None

    published = None
    for key in ("published", "date", "published_at", "pubdate"):
        if meta.get(key) is not None:
            published = parse_publication_date(meta[key])
            if published is not None:
                break
    return _Draft(
        text=text,
        title=string("title", "headline"),
        outlet=string("outlet", "source", "site_name", "publisher"),
        url=string("url", "link"),
        published=published,
        language=string("language", "lang"),
    )


def _looks_like_domain(name: str) -> bool:
    return " " not in name and "." in name.strip(".")


def _failure(locator: str, error: IngestError) -> IngestFailure:
    return IngestFailure(locator=locator, code=error.code, reason=error.message)


class _Window:
    """``readline`` of a binary stream that stops after ``size`` bytes (None: never)."""

    def __init__(self, stream: Any, size: int | None) -> None:
        self._stream = stream
        self._left = size

    def readline(self, size: int) -> bytes:
        if self._left is None:
            return self._stream.readline(size)
        line = self._stream.readline(min(size, self._left)) if self._left > 0 else b""
        self._left -= len(line)
        return line


def _bounded_lines(stream: Any, limit: int) -> Iterator[bytes | None]:
    """The lines of a binary stream; ``None`` for a line longer than ``limit``, whose
    bytes are skipped without being held in memory."""
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        if len(line) > limit and not line.endswith(b"\n"):
            while True:
                rest = stream.readline(1 << 20)
                if not rest or rest.endswith(b"\n"):
                    break
            yield None
            continue
        yield line
