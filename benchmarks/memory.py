"""Peak memory of a whole ingest (read, store, extract, resolve) as the corpus grows.

    python benchmarks/memory.py [--sizes 5000,20000,50000] [--model blank]

Generates the corpus of ``benchmarks/ingest.py`` at each size and runs ``ingest_into``
with extraction and resolution in a fresh process, so that each peak is its own. The
peak counts the process and its worker processes (the per-document budget runs reading
and extraction in a forked child). Memory that grows with the corpus shows as a
growing peak; the aim is a flat one.

Prints a table: articles, seconds, articles/second, peak RSS (process), peak RSS
(workers).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ingest import generate  # the same corpus as the ingest benchmark


def _own_peak_kb() -> int:
    """This process's peak RSS. ru_maxrss survives exec on Linux, so it would report
    the parent's peak at fork; VmHWM belongs to this process image alone."""
    try:
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM"))
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def run(corpus: Path, db: Path, model: str) -> dict[str, float]:
    """In a child process: one whole ingest, its time and its peaks."""
    from khabar.extract import ExtractOptions, Extractor
    from khabar.ingest import IngestOptions
    from khabar.pipeline import ingest_into
    from khabar.store import open_store

    extractor = Extractor(ExtractOptions(model=model))
    started = time.perf_counter()
    store = open_store(db)
    summary = ingest_into(store, [str(corpus)], options=IngestOptions(), extractor=extractor)
    store.close()
    return {
        "articles": summary.articles,
        "seconds": time.perf_counter() - started,
        "peak_mb": _own_peak_kb() / 1024,
        "workers_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="5000,20000,50000")
    parser.add_argument("--model", default="blank", help="spaCy model (blank is fastest)")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        corpus, db, model = args.child
        print(json.dumps(run(Path(corpus), Path(db), model)))
        return

    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as scratch:
            corpus = Path(scratch) / "corpus"
            corpus.mkdir()
            generate(corpus, size)
            output = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--child",
                    str(corpus),
                    f"{scratch}/m.duckdb",
                    args.model,
                ],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            rows.append(json.loads(output.strip().splitlines()[-1]))
            print(f"{size:,} articles done", file=sys.stderr)
    print(f"model: {args.model}")
    header = ("articles", "seconds", "articles/s", "peak RSS", "workers")
    print(
        "| " + " | ".join(f"{h:>{w}}" for h, w in zip(header, (8, 8, 10, 9, 9), strict=True)) + " |"
    )
    print(f"|{'-' * 10}|{'-' * 10}|{'-' * 12}|{'-' * 11}|{'-' * 11}|")
    for row in rows:
        rate = row["articles"] / row["seconds"] if row["seconds"] else 0.0
        print(
            f"| {row['articles']:>8,} | {row['seconds']:>8.0f} | {rate:>10.0f} | "
            f"{row['peak_mb']:>6.0f} MB | {row['workers_mb']:>6.0f} MB |"
        )


if __name__ == "__main__":
    main()
