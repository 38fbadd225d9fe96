"""WARC files (CC-NEWS style) -> the HTML pages they hold, through warcio."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import IngestError, MalformedInput
from ._decompress import PIECE, decode_chain, parse_encodings, read_capped

__all__ = ["WarcPage", "iter_warc_pages"]

_HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass(frozen=True)
class WarcPage:
    record_id: str
    url: str | None
    content: bytes | None
    """None when the record could not be read within the limits (``error`` says so)."""
    charset: str | None
    error: IngestError | None = None


def iter_warc_pages(path: Path, *, max_bytes: int) -> Iterator[WarcPage]:
    """Yield each HTML response (or resource) record of a WARC file, gzipped or not.

    Records of other types (request, metadata, images) are skipped. A body is decoded
    (chunked transfer, then its Content-Encoding chain) as a stream, and one that decodes
    to more than ``max_bytes`` is not kept: its page comes with ``error`` set.

    Raises:
        MalformedInput: the file is not a WARC file or is cut off; pages read before
            the damage have been yielded.
    """
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    with path.open("rb") as stream:
        try:
            for record in ArchiveIterator(stream, arc2warc=True):
                if record.rec_type not in ("response", "resource"):
                    continue
                headers = record.http_headers
                content_type = (
                    headers.get_header("Content-Type")
                    if headers is not None
                    else record.rec_headers.get_header("Content-Type")
                ) or ""
                if not content_type.lower().startswith(_HTML_TYPES):
                    continue
                if headers is not None and headers.get_statuscode() not in ("200", None):
                    continue
                record_id = record.rec_headers.get_header("WARC-Record-ID") or ""
                url = record.rec_headers.get_header("WARC-Target-URI")
                charset = _charset(content_type)
                try:
                    body = _record_body(record, max_bytes, what=f"WARC record {record_id} ({url})")
                except IngestError as error:
                    yield WarcPage(record_id, url, None, charset, error)
                    continue
                yield WarcPage(record_id, url, body, charset)
        except (ArchiveLoadFailed, EOFError, OSError, ValueError) as error:
            raise MalformedInput(f"not a readable WARC file: {error}") from error


def _record_body(record, max_bytes: int, *, what: str) -> bytes:  # type: ignore[no-untyped-def]
    """The record's HTTP body, decoded by ``_decompress`` rather than warcio, whose
    decoders expand a whole block at once."""
    from warcio.bufferedreaders import ChunkedDataReader

    headers = record.http_headers
    stream = record.raw_stream
    encodings: list[str] = []
    if headers is not None:
        encodings = parse_encodings(headers.get_header("Content-Encoding"))
        if (headers.get_header("Transfer-Encoding") or "").lower() == "chunked":
            stream = ChunkedDataReader(stream, decomp_type=None)
    pieces = iter(lambda: stream.read(PIECE), b"")
    return read_capped(decode_chain(pieces, encodings), max_bytes, what=what)


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset" and value:
            return value.strip("\"' ")
    return None
