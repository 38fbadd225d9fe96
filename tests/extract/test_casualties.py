import pytest

from khabar.extract.casualties import read_casualties
from khabar.extract.lexicon import load_lexicon
from khabar.records import Count

DEMONYMS = {"chinese": "CN", "pakistani": "PK", "afghan": "AF", "tajik": "TJ"}


def read(sentence):
    return read_casualties(sentence, lexicon=load_lexicon(), demonyms=DEMONYMS)


def test_read_casualties_counts_nationalities_and_skips_a_subset():
    found = read(
        "Four Chinese engineers, including a woman, and their Pakistani driver were killed "
        "when a bomber rammed a car into their convoy."
    )
    assert found.killed == Count(low=5, best=5, high=5)
    assert found.victims == {"CN": 4, "PK": 1}


def test_read_casualties_reads_a_total_with_a_breakdown():
    found = read("The blast killed two Chinese nationals among three victims near the airport.")
    assert found.killed.best == 3
    assert found.victims == {"CN": 2}


@pytest.mark.parametrize(
    ("sentence", "killed", "injured"),
    [
        ("Gunmen killed four policemen and wounded two others on Sunday.", 4, 2),
        ("At least 12 people were killed and 35 injured in the blast.", 12, 35),
        ("The bombing left seven dead and more than 20 wounded.", 7, 20),
        ("A Chinese citizen was killed on Tuesday in Takhar province.", 1, None),
        ("The death toll from the attack rose to 19, officials said.", 19, None),
        ("The explosion killed nine people, including the bomber.", 8, None),
    ],
)
def test_read_casualties_tolls(sentence, killed, injured):
    found = read(sentence)
    assert (found.killed.best if found.killed else None) == killed
    assert (found.injured.best if found.injured else None) == injured


def test_read_casualties_does_not_count_attackers_as_victims():
    found = read("Three attackers were also killed in the exchange of fire, police said.")
    assert found.killed is None
    assert found.attackers_killed == 3


def test_read_casualties_notes_an_unharmed_survivor():
    found = read("The interpreter escaped unharmed.")
    assert found.unharmed and found.injured is None


def test_read_casualties_needs_a_casualty_verb():
    assert read("Five Chinese engineers travelled to the dam site.").killed is None


# Composed for these tests (invented places and figures).
_COUNTRY_SENTENCES = [
    "Three Pakistan Army soldiers and two civilians were killed in the blast.",
    "Two members of Iran's border guards were shot dead near the crossing.",
    "Two members of the embassy staff were killed outside the Ruritanian Embassy.",
    "Four Chinese engineers and their driver were killed when the bus was hit.",
    "At least 12 people were killed and 30 others injured in the market bombing.",
    "Two U.S. Marines were wounded; one police officer was killed.",
    "Seven soldiers were martyred in the attack in Kurram, the military said.",
]


def test_a_sentence_without_a_country_reads_the_same_with_the_country_table():
    """The attacks read a sentence once without the country table and reuse that
    reading where ``may_name_country`` says the table cannot change it."""
    from khabar.extract.casualties import may_name_country

    countries = {"pakistan": "PK", "iran": "IR", "ruritania": "RU", "united states": "US"}
    demonyms = {"chinese": "CN", "ruritanian": "RU"}
    assert may_name_country(_COUNTRY_SENTENCES[0], countries)
    assert may_name_country(_COUNTRY_SENTENCES[1], countries)
    assert not may_name_country(_COUNTRY_SENTENCES[4], countries)
    assert not may_name_country(_COUNTRY_SENTENCES[0], {})
    # "Ruritanian" holds "ruritania": a substring is enough to say "may".
    assert may_name_country(_COUNTRY_SENTENCES[2], countries)
    differs = 0
    for sentence in _COUNTRY_SENTENCES:
        alone = read_casualties(sentence, lexicon=load_lexicon(), demonyms=demonyms)
        table = read_casualties(
            sentence, lexicon=load_lexicon(), demonyms=demonyms, countries=countries
        )
        if not may_name_country(sentence, countries):
            assert alone == table, sentence
        differs += alone != table
    assert differs  # the table does change some readings: the test can fail
