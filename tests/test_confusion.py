"""The statement confusion by type on gold and predictions written for this test."""

from khabar.confusion import statement_confusion
from khabar.evaluate import Gold, GoldStatement
from khabar.extract.actors import load_actors
from khabar.records import ActorRef, SourceRef, SpeakerRef, Statement


def _statement(kind, source, target):
    return Statement(
        id=f"st-{kind}-{source}",
        type=kind,
        source=SpeakerRef(name=source, country=None, speaker=source),
        target=ActorRef(name=target, country=None) if target else None,
        date=None,
        about=None,
        sources=(SourceRef(article_id="a", file="001.txt", url=None, role="report"),),
        evidence=(),
    )


def test_confusion_counts_types_and_what_a_miss_was_given_as():
    gold = Gold()
    for kind, source, target in [
        ("ACCUSE", "Pakistan", "Afghanistan"),
        ("THREATEN", "Pakistan Army", None),
        ("REJECT", "Afghanistan", "Pakistan"),
    ]:
        gold.statements.append(
            GoldStatement.model_validate(
                {"article": "001", "type": kind, "source": source, "target": target}
            )
        )
    predicted = [
        _statement("ACCUSE", "Pakistan", "Afghanistan"),
        _statement("AGREE", "Pakistan Army", None),
        _statement("SUPPORT", "China", "Pakistan"),
    ]
    result = statement_confusion(predicted, gold, load_actors())
    assert (result.by_type["ACCUSE"].tp, result.by_type["REJECT"].fn) == (1, 1)
    assert result.by_type["SUPPORT"].fp == 1
    assert result.confused == {("THREATEN", "AGREE"): 1}
    assert result.lines()[0].startswith("type")
