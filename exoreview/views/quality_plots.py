"""Study-quality figures: risk-of-bias traffic lights and summary bars (robvis conventions),
the EV-reporting heatmap, and the forest plot.

Every function takes ``ax=None`` (a new styled Axes when None), draws, and returns the Axes; none
calls ``plt.show()`` or writes files. Colours are colour-blind safe (Okabe–Ito) and every
judgement also has a symbol (robvis: + low, − some concerns, × high, ! critical, ? unclear), so
the figure reads in grey scale too. Artists carry ``gid`` names so tests can find them.
"""

from __future__ import annotations

import textwrap

import numpy as np
from matplotlib.colors import ListedColormap
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Polygon

from ..appraisal import misev, rob
from ..core import rob_tools
from . import style

# robvis-style levels: colour (Okabe–Ito) and symbol
LEVEL_COLOURS: dict[str, str] = {
    "low": "#009E73",
    "some concerns": "#F0E442",
    "high": "#D55E00",
    "critical": "#000000",
    "unclear": "#56B4E9",
    "not applicable": "#BBBBBB",
    "not extracted": "#FFFFFF",
}
LEVEL_SYMBOLS: dict[str, str] = {
    "low": "+",
    "some concerns": "−",
    "high": "×",
    "critical": "!",
    "unclear": "?",
    "not applicable": "",
    "not extracted": "·",
}
LEVEL_TEXT_COLOURS: dict[str, str] = {"critical": "white"}
REPORTED_COLOURS = ("#FFFFFF", "#C8C8C8", "#0072B2")  # not extracted, not reported, reported


def _axes(ax, figsize):
    if ax is None:
        return style.new_axes(figsize)
    style.apply(ax)
    return ax


def _level_words(tool: str) -> dict[str, str]:
    """Shared level → the tool's own words (for legends)."""
    out: dict[str, str] = {}
    for (t, words), level in rob.LEVEL.items():
        if t == tool:
            out.setdefault(level, words)
    return out


def _overall_level(tool: str, overall: str | None) -> str:
    if overall is None or overall != overall:  # no overall: the tool could not be applied
        return "not extracted"
    if tool in ("RoB 2",):
        return overall
    if tool == "ROBINS-I":
        return rob.LEVEL[("ROBINS-I", overall)]
    return {"low": "low", "moderate": "some concerns", "high": "high", "unclear": "unclear"}[overall]


def _require(table, tool: str | None):
    if table is None or table.empty:
        raise ValueError(f"no risk-of-bias judgements to plot{' for ' + tool if tool else ''}")
    tools = table["tool"].unique().tolist()
    if tool is None:
        if len(tools) != 1:
            raise ValueError(f"the table mixes tools ({', '.join(tools)}); pass tool=")
        tool = tools[0]
    table = table[table["tool"] == tool]
    if table.empty:
        raise ValueError(f"no studies assessed with {tool}")
    return table, tool


def traffic_light(table, *, tool: str | None = None, ax=None, title: str | None = None):
    """Study × item grid of judgements plus the overall column (robvis ``rob_traffic_light``).

    `table` is :func:`exoreview.quality.rob_table` (one row a study × item)."""
    table, tool = _require(table, tool)
    spec = rob_tools.TOOLS[tool]
    studies = list(dict.fromkeys(table["study"]))
    items = list(spec.item_ids)
    ax = _axes(ax, (1.2 + 0.62 * (len(items) + 1) + 3.2, 1.4 + 0.36 * len(studies)))
    cells = {(r.study, r.item): r.level for r in table.itertuples()}
    overall = dict(zip(table["study"], table["overall"]))
    xs, ys, colours = [], [], []
    for yi, study in enumerate(studies):
        for xi, item in enumerate(items + ["overall"]):
            level = (
                _overall_level(tool, overall[study])
                if item == "overall"
                else cells.get((study, item), "not applicable")
            )
            xs.append(xi)
            ys.append(yi)
            colours.append(LEVEL_COLOURS[level])
            ax.text(
                xi,
                yi,
                LEVEL_SYMBOLS[level],
                ha="center",
                va="center",
                fontsize=10,
                fontweight="bold",
                color=LEVEL_TEXT_COLOURS.get(level, "black"),
                gid=f"rob-symbol:{level}",
            )
    ax.scatter(
        xs, ys, s=260, c=colours, edgecolors="#333333", linewidths=0.5, zorder=2, gid="rob-traffic-light"
    )
    ax.set_xticks(range(len(items) + 1))
    ax.set_xticklabels([spec.label(i).split(" ")[0] for i in items] + ["Overall"])
    ax.set_yticks(range(len(studies)))
    ax.set_yticklabels(studies, fontsize=9)
    ax.set_xlim(-0.6, len(items) + 0.6)
    ax.set_ylim(len(studies) - 0.5, -0.5)
    ax.xaxis.tick_top()
    ax.tick_params(length=0)
    for side in ("left", "bottom", "top", "right"):
        ax.spines[side].set_visible(False)
    _legend(ax, tool, set(colours))
    key = "; ".join(f"{spec.label(i).split(' ')[0]} {' '.join(spec.label(i).split(' ')[1:])}" for i in items)
    ax.set_title(title or f"Risk of bias ({tool}), {len(studies)} studies", loc="left", pad=28)
    ax.set_xlabel(_wrap(key, int(ax.figure.get_figwidth() * 11)), fontsize=7, color="#555555", loc="left")
    return ax


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width))


def _legend(ax, tool: str, colours_used: set[str]) -> None:
    words = _level_words(tool)
    handles = []
    for level, colour in LEVEL_COLOURS.items():
        if colour not in colours_used:
            continue
        label = words.get(level, level)
        handles.append(
            Line2D(
                [],
                [],
                marker="o",
                linestyle="",
                markersize=10,
                markerfacecolor=colour,
                markeredgecolor="#333333",
                label=f"{LEVEL_SYMBOLS[level]} {label}".strip(),
            )
        )
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), title="Judgement", frameon=False)


def summary_bar(table, *, tool: str | None = None, weighted: bool = True, ax=None, title: str | None = None):
    """Share of studies at each judgement, item by item and overall (robvis ``rob_summary``).

    Weighted by sample size (n_participants / n_animals) when every study reports one; otherwise
    unweighted, and the axis label says so."""

    table, tool = _require(table, tool)
    spec = rob_tools.TOOLS[tool]
    per_study = table.drop_duplicates("study").set_index("study")
    n = per_study["n"]
    use_weights = weighted and n.notna().all() and len(n) > 0
    w = n.astype(float) if use_weights else per_study["n"].map(lambda _: 1.0).astype(float)
    rows = list(spec.item_ids) + ["overall"]
    ax = _axes(ax, (10, 1.2 + 0.55 * len(rows)))
    levels = [lv for lv in rob.LEVELS]
    shares = np.zeros((len(rows), len(levels)))
    for ri, item in enumerate(rows):
        for study, weight in w.items():
            if item == "overall":
                level = _overall_level(tool, per_study.loc[study, "overall"])
            else:
                sel = table[(table["study"] == study) & (table["item"] == item)]
                level = sel["level"].iloc[0] if len(sel) else "not applicable"
            shares[ri, levels.index(level)] += weight
    shares = shares / shares.sum(axis=1, keepdims=True) * 100
    left = np.zeros(len(rows))
    words = _level_words(tool)
    for li, level in enumerate(levels):
        if not shares[:, li].any():
            continue
        label = words.get(level, level)
        ax.barh(
            range(len(rows)),
            shares[:, li],
            left=left,
            color=LEVEL_COLOURS[level],
            edgecolor="#333333",
            linewidth=0.5,
            label=label,
            gid=f"rob-summary:{level}",
        )
        left += shares[:, li]
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels([spec.label(i) for i in spec.item_ids] + ["Overall risk of bias"])
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    k = len(per_study)
    if use_weights:
        ax.set_xlabel(f"share of {k} studies, weighted by sample size (%)")
    else:
        why = "" if not weighted else f" (sample size missing for {int(n.isna().sum())} of {k})"
        ax.set_xlabel(f"share of {k} studies, unweighted{why} (%)")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, title="Judgement")
    ax.set_title(title or f"Risk of bias summary ({tool})", loc="left")
    return ax


def ev_heatmap(table, *, ax=None, title: str | None = None):
    """Study × MISEV item: reported (blue), not reported by the study (grey) or not extracted (white,
    with a dot: only the abstract was read); the score over the items assessed at the right.

    `table` is :func:`exoreview.appraisal.quality.ev_table`."""
    if table is None or table.empty:
        raise ValueError("no EV-reporting items to plot")
    studies = list(dict.fromkeys(table["study"]))
    items = [i for i, _ in misev.EV_ITEMS if i in set(table["item"])]
    grid = np.zeros((len(studies), len(items)))
    score = {}
    unknown = []
    for r in table.itertuples():
        value = 2.0 if r.reported is True else 1.0 if r.reported is False else 0.0
        grid[studies.index(r.study), items.index(r.item)] = value
        if value == 0.0:
            unknown.append((items.index(r.item), studies.index(r.study)))
        score[r.study] = (r.score, r.max)
    ax = _axes(ax, (11, 1.6 + 0.32 * len(studies)))
    ax.imshow(
        grid,
        cmap=ListedColormap(list(REPORTED_COLOURS)),
        vmin=0,
        vmax=2,
        aspect="auto",
        interpolation="nearest",
        gid="ev-heatmap",
    )
    if unknown:
        ax.scatter(*zip(*unknown), marker=".", s=12, color="#777777", gid="ev-not-extracted")
    ax.set_xticks(range(len(items)))
    ax.set_xticklabels([misev.EV_SHORT[i] for i in items], rotation=40, ha="right", fontsize=9)
    ax.set_yticks(range(len(studies)))
    ax.set_yticklabels(studies, fontsize=8)
    ax.set_xticks(np.arange(-0.5, len(items)), minor=True)
    ax.set_yticks(np.arange(-0.5, len(studies)), minor=True)
    ax.grid(which="minor", color="white", linewidth=1.2)
    ax.tick_params(which="minor", length=0)
    for side in ("left", "bottom", "top", "right"):
        ax.spines[side].set_visible(False)
    for yi, study in enumerate(studies):
        s, m = score[study]
        ax.text(len(items) - 0.3, yi, f"{s}/{m} assessed", va="center", ha="left", fontsize=8, gid="ev-score")
    ax.legend(
        handles=[
            Patch(facecolor=REPORTED_COLOURS[2], label="reported"),
            Patch(facecolor=REPORTED_COLOURS[1], label="not reported by the study (full text read)"),
            Patch(
                facecolor=REPORTED_COLOURS[0], edgecolor="#999999", label="· not extracted (abstract only)"
            ),
        ],
        loc="upper left",
        bbox_to_anchor=(1.06, 1.0),
        frameon=False,
    )
    ax.set_title(title or f"EV reporting (MISEV items), {len(studies)} studies", loc="left")
    return ax


def forest(
    effects,
    *,
    pooled=None,
    ax=None,
    xlabel: str | None = None,
    title: str | None = None,
    null: float | None = 0.0,
):
    """Forest plot: one row an estimate (square sized by weight, CI line), the pooled diamond and
    the prediction interval when `pooled` (an :class:`exoreview.effects.Pooled`) is given.

    `effects` needs columns label, estimate, ci_low, ci_high (as from
    :func:`exoreview.effects.study_effects`)."""

    if effects is None or len(effects) == 0:
        raise ValueError("no effect sizes to plot")
    rows = effects.reset_index(drop=True)
    k = len(rows)
    extra = 2 if pooled is not None else 0
    ax = _axes(ax, (9, 1.6 + 0.45 * (k + extra)))
    if pooled is not None:
        weights = np.asarray(pooled.weights, dtype=float)
    else:
        var = rows["variance"].astype(float).to_numpy() if "variance" in rows else np.ones(k)
        weights = 100 * (1 / var) / (1 / var).sum()
    sizes = 40 + 260 * weights / weights.max()
    y = np.arange(k)
    ax.hlines(
        y,
        rows["ci_low"].astype(float),
        rows["ci_high"].astype(float),
        color="#333333",
        linewidth=1.4,
        gid="forest-ci",
    )
    ax.scatter(
        rows["estimate"].astype(float),
        y,
        s=sizes,
        marker="s",
        color=style.OKABE_ITO[4],
        zorder=3,
        gid="forest-study",
    )
    labels = list(rows["label"].astype(str))
    right = [
        f"{e:.2f} [{lo:.2f}, {hi:.2f}]"
        for e, lo, hi in zip(rows["estimate"], rows["ci_low"], rows["ci_high"])
    ]
    if pooled is not None:
        yp = k + 0.8
        d = Polygon(
            [
                (pooled.ci_low, yp),
                (pooled.estimate, yp - 0.3),
                (pooled.ci_high, yp),
                (pooled.estimate, yp + 0.3),
            ],
            closed=True,
            color=style.OKABE_ITO[5],
            gid="forest-pooled",
        )
        ax.add_patch(d)
        labels.append(f"Random effects (DL), k = {pooled.k}")
        right.append(f"{pooled.estimate:.2f} [{pooled.ci_low:.2f}, {pooled.ci_high:.2f}]")
        ticks = list(y) + [yp]
        if pooled.pi_low is not None:
            ypi = yp + 0.7
            ax.hlines(
                [ypi],
                [pooled.pi_low],
                [pooled.pi_high],
                color=style.OKABE_ITO[5],
                linewidth=2.2,
                linestyles="dashed",
                gid="forest-pi",
            )
            labels.append("95% prediction interval")
            right.append(f"[{pooled.pi_low:.2f}, {pooled.pi_high:.2f}]")
            ticks.append(ypi)
        ax.set_yticks(ticks)
        note = f"τ² = {pooled.tau2:.3g}; I² = {pooled.i2:.0f}%; Q = {pooled.q:.2f} (df {pooled.q_df})"
        ax.text(
            0.0, -0.12, note, transform=ax.transAxes, fontsize=9, color="#555555", gid="forest-heterogeneity"
        )
    else:
        ax.set_yticks(list(y))
    ax.set_yticklabels(labels)
    ax.invert_yaxis()
    if null is not None:
        ax.axvline(null, color="#999999", linewidth=1, linestyle=":", gid="forest-null")
    trans = ax.get_yaxis_transform()
    for yi, text in zip(ax.get_yticks(), right):
        ax.text(
            1.02, yi, text, transform=trans, va="center", ha="left", fontsize=9, gid="forest-estimate-text"
        )
    ax.set_xlabel(xlabel or "effect (95% CI)")
    if title:
        ax.set_title(title, loc="left")
    return ax
