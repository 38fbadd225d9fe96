"""Statement scores by type, and which type a statement was given when its (article,
source, target) matched a gold statement of another type: the confusion by type that
``khabar eval`` sums into one line (kept apart from evaluate.py, which scores fields)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .evaluate import Gold, Prf, _fold, _stem
from .extract.actors import ActorDictionary
from .records import Statement

__all__ = ["StatementConfusion", "statement_confusion"]


@dataclass
class StatementConfusion:
    by_type: dict[str, Prf] = field(default_factory=dict)
    confused: Counter[tuple[str, str]] = field(default_factory=Counter)
    """(gold type, predicted type) -> count, for the same article, source and target"""

    def lines(self) -> list[str]:
        out = [f"{'type':22} {'tp':>4} {'fp':>4} {'fn':>4} {'P':>6} {'R':>6} {'F1':>6}"]
        for kind in sorted(self.by_type):
            s = self.by_type[kind]
            out.append(
                f"{kind:22} {s.tp:4} {s.fp:4} {s.fn:4} {s.precision:6.3f} {s.recall:6.3f} "
                f"{s.f1:6.3f}"
            )
        for (gold, predicted), count in sorted(self.confused.items()):
            out.append(f"gold {gold} given as {predicted}: {count}")
        return out


def statement_confusion(
    statements: list[Statement], gold: Gold, actors: ActorDictionary
) -> StatementConfusion:
    """Per-type tp/fp/fn (matched on article, type, source, target as the scorer does)
    and the type confusions among the misses."""

    def name(text: str | None) -> str:
        if not text:
            return ""
        actor = actors.lookup(text) or actors.find_in(text)
        return _fold(actors.canonical(actor).name if actor else text)

    predicted = [
        (
            _stem(src.file) or "",
            s.type,
            name(s.source.name),
            name(s.target.name if s.target else None),
        )
        for s in statements
        for src in s.sources
    ]
    expected = [(g.article, g.type, name(g.source), name(g.target)) for g in gold.statements]
    remaining = list(expected)
    result = StatementConfusion()
    spurious = []
    for key in predicted:
        stats = result.by_type.setdefault(key[1], Prf())
        if key in remaining:
            remaining.remove(key)
            stats.tp += 1
        else:
            stats.fp += 1
            spurious.append(key)
    for key in remaining:
        result.by_type.setdefault(key[1], Prf()).fn += 1
        other = next((p for p in spurious if (p[0], p[2], p[3]) == (key[0], key[2], key[3])), None)
        if other is not None:
            spurious.remove(other)
            result.confused[(key[1], other[1])] += 1
    return result
