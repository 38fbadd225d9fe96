"""The PostgreSQL half of the suite skips, saying why, where there is no server to start,
and fails instead where CI requires it (KHABAR_REQUIRE_PG)."""

import pytest

import pgserver


def test_without_binaries_the_postgres_half_skips_with_the_reason(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.setattr(pgserver, "SEARCH", "/nonexistent/*/bin")
    monkeypatch.delenv("KHABAR_REQUIRE_PG", raising=False)
    with (
        pytest.raises(pytest.skip.Exception, match="no initdb/pg_ctl on PATH"),
        pgserver.throwaway_server(),
    ):
        pass  # pragma: no cover


def test_ci_makes_a_missing_server_a_failure(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.setattr(pgserver, "SEARCH", "/nonexistent/*/bin")
    monkeypatch.setenv("KHABAR_REQUIRE_PG", "1")
    with (
        pytest.raises(pytest.fail.Exception, match="KHABAR_REQUIRE_PG"),
        pgserver.throwaway_server(),
    ):
        pass  # pragma: no cover


def test_the_binaries_are_found_on_path_or_in_debians_folders():
    found = pgserver._binaries()
    if found is None:
        pytest.skip("no PostgreSQL binaries on this machine")
    initdb, pg_ctl = found
    assert initdb.endswith("initdb") and pg_ctl.endswith("pg_ctl")
