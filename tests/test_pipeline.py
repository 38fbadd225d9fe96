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


def _stored(path):
    store = open_store(str(path))
    articles = [(a.id, a.locator) for a in store.get_articles(store.ids_to_extract())]
    store.close()
    return articles


def test_a_big_jsonl_file_is_read_in_pieces_into_the_same_database(tmp_path, monkeypatch):
    """A JSONL file past the piece size goes to the workers as byte ranges at line
    starts: the parent holds one piece's articles at a time, and the database (ids,
    locators with the file's own line numbers, order) is the one of a whole read."""
    from khabar.batch.synth import write_corpus
    from khabar.ingest import IngestOptions, discover
    from khabar.pipeline import _ingest, ingest_into

    (path,) = write_corpus(tmp_path / "corpus", 120, per_file=200)
    size = path.stat().st_size
    pieces = list(_ingest._pieces(discover([str(path)]).sources, size // 4))
    assert len(pieces) >= 4 and [p.stop for p in pieces].count(None) == 1
    assert [p.start for p in pieces[1:]] == [p.stop for p in pieces[:-1]]
    seen, cut = [], []
    ranges = _ingest.line_ranges
    monkeypatch.setattr(_ingest, "line_ranges", lambda *a: cut.append(a) or ranges(*a))
    for name, piece in (("whole", size * 2), ("pieces", size // 4)):
        monkeypatch.setattr(_ingest, "_PIECE", piece)
        with open_store(str(tmp_path / f"{name}.duckdb")) as store:
            summary = ingest_into(
                store,
                [str(path)],
                options=IngestOptions(),
                workers=2,
                on_source=lambda source, total, name=name: seen.append((name, source, total)),
            )
        assert (summary.sources, summary.new) == (1, 120)
    whole, pieced = _stored(tmp_path / "whole.duckdb"), _stored(tmp_path / "pieces.duckdb")
    assert len(cut) == 1  # the second run only
    assert pieced == whole and len(whole) == 120
    assert {locator for _, locator in whole} == {f"part-00000.jsonl:{n}" for n in range(1, 121)}
    # The progress bar still counts one source, done once.
    assert [(n, s is None, t) for n, s, t in seen if n == "pieces"] == [
        ("pieces", True, 1),
        ("pieces", False, 1),
    ]
