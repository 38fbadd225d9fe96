"""RSS of every process of a whole ingest, sampled as the corpus goes by: what grows.

    python benchmarks/memory_trace.py [--articles 10000] [--every 1000] [--model auto]
                                      [--workers 1] [--store duckdb|postgresql://...]

A synthetic corpus (``khabar.batch.synth``) is read and stored (``ingest_into`` without
an extractor), then extracted (``extract_into``) and resolved (``resolve_into``) in a
fresh process, as ``khabar ingest`` does. Every ``--every`` articles of the extraction
it prints the RSS of the process that writes the store and of each extraction worker
(its children); then the RSS after resolution and the peaks. A flat trace is the aim:
a column that keeps rising with the articles holds something per article.

``--new-words N`` ends each article with a sentence of N words no other article has
(names, as real coverage keeps meeting new ones; the synthetic corpus alone draws its
words from the gazetteer and a few templates, so its vocabulary stops growing).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _status(pid: int | str, key: str) -> float:
    """A ``/proc/PID/status`` figure (VmRSS, VmHWM) in MB; 0 when the process is gone."""
    try:
        with open(f"/proc/{pid}/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith(key)) / 1024
    except (OSError, StopIteration):
        return 0.0


def _children() -> list[int]:
    """This process's children (the extraction workers), from every thread's list."""
    found: list[int] = []
    for task in os.listdir("/proc/self/task"):
        try:
            with open(f"/proc/self/task/{task}/children") as handle:
                found += [int(pid) for pid in handle.read().split()]
        except OSError:
            continue
    return sorted(set(found))


def child(corpus: str, db: str, model: str, workers: int, every: int) -> None:
    from khabar.extract import ExtractOptions, Extractor
    from khabar.ingest import IngestOptions
    from khabar.pipeline import extract_into, ingest_into, resolve_into
    from khabar.store import open_store

    extractor = Extractor(ExtractOptions(model=model))
    store = open_store(db)
    started = time.perf_counter()

    def row(stage: str, done: int | str) -> None:
        workers_mb = [round(_status(pid, "VmRSS")) for pid in _children()]
        print(
            json.dumps(
                {
                    "stage": stage,
                    "done": done,
                    "seconds": round(time.perf_counter() - started),
                    "parent_mb": round(_status("self", "VmRSS")),
                    "workers_mb": workers_mb,
                }
            ),
            flush=True,
        )

    row("loaded", 0)
    options = IngestOptions()
    ingest_into(store, [corpus], options=options)
    row("stored", "all")

    def on_article(done: int, total: int) -> None:
        if done % every == 0 or done == total:
            row("extracted", done)

    extract_into(
        store,
        extractor,
        on_article=on_article,
        doc_timeout=options.doc_timeout,
        workers=workers,
    )
    resolve_into(store)
    row("resolved", "all")
    store.close()
    print(json.dumps({"stage": "peak", "parent_mb": round(_status("self", "VmHWM"))}))


def _open_vocabulary(folder: Path, count: int, words: int) -> None:
    from khabar.batch.synth import articles

    folder.mkdir(parents=True)
    with open(folder / "part-00000.jsonl", "w", encoding="utf-8") as out:
        for n, article in enumerate(articles(count)):
            names = " ".join(f"Vel{n:x}q{k}an" for k in range(words))
            article["text"] += f"\n\nAlso named in the report: {names}."
            out.write(json.dumps(article) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10000)
    parser.add_argument("--every", type=int, default=1000)
    parser.add_argument("--model", default="auto")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--store", default="duckdb", help="duckdb (a temporary file) or a URL")
    parser.add_argument("--new-words", type=int, default=0, help="invented words per article")
    parser.add_argument("--child", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        corpus, db, model, workers, every = args.child
        child(corpus, db, model, int(workers), int(every))
        return

    from khabar.batch.synth import write_corpus

    with tempfile.TemporaryDirectory() as scratch:
        corpus = Path(scratch) / "corpus"
        if args.new_words:
            _open_vocabulary(corpus, args.articles, args.new_words)
        else:
            write_corpus(corpus, args.articles)
        db = str(Path(scratch) / "trace.duckdb") if args.store == "duckdb" else args.store
        command = [sys.executable, __file__, "--child", str(corpus), db, args.model]
        command += [str(args.workers), str(args.every)]
        print(f"# {args.articles} articles, model {args.model}, workers {args.workers}")
        print("| stage | articles | s | parent MB | workers MB |")
        print("|---|---:|---:|---:|---:|")
        with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as process:
            assert process.stdout is not None
            for line in process.stdout:
                item = json.loads(line)
                if item["stage"] == "peak":
                    print(f"| peak of the parent | | | {item['parent_mb']} | |")
                    continue
                workers = " / ".join(str(mb) for mb in item["workers_mb"]) or "-"
                print(
                    f"| {item['stage']} | {item['done']} | {item['seconds']} "
                    f"| {item['parent_mb']} | {workers} |",
                    flush=True,
                )
        if process.returncode:
            sys.exit(process.returncode)


if __name__ == "__main__":
    main()
