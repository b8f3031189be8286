"""Validation catches every class of bad input, names file, line and field, and writes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml
from conftest import base_study, snapshot

import exoreview as xr
from exoreview.cli import main


def dump(rec: dict) -> str:
    return yaml.safe_dump(rec, sort_keys=False, allow_unicode=True)


def problems_of(root):
    report = xr.validate(root)
    return report, [(p.path.split("/")[-1], p.line, p.field, p.code, p.message) for p in report.problems]


def test_valid_folder_passes(make_evidence):
    root = make_evidence({"doe-2021-adsc-exos.yaml": base_study()})
    report = xr.validate(root)
    assert report.ok, report.problems
    assert report.summary() == "1 study, 1 outcome, 0 regulatory records: valid; 1 incomplete citation"


FULL_TEXT = {"level": "full text", "source": "https://example.org/full", "date": "2026-12-05"}


def with_arms(arms: list[dict], **fields) -> dict:
    """A valid study whose one outcome carries per-arm numbers `arms`."""
    outcome = {
        "outcome": "cell proliferation",
        "measure": "DP proliferation",
        "direction": "increased",
        "effect": {"unit": "OD", "source": "Table 2", "arms": arms},
    }
    return base_study(outcomes=[outcome], **fields)


CASES = [
    # (label, file text, expected code, expected field, where: a line number or the text of the
    #  line the problem must point at, message fragment)
    ("yaml syntax", "key: a\ntitle: [unclosed\n", "yaml-syntax", "", 3, "YAML syntax error"),
    ("empty file", "", "empty-file", "", 1, "empty"),
    ("comments only", "# nothing here\n", "empty-file", "", 1, "empty"),
    ("not a mapping", "- a\n- b\n", "not-mapping", "", 1, "expected a mapping"),
    (
        "unknown field",
        dump(base_study(titel="x")),
        "unknown-field",
        "titel",
        "titel:",
        "did you mean 'title'",
    ),
    (
        "missing field",
        dump({k: v for k, v in base_study().items() if k != "journal"}),
        "missing-field",
        "",
        1,
        "'journal' is missing",
    ),
    ("wrong type", dump(base_study(authors="Doe J")), "wrong-type", "authors", "authors:", "expected a list"),
    (
        "unknown term",
        dump(base_study(cell_source=["adipose stem cell"])),
        "unknown-term",
        "cell_source[0]",
        "- adipose stem cell",
        "did you mean 'ADSC'",
    ),
    (
        "nested unknown term",
        dump(base_study(outcomes=[{"outcome": "hair densty", "measure": "m", "direction": "increased"}])),
        "unknown-term",
        "outcomes[0].outcome",
        "outcome: hair densty",
        "did you mean 'hair density'",
    ),
    (
        "bad choice",
        dump(base_study(confidence="very high")),
        "bad-choice",
        "confidence",
        "confidence:",
        "allowed",
    ),
    ("year too early", dump(base_study(year=1975)), "bad-year", "year", "year:", "outside 1980"),
    (
        "year in future",
        dump(base_study(year=dt.date.today().year + 1)),
        "bad-year",
        "year",
        "year:",
        "outside",
    ),
    ("year as text", dump(base_study(year="2021")), "bad-year", "year", "year:", "without quotes"),
    ("year not integer", dump(base_study(year=2021.5)), "bad-year", "year", "year:", "whole number"),
    ("malformed doi", dump(base_study(doi="doi 10.1/x")), "bad-doi", "doi", "doi:", "not a DOI"),
    ("malformed pmid", dump(base_study(pmid="PMID12ab")), "bad-pmid", "pmid", "pmid:", "PMID"),
    (
        "bad url",
        dump(base_study(verified_at=["www.example.org"])),
        "bad-url",
        "verified_at[0]",
        "- www.example.org",
        "http",
    ),
    (
        "no verified_at",
        dump(base_study(verified_at=[])),
        "too-few",
        "verified_at",
        "verified_at:",
        "at least 1",
    ),
    (
        "not reported from an abstract",
        dump(base_study(not_reported=["dose"])),
        "not-reported-unseen",
        "not_reported[0]",
        "- dose",
        "only a full text",
    ),
    (
        "not reported but given",
        dump(base_study(extraction=FULL_TEXT, not_reported=["dose"], dose="10 µg")),
        "not-reported-but-given",
        "not_reported[0]",
        "- dose",
        "remove one",
    ),
    (
        "arm of zero",
        dump(with_arms([{"label": "EV", "role": "intervention", "n": 0, "mean": 1.0, "sd": 0.1}])),
        "arm-n-zero",
        "outcomes[0].effect.arms[0].n",
        "n: 0",
        "cannot have results",
    ),
    (
        "negative sd",
        dump(with_arms([{"label": "EV", "role": "intervention", "n": 5, "mean": 1.0, "sd": -0.1}])),
        "arm-negative-spread",
        "outcomes[0].effect.arms[0].sd",
        "sd: -0.1",
        "negative",
    ),
    (
        "ci without its mean",
        dump(
            with_arms(
                [{"label": "EV", "role": "intervention", "n": 5, "mean": 3.0, "ci_low": 1.0, "ci_high": 2.0}]
            )
        ),
        "arm-ci-excludes-mean",
        "outcomes[0].effect.arms[0].mean",
        "mean: 3.0",
        "outside its confidence interval",
    ),
    (
        "ci reversed",
        dump(
            with_arms(
                [{"label": "EV", "role": "intervention", "n": 5, "mean": 1.5, "ci_low": 2.0, "ci_high": 1.0}]
            )
        ),
        "arm-ci-order",
        "outcomes[0].effect.arms[0].ci_low",
        "ci_low: 2.0",
        "swap",
    ),
    (
        "median outside quartiles",
        dump(
            with_arms([{"label": "EV", "role": "intervention", "n": 5, "median": 9.0, "q1": 1.0, "q3": 2.0}])
        ),
        "arm-median-outside-iqr",
        "outcomes[0].effect.arms[0].median",
        "median: 9.0",
        "quartiles",
    ),
    (
        "arms above study n",
        dump(
            with_arms(
                [
                    {"label": "EV", "role": "intervention", "n": 6, "mean": 1.0, "sd": 0.1},
                    {"label": "PBS", "role": "control", "n": 6, "mean": 0.5, "sd": 0.1},
                ],
                n_animals=10,
            )
        ),
        "arms-exceed-study-n",
        "outcomes[0].effect.arms",
        "arms:",
        "add up to 12",
    ),
    (
        "two control arms",
        dump(
            with_arms(
                [
                    {"label": "PBS", "role": "control", "n": 5, "mean": 1.0, "sd": 0.1},
                    {"label": "minoxidil", "role": "control", "n": 5, "mean": 0.5, "sd": 0.1},
                ]
            )
        ),
        "arms-two-controls",
        "outcomes[0].effect.arms[1]",
        "- label: minoxidil",
        "active comparator",
    ),
    (
        "duplicate field",
        "key: doe-2021-adsc-exos\nkey: doe-2021-adsc-exos\n"
        + dump({k: v for k, v in base_study().items() if k != "key"}),
        "duplicate-field",
        "key",
        2,
        "appears twice",
    ),
]


@pytest.mark.parametrize("label, text, code, field, where, fragment", CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_named_by_file_line_field(make_evidence, label, text, code, field, where, fragment):
    root = make_evidence({"doe-2021-adsc-exos.yaml": text})
    report, found = problems_of(root)
    assert not report.ok
    match = [f for f in found if f[3] == code]
    assert match, found
    name, got_line, got_field, _, message = match[0]
    assert name == "doe-2021-adsc-exos.yaml"
    assert got_field == field
    if isinstance(where, str):
        where = next(
            i for i, ln in enumerate(text.splitlines(), 1) if ln.lstrip("- ").startswith(where.lstrip("- "))
        )
    assert got_line == where
    assert fragment in message


def test_not_utf8_names_the_line(make_evidence):
    text = dump(base_study()).encode("utf-8").replace(b"Journal of Examples", b"Journal \xe9 Examples")
    report, found = problems_of(make_evidence({"doe-2021-adsc-exos.yaml": text}))
    line = next(i for i, ln in enumerate(text.splitlines(), 1) if b"\xe9" in ln)
    assert [(f[1], f[3]) for f in found] == [(line, "not-utf8")]
    assert "save the file as UTF-8" in found[0][4]


def test_binary_file_is_refused(make_evidence):
    report, found = problems_of(make_evidence({"doe-2021-adsc-exos.yaml": b"\x00\x01\x02binary"}))
    assert found and found[0][3] == "binary"


def test_duplicates_across_files(make_evidence):
    a = base_study("a-2021-x", doi="10.1000/same", pmid="123")
    b = base_study("b-2021-x", doi="10.1000/SAME", pmid="123")
    c = base_study("a-2021-x")  # same key in a file named otherwise
    report, found = problems_of(make_evidence({"a-2021-x.yaml": a, "b-2021-x.yaml": b, "c-2021-x.yaml": c}))
    codes = sorted(f[3] for f in found)
    assert codes == ["duplicate-doi", "duplicate-key", "duplicate-pmid", "key-mismatch"]
    dup = next(f for f in found if f[3] == "duplicate-doi")
    assert dup[0] == "b-2021-x.yaml" and "a-2021-x.yaml" in dup[4]


def test_dangling_reference_is_caught(make_evidence):
    rec = base_study(related=[{"study": "doe-2012-adsc-exos", "relation": "same group"}])
    report, found = problems_of(make_evidence({"doe-2021-adsc-exos.yaml": rec}))
    assert [f[3] for f in found] == ["dangling-reference"]
    assert found[0][2] == "related[0].study"
    assert "did you mean 'doe-2021-adsc-exos'" in found[0][4]


def test_markup_and_formula_text_in_a_title_is_legal(make_evidence):
    rec = base_study(title='<script>alert(1)</script> =HYPERLINK("x") @cmd -1+2')
    assert xr.validate(make_evidence({"doe-2021-adsc-exos.yaml": rec})).ok


def test_every_problem_in_every_file_is_reported_at_once(make_evidence):
    files = {
        "a-2021-x.yaml": base_study("a-2021-x", year=1900, doi="nope"),
        "b-2021-x.yaml": "title: [broken\n",
        "c-2021-x.yaml": base_study("c-2021-x", cell_source=["unicorn cells"]),
        "d-2021-x.yaml": "",
    }
    report, found = problems_of(make_evidence(files))
    assert {f[0] for f in found} == set(files)
    assert len(found) >= 5
    assert "problems in 4 files" in report.summary()


def test_validation_writes_nothing(make_evidence):
    root = make_evidence(
        {"a-2021-x.yaml": base_study("a-2021-x", year=1900), "b-2021-x.yaml": base_study("b-2021-x")}
    )
    before = snapshot(root.parent)
    xr.validate(root)
    main(["validate", str(root)])
    assert snapshot(root.parent) == before


def test_load_raises_one_error_with_every_problem(make_evidence):
    root = make_evidence({"a-2021-x.yaml": base_study("a-2021-x", year=1900, pmid="x")})
    with pytest.raises(xr.ValidationError) as err:
        xr.load(root)
    assert len(err.value.problems) == 2
    line = dump(base_study("a-2021-x")).splitlines().index("year: 2021") + 1
    assert f"a-2021-x.yaml:{line}: year:" in str(err.value)


def test_broken_schema_or_vocabulary_is_reported(make_evidence):
    root = make_evidence({"a-2021-x.yaml": base_study("a-2021-x")})
    (root / "schema.yaml").write_text("study:\n  fields:\n    key: {type: colour}\n")
    report, found = problems_of(root)
    assert found and found[0][0] == "schema.yaml" and "unknown type 'colour'" in found[0][4]
    (root / "schema.yaml").unlink()
    assert any("cannot read" in p.message for p in xr.validate(root).problems)


def test_cli_prints_every_problem_and_exits_1(make_evidence, capsys):
    root = make_evidence({"a-2021-x.yaml": base_study("a-2021-x", year=1900, cell_source=["adipose"])})
    assert main(["validate", str(root)]) == 1
    err = capsys.readouterr().err
    lines = [ln for ln in err.splitlines() if "a-2021-x.yaml:" in ln]
    assert len(lines) == 2
    assert lines[0].endswith("year: year 1900 is outside 1980–" + str(dt.date.today().year))
    assert "cell_source[0]: 'adipose' is not a known cell_source term" in err
    assert "Traceback" not in err


def test_cli_missing_folder_exits_1(tmp_path, capsys):
    assert main(["validate", str(tmp_path / "nowhere")]) == 1
    assert "no such evidence folder" in capsys.readouterr().err


def test_shipped_evidence_validates(capsys):
    from conftest import EVIDENCE

    assert main(["validate", str(EVIDENCE)]) == 0
    out = capsys.readouterr().out
    assert "studies" in out and ": valid;" in out


def test_paired_arms_may_each_hold_the_whole_study(make_evidence):
    """Split-scalp arms are the same people: each arm may have the study's n, not their sum."""
    arms = [
        {"label": "exosome side", "role": "intervention", "n": 10, "mean": 5.0, "sd": 1.0},
        {"label": "saline side", "role": "control", "n": 10, "mean": 1.0, "sd": 1.0},
    ]
    rec = with_arms(arms, n_animals=10)
    rec["outcomes"][0]["effect"]["paired"] = True
    report = xr.validate(make_evidence({"doe-2021-adsc-exos.yaml": rec}))
    assert report.ok, report.problems
    rec["outcomes"][0]["effect"]["paired"] = False
    codes = {p.code for p in xr.validate(make_evidence({"doe-2021-adsc-exos.yaml": rec})).problems}
    assert codes == {"arms-exceed-study-n"}
