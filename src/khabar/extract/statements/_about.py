"""Which incident a statement concerns: the one its sentence gives evidence for, else the
one its paragraph does, else (when the sentence speaks of "the attack", "those
responsible") the incident the article reports first."""

from __future__ import annotations

from collections.abc import Sequence

from ...records import Incident
from ..view import ArticleView, Sentence
from ._lexicon import ABOUT

__all__ = ["about_of"]


def _paragraph(text: str, start: int, end: int) -> tuple[int, int]:
    begin = text.rfind("\n", 0, start) + 1
    stop = text.find("\n", end)
    return begin, len(text) if stop == -1 else stop


def _touching(incidents: Sequence[Incident], article_id: str, start: int, end: int) -> str | None:
    best: tuple[int, int, str] | None = None
    for incident in incidents:
        hits = sum(
            1 for e in incident.evidence if e.article_id == article_id and start <= e.start < end
        )
        if hits:
            reported = 1 if incident.sources and incident.sources[0].role == "report" else 0
            if best is None or (hits, reported) > best[:2]:
                best = (hits, reported, incident.id)
    return best[2] if best else None


def about_of(
    view: ArticleView, sentence: Sentence, incidents: Sequence[Incident], default: str | None
) -> str | None:
    """The id of the incident the sentence refers to, or None."""
    article_id = view.article.id
    found = _touching(incidents, article_id, sentence.start, sentence.end)
    if found is not None:
        return found
    if not ABOUT.search(sentence.text):
        return None
    start, end = _paragraph(view.article.text, sentence.start, sentence.end)
    return _touching(incidents, article_id, start, end) or default
