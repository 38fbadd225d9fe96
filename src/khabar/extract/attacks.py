"""Attacks in one article -> Incident records, every field with its evidence.

An article reports at most a few attacks and names others in passing. Sentences that
name an attack (a trigger word in the lexicon, not a generic plural such as "a surge in
attacks") are grouped: the story's own incident, a new one after "in a separate
attack", and background mentions ("the first attack, in 2022, targeted ..."), each a
one-sentence incident of its own. Sentences about statistics, arrests and plans are left
out. Each incident's fields are then read from its sentences:

- type: the highest-priority trigger named (a drone attack is a drone strike);
- date: the first temporal expression tied to the attack rather than to a statement
  ("Pakistan on Thursday condemned the attack" dates the condemnation, not the attack);
- place: the most specific place that the other places of the incident nest around,
  leaving out destinations ("on its way to Dasu"), the place an attack is said to come
  from ("planned in Afghanistan"), and capitals that act ("Beijing urged Islamabad");
- tolls from ``casualties``; claims, unless negated; allegations with who made them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from ..records import (
    Count,
    DateSpan,
    Evidence,
    Incident,
    Location,
    SourceRef,
    VictimGroup,
)
from ._match import compile as _compile
from ._match import possible_any as _possible_any
from .actors import ActorDictionary
from .casualties import SentenceCasualties, may_name_country, named_victim, read_casualties
from .dating import dated_after_another
from .entities import PlaceMention
from .gazetteer import Gazetteer
from .lexicon import Lexicon
from .perpetrators import find_perpetrator
from .timex import TimeMention, find_times, is_caption
from .view import ArticleView, Sentence

__all__ = ["ArticleView", "Sentence", "extract_incidents", "prepare"]

_KIND_RANK = {"place": 3, "admin2": 2, "admin1": 1, "country": 0}
# A site inside a town ("Karachi airport", "Serena Hotel"): the town is the event's place
# when both are named; the site stays in the evidence.
_SITE = _compile(
    r"\b(airport|hotel|dam|crossing|bridge|tunnel|cantonment|camp|base|university|mine|"
    r"plant|project|border|market|bazaar|mosque|shrine|hospital|station|port|complex|"
    r"stadium|school|college|road|highway|chowk|square|sector|colony|town)\b",
    re.IGNORECASE,
)
_DISTRICT_WORD = _compile(r"^\s+(district|agency|tehsil|division)\b", re.IGNORECASE)
# A town this large is a city: its quarters are reported as the city (EVAL.md).
_CITY_POPULATION = 500_000
_NOT_EVENT_PLACE = _compile(
    r"\b(from|to|towards|toward|into|through|via|across|bound for|way to|en route to|"
    r"headed for|heading to|travell?ing to|destined for|between|hospitals? in|"
    r"treated in|taken to|flown to|airlifted to|shifted to|buried in|funerals? in|talks in|"
    r"talks with|meeting in|met in|conference in|summit in|visit to|visited|hearing in|"
    r"court in|briefing in|embassy in|consulate in|officials? in|spokes\w+ in|sources? in|"
    r"officers? in)"
    r"\s+(the\s+)?$",
    re.IGNORECASE,
)
# "shot dead a police officer in Mardan", "a blast outside the Turkish embassy in Kabul":
# the officer is the victim and the embassy the target, Mardan and Kabul the places
# (unlike "a police officer in Mardan said", "the embassy in Kabul said").
_OFFICER_KILLED = _compile(
    r"(?:\b(shot|gunned down|killed|killing|murdered|assassinated|martyred|martyring|wounded|"
    r"wounding|injured|injuring|abducted|kidnapped|targeted|attacked|ambushed)\s+"
    r"(?:dead\s+)?(?:\S+\s+){0,3}(officers?|officials?)|\b(?:outside|near|at|inside|"
    r"in front of|targeting|targeted|attacked|struck|stormed|on)\s+(?:the\s+)?(?:\S+\s+){0,3}"
    r"(?:embassy|consulate|court))\s+in\s+(the\s+)?$",
    re.IGNORECASE,
)
_LOCATIVE = _compile(
    r"\b(in|at|near|outside|inside|of|on|around|across|within|from)\s+(the\s+)?"
    r"((north|south|east|west|central|north-?east|north-?west|south-?east|south-?west)"
    r"(ern)?\s+)?$|"
    # "in the Tajik capital Dushanbe", "the provincial capital, Peshawar": the town itself
    r"\bcapital,?\s+$",
    re.IGNORECASE,
)
_STATEMENT_VERB = _compile(
    r"\b(said|says|say|condemn(ed|s)?|urg(ed|es)|ask(ed|s)|announc(ed|es)|told|stated|"
    r"added|demand(ed|s)|reject(ed|s)|den(ied|ies|y)|accus(ed|es)|blam(ed|es)|call(ed|s) on|"
    r"warn(ed|s)|reiterat(ed|es)|express(ed|es)|releas(ed|es)|issu(ed|es)|confirm(ed|s)|"
    r"report(ed|s)|briefing|statement|visited|met|"
    # a follow-up's news peg: the hearing, the arrests, the funeral are not the attack
    r"indict(ed|s)|acquitt(ed|s)|convict(ed|s)|sentenc(ed|es)|charg(ed|es)|adjourn(ed|s)|"
    r"heard|arrest(ed|s)|detain(ed|s)|buried|laid to rest|mourn(ed|s)|protest(ed|s)|"
    r"emerged|registered|lodged|filed|"
    r"rallied|held (a |the )?(funeral|hearing|prayers?))\b",
    re.IGNORECASE,
)
_REPORT_VERB = _compile(
    r"\b(killed|killing|wounded|injured|exploded|detonated|rammed|opened fire|stormed|"
    r"abducted|kidnapped|hijacked|shot|struck|targeted|died|dead|fired|attacked|ambushed)\b",
    re.IGNORECASE,
)
# Where an attack is said to come from is not where it happened.
# Fire sent across a border lands in the place it names: "shells fired into Tajikistan",
# "rockets landed in", "struck across the border into Paktika" are events there.
_FIRED_INTO = _compile(
    r"\b(fired|firing|fires|shell(ed|ing|s)?|lobbed|rockets?|mortars?|missiles?|"
    r"projectiles?|struck|strikes?|bomb(ed|ing)|raids?)\b[^.,;]{0,30}?\binto\s+(the\s+)?$",
    re.IGNORECASE,
)
_ORIGIN = _compile(
    r"\b(carried out from|planned and facilitated|planned in|orchestrated from|emanating "
    r"from|operating from|based in|sanctuar(y|ies)|facilitated in|"
    r"launched from|trained in|hiding in)\b",
    re.IGNORECASE,
)
_NOT_SUICIDE = _compile(
    r"\b(roadside|planted|remote[- ]controlled|remotely detonated|magnetic|sticky bomb|"
    r"time bomb|timed device|hidden in|concealed in|parked|left (in|near|at|outside)|"
    r"IED|improvised explosive|mortar|rocket|grenade|landmine|land mine|mine)\b",
    re.IGNORECASE,
)
_SEPARATE = _compile(
    r"\b(in a separate|in another|separately|in an unrelated|in yet another|in a similar|"
    r"meanwhile|elsewhere|earlier in the day|earlier on|on the previous day|the previous day|"
    r"the day before|a day earlier|on the same day|later in the day|^earlier,|^\W*earlier,)",
    re.IGNORECASE,
)
# "Meanwhile, the spokesman said one more was killed in the blast": the same attack.
_REFERS_BACK = _compile(
    r"\b(the|this|that|same|today's|yesterday's)\s+(\w+\s+)?(attack|blast|bombing|explosion|"
    r"incident|assault|strike|ambush|raid|tragedy)\b(?![^.]{0,20}\b(on|in) the same day)",
    re.IGNORECASE,
)
_CAPTION = _compile(
    r"\((?:left|right|top|bottom|centre|center|inset|above|below)\)|"
    r"\b(?:file photo|photo credit|photo courtesy|photo:|picture:|image:)|"
    r"[—–-]\s*(?:AFP|Reuters|AP|EPA|Getty|Dawn|File)\s*(?:photo|/|$)|"
    r"\b(?:photo|picture)\s*[—–]\s*",
    re.IGNORECASE,
)


def _caption_lines(text: str) -> list[tuple[int, int]]:
    """The spans of the lines that are photo captions ("... (right) Police collect
    evidence. — AFP photo")."""
    return [
        (line.start(), line.end())
        for line in re.finditer(r"[^\n]+", text)
        if _CAPTION.search(line.group(0))
    ]


_DISASTER = _compile(
    r"\b(earthquakes?|quakes?|floods?|flooding|landslides?|avalanches?|cyclones?|storms?|"
    r"(road|traffic|car|bus|plane|air) (accident|crash)|collision|stampede)\b",
    re.IGNORECASE,
)
# An attack recalled as what the reported one came after ("The strikes came two days
# after a suicide bombing ..."): another incident, told in this sentence and the next.
_CAME_AFTER = _compile(
    r"\b(came|comes|come|occurred|happened|took place)\s+(?:(?:just|only|barely|a|one|two|"
    r"three|four|five|several|few|\w+)\s+){0,2}(?:days?|weeks?|hours?|months?)?\s*after\b|"
    r"\b(follows|(?<!was )(?<!were )(?<!been )followed(?! by)|in the wake of)\b",
    re.IGNORECASE,
)
# A figure for several attacks together ("17 soldiers were killed in the attacks") is no
# single attack's toll.
_COMBINED = _compile(
    r"\b(series of (\w+ )?(attacks|incidents|blasts)|separate (\w+ )?(attacks|incidents)|"
    r"several (\w+ )?attacks|(both|these|the two|the three) (\w+ )?(attacks|incidents)\b)",
    re.IGNORECASE,
)
# A toll that refers back to the several attacks of the sentence before it.
_TOGETHER = _compile(
    r"\b(in (all|total)|combined|altogether|the (attacks|incidents|blasts|violence)|"
    r"these (attacks|incidents|blasts)|^(they|together they)\b)",
    re.IGNORECASE,
)
_IN_ALL = _compile(r"\b(in (all|total)|combined|altogether|the attacks)\b", re.IGNORECASE)
_WEEKDAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_TARGET = _compile(
    r"\b(?:(?:attack|assault|bombing|strike|raid|ambush)s? (?:on|against)|"
    r"target(?:ed|ing|s)?(?!\s+of\b)|rammed\b.{0,60}?\binto|(?:opened fire|fired) (?:on|at|upon)|"
    r"(?:blew (?:himself|herself) up|exploded|detonated(?: \w+){0,3}?)\s+(?:at|near|outside|"
    r"inside|in front of)|struck|stormed|ambushed|attacked|raided|bombed|hijacked|"
    r"(?<!the )(?:abducted|kidnapped)|shot dead|gunned down|assassinated|hit)\s+"
    rf"(?!(?:{_WEEKDAYS}|him|her|them|it|us|me)\b)"
    r"(?P<target>[^,.;:()“”\"]{3,90}?)"
    r"(?=\s+(?:near|in|at|as|when|while|after|before|during|killing|wounding|leaving|"
    r"that|which|who|whose|and \w+ed|late|early|on (?:" + _WEEKDAYS + r"))\b|[,.;:()“”\"]|$)",
    re.IGNORECASE,
)


_TARGET_PASSIVE = _compile(
    r"(?:^|,\s+|:\s+|\bwhen\s+|\bafter\s+|\bas\s+)(?P<target>(?:a|an|the|two|three|four|their|his|"
    r"its)\s+[^,.;:()“”\"]{2,70}?)(?:\s+(?:in|at|near)\s+[^,.;:()“”\"]{2,50}?)?"
    r"\s+(?:(?:was|were|had been|has been)\s+(?:targeted|"
    r"attacked|ambushed|hit|struck|stormed|bombed|raided|(?:the\s+)?targets?\s+of)|"
    r"came under (?:attack|fire))\b",
    re.IGNORECASE,
)


# Where a blast went off names what it hit: "an explosion at a wedding", "a blast went
# off inside a shrine", "a bombing outside Qayyum Stadium", "the explosion took place in
# the court's waiting hall".
_TARGET_SITE = _compile(
    r"\b(?:blast|explosion|bombing|bomb attack|suicide attack|attack)s?\s+"
    r"(?:(?:happened|occurred|took place|went off)\s+(?:at|inside|outside|near|in front of|"
    r"on|in)|at|inside|outside|near|in front of)\s+"
    rf"(?!(?:{_WEEKDAYS}|January|February|March|April|May|June|July|August|September|"
    r"October|November|December|Eid|Friday prayers|(?:the|a)\s+(?:\w+\s+)?(?:day|night|"
    r"morning|evening|time|moment|hour|week))\b)"
    r"(?P<target>(?:(?:a|an|the)\s+|[\w’']+[’']s\s+|(?=[A-Z]))[^,.;:()“”\"]{3,80}?)"
    r"(?=\s+(?:in|at|near|on|as|when|while|after|before|during|killing|wounding|leaving|"
    r"that|which|who|where|and \w+ed|late|early)\b|[,.;:()“”\"]|$)",
    re.IGNORECASE,
)
# "the town of Termez": a place, not a target.
_PLACE_OF = _compile(
    r"^(?:the\s+)?(?:\w+\s+)?(?:town|city|village|area|district|province|region|valley)"
    r"\s+of\s+",
    re.IGNORECASE,
)


@dataclass
class _Cluster:
    sentences: list[Sentence] = field(default_factory=list)
    background: bool = False


def extract_incidents(
    view: ArticleView,
    *,
    lexicon: Lexicon,
    gazetteer: Gazetteer,
    actors: ActorDictionary,
) -> list[Incident]:
    """The incidents an article reports or mentions, each with its evidence."""
    clusters = _clusters(view, lexicon)
    view.background_sentences = [s for c in clusters if c.background for s in c.sentences]
    scopes = _scopes(view, clusters)
    roundup = sum(1 for c in clusters if not c.background) > 1
    # A statistics piece (a month's attacks by province) names attacks only in sum: what
    # it tells of one needs a day or a place.
    statistical = any(view.memo.get(("statistics", s.index)) for s in view.sentences)
    incidents = []
    undated: dict[int, _Cluster] = {}
    for cluster in clusters:
        incident = _incident(
            view,
            cluster,
            lexicon=lexicon,
            gazetteer=gazetteer,
            actors=actors,
            scope=scopes.get(id(cluster)),
            roundup=roundup,
        )
        if incident is not None and not (statistical and _vague(incident)):
            if incidents and incident.date is None and not cluster.background:
                one_day = any(_SEPARATE_LEAD.search(s.text) for s in view.sentences[:3])
                incident = _dated_by_lead(incidents[0], incident, cluster, one_day=one_day)
            if incident.date is None and not cluster.background:
                undated[len(incidents)] = cluster
            incidents.append(incident)
        if not cluster.background:
            first = not any(not c.background for c in clusters[: clusters.index(cluster)])
            incidents += _recalled_in_passing(view, cluster, gazetteer, whole=first)
    if len(undated) == 1:
        ((index, cluster),) = undated.items()
        incidents[index] = dated_after_another(
            view, incidents, incidents[index], [*cluster.sentences, *view.sentences]
        )
    return incidents


# "echoed the horrors of the 2014 Army Public School Peshawar tragedy": an older attack
# named inside a sentence about the reported one.
_RECALLED = re.compile(
    r"\b(?:the|a|an)\s+(?P<year>(?:19|20)\d\d)\s+(?P<name>(?:[A-Z][\w'’.-]*\s+){1,6}?)"
    r"(?P<noun>attack|massacre|tragedy|bombing|siege|blast|assault|carnage)\b"
)


# "the same savage act that was executed in 2014 at Army Public School Peshawar": an
# older act placed by a year and a named site, told after the act's words.
_RECALLED_AT = re.compile(
    r"\bin\s+(?P<year>(?:19|20)\d\d)\s+(?:at|in|on)\s+(?:the\s+)?"
    r"(?P<name>(?:[A-Z][\w'’.-]*\s+){0,5}[A-Z][\w'’.-]*)(?P<noun>)"
)


def _recalled_at(text: str) -> Iterator[re.Match[str]]:
    # Most sentences name no year: one cheap test before the pattern.
    return _RECALLED_AT.finditer(text) if re.search(r"\b(?:19|20)\d\d\b", text) else iter(())


_RECALLED_ACT = _compile(
    r"\b(?:executed|carried out|committed|perpetrated|staged|act|attack|massacre|bombing|"
    r"carnage|tragedy)\b",
    re.IGNORECASE,
)


def _recalled_in_passing(
    view: ArticleView, cluster: _Cluster, gazetteer: Gazetteer, *, whole: bool = False
) -> list[Incident]:
    """Mentions of older attacks named in passing within the story's sentences, where
    the name places them ("the 2014 Army Public School Peshawar attack"); with ``whole``,
    also those any sentence places by year and site ("executed in 2014 at ...")."""
    found: list[Incident] = []
    for sentence, match in [
        *((s, m) for s in cluster.sentences for m in _RECALLED.finditer(s.text)),
        *((s, m) for s in (view.sentences if whole else ()) for m in _recalled_at(s.text)),
    ]:
        if match.re is _RECALLED_AT and (
            sentence in view.background_sentences
            or any(i.evidence[0].start == sentence.start for i in found)
            or not _RECALLED_ACT.search(sentence.text, max(0, match.start() - 60), match.start())
        ):
            continue
        year = int(match["year"])
        if view.reference is None or year >= view.reference.year:
            continue
        start, end = sentence.start + match.start(), sentence.start + match.end()
        places = [m.place for m in view.places if start <= m.start < end]
        if not places:
            continue
        place = max(places, key=lambda p: _KIND_RANK[p.kind])
        if _SITE.search(place.name) and place.admin2:
            # "Army Public School Peshawar": the site's town
            towns = [p for p in gazetteer.lookup(place.admin2) if p.kind == "place"]
            place = next((t for t in towns if t.admin2 == place.admin2), place)
        quote = view.cite("event_type", sentence)
        seed = f"{view.article.id}:{start}"
        noun = (match["noun"] or "attack").lower()
        found.append(
            Incident(
                id="inc-" + hashlib.sha256(seed.encode()).hexdigest()[:16],
                event_type="bombing" if noun in ("bombing", "blast") else "armed_assault",
                date=DateSpan(
                    value=str(year),
                    precision="year",
                    earliest=dt.date(year, 1, 1),
                    latest=dt.date(year, 12, 31),
                ),
                location=place.location(),
                target=match["name"].strip().rstrip("."),
                sources=(
                    SourceRef(
                        article_id=view.article.id,
                        file=view.article.file,
                        url=view.article.url,
                        role="mention",
                    ),
                ),
                evidence=(
                    quote,
                    quote.model_copy(update={"field": "date"}),
                    quote.model_copy(update={"field": "location"}),
                ),
            )
        )
    return found


_SAME_DAY = _compile(
    r"\b(on the same day|the same day|earlier in the day|later in the day|earlier on|"
    r"(?<!previous )day\b.{0,10}\bearlier in)",
    re.IGNORECASE,
)
# A round-up's lead that dates all its attacks: "in separate attacks on Wednesday".
_SEPARATE_LEAD = re.compile(
    r"\b(?:separate|different|two|three|four|several|multiple|a series of)\s+(?:\w+\s+)?"
    r"(?:attacks|incidents|blasts|bombings|assaults)\b[^.]{0,80}?\bon\s+"
    r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
)
_DAY_BEFORE = _compile(
    r"\b(on the previous day|the previous day|the day before|a day earlier|a day before)\b",
    re.IGNORECASE,
)


def _dated_by_lead(
    lead: Incident, incident: Incident, cluster: _Cluster, *, one_day: bool = False
) -> Incident:
    """A round-up's next attack told "earlier in the day" or "the previous day" is dated
    by the lead attack's day; so is one told with no day of its own under a lead that
    dates all of them ("in separate attacks on Wednesday", ``one_day``)."""
    if lead.date is None or lead.date.precision != "day" or lead.date.earliest is None:
        return incident
    text = cluster.sentences[0].text
    if _SAME_DAY.search(text) or (one_day and not _DAY_BEFORE.search(text)):
        shift = 0
    elif _DAY_BEFORE.search(text):
        shift = 1
    else:
        return incident
    day = lead.date.earliest - dt.timedelta(days=shift)
    date = DateSpan(value=day.isoformat(), precision="day", earliest=day, latest=day)
    evidence = (*incident.evidence, *(e for e in lead.evidence if e.field == "date"))
    return incident.model_copy(update={"date": date, "evidence": evidence})


def _vague(incident: Incident) -> bool:
    """Neither a day nor a place below a province: not one identifiable attack."""
    loose_date = incident.date is None or incident.date.precision != "day"
    loose_place = incident.location is None or incident.location.precision in (
        "admin1",
        "country",
        "unknown",
    )
    return loose_date and loose_place


# -- which sentences belong to which incident ------------------------------------------


def _scopes(view: ArticleView, clusters: list[_Cluster]) -> dict[int, list[Sentence]]:
    """With several attacks reported (a round-up), the sentences each one reads its
    claim and accusations from: its own, and those that follow them up to the next
    attack's. One attack reported: no limit (None)."""
    told = [c for c in clusters if not c.background]
    if len(told) < 2:
        return {}
    owner: dict[int, _Cluster] = {}
    for cluster in told:
        for sentence in cluster.sentences:
            owner[sentence.index] = cluster
    scopes: dict[int, list[Sentence]] = {id(c): [] for c in told}
    current = told[0]
    background = set(map(id, view.background_sentences))
    for sentence in view.sentences:
        current = owner.get(sentence.index, current)
        if id(sentence) not in background:
            scopes[id(current)].append(sentence)
    return scopes


def _triggers(sentence: Sentence, lexicon: Lexicon) -> list[tuple[int, str, re.Match[str]]]:
    """(priority rank, event type, match) of each attack word in the sentence."""
    return _triggers_in(sentence.text, lexicon)


# Small on purpose: it spares re-reading one article's sentences, not repeated articles.
@lru_cache(maxsize=256)
def _triggers_in(text: str, lexicon: Lexicon) -> list[tuple[int, str, re.Match[str]]]:
    # Blank out "spin attack", "heart attack" (same length, so offsets hold).
    text = lexicon.non_violent.sub(lambda m: " " * len(m.group(0)), text)
    if not _possible_any(lexicon.event_types)(text):
        return []  # no attack word at all: one test instead of one per type
    found = []
    for rank, (kind, pattern) in enumerate(lexicon.event_types):
        for match in pattern.finditer(text):
            if match.group(0).lower() in lexicon.generic_plurals and not _one_event(text, match):
                continue
            found.append((rank, kind, match))
    return found


_HAPPENED = _compile(
    r"^\s+(?:had\s+|have\s+)?(?:taken place|took place|erupted|broke out|occurred|"
    r"were reported|killed|left)\b",
    re.IGNORECASE,
)


def _one_event(text: str, match: re.Match[str]) -> bool:
    """Whether a plural names one event ("clashes had taken place on Monday", "clashes
    erupted"), not attacks in general ("a surge in attacks")."""
    return bool(_HAPPENED.match(text[match.end() :]))


def _has_victims(sentence: Sentence, lexicon: Lexicon, view: ArticleView | None) -> bool:
    """A toll of victims makes an event sentence even without an attack word
    ("three civilians were killed when border forces ...")."""
    if not lexicon.death.search(sentence.text) or not _PAST.search(sentence.text):
        return False  # "one dead engineer is worth more headlines than ten dead policemen"
    found = _tolls(sentence, lexicon, view)
    return found.killed is not None and (found.killed.best or 0) > 0


def _statistics(view: ArticleView, sentence: Sentence, lexicon: Lexicon) -> bool:
    """Whether a sentence gives aggregate figures; remembered for the article."""
    found = bool(lexicon.statistics.search(sentence.text))
    view.memo[("statistics", sentence.index)] = found
    return found


def _tolls(sentence: Sentence, lexicon: Lexicon, view: ArticleView | None) -> SentenceCasualties:
    """A sentence's tolls, read once per article (the clustering asks several times)."""
    if view is None:
        return read_casualties(sentence.text, lexicon=lexicon, demonyms={})
    found = view.memo.get(("tolls", sentence.index))
    if found is None:
        found = read_casualties(sentence.text, lexicon=lexicon, demonyms=view.demonyms)
        view.memo[("tolls", sentence.index)] = found
    return found


def _adopted_tolls(
    view: ArticleView,
    sentence: Sentence,
    text: str,
    *,
    lexicon: Lexicon,
    demonyms: dict[str, str],
    countries: dict[str, str],
) -> SentenceCasualties:
    """The tolls of the part of a sentence an incident adopts, read with the country
    table: the clustering's reading (``_tolls``) where that is the whole sentence and
    the table cannot change it."""
    if (
        text == sentence.text
        and demonyms is view.demonyms
        and not may_name_country(text, countries)
    ):
        return _tolls(sentence, lexicon, view)
    return read_casualties(text, lexicon=lexicon, demonyms=demonyms, countries=countries)


_PAST = _compile(
    r"\b(was|were|had|have been|has been|killed|died|left|leaving|martyred|slain|perished|"
    r"lost|rose|risen|climbed|reached|stood|shot|gunned|claimed the li(ves|fe))\b",
    re.IGNORECASE,
)


def _has_toll(sentence: Sentence, lexicon: Lexicon, view: ArticleView) -> bool:
    # Asked again for every sentence of the cluster each time a sentence is weighed
    # (``_elsewhere``): answered once per sentence.
    key = ("has_toll", sentence.index)
    if key in view.memo:
        return view.memo[key]  # type: ignore[return-value]
    if lexicon.background.search(sentence.text):
        answer = False
    else:
        found = _tolls(sentence, lexicon, view)
        answer = found.killed is not None or found.injured is not None
    view.memo[key] = answer
    return answer


def _has_injured(sentence: Sentence, lexicon: Lexicon, view: ArticleView) -> bool:
    if not lexicon.injury.search(sentence.text):
        return False
    found = _tolls(sentence, lexicon, view)
    return found.injured is not None


def _clusters(view: ArticleView, lexicon: Lexicon) -> list[_Cluster]:
    main = _Cluster()
    extra: list[_Cluster] = []
    current = main
    pending = False  # "Earlier, militants made several attacks." opens the next one
    captions = _caption_lines(view.article.text)
    for sentence in _told_apart(view, lexicon):
        if any(start <= sentence.start < end for start, end in captions):
            continue  # a photo caption describes a picture, not the event's facts
        if view.memo.get(("after_two_attacks", sentence.index)) and not _event_places(
            view, sentence
        ):
            continue  # "..., and bombed a van in Bannu. 17 died.": both attacks' toll
        statistics = _statistics(view, sentence, lexicon)
        if not _triggers(sentence, lexicon) and not _has_victims(sentence, lexicon, view):
            if (
                main.sentences
                and _SEPARATE.search(sentence.text)
                and _COMBINED.search(sentence.text)
            ):
                pending = True  # "Earlier, gunmen carried out several attacks across ..."
            if (
                current.sentences
                and not _SEPARATE.search(sentence.text)
                and not lexicon.background.search(sentence.text)
            ) and (
                lexicon.references.search(sentence.text)
                or lexicon.unharmed.search(sentence.text)
                or _has_injured(sentence, lexicon, view)
            ):
                current.sentences.append(sentence)  # "the incident occurred on ..."
            continue
        if (
            main.sentences
            and _SEPARATE.search(sentence.text)
            and not _REPORT_VERB.search(sentence.text)
            and not _has_toll(sentence, lexicon, view)  # its own toll: it tells, not announces
        ):
            pending = True
        if statistics:
            continue
        if (
            lexicon.not_reports.search(sentence.text)
            and not _has_toll(sentence, lexicon, view)
            and not _FOILED_BUT_HIT.search(sentence.text)
        ):
            continue  # arrests, plans; but "put the toll at 27 dead and said ... arrested"
        if _is_background(view, sentence, lexicon, has_main=bool(main.sentences)) or (
            main.sentences and _another_time(view, main, sentence)
        ):
            extra.append(_Cluster([sentence], background=True))
            continue
        if main.sentences and _COMBINED.search(sentence.text):
            continue  # "a series of attacks that left 17 dead": no one attack's sentence
        if _DISASTER.search(sentence.text) and all(
            rank == len(lexicon.event_types) - 1 for rank, _, _ in _triggers(sentence, lexicon)
        ):
            continue  # an earthquake's or a crash's toll ("..., killing 1,000 people")
        if main.sentences and (
            (pending and _REPORT_VERB.search(sentence.text))
            or (
                _SEPARATE.search(sentence.text)
                and _REPORT_VERB.search(sentence.text)
                and not _REFERS_BACK.search(sentence.text)
            )
            or _recalls(sentence, lexicon, view)
            or _elsewhere(view, current, sentence, lexicon)
            or view.memo.get(("second_attack", sentence.index))
        ):
            pending = False
            current = _Cluster()
            extra.append(current)
        current.sentences.append(sentence)
    return [c for c in (main, *extra) if c.sentences]


# "They ambushed a convoy in Gwadar and detonated a bomb near Dera Ismail Khan": two
# attacks in one sentence, each with its own verb and place.
_AND_ANOTHER_ACT = _compile(
    r",?\s+and\s+(?=(?:(?:then|later|also|\w+ly)\s+)?(?:attacked|detonated|ambushed|stormed|"
    r"opened fire|fired|struck|bombed|targeted|blew up|abducted|kidnapped|raided|shelled|"
    r"set off)\b)",
    re.IGNORECASE,
)


def _told_apart(view: ArticleView, lexicon: Lexicon) -> list[Sentence]:
    """The article's sentences, with a sentence that tells two attacks in different
    places cut in two (each part a sentence of its own, numbered after the article's)."""
    found = []
    for sentence in view.sentences:
        parts = _two_attacks(view, sentence, lexicon)
        if not parts:
            found.append(sentence)
            continue
        found += parts
        view.memo[("second_attack", parts[1].index)] = True
        view.memo[("after_two_attacks", sentence.index + 1)] = True
    return found


def _two_attacks(view: ArticleView, sentence: Sentence, lexicon: Lexicon) -> list[Sentence]:
    joint = _AND_ANOTHER_ACT.search(sentence.text)
    if joint is None or _REFERS_BACK.search(sentence.text, joint.end()):
        return []
    base = len(view.sentences) + 2 * sentence.index
    first = Sentence(
        base, sentence.start, sentence.start + joint.start(), sentence.text[: joint.start()]
    )
    second = Sentence(
        base + 1, sentence.start + joint.end(), sentence.end, sentence.text[joint.end() :]
    )
    if not _triggers(first, lexicon) or not _triggers(second, lexicon):
        return []
    here = [m.place for m in _read_event_places(view, first)]
    there = [m.place for m in _read_event_places(view, second)]
    if not here or not there:
        return []
    if any(a.within(b) or b.within(a) for a in here for b in there):
        return []  # one attack told twice ("stormed the post in Bannu and attacked ...")
    return [first, second]


# An attack foiled after it struck ("foiled an attack on the base, which left two
# aircraft damaged", "the post came under attack, which was repulsed") happened.
_FOILED_BUT_HIT = _compile(
    r"\b(came under|(?:was|were|been) damaged|damaging|left [^.;]{0,60}\bdamaged|"
    r"repulsed|repelled)\b",
    re.IGNORECASE,
)


_ANOTHER_ATTACK = _compile(
    r"\b(?:a|an)\s+(?:[\w-]+\s+){0,3}?(?:attack|bombing|blast|assault|ambush|raid|explosion|"
    r"strike|shooting)\b",
    re.IGNORECASE,
)


def _recalls(sentence: Sentence, lexicon: Lexicon, view: ArticleView) -> bool:
    """Whether a sentence tells the attack the story's one came after ("The strikes came
    two days after a suicide bombing targeted an army post"): another incident."""
    after = _CAME_AFTER.search(sentence.text)
    if not after:
        return False
    return _has_toll(sentence, lexicon, view) or bool(
        _ANOTHER_ATTACK.search(sentence.text, after.end())
    )


def _event_places(view: ArticleView, sentence: Sentence) -> list[PlaceMention]:
    """The places a sentence puts an event at: not destinations, origins or datelines."""
    key = ("places", sentence.index)
    if key not in view.memo:
        view.memo[key] = _read_event_places(view, sentence)
    return view.memo[key]  # type: ignore[return-value]


def _read_event_places(view: ArticleView, sentence: Sentence) -> list[PlaceMention]:
    origin = _ORIGIN.search(sentence.text)
    cut = sentence.start + origin.start() if origin else None
    actor_spans = {(a.start, a.end) for a in view.actors_in(sentence)}
    found = []
    for mention in view.places_in(sentence):
        before = view.article.text[max(sentence.start, mention.start - 30) : mention.start]
        if cut is not None and mention.start > cut:
            continue
        if (
            _NOT_EVENT_PLACE.search(before)
            and not _FIRED_INTO.search(before)
            and not _OFFICER_KILLED.search(
                view.article.text, max(sentence.start, mention.start - 70), mention.start
            )
        ):
            continue
        if (mention.start, mention.end) in actor_spans and not (
            _LOCATIVE.search(before) or _FIRED_INTO.search(before)
        ):
            continue  # "Beijing urged Islamabad": capitals acting
        found.append(mention)
    return found


def _elsewhere(view: ArticleView, cluster: _Cluster, sentence: Sentence, lexicon: Lexicon) -> bool:
    """Whether a sentence tells its own toll in another country, or another province,
    than the attack being told, which has a toll of its own: a round-up's next attack."""
    if not cluster.sentences or not _has_toll(sentence, lexicon, view):
        return False
    if not any(_has_toll(s, lexicon, view) for s in cluster.sentences):
        return False
    # Sites ("Kabul Bank", "Karachi airport") name a town that may not be the event's.
    here = [m.place for m in _event_places(view, sentence) if not m.site]
    there = [
        m.place
        for s in cluster.sentences
        if _reports(view, s)
        for m in _event_places(view, s)
        if not m.site
    ]
    if not here or not there:
        return False
    if {p.country for p in here}.isdisjoint({p.country for p in there}):
        return True
    here_admin1 = {p.admin1 or p.name for p in here if p.kind != "country"}
    there_admin1 = {p.admin1 or p.name for p in there if p.kind != "country"}
    if here_admin1 and there_admin1 and here_admin1.isdisjoint(there_admin1):
        return True
    # Two districts of one province, each with its toll ("• Five security men killed in
    # Kech blast" under a Quetta story).
    if len(here_admin1) != 1 or here_admin1 != there_admin1:
        return False
    here_admin2 = {p.admin2 for p in here if p.kind in ("admin2", "place") and p.admin2}
    there_admin2 = {p.admin2 for p in there if p.kind in ("admin2", "place") and p.admin2}
    return bool(here_admin2 and there_admin2) and here_admin2.isdisjoint(there_admin2)


def _reports(view: ArticleView, sentence: Sentence) -> bool:
    """Whether a sentence has a verb of the attack; read once per sentence (``_elsewhere``
    asks it of the whole cluster for every sentence it weighs)."""
    key = ("reports", sentence.index)
    if key not in view.memo:
        view.memo[key] = bool(_REPORT_VERB.search(sentence.text))
    return view.memo[key]  # type: ignore[return-value]


def _sentence_date(view: ArticleView, sentence: Sentence) -> DateSpan | None:
    key = ("date", sentence.index)
    if key not in view.memo:
        view.memo[key] = _read_sentence_date(view, sentence)
    return view.memo[key]  # type: ignore[return-value]


def _read_sentence_date(view: ArticleView, sentence: Sentence) -> DateSpan | None:
    if _in_caption(view, sentence):
        return None
    tied = [
        m.span
        for m in find_times(sentence.text, reference=view.reference, today=view.today)
        if _tied_to_event(sentence.text, m) and not _in_dateline(view, sentence, m)
    ]
    return _most_precise(tied)


def _in_caption(view: ArticleView, sentence: Sentence) -> bool:
    """Whether a sentence stands in a photo caption's line (its date is the picture's)."""
    text = view.article.text
    start = text.rfind("\n", 0, sentence.start) + 1
    end = text.find("\n", sentence.end)
    return is_caption(text[start : end if end >= 0 else len(text)])


_DATELINE_END = re.compile(r"^\s*(?:\(\w[\w .]*\)\s*)?[:–—]|^\s+--?\s")


def _in_dateline(view: ArticleView, sentence: Sentence, mention: TimeMention) -> bool:
    """Whether a date stands in the story's dateline ("Termez, July 7 :"): when the story
    was filed, not when its event happened."""
    return (
        sentence.start + mention.start < 400
        and mention.start < 60
        and bool(_DATELINE_END.match(sentence.text[mention.end :]))
    )


def _most_precise(spans: list[DateSpan]) -> DateSpan | None:
    """The most precise of a sentence's dates ("this year, after a March bombing")."""
    order = {"day": 0, "month": 1, "unknown": 2, "year": 3}
    # a month and day without a year comes before a bare window
    return (
        min(spans, key=lambda span: (order[span.precision], span.month_day is None))
        if spans
        else None
    )


def _another_time(view: ArticleView, main: _Cluster, sentence: Sentence) -> bool:
    """Whether a sentence dates its attack weeks away from the story's own ("In May,
    three policemen were killed in an attack on a police station"): another incident."""
    here = _sentence_date(view, sentence)
    if here is None or here.earliest is None or here.latest is None:
        return False
    for earlier in main.sentences:
        there = _sentence_date(view, earlier)
        if there is None or there.earliest is None or there.latest is None:
            continue
        if there.precision == "year" and view.reference and there.latest < view.reference:
            continue  # "echoed the 2014 school massacre": a recalled year, not the story's
        gap = max(there.earliest - here.latest, here.earliest - there.latest)
        return gap.days > 7
    return False


def _is_background(
    view: ArticleView, sentence: Sentence, lexicon: Lexicon, *, has_main: bool
) -> bool:
    match = lexicon.background.search(sentence.text)
    if not match:
        return False
    if _RECALLED.search(match.group(0)) or _RECALLED.search(sentence.text, match.start()):
        # "an assault that recalled the 2014 ... massacre": the older attack is named in
        # passing (``_recalled_in_passing``); the sentence tells the reported one when it
        # names an attack outside that phrase.
        named = _RECALLED.search(sentence.text, match.start())
        if named and any(
            not (named.start() <= m.start() < named.end())
            for _, _, m in _triggers(sentence, lexicon)
        ):
            return False
    year = re.search(r"(19|20)\d\d", match.group(0))
    if not year:
        return True
    if view.reference is not None:
        return int(year.group(0)) < view.reference.year
    return has_main


# -- fields ------------------------------------------------------------------------------


def _incident(
    view: ArticleView,
    cluster: _Cluster,
    *,
    lexicon: Lexicon,
    gazetteer: Gazetteer,
    actors: ActorDictionary,
    scope: list[Sentence] | None = None,
    roundup: bool = False,
) -> Incident | None:
    evidence: list[Evidence] = []
    article_id = view.article.id

    def cite(name: str, sentence: Sentence) -> None:
        evidence.append(
            Evidence(
                field=name,
                article_id=article_id,
                start=sentence.start,
                end=sentence.end,
                quote=sentence.text,
            )
        )

    event_type, type_sentence = _event_type(cluster, lexicon)
    if event_type is None:
        return None
    cite("event_type", type_sentence)

    countries = _countries(view)
    casualties = [
        (
            s,
            _adopted_tolls(
                view,
                s,
                ""
                if _relayed(view, s, actors) or _combined(s, roundup=roundup, view=view)
                else _adoptable(s.text, lexicon),
                lexicon=lexicon,
                demonyms=gazetteer.demonyms,
                countries=countries,
            ),
        )
        for s in cluster.sentences
    ]
    fatalities = _combine([c.killed for _, c in casualties if c.killed is not None])
    injured = _combine([c.injured for _, c in casualties if c.injured is not None])
    for sentence, found in casualties:
        if found.killed is not None:
            cite("fatalities", sentence)
        if found.injured is not None:
            cite("injured", sentence)
    if injured is None:
        unharmed = [s for s, c in casualties if c.unharmed]
        if unharmed:
            injured = Count(low=0, best=0, high=0)
            cite("injured", unharmed[0])
    victims = _victims(casualties)
    for sentence, found in casualties:
        if found.victims:
            cite("victims", sentence)

    # The feud may be told in the next sentences ("This is a decades-old feud over land,"
    # he said), but not in another attack's sentences.
    own = {s.index for s in cluster.sentences}
    nearby = {s.index + step for s in cluster.sentences for step in (1, 2)}
    around = " ".join(
        s.text
        for s in view.sentences
        if s.index in own or (s.index in nearby and not _triggers(s, lexicon))
    )
    if lexicon.personal_dispute.search(around):
        event_type = "other_attack"  # a feud's killing: an incident, not militancy
    elif (
        event_type == "armed_assault"
        and any(
            found.named and lexicon.assassination_titles.search(sentence.text)
            for sentence, found in casualties
        )
        and (fatalities is None or (fatalities.best or 0) <= 2)
    ):
        event_type = "assassination"

    report = any(_REPORT_VERB.search(s.text) for s in cluster.sentences) or fatalities is not None
    role = "mention" if cluster.background or not report else "report"

    suicide: bool | None = None
    suicidal = [s for s in cluster.sentences if lexicon.suicide.search(s.text)]
    if not suicidal and not cluster.background and event_type == "bombing":
        # "The bomber was a teenager, police said": the story's own sentences beyond
        # those that tell the attack (within its stretch of a round-up).
        story = scope if scope is not None else view.sentences
        suicidal = [
            s
            for s in story
            if s not in view.background_sentences and lexicon.suicide.search(s.text)
        ]
    if event_type in ("air_strike", "drone_strike", "clash"):
        suicide = False  # states' and armies' fire (a "suicide drone" is still a drone)
    elif suicidal:
        suicide = True
        cite("suicide", suicidal[0])
    elif role == "report" and (
        event_type != "bombing" or any(_NOT_SUICIDE.search(s.text) for s in cluster.sentences)
    ):
        # Gunmen, drones, abductions, a planted or remote-controlled bomb: not a suicide
        # attack. A bombing told without the word stays unknown.
        suicide = False

    date, date_sentence = _date(view, cluster, lexicon)
    if date_sentence is not None:
        cite("date", date_sentence)

    location, location_sentence = _location(view, cluster, lexicon, gazetteer)
    location = _district_as_named(view, location)
    if location_sentence is not None:
        cite("location", location_sentence)

    perpetrator = find_perpetrator(
        view,
        cluster.sentences,
        background=cluster.background,
        lexicon=lexicon,
        actors=actors,
        cite=cite,
        scope=scope,
        country=location.country if location else None,
        state_act=event_type in ("air_strike", "drone_strike", "clash", "other_attack"),
    )
    target, target_sentence = _target(cluster, gazetteer, lexicon)
    if target_sentence is not None:
        cite("target", target_sentence)

    if location is None and date is None and fatalities is None and not victims:
        return None  # too little to tell this incident from any other
    vague_place = location is None or location.precision in ("admin1", "country", "unknown")
    vague_date = date is None or date.precision in ("year", "unknown")
    if role == "mention" and vague_place and vague_date and fatalities is None:
        return None  # "the second attack in Khatlon this year": no one incident
    seed = f"{article_id}:{cluster.sentences[0].start}"
    return Incident(
        id="inc-" + hashlib.sha256(seed.encode()).hexdigest()[:16],
        event_type=event_type,  # type: ignore[arg-type]
        suicide=suicide,
        date=date,
        location=location,
        fatalities=fatalities,
        injured=injured,
        victims=victims,
        perpetrator=perpetrator,
        target=target,
        sources=(
            SourceRef(
                article_id=article_id, file=view.article.file, url=view.article.url, role=role
            ),
        ),
        evidence=tuple(evidence),
    )


_MEANS = {"bombing", "air_strike", "drone_strike", "other_attack"}


def _event_type(cluster: _Cluster, lexicon: Lexicon) -> tuple[str | None, Sentence]:
    """The main act as the lead tells it: the first sentence that names a specific act
    decides ("hijacked a train" is not outvoted by a later "hostages", a list of seized
    weapons decides nothing); only the vague words ("attack", "assault") defer to a
    later sentence's specific one."""
    vague = len(lexicon.event_types) - 1  # the last entry: "attack", "assault", "killing"
    best: tuple[int, str, Sentence] | None = None
    for sentence in cluster.sentences:
        found = _triggers(sentence, lexicon)
        if not found:
            continue
        if best is not None:
            # After a vague lead, only a later sentence's means refines the act ("the
            # explosion"); hostages taken or a shootout during the attack do not.
            found = [t for t in found if t[1] in _MEANS]
            if not found:
                continue
        rank, kind, _ = min(found, key=lambda t: t[0])
        if best is None or rank < best[0]:
            best = (rank, kind, sentence)
        if best[0] < vague:
            break
    if best is None:
        # A toll told with a plural only ("were killed following clashes with ..."):
        # the plural names this event.
        for sentence in cluster.sentences:
            for rank, (kind, pattern) in enumerate(lexicon.event_types):
                if pattern.search(sentence.text) and (best is None or rank < best[0]):
                    best = (rank, kind, sentence)
    if best is None:
        # "Four policemen were killed on July 23": a killing, its means untold.
        told = [s for s in cluster.sentences if _has_victims(s, lexicon, None)]
        return ("other_attack", told[0]) if told else (None, cluster.sentences[0])
    return best[1], best[2]


_RELAYED = _compile(
    r"\b(saying|claiming|adding|said (that|it)|claimed to have|claims to have|"
    r"according to the group|the group said)\b",
    re.IGNORECASE,
)


def _adoptable(text: str, lexicon: Lexicon) -> str:
    """The part of a sentence whose figures khabar adopts: a group's own count after its
    claim ("..., saying its fighters had killed 14 soldiers") is relayed, not adopted."""
    claim = lexicon.claim.search(text)
    if not claim:
        relayed = re.search(r"\bclaim(ed|s)? to have\b", text, re.IGNORECASE)
        return text[: relayed.start()] if relayed else text
    relayed = _RELAYED.search(text, claim.start())
    return text[: relayed.start()] if relayed else text


_GROUP_SPEAKS = _compile(
    r"[^.]{0,40}?\b(said|says|told|claimed|claims|spokes(man|person)|statement)\b",
    re.IGNORECASE,
)


def _combined(sentence: Sentence, *, roundup: bool, view: ArticleView | None = None) -> bool:
    """Whether a sentence's toll is for several attacks together ("a series of incidents
    that left 17 soldiers dead"; in a round-up, "in all, 38 died in the attacks"; after
    "militants carried out several attacks overnight.", "They killed 12 people in all")."""
    if _COMBINED.search(sentence.text) or (roundup and _IN_ALL.search(sentence.text)):
        return True
    if view is None or sentence.index == 0 or sentence.index >= len(view.sentences):
        return False
    previous = view.sentences[sentence.index - 1]
    return bool(_COMBINED.search(previous.text) and _TOGETHER.search(sentence.text))


def _relayed(view: ArticleView, sentence: Sentence, actors: ActorDictionary) -> bool:
    """Whether an armed group speaks the sentence's figures ("“We killed six soldiers,”
    the TTP spokesman said"): a party's own count is relayed, not adopted."""
    if not re.search(r"[“”\"]", sentence.text):
        return False
    # The speaker may stand in the next piece when a quote ends the sentence:
    # '"We killed twenty soldiers," | a TTP spokesman said.'
    nearby = [a for a in view.actors if sentence.start <= a.start < sentence.end + 60]
    for mention in nearby:
        if actors.is_armed_group(mention.actor) and _GROUP_SPEAKS.match(
            view.article.text, mention.end
        ):
            return True
    return False


def prepare(lexicon: Lexicon, gazetteer: Gazetteer) -> None:
    """Build what the rules derive from the lexicon and the gazetteer (the event types'
    joint anchors, the country table and its test) when the Extractor loads, rather
    than on its first article."""
    _possible_any(lexicon.event_types)
    may_name_country("", _country_table(gazetteer.country_names))


def _countries(view: ArticleView) -> dict[str, str]:
    return _country_table(view.country_names)


def _country_table(names: dict[str, str]) -> dict[str, str]:
    """Casefolded country name -> ISO code, for institutions named with their country;
    built once per table of country names (the gazetteer's), not once per article."""
    built = _COUNTRIES.get(id(names))
    if built is None or built[0] is not names:
        if len(_COUNTRIES) > 8:
            _COUNTRIES.clear()
        found = {name.casefold(): code for code, name in names.items()}
        built = _COUNTRIES[id(names)] = (names, found)
    return built[1]


_COUNTRIES: dict[int, tuple[dict[str, str], dict[str, str]]] = {}


def _combine(counts: list[Count]) -> Count | None:
    """Figures of several sentences: the lowest low, the highest best and high."""
    if not counts:
        return None
    lows = [c.low for c in counts if c.low is not None]
    bests = [c.best for c in counts if c.best is not None]
    highs = [c.high for c in counts]
    return Count(
        low=min(lows) if lows else None,
        best=max(bests) if bests else None,
        high=None if any(h is None for h in highs) else max(h for h in highs if h is not None),
    )


def _victims(casualties: list[tuple[Sentence, SentenceCasualties]]) -> tuple[VictimGroup, ...]:
    merged: dict[str, int] = {}
    for _, found in casualties:
        for nationality, number in found.victims.items():
            merged[nationality] = max(merged.get(nationality, 0), number)
    return tuple(
        VictimGroup(nationality=nationality, count=number)
        for nationality, number in sorted(merged.items(), key=lambda item: -item[1])
    )


def _date(
    view: ArticleView, cluster: _Cluster, lexicon: Lexicon
) -> tuple[DateSpan | None, Sentence | None]:
    for sentence in cluster.sentences:
        span = _sentence_date(view, sentence)
        if span is None or (view.reference and span.earliest and span.earliest > view.reference):
            continue
        if (
            view.reference
            and span.latest
            and span.precision == "year"
            and span.latest.year < view.reference.year
            and not cluster.background
        ):
            continue  # "as in 2014": a year past is another attack's, not this one's
        return span, sentence
    return _day_it_was_told(view, cluster, lexicon)


# Telling, not a follow-up's peg (a hearing, arrests, a funeral): "said on Friday".
_HARMED = _compile(
    r"\b(martyred|lost (?:their|his|her) lives|bomb(?:ed|arded)|came under (?:attack|fire))\b",
    re.IGNORECASE,
)
_TOLL_UPDATE = _compile(
    r"\btoll\b.{0,60}\b(?:rose|risen|climbed|jumped|increased|reached|mounted)\b",
    re.IGNORECASE,
)
_TOLD = _compile(r"\b(said|says|told|stated|confirmed|announced|statement)\b", re.IGNORECASE)


def _day_it_was_told(
    view: ArticleView, cluster: _Cluster, lexicon: Lexicon
) -> tuple[DateSpan | None, Sentence | None]:
    """A breaking report that dates only its telling ("14 soldiers were killed in an
    attack, the military said on Friday"; "the government on March 18 said warplanes
    bombed ...") is dated by that day: the story gives the attack no other. Never for a
    recalled attack, nor for a lead about arrests or a hearing (the news peg)."""
    lead = cluster.sentences[0]
    if _in_caption(view, lead):
        return None, None
    told = _reports(view, lead) or _HARMED.search(lead.text)
    if cluster.background or lexicon.not_reports.search(lead.text) or not told:
        return None, None
    if _TOLL_UPDATE.search(lead.text):
        return None, None  # "the toll rose to 20, officials said on Monday": a follow-up
    for mention in find_times(lead.text, reference=view.reference, today=view.today):
        span = mention.span
        if span.precision != "day" or _tied_to_event(lead.text, mention):
            continue
        if _in_dateline(view, lead, mention) or (
            view.reference and span.earliest and span.earliest > view.reference
        ):
            continue
        near = lead.text[max(0, mention.start - 25) : mention.end + 25]
        if _TOLD.search(near):
            return span, lead
    return None, None


_PEG_PASSIVE = _compile(
    r"\b(?:was|were|is|are|will be)\s+(?:held|buried|laid to rest|offered|observed|"
    r"arrested|detained|indicted|convicted|sentenced|charged|produced)\s+(?:on\s+)?$",
    re.IGNORECASE,
)


def _tied_to_event(text: str, mention: TimeMention) -> bool:
    """Whether a time expression dates the attack rather than a statement about it.

    It dates a statement when it stands right against the statement's verb: "Pakistan
    on Thursday condemned ...", "police said on Thursday", "said late on Sunday".
    """
    if mention.kind in ("year", "year_adj", "month_year"):
        return True
    after = text[mention.end : mention.end + 40]
    before = text[max(0, mention.start - 40) : mention.start]
    if re.match(rf"^\s+(?:{_STATEMENT_VERB.pattern})", after, re.IGNORECASE):
        return False
    if _PEG_PASSIVE.search(before):
        return False  # "the funeral ... was held on Sunday": the news peg's day
    return not re.search(
        rf"(?:{_STATEMENT_VERB.pattern})\s+(?:(?:late|early|earlier|later)\s+)?(?:on\s+)?$",
        before,
        re.IGNORECASE,
    )


def _location(
    view: ArticleView, cluster: _Cluster, lexicon: Lexicon, gazetteer: Gazetteer
) -> tuple[Location | None, Sentence | None]:
    candidates: list[tuple[PlaceMention, Sentence]] = []
    for sentence in cluster.sentences:
        # In a sentence about arrests, the attack's place follows the attack's words
        # ("arrested in Turbat ... over the bombing near Gwadar").
        floor = sentence.start
        if lexicon.not_reports.search(sentence.text):
            words = _triggers(sentence, lexicon)
            floor = sentence.start + (min(m.start() for _, _, m in words) if words else 0)
        candidates += [(m, sentence) for m in _event_places(view, sentence) if m.start >= floor]
    if not candidates:
        return None, None
    places = [m.place for m, _ in candidates]

    def support(place) -> int:  # type: ignore[no-untyped-def]
        return sum(1 for other in places if place.within(other) or other.within(place))

    countries = [p.country for p in places]
    # On a tie the country named first wins: a set's order would change with the
    # process's hash seed, and the same article would be placed differently run to run.
    majority = max(dict.fromkeys(countries), key=countries.count)
    # The sentences that tell the attack (a toll, a verb of the attack) anchor the place:
    # a later sentence's place counts only if it lies inside theirs ("the workshop on
    # the outskirts of Turbat where the car was fitted" is not the bombing's place).
    named_inside = list(candidates)
    told = [(m, s) for m, s in candidates if _REPORT_VERB.search(s.text) and not m.container]
    if told:
        anchors = [m.place for m, _ in told]
        candidates = [
            (m, s)
            for m, s in candidates
            if (m, s) in told or any(m.place.within(anchor) for anchor in anchors)
        ]
    best_mention, best_sentence = max(
        candidates,
        key=lambda c: (
            c[0].place.country == majority,
            not c[0].container,  # "Balkh's Chahar Bolak district": Balkh contains it
            support(c[0].place) + _KIND_RANK[c[0].place.kind],
            not (c[0].site or _SITE.search(c[0].place.name)),
            c[0].place.name != c[0].place.admin2,  # "Peshawar's Hayatabad area"
            -c[0].start,
        ),
    )
    best_mention, best_sentence = _refined(view, best_mention, best_sentence, named_inside)
    best = best_mention.place
    spread = _several_provinces(best_sentence, gazetteer)
    if spread is not None and best.country == spread:
        # "in Khost and Paktika provinces": one event over two provinces has no one place
        country = gazetteer.country(spread)
        return (country.location() if country else None), best_sentence
    said_district = _DISTRICT_WORD.match(view.article.text[best_mention.end :])
    if best.kind == "admin2" and not said_district:
        # "in Noshki": the district's town of that name is the event's place (news
        # names the town); "Gwadar district" stays the district.
        towns = [
            p
            for p in gazetteer.lookup(best.name)
            if p.kind == "place" and p.admin2 == best.admin2 and p.country == best.country
        ]
        if towns:
            return towns[0].location(), best_sentence
    if best.kind == "place" and best.admin2 and best.name != best.admin2:
        # A quarter of a city ("Kocha Risaldar", "Sariab"): the city is the place.
        cities = [
            p
            for p in gazetteer.lookup(best.admin2)
            if p.kind == "place"
            and p.admin2 == best.admin2
            and p.country == best.country
            and (p.population or 0) >= _CITY_POPULATION
        ]
        if cities:
            return cities[0].location(), best_sentence
    if best.kind == "place" and (best_mention.site or _SITE.search(best.name)):
        # A site ("Karachi airport", "Bannu Cantonment", "Sariab Road"): its town is the
        # event's place when the text or the gazetteer gives one; the site is in evidence.
        towns = [
            m.place
            for m, _ in candidates
            if m.place.kind == "place"
            and not (m.site or _SITE.search(m.place.name))
            and m.place.id != best.id
            and m.place.admin2
            and m.place.admin2 == best.admin2
        ]
        towns += [
            p
            for p in gazetteer.lookup(best.name.split()[0])
            if p.kind == "place"
            and p.admin2 == best.admin2
            and p.id != best.id
            and not _SITE.search(p.name)
        ]
        # "the Karachi airport": the city the site is named after, though the gazetteer
        # files the site under one of the city's districts.
        towns += [
            p
            for p in gazetteer.lookup(best_mention.surface.split()[0])
            if p.kind == "place"
            and p.admin1 == best.admin1
            and (p.population or 0) >= _CITY_POPULATION
            and p.id != best.id
        ]
        if towns:
            return towns[0].location(), best_sentence
    return best.location(), best_sentence


_AREA_OF = _compile(
    r"^\s+(?:area|region|valley|tehsil|subdivision|district)\s+of\s+(?:the\s+)?$|"
    r"^\s+in\s+(?:the\s+)?$|^,\s+$",
    re.IGNORECASE,
)


def _refined(
    view: ArticleView,
    best: PlaceMention,
    sentence: Sentence,
    candidates: list[tuple[PlaceMention, Sentence]],
) -> tuple[PlaceMention, Sentence]:
    """ "The Domel area of Bannu", "the Tirah valley of Khyber", "Nahrin in Baghlan": a
    place the text puts inside the chosen one (of its province)
    is the more specific event place."""
    text = view.article.text
    for mention, where in candidates:
        if (
            mention.place.kind != "place"
            or mention.place.id == best.place.id
            or mention.place.admin1 != best.place.admin1
        ):
            continue
        after = [m for m in view.places if mention.end < m.start <= mention.end + 30]
        if (
            after
            and after[0].place.id == best.place.id
            and _AREA_OF.match(text[mention.end : after[0].start])
        ):
            return mention, where
    return best, sentence


_PART_OF_DISTRICT = re.compile(r"^(?:Lower|Upper|Central)\s+(?P<whole>.+)$")


def _district_as_named(view: ArticleView, location: Location | None) -> Location | None:
    """A district split in parts ("Lower Chitral", "Lower South Waziristan") keeps the
    name the article gives it: news still says "South Waziristan" and "Chitral district"
    for the whole, and that is the district the text fixes; the part is named only when
    the article names it."""
    if location is None or not location.admin2:
        return location
    part = _PART_OF_DISTRICT.match(location.admin2)
    if part is None:
        return location
    whole = part["whole"].casefold()
    named = any(
        m.surface.casefold() == whole or m.place.name.casefold() == whole for m in view.places
    )
    return location.model_copy(update={"admin2": part["whole"]}) if named else location


_TWO_PROVINCES = re.compile(
    r"\b([A-Z][\w-]+(?: [A-Z][\w-]+)?) and ([A-Z][\w-]+(?: [A-Z][\w-]+)?) provinces\b|"
    r"\bprovinces of ([A-Z][\w-]+(?: [A-Z][\w-]+)?) and ([A-Z][\w-]+(?: [A-Z][\w-]+)?)"
)


def _several_provinces(sentence: Sentence, gazetteer: Gazetteer) -> str | None:
    """The country whose two provinces a sentence names as the event's ("strikes in Khost
    and Paktika provinces"), or None."""
    match = _TWO_PROVINCES.search(sentence.text)
    if not match:
        return None
    names = [name for name in match.groups() if name]
    found = [{p.country for p in gazetteer.lookup(name) if p.kind == "admin1"} for name in names]
    shared = found[0] & found[1]
    return next(iter(shared)) if len(shared) == 1 else None


def _target(
    cluster: _Cluster, gazetteer: Gazetteer | None = None, lexicon: Lexicon | None = None
) -> tuple[str | None, Sentence | None]:
    # Sentences that tell the attack first ("rammed ... into their convoy"), then those
    # that refer to it ("talks regarding the attack on Chinese nationals"); the active
    # wording, then the passive ("a school bus was targeted", "came under attack").
    ordered = sorted(cluster.sentences, key=lambda s: not _REPORT_VERB.search(s.text))
    # Last, where a blast went off ("an explosion at a wedding").
    for pattern in (_TARGET, _TARGET_PASSIVE, _TARGET_SITE):
        for sentence in ordered:
            for match in pattern.finditer(sentence.text):
                target = _clean_target(match["target"], gazetteer)
                if target and re.match(r"(?:his|her)\s", target, re.IGNORECASE):
                    # "opened fire on his car": whom the car carried, where named
                    target = named_victim(sentence.text) or target
                if target:
                    return target, sentence
    if lexicon is not None:
        # Nothing attacked is named: the people it killed ("five Iranian border guards
        # were killed") are whom it hit.
        victims = _victims_pattern(lexicon)
        for sentence in ordered:
            for match in victims.finditer(sentence.text):
                noun = match["noun"] or match["noun2"]
                if noun.casefold() not in _GENERIC_VICTIMS:
                    return match["target"] or match["target2"], sentence
    return None, None


_GENERIC_VICTIMS = {
    "people",
    "persons",
    "person",
    "individuals",
    "others",
    "other",
    "lives",
    "victims",
    "men",
    "man",
    "women",
    "members",
    "children",
    "boys",
    "girls",
}


@lru_cache(maxsize=2)
def _victims_pattern(lexicon: Lexicon) -> re.Pattern[str]:
    number = r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\w+teen|\w+ty)"
    noun = rf"(?P<noun>(?:{lexicon.victims}))"
    target = rf"(?P<target>(?:(?-i:[A-Z])[\w-]*\s+){{0,2}}{noun})\b"
    passive = target.replace("?P<target>", "?P<target2>").replace("?P<noun>", "?P<noun2>")
    return re.compile(
        rf"\b(?:killing|killed|martyring|martyred|claimed the lives of)\s+(?:at least\s+|some\s+|"
        rf"nearly\s+|about\s+)?{number}\s+{target}|"
        rf"\b{number}\s+{passive}"
        rf"\s+(?:were|was|have been|had been)\s+(?:killed|martyred|shot dead|gunned down)\b",
        re.IGNORECASE,
    )


_TARGET_TAIL = _compile(
    r"\s+(?:this|last|next|earlier this|late last)\s+(?:year|month|week)\b.*$|"
    r"\s+(?:is|was|were|are|has|had)\b.*$",
    re.IGNORECASE,
)


def _clean_target(text: str, gazetteer: Gazetteer | None) -> str | None:
    """A target as a noun phrase: no trailing time or clause ("security forces this
    year"), not a bare place ("Afghanistan") or an abstraction ("democracy")."""
    target = _TARGET_TAIL.sub("", text.strip(" \"'“”‘’")).strip()
    if not target or re.match(r"^(by|with|at|in|of|on|to|near)\b", target, re.IGNORECASE):
        return None
    bare = re.sub(r"^(?:the|a|an)\s+", "", target, flags=re.IGNORECASE)
    bare = _PLACE_OF.sub("", bare)
    if gazetteer is not None and any(
        not _SITE.search(p.name) and not _SITE.search(bare) for p in gazetteer.lookup(bare)
    ):
        return None  # a town or a province is where, not whom; a site can be the target
    if " " not in target and target.islower():
        return None  # "an attack on democracy"
    if re.match(r"^(?:ground|earth|soil|land|area|spot)$", bare, re.IGNORECASE):
        return None  # "rockets hit the ground": where they fell, not what they hit
    return target
