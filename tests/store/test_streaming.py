"""Reads that stream on both backends (the first rows before the last are read), the
two-pass snapshot resolution reads, and the records lock a single and a batched write
of one article share."""

from __future__ import annotations

import datetime as dt
import threading
import time

from khabar.records import Article, DateSpan, Incident, SourceRef
from khabar.store import open_store
from khabar.store._sql import RECORDS_STRIPES, records_locks


def _incident(rid: str, article: str, day: int) -> Incident:
    date = dt.date(2025, 3, day)
    return Incident(
        id=rid,
        event_type="bombing",
        date=DateSpan(value=date.isoformat(), precision="day", earliest=date, latest=date),
        sources=(SourceRef(article_id=article),),
    )


def _fill(store, count: int) -> None:  # type: ignore[no-untyped-def]
    articles = [
        Article(id=f"{n:016x}", text=f"text {n}", published=dt.date(2025, 3, 1 + n % 20))
        for n in range(count)
    ]
    store.add_articles(articles)
    store.replace_records_many(
        [(a.id, [_incident(f"inc-{a.id}", a.id, 1 + n % 20)]) for n, a in enumerate(articles)],
        extractor="test",
    )


def test_mentions_stream_in_resolution_order(location):
    store = open_store(location)
    _fill(store, 30)
    whole = store.incident_mentions()
    streamed = list(store.iter_incident_mentions(page=7))
    assert [(m.id, p) for m, p in streamed] == [(m.id, p) for m, p in whole]
    with store.mention_snapshot() as read:
        first = [(m.id, p) for m, p in read()]
        # A write between the passes is not seen by the second (one snapshot).
        store.add_articles([Article(id="f" * 16, text="late", published=dt.date(2025, 3, 1))])
        store.replace_records_many(
            [("f" * 16, [_incident("inc-late", "f" * 16, 1)])], extractor="test"
        )
        second = [(m.id, p) for m, p in read()]
    assert first == second == [(m.id, p) for m, p in whole]
    store.close()


def test_iter_events_yields_before_reading_every_row(location):
    store = open_store(location)
    events = [_incident(f"evt-{n:04d}", "a", 1 + n % 20) for n in range(1200)]
    store.save_resolution(iter(events), iter([]))
    stream = store.iter_events()
    assert next(stream).id == "evt-0000"
    # The stream holds a cursor, not a list: the rest arrive in order, page by page.
    assert [e.id for e in stream] == [e.id for e in events[1:]]
    store.close()


def test_a_batch_takes_each_articles_single_lock():
    single = records_locks(["a1"])
    batch = records_locks(["z9", "a1", "m5"])
    assert len(single) == 1 and single[0] in batch
    assert batch == sorted(batch)  # one order for every writer: no deadlock
    assert len(records_locks(f"{n:016x}" for n in range(5000))) <= RECORDS_STRIPES


def test_a_batched_write_waits_for_a_single_write_of_its_article(pg_url):
    """On PostgreSQL, a transaction holding one article's records lock (as
    replace_records does) keeps a batch that includes the article waiting."""
    store = open_store(pg_url)
    store.add_articles([Article(id="a" * 16, text="x"), Article(id="b" * 16, text="y")])
    held, done = threading.Event(), threading.Event()
    release = threading.Event()

    def single() -> None:
        with store._transaction("hold", lock=records_locks(["a" * 16])):
            held.set()
            release.wait(10)

    def batch() -> None:
        store.replace_records_many(
            [("b" * 16, []), ("a" * 16, [_incident("inc-a", "a" * 16, 1)])], extractor="t"
        )
        done.set()

    holder = threading.Thread(target=single)
    holder.start()
    assert held.wait(10)
    writer = threading.Thread(target=batch)
    writer.start()
    time.sleep(0.5)
    waited = not done.is_set()
    release.set()
    holder.join(10)
    writer.join(10)
    store.close()
    assert waited, "the batch did not wait for the article's lock"
    assert done.is_set()


def test_records_lock_names_do_not_depend_on_the_batch():
    ids = [f"{n:016x}" for n in range(40)]
    assert set(records_locks(ids)) == {records_locks([i])[0] for i in ids}


def test_the_save_holds_a_few_megabytes_of_event_bodies_not_a_fixed_count():
    """An event reported by thousands of articles is megabytes of JSON: a chunk of the
    save ends once its bodies pass the size, so the largest events are not held at once;
    small events still go 200 (or ``rows``) to a statement, and none is lost."""
    from khabar.store._resolution import event_rows

    big = Incident(
        id="evt-big",
        event_type="bombing",
        sources=tuple(SourceRef(article_id=f"{n:016x}") for n in range(3000)),
    )
    small = [Incident(id=f"evt-{n:03d}", event_type="bombing") for n in range(450)]
    size = len(big.model_dump_json()) * 2 + 1
    chunks = list(event_rows(iter([big, big, big, *small]), "now", size=size))
    assert [len(c) for c in chunks][:2] == [3, 200]  # three big bodies pass the size
    chunks = list(event_rows(iter([big, *small, big, big]), "now", rows=500, size=size))
    assert [len(c) for c in chunks] == [452, 1]  # the second big body ends the chunk
    chunks = list(event_rows(iter([big] * 5), "now", size=len(big.model_dump_json())))
    assert [len(c) for c in chunks] == [1, 1, 1, 1, 1]
    everything = list(event_rows(iter(small), "now"))
    assert [len(c) for c in everything] == [200, 200, 50]
    assert [row[0] for c in everything for row in c] == [e.id for e in small]
