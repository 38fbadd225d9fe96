"""Turn the CLI's filter options into the API's filter models (serve/_catalog.py), so
`khabar incidents` and `GET /api/incidents` select the same records.

Countries and nationalities are taken by ISO code, English name, alias or demonym
("pk", "Pakistan", "Pakistani"); an unknown one is a usage error, never an empty list.
A value the filter model refuses becomes one line naming the option.
"""

from __future__ import annotations

import csv
import io
from functools import lru_cache
from importlib import resources
from typing import Any

from pydantic import BaseModel, ValidationError

from ..errors import UsageError

__all__ = ["build_filter", "country_code"]


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    """casefolded code, name, alias or demonym -> ISO 3166-1 alpha-2 code."""
    text = resources.files("khabar.data").joinpath("countries.csv").read_text("utf-8")
    rows = csv.DictReader(io.StringIO("".join(li for li in text.splitlines(True) if li[:1] != "#")))
    names: dict[str, str] = {}
    for row in rows:
        code = row["iso2"].strip().upper()
        names.setdefault(code.casefold(), code)
        for name in [row["name"], *row["aliases"].split("|"), *row["demonyms"].split("|")]:
            if name.strip():
                names.setdefault(name.strip().casefold(), code)
    return names


def country_code(value: str | None, option: str) -> str | None:
    """The ISO code a country's code, name, alias or demonym stands for."""
    if value is None or not value.strip():
        return None
    code = _country_names().get(value.strip().casefold())
    if code is None:
        raise UsageError(
            f"{option}: unknown country {value!r} (give an ISO code such as PK or a name "
            "such as Pakistan)"
        )
    return code


def build_filter(model: type[BaseModel], options: dict[str, str], **values: Any) -> Any:
    """``model(**values)`` with a refusal turned into one line naming the CLI option
    (``options`` maps a field to its option, e.g. ``min_fatalities`` -> ``--min-killed``)."""
    try:
        return model(**{k: v for k, v in values.items() if v is not None})
    except ValidationError as error:
        problems = []
        for item in error.errors():
            field = str(item["loc"][0]) if item["loc"] else ""
            message = item["msg"].removeprefix("Value error, ")
            name = options.get(field, "")
            problems.append(f"{name}: {message}" if name else message)
        raise UsageError("; ".join(problems)) from None
