"""The functions Spark's Python workers run, without Spark: the one-stage job (read and
extract in one mapInPandas) and the two-stage job give the local engine's rows; a
worker keeps one budgeted child across tasks and drops it when a task fails; the
daemon preloads the Extractor it is told to."""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from khabar.batch import _spark
from khabar.batch._daemon import PRELOAD_ENV, preload
from khabar.batch._driver import _local_rows
from khabar.batch._rows import ROW_COLUMNS, plan
from khabar.batch.synth import write_corpus
from khabar.extract import ExtractOptions
from khabar.ingest import IngestOptions

pd = pytest.importorskip("pandas")

COLUMNS = [name for name, _ in ROW_COLUMNS]
EXTRACT = ExtractOptions(model="blank")
INGEST = IngestOptions()


def _frames(units, size=2):
    """The units as mapInPandas hands them over: DataFrames of ``size`` rows."""
    records = [u.as_dict() for u in units]
    for start in range(0, len(records), size):
        yield pd.DataFrame(records[start : start + size])


def _sorted(frames):
    rows = [row for frame in frames for row in frame.to_dict("records")]
    plain = [{k: (None if v != v else v) for k, v in row.items()} for row in rows]
    return sorted(plain, key=lambda r: (r["unit"], r["item"]))


@pytest.fixture(autouse=True)
def no_pools():
    """Each test starts without a worker's budgeted child and closes the ones it made."""
    _close_pools()
    yield
    _close_pools()


def _close_pools():
    for pool in _spark._POOLS.values():
        pool.close()
    _spark._POOLS.clear()


@pytest.fixture
def units(tmp_path):
    write_corpus(tmp_path / "corpus", 45, per_file=10)
    return plan([str(tmp_path / "corpus")]).units


def test_one_stage_and_two_stages_give_the_rows_of_the_local_engine(tmp_path, units):
    ingest, extract = INGEST.model_dump_json(), EXTRACT.model_dump_json()
    _local_rows(units, tmp_path / "rows", 1, ingest=INGEST, extract=EXTRACT)
    local = sorted(
        pq.read_table(tmp_path / "rows").to_pylist(), key=lambda r: (r["unit"], r["item"])
    )

    fused = _sorted(_spark._read_extract_partition(_frames(units), ingest, extract, 30.0))
    read = list(_spark._read_partition(_frames(units), ingest, chunk=7))
    assert all(len(frame) <= 7 for frame in read)
    staged = _sorted(_spark._extract_partition(iter(read), extract, 30.0))

    assert len(local) == 45 and all(row["records"] for row in local)
    assert fused == staged == local


def test_unit_files_hold_the_rows_of_the_local_engine_a_unit_each(tmp_path, units):
    from khabar.batch._unitfiles import read_units

    ingest, extract = INGEST.model_dump_json(), EXTRACT.model_dump_json()
    _local_rows(units, tmp_path / "rows", 1, ingest=INGEST, extract=EXTRACT)
    local = sorted(
        pq.read_table(tmp_path / "rows").to_pylist(), key=lambda r: (r["unit"], r["item"])
    )
    folder = tmp_path / "units"
    counts = [
        row
        for frame in _spark._unit_files_partition(
            _frames(units), ingest, extract, 30.0, str(folder)
        )
        for row in frame.itertuples(index=False, name=None)
    ]
    assert counts == [(u.index, 10 if u.index < 4 else 5) for u in units]
    read = list(read_units(folder, len(units), ended=lambda: True))
    columns = ["unit", "item", "article", "records", "failure"]
    assert read == [tuple(row[c] for c in columns) for row in local]


def test_a_worker_keeps_one_budgeted_child_across_tasks_and_drops_it_on_failure(units):
    ingest, extract = INGEST.model_dump_json(), EXTRACT.model_dump_json()
    list(_spark._read_extract_partition(_frames(units[:2]), ingest, extract, 30.0))
    (pool,) = _spark._POOLS.values()
    list(_spark._read_extract_partition(_frames(units[2:]), ingest, extract, 30.0))
    assert list(_spark._POOLS.values()) == [pool]  # the second task used the same child

    def failing():
        yield from _spark._read_partition(_frames(units[:1]), ingest)
        raise RuntimeError("the task was cancelled")

    with pytest.raises(RuntimeError):
        list(_spark._extract_partition(failing(), extract, 30.0))
    assert _spark._POOLS == {}  # a child that may hold a stale batch is not reused


def test_the_daemon_preloads_the_extractor_and_writes_nothing_on_stdout(monkeypatch):
    monkeypatch.delenv(PRELOAD_ENV, raising=False)
    assert preload() is False
    options = EXTRACT.model_dump_json()
    monkeypatch.setenv(PRELOAD_ENV, options)
    _spark._EXTRACTORS.pop(options, None)
    assert preload() is True
    assert options in _spark._EXTRACTORS
    # In a process of its own, as Spark starts it: stdout is the daemon's channel to
    # the JVM, so the preload must leave it empty; bad options are reported, not fatal.
    code = (
        "import sys; from khabar.batch._daemon import preload; "
        "print(preload(), end='', file=sys.stderr)"
    )
    for value, expected in ((options, "True"), ("{not json", "False")):
        done = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            env={**os.environ, PRELOAD_ENV: value},
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout == ""
        assert done.stderr.endswith(expected)


def test_a_local_masters_jvm_dumps_its_classes_once_then_maps_the_archive(tmp_path, monkeypatch):
    pytest.importorskip("pyspark")
    if shutil.which("java") is None:
        pytest.skip("no java")
    monkeypatch.delenv(_spark.CLASS_ARCHIVE_ENV, raising=False)
    first = _spark.class_archive_options(tmp_path)
    assert first.startswith("-XX:ArchiveClassesAtExit=")
    dumped = Path(first.split()[0].split("=", 1)[1])
    assert dumped.parent == tmp_path and dumped.name.endswith(f".{os.getpid()}.tmp")
    # While that driver lives (or its file was written to a minute ago), no second dump.
    dumped.write_bytes(b"classes")
    assert _spark.class_archive_options(tmp_path) == ""
    # Its driver gone before it saw its JVM end, the file quiet: it may be half-written,
    # so the next run removes it and dumps anew.
    gone = dumped.with_name(dumped.name.replace(f".{os.getpid()}.", ".999999999."))
    dumped.rename(gone)
    os.utime(gone, (time.time() - 600, time.time() - 600))
    again = _spark.class_archive_options(tmp_path)
    assert again.startswith("-XX:ArchiveClassesAtExit=") and not gone.exists()
    # The driver publishes its dump once its JVM has ended cleanly; every run maps it.
    archive = dumped.with_name(dumped.name.removesuffix(f".{os.getpid()}.tmp"))
    dumped.write_bytes(b"classes")
    _spark.publish_archive(dumped, archive, clean=True)
    mapped = _spark.class_archive_options(tmp_path)
    assert mapped == f"-XX:SharedArchiveFile={archive} {_spark._QUIET_CDS}"
    assert archive.read_bytes() == b"classes" and list(tmp_path.iterdir()) == [archive]
    monkeypatch.setenv(_spark.CLASS_ARCHIVE_ENV, "off")
    assert _spark.class_archive_options(tmp_path) == ""


def test_a_dump_is_published_only_after_a_clean_exit(tmp_path):
    archive = tmp_path / "spark-classes-0123456789ab.jsa"
    dumped = tmp_path / f"{archive.name}.4242.tmp"
    dumped.write_bytes(b"half")
    _spark.publish_archive(dumped, archive, clean=False)  # the JVM failed or was killed
    assert list(tmp_path.iterdir()) == []
    dumped.write_bytes(b"")
    _spark.publish_archive(dumped, archive, clean=True)  # it wrote nothing
    assert list(tmp_path.iterdir()) == []
    dumped.write_bytes(b"classes")
    _spark.publish_archive(dumped, archive, clean=True)
    assert archive.read_bytes() == b"classes" and not dumped.exists()
    dumped.write_bytes(b"other")  # a second run's dump: the first archive stays
    _spark.publish_archive(dumped, archive, clean=True)
    assert archive.read_bytes() == b"classes" and not dumped.exists()
