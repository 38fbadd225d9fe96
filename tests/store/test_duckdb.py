import os
import signal
import subprocess
import sys
import textwrap

import duckdb
import pytest

from khabar.errors import SchemaTooNew, StoreError
from khabar.records import Article
from khabar.store import ArticleQuery, DuckDBStore, Store, latest_version, open_store


def article(n, **fields):
    values = dict(
        id=f"{n:016x}",
        text=f"Story number {n}.",
        title=f"Title {n}",
        file=f"f{n}.txt",
        locator=f"f{n}.txt",
    )
    values.update(fields)
    return Article(**values)


@pytest.fixture
def store(db_path):
    with DuckDBStore(db_path) as opened:
        yield opened


def test_open_store_creates_the_schema_at_the_latest_version(db_path):
    store = open_store(db_path)
    assert isinstance(store, Store)
    assert store.schema_version == latest_version() >= 1
    store.close()
    with duckdb.connect(str(db_path)) as con:
        versions = con.execute("SELECT version FROM schema_version ORDER BY 1").fetchall()
    assert [v for (v,) in versions] == list(range(1, latest_version() + 1))


def test_open_store_refuses_a_newer_schema(db_path):
    open_store(db_path).close()
    with duckdb.connect(str(db_path)) as con:
        con.execute("INSERT INTO schema_version VALUES (999, 'future', now())")
    with pytest.raises(SchemaTooNew, match="upgrade khabar"):
        open_store(db_path)


def test_open_store_refuses_a_file_that_is_not_duckdb(tmp_path):
    path = tmp_path / "corrupt.duckdb"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="cannot open DuckDB database"):
        open_store(path)


def test_runs_are_recorded(store, db_path):
    run_id = store.start_run("ingest", {"inputs": ["a"]})
    store.finish_run(run_id, {"counts": {"new": 1}})
    store.close()
    with duckdb.connect(str(db_path)) as con:
        command, finished, meta = con.execute(
            "SELECT command, finished_at, meta FROM runs"
        ).fetchone()
    assert command == "ingest" and finished is not None and '"new": 1' in meta


@pytest.mark.slow
def test_a_run_killed_mid_way_leaves_a_consistent_database(tmp_path):
    """kill -9 in the middle of an ingest: the database opens, holds whole articles only,
    and the next run stores exactly what is missing."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for n in range(1500):
        (corpus / f"{n:05d}.txt").write_text(
            f"Story {n}\n\nPESHAWAR: Report number {n} on an attack near a checkpoint, "
            "with enough words to be a story of its own and a figure of its own."
        )
    db = tmp_path / "kill.duckdb"
    script = textwrap.dedent(
        f"""
        import sys
        from khabar.ingest import IngestOptions
        from khabar.pipeline import ingest_into
        from khabar.store import open_store
        store = open_store({str(db)!r})
        def tick(source, total):
            if source is not None:
                print("read", source.locator, flush=True)
        ingest_into(store, [{str(corpus)!r}], options=IngestOptions(), on_source=tick)
        """
    )
    process = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    for _ in range(300):  # let it store 300 articles, then pull the plug
        assert process.stdout.readline().startswith("read")
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    process.stdout.close()

    with DuckDBStore(db) as store:
        count = store.count_articles()
        assert 0 < count < 1500
        for stored_article in store.list_articles(ArticleQuery(limit=50)):
            assert store.sources_of(stored_article.id), "article without its source"
    from khabar.ingest import IngestOptions
    from khabar.pipeline import ingest_into

    with DuckDBStore(db) as store:
        summary = ingest_into(store, [str(corpus)], options=IngestOptions())
        assert summary.new == 1500 - count
        assert summary.known == count
        assert store.count_articles() == 1500


def _limit(store):
    return store._con.execute("SELECT current_setting('memory_limit')").fetchone()[0]


def _resolution(store):
    events = store._con.execute("SELECT id, body FROM events ORDER BY id").fetchall()
    links = store._con.execute(
        "SELECT mention_id, event_id, score, reason FROM incident_links ORDER BY 1"
    ).fetchall()
    return events, links


def test_a_save_that_fails_midway_leaves_the_old_resolution_whole(store):
    from khabar.records import Incident

    old = [Incident(id="evt-old", event_type="bombing")]
    store.save_resolution(old, [("inc-1", "evt-old", None, "new event")])
    before, token = _resolution(store), store.change_token()

    def failing():
        for n in range(1200):  # past two staged batches, each committed
            yield Incident(id=f"evt-{n:05d}", event_type="armed_assault")
        raise RuntimeError("killed mid-save")

    with pytest.raises(RuntimeError, match="mid-save"):
        store.save_resolution(failing(), [])
    # the swap itself failing (two events with one id) rolls back whole too
    twice = [Incident(id="evt-x", event_type="armed_assault")] * 2
    with pytest.raises(StoreError):
        store.save_resolution(twice, [("inc-1", "evt-x", 1.0, "same place")])
    assert _resolution(store) == before
    assert store.change_token() == token
    staged = store._con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name IN ('new_events', 'new_links')"
    ).fetchone()[0]
    assert staged == 0


def test_a_save_replaces_the_resolution_in_one_counted_write(store):
    from khabar.records import Incident

    store.save_resolution([Incident(id="evt-a", event_type="bombing")], [])
    token = store.change_token()
    events = [Incident(id=f"evt-{n:05d}", event_type="armed_assault") for n in range(1100)]
    links = [(f"inc-{n}", f"evt-{n:05d}", 1.5, "same place") for n in range(1100)]
    store.save_resolution(iter(events), iter(links))
    stored_events, stored_links = _resolution(store)
    assert [e for e, _ in stored_events] == [e.id for e in events]
    assert stored_events[0][1] == events[0].model_dump_json()
    assert sorted(stored_links) == sorted(links)
    assert store.change_token() == token + 1


def test_duckdb_memory_is_capped_while_resolving_and_restored_after(store, monkeypatch):
    from khabar.records import Incident

    start = _limit(store)
    seen = []

    def events(limit_now):
        seen.append(limit_now())
        yield Incident(id="evt-a", event_type="bombing")

    store.save_resolution(events(lambda: _limit(store)), [])
    assert seen[0] == _limit_of("64MB")  # the default
    assert _limit(store) == start
    monkeypatch.setenv("KHABAR_DUCKDB_MEMORY", "96MB")
    with store.mention_snapshot():
        assert _limit(store) == _limit_of("96MB")
    assert _limit(store) == start
    monkeypatch.setenv("KHABAR_DUCKDB_MEMORY", "lots")
    with pytest.raises(StoreError, match="KHABAR_DUCKDB_MEMORY"):
        store.save_resolution([], [])


def _limit_of(size):
    with duckdb.connect(":memory:") as con:
        con.execute(f"SET memory_limit = '{size}'")
        return con.execute("SELECT current_setting('memory_limit')").fetchone()[0]


def test_a_swap_out_of_memory_under_the_cap_is_retried_without_it(store, monkeypatch):
    from khabar.records import Incident

    swap, limits = DuckDBStore._swap_resolution, []

    def short_of_memory(self):
        limits.append(_limit(self))
        if len(limits) == 1:
            try:
                raise duckdb.OutOfMemoryException("could not allocate block of size 256.0 KiB")
            except duckdb.Error as error:
                raise StoreError("cannot store the resolved incidents") from error
        swap(self)

    monkeypatch.setattr(DuckDBStore, "_swap_resolution", short_of_memory)
    start = _limit(store)
    store.save_resolution([Incident(id="evt-a", event_type="bombing")], [])
    assert limits[0] == _limit_of("64MB") and limits[1] == start  # the cap, then none
    assert _resolution(store)[0][0][0] == "evt-a"
    assert _limit(store) == start


def test_staging_out_of_memory_under_the_cap_is_retried_without_it(store, monkeypatch):
    """A staging statement that runs out of memory under the cap (large events of a
    100,000-article corpus did) is done again with the cap lifted, keeping the rows
    staged before it: every event and link of the resolution is stored."""
    from khabar.records import Incident

    stage, calls = DuckDBStore._stage, []

    def short_of_memory(self, table, rows):
        calls.append((table, len(rows), _limit(self)))
        if len(calls) == 2:  # the second chunk of events
            try:
                raise duckdb.OutOfMemoryException("could not allocate block of size 1.5 MiB")
            except duckdb.Error as error:
                raise StoreError("cannot stage the resolved incidents") from error
        stage(self, table, rows)

    monkeypatch.setattr(DuckDBStore, "_stage", short_of_memory)
    start = _limit(store)
    events = [Incident(id=f"evt-{n:04d}", event_type="bombing") for n in range(1200)]
    links = [(f"m-{n}", f"evt-{n:04d}", 1.0, "new") for n in range(1200)]
    store.save_resolution(iter(events), iter(links))
    capped = _limit_of("64MB")
    assert [c[:2] for c in calls[:4]] == [
        ("new_events", 500),
        ("new_events", 500),
        ("new_events", 500),
        ("new_events", 200),
    ]
    assert calls[0][2] == calls[1][2] == capped and calls[2][2] == start  # lifted
    stored, linked = _resolution(store)
    assert len(stored) == 1200 and len(linked) == 1200
    assert _limit(store) == start


def _many_events(store, count):
    """``count`` stored events, written by one SQL statement (the store's API would take
    a while), each body a valid Incident."""
    from khabar.records import Incident

    body = Incident(id="evt-X", event_type="bombing").model_dump_json().replace("'", "''")
    store._con.execute(
        "INSERT INTO events SELECT 'evt-' || md5(n::VARCHAR), replace('"
        + body
        + "', 'evt-X', 'evt-' || md5(n::VARCHAR)), now()::TIMESTAMP FROM range(?) t(n)",
        [count],
    )


def test_a_read_on_another_thread_lifts_the_resolution_cap(store, monkeypatch):
    """``memory_limit`` is the database's: under a resolution's cap, a full listing on
    another thread (``khabar serve`` with ``--watch``) would run out of memory; it lifts
    the cap instead, and the resolution's end leaves the limit as it was."""
    import threading

    _many_events(store, 20000)
    start = _limit(store)
    monkeypatch.setenv("KHABAR_DUCKDB_MEMORY", "4MB")
    capped, read, done, own = threading.Event(), threading.Event(), threading.Event(), []

    def resolve():
        with store._bounded():
            try:  # the resolving thread's own read stays under the cap: it fails
                list(store.iter_events())
            except StoreError as error:
                own.append(str(error))
            capped.set()
            read.wait(60)
            own.append(_limit(store))
        done.set()

    resolver = threading.Thread(target=resolve)
    resolver.start()
    assert capped.wait(60)
    assert own and "Out of Memory" in own[0]  # the cap would starve a reader
    assert len(list(store.iter_events())) == 20000  # another thread's: the cap is lifted
    read.set()
    resolver.join(60)
    assert done.is_set()
    assert own[1] == start  # lifted for the rest of the resolution
    assert _limit(store) == start
    with store._bounded():  # and the next resolution caps again
        assert _limit(store) == _limit_of("4MB")
    assert _limit(store) == start


def test_an_ingest_writes_under_the_cap_and_a_write_short_of_memory_is_done_again(
    store, tmp_path, monkeypatch
):
    """``ingest_into`` and ``extract_into`` cap DuckDB's buffer pool (it kept every
    page written); a bulk write that runs out of memory under the cap is rolled back,
    the cap lifted, and the write done again, so nothing fails and nothing is lost."""
    from khabar.extract import ExtractOptions, Extractor
    from khabar.ingest import IngestOptions
    from khabar.pipeline import ingest_into
    from khabar.store._sql import SqlStore

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for n in range(3):
        (corpus / f"a{n}.txt").write_text(
            f"Gunmen killed {n + 2} policemen at a checkpoint in Quetta on Monday, police said."
        )
    start, seen = _limit(store), []
    add, many = SqlStore.add_articles, SqlStore.replace_records_many

    def short_of_memory(self, *args, **kwargs):
        seen.append(_limit(self))
        if len(seen) == 1:
            try:
                raise duckdb.OutOfMemoryException("could not allocate block of size 256.0 KiB")
            except duckdb.Error as error:
                raise StoreError("cannot store 3 article(s)") from error
        return add(self, *args, **kwargs)

    def records(self, *args, **kwargs):
        seen.append(("records", _limit(self)))
        return many(self, *args, **kwargs)

    monkeypatch.setattr(SqlStore, "add_articles", short_of_memory)
    monkeypatch.setattr(SqlStore, "replace_records_many", records)
    summary = ingest_into(
        store,
        [str(corpus)],
        options=IngestOptions(),
        extractor=Extractor(ExtractOptions(model="blank")),
    )
    assert summary.new == 3 and summary.extracted == 3
    assert seen[0] == _limit_of("64MB") and seen[1] == start  # the cap, then lifted
    assert store.count_articles() == 3
    assert _limit(store) == start

    # a second run keeps the cap while it writes the records
    seen.clear()
    monkeypatch.setattr(SqlStore, "add_articles", add)
    for n in range(3, 5):
        (corpus / f"a{n}.txt").write_text(f"A bomb killed {n} people in Peshawar on Tuesday.")
    ingest_into(
        store,
        [str(corpus)],
        options=IngestOptions(),
        extractor=Extractor(ExtractOptions(model="blank")),
    )
    assert seen == [("records", _limit_of("64MB"))]
    assert _limit(store) == start
