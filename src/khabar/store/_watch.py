"""The tables of ``khabar watch`` (migration 0006), for every SQL backend: feeds' state,
watchlists begun, the figures last alerted, and the outbox of undelivered alerts."""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any

from ._base import AlertMark, FeedState, QueuedAlert

__all__ = ["WatchTables"]

_FEED_COLUMNS = list(FeedState.model_fields)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class WatchTables:
    """Mixed into ``SqlStore``: the backend brings ``_con``, ``_transaction`` and
    ``_errors``."""

    _con: Any
    if TYPE_CHECKING:

        def _transaction(self, what: str, *, lock: str | None = None) -> Any: ...

        def _errors(self, what: str) -> Any: ...

    def source_locators(self, prefix: str) -> set[str]:
        escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        with self._errors("read article sources"):
            rows = self._con.execute(
                "SELECT locator FROM article_sources WHERE locator LIKE ? ESCAPE '\\'",
                [escaped + "%"],
            ).fetchall()
        return {locator for (locator,) in rows}

    def feed_states(self) -> dict[str, FeedState]:
        with self._errors("read the watched feeds"):
            rows = self._con.execute(
                f"SELECT {', '.join(_FEED_COLUMNS)} FROM watch_feeds"
            ).fetchall()
        states = [FeedState(**dict(zip(_FEED_COLUMNS, row, strict=True))) for row in rows]
        return {state.url: state for state in states}

    def save_feed_state(self, state: FeedState) -> None:
        values = [getattr(state, name) for name in _FEED_COLUMNS]
        updates = ", ".join(f"{name} = excluded.{name}" for name in _FEED_COLUMNS[1:])
        with self._transaction("store a watched feed's state"):
            self._con.execute(
                f"INSERT INTO watch_feeds ({', '.join(_FEED_COLUMNS)}) "
                f"VALUES ({', '.join('?' * len(values))}) "
                f"ON CONFLICT (url) DO UPDATE SET {updates}",
                values,
            )

    def started_watchlists(self) -> set[str]:
        with self._errors("read the watchlists"):
            rows = self._con.execute("SELECT name FROM watch_watchlists").fetchall()
        return {name for (name,) in rows}

    def start_watchlist(self, name: str, known: list[AlertMark]) -> None:
        now = _now()
        with self._transaction(f"begin watchlist {name}"):
            self._con.execute("INSERT INTO watch_watchlists VALUES (?, ?)", [name, now])
            for mark in known:
                self._put_mark(mark, now)

    def alert_marks(self) -> dict[tuple[str, str], AlertMark]:
        with self._errors("read the alerts sent"):
            rows = self._con.execute(
                "SELECT watchlist, record_id, kind, figures, alerts FROM watch_alerts"
            ).fetchall()
        return {
            (w, r): AlertMark(watchlist=w, record_id=r, kind=k, figures=json.loads(f), alerts=n)
            for w, r, k, f, n in rows
        }

    def queue_alerts(self, marks: list[AlertMark], alerts: list[QueuedAlert]) -> None:
        if not marks and not alerts:
            return
        now = _now()
        with self._transaction(f"queue {len(alerts)} alert(s)", lock="outbox"):
            for mark in marks:
                self._put_mark(mark, now)
            row = self._con.execute("SELECT max(position) FROM watch_outbox").fetchone()
            position = (row[0] if row and row[0] is not None else 0) + 1
            for offset, alert in enumerate(alerts):
                self._con.execute(
                    "INSERT INTO watch_outbox (id, position, notifier, watchlist, record_id, "
                    "body, created_at, attempts, last_error, delivered_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)",
                    [
                        alert.id,
                        position + offset,
                        alert.notifier,
                        alert.watchlist,
                        alert.record_id,
                        json.dumps(alert.body, ensure_ascii=False),
                        alert.created_at,
                        alert.attempts,
                        alert.last_error,
                    ],
                )

    def _put_mark(self, mark: AlertMark, now: dt.datetime) -> None:
        self._con.execute(
            "INSERT INTO watch_alerts VALUES (?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (watchlist, record_id) DO UPDATE SET kind = excluded.kind, "
            "figures = excluded.figures, alerts = excluded.alerts, last_at = excluded.last_at",
            [
                mark.watchlist,
                mark.record_id,
                mark.kind,
                json.dumps(mark.figures, sort_keys=True),
                mark.alerts,
                now,
                now,
            ],
        )

    def pending_alerts(self, notifier: str | None = None) -> list[QueuedAlert]:
        sql = (
            "SELECT id, notifier, watchlist, record_id, body, created_at, attempts, "
            "last_error FROM watch_outbox WHERE delivered_at IS NULL"
        )
        params: list[Any] = []
        if notifier is not None:
            sql += " AND notifier = ?"
            params.append(notifier)
        with self._errors("read the queued alerts"):
            rows = self._con.execute(sql + " ORDER BY position", params).fetchall()
        return [
            QueuedAlert(
                id=i,
                notifier=n,
                watchlist=w,
                record_id=r,
                body=json.loads(b),
                created_at=c,
                attempts=a,
                last_error=e,
            )
            for i, n, w, r, b, c, a, e in rows
        ]

    def alert_delivered(self, alert_id: str) -> None:
        with self._transaction("mark an alert delivered"):
            self._con.execute(
                "UPDATE watch_outbox SET delivered_at = ?, attempts = attempts + 1, "
                "last_error = NULL WHERE id = ?",
                [_now(), alert_id],
            )

    def alert_failed(self, alert_id: str, error: str) -> None:
        with self._transaction("note a failed delivery"):
            self._con.execute(
                "UPDATE watch_outbox SET attempts = attempts + 1, last_error = ? WHERE id = ?",
                [error[:1000], alert_id],
            )
