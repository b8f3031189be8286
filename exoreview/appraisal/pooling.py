"""Random-effects pooling of comparable effect estimates.

:func:`pool` combines estimates with statsmodels' ``combine_effects`` (DerSimonian–Laird τ²,
truncated at zero) and adds I² and the Higgins–Thompson–Spiegelhalter prediction interval;
:func:`pool_comparable` pools only effects of the same outcome, effect measure, design, unit and
kind of evidence (people and animals are never pooled together), one estimate a study, and says
why a group is not pooled.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

MIN_STUDIES = 2  # pooling needs at least two comparable estimates
MIN_STUDIES_PI = 3  # the prediction interval needs k - 2 >= 1 degrees of freedom
# effects pool together only when all of these agree (unit: only for unit-bound measures)
COMPARABLE_BY = ("evidence", "outcome", "kind", "design", "unit")


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
    i2: float  # percent
    q: float
    q_df: int
    q_p: float
    pi_low: float | None  # None when k < 3
    pi_high: float | None
    fixed_estimate: float
    fixed_ci: tuple[float, float]
    weights: tuple[float, ...]  # random-effects weights, percent, in input order
    labels: tuple[str, ...]

    def describe(self) -> str:
        pi = (
            f"; 95% prediction interval {self.pi_low:.2f} to {self.pi_high:.2f}"
            if self.pi_low is not None
            else "; no prediction interval (fewer than 3 studies)"
        )
        return (
            f"random effects ({self.method}), k = {self.k}: {self.estimate:.2f} "
            f"(95% CI {self.ci_low:.2f} to {self.ci_high:.2f}); tau² = {self.tau2:.3g}, "
            f"I² = {self.i2:.0f}%, Q = {self.q:.2f} (df {self.q_df}, p = {self.q_p:.3g}){pi}"
        )


def pool(
    estimates: Sequence[float],
    variances: Sequence[float],
    labels: Sequence[str] | None = None,
    *,
    alpha: float = 0.05,
) -> Pooled:
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
        half = t * math.sqrt(tau2 + se**2)
        pi_low, pi_high = mu - half, mu + half
    fe, fe_se = float(res.mean_effect_fe), float(res.sd_eff_w_fe)
    return Pooled(
        k=k,
        method="DerSimonian-Laird",
        estimate=mu,
        se=se,
        ci_low=mu - z * se,
        ci_high=mu + z * se,
        tau2=tau2,
        i2=i2,
        q=q,
        q_df=df,
        q_p=float(stats.chi2.sf(q, df)),
        pi_low=pi_low,
        pi_high=pi_high,
        fixed_estimate=fe,
        fixed_ci=(fe - z * fe_se, fe + z * fe_se),
        weights=tuple(float(x) for x in 100 * w / w.sum()),
        labels=tuple(labels) if labels is not None else tuple(str(i) for i in range(k)),
    )


@dataclass(frozen=True)
class Synthesis:
    """What can be said about one group of comparable effects."""

    group: dict[str, Any]
    k: int
    pooled: Pooled | None
    reason: str | None  # why not pooled

    studies: tuple[str, ...] = ()
    effects: pd.DataFrame | None = field(default=None, repr=False, compare=False)  # the group's rows

    def title(self) -> str:
        """'Hair density · mean difference · two arms · animals or cells (hairs/cm2)'."""
        g = self.group
        unit = f" ({g['unit']})" if g.get("unit") not in (None, "not stated") else ""
        return f"{str(g['outcome']).capitalize()} · {g['kind']} · {g['design']} · {g['evidence']}{unit}"

    def describe(self) -> str:
        what = ", ".join(f"{v}" for v in self.group.values() if v is not None)
        if self.pooled is None:
            return f"{what}: {self.reason}"
        return f"{what}: {self.pooled.describe()}"

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (``exoreview effects --format json``, key ``pooled``)."""
        p = self.pooled
        return {
            "group": dict(self.group),
            "k": self.k,
            "studies": list(self.studies),
            "reason": self.reason,
            "pooled": None
            if p is None
            else {
                "method": p.method,
                "estimate": p.estimate,
                "ci_low": p.ci_low,
                "ci_high": p.ci_high,
                "tau2": p.tau2,
                "i2": p.i2,
                "q": p.q,
                "q_p": p.q_p,
                "pi_low": p.pi_low,
                "pi_high": p.pi_high,
                "weights": dict(zip(p.labels, p.weights)),
            },
        }


def comparable_groups(effects: pd.DataFrame) -> list[tuple[dict[str, Any], pd.DataFrame]]:
    """Split effects into groups that may be pooled: same kind of evidence (people, animals), outcome,
    effect measure, design and unit (a standardised mean difference has no unit)."""
    if effects.empty:
        return []
    keyed = effects.assign(**{c: effects[c].astype("string").fillna("not stated") for c in COMPARABLE_BY})
    return [
        (dict(zip(COMPARABLE_BY, key if isinstance(key, tuple) else (key,))), effects.loc[grp.index])
        for key, grp in keyed.groupby(list(COMPARABLE_BY), sort=True)
    ]


def pool_comparable(effects: pd.DataFrame, *, alpha: float = 0.05) -> list[Synthesis]:
    """Pool each comparable group with at least two studies; say why the others are not pooled.
    Only the effects marked ``pooled`` enter (one a study: a second intervention arm sharing the
    control arm would count that control twice)."""
    out = []
    if "pooled" in effects:
        effects = effects[effects["pooled"].astype(bool)]
    for group, grp in comparable_groups(effects):
        k = grp["study"].nunique()
        if k < MIN_STUDIES or len(grp) != k:
            reason = (
                f"not pooled: {k} stud{'y' if k == 1 else 'ies'} with a computable estimate "
                f"(pooling needs at least {MIN_STUDIES} comparable studies)"
                if k < MIN_STUDIES
                else "not pooled: a study contributes more than one estimate"
            )
            out.append(Synthesis(group, k, None, reason, tuple(grp["study"]), grp))
            continue
        out.append(
            Synthesis(
                group,
                k,
                pool(grp["estimate"], grp["variance"], grp["label"], alpha=alpha),
                None,
                tuple(grp["study"]),
                grp,
            )
        )
    return out
