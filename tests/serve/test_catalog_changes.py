"""The server's cached view follows writes made by other processes (the change token)."""

from khabar.records import Incident, SourceRef
from khabar.serve._catalog import Catalog
from khabar.store import open_store


def event(n: int) -> Incident:
    return Incident(id=f"evt-{n}", event_type="bombing", sources=(SourceRef(article_id="a"),))


def test_the_catalog_sees_another_writers_incidents_after_its_poll(location):
    with open_store(location) as served:
        catalog = Catalog(served, poll=0.0)
        assert catalog.incidents() == []
        # Another process on PostgreSQL; on DuckDB, the --watch child writes through
        # the server's own store, which is the same object here.
        writer = open_store(location) if "postgresql" in location else served
        try:
            writer.save_resolution([event(1)], [])
        finally:
            if writer is not served:
                writer.close()
        assert [row.id for row in catalog.incidents()] == ["evt-1"]
        generation = catalog.generation
        catalog.incidents()
        assert catalog.generation == generation  # no write, no reload


def test_the_poll_interval_bounds_how_often_the_token_is_read(location):
    with open_store(location) as served:
        catalog = Catalog(served, poll=3600.0)
        catalog.incidents()
        served.save_resolution([event(2)], [])
        assert catalog.incidents() == []  # not looked at again within the interval
        catalog.refresh()
        assert [row.id for row in catalog.incidents()] == ["evt-2"]
