"""The summary of findings: one row a claim, certainty symbols that say the assessment's certainty,
numbered footnotes holding each shortened reason whole, plain column names, escaped HTML, and the
exports (HTML, CSV, XLSX, PNG / SVG / PDF) through the CLI."""

from __future__ import annotations

import io
import re

import openpyxl
import pandas as pd
import pytest
from conftest import base_study

from exoreview.appraisal import grading_rules
from exoreview.appraisal.grade import assess_all
from exoreview.cli import main
from exoreview.errors import UsageError
from exoreview.views import sof
from exoreview.views.export import SOF_FORMATS, sof_bytes, write_sof

INTERNAL = re.compile(r"^[a-z]+(_[a-z]+)+$")  # snake_case names such as carried_by, certainty_of


@pytest.fixture(scope="module")
def shipped_sof(shipped):
    return sof.sof_table(shipped), {a.claim.key: a for a in assess_all(shipped)}


def _footnotes(table: pd.DataFrame) -> list[tuple[int, str]]:
    out = []
    for text in table["Footnotes"]:
        for line in str(text).splitlines():
            m = re.match(r"\[(\d+)\] (.+)", line)
            assert m, line
            out.append((int(m.group(1)), m.group(2)))
    return out


def test_one_row_a_claim_with_the_statement_in_full(shipped, shipped_sof):
    table, graded = shipped_sof
    assert list(table["Key"]) == sorted(shipped.claim_records)
    for _, row in table.iterrows():
        assert row["Claim"] == graded[row["Key"]].claim.statement
        assert row["Verdict"] == sof.VERDICT_WORDS[graded[row["Key"]].verdict]


def test_certainty_symbols_match_the_assessment(shipped_sof):
    table, graded = shipped_sof
    for _, row in table.iterrows():
        a = graded[row["Key"]]
        if a.certainty is None:
            assert row["Certainty"] == "none"
            continue
        symbols = row["Certainty"].split(" ", 1)[0]
        filled = grading_rules.CERTAINTY_LEVELS.index(a.certainty) + 1
        assert symbols == "⊕" * filled + "◯" * (4 - filled), row["Key"]
        assert a.certainty in row["Certainty"]
        assert ("at most" in row["Certainty"]) == a.bounded


def test_footnotes_numbered_in_order_and_each_reason_marked(shipped_sof):
    table, graded = shipped_sof
    notes = _footnotes(table)
    assert [n for n, _ in notes] == list(range(1, len(notes) + 1))
    for _, row in table.iterrows():
        marks = [int(m) for m in re.findall(r"\[(\d+)\]", row["Reasons"])]
        own = [int(m) for m in re.findall(r"^\[(\d+)\]", row["Footnotes"], re.M)]
        assert marks == own and marks, row["Key"]
        a = graded[row["Key"]]
        full = " ".join(row["Footnotes"].split())
        # every domain rated down is named, and its reason is in the footnote whole
        if a.verdict not in ("contradicted", "misattributed", "no-evidence"):
            for d in a.domains:
                if d.change < 0:
                    assert f"{d.name.replace('_', ' ')}, {d.rating}" in row["Reasons"]
                    assert " ".join(d.reason.split()) in full


def test_shortened_reasons_are_short_and_cut_honestly(shipped_sof):
    table, _ = shipped_sof
    for text in table["Reasons"]:
        for item in re.split(r"(?<=\]);\s+", text):
            gist = item.rsplit(" [", 1)[0].split(": ", 1)[-1]
            assert len(gist) <= sof.GIST_CHARS + 2, gist
            assert gist.count("(") == gist.count(")"), gist


def test_no_internal_field_names(shipped_sof):
    table, _ = shipped_sof
    assert not [c for c in table.columns if INTERNAL.match(c)]
    text = " ".join(table.drop(columns=["Key", "Footnotes"]).astype(str).agg(" ".join, axis=1))
    for name in (
        "risk_of_bias",
        "publication_bias",
        "carried_by",
        "certainty_of",
        "very-uncertain",
        "no-evidence",
    ):
        assert name not in text
    html = sof.sof_html(table)
    assert "<th>Key</th>" not in html and "Footnotes</th>" not in html


def test_html_is_one_table_with_chips_footnotes_and_no_index(shipped_sof):
    table, graded = shipped_sof
    html = sof.sof_html(table)
    assert html.count('<table class="exoreview-sof"') == 1
    assert len(re.findall(r"<tr data-claim=", html)) == len(table)
    # a chip always carries its words (never colour alone), in a colour with readable text
    for key, a in graded.items():
        row = re.search(rf'<tr data-claim="{re.escape(key)}" data-verdict="([^"]+)">.*?</tr>', html)
        assert row and row.group(1) == a.verdict
        assert f">{sof.VERDICT_WORDS[a.verdict]}</span>" in row.group(0)
    assert len(re.findall(r'<li id="sof-note-\d+"', html)) == len(_footnotes(table))
    assert "sof-note" not in sof.sof_html(table, footnotes=False).split("</table>")[1]
    assert "table-layout:fixed" in html and "overflow-wrap:break-word" in html


def _claim(key, statement, **scope):
    return {"key": key, "statement": statement, "scope": scope, "made_in": {"source": "reviewer question"}}


def _series(key, n):
    return base_study(
        key,
        design=["case series"],
        condition=["MPHL"],
        n_participants=n,
        models=[{"model": "clinical", "species": "human", "detail": "men"}],
        outcomes=[
            {"outcome": "hair density", "measure": "hair density from baseline", "direction": "increased"}
        ],
    )


def test_constructed_evidence(make_evidence):
    import exoreview as xr

    root = make_evidence(
        studies={f"s-202{i}-b.yaml": _series(f"s-202{i}-b", 12) for i in range(2)},
        claims={
            "men.yaml": _claim(
                "men",
                'Exosome injections <b>"increase"</b> hair density in men with AGA.',
                condition=["MPHL"],
                species=["human"],
                vesicle_term=["exosome"],
                outcome=["hair density"],
            ),
            "te.yaml": _claim(
                "te", "Exosomes treat telogen effluvium.", condition=["telogen effluvium"], species=["human"]
            ),
        },
    )
    ev = xr.load(root)
    table = sof.sof_table(ev)
    assert list(table["Key"]) == ["men", "te"]
    men, te = (table.iloc[i] for i in range(2))
    assert men["Certainty"].startswith("⊕◯◯◯ very low")
    assert men["Studies"] == "2 supporting" and men["Participants / animals"] == "24 participants"
    assert men["Carried by"] == "uncontrolled human studies (2 studies)"
    assert "risk of bias, very serious: 2 of 2 studies at high risk" in men["Reasons"]
    assert te["Certainty"] == "none" and te["Verdict"] == "no study with results" and te["Studies"] == "none"
    # one claim, by key; the statement is escaped in HTML
    only = sof.sof_table(ev, claims=["te"])
    assert list(only["Key"]) == ["te"] and only["Reasons"].iloc[0].endswith("[1]")
    html = sof.sof_html(table)
    assert "<b>" not in html and "&lt;b&gt;&quot;increase&quot;&lt;/b&gt;" in html


def test_exports(shipped_sof, tmp_path):
    table, _ = shipped_sof
    csv = pd.read_csv(io.BytesIO(sof_bytes(table, "csv")), encoding="utf-8-sig")
    assert list(csv.columns) == list(sof.COLUMNS) and len(csv) == len(table)
    assert list(csv["Certainty"]) == list(table["Certainty"])
    sheet = openpyxl.load_workbook(io.BytesIO(sof_bytes(table, "xlsx")))["summary of findings"]
    assert [c.value for c in sheet[1]] == list(sof.COLUMNS) and sheet.max_row == len(table) + 1
    page = sof_bytes(table, "html").decode()
    assert page.startswith("<!DOCTYPE html>") and 'class="exoreview-sof"' in page
    assert sof_bytes(table, "png").startswith(b"\x89PNG")
    assert sof_bytes(table, "pdf").startswith(b"%PDF")
    svg = sof_bytes(table, "svg").decode()
    assert table["Claim"].iloc[0].split()[0] in svg  # text kept as text
    with pytest.raises(UsageError, match="unknown summary-of-findings format"):
        write_sof(table, tmp_path / "sof.txt")
    assert not (tmp_path / "sof.txt").exists()


def test_cli_grade_sof(tmp_path, capsys):
    from conftest import EVIDENCE

    for ext in SOF_FORMATS:
        out = tmp_path / f"sof{ext}"
        assert main(["grade", "--evidence", str(EVIDENCE), "--format", "json", "--sof", str(out)]) == 0
        err = capsys.readouterr().err
        assert out.stat().st_size > 0 and "wrote" in err and out.name in err
    assert main(["grade", "--evidence", str(EVIDENCE), "--sof", str(tmp_path / "x.docx")]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "--sof" in err and ".xlsx" in err
    assert not (tmp_path / "x.docx").exists()
