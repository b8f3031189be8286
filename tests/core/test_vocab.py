"""The controlled vocabulary: synonyms, hierarchy, suggestions, and problems in the file itself."""

import pytest

from exoreview.core.vocab import Vocabulary, normalize
from exoreview.errors import VocabularyError


@pytest.fixture(scope="module")
def vocab(shipped):
    return shipped.vocabulary


@pytest.mark.parametrize(
    "facet, text, key",
    [
        ("cell_source", "adipose-derived stem cells", "ADSC"),
        ("cell_source", "Adipose Derived Stem Cells", "ADSC"),
        ("cell_source", "ADSCs", "ADSC"),
        ("cell_source", "Wharton's jelly MSC", "UC-MSC"),
        ("cell_source", "DP spheroids", "DP spheroid"),
        ("vesicle_term", "small extracellular vesicles", "small EV"),
        ("vesicle_term", "secretome", "conditioned medium"),
        ("design", "RCT", "randomized controlled trial"),
        ("condition", "male pattern baldness", "MPHL"),
        ("mechanism", "β-catenin", "Wnt/beta-catenin"),
        ("mechanism", "TGF-β", "TGF-beta/SMAD"),
        ("species", "mice", "mouse"),
    ],
)
def test_synonyms_resolve(vocab, facet, text, key):
    assert vocab.resolve(facet, text) == key


def test_msc_includes_its_kinds_but_adsc_excludes_msc_not_stated(vocab):
    msc = vocab.expand("cell_source", ["MSC"])
    assert {"ADSC", "BM-MSC", "UC-MSC", "iPSC-MSC", "placental MSC", "foreskin MSC", "MSC"} <= msc
    assert vocab.expand("cell_source", ["ADSC"]) == {"ADSC"}
    assert "DPC" not in msc


def test_outcome_groups_are_parents(vocab):
    clinical = vocab.expand("outcome", ["clinical"])
    assert {"hair density", "safety", "alopecia severity"} <= clinical
    assert "cell proliferation" not in clinical


def test_design_levels_follow_the_hierarchy(vocab):
    terms = vocab["design"].terms
    order = [
        "systematic review",
        "randomized controlled trial",
        "controlled trial",
        "prospective uncontrolled trial",
        "case report",
        "animal",
        "ex vivo organ culture",
        "in vitro",
    ]
    levels = [terms[t].get("level") for t in order]
    assert levels == sorted(levels) and len(set(levels)) == len(levels)
    assert terms["narrative review"].get("level") is None


def test_unknown_term_suggests_the_near_miss(vocab):
    with pytest.raises(VocabularyError) as err:
        vocab.resolve("cell_source", "adipose stem cell")
    assert "did you mean 'ADSC'" in str(err.value)


def test_normalize_folds_case_punctuation_and_beta():
    assert normalize("Wnt/β-Catenin") == normalize("wnt beta catenin") == "wnt beta catenin"


def test_vocabulary_file_problems_are_reported():
    data = {
        "cell_source": {"terms": {"A": {"parent": "Nope", "synonyms": ["x"]}, "B": {"synonyms": ["X"]}}},
        "broken": ["not", "a", "facet"],
    }
    _, problems = Vocabulary.from_data(data, "vocab.yaml", {})
    codes = sorted(p.code for p in problems)
    assert codes == ["ambiguous-term", "bad-vocabulary", "bad-vocabulary"]
    assert any("parent 'Nope'" in p.message for p in problems)
