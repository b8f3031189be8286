"""The review notebooks 01–03 execute headless (run_notebook fixture) and hold the expected
figures and tables; a later cell sees the dashboard's filtered result (wiring check); the
notebooks are committed without outputs."""

from __future__ import annotations

import json

import pytest
from conftest import NOTEBOOKS

from exoreview.app.notebook import mime_outputs, outputs
from exoreview.app.report import widget_states
from exoreview.app.since_view import PROMPT
from exoreview.appraisal.grade import assess_all
from exoreview.core.filters import Filter

REVIEW = ("01_review_dashboard.ipynb", "02_timeline_and_history.ipynb", "03_mode_of_action.ipynb")
pytestmark = pytest.mark.notebook


@pytest.mark.parametrize("name", REVIEW)
def test_committed_without_outputs(name):
    nb = json.loads((NOTEBOOKS / name).read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert code, "a review notebook runs code"
    assert all(c["outputs"] == [] and c["execution_count"] is None for c in code)
    assert "widgets" not in nb.get("metadata", {})


def _html_tables(nb) -> list[str]:
    return [
        "".join(h) if isinstance(h, list) else h
        for h in mime_outputs(nb, "text/html")
        if "exoreview-table" in ("".join(h) if isinstance(h, list) else h)
    ]


def test_01_dashboard_wiring(run_notebook, shipped):
    nb = run_notebook("01_review_dashboard.ipynb")
    views = mime_outputs(nb, "application/vnd.jupyter.widget-view+json")
    assert len(views) == 3  # the claims view (holding the dashboard), since the last meeting, check a text
    state = widget_states(nb)
    roots = [state[v["model_id"]]["state"]["_dom_classes"] for v in views]
    assert (
        "exoreview-claims" in roots[0]
        and "exoreview-since" in roots[1]
        and "exoreview-text-audit" in roots[2]
    )
    # no revision given (no $EXOREVIEW_SINCE): the since box says what to type
    assert any(m["state"].get("value") == PROMPT for m in state.values() if m["model_name"] == "HTMLModel")
    assert any("exoreview-dashboard" in m["state"].get("_dom_classes", ()) for m in state.values())
    # a later cell set a control and read the dashboard's filtered result
    clinical = len(Filter(models=["clinical"]).apply(shipped).studies)
    assert 0 < clinical < len(shipped.studies)
    text = "".join(o["text"] for o in outputs(nb, "stream") if o["name"] == "stdout")
    assert f"{clinical} of {len(shipped.studies)} studies · clinical" in text
    graded = assess_all(shipped)  # the notebook picks the claim with the most evidence
    first = max(graded, key=lambda a: len(a.supporting) + len(a.contradicting)).claim.key
    assert f"claim {first}: " in text and " supporting" in text  # a claim picked
    # ...and the last cell put it back: the stored widget state shows every study again
    values = [m["state"].get("value") for m in state.values() if m["model_name"] == "HTMLModel"]
    n = len(shipped.studies)
    assert f'<span class="exoreview-count"><b>{n}</b> of {n} studies · all studies</span>' in values
    table = [v for v in values if v and 'class="exoreview-table"' in v]
    assert len(table) == 1 and f'data-rows="{n}"' in table[0]
    images = [m for m in state.values() if m["model_name"] == "ImageModel"]
    assert len(images) == 2 and all(m.get("buffers") for m in images)  # timeline + gap map PNGs
    assert not mime_outputs(nb, "image/png"), "dashboard figures must not leak into cell outputs"


def test_02_timeline_and_history(run_notebook, shipped):
    nb = run_notebook("02_timeline_and_history.ipynb")
    assert len(mime_outputs(nb, "image/png")) == 5  # timeline, people, vesicle, profile, regulatory
    html = "".join("".join(h) if isinstance(h, list) else h for h in mime_outputs(nb, "text/html"))
    assert "fda-2019-psn-exosome-products" in html  # the milestone table names its record
    tables = _html_tables(nb)
    assert len(tables) == 2  # people's evidence table + regulatory panel
    people = len(Filter(models=["clinical"]).apply(shipped).studies)
    assert f"Evidence table · clinical · {people} studies" in tables[0]
    assert f'data-rows="{len(shipped.regulatory)}"' in tables[1]


def test_03_mode_of_action(run_notebook, shipped):
    nb = run_notebook("03_mode_of_action.ipynb")
    assert len(mime_outputs(nb, "image/png")) == 4  # map, MSC map, gap map, directions
    tables = _html_tables(nb)
    assert len(tables) == 1
    n = shipped.mechanisms["study"].nunique()
    assert f"studies reporting a measured mechanism · {n} studies" in tables[0]
