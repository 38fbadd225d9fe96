"""The ``khabar`` command: parse, build Settings, call a stage, print.

Command names and output formats (``ingest``, ``articles --format jsonl``,
``export --format jsonl``, ``KHABAR_DB``) are a contract with scripts outside the
project: extend them, never break them. Exit codes: 0 success, 1 some inputs or the
database failed, 2 usage error.
"""

from __future__ import annotations

from . import (  # noqa: F401  (commands register on import)
    _articles,
    _batch,
    _extract,
    _incidents,
    _report,
    _serve,
    _watch,
)
from ._app import app

__all__ = ["app"]
