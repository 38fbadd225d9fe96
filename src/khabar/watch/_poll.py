"""Feeds polled with conditional GET, each on its own: a feed that fails, hangs or
serves garbage costs only itself (the fetch timeout bounds a hang) and waits longer
after each failure (exponential backoff, capped)."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Literal

from ..ingest import Fetched, Fetcher, IngestOptions
from ..store import FeedState
from ._config import FeedConfig, WatchOptions

__all__ = ["Polled", "backoff_seconds", "failed_state", "fetcher_for", "poll_feeds"]

log = logging.getLogger(__name__)

Outcome = Literal["changed", "not_modified", "unchanged", "failed", "waiting"]


@dataclass(frozen=True)
class Polled:
    """One feed's answer this round and the state to remember (for a changed feed,
    only once its new items are stored: a crash in between fetches it again)."""

    feed: FeedConfig
    outcome: Outcome
    state: FeedState
    fetched: Fetched | None = None
    error: str | None = None


def backoff_seconds(errors: int, options: WatchOptions) -> float:
    """How long a feed rests after ``errors`` failures in a row: backoff, doubling,
    at most max_backoff."""
    if errors <= 0:
        return 0.0
    return min(options.backoff * 2 ** min(errors - 1, 30), options.max_backoff)


def failed_state(
    state: FeedState, error: str, now: dt.datetime, options: WatchOptions
) -> FeedState:
    errors = state.errors + 1
    return state.model_copy(
        update={
            "errors": errors,
            "last_error": error[:500],
            "polled_at": now,
            "next_poll": now + dt.timedelta(seconds=backoff_seconds(errors, options)),
        }
    )


def poll_feeds(
    feeds: list[FeedConfig],
    states: dict[str, FeedState],
    options: WatchOptions,
    ingest: IngestOptions,
    now: dt.datetime,
) -> list[Polled]:
    """Fetch every feed that is due, ``options.concurrency`` at a time, in order."""
    due = [f for f in feeds if _due(states.get(f.url), now)]
    results: dict[str, Polled] = {
        f.url: Polled(f, "waiting", states[f.url]) for f in feeds if f not in due
    }
    if due:
        with (
            fetcher_for(ingest) as fetcher,
            ThreadPoolExecutor(max_workers=min(options.concurrency, len(due))) as pool,
        ):
            polls = pool.map(
                lambda f: _poll(
                    fetcher, f, states.get(f.url) or FeedState(url=f.url), options, now
                ),
                due,
            )
            for polled in polls:
                results[polled.feed.url] = polled
    return [results[f.url] for f in feeds]


def _due(state: FeedState | None, now: dt.datetime) -> bool:
    return state is None or state.next_poll is None or state.next_poll <= now


def fetcher_for(options: IngestOptions) -> Fetcher:
    """A fetcher with ingest's bounds and private-address rule."""
    return Fetcher(
        timeout=options.timeout,
        max_bytes=options.max_bytes,
        max_redirects=options.max_redirects,
        allow_private=options.allow_private,
        user_agent=options.user_agent,
    )


def _poll(
    fetcher: Fetcher, feed: FeedConfig, state: FeedState, options: WatchOptions, now: dt.datetime
) -> Polled:
    headers = {}
    if state.etag:
        headers["If-None-Match"] = state.etag
    if state.last_modified:
        headers["If-Modified-Since"] = state.last_modified
    try:
        fetched = fetcher.get(feed.url, headers=headers)
    except Exception as error:  # one feed's failure, whatever it is, costs only itself
        message = str(error) or type(error).__name__
        log.info("feed %s failed: %s", feed.url, message)
        return Polled(feed, "failed", failed_state(state, message, now, options), error=message)
    fresh = state.model_copy(
        update={"errors": 0, "last_error": None, "polled_at": now, "next_poll": None}
    )
    if fetched.status == 304:
        return Polled(feed, "not_modified", fresh)
    digest = hashlib.sha256(fetched.content).hexdigest()
    fresh = fresh.model_copy(
        update={
            "etag": fetched.etag,
            "last_modified": fetched.last_modified,
            "content_hash": digest,
        }
    )
    if digest == state.content_hash:
        return Polled(feed, "unchanged", fresh)
    return Polled(feed, "changed", fresh.model_copy(update={"changed_at": now}), fetched)
