"""The issue's "done when" for PostgreSQL: two `khabar ingest` runs and `khabar serve`
at once, on overlapping inputs, give exactly the records of one sequential run; and the
server's cache follows what the other processes wrote. Whole processes, a real server.

The inputs are the demo corpus (written for this project): the two ingests share its
plain-text articles, and the server is posted saved pages that one ingest also reads.
"""

from __future__ import annotations

import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from khabar.store import open_store
from processes import khabar, serving

pytestmark = pytest.mark.slow

CORPUS = Path(__file__).parent.parent.parent / "demo" / "corpus"
FIRST = [str(CORPUS / "txt"), str(CORPUS / "html")]
SECOND = [str(CORPUS / "txt"), str(CORPUS / "md"), str(CORPUS / "json")]


def _utf8(page: Path) -> bool:
    try:
        page.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return False
    return True


POSTED = [page for page in sorted((CORPUS / "html").glob("*.html")) if _utf8(page)]


def ingest(db: str, inputs: list[str]):  # type: ignore[no-untyped-def]
    return khabar("ingest", "--db", db, "--no-progress", *inputs)


def finish(process) -> None:  # type: ignore[no-untyped-def]
    _, err = process.communicate(timeout=600)
    assert process.returncode == 0, err


def post_all(server, pages: list[Path]) -> None:  # type: ignore[no-untyped-def]
    for page in pages:
        answer = server.post("/api/ingest", {"html": page.read_text(encoding="utf-8")})
        assert answer.status_code in (200, 201), answer.text


def _comparable(record) -> str:  # type: ignore[no-untyped-def]
    """A record as JSON, its sources' file names left out: an article keeps the name of
    the first copy stored (a file one ingest read, or the page posted to the server),
    and which process comes first is the one thing concurrency may change."""
    body = record.model_dump(mode="json")
    for source in body.get("sources", []):
        source.pop("file", None)
    return json.dumps(body, sort_keys=True)


def snapshot(db: str) -> dict[str, object]:
    """What a run leaves, minus what differs by nature (run ids, times, temp paths)."""
    with open_store(db) as store:
        articles = sorted(a.id for a in store.get_articles(store.ids_to_extract(every=True)))
        sources = {
            (article_id, s.locator)
            for article_id in articles
            for s in store.sources_of(article_id)
            if "posted." not in s.locator
        }
        records = sorted((r.kind, r.id, _comparable(r)) for r in store.iter_records())
        groups: dict[str, set[str]] = {}
        for mention, (event, _, _) in store.resolution_links().items():
            groups.setdefault(event, set()).add(mention)
        return {
            "articles": articles,
            "unread": store.ids_to_extract(),
            "sources": sources,
            "records": records,
            "events": sorted(sorted(group) for group in groups.values()),
            "resolved": len(list(store.iter_events())),
        }


def test_two_ingests_and_a_server_at_once_equal_one_sequential_run(pg_server, pg_url):
    import psycopg

    from pgserver import schema_url

    sequential = schema_url(pg_server, pg_url.rsplit("%3D", 1)[1] + "_seq")
    with psycopg.connect(pg_server, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {sequential.rsplit('%3D', 1)[1]}")
    try:
        started = time.monotonic()
        finish(ingest(sequential, FIRST))
        finish(ingest(sequential, SECOND))
        with serving(sequential) as server:
            post_all(server, POSTED)
        alone = time.monotonic() - started

        started = time.monotonic()
        with serving(pg_url) as server:
            first, second = ingest(pg_url, FIRST), ingest(pg_url, SECOND)
            with ThreadPoolExecutor(2) as pool:  # two clients post at once, too
                posts = [pool.submit(post_all, server, POSTED[i::2]) for i in range(2)]
                for future in posts:
                    future.result()
            finish(first)
            finish(second)
            together = time.monotonic() - started
            # The server's cache follows what the two ingests wrote (change token).
            expected = len(snapshot(pg_url)["articles"])  # type: ignore[arg-type]
            deadline = time.monotonic() + 10
            while server.get("/api/health").json()["articles"] != expected:
                assert time.monotonic() < deadline, "the server did not see the ingests"
                time.sleep(0.2)
        want, got = snapshot(sequential), snapshot(pg_url)
        assert got["unread"] == [] and want["unread"] == []
        for part in ("articles", "sources", "records", "events", "resolved"):
            assert got[part] == want[part], part
        assert len(want["records"]) > 10 and len(want["events"]) > 3  # type: ignore[arg-type]
        print(f"sequential {alone:.1f} s, concurrent {together:.1f} s")
    finally:
        with psycopg.connect(pg_server, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {sequential.rsplit('%3D', 1)[1]} CASCADE")


def test_concurrent_openings_migrate_a_new_database_once(pg_url):
    """Processes that open a new database at once apply each migration once."""
    errors: list[BaseException] = []

    def opening() -> None:
        try:
            open_store(pg_url).close()
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=opening) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    import psycopg

    with psycopg.connect(pg_url) as conn:
        versions = [v for (v,) in conn.execute("SELECT version FROM schema_version ORDER BY 1")]
    from khabar.store import latest_version

    assert versions == list(range(1, latest_version() + 1))
