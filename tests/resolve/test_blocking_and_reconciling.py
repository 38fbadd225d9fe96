"""Each blocking, scoring and reconciliation rule of resolution, on invented accounts."""

import datetime as dt

from khabar.extract.actors import load_actors
from khabar.records import (
    Allegation,
    Count,
    DateSpan,
    Incident,
    Location,
    Perpetrator,
    SourceRef,
    VictimGroup,
)
from khabar.resolve import best_supported, review_reasons, run, target_is_valid

KP = "Khyber Pakhtunkhwa"
TANK_TOWN = Location(
    country="PK", admin1=KP, admin2="Tank", place="Tank", lat=32.2, lon=70.4, precision="place"
)
GOMAL = Location(
    country="PK", admin1=KP, admin2="Tank", place="Gomal Bazaar", lat=32.1, lon=70.3,
    precision="place",
)  # fmt: skip
KP_ONLY = Location(country="PK", admin1=KP, precision="admin1")
TANK_DISTRICT = Location(country="PK", admin1=KP, admin2="Tank", precision="admin2")
# A town named like its province: the text may mean either.
HERAT_TOWN = Location(
    country="AF", admin1="Herat", admin2="Herat", place="Herat", lat=34.3, lon=62.2,
    precision="place",
)  # fmt: skip
GUZARA = Location(
    country="AF", admin1="Herat", admin2="Guzara", place="Guzara", lat=34.2, lon=62.2,
    precision="place",
)  # fmt: skip
UPPER_KURRAM = Location(
    country="PK", admin1=KP, admin2="Upper Kurram", place="Parachinar", precision="place"
)
KURRAM = Location(country="PK", admin1=KP, admin2="Kurram", precision="admin2")


def day(value):
    date = dt.date.fromisoformat(value)
    return DateSpan(value=value, precision="day", earliest=date, latest=date)


def year(value):
    return DateSpan(
        value=value,
        precision="year",
        earliest=dt.date(int(value), 1, 1),
        latest=dt.date(int(value), 12, 31),
    )


def account(
    n,
    *,
    where=TANK_TOWN,
    date=None,
    kind="bombing",
    killed=None,
    role="report",
    victims=(),
    claimed=None,
    alleged=(),
    target=None,
):
    return Incident(
        id=f"m-{n}",
        event_type=kind,
        date=date,
        location=where,
        fatalities=Count(low=killed, best=killed, high=killed) if killed is not None else None,
        victims=tuple(VictimGroup(nationality=c, count=k) for c, k in victims),
        perpetrator=Perpetrator(
            claimed_by=claimed, alleged=tuple(Allegation(actor=a) for a in alleged)
        )
        if claimed or alleged
        else None,
        target=target,
        sources=(SourceRef(article_id=f"a{n}", file=f"a{n}.md", role=role),),
    )


def groups(decisions):
    found = {}
    for decision in decisions:
        found.setdefault(decision.event_id, set()).add(decision.mention_id)
    return sorted(sorted(g) for g in found.values())


# -- blocking ---------------------------------------------------------------------------


def test_an_undated_account_with_a_province_only_meets_events_of_its_publication_days():
    dated = account(1, where=TANK_DISTRICT, date=day("2024-05-06"), killed=4)
    undated = account(2, where=KP_ONLY, killed=4)  # no date, the province alone
    _, decisions = run([(dated, dt.date(2024, 5, 6)), (undated, dt.date(2024, 5, 8))])
    assert groups(decisions) == [["m-1", "m-2"]]
    assert "dates within publication" in decisions[1].reason


def test_an_undated_account_meets_by_victims_nationality_across_an_unsure_province():
    dated = account(1, where=GUZARA, date=day("2024-05-06"), victims=(("CN", 2),), killed=2)
    other = account(2, where=HERAT_TOWN, victims=(("CN", 2),), killed=2)
    _, decisions = run([(dated, None), (other, dt.date(2024, 5, 7))])
    assert groups(decisions) == [["m-1", "m-2"]]


def test_an_undated_report_never_joins_an_event_after_its_publication_or_long_before():
    later = account(1, date=day("2024-05-20"), killed=3)
    long_before = account(2, date=day("2024-03-01"), killed=3)
    undated = account(3, killed=3)
    _, decisions = run([(later, None), (long_before, None), (undated, dt.date(2024, 5, 10))])
    assert groups(decisions) == [["m-1"], ["m-2"], ["m-3"]]


def test_the_accounts_own_date_outranks_a_wrong_publication_date():
    first = account(1, date=day("2024-05-06"), killed=3)
    # A feed dated the follow-up a month late; the text fixes the day itself.
    late = account(2, date=day("2024-05-06"), killed=3)
    _, decisions = run([(first, dt.date(2024, 5, 6)), (late, dt.date(2024, 6, 9))])
    assert groups(decisions) == [["m-1", "m-2"]]


def test_an_undated_account_with_no_publication_date_is_compared_by_province():
    dated = account(1, where=GUZARA, date=day("2024-05-06"), killed=6)
    unsure = account(2, where=HERAT_TOWN, killed=6)  # a town named like its province
    _, decisions = run([(unsure, None), (dated, None)])
    assert groups(decisions) == [["m-1", "m-2"]]


def test_a_town_named_like_its_province_is_a_penalty_not_a_veto():
    one = account(1, where=GUZARA, date=day("2024-05-06"), killed=6)
    unsure = account(2, where=HERAT_TOWN, date=day("2024-05-06"), killed=6)
    _, decisions = run([(one, None), (unsure, None)])
    assert groups(decisions) == [["m-1", "m-2"]]
    # Two sure towns of one district on one day stay apart when nothing else agrees.
    far = Location(
        country="AF", admin1="Herat", admin2="Guzara", place="Nawabad", precision="place"
    )
    apart = account(3, where=far, date=day("2024-05-06"), kind="kidnapping")
    _, decisions = run([(one, None), (apart, None)])
    assert len(groups(decisions)) == 2


def test_a_district_and_the_part_it_was_split_into_are_one():
    one = account(1, where=UPPER_KURRAM, date=day("2024-05-06"), killed=5)
    other = account(2, where=KURRAM, date=day("2024-05-06"), killed=5)
    _, decisions = run([(one, None), (other, None)])
    assert groups(decisions) == [["m-1", "m-2"]]
    assert "nested places" in decisions[1].reason


def test_ties_go_to_the_nearest_date():
    monday = account(1, where=TANK_DISTRICT, date=day("2024-05-06"), killed=2)
    wednesday = account(2, where=TANK_DISTRICT, date=day("2024-05-08"), kind="kidnapping")
    # Dated only by its publication: both events are within its window, equally alike.
    report = account(3, where=KP_ONLY, date=day("2024-05-08"), kind="kidnapping", role="mention")
    _, decisions = run([(monday, None), (wednesday, None), (report, None)])
    assert decisions[2].event_id == decisions[1].event_id


# -- passing mentions ---------------------------------------------------------------------


def test_a_mention_joins_by_year_place_and_victims_without_the_type_penalty():
    report = account(1, date=day("2022-08-14"), kind="bombing", victims=(("CN", 3),), killed=3)
    mention = account(
        2, date=year("2022"), kind="armed_assault", role="mention", victims=(("CN", 3),)
    )
    events, decisions = run([(report, dt.date(2022, 8, 14)), (mention, dt.date(2025, 1, 3))])
    assert groups(decisions) == [["m-1", "m-2"]]
    assert "another kind" not in decisions[1].reason
    assert events[0].status == "reported"


def test_a_mention_that_joins_nothing_is_a_mentioned_event_until_a_report_upgrades_it():
    mention = account(1, date=year("2021"), role="mention", killed=9)
    events, _ = run([(mention, dt.date(2024, 2, 1))])
    assert [e.status for e in events] == ["mentioned"]
    assert "known only from passing mentions" in events[0].review
    report = account(2, date=day("2021-07-14"), killed=9)
    events, _ = run([(mention, dt.date(2024, 2, 1)), (report, dt.date(2021, 7, 14))])
    assert [e.status for e in events] == ["reported"]
    assert events[0].review == ()


# -- reconciliation ------------------------------------------------------------------------


def test_date_place_and_type_come_from_reports_before_mentions_and_by_majority():
    items = [
        (account(1, date=day("2024-05-06"), where=GOMAL, killed=4), dt.date(2024, 5, 6)),
        (account(2, date=day("2024-05-06"), where=GOMAL, killed=4), dt.date(2024, 5, 7)),
        (account(3, date=day("2024-05-07"), where=TANK_TOWN, killed=4), dt.date(2024, 5, 7)),
        # A briefing that recalls the attack with another day does not date it.
        (account(4, date=day("2024-05-05"), role="mention", kind="armed_assault"), None),
    ]
    (event,), _ = run(items)
    assert event.date.value == "2024-05-06"
    assert event.location.place == "Gomal Bazaar"
    assert event.event_type == "bombing"


def test_the_best_toll_is_the_best_supported_figure_among_reports():
    when = dt.date(2024, 5, 6)
    # Two reports back 12; the latest, 40, has no second report: it never becomes best.
    assert best_supported([(12, 12, 12, when), (12, 12, 12, when), (40, 40, 40, when)]) == 12
    later = dt.date(2024, 5, 9)
    # The latest figure stands when a second report backs it (tolls grow).
    assert best_supported([(8, 8, 8, when), (15, 15, 15, later), (15, 15, 15, when)]) == 15
    # None backed: the lower middle figure.
    assert best_supported([(5, 5, 5, when), (31, 31, 31, later)]) == 5


def test_low_and_high_keep_the_reports_spread_and_mentions_do_not_set_the_toll():
    items = [
        (account(1, date=day("2024-05-06"), killed=6), dt.date(2024, 5, 6)),
        (account(2, date=day("2024-05-06"), killed=6), dt.date(2024, 5, 7)),
        (account(3, date=day("2024-05-06"), killed=9), dt.date(2024, 5, 8)),
        (account(4, date=day("2024-05-06"), killed=50, role="mention"), dt.date(2024, 6, 1)),
    ]
    (event,), _ = run(items)
    assert (event.fatalities.low, event.fatalities.best, event.fatalities.high) == (6, 6, 9)


def test_victims_counts_are_best_supported_too():
    items = [
        (account(1, date=day("2024-05-06"), killed=3, victims=(("CN", 2),)), None),
        (account(2, date=day("2024-05-06"), killed=3, victims=(("CN", 2),)), None),
        (account(3, date=day("2024-05-06"), killed=3, victims=(("CN", 9),)), None),
    ]
    (event,), _ = run(items)
    assert [(v.nationality, v.count) for v in event.victims] == [("CN", 2)]


def test_an_accused_naming_foreign_victims_country_is_dropped():
    items = [
        (
            account(
                1,
                date=day("2024-05-06"),
                killed=3,
                victims=(("CN", 2),),
                alleged=("militants from China", "TTP"),
            ),
            None,
        )
    ]
    (event,), _ = run(items, actors=load_actors())
    assert [a.actor for a in event.perpetrator.alleged] == ["TTP"]


def test_targets_that_are_times_or_place_names_are_not_chosen():
    assert not target_is_valid("on Sunday evening", TANK_TOWN)
    assert not target_is_valid("the border town of Tank", TANK_TOWN)
    assert not target_is_valid("of a suicide explosion", TANK_TOWN)
    assert target_is_valid("a police van", TANK_TOWN)
    assert target_is_valid("near the town's main bazaar", TANK_TOWN)
    items = [
        (account(1, date=day("2024-05-06"), killed=3, target="on Sunday evening"), None),
        (account(2, date=day("2024-05-06"), killed=3, target="a police van"), None),
    ]
    (event,), _ = run(items)
    assert event.target == "a police van"


# -- review reasons -----------------------------------------------------------------------


def test_review_flags_each_contradiction_and_is_empty_when_clean():
    actors = load_actors()
    clean = account(1, date=day("2024-05-06"), killed=3, victims=(("CN", 2),), target="a van")
    assert review_reasons(clean, [clean], actors=actors) == ()
    too_many = clean.model_copy(update={"victims": (VictimGroup(nationality="CN", count=9),)})
    assert "more than the 3 killed" in review_reasons(too_many, [too_many])[0]
    bad_target = clean.model_copy(update={"target": "on Sunday evening"})
    assert "names no people or things" in review_reasons(bad_target, [bad_target])[0]
    own_state = clean.model_copy(
        update={"perpetrator": Perpetrator(alleged=(Allegation(actor="China"),))}
    )
    assert "victims' own state" in review_reasons(own_state, [own_state], actors=actors)[0]
    unknown = clean.model_copy(update={"perpetrator": Perpetrator(claimed_by="Zqxw Front")})
    assert "not a known actor" in review_reasons(unknown, [unknown], actors=actors)[0]
    other_day = account(2, date=day("2024-05-09"), kind="armed_assault")
    reasons = review_reasons(clean, [clean, other_day])
    assert any("disagree on the day" in r for r in reasons)
    assert any("disagree on the kind" in r for r in reasons)
    assert any("days" in r for r in review_reasons(clean, [clean, other_day], by_hand=True))
    far_toll = account(3, date=day("2024-05-06"), killed=40)
    assert review_reasons(clean, [clean, far_toll]) == (
        "reports disagree on the toll: 3 to 40 killed",
    )
    near_toll = account(4, date=day("2024-05-06"), killed=5)
    assert review_reasons(clean, [clean, near_toll]) == ()


def test_a_bombing_and_an_armed_assault_weigh_less_apart_than_other_kinds():
    # A complex attack (a bomb, then gunmen) is typed differently by two outlets.
    bomb = account(1, where=GOMAL, date=day("2024-05-06"), kind="bombing", killed=7)
    assault = account(2, where=TANK_DISTRICT, kind="armed_assault")
    events, decisions = run([(assault, dt.date(2024, 5, 7)), (bomb, None)])
    assert groups(decisions) == [["m-1", "m-2"]]
    assert "another kind of attack" in decisions[1].reason
    # One report each: the explosive type wins the tie, and the disagreement is flagged.
    assert events[0].event_type == "bombing"
    assert any("kind of attack" in r for r in events[0].review)
    # A kidnapping is another act altogether.
    taken = account(3, where=TANK_DISTRICT, kind="kidnapping")
    _, decisions = run([(bomb, None), (taken, dt.date(2024, 5, 7))])
    assert len(groups(decisions)) == 2


def test_one_articles_accounts_are_never_one_event():
    # A round-up tells two attacks in one district on one day; extraction split them.
    first = account(1, where=GOMAL, date=day("2024-05-06"), killed=4)
    second = account(2, where=TANK_TOWN, date=day("2024-05-06"), killed=4)
    second = second.model_copy(update={"sources": first.sources, "id": "m-2"})
    _, decisions = run([(first, None), (second, None)])
    assert len(groups(decisions)) == 2
    # Another outlet's account of the first still joins it.
    third = account(3, where=GOMAL, date=day("2024-05-06"), killed=4)
    _, decisions = run([(first, None), (second, None), (third, None)])
    assert decisions[2].event_id == decisions[0].event_id
