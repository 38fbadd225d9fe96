import gzip
import zlib

import pytest

from khabar.errors import InputTooLarge, UnsupportedEncoding
from khabar.ingest._decompress import (
    PIECE,
    accept_encoding,
    decode_chain,
    parse_encodings,
    read_capped,
)

PAGE = b"<p>Gunmen attacked a checkpoint in Zhob on Sunday.</p>\n" * 400


def chunked(data: bytes, size: int = 97) -> list[bytes]:
    return [data[i : i + size] for i in range(0, len(data), size)]


def gzip_bomb(decoded: int) -> bytes:
    """Concatenated gzip members of zeros: ``decoded`` bytes out of a few KB per 10 MB."""
    member = gzip.compress(b"\0" * 10_000_000, 9)
    return member * (decoded // 10_000_000)


def test_parse_encodings_reads_the_chain_in_the_order_applied():
    assert parse_encodings(None) == []
    assert parse_encodings("identity") == []
    assert parse_encodings("GZIP") == ["gzip"]
    assert parse_encodings("deflate, gzip") == ["deflate", "gzip"]


def test_parse_encodings_refuses_three_layers_and_unknown_ones():
    with pytest.raises(UnsupportedEncoding, match="3 layers"):
        parse_encodings("gzip, gzip, gzip")
    with pytest.raises(UnsupportedEncoding, match="compress"):
        parse_encodings("compress")


def test_accept_encoding_offers_only_what_is_decoded():
    offered = accept_encoding().split(", ")
    assert offered[:2] == ["gzip", "deflate"]
    for name in offered:
        assert parse_encodings(name) == [name]


@pytest.mark.parametrize(
    "encoding, compress",
    [
        ("gzip", gzip.compress),
        ("deflate", zlib.compress),
        ("deflate", lambda data: zlib.compressobj(wbits=-15).compress(data)),
    ],
)
def test_decode_chain_undoes_one_layer_in_small_chunks(encoding, compress):
    data = compress(PAGE)
    if encoding == "deflate" and data[:1] != b"x":  # raw deflate needs its flush
        raw = zlib.compressobj(wbits=-15)
        data = raw.compress(PAGE) + raw.flush()
    assert read_capped(decode_chain(chunked(data), [encoding]), 10**6, what="t") == PAGE


def test_decode_chain_reads_every_gzip_member():
    data = gzip.compress(PAGE[:100]) + gzip.compress(PAGE[100:])
    assert read_capped(decode_chain([data], ["gzip"]), 10**6, what="t") == PAGE


def test_decode_chain_undoes_two_layers_last_applied_first():
    data = gzip.compress(zlib.compress(PAGE))
    decoded = decode_chain(chunked(data, 50), parse_encodings("deflate, gzip"))
    assert read_capped(decoded, 10**6, what="t") == PAGE


def test_decode_chain_reads_br_and_zstd():
    brotli = pytest.importorskip("brotli")
    zstandard = pytest.importorskip("zstandard")
    assert (
        read_capped(decode_chain(chunked(brotli.compress(PAGE)), ["br"]), 10**6, what="t") == PAGE
    )
    frame = zstandard.ZstdCompressor().compress(PAGE)
    assert read_capped(decode_chain(chunked(frame), ["zstd"]), 10**6, what="t") == PAGE


def test_every_piece_is_bounded_whatever_one_chunk_expands_to():
    bomb = gzip_bomb(50_000_000)
    pieces = decode_chain([bomb], ["gzip"])
    for _, piece in zip(range(200), pieces, strict=False):
        assert len(piece) <= PIECE


def test_a_nested_bomb_stops_at_the_cap_without_decoding_the_rest():
    outer = gzip.compress(gzip_bomb(2_000_000_000), 9)  # "gzip, gzip": 2 GB decoded
    assert len(outer) < 100_000
    with pytest.raises(InputTooLarge, match="once decoded"):
        read_capped(decode_chain(chunked(outer, 16_384), ["gzip", "gzip"]), 8_000_000, what="t")


def test_a_damaged_body_is_a_clear_error():
    with pytest.raises(UnsupportedEncoding, match="damaged"):
        read_capped(decode_chain([b"not gzip at all"], ["gzip"]), 10**6, what="t")
