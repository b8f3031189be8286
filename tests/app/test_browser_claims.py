"""The dashboard as a group uses it in a meeting, in headless Chromium (Voilà + Playwright): the
summary of findings read back, a claim picked (its card, the filters set to its scope, the table
narrowed with each study's role), every control label whole (issue 16 items 3 and 8), and the
check-a-text box giving a verdict."""

from __future__ import annotations

import pytest
from conftest import EVIDENCE, chromium, need_chromium, new_page, voila_server

pytestmark = pytest.mark.browser

CLAIM = "exosome-injections-men-aga"
SENTENCE = "Exosomes from adipose stem cells regrow hair in men with androgenetic alopecia."
# elements of the controls whose text would be cut: wider (or taller) than the box that shows them
CUT = """(root) => Array.from(root.querySelectorAll(
    'label, label span, .widget-label, .exoreview-years, .widget-readout'))
  .filter(el => el.offsetParent !== null && el.textContent.trim() &&
    (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1))
  .map(el => el.textContent.trim())"""
# a label drawn outside its list (overflowing to the right) is cut by the list's edge
OUTSIDE = """(el) => { const box = el.closest('.exoreview-checklist').getBoundingClientRect();
  const r = el.getBoundingClientRect(); return r.right <= box.right + 1 && r.left >= box.left - 1; }"""


def test_claims_view_sof_labels_and_text_check_in_chromium(tmp_path, shipped):
    sync_api = need_chromium()
    expect = sync_api.expect
    from exoreview.app.claims_view import ROLE_STYLES, claim_render, scope_filter
    from exoreview.app.widgets import MAX_TABLE_ROWS
    from exoreview.appraisal.audit import audit
    from exoreview.appraisal.grade import assess
    from exoreview.core.filters import FIELDS, terms_in
    from exoreview.views.sof import sof_table

    sof = sof_table(shipped)
    a = assess(CLAIM, shipped)
    claimed = claim_render(shipped, scope_filter(a.claim, shipped), assessment=a)
    roles = sorted(f"{ROLE_STYLES[r].mark} {r}" for r in claimed.roles.values())
    assert 0 < claimed.n < len(shipped.studies) and "supporting" in claimed.roles.values()
    all_rows = min(len(shipped.studies), MAX_TABLE_ROWS)
    years = shipped.studies["year"].dropna()
    year_range = f"{int(years.min())} – {int(years.max())}"
    labels = [
        shipped.vocabulary[f.term_facet].label(k)
        for f in FIELDS
        if f.kind == "terms"
        for k in terms_in(shipped, f.term_facet)
    ]
    longest = max(labels, key=len)
    verdicts = [c.verdict for c in audit(SENTENCE, shipped).claims]
    assert verdicts

    blocked: list[str] = []
    with voila_server(EVIDENCE, tmp_path / "voila.log") as url, chromium(blocked) as browser:
        page = new_page(browser)
        page.goto(url, wait_until="commit", timeout=60_000)
        rows = page.locator("table.exoreview-table tbody tr")
        expect(rows).to_have_count(all_rows, timeout=120_000)

        # the summary of findings at the top: one row a claim, each statement whole
        sof_rows = page.locator("table.exoreview-sof tbody tr")
        expect(sof_rows).to_have_count(len(sof))
        assert sorted(sof_rows.evaluate_all("rs => rs.map(r => r.dataset.claim)")) == sorted(sof["Key"])
        first_cells = [
            t.strip() for t in page.locator("table.exoreview-sof tbody tr td:first-child").all_inner_texts()
        ]
        assert sorted(first_cells) == sorted(sof["Claim"])
        # read as the table's own style says, not JupyterLab's right-aligned output tables; no cell cut
        cells = page.locator("table.exoreview-sof td, table.exoreview-sof th")
        assert set(cells.evaluate_all("cs => cs.map(c => getComputedStyle(c).textAlign)")) == {"left"}
        assert cells.evaluate_all("cs => cs.filter(c => c.scrollWidth > c.clientWidth + 1).length") == 0

        # controls read from a projector: no Ctrl-click list, the year range and every label whole
        controls = page.locator(".exoreview-controls")
        assert controls.locator("select[multiple]").count() == 0
        expect(page.locator(".exoreview-years")).to_have_text(year_range)
        assert controls.evaluate(CUT) == []
        option = controls.locator(".exoreview-checklist label", has_text=longest).first
        expect(option).to_have_text(longest)
        assert option.evaluate(OUTSIDE), f"{longest!r} runs past its list"
        page.screenshot(path=str(tmp_path / "controls.png"))

        # pick a claim: its card, the filters set to its scope, the table narrowed, roles marked
        page.get_by_label(a.claim.statement, exact=True).check()
        expect(page.locator(f'.exoreview-claim-card[data-claim="{CLAIM}"]')).to_have_count(1, timeout=60_000)
        expect(rows).to_have_count(claimed.n, timeout=60_000)
        role_cells = page.locator("table.exoreview-table tbody tr td:first-child")
        assert sorted(t.strip() for t in role_cells.all_inner_texts()) == roles
        expect(page.locator(".exoreview-role-legend")).to_contain_text("supporting")
        for term in a.claim.species:
            label = shipped.vocabulary["species"].label(term)
            expect(
                controls.locator(".exoreview-checklist")
                .filter(has_text="Species")
                .get_by_label(label, exact=True)
            ).to_be_checked()
        expect(page.locator(".exoreview-count-note")).to_contain_text(f"claim {CLAIM}")
        page.screenshot(path=str(tmp_path / "claim.png"))

        # ...and back to every study
        page.get_by_role("button", name="Back to all studies").click()
        expect(rows).to_have_count(all_rows, timeout=60_000)
        expect(page.locator(".exoreview-claim-card")).to_have_count(0)

        # the check-a-text box: paste a sentence, get its verdict
        box = page.locator(".exoreview-text-audit textarea")
        box.fill(SENTENCE)
        page.get_by_role("button", name="Audit the text").click()
        claims_table = page.locator(".exoreview-text-audit table.exoreview-audit-claims")
        expect(claims_table).to_contain_text(verdicts[0], timeout=60_000)
        expect(claims_table).to_contain_text("regrow hair")
    assert all(not u.startswith(("http://127.0.0.1", "ws://127.0.0.1")) for u in blocked)
