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
        assert "ner" in nlp.pipe_names
    else:
        assert info.name == "blank_en"


def test_load_nlp_refuses_a_model_that_is_not_installed():
    with pytest.raises(UsageError, match="not installed"):
        load_nlp("xx_no_such_model")
