"""Forward-only schema migrations, shared by every backend.

Migrations are the numbered files ``migrations/NNNN_name.sql``. A database records the
versions applied in ``schema_version``; opening it applies the missing ones in order,
each in its own transaction, and refuses a database newer than this code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources

__all__ = ["Migration", "latest_version", "load_migrations", "split_statements"]

_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def load_migrations() -> list[Migration]:
    """The packaged migrations in version order."""
    found = []
    for entry in resources.files("khabar.store").joinpath("migrations").iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.append(Migration(int(match[1]), match[2], entry.read_text("utf-8")))
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if versions != list(range(1, len(found) + 1)):
        raise RuntimeError(f"migration versions are not 1..n without gaps: {versions}")
    return found


def latest_version() -> int:
    return len(load_migrations())


def split_statements(sql: str) -> list[str]:
    """The statements of a migration file (no semicolons inside strings, by rule)."""
    lines = [line for line in sql.splitlines() if not line.strip().startswith("--")]
    return [part.strip() for part in "\n".join(lines).split(";") if part.strip()]
