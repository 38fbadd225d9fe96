import datetime as dt

import pytest

from khabar.errors import HtmlTooDeep, NoArticleText
from khabar.ingest._guards import html_shape
from khabar.ingest._html import declared_charset, extract_html, fragment_to_text


def test_extract_html_reads_story_and_metadata(data_dir):
    raw = (data_dir / "html" / "checkpoint.html").read_bytes()
    story = extract_html(raw.decode(), raw)
    assert story.title == "Police checkpoint attacked in Bannu, three officers killed"
    assert story.outlet == "Frontier Ledger"
    assert story.published == dt.date(2026, 2, 10)
    assert story.url == "https://frontierledger.example/news/bannu-checkpoint-attack"
    assert "BANNU: Militants attacked a police checkpoint" in story.text
    assert "Tehreek-e-Taliban Pakistan" in story.text
    for furniture in ("Traders protest", "Post comment", "All rights reserved", "World"):
        assert furniture not in story.text


def test_extract_html_refuses_a_page_nested_50000_deep():
    html = "<html><body>" + "<div>" * 50_000 + "<p>text</p>" + "</div>" * 50_000 + "</body></html>"
    with pytest.raises(HtmlTooDeep, match="more than 255 levels"):
        extract_html(html, html.encode())


def test_extract_html_refuses_a_page_without_story_text():
    html = "<html><head><title>x</title></head><body><nav>Home</nav></body></html>"
    with pytest.raises(NoArticleText):
        extract_html(html, html.encode())


def test_nesting_depth_ignores_void_and_unclosed_paragraph_tags():
    html = b"<html><body><div><p>a<p>b<br><img src=x><div><span>c</span></div></div></body></html>"
    assert html_shape(html).depth == 5


def test_declared_charset():
    assert declared_charset(b'<meta charset="windows-1252">') == "windows-1252"
    assert (
        declared_charset(
            b'<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">'
        )
        == "ISO-8859-1"
    )
    assert declared_charset(b"<html>") is None


def test_fragment_to_text_keeps_paragraphs_and_drops_scripts():
    text = fragment_to_text("<p>One <b>two</b>.</p><script>alert(1)</script><p>Three<br>four</p>")
    assert [line for line in text.split("\n") if line] == ["One two.", "Three", "four"]
