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
