"""Shared fixtures: a temporary database, the CLI runner and a local HTTP server."""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pgserver import location, pg_server, pg_url  # noqa: F401 (fixtures: both backends)

# The suite's Spark sessions neither write a class-data archive into the user's cache
# (150 MB, and 15 s at the exit of the first run) nor map one; the archive's life-cycle
# has its own tests (tests/batch/test_spark_functions.py). KHABAR_SPARK_CDS=DIR opts in.
os.environ.setdefault("KHABAR_SPARK_CDS", "off")

DATA = Path(__file__).parent / "data"
REPO = Path(__file__).parent.parent
DEVSET = REPO.parent / "shared" / "devset"


@pytest.fixture
def data_dir() -> Path:
    return DATA


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "test.duckdb"


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo corpus ingested, extracted and resolved, once per session (read-only: copy
    it to write). The API, dashboard, export and report tests share it."""
    from khabar.extract import ExtractOptions, Extractor
    from khabar.ingest import IngestOptions
    from khabar.pipeline import ingest_into
    from khabar.store import open_store

    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    store = open_store(path)
    try:
        ingest_into(
            store,
            [str(REPO / "demo" / "corpus")],
            options=IngestOptions(),
            extractor=Extractor(ExtractOptions()),
        )
    finally:
        store.close()
    return path


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass
class LocalServer:
    """An HTTP server on 127.0.0.1 whose routes a test sets."""

    base: str
    routes: dict[str, Route]

    def url(self, path: str) -> str:
        return self.base + path


@pytest.fixture
def http_server() -> Iterator[LocalServer]:
    routes: dict[str, Route] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            route = routes.get(self.path)
            if route is None:
                self.send_error(404)
                return
            if route.delay:
                time.sleep(route.delay)
            self.send_response(route.status)
            self.send_header("Content-Type", route.content_type)
            self.send_header("Content-Length", str(len(route.body)))
            for key, value in route.headers.items():
                self.send_header(key, value)
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(route.body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield LocalServer(f"http://127.0.0.1:{server.server_address[1]}", routes)
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def write(tmp_path: Path) -> Callable[..., Path]:
    """Write a file under tmp_path/in and return its path."""

    def _write(name: str, content: str | bytes, encoding: str = "utf-8") -> Path:
        path = tmp_path / "in" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            content = content.encode(encoding)
        path.write_bytes(content)
        return path

    return _write
