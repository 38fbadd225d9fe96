"""Store: where articles and records live, behind one repository interface.

DuckDB is the embedded default (a file, no server). The schema is created and moved
forward by numbered migrations, so a database made by an older khabar opens in a newer
one. Only this package speaks SQL.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import UsageError
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
    "latest_version",
    "open_store",
]


def open_store(location: str | Path) -> Store:
    """Open (creating and migrating when needed) the database at ``location``.

    Args:
        location: a DuckDB file path or ``:memory:``.

    Raises:
        UsageError: a server URL whose backend this khabar does not have yet.
        StoreError: the file is not a DuckDB database, or cannot be written.
    """
    location = str(location)
    if location.startswith(("postgres://", "postgresql://")):
        raise UsageError(
            "PostgreSQL databases are not supported by this version of khabar; "
            "give a DuckDB file path"
        )
    return DuckDBStore(location)
