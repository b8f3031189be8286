"""notebooks/06_study_quality.ipynb runs headless and shows every study-quality figure."""

from __future__ import annotations

import nbformat
import pytest
from conftest import NOTEBOOKS

from exoreview.app.notebook import mime_outputs, outputs
from exoreview.appraisal import quality

NAME = "06_study_quality.ipynb"


def test_notebook_is_committed_without_outputs():
    nb = nbformat.read(NOTEBOOKS / NAME, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(c.outputs == [] and c.execution_count is None for c in code)


@pytest.mark.notebook
def test_notebook_shows_traffic_lights_summaries_heatmap_and_forest(run_notebook, shipped):
    nb = run_notebook(NAME)
    assert not outputs(nb, "error")
    tools = set(quality.rob_table(shipped)["tool"])
    pngs = mime_outputs(nb, "image/png")
    # one traffic light and one summary bar per tool in use, the EV heatmap, the forest plot
    assert len(pngs) == 2 * len(tools) + 2
    cells = [c for c in nb.cells if c.cell_type == "code"]

    def images(fragment):
        cell = next(c for c in cells if fragment in c.source)
        return sum("image/png" in o.get("data", {}) for o in cell.outputs)

    assert images("quality_plots.traffic_light(") == len(tools)
    assert images("quality_plots.summary_bar(") == len(tools)
    assert images("quality_plots.ev_heatmap(") == 1
    text = "".join(o.get("text", "") for o in outputs(nb, "stream"))
    groups = text.count("\n")  # one line a comparable group
    assert images("quality_plots.forest(") == groups >= 1
    assert "not pooled" in text
    html = " ".join(mime_outputs(nb, "text/html"))
    overview = quality.summary(shipped)
    shown = overview[overview["rob_tool"].notna() | overview["ev_score"].notna()]["study"]
    assert "ev_not_extracted" in html and shown.iloc[0] in html and shown.iloc[-1] in html
    assert "extraction_level" in html
