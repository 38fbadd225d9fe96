"""A throwaway PostgreSQL server for the tests, and the fixtures that hand it out.

``pg_server`` starts one server per session: initdb and pg_ctl in a temporary folder, on a
free loopback port, with durability off (a test database need not survive a crash). As
root (CI, this machine) initdb refuses to run, so the server runs as the ``postgres``
user. ``KHABAR_TEST_PG=postgresql://...`` uses an existing server instead. Where there
are no binaries the PostgreSQL half of the suite skips, saying why, unless
``KHABAR_REQUIRE_PG=1`` (CI) makes that a failure.

Each test gets a schema of its own (``pg_url``), made and dropped in milliseconds, so
tests never see each other's rows.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

SEARCH = "/usr/lib/postgresql/*/bin"


def _binaries() -> tuple[str, str] | None:
    """initdb and pg_ctl: on PATH, else the newest of Debian's versioned folders."""
    initdb, pg_ctl = shutil.which("initdb"), shutil.which("pg_ctl")
    if initdb and pg_ctl:
        return initdb, pg_ctl
    for folder in sorted(glob.glob(SEARCH), key=lambda p: int(Path(p).parent.name), reverse=True):
        initdb, pg_ctl = f"{folder}/initdb", f"{folder}/pg_ctl"
        if os.access(initdb, os.X_OK) and os.access(pg_ctl, os.X_OK):
            return initdb, pg_ctl
    return None


def _unavailable(reason: str) -> None:
    if os.environ.get("KHABAR_REQUIRE_PG"):
        pytest.fail(f"PostgreSQL is required here (KHABAR_REQUIRE_PG): {reason}")
    pytest.skip(f"PostgreSQL half skipped: {reason}")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def throwaway_server() -> Iterator[str]:
    """Start a server in a temporary folder; yield its URL; stop and remove it."""
    found = _binaries()
    if found is None:
        _unavailable(
            "no initdb/pg_ctl on PATH or in /usr/lib/postgresql/*/bin (install Debian's "
            "postgresql, or set KHABAR_TEST_PG=postgresql://... to use a server)"
        )
    initdb, pg_ctl = found
    prefix: list[str] = []
    folder = Path(tempfile.mkdtemp(prefix="khabar-pg-"))
    if os.geteuid() == 0:  # initdb refuses root: run the server as postgres
        import pwd

        try:
            user = pwd.getpwnam("postgres")
        except KeyError:
            shutil.rmtree(folder)
            _unavailable("running as root and there is no postgres user to run the server")
        os.chown(folder, user.pw_uid, user.pw_gid)
        prefix = ["runuser", "-u", "postgres", "--"]
    data, port = folder / "data", _free_port()
    options = (
        f"-h 127.0.0.1 -p {port} -k {folder} -c fsync=off -c synchronous_commit=off "
        "-c full_page_writes=off -c max_connections=200"
    )
    try:
        subprocess.run(
            [
                *prefix,
                initdb,
                "-D",
                str(data),
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--no-locale",
                "--no-sync",
            ],
            check=True,
            capture_output=True,
        )
        subprocess.run(
            [
                *prefix,
                pg_ctl,
                "-D",
                str(data),
                "-l",
                str(folder / "log"),
                "-o",
                options,
                "-w",
                "start",
            ],
            check=True,
            capture_output=True,
        )
    except subprocess.CalledProcessError as error:
        log = (folder / "log").read_text() if (folder / "log").exists() else ""
        shutil.rmtree(folder, ignore_errors=True)
        pytest.fail(f"the throwaway PostgreSQL did not start: {error.stderr!r} {log[-500:]}")
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            [*prefix, pg_ctl, "-D", str(data), "-m", "immediate", "stop"], capture_output=True
        )
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """The URL of a PostgreSQL server for this session (skips without one)."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        _unavailable("psycopg is not installed (pip install 'khabar[postgres]')")
    existing = os.environ.get("KHABAR_TEST_PG")
    if existing:
        yield existing
        return
    with throwaway_server() as url:
        yield url


def schema_url(server: str, schema: str) -> str:
    """The URL of ``server`` whose tables live in ``schema``."""
    separator = "&" if "?" in server else "?"
    return f"{server}{separator}options=-csearch_path%3D{schema}"


@pytest.fixture
def pg_url(pg_server: str) -> Iterator[str]:
    """A khabar database of its own for one test: a fresh schema on the session's server."""
    import psycopg

    schema = "t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(pg_server, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    try:
        yield schema_url(pg_server, schema)
    finally:
        with psycopg.connect(pg_server, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(params=["duckdb", "postgres"])
def location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where a backend-agnostic test keeps its database: a DuckDB file, then a
    PostgreSQL schema (the store suite runs against both)."""
    if request.param == "duckdb":
        return str(tmp_path / "test.duckdb")
    return request.getfixturevalue("pg_url")
