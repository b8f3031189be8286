"""Claim files: schema, tables, the Claim object, and the source article's claims as given."""

from __future__ import annotations

from pathlib import Path

import pytest

import exoreview as xr
from exoreview.core.claims import ASSERTS, Cite, Claim

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "evidence" / "sources" / "exosomes-for-hair-loss.txt"


def test_shipped_claims_load_into_tables(shipped):
    claims, links = shipped.claims, shipped.claim_links
    assert len(claims) >= 12 and claims["key"].is_unique
    # the shipped claims assert every kind but mechanism, onset and dose, which the audit finds on clinic
    # pages (tests/data/claims)
    assert set(claims["asserts"].astype(str)) == set(ASSERTS) - {"mechanism", "onset", "dose"}
    assert str(claims["min_follow_up_weeks"].dtype) == "Float64"
    assert set(links["claim"]) <= set(claims["key"])
    row = claims.set_index("key").loc["adsc-exosomes-density-men-aga"]
    assert row["cell_source"] == "ADSC (adipose)" and row["condition"] == "male pattern hair loss"


def test_claim_from_record_keeps_scope_and_cites(shipped):
    c = Claim.from_record(shipped.claim_records["article-msc-exosomes-rat-follicles"])
    assert c.species == ("rat",) and c.cell_source == ("MSC",) and not c.about_people
    assert c.cites and c.cites[0].reference.startswith("Li W, Mu D, Tian F")
    line = c.describe(shipped.vocabulary)
    assert line.startswith("hair loss (type not specified) · rat · MSC (tissue not stated) · exosomes")


@pytest.mark.parametrize(
    "species, cells, people",
    [((), False, True), (("human",), False, True), (("mouse",), False, False), ((), True, False)],
)
def test_about_people(species, cells, people):
    assert Claim("k", "s", species=species, cells=cells).about_people is people


def test_claim_rejects_unknown_kind():
    with pytest.raises(ValueError, match="asserts must be one of"):
        Claim("k", "s", asserts="miracle")


def test_claim_coerces_strings_and_dict_cites():
    c = Claim("k", "s", condition="AGA", cites=[{"reference": "Doe J. T. J Ex. 2020;1:1."}])
    assert c.condition == ("AGA",) and isinstance(c.cites[0], Cite)


def _claim_file(**changes):
    rec = {
        "key": "c-one",
        "statement": "Exosomes help.",
        "asserts": "benefit",
        "scope": {"condition": ["AGA"], "vesicle_term": ["exosome"]},
        "cites": [{"reference": "Doe J. Title. J Ex. 2021;1:1."}],
        "made_in": {"source": "test"},
    }
    rec.update(changes)
    return rec


def test_bad_claim_files_report_every_problem(make_evidence):
    from conftest import base_study

    root = make_evidence(
        {"doe-2021-adsc-exos.yaml": base_study()},
        claims={
            "c-one.yaml": _claim_file(
                scope={"condition": ["baldnes"], "species": ["mouse"]},
                cites=[{"study": "doe-2021-adsc-exo"}],
                asserts="miracle",
            ),
            "c-two.yaml": _claim_file(key="c-two", statment="typo"),
        },
    )
    report = xr.validate(root)
    text = "\n".join(str(p) for p in report.problems)
    assert not report.ok
    assert "c-one.yaml" in text and "did you mean 'doe-2021-adsc-exos'" in text  # dangling study
    assert "'baldnes' is not a known condition term" in text
    assert "asserts" in text and "miracle" in text
    assert "unknown field 'statment'" in text and "c-two.yaml" in text
    assert all(p.line for p in report.problems if "claims" in p.path)


def test_valid_claim_file_builds_links(make_evidence):
    from conftest import base_study

    root = make_evidence(
        {"doe-2021-adsc-exos.yaml": base_study()},
        claims={
            "c-one.yaml": _claim_file(cites=[{"reference": "Doe J 2021", "study": "doe-2021-adsc-exos"}])
        },
    )
    ev = xr.load(root)
    assert list(ev.claim_links["study"]) == ["doe-2021-adsc-exos"]
    assert ev.claims.loc[0, "n_cites"] == 1
