"""Loading: tidy tables with explicit dtypes, and the shipped evidence is faithful to the dossier."""

from __future__ import annotations

import pandas as pd
import yaml
from conftest import EVIDENCE

DOSSIER = EVIDENCE / "dossier"
STUDY_FILES = ("msc.yaml", "nonmsc.yaml", "clinical.yaml", "additions.yaml")


def dossier_entries():
    for name in STUDY_FILES:
        for entry in yaml.safe_load((DOSSIER / name).read_text(encoding="utf-8")):
            yield name, entry


def test_tables_have_explicit_dtypes(shipped):
    st = shipped.studies
    assert str(st["year"].dtype) == "Int64"
    assert str(st["n_participants"].dtype) == "Int64"
    assert isinstance(st["tier"].dtype, pd.CategoricalDtype)
    assert isinstance(st["title"].dtype, pd.StringDtype)
    assert str(st["industry_funded"].dtype) == "boolean"
    assert str(shipped.outcomes["change"].dtype) == "Float64"
    assert set(shipped.tags["facet"].cat.categories) >= {"cell_source", "design", "mechanism", "outcome"}


def test_counts_match_the_files(shipped):
    assert len(shipped.studies) == len(list((EVIDENCE / "studies").glob("*.yaml")))
    assert len(shipped.regulatory) == len(list((EVIDENCE / "regulatory").glob("*.yaml"))) >= 13
    n_outcomes = sum(
        len(yaml.safe_load(p.read_text())["outcomes"]) for p in (EVIDENCE / "studies").glob("*.yaml")
    )
    assert len(shipped.outcomes) == n_outcomes
    assert shipped.studies["key"].is_unique


def test_subset_is_pure(shipped):
    before = shipped.studies.copy()
    sub = shipped.subset(["ersan-2024-foreskin-msc-exo"])
    assert len(sub) == 1 and set(sub.outcomes["study"]) == {"ersan-2024-foreskin-msc-exo"}
    pd.testing.assert_frame_equal(shipped.studies, before)


def test_evidence_renders_lazily(shipped):
    assert "studies" in shipped._repr_html_() and "incomplete citations" in shipped.summary()
