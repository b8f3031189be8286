"""Importers (MEDLINE, RIS, BibTeX, CSV), bad input, suggested tags and `exoreview import`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import snapshot

from exoreview.cli import main
from exoreview.errors import UsageError
from exoreview.screening import readers
from exoreview.screening.fields import clean
from exoreview.screening.importer import import_records
from exoreview.screening.records import read_files
from exoreview.screening.tags import suggest

DATA = Path(__file__).resolve().parents[1] / "data" / "imports"


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


# -- each fixture file: format, encoding, records kept, problems -----------------------------
@pytest.mark.parametrize(
    "name, fmt, encoding, parsed, read, codes",
    [
        ("pubmed-search.nbib", "medline", "UTF-8", 5, 5, []),
        ("embase-search.ris", "ris", "UTF-8", 7, 7, []),
        ("zotero-library.csv", "csv", "UTF-8 with BOM", 3, 3, []),
        ("pubmed-export.csv", "csv", "UTF-8", 2, 2, []),
        ("library-latin1.bib", "bibtex", "Windows-1252 (guessed)", 2, 2, ["encoding-guessed"]),
        ("broken.bib", "bibtex", "UTF-8", 2, 3, ["bibtex-syntax"]),
        ("truncated.ris", "ris", "UTF-8", 1, 2, ["truncated"]),
        ("truncated.nbib", "medline", "UTF-8", 1, 2, ["truncated"]),
        ("no-title.nbib", "medline", "UTF-8", 1, 2, ["no-title"]),
        (
            "mixed-encoding.ris",
            "ris",
            "UTF-8 (with bytes that are not UTF-8)",
            1,
            2,
            ["bad-encoding", "bad-encoding"],
        ),
        ("binary.ris", None, "", 0, 0, ["binary"]),
        ("empty.nbib", None, "", 0, 0, ["empty-file"]),
        ("unknown-layout.csv", "csv", "UTF-8", 0, 0, ["csv-layout"]),
    ],
)
def test_each_export(name, fmt, encoding, parsed, read, codes):
    records, reports, problems = read_files([DATA / name])
    assert (reports[0].format, reports[0].encoding) == (fmt, encoding)
    assert (reports[0].parsed, reports[0].read, len(records)) == (parsed, read, parsed)
    assert sorted(p.code for p in problems) == sorted(codes)
    for p in problems:
        assert p.path.endswith(name)
    for r in records:
        assert r["title"] and r["file"] == name and r["position"] >= 1 and r["line"] >= 1


def test_medline_fields_continuations_and_doi():
    records, _, _ = read_files([DATA / "pubmed-search.nbib"])
    first = records[0]
    assert first["title"] == (
        "Extracellular vesicles derived from MSCs activates dermal papilla cell in "
        "vitro and promotes hair follicle conversion from telogen to anagen in mice"
    )
    assert first["authors"] == ["Rajendran RL", "Gangadaran P", "Bak SS"]
    assert (first["journal"], first["year"], first["volume"], first["pages"]) == (
        "Scientific Reports",
        2017,
        "7",
        "15560",
    )
    assert (first["doi"], first["pmid"], first["database"]) == (
        "10.1038/s41598-017-15505-3",
        "29138430",
        "PubMed",
    )
    assert records[1]["doi"] == "10.3389/fcell.2022.815205"  # from LID ... [doi]
    assert [r["line"] for r in records] == [1, 14, 27, 40, 55]


def test_ris_normalises_dois_and_keeps_records_without_year_or_pmid():
    records, _, _ = read_files([DATA / "embase-search.ris"])
    by_pos = {r["position"]: r for r in records}
    assert by_pos[1]["doi"] == "10.1038/S41598-017-15505-3"  # https://doi.org/ stripped
    assert by_pos[4]["doi"] == "10.7150/thno.39566"  # doi: stripped
    assert by_pos[4]["pages"] == "1454-1478"
    assert by_pos[5]["year"] is None and by_pos[5]["title"].startswith("Extracellular Vesicles from")
    assert all(r["pmid"] is None for r in records) and by_pos[1]["database"] == "Embase"
    assert "β-catenin" in by_pos[3]["title"]


@pytest.mark.parametrize("shift", ["", "é", "é é"])
def test_long_fields_are_folded_wherever_a_double_space_falls(shift):
    base = shift + "exosome vesicle " * 5000
    for at in (0, 1, 2, 3, 40_001, 40_002, len(base) - 1):
        messy = base[:at] + "  " + base[at:]
        assert clean(messy) == " ".join(messy.split())
    assert clean(base) == base.strip()


def test_ris_records_keep_their_lines_and_a_bad_one_leaves_the_others_whole():
    text = (DATA / "embase-search.ris").read_text(encoding="utf-8")
    records, problems = readers.read_ris(text, "x.ris")
    assert problems == [] and [r["position"] for r in records] == list(range(1, 8))
    assert [r["line"] for r in records] == [
        i + 1 for i, line in enumerate(text.splitlines()) if line.startswith("TY  -")
    ]
    more, problems = readers.read_ris(text + "TY  - JOUR\nTI  - cut off\n", "x.ris")
    assert [p.code for p in problems] == ["truncated"] and more == records


def test_latin1_bibtex_and_csv_layouts():
    records, _, _ = read_files([DATA / "library-latin1.bib"])
    assert (
        records[0]["authors"][0] == "Pozo-Pérez, L."
        and records[0]["journal"] == "Stem Cell Research & Therapy"
    )
    assert records[1]["doi"] == "10.1186/s12951-020-00757-5"
    z, _, _ = read_files([DATA / "zotero-library.csv"])
    assert z[2]["pmid"] == "39447204" and z[2]["authors"] == ["Queen, D"]  # PMID from Zotero's Extra
    assert (z[1]["volume"], z[1]["pages"]) == ("15", "1368-1382")
    p, _, _ = read_files([DATA / "pubmed-export.csv"])
    assert p[0]["pmid"] == "34678305" and p[0]["authors"] == []
    assert (p[0]["volume"], p[0]["pages"]) == ("409", "112887")  # from the Citation column
    assert p[1]["authors"] == ["Oh HG", "Jung M", "Jeong SY"]


def test_bad_input_messages_name_file_line_and_record():
    _, _, problems = read_files([DATA / "broken.bib", DATA / "truncated.ris", DATA / "no-title.nbib"])
    text = [str(p) for p in problems]
    assert any("broken.bib:8: record 2 (brokenentry): BibTeX syntax error" in t for t in text)
    assert any("truncated.ris:8: record 2: is truncated" in t for t in text)
    assert any("no-title.nbib:1: record 1 (PMID 35359449): has no title" in t for t in text)


@pytest.mark.parametrize("fmt, name", [("ris", "pubmed-search.nbib"), ("bibtex", "embase-search.ris")])
def test_forced_wrong_format_is_a_problem_not_a_crash(fmt, name):
    records, _, problems = read_files([DATA / name], fmt=fmt)
    assert records == [] and [p.code for p in problems] == ["no-records"]


def test_missing_file_or_folder_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError, match="no such file"):
        read_files([DATA / "pubmed-search.nbib", tmp_path / "missing.ris"])
    with pytest.raises(UsageError, match="is a folder"):
        read_files([tmp_path])


# -- suggested tags -------------------------------------------------------------------------
@pytest.mark.parametrize(
    "title, abstract, facet, expected",
    [
        (
            "Adipose-derived stem cell exosomes promote hair growth",
            None,
            "cell_source",
            {"ADSC": ["Adipose-derived stem cell"]},
        ),
        ("Exosomes from human umbilical cord MSCs", None, "cell_source", {"UC-MSC": ["umbilical cord MSCs"]}),
        ("Exosomes promote proliferation", "Cells were grown in fetal bovine serum.", "cell_source", {}),
        (
            "Platelet-rich plasma versus micrografts for pattern hair loss",
            None,
            "vesicle_term",
            {"none": ["Platelet-rich plasma", "micrografts"]},
        ),
        (
            "Small extracellular vesicles (sEVs) in alopecia",
            None,
            "vesicle_term",
            {"small EV": ["Small extracellular vesicles", "sEVs"]},
        ),
        ("Hair regrowth in C57BL/6 mice", None, "species", {"mouse": ["C57BL/6", "mice"]}),
        (
            "A randomised controlled trial of exosomes",
            None,
            "design",
            {"randomized controlled trial": ["randomised controlled trial"]},
        ),
        (
            "Exosomes for hair loss: a systematic review",
            "In this review",
            "design",
            {"systematic review": ["systematic review"]},
        ),
        ("Exosomes in male pattern hair loss", None, "condition", {"MPHL": ["male pattern hair loss"]}),
        ("Exosomes in alopecia areata", "AA patients", "condition", {"alopecia areata": ["alopecia areata"]}),
    ],
)
def test_suggested_tags_with_their_trigger_words(shipped, title, abstract, facet, expected):
    got = suggest(title, abstract, shipped.vocabulary)[facet]
    assert {s.term: list(s.triggers) for s in got} == expected


# -- pipeline and CLI -----------------------------------------------------------------------
def test_overlapping_medline_and_ris_are_deduplicated(evidence):
    batch = import_records([DATA / "pubmed-search.nbib", DATA / "embase-search.ris"], evidence=evidence)
    s = batch.summary()
    assert (s["read"], s["parsed"], s["duplicates"], s["in_evidence"], s["new"], s["to_check"]) == (
        12,
        12,
        3,
        0,
        9,
        1,
    )
    dups = batch.duplicates().set_index("id")
    assert (
        dups.loc["R0006", "duplicate_of"] == "R0001" and dups.loc["R0006", "duplicate_reason"] == "same DOI"
    )
    assert dups.loc["R0007", "duplicate_reason"] == "same title and year"
    assert dups.loc["R0011", "duplicate_reason"].startswith("title 9")
    check = batch.to_check().iloc[0]
    assert (check["id"], check["check_with"]) == ("R0012", "R0004") and "2025 and 2024" in check[
        "check_reason"
    ]


def test_cli_json_is_the_documented_shape(capsys, evidence):
    before = snapshot(evidence)
    code, out, err = run(
        capsys,
        "import",
        DATA / "pubmed-search.nbib",
        DATA / "embase-search.ris",
        "--evidence",
        evidence,
        "--dry-run",
        "--format",
        "json",
    )
    assert code == 0 and snapshot(evidence) == before  # --dry-run writes nothing
    data = json.loads(out)
    assert {"read", "unique", "duplicates", "records"} <= set(data)
    assert (data["read"], data["unique"]) == (12, 9)
    assert data["duplicates"][0] == {"record": "R0006", "duplicate_of": "R0001", "reason": "same DOI"}
    rec = data["records"][0]
    assert set(rec) == {"id", "title", "doi", "pmid", "year", "in_evidence", "duplicate_of", "suggested"}
    assert set(rec["suggested"]) == {"cell_source", "vesicle_term", "species", "design", "condition"}
    assert rec["suggested"]["species"] == [{"term": "mouse", "label": "mouse", "triggers": ["mice"]}]
    assert data["written"] is None


def test_cli_import_writes_one_batch_then_finds_it_again(capsys, evidence):
    code, out, err = run(capsys, "import", DATA / "pubmed-search.nbib", "--evidence", evidence)
    assert code == 0 and "5 read · 5 parsed · 0 duplicates" in out
    files = list((evidence / "screening" / "records").glob("*.csv"))
    assert len(files) == 1 and "R0001–R0005" in out
    code, out, err = run(
        capsys, "import", DATA / "embase-search.ris", "--evidence", evidence, "--format", "json"
    )
    data = json.loads(out)
    ids = [r["id"] for r in data["records"]]
    assert ids[0] == "R0006" and code == 0  # ids run on across imports
    assert {d["record"]: d["duplicate_of"] for d in data["duplicates"]} == {
        "R0006": "R0001",
        "R0007": "R0002",
        "R0011": "R0005",
    }
    assert len(list((evidence / "screening" / "records").glob("*.csv"))) == 2


def test_cli_bad_files_reported_rest_imported_exit_1(capsys, evidence):
    code, out, err = run(
        capsys,
        "import",
        DATA / "broken.bib",
        DATA / "binary.ris",
        DATA / "empty.nbib",
        DATA / "truncated.ris",
        "--evidence",
        evidence,
    )
    assert code == 1
    assert "broken.bib:8: record 2 (brokenentry): BibTeX syntax error" in err
    assert "binary.ris: binary file (a PNG image)" in err and "empty.nbib: the file is empty" in err
    assert "4 problems; the other records were imported." in err and "Traceback" not in err
    written = list((evidence / "screening" / "records").glob("*.csv"))
    assert len(written) == 1 and written[0].read_text().count("\nR000") == 3


def test_cli_unreadable_path_exit_2_nothing_written(capsys, evidence, tmp_path):
    before = snapshot(evidence)
    code, out, err = run(
        capsys, "import", DATA / "pubmed-search.nbib", tmp_path / "nope.ris", "--evidence", evidence
    )
    assert code == 2 and "nope.ris: no such file" in err and snapshot(evidence) == before


def test_cli_bad_option_is_a_usage_error(capsys, evidence):
    with pytest.raises(SystemExit) as exc:
        main(["import", str(DATA / "pubmed-search.nbib"), "--from", "xml", "--evidence", str(evidence)])
    assert exc.value.code == 2


def test_cli_import_into_a_folder_that_is_not_evidence_exit_2(capsys, tmp_path):
    code, out, err = run(capsys, "import", DATA / "pubmed-search.nbib", "--evidence", tmp_path / "nowhere")
    assert code == 2 and "is not an evidence folder" in err and not (tmp_path / "nowhere").exists()
