"""khabar's one settings object, filled from defaults, environment and CLI flags.

Defaults are below with what they mean. Every setting can come from the environment:
``KHABAR_DB`` for the database, ``KHABAR_INGEST__MAX_BYTES`` (note the double
underscore) for a nested one. A CLI flag beats the environment, which beats the default.
"""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from .extract import ExtractOptions
from .ingest import IngestOptions
from .serve.options import ServeOptions

__all__ = ["Settings"]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="KHABAR_", env_nested_delimiter="__", frozen=True, extra="ignore"
    )

    db: str = Field(
        "khabar.duckdb",
        description="the database: a DuckDB file path (created when missing), or a "
        "postgresql://user:password@host:port/name URL (the postgres extra)",
    )
    ingest: IngestOptions = Field(
        default_factory=IngestOptions,
        description="how files are read and URLs fetched (size cap, timeout, redirects, "
        "private addresses, feed links)",
    )
    extract: ExtractOptions = Field(
        default_factory=ExtractOptions,
        description="how extraction runs (which spaCy model, batch size)",
    )
    serve: ServeOptions = Field(
        default_factory=ServeOptions,
        description="how `khabar serve` runs (address, API key, whether reads are open)",
    )
