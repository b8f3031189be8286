"""The auditor against the development set of real claims (tests/data/claims/dev.yaml), labelled
from the evidence before the auditor saw them. The thresholds are issue 13's: claims found in at
least 95 % of claim sentences, verdicts agreeing in at least 85 %, no navigation or question taken
for a claim. ``python tests/claims_agreement.py`` prints the same measure per claim type, with every
disagreement."""

from __future__ import annotations

from collections import Counter

import pytest
from claims_agreement import load_set, report, run, table

CLAIM_TYPES = {
    "efficacy",
    "superiority",
    "safety",
    "regulatory",
    "onset",
    "durability",
    "dose",
    "mechanism",
    "population",
    "testimonial",
    "percentage",
    "published-in",
}
VERDICTS = {
    "supported",
    "limited",
    "very-uncertain",
    "preclinical-only",
    "no-evidence",
    "contradicted",
    "misattributed",
}


@pytest.fixture(scope="module")
def outcomes(shipped):
    return run(shipped)


def test_the_set_is_labelled_and_covers_every_kind():
    entries = load_set()
    assert len({e["id"] for e in entries}) == len(entries)
    claims = [e for e in entries if e["is_claim"]]
    assert len(claims) >= 80 and len(entries) - len(claims) >= 25
    assert {e["claim_type"] for e in claims} == CLAIM_TYPES
    for e in entries:
        assert e["url"].startswith("http") and e["text"].strip() and e["why"].strip(), e["id"]
        if e["is_claim"]:
            assert e["verdicts"] and set(e["verdicts"]) <= VERDICTS, e["id"]
    assert len({e["url"] for e in entries}) >= 40 and len({e["country"] for e in entries}) >= 8


def test_claims_are_found_and_non_claims_are_not(outcomes):
    rows = {r["type"]: r for r in table(outcomes)}
    claims = rows["all claims"]
    assert claims["found"] / claims["n"] >= 0.95
    taken = Counter(
        o.entry["why"].split()[0].rstrip(":,;(") for o in outcomes if not o.entry["is_claim"] and o.found
    )
    assert taken["navigation"] == taken["question"] == 0
    assert rows["all non-claims"]["found"] / rows["all non-claims"]["n"] <= 0.1


def test_verdicts_agree_with_the_labels(outcomes):
    claims = next(r for r in table(outcomes) if r["type"] == "all claims")
    assert claims["agree"] / claims["n"] >= 0.85
    assert claims["flagged"] / claims["overreach"] >= 0.9  # labelled overreach is flagged


def test_the_report_prints_every_claim_type_and_the_disagreements(outcomes):
    text = report(outcomes)
    for kind in CLAIM_TYPES:
        assert f"\n{kind} " in text
    assert "DISAGREEMENTS" in text
