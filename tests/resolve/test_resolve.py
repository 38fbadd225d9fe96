import datetime as dt

from khabar.extract.actors import load_actors
from khabar.records import (
    Count,
    DateSpan,
    Incident,
    Location,
    Perpetrator,
    SourceRef,
    VictimGroup,
)
from khabar.resolve import Override, ResolveOptions, Resolver, run

BESHAM = Location(
    country="PK",
    admin1="Khyber Pakhtunkhwa",
    admin2="Shangla",
    place="Besham",
    lat=34.92,
    lon=72.88,
    precision="place",
)
SHANGLA = Location(
    country="PK",
    admin1="Khyber Pakhtunkhwa",
    admin2="Shangla",
    lat=34.88,
    lon=72.65,
    precision="admin2",
)
QUETTA = Location(
    country="PK",
    admin1="Balochistan",
    admin2="Quetta",
    place="Quetta",
    lat=30.18,
    lon=67.0,
    precision="place",
)


def day(value):
    date = dt.date.fromisoformat(value)
    return DateSpan(value=value, precision="day", earliest=date, latest=date)


def mention(
    n,
    *,
    location=BESHAM,
    date="2024-03-26",
    kind="bombing",
    killed=6,
    role="report",
    claimed=None,
    victims=(("CN", 5),),
):
    return Incident(
        id=f"inc-{n}",
        event_type=kind,
        date=day(date) if date else None,
        location=location,
        fatalities=Count(low=killed, best=killed, high=killed) if killed else None,
        victims=tuple(VictimGroup(nationality=c, count=k) for c, k in victims),
        perpetrator=Perpetrator(claimed_by=claimed) if claimed else None,
        sources=(SourceRef(article_id=f"a{n}", file=f"a{n}.txt", role=role),),
    )


def partition(decisions):
    groups = {}
    for decision in decisions:
        groups.setdefault(decision.event_id, set()).add(decision.mention_id)
    return sorted(sorted(g) for g in groups.values())


def test_resolve_merges_reports_of_one_attack_and_reconciles_values():
    events, decisions = run(
        [
            (mention(1, killed=5), dt.date(2024, 3, 26)),
            (mention(2, location=SHANGLA, killed=6), dt.date(2024, 3, 27)),
            (mention(3, killed=5, role="mention", date=None), dt.date(2024, 5, 30)),
        ]
    )
    (event,) = events
    assert partition(decisions) == [["inc-1", "inc-2", "inc-3"]]
    assert event.location.place == "Besham"  # the most precise place none contradicts
    assert (event.fatalities.low, event.fatalities.best, event.fatalities.high) == (5, 6, 6)
    assert {s.article_id for s in event.sources} == {"a1", "a2", "a3"}
    assert "same place" in decisions[2].reason or "nested" in decisions[1].reason


def test_resolve_keeps_two_attacks_in_one_city_in_one_week_apart():
    events, _ = run(
        [
            (
                mention(
                    1,
                    location=QUETTA,
                    date="2025-09-14",
                    kind="armed_assault",
                    killed=4,
                    victims=(),
                ),
                None,
            ),
            (
                mention(
                    2, location=QUETTA, date="2025-09-18", kind="bombing", killed=3, victims=()
                ),
                None,
            ),
        ]
    )
    assert len(events) == 2


def test_resolve_another_claimant_weighs_against_but_a_branch_is_its_group():
    one = mention(1, claimed="ISKP")
    # A day apart in one district, other tolls, another group: two attacks.
    other = mention(2, claimed="TTP", location=SHANGLA, date="2024-03-27", killed=1, victims=())
    assert len(run([(one, None), (other, None)])[0]) == 2
    # The same day, place and toll told by an outlet that names another group: one
    # attack (outlets attribute differently); the decision says so.
    same = mention(3, claimed="TTP")
    events, decisions = run([(one, None), (same, None)])
    assert len(events) == 1
    assert "claimed by another group (TTP)" in decisions[1].reason
    branch = mention(4, claimed="Islamic State")
    events, decisions = run([(one, None), (branch, None)], actors=load_actors())
    assert len(events) == 1
    assert "same claim" in decisions[1].reason


def test_resolve_an_undated_mention_meets_its_event_by_place():
    events, _ = run(
        [
            (mention(1), None),
            (mention(2, date=None, role="mention", killed=None), None),
        ]
    )
    assert len(events) == 1
    assert [s.role for s in events[0].sources] == ["report", "mention"]


def test_resolve_an_event_known_only_from_mentions_is_upgraded_by_a_report():
    events, _ = run(
        [
            (mention(1, role="mention", killed=None), None),
            (mention(2), None),
        ]
    )
    (event,) = events
    assert {s.role for s in event.sources} == {"mention", "report"}
    assert event.fatalities.best == 6


def test_resolve_overrides_merge_and_split_by_hand():
    far = mention(2, location=QUETTA)
    assert len(run([(mention(1), None), (far, None)])[0]) == 2
    together = [Override("inc-1", "inc-2", "together")]
    assert len(run([(mention(1), None), (far, None)], overrides=together)[0]) == 1
    apart = [Override("inc-1", "inc-2", "apart")]
    assert len(run([(mention(1), None), (mention(2), None)], overrides=apart)[0]) == 2


def test_resolve_replaying_decisions_equals_deciding_again():
    items = [(mention(n, killed=5 + n % 2), None) for n in range(6)]
    items.append((mention(9, location=QUETTA), None))
    _, first = run(items)
    resolver = Resolver(ResolveOptions())
    for (item, published), decision in zip(items, first, strict=True):
        resolver.add(item, published, known=decision)
    assert partition(resolver.decisions) == partition(first)


def test_resolve_an_outlying_latest_toll_does_not_become_the_best():
    items = [(mention(n, killed=k), dt.date(2024, 3, 26 + n)) for n, k in enumerate([3, 3, 3])]
    items.append((mention(9, killed=9), dt.date(2024, 4, 20)))
    (event,), _ = run(items)
    assert (event.fatalities.low, event.fatalities.best, event.fatalities.high) == (3, 3, 9)
