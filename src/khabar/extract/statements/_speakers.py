"""Who speaks: the subject of the reporting verb (never its object, never the nearest
actor to "..., the report said"), a pronoun or a definite description resolved to an
actor named before ("she", "the latter", "the group", "the ministry"), a national body
("Pakistani security officials"), or a person the dictionary lacks, kept by name."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ...records import Statement
from ..actors import Actor, ActorDictionary
from ..entities import ActorMention
from ..view import ArticleView, Sentence
from . import _syntax
from ._lexicon import StatementLexicon

__all__ = [
    "Memory",
    "Speaker",
    "definite_actor",
    "governed",
    "inside_quote",
    "national_body",
    "new_person",
    "pronoun_actor",
    "speaker_of",
    "speaker_phrase",
    "surname_actor",
    "top_state",
]

Speaker = tuple[Actor, str]

QUOTE = re.compile(r"[“\"]([^”\"]{3,})[”\"]")
PRONOUN = re.compile(r"\b(he|she|they|it|we|i)\b", re.IGNORECASE)
_REPORTERS = ("media",)


@dataclass
class Memory:
    """What the sentences before have said: who spoke last, and the statement made
    earlier in the same sentence ("accused A and called on B")."""

    last: Speaker | None = None
    person: Speaker | None = None
    """the last speaker who is a person or an official, for "he" and "she" """
    in_sentence: Statement | None = None
    frame: Speaker | None = None
    """who the current sentence says spoke ("X said that ...")"""
    mentions: list[ActorMention] = field(default_factory=list)
    """actor mentions of the sentences read so far, for "the group", "the latter" """


def inside_quote(text: str, offset: int) -> bool:
    return any(m.start() <= offset < m.end() for m in QUOTE.finditer(text))


def governed(text: str, offset: int) -> bool:
    """Whether a mention is the object of a preposition ("the role of Afghan terrorists",
    "talks with Kabul"), so not the subject."""
    return bool(
        re.search(
            r"\b(of|to|for|with|against|from|in|on|at|about|by|into|towards?|over|"
            r"between)\s+(the\s+)?$",
            text[max(0, offset - 20) : offset],
            re.IGNORECASE,
        )
    )


def speaker_phrase(text: str, mention: ActorMention, sentence: Sentence) -> str:
    """The speaker as named: the mention with the capitalised words around it
    ("Foreign Office Spokesperson Mumtaz Zahra Baloch")."""
    start, end = mention.start - sentence.start, mention.end - sentence.start
    words = re.compile(r"(?:[A-Z][\w.'’-]*\s+)+$")
    before = words.search(text[max(0, start - 60) : start])
    if before:
        start -= len(before.group(0))
    after = re.match(r"(?:\s+[A-Z][\w.'’-]*)+", text[end : end + 60])
    if after:
        end += len(after.group(0))
    return text[start:end].strip()


_NATIONAL_BODY = re.compile(
    r"\b([A-Z][a-z]+)\s+(?:[a-z]+\s+){0,2}(authorities|officials?|government|police|forces|"
    r"troops|security|military|army|ministry|side|delegation|officers?|sources|"
    r"spokes(?:man|woman|person))\b"
)
_IN_COUNTRY = re.compile(
    r"\b(authorities|officials|government|police|forces|security officials)\s+in\s+"
    r"([A-Z][a-z]+)\b"
)


def national_body(text: str, view: ArticleView) -> Speaker | None:
    """ "Pakistani security authorities", "the Afghan side", "officials in Pakistan": the
    state of that nation."""
    for match in _NATIONAL_BODY.finditer(text):
        iso2 = view.demonyms.get(match.group(1).casefold())
        if iso2 and iso2 in view.states:
            return view.states[iso2], match.group(0)
    for match in _IN_COUNTRY.finditer(text):
        iso2 = view.country_names.get(match.group(2).casefold()) or view.demonyms.get(
            match.group(2).casefold()
        )
        if iso2 and iso2 in view.states:
            return view.states[iso2], match.group(0)
    return None


def top_state(view: ArticleView, actors: ActorDictionary) -> Actor | None:
    counts: dict[str, int] = {}
    for mention in view.actors:
        if mention.actor.kind in ("state", "organ") and actors.ref(mention.actor).country:
            name = actors.ref(mention.actor).name
            counts[name] = counts.get(name, 0) + 1
    if not counts:
        return None
    return actors.lookup(max(counts, key=lambda name: counts[name]))


_NEW_PERSON = re.compile(
    r"(?:^|[.;]\s+|^\W*)((?:[A-Z][a-z]+\s+){1,3}[A-Z][a-z]+)(?:,\s+(?:a|an|the)\s+[^,]{3,60},)?\s*$"
)


def new_person(before: str, earlier: str) -> str | None:
    """A person's name as the subject: "Sajid Turi" or, by surname, "Turi" when the
    article has named "Sajid Turi" before."""
    named = _NEW_PERSON.search(before)
    if named:
        return named.group(1)
    surname = re.search(r"(?:^|[.;]\s+)([A-Z][a-z]{2,})\s*$", before)
    if surname:
        full = re.findall(rf"\b((?:[A-Z][a-z]+\s+){{1,3}}{surname.group(1)})\b", earlier)
        if full:
            return full[-1]
    return None


_DEFINITE = re.compile(
    r"(?:\b(?:the|this|that|its|their)\s+|^\s*)(?:[a-z-]+\s+){0,2}(committee|ministry|department|office|"
    r"spokes(?:man|woman|person)|statement|government|military|army|police|agency|service|"
    r"command|council|group|organi[sz]ation|outfit|embassy|mission|regime|administration|"
    r"movement|militants|latter|former)\b",
    re.IGNORECASE,
)
_KIND_OF = {
    "group": ("armed_group",),
    "organisation": ("armed_group",),
    "organization": ("armed_group",),
    "outfit": ("armed_group",),
    "militants": ("armed_group",),
    "movement": ("armed_group", "party"),
    "regime": ("state",),
    "administration": ("state",),
    "government": ("state",),
}


def surname_actor(phrase: str, view: ArticleView, before: int) -> Speaker | None:
    """ "Baloch said", "Ms Baloch said": the person named in full before whose name ends
    with that word."""
    named = re.fullmatch(
        r"\s*(?:(?:Mr|Ms|Mrs|Dr|Gen|General|Minister|Mufti|Mullah|Maulana|Senator)\.?\s+)?"
        r"([A-Z][\w’'-]{2,})\s*",
        phrase,
    )
    if not named:
        return None
    word = named.group(1)
    for mention in reversed([m for m in view.actors if m.end <= before]):
        if mention.actor.kind == "person" and (
            mention.surface.endswith(word) or mention.actor.name.endswith(word)
        ):
            return mention.actor, phrase.strip()
    return None


def pronoun_actor(word: str, memory: Memory) -> Speaker | None:
    if word.casefold() in ("he", "she"):
        return memory.person or memory.last
    return memory.last


def definite_actor(
    phrase: str, view: ArticleView, actors: ActorDictionary, before: int, memory: Memory
) -> Speaker | None:
    """An actor named before by a definite description: "the group" (the last armed
    group), "the ministry" (the last actor named with that word), "the latter"; or a
    lower-case name the dictionary knows ("the foreign office")."""
    bare = re.sub(r"^\s*(the|a|an)\s+", "", phrase.strip(), flags=re.IGNORECASE)
    known = actors.lookup(bare, on=view.reference)
    if known is not None:
        return known, phrase.strip()
    match = _DEFINITE.search(phrase)
    if not match:
        return surname_actor(phrase, view, before)
    head = match.group(1).casefold()
    qualifier = re.search(
        r"([a-z-]+)\s+spokes(?:man|woman|person)\b", match.group(0), re.IGNORECASE
    )
    if head.startswith("spokes") and qualifier is not None:
        head = qualifier.group(1).casefold()  # "ministry spokesman": the ministry's
    earlier = [m for m in view.actors if m.end <= before]
    if head in ("latter", "former"):
        distinct: list[ActorMention] = []
        for mention in reversed(earlier):
            if all(actors.ref(m.actor).name != actors.ref(mention.actor).name for m in distinct):
                distinct.append(mention)
            if len(distinct) == 2:
                break
        if len(distinct) == 2:
            chosen = distinct[0] if head == "latter" else distinct[1]
            return chosen.actor, match.group(0)
        return None
    kinds = _KIND_OF.get(head)
    states = [s for s in (view.filed_state, top_state(view, actors)) if s is not None]
    organ = re.search(
        r"(?:[a-z-]+\s+){0,2}" + re.escape(match.group(1)), match.group(0), re.IGNORECASE
    )
    for state in states if organ else ():
        # "the interior ministry" in a story from Pakistan: Pakistan's interior ministry
        named = actors.lookup(f"{state.name}'s {organ.group(0).strip()}", on=view.reference)
        if named is not None:
            return named, match.group(0).strip()
    if head in ("military", "army"):
        # "the military": the army of the state the story is about
        for state in (view.filed_state, top_state(view, actors)):
            if state is not None:
                army = actors.lookup(f"{state.name} military") or actors.lookup(
                    f"{state.name} Army"
                )
                if army is not None:
                    return army, match.group(0)
    for mention in reversed(earlier):
        actor = mention.actor
        if kinds is not None:
            if actors.canonical(actor).kind in kinds or (
                "armed_group" in kinds and actors.is_armed_group(actor)
            ):
                return actor, match.group(0)
            continue
        if actors.is_armed_group(actor) and not head.startswith("spokes"):
            continue  # "the ministry", "the embassy" are a state's organs
        words = f"{mention.surface} {actor.name} {' '.join(actor.aliases)}".casefold()
        if head in words:
            return actor, match.group(0)
    if memory.last is not None and (kinds is not None or not actors.is_armed_group(memory.last[0])):
        return memory.last[0], match.group(0)
    return None


def _mention_in(mentions: list[ActorMention], span: tuple[int, int]) -> ActorMention | None:
    inside = [m for m in mentions if span[0] <= m.start < span[1]]
    return inside[-1] if inside else None


def speaker_of(
    view: ArticleView,
    sentence: Sentence,
    lexicon: StatementLexicon,
    actors: ActorDictionary,
    memory: Memory,
) -> Speaker | None:
    """Who a sentence says spoke: the subject of its speech verb ("…," the foreign office
    said; X said that …; according to X), never a news outlet that reports it."""
    text = sentence.text
    speeches = list(lexicon.speech.finditer(text))
    if not speeches:
        return None  # most sentences: no speech verb, no mentions to weigh
    mentions = [
        m
        for m in view.actors_in(sentence)
        if not inside_quote(text, m.start - sentence.start)
        and actors.canonical(m.actor).kind not in _REPORTERS
    ]
    for speech in speeches:
        if inside_quote(text, speech.start()):
            continue
        at = sentence.start + speech.start()
        if speech.group(0).casefold() == "according to":
            after = [m for m in mentions if at < m.start <= at + 60]
            if after:
                return after[0].actor, speaker_phrase(text, after[0], sentence)
            continue
        span = _syntax.subject_span(view.doc, at)
        if span is not None:
            chosen = _mention_in(mentions, span)
            if chosen is not None:
                return chosen.actor, speaker_phrase(text, chosen, sentence)
            phrase = view.article.text[span[0] : span[1]]
            if PRONOUN.fullmatch(phrase.strip()):
                found = pronoun_actor(phrase.strip(), memory)
                if found is not None:
                    return found
                continue
            national = national_body(phrase, view)
            if national is not None:
                return national
            described = definite_actor(phrase, view, actors, span[0], memory)
            if described is not None:
                return described
            continue
        # No parse: the actor right before the verb ("X said"), or right after it in an
        # inverted attribution ("…, said X").
        before = [m for m in mentions if at - 45 <= m.end <= at]
        if before and not governed(text, before[-1].start - sentence.start):
            gap = text[before[-1].end - sentence.start : speech.start()]
            if not re.search(r"[,;]|\b(that|who|which)\b", gap):
                return before[-1].actor, speaker_phrase(text, before[-1], sentence)
        after = [m for m in mentions if at < m.start <= at + 40]
        if (
            after
            and re.match(
                r"\s*(?:the\s+|a\s+)?[^,.;]{0,30}$",
                text[speech.end() : after[0].start - sentence.start],
            )
            and re.search(r"[”\",]\s*$", text[: speech.start()])
        ):
            return after[0].actor, speaker_phrase(text, after[0], sentence)
        pronoun = re.search(r"\b(he|she|they|it)\s+$", text[: speech.start()], re.IGNORECASE)
        if pronoun and (found := pronoun_actor(pronoun.group(1), memory)) is not None:
            return found
        named = re.search(
            r"(?:^|[,.;”\"]\s*)((?:(?:Mr|Ms|Mrs|Dr)\.?\s+)?[A-Z][\w’'-]{2,})\s+$",
            text[: speech.start()],
        )
        if named and (found := surname_actor(named.group(1), view, at)) is not None:
            return found
        window = text[max(0, speech.start() - 60) : speech.start()]
        national = national_body(window, view)
        if national is not None:
            return national
    return None
