"""The screening log: format checks, decision rules, conflicts, kappa, study drafts, `exoreview screen`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml
from conftest import EVIDENCE, EXHIBIT, snapshot

from exoreview.cli import main
from exoreview.core.validate import validate
from exoreview.errors import EvidenceError, UsageError
from exoreview.screening.decisions import decide
from exoreview.screening.drafts import make_study, study_key
from exoreview.screening.importer import import_records
from exoreview.screening.log import read_log
from exoreview.screening.rules import DECISION_COLUMNS, Final, final_decision, stage_name

DATA = Path(__file__).resolve().parents[1] / "data" / "imports"


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def ev(tmp_path) -> Path:
    """Exhibit evidence plus one import of the overlapping MEDLINE and RIS fixtures (R0001–R0012)."""
    root = tmp_path / "evidence"
    shutil.copytree(EXHIBIT, root)
    shutil.copy(EVIDENCE / "vocabulary.yaml", root)
    shutil.copy(EVIDENCE / "schema.yaml", root)
    import_records([DATA / "pubmed-search.nbib", DATA / "embase-search.ris"], evidence=root).save()
    return root


def rows(*specs):
    return pd.DataFrame([dict(zip(DECISION_COLUMNS, s)) for s in specs], columns=list(DECISION_COLUMNS))


def v(reviewer, decision, *, final="", of="", reason=""):
    return ("R1", "title-abstract", decision, reason, of, reviewer, "2025-01-01", final, "")


@pytest.mark.parametrize(
    "decisions, expected",
    [
        ([], Final()),
        ([v("A", "include")], Final("include")),
        ([v("A", "include"), v("B", "include")], Final("include")),
        ([v("A", "include"), v("B", "exclude")], Final(None, True)),
        ([v("A", "include"), v("B", "maybe")], Final("maybe")),  # both send it on
        ([v("A", "exclude"), v("A", "include")], Final("include")),  # a reviewer's latest counts
        (
            [v("A", "include"), v("B", "exclude"), v("C", "exclude", final="yes", reason="not-hair")],
            Final("exclude", False, "not-hair"),
        ),
        ([v("A", "duplicate", of="R2"), v("B", "duplicate", of="R3")], Final(None, True)),
    ],
)
def test_final_decision_rules(decisions, expected):
    assert final_decision(rows(*decisions)) == expected


@pytest.mark.parametrize(
    "alias, stage", [("ta", "title-abstract"), ("FT", "full-text"), ("duplicates", "duplicates")]
)
def test_stage_aliases(alias, stage):
    assert stage_name(alias) == stage


def test_unknown_stage_is_a_usage_error():
    with pytest.raises(UsageError, match="unknown stage 'abstract'"):
        stage_name("abstract")


def test_empty_log_reads(make_evidence):
    log = read_log(make_evidence())
    assert len(log.records) == 0 and len(log.decisions) == 0 and log.status().empty


def test_imported_batch_is_read_back(ev):
    log = read_log(ev)
    assert list(log.records["id"]) == [f"R{i:04d}" for i in range(1, 13)]
    st = log.status().set_index("id")
    assert st.loc["R0006", "removed"] == "duplicate" and st.loc["R0006", "removed_by"] == "R0001"
    assert st.loc["R0001", "title_abstract"] == "pending" and pd.isna(st.loc["R0001", "full_text"])
    assert st.loc["R0012", "check_with"] == "R0004"


def test_every_problem_in_decisions_csv_at_once(ev):
    (ev / "screening" / "decisions.csv").write_text(
        ",".join(DECISION_COLUMNS) + "\n"
        "R0001,abstract,include,,,AB,2025-01-01,,\n"
        "R0001,title-abstract,keep,,,AB,2025-01-01,,\n"
        "R0001,title-abstract,include,,,,2025-13-01,,\n"
        "R9999,full-text,exclude,,,AB,2025-01-01,,\n"
        "R0002,full-text,exclude,off-topic,,AB,2025-01-01,maybe,\n",
        encoding="utf-8",
    )
    with pytest.raises(EvidenceError) as err:
        read_log(ev)
    got = [(p.line, p.field) for p in err.value.problems]
    assert got == [
        (2, "stage"),
        (3, "decision"),
        (4, "reviewer"),
        (4, "date"),
        (5, "record"),
        (5, "reason"),
        (6, "reason"),
        (6, "final"),
    ]
    assert all(p.path.endswith("screening/decisions.csv") for p in err.value.problems)
    assert "use include, exclude, maybe" in str(err.value)


def test_bad_records_file_is_reported(ev):
    batch = next((ev / "screening" / "records").glob("*.csv"))
    text = batch.read_text(encoding="utf-8").replace("\nR0002,", "\nR0001,", 1)
    batch.write_text(text, encoding="utf-8")
    (ev / "screening" / "records" / "notes.csv").write_text("id,title\nR0100,x\n", encoding="utf-8")
    problems = read_log(ev, strict=False).problems
    assert any(p.field == "id" and "R0001 is also in" in p.message for p in problems)
    assert any(p.path.endswith("notes.csv") and p.code == "bad-columns" for p in problems)


def test_decide_checks_everything_before_writing(ev):
    before = snapshot(ev)
    with pytest.raises(EvidenceError) as err:
        decide(ev, ["R0001", "R0006", "R0404"], stage="full-text", decision="exclude", reviewer="AB")
    text = str(err.value)
    assert "R0001: title/abstract outcome is 'pending'" in text  # not sent on to full text
    assert "'R0404' is not a record" in text
    assert "a full-text exclusion needs a reason" in text
    assert snapshot(ev) == before  # nothing written


def test_decide_appends_and_conflicts_resolve(ev):
    decide(ev, ["R0001", "R0002"], stage="ta", decision="include", reviewer="AB", date="2025-02-01")
    log = decide(ev, ["R0001", "R0002"], stage="ta", decision="exclude", reason="not-hair", reviewer="CD")
    assert (ev / "screening" / "decisions.csv").read_text().count("\n") == 5
    c = log.conflicts()
    assert set(c["record"]) == {"R0001", "R0002"} and set(c["reviewer"]) == {"AB", "CD"}
    log = decide(ev, ["R0001"], stage="ta", decision="include", reviewer="EF", final=True)
    st = log.status().set_index("id")
    assert st.loc["R0001", "title_abstract"] == "include" and st.loc["R0002", "title_abstract"] == "conflict"
    assert st.loc["R0001", "full_text"] == "pending"


def test_duplicate_decisions_override_the_automatic_ones(ev):
    log = decide(ev, ["R0006"], stage="duplicates", decision="not-duplicate", reviewer="AB")
    assert log.status().set_index("id").loc["R0006", "title_abstract"] == "pending"
    log = decide(ev, ["R0012"], stage="duplicates", decision="duplicate", of="R0004", reviewer="AB")
    st = log.status().set_index("id")
    assert (st.loc["R0012", "removed"], st.loc["R0012", "removed_by"]) == ("duplicate", "R0004")
    log = decide(
        ev, ["R0008"], stage="duplicates", decision="duplicate", of="ex-2017-msc-mouse", reviewer="AB"
    )
    assert log.status().set_index("id").loc["R0008", "removed"] == "in evidence"
    with pytest.raises(EvidenceError, match="neither a record id nor a study key"):
        decide(ev, ["R0009"], stage="duplicates", decision="duplicate", of="nobody-2020", reviewer="AB")


def test_kappa_matches_the_hand_computed_value(ev):
    # AB vs CD on 10 records: 4 both include, 1 AB include/CD exclude, 2 AB exclude/CD include, 3 both exclude
    ids = [f"R{i:04d}" for i in (1, 2, 3, 4, 5, 8, 9, 10, 12)] + ["R0011"]
    decide(ev, ["R0011"], stage="duplicates", decision="not-duplicate", reviewer="AB")
    ab = ["include"] * 5 + ["exclude"] * 5
    cd = ["include"] * 4 + ["exclude"] + ["include"] * 2 + ["exclude"] * 3
    for rid, a, c in zip(ids, ab, cd):
        decide(ev, [rid], stage="ta", decision=a, reviewer="AB")
        decide(ev, [rid], stage="ta", decision=c, reviewer="CD")
    ag = read_log(ev).agreement("ta")
    # po = 7/10; pe = 0.5*0.6 + 0.5*0.4 = 0.5; kappa = (0.7 - 0.5) / 0.5 = 0.4
    assert ag.n == 10 and ag.observed == pytest.approx(0.7) and ag.kappa == pytest.approx(0.4)
    assert ag.low < 0.4 < ag.high and ag.table.to_numpy().tolist() == [[4, 1], [2, 3]]
    assert "Cohen's kappa 0.40" in ag.describe()


def test_kappas_interval_stays_within_its_bounds(ev):
    # three records, full agreement but one: the asymptotic interval would pass 1
    for rid, a, c in (
        ("R0001", "include", "include"),
        ("R0002", "exclude", "exclude"),
        ("R0003", "include", "exclude"),
    ):
        decide(ev, [rid], stage="ta", decision=a, reviewer="AB")
        decide(ev, [rid], stage="ta", decision=c, reviewer="CD")
    ag = read_log(ev).agreement("ta")
    assert -1.0 <= ag.low <= ag.kappa <= ag.high <= 1.0


def test_kappa_needs_two_reviewers(ev):
    decide(ev, ["R0001"], stage="ta", decision="include", reviewer="AB")
    with pytest.raises(UsageError, match="kappa needs two reviewers; found 1"):
        read_log(ev).agreement("ta")


def _include(ev, rid):
    decide(ev, [rid], stage="ta", decision="include", reviewer="AB")
    decide(ev, [rid], stage="ft", decision="include", reviewer="AB")


def test_make_study_writes_a_draft_that_fails_validation_on_purpose(ev):
    _include(ev, "R0001")
    path = make_study(ev, "R0001")
    assert path.name == "rajendran-2017-extracellular-vesicles.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# DRAFT written by `exoreview screen make-study R0001`")
    assert "#   mouse ← mice" in text
    data = yaml.safe_load(text)
    assert data["title"].startswith("Extracellular vesicles derived from MSCs") and data["pmid"] == "29138430"
    assert data["doi"] == "10.1038/s41598-017-15505-3" and data["authors"] == [
        "Rajendran RL",
        "Gangadaran P",
        "Bak SS",
    ]
    assert data["verified_at"] == [] and data["cell_source"] == [] and data["confidence"] is None
    assert data["screening_record"] == "R0001"  # the link the PRISMA diagram counts by
    fields = {p.field for p in validate(ev).problems if p.path.endswith(path.name)}
    assert fields == {
        "verified_at",
        "confidence",
        "extraction.level",
        "extraction.source",
        "publication_status",
        "cell_source",
        "vesicle_term",
        "design",
        "condition",
    }
    with pytest.raises(UsageError, match="already in the evidence"):
        make_study(ev, "R0001", key="another-key")
    before = path.read_bytes()
    _include(ev, "R0003")
    with pytest.raises(UsageError, match="exists; not overwritten"):
        make_study(ev, "R0003", key="rajendran-2017-extracellular-vesicles")
    assert path.read_bytes() == before


def test_make_study_only_for_included_records(ev):
    with pytest.raises(UsageError, match="R0002 is not included at full text"):
        make_study(ev, "R0002")


@pytest.mark.parametrize(
    "rec, key",
    [
        (
            {
                "authors": "Pozo-Pérez L; López-Bran E",
                "year": 2024,
                "title": "Clinical and preclinical approach in AGA",
            },
            "pozo-2024-clinical-preclinical",
        ),
        (
            {"authors": None, "year": None, "title": "The exosomes of the hair"},
            "unattributed-nd-exosomes-hair",
        ),
        (
            {
                "authors": "Le Riche A",
                "year": 2019,
                "title": "Extracellular Vesicles from Activated Fibroblasts",
            },
            "le-2019-extracellular-vesicles",
        ),
    ],
)
def test_study_key(rec, key):
    assert study_key(rec) == key


def test_cli_screen_round_trip(capsys, ev):
    code, out, _ = run(
        capsys,
        "screen",
        "decide",
        "R0001",
        "R0002",
        "--stage",
        "ta",
        "--include",
        "--reviewer",
        "AB",
        "--evidence",
        ev,
    )
    assert code == 0 and "R0001: recorded; now title-abstract: include" in out
    code, out, _ = run(
        capsys,
        "screen",
        "decide",
        "R0001",
        "--stage",
        "ta",
        "--exclude",
        "--reason",
        "no-vesicles",
        "--reviewer",
        "CD",
        "--evidence",
        ev,
    )
    code, out, _ = run(capsys, "screen", "conflicts", "--evidence", ev)
    assert "R0001 title-abstract: AB: include; CD: exclude (no-vesicles)" in out
    assert "1 conflict to resolve" in out
    code, out, _ = run(
        capsys,
        "screen",
        "list",
        "--stage",
        "ta",
        "--status",
        "conflict",
        "--format",
        "json",
        "--evidence",
        ev,
    )
    assert [r["id"] for r in json.loads(out)] == ["R0001"]
    code, out, err = run(
        capsys,
        "screen",
        "decide",
        "R0002",
        "--stage",
        "ft",
        "--exclude",
        "--reviewer",
        "AB",
        "--evidence",
        ev,
    )
    assert code == 1 and "a full-text exclusion needs a reason" in err and "nothing was written" in err
    code, out, err = run(capsys, "screen", "make-study", "R0002", "--evidence", ev)
    assert code == 2 and "not included at full text" in err
    code, out, _ = run(capsys, "screen", "reasons")
    assert out.splitlines()[0].startswith("not-hair")


def test_cli_kappa_json(capsys, ev):
    for rid, a, b in (
        ("R0001", "include", "include"),
        ("R0002", "exclude", "exclude"),
        ("R0003", "include", "exclude"),
    ):
        main(["screen", "decide", rid, "--stage", "ta", f"--{a}", "--reviewer", "AB", "--evidence", str(ev)])
        main(["screen", "decide", rid, "--stage", "ta", f"--{b}", "--reviewer", "CD", "--evidence", str(ev)])
    capsys.readouterr()
    code, out, _ = run(capsys, "screen", "kappa", "--format", "json", "--evidence", ev)
    data = json.loads(out)
    # po = 2/3; pe = (2/3)(1/3) + (1/3)(2/3) = 4/9; kappa = (2/3 - 4/9) / (5/9) = 0.4
    assert code == 0 and data["n"] == 3 and data["kappa"] == pytest.approx(0.4)
    assert data["table"] == {"include": {"include": 1, "exclude": 1}, "exclude": {"include": 0, "exclude": 1}}
