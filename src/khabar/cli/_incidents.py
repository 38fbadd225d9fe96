"""khabar resolve, incidents (list, merge, split, unmerge), decisions, and one incident
shown."""

import json
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from ..errors import NotFound, UsageError
from ._app import (
    DbOption,
    ListFormat,
    QuietOption,
    ShowFormat,
    _handles_errors,
    _settings,
    _store,
    _where,
    app,
    out,
)

if TYPE_CHECKING:
    from ..store import Store

# -- resolution -----------------------------------------------------------------------


@app.command("resolve")
@_handles_errors
def resolve_command(
    db: DbOption = None,
    rebuild: Annotated[
        bool, typer.Option("--rebuild", help="Decide every mention again, not only new ones.")
    ] = False,
    quiet: QuietOption = False,
) -> None:
    """Merge the incidents that articles report into one incident per real event.

    Runs after every ingest and extract; run it with --rebuild to decide everything
    again (the result is the same as the incremental one). Analysts' merges and splits
    (khabar incidents merge/split) always apply.
    """
    from ..pipeline import resolve_into
    from ._progress import counter

    settings = _settings(db)
    with _store(settings) as store, counter("resolve", enabled=not quiet) as on_mention:
        mentions, events = resolve_into(store, rebuild=rebuild, on_mention=on_mention)
    out.print(f"Resolution: {mentions} incident mention(s) in {events} incident(s).")


incidents_app = typer.Typer(
    help="List resolved incidents; merge or split them by hand.", no_args_is_help=False
)
app.add_typer(incidents_app, name="incidents")


class EventKind(StrEnum):
    bombing = "bombing"
    armed_assault = "armed_assault"
    drone_strike = "drone_strike"
    air_strike = "air_strike"
    kidnapping = "kidnapping"
    hijacking = "hijacking"
    assassination = "assassination"
    clash = "clash"
    other_attack = "other_attack"


# The API's query parameter each option fills (serve/_catalog.py's IncidentFilter).
INCIDENT_OPTIONS = {
    "since": "--since",
    "until": "--until",
    "country": "--country",
    "admin1": "--admin1",
    "event_type": "--type",
    "nationality": "--victim-nationality",
    "actor": "--actor",
    "min_fatalities": "--min-killed",
    "suicide": "--suicide",
    "q": "--text",
    "review": "--review",
}


@incidents_app.callback(invoke_without_command=True)
@_handles_errors
def incidents(
    ctx: typer.Context,
    db: DbOption = None,
    since: Annotated[
        str | None, typer.Option(help="On or after this day (YYYY-MM-DD).", show_default=False)
    ] = None,
    until: Annotated[
        str | None, typer.Option(help="On or before this day (YYYY-MM-DD).", show_default=False)
    ] = None,
    country: Annotated[
        str | None, typer.Option(help="Country: ISO code or name (PK, pk, Pakistan).")
    ] = None,
    admin1: Annotated[str | None, typer.Option(help="Province (admin1), any case.")] = None,
    kinds: Annotated[
        list[EventKind] | None,
        typer.Option(
            "--type", help="Event type, any case; repeat for several.", case_sensitive=False
        ),
    ] = None,
    actor: Annotated[
        str | None, typer.Option(help="Claimed by or alleged against (name or alias).")
    ] = None,
    nationality: Annotated[
        str | None,
        typer.Option(
            "--victim-nationality", help="Victims of this nationality (code, country or demonym)."
        ),
    ] = None,
    min_killed: Annotated[
        int | None, typer.Option("--min-killed", help="Best fatality estimate at least this.")
    ] = None,
    suicide: Annotated[
        bool | None,
        typer.Option("--suicide/--no-suicide", help="Only suicide (or non-suicide) attacks."),
    ] = None,
    text: Annotated[
        str | None, typer.Option(help="Places, target, actors or evidence contain this.")
    ] = None,
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
        ListFormat,
        typer.Option(
            "--format",
            case_sensitive=False,
            help="table for people, jsonl for scripts.",
        ),
    ] = ListFormat.table,
) -> None:
    """List incidents, one per real event, with how many articles report or mention them.

    The filters are those of GET /api/incidents. Incidents that only passing mentions
    know are left out unless --mentioned (khabar export writes them, with status
    'mentioned'); --review lists the incidents to check.
    """
    if ctx.invoked_subcommand is not None:
        return
    from ..serve._catalog import IncidentFilter
    from ._filters import build_filter, country_code

    wanted = build_filter(
        IncidentFilter,
        INCIDENT_OPTIONS,
        since=since,
        until=until,
        country=country_code(country, "--country"),
        admin1=admin1,
        event_type=[k.value for k in kinds] if kinds else None,
        nationality=country_code(nationality, "--victim-nationality"),
        actor=actor,
        min_fatalities=min_killed,
        suicide=suicide,
        q=text,
        review=True if review else None,
        mentioned=mentioned or review,
    )
    settings = _where(db)
    with _store(settings, read_only=True) as store:
        found = [row.incident for row in _catalog(store, actor).filter_incidents(wanted)]
    found.sort(key=lambda e: ((e.date.value if e.date else None) or "", e.id), reverse=True)
    if fmt is ListFormat.jsonl:
        for event in found:
            out.out(event.model_dump_json(), highlight=False)
        return
    out.print(incident_table(found, out.width))
    if review:
        for event in found:
            out.print(f"\n{event.id}:")
            for reason in event.review:
                out.print(f"  - {escape(reason)}")
    out.print(
        f"{len(found)} incident(s){' to review' if review else ''}; "
        "sources: r = reports, m = mentions"
    )


def _catalog(store: "Store", *names: str | None):  # type: ignore[no-untyped-def]
    """The API's read model. The actor dictionary (a second to parse) loads only when
    an actor is asked for: the rows need canonical names for that filter alone."""
    from ..extract.actors import ActorDictionary
    from ..serve._catalog import Catalog

    return Catalog(store, actors=None if any(names) else ActorDictionary(actors={}))


def incident_table(found: list, width: int) -> Table:  # type: ignore[type-arg]
    """Incidents as a table that never cuts an id: the place wraps, and on a narrow
    screen the type and then the date columns go first."""
    id_width = max((len(e.id) for e in found), default=20)
    # "11 Oct, year unknown" is wider than a full date: the column fits the widest
    date_width = max((len(e.date.label() or "") for e in found if e.date), default=10)
    columns = {
        "id": id_width,
        "date": max(10, date_width),
        "type": 13,
        "where": 0,
        "killed": 6,
        "sources": 7,
    }
    for dropped in ("type", "date"):
        fixed = sum(columns.values()) + 2 * len(columns)
        if width - fixed >= 16:
            break
        del columns[dropped]
    columns["where"] = max(12, width - sum(columns.values()) - 2 * len(columns))
    table = Table(box=None, show_edge=False, pad_edge=False)
    for name, size in columns.items():
        wraps = name == "where"
        table.add_column(
            name, width=size, no_wrap=not wraps, overflow="fold" if wraps else "ellipsis"
        )
    for event in found:
        reports = sum(1 for s in event.sources if s.role == "report")
        cells = {
            "id": event.id,
            "date": (event.date.label() if event.date else None) or "-",
            "type": event.event_type,
            "where": escape(place_line(event.location, short=True)),
            "killed": str(event.fatalities.best)
            if event.fatalities and event.fatalities.best is not None
            else "-",
            "sources": f"{reports}r {len(event.sources) - reports}m",
        }
        table.add_row(*(cells[name] for name in columns))
    return table


def place_line(where, *, short: bool = False) -> str:  # type: ignore[no-untyped-def]
    """ "Gwadar, Balochistan, PK": each name once, however many levels share it (a
    district named after its town); ``short`` keeps the most precise name and the
    country."""
    if where is None:
        return "-"
    names = [where.place, where.admin2, where.admin1]
    if short:
        names = [next((n for n in names if n), None)]
    seen: list[str] = []
    for name in [*names, where.country]:
        if name and name.casefold() not in {s.casefold() for s in seen}:
            seen.append(name)
    return ", ".join(seen) or "-"


def _one_event(store: "Store", prefix: str):  # type: ignore[no-untyped-def]
    found = store.find_events(prefix)
    if not found:
        raise NotFound(f"no incident with an id starting {prefix!r}")
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
    from ..pipeline import merge_events, merge_warnings

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
    from ..pipeline import unmerge_event

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
        ListFormat,
        typer.Option("--format", case_sensitive=False, help="table for people, jsonl for scripts."),
    ] = ListFormat.table,
) -> None:
    """List the hand decisions (merges and splits) in force, oldest first."""
    if ctx.invoked_subcommand is not None:
        return
    settings = _where(db)
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
    from ..pipeline import revert_decision

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
    from ..pipeline import split_event, split_plan

    settings = _settings(db)
    with _store(settings) as store:
        found = _one_event(store, event)
        leaving, staying = split_plan(store, found.id, article)
        total, events = split_event(store, leaving, staying, event_id=found.id, article=article)
    out.print(
        f"Split {len(leaving)} account(s) off {found.id}: {total} mention(s) in "
        f"{events} incident(s)."
    )


def _show_event(
    store: "Store", prefix: str, fmt: ShowFormat, *, account: str | None = None
) -> None:
    event = _one_event(store, prefix)
    links = store.resolution_links()
    members = [
        (mention, published)
        for mention, published in store.incident_mentions()
        if links.get(mention.id, ("",))[0] == event.id
    ]
    if fmt is ShowFormat.json:
        data = event.model_dump(mode="json") | {
            "articles": _article_ids(members),
            "accounts": [
                {"mention": m.model_dump(mode="json"), "decision": links[m.id][1:]}
                for m, _ in members
            ],
        }
        out.out(json.dumps(data, ensure_ascii=False, indent=2), highlight=False)
        return
    status = " (known only from mentions)" if event.status == "mentioned" else ""
    out.print(f"[bold]{event.id}[/bold]  {event.event_type}{status}")
    if account:
        out.print(f"(the incident that holds the account {account})")
    for reason in event.review:
        out.print(f"[yellow]review:[/yellow] {escape(reason)}")
    summary = Table(box=None, show_header=False)
    for name, value in _event_values(event).items():
        summary.add_row(name, escape(value))
    out.print(summary)
    articles = _article_ids(members)
    out.print(
        f"\narticles ({len(articles)}; khabar incidents split {event.id} ARTICLE takes one off):"
    )
    for article_id in articles:
        out.print(f"  {article_id}")
    out.print(f"\nsources ({len(event.sources)}):")
    for mention, published in members:
        source = mention.sources[0]
        _, score, reason = links[mention.id]
        out.print(
            f"  {source.article_id} {escape(source.file or '')} ({source.role}, "
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
                    escape(mention.sources[0].file or mention.sources[0].article_id),
                )
    if conflicts.row_count:
        out.print("\nwhere the sources disagree:")
        out.print(conflicts)
    _print_evidence(
        event.evidence, {m.sources[0].article_id: m.sources[0].file for m, _ in members}
    )


def _article_ids(members) -> list[str]:  # type: ignore[no-untyped-def]
    """The articles behind an incident's accounts, each once, in arrival order."""
    return list(dict.fromkeys(s.article_id for m, _ in members for s in m.sources[:1]))


def _print_evidence(evidence, files: dict[str, str | None] | None = None) -> None:  # type: ignore[no-untyped-def]
    """Evidence grouped by field, then by the article it was read in."""
    grouped: dict[str, dict[str, list]] = {}  # type: ignore[type-arg]
    for item in evidence:
        grouped.setdefault(item.field, {}).setdefault(item.article_id, []).append(item)
    out.print("\nevidence:")
    for field, by_article in grouped.items():
        out.print(f"  {field}:")
        for article_id, items in by_article.items():
            name = (files or {}).get(article_id)
            out.print(f"    {article_id}" + (f" ({escape(name)})" if name else ""))
            for item in items:
                out.print(f"      {escape(item.quote)}  [{item.start}-{item.end}]")


def _count(value) -> str:  # type: ignore[no-untyped-def]
    """ "4 (low 3)": the bounds that are known and differ from the best, never "None"."""
    if value is None or (value.best is None and value.low is None and value.high is None):
        return "-"
    bounds = [
        f"{name} {bound}"
        for name, bound in (("low", value.low), ("high", value.high))
        if bound is not None and bound != value.best
    ]
    best = "-" if value.best is None else str(value.best)
    return f"{best} ({', '.join(bounds)})" if bounds else best


def _event_values(incident) -> dict[str, str]:  # type: ignore[no-untyped-def]
    claimed = incident.perpetrator.claimed_by if incident.perpetrator else None
    return {
        "date": (incident.date.label() if incident.date else None) or "-",
        "place": place_line(incident.location),
        "fatalities": _count(incident.fatalities),
        "injured": _count(incident.injured),
        "event_type": incident.event_type,
        "victims": ", ".join(
            f"{v.nationality} {v.count}" if v.count is not None else str(v.nationality)
            for v in incident.victims
        )
        or "-",
        "claimed by": claimed or "-",
        "target": incident.target or "-",
    }
