"""A saved web page -> the story's text and metadata, through trafilatura.

trafilatura finds the main text and leaves menus, comments and "Related" blocks out;
its metadata gives the title, the site name and the date from the page's own tags.
Only the page's metadata is searched for the date (``extensive_search`` off): the text
heuristics of htmldate pick up any date printed on the page.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..errors import NoArticleText
from ._dates import parse_publication_date
from ._guards import check_html

__all__ = ["HtmlStory", "declared_charset", "extract_html"]

_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([a-zA-Z0-9_\-]+)", re.IGNORECASE)

# Less text than this is a menu or a teaser that trafilatura mistook for the story.
MIN_STORY_CHARS = 80


@dataclass(frozen=True)
class HtmlStory:
    text: str
    title: str | None
    outlet: str | None
    url: str | None
    published: dt.date | None
    language: str | None


def declared_charset(html: bytes) -> str | None:
    """The charset a page declares in a ``<meta>`` tag, if any."""
    match = _CHARSET.search(html[:4096])
    return match.group(1).decode("ascii") if match else None


def extract_html(html: str, raw: bytes, *, url: str | None = None) -> HtmlStory:
    """Read a page's story with trafilatura.

    Raises:
        HtmlTooDeep: the page nests elements deeper than the parser can build.
        HtmlTooComplex: more tags, attributes on one tag or characters on one line than
            any real page holds (``_guards``).
        NoArticleText: trafilatura finds no story text on the page.
    """
    check_html(raw)
    import trafilatura

    document = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        deduplicate=False,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    text = getattr(document, "text", None) if document is not None else None
    if not text or len(text.strip()) < MIN_STORY_CHARS:
        found = len(text.strip()) if text else 0
        raise NoArticleText(
            f"no story text found in the HTML page ({found} characters of main text)"
        )
    return HtmlStory(
        text=text,
        title=_clean(document.title),
        outlet=_clean(document.sitename),
        url=_clean(document.url) or url,
        published=parse_publication_date(document.date) if document.date else None,
        language=_clean(getattr(document, "language", None)),
    )


def _clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value or None


_BLOCKS = {
    "p",
    "div",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "tr",
    "section",
    "article",
    "header",
    "footer",
    "pre",
    "dd",
    "dt",
    "figcaption",
    "ul",
    "ol",
    "table",
}


def fragment_to_text(fragment: str) -> str:
    """The text of an HTML fragment (a feed entry's content), one paragraph per block.

    trafilatura is made for whole pages and drops short fragments, so a feed entry's
    markup is flattened here with lxml instead.
    """
    import lxml.etree
    import lxml.html

    if not fragment.strip():
        return ""
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return ""
    for bad in root.xpath("//script|//style|//noscript|//iframe|//form"):
        bad.drop_tree()
    for br in root.iter("br"):
        br.tail = "\n" + (br.tail or "")
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.lower() in _BLOCKS:
            element.tail = "\n\n" + (element.tail or "")
            element.text = "\n\n" + (element.text or "") if element.tag != "div" else element.text
    text = root.text_content()
    return re.sub(r"[ \t]*\n[ \t]*", "\n", re.sub(r"[ \t]+", " ", text)).strip()
