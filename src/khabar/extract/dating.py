"""Dates that one attack of an article lends another: "the strikes came two days after
a suicide bombing" dates the strikes from the bombing's day."""

from __future__ import annotations

import datetime as dt
import re

from ..records import DateSpan, Incident
from ._match import compile as _compile
from .numbers import word_number
from .view import ArticleView, Sentence

__all__ = ["dated_after_another"]

_DAYS_AFTER = _compile(
    r"\b(?:came|comes|took place|happened|followed|were carried out|was carried out)\s+"
    r"(?:just\s+|only\s+)?(?P<n>a|one|two|three|four|five|six|\d)\s+days?\s+after\b",
    re.IGNORECASE,
)


_NOUNS = {
    kind: _compile(rf"\b(?:{words})", re.IGNORECASE)
    for kind, words in {
        "bombing": "bomb|blast|explosion|suicide",
        "armed_assault": "attack|assault|ambush|gunmen|raid",
        "drone_strike": "drone|strike",
        "air_strike": "air ?strike|strike|warplane|jet|aircraft|bombard",
        "kidnapping": "kidnap|abduct",
        "hijacking": "hijack",
        "assassination": "assassinat|killing of|shot dead",
        "clash": "clash|fighting|exchange of fire",
        "other_attack": "rocket|mortar|shell|attack",
    }.items()
}


def dated_after_another(
    view: ArticleView, incidents: list[Incident], incident: Incident, sentences: list[Sentence]
) -> Incident:
    """The article's one undated attack, told to have "come two days after" its one
    other attack of a known day, is dated from it ("the strikes came two days after a
    suicide bombing" ... "on Saturday, a suicide bomber ..."). The sentence may stand
    with either attack's sentences: ``sentences`` are the undated attack's, then the
    article's."""
    found = next(((s, m) for s in sentences if (m := _DAYS_AFTER.search(s.text))), None)
    others = [
        i
        for i in incidents
        if i is not incident and i.date is not None and i.date.precision == "day"
    ]
    if found is None or len({i.date.value for i in others}) != 1:  # type: ignore[union-attr]
        return incident
    other = others[0]
    sentence, match = found
    tail = sentence.text[match.end() : match.end() + 80]
    if _NOUNS[incident.event_type].search(tail) and not _NOUNS[other.event_type].search(tail):
        return incident  # "the bombing came two days after the strikes": the other way
    day = other.date.earliest + dt.timedelta(days=word_number(match["n"]) or 1)  # type: ignore[operator,union-attr]
    if view.reference is not None and day > view.reference:
        return incident
    date = DateSpan(value=day.isoformat(), precision="day", earliest=day, latest=day)
    cited = view.cite("date", sentence)
    evidence = (*incident.evidence, cited, *(e for e in other.evidence if e.field == "date"))
    return incident.model_copy(update={"date": date, "evidence": evidence})
