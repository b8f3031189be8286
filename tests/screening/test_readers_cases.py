"""Issue 15: each misread export case, read as its database writes it (one test a case), and the
messages and warnings that say what was changed, guessed or cannot be read."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from exoreview.cli import main
from exoreview.commands import import_
from exoreview.screening import readers
from exoreview.screening.records import read_files


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def read(path: Path, **kw):
    records, reports, problems = read_files([path], **kw)
    return records, reports[0], problems


def codes(problems) -> list[str]:
    return sorted(p.code for p in problems)


# -- BibTeX --------------------------------------------------------------------------------------
SCOPUS_BIB = """@ARTICLE{Smith2021,
author={Smith, A. and Jones, B.},
title={Exosomes from adipose stem cells promote hair growth in mice},
journal={Stem Cell Research {\\&} Therapy},
year={2021},
volume={12},
pages={1--10},
doi={10.1186/s13287-021-02000-1},
funding_details={National Natural Science Foundation of China, NSFC, 81971000},
funding_details={Natural Science Foundation of Guangdong Province, 2019A1515010000},
document_type={Article},
source={Scopus},
}
"""


def test_scopus_repeated_field_is_kept_joined_not_dropped(tmp_path):
    records, report, problems = read(write(tmp_path, "scopus.bib", SCOPUS_BIB))
    assert problems == [] and report.read == report.parsed == 1
    r = records[0]
    assert r["title"] == "Exosomes from adipose stem cells promote hair growth in mice"
    assert r["journal"] == "Stem Cell Research & Therapy" and r["year"] == 2021 and r["pages"] == "1-10"
    assert r["authors"] == ["Smith, A.", "Jones, B."]


def test_repeated_field_a_record_is_made_of_is_a_warning(tmp_path):
    bib = "@article{a, title={One}, title={Two}, year={2020}}\n"
    records, report, problems = read(write(tmp_path, "t.bib", bib))
    assert records[0]["title"] == "One; Two" and report.read == report.parsed == 1
    assert [(p.line, p.field, p.code) for p in problems] == [(1, "record 1 (a)", "repeated-field")]


LATEX_BIB = r"""@string{cool = "Cool"}
@string{stuff = "stuff"}
@article{a,
  title = {Topical 5% minoxidil versus placebo & the \TeX\ book},
  abstract = {First half of 5% of patients. Second half is kept.},
  journal = {Taylor & Francis},
  year = {2020},
}
@article{b,
  title = {It&apos;s a title with {\"o} and $\alpha$-helix},
  year = {2020},
}
@article{c,
  title = cool # " " # stuff # { about exosomes},
  year = 2019,
}
@article{d,
  title = {Vesicles \cite{ref12} in hair},
  year = {2021},
}
"""


def test_latex_is_decoded_only_as_latex(tmp_path):
    records, _, problems = read(write(tmp_path, "latex.bib", LATEX_BIB))
    by_line = {r["line"]: r for r in records}
    a, b, c, d = (by_line[n] for n in sorted(by_line))
    assert a["title"] == "Topical 5% minoxidil versus placebo & the \\TeX book"  # '%' '&' kept, \TeX kept
    assert a["abstract"] == "First half of 5% of patients. Second half is kept."
    assert a["journal"] == "Taylor & Francis"
    assert b["title"] == "It's a title with ö and α-helix"  # HTML entity and LaTeX decoded
    assert c["title"] == "Cool stuff about exosomes" and c["year"] == 2019  # @string # concatenation
    assert d["title"] == "Vesicles <cit.> in hair"
    # the one lossy change is reported on its record, named by file, line and key
    assert [(p.line, p.field, p.code) for p in problems] == [(17, "record 4 (d)", "text-changed")]
    assert "became 'Vesicles <cit.> in hair'" in problems[0].message


def test_two_entries_with_one_key_are_both_read(tmp_path):
    bib = "@article{k, title={First paper on vesicles}, year={2020}}\n\n@article{k, title={Second paper}, year={2021}}\n"
    records, report, problems = read(write(tmp_path, "joined.bib", bib))
    assert [r["title"] for r in records] == ["First paper on vesicles", "Second paper"]
    assert report.read == report.parsed == 2
    assert [(p.line, p.code) for p in problems] == [(3, "repeated-key")]
    assert (
        "also the key of the entry on line 1" in problems[0].message and "syntax" not in problems[0].message
    )


@pytest.mark.parametrize(
    "text", ["% a comment only\n% and another\n", '@string{j = "Journal"}\n@comment{x}\n']
)
def test_bib_without_entries_is_a_warning_exit_0(tmp_path, capsys, evidence, text):
    path = write(tmp_path, "empty-ish.bib", text)
    records, _, problems = read(path)
    assert records == [] and codes(problems) == ["no-entries"]
    assert "another format" not in problems[0].message and "--from" not in problems[0].message
    code = main(["import", str(path), "--dry-run", "--evidence", str(evidence)])
    err = capsys.readouterr().err
    assert code == 0 and "(warning)" in err


# -- tagged formats ------------------------------------------------------------------------------
WOS = """FN Clarivate Analytics Web of Science
VR 1.0
PT J
AU Kim, H
   Lee, J
AF Kim, Hana
   Lee, Jun
TI Exosomes derived from dermal papilla cells promote hair growth in
   cultured human hair follicles
SO JOURNAL OF DERMATOLOGICAL SCIENCE
PY 2020
VL 98
BP 12
EP 19
DI 10.1016/j.jdermsci.2020.01.001
PM 32000000
AB Dermal papilla cells regulate the hair cycle.
UT WOS:000520000000001
ER

PT J
AU Park, S
TI Second record
SO STEM CELLS
PY 10 15
ER

EF
"""


@pytest.mark.parametrize("name", ["savedrecs.txt", "savedrecs.ciw", "noext"])
def test_web_of_science_tagged_is_read_and_detected(tmp_path, name):
    records, report, problems = read(write(tmp_path, name, WOS))
    assert report.format == "wos" and len(records) == 2
    r = records[0]
    assert (
        r["title"]
        == "Exosomes derived from dermal papilla cells promote hair growth in cultured human hair follicles"
    )
    assert r["authors"] == ["Kim, H", "Lee, J"] and r["journal"] == "JOURNAL OF DERMATOLOGICAL SCIENCE"
    assert (r["year"], r["volume"], r["pages"]) == (2020, "98", "12-19")
    assert (r["doi"], r["pmid"], r["database"], r["line"]) == (
        "10.1016/j.jdermsci.2020.01.001",
        "32000000",
        "Web of Science",
        3,
    )
    # an unparseable year: a warning naming the value, the record kept
    assert [(p.line, p.field, p.code) for p in problems] == [(21, "record 2", "year-unreadable")]
    assert "'10 15'" in problems[0].message and records[1]["year"] is None


ENDNOTE = """%0 Journal Article
%A Wang, Li
%A Chen, Wei
%T Mesenchymal stem cell exosomes in androgenetic alopecia
%J Stem Cell Research & Therapy
%D 2022
%V 13
%P 100-110
%R 10.1186/s13287-022-00001-1
%M 35000000
%X An abstract that runs
over two lines.

%0 Journal Article
%A Zhao, M
%T Another record
%D Start date: 20170812
"""


def test_endnote_tagged_is_read(tmp_path):
    records, report, problems = read(write(tmp_path, "library.enw", ENDNOTE))
    assert report.format == "endnote" and problems == []
    a, b = records
    assert a["title"] == "Mesenchymal stem cell exosomes in androgenetic alopecia"
    assert a["authors"] == ["Wang, Li", "Chen, Wei"] and a["journal"] == "Stem Cell Research & Therapy"
    assert (a["year"], a["volume"], a["pages"], a["doi"], a["pmid"]) == (
        2022,
        "13",
        "100-110",
        "10.1186/s13287-022-00001-1",
        "35000000",
    )
    assert a["abstract"] == "An abstract that runs over two lines."
    assert b["year"] == 2017  # a date written as digits is read as its year


def test_endnote_tagged_given_as_bibtex_names_the_right_from(tmp_path):
    _, _, problems = read(write(tmp_path, "library.bib", ENDNOTE), fmt="bibtex")
    assert codes(problems) == ["no-records"] and "pass --from endnote" in problems[0].message


# -- tables --------------------------------------------------------------------------------------
@pytest.mark.parametrize("suffix", [".tsv", ".tab"])
def test_tsv_and_tab_are_tables(tmp_path, suffix):
    text = "TI\tAU\tPY\tDI\nHair growth with exosomes\tKim, H; Lee, J\t2020\t10.1/x\n"
    records, report, problems = read(write(tmp_path, "export" + suffix, text))
    assert report.format == "csv" and problems == []
    assert (records[0]["title"], records[0]["year"], records[0]["doi"]) == (
        "Hair growth with exosomes",
        2020,
        "10.1/x",
    )
    assert records[0]["authors"] == ["Kim, H", "Lee, J"]


@pytest.mark.parametrize(
    "header, row, layout",
    [
        (
            "Item Title,Publication Title,Book Series Title,Journal Volume,Journal Issue,Item DOI,Authors,Publication Year,URL,Content Type",
            '"Exosomes and hair",Journal X,,12,3,10.1007/s1,"A SmithB Jones",2021,http://x,Article',
            "springer",
        ),
        (
            "Publication Type,Authors,Article Title,Source Title,Publication Year,DOI,Pubmed Id,UT (Unique WOS ID)",
            'J,"Smith, A; Jones, B","Exosomes and hair",Journal X,2021,10.1007/s1,33000000,WOS:1',
            "wos",
        ),
        ("Title,Year Published,Authors", '"Exosomes and hair",2021,"Smith, A"', "generic"),
        ("Title,Start date,Authors", '"Exosomes and hair",20210812,"Smith, A"', "generic"),
        ("Title,Publication Date,Authors", '"Exosomes and hair",2021-08-12,"Smith, A"', "generic"),
    ],
)
def test_csv_title_and_year_columns(tmp_path, header, row, layout):
    records, _, problems = read(write(tmp_path, "export.csv", header + "\n" + row + "\n"))
    assert problems == [] and records[0]["title"] == "Exosomes and hair" and records[0]["year"] == 2021
    assert readers.csv_layout(header.split(",")) == layout


def test_unreadable_year_in_a_table_is_a_warning(tmp_path):
    records, _, problems = read(write(tmp_path, "e.csv", 'Title,Year\n"Exosomes and hair",n.d.\n'))
    assert records[0]["year"] is None and [(p.line, p.code) for p in problems] == [(2, "year-unreadable")]


# -- MEDLINE and RIS -----------------------------------------------------------------------------
ERIC = """OWN - ERIC
TI  - Teaching Hair Biology with Case Studies
AU  - Doe, Jane
DP  - 2019
SO  - Journal of College Science Teaching
AID - http://dx.doi.org/10.2505/4/jcst19_048_05_70
AN  - EJ1212345
DB  - ERIC

"""


def test_eric_nbib_keeps_its_doi_and_is_not_pubmed(tmp_path):
    records, report, problems = read(write(tmp_path, "eric.nbib", ERIC))
    assert report.format == "medline" and problems == []
    assert records[0]["doi"] == "10.2505/4/jcst19_048_05_70" and records[0]["database"] == "ERIC"
    assert records[0]["pmid"] is None and records[0]["year"] == 2019


ENDNOTE_RIS = """TY  - JOUR
AU  - Kim, H.
T1  - Exosomes and hair growth
JO  - J Dermatol Sci
PY  - 2020
AN  - 32000001
ER  -

TY  - CONF
AU  - Lee, J.
ST  - Short title only
PY  - 2021
ER  -
"""


def test_endnote_ris_of_pubmed_keeps_the_pmid_and_short_titles(tmp_path):
    records, _, problems = read(write(tmp_path, "endnote.ris", ENDNOTE_RIS))
    assert problems == [] and len(records) == 2
    assert records[0]["pmid"] == "32000001"
    assert records[1]["title"] == "Short title only"


# -- encodings -----------------------------------------------------------------------------------
GBK_BIB = "@article{zhang2020, title={外泌体促进小鼠毛发生长的研究}, author={张伟 and 李娜}, year={2020}}\n"


def test_gbk_file_is_guessed_and_the_guess_reported(tmp_path, capsys, evidence):
    path = write(tmp_path, "cnki.bib", GBK_BIB, encoding="gbk")
    records, report, problems = read(path)
    assert records[0]["title"] == "外泌体促进小鼠毛发生长的研究" and records[0]["authors"] == ["张伟", "李娜"]
    assert "(guessed)" in report.encoding and codes(problems) == ["encoding-guessed"]
    code = main(["import", str(path), "--dry-run", "--format", "json", "--evidence", str(evidence)])
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and [p["code"] for p in out["problems"]] == ["encoding-guessed"]
    assert "not UTF-8: read as" in out["problems"][0]["message"]
    code = main(["import", str(path), "--dry-run", "--evidence", str(evidence)])
    text = capsys.readouterr()
    assert code == 0 and "· 1 warning" in text.out and "problem" not in text.out  # a warning is no problem


# -- messages ------------------------------------------------------------------------------------
def test_from_choices_are_the_formats_read():
    assert list(import_.FROM_HELP) == list(readers.FORMATS)


def test_unknown_format_names_a_from_value_only_when_one_reads_it(tmp_path):
    _, _, problems = read(write(tmp_path, "notes.dat", "hello\nworld\n"))
    assert codes(problems) == ["unknown-format"] and "--from" not in problems[0].message
    assert "export the search again" in problems[0].message
    _, _, problems = read(write(tmp_path, "ris.dat", "\n\nJunk first line\nTY  - JOUR\nTI  - A\nER  - \n"))
    assert "--from ris" in problems[0].message


def test_ris_without_records_names_the_format_it_is(tmp_path):
    _, _, problems = read(write(tmp_path, "wos.ris", WOS), fmt="ris")
    assert codes(problems) == ["no-records"] and "pass --from wos" in problems[0].message


# the header of a Scopus CSV export, as metaknowledge's test file has it
# (UWNETLAB/metaknowledge metaknowledge/tests/scopus_testing.csv.scopus, first line)
SCOPUS_HEADER = (
    "Authors,Title,Year,Source title,Volume,Issue,Art. No.,Page start,Page end,Page count,Cited by,DOI,"
    "Link,Affiliations,Authors with affiliations,Abstract,Author Keywords,Index Keywords,Molecular "
    "Sequence Numbers,Chemicals/CAS,Tradenames,Manufacturers,Funding Details,References,Correspondence "
    "Address,Editors,Sponsors,Publisher,Conference name,Conference date,Conference location,Conference "
    "code,ISSN,ISBN,CODEN,PubMed ID,Language of Original Document,Abbreviated Source Title,Document "
    "Type,Source,EID"
)


def test_scopus_csv(tmp_path):
    header = SCOPUS_HEADER.split(",")
    row = dict.fromkeys(header, "")
    row.update(
        {
            "Authors": "Wexler M.N.",
            "Title": "Conjectures on the dynamics of secrecy and the secrets business",
            "Year": "1987",
            "Source title": "Journal of Business Ethics",
            "Volume": "6",
            "Page start": "469",
            "DOI": "10.1007/BF00383289",
            "PubMed ID": "12345",
            "Source": "Scopus",
            "EID": "2-s2.0-0040094431",
        }
    )
    out = tmp_path / "scopus.csv"
    with out.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, header)
        writer.writeheader()
        writer.writerow(row)
    records, report, problems = read(out)
    assert readers.csv_layout(header) == "scopus" and problems == []
    r = records[0]
    assert (r["title"], r["year"], r["journal"], r["doi"], r["pmid"], r["database"]) == (
        "Conjectures on the dynamics of secrecy and the secrets business",
        1987,
        "Journal of Business Ethics",
        "10.1007/BF00383289",
        "12345",
        "Scopus",
    )
