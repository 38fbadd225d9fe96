"""`khabar show` for every id khabar prints other than an article's: an incident (evt-),
one article's account of it (inc-, shown as the incident that holds it), a statement
(st-), an arrest (ar-) and a hand decision (hd-)."""

import json
from typing import TYPE_CHECKING

from rich.markup import escape
from rich.table import Table

from ..errors import NotFound, UsageError
from ._app import ShowFormat, out

if TYPE_CHECKING:
    from ..store import Store

__all__ = ["RECORD_PREFIXES", "show_record"]

RECORD_PREFIXES = ("evt-", "inc-", "st-", "ar-", "hd-")


def show_record(store: "Store", wanted: str, fmt: ShowFormat) -> None:
    """Show the record an id (or its start) names; the prefix says which kind."""
    from ._incidents import _show_event

    if wanted.startswith("evt-"):
        _show_event(store, wanted, fmt)
    elif wanted.startswith("inc-"):
        mention = _unique(
            [m for m, _ in store.incident_mentions() if m.id.startswith(wanted)], wanted, "account"
        )
        event = store.resolution_links().get(mention.id, ("",))[0]
        if not event:
            raise NotFound(f"the account {mention.id} belongs to no incident: run khabar resolve")
        _show_event(store, event, fmt, account=mention.id)
    elif wanted.startswith("hd-"):
        decision = _unique(
            [d for d in store.hand_decisions() if d.id.startswith(wanted)], wanted, "decision"
        )
        if fmt is ShowFormat.json:
            out.out(decision.model_dump_json(indent=2), highlight=False)
            return
        out.print(
            f"[bold]{decision.id}[/bold]  {decision.kind} of {decision.event_id}"
            + (f" and {escape(decision.other)}" if decision.other else "")
            + f", made {decision.created_at:%Y-%m-%d %H:%M}, {decision.pairs} pair(s)"
        )
        out.print(f"khabar decisions revert {decision.id} takes it back")
    else:
        kind = "statement" if wanted.startswith("st-") else "arrest"
        _show_statement_or_arrest(store, wanted, kind, fmt)


def _unique(found: list, wanted: str, what: str):  # type: ignore[no-untyped-def,type-arg]
    if not found:
        raise NotFound(f"no {what} with an id starting {wanted!r}")
    if len({item.id for item in found}) > 1:
        raise UsageError(f"{wanted!r} is the start of several {what} ids")
    return found[0]


def _show_statement_or_arrest(store: "Store", wanted: str, kind: str, fmt: ShowFormat) -> None:
    from ..pipeline import repointed_records
    from ._incidents import _print_evidence, place_line

    record = _unique(
        [r for r in repointed_records(store, kind) if r.id.startswith(wanted)], wanted, kind
    )
    if fmt is ShowFormat.json:
        out.out(
            json.dumps(record.model_dump(mode="json"), ensure_ascii=False, indent=2),
            highlight=False,
        )
        return
    values: dict[str, str] = {}
    if kind == "statement":
        out.print(f"[bold]{record.id}[/bold]  {record.type}")
        values["source"] = record.source.name
        values["target"] = record.target.name if record.target else "-"
    else:
        out.print(f"[bold]{record.id}[/bold]  arrest")
        values["arrested"] = record.actor.name if record.actor else "-"
        values["count"] = "-" if record.count is None else str(record.count)
        values["place"] = place_line(record.location)
    values["date"] = (record.date.value if record.date else None) or "-"
    values["about"] = record.about or "-"
    values["articles"] = ", ".join(dict.fromkeys(s.article_id for s in record.sources)) or "-"
    summary = Table(box=None, show_header=False)
    for name, value in values.items():
        summary.add_row(name, escape(value))
    out.print(summary)
    _print_evidence(record.evidence)
