"""Synthetic news corpora of any size, for benchmarks and the engines' equality test.

The stories are templates written after the demo corpus's own (fictional) articles:
a checkpoint storm, a convoy bombing, a roadside blast, a kidnapping, a drone strike and
a claimed attack on a market, each with a lead, a claim or an official's statement and
background paragraphs, so that extraction does the work a real article costs. The
slots are filled from khabar's data: places (towns with their district and province)
from the gazetteer files of Pakistan, Afghanistan and Tajikistan, armed groups from
actors.yaml, and random figures, days and outlets. The same seed gives the same corpus.

    python -m khabar.batch.synth OUT_DIR --articles 10000 [--per-file 5000] [--parquet]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml

__all__ = ["Place", "articles", "places", "write_corpus"]

_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_OUTLETS = [
    ("Frontier Ledger", "frontierledger.example"),
    ("Indus Wire", "induswire.example"),
    ("Kabul Evening", "kabulevening.example"),
    ("Pamir Courier", "pamircourier.example"),
    ("Crescent Times", "crescenttimes.example"),
]
# Armed groups (actors.yaml ids) that claim attacks in each country of the templates.
_GROUPS = {"PK": ["TTP", "BLA", "BLF", "JUA", "HGB", "LEI"], "AF": ["ISKP"], "TJ": ["ISKP"]}

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
def _group_names() -> dict[str, str]:
    text = (files("khabar") / "data" / "actors.yaml").read_text(encoding="utf-8")
    actors = yaml.safe_load(text)["actors"]
    return {a["id"]: a["name"] for a in actors if a.get("kind") == "armed_group"}


def _article(rng: random.Random, n: int, start: dt.date, days: int) -> dict[str, Any]:
    place = rng.choice(places())
    title, body = rng.choice(_TEMPLATES)
    names = _group_names()
    group = names.get(rng.choice(_GROUPS[place.country]), "TTP")
    killed = rng.randint(2, 9)
    published = start + dt.timedelta(days=rng.randrange(days))
    outlet, domain = rng.choice(_OUTLETS)
    values = {
        "place": place.name,
        "district": place.district,
        "province": place.province,
        "DATELINE": place.name.upper(),
        "killed": killed,
        "killed_w": _NUMBER_WORDS[killed - 2],
        "injured": rng.randint(0, 30),
        "weekday": _WEEKDAYS[(published.weekday() - 1) % 7],
        "group": group,
        "nationality": rng.choice(["Chinese", "Pakistani", "Tajik", "Turkish"]),
    }
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
    count: int, *, seed: int = 20261203, start: dt.date = dt.date(2025, 1, 1), days: int = 365
) -> Iterator[dict[str, Any]]:
    """``count`` articles as JSON objects (title, text, published, outlet, url)."""
    rng = random.Random(seed)
    for n in range(count):
        yield _article(rng, n, start, days)


def write_corpus(
    folder: Path, count: int, *, per_file: int = 5000, parquet: bool = False, seed: int = 20261203
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

    for article in articles(count, seed=seed):
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
    args = parser.parse_args()
    paths = write_corpus(
        args.folder, args.articles, per_file=args.per_file, parquet=args.parquet, seed=args.seed
    )
    print(f"{args.articles} articles in {len(paths)} file(s) under {args.folder}")


if __name__ == "__main__":
    main()
