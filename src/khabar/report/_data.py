"""What a report covers: the period's incidents and statements, and their figures.

An incident belongs to the period when its whole date window lies inside it (a date
known to the day, or a month inside a quarter); incidents whose window only overlaps the
period are counted apart (``overlapping``), never in the figures. Incidents that
resolution marks ``status: "mentioned"`` (known only from passing mentions) are left out.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from pydantic import BaseModel, Field, field_validator, model_validator

from ..errors import UsageError
from ..records import Incident, Statement
from ..store import Store

__all__ = ["Figures", "ReportData", "ReportOptions", "SourceRow", "build", "parse_since"]

_RELATIVE = re.compile(r"^(\d{1,4})([dwmy])$")
_DAYS = {"d": 1, "w": 7, "m": 30, "y": 365}
# Which statements a reader needs first: claims and accusations before courtesies.
_STATEMENT_RANK = {
    "CLAIM_RESPONSIBILITY": 0,
    "ACCUSE": 1,
    "THREATEN": 2,
    "REJECT": 3,
    "REQUEST": 4,
    "SUPPORT": 5,
    "AGREE": 6,
}
NOTABLE_STATEMENTS = 12


def parse_since(text: str, until: dt.date) -> dt.date:
    """``7d``, ``2w``, ``3m`` (30 days each), ``1y`` back from ``until`` (both days
    counted), or a day ``YYYY-MM-DD``.

    Raises:
        UsageError: neither form.
    """
    match = _RELATIVE.match(text.strip().lower())
    if match:
        days = int(match.group(1)) * _DAYS[match.group(2)]
        if days < 1:
            raise UsageError(f"--since {text!r}: a period of at least one day")
        return until - dt.timedelta(days=days - 1)
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError as error:
        raise UsageError(f"--since {text!r}: give 7d, 2w, 3m, 1y or a date YYYY-MM-DD") from error


class ReportOptions(BaseModel):
    """The period and scope of a report."""

    since: dt.date
    until: dt.date
    country: str | None = Field(None, pattern=r"^[A-Za-z]{2}$", description="ISO alpha-2")
    base_url: str | None = Field(None, description="the dashboard, for links to incidents")
    title: str | None = None

    @field_validator("country")
    @classmethod
    def _upper(cls, value: str | None) -> str | None:
        return value.upper() if value else value

    @field_validator("base_url")
    @classmethod
    def _http(cls, value: str | None) -> str | None:
        if value and not re.match(r"^https?://", value):
            raise ValueError("the base URL must start with http:// or https://")
        return value.rstrip("/") if value else value

    @model_validator(mode="after")
    def _ordered(self) -> ReportOptions:
        if self.until < self.since:
            raise ValueError(f"until ({self.until}) is before since ({self.since})")
        return self

    @property
    def days(self) -> int:
        return (self.until - self.since).days + 1

    @property
    def previous(self) -> tuple[dt.date, dt.date]:
        """The period of the same length just before this one."""
        end = self.since - dt.timedelta(days=1)
        return end - dt.timedelta(days=self.days - 1), end


@dataclass(frozen=True)
class Figures:
    incidents: int = 0
    fatalities: int = 0
    injured: int = 0
    foreign_killed: int = 0
    """victims of a nationality other than the incident's country"""
    statements: int = 0


@dataclass(frozen=True)
class SourceRow:
    article_id: str
    outlet: str | None
    title: str | None
    url: str | None
    published: dt.date | None
    cited: int


@dataclass
class ReportData:
    options: ReportOptions
    generated: dt.datetime
    incidents: list[Incident]
    statements: list[Statement]
    """the notable statements, most telling first"""
    current: Figures
    previous: Figures
    overlapping: int = 0
    statements_total: int = 0
    latest_recorded: dt.date | None = None
    sources: list[SourceRow] = field(default_factory=list)
    source_numbers: dict[str, int] = field(default_factory=dict)
    by_province: list[tuple[str, int, int]] = field(default_factory=list)
    by_actor: list[tuple[str, int, int]] = field(default_factory=list)
    """(actor, incidents it claimed, incidents it is accused of)"""
    country_name: str | None = None


def _inside(window: tuple[dt.date | None, dt.date | None], since: dt.date, until: dt.date) -> bool:
    earliest, latest = window
    return earliest is not None and latest is not None and since <= earliest and latest <= until


def _overlaps(
    window: tuple[dt.date | None, dt.date | None], since: dt.date, until: dt.date
) -> bool:
    earliest, latest = window
    return earliest is not None and latest is not None and earliest <= until and latest >= since


def _window(record: Incident | Statement) -> tuple[dt.date | None, dt.date | None]:
    return (record.date.earliest, record.date.latest) if record.date else (None, None)


def _listed(incident: Incident) -> bool:
    """Mention-only incidents stay out of reports, as out of lists and maps."""
    return getattr(incident, "status", None) != "mentioned"


def _figures(incidents: list[Incident], statements: int) -> Figures:
    foreign = 0
    for incident in incidents:
        home = incident.location.country if incident.location else None
        foreign += sum(v.count or 0 for v in incident.victims if home and v.nationality != home)
    return Figures(
        incidents=len(incidents),
        fatalities=sum(i.fatalities.best or 0 for i in incidents if i.fatalities),
        injured=sum(i.injured.best or 0 for i in incidents if i.injured),
        foreign_killed=foreign,
        statements=statements,
    )


def _statement_in_scope(statement: Statement, country: str | None, about: set[str]) -> bool:
    if country is None:
        return True
    countries = {statement.source.country, statement.target.country if statement.target else None}
    return country in countries or (statement.about is not None and statement.about in about)


def build(store: Store, options: ReportOptions, *, now: dt.datetime | None = None) -> ReportData:
    """Select and count what the report shows."""
    from ..export._context import countries
    from ..pipeline import repointed_records

    every = [i for i in store.iter_events() if _listed(i)]
    if options.country:
        every = [i for i in every if i.location and i.location.country == options.country]
    since, until = options.since, options.until
    before = options.previous
    current = [i for i in every if _inside(_window(i), since, until)]
    previous = [i for i in every if _inside(_window(i), *before)]
    counted = {i.id for i in current}
    overlapping = sum(
        1 for i in every if i.id not in counted and _overlaps(_window(i), since, until)
    )
    current.sort(key=lambda i: (_window(i)[0] or dt.date.min, i.id))
    in_country = {i.id for i in every}
    statements: list[Statement] = [
        s  # type: ignore[misc]
        for s in repointed_records(store, "statement")
        if _statement_in_scope(s, options.country, in_country)  # type: ignore[arg-type]
    ]
    said_now = [s for s in statements if _inside(_window(s), since, until)]
    said_before = [s for s in statements if _inside(_window(s), *before)]
    period_ids = {i.id for i in current}
    said_now.sort(
        key=lambda s: (
            _STATEMENT_RANK.get(s.type, 9),
            s.about not in period_ids,
            -(_window(s)[0] or dt.date.min).toordinal(),
            s.id,
        )
    )
    notable = said_now[:NOTABLE_STATEMENTS]
    dated = [w[1] for w in map(_window, every) if w[1] is not None]
    data = ReportData(
        options=options,
        generated=now or dt.datetime.now(dt.UTC),
        incidents=current,
        statements=notable,
        current=_figures(current, len(said_now)),
        previous=_figures(previous, len(said_before)),
        overlapping=overlapping,
        statements_total=len(said_now),
        latest_recorded=max(dated) if dated else None,
        country_name=(
            countries()[options.country].name
            if options.country and options.country in countries()
            else options.country
        ),
    )
    data.by_province = _by_province(current)
    data.by_actor = _by_actor(current)
    data.sources, data.source_numbers = _sources(store, current, notable)
    return data


def _by_province(incidents: list[Incident]) -> list[tuple[str, int, int]]:
    cells: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for incident in incidents:
        where = incident.location
        label = (
            f"{where.admin1} ({where.country})"
            if where and where.admin1
            else (f"{where.country}, province unknown" if where and where.country else "unknown")
        )
        cells[label][0] += 1
        cells[label][1] += incident.fatalities.best or 0 if incident.fatalities else 0
    return sorted(((k, v[0], v[1]) for k, v in cells.items()), key=lambda c: (-c[1], -c[2], c[0]))


def _by_actor(incidents: list[Incident]) -> list[tuple[str, int, int]]:
    claimed: Counter[str] = Counter()
    alleged: Counter[str] = Counter()
    for incident in incidents:
        perpetrator = incident.perpetrator
        if perpetrator is None:
            continue
        if perpetrator.claimed_by:
            claimed[perpetrator.claimed_by] += 1
        for name in {a.actor for a in perpetrator.alleged} - {perpetrator.claimed_by}:
            alleged[name] += 1
    names = set(claimed) | set(alleged)
    rows = [(name, claimed[name], alleged[name]) for name in names]
    return sorted(rows, key=lambda r: (-(r[1] + r[2]), -r[1], r[0]))


def _sources(
    store: Store, incidents: list[Incident], statements: list[Statement]
) -> tuple[list[SourceRow], dict[str, int]]:
    """Every article the report cites, numbered in order of first citation."""
    cited: Counter[str] = Counter()
    urls: dict[str, str | None] = {}
    for record in [*incidents, *statements]:
        for source in record.sources:
            cited[source.article_id] += 1
            urls.setdefault(source.article_id, source.url)
    from ..pipeline import articles_by_id

    found = articles_by_id(store, list(cited))
    rows = []
    for article_id in cited:
        article = found.get(article_id)
        rows.append(
            SourceRow(
                article_id=article_id,
                outlet=article.outlet if article else None,
                title=article.title if article else None,
                url=(article.url if article else None) or urls[article_id],
                published=article.published if article else None,
                cited=cited[article_id],
            )
        )
    numbers = {row.article_id: n for n, row in enumerate(rows, start=1)}
    return rows, numbers
