"""STIX 2.1: one bundle, one ``report`` per incident.

Each report refers to the incident's ``location``, the ``identity`` objects of its target
and of the victims by nationality, a ``threat-actor`` for each claimant or accused actor
(``threat_actor_types: nation-state`` for a state), and ``relationship`` objects
``threat-actor targets identity/location`` whose description says whether the actor
claimed the attack or who alleged it. The sources are external references (URL,
outlet); the whole khabar record rides along as the custom property ``x_khabar_record``,
so evidence quotes and low/best/high tolls are not lost.

Identifiers are derived from content (a SHA-256 shaped as a version 4 UUID), so the same
place or actor is one object across incidents and a re-export gives the same ids.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Sequence
from typing import Any, BinaryIO

from ..extract.actors import load_actors
from ..records import Incident
from ..store import ExportRecord
from ._acled import notes
from ._context import ExportContext, countries

__all__ = ["bundle", "write"]


def stix_id(kind: str, key: str) -> str:
    digest = hashlib.sha256(f"khabar:{kind}:{key}".encode()).digest()
    return f"{kind}--{uuid.UUID(bytes=digest[:16], version=4)}"


def _stamp(context: ExportContext) -> str:
    now = context.now.astimezone(dt.UTC)
    return now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"


class _Builder:
    def __init__(self, context: ExportContext) -> None:
        self.context = context
        self.now = _stamp(context)
        self.objects: dict[str, dict[str, Any]] = {}
        self.actors = load_actors()
        self.creator = self.add(
            "identity",
            "khabar",
            {"name": "khabar", "identity_class": "system", "description": "khabar export"},
            creator=False,
        )
        self.extension = self.add(
            "extension-definition",
            "x_khabar",
            {
                "name": "khabar record",
                "description": "x_khabar_record: the incident as khabar exports it (EVAL.md); "
                "x_khabar_basis: 'claimed' or 'alleged'",
                "schema": "x_khabar_record is an object: the khabar incident record (EVAL.md of "
                "the khabar project); x_khabar_basis is a string, 'claimed' or 'alleged'.",
                "version": "1.0.0",
                "extension_types": ["toplevel-property-extension"],
                "extension_properties": ["x_khabar_record", "x_khabar_basis"],
            },
        )

    def add(self, kind: str, key: str, body: dict[str, Any], *, creator: bool = True) -> str:
        object_id = stix_id(kind, key)
        if object_id not in self.objects:
            self.objects[object_id] = {
                "type": kind,
                "spec_version": "2.1",
                "id": object_id,
                "created": self.now,
                "modified": self.now,
                **({"created_by_ref": self.creator} if creator else {}),
                **body,
            }
            if any(name.startswith("x_khabar_") for name in body):
                self.objects[object_id]["extensions"] = {
                    self.extension: {"extension_type": "toplevel-property-extension"}
                }
        return object_id

    def location(self, incident: Incident) -> str | None:
        where = incident.location
        if where is None or (where.country is None and (where.lat is None or where.lon is None)):
            return None
        body: dict[str, Any] = {}
        name = where.place or where.admin2 or where.admin1
        country = countries().get(where.country) if where.country else None
        body["name"] = ", ".join(filter(None, [name, country.name if country else where.country]))
        if where.country:
            body["country"] = where.country
        if where.admin1:
            body["administrative_area"] = where.admin1
        if where.place:
            body["city"] = where.place
        if where.lat is not None and where.lon is not None:
            body["latitude"] = where.lat
            body["longitude"] = where.lon
            body["precision"] = {"place": 1000.0, "admin2": 25000.0, "admin1": 150000.0}.get(
                where.precision, 500000.0
            )
        key = where.gazetteer_id or json.dumps(where.model_dump(mode="json"), sort_keys=True)
        return self.add("location", key, body)

    def threat_actor(self, name: str) -> str:
        actor = self.actors.lookup(name)
        canonical = self.actors.canonical(actor) if actor else None
        body: dict[str, Any] = {"name": canonical.name if canonical else name}
        if canonical and canonical.kind == "state":
            body["threat_actor_types"] = ["nation-state"]
        if actor:
            aliases = sorted(
                {canonical.name if canonical else name, *actor.aliases} - {body["name"]}
            )
            if aliases:
                body["aliases"] = aliases[:20]
        return self.add("threat-actor", body["name"], body)

    def identity(self, key: str, name: str, identity_class: str, description: str) -> str:
        return self.add(
            "identity",
            key,
            {"name": name, "identity_class": identity_class, "description": description},
        )

    def relationship(self, source: str, target: str, description: str, basis: str) -> str:
        return self.add(
            "relationship",
            f"{source}|targets|{target}|{description}",
            {
                "relationship_type": "targets",
                "source_ref": source,
                "target_ref": target,
                "description": description,
                "x_khabar_basis": basis,
            },
        )

    def report(self, incident: Incident) -> None:
        refs: list[str] = []
        location = self.location(incident)
        targets: list[str] = [location] if location else []
        if incident.target:
            targets.append(
                self.identity(
                    f"target:{incident.id}", incident.target, "unknown", "the attack's target"
                )
            )
        for group in incident.victims:
            country = countries().get(group.nationality)
            who = country.name if country else group.nationality
            targets.append(
                self.identity(
                    f"nationals:{group.nationality}",
                    f"Nationals of {who}",
                    "class",
                    f"people of {who} nationality",
                )
            )
        refs += targets
        perpetrator = incident.perpetrator
        basis: list[tuple[str, str, str]] = []
        if perpetrator and perpetrator.claimed_by:
            basis.append((perpetrator.claimed_by, "claimed", "claimed responsibility"))
        for allegation in perpetrator.alleged if perpetrator else ():
            by = f" by {allegation.by}" if allegation.by else ""
            basis.append((allegation.actor, "alleged", f"alleged{by}"))
        for name, how, said in basis:
            actor = self.threat_actor(name)
            refs.append(actor)
            for target in targets:
                refs.append(self.relationship(actor, target, f"{name}: {said}", how))
        references = [
            {"source_name": "khabar", "external_id": incident.id, "description": "incident id"}
        ]
        if self.context.base_url:
            references[0]["url"] = f"{self.context.base_url.rstrip('/')}/incidents/{incident.id}"
        for source in incident.sources:
            reference: dict[str, Any] = {
                "source_name": self.context.outlet(source.article_id) or "news article",
                "external_id": source.article_id,
                "description": f"{source.role}: {source.file or source.article_id}",
            }
            if source.url:
                reference["url"] = source.url
            references.append(reference)
        self.add(
            "report",
            incident.id,
            {
                "name": _title(incident),
                "description": notes(incident),
                "report_types": ["threat-report"],
                "published": self.now,
                "object_refs": list(dict.fromkeys(refs)) or [self.creator],
                "external_references": references,
                "x_khabar_record": incident.model_dump(mode="json"),
            },
        )


def _title(incident: Incident) -> str:
    where = incident.location
    place = (where.place or where.admin2 or where.admin1 or where.country) if where else None
    date = incident.date.value if incident.date and incident.date.value else "undated"
    kind = incident.event_type.replace("_", " ")
    return f"{kind.capitalize()}{' in ' + place if place else ''}, {date}"


def bundle(records: Sequence[ExportRecord], context: ExportContext) -> dict[str, Any]:
    """The STIX 2.1 bundle of the incidents among ``records``."""
    builder = _Builder(context)
    incidents = [r for r in records if isinstance(r, Incident)]
    for incident in incidents:
        builder.report(incident)
    key = builder.now + "|" + ",".join(i.id for i in incidents)
    return {
        "type": "bundle",
        "id": stix_id("bundle", key),
        "objects": list(builder.objects.values()),
    }


def write(records: Sequence[ExportRecord], stream: BinaryIO, context: ExportContext) -> None:
    stream.write(json.dumps(bundle(records, context), ensure_ascii=False).encode("utf-8"))
    stream.write(b"\n")
