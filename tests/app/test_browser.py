"""One real-browser test: the Voilà dashboard in headless Debian Chromium, driven by Playwright.

Start Voilà on 127.0.0.1 (free port, finite executor timeout, the polling fix from
jupyter_config/voila.py), open the dashboard, block every non-loopback request, wait for the
evidence table, change a filter, see the table change, sort a column, save a screenshot.
"""

from __future__ import annotations

import pytest
from conftest import EVIDENCE, chromium, need_chromium, new_page, voila_server

pytestmark = pytest.mark.browser


def test_dashboard_in_chromium(tmp_path, shipped):
    sync_api = need_chromium()
    from exoreview.app.widgets import MAX_TABLE_ROWS
    from exoreview.core.filters import Filter

    all_rows = min(len(shipped.studies), MAX_TABLE_ROWS)
    without_registry = min(len(Filter(include_registry=False).apply(shipped).studies), MAX_TABLE_ROWS)
    assert without_registry < all_rows, "the shipped evidence should hold registered trials"

    blocked: list[str] = []
    with voila_server(EVIDENCE, tmp_path / "voila.log") as url, chromium(blocked) as browser:
        page = new_page(browser)
        page.goto(url, wait_until="commit", timeout=60_000)
        rows = page.locator("table.exoreview-table tbody tr")
        sync_api.expect(rows).to_have_count(all_rows, timeout=90_000)
        count = page.locator(".exoreview-count")
        sync_api.expect(count).to_contain_text(f"{len(shipped.studies)} of {len(shipped.studies)}")

        # change a filter: leave out registered trials without results
        page.get_by_label("include registered trials without results").uncheck()
        sync_api.expect(rows).to_have_count(without_registry, timeout=30_000)
        sync_api.expect(count).to_contain_text("no registry records")

        # the table sorts offline by its headers (inline script, no CDN)
        header = page.locator("table.exoreview-table thead th", has_text="Year")
        header.click()
        sync_api.expect(header).to_have_attribute("aria-sort", "ascending")
        years = [
            t.strip()
            for t in page.locator("table.exoreview-table tbody tr td:nth-child(3)").all_inner_texts()
            if t.strip()
        ]
        assert years == sorted(years)

        shot = tmp_path / "dashboard.png"
        page.screenshot(path=str(shot), full_page=False)
        assert shot.stat().st_size > 10_000
    assert all(not u.startswith(("http://127.0.0.1", "ws://127.0.0.1")) for u in blocked)
