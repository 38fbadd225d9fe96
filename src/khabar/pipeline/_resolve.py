"""Resolution as a job: the stored mentions read in order, the last decisions
replayed, the events and links written back under one lock."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import nullcontext
from typing import TYPE_CHECKING, Any

from ..records import Incident
from ..resolve import ResolveOptions
from ..resolve._links import StoredLinks
from ..store import Store

if TYPE_CHECKING:
    from ..resolve import Resolver


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
    from ..extract.actors import load_actors
    from ..extract.gazetteer import load_gazetteer
    from ..resolve import Decision, Override, Resolver, apply_corrections

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
