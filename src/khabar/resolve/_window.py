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

import dataclasses
import datetime as dt
import pickle
import sqlite3
import tempfile
from collections import OrderedDict, defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..records import Incident, Location
from ._score import Candidate, When

if TYPE_CHECKING:
    from . import Decision, _Event

__all__ = ["Memory", "Window"]

_BATCH = 1000
_COLD_CACHE = 2000
_OPEN_CAP = 1000  # events whose accounts the second pass holds in memory
# Accounts the second pass holds in memory, all open events together (about 13 KB each
# as records): an event that many articles report, or many events kept open by late
# accounts, go to disk past it rather than grow with the corpus.
_OPEN_ACCOUNTS = 2000
_BLOOM_BITS = 1 << 25  # 4 MB: about 1 false "maybe" in 150 at a million keys on disk


_PLACE = tuple(Location.model_fields)


_PLAIN = tuple(
    f.name for f in dataclasses.fields(Candidate) if f.name not in ("locations", "whens")
)
"""Candidate fields held in plain values (sets, lists, strings) that pickle as they are;
read from the dataclass, so a field added to ``Candidate`` is never dropped on disk."""


def _pack(event: _Event) -> bytes:
    """An event in plain values (a pickled pydantic model loads ten times slower)."""
    c = event.candidate
    return pickle.dumps(
        (
            event.id,
            event.by_hand,
            [tuple(getattr(place, f) for f in _PLACE) for place in c.locations],
            [(w.earliest, w.latest, w.exact, w.day) for w in c.whens],
            tuple(getattr(c, name) for name in _PLAIN),
        ),
        protocol=pickle.HIGHEST_PROTOCOL,
    )


def _unpack(blob: bytes) -> _Event:
    from . import _Event

    eid, by_hand, places, whens, plain = pickle.loads(blob)
    candidate = Candidate(
        # Values of a validated Location: constructing again needs no validation.
        locations=[Location.model_construct(**dict(zip(_PLACE, p, strict=True))) for p in places],
        whens=[When(*w) for w in whens],
        **dict(zip(_PLAIN, plain, strict=True)),
    )
    return _Event(eid, [], candidate, by_hand)


def _bits(text: str) -> tuple[int, int]:
    """Two bit positions of a key in the Bloom filter (the process's string hash)."""
    first = hash(text)
    return first % _BLOOM_BITS, (first // _BLOOM_BITS) % _BLOOM_BITS


class Memory:
    """Every event, its index and its decisions in memory (``Resolver.events()``)."""

    def __init__(self) -> None:
        self.events: dict[str, _Event] = {}
        self.index: dict[tuple, set[str]] = defaultdict(set)
        self.published: dict[str, dt.date | None] = {}
        self.decisions: list[Decision] = []
        self.opened = 0
        self._open: dict[str, list[Incident]] = {}

    def get(self, event_id: str) -> _Event | None:
        return self.events.get(event_id)

    def take(self, event_id: str, make: Any, published: dt.date | None) -> _Event:
        """The event to add an account to (made when new)."""
        event = self.events.get(event_id)
        if event is None:
            event = self.events[event_id] = make(event_id)
            self.opened += 1
        return event

    def fetch(self, event_ids: list[str]) -> dict[str, _Event]:
        return {event_id: self.events[event_id] for event_id in event_ids}

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

    def hold(self, event_id: str, account: Incident) -> None:
        """Keep an account of an event still open in the second pass."""
        self._open.setdefault(event_id, []).append(account)

    def accounts_of(self, event_id: str) -> list[Incident]:
        """The held accounts of an event, in order, and forget them."""
        return self._open.pop(event_id)

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
        self.open_cap = min(cap, _OPEN_CAP)
        self.account_cap = _OPEN_ACCOUNTS
        self._held = 0
        self.events: OrderedDict[str, _Event] = OrderedDict()  # by the last account added
        self._touched: dict[str, dt.date | None] = {}
        self._keys: dict[str, set[tuple]] = defaultdict(set)
        self._clock: dt.date | None = None
        self._cache: OrderedDict[str, _Event] = OrderedDict()
        self._pending: list[tuple[int, str, str, float | None, str]] = []
        self._published: list[tuple[str, str | None]] = []
        self.decided = 0
        self.cold = 0
        self._open: OrderedDict[str, list[Incident]] = OrderedDict()
        self._order = self._spilled = 0
        # Which keys have events on disk, as a Bloom filter: most lookups are of recent
        # weeks, which no event on disk is filed under, and skip the query.
        self._bloom = bytearray(_BLOOM_BITS // 8)
        self._folder = tempfile.TemporaryDirectory(prefix="khabar-resolve-", dir=folder)
        self._db = sqlite3.connect(Path(self._folder.name) / "events.sqlite")
        for statement in (
            "PRAGMA journal_mode=OFF",
            "PRAGMA synchronous=OFF",
            "PRAGMA temp_store=FILE",
            "PRAGMA cache_size=-16000",  # 16 MB of pages
            "CREATE TABLE events (id TEXT PRIMARY KEY, body BLOB) WITHOUT ROWID",
            "CREATE TABLE keys (key TEXT, event_id TEXT, PRIMARY KEY (key, event_id)) "
            "WITHOUT ROWID",
            "CREATE TABLE published (article_id TEXT PRIMARY KEY, day TEXT) WITHOUT ROWID",
            "CREATE TABLE decisions (n INTEGER PRIMARY KEY, mention_id TEXT, event_id TEXT, "
            "score REAL, reason TEXT)",
            "CREATE TABLE accounts (event_id TEXT, n INTEGER, body TEXT, "
            "PRIMARY KEY (event_id, n)) WITHOUT ROWID",
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
        return None if row is None else self._cached(event_id, _unpack(row[0]))

    def fetch(self, event_ids: list[str]) -> dict[str, _Event]:
        """Several events at once (the candidates of one account): one query for
        those on disk."""
        found: dict[str, _Event] = {}
        missing = []
        for event_id in event_ids:
            event = self.events.get(event_id) or self._cache.get(event_id)
            if event is None:
                missing.append(event_id)
            else:
                found[event_id] = event
        for start in range(0, len(missing), 500):
            chunk = missing[start : start + 500]
            rows = self._db.execute(
                f"SELECT id, body FROM events WHERE id IN ({', '.join('?' * len(chunk))})",
                chunk,
            )
            for event_id, body in rows:
                found[event_id] = self._cached(event_id, _unpack(body))
        return found

    def _cached(self, event_id: str, event: _Event) -> _Event:
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
            [event_id, _pack(event)],
        )
        texts = [repr(k) for k in keys]
        self._db.executemany(
            "INSERT OR IGNORE INTO keys VALUES (?, ?)", [(t, event_id) for t in texts]
        )
        for text in texts:
            for bit in _bits(text):
                self._bloom[bit >> 3] |= 1 << (bit & 7)
        self.cold += 1

    # -- the blocking index ------------------------------------------------------------

    def find(self, keys: Iterable[tuple]) -> set[str]:
        wanted = list(keys)
        found = super().find(wanted)
        if self.cold and wanted:
            texts = sorted(
                t
                for t in {repr(k) for k in wanted}
                if all(self._bloom[b >> 3] & (1 << (b & 7)) for b in _bits(t))
            )
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

    def hold(self, event_id: str, account: Incident) -> None:
        """As ``Memory.hold``; past ``open_cap`` open events or ``account_cap`` accounts
        held, the events held longest go to disk (an account joining an old event keeps
        that event open across the pass; an event of thousands of accounts goes to disk
        as it grows, not whole at its end)."""
        accounts = self._open.pop(event_id, None) or []
        accounts.append(account)
        self._open[event_id] = accounts  # the newest last
        self._held += 1
        while self._open and (len(self._open) > self.open_cap or self._held > self.account_cap):
            oldest = next(iter(self._open))
            spilled = self._open.pop(oldest)
            self._held -= len(spilled)
            rows = [(oldest, self._held_n(), a.model_dump_json()) for a in spilled]
            self._db.executemany("INSERT INTO accounts VALUES (?, ?, ?)", rows)
            self._spilled += 1

    def _held_n(self) -> int:
        self._order += 1
        return self._order

    def accounts_of(self, event_id: str) -> list[Incident]:
        held = self._open.pop(event_id, [])
        self._held -= len(held)
        if not self._spilled:
            return held
        rows = self._db.execute(
            "SELECT body FROM accounts WHERE event_id = ? ORDER BY n", [event_id]
        ).fetchall()
        if not rows:
            return held
        self._db.execute("DELETE FROM accounts WHERE event_id = ?", [event_id])
        return [Incident.model_validate_json(body) for (body,) in rows] + held

    def close(self) -> None:
        self._db.close()
        self._folder.cleanup()
