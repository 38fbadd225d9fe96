"""Who said what about whom: statements (PLOVER verbal events).

A statement is found by its reporting verb ("accused", "rejected", "urged", "pledged",
"warned", "claimed responsibility"); its source is the actor that does the verb (the
subject, "X was accused by Y" -> Y, a quote's "we" -> whoever the sentence says spoke,
"she" -> the last source named), its target the actor the verb is about ("rejected
Pakistan's claim" -> Pakistan). A negated, hedged or hypothetical verb ("did not accuse",
"stopped short of blaming", "would hold Kabul responsible if") makes no statement.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from ..records import ActorRef, Evidence, SourceRef, SpeakerRef, Statement
from .actors import Actor, ActorDictionary
from .entities import ActorMention
from .perpetrators import unknown_claimant
from .timex import find_times
from .view import ArticleView, Sentence

__all__ = [
    "ABOUT",
    "StatementLexicon",
    "extract_statements",
    "load_statement_lexicon",
    "national_body",
    "record_id",
    "said_on",
]

_QUOTE = re.compile(r"[“\"]([^”\"]{3,})[”\"]")
_PRONOUN = re.compile(r"\b(he|she|they|it|we|i)\b", re.IGNORECASE)
_TITLE_WORDS = re.compile(
    r"\b(minister|ministry|spokes(man|woman|person)|official|officials|police|army|"
    r"military|office|authorities|government|governor|commander|chief|president|envoy|"
    r"ambassador|embassy|consulate|department|secretary|general|inspector|officer)\b",
    re.IGNORECASE,
)
ABOUT = re.compile(
    r"\b(attack|attacks|bombing|blast|killing|killings|assault|abduction|kidnapping|"
    r"hijacking|strike|incident|perpetrators|those behind|those responsible|attackers|"
    r"bomber|victims)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class StatementLexicon:
    types: tuple[tuple[str, re.Pattern[str]], ...]
    negated: re.Pattern[str]
    hypothetical: re.Pattern[str]
    speech: re.Pattern[str]


@lru_cache(maxsize=2)
def load_statement_lexicon() -> StatementLexicon:
    raw = resources.files("khabar.data").joinpath("statement_lexicon.yaml").read_text("utf-8")
    spec = yaml.safe_load(raw)
    flags = re.IGNORECASE

    def whole(pattern: str) -> str:
        # "accus(e|ed)" must take "accused" whole, or "accuse|d by" hides the passive.
        if pattern.endswith(" ") or re.search(r"\(\?!", pattern[-30:]):
            return f"(?:{pattern})"
        return f"(?:{pattern})(?![a-z])"

    return StatementLexicon(
        types=tuple(
            (kind, re.compile(r"\b(?:" + "|".join(whole(p) for p in patterns) + r")", flags))
            for kind, patterns in spec["types"].items()
        ),
        negated=re.compile(spec["negated"], flags),
        hypothetical=re.compile(spec["hypothetical"]),
        speech=re.compile(spec["speech"], flags),
    )


def record_id(prefix: str, *parts: object) -> str:
    seed = ":".join(str(p) for p in parts)
    return f"{prefix}-" + hashlib.sha256(seed.encode()).hexdigest()[:16]


class _Sources:
    """Remembers who spoke last, for "she said" and quotes that run on."""

    def __init__(self) -> None:
        self.last: tuple[Actor, str] | None = None
        self.in_sentence: Statement | None = None
        """the statement made earlier in the same sentence ("accused A and called on B")"""


def extract_statements(
    view: ArticleView,
    *,
    lexicon: StatementLexicon,
    actors: ActorDictionary,
    about: str | None,
) -> list[Statement]:
    """The statements of an article, one per (type, source, target), first kept."""
    found: dict[tuple[str, str, str | None], Statement] = {}
    memory = _Sources()
    for sentence in view.sentences:
        memory.in_sentence = None
        for kind, verb in _verbs(sentence, lexicon):
            made = _statement(view, sentence, kind, verb, lexicon, actors, memory, about)
            if made is None:
                continue
            memory.in_sentence = made
            for also in _coordinated(view, sentence, verb, made, actors):
                key = (also.type, also.source.name, also.target.name if also.target else None)
                found.setdefault(key, also)
            key = (made.type, made.source.name, made.target.name if made.target else None)
            if made.target and made.target.name == made.source.name:
                continue
            found.setdefault(key, made)
        speaker = _speaker_of(view, sentence, lexicon, actors)
        if speaker is not None:
            memory.last = speaker
    statements = list(found.values())
    # A denial answers the accusation before it: "Kabul denies it harbours militants".
    accusers: dict[str, ActorRef] = {}
    last_accuser: dict[str, ActorRef] = {}
    requesters: dict[str, ActorRef] = {}
    last_accused: dict[str, ActorRef] = {}
    claimant: ActorRef | None = None
    resolved = []
    for statement in statements:
        if statement.type == "ACCUSE" and statement.target:
            accusers[statement.target.name] = ActorRef(
                name=statement.source.name, country=statement.source.country
            )
        if statement.type == "REJECT" and statement.target is None:
            claimed = re.search(
                r"\b(claim|claims|figure|figures|statement)\b", statement.evidence[0].quote
            )
            accuser = (
                (claimant if claimed and claimant else None)
                or accusers.get(statement.source.name)
                or last_accuser.get(statement.source.name)
            )
            if accuser is not None:
                statement = statement.model_copy(update={"target": accuser})
        if statement.type == "THREATEN" and statement.target is None:
            accused = last_accused.get(statement.source.name)
            if accused is not None:  # "will respond to this aggression", after accusing
                statement = statement.model_copy(update={"target": accused})
        if statement.type == "ACCUSE" and statement.target:
            last_accused[statement.source.name] = statement.target
        if statement.type == "AGREE" and statement.target is None:
            asker = requesters.get(statement.source.name)
            if asker is not None:  # "X urged Tajikistan to ...; Tajikistan pledged to do so"
                statement = statement.model_copy(update={"target": asker})
        if statement.type == "REQUEST" and statement.target:
            requesters[statement.target.name] = ActorRef(
                name=statement.source.name, country=statement.source.country
            )
        if statement.type == "CLAIM_RESPONSIBILITY":
            claimant = ActorRef(name=statement.source.name, country=statement.source.country)
        if statement.type == "ACCUSE":
            # Any later denial by someone else may answer this accusation.
            for name in list(last_accuser) + [s.source.name for s in statements]:
                if name != statement.source.name:
                    last_accuser[name] = ActorRef(
                        name=statement.source.name, country=statement.source.country
                    )
        resolved.append(statement)
    # The same act told twice, once with its target and once without, is one statement.
    targeted = {(s.type, s.source.name) for s in resolved if s.target is not None}
    unique: dict[tuple[str, str, str | None], Statement] = {}
    for statement in resolved:
        if statement.target is None and (statement.type, statement.source.name) in targeted:
            continue
        key = (
            statement.type,
            statement.source.name,
            statement.target.name if statement.target else None,
        )
        unique.setdefault(key, statement)
    return list(unique.values())


def _verbs(sentence: Sentence, lexicon: StatementLexicon) -> list[tuple[str, re.Match[str]]]:
    """Each statement verb of a sentence with its type; where two types claim the same
    words (a claim of responsibility is also a "claim"), the first type listed wins."""
    found: list[tuple[str, re.Match[str]]] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in lexicon.types:
        for match in pattern.finditer(sentence.text):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            taken.append((match.start(), match.end()))
            found.append((kind, match))
    return sorted(found, key=lambda item: item[1].start())


def _statement(
    view: ArticleView,
    sentence: Sentence,
    kind: str,
    verb: re.Match[str],
    lexicon: StatementLexicon,
    actors: ActorDictionary,
    memory: _Sources,
    about: str | None,
) -> Statement | None:
    text = sentence.text
    clause_start = max(text.rfind(";", 0, verb.start()), text.rfind(". ", 0, verb.start())) + 1
    before = text[clause_start : verb.start()]
    if lexicon.negated.search(before):
        return None  # "did not accuse", "stopped short of blaming"
    if lexicon.hypothetical.search(before[-45:]) or re.search(
        r"\bif\b", text[verb.end() : verb.end() + 80]
    ):
        return None  # "would hold Kabul responsible if ..."
    if text.rstrip().endswith("?") or (kind == "REQUEST" and "?" in text):
        return None  # a question is no request: "Why would we ...?" he asked
    if kind == "REQUEST" and re.search(r"\b(when|if|was|were|being|after being)\s+$", before):
        return None  # "declined to comment when asked": asked, not asking
    if re.search(
        r"\b(report|reports|claim|claims|rumou?rs?|reportedly)\s+(that\s+)?"
        r"(claimed\s+(that\s+)?)?[^.;]{0,40}$",
        before,
    ):
        return None  # "rejected a media report that claimed Beijing had urged ..."
    if re.search(r"\b(unnamed|anonymous)\s+(\w+\s+)?sources?\b", before):
        return None  # a report's unnamed sources are no actor's statement
    mentions = view.actors_in(sentence)
    verb_at = sentence.start + verb.start()
    in_quote = _inside_quote(text, verb.start())
    passive = re.match(r"\s+by\b", text[verb.end() : verb.end() + 6])
    source: tuple[Actor, str] | None = None
    if kind == "CLAIM_RESPONSIBILITY":
        groups = [m for m in mentions if actors.is_armed_group(m.actor)]
        before_groups = [m for m in groups if m.start < verb_at]
        chosen = before_groups[0] if before_groups else (groups[0] if groups else None)
        if chosen is not None:
            source = (chosen.actor, chosen.surface)
        elif (unknown := unknown_claimant(text[: verb.start()])) is not None:
            # A group the dictionary does not know: kept as an actor of its own.
            source = (Actor(id=f"new:{unknown}", name=unknown, kind="armed_group"), unknown)
        else:
            return None
    elif passive:
        after = [m for m in mentions if m.start > verb_at]
        if after:
            source = (after[0].actor, _speaker_phrase(text, after[0], sentence))
    elif in_quote:
        quoted = [
            m
            for m in mentions
            if m.start < verb_at
            and _inside_quote(text, m.start - sentence.start)
            and not _governed(text, m.start - sentence.start)
        ]
        inside = text[
            max(
                text.rfind("“", 0, verb.start()), text.rfind('"', 0, verb.start()), 0
            ) : verb.start()
        ]
        speaker = _speaker_of(view, sentence, lexicon, actors)
        tail = text[verb.end() :]
        if speaker is None and re.search(r"[”\"],?\s+(he|she|it|they)\s+(said|added|warned)", tail):
            speaker = memory.last  # “...,” it said: whoever spoke last
        if speaker is not None:
            source = speaker  # “Pakistan expects ...,” the ISPR said: the ISPR speaks
        elif quoted:
            source = (quoted[-1].actor, _speaker_phrase(text, quoted[-1], sentence))
        elif (national := national_body(inside, view)) is not None:
            source = national  # “The Afghan side also agreed ...,” the statement reads
        else:
            source = memory.last
    else:
        subjects = [
            m
            for m in mentions
            if sentence.start + clause_start <= m.start < verb_at
            and not _governed(text, m.start - sentence.start)
        ]
        pronoun = _PRONOUN.search(before[-25:])
        earlier = [m for m in mentions if m.start < verb_at]
        shared = memory.in_sentence
        if shared is not None and re.search(r"\band\s+(\w+\s+)?$", before):
            # "X accused Afghanistan of ... and called on Kabul": X did both.
            named = actors.lookup(shared.source.name)
            source = (named, shared.source.speaker or shared.source.name) if named else None
        elif subjects and not pronoun:
            chosen = subjects[-1]  # the head of "Pakistan's military spokesperson"
            source = (chosen.actor, _speaker_phrase(text, chosen, sentence))
        elif pronoun and earlier:
            # "the statement issued by Taliban authorities, in which they asserted"
            source = (earlier[-1].actor, earlier[-1].surface)
        elif (pronoun or _DEFINITE_BODY.search(before)) and memory.last:
            source = memory.last  # "she urged", "the committee called on"
        elif (said := _speaker_of(view, sentence, lexicon, actors)) is not None and re.search(
            r",\s+(the\s+)?[^,]{0,60}\b(said|says|added)\b", text[verb.end() :]
        ):
            source = said  # "The attackers belonged to the TTP, the ISPR said"
        elif (national := national_body(before, view)) is not None:
            source = national  # "Pakistani security authorities said"
        elif _TITLE_WORDS.search(before) and view.filed_state is not None:
            # "Interior Minister Sohail Arbab accused ...": an official of the country
            # the story was filed in, when no country is named.
            title = re.search(r"((?:[A-Z][\w.'’-]*\s+){0,5}[A-Z][\w.'’-]*)\s*$", before.strip(" ,"))
            source = (view.filed_state, title.group(1) if title else view.filed_state.name)
        elif _BOTH_SIDES.search(before) and (top := _top_state(view, actors)) is not None:
            source = (top, _BOTH_SIDES.search(before).group(0))  # both, by _coordinated
        elif (named := _new_person(before, view.article.text[: sentence.start])) is not None:
            # Someone the dictionary does not know ("Sajid Turi, a tribal elder, urged"):
            # kept as an actor of their own, not dropped.
            source = (Actor(id=f"new:{named}", name=named, kind="person"), named)
    if source is None:
        return None
    actor, speaker = source
    if kind == "ACCUSE" and not re.match(r"condemn", verb.group(0), re.IGNORECASE):
        needs_target = True  # "alleging that its fighters ...": no accusation without whom
    else:
        needs_target = False
    target = None
    if kind != "CLAIM_RESPONSIBILITY":
        target = _target(
            text,
            sentence,
            verb,
            mentions,
            actor,
            actors,
            passive=bool(passive),
            demonyms=view.demonyms,
            states=view.states,
            filed_state=view.filed_state,
        )
    if target is None and kind in ("AGREE", "SUPPORT", "REQUEST"):
        # "called the Chinese ambassador and pledged that ...": the other party is named
        # before the verb.
        for national in _NATIONAL_TARGET.finditer(text):
            iso2 = view.demonyms.get(national.group(1).casefold())
            if iso2 in view.states and actors.ref(view.states[iso2]).name != actors.ref(actor).name:
                target = actors.ref(view.states[iso2])
                break
    if needs_target and target is None:
        return None
    source_ref = actors.ref(actor)
    evidence = [
        Evidence(
            field="statement",
            article_id=view.article.id,
            start=sentence.start,
            end=sentence.end,
            quote=text,
        )
    ]
    quote = _QUOTE.search(text)
    if quote:
        evidence.append(
            Evidence(
                field="quote",
                article_id=view.article.id,
                start=sentence.start + quote.start(1),
                end=sentence.start + quote.end(1),
                quote=quote.group(1),
            )
        )
    return Statement(
        id=record_id("st", view.article.id, sentence.start, kind, source_ref.name),
        type=kind,  # type: ignore[arg-type]
        source=SpeakerRef(name=source_ref.name, country=source_ref.country, speaker=speaker),
        target=target,
        date=said_on(view, sentence, verb),
        about=about if ABOUT.search(text) else None,
        sources=(
            SourceRef(
                article_id=view.article.id,
                file=view.article.file,
                url=view.article.url,
                role="report",
            ),
        ),
        evidence=tuple(evidence),
    )


_NEW_PERSON = re.compile(
    r"(?:^|[.;]\s+|^\W*)((?:[A-Z][a-z]+\s+){1,3}[A-Z][a-z]+)(?:,\s+(?:a|an|the)\s+[^,]{3,60},)?\s*$"
)


def _new_person(before: str, earlier: str) -> str | None:
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


_BOTH_SIDES = re.compile(
    r"\b(the two sides|both sides|both countries|the two countries|the two governments|"
    r"both governments|the two neighbours|the two neighbors)\b",
    re.IGNORECASE,
)
_DEFINITE_BODY = re.compile(
    r"\bthe\s+(committee|ministry|department|office|spokes(man|woman|person)|official|"
    r"statement|government|military|army|police|agency|service|command|council|group)\b",
    re.IGNORECASE,
)
_GENERIC_OFFICIALS = re.compile(
    r"^\s+(that\s+)?(the\s+)?([a-z]+\s+)?(police|authorities|officials|government|"
    r"security forces)\b",
    re.IGNORECASE,
)
_NATIONAL_BODY = re.compile(
    r"\b([A-Z][a-z]+)\s+(?:[a-z]+\s+){0,2}(authorities|officials|government|police|forces|"
    r"troops|security|military|army|ministry|side|delegation|officers?)\b"
)


def national_body(text: str, view: ArticleView) -> tuple[Actor, str] | None:
    """ "Pakistani security authorities", "the Afghan side": the state of that nation."""
    for match in _NATIONAL_BODY.finditer(text):
        iso2 = view.demonyms.get(match.group(1).casefold())
        if iso2 and iso2 in view.states:
            return view.states[iso2], match.group(0)
    return None


def _top_state(view: ArticleView, actors: ActorDictionary) -> Actor | None:
    counts: dict[str, int] = {}
    for mention in view.actors:
        if mention.actor.kind in ("state", "organ") and actors.ref(mention.actor).country:
            name = actors.ref(mention.actor).name
            counts[name] = counts.get(name, 0) + 1
    if not counts:
        return None
    return actors.lookup(max(counts, key=lambda name: counts[name]))


def _coordinated(
    view: ArticleView,
    sentence: Sentence,
    verb: re.Match[str],
    made: Statement,
    actors: ActorDictionary,
) -> list[Statement]:
    """ "Pakistan and Afghanistan agreed ...": each agreed with the other."""
    if made.type != "AGREE":
        return []
    before = sentence.text[: verb.start()]
    if _BOTH_SIDES.search(before):
        # "The two sides also agreed": the two states the article names most.
        counts: dict[str, int] = {}
        for mention in view.actors:
            ref = actors.ref(mention.actor)
            if mention.actor.kind in ("state", "organ") and ref.country:
                counts[ref.name] = counts.get(ref.name, 0) + 1
        top = sorted(counts, key=lambda name: -counts[name])[:2]
        if len(top) == 2:
            refs = [actors.ref(actors.lookup(name)) for name in top if actors.lookup(name)]
            if len(refs) == 2:
                first, second = refs
                return [
                    made.model_copy(
                        update={
                            "id": made.id + "-a",
                            "source": SpeakerRef(**first.model_dump(), speaker=before.strip()),
                            "target": second,
                        }
                    ),
                    made.model_copy(
                        update={
                            "id": made.id + "-b",
                            "source": SpeakerRef(**second.model_dump(), speaker=before.strip()),
                            "target": first,
                        }
                    ),
                ]
    pair = re.search(r"(\S[^,;]*?)\s+and\s+([^,;]+?)\s+(have\s+|had\s+)?$", before)
    if not pair:
        return []
    names = []
    for mention in view.actors_in(sentence):
        offset = mention.start - sentence.start
        if pair.start() <= offset < pair.end():
            names.append(actors.ref(mention.actor))
    if len(names) != 2 or names[0].name == names[1].name:
        return []
    first, second = names
    return [
        made.model_copy(
            update={
                "id": made.id + "-a",
                "source": SpeakerRef(**first.model_dump(), speaker=first.name),
                "target": second,
            }
        ),
        made.model_copy(
            update={
                "id": made.id + "-b",
                "source": SpeakerRef(**second.model_dump(), speaker=second.name),
                "target": first,
            }
        ),
    ]


def _governed(text: str, offset: int) -> bool:
    """Whether a mention is the object of a preposition ("the role of Afghan terrorists",
    "talks with Kabul"), so not the subject."""
    return bool(
        re.search(
            r"\b(of|to|for|with|against|from|in|on|at|about|by|into|towards?)\s+(the\s+)?$",
            text[max(0, offset - 20) : offset],
            re.IGNORECASE,
        )
    )


def _inside_quote(text: str, offset: int) -> bool:
    return any(m.start() <= offset < m.end() for m in _QUOTE.finditer(text))


def _speaker_of(
    view: ArticleView, sentence: Sentence, lexicon: StatementLexicon, actors: ActorDictionary
) -> tuple[Actor, str] | None:
    """Who a sentence says spoke: "…," the foreign office said; X said that …"""
    speech = lexicon.speech.search(sentence.text)
    if not speech:
        return None
    mentions = [
        m
        for m in view.actors_in(sentence)
        if not _inside_quote(sentence.text, m.start - sentence.start)
    ]
    if not mentions:
        return None
    at = sentence.start + speech.start()
    nearest = min(mentions, key=lambda m: abs(m.start - at))
    return nearest.actor, _speaker_phrase(sentence.text, nearest, sentence)


def _speaker_phrase(text: str, mention: ActorMention, sentence: Sentence) -> str:
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


def _target(
    text: str,
    sentence: Sentence,
    verb: re.Match[str],
    mentions: list[ActorMention],
    source: Actor,
    actors: ActorDictionary,
    *,
    passive: bool,
    demonyms: dict[str, str],
    states: dict[str, Actor],
    filed_state: Actor | None = None,
) -> ActorRef | None:
    verb_at = sentence.start + verb.start()
    source_name = actors.ref(source).name
    if passive:
        subjects = [m for m in mentions if m.start < verb_at]
        candidates = subjects[-1:]
    else:
        clause_end = len(text)
        stop = re.search(
            r"[;.]\s|,\s+(saying|adding|and said|while|\w+ing)\b|\b(that|which|who)\s+"
            r"(claimed|said|alleged|reported|suggested)\b",
            text[verb.end() :],
        )
        if stop:
            clause_end = verb.end() + stop.start()
        candidates = [
            m
            for m in mentions
            if verb_at < m.start < sentence.start + clause_end
            and not _locative(text, m.start - sentence.start)
        ]
    for mention in candidates:
        ref = actors.ref(mention.actor)
        if ref.name != source_name:
            return ref
    if (
        not passive
        and filed_state is not None
        and _GENERIC_OFFICIALS.match(text[verb.end() :])
        and actors.ref(filed_state).name != source_name
    ):
        return actors.ref(filed_state)  # "denied police claims": the state's police
    if not passive:
        national = _NATIONAL_TARGET.search(text, verb.end(), verb.end() + 80)
        if national and re.search(
            r"\b(attacks?|killing|killings|deaths?|murder|abduction)\s+(on|of)\s+$",
            text[max(0, national.start() - 30) : national.start()],
        ):
            national = None  # the victims of an attack are not the target of a statement
        if national:
            iso2 = demonyms.get(national.group(1).casefold())
            if iso2 and iso2 in states and actors.ref(states[iso2]).name != source_name:
                return actors.ref(states[iso2])  # "confirming the role of Afghan terrorists"
    return None


_NATIONAL_TARGET = re.compile(
    r"\b([A-Z][a-z]+)\s+(?:[a-z]+\s+)?(terrorists|militants|nationals|citizens|authorities|"
    r"officials|government|forces|troops|side|elements|soil|territory|ambassador|embassy|envoy|"
    r"consulate|counterpart|delegation|request|demand|proposal|offer|side)\b"
)


def _locative(text: str, offset: int) -> bool:
    """A place, not a target: "the killing of Chinese workers in Tajikistan" (but
    "authorities in Kabul" names the government)."""
    before = text[max(0, offset - 40) : offset]
    if re.search(r"\b(authorities|government|officials|leaders|regime|rulers)\s+in\s+$", before):
        return False
    if re.search(
        r"\b(planned|facilitated|based|operating|hiding|sheltering|trained|launched|"
        r"orchestrated|emanating|directed|sponsored|backed)(\s+\w+){0,2}\s+(in|from)"
        r"\s+$",
        before,
        re.IGNORECASE,
    ):
        return False  # "planned and facilitated in Afghanistan": the accused
    return bool(
        re.search(
            r"\b(in|near|at|inside|within|across|from|outside)\s+(the\s+)?$", before, re.IGNORECASE
        )
    )


def said_on(view: ArticleView, sentence: Sentence, verb: re.Match[str]):  # type: ignore[no-untyped-def]
    """The date of the statement: a time expression right against its verb ("on
    Thursday condemned", "said on Thursday")."""
    for mention in find_times(sentence.text, reference=view.reference, today=view.today):
        gap = min(abs(mention.start - verb.end()), abs(verb.start() - mention.end))
        if gap <= 60 and mention.kind not in ("year", "year_adj", "month_year"):
            return mention.span
    return None
