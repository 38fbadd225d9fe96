"""DuckDBStore.replace_records_many writes what one replace_records per article writes."""

import duckdb

from khabar.records import Article, Incident, SourceRef
from khabar.store import open_store


def _incident(rid: str, article: str, place_killed: int) -> Incident:
    return Incident(
        id=rid,
        event_type="bombing",
        sources=(SourceRef(article_id=article),),
        target=f"target {place_killed}",
    )


def _state(path):
    with duckdb.connect(str(path), read_only=True) as con:
        records = con.execute(
            "SELECT id, kind, body, article_id FROM records ORDER BY id"
        ).fetchall()
        marks = con.execute(
            "SELECT article_id, extractor, model, records FROM article_extractions "
            "ORDER BY article_id"
        ).fetchall()
    return records, marks


def test_many_articles_in_one_transaction_equal_one_call_each(tmp_path):
    articles = [Article(id=f"{n:016x}", text=f"text {n}") for n in range(3)]
    first = [
        (articles[0].id, [_incident("inc-a", articles[0].id, 1)]),
        (articles[1].id, [_incident("inc-b", articles[1].id, 2)]),
    ]
    # The second round re-extracts article 0 (its record changes, one is dropped) and
    # gives article 2 a record whose id article 1 had (the last body wins).
    second = [
        (articles[0].id, [_incident("inc-c", articles[0].id, 3)]),
        (articles[2].id, [_incident("inc-b", articles[2].id, 4)]),
        (articles[1].id, []),
    ]
    paths = [tmp_path / "one.duckdb", tmp_path / "many.duckdb"]
    for path in paths:
        store = open_store(path)
        store.add_articles(articles)
        for batch in (first, second):
            if path.name == "one.duckdb":
                for article_id, records in batch:
                    store.replace_records(article_id, records, extractor="k", model="m")
            else:
                store.replace_records_many(batch, extractor="k", model="m")
        store.close()
    one, many = _state(paths[0]), _state(paths[1])
    assert one == many
    assert [r[0] for r in one[0]] == ["inc-b", "inc-c"]
    assert one[1][1][3] == 0  # article 1 was read and found nothing
