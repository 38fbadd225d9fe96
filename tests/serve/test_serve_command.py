"""`khabar serve` as a user runs it: a real process, a real port."""

import os
import socket
import subprocess
import sys
import time

import httpx

from khabar.cli import app


def test_serve_refuses_a_missing_database(runner, tmp_path):
    result = runner.invoke(app, ["serve", "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 1
    assert "no database" in result.output


def test_serve_runs_the_api_and_dashboard_until_stopped(demo_db, tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "KHABAR_SERVE__API_KEY": "cli-key"}
    process = subprocess.Popen(
        [sys.executable, "-m", "khabar.cli", "serve", "--db", str(demo_db), "--port", str(port)],
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                health = httpx.get(base + "/api/health")
                break
            except httpx.TransportError:
                assert process.poll() is None, process.stderr.read()
                assert time.monotonic() < deadline, "khabar serve did not start"
                time.sleep(0.2)
        assert health.json()["incidents"] > 5
        assert "<title>khabar: incidents</title>" in httpx.get(base + "/").text
        refused = httpx.post(base + "/api/incidents/evt-x/merge", json={"other": "evt-y"})
        assert refused.status_code == 401
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert "dashboard at http://127.0.0.1:" in process.stderr.read()
