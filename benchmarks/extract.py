"""Extraction throughput and peak memory, against the spaCy model it runs.

    python benchmarks/extract.py [--docs 300]

Texts: the demo corpus articles (demo/corpus, ingested in memory), repeated to --docs.
For each pipeline (the installed statistical model, and spaCy's blank English) and each
process count (1, 2), in a fresh process each so that peak memory is its own:

- spacy:  ``nlp.pipe`` over the texts, all components khabar loads
- khabar: the whole extraction (model + phrase matchers + rules -> Incident records)

Prints docs/second (wall clock), peak RSS and the ratio khabar/spacy of wall time, and
the ratio of CPU time (``time.process_time`` summed over the working processes), which a
machine shared with other work disturbs less. The target is at most 1.25, i.e. khabar's
own work costs at most a quarter of the model's.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def load_articles(count: int):  # type: ignore[no-untyped-def]
    from khabar.ingest import IngestOptions, run
    from khabar.records import Article

    articles = [
        item
        for item in run(
            [str(REPO / "demo" / "corpus")], options=IngestOptions(follow_feed_links=False)
        )
        if isinstance(item, Article)
    ]
    return [articles[i % len(articles)] for i in range(count)]


def _work(args: tuple[str, str, list]) -> tuple[int, float]:  # type: ignore[type-arg]
    """(documents done, CPU seconds this process spent on them)."""
    what, model, articles = args
    from khabar.extract import ExtractOptions, Extractor

    extractor = Extractor(ExtractOptions(model=model))
    started = time.process_time()
    if what == "spacy":
        done = sum(1 for _ in extractor.nlp.pipe([a.text for a in articles], batch_size=16))
    else:
        done = sum(1 for _ in extractor.pipe(articles))
    return done, time.process_time() - started


def run_case(what: str, model: str, processes: int, docs: int) -> dict[str, float]:
    articles = load_articles(docs)
    if processes == 1:
        _work((what, model, articles[:4]))  # load and warm up outside the timing
        started = time.perf_counter()
        done, cpu = _work((what, model, articles))
        seconds = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    else:
        chunks = [articles[i::processes] for i in range(processes)]
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            pool.map(_work, [(what, model, chunk[:2]) for chunk in chunks])  # warm up
            started = time.perf_counter()
            results = pool.map(_work, [(what, model, chunk) for chunk in chunks])
            seconds = time.perf_counter() - started
        done = sum(count for count, _ in results)
        cpu = sum(spent for _, spent in results)
        peak = (
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            + resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        ) / 1024
    return {"docs": done, "seconds": seconds, "cpu": cpu, "peak_mb": peak}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=300)
    parser.add_argument("--case", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.case:
        what, model, processes = args.case.split(":")
        print(json.dumps(run_case(what, model, int(processes), args.docs)))
        return

    from khabar.extract.nlp import load_nlp

    _, info = load_nlp("auto")
    models = ["auto", "blank"] if info.statistical else ["blank"]
    chars = sum(len(a.text) for a in load_articles(args.docs)) / args.docs
    print(
        f"{args.docs} documents of {chars:,.0f} characters on average; model: {info.name} "
        f"{info.version}\n"
    )
    print(
        f"| {'pipeline':<22} | {'procs':>5} | {'spacy docs/s':>12} | {'khabar docs/s':>13} | "
        f"{'ratio':>5} | {'spacy CPU s':>11} | {'khabar CPU s':>12} | {'CPU ratio':>9} | "
        f"{'spacy RSS':>9} | {'khabar RSS':>10} |"
    )
    print(
        f"|{'-' * 24}|{'-' * 7}|{'-' * 14}|{'-' * 15}|{'-' * 7}|{'-' * 13}|{'-' * 14}|"
        f"{'-' * 11}|{'-' * 11}|{'-' * 12}|"
    )
    for model in models:
        name = f"{info.name}" if model == "auto" else "blank_en + sentencizer"
        for processes in (1, 2):
            results = {}
            for what in ("spacy", "khabar"):
                output = subprocess.run(
                    [
                        sys.executable,
                        __file__,
                        "--docs",
                        str(args.docs),
                        "--case",
                        f"{what}:{model}:{processes}",
                    ],
                    check=True,
                    capture_output=True,
                    text=True,
                ).stdout
                results[what] = json.loads(output.strip().splitlines()[-1])
            spacy_rate = results["spacy"]["docs"] / results["spacy"]["seconds"]
            khabar_rate = results["khabar"]["docs"] / results["khabar"]["seconds"]
            spacy_cpu, khabar_cpu = results["spacy"]["cpu"], results["khabar"]["cpu"]
            print(
                f"| {name:<22} | {processes:>5} | {spacy_rate:>12.1f} | {khabar_rate:>13.1f} | "
                f"{spacy_rate / khabar_rate:>5.2f} | {spacy_cpu:>11.2f} | {khabar_cpu:>12.2f} | "
                f"{khabar_cpu / spacy_cpu:>9.2f} | {results['spacy']['peak_mb']:>6.0f} MB | "
                f"{results['khabar']['peak_mb']:>7.0f} MB |"
            )


if __name__ == "__main__":
    main()
