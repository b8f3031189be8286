"""The Filter: synonyms, hierarchy, year range, text, design level, and its description."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from exoreview.core.filters import FIELDS, Filter, count_by, terms_in
from exoreview.errors import VocabularyError


def keys(ev, **options):
    return set(Filter(**options).apply(ev).studies["key"])


ALL = {
    "ex-2017-msc-mouse",
    "ex-2019-adsc-mouse",
    "ex-2020-bm-rat",
    "ex-2021-dpc-exvivo",
    "ex-2022-adsc-cm-rct",
    "ex-2023-review",
    "ex-2024-ucmsc-registry",
}


@pytest.mark.parametrize(
    "options, expected",
    [
        ({}, ALL),
        (
            {"cell_sources": ["MSC"]},
            {
                "ex-2017-msc-mouse",
                "ex-2019-adsc-mouse",
                "ex-2020-bm-rat",
                "ex-2022-adsc-cm-rct",
                "ex-2024-ucmsc-registry",
            },
        ),
        ({"cell_sources": ["ADSC"]}, {"ex-2019-adsc-mouse", "ex-2022-adsc-cm-rct"}),
        ({"cell_sources": ["adipose-derived stem cells"]}, {"ex-2019-adsc-mouse", "ex-2022-adsc-cm-rct"}),
        (
            {"cell_sources": ["ADSC", "BM-MSC"]},
            {"ex-2019-adsc-mouse", "ex-2022-adsc-cm-rct", "ex-2020-bm-rat"},
        ),
        ({"cell_sources": ["DPC"]}, {"ex-2021-dpc-exvivo"}),
        ({"species": ["mouse"]}, {"ex-2017-msc-mouse", "ex-2019-adsc-mouse"}),
        ({"species": ["mice"], "cell_sources": ["ADSC"]}, {"ex-2019-adsc-mouse"}),
        ({"models": ["animal model"]}, {"ex-2017-msc-mouse", "ex-2019-adsc-mouse", "ex-2020-bm-rat"}),
        (
            {"conditions": ["AGA"]},
            {"ex-2019-adsc-mouse", "ex-2022-adsc-cm-rct", "ex-2023-review", "ex-2024-ucmsc-registry"},
        ),
        ({"conditions": ["FPHL"]}, {"ex-2024-ucmsc-registry"}),
        ({"outcomes": ["clinical"]}, {"ex-2022-adsc-cm-rct", "ex-2024-ucmsc-registry"}),
        ({"outcomes": ["hair-cycle"]}, {"ex-2017-msc-mouse", "ex-2019-adsc-mouse"}),
        ({"designs": ["animal"]}, {"ex-2017-msc-mouse", "ex-2019-adsc-mouse", "ex-2020-bm-rat"}),
        (
            {"min_design": "animal"},
            {
                "ex-2017-msc-mouse",
                "ex-2019-adsc-mouse",
                "ex-2020-bm-rat",
                "ex-2022-adsc-cm-rct",
                "ex-2024-ucmsc-registry",
            },
        ),
        ({"min_design": "RCT"}, {"ex-2022-adsc-cm-rct", "ex-2024-ucmsc-registry"}),
        (
            {"year_from": 2019, "year_to": 2021},
            {"ex-2019-adsc-mouse", "ex-2020-bm-rat", "ex-2021-dpc-exvivo"},
        ),
        ({"year_from": 2023}, {"ex-2023-review", "ex-2024-ucmsc-registry"}),
        ({"year_to": 2017}, {"ex-2017-msc-mouse"}),
        ({"text": "MINOXIDIL"}, {"ex-2017-msc-mouse"}),
        ({"text": "organ culture"}, {"ex-2021-dpc-exvivo"}),
        ({"vesicle_terms": ["EV"]}, {"ex-2017-msc-mouse"}),
        ({"include_conditioned_medium": False}, ALL - {"ex-2022-adsc-cm-rct"}),
        ({"include_registry": False}, ALL - {"ex-2024-ucmsc-registry"}),
        ({"include_reviews": False}, ALL - {"ex-2023-review"}),
        ({"cell_sources": ["ADSC"], "include_conditioned_medium": False}, {"ex-2019-adsc-mouse"}),
    ],
)
def test_filter_keeps_the_right_studies(exhibit, options, expected):
    assert keys(exhibit, **options) == expected


def test_apply_is_pure_and_filters_every_table(exhibit):
    before = exhibit.studies.copy()
    sub = Filter(cell_sources=["ADSC"]).apply(exhibit)
    pd.testing.assert_frame_equal(exhibit.studies, before)
    assert set(sub.outcomes["study"]) == set(sub.tags["study"]) == set(sub.studies["key"])
    assert set(sub.records) == set(sub.studies["key"])
    assert len(sub.regulatory) == len(exhibit.regulatory)


def test_unknown_terms_are_all_reported_with_suggestions(exhibit):
    with pytest.raises(VocabularyError) as err:
        Filter(cell_sources=["adipose stem cell"], species=["mouze"]).apply(exhibit)
    text = str(err.value)
    assert "did you mean 'ADSC'" in text and "did you mean 'mouse'" in text
    assert len(err.value.problems) == 2


def test_empty_year_range_is_an_error(exhibit):
    with pytest.raises(VocabularyError, match="empty"):
        Filter(year_from=2024, year_to=2017).apply(exhibit)


def test_min_design_needs_a_ranked_design(exhibit):
    with pytest.raises(VocabularyError, match="no evidence level"):
        Filter(min_design="narrative review").apply(exhibit)


@pytest.mark.parametrize(
    "spec, text",
    [
        (Filter(), "all studies"),
        (
            Filter(cell_sources=("ADSC", "BM-MSC"), species=("mouse",), year_from=2017, year_to=2024),
            "ADSC or BM-MSC · mouse · 2017–2024",
        ),
        (Filter(year_from=2020), "2020 onwards"),
        (Filter(year_to=2020), "up to 2020"),
        (Filter(min_design="animal", include_registry=False), "animal or stronger · no registry records"),
        (Filter(text="wnt", include_conditioned_medium=False), "“wnt” · no conditioned medium"),
    ],
)
def test_describe(spec, text):
    assert spec.describe() == text


def test_describe_uses_canonical_terms_once_resolved(exhibit):
    spec = Filter(cell_sources=["adipose-derived stem cells"], species="mice").resolved(exhibit.vocabulary)
    assert spec.describe() == "ADSC · mouse"
    assert spec.slug() == "adsc_mouse"


def test_slug_is_file_name_safe():
    slug = Filter(text="../../etc/passwd <x>", cell_sources=["ADSC"]).slug()
    assert "/" not in slug and "<" not in slug and " " not in slug and not slug.startswith(".")


def test_strings_become_tuples_and_filter_is_frozen():
    spec = Filter(cell_sources="ADSC")
    assert spec.cell_sources == ("ADSC",)
    with pytest.raises(dataclasses.FrozenInstanceError):
        spec.cell_sources = ("MSC",)  # type: ignore[misc]
    assert Filter(text="  ").is_empty


def test_every_field_has_a_cli_flag_and_help():
    assert len({f.flag for f in FIELDS}) == len(FIELDS)
    assert all(f.help for f in FIELDS)


def test_helpers_for_controls(exhibit):
    assert terms_in(exhibit, "cell_source")[:3] == ["MSC", "ADSC", "BM-MSC"]
    counts = count_by(exhibit, "cell_source")
    assert counts["ADSC (adipose)"] == 2
