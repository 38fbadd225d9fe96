"""The REST API under /api: reads open by configuration, writes behind the API key."""

from __future__ import annotations

import datetime as dt
import io
import json
import secrets
import tempfile
import uuid
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Security
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response, StreamingResponse
from fastapi.security import APIKeyHeader
from pydantic import BaseModel, ConfigDict, Field, HttpUrl, model_validator

from ..errors import KhabarError
from ..export import ExportFormat
from ..records import (
    Arrest,
    Article,
    ArticleSource,
    Correction,
    Evidence,
    HandDecision,
    Incident,
    Statement,
)
from ..store import ArticleQuery
from ._catalog import (
    Catalog,
    GroupBy,
    IncidentFilter,
    IncidentRow,
    IncidentSort,
    Interval,
    StatementFilter,
    aggregate,
)

__all__ = ["router"]

KEY_COOKIE = "khabar_key"
_key_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="the server's key")


# -- access ---------------------------------------------------------------------------


def _state(request: Request) -> Any:
    return request.app.state


def _key_matches(request: Request, given: str | None) -> bool:
    key = _state(request).options.api_key
    return bool(key and given and secrets.compare_digest(given, key.get_secret_value()))


def require_read(
    request: Request, key: Annotated[str | None, Security(_key_header)] = None
) -> None:
    """Reads pass when open; when closed, they need the key (header, or the dashboard's
    cookie set by /login)."""
    if _state(request).options.open_reads:
        return
    if _key_matches(request, key) or _key_matches(request, request.cookies.get(KEY_COOKIE)):
        return
    raise HTTPException(401, "reads on this server need the API key (X-API-Key header)")


def require_write(
    request: Request, key: Annotated[str | None, Security(_key_header)] = None
) -> None:
    """Writes need the key in the header (never a cookie, so a page cannot forge one)."""
    if _state(request).options.api_key is None:
        raise HTTPException(
            401, "writes are disabled: this server has no API key (set KHABAR_SERVE__API_KEY)"
        )
    if not key:
        raise HTTPException(401, "this request needs the API key in the X-API-Key header")
    if not _key_matches(request, key):
        raise HTTPException(401, "the API key is wrong")


def _known_parameters(request: Request) -> None:
    """A query parameter the endpoint does not take is an error, not silently ignored
    (a misspelt filter would otherwise return everything)."""
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return
    known = set()
    stack = [dependant]
    while stack:
        node = stack.pop()
        stack += node.dependencies
        for param in node.query_params:
            fields = getattr(getattr(param.field_info, "annotation", None), "model_fields", None)
            known |= set(fields) if fields else {param.alias}
    unknown = sorted(set(request.query_params) - known)
    if unknown:
        takes = ", ".join(sorted(known)) or "none"
        raise RequestValidationError(
            [
                {
                    "loc": ("query", name),
                    "msg": f"unknown parameter; this endpoint takes: {takes}",
                    "type": "unknown_parameter",
                }
                for name in unknown
            ]
        )


def invalid(message: str, *loc: str) -> RequestValidationError:
    """A 422 in the same shape as FastAPI's own (detail list and message)."""
    return RequestValidationError([{"loc": loc, "msg": message, "type": "value_error"}])


def catalog(request: Request) -> Catalog:
    return _state(request).catalog


CatalogDep = Annotated[Catalog, Depends(catalog)]
router = APIRouter(prefix="/api", dependencies=[Depends(require_read), Depends(_known_parameters)])
writes = APIRouter(prefix="/api", dependencies=[Depends(require_write)])


# -- response shapes ------------------------------------------------------------------


class Page(BaseModel):
    total: int = Field(description="items that match, on every page")
    limit: int
    offset: int


class IncidentPage(Page):
    items: list[Incident]


class StatementPage(Page):
    items: list[Statement]


class ArticleSummary(BaseModel):
    id: str
    title: str | None
    outlet: str | None
    url: str | None
    published: dt.date | None
    published_from: str | None
    dateline: str | None
    file: str | None
    part: int | None
    characters: int


class ArticlePage(Page):
    items: list[ArticleSummary]


class Account(BaseModel):
    """One article's account of an incident, and why resolution joined it."""

    mention_id: str
    article: ArticleSummary | None
    role: str
    score: float | None
    reason: str


class IncidentDetail(BaseModel):
    incident: Incident
    accounts: list[Account]
    corrections: list[Correction]
    statements: list[Statement]
    arrests: list[Arrest]


class ArticleDetail(BaseModel):
    article: Article
    sources: list[ArticleSource]
    records: list[Incident | Statement | Arrest] = Field(
        description="what extraction found in it (incidents here are this article's "
        "accounts; `event` maps each to its resolved incident)"
    )
    event: dict[str, str] = Field(description="mention id -> resolved incident id")


class ActorSummary(BaseModel):
    name: str
    kind: str | None = None
    country: str | None = None
    aliases: list[str] = []
    counts: dict[str, int] = Field(default_factory=dict)


class Series(BaseModel):
    interval: Interval
    by: GroupBy | None
    series: list[dict[str, Any]]
    left_out: int = Field(description="incidents whose date does not fit in one period")


def summary_of(article: Article) -> ArticleSummary:
    return ArticleSummary(
        **article.model_dump(
            include={
                "id",
                "title",
                "outlet",
                "url",
                "published",
                "published_from",
                "dateline",
                "file",
                "part",
            }
        ),
        characters=len(article.text),
    )


Limit = Annotated[int | None, Query(ge=1, le=500, description="items per page (≤ 500)")]
Offset = Annotated[int, Query(ge=0, description="items to skip")]


def _limit(request: Request, limit: int | None) -> int:
    return limit or _state(request).options.page_size


# -- incidents ------------------------------------------------------------------------


@router.get("/incidents", response_model=IncidentPage, tags=["incidents"])
def list_incidents(
    request: Request,
    cat: CatalogDep,
    wanted: Annotated[IncidentFilter, Query()],
    sort: Annotated[IncidentSort, Query(description="field, '-' for descending")] = "-date",
    limit: Limit = None,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Resolved incidents, one per real event, filtered, sorted and paged."""
    rows = Catalog.sort_incidents(cat.filter_incidents(wanted), sort)
    size = _limit(request, limit)
    return {
        "total": len(rows),
        "limit": size,
        "offset": offset,
        "items": [row.incident for row in rows[offset : offset + size]],
    }


@router.get("/incidents/points", tags=["incidents"])
def incident_points(cat: CatalogDep, wanted: Annotated[IncidentFilter, Query()]) -> dict:
    """The filtered incidents that have coordinates, as GeoJSON, for the map."""
    rows = cat.filter_incidents(wanted)
    features = [_feature(row) for row in rows if _has_point(row)]
    return {
        "type": "FeatureCollection",
        "features": features,
        "unplaced": len(rows) - len(features),
    }


def _has_point(row: IncidentRow) -> bool:
    where = row.incident.location
    return where is not None and where.lat is not None and where.lon is not None


def _feature(row: IncidentRow) -> dict[str, Any]:
    incident, where = row.incident, row.incident.location
    assert where is not None
    return {
        "type": "Feature",
        "id": incident.id,
        "geometry": {"type": "Point", "coordinates": [where.lon, where.lat]},
        "properties": {
            "date": incident.date.value if incident.date else None,
            "event_type": incident.event_type,
            "fatalities": row.fatalities,
            "place": where.place or where.admin2 or where.admin1 or where.country,
            "admin1": where.admin1,
            "country": where.country,
            "precision": where.precision,
            "claimed_by": incident.perpetrator.claimed_by if incident.perpetrator else None,
            "sources": len(incident.sources),
        },
    }


@router.get(
    "/incidents/{event_id}",
    response_model=IncidentDetail,
    tags=["incidents"],
    responses={
        404: {"description": "no such incident"},
        307: {"description": "renamed by a merge, split or rebuild"},
    },
)
def get_incident(event_id: str, cat: CatalogDep, request: Request) -> dict[str, Any]:
    """One incident with each article's account, corrections, and what was said about it.

    An id that a merge, split or rebuild replaced answers 307 to the incident now holding
    its first account, so stored links keep working."""
    if cat.incident(event_id) is None and (gone := moved(cat, event_id, request.url.path)):
        raise gone
    row = _row_or_404(cat, event_id)
    return {
        "incident": row.incident,
        "accounts": accounts_of(cat, row.id),
        "corrections": corrections_of(cat, row.id),
        "statements": [s for s in cat.statements() if s.about == row.id],
        "arrests": [a for a in cat.arrests() if a.about == row.id],
    }


def _row_or_404(cat: Catalog, event_id: str) -> IncidentRow:
    row = cat.incident(event_id)
    if row is None:
        raise HTTPException(404, f"no incident {event_id!r}")
    return row


def moved(cat: Catalog, event_id: str, path: str) -> HTTPException | None:
    """A 307 to the incident that now holds a renamed incident's first account."""
    current = cat.renamed(event_id)
    if current is None:
        return None
    return HTTPException(
        307,
        f"incident {event_id} is now {current} (merged, split or rebuilt)",
        headers={"Location": path.replace(event_id, current)},
    )


def accounts_of(cat: Catalog, event_id: str) -> list[Account]:
    """Each article's account of an event, with the decision that joined it."""
    with cat.locked() as store:
        members = store.mentions_of(event_id)
        links = store.resolution_links()
        articles = {
            m.sources[0].article_id: exact_article(store, m.sources[0].article_id)
            for m in members
            if m.sources
        }
    accounts = []
    for mention in members:
        source = mention.sources[0] if mention.sources else None
        article = articles.get(source.article_id) if source else None
        _, score, reason = links[mention.id]
        accounts.append(
            Account(
                mention_id=mention.id,
                article=summary_of(article) if article else None,
                role=source.role if source else "report",
                score=score,
                reason=reason,
            )
        )
    return accounts


def corrections_of(cat: Catalog, event_id: str) -> list[Correction]:
    """The corrections applied to an event: made on it, or on an event whose anchor
    mention it now holds (a rebuild or a merge renamed it)."""
    with cat.locked() as store:
        links = store.resolution_links()
        corrections = store.corrections()

    def target(correction: Correction) -> str | None:  # as apply_corrections chooses
        if cat.incident(correction.event_id) is not None:
            return correction.event_id
        return links.get(correction.anchor, (None,))[0]

    return [c for c in corrections if target(c) == event_id]


# -- statements, actors, articles -----------------------------------------------------


@router.get("/statements", response_model=StatementPage, tags=["statements"])
def list_statements(
    request: Request,
    cat: CatalogDep,
    wanted: Annotated[StatementFilter, Query()],
    limit: Limit = None,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Who accused, rejected, requested, agreed, threatened, supported or claimed what."""
    found = cat.filter_statements(wanted)
    size = _limit(request, limit)
    return {
        "total": len(found),
        "limit": size,
        "offset": offset,
        "items": found[offset : offset + size],
    }


@router.get("/statements/network", tags=["statements"])
def statement_network(cat: CatalogDep, wanted: Annotated[StatementFilter, Query()]) -> dict:
    """Actors as nodes and (source, target, type) as edges, with counts and statement ids."""
    nodes: dict[str, dict[str, Any]] = {}
    edges: dict[tuple[str, str, str], dict[str, Any]] = {}
    for statement in cat.filter_statements(wanted):
        if statement.target is None:
            continue
        for ref in (statement.source, statement.target):
            node = nodes.setdefault(
                ref.name, {"id": ref.name, "country": ref.country, "statements": 0}
            )
            node["statements"] += 1
        key = (statement.source.name, statement.target.name, statement.type)
        edge = edges.setdefault(
            key, {"source": key[0], "target": key[1], "type": key[2], "count": 0, "statements": []}
        )
        edge["count"] += 1
        edge["statements"].append(statement.id)
    return {
        "nodes": sorted(nodes.values(), key=lambda n: n["id"]),
        "edges": sorted(edges.values(), key=lambda e: (e["source"], e["target"], e["type"])),
    }


@router.get("/actors", response_model=list[ActorSummary], tags=["actors"])
def list_actors(
    cat: CatalogDep,
    q: Annotated[str | None, Query(max_length=100, description="name or alias contains")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[ActorSummary]:
    """Actors in the records (most often first); with ``q``, also the dictionary's."""
    counts = cat.actor_counts()
    names = set(counts)
    if q:
        wanted = q.casefold()
        names = {n for n in names if wanted in n.casefold()}
        for actor in cat.actors.actors.values():
            if any(wanted in form.casefold() for form in (actor.name, *actor.aliases)):
                names.add(cat.actors.canonical(actor).name)
    ordered = sorted(names, key=lambda n: (-sum(counts.get(n, {}).values()), n))
    return [_actor_summary(cat, name, counts) for name in ordered[:limit]]


@router.get(
    "/actors/{name}",
    response_model=ActorSummary,
    tags=["actors"],
    responses={404: {"description": "unknown actor"}},
)
def get_actor(name: str, cat: CatalogDep) -> ActorSummary:
    """One actor: the dictionary's entry (when it has one) and how often records name it."""
    counts = cat.actor_counts()
    actor = cat.actors.lookup(name)
    canonical = cat.actors.canonical(actor).name if actor else name
    if actor is None and canonical not in counts:
        raise HTTPException(404, f"no actor {name!r} in the dictionary or the records")
    return _actor_summary(cat, canonical, counts)


def _actor_summary(cat: Catalog, name: str, counts: dict) -> ActorSummary:
    actor = cat.actors.lookup(name)
    return ActorSummary(
        name=name,
        kind=actor.kind if actor else None,
        country=actor.country if actor else None,
        aliases=list(actor.aliases) if actor else [],
        counts=dict(counts.get(name, {})),
    )


@router.get("/articles", response_model=ArticlePage, tags=["articles"])
def list_articles(
    request: Request,
    cat: CatalogDep,
    since: Annotated[dt.date | None, Query(description="published on or after")] = None,
    until: Annotated[dt.date | None, Query(description="published on or before")] = None,
    outlet: Annotated[str | None, Query(max_length=100)] = None,
    q: Annotated[str | None, Query(max_length=200, description="title or text contains")] = None,
    limit: Limit = None,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Stored articles, newest first, without their text."""
    if since and until and until < since:
        raise invalid(f"until ({until}) is before since ({since})", "query", "until")
    size = _limit(request, limit)
    query = ArticleQuery(since=since, until=until, outlet=outlet, text=q, limit=size, offset=offset)
    with cat.locked() as store:
        total = store.count_articles(query)
        found = store.list_articles(query)
    return {
        "total": total,
        "limit": size,
        "offset": offset,
        "items": [summary_of(a) for a in found],
    }


@router.get(
    "/articles/{article_id}",
    response_model=ArticleDetail,
    tags=["articles"],
    responses={404: {"description": "no such article"}},
)
def get_article(article_id: str, cat: CatalogDep) -> dict[str, Any]:
    """One article: its text, every source it was read from, and what was found in it."""
    return article_detail(cat, article_id)


def exact_article(store: Any, article_id: str) -> Article | None:
    """The article with this id (``find_articles`` also matches ids it starts)."""
    return next((a for a in store.find_articles(article_id) if a.id == article_id), None)


def article_detail(cat: Catalog, article_id: str) -> dict[str, Any]:
    """An article, its sources, its records and the event of each incident mention; 404
    when there is no such article."""
    with cat.locked() as store:
        article = exact_article(store, article_id)
        if article is None:
            raise HTTPException(404, f"no article {article_id!r}")
        records = store.records_of(article_id)
        links = store.resolution_links()
        sources = store.sources_of(article_id)
    return {
        "article": article,
        "sources": sources,
        "records": records,
        "event": {r.id: links[r.id][0] for r in records if r.id in links},
    }


# -- aggregates and export ------------------------------------------------------------


@router.get("/aggregates", response_model=Series, tags=["incidents"])
def aggregates(
    cat: CatalogDep,
    wanted: Annotated[IncidentFilter, Query()],
    interval: Annotated[
        Interval, Query(description="week (starts Monday), month, quarter")
    ] = "month",
    by: Annotated[GroupBy | None, Query(description="split each period by this")] = None,
) -> dict[str, Any]:
    """Incidents, fatalities and injured per period, for the filtered incidents."""
    series, left_out = aggregate(cat.filter_incidents(wanted), interval, by)
    return {"interval": interval, "by": by, "series": series, "left_out": left_out}


@router.get(
    "/export",
    tags=["export"],
    response_class=StreamingResponse,
    responses={
        200: {
            "content": {
                "application/x-ndjson": {},
                "text/csv": {},
                "application/geo+json": {},
                "application/vnd.apache.parquet": {},
                "application/stix+json;version=2.1": {},
            },
            "description": "the records in the format asked for, as `khabar export` writes "
            "them; with incident filters, the incidents that match and the statements and "
            "arrests about them",
        }
    },
)
def export(
    cat: CatalogDep,
    wanted: Annotated[IncidentFilter, Query()],
    format: Annotated[
        ExportFormat,
        Query(description="jsonl (EVAL.md records), acled, csv, geojson, parquet, stix"),
    ] = "jsonl",
    kind: Annotated[Literal["incident", "statement", "arrest"] | None, Query()] = None,
) -> Response:
    """The records in one of `khabar export`'s formats, for the same filters as
    /api/incidents (unfiltered: every record)."""
    from .. import export as formats
    from ..errors import UsageError
    from ..pipeline import export_context, export_records

    try:
        chosen = formats.check_kind(format, kind)
    except UsageError as error:
        raise invalid(str(error), "query", "kind") from error
    with cat.locked() as store:
        records = export_records(store, chosen)
        if wanted != IncidentFilter():
            records = _filtered_records(records, cat, wanted)
        context = export_context(store, records) if format != "jsonl" else None
    info = formats.FORMATS[format]
    disposition = {
        "Content-Disposition": f'attachment; filename="khabar-{chosen or "all"}{info.suffix}"'
    }
    if format == "jsonl":
        from ..export._jsonl import line

        return StreamingResponse(
            (line(record) for record in records),
            media_type=info.media_type,
            headers=disposition,
        )
    buffer = io.BytesIO()
    formats.write(records, format, buffer, context, kind=chosen)
    return Response(buffer.getvalue(), media_type=info.media_type, headers=disposition)


def _filtered_records(records: list[Any], cat: Catalog, wanted: IncidentFilter) -> list[Any]:
    """The incidents that match, and the statements and arrests about them, in the order
    of `khabar export`."""
    chosen = {row.id for row in cat.filter_incidents(wanted)}
    return [r for r in records if (r.id if r.kind == "incident" else r.about) in chosen]


# -- writes ---------------------------------------------------------------------------


class PostedArticle(BaseModel):
    """An article to ingest: its text (with optional metadata), a saved HTML page, or a
    URL to fetch. Exactly one of text, html and url-alone."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "text": "QUETTA: A roadside bomb killed two policemen on Monday ...",
                    "title": "Bomb kills two policemen in Quetta",
                    "outlet": "Example Times",
                    "published": "2026-02-02",
                    "url": "https://example.com/news/quetta-bomb",
                },
                {"url": "https://example.com/news/quetta-bomb"},
                {"html": "<html><head><title>...</title></head><body>...</body></html>"},
            ]
        },
    )

    url: HttpUrl | None = Field(
        None,
        description="fetch and read this page (public hosts "
        "only), or the article's address when text is given",
    )
    text: str | None = Field(None, min_length=1, description="the article's text")
    html: str | None = Field(
        None,
        min_length=1,
        description="a saved web page; its main text and metadata are read as from a file",
    )
    title: str | None = Field(None, max_length=1000)
    outlet: str | None = Field(None, max_length=200)
    published: dt.date | None = None
    dateline: str | None = Field(None, max_length=200)

    @model_validator(mode="after")
    def _text_or_url(self) -> PostedArticle:
        if self.text is None and self.html is None and self.url is None:
            raise ValueError("give the article's text, a saved html page, or a url to fetch")
        if self.text is not None and self.html is not None:
            raise ValueError("give text or html, not both")
        if self.html is not None and (self.title or self.outlet or self.published):
            raise ValueError("a posted html page carries its own title, outlet and date")
        return self


class IngestResult(BaseModel):
    new: int
    known: int
    articles: list[str] = Field(description="ids of the articles read")
    failures: list[dict[str, str]]
    incidents: int = Field(description="resolved incidents in the database after the run")


@writes.post(
    "/ingest",
    response_model=IngestResult,
    tags=["writes"],
    responses={401: {"description": "no or wrong API key"}},
)
def ingest(posted: PostedArticle, request: Request, cat: CatalogDep) -> dict[str, Any]:
    """Ingest one article (posted text, or a fetched URL), extract and resolve it."""
    from ..ingest import IngestOptions
    from ..pipeline import ingest_into

    state = _state(request)
    options: IngestOptions = state.settings.ingest.model_copy(update={"allow_private": False})
    with tempfile.TemporaryDirectory(prefix="khabar-post-") as folder:
        if posted.text is not None:
            path = Path(folder) / "posted.json"
            item = posted.model_dump(mode="json", exclude_none=True)
            path.write_text(json.dumps(item, ensure_ascii=False), encoding="utf-8")
            inputs = [str(path)]
        elif posted.html is not None:
            path = Path(folder) / "posted.html"
            path.write_text(posted.html, encoding="utf-8")
            inputs = [str(path)]
        else:
            inputs = [str(posted.url)]
        with cat.locked() as store:
            try:
                summary = ingest_into(
                    store, inputs, options=options, extractor=state.extractor(), keep_ids=True
                )
            except KhabarError as error:
                raise invalid(str(error), "body") from error
            ids = list(dict.fromkeys(summary.article_ids))
        cat.refresh()
    if not summary.new + summary.known and summary.failures:
        raise invalid("; ".join(f.reason for f in summary.failures), "body")
    return {
        "new": summary.new,
        "known": summary.known,
        "articles": ids,
        "failures": [f.model_dump(include={"code", "reason"}) for f in summary.failures],
        "incidents": sum(1 for r in cat.incidents() if r.incident.status != "mentioned"),
    }


class MergeRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"other": "evt-60a3a65a7dab0841"}]}
    )
    other: str = Field(description="the incident to merge into this one")
    force: bool = Field(
        False, description="merge even when the two are days apart or of other kinds (409)"
    )


class SplitRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"article": "e4d5e4b22c2f24b3"}]}
    )
    article: str = Field(min_length=4, description="id of the article whose account leaves")


class CorrectionRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "field": "fatalities",
                    "value": {"low": 4, "best": 5, "high": 5},
                    "note": "the hospital's figure the next day",
                    "author": "analyst",
                    "evidence": {"article_id": "8423897194c42e75", "start": 120, "end": 180},
                },
                {"field": "claimed_by", "value": None, "note": "the claim was withdrawn"},
            ]
        },
    )
    field: str = Field(
        description="event_type, suicide, date, location, fatalities, injured, target or claimed_by"
    )
    value: Any = Field(description="the new value (null clears a field that may be unknown)")
    note: str | None = Field(None, max_length=2000, description="why")
    author: str | None = Field(None, max_length=200)
    evidence: EvidenceCitation | None = Field(None, description="a span that supports it")


class EvidenceCitation(BaseModel):
    model_config = ConfigDict(extra="forbid")
    article_id: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)


CorrectionRequest.model_rebuild()


class Resolution(BaseModel):
    incident: str = Field(
        description="the incident that holds the result (after a split, "
        "the one the article's account went to)"
    )
    remaining: str | None = Field(
        None, description="after a split, the incident that holds the other accounts"
    )
    mentions: int
    incidents: int


@writes.post("/incidents/{event_id}/merge", response_model=Resolution, tags=["writes"])
def merge(event_id: str, body: MergeRequest, cat: CatalogDep) -> dict[str, Any]:
    """Merge another incident into this one; stored, so it survives every re-run."""
    from ..pipeline import merge_events, merge_warnings

    first, second = _row_or_404(cat, event_id), _row_or_404(cat, body.other)
    if first.id == second.id:
        raise invalid("an incident cannot be merged with itself", "body", "other")
    with cat.locked() as store:
        warnings = merge_warnings(store, first.id, second.id)
        if warnings and not body.force:
            raise HTTPException(
                409, "not merged: " + "; ".join(warnings) + " (send force: true to merge)"
            )
        holder, mentions, events = merge_events(store, first.id, second.id)
    cat.refresh()
    return {"incident": holder, "mentions": mentions, "incidents": events}


@writes.post("/incidents/{event_id}/split", response_model=Resolution, tags=["writes"])
def split(event_id: str, body: SplitRequest, cat: CatalogDep) -> dict[str, Any]:
    """Split one article's account off an incident; stored, survives every re-run."""
    from ..pipeline import split_event, split_plan

    row = _row_or_404(cat, event_id)
    with cat.locked() as store:
        try:
            leaving, staying = split_plan(store, row.id, body.article)
        except KhabarError as error:
            raise invalid(error.message, "body", "article") from None
        if not staying:
            raise invalid(
                "every account comes from that article; nothing to split", "body", "article"
            )
        total, events = split_event(store, leaving, staying, event_id=row.id, article=body.article)
        links = store.resolution_links()
    cat.refresh()
    return {
        "incident": links[leaving[0]][0],
        "remaining": links[staying[0]][0],
        "mentions": total,
        "incidents": events,
    }


class Undone(BaseModel):
    decisions: list[HandDecision] = Field(description="the hand decisions taken back")
    mentions: int
    incidents: int


@writes.post("/incidents/{event_id}/unmerge", response_model=Undone, tags=["writes"])
def unmerge(event_id: str, cat: CatalogDep) -> dict[str, Any]:
    """Undo the hand merges that joined accounts of this incident (as `khabar incidents
    unmerge`); resolution decides those accounts again."""
    from ..pipeline import unmerge_event

    row = _row_or_404(cat, event_id)
    with cat.locked() as store:
        try:
            undone, mentions, events = unmerge_event(store, row.id)
        except KhabarError as error:
            raise HTTPException(409, error.message) from None
    cat.refresh()
    return {"decisions": undone, "mentions": mentions, "incidents": events}


@router.get("/decisions", response_model=list[HandDecision], tags=["incidents"])
def list_decisions(cat: CatalogDep) -> list[HandDecision]:
    """The analyst's merges and splits in force, oldest first (as `khabar decisions`)."""
    with cat.locked() as store:
        return store.hand_decisions()


@writes.post("/decisions/{decision_id}/revert", response_model=Undone, tags=["writes"])
def revert(decision_id: str, cat: CatalogDep) -> dict[str, Any]:
    """Take back one hand decision (as `khabar decisions revert`)."""
    from ..pipeline import revert_decision

    with cat.locked() as store:
        try:
            removed, mentions, events = revert_decision(store, decision_id)
        except KhabarError as error:
            raise HTTPException(404, error.message) from None
    cat.refresh()
    return {"decisions": [removed], "mentions": mentions, "incidents": events}


@writes.post(
    "/incidents/{event_id}/corrections",
    response_model=IncidentDetail,
    tags=["writes"],
    status_code=201,
)
def add_correction(
    event_id: str, body: CorrectionRequest, request: Request, cat: CatalogDep
) -> dict[str, Any]:
    """Correct one field of an incident. The correction is stored apart from the sources
    and applied by every resolution; the field's old evidence is replaced by the span
    cited, if any."""
    from ..pipeline import resolve_into
    from ..resolve import normalise_value

    row = _row_or_404(cat, event_id)
    try:
        value = normalise_value(body.field, body.value, gazetteer=_state(request).gazetteer())
    except ValueError as error:
        raise invalid(str(error), "body", "value") from None
    with cat.locked() as store:
        evidence = _cited(store, body.evidence) if body.evidence else None
        anchor = [m.id for m in store.mentions_of(row.id)]
        store.add_correction(
            Correction(
                id=uuid.uuid4().hex[:16],
                event_id=row.id,
                anchor=anchor[0] if anchor else row.id,
                field=body.field,  # type: ignore[arg-type]
                value=value,
                note=body.note,
                author=body.author,
                evidence=evidence,
                created_at=dt.datetime.now(dt.UTC).replace(tzinfo=None),
            )
        )
        resolve_into(store)
    cat.refresh()
    return get_incident(row.id, cat, request)


def _cited(store: Any, citation: EvidenceCitation) -> Evidence:
    article = exact_article(store, citation.article_id)
    if article is None:
        raise invalid(f"no article {citation.article_id!r}", "body", "evidence", "article_id")
    text = article.text
    if not citation.start < citation.end <= len(text):
        raise invalid(
            f"the span {citation.start}-{citation.end} is not within the article (0-{len(text)})",
            "body",
            "evidence",
        )
    return Evidence(
        article_id=citation.article_id,
        start=citation.start,
        end=citation.end,
        quote=text[citation.start : citation.end],
    )
