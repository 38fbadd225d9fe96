"""The SQL every backend shares: one set of queries over the migrations' schema.

A backend brings a connection-like ``_con`` (``execute(sql, params)`` with ``?``
placeholders, returning something with ``fetchall``/``fetchone``), ``_transaction`` and
``_errors``. The statements here are portable between DuckDB and PostgreSQL: upserts are
``INSERT ... ON CONFLICT``, never ``INSERT OR REPLACE``.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import uuid
import zlib
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

from pydantic import TypeAdapter

from ..records import Article, ArticleSource
from ._base import ArticleQuery, ExportRecord
from ._resolution import ResolutionTables, _escape_like, _whole_id_or_prefix
from ._watch import WatchTables

__all__ = ["SqlStore"]


@functools.cache
def _record_adapter() -> TypeAdapter[ExportRecord]:
    """The validator of stored record bodies, built when a command first reads one
    (building it validates three record models: a listing that reads only incidents
    need not pay for it at import)."""
    return TypeAdapter(ExportRecord)


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


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


RECORDS_STRIPES = 256


def records_locks(article_ids: Iterable[str]) -> list[str]:
    """The locks a write of these articles' records takes, sorted (two writers take
    theirs in one order, so neither waits for the other while holding one): an
    article's lock is the same for a single write and a batch, so the two exclude each
    other; articles share ``RECORDS_STRIPES`` locks, so a batch takes a bounded number."""
    return sorted({f"records:{zlib.crc32(a.encode()) % RECORDS_STRIPES}" for a in article_ids})


class SqlStore(ResolutionTables, WatchTables):
    """The queries of the ``Store`` interface; subclasses bring the connection."""

    location: str
    schema_version: int
    if TYPE_CHECKING:

        def _transaction(self, what: str, *, lock: str | list[str] | None = None) -> Any: ...

        def _reader(self, *, snapshot: bool = False) -> Any: ...

        def _errors(self, what: str) -> Any: ...

    def lock(self, name: str) -> AbstractContextManager[None]:
        """Held across processes while a read-then-write step runs (resolution reads
        every mention and replaces every event): a server backend takes a lock, an
        embedded file that one process writes needs none."""
        from contextlib import nullcontext

        return nullcontext()

    def _rows(self, sql: str, params: list[Any] | None = None) -> Iterator[Any]:
        """The rows of one query, fetched a page at a time on a cursor of its own."""
        with self._reader() as read:
            yield from read(sql, params or [], 500)

    def change_token(self) -> int:
        """A number every write transaction raises (migration 0007): a reader polls it
        to learn, cheaply, that another process wrote."""
        with self._errors("read the change counter"):
            row = self._con.execute("SELECT n FROM store_changes WHERE id = 1").fetchone()
        return int(row[0]) if row else 0

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
        with self._transaction(f"store {len(articles)} article(s)", lock="articles"):
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
            rows = _whole_id_or_prefix(
                self._con, f"SELECT {_ARTICLE_COLUMNS} FROM articles", id_or_prefix
            )
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
        with self._transaction(f"store the records of {article}", lock=records_locks([article])):
            if article_id is not None:
                self._con.execute("DELETE FROM records WHERE article_id = ?", [article_id])
            for record in records:
                source = article_id or (record.sources[0].article_id if record.sources else None)
                self._con.execute(
                    "INSERT INTO records (id, kind, body, updated_at, article_id) "
                    "VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, "
                    "body = excluded.body, updated_at = excluded.updated_at, "
                    "article_id = excluded.article_id",
                    [record.id, record.kind, record.model_dump_json(), _now(), source],
                )
            if article_id is not None and extractor is not None:
                self._con.execute(
                    "INSERT INTO article_extractions VALUES (?, ?, ?, ?, ?) "
                    "ON CONFLICT (article_id) DO UPDATE SET extractor = excluded.extractor, "
                    "model = excluded.model, records = excluded.records, "
                    "extracted_at = excluded.extracted_at",
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
        with self._transaction(
            f"store the records of {len(batch)} article(s)", lock=records_locks(ids)
        ):
            for start in range(0, len(ids), 200):
                chunk = ids[start : start + 200]
                self._con.execute(
                    f"DELETE FROM records WHERE article_id IN ({', '.join('?' * len(chunk))})",
                    chunk,
                )
            values = list(rows.values())
            for start in range(0, len(values), 200):
                self._insert_many(
                    "INSERT INTO records (id, kind, body, updated_at, article_id)",
                    values[start : start + 200],
                    suffix=" ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, "
                    "body = excluded.body, updated_at = excluded.updated_at, "
                    "article_id = excluded.article_id",
                )
            marked = list(
                {a: [a, extractor, model or "unknown", len(r), now] for a, r in batch}.values()
            )
            for start in range(0, len(marked), 200):
                self._insert_many(
                    "INSERT INTO article_extractions",
                    marked[start : start + 200],
                    suffix=" ON CONFLICT (article_id) DO UPDATE SET extractor = "
                    "excluded.extractor, model = excluded.model, records = excluded.records, "
                    "extracted_at = excluded.extracted_at",
                )

    def records_of(self, article_id: str) -> list[ExportRecord]:
        with self._errors("read an article's records"):
            rows = self._con.execute(
                "SELECT body FROM records WHERE article_id = ? ORDER BY kind, id", [article_id]
            ).fetchall()
        return [_record_adapter().validate_json(body) for (body,) in rows]

    def articles_to_extract(self, *, every: bool = False) -> list[Article]:
        sql = f"SELECT {_ARTICLE_COLUMNS} FROM articles"
        if not every:
            sql += " WHERE id NOT IN (SELECT article_id FROM article_extractions)"
        with self._errors("list articles to extract"):
            rows = self._con.execute(sql + " ORDER BY first_seen, id").fetchall()
        return [_article(row) for row in rows]

    def ids_to_extract(
        self, *, every: bool = False, after: str | None = None, limit: int | None = None
    ) -> list[str]:
        sql = "SELECT a.id FROM articles a"
        params: list[Any] = []
        where = [] if every else ["a.id NOT IN (SELECT article_id FROM article_extractions)"]
        if after is not None:
            # The page after ``after`` in (first_seen, id) order: a keyset, so that a page
            # read while the articles before it are being extracted starts where it should.
            sql += " CROSS JOIN (SELECT first_seen, id FROM articles WHERE id = ?) k"
            params.append(after)
            where.append(
                "(a.first_seen > k.first_seen OR (a.first_seen = k.first_seen AND a.id > k.id))"
            )
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY a.first_seen, a.id"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        with self._errors("list articles to extract"):
            rows = self._con.execute(sql, params).fetchall()
        return [article_id for (article_id,) in rows]

    def count_to_extract(self, *, every: bool = False) -> int:
        sql = "SELECT count(*) FROM articles"
        if not every:
            sql += " WHERE id NOT IN (SELECT article_id FROM article_extractions)"
        with self._errors("count articles to extract"):
            (count,) = self._con.execute(sql).fetchone()
        return int(count)

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
            yield _record_adapter().validate_json(body)

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
