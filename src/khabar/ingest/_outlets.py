"""Outlet names by web domain, from ``data/outlets.csv``."""

from __future__ import annotations

import csv
from functools import lru_cache
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

__all__ = ["load_outlets", "outlet_for_url"]


@lru_cache(maxsize=4)
def load_outlets(path: Path | None = None) -> dict[str, str]:
    """domain -> outlet name, from the packaged table or ``path``."""
    if path is None:
        raw = resources.files("khabar.data").joinpath("outlets.csv").read_text("utf-8")
    else:
        raw = Path(path).read_text("utf-8")
    rows = csv.DictReader(line for line in raw.splitlines() if not line.startswith("#"))
    return {row["domain"].strip().lower(): row["outlet"].strip() for row in rows}


def outlet_for_url(url: str | None, outlets: dict[str, str]) -> str | None:
    """The outlet whose domain, or a parent domain of it, serves ``url``."""
    if not url:
        return None
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    while host:
        if host in outlets:
            return outlets[host]
        _, _, host = host.partition(".")
    return None
