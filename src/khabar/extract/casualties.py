"""Who was killed and wounded, as one sentence states it.

A figure belongs to the casualty verb that governs it: the verb right after it when only
an auxiliary stands between ("18 killed and 30 others were wounded": the 30 are
wounded), else the verb just before it ("killing four policemen and wounding two
others") or, failing that, the verb after it ("five Chinese engineers ... were killed").
A bare figure right after a verb counts people ("killing 2 and injuring 14"). Idioms
count as deaths ("succumbed to their wounds": no injury), "no casualties" is 0 dead, and
an institution named with its country gives the victims' nationality ("Pakistan Army
soldiers", "U.S. Marines"). A figure of attackers ("two attackers were
also killed") is not a toll of victims, a subset ("including a woman") is not added, a
superset ("among three victims") is the total, and "including the bomber" takes the
bomber out of the total. A nationality word before the noun ("Chinese engineers") files
the victims under that country.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice
from typing import Any

from ..records import Count
from ._match import _trie
from ._match import compile as _compile
from .lexicon import Lexicon
from .numbers import find_figures

__all__ = ["SentenceCasualties", "may_name_country", "named_victim", "read_casualties"]

_SUBSET = _compile(r"(including|among them|of them|of whom|one of whom)\s*$", re.IGNORECASE)
_SUPERSET = _compile(r"\bamong\s*$", re.IGNORECASE)
_BOMBER_INCLUDED = _compile(
    r"including (the|a|one|two) (suicide )?(bomber|attacker|assailant)s?", re.IGNORECASE
)
_WORD = re.compile(r"[\w’'-]+")
_SINGULAR_DETERMINER = _compile(r"\b(a|an|one|their|his|her|its|the)\s+$", re.IGNORECASE)
_NAMED_VICTIM = re.compile(
    r"\b(?:shot dead|gunned down|assassinated|killed|stabbed to death)\s+"
    r"(?P<name>(?:(?:Mr|Mrs|Ms|Dr|Mawlawi|Maulana|Mullah|Mufti|Sheikh|Haji|Syed|Sardar|"
    r"Malik|Khan|General|Colonel|Major|Captain)\.?\s+)?[A-Z][a-z]+(?:\s+[A-Z][a-z]+)+)"
)
_NAMED_VICTIM_BEFORE = re.compile(
    r"(?P<name>(?:[A-Z][a-z]+(?:-[A-Z][a-z]+)?\s+){1,5}[A-Z][a-z]+)\s+(?:\([A-Z]+\)\s+)?"
    r"(?:and\s+(?:his|her|their)\s+\w+\s+)?(?:was|were)\s+(?:shot dead|killed|gunned down|"
    r"assassinated|stabbed to death|martyred|shot and killed)"
)


def named_victim(sentence: str) -> str | None:
    """The first victim a sentence names as killed ("Inspector Gul Nawaz was shot dead")."""
    match = _NAMED_VICTIM.search(sentence) or _NAMED_VICTIM_BEFORE.search(sentence)
    return match["name"] if match else None


_TOLL_BEFORE = _compile(
    r"\b(death toll|toll|number of (dead|deaths|fatalities|victims))\b[^.]{0,120}?"
    r"\b(to|at|reached|hit|is|was|of)\s*$",
    re.IGNORECASE,
)
_KIDNAP = _compile(
    r"\b(abduct(ed|ing)|kidnapp?(ed|ing)|seiz(ed|ing)|took hostage|taken hostage|"
    r"held hostage|taken captive|whisked away|hijacked)\b",
    re.IGNORECASE,
)
_STOP_WORDS = {
    "of",
    "and",
    "or",
    "were",
    "was",
    "when",
    "after",
    "as",
    "while",
    "in",
    "at",
    "near",
    "on",
    "by",
    "during",
    "before",
    "but",
    "had",
    "have",
    "has",
    "are",
    "is",
}
_DETERMINERS = {"a", "an", "their", "his", "her", "its", "the", "another"}
# Only auxiliaries between a figure and the verb after it: that verb is the figure's own.
_AUXILIARIES = _compile(
    r"^\s*(?:(?:were|was|are|is|have|has|had|been|being|got|also|reportedly|all|later|"
    r"critically|seriously|severely|badly|fatally|left|reported|"
    r"suffered|sustained|received|(?:minor|serious|critical|severe|multiple|bullet|burn))\s+)*$",
    re.IGNORECASE,
)
# Right after a verb, a bare figure counts people: "killing 2 and injuring 14".
_VERB_BEFORE = _compile(
    r"\b(?:killing|killed|wounding|wounded|injuring|injured|martyring|martyred)\s+$",
    re.IGNORECASE,
)
# Words of an institution between a country's name and its people ("Pakistan Army
# soldiers", "U.S. Marines", "Iranian border guards").
_INSTITUTION = _compile(
    r"^(?:army|armed forces|military|navy|naval|air force|police|border|frontier|embassy|"
    r"consulate|marines?|forces|security|special forces|national|government|coast guard|"
    r"levies|rangers|troops|soldiers|diplomats?|troopers|sailors|airmen)\b",
    re.IGNORECASE,
)
_COUNTRY_ABBREVIATIONS = {"us": "US", "u.s": "US", "u.s.": "US", "usa": "US", "uk": "GB"}
_MORE = {"more", "other", "additional", "further"}
_PLURAL_ONLY = {"people", "men", "women", "children", "personnel", "troops", "police", "staff"}
# "an official said": the one who speaks is no victim.
_SPEAKS = _compile(r"^\s+(?:said|says|told|added|confirmed|stated)\b", re.IGNORECASE)
_OF_COUNTRYS = re.compile(r"\s+of\s+([A-Z][a-z]+)['’]s\s")
# "two (police) officials said" after a toll: who tells it.
_SOURCES_SPEAK = _compile(
    r"(?:\s+(?!and\b|or\b|but\b|as\b|while\b|when\b|who\b)[\w-]+){0,2}\s+"
    r"(?:said|say|says|told|added|confirmed|stated)\b",
    re.IGNORECASE,
)
# Attackers counted inside a total ("15 people, including nine soldiers and four
# gunmen"): the clause after "including" that lists them.
# A vague plural is no figure for the injured (a toll keeps its floor: "dozens killed").
_VAGUE_FIGURE = _compile(
    r"(?:several|a few|few|many|numerous|dozens|scores|hundreds)\b", re.IGNORECASE
)
_INCLUDING = _compile(r"\bincluding\b[^.;:()]*$", re.IGNORECASE)


@dataclass
class SentenceCasualties:
    killed: Count | None = None
    injured: Count | None = None
    victims: dict[str, int] = field(default_factory=dict)
    """ISO code -> number killed of that nationality"""
    attackers_killed: int = 0
    unharmed: bool = False
    named: int = 0
    """victims killed who are named ("shot dead Mawlawi Nasrullah Hamdard")"""


@dataclass(frozen=True)
class _Group:
    count: Count
    start: int
    end: int
    nationality: str | None
    noun: str | None
    attacker: bool
    generic: bool
    subset: bool
    superset: bool


def read_casualties(
    sentence: str,
    *,
    lexicon: Lexicon,
    demonyms: dict[str, str],
    countries: dict[str, str] | None = None,
) -> SentenceCasualties:
    """The tolls one sentence gives.

    Args:
        countries: casefolded country name -> ISO code, for institutions named with
            their country ("Pakistan Army soldiers").
    """
    result = SentenceCasualties(unharmed=bool(lexicon.unharmed.search(sentence)))
    denials = [m.span() for m in lexicon.no_deaths.finditer(sentence)]
    no_deaths = bool(denials)
    deaths = [m for m in lexicon.death.finditer(sentence)]
    injuries = [
        m
        for m in lexicon.injury.finditer(sentence)
        if not any(d.start() <= m.start() < d.end() for d in deaths)
    ]
    if not deaths and not injuries:
        if no_deaths:
            result.killed = Count(low=0, best=0, high=0)
        return result
    groups = [
        group  # the "one" of "no one was killed" is no count
        for group in _groups(sentence, lexicon=lexicon, demonyms=demonyms, countries=countries)
        if not any(start <= group.start < end for start, end in denials)
    ]
    killed: list[_Group] = []
    injured: list[_Group] = []
    for group in groups:
        verb = _governing_verb(sentence, group, deaths, injuries)
        listed = _INCLUDING.search(sentence[: group.start])
        own = min((m.start() for m in (*deaths, *injuries) if m.start() >= group.end), default=None)
        if (
            listed
            and any(g.end <= listed.start() for g in killed)
            and not any(listed.start() < m.start() < group.start for m in (*deaths, *injuries))
            and not (own is not None and _AUXILIARIES.match(sentence[group.end : own]))
        ):
            # "11 killed, including nine soldiers and two civilians, and 21 others
            # injured": the list after "including" is of the dead.
            verb = "death"
        if verb == "death":
            killed.append(group)
        elif verb == "injury":
            injured.append(group)
    result.attackers_killed = sum(g.count.best or 0 for g in killed if g.attacker)
    result.named = sum(1 for g in killed if g.noun == "person")
    victims = [g for g in killed if not g.attacker]
    result.killed = _total(victims)
    if result.killed is not None and _BOMBER_INCLUDED.search(sentence):
        result.killed = _minus_one(result.killed)
    elif result.killed is not None:
        listed = [g for g in groups if g.attacker and not any(g is i for i in injured)]
        result.killed = _less_attackers(sentence, result.killed, victims, listed)
    for group in victims:
        nationality = group.nationality or _mission_staff(sentence, group, demonyms, countries)
        if nationality and not group.superset:
            result.victims[nationality] = max(
                result.victims.get(nationality, 0), group.count.best or 0
            )
    # "Several others were hurt", "dozens wounded": no figure for the injured (EVAL.md).
    result.injured = _total(
        [g for g in injured if not g.attacker and not _VAGUE_FIGURE.match(sentence, g.start)]
    )
    if result.killed is None and no_deaths:
        result.killed = Count(low=0, best=0, high=0)
    return result


_MISSION = _compile(r"\b(?:embassy|consulate|legation|mission)\b", re.IGNORECASE)
_MISSION_OF = re.compile(
    r"\b([A-Z][a-z]+)\s+(?:[Ee]mbassy|[Cc]onsulate)\b|\b(?:[Ee]mbassy|[Cc]onsulate)\s+of\s+"
    r"(?:the\s+)?([A-Z][a-z]+)"
)


def _mission_staff(
    sentence: str, group: _Group, demonyms: dict[str, str], countries: dict[str, str] | None
) -> str | None:
    """The country of a diplomatic mission whose staff were killed ("two members of the
    embassy staff" in a sentence about the Russian Embassy): an institution named with
    its country gives a nationality (EVAL.md)."""
    if not _MISSION.search(sentence, group.start, min(len(sentence), group.end + 25)):
        return None
    owner = _MISSION_OF.search(sentence)
    if owner is None:
        return None
    word = (owner.group(1) or owner.group(2)).casefold()
    return demonyms.get(word) or (countries or {}).get(word)


def _nationality(
    words: list[tuple[str, int, int]], index: int, countries: dict[str, str]
) -> tuple[str, int] | None:
    """(ISO code, words used) where words[index:] name a country's institution ("Pakistan
    Army", "U.S. Marines", "Iran's border guards")."""
    first, known = words[index][0].casefold(), _first_words(countries)
    if first not in known and first.removesuffix("’s").removesuffix("'s") not in known:
        return None  # no country's name starts with this word: most words, quickly
    for size in (3, 2, 1):
        if index + size > len(words):
            continue
        name = " ".join(w for w, _, _ in words[index : index + size]).casefold()
        name = name.removesuffix("’s").removesuffix("'s")
        code = countries.get(name) or _COUNTRY_ABBREVIATIONS.get(name)
        if code is None and size == 1 and name == "u" and index + 1 < len(words):
            code = "US" if words[index + 1][0].casefold() == "s" else None
            size = 2 if code else size
        if code is None:
            continue
        if index + size < len(words):
            rest = " ".join(w for w, _, _ in words[index + size :])
            if _INSTITUTION.match(rest):
                return code, size
    return None


_ABBREVIATED_FIRST = frozenset(name.split(" ")[0] for name in _COUNTRY_ABBREVIATIONS) | {"u"}
_DERIVED: dict[tuple[str, int], tuple[dict[str, str], int, Any]] = {}


def _derived(kind: str, countries: dict[str, str], build: Callable[[], Any]) -> Any:
    """What ``build`` derives from a country table, kept while the same dictionary
    (a gazetteer's, not changed once built) is asked for again."""
    key = (kind, id(countries))
    known = _DERIVED.get(key)
    if known is None or known[0] is not countries or known[1] != len(countries):
        if len(_DERIVED) > 16:
            _DERIVED.clear()
        known = _DERIVED[key] = (countries, len(countries), build())
    return known[2]


def _first_words(countries: dict[str, str]) -> frozenset[str]:
    """The first word of each name ``_nationality`` can look up in ``countries``."""
    if not countries:
        return _ABBREVIATED_FIRST
    return _derived(
        "first",
        countries,
        lambda: frozenset(name.split(" ")[0] for name in countries) | _ABBREVIATED_FIRST,
    )


# Read for every figure of every sentence: compiled once.
_ONE_PERSON = _compile(
    r"\b(a|an|one|their|his|her|its|the|another)(?:\s+|(?=[,;.]))", re.IGNORECASE
)
_PHRASE_STOP = re.compile(r"[,;:()]|(?<!\b[A-Z])\.(?![A-Z]\.)")
_AUXILIARIES_AHEAD = _compile(
    r"^\s*(?:(?:were|was|are|is|have|has|had|been|also|later|suffered|sustained|"
    r"received|minor|serious|critical|severe|multiple|bullet|burn)\s+)*",
    re.IGNORECASE,
)
_OF_BEFORE = re.compile(r"\bof\s+$")


@lru_cache(maxsize=4)
def _victim_noun(victims: str) -> re.Pattern[str]:
    """The lexicon's victim nouns at the start of a text, compiled once per lexicon."""
    return re.compile(rf"^(?:{victims})\b", re.IGNORECASE)


def may_name_country(sentence: str, countries: dict[str, str] | None) -> bool:
    """Whether ``read_casualties`` may find one of ``countries`` in ``sentence``; when
    False, its reading with them is its reading without them (the attacks read each
    sentence without them for clustering, and then need not read it again).

    Every name it looks up (``_nationality``, ``_OF_COUNTRYS``, ``_mission_staff``) is
    made of the sentence's words casefolded, so each word of a name it finds, the
    longest one included, is in the casefolded sentence."""
    if not countries:
        return False

    def longest_words() -> re.Pattern[str] | None:
        longest = frozenset(max(name.split(" "), key=len) for name in countries)
        return None if "" in longest else re.compile(_trie(longest))

    test = _derived("longest", countries, longest_words)
    return test is None or test.search(sentence.casefold()) is not None


def _groups(
    sentence: str,
    *,
    lexicon: Lexicon,
    demonyms: dict[str, str],
    countries: dict[str, str] | None = None,
) -> list[_Group]:
    countries = countries or {}
    victim_noun = _victim_noun(lexicon.victims)
    # The words after one figure are often those after the next ("the", "a", "two"...):
    # whether an attacker's or a victim's noun starts at a word is read once per word.
    nouns_at: dict[int, tuple[bool, re.Match[str] | None]] = {}
    groups: list[_Group] = []
    spans = [(f.count, f.start, f.end) for f in find_figures(sentence)]
    # "a Chinese citizen", "their Pakistani driver": one person, no figure word.
    for match in _ONE_PERSON.finditer(sentence):
        spans.append((Count(low=1, best=1, high=1), match.start(), match.end(1)))
    # "shot dead Mawlawi Nasrullah Hamdard", "Superintendent Khalid Afridi was shot dead":
    # one named victim each.
    named = [*_NAMED_VICTIM.finditer(sentence), *_NAMED_VICTIM_BEFORE.finditer(sentence)]
    for match in named:
        if any(w.casefold() in demonyms for w in match["name"].split()):
            continue
        groups.append(
            _Group(
                Count(low=1, best=1, high=1),
                match.start("name"),
                match.end("name"),
                None,
                "person",
                attacker=False,
                generic=False,
                subset=False,
                superset=False,
            )
        )
    for count, start, end in sorted(spans, key=lambda s: s[1]):
        if any(g.start <= start < g.end for g in groups):
            continue
        stop = _PHRASE_STOP.search(sentence[end:])
        limit = end + stop.start() if stop else len(sentence)
        words = [
            (m.group(0), m.start(), m.end())
            for m in islice(_WORD.finditer(sentence, end, limit), 6)
        ]
        nationality = None
        noun = None
        attacker = False
        more = False  # "10 more Afghans", "21 others"
        bare = False  # no noun: "seven dead", "another wounded"
        noun_end = end
        skip = 0
        for index, (word, _, word_end) in enumerate(words):
            if skip:
                skip -= 1
                continue
            folded = (
                word.casefold().rstrip("’'s") if word.endswith(("’s", "'s")) else word.casefold()
            )
            if nationality is None and folded in demonyms:
                nationality = demonyms[folded]
                continue
            if nationality is None:
                institution = _nationality(words, index, countries)
                if institution is not None:
                    nationality, used = institution
                    skip = used - 1
                    continue
            if folded in _MORE and index == 0:
                more = True
                continue
            at = words[index][1]
            if at not in nouns_at:
                rest = sentence[at:]
                nouns_at[at] = (bool(lexicon.attackers.match(rest)), victim_noun.match(rest))
            is_attacker, noun_match = nouns_at[at]
            if is_attacker:
                attacker = True
                noun = word
                noun_end = word_end
                break
            if noun_match:
                noun = noun_match.group(0)
                noun_end = words[index][1] + noun_match.end()
                break
            if (
                word.casefold() == "of"
                and index + 1 < len(words)
                and words[index + 1][0].casefold() in ("them", "whom", "the", "these", "those")
            ):
                continue  # "four of them Chinese engineers", "two of the rescued labourers"
            if word.casefold() in ("them", "whom") and index and words[index - 1][0] == "of":
                continue
            if (
                word.casefold() in _STOP_WORDS
                or lexicon.death.match(word)
                or (lexicon.injury.match(word))
            ):
                break
        if noun is None and nationality is None and more:
            noun = "others"  # "injuries to around 21 more"
        if noun is None and nationality is None:
            word = sentence[start:end].strip().casefold()
            if word in _DETERMINERS and word != "another":
                continue  # "the wounded", "a dead end": no count
            # "... and two were killed": a bare figure before its (auxiliary and) verb
            rest = _AUXILIARIES_AHEAD.sub("", sentence[end:])
            toll = _TOLL_BEFORE.search(sentence[:start])
            after_verb = _VERB_BEFORE.search(sentence[max(0, start - 12) : start])
            if not (toll or after_verb or lexicon.death.match(rest) or lexicon.injury.match(rest)):
                continue  # a figure of something else: minutes, vehicles, kilometres
            noun = "people"  # "seven dead and 35 injured", "the death toll rose to 18"
            bare = True
        if noun is not None and nationality is None and not attacker:
            # "27 members of Iran's Revolutionary Guard": the force's country
            owner = _OF_COUNTRYS.match(sentence, noun_end)
            if owner:
                word = owner.group(1).casefold()
                nationality = countries.get(word) or demonyms.get(word)
        if noun is None and nationality is not None:
            noun = "nationals"
        single = not bare and sentence[start:end].strip().casefold() in _DETERMINERS
        if single and (noun.casefold() in _PLURAL_ONLY or noun.casefold().endswith("s")):
            continue  # "the Chinese nationals": no figure
        if single and not _SINGULAR_DETERMINER.search(sentence[: end + 1]):
            continue
        if (
            single
            and (
                noun[:1].isupper()  # "the National Highway": a name, not a person
                or _OF_BEFORE.search(sentence[max(0, start - 4) : start])  # "two of the staff"
                or _SPEAKS.match(sentence[noun_end:])  # "an official said"
            )
        ):
            continue
        if _SOURCES_SPEAK.match(sentence, noun_end):
            continue  # "..., two police officials said": the sources, not victims
        before = sentence[max(0, start - 25) : start]
        if more or noun == "others":
            # "troops shot dead 8 militants as a few others were wounded": the others
            # are more of the group just named.
            attacker = attacker or bool(groups and all(g.attacker for g in groups))
        groups.append(
            _Group(
                count=count,
                start=start,
                end=noun_end,
                nationality=nationality,
                noun=noun,
                attacker=attacker,
                generic=noun.casefold()
                in ("people", "persons", "person", "victims", "others", "lives", "individuals"),
                subset=bool(_SUBSET.search(before)),
                superset=bool(_SUPERSET.search(before)),
            )
        )
    return sorted(groups, key=lambda g: g.start)


def _governing_verb(
    sentence: str, group: _Group, deaths: list[re.Match[str]], injuries: list[re.Match[str]]
) -> str | None:
    if deaths and _TOLL_BEFORE.search(sentence[max(0, group.start - 160) : group.start]):
        return "death"  # "the death toll from ... at a wedding hall has risen to 19"
    verbs = [(m.start(), m.end(), "death") for m in deaths] + [
        (m.start(), m.end(), "injury") for m in injuries
    ]
    # "abducted three Chinese engineers and killed a guard": the engineers were taken,
    # not killed. A kidnap verb governs the figure after it.
    verbs += [(m.start(), m.end(), "kidnap") for m in _KIDNAP.finditer(sentence)]
    before = [v for v in verbs if v[1] <= group.start and group.start - v[1] <= 45]
    # A verb may begin inside the group's noun: "13 lives were lost".
    after = [v for v in verbs if v[1] > group.end and v[0] > group.start and v[0] - group.end <= 80]
    nearest_before = max(before, key=lambda v: v[1]) if before else None
    nearest_after = min(after, key=lambda v: v[0]) if after else None
    gap_before = group.start - nearest_before[1] if nearest_before else 10_000
    gap_after = nearest_after[0] - group.end if nearest_after else 10_000
    if nearest_after and _AUXILIARIES.match(sentence[group.end : nearest_after[0]]):
        chosen = nearest_after[2]  # "... and 30 others were wounded": its own verb
    elif nearest_after and gap_after <= 12 and gap_after < gap_before:
        chosen = nearest_after[2]  # "... and 35 injured", "seven dead"
    elif nearest_before:
        chosen = nearest_before[2]
    else:
        chosen = nearest_after[2] if nearest_after else None
    return None if chosen == "kidnap" else chosen


def _total(groups: list[_Group]) -> Count | None:
    if not groups:
        return None
    supersets = [g for g in groups if g.superset]
    if supersets:
        return supersets[0].count
    generic = [g for g in groups if g.generic and not g.subset]
    specific = [g for g in groups if not g.generic and not g.subset]
    others = [g for g in generic if g.noun and g.noun.casefold() == "others"]
    if generic and specific:
        # "four policemen and two other people": both are parts; "six people, including
        # four policemen" would have marked the policemen a subset.
        if others:
            return _sum([*specific, *generic])
        return max(generic, key=lambda g: g.count.best or 0).count
    if len(generic) > 1 and len(others) < len(generic) - 1:
        # "14 bodies at one hospital ... at least 17 at another": two reports of one
        # toll, not parts of it; "five people and two others" adds up.
        return max(generic, key=lambda g: g.count.best or 0).count
    return _sum(generic or specific) if (generic or specific) else None


def _sum(groups: list[_Group]) -> Count:
    def add(values: list[int | None]) -> int | None:
        return None if any(v is None for v in values) else sum(v for v in values if v)

    return Count(
        low=add([g.count.low for g in groups]),
        best=add([g.count.best for g in groups]),
        high=add([g.count.high for g in groups]),
    )


def _less_attackers(
    sentence: str, total: Count, victims: list[_Group], attackers: list[_Group]
) -> Count:
    """A total of people that lists attackers among them ("15 people, including nine
    soldiers and four gunmen") less those attackers."""
    generic = [g for g in victims if g.generic and not g.subset]
    included = [g for g in attackers if _INCLUDING.search(sentence[: g.start])]
    if not generic or not included:
        return total
    less = sum(g.count.best or 0 for g in included)
    if total.best is None or total.best <= less:
        return total

    def minus(value: int | None) -> int | None:
        return None if value is None else max(value - less, 0)

    return Count(low=minus(total.low), best=minus(total.best), high=minus(total.high))


def _minus_one(count: Count) -> Count:
    def less(value: int | None) -> int | None:
        return None if value is None else max(value - 1, 0)

    return Count(low=less(count.low), best=less(count.best), high=less(count.high))
