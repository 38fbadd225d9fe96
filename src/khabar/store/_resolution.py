"""The resolution's tables, for every SQL backend: the mentions resolution reads, the
events and links it stores, and the analyst's overrides, hand decisions and corrections."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from ..records import Correction, Evidence, HandDecision, Incident

__all__ = ["ResolutionTables"]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _whole_id_or_prefix(con: Any, select: str, id_or_prefix: str) -> list[tuple[Any, ...]]:
    """Rows of ``select`` (a ``SELECT … FROM table``) whose id is ``id_or_prefix``, else
    the first 20 whose id starts with it. A whole id first: the primary key's index
    answers it (about 3 ms on a million rows in DuckDB), where a prefix scans every id
    (about 20 ms); a whole id is no other id's prefix, as ids of one kind have one
    length. The prefix is literal on both backends (``_`` and ``%`` are no wildcards)."""
    rows = con.execute(f"{select} WHERE id = ?", [id_or_prefix]).fetchall()
    if rows:
        return rows
    return con.execute(
        f"{select} WHERE id LIKE ? ESCAPE '\\' ORDER BY id LIMIT 20",
        [_escape_like(id_or_prefix) + "%"],
    ).fetchall()


_FIRST = 200
_FIRST_EVENTS = f"SELECT id, body FROM events ORDER BY id LIMIT {_FIRST}"
_NEXT_EVENTS = "SELECT id, body FROM events WHERE id > ? ORDER BY id"

# The mentions in the order resolution decides them (iter_incident_mentions pages it).
MENTIONS_SQL = (
    "SELECT r.body, a.published FROM records r JOIN articles a "
    "ON r.article_id = a.id WHERE r.kind = 'incident' "
    "ORDER BY a.published NULLS LAST, a.id, r.id"
)


def _mentions(read: Any, page: int) -> Iterator[tuple[Incident, dt.date | None]]:
    for body, published in read(MENTIONS_SQL, [], page):
        yield Incident.model_validate_json(body), published


def _chunks(items: Iterable[Any], size: int = 200) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def event_rows(
    events: Iterable[Incident], now: Any, *, rows: int = 200, size: int = 4 << 20
) -> Iterator[list[list[Any]]]:
    """``events`` as (id, JSON body, time) rows, ``rows`` at a time or fewer: a chunk
    ends once its bodies pass ``size`` characters. An event that thousands of articles
    report carries their sources and evidence (megabytes of JSON), so chunks of a fixed
    count held a resolution's largest events at once, twice (the Incidents and their
    JSON), at the save."""
    chunk: list[list[Any]] = []
    held = 0
    for event in events:
        body = event.model_dump_json()
        chunk.append([event.id, body, now])
        held += len(body)
        if len(chunk) >= rows or held >= size:
            yield chunk
            chunk, held = [], 0
    if chunk:
        yield chunk


class ResolutionTables:
    """Mixed into ``SqlStore``: the backend brings ``_con``, ``_transaction``,
    ``_errors`` and ``_insert_many``."""

    _con: Any
    if TYPE_CHECKING:

        def _transaction(self, what: str, *, lock: str | None = None) -> Any: ...

        def _errors(self, what: str) -> Any: ...

        def _insert_many(self, head: str, rows: list[list[Any]], *, suffix: str = "") -> None: ...

        def _reader(self, *, snapshot: bool = False) -> Any: ...

        def _rows(self, sql: str, params: list[Any] | None = None) -> Iterator[Any]: ...

    # -- resolution ------------------------------------------------------------------

    def incident_mentions(self) -> list[tuple[Incident, dt.date | None]]:
        with self._errors("read incident mentions"):
            rows = self._con.execute(MENTIONS_SQL).fetchall()
        return [(Incident.model_validate_json(body), published) for body, published in rows]

    def mentions_of(self, event_id: str) -> list[Incident]:
        with self._errors("read an incident's mentions"):
            rows = self._con.execute(
                "SELECT r.body FROM incident_links l JOIN records r ON r.id = l.mention_id "
                "JOIN articles a ON r.article_id = a.id WHERE l.event_id = ? "
                "ORDER BY a.first_seen, a.id, r.id",
                [event_id],
            ).fetchall()
        return [Incident.model_validate_json(body) for (body,) in rows]

    def resolution_links(self) -> dict[str, tuple[str, float | None, str]]:
        with self._errors("read resolution links"):
            rows = self._con.execute(
                "SELECT mention_id, event_id, score, reason FROM incident_links"
            ).fetchall()
        return {m: (e, s, r) for m, e, s, r in rows}

    def iter_resolution_links(
        self, *, page: int = 1000
    ) -> Iterator[tuple[str, str, float | None, str]]:
        """``resolution_links`` as rows, a page at a time on a cursor of its own: an
        incremental resolution keeps them on disk, not in a dict of every mention."""
        with self._errors("read resolution links"), self._reader() as read:
            sql = "SELECT mention_id, event_id, score, reason FROM incident_links"
            yield from read(sql, [], page)

    def save_resolution(
        self, events: Iterable[Incident], links: Iterable[tuple[str, str, float | None, str]]
    ) -> None:
        """``events`` and ``links`` may be iterators (resolution reconciles an event when
        its last account has been read, and reads its decisions back from disk): each
        is written 200 at a time, never held whole; ``links`` is read after ``events``."""
        now = _now()
        with self._transaction("store the resolved incidents", lock="resolution"):
            self._con.execute("DELETE FROM events")
            self._con.execute("DELETE FROM incident_links")
            for chunk in event_rows(events, now):
                self._insert_many("INSERT INTO events", chunk)
            for chunk in _chunks(links):
                self._insert_many(
                    "INSERT INTO incident_links", [[m, e, s, r, now] for m, e, s, r in chunk]
                )

    def iter_events(self) -> Iterator[Incident]:
        """Streamed, so the first rows come at once (a list page of a million
        incidents): the first page is a top-N query (no sort of the whole table, which
        DuckDB does before its first row), the rest one sorted query after it, a page at
        a time; both read one snapshot."""
        with self._errors("read incidents"), self._reader(snapshot=True) as read:
            last, count = None, 0
            for event_id, body in read(_FIRST_EVENTS, [], _FIRST):
                last, count = event_id, count + 1
                yield Incident.model_validate_json(body)
            if count == _FIRST:
                for _, body in read(_NEXT_EVENTS, [last], 500):
                    yield Incident.model_validate_json(body)

    def iter_incident_mentions(
        self, *, page: int = 500
    ) -> Iterator[tuple[Incident, dt.date | None]]:
        """``incident_mentions`` a page at a time, on a cursor of its own (so that the
        store can write while a caller reads): resolution holds one page, not all."""
        with self._errors("read incident mentions"), self._reader() as read:
            yield from _mentions(read, page)

    @contextmanager
    def mention_snapshot(self) -> Iterator[Callable[[], Iterator[tuple[Incident, Any]]]]:
        """``iter_incident_mentions`` that reads one snapshot each time it is called,
        until the block ends: ``pipeline.resolve_into``'s two passes see the same
        mentions even while another process stores articles."""
        with self._errors("read incident mentions"), self._reader(snapshot=True) as read:
            yield lambda: _mentions(read, 500)

    def find_events(self, id_or_prefix: str) -> list[Incident]:
        with self._errors("find incidents"):
            rows = _whole_id_or_prefix(self._con, "SELECT body FROM events", id_or_prefix)
        return [Incident.model_validate_json(body) for (body,) in rows]

    def overrides(self) -> list[tuple[str, str, str]]:
        with self._errors("read overrides"):
            return [
                tuple(row)
                for row in self._con.execute(
                    "SELECT a, b, relation FROM resolution_overrides ORDER BY created_at, a, b"
                ).fetchall()
            ]

    def add_overrides(
        self, pairs: list[tuple[str, str, str]], *, decision: HandDecision | None = None
    ) -> None:
        with self._transaction("store the analyst's decisions", lock="resolution"):
            if decision is not None:
                self._con.execute(
                    "INSERT INTO hand_decisions (id, kind, event_id, other, created_at) "
                    "VALUES (?, ?, ?, ?, ?)",
                    [
                        decision.id,
                        decision.kind,
                        decision.event_id,
                        decision.other,
                        decision.created_at,
                    ],
                )
            for a, b, relation in pairs:
                first, second = sorted((a, b))
                self._con.execute(
                    "INSERT INTO resolution_overrides "
                    "(a, b, relation, created_at, decision_id) VALUES (?, ?, ?, ?, ?) "
                    "ON CONFLICT (a, b) DO UPDATE SET relation = excluded.relation, "
                    "created_at = excluded.created_at, decision_id = excluded.decision_id",
                    [first, second, relation, _now(), decision.id if decision else None],
                )

    def hand_decisions(self) -> list[HandDecision]:
        with self._errors("read hand decisions"):
            stored = {
                row[0]: row
                for row in self._con.execute(
                    "SELECT id, kind, event_id, other, created_at FROM hand_decisions"
                ).fetchall()
            }
            pairs = self._con.execute(
                "SELECT a, b, relation, created_at, decision_id FROM resolution_overrides "
                "ORDER BY created_at, a, b"
            ).fetchall()
        grouped: dict[str, list[tuple]] = {}
        for a, b, relation, created, decision_id in pairs:
            key = decision_id or _legacy_id(relation, created)
            grouped.setdefault(key, []).append((a, b, relation, created))
        decisions = []
        for key, rows in grouped.items():
            mentions = tuple(sorted({m for a, b, *_ in rows for m in (a, b)}))
            if key in stored:
                _, kind, event_id, other, created = stored[key]
            else:  # stored before decisions had ids
                kind = "merge" if rows[0][2] == "together" else "split"
                event_id, other, created = rows[0][0], rows[0][1], rows[0][3]
            decisions.append(
                HandDecision(
                    id=key,
                    kind=kind,
                    event_id=event_id,
                    other=other,
                    created_at=created,
                    pairs=len(rows),
                    mentions=mentions,
                )
            )
        return sorted(decisions, key=lambda d: (d.created_at, d.id))

    def remove_decision(self, decision_id: str) -> HandDecision | None:
        found = next((d for d in self.hand_decisions() if d.id == decision_id), None)
        if found is None:
            return None
        with self._transaction("take back a hand decision", lock="resolution"):
            if decision_id.startswith("legacy-"):
                for a, b, relation, created, did in self._con.execute(
                    "SELECT a, b, relation, created_at, decision_id FROM resolution_overrides"
                ).fetchall():
                    if did is None and _legacy_id(relation, created) == decision_id:
                        self._con.execute(
                            "DELETE FROM resolution_overrides WHERE a = ? AND b = ?", [a, b]
                        )
            else:
                self._con.execute(
                    "DELETE FROM resolution_overrides WHERE decision_id = ?", [decision_id]
                )
                self._con.execute("DELETE FROM hand_decisions WHERE id = ?", [decision_id])
        return found

    def corrections(self) -> list[Correction]:
        with self._errors("read corrections"):
            rows = self._con.execute(
                "SELECT id, event_id, anchor, field, value, note, author, evidence, created_at "
                "FROM corrections ORDER BY created_at, id"
            ).fetchall()
        return [
            Correction(
                id=cid,
                event_id=event_id,
                anchor=anchor,
                field=name,
                value=json.loads(value),
                note=note,
                author=author,
                evidence=Evidence.model_validate_json(evidence) if evidence else None,
                created_at=created_at,
            )
            for cid, event_id, anchor, name, value, note, author, evidence, created_at in rows
        ]

    def add_correction(self, correction: Correction) -> None:
        with self._transaction("store the analyst's correction"):
            self._con.execute(
                "INSERT INTO corrections VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    correction.id,
                    correction.event_id,
                    correction.anchor,
                    correction.field,
                    json.dumps(correction.value, ensure_ascii=False),
                    correction.note,
                    correction.author,
                    correction.evidence.model_dump_json() if correction.evidence else None,
                    correction.created_at,
                ],
            )


def _legacy_id(relation: str, created: dt.datetime) -> str:
    """An id for overrides stored before decisions had one: those made at one moment."""
    digest = hashlib.sha256(f"{relation}|{created.isoformat()}".encode()).hexdigest()
    return "legacy-" + digest[:10]
