"""Actors: governments and their organs, armed groups, parties, media and officials,
from ``data/actors.yaml``, with aliases, hierarchy and the periods names hold.

A record names an actor canonically (EVAL.md): an organ or an official is recorded under
the actor it ``acts_for`` ("Foreign Office" -> "Pakistan", "ISPR" -> "Pakistan Army",
"Majeed Brigade" -> "BLA"), so that every alias lands on one name.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ..records import ActorRef

__all__ = ["Actor", "ActorDictionary", "load_actors", "variants"]


@dataclass(frozen=True)
class Actor:
    id: str
    name: str
    kind: str
    """state | organ | armed_group | party | agency | media | igo | person"""
    country: str | None = None
    parent: str | None = None
    acts_for: str | None = None
    aliases: tuple[str, ...] = ()
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    role: str | None = None
    operates_in: tuple[str, ...] = ()
    """countries where this branch of a global group acts for it: "Islamic State" in a
    story from (or a claim of an attack in) Afghanistan or Pakistan is ISKP"""

    def valid_on(self, day: dt.date | None) -> bool:
        if day is None:
            return True
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


@dataclass
class ActorDictionary:
    actors: dict[str, Actor]
    names: dict[str, list[str]] = field(default_factory=dict)
    """casefolded name or alias -> actor ids"""

    def surface_forms(self) -> Iterable[str]:
        seen: set[str] = set()
        for actor in self.actors.values():
            for form in (actor.name, *actor.aliases):
                if form and form not in seen:
                    seen.add(form)
                    yield form

    def lookup(self, surface: str, *, on: dt.date | None = None) -> Actor | None:
        """The actor a name means on a date (the one valid then, else any)."""
        candidates = [self.actors[i] for i in self.names.get(surface.casefold(), [])]
        if not candidates:
            return None
        valid = [actor for actor in candidates if actor.valid_on(on)]
        return (valid or candidates)[0]

    def canonical(self, actor: Actor) -> Actor:
        """The actor under whose name this one's words and deeds are recorded."""
        seen = {actor.id}
        while actor.acts_for and actor.acts_for in self.actors and actor.acts_for not in seen:
            actor = self.actors[actor.acts_for]
            seen.add(actor.id)
        return actor

    def ref(self, actor: Actor) -> ActorRef:
        canonical = self.canonical(actor)
        return ActorRef(name=canonical.name, country=canonical.country)

    def ancestors(self, actor: Actor) -> list[Actor]:
        chain: list[Actor] = []
        while actor.parent and actor.parent in self.actors and len(chain) < 10:
            actor = self.actors[actor.parent]
            chain.append(actor)
        return chain

    def branch(self, actor: Actor, countries: Iterable[str]) -> Actor:
        """The regional branch a global group's name stands for where the story happens
        ("Islamic State" in a story from Kunduz or Peshawar is ISKP), else the actor."""
        wanted = set(countries)
        if not wanted:
            return actor
        for other in self.actors.values():
            if other.parent == actor.id and wanted.intersection(other.operates_in):
                return other
        return actor

    def branch_in(self, actor: Actor, country: str | None) -> Actor:
        """``branch`` for the one country an attack happened in."""
        return self.branch(actor, [country] if country else [])

    def is_armed_group(self, actor: Actor) -> bool:
        return actor.kind == "armed_group" or any(
            a.kind == "armed_group" for a in self.ancestors(actor)
        )

    def find_in(self, text: str, *, on: dt.date | None = None) -> Actor | None:
        """The actor whose longest name or alias appears in a free text (gold labels)."""
        folded = f" {text.casefold()} "
        best: tuple[int, str] | None = None
        for name, ids in self.names.items():
            if (
                len(name) > 1
                and _contains_word(folded, name)
                and (best is None or len(name) > best[0])
            ):
                best = (len(name), ids[0])
        if best is None:
            return None
        return self.lookup(self.actors[best[1]].name, on=on) or self.actors[best[1]]


def _contains_word(haystack: str, needle: str) -> bool:
    start = haystack.find(needle)
    while start != -1:
        before = haystack[start - 1] if start > 0 else " "
        after = haystack[start + len(needle)] if start + len(needle) < len(haystack) else " "
        if not before.isalnum() and not after.isalnum():
            return True
        start = haystack.find(needle, start + 1)
    return False


@lru_cache(maxsize=2)
def load_actors(path: Path | None = None) -> ActorDictionary:
    """Load and check the actor dictionary once per process."""
    source = Path(path) if path else resources.files("khabar.data").joinpath("actors.yaml")
    raw = source.read_text("utf-8") if source.is_file() else ""
    # libyaml's loader (same safe schema) reads the dictionary ten times faster than the
    # pure-Python one: `khabar incidents` loads it to name actors. Imported here, since
    # a listing that names no actor never reads the file.
    import yaml

    spec = yaml.load(raw, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}
    actors: dict[str, Actor] = {}
    for entry in spec.get("actors", []):
        actor = Actor(
            id=str(entry["id"]),
            name=str(entry["name"]),
            kind=str(entry.get("kind", "organ")),
            country=entry.get("country") or None,
            parent=entry.get("parent") or None,
            acts_for=entry.get("acts_for") or None,
            aliases=tuple(str(a) for a in entry.get("aliases") or ()),
            valid_from=_date(entry.get("valid_from")),
            valid_to=_date(entry.get("valid_to")),
            role=entry.get("role"),
            operates_in=tuple(str(c) for c in entry.get("operates_in") or ()),
        )
        if actor.id in actors:
            raise ValueError(f"actors.yaml: duplicate id {actor.id!r}")
        actors[actor.id] = actor
    for actor in actors.values():
        for link in (actor.parent, actor.acts_for):
            if link and link not in actors:
                raise ValueError(f"actors.yaml: {actor.id} refers to unknown actor {link!r}")
    names: dict[str, list[str]] = defaultdict(list)
    for actor in actors.values():
        forms = {actor.name, *actor.aliases}
        actor_variants = {v for form in forms for v in variants(form)} - forms
        if actor_variants:
            actor = actors[actor.id] = replace(
                actor, aliases=actor.aliases + tuple(sorted(actor_variants))
            )
        for form in {actor.name, *actor.aliases}:
            if actor.id not in names[form.casefold()]:
                names[form.casefold()].append(actor.id)
    return ActorDictionary(actors=actors, names=dict(names))


_CONNECTOR = re.compile(r"-(e|i)-", re.IGNORECASE)


def variants(form: str) -> set[str]:
    """The other ways news writes a name: curly or straight apostrophes ("Pakistan’s
    Foreign Office"), and the Urdu and Persian connectors spelled -e-, -i- or not at all
    ("Tehreek-e-Jihad", "Tehreek-i-Jihad", "Tehreek Jihad")."""
    out = {form}
    if "'" in form:
        out.add(form.replace("'", "’"))
    if "’" in form:
        out.add(form.replace("’", "'"))
    for written in list(out):
        if _CONNECTOR.search(written):
            out.add(_CONNECTOR.sub(" ", written))
            out.add(
                _CONNECTOR.sub(
                    lambda m: "-e-" if m.group(1).lower() == "i" else m.group(0), written
                )
            )
            out.add(
                _CONNECTOR.sub(
                    lambda m: "-i-" if m.group(1).lower() == "e" else m.group(0), written
                )
            )
    return out


def _date(value: object) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value:
        return dt.date.fromisoformat(value)
    return None
