"""The dashboard's pages: server-rendered templates (autoescaped) and a little JS.

The pages hold no data in scripts: the map, timeline and network fetch JSON from /api,
and everything else is rendered here as escaped text. Evidence is highlighted by cutting
the article into runs (``_highlight``), never by editing HTML.
"""

from __future__ import annotations

import datetime as dt
import json
from importlib.resources import files
from pathlib import Path
from typing import Annotated, Any, get_args
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from ..records import EventType, Evidence, Incident, StatementType
from ..resolve import CORRECTABLE
from ..store import ArticleQuery
from ._api import (
    KEY_COOKIE,
    _key_matches,
    accounts_of,
    article_detail,
    corrections_of,
    exact_article,
    moved,
)
from ._catalog import Catalog
from ._highlight import runs

__all__ = ["pages", "render_error"]

templates = Jinja2Templates(directory=Path(str(files("khabar.serve") / "templates")))
templates.env.autoescape = True  # every template, whatever its suffix
templates.env.globals["event_types"] = get_args(EventType)
templates.env.globals["statement_types"] = get_args(StatementType)
templates.env.globals["correctable"] = CORRECTABLE
templates.env.filters["actor_href"] = lambda name: "/actors/" + quote(str(name), safe="")
templates.env.filters["as_text"] = lambda value: (
    value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
)


def _can_read(request: Request) -> None:
    if request.app.state.options.open_reads:
        return
    if _key_matches(request, request.cookies.get(KEY_COOKIE)):
        return
    raise HTTPException(
        303, "log in", headers={"Location": "/login?" + urlencode({"next": _here(request)})}
    )


def _here(request: Request) -> str:
    path = request.url.path
    return path + ("?" + request.url.query if request.url.query else "")


def _catalog(request: Request) -> Catalog:
    return request.app.state.catalog


pages = APIRouter(include_in_schema=False)
readable = [Depends(_can_read)]


def _page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(
        request, name, {"title": context.pop("title", "khabar"), **context}, status_code=status
    )


def render_error(request: Request, status: int, message: str) -> Response:
    return _page(
        request, "error.html", status=status, title=f"{status}", code=status, message=message
    )


@pages.get("/favicon.ico")
def favicon() -> RedirectResponse:
    return RedirectResponse("/static/favicon.svg", status_code=301)


@pages.get("/", response_class=HTMLResponse, dependencies=readable)
def dashboard(request: Request) -> HTMLResponse:
    cat = _catalog(request)
    rows = [r for r in cat.incidents() if r.incident.status != "mentioned"]
    countries = sorted(
        {
            r.incident.location.country
            for r in rows
            if r.incident.location and r.incident.location.country
        }
    )
    admin1s = sorted(
        {
            (r.incident.location.country, r.incident.location.admin1)
            for r in rows
            if r.incident.location and r.incident.location.admin1
        },
        key=lambda x: (x[0] or "", x[1] or ""),
    )
    nationalities = sorted({n for r in rows for n in r.nationalities})
    return _page(
        request,
        "dashboard.html",
        title="khabar: incidents",
        params=request.query_params,
        countries=countries,
        admin1s=admin1s,
        nationalities=nationalities,
        total=len(rows),
    )


@pages.get("/incidents/{event_id}", response_class=HTMLResponse, dependencies=readable)
def incident_page(event_id: str, request: Request) -> HTMLResponse:
    cat = _catalog(request)
    row = cat.incident(event_id)
    if row is None:
        raise moved(cat, event_id, request.url.path) or HTTPException(
            404, f"No incident {event_id}."
        )
    incident = row.incident
    evidence = list(incident.evidence)
    with cat.locked() as store:
        found = {i: exact_article(store, i) for i in dict.fromkeys(e.article_id for e in evidence)}
        texts = {i: article for i, article in found.items() if article is not None}
    accounts = accounts_of(cat, incident.id)
    corrections = corrections_of(cat, incident.id)
    articles = [
        {
            "article": article,
            "runs": runs(
                article.text, [e if e.article_id == article_id else _nowhere(e) for e in evidence]
            ),
        }
        for article_id, article in texts.items()
    ]
    return _page(
        request,
        "incident.html",
        title=f"khabar: {incident.event_type.replace('_', ' ')} {_when(incident)}",
        incident=incident,
        values=_values(incident, evidence),
        evidence=evidence,
        accounts=accounts,
        articles=articles,
        corrections=corrections,
        statements=[s for s in cat.statements() if s.about == incident.id],
    )


def _nowhere(evidence: Evidence) -> Evidence:
    """A span that matches no text (evidence from another article)."""
    return evidence.model_copy(update={"start": 0, "end": 0, "quote": "\x00"})


def _when(incident: Incident) -> str:
    return (incident.date.label() if incident.date else None) or "undated"


_FIELDS = [
    ("date", "date", "date"),
    ("event type", "event_type", "event_type"),
    ("suicide attack", "suicide", "suicide"),
    ("place", "location", "location"),
    ("killed", "fatalities", "fatalities"),
    ("injured", "injured", "injured"),
    ("victims", "victims", "victims"),
    ("claimed by", "claimed_by", "perpetrator"),
    ("accused", "alleged", "perpetrator"),
    ("target", "target", "target"),
]


def _values(incident: Incident, evidence: list[Evidence]) -> list[dict[str, Any]]:
    """One row per field: the value as shown, and the evidence numbers that support it."""
    where, perpetrator = incident.location, incident.perpetrator

    def count(value: Any) -> str | None:
        if value is None or (value.best is None and value.low is None and value.high is None):
            return None
        shown = str(value.best) if value.best is not None else "?"
        if (value.low, value.high) != (value.best, value.best):
            shown += f" (low {value.low if value.low is not None else '?'}, high "
            shown += f"{value.high if value.high is not None else '?'})"
        return shown

    shown = {
        "date": (
            f"{incident.date.value} ({incident.date.precision})"
            if incident.date and incident.date.value
            else incident.date.label()
            if incident.date
            else None
        ),
        "event_type": incident.event_type.replace("_", " "),
        "suicide": None if incident.suicide is None else ("yes" if incident.suicide else "no"),
        "location": ", ".join(
            dict.fromkeys(filter(None, [where.place, where.admin2, where.admin1, where.country]))
        )
        if where
        else None,
        "fatalities": count(incident.fatalities),
        "injured": count(incident.injured),
        "victims": "; ".join(
            f"{v.count if v.count is not None else 'some'} {v.nationality}"
            + (f" ({v.description})" if v.description else "")
            for v in incident.victims
        )
        or None,
        "claimed_by": perpetrator.claimed_by if perpetrator else None,
        "alleged": "; ".join(
            a.actor + (f" (by {a.by})" if a.by else "") for a in perpetrator.alleged
        )
        if perpetrator and perpetrator.alleged
        else None,
        "target": incident.target,
    }
    # Actor names link to their pages: (name, what follows it).
    actors: dict[str, list[tuple[str, str]]] = {
        "claimed_by": [(perpetrator.claimed_by, "")]
        if perpetrator and perpetrator.claimed_by
        else [],
        "alleged": [(a.actor, f" (by {a.by})" if a.by else "") for a in perpetrator.alleged]
        if perpetrator
        else [],
    }
    rows = []
    for label, key, evidence_field in _FIELDS:
        rows.append(
            {
                "label": label,
                "key": key,
                "value": shown[key],
                "actors": actors.get(key, []),
                "evidence": [i for i, e in enumerate(evidence) if e.field == evidence_field],
            }
        )
    return rows


@pages.get("/statements", response_class=HTMLResponse, dependencies=readable)
def statements_page(
    request: Request,
    source: Annotated[str | None, Query(max_length=100)] = None,
    target: Annotated[str | None, Query(max_length=100)] = None,
    type: Annotated[StatementType | None, Query()] = None,
) -> HTMLResponse:
    from ._catalog import StatementFilter

    cat = _catalog(request)
    wanted = StatementFilter(
        source=source or None, target=target or None, type=[type] if type else None
    )
    found = cat.filter_statements(wanted)
    actors = sorted(
        {s.source.name for s in cat.statements()}
        | {s.target.name for s in cat.statements() if s.target}
    )
    return _page(
        request,
        "statements.html",
        title="khabar: statements",
        statements=found,
        params=request.query_params,
        actors=actors,
        query=urlencode(
            {k: v for k, v in (("source", source), ("target", target), ("type", type)) if v}
        ),
    )


@pages.get("/articles", response_class=HTMLResponse, dependencies=readable)
def articles_page(
    request: Request,
    q: Annotated[str | None, Query(max_length=200)] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    cat = _catalog(request)
    size = 50
    query = ArticleQuery(text=q or None, limit=size, offset=(page - 1) * size)
    with cat.locked() as store:
        total = store.count_articles(query)
        found = store.list_articles(query)
    return _page(
        request,
        "articles.html",
        title="khabar: articles",
        articles=found,
        total=total,
        page=page,
        pages=max(1, -(-total // size)),
        q=q or "",
    )


@pages.get("/articles/{article_id}", response_class=HTMLResponse, dependencies=readable)
def article_page(article_id: str, request: Request) -> HTMLResponse:
    detail = article_detail(_catalog(request), article_id)
    article, records, links = detail["article"], detail["records"], detail["event"]
    sources = detail["sources"]
    evidence: list[Evidence] = []
    listed = []
    for record in records:
        first = len(evidence)
        evidence += [e for e in record.evidence if e.article_id == article.id]
        listed.append(
            {
                "record": record,
                "event": links.get(record.id),
                "evidence": list(range(first, len(evidence))),
            }
        )
    return _page(
        request,
        "article.html",
        title=f"khabar: {article.title or article.id}",
        article=article,
        sources=sources,
        records=listed,
        evidence=evidence,
        runs=runs(article.text, evidence),
    )


@pages.get("/docs", response_class=HTMLResponse, dependencies=readable)
def api_docs(request: Request) -> HTMLResponse:
    """The API's reference, rendered from its OpenAPI schema (works offline)."""
    schema = request.app.openapi()
    operations = [
        {"path": path, "method": method.upper(), **operation}
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    ]
    return _page(
        request, "docs.html", title="khabar: API", operations=operations, info=schema["info"]
    )


@pages.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str = "/") -> HTMLResponse:
    return _page(request, "login.html", title="khabar: log in", next=_safe_next(next), failed=False)


@pages.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    key: Annotated[str, Form(max_length=500)],
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    if not _key_matches(request, key):
        return _page(
            request,
            "login.html",
            status=401,
            title="khabar: log in",
            next=_safe_next(next),
            failed=True,
        )
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(
        KEY_COOKIE,
        key,
        httponly=True,
        samesite="strict",
        max_age=int(dt.timedelta(days=7).total_seconds()),
    )
    return response


def _safe_next(target: str) -> str:
    """Only a path on this server (no scheme, no //host): no open redirect."""
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return quote(target, safe="/?=&%-._~")
