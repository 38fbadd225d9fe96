"""Cut an article's text into runs, each marked with the evidence spans that cover it.

The page renders every run as escaped text, inside a ``<mark>`` when evidence covers it;
no markup is ever built by joining strings, so nothing in an article can become markup.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from ..records import Evidence

__all__ = ["Run", "runs"]


@dataclass
class Run:
    text: str
    marks: list[int] = field(default_factory=list)
    """indexes (into the evidence list) of the spans covering this run"""
    starts: list[int] = field(default_factory=list)
    """indexes of the spans that begin here (each gets an anchor)"""


def runs(text: str, evidence: list[Evidence]) -> list[Run]:
    """The text as runs. Spans that do not match the text (an article re-ingested with
    other text, a quote cut differently) are left out, not shown at the wrong place."""
    spans = [
        (i, e.start, e.end)
        for i, e in enumerate(evidence)
        if e.end <= len(text) and e.start < e.end and text[e.start : e.end] == e.quote
    ]
    cuts = sorted({0, len(text), *(s for _, s, _ in spans), *(e for _, _, e in spans)})
    out: list[Run] = []
    for a, b in itertools.pairwise(cuts):
        out.append(
            Run(
                text=text[a:b],
                marks=[i for i, s, e in spans if s <= a and b <= e],
                starts=[i for i, s, _ in spans if s == a],
            )
        )
    return out
