"""PRISMA 2020 counts from the log, the drawn diagram (read back from its text artists), the CLI,
and the curator's whole path: import overlapping MEDLINE + RIS, screen, write study files."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import matplotlib
import pytest
import yaml
from conftest import EVIDENCE, snapshot
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exoreview.cli import main
from exoreview.screening.decisions import decide
from exoreview.screening.drafts import make_study
from exoreview.screening.importer import import_records
from exoreview.screening.log import read_log
from exoreview.screening.prisma import counts
from exoreview.views.prisma import ARROWS, BOXES, flow_diagram

matplotlib.use("Agg")
DATA = Path(__file__).resolve().parents[1] / "data" / "imports"
KEEP = ("li-2023-dpc-exos-lef1", "hu-2020-dermal-exosomes-mir218")  # already in this evidence base


@pytest.fixture
def ev(make_evidence) -> Path:
    """An evidence base holding two real studies of the fixtures (copied from the shipped files)."""
    root = make_evidence()
    for key in KEEP:
        shutil.copy(EVIDENCE / "studies" / f"{key}.yaml", root / "studies")
    return root


def texts(ax) -> dict[str, str]:
    return {t.get_gid(): t.get_text() for t in ax.texts if t.get_gid()}


def n_of(text: str, label: str) -> int:
    m = re.search(re.escape(label) + r"\s*\(n = (\d+)\)", text)
    assert m, f"{label!r} not in {text!r}"
    return int(m.group(1))


def test_curator_path_import_screen_write_studies_prisma(capsys, ev, tmp_path):
    # 1. import a MEDLINE and a RIS export of overlapping searches
    code = main(
        ["import", str(DATA / "pubmed-search.nbib"), str(DATA / "embase-search.ris"), "--evidence", str(ev)]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "12 read · 12 parsed · 3 duplicates · 2 already in the evidence · 7 new · 1 to check" in out
    assert (
        "R0003 → li-2023-dpc-exos-lef1  (same DOI)" in out and "R0008 → hu-2020-dermal-exosomes-mir218" in out
    )
    # 2. a person confirms the borderline pair; two reviewers screen; a conflict is resolved
    decide(ev, ["R0012"], stage="duplicates", decision="duplicate", of="R0004", reviewer="AB")
    for rid in ("R0001", "R0002", "R0004", "R0005"):
        decide(ev, [rid], stage="ta", decision="include", reviewer="AB")
    decide(ev, ["R0009", "R0010"], stage="ta", decision="exclude", reason="no-hair-outcome", reviewer="AB")
    decide(ev, ["R0001", "R0002", "R0004"], stage="ta", decision="include", reviewer="CD")
    decide(ev, ["R0005"], stage="ta", decision="exclude", reason="not-hair", reviewer="CD")
    decide(ev, ["R0005"], stage="ta", decision="include", reviewer="EF", final=True)
    decide(ev, ["R0001", "R0004"], stage="ft", decision="include", reviewer="AB")
    decide(ev, ["R0002"], stage="ft", decision="exclude", reason="no-vesicles", reviewer="AB")
    decide(ev, ["R0005"], stage="ft", decision="not-retrieved", reviewer="AB")
    # 3. study files for the included records
    written = [make_study(ev, rid) for rid in ("R0001", "R0004")]
    assert [p.name for p in written] == [
        "rajendran-2017-extracellular-vesicles.yaml",
        "ersan-2024-effectiveness-exosome.yaml",
    ]
    # 4. PRISMA shows the true counts
    c = counts(read_log(ev))
    assert c.check() == []
    assert dict(c.databases) == {"PubMed": 5, "Embase": 7}
    assert (c.identified, c.duplicates, c.in_evidence, c.screened) == (12, 4, 2, 6)
    assert (c.screen_excluded, c.screen_pending, c.sought) == (2, 0, 4)
    assert (c.not_retrieved, c.assessed, c.full_text_excluded, c.included) == (1, 3, 1, 2)
    assert c.full_text_reasons == (
        ("no vesicles or secretome (e.g. PRP alone, micrografts, whole cells)", 1),
    )
    assert c.screen_reasons == (("no hair-related outcome reported", 2),)
    ax = flow_diagram(c)
    t = texts(ax)
    assert n_of(t["prisma-identified"], "Records identified from databases\n") == 12
    assert n_of(t["prisma-identified"], "PubMed") == 5 and n_of(t["prisma-identified"], "Embase") == 7
    assert n_of(t["prisma-removed"], "Duplicate records") == 4
    assert n_of(t["prisma-removed"], "Already in the evidence base") == 2
    assert n_of(t["prisma-screened"], "Records screened\n") == 6
    assert n_of(t["prisma-screen_excluded"], "Records excluded\n") == 2
    assert n_of(t["prisma-sought"], "Reports sought for retrieval\n") == 4
    assert n_of(t["prisma-not_retrieved"], "Reports not retrieved\n") == 1
    assert n_of(t["prisma-assessed"], "Reports assessed for eligibility\n") == 3
    assert n_of(t["prisma-full_text_excluded"], "Reports excluded") == 1
    assert n_of(t["prisma-included"], "New studies included in review\n") == 2
    assert "awaiting" not in "".join(t.values())
    # 5. the figure exported: PNG, SVG with text as text, PDF; never into evidence/
    code = main(["prisma", "--evidence", str(ev), "--out", str(tmp_path / "exports" / "prisma.png")])
    assert code == 0
    svg = (tmp_path / "exports" / "prisma.svg").read_text(encoding="utf-8")
    assert "Records screened" in svg and "<text" in svg
    assert (tmp_path / "exports" / "prisma.png").stat().st_size > 10_000
    assert (tmp_path / "exports" / "prisma.pdf").read_bytes().startswith(b"%PDF")
    capsys.readouterr()
    before = snapshot(ev)
    code = main(["prisma", "--evidence", str(ev), "--out", str(ev / "prisma")])
    assert code == 2 and snapshot(ev) == before


def test_diagram_draws_every_box_and_arrow_on_a_given_axes():
    import matplotlib.pyplot as plt

    from exoreview.screening.prisma import Counts

    c = Counts((("PubMed", 3),), 3, 0, 0, 3, 1, (), 1, 1, 0, 1, 0, (), 1, 0)
    fig, ax = plt.subplots()
    assert flow_diagram(c, ax=ax) is ax
    t = texts(ax)
    assert {f"prisma-{b}" for b, *_ in BOXES} <= set(t)
    assert "awaiting a decision (n = 1)" in t["prisma-screened"]
    assert "awaiting a decision (n = 1)" in t["prisma-assessed"]
    assert len(ax.patches) == len(BOXES) + len(ARROWS) + 3  # boxes, arrows, phase bands
    plt.close(fig)


def test_empty_log_counts_zero(make_evidence, capsys):
    root = make_evidence()
    c = counts(read_log(root))
    assert c.identified == 0 and c.check() == []
    assert main(["prisma", "--evidence", str(root)]) == 0
    assert "records screened: 0" in capsys.readouterr().out


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("p") / "evidence"
    (root / "studies").mkdir(parents=True)
    shutil.copy(EVIDENCE / "vocabulary.yaml", root)
    shutil.copy(EVIDENCE / "schema.yaml", root)
    import_records([DATA / "pubmed-search.nbib", DATA / "embase-search.ris"], evidence=root).save()
    return root


DECISION = st.sampled_from(
    [
        ("duplicates", "duplicate", "", "R0001"),
        ("duplicates", "not-duplicate", "", ""),
        ("title-abstract", "include", "", ""),
        ("title-abstract", "maybe", "", ""),
        ("title-abstract", "exclude", "not-hair", ""),
        ("title-abstract", "exclude", "", ""),
        ("full-text", "include", "", ""),
        ("full-text", "not-retrieved", "", ""),
        ("full-text", "exclude", "no-data", ""),
    ]
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(st.integers(1, 12), DECISION, st.sampled_from(["AB", "CD"]), st.booleans()), max_size=40
    )
)
def test_boxes_always_add_up_whatever_the_log(imported, rows):
    """Any valid decisions log, in any order, gives boxes that add up."""
    from exoreview.screening.decisions import csv_text
    from exoreview.screening.rules import DECISION_COLUMNS

    log_rows = [
        {
            "record": f"R{i:04d}",
            "stage": stage,
            "decision": d,
            "reason": reason,
            "of": of,
            "reviewer": who,
            "date": "2025-01-01",
            "final": "yes" if final else "",
            "note": "",
        }
        for i, (stage, d, reason, of), who, final in rows
    ]
    (imported / "screening" / "decisions.csv").write_text(
        csv_text(log_rows, DECISION_COLUMNS), encoding="utf-8"
    )
    c = counts(read_log(imported))
    assert c.check() == []
    assert c.identified == 12 and c.included <= c.assessed <= c.sought <= c.screened


# --- the evidence base's studies and the search log ----------------------------------------------------
SESSION = """searcher: AB
date: 2026-12-05
interface: the databases' own web search
queries:
- id: S1-Q01
  date: 2026-12-05
  string: exosomes hair
  hits: 5
  exports:
  - {source: PubMed, file: pubmed-search.nbib, records: 5}
- id: S1-Q02
  date: 2026-12-06
  string: extracellular vesicles alopecia
  hits: 7
  exports:
  - {source: Embase, file: embase-search.ris, records: 7}
"""


def _searched(ev: Path, session: str = SESSION) -> None:
    folder = ev / "screening" / "searches"
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("pubmed-search.nbib", "embase-search.ris"):
        shutil.copy(DATA / name, ev / "screening" / name)
    (folder / "2026-12-05-ab.yaml").write_text(session, encoding="utf-8")


def test_every_study_is_placed_and_the_search_is_stated(capsys, ev):
    _searched(ev)
    main(
        [
            "import",
            str(ev / "screening" / "pubmed-search.nbib"),
            str(ev / "screening" / "embase-search.ris"),
            "--evidence",
            str(ev),
        ]
    )
    decide(ev, ["R0001", "R0004"], stage="ta", decision="include", reviewer="AB")
    decide(ev, ["R0001", "R0004"], stage="ft", decision="include", reviewer="AB")
    st = read_log(ev).status()
    rest = [r for r in st.loc[st["removed"].isna(), "id"] if r not in ("R0001", "R0004")]
    decide(ev, rest, stage="ta", decision="exclude", reason="no-data", reviewer="AB")
    # one included record has its study file; another study in the base was never found by the search
    study = yaml.safe_load((EVIDENCE / "studies" / "rajendran-2017-msc-evs.yaml").read_text(encoding="utf-8"))
    study["screening_record"] = "R0001"
    (ev / "studies" / "rajendran-2017-msc-evs.yaml").write_text(
        yaml.safe_dump(study, sort_keys=False), encoding="utf-8"
    )
    shutil.copy(EVIDENCE / "studies" / "wan-2025-exosome-microneedling-aga.yaml", ev / "studies")
    capsys.readouterr()
    assert main(["prisma", "--evidence", str(ev), "--format", "json"]) == 0
    c = json.loads(capsys.readouterr().out)
    assert (c["included"], c["search_studies"], c["total_studies"]) == (2, 1, 4)
    assert (c["before_search"], c["found_again"], c["other_methods"]) == (3, 2, 1)  # KEEP found, wan-2025 not
    assert c["links"] == ["R0004: included at full text, but no study file names it as its screening_record"]
    assert (
        c["searched"]
        == "1 search session (2026-12-05 to 2026-12-06), 2 queries, 12 records exported from 2 sources"
    )
    assert main(["prisma", "--evidence", str(ev)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Search: 1 search session") and "total studies in the review: 4" in out
    assert "check: new studies (records included = study files made from them): 2 ≠ 1" in out
    assert "check: R0004: included at full text" in out


def test_a_bad_search_log_names_file_line_and_field(capsys, ev):
    bad = SESSION.replace("  hits: 7\n", "").replace("file: pubmed-search.nbib", "file: gone.ris")
    _searched(ev, bad + "- id: S1-Q01\n  date: 2026-12-05\n  string: again\n  hits: 1\n")
    before = snapshot(ev)
    assert main(["prisma", "--evidence", str(ev)]) == 1
    err = capsys.readouterr().err
    path = "screening/searches/2026-12-05-ab.yaml"
    assert f"{path}:10: queries[0].exports[0].file: 'gone.ris' is not a file" in err
    assert f"{path}:11: queries[1].hits: required" in err
    assert f"{path}:16: queries[2].id: S1-Q01 is already a query of 2026-12-05-ab.yaml" in err
    assert snapshot(ev) == before


def test_drafts_still_being_filled_leave_the_flow_counted(capsys, ev):
    main(["import", str(DATA / "pubmed-search.nbib"), "--evidence", str(ev)])
    decide(ev, ["R0001"], stage="ta", decision="include", reviewer="AB")
    decide(ev, ["R0001"], stage="ft", decision="include", reviewer="AB")
    make_study(ev, "R0001")  # a draft: fails validate until a curator fills it
    capsys.readouterr()
    assert main(["prisma", "--evidence", str(ev)]) == 0
    captured = capsys.readouterr()
    assert "new studies included: 1" in captured.out and "total studies" not in captured.out
    assert "the evidence base does not validate" in captured.err
