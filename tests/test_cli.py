"""The CLI driven for real against a temporary DuckDB file."""

import json

import pytest

from khabar.cli import app

COMMANDS = ["ingest", "articles", "show", "export", "extract", "eval", "statements"]


def formats(data_dir):
    """The fixture folders of the ingest formats (not the extraction fixtures)."""
    return [data_dir / name for name in ("pages", "text", "html", "feeds")]


def invoke(runner, *args, env=None):
    result = runner.invoke(app, [str(a) for a in args], env=env)
    return result


def test_cli_ingest_prints_a_summary_and_is_idempotent(runner, data_dir, db_path):
    first = invoke(runner, "ingest", "--db", db_path, data_dir / "pages", data_dir / "text")
    assert first.exit_code == 0, first.output
    assert "4 new, 0 already known, 1 page(s) split into 2 stories, 0 failed" in first.output
    second = invoke(runner, "ingest", "--db", db_path, data_dir / "pages", data_dir / "text")
    assert second.exit_code == 0, second.output
    assert "0 new, 4 already known" in second.output
    assert "The database holds 4 article(s)" in second.output


def test_cli_ingest_exits_1_and_names_each_failure(runner, write, db_path):
    write("empty.txt", "")
    write("bad.jsonl", '{"text": "ok text that is long enough to be a story of its own"}\n{oops\n')
    folder = write("good.txt", "QUETTA: A bomb exploded near a bus stand, killing three.").parent
    result = invoke(runner, "ingest", "--db", db_path, folder, "--no-progress")
    assert result.exit_code == 1
    assert "failed  empty.txt: [K101] empty file" in result.output
    assert "failed  bad.jsonl:2: [K105] invalid JSON" in result.output
    assert "2 new" in result.output


def test_cli_ingest_json_summary(runner, data_dir, db_path):
    result = invoke(runner, "ingest", "--db", db_path, data_dir / "pages", "--json")
    assert result.exit_code == 0
    summary = json.loads(result.output)
    assert summary["new"] == 3
    assert summary["split"] == {"two-stories.txt": 2}
    assert summary["database"] == str(db_path)


def test_cli_uses_khabar_db_from_the_environment(runner, data_dir, db_path):
    env = {"KHABAR_DB": str(db_path)}
    assert invoke(runner, "ingest", data_dir / "text", env=env).exit_code == 0
    assert db_path.exists()
    listed = invoke(runner, "articles", "--format", "jsonl", env=env)
    assert len(listed.output.splitlines()) == 1


def test_cli_articles_jsonl_has_the_contract_fields(runner, data_dir, db_path):
    invoke(runner, "ingest", "--db", db_path, *formats(data_dir), "--no-follow-links")
    result = invoke(runner, "articles", "--db", db_path, "--format", "jsonl")
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert len(rows) == 7
    for row in rows:
        assert {"id", "file", "title", "outlet", "url", "published"} <= set(row)
    by_file = {(r["file"], r["part"]): r for r in rows}
    assert by_file[("two-stories.txt", 2)]["published"] == "2026-01-16"
    assert by_file[("checkpoint.html", None)]["outlet"] == "Frontier Ledger"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--since", "2026-02-01"], 4),
        (["--until", "2026-01-31"], 2),
        (["--outlet", "courier"], 2),
        (["--text", "engineers"], 2),
        (["--limit", "3"], 3),
    ],
)
def test_cli_articles_filters(runner, data_dir, db_path, args, expected):
    invoke(runner, "ingest", "--db", db_path, *formats(data_dir), "--no-follow-links")
    result = invoke(runner, "articles", "--db", db_path, "--format", "jsonl", *args)
    assert result.exit_code == 0, result.output
    assert len(result.output.splitlines()) == expected


def test_cli_articles_table_lists_titles(runner, data_dir, db_path):
    invoke(runner, "ingest", "--db", db_path, data_dir / "html")
    result = invoke(runner, "articles", "--db", db_path)
    assert "Police checkpoint" in result.output
    assert "2026-02-10" in result.output
    assert "1 article(s)" in result.output


def test_cli_articles_bad_date_is_a_usage_error(runner, data_dir, db_path):
    invoke(runner, "ingest", "--db", db_path, data_dir / "html")
    result = invoke(runner, "articles", "--db", db_path, "--since", "yesterday")
    assert result.exit_code == 2
    assert "bad filter" in result.output


def test_cli_show_prints_metadata_sources_and_text(runner, data_dir, db_path):
    invoke(runner, "ingest", "--db", db_path, data_dir / "text")
    row = json.loads(invoke(runner, "articles", "--db", db_path, "--format", "jsonl").output)
    result = invoke(runner, "show", row["id"][:6], "--db", db_path)
    assert result.exit_code == 0, result.output
    assert "Crescent Times" in result.output
    assert "sources (1):" in result.output
    assert "Logar province" in result.output
    as_json = json.loads(
        invoke(runner, "show", row["id"], "--db", db_path, "--format", "json").output
    )
    assert as_json["sources"][0]["locator"] == "front-matter.txt"


def test_cli_show_unknown_id_exits_1(runner, data_dir, db_path):
    invoke(runner, "ingest", "--db", db_path, data_dir / "text")
    result = invoke(runner, "show", "ffffffff", "--db", db_path)
    assert result.exit_code == 1
    assert "no article with an id starting 'ffffffff'" in result.output


def test_cli_read_commands_refuse_a_missing_database(runner, tmp_path):
    result = invoke(runner, "articles", "--db", tmp_path / "nope.duckdb")
    assert result.exit_code == 1
    assert "no database at" in result.output
    assert not (tmp_path / "nope.duckdb").exists()


def test_cli_export_is_empty_without_extraction(runner, data_dir, db_path, tmp_path):
    invoke(runner, "ingest", "--db", db_path, data_dir / "text", "--no-extract")
    result = invoke(runner, "export", "--db", db_path, "--format", "jsonl")
    assert result.exit_code == 0
    assert result.stdout == ""
    target = tmp_path / "out" / "records.jsonl"
    result = invoke(runner, "export", "--db", db_path, "--format", "jsonl", "-o", target)
    assert result.exit_code == 0
    assert target.read_text() == ""


def test_cli_extract_then_export_gives_incidents_with_evidence(runner, data_dir, db_path):
    invoke(runner, "ingest", "--db", db_path, data_dir / "html", "--no-extract")
    result = invoke(runner, "extract", "--db", db_path)
    assert result.exit_code == 0, result.output
    assert "read 1 article(s): 1 incident(s)" in result.output
    again = invoke(runner, "extract", "--db", db_path)
    assert "nothing new to read" in again.output
    lines = invoke(runner, "export", "--db", db_path, "--format", "jsonl").stdout.splitlines()
    records = [json.loads(line) for line in lines]
    (incident,) = [r for r in records if r["kind"] == "incident"]
    # the group's spokesman "said ... the group had carried out the attack": its claim
    (claim,) = [r for r in records if r["kind"] == "statement"]
    assert (claim["type"], claim["source"]["name"]) == ("CLAIM_RESPONSIBILITY", "TTP")
    assert incident["fatalities"]["best"] == 3
    assert incident["injured"]["best"] == 5
    assert incident["sources"][0]["file"] == "checkpoint.html"
    fields = {e["field"] for e in incident["evidence"]}
    assert {"event_type", "fatalities", "injured"} <= fields
    for evidence in incident["evidence"]:
        assert evidence["quote"]


def test_cli_export_writes_stored_records(runner, db_path, tmp_path):
    from khabar.records import SpeakerRef, Statement
    from khabar.store import open_store

    store = open_store(db_path)
    store.put_record(Statement(id="st-1", type="REJECT", source=SpeakerRef(name="Pakistan")))
    store.close()
    result = invoke(runner, "export", "--db", db_path, "--format", "jsonl")
    (line,) = result.stdout.splitlines()
    assert json.loads(line)["type"] == "REJECT"


def test_cli_usage_errors_exit_2(runner, db_path):
    assert invoke(runner, "ingest").exit_code == 2
    assert invoke(runner, "export", "--db", db_path, "--format", "xlsx").exit_code == 2
    assert invoke(runner, "frobnicate").exit_code == 2


@pytest.mark.parametrize("command", COMMANDS)
def test_cli_every_command_has_help(runner, command):
    result = invoke(runner, command, "--help")
    assert result.exit_code == 0
    assert ("--gold" if command == "eval" else "--db") in result.output


def test_cli_version(runner):
    result = invoke(runner, "--version")
    assert result.exit_code == 0
    assert result.output.startswith("khabar ")


def test_cli_statements_filters_by_source_target_and_type(runner, write, db_path):
    path = write(
        "s.txt",
        "ISLAMABAD: Pakistan's Foreign Office accused Afghanistan of sheltering the attackers "
        "of a checkpoint in Bannu, where four policemen were killed on Monday. Beijing urged "
        "Islamabad to protect Chinese workers.",
    )
    invoke(runner, "ingest", "--db", db_path, path)
    listed = invoke(runner, "statements", "--db", db_path, "--format", "jsonl")
    assert listed.exit_code == 0, listed.output
    rows = [json.loads(line) for line in listed.output.splitlines()]
    assert {(r["type"], r["source"]["name"]) for r in rows} >= {
        ("ACCUSE", "Pakistan"),
        ("REQUEST", "China"),
    }
    only = invoke(
        runner,
        "statements",
        "--db",
        db_path,
        "--source",
        "Foreign Office",
        "--target",
        "Kabul",
        "--type",
        "ACCUSE",
        "--format",
        "jsonl",
    )
    (row,) = [json.loads(line) for line in only.output.splitlines()]
    assert row["target"]["name"] == "Afghanistan"
    table = invoke(runner, "statements", "--db", db_path)
    assert "1 statement(s)" not in table.output and "statement(s)" in table.output


def test_cli_export_accounts_gives_each_articles_account_and_its_event(runner, write, db_path):
    write("a.txt", "QUETTA: A bomb exploded near a bus stand in Quetta on Monday, killing three.")
    folder = write(
        "b.txt", "Three people were killed when a bomb went off at a Quetta bus stand on Monday."
    ).parent
    assert invoke(runner, "ingest", "--db", db_path, folder, "--no-progress").exit_code == 0
    result = invoke(runner, "export", "--db", db_path, "--accounts")
    assert result.exit_code == 0, result.output
    accounts = [json.loads(line) for line in result.stdout.splitlines()]
    assert sorted(a["sources"][0]["file"] for a in accounts) == ["a.txt", "b.txt"]
    merged = [
        json.loads(line) for line in invoke(runner, "export", "--db", db_path).stdout.splitlines()
    ]
    events = {r["id"] for r in merged if r["kind"] == "incident"}
    assert all(a["kind"] == "incident" and a["event"] in events for a in accounts)
    assert (
        invoke(runner, "export", "--db", db_path, "--accounts", "--kind", "statement").exit_code
        == 2
    )


def test_cli_eval_prints_per_account_and_merged_scores(runner, data_dir):
    folder = data_dir / "extract"
    result = invoke(
        runner, "eval", "--gold", folder / "gold.jsonl", "--articles", folder / "articles"
    )
    assert result.exit_code == 0, result.output
    assert "per account, before resolution" in result.output
    assert "merged incidents" in result.output
    as_json = invoke(
        runner, "eval", "--gold", folder / "gold.jsonl", "--articles", folder / "articles", "--json"
    )
    report = json.loads(as_json.stdout)
    assert {"incidents", "fields_all", "accounts"} <= set(report)
    assert "fields_all" in report["accounts"]
