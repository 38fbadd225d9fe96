"""Hostile responses and files, each ingested by a child process under a memory ceiling.

The child sets an address-space limit (``RLIMIT_AS``) before importing khabar, and
reports its peak resident memory and its workers'; a response that decodes to
gigabytes in memory would break either bound. (Linux only: the peak is read from
/proc.)
"""

import gzip
import json
import subprocess
import sys
import textwrap
import time
import zlib

import pytest

from conftest import Route
from khabar.batch import fork_available

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="peak memory is read from /proc"
)

CEILING = 3 * 1024**3  # address space: a Python process with duckdb and lxml maps ~1 GB
PEAK_MB = 300  # resident, the ingest and each worker (measured: about 155 MB)

CHILD = textwrap.dedent(
    """
    import json, resource, sys
    resource.setrlimit(resource.RLIMIT_AS, ({ceiling}, {ceiling}))
    from khabar.cli import app
    try:
        app(sys.argv[1:], standalone_mode=False)
    except SystemExit:
        pass
    # ru_maxrss survives exec on Linux (it would count pytest's own peak): VmHWM does not.
    with open("/proc/self/status") as status:
        own = next(int(line.split()[1]) for line in status if line.startswith("VmHWM"))
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print("PEAK", max(own, workers) // 1024, own // 1024, workers // 1024, file=sys.stderr)
    """
)


def ingest_in_child(tmp_path, *args: str, budget_s: float = 60) -> tuple[dict, int, float]:
    """Run ``khabar ingest ARGS --json`` in a child; its summary, peak MB and seconds."""
    script = CHILD.format(ceiling=CEILING)
    db = tmp_path / "hostile.duckdb"
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-c", script, "ingest", *args, "--db", str(db), "--json", "--no-extract"],
        capture_output=True,
        text=True,
        timeout=budget_s,
    )
    elapsed = time.monotonic() - started
    assert "PEAK" in result.stderr, f"the ingest died: {result.stderr[-2000:]}"
    peak, own, workers = (int(n) for n in result.stderr.rsplit("PEAK", 1)[1].split()[:3])
    print(f"peak {peak} MB: ingest {own} MB, its workers {workers} MB")
    summary = json.loads(result.stdout[result.stdout.index("{") :])
    return summary, peak, elapsed


def zeros_stream(decoded: int, *, wbits: int) -> bytes:
    """One gzip (``wbits`` 31) or zlib (15) stream of ``decoded`` zero bytes, built in
    milliseconds: after a full flush, every megabyte of zeros compresses to the same bytes,
    so one unit is repeated. The trailer's checksum is wrong, which no decoder sees
    before the end: khabar must stop long before it."""
    block = b"\0" * 1_000_000
    compressor = zlib.compressobj(9, zlib.DEFLATED, wbits)
    head = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    unit = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    return head + unit * (decoded // len(block) - 1) + compressor.flush()


def failure_codes(summary: dict) -> list[str]:
    return [failure["code"] for failure in summary["failures"]]


@pytest.mark.slow
@pytest.mark.parametrize(
    "name, body, encoding",
    [
        ("nested-gzip", lambda: gzip.compress(zeros_stream(2 * 10**9, wbits=31)), "gzip, gzip"),
        (
            "deflate-in-gzip",
            lambda: gzip.compress(zeros_stream(2 * 10**9, wbits=15)),
            "deflate, gzip",
        ),
    ],
)
def test_a_compression_bomb_costs_only_its_cap(tmp_path, http_server, name, body, encoding):
    http_server.routes[f"/{name}"] = Route(body(), headers={"Content-Encoding": encoding})
    http_server.routes["/good"] = Route(
        b"<html><body><article><p>"
        + b"Militants attacked a police post in Kalat. " * 5
        + b"</p></article></body></html>"
    )
    summary, peak, elapsed = ingest_in_child(
        tmp_path, http_server.url(f"/{name}"), http_server.url("/good"), "--allow-private"
    )
    assert failure_codes(summary) == ["K103"]
    assert summary["new"] == 1  # the good page after it is read all the same
    assert peak < PEAK_MB, f"{name}: peak {peak} MB"
    assert elapsed < 60


@pytest.mark.slow
def test_a_br_bomb_costs_only_its_cap(tmp_path, http_server):
    brotli = pytest.importorskip("brotli")
    bomb = brotli.compress(b"\0" * 300_000_000, quality=5)
    http_server.routes["/br"] = Route(bomb, headers={"Content-Encoding": "br"})
    summary, peak, _ = ingest_in_child(tmp_path, http_server.url("/br"), "--allow-private")
    assert failure_codes(summary) == ["K103"]
    assert peak < PEAK_MB, f"peak {peak} MB"


def test_three_layers_of_encoding_are_refused(tmp_path, http_server):
    body = gzip.compress(gzip.compress(gzip.compress(b"<p>x</p>")))
    http_server.routes["/x"] = Route(body, headers={"Content-Encoding": "gzip, gzip, gzip"})
    summary, _, _ = ingest_in_child(tmp_path, http_server.url("/x"), "--allow-private")
    assert failure_codes(summary) == ["K109"]


@pytest.mark.slow
def test_pathological_pages_are_refused_or_abandoned_and_the_run_goes_on(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    attributes = b" ".join(b"a%d=x" % i for i in range(700_000))
    (folder / "a-attributes.html").write_bytes(b"<html><body><div " + attributes + b">x</div>")
    (folder / "b-unclosed.html").write_bytes(b"<html><body>" + b"<p>word " * 100_000)
    (folder / "c-slow.html").write_bytes(b"<html><body>" + b"<p>word text " * 45_000)
    (folder / "d-good.txt").write_text(
        "A bomb killed two people at a bus stop in Turbat on Friday, police said.\n"
    )
    summary, peak, elapsed = ingest_in_child(
        tmp_path, str(folder), "--doc-timeout", "0.5", budget_s=90
    )
    codes = {f["locator"]: f["code"] for f in summary["failures"]}
    assert codes == {
        "a-attributes.html": "K113",
        "b-unclosed.html": "K113",
        "c-slow.html": "K130",
    }
    assert summary["new"] == 1
    assert peak < PEAK_MB, f"peak {peak} MB"
    assert elapsed < 30


@pytest.mark.skipif(not fork_available(), reason="the budget is enforced with fork")
def test_a_page_over_its_time_budget_is_abandoned(runner, db_path, tmp_path):
    from khabar.cli import app

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "slow.html").write_bytes(b"<html><body>" + b"<p>word text " * 45_000)
    (tmp_path / "in" / "good.txt").write_text("Gunmen killed a shopkeeper in Chaman on Monday.\n")
    started = time.monotonic()
    result = runner.invoke(
        app,
        [
            "ingest",
            str(tmp_path / "in"),
            "--db",
            str(db_path),
            "--no-extract",
            "--doc-timeout",
            "0.5",
        ],
    )
    assert time.monotonic() - started < 15
    assert result.exit_code == 1
    assert "slow.html: [K130] reading took longer than 0.5 s" in result.output
    assert "1 new" in result.output
