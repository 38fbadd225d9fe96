"""What an export needs beyond the records: the articles' outlets, the time of writing,
and the country tables (names, ISO alpha-3 and numeric codes, ACLED regions)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

__all__ = ["Country", "ExportContext", "countries"]


@dataclass(frozen=True)
class ArticleInfo:
    """The article behind a source, as far as an export shows it."""

    outlet: str | None = None
    title: str | None = None
    url: str | None = None
    published: dt.date | None = None


@dataclass(frozen=True)
class ExportContext:
    """Facts an export writes that are not in the records.

    ``articles`` maps article ids to their outlet, title and URL (ACLED's ``source``
    column, STIX external references); ``now`` is when the export was made (STIX
    ``created``, ACLED ``timestamp``); ``base_url`` makes links to the dashboard;
    ``kind`` is the kind of record a table format is written for when there are none
    (its header still names that kind's columns).
    """

    articles: Mapping[str, ArticleInfo] = field(default_factory=dict)
    now: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    base_url: str | None = None
    kind: str = "incident"

    def outlet(self, article_id: str) -> str | None:
        info = self.articles.get(article_id)
        return info.outlet if info else None


@dataclass(frozen=True)
class Country:
    code: str
    name: str
    alpha3: str
    numeric: int | None
    acled_region: str | None


@lru_cache(maxsize=1)
def countries() -> dict[str, Country]:
    """ISO alpha-2 -> Country, from ``countries.csv`` and ``country_codes.csv``."""
    data = resources.files("khabar.data")
    names = {row["iso2"]: row["name"] for row in _rows(data.joinpath("countries.csv").read_text())}
    found = {}
    for row in _rows(data.joinpath("country_codes.csv").read_text()):
        code = row["code"]
        found[code] = Country(
            code=code,
            name=names.get(code, code),
            alpha3=row["alpha3"],
            numeric=int(row["numeric"]) if row["numeric"] else None,
            acled_region=row["acled_region"] or None,
        )
    return found


def _rows(text: str) -> list[dict[str, str]]:
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    return list(csv.DictReader(io.StringIO("\n".join(lines))))
