"""The typed records every stage of khabar passes on.

Records are plain, frozen data; the stages are functions over them. The exported
records (``Incident``, ``Statement``, ``Arrest``) carry exactly the fields of
``EVAL.md``, in its order, so that ``record.model_dump_json()`` is the line that
``khabar export --format jsonl`` writes. Unknown values are ``None`` (``null``), never
a guess. Bump ``SCHEMA_VERSION`` whenever a field is added, renamed or retyped.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = [
    "SCHEMA_VERSION",
    "ActorRef",
    "Allegation",
    "Arrest",
    "Article",
    "ArticleSource",
    "CorrectableField",
    "Correction",
    "Count",
    "DatePrecision",
    "DateSpan",
    "EventType",
    "Evidence",
    "HandDecision",
    "Incident",
    "IngestFailure",
    "Location",
    "LocationPrecision",
    "Perpetrator",
    "SourceRef",
    "SpeakerRef",
    "Statement",
    "StatementType",
    "VictimGroup",
]

SCHEMA_VERSION = 3
_MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

DatePrecision = Literal["day", "month", "year", "unknown"]
LocationPrecision = Literal["place", "admin2", "admin1", "country", "unknown"]
EventType = Literal[
    "bombing",
    "armed_assault",
    "drone_strike",
    "air_strike",
    "kidnapping",
    "hijacking",
    "assassination",
    "clash",
    "other_attack",
]
StatementType = Literal[
    "ACCUSE", "REJECT", "REQUEST", "AGREE", "THREATEN", "SUPPORT", "CLAIM_RESPONSIBILITY"
]


class _Record(BaseModel):
    # defer_build: pydantic builds a model's validator on its first use, not at import,
    # so a command that lists incidents does not pay for the twenty models it never reads
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class Article(_Record):
    """One news story: clean text plus what is known about where it came from.

    ``id`` is a fingerprint of the normalised text, so the same story ingested twice, or
    syndicated by two outlets, has one id. ``file`` is the path relative to the folder
    that was ingested (the name alone for a single file); ``part`` numbers the stories of
    a page that held several (1, 2, ...) and is ``None`` for a page with one story.
    ``locator`` names this copy uniquely (``dir/page.txt#2``, ``feed.xml#<guid>``,
    ``dump.jsonl:17``, a URL); ``encoding`` is set when the bytes were not UTF-8.
    ``published_from`` says where ``published`` was read: ``metadata`` (front matter, a
    JSON field, HTML meta tags, a feed entry's date; a WARC record's crawl date is never
    taken for it) or ``text`` (an "Updated 28 November 2025" line, which may be an update
    rather than the first publication).
    """

    id: str
    text: str
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: dt.date | None = None
    published_from: Literal["metadata", "text"] | None = None
    dateline: str | None = None
    language: str | None = None
    file: str | None = None
    part: int | None = None
    locator: str | None = None
    encoding: str | None = None


class ArticleSource(_Record):
    """One place an article was read from; a syndicated story has several."""

    article_id: str
    locator: str
    file: str | None = None
    part: int | None = None
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    published: dt.date | None = None
    first_seen: dt.datetime


class IngestFailure(_Record):
    """An input, or one item of it, that did not become an Article, and why."""

    locator: str
    code: str
    reason: str


class Evidence(_Record):
    """A span of an article's text that supports one field of a record."""

    field: str | None = None
    article_id: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    quote: str

    @model_validator(mode="after")
    def _span_is_ordered(self) -> Evidence:
        if self.end < self.start:
            raise ValueError(f"evidence span ends ({self.end}) before it starts ({self.start})")
        return self


CorrectableField = Literal[
    "event_type",
    "suicide",
    "date",
    "location",
    "fatalities",
    "injured",
    "target",
    "claimed_by",
]


class Correction(_Record):
    """An analyst's correction of one field of a resolved incident.

    ``value`` is the new value as JSON (see ``khabar.resolve.correct`` for each field's
    form). ``anchor`` is a mention of the event when the correction was made, so the
    correction follows the event when a rebuild or a merge gives it another id.
    ``evidence`` is a span the analyst cited for the value, when they cited one.
    """

    id: str
    event_id: str
    anchor: str
    field: CorrectableField
    value: object = None
    note: str | None = None
    author: str | None = None
    evidence: Evidence | None = None
    created_at: dt.datetime


class HandDecision(_Record):
    """An analyst's merge or split: the pairs of mentions it put together or apart are
    stored under its id, so that it can be listed and taken back.

    ``event_id`` is the incident it was made on (A of a merge); ``other`` is B of a
    merge or the article split off. ``pairs`` and ``mentions`` are what it stored.
    """

    id: str
    kind: Literal["merge", "split"]
    event_id: str
    other: str | None = None
    created_at: dt.datetime
    pairs: int = 0
    mentions: tuple[str, ...] = ()


class DateSpan(_Record):
    """A date known to some precision, with the window it could fall in.

    ``value`` is written to its precision: ``2024-03-26``, ``2024-03``, ``2024`` or
    ``None`` when the precision is ``unknown``. ``month_day`` (``MM-DD``, ISO 8601's
    ``--MM-DD``) is the month and day a text gives without a year ("on October 11" in a
    story with no publication date): the year is unknown, so ``value`` is ``None``;
    resolution can anchor it with other reports of the event. It is ``None`` otherwise.
    """

    value: str | None = None
    precision: DatePrecision = "unknown"
    earliest: dt.date | None = None
    latest: dt.date | None = None
    month_day: str | None = Field(default=None, pattern=r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")

    @model_validator(mode="after")
    def _window_is_ordered(self) -> DateSpan:
        if self.earliest and self.latest and self.latest < self.earliest:
            raise ValueError("date window ends before it starts")
        if self.precision == "unknown" and self.value is not None:
            raise ValueError("a date of unknown precision has no value")
        if self.month_day is not None:
            if self.value is not None:
                raise ValueError("a date with a year says its month and day in value")
            month, day = (int(part) for part in self.month_day.split("-"))
            if day > (29 if month == 2 else 30 if month in (4, 6, 9, 11) else 31):
                raise ValueError(f"no day {self.month_day} in any year")
        return self

    def label(self) -> str | None:
        """The date for people: ``value``, or "11 Oct, year unknown" for a month and
        day without a year; ``None`` when neither is known."""
        if self.value is not None:
            return self.value
        if self.month_day is not None:
            month, day = (int(part) for part in self.month_day.split("-"))
            return f"{day} {_MONTH_ABBR[month - 1]}, year unknown"
        return None


class Location(_Record):
    country: str | None = Field(default=None, description="ISO 3166-1 alpha-2")
    admin1: str | None = None
    admin2: str | None = None
    place: str | None = None
    lat: float | None = None
    lon: float | None = None
    precision: LocationPrecision = "unknown"
    gazetteer_id: str | None = None


class Count(_Record):
    """A figure as UCDP reports it: a low, a best and a high estimate."""

    low: int | None = None
    best: int | None = None
    high: int | None = None


class ActorRef(_Record):
    """A canonical actor from khabar's actor dictionary, e.g. "Pakistan", "TTP"."""

    name: str
    country: str | None = None


class SpeakerRef(ActorRef):
    """The source of a statement: the canonical actor and the speaker as named."""

    speaker: str | None = None


class VictimGroup(_Record):
    """People killed, grouped by a nationality the text states."""

    nationality: str
    count: int | None = None
    description: str | None = None


class Allegation(_Record):
    actor: str
    by: str | None = None


class Perpetrator(_Record):
    claimed_by: str | None = None
    alleged: tuple[Allegation, ...] = ()


class SourceRef(_Record):
    article_id: str
    file: str | None = None
    url: str | None = None
    role: Literal["report", "mention"] = "report"


class Incident(_Record):
    """An attack: per article as extraction reads it (a mention), or per real event
    once resolution merged the accounts. ``status`` is ``mentioned`` for an event that
    only passing mentions know (kept out of lists, maps and aggregates until a report
    upgrades it); ``review`` lists why the merged record needs an analyst's eye (values
    that contradict each other, sources that disagree), empty when clean."""

    kind: Literal["incident"] = "incident"
    id: str
    event_type: EventType
    suicide: bool | None = None
    date: DateSpan | None = None
    location: Location | None = None
    fatalities: Count | None = None
    injured: Count | None = None
    victims: tuple[VictimGroup, ...] = ()
    perpetrator: Perpetrator | None = None
    target: str | None = None
    sources: tuple[SourceRef, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    status: Literal["reported", "mentioned"] = "reported"
    review: tuple[str, ...] = ()


class Statement(_Record):
    kind: Literal["statement"] = "statement"
    id: str
    type: StatementType
    source: SpeakerRef
    target: ActorRef | None = None
    date: DateSpan | None = None
    about: str | None = None
    sources: tuple[SourceRef, ...] = ()
    evidence: tuple[Evidence, ...] = ()


class Arrest(_Record):
    kind: Literal["arrest"] = "arrest"
    id: str
    actor: ActorRef | None = None
    count: int | None = None
    location: Location | None = None
    date: DateSpan | None = None
    about: str | None = None
    sources: tuple[SourceRef, ...] = ()
    evidence: tuple[Evidence, ...] = ()
