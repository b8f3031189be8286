"""De-duplication rules (one table), against earlier records and the evidence base."""

from __future__ import annotations

import pytest
from conftest import EVIDENCE, base_study
from hypothesis import given, settings
from hypothesis import strategies as st

from exoreview.screening.dedupe import RULES, dedupe, evidence_index, find_duplicates, normalize_title

LONG = "Extracellular vesicles from dermal papilla cells promote hair follicle growth in mice"


def rec(i, title=LONG, year=2020, doi=None, pmid=None):
    return {"id": f"R{i:04d}", "title": title, "year": year, "doi": doi, "pmid": pmid}


@pytest.mark.parametrize("a, b, field, reason", [
    (rec(1, doi="10.1/ABC"), rec(2, title="Other", doi="10.1/abc"), "duplicate", "same DOI"),
    (rec(1, pmid="123"), rec(2, title="Other", pmid="123"), "duplicate", "same PMID"),
    (rec(1, doi="10.1/x", pmid="1"), rec(2, doi="10.1/x", pmid="2"), "check",
     "same DOI but different PMIDs (2 vs 1)"),
    (rec(1), rec(2, title=LONG.upper() + "."), "duplicate", "same title and year"),
    (rec(1), rec(2, year=None), "duplicate", "same title and year"),
    (rec(1), rec(2, year=2021), "check", "same title, years 2021 and 2020"),
    (rec(1), rec(2, year=2023), None, None),
    (rec(1), rec(2, title=LONG.replace("promote", "promotes")), "duplicate", "title 99% similar, same year"),
    (rec(1), rec(2, title=LONG.replace("in mice", "in mice and rats")), "check",
     "title 94% similar, same year"),
    (rec(1), rec(2, title=LONG.replace("papilla cells", "fibroblasts"), year=2021), "check",
     "title 90% similar, years 2021 and 2020"),
    (rec(1, doi="10.1/a"), rec(2, title=LONG.replace("promote", "promotes"), doi="10.1/b"), "check",
     "title 99% similar but different DOIs (10.1/b vs 10.1/a)"),
    (rec(1, title="Hair loss"), rec(2, title="Hair loss"), "check",
     "same title, but the title is too short to be sure"),
    (rec(1), rec(2, title="Macrophage vesicles and the wound-induced neogenesis of follicles"), None, None),
])
def test_rule_table(a, b, field, reason):
    m = find_duplicates([a, b])[1]
    got = ("duplicate", m.duplicate_reason) if m.duplicate_of else ("check", m.check_reason) if m.check_with \
        else (None, None)
    assert got == (field, reason)
    if field:
        assert (m.duplicate_of or m.check_with) == "R0001"


def test_rules_are_declared_once():
    assert [code for code, _t, _v in RULES] == ["doi", "pmid", "title", "similar", "check"]


@pytest.mark.parametrize("raw, norm", [
    ("<i>In vivo</i> Exosomes: a Study.", "in vivo exosomes a study"),
    ("Wnt/β-catenin signalling", "wnt beta catenin signalling"),
    ("Pozo-Pérez  and  López", "pozo perez and lopez"),
    (None, ""),
])
def test_normalize_title(raw, norm):
    assert normalize_title(raw) == norm


def test_against_the_evidence_and_earlier_imports():
    studies = [{"key": "li-2023-dpc-exos-lef1", "title": "Dermal Papilla Cell-Derived Exosomes Regulate",
                "year": 2023, "doi": "10.3390/ijms24043961", "pmid": None}]
    earlier = [rec(1, title="An earlier record about exosomes and hair regrowth in mice", doi="10.9/e")]
    new = [rec(2, title="x", doi="10.3390/IJMS24043961"), rec(3, title="y", doi="10.9/E")]
    m = find_duplicates(new, earlier=earlier, studies=studies)
    assert (m[0].in_evidence, m[0].evidence_reason, m[0].duplicate_of) == ("li-2023-dpc-exos-lef1", "same DOI", None)
    assert (m[1].duplicate_of, m[1].in_evidence) == ("R0001", None)


def test_dedupe_returns_a_new_frame():
    import pandas as pd

    df = pd.DataFrame([rec(1, doi="10.1/a"), rec(2, doi="10.1/A")])
    out = dedupe(df)
    assert "duplicate_of" not in df.columns and list(out["duplicate_of"].fillna("")) == ["", "R0001"]


def test_dedupe_reads_the_missing_values_of_a_typed_table():
    # the screening log's columns are typed (Int64 years, string DOIs): a missing value is pandas' NA
    import pandas as pd

    df = pd.DataFrame([rec(1, doi="10.1/a"), rec(2, year=None), rec(3, title=LONG.replace("mice", "rats"), year=None),
                       rec(4, title=None, pmid="7"), rec(5, title="x", pmid="7")])
    df = df.astype({"id": "string", "title": "string", "year": "Int64", "doi": "string", "pmid": "string"})
    out = dedupe(df)
    assert list(out["duplicate_of"].fillna("")) == ["", "R0001", "", "", "R0004"]
    assert list(out["duplicate_reason"].fillna("")) == ["", "same title and year", "", "", "same PMID"]
    assert out["check_reason"].iloc[2] == "title 95% similar, a year is missing"


def test_evidence_index_reads_every_study_file_leniently(make_evidence):
    draft = base_study("draft-2024-x", doi="https://doi.org/10.1/Draft", verified_at=[], confidence=None)
    root = make_evidence({"draft-2024-x.yaml": draft, "broken.yaml": "key: [unclosed"})
    idx = evidence_index(root)
    assert idx == [{"key": "draft-2024-x", "title": draft["title"], "year": 2021, "doi": "10.1/Draft",
                    "pmid": None}]
    assert len(evidence_index(EVIDENCE)) == len(list((EVIDENCE / "studies").glob("*.yaml")))


titles = st.sampled_from([LONG, LONG.upper(), LONG.replace("mice", "rats"), "Short one",
                          "Bovine colostrum exosomes for telogen to anagen transition in mice"])
records = st.lists(st.tuples(titles, st.sampled_from([2019, 2020, None]),
                             st.sampled_from([None, "10.1/a", "10.1/b"]), st.sampled_from([None, "1", "2"])),
                   max_size=12)


@settings(max_examples=60, deadline=None)
@given(records)
def test_every_duplicate_points_to_an_earlier_kept_record(rows):
    recs = [rec(i + 1, t, y, d, p) for i, (t, y, d, p) in enumerate(rows)]
    matches = find_duplicates(recs)
    ids = [r["id"] for r in recs]
    kept = set()
    for r, m in zip(recs, matches):
        for target in (m.duplicate_of, m.check_with):
            if target:
                assert target in kept and ids.index(target) < ids.index(r["id"])
        if not m.duplicate_of:
            kept.add(r["id"])
        if r["doi"] and not m.duplicate_of:           # an unmerged same-DOI record must be flagged
            earlier = [o for o in recs[: ids.index(r["id"])] if o["doi"] == r["doi"] and o["id"] in kept]
            assert not earlier or m.check_with


def test_typos_in_the_rarest_words_do_not_hide_a_duplicate():
    # each misspelt word occurs in one title only, so it cannot lead to the other record: the
    # index skips such words and files both titles under the words they share
    typos = LONG.replace("Extracellular", "Extracelular").replace("vesicles", "vesicels") \
        .replace("papilla", "papila")
    m = find_duplicates([rec(1), rec(2, title=typos)])[1]
    assert (m.duplicate_of, m.duplicate_reason) == ("R0001", "title 97% similar, same year")


# -- the vectorised implementation against the plain one (tests/dedupe_reference.py) ------------------
WORDS = ["exosomes", "hair", "follicle", "dermal", "papilla", "growth", "mice", "stem", "cells", "vesicles",
         "alopecia", "Résumé", "β-catenin", "<i>in", "vivo</i>", "wnt"]


@st.composite
def corpus(draw):
    """Records, earlier records and studies with many near-duplicates, shared identifiers, missing
    years, typos, empty and non-ASCII titles: the ties and the edge cases of the rules."""
    def title():
        words = draw(st.lists(st.sampled_from(WORDS), min_size=0, max_size=10))
        text = " ".join(words)
        if text and draw(st.booleans()):                       # a typo or two
            chars = list(text)
            for _ in range(draw(st.integers(1, 2))):
                chars[draw(st.integers(0, len(chars) - 1))] = draw(st.sampled_from("aeiou !"))
            text = "".join(chars)
        return draw(st.sampled_from([text, text, text.upper() + ".", None, ""]))

    def row(i, prefix):
        return {"id": f"{prefix}{i}", "key": f"{prefix}{i}", "title": title(),
                "year": draw(st.sampled_from([None, 2019, 2020, 2021, 2023])),
                "doi": draw(st.sampled_from([None, None, "10.1/A", "10.1/a", "10.1/b"])),
                "pmid": draw(st.sampled_from([None, None, None, "1", "2"]))}

    pool = [row(i, "R") for i in range(draw(st.integers(0, 40)))]
    records = pool + [dict(draw(st.sampled_from(pool)), id=f"C{i}") for i in range(draw(st.integers(0, 10)))] \
        if pool else pool
    records = draw(st.permutations(records))
    earlier = [dict(row(i, "E"), duplicate_of=draw(st.sampled_from([None, None, "E0"]))) for i in
               range(draw(st.integers(0, 8)))]
    studies = [row(i, "S") for i in range(draw(st.integers(0, 6)))]
    return records, earlier, studies


@settings(max_examples=150, deadline=None)
@given(corpus(), st.sampled_from([1 << 21, 1, 7]), st.sampled_from([4096, 0]))
def test_same_matches_as_the_plain_rules(case, chunk, sort_above):
    # chunk and sort_above: the paths a large export takes (candidates scored in several chunks,
    # records sorted before the searches), taken here by small corpora too
    from unittest import mock

    import exoreview.dedupe as d
    from dedupe_reference import find_duplicates as plain

    records, earlier, studies = case
    with mock.patch.object(d, "_CHUNK", chunk), mock.patch.object(d, "_SORT_NEEDLES_ABOVE", sort_above):
        got = find_duplicates(records, earlier=earlier, studies=studies)
    assert got == plain(records, earlier=earlier, studies=studies)


def test_same_matches_as_the_plain_rules_on_a_large_export():
    import random
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    import rispy
    from bench_import import synthetic_ris
    from dedupe_reference import find_duplicates as plain

    rng = random.Random(3)
    rows = []
    for i, e in enumerate(rispy.loads(synthetic_ris(1200, seed=3))):
        title = list(e["title"])
        if rng.random() < 0.3:                                  # misspelt copies of earlier titles
            title = list(rows[rng.randrange(len(rows))]["title"]) if rows else title
            for _ in range(rng.randint(1, 6)):
                title[rng.randrange(len(title))] = rng.choice("abcdefg ")
        rows.append({"id": f"R{i}", "title": "".join(title), "year": rng.choice([None, 2019, 2020, 2021]),
                     "doi": e.get("doi") if rng.random() < 0.5 else None, "pmid": None})
    studies = [dict(r, key=f"S{i}") for i, r in enumerate(rows[::40])]
    got = find_duplicates(rows[200:], earlier=rows[:200], studies=studies)
    assert got == plain(rows[200:], earlier=rows[:200], studies=studies)
    assert sum(m.duplicate_of is not None for m in got) > 100 and sum(m.check_with is not None for m in got) > 20
