"""Latency of the API over a database of many incidents.

    python benchmarks/serve.py [--incidents 10000] [--statements 5000] [--requests 200]

Builds a DuckDB database of synthetic resolved incidents (three countries, three years,
tolls, claimants, victims of several nationalities, evidence quotes) and statements,
starts ``khabar serve``'s app under uvicorn on a free local port in another process, and
times requests from this one, one at a time (the list endpoint with typical filters, the
map's points, the timeline's aggregates). Prints p50/p95/max per request kind and the
first request, which fills the app's cache. Nothing is asserted: this is a table to
compare before and after a change, on the same machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx


def build(path: Path, incidents: int, statements: int) -> None:
    from khabar.records import (
        ActorRef,
        Count,
        DateSpan,
        Evidence,
        Incident,
        Location,
        Perpetrator,
        SourceRef,
        SpeakerRef,
        Statement,
        VictimGroup,
    )
    from khabar.store import open_store

    rng = random.Random(11)
    kinds = ["bombing", "armed_assault", "kidnapping", "drone_strike", "clash"]
    claimants = [None, None, "TTP", "BLA", "ISKP", "Jamaat-ul-Ahrar"]
    nationalities = ["PK", "PK", "AF", "CN", "TJ"]
    start = dt.date(2023, 1, 1)
    events = []
    for n in range(incidents):
        country = rng.choice(["PK", "PK", "AF", "TJ"])
        day = start + dt.timedelta(days=rng.randrange(3 * 365))
        killed = rng.randint(0, 40)
        article = f"{n:016x}"
        quote = f"Militants killed {killed} people in an attack near post {n} on {day}."
        events.append(
            Incident(
                id=f"evt-{n:016x}",
                event_type=rng.choice(kinds),  # type: ignore[arg-type]
                suicide=rng.random() < 0.2,
                date=DateSpan(value=day.isoformat(), precision="day", earliest=day, latest=day),
                location=Location(
                    country=country,
                    admin1=f"{country}-province-{n % 12}",
                    admin2=f"{country}-district-{n % 90}",
                    place=f"Place {n % 700}",
                    lat=29 + rng.random() * 8,
                    lon=62 + rng.random() * 10,
                    precision="place",
                ),
                fatalities=Count(low=max(0, killed - 2), best=killed, high=killed + 3),
                injured=Count(low=killed, best=killed * 2, high=killed * 2),
                victims=(VictimGroup(nationality=rng.choice(nationalities), count=killed),),
                perpetrator=Perpetrator(claimed_by=rng.choice(claimants)),
                target=rng.choice(["a police post", "a convoy", "a market", "a school"]),
                sources=(SourceRef(article_id=article, role="report"),),
                evidence=(
                    Evidence(
                        field="fatalities", article_id=article, start=0, end=len(quote), quote=quote
                    ),
                ),
            )
        )
    store = open_store(path)
    try:
        store.save_resolution(events, [])
        states = ["Pakistan", "Afghanistan", "China", "Tajikistan"]
        for n in range(statements):
            source, target = rng.sample(states, 2)
            day = start + dt.timedelta(days=rng.randrange(3 * 365))
            quote = f"{source} accused {target} of sheltering militants ({n})."
            store.put_record(
                Statement(
                    id=f"st-{n:016x}",
                    type=rng.choice(["ACCUSE", "REJECT", "REQUEST"]),  # type: ignore[arg-type]
                    source=SpeakerRef(name=source),
                    target=ActorRef(name=target),
                    date=DateSpan(value=day.isoformat(), precision="day", earliest=day, latest=day),
                    evidence=(
                        Evidence(
                            field="statement",
                            article_id=f"s{n:015x}",
                            start=0,
                            end=len(quote),
                            quote=quote,
                        ),
                    ),
                )
            )
    finally:
        store.close()


SERVER = """
import sys, uvicorn
from khabar.serve import create_app
from khabar.settings import Settings
uvicorn.run(create_app(Settings(db=sys.argv[1])), host="127.0.0.1", port=int(sys.argv[2]),
            log_level="warning")
"""

CASES = [
    ("list, first page", "/api/incidents", {}),
    ("list, country=PK", "/api/incidents", {"country": "PK"}),
    (
        "list, PK + bombing + killed>=10",
        "/api/incidents",
        {"country": "PK", "event_type": "bombing", "min_fatalities": 10},
    ),
    (
        "list, actor=TTP, 2024",
        "/api/incidents",
        {"actor": "TTP", "since": "2024-01-01", "until": "2024-12-31"},
    ),
    ("list, text search", "/api/incidents", {"q": "convoy"}),
    (
        "list, sort=-fatalities, offset 5000",
        "/api/incidents",
        {"sort": "-fatalities", "offset": 5000},
    ),
    ("map points, country=AF", "/api/incidents/points", {"country": "AF"}),
    ("aggregates, month by country", "/api/aggregates", {"interval": "month", "by": "country"}),
    ("statements, type=ACCUSE", "/api/statements", {"type": "ACCUSE"}),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=10_000)
    parser.add_argument("--statements", type=int, default=5_000)
    parser.add_argument("--requests", type=int, default=200, help="per request kind")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "bench.duckdb"
        began = time.perf_counter()
        build(db, args.incidents, args.statements)
        print(
            f"built {args.incidents:,} incidents and {args.statements:,} statements in "
            f"{time.perf_counter() - began:.1f} s"
        )
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        server = subprocess.Popen([sys.executable, "-c", SERVER, str(db), str(port)])
        try:
            base = f"http://127.0.0.1:{port}"
            with httpx.Client(base_url=base, timeout=60) as client:
                _wait(client)
                began = time.perf_counter()
                client.get("/api/incidents").raise_for_status()
                cold = 1000 * (time.perf_counter() - began)
                print(f"first request (fills the cache): {cold:.0f} ms")
                print()
                print("| request | n | p50 ms | p95 ms | max ms | items |")
                print("|---|---|---|---|---|---|")
                for name, path, params in CASES:
                    times = []
                    for _ in range(args.requests):
                        began = time.perf_counter()
                        response = client.get(path, params=params)
                        times.append(1000 * (time.perf_counter() - began))
                        response.raise_for_status()
                    body = response.json()
                    items = body.get("total", len(body.get("features", body.get("series", []))))
                    times.sort()
                    p95 = times[max(0, int(0.95 * len(times)) - 1)]
                    print(
                        f"| {name} | {len(times)} | {statistics.median(times):.1f} | "
                        f"{p95:.1f} | {times[-1]:.1f} | {items:,} |"
                    )
        finally:
            server.terminate()
            server.wait(timeout=10)


def _wait(client: httpx.Client) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if client.get("/openapi.json").status_code == 200:  # leaves the cache cold
                return
        except httpx.TransportError:
            time.sleep(0.2)
    raise SystemExit("the server did not start")


if __name__ == "__main__":
    main()
