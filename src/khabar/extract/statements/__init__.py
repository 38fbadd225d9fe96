"""Who said what about whom: statements (PLOVER verbal events).

A statement is found by its reporting verb or its nominal form ("accused", "accusations
against", "a demand for", "signed", "vowed"), or, without one, by what a named speaker is
said to say ("the attack was planned in Afghanistan, officials said"). Its source is the
subject of the verb (from the parse when the model has one, else from word windows),
"X was accused by Y" -> Y, a quote's "we" -> whoever the sentence says spoke, "she", "the
group", "the ministry" -> the actor named before; its target the actor the verb is about
("rejected Pakistan's claim" -> Pakistan). A negated, hedged or hypothetical verb ("did
not accuse", "would hold Kabul responsible if") makes no statement, but a conditional
threat ("will respond if ...") is a threat. docs/statements.md states every rule.

Modules: ``_lexicon`` (the data), ``_syntax`` (the parse), ``_speakers`` (who),
``_targets`` (whom), ``_implicit`` (statements without a verb), ``_pairs`` (joint
statements and replies), ``_about`` (which incident).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence

from ...records import (
    ActorRef,
    DateSpan,
    Evidence,
    Incident,
    SourceRef,
    SpeakerRef,
    Statement,
)
from .._match import possible_any
from ..actors import Actor, ActorDictionary
from ..view import ArticleView, Sentence
from . import _syntax
from ._about import about_of
from ._implicit import implicit_statements
from ._lexicon import (
    ABOUT,
    StatementLexicon,
    clause_start_before,
    load_statement_lexicon,
    record_id,
    said_on,
    told_on,
)
from ._pairs import coordinated, resolve_replies
from ._speakers import (
    QUOTE,
    Memory,
    Speaker,
    governed,
    inside_quote,
    national_body,
    speaker_of,
    speaker_phrase,
    surname_actor,
)
from ._subjects import TITLE_WORDS, source_of
from ._targets import NATIONAL_TARGET, target

__all__ = [
    "ABOUT",
    "StatementLexicon",
    "extract_statements",
    "load_statement_lexicon",
    "national_body",
    "prepare_statements",
    "record_id",
    "said_on",
]

_ANSWERED = re.compile(
    r"\b(allegations?|accusations?|charges?|claims?|remarks)\s+(made\s+|levelled\s+|leveled\s+)?"
    r"by\s+(the\s+)?$",
    re.IGNORECASE,
)
_POPULATION = re.compile(
    r"\b(people|citizens|residents|population|public|masses)\s+(of|in)\s+(the\s+)?$", re.IGNORECASE
)
_VOWS = re.compile(r"^(vow|promis|pledg|assur|commit)", re.IGNORECASE)


def extract_statements(
    view: ArticleView,
    *,
    lexicon: StatementLexicon,
    actors: ActorDictionary,
    about: str | None = None,
    incidents: Sequence[Incident] = (),
) -> list[Statement]:
    """The statements of an article, one per (type, source, target), first kept.

    Args:
        about: the incident the article reports first, for a statement whose sentence
            speaks of "the attack" without naming which.
        incidents: the article's incidents, reported and mentioned: a statement concerns
            the one its sentence or paragraph refers to.
    """
    found: list[Statement] = []
    told: dict[str, tuple[DateSpan, Sentence]] = {}
    view = _without_populations(view, actors)
    memory = Memory()
    closed_by = _quote_runs(view)
    previous: Sentence | None = None
    previous_frame: Speaker | None = None
    for sentence in view.sentences:
        memory.in_sentence = None
        concerning = about_of(view, sentence, incidents, about)
        speaker = speaker_of(view, sentence, lexicon, actors, memory)
        if speaker is None and sentence.index in closed_by:
            speaker = speaker_of(view, closed_by[sentence.index], lexicon, actors, memory)
        continued = None
        if speaker is None and previous is not None and _same_paragraph(view, previous, sentence):
            continued = previous_frame  # "The ISPR said ... . The attackers belonged to X."
        memory.frame = speaker
        if speaker is not None and (day := told_on(view, sentence, lexicon.speech)):
            told.setdefault(actors.ref(speaker[0]).name, (day, sentence))
        made_here: list[Statement] = []
        for kind, verb in _verbs(sentence, lexicon):
            made = _statement(view, sentence, kind, verb, lexicon, actors, memory, concerning)
            if made is None:
                continue
            memory.in_sentence = made
            if made.type == "ACCUSE" and (haven := _haven(view, sentence, verb, made, actors)):
                made_here.append(haven)  # "accused X of operating from havens in Y"
            named = actors.lookup(made.source.name)
            if named is not None and made.source.speaker:
                memory.last = (named, made.source.speaker)
                if named.kind == "person" or TITLE_WORDS.search(made.source.speaker):
                    memory.person = memory.last
            expanded = coordinated(view, sentence, verb, made, actors)
            made_here.extend(expanded or [made])
        if speaker is None and continued is not None and not made_here:
            for implicit in implicit_statements(
                view, sentence, continued, lexicon, actors, kinds=("ACCUSE",)
            ):
                made_here.append(
                    _record(
                        view,
                        sentence,
                        implicit.kind,
                        implicit.cue,
                        continued,
                        implicit.target,
                        actors,
                        concerning,
                    )
                )
        if speaker is not None:
            for implicit in implicit_statements(view, sentence, speaker, lexicon, actors):
                if any(
                    s.type == implicit.kind
                    and s.source.name == actors.ref(speaker[0]).name
                    and (
                        implicit.target is None
                        or (s.target is not None and s.target.name == implicit.target.name)
                    )
                    for s in made_here
                ):
                    continue  # the verb already said it
                made_here.append(
                    _record(
                        view,
                        sentence,
                        implicit.kind,
                        implicit.cue,
                        speaker,
                        implicit.target,
                        actors,
                        concerning,
                    )
                )
            memory.last = speaker
            if speaker[0].kind == "person" or TITLE_WORDS.search(speaker[1]):
                memory.person = speaker
        found.extend(made_here)
        for made in made_here:
            if made.date is not None:
                told.setdefault(made.source.name, (made.date, sentence))
        previous, previous_frame = sentence, speaker
        memory.mentions.extend(view.actors_in(sentence))
        people = [
            m
            for m in view.actors_in(sentence)
            if m.actor.kind == "person"
            and not inside_quote(sentence.text, m.start - sentence.start)
        ]
        if people:  # "... spokesperson Mumtaz Zahra Baloch spoke. She urged ..."
            memory.person = (people[-1].actor, speaker_phrase(sentence.text, people[-1], sentence))
    return resolve_replies([_dated_by_telling(view, s, told) for s in found])


# Not the day of this telling: an earlier one ("denied this at the time", "had earlier
# rejected"), or a standing position in the present ("they allege", "the group demands").
_EARLIER = re.compile(
    r"\b(at the time|back then|previously|earlier|in the past|had\s+(?:\w+\s+)?"
    r"(?:said|denied|rejected|accused|warned|demanded|urged|claimed)|"
    r"(?:they|it|group|government|side)\s+(?:allege|alleges|demands?|maintains?|insists?|"
    r"accuses|believes?|wants?|seeks?))\b",
    re.IGNORECASE,
)


def _dated_by_telling(
    view: ArticleView, statement: Statement, told: dict[str, tuple[DateSpan, Sentence]]
) -> Statement:
    """A statement with no day of its own takes the day its source was said to speak
    elsewhere in the article ("the group said in a statement on Monday" ... "the
    statement said"): one telling, reported over several sentences. Never the
    publication date alone."""
    if (
        statement.date is not None
        or statement.type in ("AGREE", "CLAIM_RESPONSIBILITY")  # acts, dated by their own day
        or statement.source.name not in told
        or _EARLIER.search(statement.evidence[0].quote)
    ):
        return statement
    day, sentence = told[statement.source.name]
    cited = view.cite("date", sentence)
    return statement.model_copy(update={"date": day, "evidence": (*statement.evidence, cited)})


def _quote_runs(view: ArticleView) -> dict[int, Sentence]:
    """Sentences inside a quotation that runs over several sentences or paragraphs
    ("“The beasts ... leniency. / “They will pay,” the minister said."): each maps to the
    sentence that closes the quotation, whose attribution names the speaker."""
    runs: dict[int, Sentence] = {}
    open_run: list[int] = []
    for sentence in view.sentences:
        opens, closes = sentence.text.count("“"), sentence.text.count("”")
        if open_run:
            if closes:
                for index in open_run:
                    runs[index] = sentence
                open_run = []
            elif len(open_run) > 4:
                open_run = []
            else:
                open_run.append(sentence.index)
        elif opens > closes:
            open_run = [sentence.index]
    return runs


def _same_paragraph(view: ArticleView, first: Sentence, second: Sentence) -> bool:
    return "\n" not in view.article.text[first.end : second.start]


_HAVEN = re.compile(
    r"\b(safe\s+havens?|sanctuar(y|ies)|hideouts?|bases|camps|soil)\s+(in|inside|of)\s+(the\s+)?$",
    re.IGNORECASE,
)


def _haven(
    view: ArticleView,
    sentence: Sentence,
    verb: re.Match[str],
    made: Statement,
    actors: ActorDictionary,
) -> Statement | None:
    """The state whose soil an accused group is said to use is accused too."""
    text = sentence.text
    for mention in view.actors_in(sentence):
        offset = mention.start - sentence.start
        if offset <= verb.end() or not _HAVEN.search(text[max(0, offset - 40) : offset]):
            continue
        ref = actors.ref(mention.actor)
        if ref.name not in (made.source.name, made.target.name if made.target else None):
            return made.model_copy(update={"id": made.id + "-haven", "target": ref})
    return None


def prepare_statements(lexicon: StatementLexicon) -> None:
    """Build the statement types' joint anchors (``_verbs``) when the Extractor loads."""
    possible_any(lexicon.types)


def _verbs(sentence: Sentence, lexicon: StatementLexicon) -> list[tuple[str, re.Match[str]]]:
    """Each statement verb of a sentence with its type; where two types claim the same
    words (a claim of responsibility is also a "claim"), the first type listed wins."""
    if not possible_any(lexicon.types)(sentence.text):
        return []  # no statement verb at all: one test instead of one per type
    found: list[tuple[str, re.Match[str]]] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in lexicon.types:
        for match in pattern.finditer(sentence.text):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            taken.append((match.start(), match.end()))
            found.append((kind, match))
    return sorted(found, key=lambda item: item[1].start())


def _cancelled(
    view: ArticleView, sentence: Sentence, kind: str, verb: re.Match[str], lexicon: StatementLexicon
) -> bool:
    """A negated, hedged, hypothetical, questioned or embedded verb makes no statement."""
    text = sentence.text
    clause_start = clause_start_before(text, verb.start())
    before = text[clause_start : verb.start()]
    passive = re.match(r"\s*by\b", text[verb.end() : verb.end() + 6])
    if lexicon.negated.search(before):
        return True  # "did not accuse", "stopped short of blaming"
    if kind != "THREATEN" and (
        lexicon.hypothetical.search(before[-45:])
        or re.search(r"\bif\b", text[verb.end() : verb.end() + 80])
    ):
        return True  # "would hold Kabul responsible if ..." (but "will respond if" threatens)
    if text.rstrip().endswith("?") or (kind == "REQUEST" and "?" in text):
        return True  # a question is no request: "Why would we ...?" he asked
    if kind == "REQUEST" and re.search(r"\b(when|if|was|were|being|after being)\s+$", before):
        return True  # "declined to comment when asked": asked, not asking
    if not passive and re.search(
        r"\b(report|reports|claim|claims|rumou?rs?|reportedly)\s+(that\s+)?"
        r"(claimed\s+(that\s+)?)?[^.;]{0,40}$",
        before,
    ):
        return True  # "rejected a media report that claimed Beijing had urged ..."
    if re.search(r"\b(unnamed|anonymous)\s+(\w+\s+)?sources?\b|condition of anonymity", text):
        return True  # a report's unnamed sources are no actor's statement
    if (
        kind == "REQUEST"
        and re.match(r"\s+to\b", text[verb.end() :])
        and re.match(r"(asked|urged|requested|pressed|told)$", verb.group(0), re.IGNORECASE)
    ):
        return True  # "Taliban govt asked to hand over X": asked, not asking
    if kind == "AGREE" and re.search(
        r"\b(ceasefire|truce|deal|terms|plan|arrangement|accord|mechanism|framework)\s+$", before
    ):
        return True  # "the ceasefire agreed with the government": a participle
    if (
        kind == "REJECT"
        and re.match(r"den(ied|y)$", verb.group(0), re.IGNORECASE)
        and re.search(r"\b(was|were|been|being|be|is|are|get|got)\s+$", before)
        and re.match(r"\s+(?!by\b|that\b|in\b|on\b|as\b)[a-z]", text[verb.end() :])
    ):
        return True  # "his party was denied victory", "was denied bail": withheld, not denied
    if re.search(
        r"\b(our|their|its|his|her|my|your|repeated|these|those|such|previous)\s+$", before
    ):
        return True  # "take our repeated requests seriously": a noun, not a new statement
    if _syntax.has_parse(view.doc):
        return _syntax.is_subordinate_infinitive(view.doc, sentence.start + verb.start())
    # "expected Kabul to fulfil its obligations and deny ...": what is asked, not said
    return bool(
        re.search(r"\bto\s+(?:\w+\s+){1,8}(?:and|or)\s+$", before)
        and re.fullmatch(r"[a-z]+", verb.group(0).split()[0])
        and verb.group(0).split()[0].lower()
        in ("deny", "reject", "accuse", "blame", "agree", "urge")
    )


def _statement(
    view: ArticleView,
    sentence: Sentence,
    kind: str,
    verb: re.Match[str],
    lexicon: StatementLexicon,
    actors: ActorDictionary,
    memory: Memory,
    about: str | None,
) -> Statement | None:
    text = sentence.text
    if _cancelled(view, sentence, kind, verb, lexicon):
        return None
    word = verb.group(0)
    clause = text[verb.end() : verb.end() + 160]
    punitive = bool(lexicon.punitive.search(re.split(r"[.;]", clause)[0]))
    if _VOWS.match(word) and kind == "THREATEN" and not punitive:
        kind = "AGREE"  # "vowed to keep the crossing open"
    if kind == "SUPPORT" and re.search(r"condolence|sympath|grief|sorrow", clause[:40]):
        return None
    if (
        kind == "CLAIM_RESPONSIBILITY"
        and re.match(r"claimed that", text[verb.start() :])
        and not lexicon.hostile.search(clause)
    ):
        return None
    source = source_of(view, sentence, kind, verb, lexicon, actors, memory)
    if source is None:
        return None
    frame = memory.frame
    if (
        frame is not None
        and source[0].kind == "state"
        and actors.ref(frame[0]).country == actors.ref(source[0]).country
        and actors.ref(frame[0]).name != actors.ref(source[0]).name
    ):
        source = frame  # "the army's media wing stated that Pakistan reserves the right ..."
    if (
        kind == "ACCUSE"
        and actors.is_armed_group(source[0])
        and re.match(
            r"\s+that\s+(it|they|its\s+\w+)\s+(had\s+|have\s+|has\s+)?(launched|carried\s+out|"
            r"conducted|attacked|fired|killed|targeted)",
            text[verb.end() :],
        )
    ):
        kind = "CLAIM_RESPONSIBILITY"  # "the group alleged that it had launched rockets"
    if kind == "REJECT" and memory.in_sentence is not None and memory.in_sentence.type == "ACCUSE":
        accuser = memory.in_sentence.source
        if accuser.name != actors.ref(source[0]).name and re.search(
            r"\b(claim|charge|allegation|accusation)s?\b[^.;]{0,30}$", text[: verb.start()]
        ):
            # "X accused Y of ..., a claim which has been denied by Z": Z rejects X
            return _record(
                view,
                sentence,
                kind,
                verb,
                source,
                ActorRef(name=accuser.name, country=accuser.country),
                actors,
                about,
            )
    actor, _ = source
    found_target = None
    if kind != "CLAIM_RESPONSIBILITY":
        found_target = target(
            text,
            sentence,
            verb,
            view.actors_in(sentence),
            actor,
            actors,
            kind=kind,
            passive=bool(re.match(r"\s*by\b", text[verb.end() : verb.end() + 6])),
            demonyms=view.demonyms,
            states=view.states,
            filed_state=view.filed_state,
            agent=_syntax.agent_span(view.doc, sentence.start + verb.start()),
        )
    if found_target is None and kind in ("ACCUSE", "REJECT"):
        found_target = _by_surname(view, sentence, verb, actor, actors)
    if found_target is None and kind in ("AGREE", "SUPPORT", "REQUEST"):
        found_target = _other_party(view, sentence, actor, actors, kind)
    if found_target is None and kind == "REJECT":
        # "X alleged that ..., although Y denied this": Y rejects X
        own = actors.ref(actor).name
        for mention in view.actors_in(sentence):
            if mention.start >= sentence.start + verb.start():
                break
            canonical = actors.canonical(mention.actor)
            answered = _ANSWERED.search(
                text[max(0, mention.start - sentence.start - 45) : mention.start - sentence.start]
            )
            if actors.ref(mention.actor).name != own and answered and canonical.kind != "media":
                # "X responded to allegations by Y, saying ...": X rejects Y
                found_target = actors.ref(mention.actor)
                break
            if (
                actors.ref(mention.actor).name != own
                and (canonical.kind == "state" or actors.is_armed_group(mention.actor))
                and not governed(text, mention.start - sentence.start)
            ):
                found_target = actors.ref(mention.actor)
                break
    if kind == "AGREE" and _VOWS.match(word) and punitive and found_target is None:
        kind = "THREATEN"  # "promised that those responsible would be brought to justice"
    if (
        found_target is not None
        and frame is not None
        and actors.ref(actor).country == found_target.country
        and actors.ref(frame[0]).country != found_target.country
    ):
        # "Kabul said Pakistani troops had fired first and accused Pakistan of ...":
        # the speaker of the sentence accuses, not the troops it speaks of
        source = frame
        if actors.ref(frame[0]).name == found_target.name:
            return None
    return _record(view, sentence, kind, verb, source, found_target, actors, about)


def _by_surname(
    view: ArticleView,
    sentence: Sentence,
    verb: re.Match[str],
    actor: Actor,
    actors: ActorDictionary,
) -> ActorRef | None:
    """ "described Khan's narrative as a threat", "accused Rauf of ...": a person named in
    full earlier in the article, now by surname, in the verb's clause (up to a comma:
    "condemn the attack, Baloch said" names the speaker, not the accused)."""
    start = verb.start() + len(verb.group(0).split()[0])
    clause = re.split(r"[,;:]", sentence.text[start : verb.end() + 60])[0]
    own = actors.ref(actor).name
    for word in re.finditer(r"(?<![\w.])[A-Z][a-z]{2,}(?=[’']s\b|\b)", clause):
        found = surname_actor(word.group(0), view, sentence.start + start + word.start())
        if found is not None and actors.ref(found[0]).name != own:
            return actors.ref(found[0])
    return None


def _without_populations(view: ArticleView, actors: ActorDictionary) -> ArticleView:
    """The view without the states named as a population ("the people of Pakistan
    supported", "citizens of Iran"): a country's people are no government that speaks or
    is spoken about."""
    text = view.article.text
    kept = [
        m
        for m in view.actors
        if not (
            actors.canonical(m.actor).kind == "state"
            and _POPULATION.search(text[max(0, m.start - 30) : m.start])
        )
    ]
    if len(kept) == len(view.actors):
        return view
    return dataclasses.replace(view, actors=kept)


def _other_party(
    view: ArticleView, sentence: Sentence, actor: Actor, actors: ActorDictionary, kind: str
) -> ActorRef | None:
    """ "called the Chinese ambassador and pledged that ...", "Pakistan's foreign office
    said Muttaqi welcomed the decision": the other party is named elsewhere in the
    sentence."""
    own = actors.ref(actor).name
    for mention in view.actors_in(sentence) if kind != "REQUEST" else ():
        ref = actors.ref(mention.actor)
        if ref.name != own and actors.canonical(mention.actor).kind == "state":
            return ref
    for national in NATIONAL_TARGET.finditer(sentence.text):
        iso2 = view.demonyms.get(national.group(1).casefold())
        if iso2 in view.states and actors.ref(view.states[iso2]).name != own:
            return actors.ref(view.states[iso2])
    return None


def _countries(view: ArticleView) -> set[str]:
    """The countries a story is about: its places and its dateline."""
    found = {p.place.country for p in view.places}
    if view.filed_state is not None and view.filed_state.country:
        found.add(view.filed_state.country)
    return found


def _record(
    view: ArticleView,
    sentence: Sentence,
    kind: str,
    verb: re.Match[str],
    source: Speaker,
    found_target: ActorRef | None,
    actors: ActorDictionary,
    about: str | None,
) -> Statement:
    actor, speaker = source
    text = sentence.text
    if actors.is_armed_group(actor):
        # "Islamic State" in a story from Kunduz or Peshawar is its Khorasan branch
        actor = actors.branch(actor, _countries(view))
    source_ref = actors.ref(actor)
    if found_target is not None:
        named = actors.lookup(found_target.name)
        if named is not None and actors.is_armed_group(named):
            found_target = actors.ref(actors.branch(named, _countries(view)))
    evidence = [
        Evidence(
            field="statement",
            article_id=view.article.id,
            start=sentence.start,
            end=sentence.end,
            quote=text,
        )
    ]
    quote = QUOTE.search(text)
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
        target=found_target,
        date=said_on(view, sentence, verb),
        about=about,
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
