"""Where the resolver keeps its events: all in memory (``Memory``), or only the recent
ones (``Window``), the others in a private SQLite file that answers the same lookups.

Mentions arrive in publication order, and an account nearly always joins an event
reported in the days before it; an event no account has joined for ``days`` days of
publication is written to disk, with the blocking keys it is filed under. A lookup
reads both: the keys' events in memory and those on disk, so an old event stays
findable (a follow-up weeks later, a mention of a past attack) and every decision is
the one the all-in-memory resolver takes. Memory then holds the events of the window
(and at most ``cap`` of them), not those of the corpus; the decisions and the
publication dates go to the same file.
"""

from __future__ import annotations

import datetime as dt
import pickle
import sqlite3
import tempfile
from collections import OrderedDict, defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from . import Decision, _Event

__all__ = ["Memory", "Window"]

_BATCH = 1000
_COLD_CACHE = 2000


class Memory:
    """Every event, its index and its decisions in memory (``Resolver.events()``)."""

    def __init__(self) -> None:
        self.events: dict[str, _Event] = {}
        self.index: dict[tuple, set[str]] = defaultdict(set)
        self.published: dict[str, dt.date | None] = {}
        self.decisions: list[Decision] = []
        self.opened = 0

    def get(self, event_id: str) -> _Event | None:
        return self.events.get(event_id)

    def take(self, event_id: str, make: Any, published: dt.date | None) -> _Event:
        """The event to add an account to (made when new)."""
        event = self.events.get(event_id)
        if event is None:
            event = self.events[event_id] = make(event_id)
            self.opened += 1
        return event

    def find(self, keys: Iterable[tuple]) -> set[str]:
        found: set[str] = set()
        for key in keys:
            found |= self.index.get(key, set())
        return found

    def file(self, event_id: str, keys: Iterable[tuple]) -> None:
        for key in keys:
            self.index[key].add(event_id)

    def publish(self, article_id: str, published: dt.date | None) -> None:
        self.published.setdefault(article_id, published)

    def published_of(self, article_ids: Iterable[str]) -> dict[str, dt.date | None]:
        return self.published

    def decide(self, decision: Decision) -> None:
        self.decisions.append(decision)

    def decisions_read(self) -> Iterator[tuple[str, str, float | None, str, bool]]:
        last = {d.event_id: i for i, d in enumerate(self.decisions)}
        for index, d in enumerate(self.decisions):
            yield d.mention_id, d.event_id, d.score, d.reason, last[d.event_id] == index

    def settle(self) -> None:
        """Nothing leaves memory."""

    def close(self) -> None:
        """Nothing to release."""


class Window(Memory):
    """Recent events in memory, older ones in a SQLite file of their own.

    Args:
        days: an event that no account joined for this many days of publication (the
            latest publication date read so far) leaves memory.
        cap: at most this many events in memory (undated articles do not move the
            clock; a burst of coverage does not grow memory past it).
    """

    def __init__(self, days: int, cap: int = 5_000, folder: str | Path | None = None) -> None:
        super().__init__()
        self.days = dt.timedelta(days=days)
        self.cap = cap
        self.events: OrderedDict[str, _Event] = OrderedDict()  # by the last account added
        self._touched: dict[str, dt.date | None] = {}
        self._keys: dict[str, set[tuple]] = defaultdict(set)
        self._clock: dt.date | None = None
        self._cache: OrderedDict[str, _Event] = OrderedDict()
        self._pending: list[tuple[int, str, str, float | None, str]] = []
        self._published: list[tuple[str, str | None]] = []
        self.decided = 0
        self.cold = 0
        self._folder = tempfile.TemporaryDirectory(prefix="khabar-resolve-", dir=folder)
        self._db = sqlite3.connect(Path(self._folder.name) / "events.sqlite")
        for statement in (
            "PRAGMA journal_mode=OFF",
            "PRAGMA synchronous=OFF",
            "PRAGMA temp_store=FILE",
            "CREATE TABLE events (id TEXT PRIMARY KEY, body BLOB) WITHOUT ROWID",
            "CREATE TABLE keys (key TEXT, event_id TEXT, PRIMARY KEY (key, event_id)) "
            "WITHOUT ROWID",
            "CREATE TABLE published (article_id TEXT PRIMARY KEY, day TEXT) WITHOUT ROWID",
            "CREATE TABLE decisions (n INTEGER PRIMARY KEY, mention_id TEXT, event_id TEXT, "
            "score REAL, reason TEXT)",
        ):
            self._db.execute(statement)

    # -- events ----------------------------------------------------------------------

    def get(self, event_id: str) -> _Event | None:
        event = self.events.get(event_id)
        if event is not None or not self.cold:
            return event
        event = self._cache.get(event_id)
        if event is not None:
            self._cache.move_to_end(event_id)
            return event
        row = self._db.execute("SELECT body FROM events WHERE id = ?", [event_id]).fetchone()
        if row is None:
            return None
        event = pickle.loads(row[0])
        self._cache[event_id] = event
        if len(self._cache) > _COLD_CACHE:
            self._cache.popitem(last=False)
        return event

    def take(self, event_id: str, make: Any, published: dt.date | None) -> _Event:
        event = self.events.get(event_id)
        if event is None:
            event = self.get(event_id)
            self._cache.pop(event_id, None)
            if event is None:
                event = make(event_id)
                self.opened += 1
            self.events[event_id] = event
        self.events.move_to_end(event_id)
        if published is not None and (self._clock is None or published > self._clock):
            self._clock = published
        self._touched[event_id] = published or self._clock
        return event

    def settle(self) -> None:
        """Write to disk the events that left the window (called after each account)."""
        horizon = self._clock - self.days if self._clock is not None else None
        while self.events:
            oldest = next(iter(self.events))
            touched = self._touched[oldest]
            stale = horizon is not None and touched is not None and touched < horizon
            if not stale and len(self.events) <= self.cap:
                return
            self._evict(oldest)

    def _evict(self, event_id: str) -> None:
        event = self.events.pop(event_id)
        del self._touched[event_id]
        keys = self._keys.pop(event_id, set())
        for key in keys:
            holders = self.index[key]
            holders.discard(event_id)
            if not holders:
                del self.index[key]
        self._db.execute(
            "INSERT OR REPLACE INTO events VALUES (?, ?)",
            [event_id, pickle.dumps(event, protocol=pickle.HIGHEST_PROTOCOL)],
        )
        self._db.executemany(
            "INSERT OR IGNORE INTO keys VALUES (?, ?)", [(repr(k), event_id) for k in keys]
        )
        self.cold += 1

    # -- the blocking index ------------------------------------------------------------

    def find(self, keys: Iterable[tuple]) -> set[str]:
        wanted = list(keys)
        found = super().find(wanted)
        if self.cold and wanted:
            texts = sorted({repr(k) for k in wanted})
            for start in range(0, len(texts), 500):
                chunk = texts[start : start + 500]
                rows = self._db.execute(
                    f"SELECT event_id FROM keys WHERE key IN ({', '.join('?' * len(chunk))})",
                    chunk,
                )
                found.update(event_id for (event_id,) in rows)
        return found

    def file(self, event_id: str, keys: Iterable[tuple]) -> None:
        keys = list(keys)
        super().file(event_id, keys)
        self._keys[event_id].update(keys)

    # -- publication dates and decisions -------------------------------------------------

    def publish(self, article_id: str, published: dt.date | None) -> None:
        self._published.append((article_id, published.isoformat() if published else None))
        if len(self._published) >= _BATCH:
            self._flush()

    def published_of(self, article_ids: Iterable[str]) -> dict[str, dt.date | None]:
        self._flush()
        found: dict[str, dt.date | None] = {}
        ids = sorted(set(article_ids))
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            rows = self._db.execute(
                f"SELECT article_id, day FROM published WHERE article_id IN "
                f"({', '.join('?' * len(chunk))})",
                chunk,
            )
            for article_id, day in rows:
                found[article_id] = dt.date.fromisoformat(day) if day else None
        return found

    def decide(self, decision: Decision) -> None:
        self._pending.append(
            (
                self.decided,
                decision.mention_id,
                decision.event_id,
                decision.score,
                decision.reason,
            )
        )
        self.decided += 1
        if len(self._pending) >= _BATCH:
            self._flush()

    def _flush(self) -> None:
        if self._published:
            # The first date an article was read with stands, as ``dict.setdefault``.
            self._db.executemany("INSERT OR IGNORE INTO published VALUES (?, ?)", self._published)
            self._published = []
        if self._pending:
            self._db.executemany("INSERT INTO decisions VALUES (?, ?, ?, ?, ?)", self._pending)
            self._pending = []

    def decisions_read(self) -> Iterator[tuple[str, str, float | None, str, bool]]:
        """The decisions in order, each with whether it is its event's last account."""
        self._flush()
        cursor = self._db.cursor()
        cursor.execute(
            "SELECT mention_id, event_id, score, reason, "
            "n = max(n) OVER (PARTITION BY event_id) FROM decisions ORDER BY n"
        )
        try:
            while rows := cursor.fetchmany(_BATCH):
                for mention_id, event_id, score, reason, last in rows:
                    yield mention_id, event_id, score, reason, bool(last)
        finally:
            cursor.close()

    def close(self) -> None:
        self._db.close()
        self._folder.cleanup()
