"""Fixtures of the resolution tests that compare one path of ``resolve_into`` with
another: a store that lacks one method (so that the other path runs), and the
resolution tables of a DuckDB file, to compare."""

import duckdb
import pytest


class _Without:
    """``store`` without its method ``name``: ``resolve_into`` takes the path a store
    lacking it takes (one pass, or the stored links as a dict)."""

    def __init__(self, store, name):
        self._store, self._name = store, name

    def __getattr__(self, attr):
        if attr == self._name:
            raise AttributeError(attr)
        return getattr(self._store, attr)


def _tables(path):
    with duckdb.connect(str(path), read_only=True) as con:
        events = con.execute("SELECT id, body FROM events ORDER BY id").fetchall()
        links = con.execute(
            "SELECT mention_id, event_id, score, reason FROM incident_links ORDER BY mention_id"
        ).fetchall()
    return events, links


@pytest.fixture
def without():
    return _Without


@pytest.fixture
def resolution_tables():
    return _tables
