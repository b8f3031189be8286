"""Effect sizes and random-effects pooling, computed only from numbers a study reports.

- :func:`mean_difference` and :func:`hedges_g` (statsmodels' ``effectsize_smd``: bias-corrected
  standardized mean difference) for two groups with means, SDs and n;
  :func:`mean_change` for a single arm reporting the mean change, its SD and n.
- :func:`study_effects` reads ``Evidence.outcomes`` and returns what can honestly be computed,
  plus one row for every outcome with numbers that cannot be turned into an effect size and why
  (no SD is ever imputed).
- :func:`pool` combines comparable estimates with statsmodels' ``combine_effects``
  (DerSimonian–Laird τ², truncated at zero), and adds I² and the Higgins–Thompson–Spiegelhalter
  prediction interval; :func:`pool_comparable` refuses to mix outcomes, units, designs or
  effect measures and says when fewer than two comparable studies exist.

statsmodels is imported inside the two functions that use it (it takes about a second to import;
the CLI and the dashboard load this module without needing it).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

MIN_STUDIES = 2        # pooling needs at least two comparable estimates
MIN_STUDIES_PI = 3     # the prediction interval needs k - 2 >= 1 degrees of freedom

# What an outcome row must report for each kind of effect (first rule that fits wins).
EFFECT_RULES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("mean change", "single arm: mean change from baseline with its SD and n",
     ("change", "change_sd", "n")),
)
# Why an outcome with numbers gives no effect size (checked in this order).
NOT_COMPUTABLE: tuple[tuple[str, str], ...] = (
    ("median", "medians reported, not means: no mean difference or SMD can be formed"),
    ("percent only", "percent changes without SDs or n"),
    ("no sd", "means without an SD or SE: no confidence interval can be formed (no SD is imputed)"),
    ("other", "the numbers reported do not define an effect size"),
)


@dataclass(frozen=True)
class Estimate:
    value: float
    variance: float
    ci_low: float
    ci_high: float

    @property
    def se(self) -> float:
        return math.sqrt(self.variance)


def mean_difference(mean1: float, sd1: float, n1: int, mean2: float, sd2: float, n2: int,
                    *, alpha: float = 0.05) -> Estimate:
    """Raw mean difference (group 1 − group 2) with a normal-approximation CI."""
    md = mean1 - mean2
    var = sd1 ** 2 / n1 + sd2 ** 2 / n2
    z = stats.norm.isf(alpha / 2)
    return Estimate(md, var, md - z * math.sqrt(var), md + z * math.sqrt(var))


def hedges_g(mean1: float, sd1: float, n1: int, mean2: float, sd2: float, n2: int,
             *, alpha: float = 0.05) -> Estimate:
    """Bias-corrected standardized mean difference (Hedges' g) via statsmodels, normal CI."""
    from statsmodels.stats.meta_analysis import effectsize_smd  # heavy: imported where used

    g, var = effectsize_smd(np.asarray([mean1], float), np.asarray([sd1], float),
                            np.asarray([n1], float), np.asarray([mean2], float),
                            np.asarray([sd2], float), np.asarray([n2], float))
    g, var = float(np.asarray(g)[0]), float(np.asarray(var)[0])
    z = stats.norm.isf(alpha / 2)
    return Estimate(g, var, g - z * math.sqrt(var), g + z * math.sqrt(var))


def mean_change(change: float, sd: float, n: int, *, alpha: float = 0.05) -> Estimate:
    """Single-arm mean change with a t-based CI (n − 1 df); variance SD²/n for pooling."""
    if n < 2:
        raise ValueError("a mean change needs n >= 2 for a confidence interval")
    se = sd / math.sqrt(n)
    t = stats.t.isf(alpha / 2, n - 1)
    return Estimate(change, se ** 2, change - t * se, change + t * se)


# --------------------------------------------------------------------------------------------
def _present(row: dict[str, Any], name: str) -> bool:
    v = row.get(name)
    if v is None:
        return False
    try:
        return not math.isnan(float(v))
    except (TypeError, ValueError):
        return False


def _why_not(row: dict[str, Any]) -> str:
    if str(row.get("summary") or "") == "median":
        return NOT_COMPUTABLE[0][1]
    has_pct = _present(row, "change_pct") or _present(row, "control_change_pct")
    has_abs = any(_present(row, c) for c in ("change", "baseline", "value", "control_change"))
    if has_pct and not has_abs:
        return NOT_COMPUTABLE[1][1]
    if has_abs and not _present(row, "change_sd"):
        return NOT_COMPUTABLE[2][1]
    return NOT_COMPUTABLE[3][1]


EFFECT_COLUMNS = ["study", "label", "outcome", "measure", "kind", "design", "unit", "timepoint",
                  "n", "estimate", "variance", "se", "ci_low", "ci_high", "numbers"]
SKIPPED_COLUMNS = ["study", "outcome", "measure", "numbers", "reason"]


def study_effects(ev, *, alpha: float = 0.05):
    """(effects, skipped): effect sizes computable from the outcomes table, and every outcome
    with effect numbers that could not be used, with the reason."""
    numbers = ["baseline", "value", "change", "change_sd", "control_change", "change_pct",
               "control_change_pct", "n", "p_value"]
    studies = ev.studies.set_index("key")
    rows, skipped = [], []
    for row in ev.outcomes.to_dict("records"):
        given = {c: row[c] for c in numbers if _present(row, c)}
        if not given:
            continue
        shown = ", ".join(f"{k} {_fmt(v)}" for k, v in given.items())
        if str(row.get("summary") or "mean") != "median" and all(
                _present(row, c) for c in EFFECT_RULES[0][2]) and not _present(row, "control_change"):
            n = int(row["n"])
            if n >= 2:
                est = mean_change(float(row["change"]), float(row["change_sd"]), n, alpha=alpha)
                srow = studies.loc[row["study"]]
                rows.append({"study": row["study"], "label": _label(srow, row["study"]),
                             "outcome": str(row["outcome"]), "measure": row["measure"],
                             "kind": "mean change", "design": "single arm",
                             "unit": row.get("unit"), "timepoint": row.get("timepoint"), "n": n,
                             "estimate": est.value, "variance": est.variance, "se": est.se,
                             "ci_low": est.ci_low, "ci_high": est.ci_high, "numbers": shown})
                continue
        skipped.append({"study": row["study"], "outcome": str(row["outcome"]),
                        "measure": row["measure"], "numbers": shown, "reason": _why_not(row)})
    return (pd.DataFrame(rows, columns=EFFECT_COLUMNS),
            pd.DataFrame(skipped, columns=SKIPPED_COLUMNS))


def _label(srow, key: str) -> str:
    first = srow.get("first_author")
    year = srow.get("year")
    if first is None or (isinstance(first, float) and math.isnan(first)) or str(first) == "<NA>":
        return key
    try:
        y = int(year)
    except (TypeError, ValueError):
        y = None
    return f"{str(first).split()[0]} {y if y else 'n.d.'}"


def _fmt(v: Any) -> str:
    f = float(v)
    return str(int(f)) if f.is_integer() else f"{f:g}"


# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Pooled:
    """A random-effects meta-analysis (DerSimonian–Laird) of k comparable estimates."""

    k: int
    method: str
    estimate: float
    se: float
    ci_low: float
    ci_high: float
    tau2: float
    i2: float                  # percent
    q: float
    q_df: int
    q_p: float
    pi_low: float | None       # None when k < 3
    pi_high: float | None
    fixed_estimate: float
    fixed_ci: tuple[float, float]
    weights: tuple[float, ...]  # random-effects weights, percent, in input order
    labels: tuple[str, ...]

    def describe(self) -> str:
        pi = (f"; 95% prediction interval {self.pi_low:.2f} to {self.pi_high:.2f}"
              if self.pi_low is not None else "; no prediction interval (fewer than 3 studies)")
        return (f"random effects ({self.method}), k = {self.k}: {self.estimate:.2f} "
                f"(95% CI {self.ci_low:.2f} to {self.ci_high:.2f}); tau² = {self.tau2:.3g}, "
                f"I² = {self.i2:.0f}%, Q = {self.q:.2f} (df {self.q_df}, p = {self.q_p:.3g}){pi}")


def pool(estimates: Sequence[float], variances: Sequence[float], labels: Sequence[str] | None = None,
         *, alpha: float = 0.05) -> Pooled:
    """DerSimonian–Laird random-effects pooling via statsmodels' ``combine_effects``.

    τ² is truncated at zero (statsmodels' one-step estimate can be negative when Q < k − 1;
    the truncated DL estimate then equals the fixed-effect result). I² = max(0, (Q − df)/Q).
    The prediction interval follows Higgins, Thompson & Spiegelhalter (2009):
    μ ± t(k−2) · sqrt(τ² + SE(μ)²), for k ≥ 3.
    """
    from statsmodels.stats.meta_analysis import combine_effects  # heavy: imported where used

    eff = np.asarray(estimates, dtype=float)
    var = np.asarray(variances, dtype=float)
    k = len(eff)
    if k < MIN_STUDIES:
        raise ValueError(f"pooling needs at least {MIN_STUDIES} estimates, got {k}")
    if len(var) != k or np.any(~np.isfinite(var)) or np.any(var <= 0):
        raise ValueError("every estimate needs a positive, finite variance")
    res = combine_effects(eff, var, method_re="dl", use_t=False, alpha=alpha)
    z = stats.norm.isf(alpha / 2)
    if res.tau2 > 0:
        tau2, mu, se = float(res.tau2), float(res.mean_effect_re), float(res.sd_eff_w_re)
        w = 1.0 / (var + tau2)
    else:
        tau2, mu, se = 0.0, float(res.mean_effect_fe), float(res.sd_eff_w_fe)
        w = 1.0 / var
    q, df = float(res.q), k - 1
    i2 = max(0.0, (q - df) / q) * 100 if q > 0 else 0.0
    pi_low = pi_high = None
    if k >= MIN_STUDIES_PI:
        t = stats.t.isf(alpha / 2, k - 2)
        half = t * math.sqrt(tau2 + se ** 2)
        pi_low, pi_high = mu - half, mu + half
    fe, fe_se = float(res.mean_effect_fe), float(res.sd_eff_w_fe)
    return Pooled(k=k, method="DerSimonian-Laird", estimate=mu, se=se, ci_low=mu - z * se,
                  ci_high=mu + z * se, tau2=tau2, i2=i2, q=q, q_df=df,
                  q_p=float(stats.chi2.sf(q, df)), pi_low=pi_low, pi_high=pi_high,
                  fixed_estimate=fe, fixed_ci=(fe - z * fe_se, fe + z * fe_se),
                  weights=tuple(float(x) for x in 100 * w / w.sum()),
                  labels=tuple(labels) if labels is not None else tuple(str(i) for i in range(k)))


COMPARABLE_BY = ("outcome", "kind", "design", "unit")


@dataclass(frozen=True)
class Synthesis:
    """What can be said about one group of comparable effects."""

    group: dict[str, Any]
    k: int
    pooled: Pooled | None
    reason: str | None           # why not pooled

    def describe(self) -> str:
        what = ", ".join(f"{v}" for v in self.group.values() if v is not None)
        if self.pooled is None:
            return f"{what}: {self.reason}"
        return f"{what}: {self.pooled.describe()}"


def comparable_groups(effects) -> list[tuple[dict[str, Any], Any]]:
    """Split effects into groups that may be pooled: same outcome, effect kind, design and unit."""
    if effects.empty:
        return []
    keyed = effects.assign(**{c: effects[c].astype("string").fillna("not stated") for c in COMPARABLE_BY})
    return [(dict(zip(COMPARABLE_BY, key if isinstance(key, tuple) else (key,))),
             effects.loc[grp.index]) for key, grp in keyed.groupby(list(COMPARABLE_BY), sort=True)]


def pool_comparable(effects, *, alpha: float = 0.05) -> list[Synthesis]:
    """Pool each comparable group with at least two studies; say why the others are not pooled."""
    out = []
    for group, grp in comparable_groups(effects):
        k = grp["study"].nunique()
        if k < MIN_STUDIES or len(grp) != k:
            reason = (f"not pooled: {k} stud{'y' if k == 1 else 'ies'} with a computable estimate "
                      f"(pooling needs at least {MIN_STUDIES} comparable studies)"
                      if k < MIN_STUDIES else "not pooled: a study contributes more than one estimate")
            out.append(Synthesis(group, k, None, reason))
            continue
        out.append(Synthesis(group, k, pool(grp["estimate"], grp["variance"], grp["label"], alpha=alpha),
                             None))
    return out
