"""Bytes -> text, refusing what is not text and saying which encoding was used."""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from ..errors import BinaryInput, EmptyInput, InputTooLarge, UndecodableInput

__all__ = ["Decoded", "check_size", "decode_bytes", "describe_size"]

_SIGNATURES = {
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"PK\x03\x04": "a ZIP archive (or an Office document)",
    b"\x1f\x8b": "gzip-compressed data",
    b"\x7fELF": "an executable",
    b"BZh": "bzip2-compressed data",
    b"\xfd7zXZ": "xz-compressed data",
    b"SQLite format 3": "an SQLite database",
}
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_SNIFF = 8192


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str | None
    """The encoding used when it was not UTF-8, so that the summary can say so."""


def describe_size(n_bytes: int) -> str:
    return f"{n_bytes / 1_000_000:.1f} MB" if n_bytes >= 100_000 else f"{n_bytes:,} bytes"


def check_size(n_bytes: int, limit: int) -> None:
    """Raise ``InputTooLarge`` when a document is over the size limit."""
    if n_bytes > limit:
        raise InputTooLarge(
            f"{describe_size(n_bytes)} is over the {describe_size(limit)} limit for one "
            "document (raise it with --max-bytes)"
        )


def decode_bytes(data: bytes, *, declared: str | None = None) -> Decoded:
    """Decode a document's bytes.

    UTF-8 (with or without a byte-order mark) is tried first, then an encoding the
    source declared (an HTTP header, a ``<meta charset>``), then charset-normalizer's
    best guess.

    Raises:
        EmptyInput: nothing but whitespace.
        BinaryInput: a known binary signature or NUL bytes.
        UndecodableInput: no encoding reads the bytes.
    """
    if not data.strip():
        raise EmptyInput("empty file: no text to read")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data.decode(encoding), None if encoding == "utf-8-sig" else encoding)
            except UnicodeDecodeError as error:
                raise UndecodableInput(
                    f"starts with a {encoding} byte-order mark but {error}"
                ) from error
    head = data[:_SNIFF]
    for signature, what in _SIGNATURES.items():
        if head.startswith(signature):
            raise BinaryInput(f"binary file ({what}), not text")
    if b"\x00" in head:
        raise BinaryInput("binary file (NUL bytes), not text")
    try:
        return Decoded(data.decode("utf-8"), None)
    except UnicodeDecodeError:
        pass
    if declared:
        try:
            codec = codecs.lookup(declared).name
            return Decoded(data.decode(codec), codec)
        except (LookupError, UnicodeDecodeError):
            pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise UndecodableInput("not valid UTF-8 and no other text encoding fits")
    return Decoded(str(best), best.encoding)
