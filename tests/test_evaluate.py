import json

import pytest

from khabar.evaluate import load_gold, score
from khabar.extract.actors import load_actors
from khabar.extract.gazetteer import load_gazetteer
from khabar.records import (
    ActorRef,
    Arrest,
    Count,
    DateSpan,
    Incident,
    Location,
    Perpetrator,
    SourceRef,
    SpeakerRef,
    Statement,
)

GOLD_INCIDENT = {
    "kind": "incident",
    "incident_id": "g1",
    "articles": {"a": "report", "b": "report"},
    "date": "2025-03-03",
    "date_derivable": True,
    "country": "PK",
    "admin1": "Khyber Pakhtunkhwa",
    "admin2": None,
    "place": "Besham",
    "event_type": "bombing",
    "suicide": True,
    "fatalities": {"min": 5, "max": 6},
    "injured": None,
    "victim_nationalities": {"CN": 4},
    "perpetrator_claimed": "Balochistan Liberation Army (Majeed Brigade)",
    "perpetrator_alleged": None,
    "target": "convoy of Chinese engineers",
}


def incident(file, **fields):
    values = dict(
        id=f"p-{file}",
        event_type="bombing",
        suicide=True,
        date=DateSpan(value="2025-03-03", precision="day"),
        location=Location(
            country="PK",
            admin1="Khyber Pakhtunkhwa",
            admin2="Shangla",
            place="Bisham",
            precision="place",
        ),
        fatalities=Count(low=5, best=5, high=5),
        victims=({"nationality": "CN", "count": 4},),
        perpetrator=Perpetrator(claimed_by="BLA"),
        target="their convoy",
        sources=(SourceRef(article_id=file, file=f"{file}.txt"),),
    )
    values.update(fields)
    return Incident(**values)


def run_score(records, lines, tmp_path, **options):
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n")
    return score(
        records, load_gold(path), gazetteer=load_gazetteer(), actors=load_actors(), **options
    )


def test_score_matches_each_articles_account_and_all_fields(tmp_path):
    report = run_score([incident("a"), incident("b")], [GOLD_INCIDENT], tmp_path)
    assert (report.incidents.tp, report.incidents.fp, report.incidents.fn) == (1, 0, 0)
    assert report.duplicates == 1
    total = report.field_total
    assert total.fp == 0 and total.fn == 0, report.field_errors
    assert report.fields["place"].tp == 1  # Bisham is Besham


def test_score_per_article_scores_every_account(tmp_path):
    thin = incident("b", fatalities=None, perpetrator=None)
    report = run_score([incident("a"), thin], [GOLD_INCIDENT], tmp_path)
    assert report.fields["fatalities"].fn == 0  # the best account is scored
    strict = run_score([incident("a"), thin], [GOLD_INCIDENT], tmp_path, per_article=True)
    assert strict.fields["place"].tp == 2
    assert strict.fields["fatalities"].fn == 1


def test_score_counts_wrong_and_missing_values(tmp_path):
    wrong = incident("a", fatalities=Count(low=9, best=9, high=9), date=None, perpetrator=None)
    report = run_score([wrong], [GOLD_INCIDENT], tmp_path)
    assert (report.fields["fatalities"].fp, report.fields["fatalities"].fn) == (1, 1)
    assert report.fields["date"].fn == 1
    assert report.fields["perpetrator_claimed"].fn == 1


def test_score_a_date_the_text_cannot_fix(tmp_path):
    gold = dict(GOLD_INCIDENT, date=None, date_derivable=False)
    assert run_score([incident("a", date=None)], [gold], tmp_path).fields["date"].tp == 1
    assert run_score([incident("a")], [gold], tmp_path).fields["date"].fp == 1


def test_score_never_matches_across_countries_and_counts_spurious(tmp_path):
    elsewhere = incident("a", location=Location(country="AF", precision="country"))
    report = run_score([elsewhere], [GOLD_INCIDENT], tmp_path)
    assert (report.incidents.tp, report.incidents.fp, report.incidents.fn) == (0, 1, 1)
    assert report.misses and report.spurious


def test_score_statements_and_arrests(tmp_path):
    lines = [
        GOLD_INCIDENT,
        {
            "kind": "statement",
            "article": "a",
            "type": "REQUEST",
            "source": "China",
            "target": "Pakistan",
            "date": None,
            "about": "g1",
            "speaker": "Beijing",
        },
        {
            "kind": "arrest",
            "article": "a",
            "actor": "Pakistan",
            "count": 11,
            "place": None,
            "country": "PK",
            "about": "g1",
        },
    ]
    source = (SourceRef(article_id="a", file="a.txt"),)
    records = [
        Statement(
            id="s1",
            type="REQUEST",
            source=SpeakerRef(name="China"),
            target=ActorRef(name="Pakistan"),
            sources=source,
        ),
        Statement(id="s2", type="ACCUSE", source=SpeakerRef(name="China"), sources=source),
        Arrest(id="r1", actor=ActorRef(name="Pakistan"), count=11, sources=source),
    ]
    report = run_score(records, lines, tmp_path)
    assert (report.statements.tp, report.statements.fp, report.statements.fn) == (1, 1, 0)
    assert report.arrests.f1 == 1.0


def test_load_gold_names_a_bad_line(tmp_path):
    path = tmp_path / "gold.jsonl"
    path.write_text('{"kind": "incident"\n')
    with pytest.raises(ValueError, match=r"gold\.jsonl:1"):
        load_gold(path)
