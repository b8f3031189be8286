"""Effect sizes and random-effects pooling (exoreview/effects.py), checked against published
worked examples, and what can honestly be computed from the shipped evidence."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from conftest import base_study
from scipy import stats

import exoreview as xr
from exoreview.appraisal import effects, pooling
from exoreview.cli import main

# Colditz GA et al. Efficacy of BCG vaccine in the prevention of tuberculosis. JAMA 1994;271:698-702
# (metafor's dat.bcg): vaccinated TB+ / TB-, control TB+ / TB-.
BCG = [
    (4, 119, 11, 128),
    (6, 300, 29, 274),
    (3, 228, 11, 209),
    (62, 13536, 248, 12619),
    (33, 5036, 47, 5761),
    (180, 1361, 372, 1079),
    (8, 2537, 10, 619),
    (505, 87886, 499, 87892),
    (29, 7470, 45, 7232),
    (17, 1699, 65, 1600),
    (186, 50448, 141, 27197),
    (5, 2493, 3, 2338),
    (27, 16886, 29, 17825),
]


def bcg_log_rr():
    from statsmodels.stats.meta_analysis import effectsize_2proportions

    t, tn, c, cn = (np.array(x, float) for x in zip(*BCG))
    return effectsize_2proportions(t, t + tn, c, c + cn, statistic="risk-ratio")


def test_pooling_matches_metafor_and_stata_metan_on_bcg():
    """Published: metafor tests/testthat/test_metan_vs_rma.uni_with_dat.bcg.r, 'RE model w/ DL
    estimator, measure=RR' (Viechtbauer), which checks rma(method="DL") against Stata's
    `metan tpos tneg cpos cneg, randomi rr`: log RR -0.714 [-1.064, -0.364], z -4.00,
    tau² .3088, I² 92.1%; RR 0.490 [0.345, 0.695]; fixed-effect Q 152.23."""
    y, v = bcg_log_rr()
    p = pooling.pool(y, v)
    assert round(p.estimate, 3) == -0.714
    assert (round(p.ci_low, 3), round(p.ci_high, 3)) == (-1.064, -0.364)
    assert round(p.estimate / p.se, 2) == -4.00
    assert round(p.tau2, 4) == 0.3088
    assert round(p.i2, 1) == 92.1
    assert round(p.q, 2) == 152.23 and p.q_df == 12
    assert [round(math.exp(x), 3) for x in (p.estimate, p.ci_low, p.ci_high)] == [0.490, 0.345, 0.695]
    assert (round(p.fixed_ci[0], 3), round(p.fixed_ci[1], 3)) == (-0.510, -0.351)  # metan fixedi
    assert sum(p.weights) == pytest.approx(100)


def test_pooling_matches_metafor_on_kacker_interlaboratory_means():
    """Kacker (2004) interlaboratory example as run through metafor rma(method="DL") and
    published with statsmodels' tests (statsmodels/stats/tests/results/results_meta.py, exk1_dl)."""
    y = [61.0, 61.4, 62.21, 62.3, 62.34, 62.6, 62.7, 62.84, 65.9]
    v = [0.2025, 1.21, 0.09, 0.2025, 0.3844, 0.5625, 0.0676, 0.0225, 1.8225]
    p = pooling.pool(y, v)
    assert p.estimate == pytest.approx(62.3901386044504, rel=1e-9)
    assert p.se == pytest.approx(0.245749668040304, rel=1e-7)
    assert (p.ci_low, p.ci_high) == pytest.approx((61.9084781058787, 62.8717991030221), rel=1e-9)
    assert p.tau2 == pytest.approx(0.288049246973751, rel=1e-7)
    assert p.i2 == pytest.approx(67.744403741711, rel=1e-7)
    assert p.q == pytest.approx(24.801897741835, rel=1e-9)


def test_prediction_interval_is_higgins_thompson_spiegelhalter():
    """Higgins, Thompson & Spiegelhalter, J R Stat Soc A 2009;172:137-159, eq. (12):
    mu ± t_(k-2) sqrt(tau² + SE(mu)²)."""
    y, v = bcg_log_rr()
    p = pooling.pool(y, v)
    half = stats.t.ppf(0.975, len(y) - 2) * math.sqrt(p.tau2 + p.se**2)
    assert (p.pi_low, p.pi_high) == pytest.approx((p.estimate - half, p.estimate + half))
    assert p.pi_low < p.ci_low and p.pi_high > p.ci_high
    two = pooling.pool(y[:2], v[:2])
    assert two.pi_low is None and "no prediction interval" in two.describe()


def test_hedges_g_matches_the_borenstein_dataset():
    """Borenstein et al. (2009) Introduction to Meta-Analysis, dataset 1 (Carroll, Grant, Peck,
    Donat, Stewart, Young), as in Chen & Peace (2013) Applied Meta-Analysis with R; g and its
    variance from R meta::metacont (TE, seTE²) as published in statsmodels' test_meta.py."""
    data = [
        (94, 22, 60, 92, 20, 60),
        (98, 21, 65, 92, 22, 65),
        (98, 28, 40, 88, 26, 40),
        (94, 19, 200, 82, 17, 200),
        (98, 21, 50, 88, 22, 45),
        (96, 21, 85, 92, 22, 85),
    ]
    meta_te = [
        0.09452437336063831,
        0.27735640148036095,
        0.36654634845797818,
        0.66438509989113559,
        0.46180797677414176,
        0.18516464424648887,
    ]
    meta_var = [
        0.03337182573880991,
        0.03107434965484927,
        0.05088322525353587,
        0.01055724834741877,
        0.04339324466573324,
        0.02363264537147130,
    ]
    for row, te, var in zip(data, meta_te, meta_var):
        g = effects.hedges_g(*row)
        assert g.value == pytest.approx(te, rel=1e-9)
        assert g.variance == pytest.approx(var, rel=1e-9)
        assert g.ci_low < g.value < g.ci_high


def test_mean_difference_and_mean_change():
    md = effects.mean_difference(10, 2, 20, 8, 3, 25)
    assert md.value == 2 and md.variance == pytest.approx(4 / 20 + 9 / 25)
    assert md.ci_high - md.value == pytest.approx(1.959964 * math.sqrt(md.variance), rel=1e-6)
    mc = effects.mean_change(35.0, 6.5, 16)
    assert mc.se == pytest.approx(6.5 / 4)
    assert mc.ci_low == pytest.approx(35 - stats.t.ppf(0.975, 15) * 6.5 / 4)
    with pytest.raises(ValueError, match="n >= 2"):
        effects.mean_change(1.0, 1.0, 1)


def test_truncated_dl_equals_fixed_effect_when_studies_agree():
    p = pooling.pool([1.0, 1.01, 0.99], [0.5, 0.5, 0.5])
    assert p.tau2 == 0.0 and p.i2 == 0.0
    assert p.estimate == pytest.approx(p.fixed_estimate)


@pytest.mark.parametrize(
    "eff, var, match",
    [
        ([1.0], [0.1], "at least 2"),
        ([1.0, 2.0], [0.1, 0.0], "positive"),
        ([1.0, 2.0], [0.1, float("nan")], "positive"),
    ],
)
def test_pool_refuses_what_it_cannot_do(eff, var, match):
    with pytest.raises(ValueError, match=match):
        pooling.pool(eff, var)


def _effect(study, estimate, variance, **kw):
    row = dict(
        study=study,
        label=study,
        outcome="hair density",
        measure="m",
        kind="mean change",
        design="single arm",
        unit="hairs/cm2",
        timepoint="12 weeks",
        n=10,
        estimate=estimate,
        variance=variance,
        se=math.sqrt(variance),
        ci_low=estimate - 2,
        ci_high=estimate + 2,
        numbers="",
        evidence="people",
        pooled=True,
    )
    row.update(kw)
    return row


def test_only_comparable_effects_are_pooled():
    df = pd.DataFrame(
        [
            _effect("a", 10, 4),
            _effect("b", 14, 4),
            _effect("c", 3, 1, unit="%"),
            _effect("d", 20, 4, outcome="hair diameter"),
        ]
    )
    out = {(s.group["outcome"], s.group["unit"]): s for s in pooling.pool_comparable(df)}
    pooled = out[("hair density", "hairs/cm2")]
    assert pooled.pooled is not None and pooled.k == 2 and pooled.pooled.estimate == pytest.approx(12)
    for key in (("hair density", "%"), ("hair diameter", "hairs/cm2")):
        assert out[key].pooled is None and "needs at least 2 comparable studies" in out[key].reason


# --- SDs from what studies report (Cochrane Handbook 6.5.2.2) -----------------------------------------
def test_sd_from_se_worked_example():
    # SD = SE x sqrt(n): an SE of 2.5 in a group of 16 is an SD of 10
    assert effects.sd_from_se(2.5, 16) == pytest.approx(10.0)


def test_sd_from_ci_small_sample_uses_t():
    # n = 25, 95% CI 10.0 to 15.0: t(0.975, 24) = 2.0639, so SD = 5 x 5 / (2 x 2.0639) = 6.06
    assert stats.t.isf(0.025, 24) == pytest.approx(2.0639, abs=1e-4)
    assert effects.sd_from_ci(10.0, 15.0, 25) == pytest.approx(6.057, abs=1e-3)


def test_sd_from_ci_large_sample_uses_3_92():
    # n = 100 (at least 60): SD = sqrt(100) x (upper - lower) / 3.92
    assert effects.sd_from_ci(0.0, 3.92, 100) == pytest.approx(10.0, abs=1e-3)
    # a 90% CI: 2 x 1.645
    assert effects.sd_from_ci(0.0, 3.29, 100, level=90) == pytest.approx(10.0, abs=1e-2)


@pytest.mark.parametrize(
    "arm, sd, how",
    [
        ({"n": 16, "sd": 4.0}, 4.0, "as reported"),
        ({"n": 16, "se": 1.0}, 4.0, "from the SE"),
        ({"n": 25, "ci_low": 10.0, "ci_high": 15.0}, 6.057, "from the 95% CI (t quantile"),
        ({"n": 16}, None, "no SD is imputed"),
        ({"se": 1.0}, None, "number of participants"),
    ],
)
def test_arm_sd_says_how(arm, sd, how):
    got, why = effects.arm_sd(arm)
    assert (got is None) == (sd is None) and how in why
    if sd is not None:
        assert got == pytest.approx(sd, abs=1e-3)


# --- effects of an evidence folder ------------------------------------------------------------------
def _with_arms(key, arms, *, human=False, paired=None, unit="hairs/cm2"):
    models = (
        [{"model": "clinical", "species": "human", "detail": "men"}]
        if human
        else [{"model": "telogen-to-anagen model", "species": "mouse", "detail": "C57BL/6"}]
    )
    effect = {"unit": unit, "timepoint": "day 14", "source": "Table 2", "arms": arms}
    if paired is not None:
        effect["paired"] = paired
    return base_study(
        key,
        design=["randomized controlled trial" if human else "animal"],
        models=models,
        outcomes=[
            {
                "outcome": "hair density" if human else "hair regrowth (animal)",
                "measure": "m",
                "direction": "increased",
                "effect": effect,
            }
        ],
    )


ARMS = [
    {"label": "EV", "role": "intervention", "n": 6, "mean": 80.0, "sd": 10.0},
    {"label": "PBS", "role": "control", "n": 6, "mean": 40.0, "se": 5.0},
]


def test_two_arm_effects_from_arms_with_the_conversion_named(make_evidence):
    ev = xr.load(make_evidence({"a-2021-x.yaml": _with_arms("a-2021-x", ARMS)}))
    eff, skipped = effects.study_effects(ev)
    assert skipped.empty
    assert list(eff["kind"]) == ["mean difference", "Hedges' g"]
    md = eff.iloc[0]
    assert (
        md["estimate"] == pytest.approx(40.0) and md["n"] == "6 vs 6" and md["evidence"] == "animals or cells"
    )
    sd_c = 5.0 * math.sqrt(6)
    assert md["variance"] == pytest.approx(10.0**2 / 6 + sd_c**2 / 6)
    assert "SD from the SE" in md["conversion"] and md["source"] == "Table 2"
    assert eff.iloc[1]["estimate"] > 2  # a large standardised difference


def test_medians_and_missing_spread_give_no_effect_and_say_why(make_evidence):
    medians = [
        {"label": "EV", "role": "intervention", "n": 6, "median": 8.0, "q1": 6.0, "q3": 9.0},
        {"label": "PBS", "role": "control", "n": 6, "median": 3.0, "q1": 2.0, "q3": 4.0},
    ]
    no_sd = [
        {"label": "EV", "role": "intervention", "n": 6, "mean": 8.0},
        {"label": "PBS", "role": "control", "n": 6, "mean": 3.0, "sd": 1.0},
    ]
    no_control = [
        {"label": "EV", "role": "intervention", "n": 6, "mean": 8.0, "sd": 1.0},
        {"label": "minoxidil", "role": "active comparator", "n": 6, "mean": 7.0, "sd": 1.0},
    ]
    root = make_evidence(
        {
            "a-2021-x.yaml": _with_arms("a-2021-x", medians),
            "b-2022-y.yaml": _with_arms("b-2022-y", no_sd),
            "c-2023-z.yaml": _with_arms("c-2023-z", no_control),
        }
    )
    eff, skipped = effects.study_effects(xr.load(root))
    assert eff.empty
    reasons = dict(zip(skipped["study"], skipped["reason"]))
    assert "medians" in reasons["a-2021-x"] and "no SD is imputed" in reasons["b-2022-y"]
    assert "without a control arm" in reasons["c-2023-z"]


def test_paired_arms_are_flagged_and_a_second_arm_is_not_pooled(make_evidence):
    arms = [ARMS[0], {**ARMS[0], "label": "EV high dose", "mean": 90.0}, ARMS[1]]
    ev = xr.load(make_evidence({"a-2021-x.yaml": _with_arms("a-2021-x", arms, paired=True)}))
    eff, _ = effects.study_effects(ev)
    assert list(eff["pooled"]) == [True, True, False, False]
    assert all("paired arms" in n for n in eff["note"])
    assert "shares the control arm" in eff.iloc[2]["note"]


def test_people_and_animals_are_never_pooled_together(make_evidence):
    root = make_evidence(
        {
            f"{k}.yaml": _with_arms(k, ARMS, human=h, unit="hairs/cm2")
            for k, h in (("a-2021-x", True), ("b-2022-y", True), ("c-2023-z", False), ("d-2024-w", False))
        }
    )
    eff, _ = effects.study_effects(xr.load(root))
    groups = {(s.group["evidence"], s.group["kind"]): s for s in pooling.pool_comparable(eff)}
    for evidence in ("people", "animals or cells"):
        s = groups[(evidence, "Hedges' g")]
        assert s.pooled is not None and s.k == 2
        assert set(s.studies) == (
            {"a-2021-x", "b-2022-y"} if evidence == "people" else {"c-2023-z", "d-2024-w"}
        )


def test_cli_effects_json_lists_effects_reasons_and_studies_without_numbers(capsys, make_evidence):
    root = make_evidence(
        {
            "a-2021-x.yaml": _with_arms("a-2021-x", ARMS),
            "b-2022-y.yaml": _with_arms("b-2022-y", ARMS),
            "c-2023-z.yaml": base_study("c-2023-z"),
        }
    )
    assert main(["effects", "--evidence", str(root), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"effects", "not_computed", "syntheses", "studies_without_numbers", "counts"}
    assert data["counts"]["studies_with_effects"] == 2 and data["counts"]["pooled_groups"] == 2
    assert [r["study"] for r in data["studies_without_numbers"]] == ["c-2023-z"]
    assert "abstract only" in data["studies_without_numbers"][0]["reason"]
    pooled = next(s for s in data["syntheses"] if s["group"]["kind"] == "mean difference")
    assert pooled["k"] == 2 and pooled["pooled"]["estimate"] == pytest.approx(40.0)
    assert main(["effects", "--evidence", str(root)]) == 0
    assert "POOLED" in capsys.readouterr().out
