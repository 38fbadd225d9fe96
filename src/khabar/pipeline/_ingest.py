"""Ingest and extraction as one job: read, store, extract, resolve, with the run's
bookkeeping."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import replace
from functools import partial
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from ..batch import Late, WorkerPool
from ..batch._rows import extract_each, late_failure, line_ranges, reading_budget
from ..ingest import Fetcher, IngestOptions, Reader, Source, discover
from ..records import Article, IngestFailure
from ..store import Store
from ._resolve import resolve_into

if TYPE_CHECKING:
    from ..extract import Extractor


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
    skipped_links: list[str] = Field(
        default_factory=list,
        description="symbolic links in a folder that lead outside it, not followed",
    )
    decoded: dict[str, str] = Field(
        default_factory=dict, description="locator -> encoding, for non-UTF-8 inputs"
    )
    extracted: int = Field(0, description="articles read by extraction in this run")
    records: dict[str, int] = Field(
        default_factory=dict, description="kind -> records extraction found in this run"
    )
    model: str | None = Field(None, description="the spaCy model extraction ran with")
    resolved: tuple[int, int] | None = Field(
        None, description="(incident mentions, events) after resolution"
    )
    article_ids: list[str] = Field(
        default_factory=list,
        exclude=True,
        description="ids of the articles read, in order, when ``ingest_into`` is asked "
        "for them (``keep_ids``: one posted article); not in the JSON summary",
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
    extractor: Extractor | None = None,
    fetcher: Fetcher | None = None,
    known: Callable[[str], bool] | None = None,
    workers: int = 1,
    keep_ids: bool = False,
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
        extractor: when given, every stored article that extraction has not read yet
            (this run's and any an interrupted run left) is read, and its records stored.
        fetcher: the fetcher URLs are read with (``khabar watch`` passes one primed with
            the feeds it fetched conditionally); one built from ``options`` by default.
            It is closed at the end of the run.
        known: feed entries stored before, by locator; those that carry only a summary
            are not fetched again (see ``Reader``).
        workers: processes that read sources and extract articles side by side (a
            ``WorkerPool``); this process alone writes the store, in the order one
            worker would, so the database is the same whatever the number.
        keep_ids: list the ids of the articles read in ``summary.article_ids`` (the
            API returns those of a posted article); off, so that a big run holds no
            list that grows with the corpus.

    Returns:
        The counts of the run; the same run is also recorded in the store.
    """
    with bounded_writes(store):
        found = discover(inputs, follow_symlinks=options.follow_symlinks)
        summary = IngestSummary(
            sources=len(found.sources),
            failures=list(found.failures),
            skipped=found.skipped,
            skipped_links=found.links,
        )
        sources = found.sources
        run_id = store.start_run(
            "ingest",
            {"khabar": khabar_version(), "inputs": inputs, "options": options.model_dump()},
        )
        if on_source:
            on_source(None, len(sources))
        batch: list[Article] = []
        with (
            Reader(options, fetcher=fetcher, known=known) as reader,
            WorkerPool(reader.read, workers=workers, budget=options.doc_timeout) as pool,
        ):
            budgets = partial(reading_budget, options=options)
            for source, items, late in pool.map(_pieces(sources), budget_of=budgets):
                for item in items:
                    if isinstance(item, IngestFailure):
                        summary.failures.append(item)
                        continue
                    batch.append(item)
                    if len(batch) >= batch_size:
                        _store_batch(store, summary, batch, keep_ids=keep_ids)
                if late is not None:
                    summary.failures.append(late_failure(source.locator, "reading", late))
                if on_source and source.stop is None:  # a whole source, or its last piece
                    on_source(source, len(sources))
        _store_batch(store, summary, batch, keep_ids=keep_ids)
        if extractor is not None:
            extract_into(
                store, extractor, summary=summary, doc_timeout=options.doc_timeout, workers=workers
            )
            summary.resolved = resolve_into(store)
        store.finish_run(
            run_id,
            {
                "khabar": khabar_version(),
                "inputs": inputs,
                "options": options.model_dump(),
                "model": summary.model,
                "counts": summary.model_dump(include={"sources", "new", "known", "extracted"})
                | {"failed": len(summary.failures), "skipped": len(summary.skipped)},
            },
        )
        return summary


_PIECE = 1 << 20


def _pieces(sources: Iterable[Source], size: int | None = None) -> Iterator[Source]:
    """The sources to read, a JSONL file of more than ``size`` bytes as pieces of about
    that size (byte ranges at line starts, read as ``khabar batch`` reads its splits:
    every line keeps its locator, and the pieces come in order, so the database is the
    same). A worker hands back one task's articles at once; a piece of a dump is a few
    hundred of them, where a whole file held them all, however big the file."""
    size = size or _PIECE
    for source in sources:
        path, length = source.path, 0
        if path is not None and source.kind == "jsonl" and (source.start, source.stop) == (0, None):
            try:
                length = path.stat().st_size
            except OSError:
                length = 0
        ranges = line_ranges(path, -(-length // size)) if path and length > size else None
        if not ranges:
            yield source
            continue
        for start, stop, line in ranges:
            yield replace(source, start=start, stop=stop, line=line)


def bounded_writes(store: Store) -> AbstractContextManager[None]:
    """DuckDB's memory capped while a command writes (``DuckDBStore.bounded_writes``),
    so that its buffer pool does not grow with the database; other stores as they are."""
    bounded = getattr(store, "bounded_writes", None)
    return bounded() if bounded is not None else nullcontext()


def _store_batch(
    store: Store, summary: IngestSummary, batch: list[Article], *, keep_ids: bool
) -> None:
    """Write and count a batch, then empty it."""
    for article, is_new in zip(batch, store.add_articles(batch), strict=True):
        if keep_ids:
            summary.article_ids.append(article.id)
        if is_new:
            summary.new += 1
        else:
            summary.known += 1
        if article.part is not None and article.file is not None:
            summary.split[article.file] = max(summary.split.get(article.file, 0), article.part)
        if article.encoding:
            summary.decoded[article.locator or article.id] = article.encoding
    batch.clear()


def extract_into(
    store: Store,
    extractor: Extractor,
    *,
    every: bool = False,
    summary: IngestSummary | None = None,
    on_article: Callable[[int, int], None] | None = None,
    doc_timeout: float | None = 20.0,
    workers: int = 1,
) -> IngestSummary:
    """Run extraction over stored articles and store what it finds.

    Args:
        every: re-read every article, not only those not read yet (after a model or
            rule change); each article's old records are replaced.
        summary: counts to add to (the ingest run's); a new one by default.
        on_article: called with (done, total) after each article.
        doc_timeout: seconds allowed to extract one article (None or 0: no limit); an
            article that overruns is abandoned with a K130 failure and stays unread, so
            the next ``khabar extract`` tries it again.
        workers: processes extracting side by side, each with the budget; records are
            stored by this process in the articles' order, as with one.
    """
    with bounded_writes(store):
        summary = summary or IngestSummary()
        total = store.count_to_extract(every=every)
        info = extractor.info
        summary.model = f"{info.name} {info.version}"
        done = 0
        write = record_writer(store, model=summary.model)
        with WorkerPool(extractor.pipe, workers=workers, budget=doc_timeout) as pool:
            for article, records in extract_each(
                pool, _pages(store, every=every), extractor.options.batch_size
            ):
                done += 1
                if isinstance(records, Late):
                    summary.failures.append(
                        late_failure(article.locator or article.id, "extraction", records)
                    )
                else:
                    write(article.id, records)
                    summary.extracted += 1
                    for record in records:
                        summary.records[record.kind] = summary.records.get(record.kind, 0) + 1
                if on_article:
                    on_article(done, max(total, done))
        write(None, None)
        return summary


def record_writer(
    store: Store, *, model: str | None, size: int = 50
) -> Callable[[str | None, list | None], None]:
    """A function storing an article's records; with a store that writes many articles
    in one transaction (``replace_records_many``), ``size`` at a time (a killed run
    loses at most those: they stay unread and the next run reads them again).
    ``write(None, None)`` flushes."""
    many = getattr(store, "replace_records_many", None)
    pending: list[tuple[str, list]] = []

    def write(article_id: str | None, records: list | None) -> None:
        if many is None:
            if article_id is not None and records is not None:
                store.replace_records(article_id, records, extractor=khabar_version(), model=model)
            return
        if article_id is not None and records is not None:
            pending.append((article_id, records))
        if pending and (article_id is None or len(pending) >= size):
            many(list(pending), extractor=khabar_version(), model=model)
            pending.clear()

    return write


def _pages(store: Store, *, every: bool, size: int = 200) -> Iterator[Article]:
    """The articles to extract, read from the store a page at a time: memory holds one
    page of ids and texts, not the corpus's. Each page starts after the last id of the
    one before (a keyset), so the articles extracted meanwhile do not shift it."""
    after: str | None = None
    while ids := store.ids_to_extract(every=every, after=after, limit=size):
        yield from store.get_articles(ids)
        after = ids[-1]
