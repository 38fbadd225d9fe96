"""The decisions of the last resolution, on disk, for an incremental one to replay.

A dict of every stored link (mention -> event, score, reason) held about 0.4 KB a
mention for the whole of ``khabar resolve``: it grew with the corpus. ``StoredLinks``
copies the store's rows, a page at a time, into a SQLite file of its own (a primary
key on the mention) and answers ``get`` from there, so memory holds a page cache.
"""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import Iterable
from pathlib import Path

__all__ = ["StoredLinks"]

Link = tuple[str, float | None, str]


class StoredLinks:
    """``get(mention_id)`` -> (event id, score, reason) or None, from a temporary file.
    Close it (or use it as a context manager) to delete the file."""

    def __init__(self, rows: Iterable[tuple[str, str, float | None, str]]) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="khabar-links-")
        self._db = sqlite3.connect(Path(self._folder.name) / "links.sqlite")
        try:
            for pragma in ("journal_mode=OFF", "synchronous=OFF", "cache_size=-4096"):
                self._db.execute(f"PRAGMA {pragma}")
            self._db.execute(
                "CREATE TABLE links (mention TEXT PRIMARY KEY, event TEXT, score REAL, "
                "reason TEXT) WITHOUT ROWID"
            )
            page: list[tuple[str, str, float | None, str]] = []
            for row in rows:
                page.append(tuple(row))  # type: ignore[arg-type]
                if len(page) == 1000:
                    self._insert(page)
            self._insert(page)
        except BaseException:
            self.close()
            raise

    def _insert(self, page: list[tuple[str, str, float | None, str]]) -> None:
        # OR REPLACE: as a dict built from the rows would, the last row of a mention wins
        self._db.executemany("INSERT OR REPLACE INTO links VALUES (?, ?, ?, ?)", page)
        page.clear()

    def get(self, mention_id: str) -> Link | None:
        row = self._db.execute(
            "SELECT event, score, reason FROM links WHERE mention = ?", [mention_id]
        ).fetchone()
        return None if row is None else (row[0], row[1], row[2])

    def close(self) -> None:
        self._db.close()
        self._folder.cleanup()

    def __enter__(self) -> StoredLinks:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
