"""The embedded default backend: one DuckDB file, no server."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import duckdb
from pydantic import TypeAdapter

from ..errors import SchemaTooNew, StoreError
from ..records import Article, ArticleSource, Correction, Evidence, HandDecision, Incident
from ._base import ArticleQuery, ExportRecord
from ._migrations import load_migrations, split_statements
from ._watch import WatchTables

__all__ = ["DuckDBStore"]

_RECORD = TypeAdapter(ExportRecord)
_ARTICLE_COLUMNS = (
    "id, title, outlet, url, published, published_from, dateline, language, file, part, "
    "locator, encoding, text"
)


def _article_filters(query: ArticleQuery) -> tuple[str, list[Any]]:
    """The WHERE clause (with its leading space, or empty) and parameters of a query."""
    where: list[str] = []
    params: list[Any] = []
    if query.since:
        where.append("published >= ?")
        params.append(query.since)
    if query.until:
        where.append("published <= ?")
        params.append(query.until)
    if query.outlet:
        where.append("outlet ILIKE ? ESCAPE '\\'")
        params.append(f"%{_escape_like(query.outlet)}%")
    if query.text:
        where.append("(title ILIKE ? ESCAPE '\\' OR text ILIKE ? ESCAPE '\\')")
        params += [f"%{_escape_like(query.text)}%"] * 2
    return (" WHERE " + " AND ".join(where) if where else ""), params


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class DuckDBStore(WatchTables):
    """A khabar database in a DuckDB file (or ``:memory:``).

    Every write is its own transaction, so a run killed at any point leaves the
    articles written before it whole and none half-written.
    """

    def __init__(self, location: str | Path) -> None:
        self.location = str(location)
        if self.location != ":memory:":
            Path(self.location).parent.mkdir(parents=True, exist_ok=True)
        try:
            self._con = duckdb.connect(self.location)
        except duckdb.Error as error:
            raise StoreError(f"cannot open DuckDB database {self.location}: {error}") from error
        try:
            self.schema_version = self._migrate()
        except BaseException:
            self._con.close()
            raise

    # -- schema ----------------------------------------------------------------------

    def _migrate(self) -> int:
        migrations = load_migrations()
        with self._errors("read the schema version"):
            self._con.execute(
                "CREATE TABLE IF NOT EXISTS schema_version ("
                "version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, "
                "applied_at TIMESTAMP NOT NULL)"
            )
            row = self._con.execute("SELECT max(version) FROM schema_version").fetchone()
        current = row[0] if row and row[0] is not None else 0
        if current > len(migrations):
            raise SchemaTooNew(
                f"{self.location} has schema version {current}; this khabar knows "
                f"{len(migrations)}: upgrade khabar to open it"
            )
        for migration in migrations[current:]:
            with self._transaction(f"apply migration {migration.version}"):
                for statement in split_statements(migration.sql):
                    self._con.execute(statement)
                self._con.execute(
                    "INSERT INTO schema_version VALUES (?, ?, ?)",
                    [migration.version, migration.name, _now()],
                )
        return len(migrations)

    # -- articles --------------------------------------------------------------------

    def add_article(self, article: Article, *, seen_at: dt.datetime | None = None) -> bool:
        return self.add_articles([article], seen_at=seen_at)[0]

    def add_articles(
        self, articles: list[Article], *, seen_at: dt.datetime | None = None
    ) -> list[bool]:
        if not articles:
            return []
        seen_at = seen_at or _now()
        ids = list(dict.fromkeys(article.id for article in articles))
        with self._transaction(f"store {len(articles)} article(s)"):
            marks = ", ".join("?" * len(ids))
            known = {
                row[0]
                for row in self._con.execute(
                    f"SELECT id FROM articles WHERE id IN ({marks})", ids
                ).fetchall()
            }
            new: dict[str, Article] = {}
            for article in articles:
                if article.id not in known and article.id not in new:
                    new[article.id] = article
            if new:
                self._insert_many(
                    f"INSERT INTO articles ({_ARTICLE_COLUMNS}, n_chars, first_seen)",
                    [_article_values(article, seen_at) for article in new.values()],
                )
            self._insert_many(
                "INSERT INTO article_sources",
                [_source_values(article, seen_at) for article in articles],
                suffix=" ON CONFLICT DO NOTHING",
            )
        firsts: set[str] = set()
        result = []
        for article in articles:
            result.append(article.id in new and article.id not in firsts)
            firsts.add(article.id)
        return result

    def _insert_many(self, head: str, rows: list[list[Any]], *, suffix: str = "") -> None:
        """One multi-row INSERT: DuckDB's cost is per statement, not per row."""
        width = len(rows[0])
        values = ", ".join(["(" + ", ".join("?" * width) + ")"] * len(rows))
        self._con.execute(
            f"{head} VALUES {values}{suffix}", [value for row in rows for value in row]
        )

    def find_articles(self, id_or_prefix: str) -> list[Article]:
        with self._errors("find articles"):
            rows = self._con.execute(
                f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id = ? OR id LIKE ? "
                "ORDER BY id LIMIT 20",
                [id_or_prefix, _escape_like(id_or_prefix) + "%"],
            ).fetchall()
        return [_article(row) for row in rows]

    def list_articles(self, query: ArticleQuery) -> list[Article]:
        where, params = _article_filters(query)
        sql = f"SELECT {_ARTICLE_COLUMNS} FROM articles{where}"
        sql += " ORDER BY published DESC NULLS LAST, file, part, id"
        if query.limit:
            sql += f" LIMIT {int(query.limit)}"
        if query.offset:
            sql += f" OFFSET {int(query.offset)}"
        with self._errors("list articles"):
            rows = self._con.execute(sql, params).fetchall()
        return [_article(row) for row in rows]

    def count_articles(self, query: ArticleQuery | None = None) -> int:
        where, params = _article_filters(query) if query else ("", [])
        with self._errors("count articles"):
            row = self._con.execute(f"SELECT count(*) FROM articles{where}", params).fetchone()
        return int(row[0]) if row else 0

    def sources_of(self, article_id: str) -> list[ArticleSource]:
        with self._errors("read article sources"):
            rows = self._con.execute(
                "SELECT article_id, locator, file, part, url, outlet, title, published, "
                "first_seen FROM article_sources WHERE article_id = ? "
                "ORDER BY first_seen, locator",
                [article_id],
            ).fetchall()
        keys = ArticleSource.model_fields
        return [ArticleSource(**dict(zip(keys, row, strict=True))) for row in rows]

    # -- records ---------------------------------------------------------------------

    def put_record(self, record: ExportRecord) -> None:
        self.replace_records(None, [record])

    def replace_records(
        self,
        article_id: str | None,
        records: list[ExportRecord],
        *,
        extractor: str | None = None,
        model: str | None = None,
    ) -> None:
        article = article_id or "-"
        with self._transaction(f"store the records of {article}"):
            if article_id is not None:
                self._con.execute("DELETE FROM records WHERE article_id = ?", [article_id])
            for record in records:
                source = article_id or (record.sources[0].article_id if record.sources else None)
                self._con.execute(
                    "INSERT OR REPLACE INTO records (id, kind, body, updated_at, article_id) "
                    "VALUES (?, ?, ?, ?, ?)",
                    [record.id, record.kind, record.model_dump_json(), _now(), source],
                )
            if article_id is not None and extractor is not None:
                self._con.execute(
                    "INSERT OR REPLACE INTO article_extractions VALUES (?, ?, ?, ?, ?)",
                    [article_id, extractor, model or "unknown", len(records), _now()],
                )

    def replace_records_many(
        self,
        batch: list[tuple[str, list[ExportRecord]]],
        *,
        extractor: str,
        model: str | None = None,
    ) -> None:
        """``replace_records`` for many articles in one transaction with multi-row
        statements (what the parent of a worker pool writes: one commit per article
        would make the single writer the bottleneck). The same rows as one call per
        article, in order: a record id met twice keeps its last body."""
        if not batch:
            return
        now = _now()
        rows: dict[str, list[Any]] = {}
        for article_id, records in batch:
            for record in records:
                rows.pop(record.id, None)
                rows[record.id] = [
                    record.id,
                    record.kind,
                    record.model_dump_json(),
                    now,
                    article_id,
                ]
        ids = [article_id for article_id, _ in batch]
        with self._transaction(f"store the records of {len(batch)} article(s)"):
            for start in range(0, len(ids), 200):
                chunk = ids[start : start + 200]
                self._con.execute(
                    f"DELETE FROM records WHERE article_id IN ({', '.join('?' * len(chunk))})",
                    chunk,
                )
            values = list(rows.values())
            for start in range(0, len(values), 200):
                self._insert_many(
                    "INSERT OR REPLACE INTO records (id, kind, body, updated_at, article_id)",
                    values[start : start + 200],
                )
            marks = {a: [a, extractor, model or "unknown", len(r), now] for a, r in batch}
            marked = list(marks.values())
            for start in range(0, len(marked), 200):
                self._insert_many(
                    "INSERT OR REPLACE INTO article_extractions", marked[start : start + 200]
                )

    # -- resolution ------------------------------------------------------------------

    def incident_mentions(self) -> list[tuple[Incident, dt.date | None]]:
        with self._errors("read incident mentions"):
            rows = self._con.execute(
                "SELECT r.body, a.published FROM records r JOIN articles a "
                "ON r.article_id = a.id WHERE r.kind = 'incident' "
                "ORDER BY a.first_seen, a.published NULLS LAST, a.id, r.id"
            ).fetchall()
        return [(Incident.model_validate_json(body), published) for body, published in rows]

    def iter_incident_mentions(
        self, *, page: int = 500
    ) -> Iterator[tuple[Incident, dt.date | None]]:
        """``incident_mentions`` a page at a time, on a cursor of its own (so that the
        store can write while a caller reads): resolution holds one page, not all."""
        with self._errors("read incident mentions"):
            cursor = self._con.cursor()
        try:
            with self._errors("read incident mentions"):
                cursor.execute(
                    "SELECT r.body, a.published FROM records r JOIN articles a "
                    "ON r.article_id = a.id WHERE r.kind = 'incident' "
                    "ORDER BY a.first_seen, a.published NULLS LAST, a.id, r.id"
                )
            while True:
                with self._errors("read incident mentions"):
                    rows = cursor.fetchmany(page)
                if not rows:
                    return
                for body, published in rows:
                    yield Incident.model_validate_json(body), published
        finally:
            cursor.close()

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

    def save_resolution(
        self, events: Iterable[Incident], links: list[tuple[str, str, float | None, str]]
    ) -> None:
        """``events`` may be an iterator (resolution reconciles an event when its last
        account has been read): it is written 200 at a time, never held whole."""
        now = _now()
        with self._transaction("store the resolved incidents"):
            self._con.execute("DELETE FROM events")
            self._con.execute("DELETE FROM incident_links")
            chunk: list[Incident] = []
            for event in events:
                chunk.append(event)
                if len(chunk) == 200:
                    self._insert_many(
                        "INSERT INTO events", [[e.id, e.model_dump_json(), now] for e in chunk]
                    )
                    chunk = []
            if chunk:
                self._insert_many(
                    "INSERT INTO events", [[e.id, e.model_dump_json(), now] for e in chunk]
                )
            for start in range(0, len(links), 200):
                chunk = links[start : start + 200]
                self._insert_many(
                    "INSERT INTO incident_links",
                    [[m, e, s, r, now] for m, e, s, r in chunk],
                )

    def iter_events(self) -> Iterator[Incident]:
        with self._errors("read incidents"):
            rows = self._con.execute("SELECT body FROM events ORDER BY id").fetchall()
        for (body,) in rows:
            yield Incident.model_validate_json(body)

    def find_events(self, id_or_prefix: str) -> list[Incident]:
        with self._errors("find incidents"):
            rows = self._con.execute(
                "SELECT body FROM events WHERE id = ? OR id LIKE ? ORDER BY id LIMIT 20",
                [id_or_prefix, _escape_like(id_or_prefix) + "%"],
            ).fetchall()
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
        with self._transaction("store the analyst's decisions"):
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
                    "INSERT OR REPLACE INTO resolution_overrides "
                    "(a, b, relation, created_at, decision_id) VALUES (?, ?, ?, ?, ?)",
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
        with self._transaction("take back a hand decision"):
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

    def records_of(self, article_id: str) -> list[ExportRecord]:
        with self._errors("read an article's records"):
            rows = self._con.execute(
                "SELECT body FROM records WHERE article_id = ? ORDER BY kind, id", [article_id]
            ).fetchall()
        return [_RECORD.validate_json(body) for (body,) in rows]

    def articles_to_extract(self, *, every: bool = False) -> list[Article]:
        sql = f"SELECT {_ARTICLE_COLUMNS} FROM articles"
        if not every:
            sql += " WHERE id NOT IN (SELECT article_id FROM article_extractions)"
        with self._errors("list articles to extract"):
            rows = self._con.execute(sql + " ORDER BY first_seen, id").fetchall()
        return [_article(row) for row in rows]

    def ids_to_extract(self, *, every: bool = False) -> list[str]:
        sql = "SELECT id FROM articles"
        if not every:
            sql += " WHERE id NOT IN (SELECT article_id FROM article_extractions)"
        with self._errors("list articles to extract"):
            rows = self._con.execute(sql + " ORDER BY first_seen, id").fetchall()
        return [article_id for (article_id,) in rows]

    def get_articles(self, ids: list[str]) -> list[Article]:
        if not ids:
            return []
        marks = ", ".join("?" for _ in ids)
        with self._errors("read articles"):
            rows = self._con.execute(
                f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id IN ({marks})", ids
            ).fetchall()
        found = {article.id: article for article in map(_article, rows)}
        return [found[article_id] for article_id in ids if article_id in found]

    def iter_records(self, kind: str | None = None) -> Iterator[ExportRecord]:
        sql = "SELECT body FROM records"
        params: list[Any] = []
        if kind:
            sql += " WHERE kind = ?"
            params.append(kind)
        sql += " ORDER BY kind, id"
        with self._errors("read records"):
            rows = self._con.execute(sql, params).fetchall()
        for (body,) in rows:
            yield _RECORD.validate_json(body)

    # -- runs ------------------------------------------------------------------------

    def start_run(self, command: str, meta: dict[str, Any]) -> str:
        run_id = uuid.uuid4().hex[:12]
        with self._transaction("record the run"):
            self._con.execute(
                "INSERT INTO runs VALUES (?, ?, ?, NULL, ?)",
                [run_id, command, _now(), json.dumps(meta, default=str)],
            )
        return run_id

    def finish_run(self, run_id: str, meta: dict[str, Any]) -> None:
        with self._transaction("close the run"):
            self._con.execute(
                "UPDATE runs SET finished_at = ?, meta = ? WHERE id = ?",
                [_now(), json.dumps(meta, default=str), run_id],
            )

    def close(self) -> None:
        self._con.close()

    def __enter__(self) -> DuckDBStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- helpers ---------------------------------------------------------------------

    def _transaction(self, what: str) -> _Transaction:
        return _Transaction(self._con, what, self.location)

    def _errors(self, what: str) -> _Errors:
        return _Errors(what, self.location)


class _Errors:
    """Turns duckdb's errors into StoreError at the boundary."""

    def __init__(self, what: str, location: str) -> None:
        self.what, self.location = what, location

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type | None, error: BaseException | None, tb: object) -> None:
        if isinstance(error, duckdb.Error):
            raise StoreError(f"cannot {self.what} in {self.location}: {error}") from error


class _Transaction(_Errors):
    def __init__(self, con: duckdb.DuckDBPyConnection, what: str, location: str) -> None:
        super().__init__(what, location)
        self.con = con

    def __enter__(self) -> None:
        self.con.begin()

    def __exit__(self, kind: type | None, error: BaseException | None, tb: object) -> None:
        if error is None:
            self.con.commit()
            return
        self.con.rollback()
        super().__exit__(kind, error, tb)


def _locator(article: Article) -> str:
    return article.locator or article.file or article.url or article.id


def _article_values(article: Article, seen_at: dt.datetime) -> list[Any]:
    return [
        article.id,
        article.title,
        article.outlet,
        article.url,
        article.published,
        article.published_from,
        article.dateline,
        article.language,
        article.file,
        article.part,
        _locator(article),
        article.encoding,
        article.text,
        len(article.text),
        seen_at,
    ]


def _source_values(article: Article, seen_at: dt.datetime) -> list[Any]:
    return [
        article.id,
        _locator(article),
        article.file,
        article.part,
        article.url,
        article.outlet,
        article.title,
        article.published,
        seen_at,
    ]


def _article(row: tuple[Any, ...]) -> Article:
    keys = [key.strip() for key in _ARTICLE_COLUMNS.split(",")]
    return Article(**dict(zip(keys, row, strict=True)))


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _legacy_id(relation: str, created: dt.datetime) -> str:
    """An id for overrides stored before decisions had one: those made at one moment."""
    digest = hashlib.sha256(f"{relation}|{created.isoformat()}".encode()).hexdigest()
    return "legacy-" + digest[:10]
