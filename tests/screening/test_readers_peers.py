"""The regression corpus (issue 15): other projects' public test files of real exports, kept as
their repositories hold them under tests/data/peers/ (tests/data/peers/PROVENANCE.md), each read
here with the record count and the fields that the project's own tests assert. Where exoreview
reads a field differently, the test says why."""

from __future__ import annotations

from pathlib import Path

import pytest

from exoreview.screening.records import read_files

PEERS = Path(__file__).resolve().parents[1] / "data" / "peers"


def read(relative: str):
    records, reports, problems = read_files([PEERS / relative])
    return records, reports[0], problems


def test_corpus_is_listed_in_provenance_and_small():
    files = sorted(p for p in PEERS.rglob("*") if p.is_file() and p.name != "PROVENANCE.md")
    listed = (PEERS / "PROVENANCE.md").read_text(encoding="utf-8")
    assert files and all(f"`{p.relative_to(PEERS).as_posix()}`" in listed for p in files)
    assert sum(p.stat().st_size for p in files) < 2_000_000


def test_asreview_generic_tab_tsv():
    # asreview tests/test_readers.py::test_reader: ("generic_tab.tsv", 2 records), each with title,
    # abstract and authors
    records, report, problems = read("asreview/generic_tab.tsv")
    assert (report.format, len(records), problems) == ("csv", 2, [])
    assert [r["title"] for r in records] == ["Title of reference", "The title of the reference"]
    assert all(r["abstract"].startswith("BACKGROUND: Lorem") for r in records)
    # its authors column holds a Python list literal (ASReview's own export): read as the list
    assert records[0]["authors"] == ["Marx, Karl", "Lindgren, Astrid"]
    # 'publication_year' is '2014//' (RIS's Y1 layout): the year is read from it
    assert [r["year"] for r in records] == [2014, 2006]


def test_colrev_enl_data():
    # colrev tests/2_loader/enl_test.py: three records, %T title, %A authors, %D year, %B journal,
    # %V volume, %P pages (compared there with enl_data_expected.bib)
    records, report, problems = read("colrev/enl_data.enl")
    assert (report.format, len(records), problems) == ("endnote", 3, [])
    a, b, c = records
    assert a["title"].startswith("How Trust Leads to Commitment on Microsourcing Platforms")
    assert a["authors"] == ["Guo, Wenbo", "Straub, Detmar W.", "Zhang, Pengzhu", "Cai, Zhao"]
    assert (a["year"], a["journal"], a["volume"], a["pages"]) == (
        2021,
        "Management Information Systems Quarterly",
        "45",
        "1309-1348",
    )
    assert (b["authors"], b["year"], b["pages"]) == (["Obal, Lorie"], 2009, None)
    # the third has no '%0' line (a table of contents): colrev reads it as a misc record, so do we
    assert (c["title"], c["authors"], c["pages"]) == ("MISQ Volume 45, Issue 3 Table of Contents", [], "i-ii")
    # this file puts '%T' before '%0': the record starts at its first line
    assert [r["line"] for r in records] == [1, 17, 29]


def test_colrev_eric_nbib():
    # colrev tests/2_loader/nbib_test.py: one record; title, authors, journal, DOI (colrev keeps
    # the AID URL 'http://dx.doi.org/10.1000/123456789' as the DOI field), volume, pages, year,
    # abstract
    records, report, problems = read("colrev/nbib_data.nbib")
    assert (report.format, len(records), problems) == ("medline", 1, [])
    r = records[0]
    assert (r["title"], r["authors"], r["journal"]) == (
        "Paper title",
        ["Smith, Tom", "Hunter, Shawn"],
        "Journal Name",
    )
    # difference: exoreview keeps the DOI itself, not the URL (DOIs are compared bare)
    assert r["doi"] == "10.1000/123456789"
    assert (r["volume"], r["pages"], r["year"], r["abstract"]) == ("10", "1-9", 2000, "Abstract ...")
    # 'OWN - ERIC' and no PMID: an ERIC record, not PubMed
    assert (r["database"], r["pmid"]) == ("ERIC", None)


def test_metaknowledge_two_paper_isi():
    # metaknowledge tests/test_recordcollection.py::test_addRec: RecordCollection("TwoPaper.isi")
    # holds 2 records
    records, report, problems = read("metaknowledge/TwoPaper.isi")
    assert (report.format, len(records), problems) == ("wos", 2, [])
    a, b = records
    assert a["title"] == "Supervenience and causation: A probabilistic approach"
    assert (a["authors"], a["journal"], a["year"], a["volume"], a["pages"]) == (
        ["Kim, S"],
        "SYNTHESE",
        2000,
        "122",
        "245-259",
    )
    assert (a["doi"], a["database"]) == ("10.1023/A:1005282128866", "Web of Science")
    assert (b["title"], b["year"], b["doi"]) == (
        "Physical process theories and token-probabilistic causation",
        2001,
        "10.1023/A:1005677609556",
    )


def test_bibtexparser_gbk_test_bib():
    # bibtexparser tests (test_gbk): parse_file(..., encoding="gbk") gives author '凯撒', title
    # 'Test Title', year '2013', journal '测试期刊'. Difference: bibtexparser is told the encoding;
    # exoreview guesses it (GB18030, GBK's superset) and says so in a warning
    records, report, problems = read("bibtexparser/gbk_test.bib")
    assert report.encoding == "GB18030 (guessed)" and [p.code for p in problems] == ["encoding-guessed"]
    r = records[0]
    assert (r["authors"], r["title"], r["year"], r["journal"]) == (["凯撒"], "Test Title", 2013, "测试期刊")


def test_rispy_example_endnote_ris():
    # rispy tests/data/example_endnote.ris (EndNote's RIS, with continuation lines without tags):
    # one record
    records, report, problems = read("rispy/example_endnote.ris")
    assert (report.format, len(records), problems) == ("ris", 1, [])
    r = records[0]
    assert r["title"] == "EndNote: The Only Reference I Can Remember"
    assert r["authors"] == ["Smith, A. Nonymous", "Doe, J.", "End, N. Ote", "Ref, E. Rence"]
    assert (r["doi"], r["year"], r["journal"], r["pages"]) == (
        "10.1234/endnote.joke.2024",
        2024,
        "Journal of Reference Management",
        "1-2",
    )
    # 'DB  - EndNote' runs over two lines ('RIS'): rispy joins them; no PMID without a PubMed AN
    assert (r["database"], r["pmid"]) == ("EndNote RIS", None)


@pytest.mark.parametrize(
    "relative", ["colrev/enl_data.enl", "metaknowledge/TwoPaper.isi", "asreview/generic_tab.tsv"]
)
def test_format_told_from_content_whatever_the_suffix(tmp_path, relative):
    copy = tmp_path / "export.txt"
    copy.write_bytes((PEERS / relative).read_bytes())
    records, reports, _ = read_files([copy])
    assert len(records) == len(read(relative)[0]) and reports[0].format == read(relative)[1].format
