"""khabar report: the period's figures, and one self-contained, escaped HTML page with a
map, charts, the incidents, the notable statements and the sources."""

from __future__ import annotations

import base64
import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from khabar.cli import app
from khabar.errors import UsageError
from khabar.records import (
    Count,
    DateSpan,
    Evidence,
    Incident,
    Location,
    Perpetrator,
    SourceRef,
    SpeakerRef,
    Statement,
    VictimGroup,
)
from khabar.report import ReportOptions, build, parse_since, render
from khabar.store import open_store

# The demo corpus's incidents fall between spring 2025 and spring 2026.
SINCE, UNTIL = dt.date(2025, 8, 1), dt.date(2026, 3, 31)


@pytest.fixture(scope="module")
def db(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("report") / "demo.duckdb"
    shutil.copyfile(demo_db, copy)
    return copy


def _build(db: Path, **options: object):  # type: ignore[no-untyped-def]
    store = open_store(db)
    try:
        return build(store, ReportOptions(**options))  # type: ignore[arg-type]
    finally:
        store.close()


@pytest.fixture(scope="module")
def demo(db: Path):  # type: ignore[no-untyped-def]
    return _build(db, since=SINCE, until=UNTIL, base_url="http://127.0.0.1:8000/")


@pytest.fixture(scope="module")
def page(demo) -> str:  # type: ignore[no-untyped-def]
    return render(demo)


def test_report_public_api():
    import khabar.report

    assert sorted(khabar.report.__all__) == [
        "Figures",
        "ReportData",
        "ReportOptions",
        "build",
        "parse_since",
        "render",
        "run",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7d", dt.date(2026, 3, 25)),
        ("1d", dt.date(2026, 3, 31)),
        ("2w", dt.date(2026, 3, 18)),
        ("3m", dt.date(2026, 1, 1)),
        ("2025-12-01", dt.date(2025, 12, 1)),
    ],
)
def test_report_parse_since(text, expected):
    assert parse_since(text, dt.date(2026, 3, 31)) == expected


@pytest.mark.parametrize("text", ["0d", "seven days", "2025-13-01", "7x"])
def test_report_parse_since_refuses_what_it_cannot_read(text):
    with pytest.raises(UsageError):
        parse_since(text, dt.date(2026, 3, 31))


def test_report_options_check_the_period_and_the_base_url():
    with pytest.raises(ValueError, match="before"):
        ReportOptions(since=dt.date(2026, 1, 2), until=dt.date(2026, 1, 1))
    with pytest.raises(ValueError, match="http"):
        ReportOptions(since=SINCE, until=UNTIL, base_url="javascript:alert(1)")
    options = ReportOptions(since=dt.date(2026, 1, 8), until=dt.date(2026, 1, 14), country="pk")
    assert options.country == "PK" and options.days == 7
    assert options.previous == (dt.date(2026, 1, 1), dt.date(2026, 1, 7))


def test_report_counts_only_incidents_dated_inside_the_period(demo, db):
    assert demo.incidents, "the demo corpus has incidents in this period"
    for incident in demo.incidents:
        assert incident.date.earliest >= SINCE and incident.date.latest <= UNTIL
    assert demo.current.incidents == len(demo.incidents)
    assert demo.current.fatalities == sum(
        i.fatalities.best or 0 for i in demo.incidents if i.fatalities
    )
    dates = [i.date.earliest for i in demo.incidents]
    assert dates == sorted(dates)
    assert sum(n for _, n, _ in demo.by_province) == len(demo.incidents)
    # The previous period is the 243 days before. The demo's spring 2025 attacks are only
    # recalled in passing (status "mentioned"), so they are not counted there either.
    start, end = demo.options.previous
    assert (start, end) == (dt.date(2024, 12, 1), dt.date(2025, 7, 31))
    store = open_store(db)
    try:
        events = list(store.iter_events())
    finally:
        store.close()
    inside = [e for e in events if e.date and start <= e.date.earliest and e.date.latest <= end]
    assert any(e.status == "mentioned" for e in inside)
    assert demo.previous.incidents == sum(e.status == "reported" for e in inside)


def test_report_statements_put_claims_and_accusations_first(demo):
    assert demo.statements and demo.statements_total >= len(demo.statements)
    ranks = ["CLAIM_RESPONSIBILITY", "ACCUSE", "THREATEN", "REJECT", "REQUEST", "SUPPORT", "AGREE"]
    order = [ranks.index(s.type) for s in demo.statements]
    assert order == sorted(order)


def test_report_sources_are_numbered_once_each(demo):
    ids = [s.article_id for s in demo.sources]
    assert len(ids) == len(set(ids))
    assert demo.source_numbers == {a: n for n, a in enumerate(ids, start=1)}
    cited = {s.article_id for i in demo.incidents for s in i.sources}
    assert cited <= set(ids)


def test_report_country_keeps_its_incidents_only(db):
    data = _build(db, since=SINCE, until=UNTIL, country="PK")
    assert data.incidents and all(i.location.country == "PK" for i in data.incidents)
    assert data.country_name == "Pakistan"


def _images(page: str) -> list[bytes]:
    found = re.findall(r'<img src="data:image/png;base64,([A-Za-z0-9+/=]+)"', page)
    return [base64.b64decode(data) for data in found]


def test_report_page_has_a_map_charts_and_the_table(page, demo):
    images = _images(page)
    assert len(images) >= 4  # map, timeline, by province, by actor
    assert all(image.startswith(b"\x89PNG\r\n\x1a\n") for image in images)
    assert 'alt="Map of the' in page and "Incidents and killed per" in page
    assert 'alt="Incidents and killed by province"' in page
    rows = re.findall(r'<a href="http://127.0.0.1:8000/incidents/(evt-[0-9a-f]+)">', page)
    assert sorted(rows) == sorted(i.id for i in demo.incidents)
    assert "Notable statements" in page and "Sources (" in page
    for n in range(1, len(demo.sources) + 1):
        assert f'id="source-{n}"' in page


def test_report_page_is_self_contained(page):
    assert "<script" not in page.lower()
    assert "<link" not in page.lower()
    assert not re.search(r'\bsrc="(?!data:)', page)
    assert "url(" not in page
    assert "default-src 'none'" in page  # the file may fetch nothing at all


def test_report_headline_compares_with_the_previous_period(page, demo):
    block = page.split('aria-label="Headline figures"', 1)[1].split("</section>", 1)[0]
    assert f'<div class="value">{demo.current.incidents}</div>' in block
    assert f"vs {demo.previous.incidents}" in block


def test_report_of_an_empty_period_says_so_and_points_to_the_data(db):
    data = _build(db, since=dt.date(2030, 1, 1), until=dt.date(2030, 1, 7), country="PK")
    page = render(data)
    assert data.current.incidents == 0
    assert "No incidents recorded in this period in Pakistan" in page
    assert data.latest_recorded is not None
    assert f"dated {data.latest_recorded.isoformat()}" in page
    assert "--since" in page and not _images(page)


HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_report_escapes_every_string(tmp_path):
    store = open_store(tmp_path / "hostile.duckdb")
    day = dt.date(2026, 2, 3)
    incident = Incident(
        id="evt-00000000000000e5",
        event_type="armed_assault",
        date=DateSpan(value="2026-02-03", precision="day", earliest=day, latest=day),
        location=Location(
            country="PK", admin1=HOSTILE, place=HOSTILE, lat=30.1, lon=70.2, precision="place"
        ),
        fatalities=Count(low=1, best=2, high=3),
        victims=(VictimGroup(nationality="CN", count=1),),
        perpetrator=Perpetrator(claimed_by=HOSTILE),
        target=HOSTILE,
        sources=(SourceRef(article_id="f00d", url="javascript:alert(1)"),),
    )
    statement = Statement(
        id="st-00000000000000e5",
        type="ACCUSE",
        source=SpeakerRef(name=HOSTILE, speaker=HOSTILE),
        date=incident.date,
        about=incident.id,
        sources=(SourceRef(article_id="f00d"),),
        evidence=(Evidence(field="statement", article_id="f00d", start=0, end=5, quote=HOSTILE),),
    )
    try:
        store.save_resolution([incident], [])
        store.put_record(statement)
        data = build(store, ReportOptions(since=day, until=day))
    finally:
        store.close()
    page = render(data)
    assert "<script>" not in page and "<img src=x" not in page
    assert "&lt;script&gt;" in page
    assert 'href="javascript' not in page
    assert len(_images(page)) >= 3


def test_report_cli_writes_the_file(runner, db, tmp_path):
    target = tmp_path / "out" / "report.html"
    result = runner.invoke(
        app,
        [
            "report",
            "--db",
            str(db),
            "--since",
            SINCE.isoformat(),
            "--until",
            UNTIL.isoformat(),
            "--country",
            "PK",
            "-o",
            str(target),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "incident(s)" in result.output
    page = target.read_text()
    assert page.startswith("<!doctype html>") and "Pakistan" in page
    empty = runner.invoke(app, ["report", "--db", str(db), "--since", "7d"])
    assert empty.exit_code == 0 and "No incidents recorded" in empty.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["--since", "soon"],
        ["--since", "2026-01-10", "--until", "2026-01-01"],
        ["--until", "yesterday"],
        ["--base-url", "ftp://x"],
    ],
)
def test_report_cli_usage_errors_exit_2(runner, db, args):
    result = runner.invoke(app, ["report", "--db", str(db), *args])
    assert result.exit_code == 2, result.output


def test_report_counts_coarse_dates_apart(db):
    # Ten days inside a month: a month-precision incident of that month may fall in them,
    # and is counted apart, never in the figures.
    data = _build(db, since=dt.date(2026, 3, 10), until=dt.date(2026, 3, 20))
    assert all(i.date.precision == "day" for i in data.incidents)
    assert data.overlapping >= 1
    page = render(data)
    if data.incidents:
        assert "dated only to a month or a year" in page
    else:
        assert "known only to a coarser date (a month or a year) may fall in it" in page
