"""Stages chained into jobs: what ``khabar ingest`` does, callable from Python.

The CLI and, later, the API and the batch runners call these; they hold no logic of a
stage, only the order of stages and the bookkeeping of a run.
"""

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
