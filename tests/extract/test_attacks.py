"""Extraction end to end on short articles written for these tests."""

import datetime as dt

import pytest

from khabar.extract import ExtractOptions, Extractor
from khabar.extract.nlp import load_nlp
from khabar.ingest import fingerprint
from khabar.records import Article

TODAY = dt.date(2026, 11, 22)


@pytest.fixture(scope="module")
def extractor():
    return Extractor(ExtractOptions(model="blank"), today=TODAY)


def article(text, *, published=None, dateline=None):
    return Article(
        id=fingerprint(text),
        text=text,
        published=published,
        dateline=dateline,
        file="story.txt",
    )


def incidents_of(records):
    return [r for r in records if r.kind == "incident"]


def only(records):
    reports = [i for i in incidents_of(records) if i.sources[0].role == "report"]
    assert len(reports) == 1, records
    return reports[0]


def test_extract_a_suicide_bombing_with_victims_by_nationality(extractor):
    text = (
        "PESHAWAR: A suicide bomber rammed an explosives-laden car into a convoy near Besham "
        "in Khyber Pakhtunkhwa on Tuesday, killing four Chinese engineers and their Pakistani "
        "driver, police said. Three guards were wounded.\n\n"
        "The Balochistan Liberation Army's Majeed Brigade claimed responsibility on Telegram."
    )
    incident = only(
        extractor.extract(article(text, published=dt.date(2026, 3, 5), dateline="PESHAWAR"))
    )
    assert incident.event_type == "bombing"
    assert incident.suicide is True
    assert incident.date.value == "2026-03-03"
    assert (incident.location.place, incident.location.admin1) == ("Besham", "Khyber Pakhtunkhwa")
    assert incident.fatalities.best == 5
    assert incident.injured.best == 3
    assert {v.nationality: v.count for v in incident.victims} == {"CN": 4, "PK": 1}
    assert incident.perpetrator.claimed_by == "BLA"
    assert incident.target == "a convoy"
    for evidence in incident.evidence:
        assert text[evidence.start : evidence.end] == evidence.quote


def test_extract_leaves_a_relative_date_unknown_without_a_publication_date(extractor):
    text = "Gunmen shot dead two policemen at a checkpoint in Bannu on Tuesday, officials said."
    incident = only(extractor.extract(article(text)))
    assert incident.date is None
    assert incident.event_type == "armed_assault"
    assert incident.suicide is False


def test_extract_dates_the_attack_not_the_condemnation(extractor):
    text = (
        "ISLAMABAD: Pakistan on Thursday condemned the killing of three Chinese workers in an "
        "attack in Tajikistan near the Afghan border, the foreign office said."
    )
    incident = only(
        extractor.extract(article(text, published=dt.date(2025, 11, 28), dateline="ISLAMABAD"))
    )
    assert incident.date is None
    assert incident.location.country == "TJ"
    assert {v.nationality: v.count for v in incident.victims} == {"CN": 3}


def test_extract_ignores_capitals_that_act_and_the_dateline(extractor):
    text = (
        "BEIJING: Beijing urged Islamabad to protect its citizens after a bomb exploded "
        "near a bus carrying Chinese workers in Gwadar on Monday, killing two of them."
    )
    incident = only(
        extractor.extract(article(text, published=dt.date(2026, 1, 14), dateline="BEIJING"))
    )
    assert incident.location.place == "Gwadar"


def test_extract_does_not_adopt_a_groups_own_figure(extractor):
    text = (
        "Militants attacked a police post in Tank district, killing three constables. "
        "The TTP claimed the attack, saying its fighters had killed 15 policemen."
    )
    incident = only(extractor.extract(article(text)))
    assert incident.fatalities.best == 3
    assert incident.perpetrator.claimed_by == "TTP"


def test_extract_a_negated_claim_is_no_claim(extractor):
    text = "A roadside bomb killed four soldiers in North Waziristan. No group has claimed it."
    incident = only(extractor.extract(article(text)))
    assert incident.perpetrator is None or incident.perpetrator.claimed_by is None


def test_extract_a_background_mention_is_its_own_incident(extractor):
    text = (
        "Gunmen killed a Chinese engineer in Takhar province on Tuesday. It was the second "
        "attack on Chinese nationals; the first attack, in 2022, targeted a hotel in Kabul."
    )
    incidents = incidents_of(extractor.extract(article(text, published=dt.date(2025, 1, 10))))
    roles = sorted(i.sources[0].role for i in incidents)
    assert roles == ["mention", "report"]
    mention = next(i for i in incidents if i.sources[0].role == "mention")
    assert mention.date.value == "2022"
    assert mention.location.place == "Kabul"


@pytest.mark.parametrize(
    "text",
    [
        "Pakistan and Afghanistan agreed on Monday to cut duties on fresh fruit traded "
        "through Torkham, officials said.",
        "Terrorist violence rose by 40 percent in the third quarter, with 722 deaths "
        "recorded across the country, a think tank said.",
        "Police arrested nine suspects in connection with last year's bombing in Quetta.",
        "A surge in suicide attacks has strained relations between the two countries.",
    ],
)
def test_extract_finds_no_incident_where_none_is_reported(extractor, text):
    assert incidents_of(extractor.extract(article(text, published=dt.date(2026, 2, 1)))) == []


def test_extract_records_who_ran_and_with_what(extractor):
    assert extractor.info.name == "blank_en"
    assert extractor.info.statistical is False


def test_extract_runs_with_the_statistical_model_when_installed():
    _, info = load_nlp("auto")
    if not info.statistical:
        pytest.skip("no spaCy model installed")
    extractor = Extractor(ExtractOptions(model="auto"), today=TODAY)
    text = "A bomb exploded at a market in Quetta on Friday, killing six people."
    incident = only(extractor.extract(article(text, published=dt.date(2026, 5, 9))))
    assert (incident.location.place, incident.fatalities.best) == ("Quetta", 6)


@pytest.mark.parametrize(
    "text",
    [
        "SHARJAH: Afghanistan's spin attack ripped through Pakistan's middle order on Friday.",
        "Asked whether Pakistan was considering strikes on militant hideouts inside "
        "Afghanistan, the spokeswoman declined to answer.",
    ],
)
def test_extract_sport_and_hypotheticals_are_no_incidents(extractor, text):
    assert incidents_of(extractor.extract(article(text, published=dt.date(2026, 2, 14)))) == []


def test_extract_an_attack_weeks_earlier_is_a_separate_mention(extractor):
    text = (
        "Militants attacked a police checkpoint near Dera Ismail Khan on Sunday, killing four "
        "policemen. In May, three policemen were killed in an attack on a police station in "
        "the Domel area of Bannu."
    )
    incidents = incidents_of(extractor.extract(article(text, published=dt.date(2025, 9, 15))))
    by_role = {i.sources[0].role: i for i in incidents}
    assert by_role["report"].fatalities.best == 4
    assert by_role["mention"].date.value == "2025-05"
    assert by_role["mention"].location.admin2 == "Bannu"


def test_extract_a_name_inside_a_longer_name_is_not_that_place(extractor):
    text = (
        "Gunmen killed two guards at a checkpoint in Dera Ismail Khan on Monday. Police said "
        "the attackers had used hideouts in the Sheikh Badin hills."
    )
    incident = only(extractor.extract(article(text, published=dt.date(2025, 9, 16))))
    assert incident.location.admin1 == "Khyber Pakhtunkhwa"


def test_extract_a_claim_by_a_group_the_dictionary_lacks_is_kept(extractor):
    text = (
        "A suicide bomber killed 12 soldiers at a camp in Bannu on Monday. Jaish al-Fursan, "
        "a little-known group, claimed responsibility on Telegram."
    )
    incident = only(extractor.extract(article(text, published=dt.date(2026, 3, 3))))
    assert incident.perpetrator.claimed_by == "Jaish al-Fursan"


@pytest.mark.parametrize(
    ("text", "target"),
    [
        # where the blast went off is what it hit
        (
            "At least six people were killed in an explosion at a wedding party in Zhob on Sunday.",
            "a wedding party",
        ),
        (
            "A blast took place inside the district courts complex in Mardan on Monday, "
            "killing three lawyers.",
            "the district courts complex",
        ),
        # a time is not a site
        ("A blast on the same night killed four people in Kohat.", None),
        # a passive after a dateline's colon
        (
            "TANK: A police patrol came under fire near the bazaar, leaving two constables dead.",
            "A police patrol",
        ),
        # "the abducted men" is no act of abduction
        (
            "Gunmen killed two guards in Kalat on Monday. Hours later, videos of the "
            "abducted men appeared online.",
            "guards",
        ),
        # "the town of X" is where, not whom
        ("Rockets hit the town of Chaman on Monday, killing two people.", None),
    ],
)
def test_the_target_is_what_the_attack_hit(extractor, text, target):
    incident = only(extractor.extract(article(text, published=dt.date(2026, 3, 5))))
    assert incident.target == target


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("Gunmen killed four Levies soldiers near Mastung on Monday.", "Levies soldiers"),
        (
            "Three Iranian border guards were shot dead near Mirjaveh on Monday.",
            "Iranian border guards",
        ),
        # people in general are no target
        ("Gunmen killed four people near Mastung on Monday.", None),
    ],
)
def test_with_nothing_attacked_named_the_dead_are_the_target(extractor, text, target):
    incident = only(extractor.extract(article(text, published=dt.date(2026, 3, 5))))
    assert incident.target == target


def test_pipe_streams_many_batches_in_order_with_each_articles_own_records():
    """One nlp.pipe reads the whole stream a batch at a time: every article gets its own
    records, in order, as extracting it alone gives them."""
    streaming = Extractor(ExtractOptions(model="blank", batch_size=2), today=TODAY)
    texts = [
        f"A roadside bomb killed {n} soldiers in Quetta on Monday, police said."
        for n in ("two", "three", "four", "five", "six")
    ]
    articles = [article(text, published=dt.date(2025, 3, 5)) for text in texts]
    piped = list(streaming.pipe(iter(articles)))
    assert len(piped) == 5
    assert [only(records).fatalities.best for records in piped] == [2, 3, 4, 5, 6]
    assert piped == [streaming.extract(a) for a in articles]
