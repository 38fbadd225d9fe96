"""Take the dashboard screenshots in ``docs/screenshots/``: the dashboard at a phone's width
(390 px) and a desktop's (1400 px), and an actor's page at both.

Run against the demo (``make demo``, then ``khabar serve`` in another terminal)::

    python scripts/dashboard_screenshots.py                  # http://127.0.0.1:8000
    python scripts/dashboard_screenshots.py --base http://127.0.0.1:8716 --actor TTP

It uses Playwright with the system's chromium (``KHABAR_CHROMIUM`` or ``chromium``), as the
browser tests do, and downloads nothing. Each picture is a PNG of one screen (the phone's
dashboard gets a second one, scrolled to the timeline and charts).
"""

from __future__ import annotations

import argparse
import os
import shutil
from pathlib import Path
from urllib.parse import quote

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000", help="the running server")
    parser.add_argument("--actor", default="TTP", help="whose page to picture")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    chromium = os.environ.get("KHABAR_CHROMIUM") or shutil.which("chromium")
    if chromium is None:
        raise SystemExit("no chromium on this machine (apt-get install chromium)")
    args.out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as driver:
        browser = driver.chromium.launch(
            executable_path=chromium, args=["--headless=new", "--no-sandbox", "--disable-gpu"]
        )
        for width, height in ((390, 844), (1400, 950)):
            page = browser.new_page(viewport={"width": width, "height": height})
            page.goto(args.base + "/")
            page.wait_for_function("() => document.body.dataset.loaded")
            page.wait_for_selector("#map .map-label.label-admin1")
            page.wait_for_timeout(300)  # let the map's fade-in end
            page.screenshot(path=str(args.out / f"dashboard-{width}.png"))
            if width < 600:
                page.locator("#timeline").scroll_into_view_if_needed()
                page.screenshot(path=str(args.out / f"dashboard-{width}-charts.png"))
            page.goto(f"{args.base}/actors/{quote(args.actor, safe='')}")
            page.wait_for_selector("#actor[data-ready]")
            page.screenshot(path=str(args.out / f"actor-{width}.png"))
            page.close()
        browser.close()
    for picture in sorted(args.out.glob("*.png")):
        print(f"{picture}: {picture.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
