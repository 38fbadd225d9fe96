"""The public API of each stage is what its __all__ says; changes here are deliberate."""

import khabar
import khabar.ingest
import khabar.records
import khabar.store


def test_ingest_public_api():
    assert sorted(khabar.ingest.__all__) == [
        "IngestOptions",
        "Reader",
        "SUFFIXES",
        "Source",
        "SourceKind",
        "discover",
        "fingerprint",
        "run",
    ]


def test_store_public_api():
    assert sorted(khabar.store.__all__) == [
        "ArticleQuery",
        "DuckDBStore",
        "ExportRecord",
        "Store",
        "latest_version",
        "open_store",
    ]


def test_records_public_api():
    assert sorted(khabar.records.__all__) == [
        "ActorRef",
        "Allegation",
        "Arrest",
        "Article",
        "ArticleSource",
        "Count",
        "DatePrecision",
        "DateSpan",
        "EventType",
        "Evidence",
        "Incident",
        "IngestFailure",
        "Location",
        "LocationPrecision",
        "Perpetrator",
        "SCHEMA_VERSION",
        "SourceRef",
        "SpeakerRef",
        "Statement",
        "StatementType",
        "VictimGroup",
    ]


def test_every_public_name_exists():
    for module in (khabar, khabar.ingest, khabar.records, khabar.store):
        for name in module.__all__:
            assert hasattr(module, name), f"{module.__name__}.{name}"
