"""Assembles the app: state, security headers, body limit, error shapes, routes, assets."""

from __future__ import annotations

import logging
import threading
from importlib.resources import files
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..errors import KhabarError
from ..pipeline import khabar_version
from ..settings import Settings
from ..store import Store, open_store
from ._actors import actor_pages, actors_api
from ._api import router, writes
from ._catalog import Catalog
from ._overview import overview
from ._pages import pages, render_error

__all__ = ["build_app"]

log = logging.getLogger(__name__)

# Everything the dashboard loads comes from this server: no inline script, no remote
# asset, no framing. Leaflet positions elements through the CSSOM, which style-src does
# not restrict; SVG markers are data: URLs.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
STATIC = files("khabar.serve") / "static"
BOUNDARIES = files("khabar") / "data" / "boundaries"


class _State:
    """What the routes share: settings, the catalog, and what loads on first use."""

    def __init__(self, settings: Settings, store: Store) -> None:
        self.settings = settings
        self.options = settings.serve
        self.catalog = Catalog(store)
        self._lock = threading.Lock()
        self._extractor: Any = None
        self._gazetteer: Any = None

    def extractor(self) -> Any:
        """The extraction pipeline, loaded on the first ingest (it takes seconds)."""
        with self._lock:
            if self._extractor is None:
                from ..extract import Extractor

                self._extractor = Extractor(self.settings.extract)
            return self._extractor

    def gazetteer(self) -> Any:
        with self._lock:
            if self._gazetteer is None:
                from ..extract.gazetteer import load_gazetteer

                self._gazetteer = load_gazetteer()
            return self._gazetteer


SECURITY_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]


class _Limits:
    """Security headers on every response, and a cap on request bodies (413 beyond).

    A body over the cap with no Content-Length (chunked) is cut off where it crosses
    the cap: the app is told the client left, whatever it answers is dropped, and the
    client gets the 413.
    """

    def __init__(self, app: ASGIApp, *, max_body: int) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_body:
            await _too_large(send, self.max_body)
            return
        seen = 0
        over = False

        async def counted() -> Message:
            nonlocal seen, over
            if over:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body:
                    over = True
                    return {"type": "http.disconnect"}
            return message

        async def with_headers(message: Message) -> None:
            if over:
                return
            if message["type"] == "http.response.start":
                headers = list(message.get("headers") or []) + SECURITY_HEADERS
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, counted, with_headers)
        except Exception:
            if not over:
                raise
        if over:
            await _too_large(send, self.max_body)


async def _too_large(send: Send, limit: int) -> None:
    body = f'{{"detail": "request body over {limit} bytes"}}'.encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [(b"content-type", b"application/json"), *SECURITY_HEADERS],
        }
    )
    await send({"type": "http.response.body", "body": body})


def build_app(settings: Settings | None = None, *, store: Store | None = None) -> FastAPI:
    settings = settings or Settings()
    owned = store is None
    store = store or open_store(settings.db)
    app = FastAPI(
        docs_url=None,  # Swagger UI and ReDoc load from a CDN; /docs is served here
        redoc_url=None,
        title="khabar",
        version=khabar_version(),
        summary="Incidents of political violence, statements and arrests read from news, "
        "each value with the sentence it came from.",
        openapi_tags=[
            {"name": "incidents", "description": "resolved incidents, one per real event"},
            {"name": "statements", "description": "accusations, rejections, claims, ..."},
            {"name": "actors", "description": "states, organs, armed groups, people"},
            {"name": "articles", "description": "the stored news articles"},
            {"name": "export", "description": "the records as `khabar export` writes them"},
            {"name": "writes", "description": "need the API key (X-API-Key header)"},
        ],
    )
    app.state.settings = settings
    app.state.options = settings.serve
    shared = _State(settings, store)
    app.state.catalog = shared.catalog
    app.state.extractor = shared.extractor
    app.state.gazetteer = shared.gazetteer
    if owned:
        app.router.on_shutdown.append(store.close)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, error: RequestValidationError) -> JSONResponse:
        problems = [
            {"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
            for e in error.errors()
        ]
        message = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'][1:]) or e['loc'][0]}: "
            + e["msg"].removeprefix("Value error, ")
            for e in problems
            if e["loc"]
        )
        return JSONResponse({"detail": problems, "message": message}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, error: StarletteHTTPException) -> Any:
        if request.url.path.startswith("/api") or request.url.path.startswith("/static"):
            body = {"detail": error.detail}
            if error.status_code == 422:
                body["message"] = str(error.detail)
            return JSONResponse(
                body,
                status_code=error.status_code,
                headers=getattr(error, "headers", None),
            )
        location = (getattr(error, "headers", None) or {}).get("Location")
        if error.status_code in (303, 307) and location:
            return RedirectResponse(location, status_code=error.status_code)
        return render_error(request, error.status_code, str(error.detail))

    @app.exception_handler(KhabarError)
    async def _khabar_error(request: Request, error: KhabarError) -> JSONResponse:
        log.error("%s: %s", request.url.path, error)
        return JSONResponse({"detail": str(error), "code": error.code}, status_code=500)

    @app.get("/api/health", tags=["export"])
    def health() -> dict[str, Any]:
        """Liveness, version and what the database holds (open even when reads are not)."""
        with shared.catalog.locked() as held:
            articles = held.count_articles()
        return {
            "status": "ok",
            "khabar": khabar_version(),
            "schema": store.schema_version,
            "articles": articles,
            "incidents": sum(
                1 for r in shared.catalog.incidents() if r.incident.status != "mentioned"
            ),
            "mentioned": sum(
                1 for r in shared.catalog.incidents() if r.incident.status == "mentioned"
            ),
        }

    app.include_router(overview)  # before router: /api/aggregates/totals
    app.include_router(actors_api)
    app.include_router(router)
    app.include_router(writes)
    app.include_router(pages)
    app.include_router(actor_pages)
    app.mount("/static/boundaries", StaticFiles(directory=Path(str(BOUNDARIES))), name="boundaries")
    app.mount("/static", StaticFiles(directory=Path(str(STATIC))), name="static")
    app.add_middleware(_Limits, max_body=settings.serve.max_body_bytes)
    _markdown_descriptions(app)
    return app


def _markdown_descriptions(app: FastAPI) -> None:
    """The reference at /docs renders descriptions as Markdown, where the docstrings'
    ``code`` (reStructuredText) shows stray backticks: write it as `code`."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = _single_backticks(build())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def _single_backticks(node: Any) -> Any:
    if isinstance(node, dict):
        return {
            key: value.replace("``", "`")
            if key == "description" and isinstance(value, str)
            else _single_backticks(value)
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_single_backticks(item) for item in node]
    return node
