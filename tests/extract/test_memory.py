"""An Extractor's memory does not grow with the corpus's vocabulary (spaCy's memory
zones), and reading through zones gives the same records as reading without them."""

from __future__ import annotations

from pathlib import Path

import pytest

import khabar.extract as extract
from khabar.extract import ExtractOptions, Extractor
from khabar.ingest import IngestOptions, run
from khabar.records import Article

REPO = Path(__file__).resolve().parents[2]


def _articles() -> list[Article]:
    found = []
    for folder in (REPO / "demo" / "corpus", REPO / "tests" / "data" / "extract" / "articles"):
        found += [
            a
            for a in run([str(folder)], options=IngestOptions(follow_feed_links=False))
            if isinstance(a, Article)
        ]
    return sorted(found, key=lambda a: a.id)


def _dump(extractor: Extractor, articles: list[Article]) -> list[str]:
    return [r.model_dump_json() for records in extractor.pipe(articles) for r in records]


def _invented(n: int, tag: str) -> Article:
    """A short report whose every name and figure is a word no text had before."""
    words = " ".join(f"Qorv{tag}{n}x{k}" for k in range(40))
    text = (
        f"Gunmen killed {n + 3} policemen in Zhelbar{tag}{n} district on Monday, "
        f"officials said. {words}."
    )
    return Article(id=f"zone-{tag}-{n}", text=text)


@pytest.fixture
def zones(monkeypatch: pytest.MonkeyPatch):
    def use(warm: int, batches: int = 1) -> None:
        monkeypatch.setattr(extract, "_WARM_ARTICLES", warm)
        monkeypatch.setattr(extract, "_ZONE_BATCHES", batches)

    return use


def test_zones_give_the_same_records(zones) -> None:
    articles = _articles()
    assert len(articles) > 20
    zones(warm=3, batches=1)  # three outside, then a zone per batch of two
    zoned = _dump(Extractor(ExtractOptions(batch_size=2)), articles)
    zones(warm=10**9)
    plain = _dump(Extractor(ExtractOptions(batch_size=2)), articles)
    assert len(plain) > 20
    assert zoned == plain
    # one article at a time (what `Extractor.extract` and the workers' tasks do)
    zones(warm=0, batches=1)
    single = Extractor(ExtractOptions(batch_size=2))
    assert [r.model_dump_json() for a in articles for r in single.extract(a)] == plain


def test_new_words_are_forgotten_after_the_warm_articles(zones) -> None:
    zones(warm=4, batches=1)
    extractor = Extractor(ExtractOptions(batch_size=4))
    vocab = extractor.nlp.vocab
    list(extractor.pipe([_invented(n, "a") for n in range(4)]))  # the warm articles
    strings = len(vocab.strings)
    assert "Qorva3x5" in vocab.strings and "Qorva3x5" in vocab
    assert any(records for records in extractor.pipe([_invented(n, "b") for n in range(12)]))
    # (``len(vocab)`` only counts additions: spaCy does not lower it when a zone ends)
    assert len(vocab.strings) == strings
    assert "Qorvb3x5" not in vocab.strings and "Qorvb3x5" not in vocab

    # without zones the same kind of text grows both (the test can fail)
    zones(warm=10**9)
    list(Extractor(ExtractOptions(batch_size=4)).pipe([_invented(n, "c") for n in range(12)]))
    assert len(vocab.strings) > strings + 12 * 40


def test_state_actors_are_kept_for_a_bounded_number_of_days(monkeypatch) -> None:
    import datetime as dt

    monkeypatch.setattr(extract, "_STATE_DATES", 5)
    extractor = Extractor(ExtractOptions(model="blank"))
    day = dt.date(2024, 1, 1)
    first = extractor._states(day)
    for n in range(20):
        assert extractor._states(day + dt.timedelta(days=n)) == first
        assert len(extractor._state_cache) <= 5
