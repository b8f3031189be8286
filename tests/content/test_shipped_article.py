"""CONTENT TEST: pins answers of the shipped evidence. A curator's valid edit to evidence/ may
change them; update the expectation in the same commit, with the reason."""

from __future__ import annotations

import json

import pytest
from conftest import EVIDENCE

from exoreview.appraisal.audit import audit
from exoreview.appraisal.citations import find_reference_list

SOURCE = EVIDENCE / "sources" / "exosomes-for-hair-loss.txt"


# --- the source article ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def article(shipped):
    return audit(SOURCE.read_text(encoding="utf-8"), shipped, source="exosomes-for-hair-loss.txt")


def test_article_references(article):
    refs = {r.label: r for r in article.references}
    assert [r.status for r in article.references] == ["off-topic", "not-found"]
    assert (
        "bone regeneration" in refs["1"].differences[0] and "tricalcium phosphate" in refs["1"].differences[0]
    )
    assert refs["2"].reference.journal == "Int J Mol Sci" and refs["2"].reference.year == 2019
    assert any("Used for" in n for n in article.notes)  # page text after the list is not a reference


def _sentence(findings, words):
    return next(c for c in findings.claims if words in c.sentence)


def test_article_claims_are_linked_and_misattributed(article):
    first = _sentence(article, "Stem Cells Translational Medicine in 2017")
    assert first.cites == ("1",) and first.verdict == "misattributed"
    assert first.scope["cell_source"] == ("ADSC",) and first.scope["species"] == ("mouse",)
    text = " ".join(first.reasons)
    assert "is reference [1]" in text and "bone regeneration" in text
    assert "li-2022-adsc-exos-immune" in text  # a study that does address it, not cited
    second = _sentence(article, "International Journal of Molecular Sciences in 2019")
    assert second.cites == ("2",) and second.verdict == "misattributed"
    assert any("species: the sentence says rat" in r for r in second.reasons)
    back = _sentence(article, "These studies provide evidence")
    assert back.cites == ("1", "2") and back.verdict == "misattributed"


def test_article_uncited_claims_are_graded(article):
    intro = _sentence(article, "promising therapeutic approach for hair loss.")
    assert intro.cites == () and intro.verdict in ("limited", "very-uncertain")
    assert intro.certainty in ("low", "very low")
    assert intro.studies  # the human studies behind the grade
    assert all(
        c.verdict in ("limited", "very-uncertain", "preclinical-only", "misattributed")
        for c in article.claims
    )
    assert not any("relatively new area" in c.sentence for c in article.claims)  # no assertion


def test_article_json_shape(article):
    data = article.to_dict()
    assert set(data) == {"references", "claims"}
    assert all(set(r) == {"label", "text", "status", "study", "differences"} for r in data["references"])
    assert all(
        set(c) == {"sentence", "cites", "scope", "verdict", "certainty", "overreach", "reasons", "studies"}
        for c in data["claims"]
    )
    json.dumps(data)


def test_find_reference_list_of_the_article():
    refs, start, notes = find_reference_list(SOURCE.read_text(encoding="utf-8"))
    lines = SOURCE.read_text(encoding="utf-8").splitlines()
    assert lines[start - 1].strip() == "References:" and [r.label for r in refs] == ["1", "2"]
    assert [r.first_author for r in refs] == ["Zhang", "Li"] and len(notes) == 4
