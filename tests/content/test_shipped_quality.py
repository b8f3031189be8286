"""CONTENT TEST: pins answers of the shipped evidence. A curator's valid edit to evidence/ may
change them; update the expectation in the same commit, with the reason."""

from __future__ import annotations

from exoreview.appraisal import effects, pooling, quality, rob


def with_quality(ev):
    """ev.studies with each study's tool, cross-tool risk of bias and EV score (quality.summary)."""
    q = quality.summary(ev)[["study", "rob_tool", "rob_cross_tool", "ev_score", "ev_max"]]
    out = ev.studies.merge(
        q.rename(columns={"rob_cross_tool": "rob_overall"}), left_on="key", right_on="study"
    )
    return out.drop(columns="study")


# --- the shipped evidence --------------------------------------------------------------------
def test_every_primary_study_with_a_fitting_tool_is_assessed(shipped):
    s = with_quality(shipped)
    # a fitting tool is applied wherever the full text was read; from less it is not assessable
    with_tool = s[s["rob_tool"].notna()]
    assert len(with_tool) > 30
    full = with_tool[with_tool["extraction_level"] == "full text"]
    assert full["rob_overall"].notna().all(), full.loc[full["rob_overall"].isna(), "key"].tolist()
    rest = with_tool[with_tool["extraction_level"] != "full text"]
    notes = quality.summary(shipped).set_index("study")["rob_note"]
    assert rest["rob_overall"].isna().all()
    assert all("not assessable" in notes[k] or "not yet assessed" in notes[k] for k in rest["key"])
    no_tool = s[s["rob_tool"].isna()]
    assert set(no_tool["tier"]) <= {
        "registered, no results",
        "narrative review",
        "systematic review",
        "in vitro",
        "ex vivo",
    }
    for key in no_tool["key"]:
        assert shipped.study(key).get("risk_of_bias") is None, key
    assert set(s["rob_overall"].dropna()) <= set(rob.CROSS_TOOL_LEVELS)


def test_shipped_judgements_carry_support_from_the_record(shipped):
    table = quality.rob_table(shipped)
    assert table["support"].str.strip().str.len().min() > 5  # a sentence, or at least "Not seen."
    # tool per tier, as the rules say
    tiers = shipped.studies.set_index("key")["tier"]
    pairs = set(zip(table["tool"], table["study"].map(tiers)))
    assert pairs <= {
        ("RoB 2", "randomized trial"),
        ("ROBINS-I", "controlled study"),
        ("JBI case series", "uncontrolled human"),
        ("JBI case report", "case report"),
        ("SYRCLE", "animal"),
    }


def test_shipped_ev_scores(shipped):
    s = with_quality(shipped)
    assert str(s["ev_score"].dtype) == "Int64" and str(s["ev_max"].dtype) == "Int64"
    cm = s[s["conditioned_medium"].astype(bool)]
    assert cm["ev_score"].isna().all()
    primary_ev = s[
        ~s["conditioned_medium"].astype(bool)
        & s["has_results"].astype(bool)
        & ~s["tier"].isin(["narrative review", "systematic review"])
    ]
    assert primary_ev["ev_score"].notna().all()
    assert (primary_ev["ev_score"] <= primary_ev["ev_max"]).all()
    # the one study whose record names UC, TEM, NTA and flow cytometry scores highest
    best = s.loc[s["ev_score"].idxmax(), "key"]
    assert best == "unattributed-2020-macrophage-ev"


def test_shipped_evidence_gives_what_it_reports_and_no_more(shipped):
    eff, skipped = effects.study_effects(shipped)
    # every computed effect comes from a reported change, SD and n; nothing is imputed
    o = shipped.outcomes
    for r in eff.itertuples():
        src = o[(o["study"] == r.study) & (o["outcome"] == r.outcome)]
        assert src["change_sd"].notna().any() and src["n"].notna().any()
        assert r.estimate == float(src["change"].dropna().iloc[0])
    assert set(eff["kind"]) <= {"mean change"}
    with_numbers = o[o[["change", "change_pct", "baseline", "value"]].notna().any(axis=1)]
    assert len(eff) + len(skipped) == len(with_numbers)
    reasons = dict(zip(skipped["study"], skipped["reason"]))
    medians = o[o["summary"] == "median"]["study"]
    assert all(reasons[s].startswith("medians") for s in medians)
    syntheses = pooling.pool_comparable(eff)
    assert all(s.pooled is None for s in syntheses if s.k < 2)
    assert any("not pooled" in s.describe() for s in syntheses)
