"""The embedded default backend: one DuckDB file, no server.

DuckDB lets one process write a file, and while it does no other process may open it,
not even to read. Read-only commands therefore open the file read-only (several readers
share it); when a writer holds it, the error names that process and the way around it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import sqlite3
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from functools import partial
from pathlib import Path
from typing import Any

import duckdb

from ..errors import SchemaTooNew, StoreError, StoreLocked
from ..records import Article, Incident
from ._base import ExportRecord
from ._migrations import load_migrations, split_statements
from ._resolution import _chunks, event_rows
from ._sql import SqlStore, _now

__all__ = ["DuckDBStore", "holder_of"]

_LOCKED = re.compile(r"Conflicting lock is held in (?P<exe>.*?) \(PID (?P<pid>\d+)\)")


# MENTIONS_SQL's rows without its ORDER BY (a stream); _SPILL_ORDER is its order in the
# SQLite copy (``mention_snapshot``).
_UNSORTED_MENTIONS = (
    "SELECT a.published, a.id, r.id, r.body FROM records r JOIN articles a "
    "ON r.article_id = a.id WHERE r.kind = 'incident'"
)
_SPILL_ORDER = "published IS NULL, published, article, id"

# DuckDB's memory while it resolves: its buffer pool otherwise keeps every page it has
# read (up to 80% of the machine), and spills to its temporary directory past this.
RESOLUTION_MEMORY = "64MB"
_MEMORY_ENV = "KHABAR_DUCKDB_MEMORY"
_LIMIT = "SELECT current_setting('memory_limit')"
_SIZE = re.compile(r"\d+(\.\d+)?\s*[KMGT]i?B", re.IGNORECASE)

# The new resolution is written here (connection-local tables, gone with the
# connection) in committed batches, then swapped in by one short transaction.
_STAGING = (
    "CREATE OR REPLACE TEMP TABLE new_events (id VARCHAR, body VARCHAR, updated_at TIMESTAMP)",
    "CREATE OR REPLACE TEMP TABLE new_links "
    "(mention_id VARCHAR, event_id VARCHAR, score DOUBLE, reason VARCHAR, decided_at TIMESTAMP)",
)


def _out_of_memory(error: StoreError) -> bool:
    cause = error.__cause__
    return isinstance(cause, duckdb.OutOfMemoryException) or (
        isinstance(cause, duckdb.Error) and "could not allocate" in str(cause)
    )


def resolution_memory() -> str:
    """DuckDB's memory limit while resolving: ``KHABAR_DUCKDB_MEMORY`` (e.g. ``1GB``),
    else ``RESOLUTION_MEMORY``."""
    limit = os.environ.get(_MEMORY_ENV, "").strip() or RESOLUTION_MEMORY
    if not _SIZE.fullmatch(limit):
        raise StoreError(f"{_MEMORY_ENV}={limit!r} is no size (e.g. 256MB, 2GB)")
    return limit


def _spilled_mentions(spill: sqlite3.Connection) -> Iterator[tuple[Incident, dt.date | None]]:
    cursor = spill.execute(f"SELECT body, published FROM m ORDER BY {_SPILL_ORDER}")
    try:
        while rows := cursor.fetchmany(500):
            for body, published in rows:
                day = dt.date.fromisoformat(published) if published else None
                yield Incident.model_validate_json(body), day
    finally:
        with contextlib.suppress(sqlite3.ProgrammingError):  # closed with its file
            cursor.close()


class DuckDBStore(SqlStore):
    """A khabar database in a DuckDB file (or ``:memory:``).

    Every write is its own transaction, so a run killed at any point leaves the
    articles written before it whole and none half-written.

    Args:
        location: the file (created when missing) or ``:memory:``.
        read_only: open the file read-only, so that other readers may open it too. A
            file whose schema is behind this khabar is opened read-write once to
            migrate it (when no other process holds it).
    """

    def __init__(self, location: str | Path, *, read_only: bool = False) -> None:
        self.location = str(location)
        self.read_only = read_only and self.location != ":memory:"
        # The thread whose resolution caps DuckDB's memory, and the limit to give back
        # (``_bounded``): the cap is the whole database's, so a reader on another
        # thread lifts it rather than run out of memory under it (``_reader_arrives``).
        self._capper: int | None = None
        self._uncapped = ""
        self._cap_lock = threading.Lock()
        if self.read_only and not Path(self.location).exists():
            raise StoreError(f"no database at {self.location}")
        if self.location != ":memory:":
            Path(self.location).parent.mkdir(parents=True, exist_ok=True)
        self._con = self._connect(self.read_only)
        try:
            if self.read_only and self._stored_version() < len(load_migrations()):
                self._con.close()  # behind this khabar: migrate it once, read-write
                self.read_only = False
                self._con = self._connect(False)
            self.schema_version = self._migrate()
        except BaseException:
            self._con.close()
            raise

    def _connect(self, read_only: bool) -> duckdb.DuckDBPyConnection:
        try:
            return duckdb.connect(self.location, read_only=read_only)
        except duckdb.Error as error:
            holder = holder_of(str(error))
            if holder is not None:
                raise StoreLocked(_locked_message(self.location, *holder)) from error
            raise StoreError(f"cannot open DuckDB database {self.location}: {error}") from error

    # -- schema ----------------------------------------------------------------------

    def _stored_version(self) -> int:
        try:
            row = self._con.execute("SELECT max(version) FROM schema_version").fetchone()
        except duckdb.CatalogException:
            return 0
        except duckdb.Error as error:
            raise StoreError(
                f"cannot read the schema version of {self.location}: {error}"
            ) from error
        return row[0] if row and row[0] is not None else 0

    def _migrate(self) -> int:
        migrations = load_migrations()
        if self.read_only:
            current = self._stored_version()
        else:
            with self._errors("read the schema version"):
                self._con.execute(
                    "CREATE TABLE IF NOT EXISTS schema_version ("
                    "version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, "
                    "applied_at TIMESTAMP NOT NULL)"
                )
            current = self._stored_version()
        if current > len(migrations):
            raise SchemaTooNew(
                f"{self.location} has schema version {current}; this khabar knows "
                f"{len(migrations)}: upgrade khabar to open it"
            )
        self.schema_version = current
        for migration in migrations[current:]:
            with self._transaction(f"apply migration {migration.version}"):
                for statement in split_statements(migration.sql):
                    self._con.execute(statement)
                self._con.execute(
                    "INSERT INTO schema_version VALUES (?, ?, ?)",
                    [migration.version, migration.name, _now()],
                )
            self.schema_version = migration.version
        return len(migrations)

    @contextmanager
    def _reader(self, *, snapshot: bool = False) -> Iterator[Callable[..., Iterator[Any]]]:
        """``read(sql, params, page)`` on a cursor of its own (the store can write while
        a caller reads), a page at a time; with ``snapshot``, every read until the block
        ends sees one snapshot (a transaction of its own)."""
        self._reader_arrives()
        cursor = self._con.cursor()
        try:
            if snapshot:
                cursor.execute("BEGIN TRANSACTION")

            def read(sql: str, params: list[Any], page: int) -> Iterator[Any]:
                cursor.execute(sql, params)
                while rows := cursor.fetchmany(page):
                    yield from rows

            yield read
        finally:
            if snapshot:
                with suppress(duckdb.Error):
                    cursor.execute("ROLLBACK")
            cursor.close()

    @contextmanager
    def mention_snapshot(self) -> Iterator[Callable[[], Iterator[tuple[Incident, Any]]]]:
        """``iter_incident_mentions`` for resolution's passes, from a copy on disk.

        DuckDB sorts a query's whole result in memory (the bodies with it: about a KB a
        mention), so the mentions are read once unsorted (a stream) into a SQLite file
        of their own and sorted there, on disk, by the order of ``MENTIONS_SQL``
        (byte-wise text, dates as ISO text, no date last): every pass reads that file,
        so the passes also see one snapshot. Memory holds a page, not the corpus.
        DuckDB's own memory is capped until the block ends (``_bounded``)."""
        with self._bounded(), tempfile.TemporaryDirectory(prefix="khabar-mentions-") as folder:
            spill = sqlite3.connect(Path(folder) / "mentions.sqlite")
            try:
                for pragma in ("journal_mode=OFF", "synchronous=OFF", "temp_store=FILE"):
                    spill.execute(f"PRAGMA {pragma}")
                spill.execute("CREATE TABLE m (published TEXT, article TEXT, id TEXT, body TEXT)")
                with self._errors("read incident mentions"), self._reader() as read:
                    page: list[tuple[Any, ...]] = []
                    for published, article, record, body in read(_UNSORTED_MENTIONS, [], 500):
                        page.append((published and published.isoformat(), article, record, body))
                        if len(page) == 500:
                            spill.executemany("INSERT INTO m VALUES (?, ?, ?, ?)", page)
                            page = []
                    spill.executemany("INSERT INTO m VALUES (?, ?, ?, ?)", page)
                spill.execute(f"CREATE INDEX o ON m ({_SPILL_ORDER})")
                yield partial(_spilled_mentions, spill)
            finally:
                spill.close()

    @contextmanager
    def _bounded(self) -> Iterator[None]:
        """DuckDB's ``memory_limit`` at ``resolution_memory()`` until the block ends,
        then back as it was: past it DuckDB evicts the pages it has read and spills to
        its temporary directory (next to the file; ``.tmp`` for ``:memory:``). A read
        from another thread meanwhile lifts the cap (``_reader_arrives``)."""
        limit = resolution_memory()
        with self._errors("limit DuckDB's memory"), self._cap_lock:
            (before,) = self._con.execute(_LIMIT).fetchone()
            nested = self._capper is not None
            if not nested:
                self._con.execute(f"SET memory_limit = '{limit}'")
                self._capper, self._uncapped = threading.get_ident(), before
        try:
            yield
        finally:
            if not nested:
                self._lift(self._con)

    def bounded_writes(self) -> contextlib.AbstractContextManager[None]:
        """The same cap for a whole ingest or extraction (``pipeline.ingest_into``,
        ``extract_into``): DuckDB's buffer pool otherwise keeps the pages of every
        article and record written (about 0.7 MB a 1,000 articles, up to 80% of RAM).
        A bulk write that runs out of memory under it (the primary keys' indexes of a
        large database) is rolled back, the cap lifted, and the write done again."""
        return self._bounded()

    def add_articles(
        self, articles: list[Article], *, seen_at: dt.datetime | None = None
    ) -> list[bool]:
        return self._lifting(super().add_articles, articles, seen_at=seen_at)

    def replace_records_many(
        self,
        batch: list[tuple[str, list[ExportRecord]]],
        *,
        extractor: str,
        model: str | None = None,
    ) -> None:
        self._lifting(super().replace_records_many, batch, extractor=extractor, model=model)

    def _lifting(self, call: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """``call``, and once more with the cap lifted if it ran out of memory under it
        (each of these writes is one transaction, rolled back whole on an error)."""
        try:
            return call(*args, **kwargs)
        except StoreError as error:
            if self._capper is None or not _out_of_memory(error):
                raise
        self._lift(self._con)
        return call(*args, **kwargs)

    def _lift(self, con: Any) -> None:
        """Give the limit back, once: at the cap's end, or early (a write short of
        memory under it)."""
        with self._cap_lock:
            if self._capper is not None:
                self._capper = None
                self._restore(con)

    def _restore(self, con: Any) -> None:
        with suppress(duckdb.Error):  # the default exactly, else the limit as shown
            con.execute("RESET memory_limit")
            if con.execute(_LIMIT).fetchone() != (self._uncapped,):
                con.execute(f"SET memory_limit = '{self._uncapped}'")

    def _reader_arrives(self) -> None:
        """Lift the resolution's cap when another thread reads: ``memory_limit`` is the
        database's, not a connection's, so a query of ``khabar serve`` (a full listing
        sorts every event) would otherwise fail with an out-of-memory error while a
        resolution runs. The resolution then goes on under DuckDB's own limit."""
        if self._capper is None or self._capper == threading.get_ident():
            return
        with self._cap_lock:
            if self._capper is None or self._capper == threading.get_ident():
                return
            self._capper = None
            cursor = self._con.cursor()  # the resolving thread may be using the connection
            try:
                self._restore(cursor)
            finally:
                cursor.close()

    def save_resolution(
        self, events: Iterable[Incident], links: Iterable[tuple[str, str, float | None, str]]
    ) -> None:
        """As ``SqlStore``'s, but the rows go first to connection-local staging tables,
        500 a statement, each committed (so no transaction holds them from Python),
        then one short transaction replaces the events and links by ``INSERT … SELECT``
        inside DuckDB, where they can spill. Readers see the old resolution or the new
        one; a run that fails before the swap leaves the old one whole."""
        now = _now()
        with self._bounded():
            try:
                with self._errors("stage the resolved incidents"):
                    for statement in _STAGING:
                        self._con.execute(statement)
                # Each statement commits alone, so one that runs out of memory under the
                # cap (a 100,000-article corpus's large events did) is rolled back alone
                # and done again with the cap lifted; the rows staged before it stay.
                for chunk in event_rows(events, now, rows=500):
                    self._lifting(self._stage, "new_events", chunk)
                for chunk in _chunks(links, 500):
                    self._lifting(
                        self._stage, "new_links", [[m, e, s, r, now] for m, e, s, r in chunk]
                    )
                # The swap is one transaction, rolled back whole if it runs out of memory
                # (the primary keys' indexes of a large corpus may need more than the cap
                # to commit); the staged rows stay for the second try.
                self._lifting(self._swap_resolution)
            finally:
                with suppress(duckdb.Error):
                    self._con.execute("DROP TABLE IF EXISTS new_events")
                    self._con.execute("DROP TABLE IF EXISTS new_links")

    def _stage(self, table: str, rows: list[list[Any]]) -> None:
        with self._errors("stage the resolved incidents"):
            self._insert_many(f"INSERT INTO {table}", rows)

    def _swap_resolution(self) -> None:
        with self._transaction("store the resolved incidents", lock="resolution"):
            self._con.execute("DELETE FROM events")
            self._con.execute("DELETE FROM incident_links")
            self._con.execute("INSERT INTO events SELECT * FROM new_events")
            self._con.execute("INSERT INTO incident_links SELECT * FROM new_links")

    def close(self) -> None:
        self._con.close()

    def __enter__(self) -> DuckDBStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- helpers ---------------------------------------------------------------------

    def _transaction(self, what: str, *, lock: str | None = None) -> _Transaction:
        # One process writes the file: ``lock`` (a cross-process lock) is not needed.
        counted = getattr(self, "schema_version", 0) >= _CHANGES_VERSION
        self._reader_arrives()
        return _Transaction(self._con, what, self, counted=counted)

    def _errors(self, what: str) -> _Errors:
        self._reader_arrives()
        return _Errors(what, self)


_CHANGES_VERSION = 7  # migration 0007 adds store_changes


class _Errors:
    """Turns duckdb's errors into StoreError at the boundary."""

    def __init__(self, what: str, store: DuckDBStore) -> None:
        self.what, self.store = what, store

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type | None, error: BaseException | None, tb: object) -> None:
        if not isinstance(error, duckdb.Error):
            return
        if self.store.read_only and "read-only mode" in str(error):
            raise StoreError(
                f"cannot {self.what}: {self.store.location} is open read-only "
                "(another process holds it); stop that process, or write through it"
            ) from error
        raise StoreError(f"cannot {self.what} in {self.store.location}: {error}") from error


class _Transaction(_Errors):
    def __init__(
        self, con: duckdb.DuckDBPyConnection, what: str, store: DuckDBStore, *, counted: bool
    ) -> None:
        super().__init__(what, store)
        self.con, self.counted = con, counted

    def __enter__(self) -> None:
        self.con.begin()

    def __exit__(self, kind: type | None, error: BaseException | None, tb: object) -> None:
        if error is None:
            try:
                if self.counted:
                    self.con.execute("UPDATE store_changes SET n = n + 1 WHERE id = 1")
                self.con.commit()
            except duckdb.Error as failed:
                with contextlib.suppress(duckdb.Error):
                    self.con.rollback()
                super().__exit__(type(failed), failed, None)
            return
        self.con.rollback()
        super().__exit__(kind, error, tb)


def holder_of(message: str) -> tuple[int, str] | None:
    """(pid, command line) of the process a DuckDB lock error names, or None."""
    found = _LOCKED.search(message)
    if not found:
        return None
    pid = int(found["pid"])
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
        command = " ".join(part.decode(errors="replace") for part in raw.split(b"\0") if part)
    except OSError:
        command = found["exe"]
    return pid, command


def _locked_message(location: str, pid: int, command: str) -> str:
    """One line: who holds the file and how to reach the data meanwhile."""
    words = command.split()
    if "serve" in words:
        port = _option(words, "--port") or "8000"
        host = _option(words, "--host") or "127.0.0.1"
        return (
            f"{location} is held by khabar serve (pid {pid}): go through its API instead "
            f"(e.g. curl http://{host}:{port}/api/incidents; POST /api/ingest adds "
            "articles), or stop it first"
        )
    name = " ".join(words[:4]) + (" ..." if len(words) > 4 else "")
    return (
        f"{location} is held by another process (pid {pid}: {name}): wait for it to "
        "finish, or use a PostgreSQL database (--db postgresql://...) for concurrent use"
    )


def _option(words: list[str], name: str) -> str | None:
    for index, word in enumerate(words):
        if word == name and index + 1 < len(words):
            return words[index + 1]
        if word.startswith(name + "="):
            return word.split("=", 1)[1]
    return None
