"""Case-insensitive regexes over long word lists, made cheap: the same answers as ``re``.

The rules read each sentence with some hundred patterns, most of them case-insensitive
alternations of words from the data files. Python's ``re`` pays for such a pattern at
every word boundary of the text: it tries each alternative in turn, and with
``IGNORECASE`` it cannot skip one on its first letter. ``compile`` returns a
``FastPattern`` that does two things in front of the ``re.Pattern`` it wraps:

- **Anchors.** From the pattern's parse it derives lower-case strings one of which every
  match must contain ("succumb", "martyred", "claimed responsibility" ...). A text
  without any of them (one search of a trie of the anchors over the folded text) has no
  match; the regex does not run.
- **Folding.** Where it runs, it runs without ``IGNORECASE`` (about three times faster)
  over the text folded to lower case, one character for one, with the pattern's letters
  lowered to match: the folded pattern matches the folded text exactly where the
  pattern matches the text, so only the position is taken from it, and the match
  object returned is the original pattern's own, matched at that position.

Neither is a rewrite of what the pattern means: spans, groups and the order of matches
are those of ``re``, which tests/extract/test_match.py checks character by character
(every code point that ``IGNORECASE`` equates with an ASCII letter) and on fixture text.
A pattern that either step cannot handle safely (back-references, local flags,
uppercase non-ASCII letters, a pattern that can match the empty string) keeps the plain
path for that step.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import lru_cache
from re import _compiler as compiler  # type: ignore[attr-defined]
from re import _constants as c  # type: ignore[attr-defined]
from re import _parser as parser  # type: ignore[attr-defined]
from typing import Any

__all__ = [
    "MIN_ANCHOR", "FastPattern", "anchors", "compile", "fold", "join", "new_article",
    "possible_any",
]  # fmt: skip

MIN_ANCHOR = 3
"""shortest word-like anchor worth testing: shorter ones are in most sentences anyway"""
_MOST = 64
"""most strings one exact set may hold while anchors are derived"""

# Characters that ``re.IGNORECASE`` takes for an ASCII letter and ``str.lower`` does not
# turn into it ("İ".lower() is even two characters). The tests check every code point.
_FOLD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})


def new_article() -> None:
    """Forget the folded texts of the last article: they serve the many patterns that
    read one article's sentences, and never a later article (so that a benchmark which
    repeats its articles gains nothing from the memory)."""
    fold.cache_clear()
    _PRESENT.clear()
    _TESTED.clear()


@lru_cache(maxsize=512)
def fold(text: str) -> str:
    """``text`` in lower case, one character for one, each character that a
    case-insensitive ASCII letter matches turned into that letter."""
    return text.lower() if text.isascii() else text.translate(_FOLD).lower()


# -- anchors -------------------------------------------------------------------------------


class _Shape:
    """What a piece of a pattern can match: ``exact``, the whole set of strings it
    matches (when small and all ASCII), and ``need``, strings one of which every match
    contains (None: nothing can be said)."""

    __slots__ = ("exact", "need")

    def __init__(self, exact: frozenset[str] | None, need: frozenset[str] | None):
        self.exact = exact
        self.need = need if need is not None else _need_of(exact)


def _need_of(exact: frozenset[str] | None) -> frozenset[str] | None:
    return exact if exact is not None and "" not in exact else None


def _better(a: frozenset[str] | None, b: frozenset[str] | None) -> frozenset[str] | None:
    """The more selective need: longer shortest anchor, then fewer anchors."""
    if a is None:
        return b
    if b is None:
        return a
    key_a, key_b = (min(map(len, a)), -len(a)), (min(map(len, b)), -len(b))
    return b if key_b > key_a else a


_EMPTY = frozenset({""})
_ZERO_WIDTH = {c.AT, c.ASSERT, c.ASSERT_NOT}


def _sequence(items: Any) -> _Shape:
    run = _EMPTY  # the exact strings of the current run of exact pieces
    best: frozenset[str] | None = None
    whole = True
    for op, av in items:
        shape = _node(op, av)
        if shape.exact is not None and len(run) * len(shape.exact) <= _MOST:
            run = frozenset(a + b for a in run for b in shape.exact)
            continue
        whole = False
        best = _better(best, _need_of(run))
        best = _better(best, shape.need)
        run = shape.exact if shape.exact is not None else _EMPTY
    best = _better(best, _need_of(run))
    return _Shape(run if whole else None, best)


def _literal(code: int) -> frozenset[str] | None:
    char = chr(code)
    return frozenset({char.lower()}) if char.isascii() else None


def _node(op: Any, av: Any) -> _Shape:
    if op is c.LITERAL:
        return _Shape(_literal(av), None)
    if op in _ZERO_WIDTH:
        return _Shape(_EMPTY, None)
    if op is c.SUBPATTERN:
        return _sequence(av[-1])
    if op is c.ATOMIC_GROUP:
        return _sequence(av)
    if op is c.IN:
        chars: set[str] = set()
        for item, value in av:
            one = _literal(value) if item is c.LITERAL else None
            if one is None:
                return _Shape(None, None)
            chars |= one
        return _Shape(frozenset(chars), None)
    if op is c.BRANCH:
        shapes = [_sequence(branch) for branch in av[1]]
        exact: frozenset[str] | None = None
        if all(s.exact is not None for s in shapes):
            union = frozenset().union(*(s.exact for s in shapes))  # type: ignore[misc]
            exact = union if len(union) <= _MOST else None
        need = None
        if all(s.need is not None for s in shapes):
            need = frozenset().union(*(s.need for s in shapes))  # type: ignore[misc]
        return _Shape(exact, need)
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
        low, high, item = av
        shape = _sequence(item)
        if low == 0:
            optional = shape.exact | _EMPTY if shape.exact is not None and high == 1 else None
            return _Shape(optional, None)
        if low == high == 1:
            return shape
        return _Shape(None, shape.need)
    return _Shape(None, None)


def _weak(anchor: str) -> bool:
    """Too common to tell texts apart: short words ("in", "of"); a sign such as "%" is
    rare enough."""
    return len(anchor) < MIN_ANCHOR and any(ch.isalnum() or ch.isspace() for ch in anchor)


def anchors(pattern: str, flags: int = 0) -> frozenset[str] | None:
    """Lower-case strings one of which every match of ``pattern`` contains, or None when
    only weak ones (``_weak``) can be derived."""
    need = _sequence(parser.parse(pattern, flags)).need
    if not need:
        return None
    # A text with "attacked" has "attack": the longer anchor adds nothing.
    need = frozenset(a for a in need if not any(b != a and b in a for b in need))
    return None if any(_weak(a) for a in need) else need


def _tree(words: frozenset[str]) -> dict[str, dict]:  # type: ignore[type-arg]
    """``words`` as a character tree; the key "" marks where a word ends."""
    root: dict[str, dict] = {}  # type: ignore[type-arg]
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return root


def _trie(words: frozenset[str]) -> str:
    """One regex that finds whether any of ``words`` occurs: a trie of alternations,
    which ``re`` tests a character at a time instead of a word at a time."""
    root = _tree(words)

    def build(node: dict) -> str:  # type: ignore[type-arg]
        if "" in node:
            return ""  # a word ends here: whether a longer one goes on does not matter
        branches = [re.escape(char) + build(node[char]) for char in sorted(node)]
        return branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"

    return build(root)


# -- folding -------------------------------------------------------------------------------

_CATEGORIES = {
    c.CATEGORY_DIGIT, c.CATEGORY_NOT_DIGIT, c.CATEGORY_SPACE, c.CATEGORY_NOT_SPACE,
    c.CATEGORY_WORD, c.CATEGORY_NOT_WORD,
}  # fmt: skip
_FLAGS_THAT_MATTER = re.IGNORECASE | re.ASCII | re.LOCALE


class _Unsafe(Exception):
    """A pattern that the folded path cannot read as the original does."""


def _lowered(code: int) -> int:
    """A pattern character as it must stand to match folded text: ASCII lowered, other
    characters only when they have no case at all."""
    char = chr(code)
    if char.isascii():
        return ord(char.lower())
    if char.lower() == char == char.upper():
        return code
    raise _Unsafe(char)


def _lower_set(items: list[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    out: list[tuple[Any, Any]] = []
    for op, av in items:
        if op is c.LITERAL:
            out.append((op, _lowered(av)))
        elif op is c.RANGE:
            low, high = av
            if high < 128:  # "[A-Z]": its characters, lowered, one by one
                lowered = sorted({_lowered(code) for code in range(low, high + 1)})
                out.extend((c.LITERAL, code) for code in lowered)
            elif high - low < 4096 and all(_lowered(code) == code for code in range(low, high + 1)):
                out.append((op, av))
            else:
                raise _Unsafe(av)
        elif op is c.NEGATE or (op is c.CATEGORY and av in _CATEGORIES):
            out.append((op, av))
        else:
            raise _Unsafe(op)
    return out


def _lower_tree(items: Any) -> None:
    """Lower the letters of a parsed pattern in place; _Unsafe where that would not
    keep its meaning on folded text."""
    for index, (op, av) in enumerate(items):
        if op is c.LITERAL or op is c.NOT_LITERAL:
            items[index] = (op, _lowered(av))
        elif op is c.IN:
            items[index] = (op, _lower_set(av))
        elif op is c.SUBPATTERN:
            if (av[1] | av[2]) & _FLAGS_THAT_MATTER:
                raise _Unsafe("local flags")
            _lower_tree(av[3])
        elif op is c.BRANCH:
            for branch in av[1]:
                _lower_tree(branch)
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            _lower_tree(av[2])
        elif op is c.ATOMIC_GROUP:
            _lower_tree(av)
        elif op is c.ASSERT or op is c.ASSERT_NOT:
            _lower_tree(av[1])
        elif op is c.CATEGORY:
            if av not in _CATEGORIES:
                raise _Unsafe(av)
        elif op is not c.AT and op is not c.ANY:
            raise _Unsafe(op)  # back-references, conditionals


def _folded(pattern: str, flags: int) -> re.Pattern[str] | None:
    """``pattern`` compiled case-sensitively with its letters lowered, to run on folded
    text; None where that would not mean the same (then the original runs)."""
    if flags & _FLAGS_THAT_MATTER != re.IGNORECASE:
        return None
    tree = parser.parse(pattern, flags)
    if tree.state.flags & _FLAGS_THAT_MATTER != re.IGNORECASE or tree.getwidth()[0] == 0:
        return None  # global inline flags; a pattern that can match nothing (finditer)
    try:
        _lower_tree(tree)
    except _Unsafe:
        return None
    tree.state.flags &= ~re.IGNORECASE
    return compiler.compile(tree, flags & ~re.IGNORECASE)  # type: ignore[no-any-return]


# -- one scan of a sentence for every pattern's anchors --------------------------------------
#
# A sentence is tested by some thirty patterns, each with its own trie. Once ``join`` has
# run, a text tested more than ``_ALONE`` times is scanned once for every anchor of the
# joined patterns (which start at each position: the longest, and with it every anchor
# that is a prefix of it), and each pattern then only asks whether the anchors found
# include one that begins with one of its own. Slices of a sentence, tested once or
# twice, keep the patterns' own tries.

_ALONE = 2
_JOINABLE: list[FastPattern] = []
"""patterns compiled since the last ``join``, which it adds to the scan"""
_JOINED: list[FastPattern] = []
_SCAN: list[Callable[[str], list[str]]] = []
_PRESENT: dict[str, frozenset[str]] = {}
"""folded text -> the longest anchor found at each position (this article's texts)"""
_TESTED: dict[str, int] = {}


def _greedy_trie(words: frozenset[str]) -> str:
    """A regex of ``words`` that matches, at a position, the longest of them there."""
    root = _tree(words)

    def build(node: dict) -> str:  # type: ignore[type-arg]
        branches = [re.escape(char) + build(node[char]) for char in sorted(node) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
        return f"(?:{body})?" if "" in node else body

    return build(root)


def join() -> None:
    """Scan texts once for the anchors of every pattern compiled so far (the Extractor
    calls it when its rules are loaded); patterns compiled later test alone."""
    if not _JOINABLE:
        return
    _JOINED.extend(_JOINABLE)
    _JOINABLE.clear()
    words = frozenset().union(*(p.anchors for p in _JOINED))  # type: ignore[misc]
    starting: dict[str, set[str]] = {}  # anchor -> the anchors that begin with it
    for word in words:
        for size in range(1, len(word) + 1):
            if word[:size] in words:
                starting.setdefault(word[:size], set()).add(word)
    for pattern in _JOINED:
        pattern._starting = frozenset().union(*(starting[a] for a in pattern.anchors))  # type: ignore[misc, union-attr]
    _SCAN[:] = [re.compile(f"(?=({_greedy_trie(words)}))").findall]
    _PRESENT.clear()
    _TESTED.clear()


def _present(folded: str) -> frozenset[str] | None:
    """The anchors found in a folded text, once it has been tested ``_ALONE`` times."""
    found = _PRESENT.get(folded)
    if found is None:
        tested = _TESTED.get(folded, 0) + 1
        if tested <= _ALONE:
            _TESTED[folded] = tested
            return None
        if len(_PRESENT) > 4096:
            _PRESENT.clear()
        found = _PRESENT[folded] = frozenset(_SCAN[0](folded))
    return found


# -- the pattern ---------------------------------------------------------------------------


class FastPattern:
    """A compiled regex with the anchors' test and the folded path in front; its
    results and attributes are those of the ``re.Pattern`` it wraps."""

    __slots__ = ("_any", "_folded", "_regex", "_starting", "anchors", "fullmatch", "match")

    def __init__(
        self,
        regex: re.Pattern[str],
        found: frozenset[str] | None,
        folded: re.Pattern[str] | None,
    ):
        self._regex = regex
        self.anchors = found
        self._any = re.compile(_trie(found)).search if found else None
        self._folded = folded
        self._starting: frozenset[str] | None = None  # joined: the scan's anchors for it
        if found and "" not in found:
            _JOINABLE.append(self)
        # At one position no test of the whole text pays: the regex's own methods.
        self.match = regex.match
        self.fullmatch = regex.fullmatch

    def possible(self, text: str) -> bool:
        """Whether ``text`` may hold a match (False: it holds none)."""
        return self._any is None or self._may(fold(text))

    def _may(self, folded: str) -> bool:
        """Whether the folded text holds one of the anchors (``_any`` is set)."""
        starting = self._starting
        if starting is not None:
            present = _PRESENT.get(folded) or _present(folded)
            if present is not None:
                return not starting.isdisjoint(present)
        return self._any(folded) is not None  # type: ignore[misc]

    # search and finditer are called some hundred times per article: the anchors' test
    # is written out in each (one fold, no further call) rather than asked of possible.
    def search(self, text: str, *args: int) -> re.Match[str] | None:
        folded = fold(text)
        if self._any is not None and not self._may(folded):
            return None
        if self._folded is None or len(folded) != len(text):
            return self._regex.search(text, *args)
        found = self._folded.search(folded, *args)
        return None if found is None else self._regex.match(text, found.start(), *args[1:])

    def finditer(self, text: str, *args: int) -> Iterator[re.Match[str]]:
        folded = fold(text)
        if self._any is not None and not self._may(folded):
            return iter(())
        if self._folded is None or len(folded) != len(text):
            return self._regex.finditer(text, *args)
        # The folded matches are the original's, span for span (none is empty).
        match, end = self._regex.match, args[1:]
        return (match(text, found.start(), *end) for found in self._folded.finditer(folded, *args))  # type: ignore[misc]

    def findall(self, text: str, *args: int) -> list[Any]:
        return self._regex.findall(text, *args) if self.possible(text) else []

    def sub(self, repl: str | Callable[[re.Match[str]], str], text: str, count: int = 0) -> str:
        if not self.possible(text):
            return text
        if not callable(repl) or count:
            return self._regex.sub(repl, text, count)
        pieces, last = [], 0
        for found in self.finditer(text):
            pieces += (text[last : found.start()], repl(found))
            last = found.end()
        pieces.append(text[last:])
        return "".join(pieces)

    def split(self, text: str, maxsplit: int = 0) -> list[str | Any]:
        return self._regex.split(text, maxsplit) if self.possible(text) else [text]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._regex, name)  # pattern, flags, groups, groupindex

    def __repr__(self) -> str:
        return f"FastPattern({self._regex!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        # The folded copy has no source to be pickled by: compile again where unpickled.
        return compile, (self._regex.pattern, self._regex.flags)


def compile(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile``, as a ``FastPattern`` where it has anchors or can run folded
    (typed as the ``re.Pattern`` it stands for: every method the rules call)."""
    regex = re.compile(pattern, flags)
    found = anchors(pattern, flags)
    folded = _folded(pattern, flags)
    if found is None and folded is None:
        return regex
    return FastPattern(regex, found, folded)  # type: ignore[return-value]


def _always(text: str) -> bool:
    return True


@lru_cache(maxsize=16)
def possible_any(patterns: tuple[Any, ...]) -> Callable[[str], bool]:
    """One test for several patterns read over the same text (the event types, the
    statement types: ``(name, pattern)`` pairs or patterns): False when none of them can
    match it, from the union of their anchors."""
    found: set[str] = set()
    for item in patterns:
        pattern = item[1] if isinstance(item, tuple) else item
        if not isinstance(pattern, FastPattern) or pattern.anchors is None:
            return _always
        found |= pattern.anchors
    test = re.compile(_trie(frozenset(found))).search
    return lambda text: test(fold(text)) is not None
