"""The Spark engine of ``khabar batch``: reading and extraction as one Spark job.

Only ``batch._driver`` imports this module, and only for ``--engine spark``: nothing
else in khabar imports pyspark (an optional extra: ``pip install 'khabar[spark]'``).

The job: the units (an input file each, or a byte range of a big JSONL file, see
``_rows.split_units``), placed evenly over the tasks by ``spark.range``, are read by
``mapInPandas`` (``_rows.read_unit``) and extracted over Arrow batches
(``_rows.extract_rows``). With at least as many units as tasks, one ``mapInPandas``
does both, with no shuffle; with fewer (a few files that cannot be split, a WARC file
say), the articles are repartitioned over ``partitions`` tasks between a reading and
an extracting stage. Either way each article is extracted once, and the job has one
action (the write).

The functions run in Spark's Python workers, which Spark forks from one daemon per
executor and reuses between tasks (``spark.python.worker.reuse``). The daemon is
``_daemon``: it builds the Extractor (spaCy model, gazetteer, dictionaries) once,
before forking, into this module's cache, so the workers share it. Each worker keeps
the per-document time budget of the local engine: one budgeted child for the worker's
life (``_pool``), killed and forked again only when a document overruns. The rows are
written as Parquet, unsorted; the driver reads them back in order.

Input paths must be readable at the same path by every executor (a shared file system
on a cluster; see docs/deployment.md).
"""

from __future__ import annotations

import atexit
import os
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._rows import ROW_COLUMNS, Unit, plain_record, split_units

if TYPE_CHECKING:
    import pandas as pd

    from ..extract import ExtractOptions, Extractor
    from ..ingest import IngestOptions
    from ..records import Article
    from ._pool import WorkerPool

__all__ = ["SparkJob", "start_job"]

_SCHEMA = ", ".join(f"{name} {kind}" for name, kind in ROW_COLUMNS)

# One Extractor per Python worker process, keyed by its options' JSON, and one budgeted
# child per worker (forked once, from the worker that holds the model): a task no longer
# forks its own child, whose caches started cold every time.
_EXTRACTORS: dict[str, Extractor] = {}
_POOLS: dict[tuple[str, float | None], WorkerPool[list[Article], list[Any]]] = {}

# A local master's JVM is short-lived and does little but move Arrow batches: C1 alone
# and the serial collector halve its CPU (JIT compilation and GC threads were most of it).
LOCAL_JVM_OPTIONS = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"

# Where a local master's JVM keeps its class-data archive (a folder), or "off".
CLASS_ARCHIVE_ENV = "KHABAR_SPARK_CDS"
_QUIET_CDS = "-Xlog:cds=off -Xlog:cds+dynamic=off"


def class_archive_options(folder: Path | None = None) -> str:
    """JVM options for a class-data-sharing archive of Spark's classes (JDK 13+).

    Starting a session loads and verifies some ten thousand classes on one core, most
    of the JVM's start. The first run with a local master dumps the classes it loaded
    into an archive when its JVM exits (``-XX:ArchiveClassesAtExit``, once: 150 MB in
    the cache folder and about 15 s at that exit), under a name with the driver's pid;
    the driver waits for that exit and publishes the file only if the JVM ended cleanly
    (``_publish_at_exit``), and every run after maps it (``-XX:SharedArchiveFile``):
    the session starts in about half the time. The key
    is pyspark's version, the java binary and this Python; an archive the JVM finds
    stale anyway (another classpath) is ignored, silently, as is a missing one.
    ``KHABAR_SPARK_CDS=off`` turns it off, ``=DIR`` puts it in DIR
    (default ``$XDG_CACHE_HOME/khabar``)."""
    import hashlib
    import shutil

    setting = os.environ.get(CLASS_ARCHIVE_ENV, "").strip()
    if setting.lower() in ("off", "0", "no", "false"):
        return ""
    if folder is None:
        cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        folder = Path(setting) if setting else Path(cache) / "khabar"
    java_home = os.environ.get("JAVA_HOME")
    java = str(Path(java_home) / "bin" / "java") if java_home else shutil.which("java")
    try:
        import pyspark

        binary = os.path.realpath(java or "java")
        stamp = os.stat(binary).st_mtime_ns
    except (ImportError, OSError):
        return ""
    key = f"{pyspark.__version__}|{binary}|{stamp}|{sys.executable}"
    archive = folder / f"spark-classes-{hashlib.sha1(key.encode()).hexdigest()[:12]}.jsa"
    pending = False
    for dumped in folder.glob(f"{archive.name}.*.tmp"):
        writer = dumped.name.removeprefix(f"{archive.name}.").removesuffix(".tmp")
        try:
            # Its JVM writes it at exit and its driver publishes it (``_publish_at_exit``).
            # One whose driver is gone, and which nothing has written to for 30 s, was
            # left by a driver killed before it could see its JVM end: it may be
            # half-written, so it goes (this run dumps a new one).
            recent = time.time() - dumped.stat().st_mtime < 30
            if (writer.isdigit() and _alive(int(writer))) or recent:
                pending = True
            else:
                dumped.unlink(missing_ok=True)
        except OSError:  # another run published or removed it meanwhile
            continue
    if archive.exists():
        return f"-XX:SharedArchiveFile={archive} {_QUIET_CDS}"
    if pending:  # another run's JVM is dumping one: no second dump
        return ""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return ""
    dumped = Path(f"{archive}.{os.getpid()}.tmp")
    atexit.register(_publish_at_exit, dumped, archive)
    return f"-XX:ArchiveClassesAtExit={dumped} {_QUIET_CDS}"


def _publish_at_exit(dumped: Path, archive: Path, limit: float = 120.0) -> None:
    """At the driver's exit, end the JVM (pyspark's gateway ends when its stdin
    closes), wait while it writes the archive, then publish it: an archive is whole or
    absent. Best effort: a run that finds no archive dumps one."""
    try:
        from pyspark import SparkContext

        gateway = SparkContext._gateway
        process = getattr(gateway, "proc", None) if gateway is not None else None
        if process is not None and process.poll() is None:
            process.stdin.close()
            process.wait(timeout=limit)
        publish_archive(dumped, archive, clean=process is not None and process.returncode == 0)
    except Exception:  # a JVM still writing after the limit: the next run removes it
        pass


def publish_archive(dumped: Path, archive: Path, *, clean: bool) -> None:
    """The dumped archive renamed into place if its JVM exited cleanly (status 0) and
    wrote something, and no archive is there yet; otherwise removed."""
    try:
        if clean and dumped.stat().st_size > 0 and not archive.exists():
            os.replace(dumped, archive)
        else:
            dumped.unlink(missing_ok=True)
    except OSError:  # gone already, or the folder is read-only: nothing to publish
        pass


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _extractor(options_json: str) -> Extractor:
    from ..extract import ExtractOptions, Extractor

    if options_json not in _EXTRACTORS:
        _EXTRACTORS[options_json] = Extractor(ExtractOptions.model_validate_json(options_json))
    return _EXTRACTORS[options_json]


def _read_partition(
    frames: Iterator[pd.DataFrame], ingest_json: str, *, chunk: int = 64
) -> Iterator[pd.DataFrame]:
    """mapInPandas: units -> rows before extraction, ``chunk`` rows a frame (a WARC
    file's thousands of articles never sit in one frame)."""
    import pandas as pd

    from ..ingest import IngestOptions, Reader
    from ._driver import unit_budget
    from ._pool import WorkerPool
    from ._rows import read_rows, read_unit

    options = IngestOptions.model_validate_json(ingest_json)
    columns = [name for name, _ in ROW_COLUMNS]
    with Reader(options) as reader:
        for frame in frames:
            units = [Unit.from_record(record) for record in frame.to_dict("records")]
            with WorkerPool(
                lambda unit: read_unit(reader, unit), workers=1, budget=options.doc_timeout
            ) as pool:
                rows: list[dict[str, Any]] = []
                for row in read_rows(units, pool=pool, budget_of=lambda u: unit_budget(u, options)):
                    rows.append(row)
                    if len(rows) >= chunk:
                        yield pd.DataFrame(rows, columns=columns)
                        rows = []
                if rows:
                    yield pd.DataFrame(rows, columns=columns)


def _unit_frames(
    frames: Iterator[pd.DataFrame], records: list[dict[str, Any]]
) -> Iterator[pd.DataFrame]:
    """mapInPandas over ``spark.range``: unit numbers -> frames of those units."""
    import pandas as pd

    for frame in frames:
        yield pd.DataFrame([records[int(number)] for number in frame["id"]])


def _read_extract_partition(
    frames: Iterator[pd.DataFrame], ingest_json: str, extract_json: str, budget: float | None
) -> Iterator[pd.DataFrame]:
    """mapInPandas: units -> rows with their records, in one pass (no shuffle)."""
    yield from _extract_partition(_read_partition(frames, ingest_json), extract_json, budget)


def _unit_files_partition(
    frames: Iterator[pd.DataFrame],
    ingest_json: str,
    extract_json: str,
    budget: float | None,
    folder: str,
) -> Iterator[pd.DataFrame]:
    """mapInPandas, one stage, local masters: each unit read, extracted and written to
    its own file (``_unitfiles``), a unit at a time, so that the driver stores it while
    the other tasks go on; yields (unit, rows) for the driver's check."""
    import pandas as pd

    from ._unitfiles import write_unit

    columns = [name for name, _ in ROW_COLUMNS]
    for frame in frames:
        for record in frame.to_dict("records"):
            one = iter([pd.DataFrame([record])])
            done = _read_extract_partition(one, ingest_json, extract_json, budget)
            rows = (
                plain_record(dict(zip(columns, values, strict=True)), ints=("unit", "item"))
                for part in done
                for values in part.itertuples(index=False, name=None)
            )
            count = write_unit(Path(folder), int(record["index"]), rows)
            yield pd.DataFrame({"unit": [int(record["index"])], "rows": [count]})


def _extract_partition(
    frames: Iterator[pd.DataFrame], extract_json: str, budget: float | None
) -> Iterator[pd.DataFrame]:
    """mapInPandas: rows -> rows with their records (an Arrow batch at a time)."""
    import pandas as pd

    from ._rows import extract_rows

    extractor = _extractor(extract_json)
    pool = _pool(extract_json, budget)
    columns = [name for name, _ in ROW_COLUMNS]
    try:
        for frame in frames:
            rows = [plain_record(r, ints=("unit", "item")) for r in frame.to_dict("records")]
            done = list(extract_rows(extractor, rows, pool=pool))
            yield pd.DataFrame(done, columns=columns)
    except BaseException:
        # A failed or cancelled task may leave a batch in the child's pipe: drop the child.
        _POOLS.pop((extract_json, budget), None)
        pool.close()
        raise


def _pool(extract_json: str, budget: float | None) -> WorkerPool[list[Article], list[Any]]:
    from ._pool import WorkerPool

    key = (extract_json, budget)
    if key not in _POOLS:
        _POOLS[key] = WorkerPool(_extractor(extract_json).pipe, workers=1, budget=budget)
    return _POOLS[key]


def spark_session(
    master: str, *, app: str = "khabar batch", extract: ExtractOptions | None = None
) -> Any:
    """A session on ``master`` (``local[2]``, ``spark://host:7077``, ``yarn``,
    ``k8s://...``) with Arrow batches for mapInPandas; the Python workers run this
    interpreter unless PYSPARK_PYTHON says otherwise. With ``extract``, each executor's
    Python daemon (``_daemon``) builds that Extractor once before forking its workers."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as error:  # pragma: no cover - depends on the extra
        from ..errors import UsageError

        raise UsageError(
            "--engine spark needs pyspark: pip install 'khabar[spark]' (and Java 17+)"
        ) from error
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    # Spark's Python workers import khabar: hand them this process's import path.
    path = os.pathsep.join(p for p in sys.path if p)
    builder = (
        SparkSession.builder.master(master)
        .appName(app)
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", "64")
        .config("spark.python.worker.reuse", "true")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.executorEnv.PYTHONPATH", path)
    )
    if extract is not None:
        from ._daemon import PRELOAD_ENV

        builder = builder.config("spark.python.daemon.module", "khabar.batch._daemon").config(
            f"spark.executorEnv.{PRELOAD_ENV}", extract.model_dump_json()
        )
    if master.startswith("local"):
        # The driver is the executor: no web UI, and a JVM tuned for a short run. Settings
        # in PYSPARK_SUBMIT_ARGS come after these and win.
        options = f"{LOCAL_JVM_OPTIONS} {class_archive_options()}".strip()
        builder = builder.config("spark.ui.enabled", "false").config(
            "spark.driver.extraJavaOptions", options
        )
        os.environ.setdefault("SPARK_LAUNCHER_OPTS", LOCAL_JVM_OPTIONS)
    return builder.getOrCreate()


def _cores(master: str, spark: Any) -> int:
    return max(1, int(spark.sparkContext.defaultParallelism))


class SparkJob:
    """The job, running in a thread of the driver from ``start``: ``rows`` gives its
    rows in (unit, item) order, ``finish`` waits for it and checks it, ``abort`` cancels
    it. With unit files (``_unitfiles``, local masters) ``rows`` gives each unit as
    soon as a task has written it; with Spark's writer, all of them after the job.
    ``check`` comes before resolution, so that a job that lost rows resolves nothing."""

    def __init__(self, spark: Any, action: Any, rows_dir: Path, units: int | None) -> None:
        self.spark = spark
        self.rows_dir = rows_dir
        self.units = units  # None: Spark's writer (rows read back sorted after the job)
        self.ended_at: float | None = None  # time.perf_counter() when the job ended
        self._action = action
        self._result: list[Any] = []
        self._error: BaseException | None = None
        self._counts: dict[int, int] = {}
        self._stopping: threading.Thread | None = None
        self._thread = threading.Thread(target=self._run, name="khabar-spark-job", daemon=True)

    def _run(self) -> None:
        try:
            self._result = list(self._action() or [])
        except BaseException as error:  # raised in the driver's thread by rows/finish
            self._error = error
        finally:
            self.ended_at = time.perf_counter()

    def start(self) -> SparkJob:
        self._thread.start()
        return self

    def _ended(self) -> bool:
        if self._thread.is_alive():
            return False
        if self._error is not None:
            raise self._error
        return True

    def rows(self) -> Iterator[tuple[Any, ...]]:
        from ._driver import ordered_rows

        if self.units is None:
            self._thread.join()
            self._ended()
            yield from ordered_rows(self.rows_dir)
            return
        from ._unitfiles import read_units

        for row in read_units(self.rows_dir, self.units, ended=self._ended):
            self._counts[row[0]] = self._counts.get(row[0], 0) + 1
            yield row

    def check(self) -> None:
        """Wait for the job and check that the driver read every row the tasks wrote;
        then the session stops, in a thread (about a second of the JVM's), while the
        driver resolves."""
        if self._stopping is not None:
            return
        self._thread.join()
        self._ended()
        if self.units is not None:
            written = {int(unit): int(rows) for unit, rows in self._result}
            read = {unit: self._counts.get(unit, 0) for unit in range(self.units)}
            if written != read:
                raise RuntimeError("the rows the driver read are not the rows the tasks wrote")
        self._stopping = threading.Thread(
            target=self.spark.stop, name="khabar-spark-stop", daemon=True
        )
        self._stopping.start()

    def finish(self) -> threading.Thread:
        """``check``, and the thread the session stops in (join it before the process
        starts another)."""
        self.check()
        assert self._stopping is not None
        return self._stopping

    def abort(self) -> None:
        """Cancel a job still running (the driver failed) and stop the session."""
        if self._stopping is not None:
            self._stopping.join()
            return
        if self._thread.is_alive():
            self.spark.sparkContext.cancelAllJobs()
            self._thread.join(timeout=60)
        self.spark.stop()


def start_job(
    units: list[Unit],
    rows_dir: Path,
    *,
    master: str,
    ingest: IngestOptions,
    extract: ExtractOptions,
    partitions: int | None = None,
) -> SparkJob:
    """Start the job; its rows come from ``SparkJob.rows`` (see ``SparkJob``)."""
    spark = spark_session(master, extract=extract)
    try:
        spark.sparkContext.setLogLevel("ERROR")
        cores = _cores(master, spark)
        tasks = partitions or 4 * cores
        # A big JSONL file is read as byte ranges by several tasks (``split_units``):
        # with as many units as tasks, no stage reads a whole file alone and the
        # articles are never shuffled. The units travel in the tasks' closure, and
        # ``spark.range`` places them: consecutive numbers, evenly over the tasks, with
        # no shuffle (a repartition of a units DataFrame placed them at random, two on
        # one task and none on another, and cost a stage of its own).
        units = split_units(units, tasks)
        records = [u.as_dict() for u in units]
        numbers = spark.range(0, len(units), 1, numPartitions=max(1, min(len(units), tasks)))
        ingest_json, extract_json = ingest.model_dump_json(), extract.model_dump_json()
        budget = ingest.doc_timeout
        if len(units) >= tasks and master.startswith("local"):
            # One stage, and the driver shares the executor's file system: each task
            # writes its units' files, which the driver stores as they come.
            rows_dir.mkdir(parents=True, exist_ok=True)
            folder = str(rows_dir)
            written = numbers.mapInPandas(
                lambda frames: _unit_files_partition(
                    _unit_frames(frames, records), ingest_json, extract_json, budget, folder
                ),
                schema="unit bigint, rows bigint",
            )
            return SparkJob(spark, written.collect, rows_dir, len(units)).start()
        if len(units) >= tasks:
            # Enough inputs for every task: each reads its units and extracts their
            # articles in one stage, with no shuffle of the articles.
            extracted = numbers.mapInPandas(
                lambda frames: _read_extract_partition(
                    _unit_frames(frames, records), ingest_json, extract_json, budget
                ),
                schema=_SCHEMA,
            )
        else:
            # Fewer inputs than tasks (one big JSONL file, say): read them, then spread
            # the articles evenly over the tasks that extract.
            read = numbers.mapInPandas(
                lambda frames: _read_partition(_unit_frames(frames, records), ingest_json),
                schema=_SCHEMA,
            )
            extracted = read.repartition(tasks).mapInPandas(
                lambda frames: _extract_partition(frames, extract_json, budget), schema=_SCHEMA
            )
        write = extracted.write.mode("overwrite")
        return SparkJob(spark, lambda: write.parquet(str(rows_dir)), rows_dir, None).start()
    except BaseException:
        spark.stop()
        raise
