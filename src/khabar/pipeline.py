"""Stages chained into jobs: what ``khabar ingest`` does, callable from Python.

The CLI and, later, the API and the batch runners call these; they hold no logic of a
stage, only the order of stages and the bookkeeping of a run.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from .errors import UsageError
from .ingest import IngestOptions, Reader, Source, discover
from .records import Article, Incident, IngestFailure
from .resolve import ResolveOptions
from .store import ExportRecord, Store

if TYPE_CHECKING:
    from .extract import Extractor

__all__ = [
    "IngestSummary",
    "account_records",
    "export_records",
    "extract_into",
    "ingest_into",
    "khabar_version",
    "merge_events",
    "repointed_records",
    "resolve_into",
    "split_event",
    "split_plan",
]


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
        description="ids of the articles read, in order (not in the JSON summary: a big "
        "run reads many)",
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
    if extractor is not None:
        extract_into(store, extractor, summary=summary)
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


def _store_batch(store: Store, summary: IngestSummary, batch: list[Article]) -> None:
    """Write and count a batch, then empty it."""
    for article, is_new in zip(batch, store.add_articles(batch), strict=True):
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
) -> IngestSummary:
    """Run extraction over stored articles and store what it finds.

    Args:
        every: re-read every article, not only those not read yet (after a model or
            rule change); each article's old records are replaced.
        summary: counts to add to (the ingest run's); a new one by default.
        on_article: called with (done, total) after each article.
    """
    summary = summary or IngestSummary()
    articles = store.articles_to_extract(every=every)
    info = extractor.info
    summary.model = f"{info.name} {info.version}"
    for done, (article, incidents) in enumerate(
        zip(articles, extractor.pipe(articles), strict=True), start=1
    ):
        store.replace_records(
            article.id, list(incidents), extractor=khabar_version(), model=summary.model
        )
        summary.extracted += 1
        for record in incidents:
            summary.records[record.kind] = summary.records.get(record.kind, 0) + 1
        if on_article:
            on_article(done, len(articles))
    return summary


def resolve_into(
    store: Store, *, options: ResolveOptions | None = None, rebuild: bool = False
) -> tuple[int, int]:
    """Resolve the stored incident mentions into events and store both.

    Incremental by default: decisions stored by earlier runs are replayed as they were
    and only new mentions are decided; ``rebuild`` decides every mention again (the same
    result, since decisions depend only on the mentions before them). An analyst's
    overrides (merges, splits) and corrections of fields apply either way.

    Returns:
        (mentions, events).
    """
    from .resolve import Decision, Override, Resolver, apply_corrections

    mentions = store.incident_mentions()
    links = {} if rebuild else store.resolution_links()
    overrides = [Override(a, b, relation) for a, b, relation in store.overrides()]
    touched = {o.a for o in overrides} | {o.b for o in overrides}
    from .extract.actors import load_actors

    resolver = Resolver(options, overrides, actors=load_actors())
    for mention, published in mentions:
        known = links.get(mention.id)
        if known is not None and mention.id not in touched:
            resolver.add(mention, published, known=Decision(mention.id, *known))
        else:
            resolver.add(mention, published)
    events = apply_corrections(resolver.events(), store.corrections(), resolver.event_of)
    store.save_resolution(
        events, [(d.mention_id, d.event_id, d.score, d.reason) for d in resolver.decisions]
    )
    return len(mentions), len(events)


def export_records(store: Store, kind: str | None = None) -> list[ExportRecord]:
    """What ``khabar export`` writes: the resolved incidents, and the statements and
    arrests with ``about`` pointing at those incidents."""
    records: list[ExportRecord] = []
    if kind in (None, "incident"):
        records += list(store.iter_events())
    for other in ("arrest", "statement"):
        if kind in (None, other):
            records += repointed_records(store, other)
    return records


def account_records(store: Store) -> list[tuple[Incident, str | None]]:
    """Every article's account of an incident as extraction read it, before resolution,
    with the resolved incident (event id) it joined: what ``khabar export --accounts``
    writes, so that extraction can be scored apart from merging."""
    links = store.resolution_links()
    return [
        (mention, links[mention.id][0] if mention.id in links else None)
        for mention, _ in store.incident_mentions()
    ]


def repointed_records(store: Store, kind: str) -> list[ExportRecord]:
    """The statements (or arrests), ``about`` re-pointed from the incident mention they
    were found beside to the resolved incident that holds it."""
    links = store.resolution_links()
    return [
        record.model_copy(update={"about": links[record.about][0]})
        if record.about and record.about in links
        else record
        for record in store.iter_records(kind)
    ]


def merge_events(store: Store, keep: str, other: str) -> tuple[str, int, int]:
    """Merge incident ``other`` into ``keep`` by hand: every pair of their mentions is
    stored as 'together', and everything is resolved again.

    Returns:
        (the event that now holds ``keep``'s first mention, mentions, events).
    """
    anchor = [m.id for m in store.mentions_of(keep)]
    store.add_overrides(
        [(a, b, "together") for a in anchor for b in (m.id for m in store.mentions_of(other))]
    )
    mentions, events = resolve_into(store, rebuild=True)
    holder = store.resolution_links()[anchor[0]][0] if anchor else keep
    return holder, mentions, events


def split_plan(store: Store, event_id: str, article: str) -> tuple[list[str], list[str]]:
    """The mentions of an event that come from an article (id or its start), and the
    others: what ``split_event`` would separate.

    Raises:
        UsageError: no account of the event comes from that article.
    """
    members = store.mentions_of(event_id)
    leaving = [m.id for m in members if m.sources and m.sources[0].article_id.startswith(article)]
    if not leaving:
        raise UsageError(f"no account of {event_id} comes from an article {article!r}")
    return leaving, [m.id for m in members if m.id not in leaving]


def split_event(store: Store, leaving: list[str], staying: list[str]) -> tuple[int, int]:
    """Keep two groups of mentions apart by hand (stored as 'apart') and resolve again.

    Returns:
        (mentions, events).
    """
    store.add_overrides([(x, y, "apart") for x in leaving for y in staying])
    return resolve_into(store, rebuild=True)
