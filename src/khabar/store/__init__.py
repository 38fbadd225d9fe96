"""Store: where articles and records live, behind one repository interface.

DuckDB is the embedded default (a file, no server); PostgreSQL (a ``postgresql://`` URL,
the ``postgres`` extra) serves a team, with any number of writing processes. Both run
the same queries (``_sql.py``) over the same schema, created and moved forward by
numbered migrations, so a database made by an older khabar opens in a newer one. Only
this package speaks SQL.
"""

from __future__ import annotations

from pathlib import Path

from ._base import AlertMark, ArticleQuery, ExportRecord, FeedState, QueuedAlert, Store
from ._duckdb import DuckDBStore
from ._migrations import latest_version

__all__ = [
    "AlertMark",
    "ArticleQuery",
    "DuckDBStore",
    "ExportRecord",
    "FeedState",
    "QueuedAlert",
    "Store",
    "is_server_url",
    "latest_version",
    "open_store",
]


def is_server_url(location: str | Path) -> bool:
    """Whether ``location`` names a PostgreSQL database rather than a DuckDB file."""
    return str(location).startswith(("postgres://", "postgresql://"))


def open_store(location: str | Path, *, read_only: bool = False) -> Store:
    """Open (creating and migrating when needed) the database at ``location``.

    Args:
        location: a DuckDB file path, ``:memory:``, or a ``postgresql://`` URL.
        read_only: the caller only reads. A DuckDB file is then opened read-only, so
            that it can be read while another reader holds it (a server's database is
            shared whatever this says).

    Raises:
        UsageError: a PostgreSQL URL without psycopg installed.
        StoreLocked: another process holds the DuckDB file (the message names it).
        StoreError: the file is not a DuckDB database, the server refuses, ...
    """
    if is_server_url(location):
        from ._postgres import PostgresStore

        return PostgresStore(str(location))
    return DuckDBStore(location, read_only=read_only)
