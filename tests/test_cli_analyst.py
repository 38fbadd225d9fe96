"""The analyst's first hour (issue 16, items 1-4): ids that can be used, output that
reads well, the API's filters on the CLI, one-line errors, progress bars. Run against
the demo corpus (the session's demo_db; a copy where a test writes)."""

import io
import json
import os
import re
import shutil
import subprocess
import sys

import pytest
from rich.console import Console

from conftest import REPO
from khabar.cli import app


def run(runner, demo_db, *args):
    result = runner.invoke(app, [str(a) for a in args] + ["--db", str(demo_db)])
    return result


def jsonl(runner, demo_db, *args):
    result = run(runner, demo_db, *args, "--format", "jsonl")
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.output.splitlines()]


# -- 1. ids you can use ---------------------------------------------------------------


@pytest.mark.parametrize("columns", ["80", "60"])
def test_incidents_table_piped_to_a_file_keeps_whole_ids(demo_db, tmp_path, columns):
    ids = [
        json.loads(line)["id"]
        for line in subprocess.run(
            [sys.executable, "-m", "khabar.cli", "incidents", "--db", demo_db, "--format", "jsonl"],
            capture_output=True,
            text=True,
            check=True,
            env=os.environ | {"PYTHONPATH": str(REPO / "src")},
        ).stdout.splitlines()
    ]
    assert len(ids) >= 5
    target = tmp_path / "table.txt"
    with target.open("w") as stream:
        subprocess.run(
            [sys.executable, "-m", "khabar.cli", "incidents", "--db", demo_db],
            stdout=stream,
            check=True,
            env=os.environ | {"COLUMNS": columns, "PYTHONPATH": str(REPO / "src")},
        )
    table = target.read_text()
    listed = re.findall(r"evt-[0-9a-f]+", table)
    assert sorted(listed) == sorted(ids)  # every id whole, none cut to "evt-40…"
    assert "…" not in "".join(line.split()[0] for line in table.splitlines()[1:] if line)
    assert max(len(line.rstrip()) for line in table.splitlines()) <= int(columns)


def _printed_ids(runner, demo_db) -> dict[str, set[str]]:
    """Every id some command prints, by kind."""
    found: dict[str, set[str]] = {"article": set(), "evt": set(), "inc": set()}
    found["article"] = {row["id"] for row in jsonl(runner, demo_db, "articles")}
    found["evt"] = {row["id"] for row in jsonl(runner, demo_db, "incidents", "--mentioned")}
    exported = runner.invoke(app, ["export", "--db", str(demo_db)]).output.splitlines()
    for record in map(json.loads, exported):
        found.setdefault(record["id"].split("-")[0], set()).add(record["id"])
        found["article"] |= {source["article_id"] for source in record["sources"]}
        if record.get("about"):
            found["evt"].add(record["about"])
    accounts = runner.invoke(app, ["export", "--accounts", "--db", str(demo_db)]).output
    found["inc"] = {json.loads(line)["id"] for line in accounts.splitlines()}
    for row in jsonl(runner, demo_db, "statements"):
        found["st"].add(row["id"])
        if row["about_account"]:
            found["inc"].add(row["about_account"])
    return found


def test_show_accepts_every_id_any_command_prints(runner, demo_db):
    found = _printed_ids(runner, demo_db)
    assert {"article", "evt", "inc", "st", "ar"} <= found.keys()
    for kind, ids in found.items():
        assert ids, kind
        for wanted in sorted(ids)[:12]:
            result = run(runner, demo_db, "show", wanted)
            assert result.exit_code == 0, (wanted, result.output)
            assert "None" not in result.output or kind == "article", (wanted, result.output)


def test_show_accepts_a_hand_decision_id(runner, demo_db, tmp_path):
    copy = tmp_path / "demo.duckdb"
    shutil.copy(demo_db, copy)
    first, second = (row["id"] for row in jsonl(runner, copy, "incidents")[:2])
    assert run(runner, copy, "incidents", "merge", first, second, "--force").exit_code == 0
    decision = jsonl(runner, copy, "decisions")[0]["id"]
    shown = run(runner, copy, "show", decision)
    assert shown.exit_code == 0, shown.output
    assert f"khabar decisions revert {decision}" in shown.output


def test_show_an_incident_lists_its_article_ids_for_split(runner, demo_db):
    event = max(jsonl(runner, demo_db, "incidents"), key=lambda e: len(e["sources"]))
    shown = run(runner, demo_db, "show", event["id"])
    assert shown.exit_code == 0, shown.output
    articles = {source["article_id"] for source in event["sources"]}
    assert f"khabar incidents split {event['id']} ARTICLE" in shown.output
    for article in articles:
        assert re.search(rf"^  {article}$", shown.output, re.M), article
    as_json = json.loads(run(runner, demo_db, "show", event["id"], "--format", "json").output)
    assert set(as_json["articles"]) == articles


def test_show_an_account_shows_the_incident_that_holds_it(runner, demo_db):
    account = json.loads(
        runner.invoke(app, ["export", "--accounts", "--db", str(demo_db)]).output.splitlines()[0]
    )
    shown = run(runner, demo_db, "show", account["id"])
    assert shown.exit_code == 0, shown.output
    assert shown.output.startswith(account["event"])
    assert f"the account {account['id']}" in shown.output


def test_statements_about_is_the_incident_id_export_gives(runner, demo_db):
    exported = {
        r["id"]: r
        for r in map(
            json.loads, runner.invoke(app, ["export", "--db", str(demo_db)]).output.split("\n")[:-1]
        )
    }
    rows = jsonl(runner, demo_db, "statements")
    with_about = [row for row in rows if row["about"]]
    assert with_about
    for row in rows:
        assert row["about"] == exported[row["id"]]["about"]
        assert row["about"] is None or row["about"].startswith("evt-")
        assert row["about_account"] is None or row["about_account"].startswith("inc-")


def test_unknown_id_is_not_found_k002(runner, demo_db):
    for wanted in ("evt-ffffffff", "st-ffffffff", "ffffffffffff"):
        result = run(runner, demo_db, "show", wanted)
        assert result.exit_code == 1
        assert "[K002]" in result.output


# -- 2. output that reads well --------------------------------------------------------


def test_show_never_prints_none_or_a_name_twice(runner, demo_db):
    for event in jsonl(runner, demo_db, "incidents", "--mentioned"):
        shown = run(runner, demo_db, "show", event["id"]).output
        assert "None" not in shown, shown
        place = next(line for line in shown.splitlines() if line.strip().startswith("place"))
        names = [name.strip().casefold() for name in place.split("place", 1)[1].split(",")]
        assert len(names) == len(set(names)), place


def test_place_line_gives_each_name_once():
    from khabar.cli._incidents import place_line
    from khabar.records import Location

    where = Location(country="PK", admin1="Sindh", admin2="Karachi", place="Karachi")
    assert place_line(where) == "Karachi, Sindh, PK"
    assert place_line(where, short=True) == "Karachi, PK"
    assert place_line(None) == "-"


def test_counts_print_only_known_bounds():
    from khabar.cli._incidents import _count
    from khabar.records import Count

    assert _count(Count(low=3, best=4, high=None)) == "4 (low 3)"
    assert _count(Count(low=4, best=4, high=4)) == "4"
    assert _count(Count(low=None, best=None, high=None)) == "-"
    assert _count(None) == "-"


def test_show_groups_evidence_by_field_then_article(runner, demo_db):
    event = max(jsonl(runner, demo_db, "incidents"), key=lambda e: len(e["evidence"]))
    shown = run(runner, demo_db, "show", event["id"]).output
    section = shown.split("\nevidence:\n", 1)[1]
    fields = re.findall(r"^  (\w[\w ]*):$", section, re.M)
    assert fields and len(fields) == len(set(fields))  # each field once
    assert set(fields) == {e["field"] for e in event["evidence"]}


def test_reingest_says_everything_was_already_known(runner, tmp_path, data_dir):
    db = tmp_path / "again.duckdb"
    args = ["ingest", "--db", str(db), str(data_dir / "text"), "--model", "blank"]
    assert runner.invoke(app, args).exit_code == 0
    again = runner.invoke(app, args)
    assert again.exit_code == 0, again.output
    assert "0 new, 1 already known" in again.output
    assert "nothing new to read; all 1 article(s) in the database had been read already" in (
        again.output
    )
    assert "nothing found" not in again.output


# -- 3. the CLI can do what the API does ----------------------------------------------


def ids(rows):
    return {row["id"] for row in rows}


def test_country_by_name_or_code_and_an_unknown_one_is_an_error(runner, demo_db):
    by_code = ids(jsonl(runner, demo_db, "incidents", "--country", "PK"))
    assert by_code
    assert ids(jsonl(runner, demo_db, "incidents", "--country", "pk")) == by_code
    assert ids(jsonl(runner, demo_db, "incidents", "--country", "Pakistan")) == by_code
    narnia = run(runner, demo_db, "incidents", "--country", "Narnia")
    assert narnia.exit_code == 2
    assert "--country: unknown country 'Narnia'" in narnia.output
    assert len(narnia.output.strip().splitlines()) == 1


def test_incident_filters_select_what_they_say(runner, demo_db):
    every = jsonl(runner, demo_db, "incidents")
    dated = [e for e in every if e["date"] and e["date"]["earliest"]]
    since = sorted(e["date"]["earliest"] for e in dated)[len(dated) // 2]
    later = jsonl(runner, demo_db, "incidents", "--since", since)
    assert later and all(e["date"]["latest"] >= since for e in later)
    assert len(later) < len(every)
    until = jsonl(runner, demo_db, "incidents", "--until", since)
    assert all(e["date"]["earliest"] <= since for e in until)
    bombings = jsonl(runner, demo_db, "incidents", "--type", "BOMBING")
    assert bombings and {e["event_type"] for e in bombings} == {"bombing"}
    assert ids(jsonl(runner, demo_db, "incidents", "--type", "bombing")) == ids(bombings)
    deadly = jsonl(runner, demo_db, "incidents", "--min-killed", "4")
    assert deadly and all(e["fatalities"]["best"] >= 4 for e in deadly)
    chinese = jsonl(runner, demo_db, "incidents", "--victim-nationality", "Chinese")
    assert chinese and all("CN" in {v["nationality"] for v in e["victims"]} for e in chinese)
    assert ids(jsonl(runner, demo_db, "incidents", "--victim-nationality", "cn")) == ids(chinese)
    province = next(e["location"]["admin1"] for e in every if e["location"]["admin1"])
    in_province = jsonl(runner, demo_db, "incidents", "--admin1", province.upper())
    assert in_province and {e["location"]["admin1"] for e in in_province} == {province}
    claimed = next(e for e in every if e["perpetrator"] and e["perpetrator"]["claimed_by"])
    by_actor = jsonl(runner, demo_db, "incidents", "--actor", claimed["perpetrator"]["claimed_by"])
    assert claimed["id"] in ids(by_actor)
    place = claimed["location"]["place"]
    assert claimed["id"] in ids(jsonl(runner, demo_db, "incidents", "--text", place.lower()))
    review = jsonl(runner, demo_db, "incidents", "--review")
    assert review and all(e["review"] for e in review)


def test_incident_filters_match_the_api(runner, demo_db):
    from fastapi.testclient import TestClient

    from khabar.serve import create_app
    from khabar.store import open_store

    cases = [
        (["--country", "Pakistan", "--type", "bombing"], "country=PK&event_type=bombing"),
        (["--min-killed", "3", "--since", "2025-09-01"], "min_fatalities=3&since=2025-09-01"),
        (["--victim-nationality", "Chinese"], "nationality=CN"),
        (["--text", "convoy"], "q=convoy"),
    ]
    store = open_store(demo_db)  # the app holds the file: ask it first, then the CLI
    try:
        client = TestClient(create_app(store=store))
        answers = [client.get(f"/api/incidents?{api}&limit=500").json() for _, api in cases]
    finally:
        store.close()
    for (cli, _), answer in zip(cases, answers, strict=True):
        expected = {i["id"] for i in answer["items"]}
        assert expected, cli
        assert ids(jsonl(runner, demo_db, "incidents", *cli)) == expected, cli


def test_statement_filters_since_until_about(runner, demo_db):
    every = jsonl(runner, demo_db, "statements")
    about = next(row for row in every if row["about"])
    on_it = jsonl(runner, demo_db, "statements", "--about", about["about"])
    assert about["id"] in ids(on_it) and all(r["about"] == about["about"] for r in on_it)
    by_account = jsonl(runner, demo_db, "statements", "--about", about["about_account"])
    assert ids(by_account) == ids(on_it)
    day = about["date"]["earliest"]
    since = jsonl(runner, demo_db, "statements", "--since", day)
    assert all(r["date"]["latest"] >= day for r in since)
    until = jsonl(runner, demo_db, "statements", "--until", day)
    assert all(r["date"]["earliest"] <= day for r in until)
    assert about["id"] in ids(since) & ids(until)
    lower = jsonl(runner, demo_db, "statements", "--type", about["type"].lower())
    assert about["id"] in ids(lower)


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["incidents", "--since", "2026-13-01"], "--since"),
        (["incidents", "--since", "2026-02-01", "--until", "2026-01-01"], "until"),
        (["incidents", "--victim-nationality", "Martian"], "--victim-nationality"),
        (["statements", "--until", "soon"], "--until"),
        (["incidents", "--type", "picnic"], "--type"),
        (["incidents", "--min-killed", "many"], "--min-killed"),
    ],
)
def test_a_bad_value_is_one_line_naming_the_option(runner, demo_db, args, option):
    result = run(runner, demo_db, *args)
    assert result.exit_code == 2
    assert option in result.output
    assert "validation error" not in result.output
    errors = [line for line in result.output.splitlines() if "rror" in line]
    assert len(errors) == 1, result.output


def test_enum_options_take_any_case(runner, demo_db):
    assert run(runner, demo_db, "incidents", "--format", "JSONL").exit_code == 0
    assert run(runner, demo_db, "statements", "--type", "accuse").exit_code == 0
    event = jsonl(runner, demo_db, "incidents")[0]["id"]
    shown = run(runner, demo_db, "show", event, "--format", "JSON")
    assert json.loads(shown.output)["id"] == event


def test_every_error_code_the_cli_can_print_is_in_the_readme():
    import khabar.errors as errors

    readme = (REPO / "README.md").read_text()
    codes = {
        getattr(errors, name).code
        for name in errors.__all__
        if isinstance(getattr(errors, name), type)
    }
    codes -= {"K000", "K100"}  # base classes, never raised themselves
    for code in sorted(codes):
        assert code in readme, code
    classes = [n for n in errors.__all__ if isinstance(getattr(errors, n), type)]
    assert len({getattr(errors, n).code for n in classes}) == len(classes)  # one code each


def test_missing_database_is_k003(runner, tmp_path):
    result = runner.invoke(app, ["incidents", "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 1
    assert "[K003] no database at" in result.output


def test_ingest_of_nothing_fails_before_the_model_loads(runner, tmp_path, monkeypatch):
    import khabar.cli._extract as extract_cli

    def no_model(settings):  # pragma: no cover - failing is the point
        raise AssertionError("the model loaded for an input that does not exist")

    monkeypatch.setattr(extract_cli, "_extractor", no_model)
    result = runner.invoke(app, ["ingest", "--db", str(tmp_path / "x.duckdb"), "missing.file"])
    assert result.exit_code == 1
    assert "failed  missing.file: [K001] no such file or directory" in result.output
    assert not (tmp_path / "x.duckdb").exists()


# -- 4. progress ----------------------------------------------------------------------


def test_progress_is_drawn_on_a_terminal_only(monkeypatch):
    import khabar.cli._progress as progress

    screen = io.StringIO()
    monkeypatch.setattr(progress, "err", Console(file=screen, force_terminal=True, width=80))
    with progress.counter("extract") as advance:
        assert advance is not None
        advance(1, 2)
        advance(2, 2)
    with progress.counter("extract", enabled=False) as advance:
        assert advance is None
    monkeypatch.setattr(progress, "err", Console(file=io.StringIO(), force_terminal=False))
    with progress.counter("extract") as advance:
        assert advance is None
    assert "extract" in screen.getvalue()


@pytest.mark.parametrize(
    "args", [["extract", "--all", "--quiet"], ["resolve", "--rebuild", "--quiet"]]
)
def test_long_commands_take_quiet(runner, demo_db, tmp_path, args):
    copy = tmp_path / "demo.duckdb"
    shutil.copy(demo_db, copy)
    if args[0] == "extract":
        args = [*args, "--model", "blank"]
    result = runner.invoke(app, [*args, "--db", str(copy)])
    assert result.exit_code == 0, result.output
    assert "Resolution:" in result.output


# -- 7. the API reference -------------------------------------------------------------


def test_every_write_has_an_example_body_in_the_api_reference():
    from khabar.serve import create_app
    from khabar.store import open_store

    store = open_store(":memory:")
    try:
        schema = create_app(store=store).openapi()
    finally:
        store.close()
    schemas = schema["components"]["schemas"]
    bodies = 0
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            body = operation.get("requestBody")
            if method != "post" or body is None:
                continue
            content = body["content"].get("application/json")
            assert content, path
            name = content["schema"]["$ref"].rsplit("/", 1)[1]
            assert schemas[name].get("examples"), (path, name)
            bodies += 1
    assert bodies >= 4
    readme = (REPO / "README.md").read_text()
    api = readme.split("**API**", 1)[1].split("### ", 1)[0]
    for row in (line for line in api.splitlines() if line.startswith("| `POST")):
        assert '{"' in row or "no body" in row, row


def test_the_api_reference_renders_no_stray_markup():
    from khabar.serve import create_app
    from khabar.store import open_store

    store = open_store(":memory:")
    try:
        text = json.dumps(create_app(store=store).openapi())
    finally:
        store.close()
    assert "``" not in text
    assert not re.search(r"\[/?(bold|yellow|red)\]", text)
