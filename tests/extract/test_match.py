"""_match: case-insensitive regexes with an anchor test and a folded run in front must
give exactly what ``re`` gives (spans, groups, order), on every character."""

from __future__ import annotations

import re

import pytest

from khabar.extract import _match
from khabar.extract.lexicon import load_lexicon
from khabar.extract.statements import load_statement_lexicon

# Composed for these tests (invented places, people and figures).
FIXTURE = [
    "At least 14 people were killed and 27 others injured when a suicide bomber struck "
    "a market in Darband on Sunday, officials said.",
    "Two more victims SUCCUMBED TO THEIR WOUNDS overnight, raising the toll to 16.",
    "The Tehreek-e-Nawab group Claimed Responsibility for the attack in a statement.",
    "Police said the attackers were members of a banned outfit and had crossed over "
    "from the border area.",
    "No casualties were reported after the blast, which damaged a bridge.",
    "In a separate attack, gunmen ambushed a convoy near Qalat-Khel, killing three soldiers.",
    "The ministry rejected the allegations as baseless and accused Kabul of sheltering militants.",
    "Security forces recorded 112 attacks this year, up 20 per cent on the last.",
    "A policeman was martyred and his colleague wounded; the ambush was blamed on the "
    "Lashkar-e-Darya.",
    "İSTANBUL-based analysts said the ſtrike was an ATTACK on the Kelvin \u212aILLED.",
    "The spin attack of the home team was praised; nobody was hurt.",
    "Heavy clashes erupted on Tuesday; several hijackers were arrested (left) — File photo",
    "",
]


def _same(fast: object, regex: re.Pattern[str], text: str) -> None:
    def key(m: re.Match[str] | None) -> object:
        return None if m is None else (m.span(), m.groups(), m.groupdict())

    assert key(fast.search(text)) == key(regex.search(text))  # type: ignore[attr-defined]
    assert [key(m) for m in fast.finditer(text)] == [key(m) for m in regex.finditer(text)]  # type: ignore[attr-defined]
    for pos in (0, 3, len(text) // 2):
        assert key(fast.search(text, pos)) == key(regex.search(text, pos))  # type: ignore[attr-defined]
        assert key(fast.search(text, 0, pos)) == key(regex.search(text, 0, pos))  # type: ignore[attr-defined]
        assert key(fast.match(text, pos)) == key(regex.match(text, pos))  # type: ignore[attr-defined]
        assert [key(m) for m in fast.finditer(text, pos)] == [  # type: ignore[attr-defined]
            key(m) for m in regex.finditer(text, pos)
        ]

    def mark(m: re.Match[str]) -> str:
        return f"<{m.group(0)}>"

    assert fast.sub(mark, text) == regex.sub(mark, text)  # type: ignore[attr-defined]


def test_fold_equates_exactly_what_ignorecase_equates_with_ascii_letters() -> None:
    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    folded = "".join(_match.fold.__wrapped__(ch) for ch in every)
    assert len(folded) == len(every)  # one character for one, İ included
    for letter in "abcdefghijklmnopqrstuvwxyz":
        matched = {m.start() for m in re.finditer(letter, every, re.IGNORECASE)}
        assert matched == {m.start() for m in re.finditer(letter, folded)}, letter
    for category in (r"\w", r"\d", r"\s"):  # \b and the classes read the same
        assert [m.start() for m in re.finditer(category, every)] == [
            m.start() for m in re.finditer(category, folded)
        ]
    # no character folds onto one that has no case (a quote, a dash)
    caseless = {ch for ch in set(folded) - set(every[:128]) if ch.lower() == ch == ch.upper()}
    assert not {f for ch, f in zip(every, folded, strict=True) if f != ch} & caseless


def test_anchors_are_strings_every_match_contains() -> None:
    assert _match.anchors(r"\b(?:attack(ed|s)?|bomb(ing|s)?)\b", re.I) == {"attack", "bomb"}
    assert _match.anchors(r"\bsuccumb(ed|s)? to (his|her) wounds", re.I) == {
        "succumb to his wounds",
        "succumb to her wounds",
        "succumbed to his wounds",
        "succumbed to her wounds",
        "succumbs to his wounds",
        "succumbs to her wounds",
    }
    assert _match.anchors(r"\d+ ?(%|per ?cent)", re.I) == {"%", "per cent", "percent"}
    assert _match.anchors(r"\b(?:in|at)\b", re.I) is None  # too common to tell texts apart
    assert _match.anchors(r"\w+ killed|died", re.I) == {" killed", "died"}
    assert _match.anchors(r"(?:killed)?", re.I) is None  # matches the empty string


def test_whole_token_case_insensitive_matches_are_the_regexs() -> None:
    pattern = r"\b(?:attack(?:ed|s)?|strike|kill(?:ed)?|hijack(?:ers?)?)\b"
    fast = _match.compile(pattern, re.IGNORECASE)
    regex = re.compile(pattern, re.IGNORECASE)
    assert isinstance(fast, _match.FastPattern)
    for text in FIXTURE:
        _same(fast, regex, text)
    # whole tokens only: "attackers" is no "attack"; "ſtrike" (long s) and "KILLED" (with
    # a Kelvin sign) are words of the pattern, as re says
    found = [m.group(0) for m in fast.finditer(FIXTURE[9])]
    assert found == ["ſtrike", "ATTACK", "\u212aILLED"]
    assert fast.search("the attackers fled") is None
    assert fast.search("the ſtrike") is not None  # long s: re says it is an "s"


def test_every_lexicon_pattern_matches_as_re_does() -> None:
    lexicon = load_lexicon()
    statements = load_statement_lexicon()
    patterns = [p for p in vars(lexicon).values() if hasattr(p, "finditer")]
    patterns += [p for _, p in (*lexicon.event_types, *statements.types, *statements.implicit)]
    patterns += [p for p in vars(statements).values() if hasattr(p, "finditer")]
    fast = [p for p in patterns if isinstance(p, _match.FastPattern)]
    assert len(fast) > 30  # the lexicons are compiled through _match
    for pattern in fast:
        regex = re.compile(pattern.pattern, pattern.flags)
        for text in FIXTURE:
            _same(pattern, regex, text)


@pytest.mark.parametrize(
    "pattern",
    [
        r"\b(\w+) and \1\b",  # a back-reference
        r"\b(?-i:Kabul) attack",  # local flags
        r"\bÉcole attack",  # an uppercase letter outside ASCII
        r"(?:attack)*",  # can match the empty string
    ],
)
def test_patterns_the_folded_run_cannot_read_keep_re(pattern: str) -> None:
    fast = _match.compile(pattern, re.IGNORECASE)
    assert getattr(fast, "_folded", None) is None
    regex = re.compile(pattern, re.IGNORECASE)
    for text in [*FIXTURE, "École attack; kabul attack; Kabul attack; killed and killed"]:
        _same(fast, regex, text)


def test_case_sensitive_and_anchorless_patterns_stay_plain() -> None:
    assert type(_match.compile(r"[\w’'-]+")) is re.Pattern
    plain = _match.compile(r"\b[A-Z][a-z]+ said\b")
    assert plain.search("Officials said") is not None  # anchors only, no folding
    assert plain.search("officials said") is None


def test_new_article_forgets_the_folded_texts() -> None:
    _match.fold("One Sentence")
    assert _match.fold.cache_info().currsize > 0
    _match.new_article()
    assert _match.fold.cache_info().currsize == 0


def test_a_fast_pattern_pickles_as_itself() -> None:
    import pickle

    fast = _match.compile(r"\b(?:attack(?:ed)?|killed)\b", re.IGNORECASE)
    again = pickle.loads(pickle.dumps(fast))
    assert isinstance(again, _match.FastPattern)
    _same(again, re.compile(fast.pattern, fast.flags), FIXTURE[9])
    lexicon = pickle.loads(pickle.dumps(load_lexicon()))
    assert lexicon.death.search("He succumbed to his wounds") is not None


def test_joined_patterns_match_as_re_does_once_a_text_is_scanned() -> None:
    """After ``join``, a text tested more than ``_ALONE`` times is scanned once for every
    joined pattern's anchors; the answers stay those of ``re`` (and of each pattern's
    own test), and a pattern compiled after the join tests alone."""
    words = ["succumb", "succumbed to", "attack", "attacked", "claimed responsibility"]
    fast = [_match.compile(rf"\b(?:{w})\b", re.IGNORECASE) for w in words] + [
        _match.compile(r"\battack(?:ers?)?\s+(?:fled|escaped)", re.IGNORECASE)
    ]
    _match.join()
    assert all(p._starting is not None for p in fast)  # type: ignore[attr-defined]
    later = _match.compile(r"\bmartyred\b", re.IGNORECASE)
    assert later._starting is None  # type: ignore[attr-defined]
    _match.new_article()
    for text in FIXTURE:
        for _ in range(_match._ALONE + 1):
            for pattern in [*fast, later]:
                _same(pattern, re.compile(pattern.pattern, pattern.flags), text)
        assert not text or _match.fold(text) in _match._PRESENT
    # "succumbed to" found at a position also finds "succumb", its prefix
    text = "Two more victims SUCCUMBED TO THEIR WOUNDS"
    for _ in range(_match._ALONE + 1):
        assert fast[0].search(text) is None  # "\bsuccumb\b" needs the word to end
        assert fast[1].search(text) is not None
    present = _match._PRESENT[_match.fold(text)]
    assert any(found.startswith("succumbed to") for found in present)
    assert fast[0].possible(text)
