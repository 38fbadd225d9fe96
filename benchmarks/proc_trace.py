"""RSS and CPU of a whole command and its worker processes, sampled from ``/proc`` by
phase: what each process holds while khabar stores, extracts, resolves and saves.

    python benchmarks/proc_trace.py [--every 1] [--jsonl FILE] -- COMMAND...

e.g. ``-- /usr/bin/time -v khabar ingest CORPUS --workers 2 --model blank``. The main
process is the first Python process of the command's tree (under ``/usr/bin/time``, its
child); the workers are its descendants. The phase is read from outside:

- ``pool N``: the Nth generation of worker processes (``khabar ingest`` reads and
  stores with one pool, then extracts with another: new pids);
- ``resolve``: the main process has resolution's temporary files open
  (``khabar-mentions-``: the sorted copy of the mentions, read by both passes;
  ``khabar-resolve-``: the resolver's window), which stay open through the second pass
  and the save, as the save consumes the second pass's events as they close;
- ``other``: loading, between pools, the end.

Prints one row a phase (seconds, the main process's peak RSS and CPU seconds at its
end, the largest worker's peak RSS) and the load average before and after; ``--jsonl``
writes every sample.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

_TICKS = os.sysconf("SC_CLK_TCK")


def _table() -> dict[int, tuple[int, float, float, str]]:
    """pid -> (parent pid, RSS MB, CPU s, command) for every process."""
    found: dict[int, tuple[int, float, float, str]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                head, tail = handle.read().rsplit(")", 1)
            fields = tail.split()
            with open(f"/proc/{entry}/cmdline", "rb") as handle:
                command = handle.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        rss = int(fields[21]) * os.sysconf("SC_PAGE_SIZE") / (1 << 20)
        cpu = (int(fields[11]) + int(fields[12])) / _TICKS
        found[int(entry)] = (int(fields[1]), rss, cpu, command or head.split("(", 1)[-1])
    return found


def _descendants(table: dict[int, tuple[int, float, float, str]], root: int) -> list[int]:
    out, frontier = [], [root]
    while frontier:
        pid = frontier.pop(0)
        kids = sorted(p for p, row in table.items() if row[0] == pid)
        out += kids
        frontier += kids
    return out


def _resolving(pid: int) -> bool:
    try:
        links = [os.readlink(f"/proc/{pid}/fd/{fd}") for fd in os.listdir(f"/proc/{pid}/fd")]
    except OSError:
        return False
    return any("khabar-mentions-" in link or "khabar-resolve-" in link for link in links)


def trace(command: list[str], every: float, jsonl: Path | None) -> int:
    print(f"load average before: {os.getloadavg()}", flush=True)
    started = time.perf_counter()
    process = subprocess.Popen(command)
    main: int | None = None
    pools: list[set[int]] = []
    phases: dict[str, dict[str, float]] = {}
    order: list[str] = []
    out = jsonl.open("w") if jsonl else None
    try:
        while process.poll() is None:
            table = _table()
            tree = [process.pid, *_descendants(table, process.pid)]
            if main is None:
                main = next((p for p in tree if p in table and "python" in table[p][3]), None)
            if main is None or main not in table or not table[main][1]:  # none yet, or exiting
                time.sleep(every)
                continue
            workers = [p for p in _descendants(table, main) if p in table]
            if workers and not any(set(workers) & pool for pool in pools):
                pools.append(set(workers))
            elif workers:
                next(pool for pool in pools if set(workers) & pool).update(workers)
            if _resolving(main):
                phase = "resolve"
            elif workers:
                phase = f"pool {len(pools)}"
            else:
                phase = "other" if not pools else f"after pool {len(pools)}"
            seconds = time.perf_counter() - started
            main_rss, main_cpu = table[main][1], table[main][2]
            worker_rss = [table[p][1] for p in workers]
            row = phases.get(phase)
            if row is None:
                row = phases[phase] = {"from": seconds, "main": 0.0, "worker": 0.0}
                order.append(phase)
            row.update(
                to=seconds,
                main=max(row["main"], main_rss),
                worker=max(row["worker"], *worker_rss, 0.0),
                cpu=main_cpu,
                workers_cpu=sum(table[p][2] for p in workers),
            )
            if out:
                sample = {"s": round(seconds, 1), "phase": phase, "main_mb": round(main_rss)}
                sample["workers_mb"] = [round(r) for r in worker_rss]
                out.write(json.dumps(sample) + "\n")
                out.flush()
            time.sleep(every)
    finally:
        if out:
            out.close()
    code = process.wait()
    print(f"load average after: {os.getloadavg()}; exit {code}")
    print("| phase | from s | to s | main peak RSS | main CPU s at end | largest worker |")
    print("|---|---:|---:|---:|---:|---:|")
    for name in order:
        row = phases[name]
        print(
            f"| {name} | {row['from']:.0f} | {row['to']:.0f} | {row['main']:.0f} MB "
            f"| {row.get('cpu', 0):.0f} | {row['worker']:.0f} MB |"
        )
    return code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--every", type=float, default=1.0, help="seconds between samples")
    parser.add_argument("--jsonl", type=Path, help="write every sample here")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command")
    sys.exit(trace(command, args.every, args.jsonl))


if __name__ == "__main__":
    main()
