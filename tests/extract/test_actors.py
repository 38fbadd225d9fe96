import datetime as dt

import pytest

from khabar.extract.actors import load_actors


@pytest.fixture(scope="module")
def actors():
    return load_actors()


@pytest.mark.parametrize(
    ("alias", "canonical"),
    [
        ("Foreign Office", "Pakistan"),
        ("ISPR", "Pakistan Army"),
        ("Majeed Brigade", "BLA"),
        ("Islamic State Khorasan Province", "ISKP"),
        ("IS-K", "ISKP"),
        ("Tehreek-e-Taliban Pakistan", "TTP"),
        ("Islamic Emirate", "Afghanistan"),
    ],
)
def test_actors_aliases_land_on_one_canonical_name(actors, alias, canonical):
    actor = actors.lookup(alias, on=dt.date(2025, 6, 1))
    assert actor is not None, alias
    assert actors.ref(actor).name == canonical


def test_actors_armed_groups_and_branches(actors):
    assert actors.is_armed_group(actors.lookup("Majeed Brigade"))
    assert actors.is_armed_group(actors.lookup("ISKP"))
    assert not actors.is_armed_group(actors.lookup("Foreign Office"))


def test_actors_a_name_means_who_held_it_then(actors):
    before = actors.ref(actors.lookup("Taliban", on=dt.date(2019, 1, 1))).name
    after = actors.ref(actors.lookup("Taliban", on=dt.date(2024, 1, 1))).name
    assert after == "Afghanistan"
    assert before != after


def test_actors_find_in_a_free_text_label(actors):
    found = actors.find_in("Balochistan Liberation Army (Majeed Brigade)")
    assert actors.ref(found).name == "BLA"
    assert actors.find_in("nobody in particular") is None


def test_actors_dictionary_is_consistent(actors):
    for actor in actors.actors.values():
        for link in (actor.parent, actor.acts_for):
            assert link is None or link in actors.actors
        if actor.valid_from and actor.valid_to:
            assert actor.valid_from <= actor.valid_to
