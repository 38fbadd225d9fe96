"""Stages chained into jobs: what ``khabar ingest`` does, callable from Python.

The CLI and, later, the API and the batch runners call these; they hold no logic of a
stage, only the order of stages and the bookkeeping of a run.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version

from pydantic import BaseModel, Field

from .ingest import IngestOptions, Reader, Source, discover
from .records import Article, IngestFailure
from .store import Store

__all__ = ["IngestSummary", "ingest_into", "khabar_version"]


class IngestSummary(BaseModel):
    """What one ingest run did."""

    sources: int = 0
    new: int = 0
    known: int = 0
    split: dict[str, int] = Field(
        default_factory=dict, description="file -> number of stories it was split into"
    )
    failures: list[IngestFailure] = Field(default_factory=list)
    skipped: list[str] = Field(default_factory=list, description="files of unread types")
    decoded: dict[str, str] = Field(
        default_factory=dict, description="locator -> encoding, for non-UTF-8 inputs"
    )

    @property
    def articles(self) -> int:
        return self.new + self.known


def khabar_version() -> str:
    try:
        return version("khabar")
    except PackageNotFoundError:  # running from a source tree without install
        return "0+unknown"


def ingest_into(
    store: Store,
    inputs: list[str],
    *,
    options: IngestOptions,
    on_source: Callable[[Source | None, int], None] | None = None,
    batch_size: int = 200,
) -> IngestSummary:
    """Read ``inputs`` and store every Article.

    Articles are written in batches of ``batch_size``, one transaction per batch: each
    article is stored whole or not at all, a killed run loses at most the batch in
    flight, and the next run stores what is missing. (DuckDB's cost is per statement and
    per commit, not per row: batching makes storing about 5 times faster.)

    Args:
        store: the database.
        inputs: paths, folders and URLs.
        options: how to read and fetch.
        on_source: called with ``(None, total)`` once the sources are known, then with
            each source once it has been read (for a progress bar).
        batch_size: articles per transaction.

    Returns:
        The counts of the run; the same run is also recorded in the store.
    """
    sources, failures, skipped = discover(inputs)
    summary = IngestSummary(sources=len(sources), failures=list(failures), skipped=skipped)
    run_id = store.start_run(
        "ingest",
        {"khabar": khabar_version(), "inputs": inputs, "options": options.model_dump()},
    )
    if on_source:
        on_source(None, len(sources))
    batch: list[Article] = []
    with Reader(options) as reader:
        for source in sources:
            for item in reader.read(source):
                if isinstance(item, IngestFailure):
                    summary.failures.append(item)
                    continue
                batch.append(item)
                if len(batch) >= batch_size:
                    _store_batch(store, summary, batch)
            if on_source:
                on_source(source, len(sources))
    _store_batch(store, summary, batch)
    store.finish_run(
        run_id,
        {
            "khabar": khabar_version(),
            "inputs": inputs,
            "options": options.model_dump(),
            "counts": summary.model_dump(include={"sources", "new", "known"})
            | {"failed": len(summary.failures), "skipped": len(summary.skipped)},
        },
    )
    return summary


def _store_batch(store: Store, summary: IngestSummary, batch: list[Article]) -> None:
    """Write and count a batch, then empty it."""
    for article, is_new in zip(batch, store.add_articles(batch), strict=True):
        if is_new:
            summary.new += 1
        else:
            summary.known += 1
        if article.part is not None and article.file is not None:
            summary.split[article.file] = max(summary.split.get(article.file, 0), article.part)
        if article.encoding:
            summary.decoded[article.locator or article.id] = article.encoding
    batch.clear()
