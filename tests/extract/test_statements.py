"""Statements and arrests on short texts written for these tests."""

import datetime as dt

import pytest

from khabar.extract import ExtractOptions, Extractor
from khabar.ingest import fingerprint
from khabar.records import Article


@pytest.fixture(scope="module")
def extractor():
    return Extractor(ExtractOptions(model="blank"), today=dt.date(2026, 11, 22))


def records(extractor, text, kind, dateline=None):
    article = Article(
        id=fingerprint(text),
        text=text,
        published=dt.date(2026, 3, 5),
        dateline=dateline,
        file="s.txt",
    )
    return [r for r in extractor.extract(article) if r.kind == kind]


def triples(statements):
    return sorted((s.type, s.source.name, s.target.name if s.target else None) for s in statements)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Pakistan's Foreign Office accused Afghanistan of sheltering the attackers.",
            [("ACCUSE", "Pakistan", "Afghanistan")],
        ),
        (
            "Pakistan was accused by the Taliban's Ministry of Defence of shelling villages.",
            [("ACCUSE", "Afghanistan", "Pakistan")],
        ),
        ("Beijing urged Islamabad to protect Chinese workers.", [("REQUEST", "China", "Pakistan")]),
        (
            "“We urge the Afghan authorities to act against these groups,” the Foreign Office "
            "said.",
            [("REQUEST", "Pakistan", "Afghanistan")],
        ),
        (
            "The TTP claimed responsibility in a statement on Telegram.",
            [("CLAIM_RESPONSIBILITY", "TTP", None)],
        ),
        (
            "Pakistan and Afghanistan agreed on Monday to reopen the Torkham crossing.",
            [("AGREE", "Afghanistan", "Pakistan"), ("AGREE", "Pakistan", "Afghanistan")],
        ),
        (
            "Pakistan accused Kabul of harbouring militants. The Taliban government denied the "
            "charge.",
            [("ACCUSE", "Pakistan", "Afghanistan"), ("REJECT", "Afghanistan", "Pakistan")],
        ),
    ],
)
def test_statements_types_sources_and_targets(extractor, text, expected):
    assert triples(records(extractor, text, "statement")) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Tajik officials did not accuse the Taliban of involvement.",
        "The foreign ministry stopped short of blaming Afghanistan for the attack.",
        "Dushanbe would hold the Taliban responsible if the attackers came from Afghanistan.",
        "No group has claimed responsibility for the bombing.",
        "Pakistan rejected a media report that claimed Beijing had urged Islamabad to accept "
        "Chinese guards.",
    ],
)
def test_statements_negated_and_hypothetical_are_not_made(extractor, text):
    found = triples(records(extractor, text, "statement"))
    assert all(t[0] not in ("ACCUSE", "CLAIM_RESPONSIBILITY", "REQUEST") for t in found), found


def test_statement_keeps_speaker_quote_and_evidence(extractor):
    text = (
        "ISLAMABAD: Foreign Office Spokesperson Mumtaz Zahra Baloch dismissed the Reuters "
        "report as “speculation” on Thursday."
    )
    (statement,) = records(extractor, text, "statement", dateline="ISLAMABAD")
    assert (statement.type, statement.source.name, statement.target.name) == (
        "REJECT",
        "Pakistan",
        "Reuters",
    )
    assert "Mumtaz Zahra Baloch" in statement.source.speaker
    assert statement.date.value == "2026-03-05"
    fields = {e.field: e for e in statement.evidence}
    assert fields["quote"].quote == "speculation"
    assert text[fields["quote"].start : fields["quote"].end] == "speculation"


def test_statement_about_links_the_reported_incident(extractor):
    text = (
        "A bomb killed six people at a market in Quetta on Monday. "
        "Pakistan accused India of backing the attackers."
    )
    article = Article(id=fingerprint(text), text=text, published=dt.date(2026, 3, 5), file="s.txt")
    made = extractor.extract(article)
    incident = next(r for r in made if r.kind == "incident")
    statement = next(r for r in made if r.kind == "statement")
    assert statement.about == incident.id


@pytest.mark.parametrize(
    ("text", "actor", "count"),
    [
        ("Police arrested nine suspects in connection with the attack in Quetta.", "Pakistan", 9),
        (
            "Sar-e-Pul provincial authorities announced the arrest of six ISIS-linked operatives.",
            "Afghanistan",
            6,
        ),
        (
            "Pakistani security authorities said they had arrested eleven individuals.",
            "Pakistan",
            11,
        ),
    ],
)
def test_arrests(extractor, text, actor, count):
    (arrest,) = records(extractor, text, "arrest", dateline="QUETTA")
    assert (arrest.actor.name, arrest.count) == (actor, count)
    assert arrest.evidence[0].quote == text


def test_arrest_without_a_number_is_not_recorded(extractor):
    assert records(extractor, "Police have arrested the suspects, officials said.", "arrest") == []


def test_statement_by_someone_the_dictionary_does_not_know_is_kept(extractor):
    text = (
        "Sajid Turi, a tribal elder, spoke at the funeral in Parachinar. Turi demanded that "
        "the provincial government hand the road's security to the army."
    )
    found = records(extractor, text, "statement", dateline="PESHAWAR")
    assert ("REQUEST", "Sajid Turi", "Pakistan") in triples(found)


@pytest.mark.parametrize(
    "text",
    [
        "Four policemen were killed in the attack on the checkpoint, which the TTP claimed.",
        "Militants stormed a checkpoint in Tank, in an attack claimed by the TTP.",
        "A bomb killed four soldiers in Bannu; the TTP claimed it.",
    ],
)
def test_claims_written_after_the_attack(extractor, text):
    assert ("CLAIM_RESPONSIBILITY", "TTP", None) in triples(records(extractor, text, "statement"))


def test_the_two_sides_agreed_is_an_agreement_each_way(extractor):
    text = (
        "Pakistan and Afghanistan held trade talks in Kabul. Pakistan's commerce secretary "
        "met Afghan officials. The two sides also agreed to meet again in January."
    )
    found = triples(records(extractor, text, "statement"))
    assert ("AGREE", "Afghanistan", "Pakistan") in found
    assert ("AGREE", "Pakistan", "Afghanistan") in found
