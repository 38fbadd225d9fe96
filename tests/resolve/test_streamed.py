"""resolve_into in two passes over streamed mentions (the DuckDB store) writes exactly
what the one-pass path writes, with hand merges, splits and corrections; and it holds
no accounts while deciding."""

import datetime as dt
import shutil

import duckdb

from khabar.pipeline import merge_events, resolve_into, split_event
from khabar.records import Correction
from khabar.resolve import Resolver
from khabar.store import open_store


class OnePass:
    """The store without ``iter_incident_mentions``: resolve_into's one-pass path."""

    def __init__(self, store):
        self._store = store

    def __getattr__(self, name):
        if name == "iter_incident_mentions":
            raise AttributeError(name)
        return getattr(self._store, name)


def _tables(path):
    with duckdb.connect(str(path), read_only=True) as con:
        events = con.execute("SELECT id, body FROM events ORDER BY id").fetchall()
        links = con.execute(
            "SELECT mention_id, event_id, score, reason FROM incident_links ORDER BY mention_id"
        ).fetchall()
    return events, links


def _windowed_and_single(demo_db, tmp_path):
    """Two copies of the demo database, resolved again: one by the windowed resolver
    (whatever ``resolve.Window`` the test put in place), one in a single pass."""
    windowed, single = tmp_path / "windowed.duckdb", tmp_path / "single.duckdb"
    for path, wrap in ((windowed, lambda store: store), (single, OnePass)):
        shutil.copy(demo_db, path)
        store = open_store(path)
        resolve_into(wrap(store), rebuild=True)
        store.close()
    return windowed, single


def test_two_passes_write_what_one_pass_writes(demo_db, tmp_path):
    streamed, single = tmp_path / "streamed.duckdb", tmp_path / "single.duckdb"
    shutil.copy(demo_db, streamed)
    store = open_store(streamed)
    events = sorted(store.iter_events(), key=lambda e: -len(e.sources))
    big, lone = events[0], events[-1]
    merge_events(store, big.id, lone.id)
    # A split of the merged event, and two corrections (one found by its anchor).
    holder = next(e for e in store.iter_events() if lone.sources[0] in e.sources)
    members = store.mentions_of(holder.id)
    split_event(store, [members[0].id], [m.id for m in members[1:]])
    now = dt.datetime(2026, 12, 1, 9, 0)
    target = next(store.iter_events())
    store.add_correction(
        Correction(
            id="c1",
            event_id=target.id,
            anchor=store.mentions_of(target.id)[0].id,
            field="fatalities",
            value={"low": 7, "best": 7, "high": 7},
            created_at=now,
        )
    )
    store.add_correction(
        Correction(
            id="c2",
            event_id="evt-gone",
            anchor=members[-1].id,
            field="target",
            value="a checkpoint",
            created_at=now,
        )
    )
    store.close()
    shutil.copy(streamed, single)

    for path, wrap in ((streamed, lambda s: s), (single, OnePass)):
        store = open_store(path)
        resolve_into(wrap(store), rebuild=True)
        store.close()
    first, second = _tables(streamed), _tables(single)
    assert first == second
    bodies = "".join(body for _, body in first[0])
    assert '"best":7' in bodies and "a checkpoint" in bodies  # the corrections applied


def test_deciding_keeps_no_accounts(demo_db, tmp_path):
    shutil.copy(demo_db, tmp_path / "d.duckdb")
    store = open_store(tmp_path / "d.duckdb")
    resolver = Resolver(keep_mentions=False)
    for mention, published in store.iter_incident_mentions(page=7):
        resolver.add(mention, published)
    store.close()
    assert resolver.event_count()
    assert all(not event.mentions for event in resolver._state.events.values())
    resolver.release()


def test_a_window_of_two_events_takes_every_decision_of_memory(demo_db, tmp_path, monkeypatch):
    """Events written to disk as soon as two are newer are still found by their keys:
    the decisions and the stored events are those of the all-in-memory resolver."""
    import functools

    import khabar.resolve as resolve

    calls = []
    small = functools.partial(resolve.Window, cap=2)
    monkeypatch.setattr(resolve, "Window", lambda days: calls.append(days) or small(days))
    windowed, single = _windowed_and_single(demo_db, tmp_path)
    assert calls  # the windowed resolver ran
    assert _tables(windowed) == _tables(single)


def test_evicted_events_are_read_back(demo_db, tmp_path):
    from khabar.resolve import Window

    shutil.copy(demo_db, tmp_path / "d.duckdb")
    store = open_store(tmp_path / "d.duckdb")
    mentions = list(store.iter_incident_mentions())
    store.close()
    memory, windowed = Resolver(), Resolver(keep_mentions=False)
    windowed._state = Window(0, cap=1)
    for mention, published in mentions:
        assert memory.add(mention, published) == windowed.add(mention, published)
    assert windowed._state.cold > 1 and len(windowed._state.events) == 1
    assert windowed.event_count() == len(memory.event_ids())
    windowed.release()


def test_an_evicted_event_keeps_every_field_of_its_candidate():
    """What the window writes to disk reads back whole: a field added to Candidate
    (month_days, once) must not be dropped, or evicted events would score differently."""
    import dataclasses

    from khabar.records import Location
    from khabar.resolve import _Event
    from khabar.resolve._score import Candidate, When
    from khabar.resolve._window import _pack, _unpack

    day = dt.date(2025, 3, 9)
    filled = {
        "country": "PK",
        "locations": [Location(country="PK", admin1="Balochistan", place="Turbat")],
        "whens": [When(day, day, True, True)],
        "fatalities": [4],
    }
    values = {}
    for f in dataclasses.fields(Candidate):
        if f.name in filled:
            values[f.name] = filled[f.name]
        else:
            default = f.default_factory()  # every other field is a set of strings
            assert isinstance(default, set), f"{f.name}: give the test a value for it"
            values[f.name] = {f"{f.name}-value"}
    event = _Event("evt-x", [], Candidate(**values), by_hand=True)
    back = _unpack(_pack(event))
    assert (back.id, back.by_hand) == ("evt-x", True)
    assert back.candidate == event.candidate


def test_the_second_pass_holds_at_most_its_cap_of_accounts(demo_db, tmp_path, monkeypatch):
    """Past ``account_cap`` accounts held, the second pass writes the events held
    longest to disk (a large event too, as it grows): the stored tables are those of the
    one-pass path, and no more accounts than the cap were ever held at once."""
    import khabar.resolve as resolve

    made, most = [], [0]

    class Capped(resolve.Window):
        def __init__(self, days):
            super().__init__(days)
            self.account_cap = 2
            made.append(self)

        def hold(self, event_id, account):
            super().hold(event_id, account)
            most[0] = max(most[0], self._held)
            assert self._held == sum(len(a) for a in self._open.values())

    monkeypatch.setattr(resolve, "Window", Capped)
    windowed, single = _windowed_and_single(demo_db, tmp_path)
    assert made and made[0]._spilled > 1  # events went to disk, some more than once
    assert 0 < most[0] <= 2
    assert _tables(windowed) == _tables(single)
