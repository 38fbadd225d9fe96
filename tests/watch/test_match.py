import pytest

from khabar.errors import UsageError
from khabar.extract.actors import load_actors
from khabar.records import (
    ActorRef,
    Allegation,
    Count,
    Incident,
    Location,
    Perpetrator,
    SpeakerRef,
    Statement,
    VictimGroup,
)
from khabar.watch import Matcher, Watchlist
from khabar.watch._match import distance_km

PATTAN = Location(
    country="PK",
    admin1="Khyber Pakhtunkhwa",
    admin2="Lower Kohistan",
    place="Pattan",
    lat=35.03,
    lon=72.94,
    precision="place",
)


def incident(**fields):
    values = dict(
        id="evt-1",
        event_type="bombing",
        location=PATTAN,
        fatalities=Count(low=4, best=4, high=4),
        victims=(VictimGroup(nationality="CN", count=3),),
        perpetrator=Perpetrator(claimed_by="TTP"),
    )
    values.update(fields)
    return Incident(**values)


def statement(source="Pakistan", target="Afghanistan", kind="ACCUSE"):
    return Statement(
        id="st-1",
        type=kind,
        source=SpeakerRef(name=source),
        target=ActorRef(name=target) if target else None,
    )


def matcher(**filters):
    return Matcher(Watchlist(name="w", notify=["desk"], **filters), load_actors())


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, True),
        ({"countries": ["PK"]}, True),
        ({"countries": ["AF", "TJ"]}, False),
        ({"admin1": ["khyber pakhtunkhwa"]}, True),
        ({"admin1": ["Balochistan"]}, False),
        ({"admin2": ["Lower Kohistan"]}, True),
        ({"admin2": ["Upper Kohistan"]}, False),
        ({"event_types": ["bombing", "drone_strike"]}, True),
        ({"event_types": ["kidnapping"]}, False),
        ({"victims": ["CN"]}, True),
        ({"victims": ["US"]}, False),
        ({"min_fatalities": 4}, True),
        ({"min_fatalities": 5}, False),
        ({"actors": ["Pakistani Taliban"]}, True),  # an alias of the claimant
        ({"actors": ["BLA"]}, False),
        ({"countries": ["PK"], "victims": ["US"]}, False),  # filters combine with AND
    ],
)
def test_incident_filters(filters, expected):
    assert matcher(**filters).matches(incident()) is expected


def test_radius_around_a_named_site():
    # Pattan to a site about 30 km north-east; a 20 km circle misses it, 40 km holds it.
    site = {"name": "camp", "lat": 35.25, "lon": 73.13}
    assert 25 < distance_km(35.03, 72.94, site["lat"], site["lon"]) < 35
    assert matcher(near=[site | {"km": 40}]).matches(incident())
    assert not matcher(near=[site | {"km": 20}]).matches(incident())


def test_radius_ignores_a_province_or_country_point():
    province = PATTAN.model_copy(update={"precision": "admin1", "place": None, "admin2": None})
    near = [{"name": "camp", "lat": 35.03, "lon": 72.94, "km": 5}]
    assert not matcher(near=near).matches(incident(location=province))


def test_actor_matches_an_allegation_and_a_branch_of_a_watched_group():
    alleged = incident(perpetrator=Perpetrator(alleged=(Allegation(actor="ISKP", by="Pakistan"),)))
    assert matcher(actors=["ISKP"]).matches(alleged)
    assert matcher(actors=["Islamic State"]).matches(alleged)  # ISKP is a branch of IS
    assert not matcher(actors=["TTP"]).matches(alleged)


def test_unknown_actor_is_a_usage_error():
    with pytest.raises(UsageError, match="not in khabar's actor dictionary"):
        matcher(actors=["No Such Front"])


def test_toll_unknown_does_not_pass_a_minimum():
    assert not matcher(min_fatalities=1).matches(incident(fatalities=None))


def test_mentioned_only_incident_never_matches():
    record = incident().model_copy(update={"status": "mentioned"})
    assert matcher().matches(incident())
    assert not matcher().matches(record)


def test_statement_filters_and_kinds():
    wanted = matcher(
        statement_types=["ACCUSE"], statement_source="Pakistan", statement_target="Afghanistan"
    )
    assert wanted.matches(statement())
    assert wanted.matches(statement(source="Foreign Office"))  # an organ of Pakistan
    assert not wanted.matches(statement(source="Afghanistan", target="Pakistan"))
    assert not wanted.matches(statement(kind="REJECT"))
    assert not wanted.matches(statement(target=None))
    assert not wanted.matches(incident())
    assert not matcher(countries=["PK"]).matches(statement())
