"""End to end, in a real Chromium: what the model's second generation adds to the page (issue 11,
last bullet). At the end of the gorbachev scenario, seed 1, the map marks the declared republics
and the regions' allegiance with its key, the log names the declarations and the union's
dissolution, and the republics chart is drawn; all of it inside the screen at a projector's, a
laptop's and a phone's size.
"""

from __future__ import annotations

import pytest

import dashboard_support as ds
from dashboard_support import (assert_loopback_only, chromium_browser, open_page, series, server,  # noqa: F401
                               wait_chart, wait_year)

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(ds.chromium() is None, reason="needs Chromium (apt install chromium)")]

pytest.importorskip("playwright.sync_api")


@pytest.mark.parametrize("viewport", ["projector", "laptop", "phone"])
def test_the_republics_show_on_the_map_in_the_log_and_in_their_chart(server, chromium_browser, viewport):
    width, height = ds.VIEWPORTS[viewport]
    ctx = ds.new_context(chromium_browser, width, height)
    try:
        page = open_page(ctx, server.url + "/?scenario=gorbachev&seed=1&at=1991Q4")
        wait_year(page, lambda y: y == "1991 Q4")
        # the map: declared republics outlined, their codes boxed by status, the regions' marks
        wait_chart(page, lambda: len(series(page, ".sc-map", "declared")) > 0)
        labels = series(page, ".sc-map", "republics")
        boxed = [item.get("label", {}) for item in labels]
        independent = [b for b in boxed if b.get("backgroundColor") == "#000000"]
        sovereign = [b for b in boxed if b.get("borderType") == "dashed"]
        assert len(independent) == 12 and len(sovereign) == 3  # as model.status says at the end
        marks = series(page, ".sc-map", "allegiance")
        assert {m["symbol"] for m in marks} >= {"triangle", "circle"}
        key = page.locator(".sc-republic-key")
        assert "declared independence" in key.inner_text() and "sides with Moscow" in key.inner_text()
        key_box = key.bounding_box()
        assert key_box["x"] >= 0 and key_box["x"] + key_box["width"] <= width + 1
        # the log: the declarations and the dissolution, as they happened
        log = page.inner_text(".sc-log-card")
        assert "The Turkmen SSR declares independence" in log and "The Soviet Union dissolves" in log
        # the republics chart, with its text alternative
        chart = page.locator(".sc-republics")
        chart.scroll_into_view_if_needed()
        wait_chart(page, lambda: series(page, ".sc-republics", "sovereign_share")[-1][1] == 1.0)
        box = chart.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width + 1 and box["height"] > 100
        alt = page.locator(".sc-chart-box:has(.sc-republics) p.sc-sr-only").first.text_content()
        assert "People in sovereign republics (share): 0.00 at the start, 1.00 in 1991 Q4" in alt
        # nothing spills over sideways
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width
        assert "Traceback" not in page.inner_text("body")
        if viewport == "projector":  # the map's PNG carries the republic layer's key under its title
            from PIL import Image

            with page.expect_download() as download:
                page.locator(".sc-chart-box:has(.sc-map) .sc-save").click()
            image = Image.open(download.value.path()).convert("L")
            for line in (2, 3):  # the key's third and fourth lines: republics, corner marks
                row = [image.getpixel((x, y)) for y in range(18 + 40 * line, 42 + 40 * line)
                       for x in range(0, image.width // 2, 2)]
                assert min(row) < 80, f"line {line + 1} of the PNG's title band is empty"
        assert_loopback_only(ctx)
    finally:
        ctx.close()
