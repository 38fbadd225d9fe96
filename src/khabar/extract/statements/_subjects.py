"""Who makes a statement made with a verb: its subject (from the parse, else a word
window), the agent of a passive, a quotation's attribution, the claimant of a claim of
responsibility; a person the dictionary lacks speaks for the actor of their title."""

from __future__ import annotations

import re

from ..actors import Actor, ActorDictionary
from ..perpetrators import unknown_claimant
from ..view import ArticleView, Sentence
from . import _syntax
from ._lexicon import StatementLexicon, clause_start_before
from ._pairs import BOTH_SIDES
from ._speakers import (
    PRONOUN,
    Memory,
    Speaker,
    definite_actor,
    governed,
    inside_quote,
    national_body,
    new_person,
    pronoun_actor,
    speaker_of,
    speaker_phrase,
    surname_actor,
    top_state,
)

__all__ = ["TITLE_WORDS", "source_of"]

TITLE_WORDS = re.compile(
    r"\b(minister|ministry|spokes(man|woman|person)|official|officials|police|army|"
    r"military|office|authorities|government|governor|commander|chief|president|envoy|"
    r"ambassador|embassy|consulate|department|secretary|general|inspector|officer)\b",
    re.IGNORECASE,
)
_GENERIC_CLAIM = re.compile(
    r"\b(claimed|claims|claiming)\s+(the\s+)?responsibility\s+for\s+(many|several|most|a\s+series|"
    r"a\s+number|numerous|dozens|scores|similar|previous\s+attacks|attacks|bombings|killings)\b|"
    r"\bin\s+recent\s+(months|years|weeks)\b[^.]{0,60}\bclaimed\b|\bclaimed\b[^.]{0,80}\bin\s+recent\s+"
    r"(months|years|weeks)\b",
    re.IGNORECASE,
)


def source_of(
    view: ArticleView,
    sentence: Sentence,
    kind: str,
    verb: re.Match[str],
    lexicon: StatementLexicon,
    actors: ActorDictionary,
    memory: Memory,
) -> Speaker | None:
    text = sentence.text
    mentions = [m for m in view.actors_in(sentence) if actors.canonical(m.actor).kind != "media"]
    verb_at = sentence.start + verb.start()
    clause_start = clause_start_before(text, verb.start())
    before = text[clause_start : verb.start()]
    passive = re.match(r"\s*by\b", text[verb.end() : verb.end() + 6])
    if kind == "CLAIM_RESPONSIBILITY":
        return _claimant(view, sentence, verb, actors, memory, bool(passive))
    nation = re.search(r"\b(an?|the)\s+([A-Z][a-z]+)\s+$", before)
    if nation and (iso2 := view.demonyms.get(nation.group(2).casefold())) in view.states:
        return view.states[iso2], nation.group(0).strip()  # "agreed to an Afghan request"
    if passive:
        after = [m for m in mentions if m.start > verb_at]
        if after:
            return after[0].actor, speaker_phrase(text, after[0], sentence)
        return None
    agent = _syntax.agent_span(view.doc, verb_at)
    if agent is not None:
        inside = [m for m in mentions if agent[0] <= m.start < agent[1]]
        if inside:
            return inside[0].actor, speaker_phrase(text, inside[0], sentence)
    if inside_quote(text, verb.start()):
        quoted = [
            m
            for m in mentions
            if m.start < verb_at
            and inside_quote(text, m.start - sentence.start)
            and not governed(text, m.start - sentence.start)
        ]
        inside = text[
            max(
                text.rfind("“", 0, verb.start()), text.rfind('"', 0, verb.start()), 0
            ) : verb.start()
        ]
        if re.match(r"[“\"]?\s*(the\s+)?(people|citizens|public|masses|nation)\b", inside, re.I):
            return None  # “The people of X stand with him,” Y said: the people, not Y
        span = _syntax.subject_span(view.doc, verb_at)
        if span is not None and span[0] >= sentence.start:
            phrase = view.article.text[span[0] : span[1]]
            own = [m for m in quoted if span[0] <= m.start < span[1]]
            if own:
                return own[-1].actor, speaker_phrase(text, own[-1], sentence)
            if (national := national_body(phrase, view)) is not None:
                return national  # “The Afghan side also agreed ...,” the statement reads
            if not PRONOUN.fullmatch(phrase.strip()) and re.search(r"[A-Za-z]", phrase):
                return None  # “The people stand with him,” X said: the people, not X
            if phrase.strip().casefold() in ("he", "she", "they", "it"):
                return None  # a quotation's "they" are others, not the speaker
        elif (national := national_body(inside[-40:], view)) is not None:
            return national
        speaker = speaker_of(view, sentence, lexicon, actors, memory)
        tail = text[verb.end() :]
        if speaker is None and re.search(r"[”\"],?\s+(he|she|it|they)\s+(said|added|warned)", tail):
            speaker = memory.last  # “...,” it said: whoever spoke last
        if speaker is not None:
            return speaker  # “Pakistan expects ...,” the ISPR said: the ISPR speaks
        if quoted:
            return quoted[-1].actor, speaker_phrase(text, quoted[-1], sentence)
        national = national_body(inside, view)
        return national or memory.last
    shared = memory.in_sentence
    if shared is not None and re.search(r"\band\s+(\w+\s+)?$", before):
        # "X accused Afghanistan of ... and called on Kabul": X did both.
        named = actors.lookup(shared.source.name)
        return (named, shared.source.speaker or shared.source.name) if named else None
    span = _syntax.subject_span(view.doc, verb_at)
    if span is not None and span[0] >= sentence.start:
        inside = [m for m in mentions if span[0] <= m.start < span[1]]
        if inside:
            chosen = inside[-1]
            return chosen.actor, speaker_phrase(text, chosen, sentence)
        phrase = view.article.text[span[0] : span[1]]
        if phrase.strip().casefold() in ("who", "which", "that"):
            return None  # "separatist groups, who accuse ...": no actor the text names
        if PRONOUN.fullmatch(phrase.strip()):
            word = phrase.strip().casefold()
            if word in ("we", "i"):
                return speaker_of(view, sentence, lexicon, actors, memory) or memory.last
            earlier = [m for m in mentions if m.start < span[0]]
            if word in ("they", "it") and memory.frame is not None:
                return memory.frame  # "the military said it expected ..."
            if earlier and word in ("they", "it"):
                return earlier[-1].actor, earlier[-1].surface
            people = [m for m in earlier if m.actor.kind == "person"]
            if people and word in ("he", "she"):
                return people[-1].actor, people[-1].surface
            owner = re.findall(
                r"\b([A-Z][a-z]+)[’']s\b", view.article.text[sentence.start : span[0]]
            )
            if owner and word in ("he", "she"):
                # "Khan's post, in which he accused ...": the person named by surname
                named = surname_actor(owner[-1], view, span[0])
                if named is not None:
                    return named
            return pronoun_actor(word, memory)
        found = national_body(phrase, view) or definite_actor(phrase, view, actors, span[0], memory)
        if found is not None:
            return found
    return _source_by_window(
        view, sentence, verb, before, clause_start, mentions, lexicon, actors, memory
    )


def _source_by_window(
    view, sentence, verb, before, clause_start, mentions, lexicon, actors, memory
):  # type: ignore[no-untyped-def]
    """The subject without a parse: the last actor of the clause before the verb that is
    no preposition's object, else a pronoun's or a description's antecedent."""
    text = sentence.text
    verb_at = sentence.start + verb.start()
    subjects = [
        m
        for m in mentions
        if sentence.start + clause_start <= m.start < verb_at
        and not governed(text, m.start - sentence.start)
    ]
    pronoun = PRONOUN.search(before[-25:])
    earlier = [m for m in mentions if m.start < verb_at]
    if (
        subjects
        and re.search(r",\s*$", before)
        and re.match(r"(saying|adding|stating)\b", verb.group(0))
    ):
        # "X responded to claims by Y, saying ...": the participle's speaker is the clause's
        # subject, the first actor no preposition governs, not the last one before it
        heads = [m for m in subjects if not re.match(r"[’']s\b", text[m.end - sentence.start :])]
        chosen = (heads or subjects)[0]  # "X's party responded": the party, not X
        return chosen.actor, speaker_phrase(text, chosen, sentence)
    if subjects and not pronoun:
        chosen = subjects[-1]  # the head of "Pakistan's military spokesperson"
        return chosen.actor, speaker_phrase(text, chosen, sentence)
    if pronoun and earlier:
        # "the statement issued by Taliban authorities, in which they asserted"
        return earlier[-1].actor, earlier[-1].surface
    if pronoun and (found := pronoun_actor(pronoun.group(1), memory)) is not None:
        return found  # "she urged"
    described = definite_actor(before, view, actors, verb_at, memory)
    if described is not None:
        return described  # "the group demanded", "the ministry called on"
    said = speaker_of(view, sentence, lexicon, actors, memory)
    if said is not None and re.search(
        r",\s+(the\s+)?[^,]{0,60}\b(said|says|added)\b", text[verb.end() :]
    ):
        return said  # "The attackers belonged to the TTP, the ISPR said"
    national = national_body(before, view)
    if national is not None:
        return national  # "Pakistani security authorities said"
    if TITLE_WORDS.search(before) and view.filed_state is not None:
        # "Interior Minister Sohail Arbab accused ...": an official of the country the
        # story was filed in, when no country is named.
        title = re.search(r"((?:[A-Z][\w.'’-]*\s+){0,5}[A-Z][\w.'’-]*)\s*$", before.strip(" ,"))
        return view.filed_state, title.group(1) if title else view.filed_state.name
    both = BOTH_SIDES.search(before)
    if both and (top := top_state(view, actors)) is not None:
        return top, both.group(0)  # both, by coordinated()
    named = new_person(before, view.article.text[: sentence.start])
    if named is not None and (titled := _titled(view, named, sentence.start)) is not None:
        return titled  # "Qureshi urged", after "the Foreign Office's spokeswoman Tahira Qureshi"
    if named is not None:
        # Someone the dictionary does not know ("Sajid Turi, a tribal elder, urged"):
        # kept as an actor of their own, not dropped.
        return Actor(id=f"new:{named}", name=named, kind="person"), named
    return None


def _titled(view: ArticleView, name: str, before: int) -> Speaker | None:
    """The actor a person the dictionary lacks speaks for, from the title the article
    gave them ("Pakistan's Foreign Office spokeswoman Tahira Qureshi")."""
    text = view.article.text
    at = text.find(name, 0, before)
    if at < 0:
        return None
    for mention in view.actors:
        gap = text[mention.end : at]
        if (
            0 <= at - mention.end <= 50
            and re.fullmatch(r"[\s\w’'.-]*", gap)
            and TITLE_WORDS.search(f"{mention.surface}{gap}")
        ):
            return mention.actor, f"{mention.surface}{gap}{name}".strip()
    return None


def _claimant(view, sentence, verb, actors, memory, passive):  # type: ignore[no-untyped-def]
    """Who claims: the armed group that is the subject (or the agent of "was claimed
    by"), "this organization" -> the group named before, else a group the dictionary
    does not know ("a little-known group called X")."""
    text = sentence.text
    if _GENERIC_CLAIM.search(text):
        return None  # "who in recent months have claimed responsibility for attacks"
    verb_at = sentence.start + verb.start()
    groups = [m for m in view.actors_in(sentence) if actors.is_armed_group(m.actor)]
    if passive or re.search(r"claimed\s*$|been claimed|was claimed", verb.group(0)):
        after = [m for m in groups if m.start > verb_at]
        if after and (passive or "by" in text[verb.end() : after[0].start - sentence.start]):
            return after[0].actor, speaker_phrase(text, after[0], sentence)
    before_groups = [
        m
        for m in groups
        if m.start < verb_at
        and not re.search(r",\s+(which|who|whom|whose)\b[^,]*$", text[: m.start - sentence.start])
    ]
    if before_groups:
        return before_groups[-1].actor, speaker_phrase(text, before_groups[-1], sentence)
    described = definite_actor(text[: verb.start()], view, actors, verb_at, memory)
    if described is not None and actors.is_armed_group(described[0]):
        return described
    if groups:
        return groups[0].actor, speaker_phrase(text, groups[0], sentence)
    unknown = unknown_claimant(text[: verb.start()])
    if unknown is not None:
        # A group the dictionary does not know: kept as an actor of its own.
        return Actor(id=f"new:{unknown}", name=unknown, kind="armed_group"), unknown
    return None
