"""The report prints: built once (the shipped evidence, its figures, and one small notebook run by
a stand-in executor), printed to PDF by headless Chromium, then read back page by page with pypdf.
The summary of findings is on page 1, every section starts a page under the running title and
date, no figure is split from its caption, no summary row is cut, links show their address, and
the contents and controls are left out. On screen at 1400 px the summary table does not scroll."""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
import re
import unicodedata

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (after choosing the headless backend)
import nbformat  # noqa: E402
import pytest  # noqa: E402
from conftest import EVIDENCE, chromium, new_page  # noqa: E402

pytestmark = pytest.mark.browser

TITLE = "Exosomes / EVs for hair loss: evidence review"


def _notebook():
    """An executed-looking notebook: a heading, a figure output and a slider's stored state."""
    fig, ax = plt.subplots(figsize=(6, 3))
    ax.plot([1, 2, 3])
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# 99 · A small notebook\n\nText under the heading."),
        nbformat.v4.new_code_cell(
            "plot()",
            outputs=[
                nbformat.v4.new_output(
                    "display_data", data={"image/png": base64.b64encode(buf.getvalue()).decode()}
                ),
                nbformat.v4.new_output(
                    "display_data",
                    data={"application/vnd.jupyter.widget-view+json": {"model_id": "s1", "version_major": 2}},
                ),
            ],
        ),
    ]
    nb.metadata["widgets"] = {
        "application/vnd.jupyter.widget-state+json": {
            "state": {
                "s1": {
                    "model_name": "IntRangeSliderModel",
                    "state": {"description": "Slider of a control", "value": [2010, 2025]},
                }
            }
        }
    }
    return nb


def _norm(text: str) -> str:
    # a line broken after a hyphen extracts as "- "
    return re.sub(r"-\s+", "-", " ".join(unicodedata.normalize("NFKC", text).split()))


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    from pypdf import PdfReader

    from exoreview.app.report import build

    root = tmp_path_factory.mktemp("print")
    notebooks = root / "notebooks"
    notebooks.mkdir()
    nbformat.write(nbformat.v4.new_notebook(), notebooks / "99_small.ipynb")
    result = build(
        evidence=EVIDENCE,
        out=root / "report",
        notebooks=notebooks,
        progress=False,
        executor=lambda path, timeout, env: _notebook(),
    )
    blocked: list[str] = []
    with chromium(blocked) as browser:
        page = new_page(browser)
        page.goto(result.index.resolve().as_uri())
        screen = page.evaluate(
            "() => { const t = document.querySelector('table.exoreview-sof');"
            " return [t.scrollWidth, t.clientWidth, t.closest('main').clientWidth]; }"
        )
        page.emulate_media(media="print")
        pdf = page.pdf(format="A4", print_background=True)
    pages = [_norm(p.extract_text()) for p in PdfReader(io.BytesIO(pdf)).pages]
    images = [len(p.images) for p in PdfReader(io.BytesIO(pdf)).pages]
    return result.index.read_text(encoding="utf-8"), pages, images, screen, blocked


def _sections(doc: str) -> list[str]:
    return [
        html.unescape(h)
        for h in re.findall(r'<section id="[^"]+"><p class="running">.*?</p><h2>(.*?)</h2>', doc)
    ]


def test_page_count_is_sane(printed):
    doc, pages, _images, _screen, blocked = printed
    assert not blocked
    sections = _sections(doc)
    assert len(sections) >= 5
    assert len(sections) <= len(pages) <= 100


def test_summary_of_findings_opens_page_one(printed, shipped):
    doc, pages, _images, _screen, _ = printed
    assert _sections(doc)[0] == "Summary of findings"
    assert doc.index('class="exoreview-sof"') < doc.index("<figure")
    first = pages[0]
    assert "Summary of findings" in first and "Contents" not in first  # the contents are left out
    assert _norm(shipped.claim_records[sorted(shipped.claim_records)[0]]["statement"]) in first


def test_each_section_starts_a_page_under_the_running_line(printed):
    doc, pages, _images, _screen, _ = printed
    running = f"{TITLE} · {dt.date.today().isoformat()}"
    starts = [p for p in pages if p.startswith(running)]
    for heading in _sections(doc)[1:]:
        assert any(p.startswith(f"{running} {_norm(heading)}") for p in starts), heading
    assert "99 · A small notebook" in " ".join(starts)


def test_no_figure_is_split_from_its_caption(printed):
    doc, pages, images, _screen, _ = printed
    captions = [_norm(html.unescape(c))[:70] for c in re.findall(r"<figcaption>(.*?) · files:", doc)]
    assert len(captions) >= 5
    for caption in captions:
        where = [i for i, p in enumerate(pages) if caption in p]
        assert len(where) == 1, caption
        on_page = sum(c in pages[where[0]] for c in captions)
        assert images[where[0]] >= on_page, (caption, where[0] + 1)


def test_no_summary_row_is_cut(printed, shipped):
    _doc, pages, _images, _screen, _ = printed
    for rec in shipped.claim_records.values():
        statement = _norm(rec["statement"])
        assert sum(statement in p for p in pages) >= 1, statement


def test_links_show_their_address_and_controls_are_hidden(printed):
    _doc, pages, _images, _screen, _ = printed
    text = " ".join(pages)
    assert "(figures/timeline.png)" in text and "(sof.xlsx)" in text
    assert "Slider of a control" not in text


def test_summary_table_fits_a_1400_pixel_screen(printed):
    doc, _pages, _images, (scroll, client, main), _ = printed
    assert scroll <= client <= main
    head = re.search(r'<table class="exoreview-sof">.*?</thead>', doc, re.S)
    assert head and "<th></th>" not in head.group(0)  # no index column
