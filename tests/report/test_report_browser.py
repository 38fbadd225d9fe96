"""The report in a real browser (Debian's chromium, headless): every image loads, nothing
breaks the page's Content-Security-Policy, and a screenshot is kept under
``test-output/screenshots/report.png``. Skips without chromium unless
``KHABAR_REQUIRE_BROWSER=1``."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest

from khabar.report import ReportOptions, build, render
from khabar.store import open_store

playwright_api = pytest.importorskip("playwright.sync_api")

SHOTS = Path(__file__).parent.parent.parent / "test-output" / "screenshots"


def _chromium() -> str:
    executable = os.environ.get("KHABAR_CHROMIUM") or shutil.which("chromium")
    if executable is None:
        if os.environ.get("KHABAR_REQUIRE_BROWSER") == "1":
            pytest.fail("KHABAR_REQUIRE_BROWSER=1 but no chromium: apt-get install chromium")
        pytest.skip("no chromium on this machine (apt-get install chromium)")
    return executable


def test_report_renders_in_chromium_with_its_images(demo_db: Path, tmp_path: Path) -> None:
    executable = _chromium()
    copy = tmp_path / "demo.duckdb"
    shutil.copyfile(demo_db, copy)
    store = open_store(copy)
    try:
        data = build(store, ReportOptions(since=dt.date(2025, 8, 1), until=dt.date(2026, 3, 31)))
    finally:
        store.close()
    target = tmp_path / "report.html"
    target.write_text(render(data), encoding="utf-8")
    problems: list[str] = []
    with playwright_api.sync_playwright() as driver:
        browser = driver.chromium.launch(
            executable_path=executable,
            args=["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        )
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 1000})
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: problems.append(str(e)))
            page.goto(target.as_uri())
            widths = page.eval_on_selector_all("img", "imgs => imgs.map(i => i.naturalWidth)")
            assert len(widths) >= 4 and all(w > 300 for w in widths), widths
            assert page.locator("table tbody tr").count() >= len(data.incidents)
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOTS / "report.png"), full_page=True)
        finally:
            browser.close()
    assert not problems, problems
