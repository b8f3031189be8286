"""notebooks/05_screening.ipynb executed headless on a prepared screening log."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import nbformat
import pytest
from conftest import EVIDENCE, EXHIBIT, NOTEBOOKS

from exoreview.app.notebook import mime_outputs, outputs
from exoreview.screening.decisions import decide
from exoreview.screening.importer import import_records

DATA = Path(__file__).resolve().parents[1] / "data" / "imports"


def test_notebook_is_committed_without_outputs():
    nb = nbformat.read(NOTEBOOKS / "05_screening.ipynb", as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(c.outputs == [] and c.execution_count is None for c in code)
    assert all(len(c.source.splitlines()) <= 8 for c in code)  # thin: calls into exoreview


@pytest.mark.notebook
def test_screening_notebook_shows_import_conflicts_kappa_and_prisma(run_notebook, tmp_path, monkeypatch):
    root = tmp_path / "evidence"
    shutil.copytree(EXHIBIT, root)
    shutil.copy(EVIDENCE / "vocabulary.yaml", root)
    shutil.copy(EVIDENCE / "schema.yaml", root)
    import_records([DATA / "pubmed-search.nbib"], evidence=root).save()
    decide(root, ["R0001", "R0002", "R0003"], stage="ta", decision="include", reviewer="AB")
    decide(root, ["R0004", "R0005"], stage="ta", decision="exclude", reason="not-hair", reviewer="AB")
    decide(root, ["R0001", "R0002", "R0004", "R0005"], stage="ta", decision="include", reviewer="CD")
    decide(root, ["R0003"], stage="ta", decision="exclude", reason="no-data", reviewer="CD")
    decide(root, ["R0001"], stage="ft", decision="include", reviewer="AB")
    monkeypatch.setenv("EXOREVIEW_EXPORTS", str(DATA / "embase-search.ris"))
    nb = run_notebook("05_screening.ipynb", evidence=root)

    html = "\n".join("".join(h) if isinstance(h, list) else h for h in mime_outputs(nb, "text/html"))
    assert "7 read · 7 parsed · 3 duplicates · 0 already in the evidence · 4 new" in html  # preview
    assert "R0001" in html and "same DOI" in html
    assert "mouse ← mice" in html  # suggested tags
    text = "".join(o.get("text", "") for o in outputs(nb, "stream"))
    assert "title-abstract: AB vs CD, 5 records, agreement 40%" in text
    assert re.search(r"records screened: 5\n", text) and "new studies included: 1" in text
    assert "awaiting a title/abstract decision: 3" in text  # the three conflicts
    # every study of the evidence placed; R0001's study file is not written yet, and the check says so
    assert "identified via other methods" in text and "total studies in the review" in text
    assert "Search: no search logged" in text  # the exhibit has no search log
    assert "check: R0001: included at full text, but no study file names it as its screening_record" in text
    assert len(mime_outputs(nb, "image/png")) == 1
    # conflicts table lists both reviewers' votes for the three records
    conflict_html = next(h for h in mime_outputs(nb, "text/html") if "reviewer" in "".join(h))
    assert all(r in "".join(conflict_html) for r in ("R0003", "R0004", "R0005"))
