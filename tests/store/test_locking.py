"""DuckDB without the wall: read-only commands share the file, a held file explains
itself, and ``khabar serve --watch`` keeps one writer while the watcher ingests.

Real processes throughout: the lock DuckDB takes is per process."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
import time
from datetime import UTC, datetime
from email.utils import format_datetime
from xml.sax.saxutils import escape

import duckdb
import pytest
from typer.testing import CliRunner

from conftest import Route
from khabar.cli import app
from khabar.errors import StoreError, StoreLocked
from khabar.records import Article
from khabar.store import DuckDBStore, latest_version, open_store
from processes import serving


@pytest.fixture
def copy_of_demo(demo_db, tmp_path):
    path = tmp_path / "desk.duckdb"
    shutil.copy(demo_db, path)
    return path


def hold(path, *, read_only: bool) -> subprocess.Popen:
    """Another process that opens the file and keeps it open until killed."""
    script = textwrap.dedent(
        f"""
        import sys, time
        from khabar.store import DuckDBStore
        store = DuckDBStore({str(path)!r}, read_only={read_only})
        print("ready", flush=True)
        time.sleep(120)
        """
    )
    process = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert process.stdout.readline().strip() == "ready"
    return process


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    process.wait(timeout=10)
    if process.stdout:
        process.stdout.close()


def test_read_commands_share_the_file_with_another_reader(copy_of_demo):
    holder = hold(copy_of_demo, read_only=True)
    try:
        runner = CliRunner()
        listed = runner.invoke(app, ["incidents", "--db", str(copy_of_demo)])
        assert listed.exit_code == 0, listed.output
        assert "incident(s)" in listed.output
        exported = runner.invoke(app, ["export", "--db", str(copy_of_demo), "--format", "jsonl"])
        assert exported.exit_code == 0 and exported.output.count("\n") > 5
        # A writer cannot open it while the reader holds it, and says who does.
        with pytest.raises(StoreLocked, match=rf"pid {holder.pid}: .*python"):
            open_store(copy_of_demo)
    finally:
        stop(holder)


def test_a_write_on_a_read_only_store_says_why(copy_of_demo):
    with DuckDBStore(copy_of_demo, read_only=True) as store:
        assert store.count_articles() > 0
        with pytest.raises(StoreError, match="open read-only"):
            store.add_article(Article(id="f" * 16, text="A new story."))


def test_a_read_only_open_of_an_older_file_migrates_it_first(tmp_path):
    path = tmp_path / "old.duckdb"
    open_store(path).close()
    with duckdb.connect(str(path)) as con:  # as khabar left it before migration 0007
        con.execute("DROP TABLE store_changes")
        con.execute("DELETE FROM schema_version WHERE version = 7")
    with DuckDBStore(path, read_only=True) as store:
        assert store.schema_version == latest_version()
        assert store.change_token() == 0


@pytest.mark.slow
def test_while_the_server_holds_the_file_a_read_says_so_in_one_line(copy_of_demo):
    with serving(str(copy_of_demo)) as server:
        result = CliRunner().invoke(app, ["incidents", "--db", str(copy_of_demo)])
        port = server.base.rsplit(":", 1)[1]
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    line = " ".join(result.output.split())  # the console wraps at its width
    assert line.startswith("error: [K202] ")
    assert f"held by khabar serve (pid {server.process.pid})" in line
    assert f"curl http://127.0.0.1:{port}/api/incidents" in line
    print(result.output)


STORY = (
    "A roadside bomb killed {n} soldiers near Bannu on {day}, police said. The device hit "
    "a patrol vehicle on the road to the district headquarters, officials said."
)


def feed(*days: int) -> bytes:
    items = []
    for day in days:
        when = datetime(2026, 3, day, 9, tzinfo=UTC)
        text = STORY.format(n=day % 5 + 2, day=f"{when:%A}")
        items.append(
            f"<item><guid>bannu-{day}</guid><title>Bomb near Bannu, day {day}</title>"
            f"<link>https://news.example.org/bannu-{day}</link>"
            f"<pubDate>{format_datetime(when)}</pubDate>"
            f"<description>{escape(text)}</description>"
            f"<content:encoded><![CDATA[<p>{escape(text)}</p>]]></content:encoded></item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        "<title>Test Wire</title><link>https://news.example.org/</link>"
        + "".join(items)
        + "</channel></rss>"
    ).encode()


def wait_for(check, what: str, timeout: float = 90.0):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while True:
        found = check()
        if found:
            return found
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.5)


@pytest.mark.slow
def test_serve_watch_ingests_through_the_server_that_holds_the_file(
    tmp_path, http_server, location
):
    """With DuckDB the child writes through the server; with PostgreSQL it opens the
    database itself and the server sees its writes through the change token."""
    db = location
    open_store(db).close()
    http_server.routes["/wire.xml"] = Route(feed(2), content_type="application/rss+xml")
    alerts = tmp_path / "alerts.jsonl"
    config = tmp_path / "watch.toml"
    config.write_text(
        textwrap.dedent(
            f"""
            [watch]
            model = "blank"
            timeout = 2
            interval = "1s"
            allow_private = true

            [[feed]]
            url = "{http_server.url("/wire.xml")}"

            [[watchlist]]
            name = "all-incidents"
            kind = "incident"
            notify = ["file"]

            [notifier.file]
            type = "jsonl"
            path = "{alerts}"
            """
        )
    )
    with serving(str(db), "--watch", str(config)) as server:

        def articles() -> int:
            return server.get("/api/health").json()["articles"]

        assert wait_for(lambda: articles() == 1, "the watcher's first article")
        result = CliRunner().invoke(app, ["articles", "--db", str(db)])
        if "postgresql" in db:  # a shared database: read it while the server runs
            assert result.exit_code == 0 and "Bomb near Bannu, day 2" in result.output
        else:  # the server holds the file alone: a CLI read explains itself
            assert result.exit_code == 1 and "held by khabar serve" in result.output
        http_server.routes["/wire.xml"] = Route(feed(2, 5), content_type="application/rss+xml")
        assert wait_for(lambda: articles() == 2, "the second round's article")
        listed = server.get("/api/articles").json()
        titles = {item["title"] for item in listed["items"]}
        assert titles == {"Bomb near Bannu, day 2", "Bomb near Bannu, day 5"}
    stderr = server.process.stderr.read()
    assert "watching" in stderr and "watch: " in stderr, stderr
    with open_store(db, read_only=True) as store:  # written once each
        assert store.count_articles() == 2
        assert set(store.feed_states()) == {http_server.url("/wire.xml")}
        assert store.started_watchlists() == {"all-incidents"}
    # The watchlist alerted each incident once, from the child, through the server.
    sent = [json.loads(line) for line in alerts.read_text().splitlines()]
    new = [alert["record"]["id"] for alert in sent if not alert["update"]]
    assert new and len(new) == len(set(new))
