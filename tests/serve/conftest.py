"""Fixtures for the API and dashboard tests: the demo database (tests/conftest.py), copied
for every test that writes, and apps over it."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from khabar.serve import ServeOptions, create_app
from khabar.settings import Settings

KEY = "test-key-5f1c"


@pytest.fixture
def writable_db(demo_db: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "demo.duckdb"
    shutil.copyfile(demo_db, copy)
    return copy


def make_client(db: Path, **options: object) -> Iterator[TestClient]:
    settings = Settings(db=str(db), serve=ServeOptions(**options))  # type: ignore[arg-type]
    with TestClient(create_app(settings)) as client:
        yield client


@pytest.fixture(scope="module")
def client(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """Reads open, writes behind KEY, over a module's own copy of the demo database."""
    copy = tmp_path_factory.mktemp("read") / "demo.duckdb"
    shutil.copyfile(demo_db, copy)
    yield from make_client(copy, api_key=KEY)


@pytest.fixture
def writer(writable_db: Path) -> Iterator[TestClient]:
    """A client over a fresh copy, sending the key with every request."""
    for client in make_client(writable_db, api_key=KEY):
        client.headers["X-API-Key"] = KEY
        yield client


@pytest.fixture
def api_key() -> str:
    return KEY
