"""Synthetic news corpora of any size, for benchmarks and the engines' equality test.

The stories are templates written after the demo corpus's own (fictional) articles:
a checkpoint storm, a convoy bombing, a roadside blast, a kidnapping, a drone strike and
a claimed attack on a market, each with a lead, a claim or an official's statement and
background paragraphs, so that extraction does the work a real article costs. The
slots are filled from khabar's data: places (towns with their district and province)
from the gazetteer files of Pakistan, Afghanistan and Tajikistan, armed groups from
actors.yaml, and random figures and outlets. The same seed gives the same corpus.

The corpus is coverage of events (``events``), as real coverage is: about eight attacks
a day across the gazetteer's 1,065 towns, from 2014 on (a larger corpus covers more
years at the same rate), each told by one to a few stories (a wire story, a local
paper's, follow-ups up to a week later with the toll as it then stood) and a few by
tens, never thousands. An event's stories share its place, day, kind and group, so
resolution has real merging to do, and its events stay the size real ones are.

    python -m khabar.batch.synth OUT_DIR --articles 10000 [--per-file 5000] [--parquet]
                                 [--big-event N]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml

__all__ = ["Event", "Place", "articles", "events", "places", "write_corpus"]

_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_OUTLETS = [
    ("Frontier Ledger", "frontierledger.example"),
    ("Indus Wire", "induswire.example"),
    ("Kabul Evening", "kabulevening.example"),
    ("Pamir Courier", "pamircourier.example"),
    ("Crescent Times", "crescenttimes.example"),
]
_START = dt.date(2014, 1, 1)
_BIG_SPAN = 330  # days over which ``big``'s follow-ups come
_PER_DAY = 8.0  # events a day: the theatre's reported attacks, about 3,000 a year
# How many stories cover one event: (cumulative probability, fewest, most).
_STORIES = [(0.35, 1, 1), (0.60, 2, 2), (0.75, 3, 3), (0.90, 4, 6), (0.98, 7, 15), (1.0, 16, 40)]

_TEMPLATES = [
    (
        "{killed_w} policemen killed as militants storm checkpoint near {place}",
        "{DATELINE}: {killed_w} policemen were killed and {injured} others injured when "
        "heavily armed militants attacked a police checkpoint on the outskirts of {place} "
        "in {province} late on {weekday}, police said.\n\n"
        "A police spokesman said the attackers, carrying automatic rifles and hand "
        "grenades, opened fire on the checkpoint from two sides. The exchange of fire "
        "lasted nearly an hour before the attackers escaped under the cover of darkness.\n\n"
        "The {group} claimed responsibility for the attack in a statement posted on social "
        "media, and warned that its attacks on the police would continue.\n\n"
        "The injured were taken to the district headquarters hospital in {district}, where "
        "two of them were said to be in critical condition. A search operation was under "
        "way in the villages around the checkpoint, officials said.",
    ),
    (
        "Suicide car bomb hits convoy of {nationality} engineers near {place}",
        "{DATELINE}: A suicide bomber rammed an explosives-laden car into a convoy carrying "
        "{nationality} engineers near {place} on {weekday}, killing at least {killed} "
        "people and wounding {injured}, officials said.\n\n"
        "The three-vehicle convoy was travelling towards a project site east of the town "
        "when the attacker struck the second vehicle, a senior official of the {district} "
        "district administration said by telephone.\n\n"
        "No group immediately claimed responsibility. Officials in {province} said the "
        "nationalities of the dead were still being confirmed, and security forces "
        "cordoned off the area and suspended traffic on the highway for several hours.",
    ),
    (
        "Roadside bomb kills {killed} in {district}",
        "{DATELINE}: A roadside bomb struck a vehicle carrying security personnel in "
        "{place}, {district} district, on {weekday}, killing {killed} and injuring "
        "{injured}, a local official said.\n\n"
        "The device had been planted beside the road and was detonated by remote control "
        "as the vehicle passed, the official said. The wounded were shifted to a hospital "
        "in {province}.\n\n"
        "Police blamed the {group} for the blast, though no group had claimed it by the "
        "evening. Residents said traffic on the road was suspended for the rest of the day.",
    ),
    (
        "Gunmen abduct {killed_w} workers in {place}",
        "{DATELINE}: Armed men abducted {killed_w} workers of a construction company from "
        "their camp in {place} in {province} on {weekday}, officials said.\n\n"
        "The gunmen arrived in two pickups before dawn, overpowered the guards and drove "
        "the workers towards the mountains, a district official in {district} said.\n\n"
        "The {group} said in a statement that it was holding the men. A search operation "
        "was launched and checkpoints were set up on the roads out of the district.",
    ),
    (
        "Drone strike hits compound in {district}, {killed} dead",
        "{DATELINE}: A drone strike hit a compound in {place} in {district} district on "
        "{weekday}, killing {killed} people, including fighters of the {group}, local "
        "officials and residents said.\n\n"
        "Residents said {injured} people were wounded and that the compound had been used "
        "by the group for months. The provincial government of {province} said an "
        "investigation had been opened.\n\n"
        "Officials said security had been raised across the district, and local traders "
        "closed their shops for the rest of the day.",
    ),
    (
        "Blast at market in {place} kills {killed}; {group} claims attack",
        "{DATELINE}: A bomb exploded in a crowded market in {place} on {weekday}, killing "
        "{killed} people and wounding {injured}, police and hospital officials said.\n\n"
        "The explosives had been hidden in a motorcycle parked near a row of shops, a "
        "police officer in {district} said. Rescue workers carried the wounded to "
        "hospitals in {province}.\n\n"
        "The {group} claimed responsibility in a message to journalists. The provincial "
        "government condemned the attack and announced compensation for the families "
        "of the victims.",
    ),
]
# Background paragraphs, five to each story, as a news story's tail carries them: the
# stories then run to about 1,500 characters, near the theatre's news (1,700).
_BACKGROUND = [
    "Militants have stepped up attacks on the police and paramilitary forces in "
    "{province} over the past year, and officials say most of them are planned across "
    "the border. Security analysts say the attacks have grown bolder since the ceasefire "
    "collapsed.",
    "The {group} has carried out several attacks in {province} this year, most of them "
    "on checkpoints and convoys, and has warned civilians to stay away from security "
    "installations.",
    "Funeral prayers for the victims were offered on the following day, attended by "
    "senior officials of the district administration and hundreds of residents.",
    "The provincial government announced compensation for the families of the victims "
    "and said that the wounded would be treated at the state's expense.",
    "Traders in {district} said business had slowed since the start of the year, as "
    "security checks on the main roads grew longer and several markets closed early.",
    "A spokesman for the interior ministry said the attackers would be brought to "
    "justice, and that security at public places across {province} had been raised.",
    "Residents described hearing several explosions before dawn, followed by gunfire "
    "that continued for more than an hour, and said that mobile phone service was "
    "suspended across the area for the rest of the day.",
    "Rights groups have urged the authorities to protect the workers of development "
    "projects in the region, many of whom travel without escort on remote roads.",
]
_NUMBER_WORDS = ["Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine"]


@dataclass(frozen=True)
class Place:
    name: str
    district: str
    province: str
    country: str


@dataclass(frozen=True)
class Event:
    """One real-world attack the corpus covers: every story of it shares its place, day,
    kind (template), group and victims' nationality; figures may grow story by story."""

    number: int
    day: dt.date
    place: Place
    template: int
    group: str
    killed: int
    injured: int
    nationality: str
    stories: int
    span: int = 6  # days after the attack that follow-ups come


@cache
def places() -> list[Place]:
    """Towns of the gazetteer files (PK, AF, TJ) with their district and province."""
    found: list[Place] = []
    root = files("khabar") / "data" / "gazetteer"
    for country in ("PK", "AF", "TJ"):
        text = (root / f"{country}.csv").read_text(encoding="utf-8")
        lines = [line for line in text.splitlines() if line and not line.startswith("#")]
        for row in csv.DictReader(lines):
            if row["kind"] == "place" and row["admin2"] and row["admin1"]:
                found.append(Place(row["name"], row["admin2"], row["admin1"], country))
    return found


@cache
def _groups() -> dict[str, list[str]]:
    """Armed groups' names by the country they fight in (actors.yaml), the Islamic
    State's branch also in Tajikistan."""
    text = (files("khabar") / "data" / "actors.yaml").read_text(encoding="utf-8")
    actors = [a for a in yaml.safe_load(text)["actors"] if a.get("kind") == "armed_group"]
    by_country: dict[str, list[str]] = {"PK": [], "AF": [], "TJ": []}
    for actor in actors:
        if actor.get("country") in by_country:
            by_country[actor["country"]].append(actor["name"])
    iskp = next((a["name"] for a in actors if a["id"] == "ISKP"), None)
    if iskp:
        by_country["TJ"].append(iskp)
    return {country: names or ["TTP"] for country, names in by_country.items()}


def _stories(rng: random.Random) -> int:
    """How many stories cover one event: most attacks get one or a few (a wire story, a
    local paper's, a follow-up), a few get tens, none thousands."""
    draw = rng.random()
    for bound, low, high in _STORIES:
        if draw < bound:
            return rng.randint(low, high)
    return 1


def _killed(rng: random.Random) -> int:
    """A toll from 2 up, small ones far more often (about half under 5, a few past 20)."""
    return min(2 + int(rng.expovariate(1 / 4)), 60)


def events(
    count: int,
    *,
    seed: int = 20261203,
    start: dt.date = _START,
    per_day: float = _PER_DAY,
    big: int = 0,
) -> Iterator[Event]:
    """The events behind ``count`` stories, in order of their day: about ``per_day``
    events a day from ``start`` on (a larger corpus covers more days at the same rate,
    as an archive grows), each at a town of the gazetteer, with its stories' number.

    ``big`` makes the first event one that ``big`` stories tell over most of a year (a
    great attack's coverage: reports, then follow-ups, anniversaries, trials), the
    stress case of an event's size; 0 (the default) leaves it an ordinary one."""
    rng = random.Random(seed)
    told = 0
    day = start
    number = 0
    while told < count:
        for _ in range(_poisson(rng, per_day)):
            place = rng.choice(places())
            stories = min(big if big and not number else _stories(rng), count - told)
            yield Event(
                number=number,
                day=day,
                place=place,
                template=rng.randrange(len(_TEMPLATES)),
                group=rng.choice(_groups()[place.country]),
                killed=_killed(rng),
                injured=rng.randint(0, 30),
                nationality=rng.choice(["Chinese", "Pakistani", "Tajik", "Turkish"]),
                stories=stories,
                span=_BIG_SPAN if big and not number else 6,
            )
            number += 1
            told += stories
            if told >= count:
                return
        day += dt.timedelta(days=1)


def _poisson(rng: random.Random, mean: float) -> int:
    """Knuth's draw: the number of events of one day."""
    limit, k, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        k += 1
        product *= rng.random()
    return k


def _article(rng: random.Random, n: int, event: Event, story: int) -> dict[str, Any]:
    """Story ``story`` of ``event``: the first ones the day of the attack or the next
    (wire, local papers), later ones up to a week after, the toll as it then stood."""
    place = event.place
    lag = rng.randint(1, 2) if story < 3 else rng.randint(2, event.span)
    published = event.day + dt.timedelta(days=lag)
    killed = event.killed + (rng.randint(0, 2) if story >= 2 else 0)
    outlet, domain = rng.choice(_OUTLETS)
    values = {
        "place": place.name,
        "district": place.district,
        "province": place.province,
        "DATELINE": place.name.upper(),
        "killed": killed,
        "killed_w": _NUMBER_WORDS[killed - 2] if killed - 2 < len(_NUMBER_WORDS) else killed,
        "injured": event.injured + (rng.randint(0, 5) if story >= 2 else 0),
        # The attack's day as a story of that week names it, and a later one by date.
        "weekday": _WEEKDAYS[event.day.weekday()]
        if lag <= 6
        else f"{event.day:%B} {event.day.day}",
        "group": event.group,
        "nationality": event.nationality,
    }
    title, body = _TEMPLATES[event.template]
    tail = "\n\n".join(p.format(**values) for p in rng.sample(_BACKGROUND, 5))
    return {
        "title": title.format(**values),
        "text": body.format(**values) + "\n\n" + tail + f"\n\n(Report {n}.)",
        "published": published.isoformat(),
        "outlet": outlet,
        "url": f"https://{domain}/news/{published:%Y/%m/%d}/{n}",
        "language": "en",
    }


def articles(
    count: int,
    *,
    seed: int = 20261203,
    start: dt.date = _START,
    per_day: float = _PER_DAY,
    big: int = 0,
) -> Iterator[dict[str, Any]]:
    """``count`` articles as JSON objects (title, text, published, outlet, url): the
    stories of ``events(count, ...)``, each event's together, in order of its day."""
    rng = random.Random(seed + 1)
    n = 0
    for event in events(count, seed=seed, start=start, per_day=per_day, big=big):
        for story in range(event.stories):
            yield _article(rng, n, event, story)
            n += 1


def write_corpus(
    folder: Path,
    count: int,
    *,
    per_file: int = 5000,
    parquet: bool = False,
    seed: int = 20261203,
    big: int = 0,
) -> list[Path]:
    """Write ``count`` articles as JSONL (or Parquet) files of ``per_file`` each."""
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    batch: list[dict[str, Any]] = []

    def flush() -> None:
        path = folder / f"part-{len(written):05d}.{'parquet' if parquet else 'jsonl'}"
        if parquet:
            import pyarrow as pa
            import pyarrow.parquet as pq

            pq.write_table(pa.Table.from_pylist(batch), path)
        else:
            path.write_text("".join(json.dumps(a) + "\n" for a in batch), encoding="utf-8")
        written.append(path)
        batch.clear()

    for article in articles(count, seed=seed, big=big):
        batch.append(article)
        if len(batch) >= per_file:
            flush()
    if batch:
        flush()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--per-file", type=int, default=5000)
    parser.add_argument("--parquet", action="store_true")
    parser.add_argument("--seed", type=int, default=20261203)
    parser.add_argument(
        "--big-event", type=int, default=0, help="stories of one event told over a year"
    )
    args = parser.parse_args()
    paths = write_corpus(
        args.folder,
        args.articles,
        per_file=args.per_file,
        parquet=args.parquet,
        seed=args.seed,
        big=args.big_event,
    )
    print(f"{args.articles} articles in {len(paths)} file(s) under {args.folder}")


if __name__ == "__main__":
    main()
