import gzip
import io

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from khabar.errors import MalformedInput
from khabar.ingest._warc import iter_warc_pages

PAGE = (
    b"<html><head><title>Blast</title></head><body><article><p>KUNDUZ: A bomb exploded "
    b"near a market in Kunduz city on Friday, killing two people and wounding seven, "
    b"police said.</p></article></body></html>"
)


def write_warc(path, records, *, gz=True):
    with open(path, "wb") as stream:
        writer = WARCWriter(stream, gzip=gz)
        for url, content_type, body in records:
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1"
            )
            record = writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), http_headers=headers
            )
            writer.write_record(record)


def test_iter_warc_pages_yields_html_responses_only(tmp_path):
    path = tmp_path / "news.warc.gz"
    write_warc(
        path,
        [
            ("https://kabulevening.example/a", "text/html; charset=utf-8", PAGE),
            ("https://kabulevening.example/logo.png", "image/png", b"\x89PNG"),
        ],
    )
    pages = list(iter_warc_pages(path, max_bytes=100_000))
    assert [page.url for page in pages] == ["https://kabulevening.example/a"]
    assert pages[0].content == PAGE
    assert pages[0].charset == "utf-8"
    assert pages[0].record_id.startswith("<urn:uuid:")


def test_iter_warc_pages_flags_a_record_over_the_limit(tmp_path):
    path = tmp_path / "news.warc"
    write_warc(path, [("https://x.example/big", "text/html", PAGE * 10)], gz=False)
    (page,) = iter_warc_pages(path, max_bytes=100)
    assert page.content is None
    assert "over the" in page.error.message


def test_iter_warc_pages_refuses_a_file_that_is_not_warc(tmp_path):
    path = tmp_path / "fake.warc.gz"
    path.write_bytes(gzip.compress(b"this is not a WARC file at all\n" * 10))
    with pytest.raises(MalformedInput, match="not a readable WARC"):
        list(iter_warc_pages(path, max_bytes=100_000))
