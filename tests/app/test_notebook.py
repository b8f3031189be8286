"""The headless notebook runner used by the tests and the meeting report."""

from __future__ import annotations

import nbformat
import pytest
from conftest import EVIDENCE

from exoreview.app.notebook import NotebookError, execute, mime_outputs, outputs


def _write(path, *sources):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(s) for s in sources]
    nbformat.write(nb, path)
    return path


@pytest.mark.notebook
def test_execute_runs_cells_with_the_evidence_from_env(tmp_path):
    path = _write(
        tmp_path / "nb.ipynb",
        "import exoreview as xr\nev = xr.load()\nprint(len(ev.studies))",
        "from IPython.display import HTML\nHTML('<b>ok</b>')",
    )
    nb = execute(path, timeout=120, env={"EXOREVIEW_EVIDENCE": str(EVIDENCE)})
    streams = "".join(o.get("text", "") for o in outputs(nb, "stream"))
    assert streams.strip() == str(len(list((EVIDENCE / "studies").glob("*.yaml"))))
    assert mime_outputs(nb, "text/html") == ["<b>ok</b>"]
    assert nbformat.read(path, as_version=4).cells[0].outputs == []  # the file is not touched


@pytest.mark.notebook
def test_a_failing_cell_names_the_notebook(tmp_path):
    path = _write(tmp_path / "broken.ipynb", "1 / 0")
    with pytest.raises(NotebookError, match="broken.ipynb: a cell failed") as err:
        execute(path, timeout=60)
    assert "ZeroDivisionError" in str(err.value) and "\x1b[" not in str(err.value)


@pytest.mark.notebook
def test_styled_figures_keep_showing_in_later_cells(tmp_path):
    """style.new_axes uses rc_context; it must not switch off inline figures for later cells."""
    path = _write(
        tmp_path / "figs.ipynb",
        "from exoreview.views import style\nax = style.new_axes()\nax.plot([1, 2])",
        "import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\nax.plot([2, 1])",
        "ax = style.new_axes()\nax.plot([1, 3])",
    )
    nb = execute(path, timeout=120)
    shown = [sum("image/png" in o.get("data", {}) for o in c.outputs) for c in nb.cells]
    assert shown == [1, 1, 1]
