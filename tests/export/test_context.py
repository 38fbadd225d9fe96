"""What exports need beyond the records: the cited articles (looked up one by one for a
few, in one scan for many), and the country tables."""

from __future__ import annotations

import khabar.export
from khabar.export._context import countries
from khabar.pipeline import articles_by_id, export_context
from khabar.records import Article, Incident, SourceRef
from khabar.store import open_store


def test_export_public_api():
    assert sorted(khabar.export.__all__) == [
        "ExportContext",
        "ExportFormat",
        "FORMATS",
        "FormatInfo",
        "check_kind",
        "write",
    ]


def _article(n: int) -> Article:
    return Article(
        id=f"{n:016x}",
        text=f"Invented story number {n}.",
        outlet=f"Outlet {n % 3}",
        url=f"https://outlet.example/{n}",
    )


def test_articles_by_id_gives_the_same_for_few_and_many(tmp_path):
    store = open_store(tmp_path / "a.duckdb")
    try:
        store.add_articles([_article(n) for n in range(80)])
        few = articles_by_id(store, [f"{n:016x}" for n in (1, 2, 3)] + ["ffff"])
        many = articles_by_id(store, [f"{n:016x}" for n in range(70)] + ["ffff"])
        incident = Incident(
            id="evt-1",
            event_type="bombing",
            sources=(
                SourceRef(article_id=f"{5:016x}"),
                SourceRef(article_id="gone", url="https://x.example/y"),
            ),
        )
        context = export_context(store, [incident])
    finally:
        store.close()
    assert sorted(few) == [f"{n:016x}" for n in (1, 2, 3)]
    assert len(many) == 70 and many[f"{2:016x}"] == few[f"{2:016x}"]
    assert context.outlet(f"{5:016x}") == "Outlet 2"
    assert context.outlet("gone") is None and context.articles["gone"].url == "https://x.example/y"


def test_country_codes_cover_every_country():
    table = countries()
    assert table["PK"].alpha3 == "PAK" and table["PK"].numeric == 586
    assert table["TJ"].acled_region == "Caucasus and Central Asia"
    assert table["AF"].name == "Afghanistan"
    assert table["BR"].acled_region is None  # not guessed
    assert all(len(c.alpha3) == 3 for c in table.values())
