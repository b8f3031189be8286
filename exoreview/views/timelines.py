"""Timelines: studies by year and cell source (with regulators' milestones), and the regulatory
timeline. Pure functions of an Evidence; ``ax=None``; return the Axes."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from ..core.evidence import Evidence
from ..core.filters import Filter
from ..core.values import shorten
from ..errors import UsageError
from . import style
from .base import (
    LINE_MARKERS,
    MERGE_DAYS,
    MILESTONE_KINDS,
    TIER_LABELS,
    TIER_RANK,
    axes_for,
    describe,
    draw_empty,
    drawable,
    n_studies,
    prepare,
    rc,
    set_title,
    tier_legend,
    year_x,
)


# --------------------------------------------------------------------------------- timeline
def milestones(ev: Evidence, *, kinds: tuple[str, ...] = MILESTONE_KINDS) -> pd.DataFrame:
    """Milestones for the timeline, straight from dated regulatory records of `kinds`.

    Records within MERGE_DAYS of a milestone's first record join it ("+2 more"); the first
    record names it. Columns: x (fractional year), date, label (the record's own title), keys,
    issuers."""
    cols = ["x", "date", "label", "keys", "issuers"]
    reg = ev.regulatory
    if reg.empty:
        return pd.DataFrame(columns=cols)
    keep = reg[
        reg["kind"].astype("string").isin(kinds).fillna(False).to_numpy(dtype=bool)
        & reg["date"].notna().to_numpy(dtype=bool)
    ].copy()
    keep["x"] = keep["date"].map(year_x)
    rows: list[dict[str, Any]] = []
    for r in keep.sort_values(["x", "key"]).to_dict("records"):
        if rows and (r["x"] - rows[-1]["x"]) * 365.25 <= MERGE_DAYS:
            rows[-1]["keys"].append(r["key"])
            rows[-1]["issuers"].append(r["issuer"])
            continue
        rows.append(
            {
                "x": r["x"],
                "date": str(r["date"]),
                "label": drawable(str(r["title"])),
                "keys": [r["key"]],
                "issuers": [r["issuer"]],
            }
        )
    return pd.DataFrame(rows, columns=cols)


def timeline_data(ev: Evidence, *, by: str = "cell_source") -> pd.DataFrame:
    """One row a study with a year: key, year, group (the `by` column), tier, x, y positions.

    Groups are ordered by size (largest on top); studies sharing a year and group sit side by
    side within the year."""
    st = ev.studies
    if by not in st.columns:
        raise UsageError(
            f"timeline: no column '{by}' in studies; use one of "
            f"{', '.join(c for c in st.columns if st[c].dtype != bool)}"
        )
    df = st.loc[st["year"].notna().to_numpy(dtype=bool), ["key", "year", by, "tier"]].copy()
    df.columns = ["key", "year", "group", "tier"]
    df["group"] = df["group"].astype("string").fillna("not stated").replace("", "not stated")
    df["tier"] = df["tier"].astype(str)
    df["year"] = df["year"].astype(int)
    order = df["group"].value_counts(sort=True)
    order = sorted(order.index, key=lambda g: (-order[g], g))
    ypos = {g: i for i, g in enumerate(order)}
    df["y"] = df["group"].map(ypos).astype(float)
    df["_rank"] = df["tier"].map(TIER_RANK).fillna(99)
    df = df.sort_values(["group", "year", "_rank", "key"], kind="stable")
    pos = df.groupby(["group", "year"], sort=False).cumcount().to_numpy()
    size = df.groupby(["group", "year"], sort=False)["key"].transform("size").to_numpy()
    step = np.minimum(0.14, 0.84 / np.maximum(size, 1))
    df["x"] = df["year"].to_numpy() + 0.5 + (pos - (size - 1) / 2) * step
    return df.drop(columns="_rank").reset_index(drop=True)


def timeline(
    ev: Evidence,
    *,
    by: str = "cell_source",
    spec: Filter | None = None,
    caption: str | None = None,
    show_milestones: bool = True,
    milestone_kinds: tuple[str, ...] = MILESTONE_KINDS,
    ax: Axes | None = None,
) -> Axes:
    """Studies by year, one row a `by` group (cell source by default), marker and colour by
    design tier; registered trials without results drawn hollow (planned work). Milestones are
    dated regulatory records (their own titles), drawn as dotted lines."""
    ev = prepare(ev, spec)
    desc = describe(spec, caption)
    data = timeline_data(ev, by=by)
    n_missing = len(ev.studies) - len(data)
    with rc():
        ax = axes_for(ax, (14, max(4.8, 1.9 + 0.38 * data["group"].nunique())))
        detail = n_studies(len(data)) + (f" ({n_missing} without a year not shown)" if n_missing else "")
        set_title(
            ax,
            f"Timeline of studies by {by.replace('_', ' ')}",
            desc,
            detail,
            pad=24 if show_milestones else 6,
        )
        if data.empty:
            draw_empty(ax, "dated studies")
            return ax
        for tier_name in sorted(data["tier"].unique(), key=lambda t: TIER_RANK.get(t, 99)):
            d = data[data["tier"] == tier_name]
            colour = style.TIER_COLOURS.get(tier_name, "#777777")
            hollow = tier_name == "registered, no results"
            marker = style.TIER_MARKERS.get(tier_name, "o")
            if marker in LINE_MARKERS:  # unfilled marker: the colour is the line
                ax.scatter(
                    d["x"],
                    d["y"],
                    s=58,
                    marker=marker,
                    c=colour,
                    linewidths=1.3,
                    zorder=3,
                    gid=f"tier:{tier_name}",
                    label=TIER_LABELS.get(tier_name, tier_name),
                )
                continue
            ax.scatter(
                d["x"],
                d["y"],
                s=58,
                marker=marker,
                facecolors="none" if hollow else colour,
                edgecolors=colour if hollow else "#333333",
                linewidths=1.5 if hollow else 0.5,
                zorder=3,
                gid=f"tier:{tier_name}",
                label=TIER_LABELS.get(tier_name, tier_name),
            )
        groups = data.drop_duplicates("group").sort_values("y")
        ax.set_yticks(groups["y"], [shorten(g, 34) for g in groups["group"]])
        ax.set_ylim(groups["y"].max() + 0.7, -0.7)
        years = range(int(data["year"].min()), int(data["year"].max()) + 1)
        ax.set_xticks(
            [y + 0.5 for y in years], [str(y) for y in years], rotation=45 if len(years) > 12 else 0
        )
        for y in years:
            ax.axvline(y, color="#eeeeee", linewidth=0.8, zorder=0)
        x0, x1 = min(years), max(years) + 1
        legend = tier_legend(ax, list(data["tier"].unique()))
        if show_milestones:
            ms = milestones(ev, kinds=milestone_kinds)
            ms = ms[(ms["x"] >= x0) & (ms["x"] < x1 + 1)]
            handles = []
            for i, m in enumerate(ms.to_dict("records"), start=1):
                x1 = max(x1, int(m["x"]) + 1)
                line = ax.axvline(
                    m["x"],
                    color="#555555",
                    linestyle=":",
                    linewidth=1.1,
                    zorder=1,
                    gid=f"milestone:{m['keys'][0]}",
                )
                ax.annotate(
                    f"M{i}",
                    xy=(m["x"], 1.0),
                    xycoords=("data", "axes fraction"),
                    xytext=(0, 2 + 9 * ((i - 1) % 2)),
                    textcoords="offset points",
                    fontsize=8,
                    ha="center",
                    va="bottom",
                    color="#333333",
                    gid="milestone-label",
                )
                more = f" (+{len(m['keys']) - 1} more)" if len(m["keys"]) > 1 else ""
                line.set_label(f"M{i} {m['date']}: {shorten(m['label'], 46)}{more}")
                handles.append(line)
            if handles:
                ax.add_artist(legend)
                ax.legend(
                    handles=handles,
                    title="milestones (regulatory records)",
                    loc="lower left",
                    bbox_to_anchor=(1.01, 0.0),
                    fontsize=8,
                    title_fontsize=9,
                    handlelength=1.5,
                )
        ax.set_xlim(x0 - 0.1, x1 + 0.1)
        ax.set_xlabel("publication year (registered trials: year registered)")
    return ax


# --------------------------------------------------------------------------------- regulatory
def regulatory_timeline(ev: Evidence, *, caption: str | None = None, ax: Axes | None = None) -> Axes:
    """Regulatory and safety records by date, one row a record (its own title), colour by kind;
    a filled marker where the record reports adverse events, a star where it calls them serious.
    Records without a date are counted in the title, not drawn."""
    reg = ev.regulatory
    desc = caption or "regulatory and safety records (study filters do not apply)"
    dated = reg[reg["date"].notna().to_numpy(dtype=bool)].copy()
    klabel = ev.vocabulary["regulatory_kind"].label
    with rc():
        ax = axes_for(ax, (13, max(3.8, 1.6 + 0.36 * len(dated))))
        missing = len(reg) - len(dated)
        set_title(
            ax,
            "Regulatory and safety timeline",
            desc,
            f"{len(dated)} dated records" + (f" ({missing} without a date not shown)" if missing else ""),
        )
        if dated.empty:
            draw_empty(ax, "dated records")
            return ax
        dated["x"] = dated["date"].map(year_x)
        dated = dated.sort_values(["x", "key"]).reset_index(drop=True)
        dated["kind_label"] = dated["kind"].astype(str).map(klabel)
        kinds = list(dict.fromkeys(dated["kind_label"]))
        colour = dict(zip(kinds, style.palette(len(kinds))))
        ae = dated["adverse_events_reported"].fillna(False).to_numpy(dtype=bool)
        serious = dated["serious_adverse_events"].fillna(False).to_numpy(dtype=bool)
        y = np.arange(len(dated))
        for kind in kinds:
            k = (dated["kind_label"] == kind).to_numpy()
            for mask, marker in ((k & ~ae, "o"), (k & ae & ~serious, "o"), (k & serious, "*")):
                if not mask.any():
                    continue
                filled = marker == "*" or bool(ae[mask].all())
                ax.scatter(
                    dated.loc[mask, "x"],
                    y[mask],
                    s=170 if marker == "*" else 70,
                    marker=marker,
                    facecolors=colour[kind] if filled else "none",
                    edgecolors=colour[kind] if not filled else "#333333",
                    linewidths=1.4 if not filled else 0.6,
                    zorder=3,
                    gid=f"regulatory:{kind}",
                )
        ax.hlines(y, dated["x"].min() - 0.3, dated["x"], color="#dddddd", linewidth=0.8, zorder=1)
        ax.set_yticks(
            y,
            [f"{d[:10]}  {shorten(drawable(t), 54)}" for d, t in zip(dated["date"], dated["title"])],
            fontsize=8.5,
        )
        ax.set_ylim(len(dated) - 0.4, -0.6)
        lo, hi = int(dated["x"].min()), int(dated["x"].max()) + 1
        ax.set_xlim(lo - 0.3, hi + 0.2)
        ax.set_xticks(range(lo, hi + 1))
        ax.set_xlabel("date")

        handles = [
            Line2D(
                [],
                [],
                linestyle="",
                marker="s",
                markersize=8,
                markerfacecolor=colour[k],
                markeredgecolor="#333333",
                label=k,
            )
            for k in kinds
        ]
        handles += [
            Line2D(
                [],
                [],
                linestyle="",
                marker="o",
                markersize=8,
                markerfacecolor="none",
                markeredgecolor="#333333",
                label="no adverse events reported",
            ),
            Line2D(
                [],
                [],
                linestyle="",
                marker="o",
                markersize=8,
                markerfacecolor="#999999",
                markeredgecolor="#333333",
                label="adverse events reported",
            ),
            Line2D(
                [],
                [],
                linestyle="",
                marker="*",
                markersize=12,
                markerfacecolor="#999999",
                markeredgecolor="#333333",
                label="serious adverse events",
            ),
        ]
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8.5)
    return ax
