"""Scoring against gold annotations (EVAL.md): ``khabar eval``.

Predicted incidents are matched one to one, within each article, with the gold incidents
that article reports or mentions, by a compatibility score (same country, same or nested
place, compatible date, closest casualty figures, same type); a pair whose countries or
provinces conflict never matches. Detection counts gold incidents found and predictions
that match none (an incident told by three articles, not yet merged by resolution, is
one found incident and two duplicates, not false positives). Each field is scored on the
best-matching account of each gold incident, as EVAL.md matches one to one; with
``per_article`` on every account (stricter before resolution):

- a right value is a true positive; a wrong one is a false positive and a false
  negative; a missing one a false negative; a value where gold has none a false positive;
- a province or district that gold leaves empty, above a place gold names, is no error:
  it is the gazetteer's parent of that place, not a guess;
- a date the text cannot fix (``date_derivable: false``) is right when absent and a false
  positive when given; a less precise date than gold's that agrees with it is a false
  negative only;
- fatalities are right when the predicted best figure lies in gold's range;
- names of places and actors are compared through the gazetteer and the actor
  dictionary, so "Sar-i-Pul" matches "Sar-e-Pul" and "Balochistan Liberation Army
  (Majeed Brigade)" matches "BLA"; free-text fields (alleged perpetrator, target) are
  right when their distinctive words appear in gold's text.

Statements match on (article, type, source, target); arrests on (article, actor, count).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from .extract.actors import ActorDictionary
from .extract.gazetteer import Gazetteer
from .records import Arrest, Incident, Statement

__all__ = ["FIELDS", "Gold", "Prf", "Report", "load_gold", "score"]

FIELDS = (
    "date",
    "country",
    "admin1",
    "admin2",
    "place",
    "event_type",
    "suicide",
    "fatalities",
    "injured",
    "victim_nationalities",
    "perpetrator_claimed",
    "perpetrator_alleged",
    "target",
)
_STOP = {
    "the",
    "a",
    "an",
    "of",
    "in",
    "on",
    "at",
    "to",
    "for",
    "and",
    "or",
    "with",
    "by",
    "near",
    "from",
    "their",
    "his",
    "her",
    "its",
    "carrying",
    "belonging",
    "bound",
    "frequented",
}


class _Loose(BaseModel):
    model_config = ConfigDict(extra="allow")


class GoldIncident(_Loose):
    incident_id: str
    articles: dict[str, str]
    date: str | None = None
    date_derivable: bool = True
    country: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    place: str | None = None
    event_type: str | None = None
    suicide: bool | None = None
    fatalities: dict[str, int] | None = None
    injured: int | dict[str, int] | None = None
    victim_nationalities: dict[str, int] = {}
    perpetrator_claimed: str | None = None
    perpetrator_alleged: str | None = None
    target: str | None = None


class GoldStatement(_Loose):
    article: str
    type: str
    source: str | None = None
    target: str | None = None
    date: str | None = None
    about: str | None = None
    speaker: str | None = None


class GoldArrest(_Loose):
    article: str
    actor: str | None = None
    count: int | None = None
    place: str | None = None
    country: str | None = None
    about: str | None = None


@dataclass
class Gold:
    incidents: list[GoldIncident] = field(default_factory=list)
    statements: list[GoldStatement] = field(default_factory=list)
    arrests: list[GoldArrest] = field(default_factory=list)


def load_gold(path: Path) -> Gold:
    gold = Gold()
    for number, line in enumerate(Path(path).read_text("utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            raise ValueError(f"{path}:{number}: invalid JSON: {error.msg}") from error
        kind = row.get("kind")
        if kind == "incident":
            gold.incidents.append(GoldIncident.model_validate(row))
        elif kind == "statement":
            gold.statements.append(GoldStatement.model_validate(row))
        elif kind == "arrest":
            gold.arrests.append(GoldArrest.model_validate(row))
    return gold


@dataclass
class Prf:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Prf) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    def as_dict(self) -> dict[str, float | int]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 3),
            "recall": round(self.recall, 3),
            "f1": round(self.f1, 3),
        }


@dataclass
class Report:
    incidents: Prf = field(default_factory=Prf)
    fields: dict[str, Prf] = field(default_factory=lambda: {f: Prf() for f in FIELDS})
    statements: Prf = field(default_factory=Prf)
    arrests: Prf = field(default_factory=Prf)
    merges: Prf = field(default_factory=Prf)
    """pairwise: accounts put in one incident that gold also puts in one"""
    duplicates: int = 0
    """matched accounts of an incident beyond the best one (until resolution merges)"""
    misses: list[str] = field(default_factory=list)
    spurious: list[str] = field(default_factory=list)
    field_errors: list[str] = field(default_factory=list)
    statement_errors: list[str] = field(default_factory=list)
    """missed and spurious statements as article / type / source / target"""
    arrest_errors: list[str] = field(default_factory=list)

    @property
    def field_total(self) -> Prf:
        total = Prf()
        for prf in self.fields.values():
            total.add(prf)
        return total

    def as_dict(self) -> dict[str, Any]:
        return {
            "incidents": self.incidents.as_dict(),
            "merges": self.merges.as_dict(),
            "duplicates": self.duplicates,
            "fields": {name: prf.as_dict() for name, prf in self.fields.items()},
            "fields_all": self.field_total.as_dict(),
            "statements": self.statements.as_dict(),
            "arrests": self.arrests.as_dict(),
            "misses": self.misses,
            "spurious": self.spurious,
            "field_errors": self.field_errors,
            "statement_errors": self.statement_errors,
            "arrest_errors": self.arrest_errors,
        }


def _stem(file: str | None) -> str | None:
    if not file:
        return None
    name = Path(file).name
    for suffix in (".warc.gz", ".jsonl", ".json", ".html", ".htm", ".txt", ".md", ".xml"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return Path(name).stem


def score(
    records: Iterable[Incident | Statement | Arrest],
    gold: Gold,
    *,
    gazetteer: Gazetteer,
    actors: ActorDictionary,
    per_article: bool = False,
) -> Report:
    """Score predicted records against gold.

    Args:
        per_article: score the fields of every article's account of an incident, not
            only of the account that matches it best (stricter before resolution merges
            the accounts: a follow-up that gives only the new toll is scored on every
            field of the incident).
    """
    records = list(records)
    scorer = _Scorer(gazetteer, actors)
    report = Report()
    predicted = [r for r in records if isinstance(r, Incident)]
    pairs = scorer.match(predicted, gold.incidents)
    matched_pred = {id(p) for p, _ in pairs}
    matched_gold = {g.incident_id for _, g in pairs}
    report.incidents = Prf(
        tp=len(matched_gold),
        fp=len(predicted) - len(matched_pred),
        fn=len(gold.incidents) - len(matched_gold),
    )
    report.merges = scorer.merges()
    scored = pairs if per_article else scorer.best_pairs(pairs)
    report.duplicates = len(pairs) - len(scorer.best_pairs(pairs))
    for incident, expected in scored:
        for name in FIELDS:
            result, note = scorer.field(name, incident, expected)
            report.fields[name].add(result)
            if note:
                report.field_errors.append(f"{expected.incident_id}.{name}: {note}")
    report.misses = [
        f"{g.incident_id} ({', '.join(f'{k}:{v}' for k, v in g.articles.items())})"
        for g in gold.incidents
        if g.incident_id not in matched_gold
    ]
    report.spurious = [scorer.describe(p) for p in predicted if id(p) not in matched_pred]
    report.statements = scorer.statements(
        [r for r in records if isinstance(r, Statement)], gold.statements
    )
    report.arrests = scorer.arrests([r for r in records if isinstance(r, Arrest)], gold.arrests)
    report.statement_errors = sorted(scorer.statement_notes)
    report.arrest_errors = sorted(scorer.arrest_notes)
    return report


class _Scorer:
    def __init__(self, gazetteer: Gazetteer, actors: ActorDictionary) -> None:
        self.gazetteer = gazetteer
        self.actors = actors
        self.statement_notes: list[str] = []
        self.accounts: list[tuple[int, int, str]] = []
        self.arrest_notes: list[str] = []

    # -- names -----------------------------------------------------------------------

    def same_place(self, a: str | None, b: str | None) -> bool:
        if a is None or b is None:
            return False
        if _fold(a) == _fold(b):
            return True
        ids_a = {p.id for p in self.gazetteer.lookup(a)}
        ids_b = {p.id for p in self.gazetteer.lookup(b)}
        if ids_a & ids_b:
            return True
        names_a = {_fold(p.name) for p in self.gazetteer.lookup(a)} | {_fold(a)}
        names_b = {_fold(p.name) for p in self.gazetteer.lookup(b)} | {_fold(b)}
        return bool(names_a & names_b)

    def actor_name(self, text: str | None) -> str | None:
        if not text:
            return None
        actor = self.actors.lookup(text) or self.actors.find_in(text)
        return self.actors.canonical(actor).name if actor else text

    def same_actor(self, a: str | None, b: str | None) -> bool:
        if a is None or b is None:
            return a is None and b is None
        return _fold(self.actor_name(a) or a) == _fold(self.actor_name(b) or b)

    # -- incidents -------------------------------------------------------------------

    def compatibility(self, incident: Incident, gold: GoldIncident) -> float | None:
        stems = {_stem(s.file) for s in incident.sources}
        if not stems & set(gold.articles):
            return None
        location = incident.location
        value = 0.0
        if location and location.country and gold.country:
            if location.country != gold.country:
                return None
            value += 2
        if location and location.admin1 and gold.admin1:
            if not self.same_place(location.admin1, gold.admin1):
                return None
            value += 1
        if location and (
            self.same_place(location.place, gold.place)
            or self.same_place(location.admin2, gold.admin2)
        ):
            value += 2
        if incident.date and incident.date.value and gold.date:
            if incident.date.value.startswith(gold.date) or gold.date.startswith(
                incident.date.value
            ):
                value += 1
            else:
                value -= 1
        if incident.fatalities and incident.fatalities.best is not None and gold.fatalities:
            low, high = gold.fatalities.get("min", 0), gold.fatalities.get("max", 0)
            best = incident.fatalities.best
            value += 2 if low <= best <= high else -min(abs(best - low), abs(best - high)) / 10
        if incident.event_type == gold.event_type:
            value += 1
        return value

    def match(
        self, predicted: list[Incident], gold: list[GoldIncident]
    ) -> list[tuple[Incident, GoldIncident]]:
        """One to one within each article: an article's report of an incident matches
        that incident; the same incident told by three articles matches three times
        (once resolution merges them, once)."""
        stems: dict[str, set[int]] = {}
        for p_index, incident in enumerate(predicted):
            for source in incident.sources:
                stem = _stem(source.file)
                if stem:
                    stems.setdefault(stem, set()).add(p_index)
        pairs: dict[tuple[int, int], None] = {}
        for stem, p_indices in sorted(stems.items()):
            scored = []
            for p_index in sorted(p_indices):
                for g_index, expected in enumerate(gold):
                    if stem not in expected.articles:
                        continue
                    value = self.compatibility(predicted[p_index], expected)
                    if value is not None:
                        scored.append((value, p_index, g_index))
            scored.sort(key=lambda item: (-item[0], item[1], item[2]))
            used_p: set[int] = set()
            used_g: set[int] = set()
            for _, p_index, g_index in scored:
                if p_index in used_p or g_index in used_g:
                    continue
                used_p.add(p_index)
                used_g.add(g_index)
                pairs[(p_index, g_index)] = None
                self.accounts.append((p_index, g_index, stem))
        return [(predicted[p], gold[g]) for p, g in pairs]

    def merges(self) -> Prf:
        """Pairwise merge quality over the matched accounts (one per article and gold
        incident): two accounts in one predicted incident should be one gold incident
        (precision), and two accounts of one gold incident should be one predicted
        incident (recall)."""
        prf = Prf()
        accounts = self.accounts
        for i, (p1, g1, _) in enumerate(accounts):
            for p2, g2, _ in accounts[i + 1 :]:
                same_pred, same_gold = p1 == p2, g1 == g2
                if same_pred and same_gold:
                    prf.tp += 1
                elif same_pred:
                    prf.fp += 1
                elif same_gold:
                    prf.fn += 1
        return prf

    def best_pairs(
        self, pairs: list[tuple[Incident, GoldIncident]]
    ) -> list[tuple[Incident, GoldIncident]]:
        """One pair per gold incident, as EVAL.md matches one to one: the account that
        matches it best (by the matching score, then a report before a mention)."""
        best: dict[str, tuple[tuple[float, int], Incident, GoldIncident]] = {}
        for incident, expected in pairs:
            rank = (
                self.compatibility(incident, expected) or 0.0,
                int(any(s.role == "report" for s in incident.sources)),
            )
            current = best.get(expected.incident_id)
            if current is None or rank > current[0]:
                best[expected.incident_id] = (rank, incident, expected)
        return [(incident, expected) for _, incident, expected in best.values()]

    def field(self, name: str, incident: Incident, gold: GoldIncident) -> tuple[Prf, str]:
        if name == "date":
            return self._date(incident, gold)
        predicted, expected = _values(name, incident, gold)
        if name == "event_type" and set(gold.articles.values()) == {"mention"}:
            # For an attack known only from a passing mention any violent type will do.
            return (Prf(tp=1), "") if predicted else (Prf(fn=1), "missing")
        if expected is None or expected == {}:
            if (
                predicted is None
                or predicted == {}
                or (name == "suicide" and set(gold.articles.values()) == {"mention"})
            ):
                return Prf(), ""
            if name in ("admin1", "admin2") and gold.place and incident.location:
                # Gold leaves a parent division empty when the text does not name it;
                # the gazetteer's parent of the right place is not a guess.
                return Prf(), ""
            return Prf(fp=1), f"predicted {predicted!r}, gold has none"
        if predicted is None or predicted == {}:
            return Prf(fn=1), f"missing (gold {expected!r})"
        if self._right(name, predicted, expected):
            return Prf(tp=1), ""
        return Prf(fp=1, fn=1), f"predicted {predicted!r}, gold {expected!r}"

    def _right(self, name: str, predicted: Any, expected: Any) -> bool:
        if name in ("admin1", "admin2", "place"):
            return self.same_place(predicted, expected)
        if name == "fatalities" or name == "injured":
            low, high = (
                (expected.get("min"), expected.get("max"))
                if isinstance(expected, dict)
                else (expected, expected)
            )
            return low <= predicted <= high
        if name == "perpetrator_claimed":
            return self.same_actor(predicted, expected)
        if name == "perpetrator_alleged":
            return any(self._alleged_matches(actor, expected) for actor in predicted)
        if name == "target":
            return _overlaps(predicted, expected)
        return predicted == expected

    def _alleged_matches(self, predicted: str, expected: str) -> bool:
        """A predicted alleged perpetrator is right when its name, or one of the actor's
        aliases ("Daesh" for Islamic State), appears in gold's free text."""
        if _mentions(predicted, expected):
            return True
        actor = self.actors.lookup(predicted)
        if actor is None:
            return False
        names = [actor.name, *actor.aliases]
        folded = f" {expected.casefold()} "
        return any(len(n) > 2 and f"{n.casefold()}" in folded for n in names)

    def _date(self, incident: Incident, gold: GoldIncident) -> tuple[Prf, str]:
        value = incident.date.value if incident.date else None
        if gold.date is None:
            if value is None:
                return (Prf(tp=1), "") if not gold.date_derivable else (Prf(), "")
            return Prf(fp=1), f"predicted {value}, the text does not fix a date"
        if value is None:
            return Prf(fn=1), f"missing (gold {gold.date})"
        if value.startswith(gold.date):
            return Prf(tp=1), ""
        if gold.date.startswith(value):
            return Prf(fn=1), f"predicted {value}, less precise than gold {gold.date}"
        return Prf(fp=1, fn=1), f"predicted {value}, gold {gold.date}"

    def describe(self, incident: Incident) -> str:
        where = incident.location
        place = (where.place or where.admin2 or where.admin1 or where.country) if where else None
        files = ", ".join(sorted({s.file or s.article_id for s in incident.sources}))
        quote = incident.evidence[0].quote[:100] if incident.evidence else ""
        return f"{incident.event_type} at {place} in {files}: {quote!r}"

    # -- statements and arrests ------------------------------------------------------

    def statements(self, predicted: list[Statement], gold: list[GoldStatement]) -> Prf:
        def key_gold(g: GoldStatement) -> tuple[str, str, str, str]:
            return (
                g.article,
                g.type,
                _fold(self.actor_name(g.source) or ""),
                _fold(self.actor_name(g.target) or ""),
            )

        keys = []
        for statement in predicted:
            for source in statement.sources:
                keys.append(
                    (
                        _stem(source.file) or "",
                        statement.type,
                        _fold(self.actor_name(statement.source.name) or ""),
                        _fold(
                            self.actor_name(statement.target.name if statement.target else None)
                            or ""
                        ),
                    )
                )
        return _multiset_prf(keys, [key_gold(g) for g in gold], self.statement_notes)

    def arrests(self, predicted: list[Arrest], gold: list[GoldArrest]) -> Prf:
        keys = []
        for arrest in predicted:
            for source in arrest.sources:
                keys.append(
                    (
                        _stem(source.file) or "",
                        _fold(self.actor_name(arrest.actor.name if arrest.actor else None) or ""),
                        arrest.count,
                    )
                )
        expected = [(g.article, _fold(self.actor_name(g.actor) or ""), g.count) for g in gold]
        return _multiset_prf(keys, expected, self.arrest_notes)


def _values(name: str, incident: Incident, gold: GoldIncident) -> tuple[Any, Any]:
    location = incident.location
    if name in ("country", "admin1", "admin2", "place"):
        predicted = getattr(location, name) if location else None
        return predicted, getattr(gold, name)
    if name == "fatalities":
        return (incident.fatalities.best if incident.fatalities else None), gold.fatalities
    if name == "injured":
        return (incident.injured.best if incident.injured else None), gold.injured
    if name == "victim_nationalities":
        predicted = {v.nationality: v.count for v in incident.victims}
        return predicted, dict(gold.victim_nationalities)
    if name == "perpetrator_claimed":
        return (incident.perpetrator.claimed_by if incident.perpetrator else None), (
            gold.perpetrator_claimed
        )
    if name == "perpetrator_alleged":
        alleged = [a.actor for a in incident.perpetrator.alleged] if incident.perpetrator else []
        return (alleged or None), gold.perpetrator_alleged
    if name == "target":
        return incident.target, gold.target
    if name == "suicide":
        return incident.suicide, gold.suicide
    if name == "event_type":
        return incident.event_type, gold.event_type
    raise KeyError(name)


def _fold(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", text.casefold())


def _content_words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", text.casefold()) if len(w) > 2 and w not in _STOP}


def _overlaps(predicted: str, expected: str) -> bool:
    words = _content_words(predicted)
    gold = _content_words(expected)
    if not words or not gold:
        return False
    shared = {w for w in words if any(g.startswith(w[:5]) for g in gold)}
    return len(shared) / len(words) >= 0.5


def _mentions(actor: str, expected: str) -> bool:
    folded = expected.casefold()
    names = re.findall(r"[A-Z][\w-]+", actor) or [actor]
    return any(name.casefold()[:5] in folded for name in names)


def _multiset_prf(
    predicted: list[tuple], expected: list[tuple], notes: list[str] | None = None
) -> Prf:
    remaining = list(expected)
    tp = 0
    for key in predicted:
        if key in remaining:
            remaining.remove(key)
            tp += 1
        elif notes is not None:
            notes.append(f"spurious {' / '.join(str(k) for k in key)}")
    if notes is not None:
        notes.extend(f"missed   {' / '.join(str(k) for k in key)}" for key in remaining)
    return Prf(tp=tp, fp=len(predicted) - tp, fn=len(remaining))
