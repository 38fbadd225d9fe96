"""khabar batch: the local engine and Spark give the same records, Parquet is read as
JSONL is, and a folder output holds the rows, a database and the incidents."""

import json
import os
import shutil
import subprocess

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from khabar.batch.synth import articles, write_corpus
from khabar.cli import app


def _spark_missing() -> str | None:
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return "pyspark is not installed (pip install 'khabar[spark]')"
    if shutil.which("java") is None:
        return "no Java runtime (apt-get install openjdk-17-jre-headless)"
    try:
        subprocess.run(["java", "-version"], capture_output=True, check=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return "java -version fails"
    return None


def _needs_spark() -> None:
    reason = _spark_missing()
    if reason is None:
        return
    if os.environ.get("KHABAR_REQUIRE_SPARK") == "1":
        pytest.fail(f"KHABAR_REQUIRE_SPARK=1 but {reason}")
    pytest.skip(reason)


def _corpus(folder, count=240):
    """JSONL files and one Parquet file of synthetic articles."""
    write_corpus(folder, count - 40, per_file=50)
    rows = list(articles(40, seed=7))
    pq.write_table(pa.Table.from_pylist(rows), folder / "extra.parquet")
    return folder


def _batch(runner, corpus, out, *args):
    result = runner.invoke(
        app, ["batch", str(corpus), "--out", str(out), "--model", "blank", "--json", *args]
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout.strip().splitlines()[-1])


def _records(runner, db):
    exported = runner.invoke(app, ["export", "--db", str(db), "--format", "jsonl"]).stdout
    accounts = runner.invoke(app, ["export", "--db", str(db), "--accounts"]).stdout
    listed = runner.invoke(app, ["articles", "--db", str(db), "--format", "jsonl"]).stdout
    return exported, accounts, listed


def test_the_local_engine_writes_rows_a_database_and_the_incidents(tmp_path, runner):
    corpus = _corpus(tmp_path / "corpus", 90)
    summary = _batch(runner, corpus, tmp_path / "out", "--workers", "2")
    assert summary["articles"] == summary["extracted"] == 90
    assert summary["units"] == 2  # a JSONL file and the Parquet file
    rows = pq.read_table(tmp_path / "out" / "rows").to_pylist()
    assert len(rows) == 90 and all(r["records"] for r in rows)
    incidents = pq.read_table(tmp_path / "out" / "incidents.parquet")
    assert incidents.num_rows == summary["resolved"][1]
    # A Parquet row is read as a JSONL line is: locator FILE:ROW.
    listed = runner.invoke(
        app, ["articles", "--db", str(tmp_path / "out" / "khabar.duckdb"), "--format", "jsonl"]
    ).stdout
    assert '"file": "extra.parquet"' in listed


def test_batch_into_a_database_gives_what_ingest_gives(tmp_path, runner):
    corpus = tmp_path / "corpus"
    write_corpus(corpus, 60, per_file=20)
    _batch(runner, corpus, tmp_path / "b.duckdb", "--workers", "2")
    result = runner.invoke(
        app,
        [
            "ingest",
            str(corpus),
            "--db",
            str(tmp_path / "i.duckdb"),
            "--model",
            "blank",
            "--no-progress",
        ],
    )
    assert result.exit_code == 0, result.output
    batch, ingest = _records(runner, tmp_path / "b.duckdb"), _records(runner, tmp_path / "i.duckdb")
    assert batch == ingest


def test_batch_stores_and_resolves_under_duckdbs_write_cap(tmp_path, runner, monkeypatch):
    """Loading the rows writes under the cap ``khabar ingest`` writes under (DuckDB's
    buffer pool otherwise keeps every page written), and the limit is back after."""
    import duckdb

    from khabar.store._sql import SqlStore

    def limit(con):
        return con.execute("SELECT current_setting('memory_limit')").fetchone()[0]

    with duckdb.connect(":memory:") as con:
        default = limit(con)
        con.execute("SET memory_limit = '64MB'")
        capped = limit(con)
    seen = []
    add = SqlStore.add_articles

    def spy(self, *args, **kwargs):
        seen.append(limit(self._con))
        return add(self, *args, **kwargs)

    monkeypatch.setattr(SqlStore, "add_articles", spy)
    corpus = tmp_path / "corpus"
    write_corpus(corpus, 30, per_file=30)
    _batch(runner, corpus, tmp_path / "b.duckdb", "--workers", "1")
    assert seen and set(seen) == {capped}
    with duckdb.connect(str(tmp_path / "b.duckdb")) as con:
        assert limit(con) == default


@pytest.mark.spark
@pytest.mark.timeout(360)
def test_spark_gives_the_records_of_the_local_engine(tmp_path, runner):
    _needs_spark()
    corpus = _corpus(tmp_path / "corpus")
    local = _batch(runner, corpus, tmp_path / "local.duckdb", "--workers", "2")
    # Four JSONL files and a Parquet file for eight tasks: the JSONL files are read in
    # two parts each and the job is one stage. With 12 tasks there are still fewer
    # units than tasks: parts are read, then the articles spread over the tasks.
    spark = _batch(
        runner, corpus, tmp_path / "spark.duckdb", "--engine", "spark", "--master", "local[2]"
    )
    assert local["articles"] == spark["articles"] == 240
    assert local["resolved"] == spark["resolved"]
    first, second = (
        _records(runner, tmp_path / "local.duckdb"),
        _records(runner, tmp_path / "spark.duckdb"),
    )
    assert first[0].count("\n") > 200
    assert first == second
    shuffled = _batch(
        runner,
        corpus,
        tmp_path / "spark2.duckdb",
        "--engine",
        "spark",
        "--master",
        "local[2]",
        "--partitions",
        "12",
    )
    assert shuffled["units"] == local["units"] == spark["units"] == 5
    assert _records(runner, tmp_path / "spark2.duckdb") == first
