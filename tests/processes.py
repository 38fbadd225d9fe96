"""khabar as users run it: whole processes (``python -m khabar.cli``), a real port."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass

import httpx

KEY = "process-test-key"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def khabar(*args: str, **how: object) -> subprocess.Popen:
    """Start ``khabar ARGS`` (output captured as text)."""
    env = {**os.environ, "KHABAR_SERVE__API_KEY": KEY, **dict(how.pop("env", {}))}  # type: ignore[call-overload]
    return subprocess.Popen(
        [sys.executable, "-m", "khabar.cli", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **how,  # type: ignore[arg-type]
    )


def run_khabar(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    process = khabar(*args)
    out, err = process.communicate(timeout=timeout)
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


@dataclass
class Server:
    process: subprocess.Popen
    base: str

    def get(self, path: str) -> httpx.Response:
        return httpx.get(self.base + path, timeout=30)

    def post(self, path: str, body: dict) -> httpx.Response:
        return httpx.post(self.base + path, json=body, headers={"X-API-Key": KEY}, timeout=300)


@contextlib.contextmanager
def serving(db: str, *extra: str, timeout: float = 60) -> Iterator[Server]:
    """``khabar serve --db DB`` on a free port, until the block ends."""
    port = free_port()
    process = khabar("serve", "--db", db, "--port", str(port), *extra)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                httpx.get(base + "/api/health", timeout=5)
                break
            except httpx.TransportError:
                assert process.poll() is None, f"khabar serve exited: {process.stderr.read()}"
                assert time.monotonic() < deadline, "khabar serve did not start"
                time.sleep(0.2)
        yield Server(process, base)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:  # pragma: no cover
            process.kill()
            process.wait()
