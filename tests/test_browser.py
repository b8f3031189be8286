"""One real-browser test: the Voilà dashboard in headless Debian Chromium, driven by Playwright.

Start Voilà on 127.0.0.1 (free port, finite executor timeout, the polling fix from
jupyter_config/voila.py), open the dashboard, block every non-loopback request, wait for the
evidence table, change a filter, see the table change, sort a column, save a screenshot.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-dev-shm-usage"]

pytestmark = pytest.mark.browser


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_port(port: int, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"voila exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"voila did not listen on port {port} within {timeout} s")


@pytest.fixture
def voila(tmp_path):
    voila_bin = Path(sys.executable).with_name("voila")
    if not voila_bin.exists():
        pytest.skip("voila is not installed in this environment")
    port = _free_port()
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(ROOT / "jupyter_config"),
           "EXOREVIEW_EVIDENCE": str(ROOT / "evidence")}
    log = open(tmp_path / "voila.log", "w")
    proc = subprocess.Popen(
        [str(voila_bin), str(ROOT / "notebooks" / "01_review_dashboard.ipynb"), "--no-browser",
         f"--port={port}", "--Voila.ip=127.0.0.1", "--VoilaExecutor.timeout=120",
         "--strip_sources=True"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait_port(port, proc)
        yield f"http://127.0.0.1:{port}/"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def test_dashboard_in_chromium(voila, tmp_path, shipped):
    if not (Path(CHROMIUM).exists() or shutil.which("chromium")):
        pytest.skip("Debian chromium is not installed (apt-get install -y chromium; .ci/run does it)")
    sync_api = pytest.importorskip("playwright.sync_api")
    from exoreview.filters import Filter
    from exoreview.widgets import MAX_TABLE_ROWS

    all_rows = min(len(shipped.studies), MAX_TABLE_ROWS)
    without_registry = min(len(Filter(include_registry=False).apply(shipped).studies), MAX_TABLE_ROWS)
    assert without_registry < all_rows, "the shipped evidence should hold registered trials"

    blocked: list[str] = []

    def only_loopback(route):
        url = route.request.url
        if url.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:")):
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.route("**/*", only_loopback)
            page.goto(voila, wait_until="commit", timeout=60_000)
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
            years = [t.strip() for t in page.locator("table.exoreview-table tbody tr td:nth-child(3)")
                     .all_inner_texts() if t.strip()]
            assert years == sorted(years)

            shot = tmp_path / "dashboard.png"
            page.screenshot(path=str(shot), full_page=False)
            assert shot.stat().st_size > 10_000
        finally:
            browser.close()
    assert all(not u.startswith(("http://127.0.0.1", "ws://127.0.0.1")) for u in blocked)
