"""An incremental resolution replays the stored decisions from a file on disk
(``StoredLinks``), not from a dict of every mention, and writes what the dict gave."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from khabar.pipeline import resolve_into
from khabar.resolve._links import StoredLinks
from khabar.store import open_store


def test_stored_links_answer_as_the_dict_did():
    rows = [("m1", "e1", 0.25, "same place"), ("m2", "e1", None, "first"), ("m1", "e2", 1.5, "x")]
    with StoredLinks(iter(rows)) as links:
        folder = Path(links._folder.name)
        assert folder.exists()
        assert links.get("m1") == ("e2", 1.5, "x")  # the last row of a mention, as a dict
        assert links.get("m2") == ("e1", None, "first")
        assert links.get("m3") is None
    assert not folder.exists()
    many = [(f"m{n}", f"e{n % 7}", n / 3, "r") for n in range(2500)]
    with StoredLinks(many) as links:
        assert all(links.get(m) == (e, s, r) for m, e, s, r in many)


class DictLinks:
    """The store without ``iter_resolution_links``: the dict of ``resolution_links``."""

    def __init__(self, store):
        self._store = store

    def __getattr__(self, name):
        if name == "iter_resolution_links":
            raise AttributeError(name)
        return getattr(self._store, name)


def _tables(path):
    with duckdb.connect(str(path), read_only=True) as con:
        events = con.execute("SELECT id, body FROM events ORDER BY id").fetchall()
        links = con.execute(
            "SELECT mention_id, event_id, score, reason FROM incident_links ORDER BY mention_id"
        ).fetchall()
    return events, links


def test_an_incremental_resolution_replays_the_links_from_disk(demo_db, tmp_path, monkeypatch):
    on_disk, in_dict = tmp_path / "disk.duckdb", tmp_path / "dict.duckdb"
    for path in (on_disk, in_dict):
        shutil.copy(demo_db, path)
        with duckdb.connect(str(path)) as con:  # a decision only a replay keeps
            con.execute(
                "UPDATE incident_links SET reason = 'kept from before' WHERE mention_id = "
                "(SELECT min(mention_id) FROM incident_links)"
            )
    store = open_store(on_disk)

    def no_dict():
        raise AssertionError("the links were read into a dict")

    monkeypatch.setattr(store, "resolution_links", no_dict)
    resolve_into(store)
    store.close()
    store = open_store(in_dict)
    resolve_into(DictLinks(store))
    store.close()
    events, links = _tables(on_disk)
    assert len(links) > 20
    assert any(reason == "kept from before" for *_, reason in links)
    assert (events, links) == _tables(in_dict)
