"""The statement lexicon (``data/statement_lexicon.yaml``) compiled once: reporting verbs
by type, the cues of statements made without such a verb, and what cancels a statement."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from .._match import compile as _compile
from ..nlp import TITLE_ABBREVIATIONS
from ..timex import find_times
from ..view import ArticleView, Sentence

__all__ = [
    "ABOUT",
    "StatementLexicon",
    "clause_start_before",
    "load_statement_lexicon",
    "record_id",
    "said_on",
    "told_on",
]

ABOUT = _compile(
    r"\b(attack|attacks|bombing|blast|explosion|killing|killings|assault|abduction|"
    r"kidnapping|hijacking|strike|strikes|airstrikes?|incident|perpetrators|those behind|"
    r"those responsible|attackers|bomber|victims|martyred|ambush|raid)\b",
    re.IGNORECASE,
)


_TITLE_END = re.compile(
    r"(?:^|\s)(?:" + "|".join(re.escape(t) for t in TITLE_ABBREVIATIONS) + r")$"
)


def clause_start_before(text: str, end: int) -> int:
    """Where the clause that ends at ``end`` starts: after the last ";" or ". ", but not
    after the full stop of a title ("spokesperson Maj. Gen. Ahmed Dar, saying")."""
    at = text.rfind(";", 0, end)
    stop = text.rfind(". ", 0, end)
    while stop >= 0 and _TITLE_END.search(text[max(0, stop - 12) : stop + 1]):
        stop = text.rfind(". ", 0, stop)
    return max(at, stop) + 1


@dataclass(frozen=True)
class StatementLexicon:
    types: tuple[tuple[str, re.Pattern[str]], ...]
    """reporting verbs and their nominal forms, by type, in order of precedence"""
    implicit: tuple[tuple[str, re.Pattern[str]], ...]
    """what a reported content says that makes it a statement without such a verb"""
    hostile: re.Pattern[str]
    """acts an accused actor does (attacking, harbouring, backing, firing from ...)"""
    negated: re.Pattern[str]
    hypothetical: re.Pattern[str]
    speech: re.Pattern[str]
    punitive: re.Pattern[str]
    """what turns a vow or a promise into a threat ("will be brought to justice")"""


def _whole(pattern: str) -> str:
    # "accus(e|ed)" must take "accused" whole, or "accuse|d by" hides the passive.
    if pattern.endswith(" ") or (pattern.endswith(")") and re.search(r"\(\?[!=]", pattern)):
        return f"(?:{pattern})"
    return f"(?:{pattern})(?![a-z])"


def _alternation(patterns: list[str]) -> re.Pattern[str]:
    return _compile(r"\b(?:" + "|".join(_whole(p) for p in patterns) + r")", re.IGNORECASE)


@lru_cache(maxsize=2)
def load_statement_lexicon() -> StatementLexicon:
    """Read and compile the lexicon once per process."""
    raw = resources.files("khabar.data").joinpath("statement_lexicon.yaml").read_text("utf-8")
    spec = yaml.safe_load(raw)
    flags = re.IGNORECASE
    return StatementLexicon(
        types=tuple((kind, _alternation(patterns)) for kind, patterns in spec["types"].items()),
        implicit=tuple(
            (kind, _alternation(patterns)) for kind, patterns in spec["implicit"].items()
        ),
        hostile=_alternation(spec["hostile"]),
        negated=_compile(spec["negated"], flags),
        hypothetical=_compile(spec["hypothetical"]),
        speech=_compile(spec["speech"], flags),
        punitive=_alternation(spec["punitive"]),
    )


def record_id(prefix: str, *parts: object) -> str:
    seed = ":".join(str(p) for p in parts)
    return f"{prefix}-" + hashlib.sha256(seed.encode()).hexdigest()[:16]


def said_on(view: ArticleView, sentence: Sentence, verb: re.Match[str]):  # type: ignore[no-untyped-def]
    """The day of the statement: a time expression right against its verb ("on
    Thursday condemned", "said on Thursday"). Only a day (or a month and day without a
    year) dates a statement: gold dates one only where the text fixes the day it was
    said. "Saturday's attack was claimed" dates the attack, not the claim."""
    for mention in find_times(sentence.text, reference=view.reference, today=view.today):
        gap = min(abs(mention.start - verb.end()), abs(verb.start() - mention.end))
        if gap > 60 or not _a_day(mention.span):
            continue
        if sentence.text.startswith(("'s", "’s"), mention.end):
            continue  # a possessive names another event's day
        return mention.span
    return None


def told_on(view: ArticleView, sentence: Sentence, speech: re.Pattern[str]):  # type: ignore[no-untyped-def]
    """The day a sentence says its speaker spoke ("the group said in a statement on
    Monday", "the ministry on March 18 said"): a day within a few words of a speech
    verb, or "today" with the publication date. None when the sentence fixes none."""
    text = sentence.text
    for mention in find_times(text, reference=view.reference, today=view.today):
        if not _a_day(mention.span) or text.startswith(("'s", "’s"), mention.end):
            continue
        before = text[max(0, mention.start - 60) : mention.start]
        after = text[mention.end : mention.end + 30]
        if (
            re.match(rf"^\s+(?:{speech.pattern})", after, re.IGNORECASE)
            or re.search(rf"(?:{speech.pattern}){_TELLING_TAIL}$", before, re.IGNORECASE)
            or _ACCORDING.search(before)
        ):
            return mention.span
    return None


# "According to the ministry, today ...": the day the source told it;
# "In a statement released on Thursday, ...": the statement's own day
_ACCORDING = re.compile(
    r"\baccording to [^,.;:]{1,60},\s*$"
    r"|\b(?:statement|press release|briefing|announcement)\s+(?:\w+\s+)?on\s+$",
    re.IGNORECASE,
)
# between a speech verb and its day: "said in a statement late on Monday"
_TELLING_TAIL = (
    r"(?:\s+(?:in|through|during)\s+(?:a|an|its|his|her|their|the)\s+"
    r"(?:\w+\s+)?(?:statement|press release|post|briefing|message|interview))?"
    r"\s+(?:(?:late|early|earlier|later)\s+)?(?:on\s+)?"
)


def _a_day(span) -> bool:  # type: ignore[no-untyped-def]
    return span.precision == "day" or span.month_day is not None
