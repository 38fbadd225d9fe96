"""The watch configuration: one TOML file of feeds, watchlists and notifiers, validated
once at start so that a typo fails loudly instead of silently matching nothing."""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from ..errors import UsageError
from ..ingest import IngestOptions
from ..records import EventType, StatementType

__all__ = [
    "EmailNotifier",
    "FeedConfig",
    "JsonlNotifier",
    "NamedPlace",
    "NotifierConfig",
    "WatchConfig",
    "WatchOptions",
    "Watchlist",
    "WebhookNotifier",
    "load_config",
    "parse_duration",
]

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*([smhd])")


def parse_duration(value: object) -> float:
    """Seconds in ``90``, ``"90s"``, ``"10m"``, ``"1h30m"`` or ``"2d"``.

    Raises:
        ValueError: anything else, or a duration that is not positive.
    """
    if isinstance(value, bool):
        raise ValueError(f"not a duration: {value!r}")
    if isinstance(value, int | float):
        seconds = float(value)
    elif isinstance(value, str):
        text = value.strip().lower()
        if re.fullmatch(r"\d+(?:\.\d+)?", text):
            seconds = float(text)
        elif text and _DURATION.sub("", text).strip() == "":
            seconds = sum(float(n) * _UNITS[unit] for n, unit in _DURATION.findall(text))
        else:
            raise ValueError(f"not a duration: {value!r} (write 30s, 10m, 1h30m or 2d)")
    else:
        raise ValueError(f"not a duration: {value!r}")
    if seconds <= 0:
        raise ValueError(f"a duration must be positive, not {value!r}")
    return seconds


Duration = Annotated[float, BeforeValidator(parse_duration)]
CountryCode = Annotated[str, Field(pattern=r"^[A-Z]{2}$")]


def _http_url(value: str) -> str:
    if not re.match(r"^https?://[^\s/]+", value, re.IGNORECASE):
        raise ValueError(f"not an http(s) URL: {value!r}")
    return value


def _upper(value: Any) -> Any:
    return (
        [v.upper() if isinstance(v, str) else v for v in value]
        if isinstance(value, list)
        else value
    )


def _listed(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class WatchOptions(_Strict):
    """The ``[watch]`` table: how rounds run and fetch."""

    interval: Duration = Field(600.0, description="seconds between rounds when looping")
    model: str | None = Field(None, description="spaCy model (auto, blank, a package)")
    allow_private: bool = Field(False, description="fetch from private/loopback addresses")
    timeout: float = Field(20.0, gt=0, description="seconds allowed for one download")
    max_bytes: int = Field(8_000_000, gt=0, description="largest document read")
    follow_links: bool = Field(True, description="fetch the page of a summary-only entry")
    backoff: Duration = Field(300.0, description="wait after a feed's first failure")
    max_backoff: Duration = Field(21600.0, description="longest wait after failures")
    concurrency: int = Field(4, ge=1, le=32, description="feeds fetched at once")
    base_url: str | None = Field(None, description="khabar serve's address, for links")
    backfill: bool = Field(
        False,
        description="alert on what the database already holds when a watchlist begins",
    )

    _url = field_validator("base_url")(lambda v: _http_url(v).rstrip("/") if v else v)

    def ingest_options(self) -> IngestOptions:
        return IngestOptions(
            timeout=self.timeout,
            max_bytes=self.max_bytes,
            allow_private=self.allow_private,
            follow_feed_links=self.follow_links,
        )


class FeedConfig(_Strict):
    url: str
    name: str | None = None

    _url = field_validator("url")(_http_url)


class NamedPlace(_Strict):
    """A site to watch around: a dam, a camp, a compound."""

    name: str
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    km: float = Field(gt=0, le=20000)


_INCIDENT_FILTERS = (
    "countries",
    "admin1",
    "admin2",
    "near",
    "event_types",
    "victims",
    "actors",
    "min_fatalities",
)
_STATEMENT_FILTERS = ("statement_types", "statement_source", "statement_target")


class Watchlist(_Strict):
    """What one alert rule looks for. Filters combine with AND; the values of one list
    with OR. Incident filters and statement filters do not mix in one watchlist."""

    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$")
    kind: Literal["incident", "statement"] | None = None
    countries: list[CountryCode] = []
    admin1: list[str] = []
    admin2: list[str] = []
    near: list[NamedPlace] = []
    event_types: list[EventType] = []
    victims: list[CountryCode] = Field([], description="victims' nationality, ISO codes")
    actors: list[str] = Field([], description="claimed or alleged, any name or alias")
    min_fatalities: int | None = Field(None, ge=0)
    statement_types: list[StatementType] = []
    statement_source: list[str] = []
    statement_target: list[str] = []
    notify: list[str] = Field(min_length=1)

    _codes = field_validator("countries", "victims", mode="before")(_upper)
    _lists = field_validator("statement_source", "statement_target", "notify", mode="before")(
        _listed
    )

    @model_validator(mode="after")
    def _one_kind(self) -> Watchlist:
        incident = [f for f in _INCIDENT_FILTERS if getattr(self, f) not in ([], None)]
        statement = [f for f in _STATEMENT_FILTERS if getattr(self, f)]
        if incident and statement:
            raise ValueError(
                f"watchlist {self.name!r} mixes incident filters ({', '.join(incident)}) "
                f"with statement filters ({', '.join(statement)}): make two watchlists"
            )
        kind = self.kind or ("statement" if statement else "incident")
        if (kind == "incident" and statement) or (kind == "statement" and incident):
            raise ValueError(f"watchlist {self.name!r}: kind {kind!r} does not fit its filters")
        object.__setattr__(self, "kind", kind)
        return self


def _secret(value: str | None, env: str | None, what: str) -> str | None:
    if value or not env:
        return value
    found = os.environ.get(env)
    if not found:
        raise ValueError(f"{what}: the environment variable {env} is not set")
    return found


class WebhookNotifier(_Strict):
    """An HTTP POST of each alert as JSON, signed with HMAC-SHA256 when a secret is set."""

    type: Literal["webhook"]
    url: str
    secret: str | None = Field(None, repr=False)
    secret_env: str | None = Field(None, description="read the secret from this variable")
    timeout: float = Field(10.0, gt=0)
    retries: int = Field(3, ge=1, le=10, description="attempts per alert and round")
    retry_backoff: float = Field(1.0, ge=0, description="seconds before the 2nd attempt")
    headers: dict[str, str] = {}

    _url = field_validator("url")(_http_url)

    @model_validator(mode="after")
    def _resolve_secret(self) -> WebhookNotifier:
        object.__setattr__(self, "secret", _secret(self.secret, self.secret_env, "webhook"))
        return self


class EmailNotifier(_Strict):
    """One e-mail per alert over SMTP: STARTTLS (default) or TLS from the start, with
    login when a username is given. The server's certificate is always verified."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    type: Literal["email"]
    host: str
    port: int = Field(587, gt=0, lt=65536)
    starttls: bool = True
    ssl: bool = Field(False, description="TLS from the start (port 465)")
    username: str | None = None
    password: str | None = Field(None, repr=False)
    password_env: str | None = None
    sender: str = Field(alias="from")
    to: list[str] = Field(min_length=1)
    ca_file: Path | None = Field(None, description="CA bundle to trust instead of the system's")
    timeout: float = Field(20.0, gt=0)
    subject_prefix: str = "[khabar]"

    _to = field_validator("to", mode="before")(_listed)

    @field_validator("ca_file")
    @classmethod
    def _relative_to_config(cls, value: Path | None, info: ValidationInfo) -> Path | None:
        return _resolve(value, info)

    @model_validator(mode="after")
    def _check(self) -> EmailNotifier:
        if self.ssl and self.starttls:
            object.__setattr__(self, "starttls", False)
        password = _secret(self.password, self.password_env, "email")
        if self.username and not password:
            raise ValueError("email: a username needs a password (or password_env)")
        object.__setattr__(self, "password", password)
        return self


class JsonlNotifier(_Strict):
    """One JSON line per alert, appended to a file, or printed (``path = "-"``)."""

    type: Literal["jsonl"]
    path: Path = Path("-")

    @field_validator("path")
    @classmethod
    def _relative_to_config(cls, value: Path, info: ValidationInfo) -> Path:
        return value if str(value) == "-" else _resolve(value, info)  # type: ignore[return-value]


NotifierConfig = Annotated[
    WebhookNotifier | EmailNotifier | JsonlNotifier, Field(discriminator="type")
]


def _resolve(value: Path | None, info: ValidationInfo) -> Path | None:
    base = (info.context or {}).get("base")
    if value is None or value.is_absolute() or base is None:
        return value
    return Path(base) / value


class WatchConfig(_Strict):
    watch: WatchOptions = WatchOptions()
    feed: list[FeedConfig] = Field(min_length=1)
    watchlist: list[Watchlist] = Field(min_length=1)
    notifier: dict[str, NotifierConfig] = Field(min_length=1)

    @model_validator(mode="after")
    def _names_fit(self) -> WatchConfig:
        urls = [f.url for f in self.feed]
        if len(set(urls)) != len(urls):
            raise ValueError("a feed is listed twice")
        names = [w.name for w in self.watchlist]
        if len(set(names)) != len(names):
            raise ValueError("two watchlists have the same name")
        for watchlist in self.watchlist:
            unknown = [n for n in watchlist.notify if n not in self.notifier]
            if unknown:
                raise ValueError(
                    f"watchlist {watchlist.name!r} notifies {', '.join(unknown)}, which "
                    f"no [notifier.NAME] table defines"
                )
        return self


def load_config(path: str | Path) -> WatchConfig:
    """Read and validate a watch configuration; relative paths in it are taken from the
    file's folder.

    Raises:
        UsageError: the file is missing, not TOML, or not a valid configuration.
    """
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except OSError as error:
        raise UsageError(f"cannot read the watch configuration {path}: {error}") from error
    except tomllib.TOMLDecodeError as error:
        raise UsageError(f"{path} is not valid TOML: {error}") from error
    try:
        return WatchConfig.model_validate(data, context={"base": path.parent})
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'config'}: {e['msg']}" for e in error.errors()
        )
        raise UsageError(f"{path}: {problems}") from error
