"""The tables of khabar watch (migration 0006)."""

import datetime as dt

from khabar.records import Article
from khabar.store import AlertMark, FeedState, QueuedAlert, open_store


def mark(record="evt-1", figures=None, alerts=1):
    return AlertMark(
        watchlist="w", record_id=record, kind="incident", figures=figures or {}, alerts=alerts
    )


def queued(alert_id, notifier="desk"):
    return QueuedAlert(
        id=alert_id,
        notifier=notifier,
        watchlist="w",
        record_id="evt-1",
        body={"id": alert_id, "summary": "Bombing in Pattan."},
        created_at=dt.datetime(2026, 11, 16, 9, 0),
    )


def test_feed_state_round_trips_and_is_replaced(location):
    with open_store(location) as store:
        store.save_feed_state(FeedState(url="https://e.org/f", etag='"a"', errors=2))
        store.save_feed_state(FeedState(url="https://e.org/f", etag='"b"'))
    with open_store(location) as store:  # another process, the same file
        [state] = store.feed_states().values()
        assert (state.etag, state.errors) == ('"b"', 0)


def test_marks_and_outbox_survive_a_reopen_in_order(location):
    with open_store(location) as store:
        store.start_watchlist("w", [mark("evt-0", alerts=0)])
        store.queue_alerts([mark(figures={"fatalities": [4, 4, 4]})], [queued("a"), queued("b")])
        store.queue_alerts([], [queued("c", notifier="mail")])
    with open_store(location) as store:
        assert store.started_watchlists() == {"w"}
        marks = store.alert_marks()
        assert marks[("w", "evt-0")].alerts == 0
        assert marks[("w", "evt-1")].figures == {"fatalities": [4, 4, 4]}
        assert [a.id for a in store.pending_alerts()] == ["a", "b", "c"]
        assert [a.id for a in store.pending_alerts("desk")] == ["a", "b"]
        store.alert_failed("a", "HTTP 503")
        store.alert_delivered("b")
        [first, mailed] = store.pending_alerts("desk") + store.pending_alerts("mail")
        assert (first.id, first.attempts, first.last_error) == ("a", 1, "HTTP 503")
        assert first.body["summary"] == "Bombing in Pattan."
        assert (mailed.id, mailed.notifier) == ("c", "mail")
        store.queue_alerts([mark(figures={"fatalities": [5, 5, 5]}, alerts=2)], [])
        assert store.alert_marks()[("w", "evt-1")].alerts == 2


def test_source_locators_of_one_feed(location):
    with open_store(location) as store:
        for locator in ("https://e.org/f_1#a", "https://e.org/f_1#b#1", "https://e.org/fx1#c"):
            store.add_article(Article(id=locator[-3:], text="t " + locator, locator=locator))
        # "_" is a LIKE wildcard: it must match itself only.
        assert store.source_locators("https://e.org/f_1#") == {
            "https://e.org/f_1#a",
            "https://e.org/f_1#b#1",
        }
