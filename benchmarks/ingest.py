"""Ingest throughput and peak memory on generated articles.

    python benchmarks/ingest.py [--articles 10000] [--keep DIR]

Generates N news-style articles (70 % .txt with front matter, 20 % saved .html pages,
10 % as lines of .jsonl files; ~1,700 characters each), then times three phases, each
in a fresh process so that its peak memory is its own:

- read:      files -> Articles (decode, trafilatura, boilerplate, split), no database
- ingest:    the same plus one DuckDB transaction per article (`khabar ingest`)
- re-ingest: the same files again into the same database (all already known)

Prints a table: phase, articles, seconds, articles/second, peak RSS.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PLACES = [
    ("PESHAWAR", "Khyber Pakhtunkhwa", "Bannu"),
    ("QUETTA", "Balochistan", "Turbat"),
    ("KARACHI", "Sindh", "Karachi"),
    ("KABUL", "Kabul", "Paghman"),
    ("JALALABAD", "Nangarhar", "Momand Dara"),
    ("DUSHANBE", "Khatlon", "Panj"),
    ("KUNDUZ", "Kunduz", "Imam Sahib"),
    ("GILGIT", "Gilgit-Baltistan", "Chilas"),
]
EVENTS = [
    "a roadside bomb struck a police vehicle",
    "gunmen opened fire on a checkpoint",
    "a suicide bomber rammed a car into a convoy",
    "armed men abducted two engineers",
    "a drone strike hit a compound",
    "militants attacked a security post",
]
FILLER = (
    "Officials said an investigation had been opened and that security had been raised "
    "across the district. Residents described hearing several explosions before dawn, and "
    "local traders closed their shops for the rest of the day. A spokesman for the "
    "provincial government said the attackers would be brought to justice and that "
    "compensation would be paid to the families of the victims. "
)


def make_text(rng: random.Random, n: int) -> tuple[str, str]:
    dateline, province, district = rng.choice(PLACES)
    event = rng.choice(EVENTS)
    killed, wounded = rng.randint(0, 40), rng.randint(0, 60)
    title = f"Attack in {district} leaves {killed} dead (report {n})"
    body = (
        f"{dateline}: On {rng.choice(['Monday', 'Tuesday', 'Friday'])}, {event} in "
        f"{district} district of {province}, killing {killed} people and wounding {wounded}, "
        f"officials said in report number {n}.\n\n"
    )
    while len(body) < 1700:
        body += FILLER + "\n\n"
    return title, body


def generate(folder: Path, count: int) -> None:
    rng = random.Random(20261122)
    jsonl_lines: list[str] = []
    for n in range(count):
        title, body = make_text(rng, n)
        day = f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        kind = n % 10
        if kind < 7:
            path = folder / "txt" / f"{n // 1000:02d}" / f"a{n:06d}.txt"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(
                f"---\ntitle: {title}\noutlet: Bench Wire\npublished: {day}\n---\n{body}"
            )
        elif kind < 9:
            paragraphs = "".join(f"<p>{p}</p>\n" for p in body.split("\n\n") if p)
            path = folder / "html" / f"{n // 1000:02d}" / f"a{n:06d}.html"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(
                f"<html><head><title>{title}</title>"
                f'<meta property="article:published_time" content="{day}"></head><body>'
                f"<nav><a href='/'>Home</a></nav><article><h1>{title}</h1>{paragraphs}"
                "</article><footer>Copyright Bench Wire</footer></body></html>"
            )
        else:
            jsonl_lines.append(
                json.dumps({"title": title, "published": day, "text": body}, ensure_ascii=False)
            )
    for start in range(0, len(jsonl_lines), 100):
        path = folder / "jsonl" / f"dump{start // 100:04d}.jsonl"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(jsonl_lines[start : start + 100]) + "\n")


def phase(name: str, corpus: Path, db: Path) -> dict[str, float]:
    """Run in a child process: one phase, its time and its peak memory."""
    from khabar.ingest import IngestOptions, run
    from khabar.pipeline import ingest_into
    from khabar.records import Article
    from khabar.store import open_store

    started = time.perf_counter()
    if name == "read":
        articles = sum(isinstance(item, Article) for item in run([str(corpus)]))
    else:
        store = open_store(db)
        summary = ingest_into(store, [str(corpus)], options=IngestOptions())
        store.close()
        articles = summary.articles
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"articles": articles, "seconds": seconds, "peak_mb": peak_mb}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--keep", type=Path, help="generate the corpus here and keep it")
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        print(json.dumps(phase(args.phase, args.corpus, args.db)))
        return

    with tempfile.TemporaryDirectory() as scratch:
        corpus = args.keep or Path(scratch) / "corpus"
        corpus.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        generate(corpus, args.articles)
        print(f"generated {args.articles} articles in {time.perf_counter() - started:.1f} s")
        db = Path(scratch) / "bench.duckdb"
        rows = []
        for name in ("read", "ingest", "re-ingest"):
            output = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--phase",
                    name,
                    "--corpus",
                    str(corpus),
                    "--db",
                    str(db),
                ],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            rows.append((name, json.loads(output.strip().splitlines()[-1])))
        print()
        print(
            f"| {'phase':<10} | {'articles':>8} | {'seconds':>8} | {'articles/s':>10} | "
            f"{'peak RSS':>9} |"
        )
        print(f"|{'-' * 12}|{'-' * 10}|{'-' * 10}|{'-' * 12}|{'-' * 11}|")
        for name, row in rows:
            rate = row["articles"] / row["seconds"] if row["seconds"] else 0.0
            print(
                f"| {name:<10} | {row['articles']:>8,} | {row['seconds']:>8.1f} | "
                f"{rate:>10.0f} | {row['peak_mb']:>6.0f} MB |"
            )


if __name__ == "__main__":
    main()
