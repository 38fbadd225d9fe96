"""One round of the watch, and the loop of rounds.

A round: begin new watchlists (what the database holds then is known, not news, unless
``backfill``); poll the feeds that are due; ingest, extract and resolve what changed
(through ``pipeline``, like ``khabar ingest``); weigh every incident and statement
against every watchlist and queue an alert for what is new or changed, marked in the
same transaction; deliver the outbox. Each step's result is in the database before the
next, so a restart at any point neither re-alerts nor misses anything (a crash between
a delivery and its mark can repeat that one alert: receivers get ``X-Khabar-Alert``).
"""

from __future__ import annotations

import datetime as dt
import logging
import time
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field

from ..errors import KhabarError
from ..extract.actors import load_actors
from ..extract.gazetteer import load_gazetteer
from ..pipeline import export_records, extract_into, ingest_into, resolve_into
from ..records import Incident, IngestFailure, Statement
from ..store import AlertMark, QueuedAlert, Store
from ._alerts import alert_body, changed_figures, figures_of
from ._config import WatchConfig
from ._match import Matcher
from ._notify import AlertRefused, Notifier, NotifierDown, build_notifier
from ._poll import Polled, failed_state, fetcher_for, poll_feeds

if TYPE_CHECKING:
    from ..extract import Extractor

__all__ = ["RoundReport", "Watcher"]

log = logging.getLogger(__name__)


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class RoundReport(BaseModel):
    """What one round did (``khabar watch --json`` prints it)."""

    started_at: dt.datetime
    seconds: float = 0.0
    feeds: dict[str, str] = Field(default_factory=dict, description="url -> outcome")
    feed_errors: dict[str, str] = Field(default_factory=dict)
    entry_errors: dict[str, str] = Field(
        default_factory=dict, description="feed entries that could not be read (retried)"
    )
    new_articles: int = 0
    extracted: int = 0
    queued: int = Field(0, description="alerts queued this round (one per notifier)")
    delivered: int = 0
    pending: dict[str, int] = Field(default_factory=dict, description="notifier -> queued")
    notifier_errors: dict[str, str] = Field(default_factory=dict)

    @property
    def failed(self) -> bool:
        """A feed failed or an alert could not be delivered."""
        return bool(self.feed_errors) or any(self.pending.values())


class Watcher:
    """Runs rounds for one configuration against one store."""

    def __init__(
        self,
        store: Store,
        config: WatchConfig,
        *,
        extractor: Extractor,
        clock: Callable[[], dt.datetime] = utc_now,
        notifiers: dict[str, Notifier] | None = None,
    ) -> None:
        self.store, self.config, self.extractor, self.clock = store, config, extractor, clock
        actors = load_actors()
        self.matchers = [Matcher(w, actors) for w in config.watchlist]
        self.notifiers = notifiers or {
            name: build_notifier(name, notifier) for name, notifier in config.notifier.items()
        }
        self._countries = load_gazetteer().country_names

    def close(self) -> None:
        """Close the notifiers' connections (the store is the caller's)."""
        for notifier in self.notifiers.values():
            close = getattr(notifier, "close", None)
            if close is not None:
                close()

    # -- the round -----------------------------------------------------------------

    def run_round(self) -> RoundReport:
        started = time.monotonic()
        now = self.clock()
        report = RoundReport(started_at=now)
        self._begin_watchlists()
        polled = poll_feeds(
            self.config.feed,
            self.store.feed_states(),
            self.config.watch,
            self.config.watch.ingest_options(),
            now,
        )
        self._ingest(polled, report, now)
        self._queue_alerts(report)
        self._deliver(report)
        report.seconds = round(time.monotonic() - started, 3)
        return report

    def run(
        self,
        *,
        interval: float,
        rounds: int | None = None,
        on_round: Callable[[RoundReport], None] | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        """Rounds every ``interval`` seconds (from the start of one to the next), for
        ever or ``rounds`` times. A round that fails with a KhabarError (the database
        locked by another process, a full disk) is logged and the next one runs."""
        done = 0
        while True:
            started = time.monotonic()
            try:
                report = self.run_round()
            except KhabarError as error:  # the database was busy, a disk filled: retry
                log.error("round failed, next one in %.0f s: %s", interval, error)
                report = None
            done += 1
            if on_round and report is not None:
                on_round(report)
            if rounds is not None and done >= rounds:
                return
            sleep(max(0.0, interval - (time.monotonic() - started)))

    # -- steps ---------------------------------------------------------------------

    def _records(self) -> list[Incident | Statement]:
        return [r for r in export_records(self.store) if isinstance(r, Incident | Statement)]

    def _begin_watchlists(self) -> None:
        started = self.store.started_watchlists()
        fresh = [m for m in self.matchers if m.watchlist.name not in started]
        if not fresh:
            return
        records = [] if self.config.watch.backfill else self._records()
        for matcher in fresh:
            known = [
                AlertMark(
                    watchlist=matcher.watchlist.name,
                    record_id=r.id,
                    kind=r.kind,
                    figures=figures_of(r),
                )
                for r in records
                if matcher.matches(r)
            ]
            self.store.start_watchlist(matcher.watchlist.name, known)

    def _ingest(self, polled: list[Polled], report: RoundReport, now: dt.datetime) -> None:
        changed = [p for p in polled if p.outcome == "changed"]
        for p in polled:
            report.feeds[p.feed.url] = p.outcome
            if p.outcome == "failed":
                report.feed_errors[p.feed.url] = p.error or "failed"
            if p.outcome in ("failed", "not_modified", "unchanged"):
                self.store.save_feed_state(p.state)
        options = self.config.watch.ingest_options()
        if changed:
            # The feeds were fetched above; the reader gets their bodies, not a 2nd GET.
            fetcher = fetcher_for(options)
            known: set[str] = set()
            for p in changed:
                assert p.fetched is not None
                fetcher.prime(p.feed.url, p.fetched)
                known |= self.store.source_locators(p.feed.url + "#")
            summary = ingest_into(
                self.store,
                [p.feed.url for p in changed],
                options=options,
                extractor=self.extractor,
                fetcher=fetcher,
                known=lambda locator: locator in known or f"{locator}#1" in known,
            )
            report.new_articles, report.extracted = summary.new, summary.extracted
            for p in changed:
                self._after_ingest(p, summary.failures, report, now)
        elif self.store.ids_to_extract():  # what an interrupted round left
            summary = extract_into(self.store, self.extractor)
            report.extracted = summary.extracted
            resolve_into(self.store)

    def _after_ingest(
        self,
        polled: Polled,
        failures: list[IngestFailure],
        report: RoundReport,
        now: dt.datetime,
    ) -> None:
        """Remember a changed feed as read, unless it could not be read (garbage: it
        rests like a feed that failed) or some of its entries could not (it is read in
        full again next round, so nothing is missed)."""
        url = polled.feed.url
        whole = next((f for f in failures if f.locator == url), None)
        entries = {f.locator: f.reason for f in failures if f.locator.startswith(url + "#")}
        unread = polled.state.model_copy(
            update={"etag": None, "last_modified": None, "content_hash": None}
        )
        if whole is not None:
            report.feeds[url] = "failed"
            report.feed_errors[url] = whole.reason
            state = failed_state(unread, whole.reason, now, self.config.watch)
        elif entries:
            report.feeds[url] = "partial"
            report.entry_errors.update(entries)
            state = unread
        else:
            state = polled.state
        self.store.save_feed_state(state)

    def _queue_alerts(self, report: RoundReport) -> None:
        marks = self.store.alert_marks()
        records = self._records()
        now = self.clock()
        new_marks: list[AlertMark] = []
        queued: list[QueuedAlert] = []
        for matcher in self.matchers:
            watchlist = matcher.watchlist
            for record in records:
                if not matcher.matches(record):
                    continue
                figures = figures_of(record)
                mark = marks.get((watchlist.name, record.id))
                if mark is None:
                    update, changed, fired = False, [], 0
                else:
                    changed = changed_figures(mark.figures, figures)
                    if not changed:
                        continue
                    update, fired = True, mark.alerts
                alert_id = uuid.uuid4().hex
                body: dict[str, Any] = {"id": alert_id} | alert_body(
                    watchlist.name,
                    record,
                    update=update,
                    changed=changed,
                    countries=self._countries,
                    urls_of=self._urls_of,
                    base_url=self.config.watch.base_url,
                    created_at=now,
                )
                new_marks.append(
                    AlertMark(
                        watchlist=watchlist.name,
                        record_id=record.id,
                        kind=record.kind,
                        figures=figures,
                        alerts=fired + 1,
                    )
                )
                queued += [
                    QueuedAlert(
                        id=f"{alert_id}-{notifier}",
                        notifier=notifier,
                        watchlist=watchlist.name,
                        record_id=record.id,
                        body=body,
                        created_at=now,
                    )
                    for notifier in watchlist.notify
                ]
        self.store.queue_alerts(new_marks, queued)
        report.queued = len(queued)

    def _urls_of(self, article_id: str) -> list[str]:
        return [s.url for s in self.store.sources_of(article_id) if s.url]

    def _deliver(self, report: RoundReport) -> None:
        for name, notifier in self.notifiers.items():
            for alert in self.store.pending_alerts(name):
                try:
                    notifier.send(alert.body)
                except NotifierDown as error:
                    self.store.alert_failed(alert.id, str(error))
                    report.notifier_errors[name] = str(error)
                    log.info("notifier %s is down: %s", name, error)
                    break
                except AlertRefused as error:
                    self.store.alert_failed(alert.id, str(error))
                    report.notifier_errors[name] = str(error)
                    log.info("notifier %s refused alert %s: %s", name, alert.id, error)
                    continue
                self.store.alert_delivered(alert.id)
                report.delivered += 1
            report.pending[name] = len(self.store.pending_alerts(name))
