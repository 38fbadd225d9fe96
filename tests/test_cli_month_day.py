"""A story that gives a month and day but no year, and no publication date: the CLI
lists, shows and exports the incident with its month and day, year unknown."""

import json

from khabar.cli import app


def invoke(runner, *args):
    return runner.invoke(app, [str(a) for a in args])


def test_cli_lists_shows_and_exports_a_month_and_day_without_a_year(runner, write, db_path):
    folder = write(
        "undated.txt",
        "KALAT: Gunmen attacked a police post in Kalat on 14 October, killing three "
        "policemen and wounding two others, officials said.",
    ).parent
    assert invoke(runner, "ingest", "--db", db_path, folder, "--no-progress").exit_code == 0
    listed = invoke(runner, "incidents", "--db", db_path)
    assert "14 Oct, year unknown" in listed.output, listed.output
    (line,) = invoke(runner, "export", "--db", db_path, "--accounts").output.splitlines()
    account = json.loads(line)
    assert account["date"]["month_day"] == "10-14" and account["date"]["value"] is None
    (exported,) = [
        json.loads(x)
        for x in invoke(runner, "export", "--db", db_path).output.splitlines()
        if '"incident"' in x
    ]
    assert exported["date"]["month_day"] == "10-14"
    shown = invoke(runner, "show", account["event"], "--db", db_path)
    assert "14 Oct, year unknown" in shown.output, shown.output
