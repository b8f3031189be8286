"""The CLI: list with the shared Filter, every format, and exit codes 0 / 1 / 2."""

from __future__ import annotations

import json

import openpyxl
import pytest

from exoreview.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_list_table(capsys, exhibit_dir):
    code, out, err = run(
        capsys, "list", "--evidence", str(exhibit_dir), "--cell-source", "MSC", "--species", "mouse"
    )
    assert code == 0
    assert "ex-2017-msc-mouse" in out and "ex-2019-adsc-mouse" in out
    assert out.strip().endswith("2 of 7 studies · MSC · mouse")


def test_list_json_resolves_synonyms(capsys, exhibit_dir):
    code, out, _ = run(
        capsys,
        "list",
        "--evidence",
        str(exhibit_dir),
        "--cell-source",
        "adipose-derived stem cells",
        "--format",
        "json",
    )
    data = json.loads(out)
    assert code == 0 and data["filter"] == "ADSC" and data["count"] == 2
    assert {r["key"] for r in data["studies"]} == {"ex-2019-adsc-mouse", "ex-2022-adsc-cm-rct"}


def test_list_csv_neutralises_formulas(capsys, exhibit_dir):
    code, out, _ = run(
        capsys,
        "list",
        "--evidence",
        str(exhibit_dir),
        "--year-from",
        "2020",
        "--year-to",
        "2020",
        "--format",
        "csv",
    )
    assert code == 0 and out.splitlines()[0].startswith("key,title,authors,journal,year")
    assert len(out.splitlines()) == 2


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".html"])
def test_list_out_writes_the_table(capsys, exhibit_dir, tmp_path, suffix):
    target = tmp_path / "exports" / f"msc{suffix}"
    code, _, err = run(
        capsys, "list", "--evidence", str(exhibit_dir), "--cell-source", "MSC", "--out", str(target)
    )
    assert code == 0 and target.is_file() and "5 studies" in err
    if suffix == ".xlsx":
        rows = list(openpyxl.load_workbook(target)["evidence"].values)
        assert len(rows) == 6
        titles = [r[1] for r in rows[1:]]
        assert any(t.startswith("Exhibit study: bone marrow") for t in titles)
    elif suffix == ".html":
        html = target.read_text(encoding="utf-8")
        assert "&lt;i&gt;in vivo&lt;/i&gt;" in html and "<i>in vivo</i>" not in html
        assert "MSC" in html and "<script" not in html
    else:
        assert target.read_text(encoding="utf-8-sig").count("\n") == 6


def test_out_refuses_the_evidence_folder(capsys, exhibit_dir):
    code, _, err = run(
        capsys, "list", "--evidence", str(exhibit_dir), "--out", str(exhibit_dir / "studies" / "x.csv")
    )
    assert code == 2 and "inside the evidence folder" in err
    assert not (exhibit_dir / "studies" / "x.csv").exists()


def test_unknown_term_exits_1_with_suggestion(capsys, exhibit_dir):
    code, out, err = run(capsys, "list", "--evidence", str(exhibit_dir), "--cell-source", "adipos")
    assert code == 1 and out == ""
    assert "did you mean 'ADSC'" in err and "Traceback" not in err


@pytest.mark.parametrize(
    "argv",
    [
        ["list", "--year-from", "soon"],
        ["list", "--format", "pdf"],
        ["list", "--no-such-option"],
        ["frobnicate"],
        [],
    ],
)
def test_usage_errors_exit_2(capsys, argv):
    with pytest.raises(SystemExit) as exc:
        main(argv) if argv else (_ for _ in ()).throw(SystemExit(main(argv)))
    assert exc.value.code == 2
    assert "Traceback" not in capsys.readouterr().err


def test_invalid_evidence_exits_1(capsys, make_evidence):
    from conftest import base_study

    root = make_evidence({"a-2021-x.yaml": base_study("a-2021-x", year=1900)})
    code, _, err = run(capsys, "list", "--evidence", str(root))
    assert code == 1 and "year 1900 is outside" in err and "nothing was written" in err
