"""Stages chained into jobs: what ``khabar ingest`` does, callable from Python.

The CLI and, later, the API and the batch runners call these; they hold no logic of a
stage, only the order of stages and the bookkeeping of a run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import AbstractContextManager, nullcontext
from functools import partial
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field

from .batch import Late, WorkerPool
from .batch._rows import extract_each, late_failure, reading_budget
from .errors import NotFound, UsageError
from .ingest import Fetcher, IngestOptions, Reader, Source, discover
from .records import Article, HandDecision, Incident, IngestFailure
from .resolve import ResolveOptions
from .resolve._links import StoredLinks
from .store import ExportRecord, Store

if TYPE_CHECKING:
    from .export import ExportContext
    from .extract import Extractor
    from .resolve import Resolver

__all__ = [
    "IngestSummary",
    "account_records",
    "articles_by_id",
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
    fetcher: Fetcher | None = None,
    known: Callable[[str], bool] | None = None,
    workers: int = 1,
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
            for source, items, late in pool.map(sources, budget_of=budgets):
                for item in items:
                    if isinstance(item, IngestFailure):
                        summary.failures.append(item)
                        continue
                    batch.append(item)
                    if len(batch) >= batch_size:
                        _store_batch(store, summary, batch)
                if late is not None:
                    summary.failures.append(late_failure(source.locator, "reading", late))
                if on_source:
                    on_source(source, len(sources))
        _store_batch(store, summary, batch)
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


def bounded_writes(store: Store) -> AbstractContextManager[None]:
    """DuckDB's memory capped while a command writes (``DuckDBStore.bounded_writes``),
    so that its buffer pool does not grow with the database; other stores as they are."""
    bounded = getattr(store, "bounded_writes", None)
    return bounded() if bounded is not None else nullcontext()


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
        ids = store.ids_to_extract(every=every)
        info = extractor.info
        summary.model = f"{info.name} {info.version}"
        done = 0
        write = record_writer(store, model=summary.model)
        with WorkerPool(extractor.pipe, workers=workers, budget=doc_timeout) as pool:
            for article, records in extract_each(
                pool, _pages(store, ids), extractor.options.batch_size
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
                    on_article(done, len(ids))
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


def _pages(store: Store, ids: list[str], size: int = 200) -> Iterator[Article]:
    """The articles of ``ids``, read from the store a page at a time: memory holds one
    page of texts, not the corpus."""
    for start in range(0, len(ids), size):
        yield from store.get_articles(ids[start : start + size])


def resolve_into(
    store: Store,
    *,
    options: ResolveOptions | None = None,
    rebuild: bool = False,
    on_mention: Callable[[int, int | None], None] | None = None,
) -> tuple[int, int]:
    """Resolve the stored incident mentions into events and store both.

    Incremental by default: decisions stored by earlier runs are replayed as they were
    and only new mentions are decided; ``rebuild`` decides every mention again (the same
    result, since decisions depend only on the mentions before them). An analyst's
    overrides (merges, splits) and corrections of fields apply either way.

    ``on_mention`` is called with (done, total) after each mention is decided; total is
    None when the store streams its mentions and their number is not read first.

    With a store that streams mentions (``mention_snapshot``: both passes read one
    snapshot), memory does not grow with the corpus: a first pass decides every
    mention keeping only each event's summary (``Candidate``), and only the events of
    recent weeks in memory (``resolve._window.Window``: the others, the decisions and
    the dates in a temporary file, found again by their blocking keys); a second pass
    reads the mentions again in the same order and reconciles each event as soon as its
    last account has been read, and ``save_resolution`` writes them as they close. Both
    passes give exactly the events of the one-pass path, which other stores keep.

    Returns:
        (mentions, events).
    """
    from .extract.actors import load_actors
    from .extract.gazetteer import load_gazetteer
    from .resolve import Decision, Override, Resolver, apply_corrections

    stream = getattr(store, "iter_incident_mentions", None)
    snapshot = getattr(store, "mention_snapshot", None)
    # Read and write under one lock: on a shared server, a resolution that read before
    # another process's mentions were stored must not overwrite one that saw them.
    with store.lock("resolve"), snapshot() if snapshot else nullcontext(stream) as stream:
        links = _stored_links(store, rebuild=rebuild)
        on_disk = links if isinstance(links, StoredLinks) else None
        overrides = [Override(a, b, relation) for a, b, relation in store.overrides()]
        corrections = store.corrections()
        touched = {o.a for o in overrides} | {o.b for o in overrides}
        resolver = Resolver(
            options,
            overrides,
            actors=load_actors(),
            gazetteer=load_gazetteer(),
            keep_mentions=stream is None,
            remember={c.anchor for c in corrections},
        )
        try:
            mentions = stream() if stream is not None else store.incident_mentions()
            total = None if stream is not None else len(mentions)
            count = 0
            # A stored decision holds only while no new mention comes before it: another
            # process may store an article that sorts before mentions already decided.
            replay = True
            for done, (mention, published) in enumerate(mentions, 1):
                count = done
                known = links.get(mention.id) if replay else None
                replay = known is not None
                if known is not None and mention.id not in touched:
                    resolver.add(mention, published, known=Decision(mention.id, *known))
                else:
                    resolver.add(mention, published)
                if on_mention:
                    on_mention(done, total)
            del links
            if on_disk is not None:
                on_disk.close()  # the file: its decisions are replayed
            if stream is None:
                decided = [
                    (d.mention_id, d.event_id, d.score, d.reason) for d in resolver.decisions
                ]
                events = resolver.reviewed(
                    apply_corrections(resolver.events(), corrections, resolver.event_of)
                )
                store.save_resolution(events, decided)
                return count, len(events)
            closed = _Closed(resolver, stream(), corrections)
            store.save_resolution(closed, closed.links())
            return count, resolver.event_count()
        finally:
            if on_disk is not None:
                on_disk.close()
            resolver.release()


def _stored_links(store: Store, *, rebuild: bool) -> Mapping[str, Any] | StoredLinks:
    """The last resolution's decisions, to replay: none for a rebuild; on disk when the
    store streams them (``StoredLinks``), else the store's dict."""
    if rebuild:
        return {}
    rows = getattr(store, "iter_resolution_links", None)
    return StoredLinks(rows()) if rows is not None else store.resolution_links()


class _Closed:
    """The second pass: each event reconciled once its last account (in resolution
    order) is read, and, once the events are written, the decisions read back."""

    def __init__(
        self, resolver: Resolver, mentions: Iterable[tuple[Incident, object]], corrections: list
    ) -> None:
        self.resolver, self.mentions = resolver, mentions
        self.targets = resolver.correction_targets(corrections)

    def __iter__(self) -> Iterator[Incident]:
        decisions = self.resolver.decisions_read()
        for (mention, _published), decided in zip(self.mentions, decisions, strict=True):
            mention_id, event_id, _score, _reason, last = decided
            assert mention_id == mention.id, "mentions changed"
            self.resolver.hold(event_id, mention)
            if last:
                accounts = self.resolver.accounts_of(event_id)
                yield self.resolver.close(event_id, accounts, self.targets.get(event_id, ()))

    def links(self) -> Iterator[tuple[str, str, float | None, str]]:
        for mention_id, event_id, score, reason, _last in self.resolver.decisions_read():
            yield mention_id, event_id, score, reason


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


def articles_by_id(store: Store, ids: list[str]) -> dict[str, Article]:
    """The stored articles with these ids: one lookup each for a few, one scan of the
    table for many (a lookup costs a few ms; a scan reads every row once)."""
    wanted = set(ids)
    if len(wanted) > 50:
        from .store import ArticleQuery

        return {a.id: a for a in store.list_articles(ArticleQuery()) if a.id in wanted}
    found: dict[str, Article] = {}
    for article_id in wanted:
        for article in store.find_articles(article_id):
            if article.id == article_id:
                found[article_id] = article
    return found


def export_context(
    store: Store, records: list[ExportRecord], *, base_url: str | None = None
) -> ExportContext:
    """What the derived export formats need beyond the records: the outlet, title, URL
    and date of every article the records cite."""
    from .export import ExportContext
    from .export._context import ArticleInfo

    urls = {s.article_id: s.url for record in records for s in record.sources}
    found = articles_by_id(store, list(urls))
    articles = {
        article_id: ArticleInfo(
            outlet=found[article_id].outlet if article_id in found else None,
            title=found[article_id].title if article_id in found else None,
            url=(found[article_id].url if article_id in found else None) or url,
            published=found[article_id].published if article_id in found else None,
        )
        for article_id, url in urls.items()
    }
    return ExportContext(articles=articles, base_url=base_url)


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


def merge_warnings(store: Store, keep: str, other: str) -> list[str]:
    """Why merging two incidents may be wrong: their days are more than a day apart,
    or they are different kinds of attack. Empty when nothing speaks against it."""
    from .resolve import FAMILY

    first, second = (store.find_events(x) for x in (keep, other))
    if len(first) != 1 or len(second) != 1:
        return []
    a, b = first[0], second[0]
    warnings = []
    days = [e.date.earliest for e in (a, b) if e.date and e.date.earliest]
    if len(days) == 2 and abs((days[0] - days[1]).days) > 1:
        warnings.append(
            f"the incidents are {abs((days[0] - days[1]).days)} days apart "
            f"({a.date.value} and {b.date.value})"  # type: ignore[union-attr]
        )
    if FAMILY.get(a.event_type, a.event_type) != FAMILY.get(b.event_type, b.event_type):
        warnings.append(
            f"the incidents are different kinds of attack ({a.event_type}, {b.event_type})"
        )
    return warnings


def _decision(kind: str, event_id: str, other: str | None) -> HandDecision:
    import datetime as dt
    import uuid

    return HandDecision(
        id="hd-" + uuid.uuid4().hex[:10],
        kind=kind,  # type: ignore[arg-type]
        event_id=event_id,
        other=other,
        created_at=dt.datetime.now(dt.UTC).replace(tzinfo=None),
    )


def merge_events(store: Store, keep: str, other: str) -> tuple[str, int, int]:
    """Merge incident ``other`` into ``keep`` by hand: every pair of their mentions is
    stored as 'together', under one hand decision that ``revert_decision`` takes back,
    and everything is resolved again.

    Returns:
        (the event that now holds ``keep``'s first mention, mentions, events).
    """
    anchor = [m.id for m in store.mentions_of(keep)]
    store.add_overrides(
        [(a, b, "together") for a in anchor for b in (m.id for m in store.mentions_of(other))],
        decision=_decision("merge", keep, other),
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


def split_event(
    store: Store,
    leaving: list[str],
    staying: list[str],
    *,
    event_id: str | None = None,
    article: str | None = None,
) -> tuple[int, int]:
    """Keep two groups of mentions apart by hand (stored as 'apart', under one hand
    decision) and resolve again.

    Returns:
        (mentions, events).
    """
    store.add_overrides(
        [(x, y, "apart") for x in leaving for y in staying],
        decision=_decision("split", event_id or "", article),
    )
    return resolve_into(store, rebuild=True)


def revert_decision(store: Store, decision_id: str) -> tuple[HandDecision, int, int]:
    """Take back one hand decision (its pairs are deleted) and resolve again.

    Raises:
        UsageError: no decision has that id (or the start of it).

    Returns:
        (the decision taken back, mentions, events).
    """
    matches = [d for d in store.hand_decisions() if d.id.startswith(decision_id)]
    if not matches:
        raise NotFound(
            f"no hand decision with an id starting {decision_id!r} (see khabar decisions)"
        )
    if len(matches) > 1:
        raise UsageError(
            f"several hand decisions with an id starting {decision_id!r} (see khabar decisions)"
        )
    removed = store.remove_decision(matches[0].id)
    assert removed is not None
    mentions, events = resolve_into(store, rebuild=True)
    return removed, mentions, events


def unmerge_event(store: Store, event_id: str) -> tuple[list[HandDecision], int, int]:
    """Undo the hand merges that joined accounts of an incident: every merge decision
    with a pair inside it is taken back, and resolution decides again.

    Raises:
        UsageError: no hand merge joined accounts of that incident.

    Returns:
        (the decisions taken back, mentions, events).
    """
    members = {m.id for m in store.mentions_of(event_id)}
    merges = [
        d
        for d in store.hand_decisions()
        if d.kind == "merge" and len(members & set(d.mentions)) >= 2
    ]
    if not merges:
        raise UsageError(f"no hand merge joined accounts of {event_id}")
    for decision in merges:
        store.remove_decision(decision.id)
    mentions, events = resolve_into(store, rebuild=True)
    return merges, mentions, events
