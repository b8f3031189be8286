"""Effect sizes, computed only from numbers a study reports.

- Two arms (an intervention arm against the control arm of the same outcome): the mean difference
  and Hedges' g (statsmodels' ``effectsize_smd``: the bias-corrected standardised mean difference).
- One arm measured before and after: the mean change with its SD and n.
- An arm's SD is taken as reported, or derived with the Cochrane Handbook's formulas (section
  6.5.2.2): from a standard error, SD = SE × √n; from a confidence interval of a mean,
  SD = √n × (upper − lower) / (2 × t), t from n − 1 degrees of freedom when n < 60 (the
  Handbook's small-sample rule), else from the normal distribution (3.92 for 95 %). The effect
  says when one was used.
- Nothing is imputed: medians stay medians, a mean without any measure of spread gives no effect,
  and every outcome with numbers that gives none is listed with the reason.

Pooling is :mod:`exoreview.appraisal.pooling`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from ..core.evidence import Evidence
from ..core.values import as_int, missing

LARGE_SAMPLE = 60  # Cochrane 6.5.2.2: below this many per group, use t rather than 1.96
MIN_ARM_N = 2  # an arm needs two participants or animals for an SD to mean anything

# Why an outcome with numbers gives no effect size (the first that applies is given).
NOT_COMPUTABLE: Mapping[str, str] = {
    "median": "medians reported, not means: no mean difference or SMD is formed from medians",
    "no control": "arms without a control arm (placebo, vehicle, untreated): no two-arm effect",
    "no spread": "a mean without an SD, SE or confidence interval: no SD is imputed",
    "no n": "an arm without its number of participants or animals",
    "percent only": "percent changes without SDs or n",
    "change no sd": "a mean change without its SD or n: no confidence interval can be formed",
    "other": "the numbers reported do not define an effect size",
}


@dataclass(frozen=True)
class Estimate:
    value: float
    variance: float
    ci_low: float
    ci_high: float

    @property
    def se(self) -> float:
        return math.sqrt(self.variance)


# --- standard deviations from what a study reports ------------------------------------------------
def sd_from_se(se: float, n: int) -> float:
    """Cochrane Handbook 6.5.2.2: SD = SE × √n."""
    return se * math.sqrt(n)


def sd_from_ci(low: float, high: float, n: int, *, level: float = 95.0) -> float:
    """Cochrane Handbook 6.5.2.2: SD = √n × (upper − lower) / (2 × t), with t from the t distribution
    on n − 1 degrees of freedom when n < 60, else from the normal distribution (3.92 for 95 %)."""
    tail = (1 - level / 100) / 2
    q = stats.t.isf(tail, n - 1) if n < LARGE_SAMPLE else stats.norm.isf(tail)
    return math.sqrt(n) * (high - low) / (2 * q)


def arm_sd(arm: Mapping[str, Any]) -> tuple[float | None, str]:
    """(SD, how it was obtained) for one arm, or (None, why not)."""
    if not missing(arm.get("sd")):
        return float(arm["sd"]), "SD as reported"
    n = as_int(arm.get("n"))
    if n is None:
        return None, NOT_COMPUTABLE["no n"]
    if not missing(arm.get("se")):
        return sd_from_se(float(arm["se"]), n), "SD from the SE (SE × √n, Cochrane 6.5.2.2)"
    if not missing(arm.get("ci_low")) and not missing(arm.get("ci_high")):
        level = 95.0 if missing(arm.get("ci_level")) else float(arm["ci_level"])
        how = "t" if n < LARGE_SAMPLE else "normal"
        return (
            sd_from_ci(float(arm["ci_low"]), float(arm["ci_high"]), n, level=level),
            f"SD from the {level:g}% CI ({how} quantile, Cochrane 6.5.2.2)",
        )
    return None, NOT_COMPUTABLE["no spread"]


# --- estimators -----------------------------------------------------------------------------------
def mean_difference(
    mean1: float, sd1: float, n1: int, mean2: float, sd2: float, n2: int, *, alpha: float = 0.05
) -> Estimate:
    """Raw mean difference (group 1 − group 2) with a normal-approximation CI."""
    md = mean1 - mean2
    var = sd1**2 / n1 + sd2**2 / n2
    z = stats.norm.isf(alpha / 2)
    return Estimate(md, var, md - z * math.sqrt(var), md + z * math.sqrt(var))


def hedges_g(
    mean1: float, sd1: float, n1: int, mean2: float, sd2: float, n2: int, *, alpha: float = 0.05
) -> Estimate:
    """Bias-corrected standardized mean difference (Hedges' g) via statsmodels, normal CI."""
    from statsmodels.stats.meta_analysis import effectsize_smd  # heavy: imported where used

    g, var = effectsize_smd(
        np.asarray([mean1], float),
        np.asarray([sd1], float),
        np.asarray([n1], float),
        np.asarray([mean2], float),
        np.asarray([sd2], float),
        np.asarray([n2], float),
    )
    g, var = float(np.asarray(g)[0]), float(np.asarray(var)[0])
    z = stats.norm.isf(alpha / 2)
    return Estimate(g, var, g - z * math.sqrt(var), g + z * math.sqrt(var))


def mean_change(change: float, sd: float, n: int, *, alpha: float = 0.05) -> Estimate:
    """Single-arm mean change with a t-based CI (n − 1 df); variance SD²/n for pooling."""
    if n < MIN_ARM_N:
        raise ValueError("a mean change needs n >= 2 for a confidence interval")
    se = sd / math.sqrt(n)
    t = stats.t.isf(alpha / 2, n - 1)
    return Estimate(change, se**2, change - t * se, change + t * se)


# --- effects of the evidence ----------------------------------------------------------------------
EFFECT_COLUMNS = [
    "study",
    "label",
    "outcome",
    "measure",
    "kind",
    "design",
    "evidence",
    "unit",
    "timepoint",
    "n",
    "estimate",
    "variance",
    "se",
    "ci_low",
    "ci_high",
    "numbers",
    "conversion",
    "source",
    "pooled",
    "note",
]
SKIPPED_COLUMNS = ["study", "outcome", "measure", "numbers", "reason"]


def study_effects(ev: Evidence, *, alpha: float = 0.05) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(effects, not computed): every effect size the reported numbers give (two-arm mean
    differences and Hedges' g; single-arm mean changes), and every outcome with numbers that gives
    none, with the reason."""
    studies = ev.studies.set_index("key")
    arms = {
        key: grp.sort_values("arm").to_dict("records")
        for key, grp in ev.arms.groupby(["study", "index"], sort=False)
    }
    rows: list[dict[str, Any]] = []
    skipped: list[dict[str, Any]] = []
    for row in ev.outcomes.to_dict("records"):
        srow = studies.loc[row["study"]]
        base = {
            "study": row["study"],
            "label": _label(srow, row["study"]),
            "outcome": str(row["outcome"]),
            "measure": row["measure"],
            "evidence": "people" if bool(srow["human"]) else "animals or cells",
            "timepoint": row.get("timepoint"),
            "source": row.get("effect_source") or row.get("source"),
        }
        outcome_arms = arms.get((row["study"], row["index"]), [])
        if outcome_arms:
            found, why = _two_arm(outcome_arms, row, base, alpha)
            rows += found
            if why:
                skipped.append({**_skip(base, outcome_arms), "reason": why})
            continue
        given = {
            c: row[c]
            for c in (
                "baseline",
                "value",
                "change",
                "change_sd",
                "control_change",
                "change_pct",
                "control_change_pct",
                "n",
                "p_value",
            )
            if not missing(row.get(c))
        }
        if not given:
            continue
        shown = ", ".join(f"{k} {_fmt(v)}" for k, v in given.items())
        single = (
            str(row.get("summary") or "mean") != "median"
            and all(c in given for c in ("change", "change_sd", "n"))
            and "control_change" not in given
            and int(given["n"]) >= MIN_ARM_N
        )
        if single:
            est = mean_change(float(given["change"]), float(given["change_sd"]), int(given["n"]), alpha=alpha)
            rows.append(
                {
                    **base,
                    "kind": "mean change",
                    "design": "single arm",
                    "unit": row.get("unit"),
                    "n": str(int(given["n"])),
                    **_estimate(est),
                    "numbers": shown,
                    "conversion": None,
                    "pooled": True,
                    "note": "within-group change from baseline: no control",
                }
            )
            continue
        skipped.append(
            {
                "study": row["study"],
                "outcome": base["outcome"],
                "measure": row["measure"],
                "numbers": shown,
                "reason": _why_not(row),
            }
        )
    return pd.DataFrame(rows, columns=EFFECT_COLUMNS), pd.DataFrame(skipped, columns=SKIPPED_COLUMNS)


def _two_arm(
    arms: list[dict[str, Any]], row: Mapping[str, Any], base: dict[str, Any], alpha: float
) -> tuple[list[dict[str, Any]], str | None]:
    controls = [a for a in arms if a["role"] == "control"]
    interventions = [a for a in arms if a["role"] == "intervention"]
    if not controls or not interventions:
        return [], NOT_COMPUTABLE["no control"]
    control = controls[0]
    if missing(control.get("mean")):
        return [], NOT_COMPUTABLE["median" if not missing(control.get("median")) else "other"]
    sd_c, how_c = arm_sd(control)
    if sd_c is None:
        return [], how_c
    out: list[dict[str, Any]] = []
    why = None
    for k, arm in enumerate(interventions):
        if missing(arm.get("mean")):
            why = NOT_COMPUTABLE["median" if not missing(arm.get("median")) else "other"]
            continue
        sd_i, how_i = arm_sd(arm)
        if sd_i is None:
            why = how_i
            continue
        n_i, n_c = int(arm["n"]), int(control["n"])
        if min(n_i, n_c) < MIN_ARM_N:
            why = NOT_COMPUTABLE["no n"]
            continue
        numbers = (
            f"{arm['label']}: mean {_fmt(arm['mean'])}, SD {sd_i:.3g}, n {n_i}; {control['label']}: "
            f"mean {_fmt(control['mean'])}, SD {sd_c:.3g}, n {n_c}"
        )
        conversions = sorted({h for h in (how_i, how_c) if h != "SD as reported"})
        note = (
            "paired arms (the same people or animals): analysed as independent groups, which "
            "overstates the variance (conservative); the within-pair correlation is not reported"
            if row.get("paired") is True
            else None
        )
        if k:
            note = "; ".join(
                x for x in (note, "shares the control arm with another intervention arm: not pooled") if x
            )
        common = {
            **base,
            "design": "two arms",
            "n": f"{n_i} vs {n_c}",
            "numbers": numbers,
            "conversion": "; ".join(conversions) or None,
            "pooled": k == 0,
            "note": note,
        }
        md = mean_difference(float(arm["mean"]), sd_i, n_i, float(control["mean"]), sd_c, n_c, alpha=alpha)
        g = hedges_g(float(arm["mean"]), sd_i, n_i, float(control["mean"]), sd_c, n_c, alpha=alpha)
        out.append({**common, "kind": "mean difference", "unit": row.get("unit"), **_estimate(md)})
        out.append({**common, "kind": "Hedges' g", "unit": None, **_estimate(g)})
    return out, (why if not out else None)


def _estimate(est: Estimate) -> dict[str, float]:
    return {
        "estimate": est.value,
        "variance": est.variance,
        "se": est.se,
        "ci_low": est.ci_low,
        "ci_high": est.ci_high,
    }


def _skip(base: Mapping[str, Any], arms: list[dict[str, Any]]) -> dict[str, Any]:
    shown = "; ".join(
        f"{a['label']} ({a['role']}): "
        + ", ".join(
            f"{k} {_fmt(a[k])}"
            for k in ("n", "mean", "sd", "se", "ci_low", "ci_high", "median", "q1", "q3", "events")
            if not missing(a.get(k))
        )
        for a in arms
    )
    return {"study": base["study"], "outcome": base["outcome"], "measure": base["measure"], "numbers": shown}


def _why_not(row: Mapping[str, Any]) -> str:
    present = [c for c in ("change", "baseline", "value", "control_change") if not missing(row.get(c))]
    if str(row.get("summary") or "") == "median":
        return NOT_COMPUTABLE["median"]
    if not present and any(not missing(row.get(c)) for c in ("change_pct", "control_change_pct")):
        return NOT_COMPUTABLE["percent only"]
    if not missing(row.get("change")) or not missing(row.get("control_change")):
        return NOT_COMPUTABLE["change no sd"]
    if present:
        return NOT_COMPUTABLE["no spread"]
    return NOT_COMPUTABLE["other"]


def studies_without_numbers(ev: Evidence, effects: pd.DataFrame, skipped: pd.DataFrame) -> pd.DataFrame:
    """Primary studies with results that gave no effect and no numbers, and why (what was read)."""
    st = ev.studies
    primary = st[
        st["has_results"].fillna(False).to_numpy(dtype=bool)
        & ~st["tier"].isin(["narrative review", "systematic review"]).to_numpy(dtype=bool)
    ]
    known = set(effects["study"]) | set(skipped["study"])
    rows = []
    for r in primary.itertuples():
        if r.key in known:
            continue
        level = str(r.extraction_level)
        why = (
            "full text read: no numbers printed in the text, tables or legends"
            if level == "full text"
            else f"{level} only: no per-arm numbers were read (the full text was not available)"
        )
        rows.append({"study": r.key, "design": r.tier, "extraction_level": level, "reason": why})
    return pd.DataFrame(rows, columns=["study", "design", "extraction_level", "reason"])


def _label(srow: Any, key: str) -> str:
    first = srow.get("first_author")
    year = srow.get("year")
    if missing(first):
        return key
    return f"{str(first).split()[0]} {int(year) if not missing(year) else 'n.d.'}"


def _fmt(v: Any) -> str:
    f = float(v)
    return str(int(f)) if f.is_integer() else f"{f:g}"
