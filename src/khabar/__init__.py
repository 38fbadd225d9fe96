"""khabar: news coverage of political violence -> an evidence-linked record.

The stages, one package each: ``khabar.ingest`` (sources -> Article), ``khabar.store``
(the repository), with the typed records of ``khabar.records`` flowing between them.
"""

from __future__ import annotations

import logging

__all__ = ["SCHEMA_VERSION"]

logging.getLogger(__name__).addHandler(logging.NullHandler())


def __getattr__(name: str) -> object:
    """``khabar.SCHEMA_VERSION`` on first use: the records module builds every pydantic
    model when imported (about 0.2 s), which ``khabar --help`` must not pay."""
    if name == "SCHEMA_VERSION":
        from .records import SCHEMA_VERSION

        return SCHEMA_VERSION
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
