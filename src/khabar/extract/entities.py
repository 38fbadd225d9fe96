"""Places and actors in a parsed article, found with phrase matchers built from khabar's
gazetteer and actor dictionary (the statistical NER misreads this region's names, so the
dictionaries decide; see docs/MEASURED.md)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .actors import Actor, ActorDictionary
from .gazetteer import Gazetteer, Place, locality_in_context

if TYPE_CHECKING:
    from spacy.matcher import PhraseMatcher

__all__ = ["ActorMention", "EntityFinder", "PlaceMention"]

_WANTED = {
    "province": "admin1",
    "region": "admin1",
    "oblast": "admin1",
    "district": "admin2",
    "agency": "admin2",
    "tehsil": "admin2",
    "city": "place",
    "town": "place",
    "village": "place",
    "area": "place",
    "valley": "place",
}
_SITE_WORD = re.compile(
    r"^\s+(road|street|avenue|highway|bypass|chowk|bazaar|market|square|bridge|crossing)\b",
    re.IGNORECASE,
)
_DISTRICT_IN_NAME = re.compile(r"\s(district|agency|tehsil)$", re.IGNORECASE)
_POSSESSIVE = re.compile(r"^[’']s\s+(?:[a-z-]+\s+){0,2}[A-Z]")
_KIND_WORD = re.compile(
    r"^\s+(province|district|region|agency|tehsil|city|town|village|area|valley|oblast)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class PlaceMention:
    start: int
    end: int
    surface: str
    place: Place
    container: bool = False
    site: bool = False
    """followed by a site word ("Sariab Road", "Quetta bazaar")"""
    """written as the container of the next place ("Balkh's Chahar Bolak district")"""


@dataclass(frozen=True)
class ActorMention:
    start: int
    end: int
    surface: str
    actor: Actor


def _filter_spans(spans):  # type: ignore[no-untyped-def]
    from spacy.util import filter_spans

    return filter_spans(spans)


class EntityFinder:
    """Phrase matchers for one spaCy vocabulary; build once, use for every article."""

    def __init__(self, nlp, gazetteer: Gazetteer, actors: ActorDictionary) -> None:  # type: ignore[no-untyped-def]
        from spacy.matcher import PhraseMatcher  # spaCy loads with the model, not on import

        self.gazetteer = gazetteer
        self.actors = actors
        self._places = PhraseMatcher(nlp.vocab, attr="ORTH")
        self._actors = PhraseMatcher(nlp.vocab, attr="ORTH")
        _add_forms(nlp, self._places, "PLACE", gazetteer.surface_forms())
        _add_forms(nlp, self._actors, "ACTOR", actors.surface_forms())

    def places(
        self,
        doc,  # type: ignore[no-untyped-def]
        *,
        skip: tuple[int, int] | None = None,
        countries: set[str] | None = None,
        text: str | None = None,
    ) -> list[PlaceMention]:
        """Place mentions, each resolved in the light of the others: the countries,
        provinces and districts the article names steer which "Panj" or "Khyber" it is.
        A kind word after the name ("Takhar province", "Zhob district") asks for that
        kind. ``skip`` is the dateline's span (where the story was filed); ``text`` is the
        Doc's text when the caller has it (``Doc.text`` joins every token anew)."""
        text = doc.text if text is None else text
        found: list[tuple[int, int, str, str | None]] = []
        containers: set[int] = set()
        sites: set[int] = set()
        for span in _filter_spans([doc[s:e] for _, s, e in self._places(doc)]):
            start, end = span.start_char, span.end_char
            if skip and start < skip[1] and skip[0] < end:
                continue
            if _inside_longer_name(doc, span, self.gazetteer):
                continue  # "Sheikh Badin hills" is not Badin
            if _hyphenated(text, start, end):
                continue  # "US-led", "Pak-Afghan", "Tehreek-e-Taliban": a piece of a word
            word = _KIND_WORD.match(text[end : end + 20])
            wanted = _WANTED.get(word[1].lower()) if word else None
            if _POSSESSIVE.match(text[end : end + 40]):
                containers.add(start)  # "Balochistan's Kalat district"
                wanted = wanted or "admin1"
            found.append((start, end, span.text, wanted))
            if _SITE_WORD.match(text[end : end + 25]):
                sites.add(start)
        context = set(countries or ())
        admin1s: set[str] = set()
        admin2s: set[str] = set()
        districts: set[str] = set()  # every district named, for localities' context
        for _, _, surface, wanted in found:
            place = self.gazetteer.choose(surface, kind=wanted)
            if place is None:
                continue
            if place.kind == "country":
                context.add(place.country)
            elif place.kind == "admin1":
                admin1s.add(place.name)
            elif place.kind == "admin2":
                districts.add(place.name)
                if wanted == "admin2" or _DISTRICT_IN_NAME.search(surface):
                    admin2s.add(place.name)  # "in Dasht, Mastung district"
        mentions = self._capitals(text, found)
        for start, end, surface, wanted in found:
            place = self.gazetteer.choose(
                surface, kind=wanted, countries=context, admin1s=admin1s, admin2s=admin2s
            )
            if (
                place is not None
                and place.locality
                and not locality_in_context(
                    text,
                    start,
                    end,
                    place,
                    kind_word=wanted is not None or start in sites,
                    districts=districts,
                    provinces=admin1s,
                    common=surface.casefold() in self.gazetteer.common_names,
                )
            ):
                # "Sami said": a village's name without place context is no place.
                place = self.gazetteer.choose(
                    surface,
                    kind=wanted,
                    countries=context,
                    admin1s=admin1s,
                    admin2s=admin2s,
                    localities=False,
                )
            if place is not None:
                mentions.append(
                    PlaceMention(
                        start,
                        end,
                        surface,
                        place,
                        container=start in containers,
                        site=start in sites,
                    )
                )
        return sorted(mentions, key=lambda m: m.start)

    def _capitals(
        self, text: str, found: list[tuple[int, int, str, str | None]]
    ) -> list[PlaceMention]:
        """ "The Afghan capital", "Pakistan's capital": the country's capital, where the
        text does not name it right after ("the Afghan capital, Kabul")."""
        mentions = []
        for match in _CAPITAL.finditer(text):
            if any(match.end() <= start <= match.end() + 3 for start, _, _, _ in found):
                continue
            word = (match["country"] or match["owner"]).casefold()
            iso2 = self.gazetteer.demonyms.get(word) or next(
                (c for c, n in self.gazetteer.country_names.items() if n.casefold() == word),
                None,
            )
            name = self.gazetteer.capitals.get(iso2 or "")
            places = [
                p
                for p in self.gazetteer.lookup(name or "")
                if p.country == iso2 and p.kind == "place"
            ]
            if places:
                mentions.append(PlaceMention(match.start(), match.end(), match.group(0), places[0]))
        return mentions

    def actors_in(self, doc, *, on: dt.date | None = None) -> list[ActorMention]:  # type: ignore[no-untyped-def]
        spans = _filter_spans([doc[s:e] for _, s, e in self._actors(doc)])
        mentions = []
        for span in spans:
            actor = self.actors.lookup(span.text, on=on)
            if actor is not None:
                mentions.append(ActorMention(span.start_char, span.end_char, span.text, actor))
        return mentions


_CAPITAL = re.compile(r"\b(?:the (?P<country>[A-Z][a-z]+)|(?P<owner>[A-Z][a-z]+)[’']s) capital\b")
_COMPASS = {
    "north",
    "south",
    "east",
    "west",
    "upper",
    "lower",
    "central",
    "greater",
    "old",
    "new",
    "northern",
    "southern",
    "eastern",
    "western",
    "northwest",
    "northeast",
    "southwest",
    "southeast",
    "the",
    "in",
    "at",
    "near",
    "of",
    "from",
}


def _hyphenated(text: str, start: int, end: int) -> bool:
    """Whether a name is joined by a hyphen to a longer word: names match whole tokens."""
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return (before in "-‐" and start > 1 and text[start - 2].isalnum()) or (
        after in "-‐" and end + 1 < len(text) and text[end + 1].isalnum()
    )


def _inside_longer_name(doc, span, gazetteer: Gazetteer) -> bool:  # type: ignore[no-untyped-def]
    """Whether a matched name is part of a longer proper name: a capitalised word before
    it that is no direction, demonym or sentence start ("Sheikh Badin hills")."""
    if span.start == 0:
        return False
    before = doc[span.start - 1]
    word = before.text
    if before.is_sent_start or not word[:1].isupper() or not word.isalpha():
        return False
    folded = word.casefold()
    if folded in _ORGANISATION_WORDS:
        return False  # "Cadet College Wana": an institution named after its town
    return not (folded in _COMPASS or folded in gazetteer.demonyms or gazetteer.lookup(word))


_ORGANISATION_WORDS = {
    "college",
    "school",
    "university",
    "hospital",
    "cantonment",
    "camp",
    "academy",
    "bazaar",
    "market",
    "airport",
    "mosque",
    "station",
    "fort",
}


def _add_forms(nlp, matcher: PhraseMatcher, label: str, forms) -> None:  # type: ignore[no-untyped-def]
    patterns = []
    for form in forms:
        patterns.append(form)
        if form.isupper() and len(form) > 4:
            continue
        titled = form[:1].upper() + form[1:]
        if titled != form:
            patterns.append(titled)
        words = form.split(" ")
        if 1 < len(words) <= 3 and all(w[:1].isupper() for w in words):
            patterns.append("-".join(words))  # "Khyber-Pakhtunkhwa": one name, hyphenated
    docs = list(nlp.tokenizer.pipe(sorted(set(patterns))))
    for start in range(0, len(docs), 5000):
        matcher.add(label, docs[start : start + 5000])
