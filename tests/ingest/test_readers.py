"""Every source kind end to end, and every kind of bad input costing only itself."""

import datetime as dt
import io
import json
import shutil

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from conftest import Route
from khabar.ingest import IngestOptions, Reader, discover, run
from khabar.records import Article, IngestFailure

STORY = (
    "JALALABAD: A roadside bomb hit a vehicle carrying health workers in Nangarhar province "
    "on Sunday, killing two of them and wounding three others, a provincial spokesman said."
)


def read_all(*inputs, **options):
    items = list(run([str(i) for i in inputs], options=IngestOptions(**options)))
    articles = [item for item in items if isinstance(item, Article)]
    failures = [item for item in items if isinstance(item, IngestFailure)]
    return articles, failures


def test_reader_reads_text_with_front_matter(data_dir):
    (article,), failures = read_all(data_dir / "text" / "front-matter.txt")
    assert failures == []
    assert article.title == "Kidnapped Chinese engineers freed after three weeks"
    assert article.outlet == "Crescent Times"
    assert article.published == dt.date(2026, 3, 3)
    assert article.published_from == "metadata"
    assert article.language == "en"
    assert article.dateline == "KABUL, AFGHANISTAN"
    assert article.file == "front-matter.txt"
    assert article.text.startswith("KABUL, AFGHANISTAN – Two Chinese engineers")


def test_reader_splits_a_multi_story_page_into_articles(data_dir):
    articles, _ = read_all(data_dir / "pages" / "two-stories.txt")
    assert [(a.part, a.locator, a.published) for a in articles] == [
        (1, "two-stories.txt#1", dt.date(2026, 1, 14)),
        (2, "two-stories.txt#2", dt.date(2026, 1, 16)),
    ]
    assert all(a.published_from == "text" for a in articles)
    assert len({a.id for a in articles}) == 2


def test_reader_reads_html_with_outlet_and_date(data_dir):
    (article,), _ = read_all(data_dir / "html" / "checkpoint.html")
    assert article.outlet == "Frontier Ledger"
    assert article.published == dt.date(2026, 2, 10)
    assert article.dateline == "BANNU"


def test_reader_reads_a_feed_and_reports_a_summary_only_entry(data_dir):
    articles, failures = read_all(data_dir / "feeds" / "wire.xml", follow_feed_links=False)
    assert [a.title for a in articles] == [
        "Border guard killed in clash on Tajik-Afghan frontier",
        "Khatlon cotton harvest beats forecast",
    ]
    assert articles[0].outlet == "Pamir Courier"
    assert articles[0].locator == "wire.xml#https://pamircourier.example/news/border-guard-killed"
    assert articles[0].dateline == "DUSHANBE, Tajikistan"
    (failure,) = failures
    assert failure.locator == "wire.xml#summary-only"
    assert "short summary" in failure.reason


def test_reader_reads_json_and_jsonl_and_reports_bad_lines(write):
    write(
        "one.json",
        json.dumps(
            {
                "title": "T",
                "text": STORY,
                "published": "2026-01-04",
                "url": "https://www.dawn.com/news/1",
            }
        ),
    )
    write(
        "many.jsonl",
        "\n".join(
            [
                json.dumps({"text": STORY.replace("two", "four")}),
                '{"text": "broken',
                json.dumps({"html": "<p>" + STORY.replace("two", "six") + "</p>"}),
                json.dumps(["not", "an", "object"]),
                json.dumps({"title": "no text"}),
                "",
            ]
        ),
    )
    articles, failures = read_all(write("one.json", "").parent)
    by_locator = {a.locator: a for a in articles}
    assert set(by_locator) == {"many.jsonl:1", "many.jsonl:3"}
    assert [(f.locator, f.code) for f in failures] == [
        ("many.jsonl:2", "K105"),
        ("many.jsonl:4", "K105"),
        ("many.jsonl:5", "K105"),
        ("one.json", "K101"),
    ]


def test_reader_names_the_outlet_from_the_url(write):
    path = write("one.json", json.dumps({"text": STORY, "url": "https://www.dawn.com/news/1"}))
    (article,), _ = read_all(path)
    assert article.outlet == "Dawn"


def test_reader_reads_markdown(write):
    path = write(
        "story.md",
        "---\ntitle: Blast in Jalalabad\n---\n# Blast in Jalalabad\n\n> " + STORY + "\n",
    )
    (article,), _ = read_all(path)
    assert article.title == "Blast in Jalalabad"
    assert article.text == STORY


def test_reader_reads_a_warc_file(tmp_path):
    path = tmp_path / "crawl.warc.gz"
    html = f"<html><body><article><p>{STORY}</p></article></body></html>".encode()
    with open(path, "wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                "https://tolonews.com/afghanistan-1",
                "response",
                payload=io.BytesIO(html),
                http_headers=headers,
            )
        )
    (article,), failures = read_all(path)
    assert failures == []
    assert article.url == "https://tolonews.com/afghanistan-1"
    assert article.outlet == "TOLOnews"
    assert article.locator.startswith("crawl.warc.gz#<urn:uuid:")


def test_reader_fetches_a_page_and_a_feed_from_urls(http_server, data_dir):
    page = (data_dir / "html" / "checkpoint.html").read_bytes()
    http_server.routes["/page"] = Route(page)
    http_server.routes["/rss"] = Route(
        (data_dir / "feeds" / "wire.xml")
        .read_bytes()
        .replace(b"/news/summary-only", http_server.url("/page").encode()),
        content_type="application/rss+xml",
    )
    articles, failures = read_all(
        http_server.url("/page"), http_server.url("/rss"), allow_private=True
    )
    assert failures == []
    assert [a.title for a in articles] == [
        "Police checkpoint attacked in Bannu, three officers killed",
        "Border guard killed in clash on Tajik-Afghan frontier",
        "Khatlon cotton harvest beats forecast",
        "Police checkpoint attacked in Bannu, three officers killed",
    ]
    assert articles[0].id == articles[3].id  # the same page through the feed's link
    assert articles[3].locator == http_server.url("/rss") + "#summary-only"


@pytest.mark.parametrize(
    ("name", "content", "code", "reason"),
    [
        ("empty.txt", b"", "K101", "empty file"),
        ("blank.md", b"\n\n  \n", "K101", "empty file"),
        ("binary.txt", bytes(range(256)) * 4, "K102", "binary file"),
        ("image.html", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "K102", "PNG"),
        ("bad.json", b'{"text": ', "K105", "invalid JSON"),
        (
            "nested.html",
            b"<html><body>" + b"<div>" * 50_000 + b"x" + b"</div>" * 50_000 + b"</body></html>",
            "K108",
            "levels deep",
        ),
        ("bad-front.txt", b"---\ntitle: [oops\n---\nBody text.", "K105", "front matter"),
        ("menu.txt", b"Share\nTweet\nFollow\n", "K107", "page furniture"),
        ("notafeed.xml", b"<?xml version='1.0'?><rss><channel>", "K105", "feed"),
    ],
)
def test_reader_turns_bad_input_into_one_failure_and_keeps_the_rest(
    write, name, content, code, reason
):
    write("good.txt", STORY)
    write(name, content)
    articles, failures = read_all(write("good.txt", STORY).parent)
    assert [a.file for a in articles] == ["good.txt"]
    (failure,) = failures
    assert (failure.locator, failure.code) == (name, code)
    assert reason in failure.reason
    assert "\n" not in failure.reason


def test_reader_refuses_a_20_megabyte_file_without_reading_it(write):
    path = write("huge.txt", b"a" * 20_000_000)
    _, (failure,) = read_all(path)
    assert failure.code == "K103"
    assert "20.0 MB is over the 8.0 MB limit" in failure.reason


def test_reader_skips_an_overlong_jsonl_line_and_reads_the_next(write):
    path = write(
        "dump.jsonl",
        json.dumps({"text": "x" * 5000}) + "\n" + json.dumps({"text": STORY}) + "\n",
    )
    articles, failures = read_all(path, max_bytes=1000)
    assert [a.locator for a in articles] == ["dump.jsonl:2"]
    assert [(f.locator, f.code) for f in failures] == [("dump.jsonl:1", "K103")]


def test_reader_decodes_a_windows_1252_file_and_says_so(write):
    text = "PESHAWAR: The minister’s statement – “we condemn this attack” – came on Monday. " * 3
    (article,), failures = read_all(write("cp1252.txt", text, encoding="cp1252"))
    assert failures == []
    assert "minister’s statement" in article.text
    assert article.encoding is not None


def test_reader_reports_a_feed_that_times_out(http_server):
    http_server.routes["/slow-feed"] = Route(b"<rss/>", delay=2.0)
    _, (failure,) = read_all(http_server.url("/slow-feed"), allow_private=True, timeout=0.3)
    assert failure.code == "K111"
    assert "timed out" in failure.reason


def test_reader_refuses_a_private_url_by_default(http_server):
    http_server.routes["/page"] = Route(b"<p>x</p>")
    _, (failure,) = read_all(http_server.url("/page"))
    assert failure.code == "K112"


def test_reader_gives_syndicated_copies_one_id(write):
    write("outlet-a/story.txt", "Blast in Jalalabad\n\n" + STORY)
    write(
        "outlet-b/copy.txt", "Blast in Jalalabad\n\n" + STORY.replace(",", " ,").replace(" ,", ",")
    )
    articles, _ = read_all(
        write("x.txt", STORY).parent / "outlet-a", write("x.txt", STORY).parent / "outlet-b"
    )
    assert len(articles) == 2
    assert articles[0].id == articles[1].id


def test_reader_read_is_usable_per_source(data_dir):
    sources, _, _, _ = discover([str(data_dir / "pages")])
    with Reader(IngestOptions()) as reader:
        counts = {s.locator: len(list(reader.read(s))) for s in sources}
    assert counts == {"related-block.txt": 1, "two-stories.txt": 2}


def test_reader_leaves_the_input_files_untouched(data_dir, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(data_dir, copy)
    before = {p: p.read_bytes() for p in copy.rglob("*") if p.is_file()}
    read_all(copy)
    assert before == {p: p.read_bytes() for p in copy.rglob("*") if p.is_file()}
