import codecs

import pytest

from khabar.errors import BinaryInput, EmptyInput, InputTooLarge
from khabar.ingest._decode import check_size, decode_bytes


def test_decode_bytes_reads_utf8_without_naming_an_encoding():
    decoded = decode_bytes("Peshawar – “quoted”".encode())
    assert decoded.text == "Peshawar – “quoted”"
    assert decoded.encoding is None


def test_decode_bytes_falls_back_to_a_detected_encoding_and_says_which():
    text = "The minister’s café statement – “we condemn this attack” – came on Monday. " * 4
    decoded = decode_bytes(text.encode("cp1252"))
    assert decoded.text == text
    assert decoded.encoding is not None


def test_decode_bytes_prefers_the_declared_encoding():
    decoded = decode_bytes("Café".encode("latin-1"), declared="ISO-8859-1")
    assert decoded.text == "Café"
    assert decoded.encoding == "iso8859-1"


def test_decode_bytes_reads_utf16_with_a_byte_order_mark():
    decoded = decode_bytes(codecs.BOM_UTF16_LE + "Kabul".encode("utf-16-le"))
    assert decoded.text == "Kabul"


@pytest.mark.parametrize("data", [b"", b"   \n\t  "])
def test_decode_bytes_refuses_empty_input(data):
    with pytest.raises(EmptyInput, match="empty"):
        decode_bytes(data)


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"%PDF-1.7\n...", "PDF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "PNG"),
        (b"some text\x00\x00\x01binary", "NUL"),
    ],
)
def test_decode_bytes_refuses_binary_input(data, what):
    with pytest.raises(BinaryInput, match=what):
        decode_bytes(data)


def test_check_size_names_the_limit():
    check_size(100, 100)
    with pytest.raises(InputTooLarge, match=r"20\.0 MB is over the 8\.0 MB limit"):
        check_size(20_000_000, 8_000_000)
