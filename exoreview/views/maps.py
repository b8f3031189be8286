"""Bubble maps and profiles: the evidence gap map (condition × cell source), the mode-of-action
map, the evidence profile (design × species group) and outcome directions. Pure functions of an
Evidence; ``ax=None``; return the Axes."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import to_rgb, to_rgba

from ..core.evidence import DIRECTIONS, Evidence
from ..core.filters import Filter
from ..core.levels import TIER_NAMES
from ..core.values import shorten
from . import style
from .base import (
    BUBBLE_PER_STUDY,
    DIRECTION_COLOURS,
    MAX_BUBBLE,
    SPECIES_GROUP_COLOURS,
    SPECIES_GROUPS,
    TIER_LABELS,
    TIER_RANK,
    axes_for,
    describe,
    draw_empty,
    n_studies,
    prepare,
    rc,
    set_title,
    tier_legend,
)


# --------------------------------------------------------------------------------- bubble maps
def _study_tiers(ev: Evidence) -> pd.Series:
    return ev.studies.set_index("key")["tier"].astype(str)


def _cell_summary(pairs: pd.DataFrame, tiers: pd.Series, row: str, col: str) -> pd.DataFrame:
    """Distinct studies per (row, col) with the strongest tier among them."""
    if pairs.empty:
        return pd.DataFrame(columns=[row, col, "studies", "best_tier", "keys"])
    p = pairs.drop_duplicates(["study", row, col]).copy()
    p["rank"] = p["study"].map(tiers).map(TIER_RANK).fillna(99).astype(int)
    g = p.groupby([row, col], sort=False, observed=True)
    out = g.agg(
        studies=("study", "nunique"), best=("rank", "min"), keys=("study", lambda s: tuple(sorted(set(s))))
    ).reset_index()
    out["best_tier"] = out["best"].map(lambda r: TIER_NAMES[r] if r < len(TIER_NAMES) else "narrative review")
    return out.drop(columns="best")


def _light(colour: str) -> bool:

    r, g, b = to_rgb(colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.45


def _facet_tags(ev: Evidence, facet: str) -> pd.DataFrame:
    t = ev.tags
    return t.loc[(t["facet"] == facet).to_numpy(dtype=bool), ["study", "term", "label"]]


def _vocab_order(ev: Evidence, facet: str, labels: pd.Series) -> list[str]:
    terms = ev.vocabulary[facet].terms
    order = {t.label: i for i, t in enumerate(terms.values())}
    return sorted(set(labels), key=lambda lab: (order.get(lab, len(order)), lab))


def gap_map_data(ev: Evidence) -> pd.DataFrame:
    """Cell source × outcome group: number of distinct studies and the strongest design tier.

    Columns: cell_source (label), outcome_group (label), studies, best_tier, keys."""
    cs = _facet_tags(ev, "cell_source").rename(columns={"label": "cell_source"})
    oc = ev.outcomes[["study", "group"]].dropna()
    glabel = ev.vocabulary["outcome"].label
    oc = oc.assign(outcome_group=oc["group"].astype(str).map(glabel))
    pairs = cs[["study", "cell_source"]].merge(oc[["study", "outcome_group"]], on="study")
    return _cell_summary(pairs, _study_tiers(ev), "cell_source", "outcome_group")


def _bubble_matrix(
    ax: Axes, data: pd.DataFrame, *, x: str, y: str, xorder: list[str], yorder: list[str], gid: str
) -> None:
    xi = {v: i for i, v in enumerate(xorder)}
    yi = {v: i for i, v in enumerate(yorder)}
    counts = data["studies"].to_numpy(dtype=float)
    per = min(BUBBLE_PER_STUDY, MAX_BUBBLE / counts.max()) if len(counts) else BUBBLE_PER_STUDY
    colours = [style.TIER_COLOURS.get(t, "#777777") for t in data["best_tier"]]
    hollow = data["best_tier"].eq("registered, no results").to_numpy()

    # transparency is baked into each colour: a collection-wide alpha would fill the hollow
    # (registered-only) bubbles in black
    face = [((0, 0, 0, 0) if h else to_rgba(c, 0.9)) for c, h in zip(colours, hollow)]
    edge = [(to_rgba(c) if h else to_rgba("#333333", 0.9)) for c, h in zip(colours, hollow)]
    ax.scatter(
        data[x].map(xi),
        data[y].map(yi),
        s=counts * per,
        facecolors=face,
        edgecolors=edge,
        linewidths=[1.5 if h else 0.5 for h in hollow],
        zorder=3,
        gid=gid,
    )
    for xv, yv, n, c, h in zip(data[x].map(xi), data[y].map(yi), data["studies"], colours, hollow):
        ax.text(
            xv,
            yv,
            str(int(n)),
            ha="center",
            va="center",
            fontsize=8,
            zorder=4,
            color="#111111" if h or _light(c) else "white",
            gid=f"{gid}-count",
        )
    ax.set_xticks(range(len(xorder)), [shorten(v, 28) for v in xorder], rotation=30, ha="right")
    ax.set_yticks(range(len(yorder)), [shorten(v, 34) for v in yorder])
    ax.set_xlim(-0.6, len(xorder) - 0.4)
    ax.set_ylim(len(yorder) - 0.5, -0.6)
    ax.grid(True, color="#eeeeee", linewidth=0.8, zorder=0)
    ax.set_axisbelow(True)


def gap_map(
    ev: Evidence, *, spec: Filter | None = None, caption: str | None = None, ax: Axes | None = None
) -> Axes:
    """Evidence gap map: cell source (rows) × outcome group (columns); bubble area ∝ number of
    studies, colour = strongest design among them; empty cells are the gaps."""
    ev = prepare(ev, spec)
    desc = describe(spec, caption)
    data = gap_map_data(ev)
    glabel = ev.vocabulary["outcome"].label
    groups = [glabel(k) for k, t in ev.vocabulary["outcome"].terms.items() if t.parent is None]
    rows = _vocab_order(ev, "cell_source", data["cell_source"]) if len(data) else []
    with rc():
        ax = axes_for(ax, (10, max(4.2, 1.8 + 0.42 * len(rows))))
        n = len(set().union(*data["keys"])) if len(data) else 0
        set_title(
            ax,
            "Evidence gap map: cell source × outcome group",
            desc,
            f"{n_studies(n)} with coded outcomes; bubble area = studies",
        )
        if data.empty:
            draw_empty(ax, "studies with outcomes")
            return ax
        _bubble_matrix(
            ax, data, x="outcome_group", y="cell_source", xorder=groups, yorder=rows, gid="gap-map"
        )
        ax.set_xlabel("outcome group")
        tier_legend(ax, list(data["best_tier"]), title="strongest design in cell", marker_by_tier=False)
    return ax


def mode_of_action_data(ev: Evidence) -> pd.DataFrame:
    """Mechanism × cell source: distinct studies that measured the mechanism, strongest tier.

    Columns: mechanism (label), cell_source (label), studies, best_tier, keys."""
    mech = _facet_tags(ev, "mechanism").rename(columns={"label": "mechanism"})[["study", "mechanism"]]
    cs = _facet_tags(ev, "cell_source").rename(columns={"label": "cell_source"})[["study", "cell_source"]]
    return _cell_summary(mech.merge(cs, on="study"), _study_tiers(ev), "mechanism", "cell_source")


def mode_of_action(
    ev: Evidence, *, spec: Filter | None = None, caption: str | None = None, ax: Axes | None = None
) -> Axes:
    """Mode-of-action map: mechanisms the authors measured (rows) per cell source (columns);
    bubble area ∝ studies, colour = strongest design. Mechanisms only speculated about are not
    coded, so an empty cell means 'not measured', not 'not involved'."""
    ev = prepare(ev, spec)
    desc = describe(spec, caption)
    data = mode_of_action_data(ev)
    rows = _vocab_order(ev, "mechanism", data["mechanism"]) if len(data) else []
    cols = _vocab_order(ev, "cell_source", data["cell_source"]) if len(data) else []
    with rc():
        ax = axes_for(ax, (max(8.0, 3.5 + 0.55 * len(cols)), max(4.2, 1.8 + 0.42 * len(rows))))
        n = len(set().union(*data["keys"])) if len(data) else 0
        set_title(
            ax,
            "Mode of action: mechanisms measured, by cell source",
            desc,
            f"{n_studies(n)} reporting a mechanism",
        )
        if data.empty:
            draw_empty(ax, "studies reporting a mechanism")
            return ax
        _bubble_matrix(
            ax, data, x="cell_source", y="mechanism", xorder=cols, yorder=rows, gid="mode-of-action"
        )
        ax.set_xlabel("cell source")
        tier_legend(ax, list(data["best_tier"]), title="strongest design in cell", marker_by_tier=False)
    return ax


# --------------------------------------------------------------------------------- profile
def species_groups(ev: Evidence) -> pd.Series:
    """Study key → species group (SPECIES_GROUPS, first matching rule wins)."""
    animal = ev.vocabulary.expand("model", ["animal model"])
    m = ev.models
    keys = ev.studies["key"].astype(str)
    by_study: dict[str, list[tuple[str, str]]] = {}
    for s, model, sp in zip(m["study"], m["model"].astype(str), m["species"].astype(str)):
        by_study.setdefault(str(s), []).append((model, sp))

    def group(key: str) -> str:
        systems = by_study.get(key, [])
        if any(model == "clinical" for model, _ in systems):
            return "people"
        if any(model in animal for model, _ in systems):
            return "animals in vivo"
        if any(sp == "human" for _, sp in systems):
            return "human tissue or cells"
        if systems:
            return "other or unstated cells"
        return "no own data"

    return pd.Series([group(k) for k in keys], index=keys, name="species_group")


def profile_data(ev: Evidence) -> pd.DataFrame:
    """Studies per design tier × species group (each study counted once). Rows in tier order,
    columns in SPECIES_GROUPS order."""
    groups = species_groups(ev)
    df = pd.DataFrame({"tier": ev.studies["tier"].astype(str).to_numpy(), "group": groups.to_numpy()})
    table = pd.crosstab(df["tier"], df["group"]) if len(df) else pd.DataFrame()
    tiers = [t for t in TIER_NAMES if t in table.index]
    cols = [g for g, _ in SPECIES_GROUPS]
    return table.reindex(index=tiers, columns=cols, fill_value=0)


def evidence_profile(
    ev: Evidence, *, spec: Filter | None = None, caption: str | None = None, ax: Axes | None = None
) -> Axes:
    """How much of the base is human: studies per design tier, split by species group."""
    ev = prepare(ev, spec)
    desc = describe(spec, caption)
    table = profile_data(ev)
    with rc():
        ax = axes_for(ax, (10, max(4.0, 1.6 + 0.45 * len(table))))
        total = int(table.to_numpy().sum())
        people = int(table["people"].sum()) if "people" in table else 0
        share = f"{people} in people ({100 * people / total:.0f}%)" if total else "none in people"
        set_title(ax, "Evidence profile: design tier × species", desc, f"{n_studies(total)}; {share}")
        if table.empty:
            draw_empty(ax, "studies")
            return ax
        y = np.arange(len(table))
        left = np.zeros(len(table))
        for g in table.columns:
            vals = table[g].to_numpy(dtype=float)
            if vals.sum() == 0:
                continue
            ax.barh(
                y,
                vals,
                left=left,
                color=SPECIES_GROUP_COLOURS[g],
                edgecolor="white",
                label=g,
                gid=f"species:{g}",
            )
            left += vals
        for yi, tot in enumerate(left):  # bar i is drawn at y == i
            ax.text(tot + 0.15, yi, str(int(tot)), va="center", fontsize=9, gid="profile-total")
        ax.set_yticks(y, [TIER_LABELS.get(t, t) for t in table.index])
        ax.invert_yaxis()
        ax.set_xlabel("studies")
        ax.set_xlim(0, max(left.max() * 1.12, 1))
        ax.legend(title="species group", loc="lower right", fontsize=9)
    return ax


# --------------------------------------------------------------------------------- outcomes
def direction_data(ev: Evidence) -> pd.DataFrame:
    """Outcome records per outcome group × direction (rows: groups, columns: directions)."""

    oc = ev.outcomes
    glabel = ev.vocabulary["outcome"].label
    groups = [glabel(k) for k, t in ev.vocabulary["outcome"].terms.items() if t.parent is None]
    if oc.empty:
        return pd.DataFrame(0, index=groups, columns=list(DIRECTIONS))
    g = oc["group"].astype(str).map(glabel)
    table = pd.crosstab(g, oc["direction"].astype(str))
    return table.reindex(index=groups, columns=list(DIRECTIONS), fill_value=0)


def outcome_directions(
    ev: Evidence, *, spec: Filter | None = None, caption: str | None = None, ax: Axes | None = None
) -> Axes:
    """Reported outcomes by group and direction (increased, decreased, no significant change,
    mixed, planned). Counts are outcome records, not effect sizes."""
    ev = prepare(ev, spec)
    desc = describe(spec, caption)
    table = direction_data(ev)
    with rc():
        ax = axes_for(ax, (10, 4.6))
        total = int(table.to_numpy().sum())
        n = ev.outcomes["study"].nunique() if len(ev.outcomes) else 0
        set_title(
            ax, "Direction of reported outcomes by outcome group", desc, f"{total} outcomes in {n_studies(n)}"
        )
        if total == 0:
            draw_empty(ax, "outcomes")
            return ax
        y = np.arange(len(table))
        left = np.zeros(len(table))
        for d in table.columns:
            vals = table[d].to_numpy(dtype=float)
            if vals.sum() == 0:
                continue
            ax.barh(
                y,
                vals,
                left=left,
                color=DIRECTION_COLOURS[d],
                edgecolor="#666666",
                linewidth=0.4,
                label=d,
                hatch="//" if d == "planned" else None,
                gid=f"direction:{d}",
            )
            left += vals
        ax.set_yticks(y, list(table.index))
        ax.invert_yaxis()
        ax.set_xlabel("outcome records (a study may report several)")
        ax.legend(title="direction", loc="lower right", fontsize=9)
    return ax
