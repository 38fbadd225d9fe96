"""The public API of each stage is what its __all__ says; changes here are deliberate."""

import khabar
import khabar.ingest
import khabar.records
import khabar.store


def test_ingest_public_api():
    assert sorted(khabar.ingest.__all__) == [
        "Fetched",
        "Fetcher",
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
        "AlertMark",
        "ArticleQuery",
        "DuckDBStore",
        "ExportRecord",
        "FeedState",
        "QueuedAlert",
        "Store",
        "is_server_url",
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
        "CorrectableField",
        "Correction",
        "Count",
        "DatePrecision",
        "DateSpan",
        "EventType",
        "Evidence",
        "HandDecision",
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


def test_serve_and_resolve_public_api():
    import khabar.resolve
    import khabar.serve

    assert sorted(khabar.serve.__all__) == ["ServeOptions", "create_app"]
    assert {"apply_corrections", "correct", "normalise_value", "CORRECTABLE"} <= set(
        khabar.resolve.__all__
    )


def test_every_public_name_exists():
    import khabar.resolve
    import khabar.serve

    for module in (
        khabar,
        khabar.ingest,
        khabar.records,
        khabar.store,
        khabar.resolve,
        khabar.serve,
    ):
        for name in module.__all__:
            assert hasattr(module, name), f"{module.__name__}.{name}"


def test_the_pipelines_lazy_names_are_its_public_names():
    """``khabar.pipeline`` loads each name's module on first use: its table of names
    and its ``__all__`` list the same names, and each one loads."""
    import khabar.pipeline as pipeline

    assert sorted(pipeline._MODULE_OF) == sorted(pipeline.__all__)
    for name in pipeline.__all__:
        assert getattr(pipeline, name) is not None, name
    assert "ingest_into" in dir(pipeline)
