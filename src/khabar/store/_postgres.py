"""The server backend: a PostgreSQL database that any number of processes share.

The queries are ``SqlStore``'s, the schema the same migrations as DuckDB's (translated:
``VARCHAR`` becomes ``TEXT COLLATE "C"`` so that text sorts byte-wise as in DuckDB,
``DOUBLE`` becomes ``DOUBLE PRECISION``). Concurrent writers lose nothing and duplicate
nothing: upserts are ``INSERT ... ON CONFLICT``, each write is one transaction, and the
steps that read before they write take a transaction-scoped advisory lock (the articles
of a batch, one article's records, the resolution, the outbox); migrations run under a
session advisory lock, so two processes opening a new database migrate it once.

Advisory-lock keys are hashed with the schema's name, so two khabar databases kept as
schemas of one PostgreSQL database (``?options=-csearch_path%3Dname``) do not block each
other.
"""

from __future__ import annotations

import re
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from ..errors import SchemaTooNew, StoreError, UsageError
from ._migrations import load_migrations, split_statements
from ._sql import SqlStore, _now

try:
    import psycopg
    from psycopg_pool import ConnectionPool, PoolTimeout
except ImportError as missing:  # pragma: no cover - depends on the install
    raise UsageError(
        f"a postgresql:// database needs psycopg: pip install 'khabar[postgres]' ({missing})"
    ) from missing

__all__ = ["PostgresStore", "translate"]

_CHANGES_VERSION = 7  # migration 0007 adds store_changes
_TYPES = [
    (re.compile(r"\bVARCHAR\b"), 'TEXT COLLATE "C"'),
    (re.compile(r"\bDOUBLE\b(?!\s+PRECISION)"), "DOUBLE PRECISION"),
]


def translate(statement: str) -> str:
    """A migration statement in PostgreSQL's dialect."""
    for pattern, replacement in _TYPES:
        statement = pattern.sub(replacement, statement)
    return statement


def redact(url: str) -> str:
    """The URL without its password, for messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)
    return urlunsplit(parts._replace(netloc=netloc[0].split(":", 1)[0] + ":***@" + netloc[1]))


class PostgresStore(SqlStore):
    """A khabar database on a PostgreSQL server, through a pool of connections.

    Safe to share between threads (``khabar serve``): each call borrows a connection
    from the pool, or uses the one of the transaction the calling thread is in.

    Args:
        url: ``postgresql://user:password@host:port/database`` (libpq's URI syntax).
        max_connections: the pool's size.
    """

    def __init__(self, url: str, *, max_connections: int = 4, timeout: float = 10.0) -> None:
        self.location = redact(url)
        try:  # one plain connection first: the pool would retry, then say less
            extra = {} if "connect_timeout" in url else {"connect_timeout": max(1, int(timeout))}
            psycopg.connect(url, **extra).close()  # type: ignore[arg-type]
        except psycopg.Error as error:
            reason = str(error).strip().splitlines()[0] if str(error).strip() else repr(error)
            raise StoreError(f"cannot connect to {self.location}: {reason}") from error
        self._local = threading.local()
        self._con = _Connection(self)
        self._pool = ConnectionPool(
            url,
            min_size=1,
            max_size=max_connections,
            kwargs={"autocommit": True},
            open=False,
            name="khabar",
        )
        try:
            self._pool.open(wait=True, timeout=timeout)
        except (PoolTimeout, psycopg.Error) as error:
            self._pool.close()
            raise StoreError(f"cannot connect to {self.location}: {error}") from error
        self.schema_version = 0
        try:
            self.schema_version = self._migrate()
        except BaseException:
            self._pool.close()
            raise

    # -- schema ----------------------------------------------------------------------

    def _migrate(self) -> int:
        migrations = load_migrations()
        with self._errors("migrate the schema"), self._pool.connection() as conn:
            key = _key(conn, "migrate")
            conn.execute("SELECT pg_advisory_lock(%s)", [key])
            try:
                conn.execute(
                    translate(
                        "CREATE TABLE IF NOT EXISTS schema_version ("
                        "version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, "
                        "applied_at TIMESTAMP NOT NULL)"
                    )
                )
                row = conn.execute("SELECT max(version) FROM schema_version").fetchone()
                current = row[0] if row and row[0] is not None else 0
                if current > len(migrations):
                    raise SchemaTooNew(
                        f"{self.location} has schema version {current}; this khabar knows "
                        f"{len(migrations)}: upgrade khabar to open it"
                    )
                for migration in migrations[current:]:
                    with conn.transaction():
                        for statement in split_statements(migration.sql):
                            conn.execute(translate(statement))
                        conn.execute(
                            "INSERT INTO schema_version VALUES (%s, %s, %s)",
                            [migration.version, migration.name, _now()],
                        )
            finally:
                conn.execute("SELECT pg_advisory_unlock(%s)", [key])
        return len(migrations)

    # -- concurrency -----------------------------------------------------------------

    @contextmanager
    def lock(self, name: str) -> Iterator[None]:
        """A session advisory lock, held on a connection of its own until the block ends."""
        with self._errors(f"take the {name} lock"), self._pool.connection() as conn:
            key = _key(conn, "step:" + name)
            conn.execute("SELECT pg_advisory_lock(%s)", [key])
            try:
                yield
            finally:
                conn.execute("SELECT pg_advisory_unlock(%s)", [key])

    @contextmanager
    def _transaction(self, what: str, *, lock: str | list[str] | None = None) -> Iterator[None]:
        """One transaction; ``lock`` names the advisory locks it takes first (a list is
        taken in its order: ``records_locks`` sorts)."""
        if getattr(self._local, "conn", None) is not None:
            raise StoreError(f"cannot {what}: a transaction is already open in this thread")
        with self._errors(what), self._pool.connection() as conn, conn.transaction():
            for name in [lock] if isinstance(lock, str) else lock or []:
                conn.execute("SELECT pg_advisory_xact_lock(%s)", [_key(conn, name)])
            self._local.conn = conn
            try:
                yield
            finally:
                self._local.conn = None
            if self.schema_version >= _CHANGES_VERSION:
                # Last, so the counter's row is locked only while committing.
                conn.execute("UPDATE store_changes SET n = n + 1 WHERE id = 1")

    @contextmanager
    def _reader(self, *, snapshot: bool = False) -> Iterator[Callable[..., Iterator[Any]]]:
        """``read(sql, params, page)`` through a server-side (named) cursor, a page at a
        time, in a transaction on a connection of its own (or the calling thread's
        transaction); with ``snapshot``, a repeatable-read one, so that every read until
        the block ends sees the same rows."""
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            yield partial(_named_rows, conn)
            return
        with self._pool.connection() as conn, conn.transaction():
            if snapshot:
                conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield partial(_named_rows, conn)

    @contextmanager
    def _errors(self, what: str) -> Iterator[None]:
        try:
            yield
        except psycopg.Error as error:
            raise StoreError(f"cannot {what} in {self.location}: {error}") from error
        except PoolTimeout as error:
            raise StoreError(
                f"cannot {what} in {self.location}: no connection free ({error})"
            ) from error

    def close(self) -> None:
        self._pool.close()

    def __enter__(self) -> PostgresStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _key(conn: psycopg.Connection, name: str) -> int:
    """A 64-bit advisory-lock key for ``name`` in the current schema."""
    row = conn.execute(
        "SELECT hashtextextended(current_schema() || ':khabar:' || %s, 0)", [name]
    ).fetchone()
    assert row is not None
    return int(row[0])


def _named_rows(
    conn: psycopg.Connection, sql: str, params: list[Any], page: int
) -> Iterator[tuple[Any, ...]]:
    statement = sql.replace("%", "%%").replace("?", "%s")
    with conn.cursor(name=f"khabar_{uuid.uuid4().hex[:16]}") as cursor:
        cursor.itersize = page
        cursor.execute(statement, params or None)
        while rows := cursor.fetchmany(page):
            yield from rows


class _Rows:
    """What a statement returned, fetched before its connection went back to the pool."""

    def __init__(self, rows: list[tuple[Any, ...]]) -> None:
        self.rows = rows

    def fetchall(self) -> list[tuple[Any, ...]]:
        return self.rows

    def fetchone(self) -> tuple[Any, ...] | None:
        return self.rows[0] if self.rows else None


class _Connection:
    """``execute(sql, params)`` with ``?`` placeholders, as ``SqlStore`` writes them: in
    the calling thread's transaction, or on a connection borrowed for one statement."""

    def __init__(self, store: PostgresStore) -> None:
        self.store = store

    def execute(self, sql: str, params: list[Any] | None = None) -> _Rows:
        statement = sql.replace("%", "%%").replace("?", "%s")
        conn = getattr(self.store._local, "conn", None)
        if conn is not None:
            return _fetch(conn.execute(statement, params))
        with self.store._pool.connection() as borrowed:
            return _fetch(borrowed.execute(statement, params))


def _fetch(cursor: psycopg.Cursor) -> _Rows:
    return _Rows(cursor.fetchall() if cursor.description is not None else [])
