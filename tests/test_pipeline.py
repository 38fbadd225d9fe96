"""pipeline.extract_into with a per-document budget: a hung article costs only itself."""

import time
from dataclasses import dataclass

import pytest

from khabar.batch import fork_available
from khabar.pipeline import extract_into
from khabar.records import Article
from khabar.store import open_store


@dataclass(frozen=True)
class _Info:
    name: str = "fake"
    version: str = "0"


@dataclass(frozen=True)
class _Options:
    batch_size: int = 4


class HangingExtractor:
    """Finds nothing; hangs on any article whose text says HANG."""

    info = _Info()
    options = _Options()

    def pipe(self, articles):
        articles = list(articles)  # a batch is read whole before its first result
        if any("HANG" in article.text for article in articles):
            time.sleep(60)
        for _ in articles:
            yield []


def _article(n: int, text: str) -> Article:
    return Article(id=f"{n:016x}", text=text, locator=f"a{n}.txt")


@pytest.mark.skipif(not fork_available(), reason="the budget is enforced with fork")
def test_a_hung_article_is_abandoned_and_its_batch_mates_are_read(db_path):
    store = open_store(str(db_path))
    texts = ["one", "two", "HANG three", "four", "five", "six"]
    store.add_articles([_article(n, text) for n, text in enumerate(texts)])
    started = time.monotonic()
    summary = extract_into(store, HangingExtractor(), doc_timeout=0.5)
    assert time.monotonic() - started < 10
    assert summary.extracted == 5
    assert [(f.locator, f.code) for f in summary.failures] == [("a2.txt", "K130")]
    # The abandoned article stays unread, so the next run tries it again.
    assert [a.id for a in store.articles_to_extract()] == [f"{2:016x}"]
    store.close()
