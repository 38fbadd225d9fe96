"""The repository interface every backend implements."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from typing import Any, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field

from ..records import (
    Arrest,
    Article,
    ArticleSource,
    Correction,
    HandDecision,
    Incident,
    Statement,
)

__all__ = ["AlertMark", "ArticleQuery", "ExportRecord", "FeedState", "QueuedAlert", "Store"]

ExportRecord = Incident | Statement | Arrest


class ArticleQuery(BaseModel):
    """Filters for listing articles; every filter is optional."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    since: dt.date | None = Field(None, description="published on or after")
    until: dt.date | None = Field(None, description="published on or before")
    outlet: str | None = Field(None, description="outlet name contains (any case)")
    text: str | None = Field(None, description="title or text contains (any case)")
    limit: int | None = Field(None, gt=0)
    offset: int = Field(0, ge=0)


class FeedState(BaseModel):
    """What ``khabar watch`` remembers of one feed between rounds."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    url: str
    etag: str | None = None
    last_modified: str | None = None
    content_hash: str | None = Field(None, description="SHA-256 of the last body ingested")
    errors: int = Field(0, ge=0, description="consecutive failures")
    last_error: str | None = None
    polled_at: dt.datetime | None = None
    changed_at: dt.datetime | None = None
    next_poll: dt.datetime | None = Field(None, description="not polled before (backoff)")


class AlertMark(BaseModel):
    """The figures a watchlist last alerted for one record (``alerts`` 0: the record
    was in the database when the watchlist began, and was not alerted)."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    watchlist: str
    record_id: str
    kind: str
    figures: dict[str, Any]
    alerts: int = Field(0, ge=0)


class QueuedAlert(BaseModel):
    """An alert waiting for one notifier, in the outbox until it is delivered."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    id: str
    notifier: str
    watchlist: str
    record_id: str
    body: dict[str, Any]
    created_at: dt.datetime
    attempts: int = 0
    last_error: str | None = None


@runtime_checkable
class Store(Protocol):
    """Where khabar keeps articles and records. Only implementations speak SQL."""

    location: str
    schema_version: int

    def add_article(self, article: Article, *, seen_at: dt.datetime | None = None) -> bool:
        """Store an article and the source it was read from, in one transaction.

        Returns:
            True when the article is new, False when its id was already stored (the
            source is still recorded, so syndicated copies keep every origin).
        """

    def add_articles(
        self, articles: list[Article], *, seen_at: dt.datetime | None = None
    ) -> list[bool]:
        """Store several articles in one transaction (each whole or not at all).

        Returns:
            For each article in order, whether it was new (a repeat of an id earlier in
            the same list is not).
        """

    def find_articles(self, id_or_prefix: str) -> list[Article]:
        """Articles whose id is, or starts with, the given string."""

    def list_articles(self, query: ArticleQuery) -> list[Article]: ...

    def count_articles(self, query: ArticleQuery | None = None) -> int:
        """How many articles there are (that match ``query``; its limit is ignored)."""

    def sources_of(self, article_id: str) -> list[ArticleSource]: ...

    def put_record(self, record: ExportRecord) -> None:
        """Insert or replace an incident, statement or arrest."""

    def replace_records(
        self,
        article_id: str | None,
        records: list[ExportRecord],
        *,
        extractor: str | None = None,
        model: str | None = None,
    ) -> None:
        """Replace what extraction found in one article, in one transaction, and note
        that the article has been read (by which khabar and model)."""

    def articles_to_extract(self, *, every: bool = False) -> list[Article]:
        """Articles extraction has not read yet (all of them with ``every``)."""

    def ids_to_extract(
        self, *, every: bool = False, after: str | None = None, limit: int | None = None
    ) -> list[str]:
        """The ids of ``articles_to_extract``, in the same order: a big run reads the
        articles a page at a time (``get_articles``) instead of holding every text.
        ``after`` (an id) and ``limit`` give one page of them: those after that
        article in that order, so that a run holds a page of ids, not every id."""

    def count_to_extract(self, *, every: bool = False) -> int:
        """How many articles ``ids_to_extract`` gives (for a progress bar's total)."""

    def get_articles(self, ids: list[str]) -> list[Article]:
        """The articles with these ids, in the order given (unknown ids are left out)."""

    def iter_records(self, kind: str | None = None) -> Iterator[ExportRecord]:
        """What extraction found, per article (incidents here are mentions)."""

    def incident_mentions(self) -> list[tuple[Incident, dt.date | None]]:
        """Every extracted incident with its article's publication date, in the order
        resolution reads them: by publication date (undated last), then article id. Not
        by arrival: the same articles resolve the same whichever process stored them
        first, and in whatever order."""

    def mentions_of(self, event_id: str) -> list[Incident]:
        """The extracted incidents resolution linked to one event, in arrival order."""

    def resolution_links(self) -> dict[str, tuple[str, float | None, str]]:
        """mention id -> (event id, score, reason) of the last resolution."""

    def save_resolution(
        self, events: Iterable[Incident], links: Iterable[tuple[str, str, float | None, str]]
    ) -> None:
        """Replace the resolved events and the decisions, in one transaction (either may
        be an iterator; ``links`` is read after ``events``)."""

    def iter_events(self) -> Iterator[Incident]:
        """The resolved incidents, one per real-world event."""

    def find_events(self, id_or_prefix: str) -> list[Incident]:
        """Resolved incidents whose id is, or starts with, the given string."""

    def overrides(self) -> list[tuple[str, str, str]]:
        """An analyst's decisions: (mention a, mention b, 'together' | 'apart')."""

    def add_overrides(
        self, pairs: list[tuple[str, str, str]], *, decision: HandDecision | None = None
    ) -> None:
        """Store pairs of mentions; with ``decision``, as that hand decision's pairs."""

    def hand_decisions(self) -> list[HandDecision]:
        """The analyst's merges and splits still in force, oldest first."""

    def remove_decision(self, decision_id: str) -> HandDecision | None:
        """Take a hand decision back (its pairs are deleted); None when unknown."""

    def corrections(self) -> list[Correction]:
        """An analyst's corrections of incident fields, in the order they were made."""

    def add_correction(self, correction: Correction) -> None: ...

    def records_of(self, article_id: str) -> list[ExportRecord]:
        """What extraction found in one article."""

    # -- khabar watch ----------------------------------------------------------------

    def source_locators(self, prefix: str) -> set[str]:
        """The locators of stored article sources that start with ``prefix`` (the
        entries of one feed: ``<feed url>#``)."""

    def feed_states(self) -> dict[str, FeedState]:
        """url -> what the watcher remembers of each feed it polled."""

    def save_feed_state(self, state: FeedState) -> None: ...

    def started_watchlists(self) -> set[str]:
        """Names of the watchlists that have run against this database."""

    def start_watchlist(self, name: str, known: list[AlertMark]) -> None:
        """Note a watchlist's first round, with the records it matched then (not
        alerted), in one transaction."""

    def alert_marks(self) -> dict[tuple[str, str], AlertMark]:
        """(watchlist, record id) -> the figures last alerted."""

    def queue_alerts(self, marks: list[AlertMark], alerts: list[QueuedAlert]) -> None:
        """Store the new marks and put the alerts in the outbox, in one transaction, so
        an alert is either queued and marked or neither."""

    def pending_alerts(self, notifier: str | None = None) -> list[QueuedAlert]:
        """Undelivered alerts (for one notifier), in the order they were queued."""

    def alert_delivered(self, alert_id: str) -> None: ...

    def alert_failed(self, alert_id: str, error: str) -> None:
        """Count a failed delivery; the alert stays queued."""

    def start_run(self, command: str, meta: dict[str, Any]) -> str: ...

    def finish_run(self, run_id: str, meta: dict[str, Any]) -> None: ...

    # -- concurrency -----------------------------------------------------------------

    def lock(self, name: str) -> AbstractContextManager[None]:
        """Held across processes for a read-then-write step (resolution): a no-op where
        one process writes (DuckDB), an advisory lock on a server."""

    def change_token(self) -> int:
        """Raised by every write transaction, whichever process made it: poll it to
        learn cheaply that the database changed."""

    def close(self) -> None: ...
