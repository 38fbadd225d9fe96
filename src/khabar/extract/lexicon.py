"""The attack lexicon (``data/attack_lexicon.yaml``), compiled once."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml

from ._match import compile as _compile

__all__ = ["Lexicon", "load_lexicon"]


# eq=False: hashed by identity. Caches keyed by the lexicon (``attacks._triggers_in``) would
# otherwise hash every pattern of it on each call (18 us, 17 times an article).
@dataclass(frozen=True, eq=False)
class Lexicon:
    event_types: tuple[tuple[str, re.Pattern[str]], ...]
    """(event type, trigger pattern), in priority order; a type may appear twice"""
    assassination_titles: re.Pattern[str]
    personal_dispute: re.Pattern[str]
    references: re.Pattern[str]
    generic_plurals: frozenset[str]
    suicide: re.Pattern[str]
    death: re.Pattern[str]
    injury: re.Pattern[str]
    unharmed: re.Pattern[str]
    no_deaths: re.Pattern[str]
    attackers: re.Pattern[str]
    victims: str
    """alternation of victim nouns, to embed in larger patterns"""
    non_violent: re.Pattern[str]
    statistics: re.Pattern[str]
    not_reports: re.Pattern[str]
    background: re.Pattern[str]
    claim: re.Pattern[str]
    claim_negated: re.Pattern[str]
    allegation: re.Pattern[str]


def _union(patterns: list[str]) -> str:
    return "|".join(f"(?:{p})" for p in patterns)


@lru_cache(maxsize=2)
def load_lexicon(path: Path | None = None) -> Lexicon:
    raw = (
        Path(path).read_text("utf-8")
        if path
        else resources.files("khabar.data").joinpath("attack_lexicon.yaml").read_text("utf-8")
    )
    spec = yaml.safe_load(raw)
    flags = re.IGNORECASE

    def words(key: str) -> re.Pattern[str]:
        return _compile(rf"\b(?:{_union(spec[key])})\b", flags)

    return Lexicon(
        event_types=tuple(
            (entry["type"], _compile(rf"\b(?:{_union(entry['patterns'])})\b", flags))
            for entry in spec["event_types"]
        ),
        assassination_titles=_compile(rf"\b{spec['assassination_titles']}\b"),
        personal_dispute=_compile(spec["personal_dispute"], flags),
        references=words("references"),
        generic_plurals=frozenset(w.lower() for w in spec["generic_plurals"]),
        suicide=_compile(_union(spec["suicide"]), flags),
        death=_compile(rf"\b{spec['death']}", flags),
        injury=_compile(rf"\b{spec['injury']}\b", flags),
        unharmed=_compile(rf"\b{spec['unharmed']}", flags),
        no_deaths=_compile(spec["no_deaths"], flags),
        attackers=words("attackers"),
        victims=_union(spec["victims"]),
        non_violent=words("non_violent"),
        statistics=_compile(_union(spec["statistics"]), flags),
        not_reports=_compile(_union(spec["not_reports"]), flags),
        background=_compile(_union(spec["background"]), flags),
        claim=_compile(spec["claim"], flags),
        claim_negated=_compile(spec["claim_negated"], flags),
        allegation=_compile(spec["allegation"], flags),
    )
