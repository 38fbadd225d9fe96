"""Hand decisions (merge, split, revert, unmerge): each is recorded, then the
resolution is rebuilt so that it holds."""

from __future__ import annotations

from ..errors import NotFound, UsageError
from ..records import HandDecision
from ..store import Store
from ._resolve import resolve_into


def merge_warnings(store: Store, keep: str, other: str) -> list[str]:
    """Why merging two incidents may be wrong: their days are more than a day apart,
    or they are different kinds of attack. Empty when nothing speaks against it."""
    from ..resolve import FAMILY

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
