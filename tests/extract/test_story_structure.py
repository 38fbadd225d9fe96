"""The news of the theatre beyond a single attack: round-ups, state strikes, follow-ups,
recalled attacks and stories with no attack at all. Every article here is invented."""

import datetime as dt

import pytest

from khabar.extract import ExtractOptions, Extractor
from khabar.ingest import fingerprint
from khabar.records import Article

TODAY = dt.date(2026, 11, 22)


@pytest.fixture(scope="module")
def extractor():
    return Extractor(ExtractOptions(model="blank"), today=TODAY)


def article(text, *, published=None, url=None):
    return Article(id=fingerprint(text), text=text, published=published, url=url, file="a.txt")


def incidents(extractor, text, **meta):
    return [r for r in extractor.extract(article(text, **meta)) if r.kind == "incident"]


def reports(extractor, text, **meta):
    return [i for i in incidents(extractor, text, **meta) if i.sources[0].role == "report"]


def test_a_round_up_gives_one_incident_per_attack_and_no_combined_toll(extractor):
    text = (
        "Gunmen ambushed a police patrol near Turbat in Kech district on Monday, killing "
        "four policemen, officials said.\n"
        "In a separate attack on the same day, a roadside bomb struck an army van in Bannu, "
        "killing two soldiers and wounding five others.\n"
        "In all, six people died in the attacks."
    )
    found = reports(extractor, text, published=dt.date(2026, 5, 13))
    assert len(found) == 2
    ambush, blast = sorted(found, key=lambda i: i.location.admin1)
    assert (ambush.location.admin2, ambush.event_type) == ("Kech", "armed_assault")
    assert ambush.fatalities.best == 4
    assert ambush.date.value == "2026-05-11"
    assert (blast.location.admin2, blast.event_type) == ("Bannu", "bombing")
    assert (blast.fatalities.best, blast.injured.best) == (2, 5)
    assert blast.date.value == "2026-05-11"  # "on the same day": the lead's day
    assert all(i.fatalities.best != 6 for i in found)


def test_an_earlier_attack_of_the_same_day_is_dated_by_the_lead(extractor):
    text = (
        "A convoy of the Frontier Corps came under attack near Kalat on Friday, leaving "
        "seven soldiers dead.\n"
        "A bomb blast earlier in the day targeting a police van in Dera Ismail Khan killed "
        "three people and wounded nine."
    )
    found = reports(extractor, text, published=dt.date(2026, 6, 6))
    assert len(found) == 2
    van = next(i for i in found if i.location.admin2 == "Dera Ismail Khan")
    assert (van.fatalities.best, van.injured.best) == (3, 9)
    assert van.date.value == "2026-06-05"


def test_a_story_told_from_two_provinces_splits_at_the_other_province(extractor):
    text = (
        "Four soldiers were killed when militants attacked a checkpost in Zhob, "
        "Balochistan, on Sunday.\n"
        "Two policemen were killed in Lakki Marwat in Khyber Pakhtunkhwa when gunmen "
        "opened fire on their vehicle."
    )
    found = reports(extractor, text, published=dt.date(2026, 4, 20))
    assert sorted(i.location.admin1 for i in found) == ["Balochistan", "Khyber Pakhtunkhwa"]
    assert sorted(i.fatalities.best for i in found) == [2, 4]


def test_a_state_air_strike_is_an_incident_across_the_border(extractor):
    text = (
        "Pakistani warplanes bombed houses in Barmal district of Paktika province early on "
        "Tuesday, killing six civilians, a Taliban spokesman said."
    )
    strike = reports(extractor, text, published=dt.date(2026, 2, 4))[0]
    assert strike.event_type == "air_strike"
    assert strike.suicide is False
    assert strike.location.country == "AF"
    assert strike.fatalities.best == 6
    assert [a.actor for a in strike.perpetrator.alleged] == ["Pakistan"]


def test_a_state_that_announces_its_strike_claims_it(extractor):
    text = (
        "Pakistan said it carried out air strikes on militant hideouts in Kunar province "
        "of Afghanistan on Sunday, killing eight militants."
    )
    strike = incidents(extractor, text, published=dt.date(2026, 3, 2))[0]
    assert strike.event_type == "air_strike"
    assert strike.location.country == "AF"
    assert strike.perpetrator.claimed_by == "Pakistan"
    assert strike.fatalities is None  # militants killed are no victims


def test_fighting_between_two_armies_is_a_clash(extractor):
    text = (
        "Heavy fighting broke out between Afghan and Pakistani border forces in Kurram on "
        "Thursday, killing three soldiers."
    )
    clash = incidents(extractor, text, published=dt.date(2026, 8, 15))[0]
    assert clash.event_type == "clash"


def test_a_follow_up_is_dated_by_the_event_not_the_hearing(extractor):
    text = (
        "An anti-terrorism court in Quetta on Wednesday indicted three men over the suicide "
        "bombing at a rally in Mastung on 12 July 2025 that killed 20 people."
    )
    found = incidents(extractor, text, published=dt.date(2026, 1, 15))
    assert len(found) == 1
    assert found[0].date.value == "2025-07-12"
    assert found[0].fatalities.best == 20


def test_a_recalled_attack_lends_no_toll_or_date(extractor):
    text = (
        "Gunmen shot dead three guards at a bank in Kunduz on Tuesday, police said.\n"
        "The bank was hit before in a 2021 bombing that killed 12 people."
    )
    found = incidents(extractor, text, published=dt.date(2026, 9, 10))
    report = next(i for i in found if i.sources[0].role == "report")
    assert report.fatalities.best == 3
    assert report.date.value == "2026-09-08"
    recalled = [i for i in found if i is not report]
    assert [i.sources[0].role for i in recalled] == ["mention"]
    assert recalled[0].fatalities.best == 12


def test_a_threat_a_plan_or_a_deadline_is_no_event(extractor):
    text = (
        "The TTP threatened to attack government offices in Peshawar unless its demands "
        "were met by Friday.\n"
        "Officials said militants were planning to target polling stations in Bajaur."
    )
    assert incidents(extractor, text, published=dt.date(2026, 9, 10)) == []


def test_a_statistics_piece_reports_no_single_attack(extractor):
    text = (
        "Militants carried out 27 attacks in Khyber Pakhtunkhwa in June, a think tank said "
        "in its monthly security report.\n"
        "The attacks killed 21 people, while 18 people were injured.\n"
        "Militants also kidnapped five people in the province."
    )
    assert incidents(extractor, text, published=dt.date(2026, 7, 2)) == []


def test_a_disaster_toll_is_no_attack(extractor):
    text = (
        "Rescue teams reached villages in Paktika after an earthquake that struck at night, "
        "killing more than 900 people."
    )
    assert incidents(extractor, text, published=dt.date(2026, 7, 2)) == []


def test_a_partys_own_count_is_relayed_not_adopted(extractor):
    text = (
        "Militants attacked two border posts in Chitral on Wednesday. Officials said four "
        "soldiers were killed.\n"
        '"We killed twenty soldiers," a TTP spokesman said.'
    )
    incident = reports(extractor, text, published=dt.date(2026, 9, 10))[0]
    assert incident.fatalities.best == 4


def test_the_lead_decides_the_type_hijacking_is_not_outvoted_by_hostages(extractor):
    text = (
        "Gunmen hijacked a passenger train in Bolan district on Tuesday.\n"
        "The attackers took about 100 passengers hostage and seized weapons and grenades."
    )
    incident = reports(extractor, text, published=dt.date(2026, 3, 12))[0]
    assert incident.event_type == "hijacking"


def test_an_islamic_state_claim_in_the_theatre_is_iskp(extractor):
    text = (
        "A suicide bomber blew himself up at a mosque in Kunduz on Friday, killing nine "
        "worshippers. The Islamic State group claimed responsibility."
    )
    incident = reports(extractor, text, published=dt.date(2026, 10, 10))[0]
    assert incident.perpetrator.claimed_by == "ISKP"


def test_groups_named_as_the_attackers_are_alleged(extractor):
    text = (
        "Militants belonging to the banned TTP stormed a police station in Tank on Monday, "
        "killing two policemen."
    )
    incident = reports(extractor, text, published=dt.date(2026, 10, 14))[0]
    assert [a.actor for a in incident.perpetrator.alleged] == ["TTP"]
    assert incident.perpetrator.claimed_by is None


def test_a_photo_caption_is_skipped(extractor):
    text = (
        "Relatives mourn at the site of the blast in Quetta on Sunday. (right) Police "
        "collect evidence. — AFP photo\n"
        "A bomb exploded in a market in Quetta on Saturday, killing five people."
    )
    incident = reports(extractor, text, published=dt.date(2026, 10, 12))[0]
    assert incident.date.value == "2026-10-10"


def test_the_night_of_two_days_is_the_first(extractor):
    text = (
        "Gunmen attacked a checkpost in Khyber district on the night of 11/12 October, "
        "killing two soldiers."
    )
    incident = reports(extractor, text, published=dt.date(2026, 10, 14))[0]
    assert incident.date.value == "2026-10-11"


def test_a_date_in_the_address_is_the_reference(extractor):
    text = "A roadside bomb killed three policemen in Bannu on Tuesday."
    url = "https://news.example/2026/03/05/bannu-blast.html"
    incident = reports(extractor, text, url=url)[0]
    assert incident.date.value == "2026-03-03"


def test_a_sponsor_the_story_names_is_alleged(extractor):
    text = (
        "A bomb ripped through a bus in Turbat on Monday, killing four passengers.\n"
        "The interior minister said Indian-backed terrorists had carried out the attack."
    )
    incident = reports(extractor, text, published=dt.date(2026, 4, 8))[0]
    assert "India" in [a.actor for a in incident.perpetrator.alleged]


def test_a_vague_lead_is_refined_by_its_means_not_by_hostages(extractor):
    hostages = (
        "Militants attacked two checkposts in Chitral on Wednesday, killing three soldiers.\n"
        "The attackers also took five soldiers hostage."
    )
    assert reports(extractor, hostages, published=dt.date(2026, 9, 10))[0].event_type == (
        "armed_assault"
    )
    means = (
        "Militants attacked a police station in Tank on Wednesday, killing three policemen.\n"
        "The explosion destroyed the building's gate."
    )
    assert reports(extractor, means, published=dt.date(2026, 9, 10))[0].event_type == "bombing"


def test_an_older_attack_named_in_passing_is_a_mention(extractor):
    text = (
        "Militants stormed a school in Bannu on Monday, killing four guards, in an assault "
        "that recalled the 2014 Army Public School Peshawar massacre."
    )
    found = incidents(extractor, text, published=dt.date(2026, 3, 4))
    report = next(i for i in found if i.sources[0].role == "report")
    assert (report.date.value, report.location.admin2) == ("2026-03-02", "Bannu")
    mention = next(i for i in found if i.sources[0].role == "mention")
    assert (mention.date.value, mention.location.place) == ("2014", "Peshawar")


def test_a_toll_after_a_several_attacks_sentence_is_their_combined_total(extractor):
    text = (
        "Militants carried out several attacks on police posts in Tank district overnight.\n"
        "They killed nine policemen in all, officials said on Tuesday."
    )
    found = incidents(extractor, text, published=dt.date(2026, 5, 13))
    assert all(i.fatalities is None or i.fatalities.best != 9 for i in found)


def test_a_toll_after_a_single_attack_sentence_stays_its_toll(extractor):
    text = (
        "Militants attacked a police post in Tank district overnight.\n"
        "They killed nine policemen, officials said on Tuesday."
    )
    found = incidents(extractor, text, published=dt.date(2026, 5, 13))
    assert [i.fatalities.best for i in found if i.fatalities] == [9]


def test_rockets_fired_across_a_border_are_a_reported_attack(extractor):
    text = (
        "Rockets hit a border town in the south of the country from across the river.\n"
        "Militants fired two 107 mm rockets at an army camp near Chaman on May 3, damaging "
        "a wall."
    )
    (incident,) = reports(extractor, text, published=dt.date(2026, 5, 4))
    assert (incident.event_type, incident.date.value) == ("other_attack", "2026-05-03")
    assert incident.suicide is False


def test_a_follow_ups_news_peg_does_not_date_the_attack(extractor):
    text = (
        "Police have registered a case over the abduction of nine road workers, it emerged "
        "on Friday. The workers were abducted near Kalat on Wednesday evening by armed men."
    )
    (incident,) = incidents(extractor, text, published=dt.date(2026, 5, 9))
    assert incident.date.value == "2026-05-06"


def test_two_attacks_in_one_sentence_are_two_incidents_and_their_toll_is_combined(extractor):
    text = (
        "Militants stormed a police station in Zhob on Tuesday, killing three policemen.\n"
        "Earlier, gunmen carried out several attacks across two provinces. They ambushed a "
        "convoy in Kech district and later bombed a police van in Tank. Officials said 11 "
        "soldiers were killed."
    )
    found = incidents(extractor, text, published=dt.date(2026, 5, 13))
    assert [i.location.admin2 for i in found] == ["Zhob", "Kech", "Tank"]
    assert [i.event_type for i in found] == ["armed_assault", "armed_assault", "bombing"]
    assert [i.fatalities.best if i.fatalities else None for i in found] == [3, None, None]


def test_one_attack_told_with_two_verbs_stays_one(extractor):
    text = (
        "Gunmen stormed a checkpost in Zhob on Tuesday and opened fire on the guards, "
        "killing two of them."
    )
    assert len(reports(extractor, text, published=dt.date(2026, 5, 13))) == 1


def test_an_assault_followed_by_blasts_is_one_attack(extractor):
    text = (
        "Militants stormed an army camp in Kohat on Tuesday, killing nine soldiers.\n"
        "The raid was followed by an explosion when one attacker blew himself up at the "
        "gate."
    )
    (incident,) = reports(extractor, text, published=dt.date(2026, 5, 13))
    assert incident.suicide is True


def test_a_separate_operation_with_its_own_toll_announces_no_next_attack(extractor):
    text = (
        "Militants stormed an army camp in Kohat on Tuesday, killing nine soldiers.\n"
        "Separately, an operation in Kohat claimed the lives of three troops.\n"
        "Later, the attackers rammed an explosives-laden car into the camp's gate."
    )
    found = reports(extractor, text, published=dt.date(2026, 5, 13))
    assert found[0].suicide is True  # the ramming is the Kohat attack's, not a new one


def test_would_be_suicide_bombers_make_no_suicide_attack(extractor):
    text = (
        "Gunmen and two would-be suicide bombers attacked a police post in Tank on "
        "Tuesday, officials said. Two policemen were killed."
    )
    (incident,) = reports(extractor, text, published=dt.date(2026, 5, 13))
    assert incident.suicide is False


def test_a_sponsor_named_after_backed_by_is_alleged(extractor):
    text = (
        "A blast killed six labourers in Kech on Monday. Officials blamed militants funded "
        "by India for the attack."
    )
    (incident,) = reports(extractor, text, published=dt.date(2026, 5, 13))
    assert "India" in [a.actor for a in incident.perpetrator.alleged]


def test_an_attack_foiled_after_it_struck_is_reported(extractor):
    text = (
        "The army said on Sunday it foiled an attack on an air base in Sargodha, which left "
        "two parked helicopters damaged."
    )
    found = incidents(extractor, text, published=dt.date(2026, 5, 13))
    assert [i.location.place for i in found] == ["Sargodha"]


def test_a_foiled_plot_is_no_attack(extractor):
    text = "Police said on Sunday they foiled a plot to attack an air base in Sargodha."
    assert incidents(extractor, text, published=dt.date(2026, 5, 13)) == []
