"""Peak memory of resolution over a database (``pipeline.resolve_into``) as the number
of stored mentions grows: the part of a whole ingest that used to hold the corpus.

    python benchmarks/resolve_memory.py [--sizes 10000,50000,100000] [--keep DIR]
    python benchmarks/resolve_memory.py --measure DB     # one run on a kept database
    python benchmarks/resolve_memory.py --store postgresql://...  # a schema per size

Each size's mentions are ``benchmarks/resolve.py``'s (events over three years and three
countries, 1 to 4 accounts each, some undated), stored as records of one article each
through the store API (a DuckDB file gets the same rows bulk-loaded), each article
published on its event's day plus its account's number (as feeds date them;
resolution reads in publication order); then
``resolve_into(rebuild=True)`` runs in a fresh process that has loaded the actors and
the gazetteer first, and the table gives the growth of its peak RSS over that baseline.
``--keep DIR`` keeps the databases, so that another version of khabar can be measured
on the same ones with ``--measure``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def _status(key: str) -> float:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith(key)) / 1024


def published(items: list) -> dict[str, dt.date]:
    """Each account's publication date, as a feed gives it: its event's day plus the
    account's number (follow-ups come later); an undated account takes its event's day
    from another account, or has none."""
    days: dict[str, dt.date] = {}
    for m in items:
        if m.date is not None:
            days.setdefault(m.id.rsplit("-", 1)[0], m.date.earliest)
    out = {}
    for m in items:
        event, account = m.id.rsplit("-", 1)
        if event in days:
            out[m.sources[0].article_id] = days[event] + dt.timedelta(days=int(account))
    return out


def build(path: Path | str, count: int) -> None:
    from khabar.records import Article
    from khabar.store import open_store
    from resolve import mentions

    items, _ = mentions(count)
    dates = published(items)
    if not str(path).startswith("postgresql"):
        return _bulk(path, items, dates)
    store = open_store(path)
    for start in range(0, len(items), 1000):
        chunk = items[start : start + 1000]
        store.add_articles(
            [
                Article(
                    id=m.sources[0].article_id,
                    text=f"article {m.id}",
                    published=dates.get(m.sources[0].article_id),
                )
                for m in chunk
            ]
        )
        store.replace_records_many(
            [(m.sources[0].article_id, [m]) for m in chunk], extractor="bench", model="none"
        )
    store.close()


def _bulk(path: Path | str, items: list, dates: dict[str, dt.date]) -> None:
    """The rows ``build``'s store calls would write, loaded into a DuckDB file by one
    ``INSERT … SELECT`` per table and 50,000 mentions (the store's API writes a few
    hundred a second once the tables are large: half an hour for 500,000)."""
    import duckdb
    import pyarrow as pa

    from khabar.records import Article
    from khabar.store import open_store
    from khabar.store._sql import _ARTICLE_COLUMNS, _article_values, _source_values

    open_store(path).close()  # the schema
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    columns = [c.strip() for c in _ARTICLE_COLUMNS.split(",")] + ["n_chars", "first_seen"]
    with duckdb.connect(str(path)) as con:
        for start in range(0, len(items), 50000):
            chunk = items[start : start + 50000]
            made = [
                Article(
                    id=m.sources[0].article_id,
                    text=f"article {m.id}",
                    published=dates.get(m.sources[0].article_id),
                )
                for m in chunk
            ]
            rows = [_article_values(article, now) for article in made]
            articles = pa.table({c: [r[i] for r in rows] for i, c in enumerate(columns)})
            located = [_source_values(article, now) for article in made]
            sources = pa.table({f"c{i}": [r[i] for r in located] for i in range(9)})
            records = pa.table(
                {
                    "id": [m.id for m in chunk],
                    "kind": ["incident"] * len(chunk),
                    "body": [m.model_dump_json() for m in chunk],
                    "updated_at": [now] * len(chunk),
                    "article_id": [m.sources[0].article_id for m in chunk],
                }
            )
            con.register("new_articles", articles)
            con.register("new_records", records)
            con.register("new_sources", sources)
            con.execute("INSERT INTO article_sources SELECT * FROM new_sources")
            con.execute(
                f"INSERT INTO articles ({', '.join(columns)}) "
                f"SELECT {', '.join(columns)} FROM new_articles"
            )
            con.execute(
                "INSERT INTO records (id, kind, body, updated_at, article_id) "
                "SELECT id, kind, body, updated_at, article_id FROM new_records"
            )
            con.execute(
                "INSERT INTO article_extractions SELECT article_id, 'bench', 'none', "
                "count(*), max(updated_at) FROM new_records GROUP BY article_id"
            )
            con.unregister("new_articles")
            con.unregister("new_records")
            con.unregister("new_sources")


def measure(path: Path | str) -> dict[str, float]:
    from khabar.extract.actors import load_actors
    from khabar.extract.gazetteer import load_gazetteer
    from khabar.pipeline import resolve_into
    from khabar.store import open_store

    load_actors()
    load_gazetteer()
    store = open_store(path)
    base = _status("VmRSS")
    started, cpu = time.perf_counter(), time.process_time()
    mentions, events = resolve_into(store, rebuild=True)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    store.close()
    return {
        "mentions": mentions,
        "events": events,
        "seconds": seconds,
        "cpu": cpu,
        "base_mb": base,
        "growth_mb": _status("VmHWM") - base,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,50000,100000")
    parser.add_argument("--keep", type=Path)
    parser.add_argument("--measure")
    parser.add_argument("--store", default="duckdb", help="duckdb, or a PostgreSQL server URL")
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure)))
        return
    if args.store != "duckdb":
        rows = []
        for size in (int(s) for s in args.sizes.split(",")):
            url = _schema(args.store, f"resolve_memory_{size}")
            build(url, size)
            output = subprocess.run(
                [sys.executable, __file__, "--measure", url],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            rows.append(json.loads(output.strip().splitlines()[-1]))
            print(f"{size:,} done", file=sys.stderr)
        _table(rows)
        return
    folder = args.keep or Path(tempfile.mkdtemp(prefix="khabar-resolve-memory-"))
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    try:
        for size in (int(s) for s in args.sizes.split(",")):
            db = folder / f"mentions-{size}.duckdb"
            if not db.exists():
                build(db, size)
            work = folder / f"work-{size}.duckdb"
            shutil.copy(db, work)
            output = subprocess.run(
                [sys.executable, __file__, "--measure", str(work)],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            work.unlink()
            rows.append(json.loads(output.strip().splitlines()[-1]))
            print(f"{size:,} done", file=sys.stderr)
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)
    _table(rows)


def _schema(server: str, name: str) -> str:
    """A fresh schema on a PostgreSQL server, as a khabar database URL."""
    import psycopg

    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA IF EXISTS {name} CASCADE")
        conn.execute(f"CREATE SCHEMA {name}")
    separator = "&" if "?" in server else "?"
    return f"{server}{separator}options=-csearch_path%3D{name}"


def _table(rows: list[dict[str, float]]) -> None:
    print(
        "| mentions | events | seconds | CPU s | baseline RSS | growth of the peak | per mention |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        print(
            f"| {row['mentions']:,} | {row['events']:,} | {row['seconds']:.0f} | "
            f"{row['cpu']:.0f} | "
            f"{row['base_mb']:.0f} MB | {row['growth_mb']:.0f} MB | "
            f"{row['growth_mb'] * 1024 / row['mentions']:.1f} KB |"
        )


if __name__ == "__main__":
    main()
