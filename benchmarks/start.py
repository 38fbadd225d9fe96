"""How long the CLI takes to start and answer, as whole processes.

    python benchmarks/start.py [--runs 11] [--db PATH]

Times the commands an analyst types all day (``--help``, ``incidents``, ``articles``,
``statements``, ``show``) on a small database: each is a fresh ``khabar`` process, as
in a shell, and its wall time, user + system CPU and peak RSS come from ``os.wait4``
(what ``/usr/bin/time`` reports). Without ``--db`` the demo corpus is ingested with the
blank pipeline into a temporary database first. For scale, it also times the floor that
khabar's own code cannot go under: a bare interpreter, and the imports of typer, rich,
pydantic and DuckDB with one DuckDB connection, which a reading command needs whatever
khabar does. Prints min and median per command; nothing is asserted (the suite pins
the imports instead, in ``tests/test_cli_start.py``). Run it on a quiet machine: on a
loaded one the wall times measure the neighbours.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FLOOR = (
    "import typer, rich.console, rich.table, rich.markup, duckdb\n"
    "from pydantic import TypeAdapter\n"
    "TypeAdapter(int)\n"
    "duckdb.connect({db!r}, read_only=True).close()\n"
)


def khabar_command() -> list[str]:
    """The installed ``khabar`` script beside this interpreter, as a user runs it."""
    script = Path(sys.executable).with_name("khabar")
    if script.exists():
        return [str(script)]
    found = shutil.which("khabar")
    if found is None:
        raise SystemExit("no khabar script on PATH: run `make install` first")
    return [found]


def timed(argv: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user + system) and peak RSS in MB of one process.
    Its stderr goes to a file, not a pipe: a pipe nobody reads while ``wait4`` waits
    would stall a process that writes more than the pipe holds."""
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        process = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=errors)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        code = os.waitstatus_to_exitcode(status)
        if code != 0:
            errors.seek(0)
            reason = errors.read().decode(errors="replace").strip()
            raise SystemExit(f"{' '.join(argv)} failed ({code}): {reason}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def demo_database(folder: Path, env: dict[str, str]) -> Path:
    db = folder / "start.duckdb"
    subprocess.run(
        [*khabar_command(), "ingest", str(REPO / "demo" / "corpus"), "--model", "blank"],
        env={**env, "KHABAR_DB": str(db)},
        check=True,
        capture_output=True,
    )
    return db


def first_incident(db: Path, env: dict[str, str]) -> str:
    listing = subprocess.run(
        [*khabar_command(), "incidents", "--format", "jsonl", "--db", str(db)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    lines = [line for line in listing.splitlines() if line.strip()]
    if not lines:
        raise SystemExit(f"{db} holds no incident to show")
    return json.loads(lines[0])["id"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=11, help="processes per command")
    parser.add_argument("--db", type=Path, help="a database to read (default: the demo's)")
    args = parser.parse_args()
    env = {**os.environ, "COLUMNS": "100"}
    with tempfile.TemporaryDirectory(prefix="khabar-start-") as scratch:
        db = args.db or demo_database(Path(scratch), env)
        env["KHABAR_DB"] = str(db)
        khabar = khabar_command()
        cases = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "floor: typer+rich+pydantic+duckdb": [sys.executable, "-c", FLOOR.format(db=str(db))],
            "khabar --help": [*khabar, "--help"],
            "khabar incidents": [*khabar, "incidents"],
            "khabar articles": [*khabar, "articles"],
            "khabar statements": [*khabar, "statements"],
            "khabar show evt-…": [*khabar, "show", first_incident(db, env)],
        }
        print(f"load average at the start: {os.getloadavg()[0]:.2f}; {args.runs} runs each\n")
        print("| command | wall min s | wall median s | CPU median s | peak RSS MB |")
        print("|---|---:|---:|---:|---:|")
        for name, argv in cases.items():
            timed(argv, env)  # one unmeasured run: the page cache, not the code
            runs = [timed(argv, env) for _ in range(args.runs)]
            walls, cpus, rss = zip(*runs, strict=True)
            print(
                f"| {name} | {min(walls):.2f} | {statistics.median(walls):.2f} | "
                f"{statistics.median(cpus):.2f} | {max(rss):.0f} |"
            )
        print(f"\nload average at the end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
