"""Statements carried by what is said, not by a verb of their type: "the attack was
planned across the border, officials said" accuses; "Kabul says it does not allow its
soil to be used against any country" denies; "those responsible will be brought to
justice" threatens; a group's "we killed six soldiers" claims. Each needs a speaker the
sentence names (its subject of "said", "according to", a quote's attribution)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...records import ActorRef
from .._match import compile as _compile
from ..actors import ActorDictionary
from ..view import ArticleView, Sentence
from ._lexicon import StatementLexicon
from ._speakers import Speaker
from ._targets import NATIONAL_TARGET, national_ref

__all__ = ["Implicit", "implicit_statements"]

_ORIGIN = _compile(
    r"\b(from|based\s+(in|on)|operating\s+(from|in)|sanctuar(y|ies)\s+in|safe\s+havens?\s+in|"
    r"hideouts?\s+in|soil\s+of|territory\s+of|inside|launched\s+from|fired\s+from|"
    r"firing\s+from|across\s+the\s+border\s+in)\s+(the\s+)?$",
    re.IGNORECASE,
)
_LINKED = _compile(
    r"\b(belong(s|ed|ing)?\s+to|members?\s+of|linked\s+to|affiliated\s+with|backed\s+by|"
    r"sponsored\s+by|funded\s+by|proxies\s+of|carried\s+out\s+by|planned\s+by|behind)\b"
    r"[^.;,]{0,45}$",
    re.IGNORECASE,
)
_VICTIM = _compile(
    r"\b(on|at|against|targeting|killed|killing|attacked|struck|hit|with)\s+(the\s+)?$",
    re.IGNORECASE,
)
_SELF_HOSTILE = re.compile(
    r"^([’']s?\s+(complicity|soil|territory|proxies|sanctuar)|-(backed|proxy|sponsored|funded))"
)


_STATE_STRIKE = _compile(
    r"\b(it|we|its\s+(forces|jets|aircraft|troops|military))\s+(had\s+|has\s+|have\s+)?"
    r"(carried\s+out|conducted|launched)\s+[^.;]{0,30}\b(strikes|airstrikes|air\s+strikes|"
    r"drone\s+strikes|raids|bombing)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Implicit:
    kind: str
    target: ActorRef | None
    cue: re.Match[str]


def _accused(
    view: ArticleView,
    sentence: Sentence,
    speaker: Speaker,
    lexicon: StatementLexicon,
    actors: ActorDictionary,
) -> list[tuple[ActorRef, re.Match[str]]]:
    text = sentence.text
    own = actors.ref(speaker[0]).name
    found: list[tuple[ActorRef, re.Match[str]]] = []
    candidates: list[tuple[int, int, ActorRef]] = []
    for mention in view.actors_in(sentence):
        if actors.canonical(mention.actor).kind in ("media", "igo", "person"):
            continue
        candidates.append(
            (
                mention.start - sentence.start,
                mention.end - sentence.start,
                actors.ref(mention.actor),
            )
        )
    for national in NATIONAL_TARGET.finditer(text):
        ref = national_ref(national, view.demonyms, view.states, actors)
        if ref is not None and re.search(
            r"(aircraft|jets|warplanes|drones|forces|troops|army|military|soil|territory|state|"
            r"proxy|proxies|backed|sponsored|intelligence|agencies|regime|interim government)$",
            national.group(0),
        ):
            candidates.append((national.start(), national.start() + len(national.group(1)), ref))
    for start, end, ref in candidates:
        if ref.name == own or any(ref.name == f[0].name for f in found):
            continue
        before = text[max(0, start - 45) : start]
        after = text[end : end + 50]
        self_cue = _SELF_HOSTILE.match(text[end : end + 20]) or re.match(
            r"\s+(soil|territory|proxies|proxy)\b", text[end : end + 15]
        )
        if re.search(r"\b(not|never|no)\b", after[:50]):
            continue  # "its territory will not be used against Pakistan"
        origin = _ORIGIN.search(before)
        agent = None
        if not _VICTIM.search(before):
            clause = re.split(r"[,;]|\b(which|who|that)\b", after)[0] or ""
            agent = lexicon.hostile.search(clause[:45])
        cue = self_cue or origin or _LINKED.search(before) or agent
        if cue is not None:
            found.append((ref, cue))
    return found


def implicit_statements(
    view: ArticleView,
    sentence: Sentence,
    speaker: Speaker,
    lexicon: StatementLexicon,
    actors: ActorDictionary,
    *,
    kinds: tuple[str, ...] | None = None,
) -> list[Implicit]:
    """The statements a sentence's reported content makes, with the cue found.

    Args:
        kinds: only these types (a sentence that continues another's reported speech
            without naming the speaker again carries accusations only).
    """
    text = sentence.text
    made: list[Implicit] = []
    if text.rstrip().endswith("?") or re.search(
        r"\b(if|unless|whether)\b|condition of anonymity|\b(unnamed|anonymous)\b", text
    ):
        return made
    speaker_kind = speaker[0]
    for kind, pattern in lexicon.implicit:
        if kinds is not None and kind not in kinds:
            continue
        cue = pattern.search(text)
        if cue is None:
            continue
        if lexicon.negated.search(text[max(0, cue.start() - 30) : cue.start()]) and kind not in (
            "REJECT",
            "THREATEN",
        ):
            continue
        if kind == "CLAIM_RESPONSIBILITY":
            if actors.is_armed_group(speaker_kind):
                made.append(Implicit(kind, None, cue))
            elif _STATE_STRIKE.search(text):
                # a state announcing its own strike claims it (EVAL.md conventions)
                made.append(Implicit(kind, None, _STATE_STRIKE.search(text)))
        elif kind == "ACCUSE":
            if actors.is_armed_group(speaker_kind):
                continue  # a group telling of its own attack accuses nobody
            for ref, found in _accused(view, sentence, speaker, lexicon, actors):
                made.append(Implicit(kind, ref, found))
        else:
            made.append(Implicit(kind, None, cue))
    return made
