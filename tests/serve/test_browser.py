"""The dashboard in a real browser: Debian's chromium, headless, driven by Playwright.

No browser is downloaded: the tests use the system's chromium (``KHABAR_CHROMIUM`` or
``chromium`` on the PATH) and skip without one, unless ``KHABAR_REQUIRE_BROWSER=1`` (set
by CI), which turns the skip into a failure. Every test fails on a console error or an
uncaught page error, and saves screenshots under ``test-output/screenshots/``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from khabar.extract import ExtractOptions, Extractor
from khabar.ingest import IngestOptions
from khabar.pipeline import ingest_into
from khabar.serve import ServeOptions, create_app
from khabar.settings import Settings
from khabar.store import open_store

playwright_api = pytest.importorskip("playwright.sync_api")

REPO = Path(__file__).parent.parent.parent
SHOTS = REPO / "test-output" / "screenshots"
CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",  # CI runs as root
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",  # the machine has no internet: no update pings
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# A fictional story whose every field carries a payload; none may run or become markup.
HOSTILE = {
    "title": 'Blast at <script>window.__xss="title"</script> checkpoint',
    "outlet": "<img src=x onerror=\"window.__xss='outlet'\">Frontier Ledger",
    "url": "javascript:window.__xss='url'",
    "published": "2026-02-10",
    "dateline": "PESHAWAR",
    "text": (
        "PESHAWAR: Four policemen were killed and six wounded when militants attacked a "
        "checkpoint in Peshawar on Monday, officials said.\n\n"
        'The attackers left a note reading <script>window.__xss="text"</script> and '
        "<img src=x onerror=\"window.__xss='img'\"> near the post, police said.\n\n"
        "A spokesman said a link, <a href=\"javascript:window.__xss='link'\">click</a>, "
        "had been shared online. <svg onload=\"window.__xss='svg'\"></svg>\n\n"
        "The TTP claimed responsibility for the attack on the checkpoint in a statement."
    ),
}


def _chromium() -> str | None:
    return os.environ.get("KHABAR_CHROMIUM") or shutil.which("chromium")


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    executable = _chromium()
    if executable is None:
        if os.environ.get("KHABAR_REQUIRE_BROWSER") == "1":
            pytest.fail("KHABAR_REQUIRE_BROWSER=1 but no chromium: apt-get install chromium")
        pytest.skip("no chromium on this machine (apt-get install chromium)")
    with playwright_api.sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on a real port over a copy of the demo database plus the hostile story."""
    import uvicorn

    folder = tmp_path_factory.mktemp("browser")
    db = folder / "demo.duckdb"
    shutil.copyfile(demo_db, db)
    hostile = folder / "hostile.json"
    hostile.write_text(json.dumps(HOSTILE), encoding="utf-8")
    store = open_store(db)
    try:
        summary = ingest_into(
            store, [str(hostile)], options=IngestOptions(), extractor=Extractor(ExtractOptions())
        )
        assert summary.new == 1
    finally:
        store.close()
    port = _free_port()
    app = create_app(Settings(db=str(db), serve=ServeOptions(api_key="browser-key")))
    uvicorn_server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=uvicorn_server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not uvicorn_server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    _correct_with_payloads(base)
    yield base
    uvicorn_server.should_exit = True
    thread.join(timeout=10)


def _correct_with_payloads(base: str) -> None:
    """Put payloads into extracted-string fields too (target, claimant), through the API's
    correction endpoint, so pages and the map's popups show them."""
    import httpx

    headers = {"X-API-Key": "browser-key"}
    found = httpx.get(base + "/api/articles", params={"q": "checkpoint"}).json()["items"]
    article = next(a for a in found if a["title"].startswith("Blast at"))
    detail = httpx.get(base + f"/api/articles/{article['id']}").json()
    event = next(iter(detail["event"].values()))
    for field, value in (
        ("target", "<img src=x onerror=\"window.__xss='target'\">checkpoint"),
        ("claimed_by", '<script>window.__xss="claim"</script>TTP'),
    ):
        response = httpx.post(
            base + f"/api/incidents/{event}/corrections",
            json={"field": field, "value": value, "note": '<b onmouseover="x()">why</b>'},
            headers=headers,
        )
        assert response.status_code == 201, response.text


class Page:
    """A browser page that records console errors, page errors and dialogs."""

    def __init__(self, page: object, name: str) -> None:
        self.page = page
        self.name = name
        self.problems: list[str] = []
        self.dialogs: list[str] = []
        page.on("console", self._console)  # type: ignore[attr-defined]
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))  # type: ignore[attr-defined]
        page.on("dialog", self._dialog)  # type: ignore[attr-defined]

    def _console(self, message: object) -> None:
        if message.type == "error":  # type: ignore[attr-defined]
            self.problems.append(f"console error: {message.text}")  # type: ignore[attr-defined]

    def _dialog(self, dialog: object) -> None:
        self.dialogs.append(dialog.message)  # type: ignore[attr-defined]
        dialog.dismiss()  # type: ignore[attr-defined]

    def shot(self, label: str) -> Path:
        SHOTS.mkdir(parents=True, exist_ok=True)
        path = SHOTS / f"{self.name}-{label}.png"
        self.page.screenshot(path=str(path), full_page=False)  # type: ignore[attr-defined]
        return path


@pytest.fixture
def page(browser: object, request: pytest.FixtureRequest) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1300, "height": 950})  # type: ignore[attr-defined]
    watched = Page(context.new_page(), request.node.name)
    yield watched
    context.close()
    assert not watched.problems, "\n".join(watched.problems)
    assert not watched.dialogs, f"a dialog opened: {watched.dialogs}"


def _loaded(page: Page, previous: str | None = None) -> str:
    """Wait until the dashboard has drawn a (new) result; return its ticket."""
    page.page.wait_for_function(  # type: ignore[attr-defined]
        "prev => document.body.dataset.loaded && document.body.dataset.loaded !== prev",
        arg=previous,
    )
    return page.page.evaluate("document.body.dataset.loaded")  # type: ignore[attr-defined]


def _on_map(page: Page) -> int:
    """Incidents on the map: single markers plus the counts shown on clusters."""
    return page.page.evaluate(  # type: ignore[attr-defined]
        """() => document.querySelectorAll('.incident-marker').length +
           Array.from(document.querySelectorAll('.incident-cluster span'))
             .reduce((n, s) => n + Number(s.textContent), 0)"""
    )


def _rows(page: Page) -> list[str]:
    return page.page.eval_on_selector_all(  # type: ignore[attr-defined]
        "#incident-table tbody tr", "rows => rows.map(r => r.children[2].textContent)"
    )


def test_dashboard_draws_map_timeline_and_list(page: Page, server: str) -> None:
    page.page.goto(server + "/")  # type: ignore[attr-defined]
    _loaded(page)
    page.page.wait_for_selector("#map .leaflet-outlines-pane path")  # type: ignore[attr-defined]
    assert _on_map(page) >= 6
    # Incidents only passing mentions know stay out of the list; those whose values or
    # sources disagree are marked, with the reasons in the mark's title.
    assert len(_rows(page)) >= 7
    marks = page.page.locator("#incident-table .review-mark")  # type: ignore[attr-defined]
    assert marks.count() >= 1
    assert marks.first.get_attribute("title")
    bars = page.page.locator("#timeline rect.bar")  # type: ignore[attr-defined]
    assert bars.count() >= 3
    assert "match" in page.page.inner_text("#status")  # type: ignore[attr-defined]
    # Provinces that hold incidents are shaded, the others not.
    shaded = page.page.eval_on_selector_all(  # type: ignore[attr-defined]
        "#map path.province",
        "paths => paths.map(p => Number(p.getAttribute('fill-opacity')))",
    )
    assert any(o > 0 for o in shaded) and any(o == 0 for o in shaded)
    page.page.hover("#map path.province:not([fill-opacity='0'])")  # type: ignore[attr-defined]
    page.page.wait_for_selector(".leaflet-tooltip .province-tip")  # type: ignore[attr-defined]
    assert "incident(s) on the map" in page.page.inner_text(".leaflet-tooltip")  # type: ignore[attr-defined]
    page.shot("overview")


def test_filters_drive_map_and_list(page: Page, server: str) -> None:
    page.page.goto(server + "/")  # type: ignore[attr-defined]
    ticket = _loaded(page)
    everything, listed = _on_map(page), len(_rows(page))
    page.page.select_option("select[name=country]", "AF")  # type: ignore[attr-defined]
    _loaded(page, ticket)
    places = _rows(page)
    assert places and all(place.endswith(", AF") for place in places)
    assert 0 < _on_map(page) < everything
    assert len(places) < listed
    assert "country=AF" in page.page.url  # type: ignore[attr-defined]
    page.shot("afghanistan")

    # The filtered view survives a reload (the URL carries the filters).
    page.page.reload()  # type: ignore[attr-defined]
    _loaded(page)
    assert _rows(page) == places


def test_download_links_export_what_the_filters_show(page: Page, server: str) -> None:
    page.page.goto(server + "/?country=AF")  # type: ignore[attr-defined]
    _loaded(page)
    links = page.page.eval_on_selector_all(  # type: ignore[attr-defined]
        "#downloads a[data-format]", "links => links.map(a => a.href)"
    )
    assert len(links) == 6
    assert all("country=AF" in link for link in links)
    acled = next(link for link in links if "format=acled" in link)
    response = page.page.request.get(acled)  # type: ignore[attr-defined]
    assert response.ok
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(response.text())))
    assert rows and {row["country"] for row in rows} == {"Afghanistan"}
    assert len(rows) == len(_rows(page))  # one row per incident listed


def test_sorting_the_list_by_fatalities(page: Page, server: str) -> None:
    page.page.goto(server + "/")  # type: ignore[attr-defined]
    ticket = _loaded(page)
    page.page.select_option("select[name=sort]", "-fatalities")  # type: ignore[attr-defined]
    _loaded(page, ticket)
    killed = page.page.eval_on_selector_all(  # type: ignore[attr-defined]
        "#incident-table tbody tr td:nth-child(4)", "cells => cells.map(c => c.textContent)"
    )
    known = [int(k) for k in killed if k.isdigit()]
    assert len(known) >= 5 and known == sorted(known, reverse=True)
    assert all(not k.isdigit() for k in killed[len(known) :]), "unknown tolls go last"
    assert "sort=-fatalities" in page.page.url  # type: ignore[attr-defined]


@pytest.mark.parametrize("interval", ["month", "week", "quarter"])
def test_timeline_bar_filters_by_its_period(page: Page, server: str, interval: str) -> None:
    page.page.goto(server + "/")  # type: ignore[attr-defined]
    ticket = _loaded(page)
    if interval != "month":
        page.page.select_option("#interval", interval)  # type: ignore[attr-defined]
        ticket = _loaded(page, ticket)
    bar = page.page.locator("#timeline rect.bar:not([height='0'])").first  # type: ignore[attr-defined]
    period = bar.get_attribute("data-period")
    bar.click()
    _loaded(page, ticket)
    since = dt.date.fromisoformat(page.page.input_value("input[name=since]"))  # type: ignore[attr-defined]
    until = dt.date.fromisoformat(page.page.input_value("input[name=until]"))  # type: ignore[attr-defined]
    if interval == "week":
        assert since.isoformat() == period and since.weekday() == 0
        assert until - since == dt.timedelta(days=6)
    elif interval == "month":
        assert since.isoformat() == f"{period}-01" and until.month == since.month
    else:
        quarter = int(period[-1])
        assert (since.month, until.month) == (3 * quarter - 2, 3 * quarter)
    dates = page.page.eval_on_selector_all(  # type: ignore[attr-defined]
        "#incident-table tbody tr td:first-child", "cells => cells.map(c => c.textContent)"
    )
    # A date known to the month or year is kept when its window overlaps the period.
    assert dates and all(_overlaps(d, since, until) for d in dates), dates
    page.shot(f"timeline-{interval}")


def _overlaps(value: str, since: dt.date, until: dt.date) -> bool:
    first = dt.date.fromisoformat(
        (value + "-01-01")[:10] if len(value) == 4 else (value + "-01")[:10]
    )
    if len(value) == 10:
        last = first
    elif len(value) == 7:
        last = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(1)
    else:
        last = first.replace(month=12, day=31)
    return first <= until and since <= last


def test_open_incident_and_see_highlighted_evidence(page: Page, server: str) -> None:
    page.page.goto(server + "/?q=Gwadar")  # type: ignore[attr-defined]
    _loaded(page)
    page.page.click("#incident-table tbody tr:first-child a")  # type: ignore[attr-defined]
    page.page.wait_for_selector("#incident")  # type: ignore[attr-defined]
    assert "Gwadar" in page.page.inner_text("h1")  # type: ignore[attr-defined]
    marks = page.page.locator("mark.evidence")  # type: ignore[attr-defined]
    assert marks.count() >= 5
    link = page.page.locator("tr[data-field=fatalities] .evidence-link").first  # type: ignore[attr-defined]
    index = link.get_attribute("data-ev")
    link.click()
    flashed = page.page.locator("mark.evidence.flash")  # type: ignore[attr-defined]
    assert flashed.count() >= 1
    assert index in flashed.first.get_attribute("data-ev").split()
    # The highlighted words are the quote the value came from.
    quote = page.page.get_attribute(f"a.evidence-link[data-ev='{index}']", "title")  # type: ignore[attr-defined]
    assert flashed.first.inner_text() in quote
    page.shot("incident")


def test_an_analyst_corrects_a_field_from_the_incident_page(page: Page, server: str) -> None:
    page.page.goto(server + "/?q=__xss")  # type: ignore[attr-defined]
    _loaded(page)
    page.page.click("#incident-table tbody tr:first-child a")  # type: ignore[attr-defined]
    page.page.wait_for_selector("#incident")  # type: ignore[attr-defined]
    page.page.click("#analyst summary")  # type: ignore[attr-defined]
    form = "#correct-form"
    page.page.select_option(f"{form} select[name=field]", "injured")  # type: ignore[attr-defined]
    page.page.fill(f"{form} input[name=value]", "7")  # type: ignore[attr-defined]
    page.page.fill(f"{form} input[name=note]", "hospital list")  # type: ignore[attr-defined]

    # Without the key the server refuses, and the page says so.
    page.page.click(f"{form} button")  # type: ignore[attr-defined]
    page.page.wait_for_selector("#action-result.error")  # type: ignore[attr-defined]
    assert "401" in page.page.inner_text("#action-result")  # type: ignore[attr-defined]
    page.problems.clear()  # the refused request is logged as a failed resource

    page.page.fill("#api-key", "browser-key")  # type: ignore[attr-defined]
    with page.page.expect_navigation():  # type: ignore[attr-defined]
        page.page.click(f"{form} button")  # type: ignore[attr-defined]
    page.page.wait_for_selector("#incident")  # type: ignore[attr-defined]
    assert page.page.inner_text("tr[data-field=injured] td") == "7"  # type: ignore[attr-defined]
    assert "hospital list" in page.page.inner_text(".corrections")  # type: ignore[attr-defined]
    page.shot("corrected")


def test_statements_network_and_list(page: Page, server: str) -> None:
    page.page.goto(server + "/statements?type=ACCUSE")  # type: ignore[attr-defined]
    page.page.wait_for_selector("#network[data-ready]")  # type: ignore[attr-defined]
    assert int(page.page.get_attribute("#network", "data-ready")) >= 2  # type: ignore[attr-defined]
    assert page.page.locator("#network canvas").count() >= 1  # type: ignore[attr-defined]
    types = page.page.eval_on_selector_all(  # type: ignore[attr-defined]
        "#statement-table tbody tr", "rows => rows.map(r => r.dataset.type)"
    )
    assert types and set(types) == {"ACCUSE"}
    page.shot("statements")


def test_untrusted_text_never_runs_or_becomes_markup(page: Page, server: str) -> None:
    page.page.goto(server + "/articles?q=checkpoint")  # type: ignore[attr-defined]
    page.page.click("#article-table a:has-text('Blast at')")  # type: ignore[attr-defined]
    page.page.wait_for_selector("#article")  # type: ignore[attr-defined]
    pages_seen = [page.page.url]  # type: ignore[attr-defined]
    _assert_inert(page)
    assert '<script>window.__xss="title"</script>' in page.page.inner_text("h1")  # type: ignore[attr-defined]
    assert "onerror=" in page.page.inner_text(".article-text")  # type: ignore[attr-defined]
    page.shot("hostile-article")

    incident = page.page.locator("a[href^='/incidents/']").first  # type: ignore[attr-defined]
    if incident.count():
        incident.click()
        page.page.wait_for_selector("#incident")  # type: ignore[attr-defined]
        pages_seen.append(page.page.url)  # type: ignore[attr-defined]
        _assert_inert(page)
        page.shot("hostile-incident")

    assert "onerror=" in page.page.inner_text("tr[data-field=target]")  # type: ignore[attr-defined]
    assert "<script>" in page.page.inner_text("tr[data-field=claimed_by]")  # type: ignore[attr-defined]

    page.page.goto(server + "/?q=__xss")  # type: ignore[attr-defined]
    _loaded(page)
    assert any(
        "<script>" in row
        for row in page.page.eval_on_selector_all(  # type: ignore[attr-defined]
            "#incident-table tbody tr", "rows => rows.map(r => r.textContent)"
        )
    )
    page.page.click("#map .incident-marker", timeout=5000)  # type: ignore[attr-defined]
    page.page.wait_for_selector(".leaflet-popup-content")  # type: ignore[attr-defined]
    assert "<script>" in page.page.inner_text(".leaflet-popup-content")  # type: ignore[attr-defined]
    _assert_inert(page)
    page.shot("hostile-map")
    page.page.goto(server + "/statements")  # type: ignore[attr-defined]
    page.page.wait_for_selector("#network[data-ready]")  # type: ignore[attr-defined]
    _assert_inert(page)
    # The hostile claimant's own page: its name is text in the heading, the charts draw.
    page.page.goto(server + "/?q=__xss")  # type: ignore[attr-defined]
    _loaded(page)
    page.page.click("#incident-table a.actor:has-text('__xss')")  # type: ignore[attr-defined]
    page.page.wait_for_selector("#actor[data-ready]")  # type: ignore[attr-defined]
    assert "<script>" in page.page.inner_text("h1")  # type: ignore[attr-defined]
    _assert_inert(page)
    assert len(pages_seen) == 2, "the hostile story should yield an incident page"


def _assert_inert(page: Page) -> None:
    state = page.page.evaluate(  # type: ignore[attr-defined]
        """() => ({
          xss: window.__xss === undefined ? null : String(window.__xss),
          scripts: Array.from(document.scripts).filter(s => !s.src).length,
          foreign: Array.from(document.scripts)
                     .filter(s => s.src && new URL(s.src).origin !== location.origin).length,
          handlers: Array.from(document.querySelectorAll('*')).filter(e =>
                     Array.from(e.attributes).some(a => a.name.startsWith('on'))).length,
          jsLinks: document.querySelectorAll(
                     '[href^="javascript:" i], [src^="javascript:" i]').length,
          injected: Array.from(document.querySelectorAll('main img, main svg, main iframe'))
                     .filter(e => !e.classList.contains('timeline') && !e.closest('#map')).length,
        })"""
    )
    assert state == {
        "xss": None,
        "scripts": 0,
        "foreign": 0,
        "handlers": 0,
        "jsLinks": 0,
        "injected": 0,
    }, state


# -- layout: phone and desktop, labels, legend, axes, actor pages ----------------------


@pytest.fixture
def sized(browser: object, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A page at the width the test is parametrized with (390: a phone)."""
    width = request.node.callspec.params["width"]
    context = browser.new_context(  # type: ignore[attr-defined]
        viewport={"width": width, "height": 844 if width < 600 else 950}
    )
    watched = Page(context.new_page(), request.node.name)
    yield watched
    context.close()
    assert not watched.problems, "\n".join(watched.problems)


def _overflow(page: Page) -> list[int]:
    return page.page.evaluate(  # type: ignore[attr-defined]
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )


def _texts(page: Page, selector: str) -> list[str]:
    return page.page.eval_on_selector_all(selector, "es => es.map(e => e.textContent)")  # type: ignore[attr-defined]


@pytest.mark.parametrize("width", [390, 1400])
def test_dashboard_fits_the_screen_with_labels_legend_and_axes(
    sized: Page, server: str, width: int
) -> None:
    page = sized
    page.page.goto(server + "/")  # type: ignore[attr-defined]
    _loaded(page)
    page.page.wait_for_selector("#map .map-label.label-admin1")  # type: ignore[attr-defined]
    scroll, client = _overflow(page)
    assert scroll <= client, f"{scroll - client} px of sideways scrolling at {width} px"

    countries = _texts(page, "#map .map-label.label-country")
    assert {"Pakistan", "Afghanistan"} <= set(countries)
    assert len(_texts(page, "#map .map-label.label-admin1")) >= 3
    legend = page.page.locator("#map-legend")  # type: ignore[attr-defined]
    assert legend.count() == 1
    if width < 600:
        assert not legend.get_attribute("open"), "folded on a phone"
        page.page.click("#map-legend summary")  # type: ignore[attr-defined]
    items = _texts(page, "#map-legend li")
    assert any("drone" in item for item in items) and any("shade" in item for item in items)

    ticks = [int(t) for t in _texts(page, "#timeline .y-axis .tick")]
    assert ticks[0] == 0 and ticks == sorted(ticks) and len(ticks) >= 2
    tallest = max(
        int(b)
        for b in page.page.eval_on_selector_all(  # type: ignore[attr-defined]
            "#timeline rect.bar", "bars => bars.map(b => b.dataset.value)"
        )
    )
    assert ticks[-1] >= tallest
    assert _texts(page, "#timeline .x-axis .tick.year"), "years under the periods"
    months = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
    assert set(_texts(page, "#timeline .x-axis .tick:not(.year)")) <= months
    assert _texts(page, "#timeline .count"), "counts over the bars"
    for chart in ("#by-admin1", "#by-actor", "#by-type"):
        assert page.page.locator(f"{chart} li .fill").count() >= 1, chart  # type: ignore[attr-defined]
    page.shot(f"{width}")
    if width < 600:
        page.page.locator("#timeline").scroll_into_view_if_needed()  # type: ignore[attr-defined]
        page.shot(f"{width}-charts")


def test_timeline_and_charts_toggle_between_incidents_and_fatalities(
    page: Page, server: str
) -> None:
    page.page.goto(server + "/")  # type: ignore[attr-defined]
    _loaded(page)
    series = page.page.request.get(server + "/api/aggregates?interval=month").json()  # type: ignore[attr-defined]

    def drawn() -> dict[str, int]:
        return {
            p: int(v)
            for p, v in page.page.eval_on_selector_all(  # type: ignore[attr-defined]
                "#timeline rect.bar", "bars => bars.map(b => [b.dataset.period, b.dataset.value])"
            )
            if int(v)
        }

    assert drawn() == {c["period"]: c["incidents"] for c in series["series"] if c["incidents"]}
    page.page.select_option("#metric", "fatalities")  # type: ignore[attr-defined]
    assert drawn() == {c["period"]: c["fatalities"] for c in series["series"] if c["fatalities"]}
    assert _texts(page, "#timeline .unit") == ["killed"]
    assert "killed" in page.page.get_attribute("#timeline", "aria-label").lower()  # type: ignore[attr-defined]
    totals = page.page.request.get(server + "/api/aggregates/totals?by=event_type").json()  # type: ignore[attr-defined]
    top = max(g["fatalities"] for g in totals["groups"])
    assert str(top) == _texts(page, "#by-type li .value")[0]


def test_zooming_in_names_towns(page: Page, server: str) -> None:
    page.page.goto(server + "/")  # type: ignore[attr-defined]
    _loaded(page)
    page.page.wait_for_selector("#map .map-label")  # type: ignore[attr-defined]
    before = set(_texts(page, "#map .map-label.label-town"))
    for _ in range(2):
        page.page.click("#map .leaflet-control-zoom-in")  # type: ignore[attr-defined]
        page.page.wait_for_timeout(400)  # type: ignore[attr-defined]
    after = set(_texts(page, "#map .map-label.label-town"))
    assert len(after) > len(before), (before, after)
    assert not _texts(page, "#map .map-label.label-country") or len(before) > 0


def test_statements_network_keeps_its_layout_between_loads(page: Page, server: str) -> None:
    layouts = []
    for _ in range(2):
        page.page.goto(server + "/statements")  # type: ignore[attr-defined]
        page.page.wait_for_selector("#network[data-ready]")  # type: ignore[attr-defined]
        layouts.append(page.page.get_attribute("#network", "data-layout"))  # type: ignore[attr-defined]
    assert layouts[0] and layouts[0] == layouts[1]
    positions = {item.split("@")[1] for item in layouts[0].split(";")}
    assert len(positions) == len(layouts[0].split(";")), "no two nodes on one spot"


@pytest.mark.parametrize("width", [390, 1400])
def test_actor_page_from_the_dashboard(sized: Page, server: str, width: int) -> None:
    page = sized
    page.page.goto(server + "/")  # type: ignore[attr-defined]
    _loaded(page)
    page.page.click("#by-actor a:has-text('TTP')")  # type: ignore[attr-defined]
    page.page.wait_for_selector("#actor[data-ready]")  # type: ignore[attr-defined]
    assert page.page.url.endswith("/actors/TTP")  # type: ignore[attr-defined]
    assert page.page.inner_text("h1").startswith("TTP")  # type: ignore[attr-defined]
    for table in ("#claimed", "#alleged", "#said"):
        linked = f"{table} tbody tr a[href^='/incidents/'], {table} tbody tr a[href^='/articles/']"
        assert page.page.locator(linked).count() >= 1, table  # type: ignore[attr-defined]
    assert page.page.locator("#actor-statements rect.bar:not([height='0'])").count() >= 1  # type: ignore[attr-defined]
    assert page.page.locator("#actor-incidents rect.bar:not([height='0'])").count() >= 1  # type: ignore[attr-defined]
    assert _texts(page, "#actor-incidents .y-axis .tick")[0] == "0"
    scroll, client = _overflow(page)
    assert scroll <= client, f"{scroll - client} px of sideways scrolling at {width} px"
    page.shot(f"{width}")
    # every actor name on it leads to that actor's page
    page.page.click("#addressed a.actor:has-text('Pakistan')")  # type: ignore[attr-defined]
    page.page.wait_for_selector("#actor[data-ready]")  # type: ignore[attr-defined]
    assert page.page.inner_text("h1").startswith("Pakistan")  # type: ignore[attr-defined]


@pytest.mark.parametrize("width", [390])
def test_every_page_fits_a_phone(sized: Page, server: str, width: int) -> None:
    page = sized
    incident = page.page.request.get(server + "/api/incidents?limit=1").json()["items"][0]  # type: ignore[attr-defined]
    article = incident["sources"][0]["article_id"]
    for path in ("/statements", "/articles", "/docs", f"/incidents/{incident['id']}",
                 f"/articles/{article}"):  # fmt: skip
        page.page.goto(server + path)  # type: ignore[attr-defined]
        page.page.wait_for_load_state("load")  # type: ignore[attr-defined]
        scroll, client = _overflow(page)
        assert scroll <= client, f"{path}: {scroll - client} px of sideways scrolling"
