"""Claims of responsibility worded in other ways. Every article here is invented."""

import datetime as dt

import pytest

from khabar.extract import ExtractOptions, Extractor
from khabar.extract.perpetrators import passive_claimant
from khabar.ingest import fingerprint
from khabar.records import Article


@pytest.fixture(scope="module")
def extractor():
    return Extractor(ExtractOptions(model="blank"), today=dt.date(2026, 11, 22))


def claimant(extractor, text):
    art = Article(id=fingerprint(text), text=text, published=dt.date(2026, 5, 13), file="a.txt")
    found = [r for r in extractor.extract(art) if r.kind == "incident"]
    assert len(found) == 1
    return found[0].perpetrator.claimed_by if found[0].perpetrator else None


def test_a_passive_claim_names_its_agent_after_by(extractor):
    text = (
        "A bomb exploded at a police checkpoint in Kalat on Monday, killing three policemen.\n"
        "Responsibility for the bombing has been claimed by the LeJ, police said."
    )
    assert claimant(extractor, text) == "LeJ"


def test_an_unknown_group_after_by_is_kept_without_its_group_noun(extractor):
    text = (
        "A bomb exploded at a police checkpoint in Kalat on Monday, killing three policemen.\n"
        "Monday's bombing was claimed by the Harkat al-Nasr group, though officials doubted it."
    )
    assert claimant(extractor, text) == "Harkat al-Nasr"


def test_taking_responsibility_is_a_claim(extractor):
    text = (
        "Gunmen abducted four engineers in Khyber district on Monday.\n"
        "The TTP has taken responsibility for the abduction in a video."
    )
    assert claimant(extractor, text) == "TTP"


def test_a_passive_claim_by_nobody_named_gives_nothing():
    assert passive_claimant(" officials, who doubted it.") is None
    assert passive_claimant(" the Harkat al-Nasr (HAN) outfit.") == "Harkat al-Nasr"


@pytest.mark.parametrize(
    "sentence",
    [
        "Militants rammed an explosive laden truck into a police post in Zhob on Monday, "
        "killing five policemen.",
        "An attacker detonated himself at the gate of a court in Zhob on Monday, killing "
        "five people.",
        "A bomber set off his explosives-laden jacket at a market in Zhob on Monday, killing "
        "five people.",
    ],
)
def test_a_bomber_who_dies_in_his_own_blast_is_a_suicide_attack(extractor, sentence):
    art = Article(
        id=fingerprint(sentence), text=sentence, published=dt.date(2026, 5, 13), file="a.txt"
    )
    found = [r for r in extractor.extract(art) if r.kind == "incident"]
    assert [r.suicide for r in found] == [True]


def test_a_groups_spokesman_saying_we_did_it_claims_it(extractor):
    text = (
        "Militants attacked two border posts in Bajaur on Monday, killing three soldiers.\n"
        "“We attacked the posts at dawn and took their weapons,” a TTP spokesman said."
    )
    assert claimant(extractor, text) == "TTP"


def test_an_army_spokesman_saying_we_killed_them_claims_nothing(extractor):
    text = (
        "Militants attacked two border posts in Bajaur on Monday, killing three soldiers.\n"
        "“We killed four of the attackers,” an army spokesman said."
    )
    assert claimant(extractor, text) is None


def test_a_claim_by_an_unnamed_group_of_a_family_names_no_group(extractor):
    text = (
        "A bomb exploded at a police checkpoint in Kalat on Monday, killing three policemen, "
        "and an Islamic State faction later claimed the bombing."
    )
    assert claimant(extractor, text) is None


def test_claiming_that_its_fighters_attacked_is_a_claim(extractor):
    text = (
        "Militants attacked an army camp in Zhob on Monday, killing two soldiers.\n"
        "A BLA spokesman has claimed that its fighters stormed the camp at dawn."
    )
    assert claimant(extractor, text) == "BLA"
