"""notebooks/04_claims.ipynb runs headless: rules printed, a card per claim, the article audited,
and the check-a-text widget wired to the audit."""

from __future__ import annotations

import re

import nbformat
import pytest
from conftest import NOTEBOOKS

from exoreview.app.notebook import mime_outputs, outputs
from exoreview.appraisal import grading_rules
from exoreview.appraisal.grade import assess_all

pytestmark = pytest.mark.notebook


@pytest.fixture(scope="module")
def nb(run_notebook):
    return run_notebook("04_claims.ipynb")


def test_notebook_is_committed_without_outputs():
    stored = nbformat.read(NOTEBOOKS / "04_claims.ipynb", as_version=4)
    assert all(
        not c.get("outputs") and c.get("execution_count") is None
        for c in stored.cells
        if c.cell_type == "code"
    )


def test_rules_tables_are_printed(nb):
    html = "\n".join(mime_outputs(nb, "text/html"))
    for verdict in grading_rules.VERDICT_NAMES:
        assert verdict in html
    assert "risk_of_bias" in html and "Stem Cells Transl Med" in html  # both rule tables


def test_a_card_per_claim_with_its_verdict(nb, shipped):
    html = "\n".join(mime_outputs(nb, "text/html"))
    cards = re.findall(r'class="exoreview-claim-card" data-claim="([^"]+)" data-verdict="([^"]+)"', html)
    assert sorted(k for k, _ in cards) == sorted(shipped.claims["key"])
    assert dict(cards) == {a.claim.key: a.verdict for a in assess_all(shipped)}
    assert len({v for _, v in cards}) >= 4
    assert html.count('class="exoreview-domains"') == len(cards)


def test_article_is_audited(nb):
    text = "".join(o.get("text", "") for o in outputs(nb, "stream"))
    assert "references: 1 off-topic, 1 not-found" in text
    assert "bone regeneration" in text and "verdict: misattributed" in text
    html = "\n".join(mime_outputs(nb, "text/html"))
    assert 'class="exoreview-audit-references"' in html


def test_check_a_text_widget(nb):
    widgets = [o for o in outputs(nb) if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    assert widgets, "the TextAudit widget was displayed"
    state = (
        nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {}).get("state", {})
    )
    values = [m["state"].get("value", "") for m in state.values() if m.get("model_name") == "HTMLModel"]
    assert any("exoreview-audit" in v and "FDA-approved" in v for v in values)
    # the claims table of the widget's last audit
    html = "\n".join(mime_outputs(nb, "text/html"))
    assert "contradicted" in html and "kwack-2019-dp-exosomes-spheres" in html
