"""Throughput and peak memory of whole runs as the corpus grows, and incident-query
latency on a million incidents.

    python benchmarks/scale.py [--sizes 1000,10000,100000] [--runs local1,local2,spark]
                               [--model auto] [--store duckdb|postgresql://...]
                               [--queries 1000000] [--skip-queries] [--keep DIR]

For each size a synthetic corpus (``khabar.batch.synth``: JSONL files of 5,000) is
written once (under ``--keep DIR``/SIZE, kept; else in a temporary folder, kept only
when a run fails, and the folder named on stderr); each run is a fresh process, so
every peak is its own:

- ``local1`` / ``local2``: ``pipeline.ingest_into`` (read, store, extract, resolve)
  with 1 and 2 workers;
- ``spark``: ``khabar batch --engine spark --master local[2]`` (the whole command:
  session start, the job, loading the rows into the store, resolution).

``--store`` chooses the database: a DuckDB file per run (default) or a PostgreSQL URL
(each run gets a schema of its own via the store's URL; that needs the PostgreSQL store,
which the run reports as missing otherwise).

Reported per run: wall seconds, articles/s, CPU seconds (user + system of the process
and its children, so a figure that a busy shared machine does not distort as much as
wall time) with the parent's share in brackets (the parent writes the store: with
several workers its CPU bounds the speed-up), articles per CPU second, and peak RSS
of the parent and of its largest child. Spark's JVM and Python workers are not
children that the driver waits for, so Spark's CPU time is the driver's plus what
``/proc`` shows for its process tree, sampled every 0.5 s (marked *), split into the
JVM's and the Python workers' (the daemon, its workers and their budgeted children).

The query part bulk-inserts ``--queries`` synthetic incidents into the store's events
table (a DuckDB file, or a schema of the ``--store`` server; SQL from a template
Incident, as the store's API would take minutes) and times, through the store API,
p50/p95 of: ``find_events`` by a full id (``khabar show``), by a 7-character prefix,
and the first 50 of ``iter_events`` (a list page).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

SYNTH_PER_FILE = 5000


def _own_peak_mb() -> float:
    try:
        with open("/proc/self/status") as status:
            kb = next(int(line.split()[1]) for line in status if line.startswith("VmHWM"))
    except (OSError, StopIteration):
        kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kb / 1024


def _cpu_seconds() -> float:
    me = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime


def _tree_cpu(root: int) -> dict[int, float]:
    """CPU seconds (user + system) of every live descendant of ``root``, by pid."""
    ticks = os.sysconf("SC_CLK_TCK")
    parents: dict[int, int] = {}
    cpu: dict[int, float] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry)] = int(fields[1])
        cpu[int(entry)] = (int(fields[11]) + int(fields[12])) / ticks
    tree, frontier = set(), {root}
    while frontier:
        tree |= frontier
        frontier = {pid for pid, parent in parents.items() if parent in frontier} - tree
    return {pid: cpu[pid] for pid in tree - {root} if pid in cpu}


def _pss_kb(pid: int) -> int:
    """A process's proportional set size: pages shared with others (the model, which
    Spark's Python workers share with their daemon) count once in a sum, not N times."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            return next(int(line.split()[1]) for line in rollup if line.startswith("Pss:"))
    except (OSError, StopIteration):
        return 0


def _is_java(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            return handle.read().split(b"\0")[0].endswith(b"java")
    except OSError:
        return False


def child_local(corpus: str, db: str, model: str, workers: int) -> dict[str, float]:
    from khabar.extract import ExtractOptions, Extractor
    from khabar.ingest import IngestOptions
    from khabar.pipeline import ingest_into
    from khabar.store import open_store

    # The clock starts before the model loads, as Spark's does (its run counts the
    # session, the daemon's model load and the driver's imports).
    started, cpu = time.perf_counter(), _cpu_seconds()
    own = resource.getrusage(resource.RUSAGE_SELF)
    extractor = Extractor(ExtractOptions(model=model))
    store = open_store(db)
    summary = ingest_into(
        store, [corpus], options=IngestOptions(), extractor=extractor, workers=workers
    )
    store.close()
    after = resource.getrusage(resource.RUSAGE_SELF)
    parent = after.ru_utime + after.ru_stime - own.ru_utime - own.ru_stime
    return {
        "articles": summary.articles,
        "seconds": time.perf_counter() - started,
        "cpu": _cpu_seconds() - cpu,
        "cpu_parent": parent,
        "cpu_note": "",
        "peak_mb": _own_peak_mb(),
        "workers_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }


def child_spark(corpus: str, db: str, model: str) -> dict[str, float]:
    from khabar.batch import _spark
    from khabar.batch._driver import BatchOptions, run_batch
    from khabar.extract import ExtractOptions
    from khabar.ingest import IngestOptions

    seen: dict[int, float] = {}
    java: set[int] = set()
    peak_children = [0.0]
    peak_pss = [0.0]
    stop = threading.Event()

    sampler_cpu = [0.0]

    def sample() -> None:  # the JVM and its Python workers: CPU and RSS, every 0.5 s
        ticks = 0
        while not stop.is_set():
            ticks += 1
            seen.update(_tree_cpu(os.getpid()))
            rss = 0.0
            for pid in list(seen):
                if pid not in java and _is_java(pid):
                    java.add(pid)
                try:
                    with open(f"/proc/{pid}/status") as status:
                        rss += next(
                            int(line.split()[1]) for line in status if line.startswith("VmRSS")
                        )
                except (OSError, StopIteration):
                    continue
            peak_children[0] = max(peak_children[0], rss / 1024)
            if ticks % 4 == 1:  # smaps_rollup walks every page table: every 2 s
                peak_pss[0] = max(peak_pss[0], sum(_pss_kb(pid) for pid in list(seen)) / 1024)
            sampler_cpu[0] = time.thread_time()
            stop.wait(0.5)

    # Where the wall time goes: the Spark job (session start to its end) and what the
    # driver does after it (the last unit's rows into the store, resolution, the run's
    # record); the driver stores the other units while the job runs.
    jobs: list[_spark.SparkJob] = []
    start_job = _spark.start_job

    def started(*args, **kwargs):  # type: ignore[no-untyped-def]
        job = start_job(*args, **kwargs)
        jobs.append(job)
        return job

    _spark.start_job = started
    sampler = threading.Thread(target=sample, daemon=True)
    started_at, cpu = time.perf_counter(), _cpu_seconds()
    sampler.start()
    summary = run_batch(
        [corpus],
        db,
        options=BatchOptions(engine="spark", master="local[2]"),
        ingest=IngestOptions(),
        extract=ExtractOptions(model=model),
    )
    ended = time.perf_counter()
    job_ended = jobs[0].ended_at if jobs and jobs[0].ended_at else ended
    stop.set()
    sampler.join()
    own = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "articles": summary.articles,
        "seconds": ended - started_at,
        # The sampler's own CPU (reading /proc) is the measurement's, not khabar's.
        "cpu": own.ru_utime + own.ru_stime - cpu - sampler_cpu[0] + sum(seen.values()),
        "cpu_note": "sampled",
        "cpu_jvm": sum(cpu for pid, cpu in seen.items() if pid in java),
        "cpu_python": sum(cpu for pid, cpu in seen.items() if pid not in java),
        "peak_mb": _own_peak_mb(),
        "workers_mb": peak_children[0],
        "workers_pss_mb": peak_pss[0],
        "job_s": job_ended - started_at,
        "load_s": ended - job_ended,
    }


def _scratch(keep: Path | None, size: int) -> str:
    """A folder for one size's corpus and databases: under ``keep`` (kept), else a
    temporary one (removed unless a run fails)."""
    if keep is None:
        return tempfile.mkdtemp(prefix=f"khabar-scale-{size}-")
    folder = keep / str(size)
    folder.mkdir(parents=True, exist_ok=True)
    return str(folder)


def _database(store: str, scratch: str, name: str) -> str:
    if store == "duckdb":
        return f"{scratch}/{name}.duckdb"
    return _schema(store, name)


def _schema(server: str, name: str) -> str:
    """A fresh schema on the PostgreSQL server (dropped first if a run left one), as
    the URL of a khabar database of its own."""
    import psycopg

    schema = "bench_" + "".join(c if c.isalnum() else "_" for c in name)
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        conn.execute(f"CREATE SCHEMA {schema}")
    separator = "&" if "?" in server else "?"
    return f"{server}{separator}options=-csearch_path%3D{schema}"


def _run_child(args: list[str]) -> dict[str, float] | str:
    done = subprocess.run(
        [sys.executable, __file__, "--child", *args], capture_output=True, text=True
    )
    if done.returncode != 0:
        return (done.stderr.strip().splitlines() or ["failed"])[-1][:200]
    return json.loads(done.stdout.strip().splitlines()[-1])


def queries(count: int, *, store: str = "duckdb", samples: int = 200) -> dict:
    """p50 and p95 (ms) of incident queries through the store API on ``count``
    synthetic incidents in a DuckDB store (or a schema of the PostgreSQL server)."""
    import random

    from khabar.records import DateSpan, Incident, Location, SourceRef
    from khabar.store import open_store

    template = Incident(
        id="evt-TEMPLATE",
        event_type="bombing",
        date=DateSpan(value="2025-03-04", precision="day"),
        location=Location(place="PLACE", admin1="Balochistan", country="PK", precision="place"),
        sources=(SourceRef(article_id="ARTICLE"),),
    ).model_dump_json()
    quoted = template.replace("'", "''")
    with tempfile.TemporaryDirectory() as scratch:
        if store == "duckdb":
            import duckdb

            path = f"{scratch}/q.duckdb"
            open_store(path).close()  # the schema
            con = duckdb.connect(path)
            con.execute(
                "INSERT INTO events SELECT id, replace(replace(replace(body_t, 'evt-TEMPLATE', "
                "id), 'PLACE', 'place-' || (n % 5000)::VARCHAR), 'ARTICLE', "
                "md5(n::VARCHAR)[:16]), now()::TIMESTAMP FROM (SELECT n, 'evt-' || "
                f"md5(n::VARCHAR)[:16] AS id, '{quoted}' AS body_t FROM range({count}) t(n))"
            )
            ids = [r[0] for r in con.execute("SELECT id FROM events USING SAMPLE 500").fetchall()]
            con.close()
        else:
            import psycopg

            path = _schema(store, "queries")
            open_store(path).close()
            with psycopg.connect(path, autocommit=True) as con:
                con.execute(
                    "INSERT INTO events SELECT id, replace(replace(replace(body_t, "
                    "'evt-TEMPLATE', id), 'PLACE', 'place-' || (n % 5000)::text), 'ARTICLE', "
                    "left(md5(n::text), 16)), now()::timestamp FROM (SELECT n, 'evt-' || "
                    f"left(md5(n::text), 16) AS id, '{quoted}' AS body_t "
                    f"FROM generate_series(0, {count - 1}) t(n)) s"
                )
                con.execute("ANALYZE events")
                ids = [
                    r[0]
                    for r in con.execute(
                        "SELECT id FROM events TABLESAMPLE SYSTEM (1) LIMIT 500"
                    ).fetchall()
                ]
        db = open_store(path)
        rng = random.Random(1)
        timings: dict[str, list[float]] = {"find by id": [], "find by prefix": [], "page": []}
        for _ in range(samples):
            event = rng.choice(ids)
            for name, call in (
                ("find by id", lambda e=event: db.find_events(e)),
                ("find by prefix", lambda e=event: db.find_events(e[:7])),
                ("page", lambda: [x for _, x in zip(range(50), db.iter_events(), strict=False)]),
            ):
                if name == "page" and len(timings["page"]) >= 20:
                    continue
                started = time.perf_counter()
                call()
                timings[name].append((time.perf_counter() - started) * 1000)
        db.close()

    def pct(values: list[float], q: float) -> float:
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    return {name: (pct(v, 0.5), pct(v, 0.95)) for name, v in timings.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--runs", default="local1,local2,spark")
    parser.add_argument("--model", default="auto", help="spaCy model (auto: the installed one)")
    parser.add_argument("--store", default="duckdb", help="duckdb, or a PostgreSQL URL")
    parser.add_argument("--queries", type=int, default=1_000_000)
    parser.add_argument("--skip-queries", action="store_true")
    parser.add_argument(
        "--keep", type=Path, help="keep each size's corpus and databases under this folder"
    )
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, corpus, db, model, *rest = args.child
        if kind == "spark":
            print(json.dumps(child_spark(corpus, db, model)))
        else:
            print(json.dumps(child_local(corpus, db, model, int(rest[0]))))
        return

    from khabar.batch.synth import write_corpus

    rows: list[tuple[int, str, dict[str, float] | str]] = []
    for size in (int(s) for s in args.sizes.split(",")):
        scratch = _scratch(args.keep, size)
        corpus = Path(scratch) / "corpus"
        write_corpus(corpus, size, per_file=SYNTH_PER_FILE)
        failed = False
        for run in args.runs.split(","):
            db = _database(args.store, scratch, run)
            if run == "spark":
                result = _run_child(["spark", str(corpus), db, args.model])
            else:
                workers = run.removeprefix("local")
                result = _run_child(["local", str(corpus), db, args.model, workers])
            rows.append((size, run, result))
            failed = failed or isinstance(result, str)
            print(f"{size:,} {run}: {result}", file=sys.stderr)
        if args.keep or failed:  # a failed run's database is the evidence: kept
            print(f"{size:,}: the corpus and databases are kept in {scratch}", file=sys.stderr)
        else:
            shutil.rmtree(scratch)
    print(f"model: {args.model}, store: {args.store.split('://')[0]}, cores: {os.cpu_count()}")
    print(
        "| articles | run | seconds | articles/s | vs one worker | CPU s (parent) "
        "| articles/CPU s | peak RSS | workers |"
    )
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|")
    one = {size: r for size, run, r in rows if run == "local1" and isinstance(r, dict)}
    for size, run, r in rows:
        if isinstance(r, str):
            print(f"| {size:,} | {run} | failed: {r} | | | | | | |")
            continue
        note = "*" if r["cpu_note"] else ""
        rate = r["articles"] / r["seconds"]
        base = one.get(size)
        ratio = (
            "—"
            if run == "local1" or base is None
            else f"{rate / (base['articles'] / base['seconds']):.2f}×"
        )
        print(
            f"| {size:,} | {run} | {r['seconds']:.0f} | {rate:.1f} | {ratio} | "
            f"{r['cpu']:.0f}{note} ({r.get('cpu_parent', 0):.0f}) | "
            f"{r['articles'] / max(r['cpu'], 1e-9):.1f} | "
            f"{r['peak_mb']:.0f} MB | {r['workers_mb']:.0f} MB |"
        )
    spark = [(size, r) for size, run, r in rows if run == "spark" and isinstance(r, dict)]
    if spark:
        print("\nSpark's CPU seconds: the driver (this process), the JVM, the Python workers")
        print("and the peak PSS of the JVM and the workers together (shared pages once)")
        print("(and the wall seconds of the job, and of the driver's work after it: the units")
        print("not stored yet, resolution; with a local master it stores the others meanwhile)")
        print(
            "| articles | driver | JVM | Python workers | ms per article in all | PSS "
            "| job s | after s |"
        )
        print("|---:|---:|---:|---:|---:|---:|---:|---:|")
        for size, r in spark:
            driver = r["cpu"] - r["cpu_jvm"] - r["cpu_python"]
            print(
                f"| {size:,} | {driver:.0f} | {r['cpu_jvm']:.0f} | {r['cpu_python']:.0f} | "
                f"{1000 * r['cpu'] / max(r['articles'], 1):.0f} | "
                f"{r['workers_pss_mb']:,.0f} MB | {r.get('job_s', 0):.0f} | "
                f"{r.get('load_s', 0):.0f} |"
            )
    if not args.skip_queries:
        kind = "DuckDB" if args.store == "duckdb" else "PostgreSQL"
        print(f"\nincident queries on {args.queries:,} incidents ({kind}), ms:")
        print("| query | p50 | p95 |\n|---|---:|---:|")
        for name, (p50, p95) in queries(args.queries, store=args.store).items():
            print(f"| {name} | {p50:.1f} | {p95:.1f} |")


if __name__ == "__main__":
    main()
