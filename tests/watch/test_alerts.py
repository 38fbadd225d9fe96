import datetime as dt
import json

from khabar.records import (
    ActorRef,
    Count,
    DateSpan,
    Evidence,
    Incident,
    Location,
    Perpetrator,
    SourceRef,
    SpeakerRef,
    Statement,
    VictimGroup,
)
from khabar.watch import alert_body, figures_of, summary_of
from khabar.watch._alerts import changed_figures

COUNTRIES = {"PK": "Pakistan", "CN": "China", "AF": "Afghanistan"}
QUOTE = "killing three Chinese nationals and their Pakistani driver"


def incident(**fields):
    values = dict(
        id="evt-1",
        event_type="bombing",
        date=DateSpan(value="2026-11-16", precision="day"),
        location=Location(
            country="PK", admin1="Khyber Pakhtunkhwa", place="Pattan", precision="place"
        ),
        fatalities=Count(low=4, best=4, high=4),
        victims=(VictimGroup(nationality="CN", count=3),),
        perpetrator=Perpetrator(claimed_by="TTP"),
        sources=(
            SourceRef(article_id="a1", url="https://news.example.org/n1"),
            SourceRef(article_id="a2"),
        ),
        evidence=(Evidence(field="fatalities", article_id="a1", start=0, end=57, quote=QUOTE),),
    )
    values.update(fields)
    return Incident(**values)


def test_figures_change_on_toll_claimant_and_place_precision_only():
    before = figures_of(incident())
    assert changed_figures(before, figures_of(incident(target="a van"))) == []
    assert changed_figures(before, figures_of(incident(fatalities=Count(best=5)))) == ["fatalities"]
    assert changed_figures(before, figures_of(incident(perpetrator=None))) == ["claimed_by"]
    vaguer = incident().location.model_copy(update={"precision": "admin1"})
    assert changed_figures(before, figures_of(incident(location=vaguer))) == ["place_precision"]
    assert figures_of(Statement(id="s", type="ACCUSE", source=SpeakerRef(name="Pakistan"))) == {}


def test_incident_summary_reads_what_where_when_how_many_who():
    assert summary_of(incident(), COUNTRIES) == (
        "Bombing in Pattan, Khyber Pakhtunkhwa, Pakistan on 2026-11-16: 4 killed, "
        "victims: 3 China; claimed by TTP."
    )


def test_statement_summary_names_speaker_verb_and_target():
    said = Statement(
        id="s",
        type="ACCUSE",
        source=SpeakerRef(name="Pakistan", speaker="Foreign Office"),
        target=ActorRef(name="Afghanistan"),
        date=DateSpan(value="2026-11-17", precision="day"),
    )
    assert summary_of(said, COUNTRIES) == (
        "Pakistan (Foreign Office) accused Afghanistan on 2026-11-17 [ACCUSE]."
    )


def test_alert_body_carries_the_export_record_evidence_sources_and_link():
    record = incident()
    body = alert_body(
        "chinese-nationals",
        record,
        update=True,
        changed=["fatalities"],
        countries=COUNTRIES,
        urls_of=lambda article: {"a2": ["https://other.example.net/x"]}[article],
        base_url="https://khabar.example.org",
        created_at=dt.datetime(2026, 11, 16, 9, 30),
    )
    assert body["record"] == json.loads(record.model_dump_json())  # as `khabar export`
    assert (body["watchlist"], body["kind"], body["update"]) == (
        "chinese-nationals",
        "incident",
        True,
    )
    assert body["sources"] == ["https://news.example.org/n1", "https://other.example.net/x"]
    assert body["evidence"] == [{"field": "fatalities", "quote": QUOTE, "article_id": "a1"}]
    assert body["link"] == "https://khabar.example.org/incidents/evt-1"
    assert body["created_at"] == "2026-11-16T09:30:00Z"


def test_alert_body_without_base_url_has_no_link():
    body = alert_body(
        "w",
        incident(sources=()),
        update=False,
        changed=[],
        countries=COUNTRIES,
        urls_of=lambda article: [],
        base_url=None,
        created_at=dt.datetime(2026, 11, 16),
    )
    assert body["link"] is None and body["sources"] == []
