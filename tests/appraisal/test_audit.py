"""Auditing texts: reference lists (numbered, unnumbered, broken, absent), matching, claim
sentences, overreach, the source article as the worked example, and the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import snapshot

from exoreview.appraisal import audit_rules
from exoreview.appraisal.audit import audit, split_sentences
from exoreview.appraisal.cards import findings_html
from exoreview.appraisal.citations import check_reference, parse_reference, same_journal
from exoreview.appraisal.scope import tag_scope, title_topic
from exoreview.cli import main

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "evidence" / "sources" / "exosomes-for-hair-loss.txt"
RAJENDRAN = (
    "Rajendran RL, Gangadaran P, Bak SS, et al. Extracellular vesicles derived from MSCs activates "
    "dermal papilla cell in vitro and promotes hair follicle conversion from telogen to anagen in mice. "
    "Sci Rep. 2017;7:15560. doi:10.1038/s41598-017-15505-3"
)


# --- rule tables ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "a, b, same",
    [
        ("Stem Cells Transl Med", "Stem Cells Translational Medicine", True),
        ("Int J Mol Sci", "International Journal of Molecular Sciences", True),
        ("the International Journal of Molecular Sciences", "Int J Mol Sci", True),
        ("Sci Rep", "Scientific Reports", True),
        ("BBRC", "Biochemical and Biophysical Research Communications", True),
        ("Stem Cell Res Ther", "Stem Cells Translational Medicine", False),
        ("J Cosmet Dermatol", "Journal of Investigative Dermatology", False),
        ("Cells", "Scientific Reports", False),
        (None, "Cells", False),
    ],
)
def test_journal_abbreviations(a, b, same):
    assert same_journal(a, b) is same


@pytest.mark.parametrize(
    "title, on",
    [
        ("Exosomes/tricalcium phosphate combination scaffolds can enhance bone regeneration", False),
        ("Exosomes derived from mesenchymal stem cells promote hair follicle stem cell proliferation", True),
        ("Exosomes in myocardial infarction", False),
        ("Exosomes in androgenetic alopecia", True),
        ("Extracellular vesicles: a primer", None),
    ],
)
def test_title_topic(shipped, title, on):
    assert title_topic(title, shipped.vocabulary)[0] is on


@pytest.mark.parametrize(
    "text, fields",
    [
        (
            "Zhang J, Liu X, Li H, et al. Exosomes/tricalcium phosphate combination scaffolds can enhance bone "
            "regeneration by activating the PI3K/Akt signaling pathway. Stem Cells Transl Med. 2017;6(10):1806-1818.",
            {
                "authors": ("Zhang", "Liu", "Li"),
                "journal": "Stem Cells Transl Med",
                "year": 2017,
                "volume": "6",
                "issue": "10",
                "pages": "1806-1818",
            },
        ),
        (
            "Li W, Mu D, Tian F, et al. Exosomes derived from mesenchymal stem cells inhibit apoptosis. "
            "Int J Mol Sci. 2019;20(15): 3751.",
            {"journal": "Int J Mol Sci", "year": 2019, "volume": "20", "issue": "15", "pages": "3751"},
        ),
        (
            RAJENDRAN,
            {
                "journal": "Sci Rep",
                "year": 2017,
                "volume": "7",
                "pages": "15560",
                "doi": "10.1038/s41598-017-15505-3",
            },
        ),
        (
            "Rajendran, R. L., Gangadaran, P., & Bak, S. S. (2017). Extracellular vesicles derived from MSCs "
            "activates dermal papilla cell in vitro. Scientific Reports, 7, 15560. https://doi.org/10.1038/s41598-017-15505-3",
            {
                "authors": ("Rajendran", "Gangadaran", "Bak"),
                "year": 2017,
                "journal": "Scientific Reports",
                "volume": "7",
                "pages": "15560",
                "doi": "10.1038/s41598-017-15505-3",
            },
        ),
        ("[3] Doe J. A title without a year. Some Journal.", {"year": None, "journal": "Some Journal"}),
    ],
)
def test_parse_reference_styles(text, fields):
    ref = parse_reference(text)
    for name, value in fields.items():
        assert getattr(ref, name) == value, (name, ref)


def test_split_sentences_keeps_abbreviations():
    sents = [
        s
        for _, s in split_sentences("Zhang et al. showed it, e.g. in mice. Then Li J. Smith said no.\n\nNew.")
    ]
    assert sents == ["Zhang et al. showed it, e.g. in mice.", "Then Li J. Smith said no.", "New."]


def test_tag_scope_tells_source_from_target_cells(shipped):
    s = (
        "exosomes derived from adipose-derived stem cells increased the proliferation of human dermal "
        "papilla cells and promoted hair growth in a mouse model of hair loss"
    )
    scope = tag_scope(s, shipped.vocabulary)
    assert scope["cell_source"] == ("ADSC",) and scope["target_cells"] == ("DPC",)
    assert scope["species"] == ("mouse",) and "hair-cycle" in scope["outcome"]


# --- matching references -----------------------------------------------------------------------
def test_reference_verified_by_doi(shipped):
    f = check_reference(RAJENDRAN, shipped, label="1")
    assert f.status == "verified" and f.study == "rajendran-2017-msc-evs"


def test_reference_metadata_mismatch_lists_each_difference(shipped):
    wrong = (
        RAJENDRAN.replace("2017;7:15560", "2018;9:1560")
        .replace("Sci Rep", "Stem Cells Transl Med")
        .replace("Rajendran RL", "Smith RL")
    )
    f = check_reference(wrong, shipped)
    assert f.status == "metadata-mismatch" and f.study == "rajendran-2017-msc-evs"
    fields = {d.split(":")[0] for d in f.differences}
    assert fields == {"journal", "year", "volume", "pages", "authors"}


def test_reference_found_by_fuzzy_title_without_identifiers(shipped):
    text = RAJENDRAN.split(" doi:")[0].replace("activates", "activate")
    f = check_reference(text, shipped)
    assert f.study == "rajendran-2017-msc-evs" and f.status == "verified"


def test_similar_title_of_another_paper_is_not_matched(shipped):
    # the article's second reference must not be taken for the 2023 IJMS paper on DPC exosomes
    f = check_reference(
        SOURCE.read_text(encoding="utf-8").split("References:")[1].strip().split("\n\n")[1], shipped
    )
    assert f.status == "not-found" and f.study is None


# --- other texts ----------------------------------------------------------------------------------
def test_text_without_references_flags_overreach(shipped):
    text = (
        "Our exosome hair treatment is clinically proven and FDA-approved. It regrows dead follicles "
        "with no side effects, and 95% of clients see permanent results.\n\nExosomes are not approved "
        "by the FDA for hair loss."
    )
    f = audit(text, shipped)
    assert f.references == () and len(f.claims) == 2  # 'not approved' is a disclaimer, not a claim
    assert f.claims[1].sentence.startswith("It regrows")  # the page's topic carries to it
    over = " ".join(f.claims[0].overreach + f.claims[1].overreach)
    for phrase in (
        "clinically proven",
        "FDA-approved",
        "regrows dead follicles",
        "no side effects",
        "95%",
        "permanent",
    ):
        assert f"'{phrase}'" in over, phrase
    assert "fda-2019-psn-exosome-products" in over  # what the evidence shows
    assert "longest follow-up of a human exosome study" in over
    assert f.claims[0].verdict == "contradicted"  # 'approved' against regulators
    assert f.claims[1].verdict == "contradicted"  # 'no side effects' against adverse events


def test_numbered_references_and_author_year(shipped):
    text = (
        "Extracellular vesicles promote hair regrowth in mice [1]. "
        "Exosomes regrow hair in men with androgenetic alopecia (Ersan et al., 2024).\n\n"
        "References\n"
        f"1. {RAJENDRAN}\n"
        "2. Ersan M, Ozer E, Akin O, et al. Effectiveness of Exosome Treatment in Androgenetic Alopecia: "
        "Outcomes of a Prospective Study. Aesthetic Plast Surg. 2024;48(21):4262-4271.\n"
    )
    f = audit(text, shipped)
    assert [(r.label, r.status, r.study) for r in f.references] == [
        ("1", "verified", "rajendran-2017-msc-evs"),
        ("2", "verified", "ersan-2024-foreskin-msc-exo"),
    ]
    mice, men = f.claims
    assert mice.cites == ("1",) and mice.verdict == "limited"  # mouse studies read from abstracts only
    assert (
        men.cites == ("2",)
        and men.verdict == "very-uncertain"
        and "ersan-2024-foreskin-msc-exo" in men.studies
    )


def test_citing_a_mouse_study_for_people_lists_the_difference(shipped):
    text = (
        "Exosomes increase hair density in patients with androgenetic alopecia [1].\n\nReferences\n"
        f"[1] {RAJENDRAN}\n"
    )
    claim = audit(text, shipped).claims[0]
    assert claim.verdict == "misattributed"
    assert any("species" in r and "rajendran-2017-msc-evs studied" in r for r in claim.reasons)


def test_broken_reference_list(shipped):
    text = (
        "Exosomes promote hair growth in mice [1, 3]. Exosomes help alopecia areata patients [2].\n\n"
        "References:\n"
        "1. Zhang J, Liu X. Exosomes/tricalcium phosphate combination scaffolds can enhance bone regeneration\n"
        "2. ???\n"
        "Used for: everything\n"
    )
    f = audit(text, shipped)
    assert [r.label for r in f.references] == ["1"]
    assert f.references[0].status == "off-topic"
    first = f.claims[0]
    assert first.verdict == "misattributed"
    assert any("marker 3 points to no entry" in r for r in first.reasons)
    assert any("not read as a reference" in n for n in f.notes)


def test_unnumbered_reference_list_and_pmid(shipped):
    text = (
        "Dermal papilla exosomes induced anagen in mice (Kwack et al., 2019).\n\nBibliography\n\n"
        "Rajendran RL et al. MSC vesicles and hair. Sci Rep. 2017;7:15560. PMID: 29138430\n\n"
        "Doe J. Vesicles in cardiac repair. Heart J. 2020;1:1-2.\n"
    )
    f = audit(text, shipped)
    assert [(r.label, r.status) for r in f.references] == [("1", "verified"), ("2", "off-topic")]
    assert f.claims[0].cites == () and any("Kwack 2019" in r for r in f.claims[0].reasons)


def test_markers_without_a_reference_list(shipped):
    f = audit("Exosomes help hair regrowth in women with female pattern hair loss [4].", shipped)
    assert f.claims[0].verdict == "misattributed"
    assert "numbered citation markers but no reference list" in f.notes[0]


def test_empty_and_unrelated_texts(shipped):
    assert audit("", shipped).claims == ()
    f = audit("Minoxidil helps hair. Exosomes are vesicles.", shipped)
    assert f.claims == () and "no sentence about exosomes" in f.to_text()


def test_html_is_escaped(shipped):
    f = audit("Exosomes <script>alert(1)</script> promote hair growth in mice.", shipped)
    html = findings_html(f)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'class="exoreview-audit-claims"' in html


def test_rules_table():
    table = audit_rules.rules_table()
    assert {"journal abbreviation", "overreach", "off-topic words"} <= set(table["rule"])
    assert "Stem Cells Transl Med, SCTM, STEM CELLS Transl Med" in set(table["value"])


# --- command line --------------------------------------------------------------------------------
def test_cli_audit_text_and_json(capsys):
    before = snapshot(ROOT / "evidence")
    assert main(["audit", str(SOURCE)]) == 0
    out = capsys.readouterr().out
    assert "[1] off-topic" in out and "[2] not-found" in out and "verdict: misattributed" in out
    assert main(["audit", str(SOURCE), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [r["status"] for r in data["references"]] == ["off-topic", "not-found"]
    assert snapshot(ROOT / "evidence") == before  # nothing written


@pytest.mark.parametrize(
    "content, message",
    [
        (None, "no such file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary file"),
        ("Exosomes für Haare".encode("latin-1"), "not UTF-8 (byte 0xfc)"),
    ],
)
def test_cli_audit_unreadable_files_exit_2(capsys, tmp_path, content, message):
    path = tmp_path / "page.txt"
    if content is not None:
        path.write_bytes(content)
    code = main(["audit", str(path)])
    err = capsys.readouterr().err
    assert code == 2 and message in err and "Traceback" not in err


def test_cli_audit_folder_exits_2(capsys, tmp_path):
    assert main(["audit", str(tmp_path)]) == 2
    assert "is a folder" in capsys.readouterr().err
