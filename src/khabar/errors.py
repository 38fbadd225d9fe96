"""The one exception tree of khabar.

Every error a user can see is a ``KhabarError`` with a stable code, so that a log line,
an ingest summary or an API response can be searched for it::

    KhabarError                     K000
    ├── UsageError                  K001  bad option or argument (exit code 2)
    ├── IngestError                 K100  one input could not become an Article
    │   ├── EmptyInput              K101
    │   ├── BinaryInput             K102
    │   ├── InputTooLarge           K103
    │   ├── UndecodableInput        K104
    │   ├── MalformedInput          K105  bad JSON, bad front matter, bad WARC record
    │   ├── UnsupportedInput        K106  a file type khabar does not read
    │   ├── NoArticleText           K107  the page holds no story text
    │   ├── HtmlTooDeep             K108
    │   ├── UnsupportedEncoding     K109  a Content-Encoding chain refused or damaged
    │   ├── HtmlTooComplex          K113  too many tags, attributes on a tag, too long a line
    │   ├── FetchError              K110  network failure, HTTP error status
    │   │   ├── FetchTimeout        K111
    │   │   └── BlockedAddress      K112  private, loopback, link-local... address
    ├── DocumentTimeout             K130  reading or extracting one document ran out of time
    └── StoreError                  K200  the database refused or is corrupt
        ├── SchemaTooNew            K201
        └── StoreLocked             K202  another process holds the DuckDB file

Errors of libraries (duckdb, httpx, lxml, warcio, yaml) are turned into these at the
boundary of the module that calls them; nothing above that boundary catches a library's
exception.
"""

from __future__ import annotations

__all__ = [
    "BinaryInput",
    "BlockedAddress",
    "DocumentTimeout",
    "EmptyInput",
    "FetchError",
    "FetchTimeout",
    "HtmlTooComplex",
    "HtmlTooDeep",
    "IngestError",
    "InputTooLarge",
    "KhabarError",
    "MalformedInput",
    "NoArticleText",
    "SchemaTooNew",
    "StoreError",
    "StoreLocked",
    "UndecodableInput",
    "UnsupportedEncoding",
    "UnsupportedInput",
    "UsageError",
]


class KhabarError(Exception):
    """Base of every error khabar raises on purpose."""

    code = "K000"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}"


class UsageError(KhabarError):
    code = "K001"


class IngestError(KhabarError):
    code = "K100"


class EmptyInput(IngestError):
    code = "K101"


class BinaryInput(IngestError):
    code = "K102"


class InputTooLarge(IngestError):
    code = "K103"


class UndecodableInput(IngestError):
    code = "K104"


class MalformedInput(IngestError):
    code = "K105"


class UnsupportedInput(IngestError):
    code = "K106"


class NoArticleText(IngestError):
    code = "K107"


class HtmlTooDeep(IngestError):
    code = "K108"


class UnsupportedEncoding(IngestError):
    code = "K109"


class HtmlTooComplex(IngestError):
    code = "K113"


class FetchError(IngestError):
    code = "K110"


class FetchTimeout(FetchError):
    code = "K111"


class BlockedAddress(FetchError):
    code = "K112"


class DocumentTimeout(KhabarError):
    code = "K130"


class StoreError(KhabarError):
    code = "K200"


class SchemaTooNew(StoreError):
    code = "K201"


class StoreLocked(StoreError):
    code = "K202"
