"""Stages chained into jobs: what ``khabar ingest`` does, callable from Python.

The CLI and, later, the API and the batch runners call these; they hold no logic of a
stage, only the order of stages and the bookkeeping of a run.

Each name loads its module on first use (PEP 562): a reading command that only needs
``repointed_records`` must not import the ingest stage, which pulls in the fetcher's
HTTP stack and the batch readers (about half a second).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._export import (
        account_records,
        articles_by_id,
        export_context,
        export_records,
        repointed_records,
    )
    from ._hand import (
        merge_events,
        merge_warnings,
        revert_decision,
        split_event,
        split_plan,
        unmerge_event,
    )
    from ._ingest import (
        IngestSummary,
        bounded_writes,
        extract_into,
        ingest_into,
        khabar_version,
        record_writer,
    )
    from ._resolve import resolve_into

_MODULE_OF = {
    "account_records": "_export",
    "articles_by_id": "_export",
    "export_context": "_export",
    "export_records": "_export",
    "repointed_records": "_export",
    "merge_events": "_hand",
    "merge_warnings": "_hand",
    "revert_decision": "_hand",
    "split_event": "_hand",
    "split_plan": "_hand",
    "unmerge_event": "_hand",
    "IngestSummary": "_ingest",
    "bounded_writes": "_ingest",
    "extract_into": "_ingest",
    "ingest_into": "_ingest",
    "khabar_version": "_ingest",
    "record_writer": "_ingest",
    "resolve_into": "_resolve",
}

__all__ = [
    "IngestSummary",
    "account_records",
    "articles_by_id",
    "bounded_writes",
    "export_context",
    "export_records",
    "extract_into",
    "ingest_into",
    "khabar_version",
    "merge_events",
    "merge_warnings",
    "record_writer",
    "repointed_records",
    "resolve_into",
    "revert_decision",
    "split_event",
    "split_plan",
    "unmerge_event",
]


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # the next lookup is a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
