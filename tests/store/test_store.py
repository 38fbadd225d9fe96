"""The repository interface, against every backend (DuckDB, then PostgreSQL)."""

import datetime as dt

import pytest

from khabar.records import Article, Count, Incident, SourceRef, SpeakerRef, Statement
from khabar.store import ArticleQuery, open_store


def article(n, **fields):
    values = dict(
        id=f"{n:016x}",
        text=f"Story number {n}.",
        title=f"Title {n}",
        file=f"f{n}.txt",
        locator=f"f{n}.txt",
    )
    values.update(fields)
    return Article(**values)


@pytest.fixture
def store(location):
    with open_store(location) as opened:
        yield opened


def test_add_article_is_idempotent_and_keeps_every_source(store):
    assert store.add_article(article(1)) is True
    assert store.add_article(article(1)) is False
    assert store.add_article(article(1, file="copy.txt", locator="copy.txt", outlet="B")) is False
    assert store.count_articles() == 1
    sources = store.sources_of(article(1).id)
    assert [s.locator for s in sources] == ["f1.txt", "copy.txt"]
    assert sources[1].outlet == "B"
    (stored,) = store.find_articles(article(1).id)
    assert stored == article(1)


def test_find_articles_by_prefix(store):
    store.add_article(article(1, id="abc0000000000001"))
    store.add_article(article(2, id="abc0000000000002"))
    store.add_article(article(3, id="def0000000000003"))
    assert len(store.find_articles("abc")) == 2
    assert store.find_articles("%") == []
    assert [a.id for a in store.find_articles("def")] == ["def0000000000003"]


def test_list_articles_filters_and_orders(store):
    store.add_article(article(1, published=dt.date(2026, 1, 5), outlet="Dawn"))
    store.add_article(
        article(
            2,
            published=dt.date(2026, 2, 5),
            outlet="Pamir Courier",
            text="A border guard was killed.",
        )
    )
    store.add_article(article(3))
    assert [a.title for a in store.list_articles(ArticleQuery())] == [
        "Title 2",
        "Title 1",
        "Title 3",
    ]
    assert [a.title for a in store.list_articles(ArticleQuery(since="2026-02-01"))] == ["Title 2"]
    assert [a.title for a in store.list_articles(ArticleQuery(until="2026-01-31"))] == ["Title 1"]
    assert [a.title for a in store.list_articles(ArticleQuery(outlet="pamir"))] == ["Title 2"]
    assert [a.title for a in store.list_articles(ArticleQuery(text="BORDER"))] == ["Title 2"]
    assert [a.title for a in store.list_articles(ArticleQuery(limit=1, offset=1))] == ["Title 1"]
    assert store.list_articles(ArticleQuery(text="100%")) == []


def test_put_record_round_trips_and_replaces(store):
    incident = Incident(
        id="inc-1",
        event_type="bombing",
        fatalities=Count(low=3, best=3, high=4),
        sources=(SourceRef(article_id="a", file="f.txt"),),
    )
    statement = Statement(
        id="st-1", type="REJECT", source=SpeakerRef(name="Pakistan", country="PK")
    )
    store.put_record(incident)
    store.put_record(statement)
    store.put_record(incident.model_copy(update={"suicide": True}))
    assert [r.id for r in store.iter_records()] == ["inc-1", "st-1"]
    (loaded,) = store.iter_records("incident")
    assert loaded.suicide is True
    assert loaded == incident.model_copy(update={"suicide": True})


def test_add_articles_writes_a_batch_and_counts_repeats_once(store):
    batch = [article(1), article(2), article(1, locator="again.txt"), article(3)]
    assert store.add_articles(batch) == [True, True, False, True]
    assert store.add_articles([article(3), article(4)]) == [False, True]
    assert store.count_articles() == 4
    assert {s.locator for s in store.sources_of(article(1).id)} == {"f1.txt", "again.txt"}
    assert store.add_articles([]) == []


def test_count_articles_takes_the_list_filters(store):
    store.add_articles(
        [
            article(1, published=dt.date(2025, 1, 5), outlet="Dawn"),
            article(2, published=dt.date(2025, 3, 1), outlet="Tolo News"),
            article(3, text="A story about Quetta."),
        ]
    )
    assert store.count_articles() == 3
    assert store.count_articles(ArticleQuery(since=dt.date(2025, 2, 1))) == 1
    assert store.count_articles(ArticleQuery(outlet="dawn", limit=1)) == 1
    assert store.count_articles(ArticleQuery(text="quetta")) == 1


def test_records_of_and_mentions_of_an_event(store):
    store.add_articles([article(1), article(2)])
    mention = Incident(
        id="inc-a", event_type="bombing", sources=(SourceRef(article_id=article(1).id),)
    )
    other = Incident(
        id="inc-b", event_type="bombing", sources=(SourceRef(article_id=article(2).id),)
    )
    store.replace_records(article(1).id, [mention], extractor="t", model="m")
    store.replace_records(article(2).id, [other], extractor="t", model="m")
    event = mention.model_copy(update={"id": "evt-1"})
    store.save_resolution(
        [event], [("inc-a", "evt-1", None, "new event"), ("inc-b", "evt-1", 5.0, "same place")]
    )
    assert [r.id for r in store.records_of(article(1).id)] == ["inc-a"]
    assert [m.id for m in store.mentions_of("evt-1")] == ["inc-a", "inc-b"]
    assert store.mentions_of("evt-none") == []


def test_find_events_by_whole_id_or_literal_prefix(store):
    events = [
        Incident(id=event_id, event_type="bombing")
        for event_id in ("evt-1a2b", "evt-1a2c", "evt-1_2b", "evt-9")
    ]
    store.save_resolution(events, [])
    assert [e.id for e in store.find_events("evt-1a2b")] == ["evt-1a2b"]
    assert [e.id for e in store.find_events("evt-1a")] == ["evt-1a2b", "evt-1a2c"]
    # "_" and "%" are characters of the prefix, not LIKE's wildcards
    assert [e.id for e in store.find_events("evt-1_")] == ["evt-1_2b"]
    assert store.find_events("evt-%") == []
    assert store.find_events("evt-0") == []


def test_corrections_round_trip_in_the_order_made(store):
    from khabar.records import Correction, Evidence

    first = Correction(
        id="c1",
        event_id="evt-1",
        anchor="inc-a",
        field="fatalities",
        value={"low": 3, "best": 4, "high": 5},
        note="the hospital's figure",
        author="analyst",
        evidence=Evidence(article_id="a" * 16, start=0, end=5, quote="Story"),
        created_at=dt.datetime(2026, 1, 2, 10, 0),
    )
    second = first.model_copy(
        update={
            "id": "c0",
            "field": "target",
            "value": "a convoy",
            "evidence": None,
            "created_at": dt.datetime(2026, 1, 2, 11, 0),
        }
    )
    store.add_correction(second)
    store.add_correction(first)
    assert store.corrections() == [first, second]


def test_incident_mentions_of_one_batch_come_by_publication_date_undated_last(store):
    # Dated reports anchor events before undated ones are decided against them.
    undated = article(1)
    late = article(2, published=dt.date(2024, 5, 9))
    early = article(3, published=dt.date(2024, 5, 6))
    store.add_articles([undated, late, early])
    for n, item in ((1, undated), (2, late), (3, early)):
        mention = Incident(
            id=f"inc-{n}", event_type="bombing", sources=(SourceRef(article_id=item.id),)
        )
        store.replace_records(item.id, [mention], extractor="t", model="m")
    assert [m.id for m, _ in store.incident_mentions()] == ["inc-3", "inc-2", "inc-1"]


def test_hand_decisions_are_listed_and_removed_with_their_pairs(store):
    from khabar.records import HandDecision

    merge = HandDecision(
        id="hd-1", kind="merge", event_id="evt-a", other="evt-b", created_at=dt.datetime(2025, 1, 1)
    )
    store.add_overrides([("m1", "m2", "together"), ("m1", "m3", "together")], decision=merge)
    store.add_overrides([("m4", "m5", "apart")])  # stored without a decision (older code)
    listed = store.hand_decisions()
    assert (listed[0].id, listed[0].kind, listed[0].pairs) == ("hd-1", "merge", 2)
    assert listed[0].mentions == ("m1", "m2", "m3")
    legacy = listed[1]
    assert legacy.id.startswith("legacy-") and legacy.kind == "split"
    assert store.remove_decision("hd-1") is not None
    assert sorted(store.overrides()) == [("m4", "m5", "apart")]
    assert store.remove_decision(legacy.id) is not None
    assert store.overrides() == [] and store.hand_decisions() == []
    assert store.remove_decision("hd-none") is None


def test_every_write_raises_the_change_token_that_other_connections_see(store, location):
    start = store.change_token()
    store.add_article(article(1))
    assert store.change_token() == start + 1
    store.count_articles()
    store.list_articles(ArticleQuery())
    assert store.change_token() == start + 1  # reads do not count
    store.replace_records(article(1).id, [], extractor="t", model="m")
    assert store.change_token() == start + 2
    if "postgresql" in location:  # another process's view of the same database
        with open_store(location) as other:
            other.add_article(article(2))
        assert store.change_token() == start + 3


def test_ids_to_extract_come_a_page_at_a_time_after_a_given_id(store):
    seen = dt.datetime(2025, 1, 1)
    store.add_articles([article(n) for n in (5, 3, 9)], seen_at=seen)  # one time: by id
    store.add_articles([article(n) for n in (1, 7)], seen_at=seen + dt.timedelta(hours=1))
    every = [f"{n:016x}" for n in (3, 5, 9, 1, 7)]  # first seen, then id
    assert store.ids_to_extract() == every
    assert store.count_to_extract() == 5
    assert store.ids_to_extract(limit=2) == every[:2]
    assert store.ids_to_extract(after=every[1], limit=2) == every[2:4]
    assert store.ids_to_extract(after=every[3]) == every[4:]
    # An article extracted meanwhile drops out; the page after it is the same.
    store.replace_records(every[2], [], extractor="test")
    assert store.ids_to_extract(after=every[1]) == every[3:]
    assert store.count_to_extract() == 4
    assert store.ids_to_extract(every=True, after=every[1], limit=1) == [every[2]]
    assert store.count_to_extract(every=True) == 5
