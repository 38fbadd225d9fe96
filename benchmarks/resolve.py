"""Resolution time and peak memory as the number of mentions grows.

    python benchmarks/resolve.py [--sizes 10000 50000 100000]

Generates incident mentions as extraction makes them: events spread over three years
and over places in three countries (one place per 50 mentions, so that density stays
that of real coverage), each told by 1 to 4 articles with their own tolls and some
undated background mentions; then resolves them (in memory, each size in a fresh
process) and prints mentions, events made and found, seconds, microseconds per mention
and peak RSS. Close-to-linear growth shows as a flat microseconds-per-mention column.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import resource
import subprocess
import sys
import time


def mentions(count: int):  # type: ignore[no-untyped-def]
    from khabar.records import Count, DateSpan, Incident, Location, SourceRef

    rng = random.Random(7)
    # As many places as a corpus of this size names (one per 50 mentions), so that the
    # density of events per place and week stays that of real coverage.
    per_country = max(20, count // 150)
    places = [
        Location(
            country=c,
            admin1=f"{c}-A{i % 30}",
            admin2=f"{c}-D{i}",
            place=f"{c}-P{i}",
            lat=25 + (i % 100) * 0.12 + (10 if c == "AF" else 0),
            lon=60 + (i // 100) * 0.12 + (10 if c == "TJ" else 0),
            precision="place",
        )
        for c in ("PK", "AF", "TJ")
        for i in range(per_country)
    ]
    kinds = ["bombing", "armed_assault", "kidnapping", "drone_strike", "clash"]
    start = dt.date(2023, 1, 1)
    made = []
    event = 0
    while len(made) < count:
        event += 1
        place = rng.choice(places)
        day = start + dt.timedelta(days=rng.randrange(3 * 365))
        kind = rng.choice(kinds)
        killed = rng.randint(1, 40)
        for account in range(rng.randint(1, 4)):
            undated = rng.random() < 0.1
            date = (
                None
                if undated
                else DateSpan(value=day.isoformat(), precision="day", earliest=day, latest=day)
            )
            made.append(
                Incident(
                    id=f"inc-{event}-{account}",
                    event_type=kind,
                    date=date,
                    location=place,
                    fatalities=Count(low=killed, best=killed + account, high=killed + account),
                    sources=(
                        SourceRef(
                            article_id=f"a{event}-{account}",
                            role="mention" if undated else "report",
                        ),
                    ),
                )
            )
    return made[:count], event


def measure(count: int) -> dict[str, float]:
    from khabar.resolve import run

    items, events_made = mentions(count)
    started = time.perf_counter()
    events, _ = run((item, None) for item in items)
    seconds = time.perf_counter() - started
    return {
        "mentions": count,
        "events_made": events_made,
        "events_found": len(events),
        "seconds": seconds,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 50_000, 100_000])
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one)))
        return
    print(
        f"| {'mentions':>8} | {'events made':>11} | {'events found':>12} | {'seconds':>7} | "
        f"{'µs/mention':>10} | {'peak RSS':>8} |"
    )
    print(f"|{'-' * 10}|{'-' * 13}|{'-' * 14}|{'-' * 9}|{'-' * 12}|{'-' * 10}|")
    for size in args.sizes:
        output = subprocess.run(
            [sys.executable, __file__, "--one", str(size)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        row = json.loads(output.strip().splitlines()[-1])
        print(
            f"| {row['mentions']:>8,} | {row['events_made']:>11,} | "
            f"{row['events_found']:>12,} | {row['seconds']:>7.1f} | "
            f"{row['seconds'] / size * 1e6:>10.0f} | {row['peak_mb']:>5.0f} MB |"
        )


if __name__ == "__main__":
    main()
