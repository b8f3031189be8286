"""Design suggestions (exoreview.screening.tags) against real titles labelled by hand before the
rule was written (tests/data/design_titles.yaml)."""

from __future__ import annotations

import pytest
import yaml
from conftest import EVIDENCE, ROOT

from exoreview.core.evidence import load
from exoreview.screening.tags import EXTRA, suggest

LABELLED = yaml.safe_load((ROOT / "tests" / "data" / "design_titles.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def vocab():
    return load(EVIDENCE).vocabulary


def designs(title, vocab, abstract=None):
    return sorted(s.term for s in suggest(title, abstract, vocab)["design"])


def test_the_labelled_titles_are_real_and_use_the_vocabulary(vocab):
    assert len(LABELLED) >= 40
    terms = set(vocab["design"].terms)
    records = "\n".join(
        p.read_text(encoding="utf-8") for p in (EVIDENCE / "screening" / "records").glob("*.csv")
    )
    for row in LABELLED:
        assert set(row["design"]) <= terms, row
        if row["source"].startswith("evidence/studies/"):
            rec = yaml.safe_load((ROOT / row["source"]).read_text(encoding="utf-8"))
            assert rec["title"] == row["title"], row["source"]
        else:
            assert row["title"] in records, row["title"]
    covered = {t for row in LABELLED for t in row["design"]}
    assert covered == terms - {"retrospective analysis"}  # every design a title names, bar one


def test_extra_phrases_name_vocabulary_terms(vocab):
    assert set(EXTRA["design"]) <= set(vocab["design"].terms)


def test_agreement_with_the_labels(vocab, capsys):
    exact = tp = fp = fn = 0
    for row in LABELLED:
        got, want = set(designs(row["title"], vocab)), set(row["design"])
        exact += got == want
        tp, fp, fn = tp + len(got & want), fp + len(got - want), fn + len(want - got)
    with capsys.disabled():
        print(
            f"\ndesign suggestions on {len(LABELLED)} labelled titles: {exact} exact; "
            f"precision {tp / (tp + fp):.2f}, recall {tp / (tp + fn):.2f}"
        )
    assert exact / len(LABELLED) >= 0.9 and tp / (tp + fp) >= 0.9


@pytest.mark.parametrize("row", LABELLED, ids=lambda r: r["title"][:50])
def test_each_labelled_title(vocab, row):
    assert designs(row["title"], vocab) == sorted(row["design"])


@pytest.mark.parametrize(
    "text, expected",
    [
        ("A retrospective chart review of 40 patients", ["narrative review", "retrospective analysis"]),
        ("A retrospective analysis of 40 patients", ["retrospective analysis"]),
        ("A half-side comparison of exosomes and saline", ["controlled trial"]),
        ("A non-randomized controlled study of exosomes", ["controlled trial"]),
        ("A randomised, placebo-controlled trial", ["randomized controlled trial"]),
        ("Outcomes of an open-label pilot study", ["prospective uncontrolled trial"]),
        ("Exosomes in alopecia: a systematic review and meta-analysis", ["systematic review"]),
        ("Exosomes on hair follicles ex vivo", ["ex vivo organ culture"]),
        ("Exosomes and hair growth", []),
    ],
)
def test_rules(vocab, text, expected):
    assert designs(text, vocab) == expected


def test_an_ethics_board_is_not_a_review(vocab):
    abstract = "The institutional review board approved the protocol. Forty men were randomly assigned."
    assert designs("Exosomes for hair loss", vocab, abstract) == ["randomized controlled trial"]
