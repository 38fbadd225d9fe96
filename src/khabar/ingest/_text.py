"""Text normalisation and the article fingerprint.

Two copies of a story that differ only in whitespace, quote style, dashes or Unicode
composition get the same fingerprint, which is the article's id: this is what makes a
second ingest of the same files a no-op and finds syndicated copies.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

__all__ = ["clean_text", "fingerprint", "normalise_for_fingerprint"]

_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2033": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2012": "-",
        "\u2212": "-",
        "\u00a0": " ",
    }
)
_SPACES = re.compile(r"\s+")
_BLANK_RUNS = re.compile(r"\n{3,}")
_TRAILING = re.compile(r"[ \t]+\n")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

FINGERPRINT_CHARS = 16


def clean_text(text: str) -> str:
    """Return ``text`` ready to store: NFC, Unix newlines, no control characters, plain
    spaces for no-break spaces, no trailing spaces, at most one blank line between
    paragraphs."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text).replace("\ufeff", "").replace("\u00a0", " ")
    text = _TRAILING.sub("\n", text)
    return _BLANK_RUNS.sub("\n\n", text).strip()


def normalise_for_fingerprint(text: str) -> str:
    """Fold what differs between copies of one story and not its content."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()
    return _SPACES.sub(" ", text).strip()


def fingerprint(text: str) -> str:
    """The article id: the first 16 hex digits of SHA-256 of the normalised text."""
    digest = hashlib.sha256(normalise_for_fingerprint(text).encode("utf-8"))
    return digest.hexdigest()[:FINGERPRINT_CHARS]
