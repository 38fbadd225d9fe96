"""khabar serve: the REST API and the analyst's dashboard, one FastAPI app.

The app reads the store through a ``Catalog`` (a cached, filterable view of incidents and
statements) and writes through the same pipeline functions as the CLI, so the API and
``khabar`` agree on every record. Importing this package does not import FastAPI; only
``create_app`` does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .options import ServeOptions

if TYPE_CHECKING:
    from fastapi import FastAPI

__all__ = ["ServeOptions", "create_app"]


def create_app(settings: Any = None, *, store: Any = None) -> FastAPI:
    """The app, over ``settings.db`` (or an open ``store``, which the caller closes)."""
    from ._app import build_app

    return build_app(settings, store=store)
