"""The board's HTML page in a real browser (Debian's chromium, headless): it renders, fetches nothing, and prints.

`.ci/run` installs chromium and sets AGENCY_RULES_BROWSER_TEST=required, so there a missing browser
fails this test; elsewhere it is skipped with the reason.
"""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import pytest

from .test_board import KENT, MEDWAY, engagements, report
from .test_cli import run

pytestmark = pytest.mark.slow  # other processes, large files, a browser: the full tier (.ci/run)


def browser() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("AGENCY_RULES_BROWSER_TEST") == "required":
            pytest.fail("chromium is not installed (apt-get install chromium), and this run requires the browser test")
        pytest.skip("chromium is not installed; .ci/run installs it")
    return found


def test_the_board_page_renders_in_chromium_with_no_error_and_no_request(tmp_path: Path) -> None:
    executable = browser()
    sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright
    from PIL import Image

    a = report(tmp_path, engagements(tmp_path, "kent", KENT, breaches=3, clean=9, start="2025-05-02"))
    b = report(tmp_path, engagements(tmp_path, "medway", MEDWAY, breaches=14, clean=2, start="2025-08-20"))
    page_file = tmp_path / "board.html"
    code, _, err = run("summary", str(a), str(b), "--output", str(page_file))
    assert code == 0, err
    address = page_file.resolve().as_uri()
    problems: list[str] = []
    requests: list[str] = []
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox", "--disable-gpu"])
        try:
            page = chromium.new_page(viewport={"width": 1300, "height": 1400})
            page.on("console", lambda message: problems.append(f"console {message.type}: {message.text}") if message.type in ("error", "warning") else None)
            page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
            page.on("request", lambda request: requests.append(request.url))
            page.goto(address, wait_until="load")
            assert page.title() == "Agency rules: board summary"
            charts = page.locator("figure svg[role=img]")
            assert charts.count() == 3
            assert [charts.nth(i).get_attribute("aria-label") for i in range(3)] == [
                "Breaches by rule, all councils", "Breaches by council and rule", "Breaches by quarter of engagement start"]
            for figure in page.locator("figure").all():  # each chart is described by a table on the page
                assert page.locator(f"table#{figure.get_attribute('aria-describedby')}").count() == 1
            assert page.locator("table caption").count() >= 8
            assert "<5" in page.locator("table#t-breaches").inner_text()
            key = page.locator("table#t-by-rule").inner_text()
            assert "Six weeks' reciprocal notice" in key and "NOTICE001" in key and "17" in key  # the rule key, with the region's total
            bars = charts.nth(0).evaluate("svg => [...svg.querySelectorAll('path')].filter(p => (p.getAttribute('style') || '')"
                                          ".includes('#1f5f8b') && p.getBBox().width > 1).length")
            assert bars >= 1  # the by-rule chart draws the region's published totals: not an empty frame
            overflowing = "() => [...document.querySelectorAll('table')].filter(t => t.parentElement.scrollWidth > t.parentElement.clientWidth + 1).map(t => t.id)"
            assert page.evaluate(overflowing) == []  # every table fits a 1300-pixel screen: nothing scrolls inside the page
            shot = Image.open(io.BytesIO(page.screenshot(full_page=True))).convert("RGB")
            colours = shot.getcolors(maxcolors=1 << 20) or []
            assert len(colours) > 20 and shot.getbbox() is not None
            page.emulate_media(media="print")
            page.set_viewport_size({"width": 1032, "height": 730})  # A4 landscape less its 12 mm margins, at 96 pixels an inch
            assert page.evaluate(overflowing) == []  # and A4 landscape
            paper = page.pdf(format="A4", landscape=True)
            assert paper.startswith(b"%PDF") and len(paper) > 10_000
        finally:
            chromium.close()
    assert problems == []
    assert requests == [address]  # the page itself, and nothing else: no script, font, image or style from anywhere
