import pytest

from khabar.extract.gazetteer import load_gazetteer


@pytest.fixture(scope="module")
def gazetteer():
    return load_gazetteer()


@pytest.mark.parametrize(
    ("surface", "name", "kind", "admin1"),
    [
        ("D.I. Khan", "Dera Ismail Khan", None, "Khyber Pakhtunkhwa"),
        ("Bisham", "Besham", "place", "Khyber Pakhtunkhwa"),
        ("Khyber Pakhtunkhwa", "Khyber Pakhtunkhwa", "admin1", "Khyber Pakhtunkhwa"),
        ("Khatlon", "Khatlon", "admin1", "Khatlon"),
        ("Quetta", "Quetta", "place", "Balochistan"),
    ],
)
def test_gazetteer_reads_spelling_variants(gazetteer, surface, name, kind, admin1):
    place = gazetteer.choose(surface)
    assert place is not None
    assert place.name == name
    assert place.admin1 == admin1
    if kind:
        assert place.kind == kind


def test_gazetteer_kind_word_asks_for_that_kind(gazetteer):
    assert gazetteer.choose("Zhob", kind="admin2").kind == "admin2"
    assert gazetteer.choose("Zhob", kind="place").kind == "place"


def test_gazetteer_context_country_decides_a_shared_name(gazetteer):
    candidates = {p.country for p in gazetteer.lookup("Punjab")}
    assert {"PK", "IN"} <= candidates
    assert gazetteer.choose("Punjab", countries={"IN"}).country == "IN"
    assert gazetteer.choose("Punjab", countries={"PK"}).country == "PK"


def test_gazetteer_place_location_and_nesting(gazetteer):
    besham = gazetteer.choose("Besham")
    province = gazetteer.choose("Khyber Pakhtunkhwa")
    pakistan = gazetteer.country("PK")
    location = besham.location()
    assert (location.country, location.admin1, location.place, location.precision) == (
        "PK",
        "Khyber Pakhtunkhwa",
        "Besham",
        "place",
    )
    assert location.lat and location.lon
    assert besham.within(province) and besham.within(pakistan)
    assert not province.within(besham)
    assert pakistan.location().precision == "country"


def test_gazetteer_demonyms_and_country_names(gazetteer):
    assert gazetteer.demonyms["chinese"] == "CN"
    assert gazetteer.demonyms["pakistani"] == "PK"
    assert gazetteer.demonyms["afghan"] == "AF"
    assert gazetteer.country_names["TJ"] == "Tajikistan"


def test_gazetteer_geonames_layer_fills_cities_of_covered_countries(gazetteer):
    extra = [p for p in gazetteer.places.values() if not p.curated]
    assert extra
    assert {p.country for p in extra} <= {p.country for p in gazetteer.places.values() if p.curated}


def test_gazetteer_files_are_well_formed(gazetteer):
    ids = [p.id for p in gazetteer.places.values()]
    assert len(ids) == len(set(ids))
    for place in gazetteer.places.values():
        if place.kind in ("admin2", "place") and place.curated:
            assert place.admin1, place.id
        if place.lat is not None:
            assert -90 <= place.lat <= 90 and -180 <= place.lon <= 180
