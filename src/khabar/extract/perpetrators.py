"""Who did it: the group that claimed an attack (unless the claim is negated), and who is
alleged by whom, from the sentences of the story.

A background mention reads only its own sentence; the story's incident reads every
sentence that is not a background mention, since claims and accusations often stand in
sentences of their own ("The BLF claimed responsibility in a post on social media.").
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..records import Allegation, Perpetrator
from ._match import compile as _compile
from .actors import ActorDictionary
from .lexicon import Lexicon
from .view import ArticleView, Sentence

__all__ = ["find_perpetrator", "unknown_claimant"]


def find_perpetrator(
    view: ArticleView,
    own: list[Sentence],
    *,
    background: bool,
    lexicon: Lexicon,
    actors: ActorDictionary,
    cite,  # type: ignore[no-untyped-def]
    scope: list[Sentence] | None = None,
    country: str | None = None,
    state_act: bool = False,
) -> Perpetrator | None:
    """Who claimed the attack, and who is alleged by whom.

    A background mention reads only its own sentence; the story's incident reads every
    sentence of the article that is not a background mention (claims and accusations
    often stand in a sentence of their own: "The BLF claimed responsibility in a post on
    social media."). In a round-up, ``scope`` limits an attack to the sentences that tell
    it, so one attack's claim is not lent to the next. A global group's claim in the
    country of its regional branch is the branch's (``country``).
    """
    if background:
        sentences = own
    elif scope is not None:
        sentences = scope
    else:
        sentences = [s for s in view.sentences if s not in view.background_sentences]
    claimed_by = None
    for sentence in sentences:
        for claim in _claims(sentence.text, lexicon):
            claimed_at = sentence.start + claim.start()
            groups = [
                m
                for m in view.actors_in(sentence)
                if actors.is_armed_group(m.actor) and not _unnamed(view.article.text, m)
            ]
            passive = claim.group(0).casefold().endswith(" by")
            before = [m for m in groups if m.start < claimed_at]
            after = [m for m in groups if m.start >= sentence.start + claim.end()]
            # The subject claims: "The PAFF, which officials call a front for JeM, claimed";
            # a passive claim names its agent after "by": "was claimed by the BLA".
            if passive and after:
                chosen = after[0]
            elif before:
                chosen = before[0]
            else:
                chosen = min(groups, key=lambda m: abs(m.start - claimed_at), default=None)
            if chosen is not None:
                claimed_by = actors.ref(actors.branch_in(chosen.actor, country)).name
                cite("perpetrator", sentence)
                break
            unknown = (
                passive_claimant(sentence.text[claim.end() :])
                if passive
                else unknown_claimant(sentence.text[: claim.start()])
            )
            if unknown:
                claimed_by = unknown  # a group the dictionary does not know yet: kept
                cite("perpetrator", sentence)
                break
        if claimed_by:
            break
    if claimed_by is None:
        claimed_by = _quoted_claim(view, sentences, actors, country, cite)
    if claimed_by is None and state_act:
        claimed_by = _state_claim(view, sentences, actors, cite)
    alleged: list[Allegation] = []
    for sentence in sentences:
        cue = lexicon.allegation.search(sentence.text)
        if not cue or _HYPOTHETICAL.search(sentence.text):
            continue
        if (
            sentence not in own
            and not _ABOUT_ATTACK.search(sentence.text)
            and not _ORIGIN_CUE.match(cue.group(0))
        ):
            continue
        cue_at = sentence.start + cue.start()
        mentions = view.actors_in(sentence)
        accusers = [m for m in mentions if m.start < cue_at and not actors.is_armed_group(m.actor)]
        accused_groups = [
            m for m in mentions if m.start > cue_at and actors.is_armed_group(m.actor)
        ]
        accused_places = [
            p
            for p in view.places_in(sentence)
            if p.start > cue_at
            and p.place.kind == "country"
            # "launched rockets on Uzbekistan's territory": the target, not the origin
            and not _AT_TARGET.search(view.article.text, max(0, p.start - 12), p.start)
        ]
        origin = _NATIONAL_ATTACKERS.search(sentence.text, cue.start())
        if origin and _AT_TARGET.search(sentence.text, max(0, origin.start() - 12), origin.start()):
            origin = None
        accused_states = [
            m
            for m in mentions
            if m.start > cue_at
            and m.actor.kind == "state"
            and not (accusers and actors.ref(m.actor) == actors.ref(accusers[-1].actor))
        ]
        if accused_groups:
            accused = actors.ref(actors.branch_in(accused_groups[0].actor, country)).name
        elif accused_states and _ACCUSES_STATE.search(sentence.text):
            accused = actors.ref(accused_states[0].actor).name  # "accused India of backing"
        elif accused_places:
            accused = f"militants based in {accused_places[0].place.name}"
        elif origin and _state_word(view, origin.group(1)):
            iso2 = _state_word(view, origin.group(1))
            accused = f"militants from {view.country_names.get(iso2, iso2)}"
        else:
            continue
        speech = _SAID_BY.search(sentence.text, cue.end())
        if not accusers and speech:
            # "..., Tajikistan's State Committee for National Security said."
            accusers = [
                m
                for m in mentions
                if m.start > sentence.start + speech.start()
                and not actors.is_armed_group(m.actor)
                and m.actor.kind != "media"
            ][:1]
        by = actors.ref(accusers[-1].actor).name if accusers else None
        if accused == claimed_by or any(a.actor == accused for a in alleged):
            continue
        alleged.append(Allegation(actor=accused, by=by))
        cite("perpetrator", sentence)
    story = own if background else sentences
    for accused, sentence in _named_doers(view, own, story, actors, country):
        if accused != claimed_by and all(a.actor != accused for a in alleged):
            alleged.append(Allegation(actor=accused, by=_speaker(view, sentence, actors)))
            cite("perpetrator", sentence)
    if claimed_by is None and not alleged:
        return None
    return Perpetrator(claimed_by=claimed_by, alleged=tuple(alleged))


# "militants from the banned TTP", "TTP militants", "attributed to Jaish al-Adl": the text
# names the attackers' group without a claim.
_DOERS_BEFORE = _compile(
    r"\b(?:militants|terrorists|fighters|gunmen|insurgents|attackers|assailants|members|"
    r"bombers?|cadres|operatives)\s+(?:of|from|belonging to|linked to|affiliated with|"
    r"associated with)\s+(?:the\s+)?(?:banned\s+|outlawed\s+|proscribed\s+|militant\s+)?"
    r"(?:group\s+|outfit\s+|organi[sz]ation\s+)?$|\b(?:attributed to|blamed on|carried out by|"
    r"by)\s+(?:the\s+)?(?:banned\s+|outlawed\s+)?$",
    re.IGNORECASE,
)
_DOERS_AFTER = re.compile(
    r"^(?:\s*\([A-Z-]{2,10}\))?\s+(?:militants|terrorists|fighters|gunmen|insurgents|attackers)\b"
)
# "Indian-backed terrorists", "Pakistani warplanes bombed": a state named as the doer or
# its sponsor.
_STATE_DOER = re.compile(
    r"\b([A-Z][a-z]+)(?:-(?:backed|sponsored|funded|supported)|\s+(?:warplanes|aircraft|"
    r"fighter jets|jets|drones|forces|troops|military|army|air force|border forces|"
    r"border guards|security forces)\s+(?:had\s+|have\s+)?(?:bombed|struck|bombarded|hit|"
    r"targeted|pounded|fired|shelled|attacked|carried out|launched|conducted))\b"
)


_SPONSOR = re.compile(
    r"\b([A-Z][a-z]+)-(?:backed|sponsored|funded|supported|proxy|proxies|sponsored)\b"
)
# "militants allegedly funded by X": the sponsor named after its verb.
_SPONSOR_BY = re.compile(r"\b(?:supported|backed|sponsored|funded|financed)\s+by\s+([A-Z][a-z]+)\b")
_BEHIND = _compile(
    r"\b(?:behind the (?:attack|bombing|blast|assault)|responsible for the (?:attack|bombing|"
    r"blast|assault)|masterminds?|perpetrators? (?:were|was|are|is))\b",
    re.IGNORECASE,
)


def _state_word(view: ArticleView, word: str) -> str | None:
    """The country a demonym or a country's name stands for ("Indian-backed" and
    "India-backed" alike)."""
    folded = word.casefold()
    iso2 = view.demonyms.get(folded)
    if iso2 is None:
        iso2 = next((c for c, n in view.country_names.items() if n.casefold() == folded), None)
    return iso2


def _named_doers(
    view: ArticleView,
    own: list[Sentence],
    story: list[Sentence],
    actors: ActorDictionary,
    country: str | None,
) -> list[tuple[str, Sentence]]:
    """Groups and states the incident's own sentences name as its doers, and the sponsor
    or group the story says is behind it ("Indian-backed terrorists", "the BLA was behind
    the attack")."""
    found: list[tuple[str, Sentence]] = []
    for sentence in story:
        for match in _SPONSOR.finditer(sentence.text):
            iso2 = _state_word(view, match.group(1))
            state = view.states.get(iso2) if iso2 else None
            if state is not None and iso2 != country:
                found.append((actors.ref(state).name, sentence))
        for match in _SPONSOR_BY.finditer(sentence.text):
            name = match.group(1).casefold()
            iso2 = next((c for c, n in view.country_names.items() if n.casefold() == name), None)
            state = view.states.get(iso2) if iso2 else None
            if state is not None and iso2 != country:
                found.append((actors.ref(state).name, sentence))
        if _BEHIND.search(sentence.text) and not _HYPOTHETICAL.search(sentence.text):
            for mention in view.actors_in(sentence):
                if actors.is_armed_group(mention.actor):
                    name = actors.ref(actors.branch_in(mention.actor, country)).name
                    found.append((name, sentence))
    for sentence in own:
        text = view.article.text
        for mention in view.actors_in(sentence):
            if not actors.is_armed_group(mention.actor):
                continue
            before = text[max(sentence.start, mention.start - 60) : mention.start]
            if _DOERS_BEFORE.search(before) or _DOERS_AFTER.match(text[mention.end :]):
                name = actors.ref(actors.branch_in(mention.actor, country)).name
                found.append((name, sentence))
        for match in _STATE_DOER.finditer(sentence.text):
            iso2 = _state_word(view, match.group(1))
            state = view.states.get(iso2) if iso2 else None
            if state is not None and iso2 != country:
                found.append((actors.ref(state).name, sentence))
    return found


# A group's spokesman quoted in the first person: "“We carried out the raid on the
# camp,” a BLA spokesman said" claims the attack without the word "claim".
_WE_DID = re.compile(
    r"[“\"]\s*(?:[^”\"]{0,80}?\s)?[Ww]e\s+(?:have\s+|had\s+)?(?:\w+\s+)?(?:attacked|carried "
    r"out|captured|killed|targeted|stormed|struck|ambushed|abducted|conducted)\b"
)
_SPOKESMAN_OF = re.compile(r"^[^.“”\"]{0,40}?\b(?:spokes(?:man|person)|said|says|statement)\b")


def _quoted_claim(
    view: ArticleView,
    sentences: list[Sentence],
    actors: ActorDictionary,
    country: str | None,
    cite,  # type: ignore[no-untyped-def]
) -> str | None:
    """The armed group whose spokesman says in the first person that it did the attack."""
    text = view.article.text
    for sentence in sentences:
        quote = _WE_DID.search(sentence.text)
        if quote is None:
            continue
        at = sentence.start + quote.start()
        for mention in view.actors:
            if not (at < mention.start < sentence.end + 60):
                continue
            if actors.is_armed_group(mention.actor) and _SPOKESMAN_OF.match(text[mention.end :]):
                cite("perpetrator", sentence)
                return actors.ref(actors.branch_in(mention.actor, country)).name
    return None


# A state announcing its own strike: "the military said it carried out strikes on ...".
_OWN_STRIKE = _compile(
    r"\b(?:said|says|announced|confirmed|stated)\s+(?:in\s+a\s+statement\s+|on\s+\w+\s+)?"
    r"(?:that\s+)?(?:it|they|its (?:forces|jets|"
    r"aircraft|troops|army|military))\s+(?:had\s+|have\s+)?(?:carried out|conducted|launched|"
    r"struck|targeted|hit|bombed|shelled)\b",
    re.IGNORECASE,
)


def _state_claim(
    view: ArticleView,
    own: list[Sentence],
    actors: ActorDictionary,
    cite,  # type: ignore[no-untyped-def]
) -> str | None:
    """The state that announces its own strike or fire claims it (EVAL.md)."""
    for sentence in own:
        match = _OWN_STRIKE.search(sentence.text)
        if not match:
            continue
        at = sentence.start + match.start()
        speakers = [
            m
            for m in view.actors_in(sentence)
            if m.start < at and not actors.is_armed_group(m.actor) and m.actor.kind != "media"
        ]
        if speakers:
            cite("perpetrator", sentence)
            return actors.ref(speakers[-1].actor).name
    return None


# "an Islamic State faction", "a Baloch separatist group": one group of that family,
# unnamed; the claim is not the family's.
_UNNAMED_AFTER = re.compile(r"^\s+(?:group|faction|splinter group|offshoot|outfit)\b")


def _unnamed(text: str, mention) -> bool:  # type: ignore[no-untyped-def]
    return bool(
        re.search(r"\b(?:a|an)\s+$", text[max(0, mention.start - 4) : mention.start])
        and _UNNAMED_AFTER.match(text[mention.end :])
    )


def _speaker(view: ArticleView, sentence: Sentence, actors: ActorDictionary) -> str | None:
    """Who says the sentence, when a non-armed actor is its speaker ("..., ISPR said")."""
    speech = _SAID_BY.search(sentence.text)
    if not speech:
        return None
    after = sentence.start + speech.start()
    for mention in view.actors_in(sentence):
        if (
            mention.start > after
            and not actors.is_armed_group(mention.actor)
            and mention.actor.kind != "media"
        ):
            return actors.ref(mention.actor).name
    return None


_NEGATION = _compile(
    r"\b(no|not|yet to|nobody|no one|none|neither|never|den(y|ies|ied)|disown(ed|s)?|"
    r"rejected|dismissed)\b",
    re.IGNORECASE,
)
_HYPOTHETICAL = _compile(r"\b(would|if|could|might|may)\b[^.]{0,60}\bresponsib", re.IGNORECASE)
# An allegation outside the incident's own sentences must point at one attack ("the
# bombing", "those behind it"), not at attacks in general ("plans to conduct attacks").
_ABOUT_ATTACK = _compile(
    r"\b((the|this|that|last|[A-Z][a-z]+day's)\s+(\w+\s+)?(attack|bombing|blast|killing|"
    r"killings|kidnapping|abduction|assault|strike|incident|hijacking)|behind (it|the)|"
    r"perpetrators|those responsible|carried out the|the (attackers|assailants|bombers?|gunmen)|"
    r"(rockets|missiles|shells|mortars)\s+(\w+\s+)?(fired|launched))\b",
    re.IGNORECASE,
)


# Where the attackers came from points at one attack's doers wherever it is told ("the
# men had crossed from Afghanistan's Badakhshan province").
_ORIGIN_CUE = _compile(
    r"(?:crossed|came|come|infiltrated|sneaked in|fired|launched|firing)\b", re.IGNORECASE
)
_NAME_WORD = r"(?:[A-Z][\w'’-]*|(?:al|el|ul|ud|bin|ibn)-[\w'’-]+)"
_CLAIMANT = re.compile(
    rf"^\W*(?:The\s+|A\s+)?((?:{_NAME_WORD}\s+){{0,4}}?{_NAME_WORD})"
    r"(?:\s+\([A-Z]{2,8}\))?(?:,[^,]{3,80},)?\s+(?:has\s+|had\s+|have\s+)?$"
)
_NOT_CLAIMANTS = {"No", "None", "Nobody", "It", "They", "He", "She", "Police", "Officials"}


def unknown_claimant(before: str) -> str | None:
    """The named subject of a claim that no dictionary actor matched: "Jaish al-Fursan,
    a group linked to ..., claimed responsibility" keeps "Jaish al-Fursan"."""
    match = _CLAIMANT.match(before)
    if not match or match.group(1).split()[0] in _NOT_CLAIMANTS:
        return None
    return match.group(1)


_PASSIVE_CLAIMANT = re.compile(
    rf"^\s*(?:the\s+)?((?:{_NAME_WORD}\s+){{0,4}}{_NAME_WORD})"
    r"(?:\s+\([A-Z]{2,8}\))?(?:\s+(?:militant\s+|armed\s+|separatist\s+)?"
    r"(?:group|organi[sz]ation|outfit|movement))?(?=[\s,.;)]|$)"
)


def passive_claimant(after: str) -> str | None:
    """The named agent of a passive claim that no dictionary actor matched: "was
    claimed by the Harkat al-Nasr group" keeps "Harkat al-Nasr"."""
    match = _PASSIVE_CLAIMANT.match(after)
    if not match or match.group(1).split()[0] in _NOT_CLAIMANTS:
        return None
    return match.group(1)


# Each incident of an article reads the article's sentences again: one scan each. Small
# on purpose: it spares re-reading one article's sentences, not repeated articles.
@lru_cache(maxsize=128)
def _claims(text: str, lexicon: Lexicon) -> tuple[re.Match[str], ...]:
    """Claims of responsibility a sentence affirms: "No group had claimed the attack by
    Sunday, but on Monday ISKP claimed responsibility" affirms the second one."""
    found: list[re.Match[str]] = []
    several: bool | None = None  # counted only when a sentence claims
    for claim in lexicon.claim.finditer(text):
        if several is None:
            several = len(_ATTACK_NOUNS.findall(text)) > 1
        clause = re.split(
            r"\bbut\b|;|\bhowever\b", text[max(0, claim.start() - 60) : claim.start()]
        )[-1]
        if _NEGATION.search(clause):
            continue
        if several and not re.search(r"responsibility|credit", claim.group(0), re.IGNORECASE):
            # "Monday's attack near Gwadar, last September's assault in D.I. Khan, which
            # the TTP claimed, and ...": the claim belongs to one of several attacks.
            continue
        found.append(claim)
    return tuple(found)


_ATTACK_NOUNS = _compile(
    r"\b(attacks?|assaults?|bombings?|blasts?|shootings?|killings?|raids?|ambush(es)?|"
    r"explosions?|abductions?|kidnappings?)\b",
    re.IGNORECASE,
)


_AT_TARGET = _compile(r"\b(?:on|into|at|against)\s+(?:the\s+)?$", re.IGNORECASE)
_SAID_BY = re.compile(r",\s+(?:according to\s+)?(?=[^,]*\b(?:said|says|added|told)\b)")
_ACCUSES_STATE = re.compile(
    r"\b(accus(ed|es|ing)|blam(ed|es|ing))\s+(?:[A-Z][\w-]*\s+){1,4}(of|for)\b"
)
_NATIONAL_ATTACKERS = re.compile(
    r"\b([A-Z][a-z]+)(?:['’]s)?\s+(?:terrorists|militants|nationals|fighters|insurgents|elements|"
    r"territory|soil)\b"
)
