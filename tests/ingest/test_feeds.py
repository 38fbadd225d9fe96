import datetime as dt

import pytest

from khabar.errors import MalformedInput
from khabar.ingest._feeds import looks_like_feed, parse_feed


def test_parse_feed_reads_entries_with_full_content(data_dir):
    title, entries = parse_feed((data_dir / "feeds" / "wire.xml").read_bytes(), max_entries=10)
    assert title == "Pamir Courier"
    assert [entry.has_full_content for entry in entries] == [True, True, False]
    first = entries[0]
    assert first.title == "Border guard killed in clash on Tajik-Afghan frontier"
    assert first.published == dt.date(2026, 2, 7)
    assert first.key == "https://pamircourier.example/news/border-guard-killed"
    assert "Shamsiddin Shohin" in first.content_html


def test_parse_feed_stops_at_max_entries(data_dir):
    _, entries = parse_feed((data_dir / "feeds" / "wire.xml").read_bytes(), max_entries=1)
    assert len(entries) == 1


def test_parse_feed_refuses_what_is_not_a_feed():
    with pytest.raises(MalformedInput):
        parse_feed(b"<html><body>not a feed</body></html>", max_entries=10)


def test_looks_like_feed(data_dir):
    assert looks_like_feed((data_dir / "feeds" / "wire.xml").read_bytes())
    assert looks_like_feed(b'<feed xmlns="http://www.w3.org/2005/Atom">')
    assert not looks_like_feed(b"<!DOCTYPE html><html>")
