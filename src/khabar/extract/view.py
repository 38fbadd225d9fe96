"""An article as the extractors see it: its sentences, with the places and actors found
in it and the date its relative dates are read against."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from ..records import Article, Evidence
from .actors import Actor
from .entities import ActorMention, PlaceMention

__all__ = ["ArticleView", "Sentence"]


@dataclass(frozen=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str


@dataclass
class ArticleView:
    """An article with what the other extractors found in it."""

    article: Article
    sentences: list[Sentence]
    places: list[PlaceMention]
    actors: list[ActorMention]
    reference: dt.date | None
    today: dt.date
    demonyms: dict[str, str] = field(default_factory=dict)
    country_names: dict[str, str] = field(default_factory=dict)
    background_sentences: list[Sentence] = field(default_factory=list)
    states: dict[str, Actor] = field(default_factory=dict)
    """the state actor of each country, as on the article's date"""
    filed_state: Actor | None = None
    """the state of the country the story was filed in (its dateline)"""
    memo: dict[object, object] = field(default_factory=dict)
    """what the extractors read once per sentence and ask for again (tolls)"""
    doc: Any = None
    """the spaCy Doc, for the parse where the model has one (None in hand-built views)"""

    def places_in(self, sentence: Sentence) -> list[PlaceMention]:
        return [p for p in self.places if sentence.start <= p.start < sentence.end]

    def actors_in(self, sentence: Sentence) -> list[ActorMention]:
        return [a for a in self.actors if sentence.start <= a.start < sentence.end]

    def cite(self, field: str, sentence: Sentence) -> Evidence:
        """Evidence for ``field``: the whole sentence, as the article gives it."""
        return Evidence(
            field=field,
            article_id=self.article.id,
            start=sentence.start,
            end=sentence.end,
            quote=sentence.text,
        )
