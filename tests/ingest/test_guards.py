import time

import pytest

from khabar.errors import HtmlTooComplex, HtmlTooDeep
from khabar.ingest._guards import (
    MAX_ATTRIBUTES,
    MAX_LINE,
    MAX_TAGS,
    check_html,
    html_shape,
)

PAGE = (
    b'<html><head><meta charset="utf-8"><title>Blast</title></head>\n'
    b'<body><div class="story" id="main" data-x="1"><h1>Blast in Kalat</h1>\n'
    b"<p>A roadside bomb killed two soldiers.<br>Police said.</p><img src=a.jpg alt=x/>"
    b"</div></body></html>\n"
)


def test_html_shape_counts_tags_attributes_depth_and_lines():
    shape = html_shape(PAGE)
    assert shape.tags == 10
    assert shape.most_attributes == 3
    assert shape.depth == 4  # html > body > div > h1 (head and title closed before)
    assert shape.longest_line == max(len(line) for line in PAGE.split(b"\n"))


def test_an_ordinary_page_passes():
    assert check_html(PAGE).tags == 10


def test_a_million_attributes_on_one_tag_is_refused_at_once():
    page = b"<html><body><div " + b" ".join(b"a%d=x" % i for i in range(1_000_000)) + b">"
    started = time.monotonic()
    with pytest.raises(HtmlTooComplex, match=f"{MAX_ATTRIBUTES:,} attributes"):
        check_html(page)
    assert time.monotonic() - started < 2


def test_unclosed_paragraphs_past_the_tag_limit_are_refused():
    with pytest.raises(HtmlTooComplex, match=f"{MAX_TAGS:,} tags"):
        check_html(b"<html><body>" + b"<p>word " * (MAX_TAGS + 10))


def test_a_giant_line_is_refused():
    with pytest.raises(HtmlTooComplex, match="line longer"):
        check_html(b"<p>" + b"x" * (MAX_LINE + 1))


def test_deep_nesting_is_still_refused_as_too_deep():
    with pytest.raises(HtmlTooDeep):
        check_html(b"<div>" * 300)


def test_a_page_without_closing_brackets_costs_one_pass():
    started = time.monotonic()
    shape = html_shape(b"<a href=x " * 500_000)
    assert shape.tags == 0
    assert time.monotonic() - started < 2


def test_nesting_depth_ignores_void_and_self_closing_tags():
    assert html_shape(b"<div><p>a<br><img/><span>b</span></div>").depth == 2
