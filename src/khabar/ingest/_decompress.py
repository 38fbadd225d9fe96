"""Content-Encoding chains decoded as a stream, with the size cap on the decoded bytes.

A server chooses how many layers of compression it sends, and a small response can
decode to gigabytes (``Content-Encoding: gzip, gzip``: 20 KB on the wire, 2 GB out).
Decoding here is pull-based and bounded at every layer: each layer hands on at most
``PIECE`` bytes per step, so memory holds one piece per layer plus what the caller keeps,
and the caller's count of decoded bytes stops the whole chain as soon as it passes the
cap, however much the layers could still produce.

gzip (any number of members), deflate (zlib-wrapped or raw), br and zstd are decoded;
``identity`` is skipped. A chain of more than ``MAX_LAYERS`` layers is refused before a
byte is decoded: no real server compresses three times.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator

from ..errors import InputTooLarge, UnsupportedEncoding
from ._decode import describe_size

__all__ = [
    "MAX_LAYERS",
    "PIECE",
    "accept_encoding",
    "decode_chain",
    "parse_encodings",
    "read_capped",
]

MAX_LAYERS = 2
PIECE = 64 * 1024


def _brotli():  # type: ignore[no-untyped-def]
    try:
        import brotli
    except ImportError:  # pragma: no cover - brotli is a dependency
        return None
    return brotli


def _zstd():  # type: ignore[no-untyped-def]
    try:
        import zstandard
    except ImportError:  # pragma: no cover - zstandard is a dependency
        return None
    return zstandard


def accept_encoding() -> str:
    """The ``Accept-Encoding`` header value: only encodings this module can decode."""
    names = ["gzip", "deflate"]
    if _brotli() is not None:
        names.append("br")
    if _zstd() is not None:
        names.append("zstd")
    return ", ".join(names)


def parse_encodings(header: str | None) -> list[str]:
    """The layers of a ``Content-Encoding`` header, in the order they were applied.

    Raises:
        UnsupportedEncoding: more than ``MAX_LAYERS`` layers, or an encoding that is
            not decoded here.
    """
    if not header:
        return []
    names = [part.strip().lower() for part in header.split(",")]
    layers = [name for name in names if name and name != "identity"]
    if len(layers) > MAX_LAYERS:
        raise UnsupportedEncoding(
            f"Content-Encoding {header!r} has {len(layers)} layers; more than "
            f"{MAX_LAYERS} is refused (a compression bomb, not a news page)"
        )
    known = {"gzip", "x-gzip", "deflate"}
    if _brotli() is not None:
        known.add("br")
    if _zstd() is not None:
        known.add("zstd")
    for name in layers:
        if name not in known:
            raise UnsupportedEncoding(f"Content-Encoding {name!r} is not one khabar decodes")
    return layers


def decode_chain(chunks: Iterable[bytes], encodings: list[str]) -> Iterator[bytes]:
    """Undo ``encodings`` (as applied, first to last) over a stream of raw chunks.

    Every yielded piece is at most ``PIECE`` bytes; nothing is decoded ahead of what the
    caller pulls.
    """
    stream: Iterator[bytes] = iter(chunks)
    for name in reversed(encodings):
        stream = _LAYERS[name](stream)
    return stream


def read_capped(pieces: Iterable[bytes], max_bytes: int, *, what: str) -> bytes:
    """Join decoded pieces, refusing as soon as they pass ``max_bytes``.

    Raises:
        InputTooLarge: more than ``max_bytes`` decoded bytes.
    """
    parts: list[bytes] = []
    size = 0
    for piece in pieces:
        size += len(piece)
        if size > max_bytes:
            raise InputTooLarge(
                f"{what} is over the {describe_size(max_bytes)} limit for one document once "
                "decoded (raise it with --max-bytes)"
            )
        parts.append(piece)
    return b"".join(parts)


def _inflate(chunks: Iterator[bytes], *, wbits: int, members: bool) -> Iterator[bytes]:
    """zlib-family streams; ``members`` reads concatenated gzip members as gzip does."""
    decompressor = zlib.decompressobj(wbits)
    try:
        for chunk in chunks:
            data = chunk
            while True:
                out = decompressor.decompress(data, PIECE)
                if out:
                    yield out
                if decompressor.eof:
                    data = decompressor.unused_data
                    if not (members and data.strip(b"\x00")):
                        return  # bytes after the stream are ignored, as zlib does
                    decompressor = zlib.decompressobj(wbits)
                    continue
                data = decompressor.unconsumed_tail
                # A full piece may leave output pending with the input used up: drain it.
                if not data and len(out) < PIECE:
                    break
        if not decompressor.eof and (tail := decompressor.flush()):
            yield tail  # a cut-off stream: what it held, as browsers show it
    except zlib.error as error:
        raise UnsupportedEncoding(f"the compressed body is damaged: {error}") from error


def _gunzip(chunks: Iterator[bytes]) -> Iterator[bytes]:
    return _inflate(chunks, wbits=16 + zlib.MAX_WBITS, members=True)


def _deflate(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """HTTP's deflate is zlib-wrapped by the standard and raw by some servers."""
    first = next(chunks, b"")
    while len(first) < 2:
        more = next(chunks, None)
        if more is None:
            break
        first += more
    wrapped = len(first) >= 2 and (first[0] & 0x0F) == 8 and (first[0] << 8 | first[1]) % 31 == 0
    rest = _prepend(first, chunks)
    return _inflate(rest, wbits=zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS, members=False)


def _unbrotli(chunks: Iterator[bytes]) -> Iterator[bytes]:
    brotli = _brotli()
    decompressor = brotli.Decompressor()
    try:
        for chunk in chunks:
            out = decompressor.process(chunk, output_buffer_limit=PIECE)
            if out:
                yield out
            while not decompressor.can_accept_more_data():
                out = decompressor.process(b"", output_buffer_limit=PIECE)
                if not out:
                    break
                yield out
    except brotli.error as error:
        raise UnsupportedEncoding(f"the br body is damaged: {error}") from error


def _unzstd(chunks: Iterator[bytes]) -> Iterator[bytes]:
    zstandard = _zstd()
    reader = zstandard.ZstdDecompressor().stream_reader(
        _ChunkReader(chunks), read_across_frames=True
    )
    try:
        while piece := reader.read(PIECE):
            yield piece
    except zstandard.ZstdError as error:
        raise UnsupportedEncoding(f"the zstd body is damaged: {error}") from error


class _ChunkReader:
    """A minimal file object over an iterator of chunks, for zstandard's stream reader."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks
        self._buffer = b""

    def read(self, size: int = -1) -> bytes:
        while size < 0 or len(self._buffer) < size:
            chunk = next(self._chunks, None)
            if chunk is None:
                break
            self._buffer += chunk
        if size < 0:
            size = len(self._buffer)
        out, self._buffer = self._buffer[:size], self._buffer[size:]
        return out


def _prepend(first: bytes, rest: Iterator[bytes]) -> Iterator[bytes]:
    if first:
        yield first
    yield from rest


_LAYERS = {
    "gzip": _gunzip,
    "x-gzip": _gunzip,
    "deflate": _deflate,
    "br": _unbrotli,
    "zstd": _unzstd,
}
