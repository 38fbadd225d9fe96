"""khabar resolve, incidents (list, merge, split, unmerge), decisions, and one incident
shown."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from ..errors import KhabarError, UsageError
from ..pipeline import (
    merge_events,
    merge_warnings,
    resolve_into,
    revert_decision,
    split_event,
    split_plan,
    unmerge_event,
)
from ..store import Store
from ._app import (
    DbOption,
    ListFormat,
    ShowFormat,
    _handles_errors,
    _settings,
    _store,
    app,
    out,
)

# -- resolution -----------------------------------------------------------------------


@app.command("resolve")
@_handles_errors
def resolve_command(
    db: DbOption = None,
    rebuild: Annotated[
        bool, typer.Option("--rebuild", help="Decide every mention again, not only new ones.")
    ] = False,
) -> None:
    """Merge the incidents that articles report into one incident per real event.

    Runs after every ingest and extract; run it with --rebuild to decide everything
    again (the result is the same as the incremental one). Analysts' merges and splits
    (khabar incidents merge/split) always apply.
    """
    settings = _settings(db)
    with _store(settings) as store:
        mentions, events = resolve_into(store, rebuild=rebuild)
    out.print(f"Resolution: {mentions} incident mention(s) in {events} incident(s).")


incidents_app = typer.Typer(
    help="List resolved incidents; merge or split them by hand.", no_args_is_help=False
)
app.add_typer(incidents_app, name="incidents")


@incidents_app.callback(invoke_without_command=True)
@_handles_errors
def incidents(
    ctx: typer.Context,
    db: DbOption = None,
    country: Annotated[str | None, typer.Option(help="ISO country code, e.g. PK.")] = None,
    review: Annotated[
        bool,
        typer.Option("--review", help="Only incidents whose values or sources disagree, with why."),
    ] = False,
    mentioned: Annotated[
        bool,
        typer.Option(
            "--mentioned",
            help="Also list incidents only passing mentions know (status 'mentioned').",
        ),
    ] = False,
    fmt: Annotated[
        ListFormat, typer.Option("--format", help="table for people, jsonl for scripts.")
    ] = ListFormat.table,
) -> None:
    """List incidents, one per real event, with how many articles report or mention them.

    Incidents that only passing mentions know are left out unless --mentioned (khabar
    export writes them, with status 'mentioned'); --review lists the incidents to check.
    """
    if ctx.invoked_subcommand is not None:
        return
    settings = _settings(db)
    with _store(settings, read_only=True) as store:
        found = [
            e
            for e in store.iter_events()
            if (country is None or (e.location and e.location.country == country.upper()))
            and (mentioned or review or e.status != "mentioned")
            and (not review or e.review)
        ]
    found.sort(key=lambda e: ((e.date.value if e.date else None) or "", e.id), reverse=True)
    if fmt is ListFormat.jsonl:
        for event in found:
            out.out(event.model_dump_json(), highlight=False)
        return
    table = Table(box=None, show_edge=False)
    for name, width in (
        ("id", 20),
        ("date", 10),
        ("type", 13),
        ("where", 24),
        ("killed", 6),
        ("sources", 9),
    ):
        table.add_column(name, no_wrap=True, overflow="ellipsis", max_width=width)
    for event in found:
        where = event.location
        place = (where.place or where.admin2 or where.admin1 or where.country) if where else "-"
        reports = sum(1 for s in event.sources if s.role == "report")
        table.add_row(
            event.id,
            (event.date.value if event.date else None) or "-",
            event.event_type,
            escape(f"{place}, {where.country}" if where and where.country else place or "-"),
            str(event.fatalities.best)
            if event.fatalities and event.fatalities.best is not None
            else "-",
            f"{reports}r {len(event.sources) - reports}m",
        )
    out.print(table)
    if review:
        for event in found:
            out.print(f"\n{event.id}:")
            for reason in event.review:
                out.print(f"  - {escape(reason)}")
    out.print(
        f"{len(found)} incident(s){' to review' if review else ''}; "
        "sources: r = reports, m = mentions"
    )


def _one_event(store: Store, prefix: str):  # type: ignore[no-untyped-def]
    found = store.find_events(prefix)
    if not found:
        raise KhabarError(f"no incident with an id starting {prefix!r}")
    if len(found) > 1:
        raise UsageError(f"{prefix!r} is the start of several incident ids")
    return found[0]


@incidents_app.command("merge")
@_handles_errors
def incidents_merge(
    first: Annotated[str, typer.Argument(metavar="A", help="An incident id (or its start).")],
    second: Annotated[str, typer.Argument(metavar="B", help="Another incident id.")],
    db: DbOption = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force", help="Merge even when the incidents are days apart or of other kinds."
        ),
    ] = False,
) -> None:
    """Merge incident B into A by hand; the decision is stored and survives re-runs
    (khabar incidents unmerge, or khabar decisions revert, takes it back)."""
    settings = _settings(db)
    with _store(settings) as store:
        a, b = _one_event(store, first), _one_event(store, second)
        warnings = merge_warnings(store, a.id, b.id)
        if warnings and not force:
            raise UsageError(
                "not merged: " + "; ".join(warnings) + " (--force merges all the same)"
            )
        _, mentions, events = merge_events(store, a.id, b.id)
    for warning in warnings:
        out.print(f"[yellow]warning:[/yellow] {escape(warning)}")
    out.print(f"Merged {b.id} into {a.id}: {mentions} mention(s) in {events} incident(s).")


@incidents_app.command("unmerge")
@_handles_errors
def incidents_unmerge(
    event: Annotated[str, typer.Argument(metavar="INCIDENT", help="An incident id.")],
    db: DbOption = None,
) -> None:
    """Undo the hand merges that joined accounts of an incident; resolution decides again."""
    settings = _settings(db)
    with _store(settings) as store:
        found = _one_event(store, event)
        undone, mentions, events = unmerge_event(store, found.id)
    names = ", ".join(d.id for d in undone)
    out.print(
        f"Undid {len(undone)} hand merge(s) of {found.id} ({names}): {mentions} mention(s) "
        f"in {events} incident(s)."
    )


decisions_app = typer.Typer(
    help="The analyst's stored merges and splits; revert takes one back.",
    no_args_is_help=False,
)
app.add_typer(decisions_app, name="decisions")


@decisions_app.callback(invoke_without_command=True)
@_handles_errors
def decisions(
    ctx: typer.Context,
    db: DbOption = None,
    fmt: Annotated[
        ListFormat, typer.Option("--format", help="table for people, jsonl for scripts.")
    ] = ListFormat.table,
) -> None:
    """List the hand decisions (merges and splits) in force, oldest first."""
    if ctx.invoked_subcommand is not None:
        return
    settings = _settings(db)
    with _store(settings, read_only=True) as store:
        found = store.hand_decisions()
    if fmt is ListFormat.jsonl:
        for decision in found:
            out.out(decision.model_dump_json(), highlight=False)
        return
    table = Table(box=None, show_edge=False)
    for name in ("id", "kind", "incident", "other", "made", "pairs"):
        table.add_column(name, overflow="fold")
    for decision in found:
        table.add_row(
            decision.id,
            decision.kind,
            decision.event_id,
            escape(decision.other or "-"),
            decision.created_at.strftime("%Y-%m-%d %H:%M"),
            str(decision.pairs),
        )
    out.print(table)
    out.print(f"{len(found)} hand decision(s); khabar decisions revert ID takes one back")


@decisions_app.command("revert")
@_handles_errors
def decisions_revert(
    decision: Annotated[str, typer.Argument(metavar="ID", help="A decision id (or its start).")],
    db: DbOption = None,
) -> None:
    """Take back one hand decision; resolution decides those accounts again."""
    settings = _settings(db)
    with _store(settings) as store:
        removed, mentions, events = revert_decision(store, decision)
    out.print(
        f"Reverted {removed.kind} {removed.id}: {mentions} mention(s) in {events} incident(s)."
    )


@incidents_app.command("split")
@_handles_errors
def incidents_split(
    event: Annotated[str, typer.Argument(metavar="INCIDENT", help="An incident id.")],
    article: Annotated[
        str, typer.Argument(metavar="ARTICLE", help="The id of the article to split off.")
    ],
    db: DbOption = None,
) -> None:
    """Split one article's account off an incident by hand; stored, survives re-runs."""
    settings = _settings(db)
    with _store(settings) as store:
        found = _one_event(store, event)
        leaving, staying = split_plan(store, found.id, article)
        total, events = split_event(store, leaving, staying, event_id=found.id, article=article)
    out.print(
        f"Split {len(leaving)} account(s) off {found.id}: {total} mention(s) in "
        f"{events} incident(s)."
    )


def _show_event(store: Store, prefix: str, fmt: ShowFormat) -> None:
    event = _one_event(store, prefix)
    links = store.resolution_links()
    members = [
        (mention, published)
        for mention, published in store.incident_mentions()
        if links.get(mention.id, ("",))[0] == event.id
    ]
    if fmt is ShowFormat.json:
        data = event.model_dump(mode="json") | {
            "accounts": [
                {"mention": m.model_dump(mode="json"), "decision": links[m.id][1:]}
                for m, _ in members
            ]
        }
        out.out(json.dumps(data, ensure_ascii=False, indent=2), highlight=False)
        return
    status = " (known only from mentions)" if event.status == "mentioned" else ""
    out.print(f"[bold]{event.id}[/bold]  {event.event_type}{status}")
    for reason in event.review:
        out.print(f"[yellow]review:[/yellow] {escape(reason)}")
    summary = Table(box=None, show_header=False)
    for name, value in _event_values(event).items():
        summary.add_row(name, escape(value))
    out.print(summary)
    out.print(f"\nsources ({len(event.sources)}):")
    for mention, published in members:
        source = mention.sources[0]
        _, score, reason = links[mention.id]
        out.print(
            f"  {escape(source.file or source.article_id)} ({source.role}, "
            f"{published or 'undated'}): {escape(reason)}"
            + (f" [score {score:.1f}]" if score is not None else "")
        )
    conflicts = Table("field", "value", "source", box=None)
    for name in ("date", "place", "fatalities", "injured", "event_type", "claimed by"):
        values = {_event_values(m)[name] for m, _ in members}
        if len(values) > 1:
            for mention, _ in members:
                conflicts.add_row(
                    name,
                    escape(_event_values(mention)[name]),
                    escape(mention.sources[0].file or ""),
                )
    if conflicts.row_count:
        out.print("\nwhere the sources disagree:")
        out.print(conflicts)
    out.print("\nevidence:")
    for evidence in event.evidence:
        out.print(
            f"  {evidence.field}: {escape(evidence.quote)}  "
            f"[{evidence.article_id} {evidence.start}-{evidence.end}]"
        )


def _event_values(incident) -> dict[str, str]:  # type: ignore[no-untyped-def]
    where = incident.location
    place = (
        ", ".join(filter(None, [where.place, where.admin2, where.admin1, where.country]))
        if where
        else "-"
    )

    def count(value) -> str:  # type: ignore[no-untyped-def]
        if value is None:
            return "-"
        return f"{value.best} (low {value.low}, high {value.high})"

    return {
        "date": (incident.date.value if incident.date else None) or "-",
        "place": place or "-",
        "fatalities": count(incident.fatalities),
        "injured": count(incident.injured),
        "event_type": incident.event_type,
        "victims": ", ".join(f"{v.nationality} {v.count}" for v in incident.victims) or "-",
        "claimed by": (incident.perpetrator.claimed_by if incident.perpetrator else None) or "-",
        "target": incident.target or "-",
    }
