"""Each figure to its own verb, and what is not a count: sentences written for these
tests, one per rule of issue 11."""

import pytest

from khabar.extract.casualties import read_casualties
from khabar.extract.lexicon import load_lexicon
from khabar.extract.numbers import find_figures

DEMONYMS = {"chinese": "CN", "pakistani": "PK", "afghan": "AF", "afghans": "AF", "german": "DE"}
COUNTRIES = {"pakistan": "PK", "iran": "IR", "united states": "US"}


def read(sentence):
    return read_casualties(sentence, lexicon=load_lexicon(), demonyms=DEMONYMS, countries=COUNTRIES)


def tolls(sentence):
    found = read(sentence)
    return (
        found.killed.best if found.killed else None,
        found.injured.best if found.injured else None,
    )


@pytest.mark.parametrize(
    ("sentence", "killed", "injured"),
    [
        ("At least 18 people were killed and nearly 30 others were wounded.", 18, 30),
        ("Nine worshippers lost their lives and 140 others were injured.", 9, 140),
        ("The blast killed 6 and injured 22 near the shrine.", 6, 22),
        ("Twelve people were wounded and two were killed in the firing.", 2, 12),
    ],
)
def test_each_figure_belongs_to_its_own_verb(sentence, killed, injured):
    assert tolls(sentence) == (killed, injured)


@pytest.mark.parametrize(
    ("sentence", "killed"),
    [
        ("The attack took place at 10:30 am, killing 3 policemen.", 3),
        ("The 45-year-old driver was killed in the ambush.", 1),
        ("A blast on 14 March killed 4 people aged 20 to 30.", 4),
        ("The bomb went off 200 km from the border and killed 5 people.", 5),
        ("Two weeks after the raid, three policemen were killed.", 3),
        ("date 2026-09-05 Two guards were killed in the attack.", 2),
    ],
)
def test_dates_times_ages_and_units_are_never_counts(sentence, killed):
    assert tolls(sentence)[0] == killed


def test_no_measure_is_found_as_a_figure():
    assert [f.text for f in find_figures("At 6 pm, 200 km away, a 30-minute gunfight")] == []


@pytest.mark.parametrize(
    "sentence",
    [
        "Two more soldiers succumbed to their wounds in hospital.",
        "Two soldiers embraced martyrdom in the exchange of fire.",
        "Two policemen lost their lives in the attack.",
        "Rescuers said two bodies were recovered from the rubble.",
        "Two soldiers were martyred when the militants opened fire.",
        "Officials said two lives were lost in the attack.",
    ],
)
def test_death_idioms_count_as_deaths_and_not_as_injuries(sentence):
    assert tolls(sentence) == (2, None)


@pytest.mark.parametrize(
    "sentence",
    [
        "The ministry said there were no casualties.",
        "Officials said no loss of life was reported.",
    ],
)
def test_no_casualties_is_a_toll_of_zero(sentence):
    assert read(sentence).killed.best == 0


@pytest.mark.parametrize(
    ("sentence", "victims"),
    [
        ("Five Pakistan Army soldiers were killed in the ambush.", {"PK": 5}),
        ("Four U.S. Marines died in the blast.", {"US": 4}),
        ("Three Iran border guards were killed.", {"IR": 3}),
    ],
)
def test_institutions_give_a_nationality(sentence, victims):
    assert read(sentence).victims == victims


def test_the_nationality_of_a_subset_is_not_the_totals():
    found = read("Seven people, including five Pakistani soldiers, were killed.")
    assert found.killed.best == 7
    assert found.victims == {"PK": 5}


def test_more_and_other_people_add_to_a_group():
    found = read("Three German aid workers and 8 more Afghans were killed in the bombing.")
    assert found.killed.best == 11
    assert found.victims == {"DE": 3, "AF": 8}


def test_two_reports_of_one_toll_are_not_added():
    found = read("One hospital said 9 bodies were brought in, another that 12 bodies arrived.")
    assert found.killed.best == 12


def test_a_stated_floor_is_the_best_figure():
    assert tolls("More than 30 people were injured in the blast.") == (None, 30)


@pytest.mark.parametrize(
    "sentence",
    [
        "No one was killed.",
        "A bomb wounded four people near the checkpoint; no one was killed.",
        "Nobody died in the attack, officials said.",
    ],
)
def test_no_one_killed_is_a_toll_of_zero_not_one(sentence):
    assert read(sentence).killed.best == 0


@pytest.mark.parametrize(
    ("sentence", "killed", "injured"),
    [
        ("Six villagers were killed and another 14 suffered injuries in the blast.", 6, 14),
        ("Two guards died and 9 others sustained serious injuries.", 2, 9),
        ("Three constables were killed and 5 received bullet wounds.", 3, 5),
        ("The blast killed 4 people in 3 minutes.", 4, None),
    ],
)
def test_suffering_or_sustaining_injuries_is_an_injury(sentence, killed, injured):
    assert tolls(sentence) == (killed, injured)


@pytest.mark.parametrize(
    ("sentence", "killed", "injured"),
    [
        # a partitive names its noun after "of the"
        ("Later, two of the rescued labourers were injured in a second blast.", None, 2),
        # "the staff" of a group counted before it is no extra victim
        ("The bomb killed three members of the hotel staff and five others.", 8, None),
        # a name after "the" is no person: "the National Highway"
        ("A blast on the National Highway at Kalat on Monday killed four traders.", 4, None),
        # the one who speaks is no victim
        ("A patrol came under fire, an official said, leaving seven troops dead.", 7, None),
        # school children are victims
        ("The blast killed five schoolchildren and a driver.", 6, None),
    ],
)
def test_who_is_counted_in_a_group(sentence, killed, injured):
    assert tolls(sentence) == (killed, injured)


def test_attackers_listed_in_a_total_are_taken_out_of_it():
    sentence = "The raid claimed the lives of 15 people, including nine soldiers and six gunmen."
    assert tolls(sentence) == (9, None)


def test_others_after_attackers_are_attackers():
    assert tolls("Troops killed 8 militants while several others were wounded.") == (None, None)
    # after a victim group, the others are victims
    assert tolls("The blast killed 4 guards and 2 attackers; 11 others were wounded.") == (4, 11)


def test_a_list_after_including_is_of_the_dead():
    sentence = (
        "At least 9 people were killed, including six soldiers and three civilians, and 14 "
        "others were injured in the ambush."
    )
    assert tolls(sentence) == (9, 14)
