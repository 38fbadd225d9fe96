"""Rounds of the watcher, driven from Python: baselines, backoff, garbage, feeds of
summaries, the loop, and an alert one notifier refuses."""

from __future__ import annotations

import datetime as dt

import pytest

from khabar.extract import ExtractOptions, Extractor
from khabar.ingest import IngestOptions
from khabar.pipeline import ingest_into
from khabar.store import open_store
from khabar.watch import AlertRefused, WatchConfig, Watcher
from khabar.watch._config import WatchOptions
from khabar.watch._poll import backoff_seconds

from .test_watch_command import BOMBING, SHOOTING, rss


@pytest.fixture(scope="module")
def extractor():
    return Extractor(ExtractOptions(model="blank"))


class Collect:
    """A notifier that keeps what it is sent, and refuses the ids it is told to."""

    def __init__(self, name="desk", refuse=()):
        self.name, self.refuse, self.sent = name, set(refuse), []

    def send(self, alert):
        if alert["record"]["id"] in self.refuse:
            raise AlertRefused("refused")
        self.sent.append(alert)


def config(feeds, **watch):
    return WatchConfig.model_validate(
        {
            "watch": {"allow_private": True, "timeout": 2, "model": "blank"} | watch,
            "feed": [{"url": url} for url in feeds],
            "watchlist": [{"name": "cn", "victims": ["CN"], "notify": ["desk"]}],
            "notifier": {"desk": {"type": "jsonl", "path": "-"}},
        }
    )


def watcher(store, cfg, extractor, notifier, clock=None):
    kwargs = {"clock": clock} if clock else {}
    return Watcher(store, cfg, extractor=extractor, notifiers={"desk": notifier}, **kwargs)


def test_backoff_doubles_up_to_its_cap():
    options = WatchOptions(backoff="1m", max_backoff="5m")
    assert [backoff_seconds(n, options) for n in range(5)] == [0, 60, 120, 240, 300]


def test_what_the_database_held_is_not_news_unless_backfill(tmp_path, feed_server, extractor):
    article = tmp_path / "old.txt"
    article.write_text("Published: 16 November 2026\n\n" + BOMBING)
    feed_server.serve("/empty.xml", rss())
    for backfill, expected in ((False, 0), (True, 1)):
        with open_store(tmp_path / f"{backfill}.duckdb") as store:
            ingest_into(store, [str(article)], options=IngestOptions(), extractor=extractor)
            collect = Collect()
            cfg = config([feed_server.url("/empty.xml")], backfill=backfill)
            watcher(store, cfg, extractor, collect).run_round()
            assert len(collect.sent) == expected


def test_garbage_feed_fails_and_rests_while_the_others_are_read(location, feed_server, extractor):
    feed_server.serve("/junk.xml", b"\x00\x01 not a feed \xff" * 50)
    feed_server.serve("/wire.xml", rss(("n1", "2026-11-16", BOMBING)))
    now = dt.datetime(2026, 11, 16, 10, 0)
    cfg = config([feed_server.url("/junk.xml"), feed_server.url("/wire.xml")], backoff="10m")
    with open_store(location) as store:
        collect = Collect()
        report = watcher(store, cfg, extractor, collect, clock=lambda: now).run_round()
        junk = feed_server.url("/junk.xml")
        assert report.feeds[junk] == "failed" and junk in report.feed_errors
        assert [a["watchlist"] for a in collect.sent] == ["cn"]
        state = store.feed_states()[junk]
        assert state.errors == 1 and state.next_poll == now + dt.timedelta(minutes=10)
        assert state.content_hash is None  # read again once it has rested
        report = watcher(store, cfg, extractor, collect, clock=lambda: now).run_round()
        assert report.feeds[junk] == "waiting"


def test_hostile_feeds_cost_only_themselves(tmp_path, feed_server, extractor):
    """A compression bomb and a feed whose page is an attribute bomb fail alone; the
    good feed's alert is delivered in the same round, in seconds."""
    import gzip
    import time
    import zlib

    block = b"\0" * 1_000_000  # one gzip stream of 2 GB of zeros, built in milliseconds
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    head = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    unit = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    bomb = gzip.compress(head + unit * 2000)
    feed_server.serve("/bomb.xml", bomb, headers={"Content-Encoding": "gzip, gzip"})
    attributes = b" ".join(b"a%d=x" % i for i in range(600_000))
    feed_server.serve("/tags", b"<html><body><div " + attributes + b">x</div></body></html>")
    feed_server.serve("/links.xml", summaries(feed_server, "tags"))
    feed_server.serve("/wire.xml", rss(("n1", "2026-11-16", BOMBING)))
    urls = [feed_server.url(p) for p in ("/bomb.xml", "/links.xml", "/wire.xml")]
    with open_store(tmp_path / "w.duckdb") as store:
        collect = Collect()
        started = time.monotonic()
        report = watcher(store, config(urls), extractor, collect).run_round()
        assert time.monotonic() - started < 30
        assert report.feeds[urls[0]] == "failed"
        assert "K103" in report.feed_errors[urls[0]]
        assert [a["watchlist"] for a in collect.sent] == ["cn"]
        assert store.count_articles() == 1  # the attribute bomb was refused unparsed


def page(text: str) -> bytes:
    paragraphs = "".join(f"<p>{p}</p>" for p in text.split("\n\n"))
    return (
        "<html><head><title>Frontier Wire</title>"
        '<meta property="article:published_time" content="2026-11-16"></head>'
        f"<body><article>{paragraphs}</article></body></html>"
    ).encode()


def summaries(server, *names: str) -> bytes:
    items = "".join(
        f"<item><guid>{n}</guid><title>{n}</title><link>{server.url('/' + n)}</link>"
        "<description>A short summary.</description></item>"
        for n in names
    )
    channel = f"<channel><title>W</title>{items}</channel>"
    return f'<?xml version="1.0"?><rss version="2.0">{channel}</rss>'.encode()


def test_feed_of_summaries_fetches_each_page_once_and_retries_a_failed_one(
    location, feed_server, extractor
):
    serve = feed_server.serve
    serve("/p1", page(BOMBING), content_type="text/html")
    serve("/p2", status=503)
    serve("/feed.xml", summaries(feed_server, "p1", "p2"))
    cfg = config([feed_server.url("/feed.xml")])
    with open_store(location) as store:
        collect = Collect()
        first = watcher(store, cfg, extractor, collect).run_round()
        assert first.feeds[feed_server.url("/feed.xml")] == "partial"
        assert list(first.entry_errors) == [feed_server.url("/feed.xml") + "#p2"]
        serve("/p2", page(SHOOTING), content_type="text/html")
        second = watcher(store, cfg, extractor, collect).run_round()
        # The feed did not change, but is read again in full (no 304) for its failed
        # entry; the page already stored is not fetched again.
        assert second.feeds[feed_server.url("/feed.xml")] == "changed"
        assert feed_server.requests["/p1"] == 1 and feed_server.requests["/p2"] == 2
        assert sorted(a["summary"].split(" ")[0] for a in collect.sent) == ["Armed", "Bombing"]
        third = watcher(store, cfg, extractor, collect).run_round()
        assert third.feeds[feed_server.url("/feed.xml")] == "not_modified"


def test_refused_alert_stays_queued_and_does_not_hold_back_the_others(
    tmp_path, feed_server, extractor
):
    feed_server.serve(
        "/wire.xml", rss(("n1", "2026-11-16", BOMBING), ("n4", "2026-11-20", SHOOTING))
    )
    cfg = config([feed_server.url("/wire.xml")])
    with open_store(tmp_path / "w.duckdb") as store:
        probe = Collect()
        watcher(store, cfg, extractor, probe).run_round()
        first_id = probe.sent[0]["record"]["id"]
    with open_store(tmp_path / "w2.duckdb") as store:
        collect = Collect(refuse={first_id})
        report = watcher(store, cfg, extractor, collect).run_round()
        assert len(collect.sent) == 1 and report.pending == {"desk": 1}
        assert [a.record_id for a in store.pending_alerts("desk")] == [first_id]
        assert store.pending_alerts()[0].attempts == 1


def test_loop_runs_rounds_at_the_interval(tmp_path, feed_server, extractor):
    feed_server.serve("/wire.xml", rss(("n1", "2026-11-16", BOMBING)))
    cfg = config([feed_server.url("/wire.xml")])
    waits, reports = [], []
    with open_store(tmp_path / "w.duckdb") as store:
        collect = Collect()
        watcher(store, cfg, extractor, collect).run(
            interval=600, rounds=3, on_round=reports.append, sleep=waits.append
        )
    assert len(reports) == 3 and len(waits) == 2
    assert all(590 < wait <= 600 for wait in waits)
    assert [r.feeds[feed_server.url("/wire.xml")] for r in reports] == [
        "changed",
        "not_modified",
        "not_modified",
    ]
    assert len(collect.sent) == 1


def test_loop_survives_a_failed_round(tmp_path, feed_server, extractor, monkeypatch):
    from khabar.errors import StoreError

    feed_server.serve("/wire.xml", rss(("n1", "2026-11-16", BOMBING)))
    cfg = config([feed_server.url("/wire.xml")])
    reports = []
    with open_store(tmp_path / "w.duckdb") as store:
        runner = watcher(store, cfg, extractor, Collect())
        real, calls = runner.run_round, []

        def flaky():
            calls.append(1)
            if len(calls) == 1:
                raise StoreError("database is locked")
            return real()

        monkeypatch.setattr(runner, "run_round", flaky)
        runner.run(interval=1, rounds=2, on_round=reports.append, sleep=lambda s: None)
    assert len(calls) == 2 and len(reports) == 1
