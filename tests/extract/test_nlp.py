import pytest

from khabar.errors import UsageError
from khabar.extract.nlp import MODEL_PACKAGES, load_nlp


def test_load_nlp_blank_has_sentences_and_says_it_is_not_statistical():
    nlp, info = load_nlp("blank")
    assert info.name == "blank_en" and not info.statistical
    doc = nlp("A bomb exploded in Quetta. Six people died.")
    assert len(list(doc.sents)) == 2


def test_load_nlp_auto_takes_an_installed_model_or_falls_back():
    nlp, info = load_nlp("auto")
    assert info.spacy_version
    if info.statistical:
        assert any(name.split("_", 1)[1] in info.name for name in MODEL_PACKAGES) or info.name
        assert "parser" in nlp.pipe_names  # subjects, agents, clauses (statements)
        assert "ner" not in nlp.pipe_names  # unused: places and actors are matched phrases
    else:
        assert info.name == "blank_en"


def test_load_nlp_refuses_a_model_that_is_not_installed():
    with pytest.raises(UsageError, match="not installed"):
        load_nlp("xx_no_such_model")


def test_leaving_out_ner_changes_neither_tags_nor_parse():
    """NER is not loaded because the tagger and parser do not listen to it: the parse
    that statements read must be the same as with the full pipeline."""
    import spacy

    nlp, info = load_nlp("auto")
    if not info.statistical:
        pytest.skip("no statistical model installed")
    full = spacy.load(nlp.meta["lang"] + "_" + nlp.meta["name"], exclude=["lemmatizer"])
    text = (
        "Gunmen on motorbikes opened fire on a police van in Tarnak on Monday, killing "
        "three officers, a spokesman for the provincial governor said. The Interior "
        "Ministry accused a banned group of planning the ambush."
    )
    ours, theirs = nlp(text), full(text)
    assert [(t.tag_, t.dep_, t.head.i) for t in ours] == [
        (t.tag_, t.dep_, t.head.i) for t in theirs
    ]
