"""CONTENT TEST: pins answers of the shipped evidence. A curator's valid edit to evidence/ may
change them; update the expectation in the same commit, with the reason."""

from __future__ import annotations

import filecmp

import pytest
import yaml
from conftest import EVIDENCE, ROOT

from exoreview.screening.importer import import_records

DATA = ROOT / "tests" / "data" / "imports"

DOSSIER = EVIDENCE / "dossier"


STUDY_FILES = ("msc.yaml", "nonmsc.yaml", "clinical.yaml", "additions.yaml")


def dossier_entries():
    for name in STUDY_FILES:
        for entry in yaml.safe_load((DOSSIER / name).read_text(encoding="utf-8")):
            yield name, entry


# Where curation has since departed from the dossier, on purpose (each change is in the study's notes):
CURATED_SINCE: dict[str, dict[str, str]] = {
    "tak-2020-adsc-ce-rct": {
        "volume": "seen on DOAJ (2026-12-05)",
        "issue": "seen on DOAJ",
        "pages": "seen on DOAJ",
    },
    "egger-2020-stem-cell-hair-review": {"pages": "seen on cellr4.org (2026-12-05)"},
    "leriche-2019-fibroblast-ev-norrin": {
        "verified_at": "the tressless page summarises another paper",
        "cell_source_text": "its stimuli were named only on that page",
    },
    "song-2024-ucmsc-membrane-mxd": {"outcomes": "hair regrowth outcome read on the OUCI abstract"},
}


@pytest.mark.parametrize(
    "name, entry", list(dossier_entries()), ids=lambda v: v if isinstance(v, str) else v["key"]
)
def test_every_dossier_entry_has_its_study_file(shipped, name, entry):
    """Faithful to the dossier: same citation, verified_at kept, nothing invented."""
    keys = {r.get("dossier_key") or k: k for k, r in shipped.records.items()}
    assert entry["key"] in keys, f"{entry['key']} from {name} has no study file"
    rec = shipped.records[keys[entry["key"]]]
    since = CURATED_SINCE.get(rec["key"], {})
    if "verified_at" not in since:
        assert set(entry["verified_at"]) <= set(rec["verified_at"])
    assert rec["title"] == entry["title"]
    for field in ("journal", "volume", "issue", "pages"):
        if field not in since:
            assert rec[field] == entry[field], field
    # identifiers are never invented: either as in the dossier or (when later seen) documented
    for field in ("doi", "pmid"):
        if entry[field]:
            assert rec[field] == entry[field]
        elif rec[field]:
            assert rec["verified_at"] != entry["verified_at"], f"{field} added without a new source"
    assert rec["confidence"] == entry["confidence"]
    if "cell_source_text" not in since:
        assert rec["cell_source_text"] == entry["cell_source"]
    if "outcomes" not in since:
        assert len(rec["outcomes"]) == len(entry["outcomes"])


def test_corrections_are_applied(shipped):
    corrections = yaml.safe_load((DOSSIER / "corrections.yaml").read_text(encoding="utf-8"))
    for c in corrections:
        rec = shipped.records[c["key"]]
        field = {"n": "n_text"}.get(c["field"], c["field"])
        if field == "notes":  # a correction's note may be followed by what later curation found
            assert rec[field].startswith(c["value"]), (c["key"], field)
        else:
            assert rec[field] == c["value"], (c["key"], field)
        assert set(c["verified_at"]) <= set(rec["verified_at"])


# Regulatory records whose facts have since been corrected (the reason is in each file's notes):
REGULATORY_CURATED_SINCE = {
    "fda-2020-consumer-alert-regenerative-exosomes": "'only approved stem cell products' holds as of the alert's date",
    "korea-mfds-2025-cosmetic-ad-guideline": "the clinic-guide account was never in verified_at; ministry reports used",
}


def test_regulatory_records_match_the_dossier(shipped):
    """Every dossier record is shipped as the dossier has it (records added since are checked by validate)."""
    entries = yaml.safe_load((DOSSIER / "regulatory.yaml").read_text(encoding="utf-8"))
    assert {e["key"] for e in entries} <= set(shipped.regulatory["key"])
    for e in entries:
        rec = shipped.regulatory_records[e["key"]]
        assert rec["url"] == e["url"] and e["url"] in rec["verified_at"]
        if e["key"] in REGULATORY_CURATED_SINCE:
            assert rec["facts"] != e["facts"] and "Corrected" in rec["notes"], e["key"]
        else:
            assert rec["facts"] == e["facts"], e["key"]


def test_dossier_copy_matches_the_shared_dossier():
    shared = ROOT.parent / "shared" / "literature"
    if not shared.is_dir():
        pytest.skip("../shared/literature is not on this machine")
    for name in (*STUDY_FILES, "regulatory.yaml", "corrections.yaml"):
        assert filecmp.cmp(shared / name, DOSSIER / name, shallow=False), name


def test_citation_status_and_tiers(shipped):
    st = shipped.studies.set_index("key")
    assert st.loc["rajendran-2017-msc-evs", "citation_status"] == "complete"
    assert st.loc["kwack-2019-dp-exosomes-spheres", "citation_status"] == "incomplete"
    assert st.loc["oh-2024-ha-imsc-evs", "citation_status"] == "partial"
    assert st.loc["amini-2025-ecpe-pilot-rct", "tier"] == "randomized trial"
    assert st.loc["nct06239207-lahore-exo-vs-prp", "tier"] == "registered, no results"
    assert st.loc["tian-2026-hucmsc-sev-rct-protocol", "tier"] == "registered, no results"
    assert st.loc["gupta-2023-sr-exosome-hair", "tier"] == "systematic review"
    assert st.loc["cheng-2024-exosomes-hair-follicle-review", "tier"] == "narrative review"
    assert st.loc["won-2010-adsc-cm", "conditioned_medium"]
    assert not st.loc["ersan-2024-foreskin-msc-exo", "conditioned_medium"]


def test_registry_outcomes_are_planned_not_results(shipped):
    st = shipped.studies.set_index("key")
    no_results = st.index[~st["has_results"].astype(bool)]
    dirs = shipped.outcomes[shipped.outcomes["study"].isin(no_results)]["direction"]
    assert len(dirs) and set(dirs) == {"planned"}


def test_numbers_from_the_dossier(shipped):
    st = shipped.studies.set_index("key")
    assert st.loc["ersan-2024-foreskin-msc-exo", "n_participants"] == 30
    assert st.loc["wan-2025-exosome-microneedling-aga", "follow_up_weeks"] == 52
    o = shipped.outcomes
    wan = o[(o["study"] == "wan-2025-exosome-microneedling-aga") & (o["outcome"] == "hair density")].iloc[0]
    assert (wan["change"], wan["change_sd"], wan["n"]) == (35.0, 6.5, 16)


def test_records_already_in_the_shipped_evidence_say_which_study():
    batch = import_records([DATA / "pubmed-search.nbib"], evidence=EVIDENCE)
    found = batch.in_evidence()
    assert sorted(found["in_evidence"]) == sorted(
        [
            "rajendran-2017-msc-evs",
            "kim-2022-colostrum-exosomes",
            "li-2023-dpc-exos-lef1",
            "ersan-2024-foreskin-msc-exo",
            "oh-2024-ha-imsc-evs",
        ]
    )
    assert list(found["id"]) == sorted(found["id"])  # numbered on from the shipped screening log
    assert batch.summary()["new"] == 0
