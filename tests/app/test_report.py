"""The meeting report: one offline HTML (no remote scripts, styles or fonts), figures embedded and
written as PNG/SVG/PDF, code hidden, widgets replaced by their static state; nothing written on
failure; never inside evidence/."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import nbformat
import pytest
from conftest import NOTEBOOKS, base_study, locked_execute, snapshot
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from exoreview.app import report
from exoreview.app.notebook import NotebookError
from exoreview.cli import main
from exoreview.errors import UsageError

REMOTE = re.compile(
    r"<script[^>]*\bsrc\s*=\s*[\"']?\s*(https?:)?//|<link[^>]*\bhref\s*=\s*[\"']?\s*(https?:)?//"
    r"|\bsrc\s*=\s*[\"']?\s*https?:|@import\s+url\(\s*[\"']?(https?:)?//|@font-face",
    re.I,
)


def _write_nb(folder: Path, name: str, cells: list) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    nb = new_notebook(
        cells=cells,
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    )
    path = folder / name
    nbformat.write(nb, path)
    return path


TEMP_CELLS = [
    new_markdown_cell("# Temporary notebook\n\nSome **narrative** & <i>markup</i>."),
    new_code_cell('SECRET_CODE_MARKER = 41 + 1\nprint("stdout line", SECRET_CODE_MARKER)'),
    new_code_cell(
        "import ipywidgets as w\n"
        'box = w.VBox([w.HTML("<b>STATIC-WIDGET-VIEW</b>"), '
        'w.Checkbox(value=False, description="a box"), w.Button(description="PRESS-ME")])\n'
        "box"
    ),
    new_code_cell(
        "from IPython.display import HTML\n"
        'HTML(\'<script src="https://cdn.example.com/x.js"></script>'
        '<link rel="stylesheet" href="https://cdn.example.com/x.css"><p>KEPT-HTML</p>\')'
    ),
    new_code_cell("import matplotlib.pyplot as plt\nplt.plot([1, 2], [3, 4]);"),
    new_code_cell("box.children[1].value = True  # the report shows the state at the end of the run"),
    new_markdown_cell("SKIPPED-NARRATIVE", metadata={"tags": ["report-skip"]}),
    new_code_cell('print("SKIPPED-OUTPUT")', metadata={"tags": ["report-skip"]}),
]


@pytest.fixture(scope="module")
def small_report(tmp_path_factory, exhibit_dir):
    tmp = tmp_path_factory.mktemp("report")
    _write_nb(tmp / "nbs", "a_temp.ipynb", TEMP_CELLS)
    result = report.build(
        evidence=exhibit_dir,
        out=tmp / "out",
        notebooks=tmp / "nbs",
        progress=False,
        timeout=60,
        executor=locked_execute,
        figures=FEW,
    )
    return result, result.index.read_text(encoding="utf-8")


FEW = report.REPORT_FIGURES[:2]  # the full set is drawn by the CLI and shipped-evidence tests


def test_small_report_is_one_offline_file_with_figures(small_report):
    result, page = small_report
    assert result.notebooks == ("a_temp.ipynb",)
    assert not REMOTE.search(page), REMOTE.search(page)
    assert page.count('src="data:image/png;base64,') == len(FEW) + 1  # report figures + the notebook's
    files = sorted(p.name for p in (result.index.parent / "figures").iterdir())
    assert files == sorted(f"{name}.{ext}" for name, _, _ in FEW for ext in ("png", "svg", "pdf"))
    for name, _, _ in FEW:
        assert f'href="figures/{name}.svg"' in page


def test_code_hidden_narrative_and_outputs_kept(small_report):
    _, page = small_report
    assert "SECRET_CODE_MARKER" not in page and "import ipywidgets" not in page
    assert "stdout line 42" in page
    assert "<strong>narrative</strong>" in page
    assert "KEPT-HTML" in page and "cdn.example.com" not in page


def test_cells_tagged_report_skip_are_left_out(small_report):
    """A notebook's copy of what the report already shows (the dashboard's summary of findings)."""
    _, page = small_report
    assert "SKIPPED-NARRATIVE" not in page and "SKIPPED-OUTPUT" not in page
    assert "stdout line 42" in page  # untagged cells of the same notebook are kept


def test_widgets_become_their_static_state(small_report):
    _, page = small_report
    assert "<b>STATIC-WIDGET-VIEW</b>" in page
    assert re.search(r'class="w-label">a box</span>\s*yes', page), "the checkbox's final state"
    assert "PRESS-ME" not in page


def test_tables_in_the_report_are_escaped_and_sortable(small_report, exhibit):
    _, page = small_report
    assert page.count('class="exoreview-table"') >= 2  # evidence table + regulatory panel
    assert "onclick=" in page
    assert "Evidence table · all studies · 7 studies" in page


def test_failing_notebooks_are_all_named_and_nothing_is_written(tmp_path, exhibit_dir):
    for name in ("a_ok.ipynb", "b_bad.ipynb", "c_bad.ipynb"):
        _write_nb(tmp_path / "nbs", name, [new_code_cell("x = 1")])
    ran = []

    def executor(path, *, timeout, env):
        ran.append(path.name)
        assert timeout == 60 and env["EXOREVIEW_EVIDENCE"] == str(exhibit_dir.resolve())
        if "bad" in path.name:
            raise NotebookError(f"{path.name}: a cell failed:\nValueError: boom in {path.stem}")
        return nbformat.read(path, as_version=4)

    with pytest.raises(report.ReportError) as info:
        report.build(
            evidence=exhibit_dir,
            out=tmp_path / "out",
            notebooks=tmp_path / "nbs",
            progress=False,
            timeout=60,
            executor=executor,
            figures=FEW,
        )
    assert ran == ["a_ok.ipynb", "b_bad.ipynb", "c_bad.ipynb"]  # every notebook runs, in order
    msg = str(info.value)
    assert msg.startswith("2 of 3 notebooks failed; nothing was written")
    assert "boom in b_bad" in msg and "boom in c_bad" in msg
    assert not (tmp_path / "out").exists()


@pytest.mark.notebook
def test_a_real_cell_failure_is_reported(tmp_path, exhibit_dir):
    _write_nb(tmp_path / "nbs", "bad.ipynb", [new_code_cell("raise ValueError('boom in cell')")])
    with pytest.raises(report.ReportError, match="boom in cell"):
        report.build(
            evidence=exhibit_dir,
            out=tmp_path / "out",
            notebooks=tmp_path / "nbs",
            progress=False,
            timeout=60,
            executor=locked_execute,
            figures=(),
        )
    assert not (tmp_path / "out").exists()


def test_never_inside_the_evidence_folder(exhibit_dir, tmp_path):
    before = snapshot(exhibit_dir)
    with pytest.raises(UsageError, match="evidence folder"):
        report.build(evidence=exhibit_dir, out=exhibit_dir / "reports", notebooks=None, progress=False)
    assert snapshot(exhibit_dir) == before


def test_strip_remote_keeps_local_and_links():
    frag = (
        '<script src="//cdn.x/a.js"></script><script>var a=1</script>'
        '<link href="https://f.x/font.css" rel="stylesheet"><a href="https://doi.org/10.1/x">doi</a>'
        "<style>@import url('https://f.x/y.css');p{}</style>"
    )
    out = report.strip_remote(frag)
    assert "cdn.x" not in out and "f.x" not in out
    assert "<script>var a=1</script>" in out and 'href="https://doi.org/10.1/x"' in out


def test_cli_report_without_notebooks(tmp_path, exhibit_dir, capsys):
    (tmp_path / "empty").mkdir()
    code = main(
        [
            "report",
            "--evidence",
            str(exhibit_dir),
            "--out",
            str(tmp_path / "r"),
            "--notebooks",
            str(tmp_path / "empty"),
            "--no-progress",
        ]
    )
    assert code == 0
    assert "wrote" in capsys.readouterr().out
    page = (tmp_path / "r" / "index.html").read_text(encoding="utf-8")
    assert "No notebooks found" in page
    assert "search: no search logged" in page  # the exhibit has no search log
    assert len(list((tmp_path / "r" / "figures").glob("*.pdf"))) == len(report.REPORT_FIGURES)


def test_cli_report_on_invalid_evidence_writes_nothing(tmp_path, make_evidence, capsys):
    root = make_evidence({"bad.yaml": base_study("bad", cell_source=["adipose stem cell"])})
    code = main(
        [
            "report",
            "--evidence",
            str(root),
            "--out",
            str(tmp_path / "r"),
            "--notebooks",
            str(tmp_path),
            "--no-progress",
        ]
    )
    err = capsys.readouterr().err
    assert code == 1
    assert "bad.yaml" in err and "cell_source" in err and "Traceback" not in err
    assert not (tmp_path / "r").exists()


@pytest.mark.parametrize(
    "args, message",
    [(["--timeout", "0"], "--timeout"), (["--notebooks", "/no/such/folder"], "no such notebooks folder")],
)
def test_cli_report_usage_errors(tmp_path, exhibit_dir, capsys, args, message):
    code = main(
        ["report", "--evidence", str(exhibit_dir), "--out", str(tmp_path / "r"), "--no-progress", *args]
    )
    assert code == 2
    assert message in capsys.readouterr().err


@pytest.mark.notebook
def test_report_on_the_shipped_evidence_and_review_notebooks(tmp_path, shipped, run_notebook):
    """The review notebooks (01–03) as executed by run_notebook, rendered into the report."""
    nbs = tmp_path / "nbs"
    nbs.mkdir()
    for name in ("01_review_dashboard.ipynb", "02_timeline_and_history.ipynb", "03_mode_of_action.ipynb"):
        shutil.copy(NOTEBOOKS / name, nbs / name)
    result = report.build(
        out=tmp_path / "reports",
        notebooks=nbs,
        progress=False,
        executor=lambda path, timeout, env: run_notebook(path.name),
    )
    page = result.index.read_text(encoding="utf-8")
    assert not REMOTE.search(page)
    assert len(result.figures) == 3 * len(report.REPORT_FIGURES) >= 18
    assert page.count('src="data:image/png;base64,') >= len(report.REPORT_FIGURES) + 5
    # the dashboard is shown as its final state: every study, the table and both figures
    n = len(shipped.studies)
    assert f'<span class="exoreview-count"><b>{n}</b> of {n} studies · all studies</span>' in page
    dashboard = page.split('class="w-column exoreview-dashboard"', 1)[1]
    assert "exoreview-table" in dashboard and 'src="data:image/png;base64,' in dashboard
    assert "import exoreview" not in page and "Dashboard(ev)" not in page
    for heading in ("Review dashboard", "Timeline and history", "Mode of action"):
        assert f">{heading}</a>" in page
    assert re.search(r"search: \d+ search sessions \(2026-12-05\), \d+ queries", page)
