"""khabar: news coverage of political violence -> an evidence-linked record.

The stages, one package each: ``khabar.ingest`` (sources -> Article), ``khabar.store``
(the repository), with the typed records of ``khabar.records`` flowing between them.
"""

from __future__ import annotations

import logging

from .records import SCHEMA_VERSION

__all__ = ["SCHEMA_VERSION"]

logging.getLogger(__name__).addHandler(logging.NullHandler())
