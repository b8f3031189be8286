"""Figures a reviewer reads: timeline, evidence gap map, evidence profile, mode-of-action map,
outcome directions and the regulatory timeline.

Every view is a pure function of an :class:`~exoreview.evidence.Evidence`: a ``*_data`` function
computes the tidy numbers, and the plot function draws them with keyword-only options, ``ax=None``
(a new styled Axes when omitted), and returns the Axes. Nothing here calls ``plt.show()`` or
writes a file (that is :mod:`exoreview.export`). Every title carries the filter description (pass
``spec=`` or ``caption=``) and the number of studies drawn, and says what was left out.

The few rules with judgement (which records are timeline milestones, how a study's species group
is decided) are the tables below.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from . import style
from .levels import TIER_NAMES, TIERS

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from .evidence import Evidence
    from .filters import Filter

TIER_RANK: Mapping[str, int] = {t: i for i, t in enumerate(TIER_NAMES)}
TIER_LABELS: Mapping[str, str] = dict(TIERS)

# regulatory record kinds drawn as milestones on the study timeline (the record's own date and
# title are the annotation; nothing is typed here by hand)
MILESTONE_KINDS: tuple[str, ...] = ("regulator notice", "society notice", "health advisory")
MERGE_DAYS = 45  # records this close to a milestone share its line

# a study's species group, first matching rule wins (for the evidence profile)
SPECIES_GROUPS: tuple[tuple[str, str], ...] = (
    ("people", "a clinical model (participants)"),
    ("animals in vivo", "an in-vivo animal model"),
    ("human tissue or cells", "human organ culture or cells"),
    ("other or unstated cells", "cells of another or an unstated species"),
    ("no own data", "no experimental system (reviews)"),
)
SPECIES_GROUP_COLOURS: Mapping[str, str] = {
    "people": "#0072B2", "animals in vivo": "#E69F00", "human tissue or cells": "#009E73",
    "other or unstated cells": "#F0E442", "no own data": "#BBBBBB",
}
DIRECTION_COLOURS: Mapping[str, str] = {
    "increased": "#0072B2", "decreased": "#D55E00", "no significant change": "#999999",
    "mixed": "#CC79A7", "planned": "#DDDDDD",
}
_LINE_MARKERS = frozenset({"x", "+", "1", "2", "3", "4", "|", "_"})
MAX_BUBBLE = 1400.0      # points² of the largest bubble
BUBBLE_PER_STUDY = 90.0  # points² per study while the largest bubble fits


# --------------------------------------------------------------------------------- helpers
def describe(spec: Filter | None = None, caption: str | None = None) -> str:
    """The filter description used in titles: `caption`, else `spec.describe()`, else all studies."""
    if caption:
        return caption
    return spec.describe() if spec is not None else "all studies"


def _prepare(ev: Evidence, spec: Filter | None) -> Evidence:
    return spec.apply(ev) if spec is not None else ev


def _studies(n: int) -> str:
    return f"{n} {'study' if n == 1 else 'studies'}"


def _axes(ax: Axes | None, figsize: tuple[float, float]) -> Axes:
    if ax is None:
        return style.new_axes(figsize)
    style.apply(ax)
    return ax


def _title(ax: Axes, title: str, desc: str, detail: str, pad: float = 6.0) -> None:
    ax.set_title(f"{title}\n{desc} · {detail}", loc="left", fontsize=12, pad=pad)


def _rc() -> Any:
    """The shared style while drawing. The pyplot backend is resolved first: a backend activated
    inside rc_context (the notebook's inline backend turns interactive mode on when it loads)
    would be switched off again when the context exits, and later figures would never show."""
    import matplotlib.pyplot as plt

    getattr(plt, "_get_backend_mod", lambda: None)()
    return plt.rc_context(style.RC)


def _empty(ax: Axes, what: str) -> None:
    ax.text(0.5, 0.5, f"No {what} match this filter", transform=ax.transAxes, ha="center",
            va="center", color="#555555", gid="exoreview-empty")
    ax.set_xticks([])
    ax.set_yticks([])


def _tier_legend(ax: Axes, tiers: list[str], *, title: str = "design (strongest first)",
                 loc: str = "upper left", marker_by_tier: bool = True) -> Any:
    from matplotlib.lines import Line2D

    handles = []
    for t in sorted(set(tiers), key=lambda x: TIER_RANK.get(x, 99)):
        hollow = t == "registered, no results"
        handles.append(Line2D([], [], linestyle="", marker=style.TIER_MARKERS[t] if marker_by_tier else "o",
                              markersize=8, markerfacecolor="none" if hollow else style.TIER_COLOURS[t],
                              markeredgecolor=style.TIER_COLOURS[t] if hollow else "#333333",
                              markeredgewidth=1.4 if hollow else 0.5, label=TIER_LABELS.get(t, t)))
    return ax.legend(handles=handles, title=title, loc=loc, bbox_to_anchor=(1.01, 1.0),
                     fontsize=8.5, title_fontsize=9)


def _year_x(date: str) -> float:
    """'2019-12-06' → 2019.93; '2019-12' → 2019.96 (mid-month); '2019' → 2019.5."""
    parts = str(date).split("-")
    year = int(parts[0])
    if len(parts) == 1:
        return year + 0.5
    month = int(parts[1])
    day = int(parts[2]) if len(parts) > 2 else 15
    return year + ((month - 1) * 30.44 + day) / 365.25


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
    keep = reg[reg["kind"].astype("string").isin(kinds).fillna(False).to_numpy(dtype=bool)
               & reg["date"].notna().to_numpy(dtype=bool)].copy()
    keep["x"] = keep["date"].map(_year_x)
    rows: list[dict[str, Any]] = []
    for r in keep.sort_values(["x", "key"]).to_dict("records"):
        if rows and (r["x"] - rows[-1]["x"]) * 365.25 <= MERGE_DAYS:
            rows[-1]["keys"].append(r["key"])
            rows[-1]["issuers"].append(r["issuer"])
            continue
        rows.append({"x": r["x"], "date": str(r["date"]), "label": str(r["title"]),
                     "keys": [r["key"]], "issuers": [r["issuer"]]})
    return pd.DataFrame(rows, columns=cols)


def timeline_data(ev: Evidence, *, by: str = "cell_source") -> pd.DataFrame:
    """One row a study with a year: key, year, group (the `by` column), tier, x, y positions.

    Groups are ordered by size (largest on top); studies sharing a year and group sit side by
    side within the year."""
    st = ev.studies
    if by not in st.columns:
        from .errors import UsageError

        raise UsageError(f"timeline: no column '{by}' in studies; use one of "
                         f"{', '.join(c for c in st.columns if st[c].dtype != bool)}")
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


def timeline(ev: Evidence, *, by: str = "cell_source", spec: Filter | None = None,
             caption: str | None = None, show_milestones: bool = True,
             milestone_kinds: tuple[str, ...] = MILESTONE_KINDS, ax: Axes | None = None) -> Axes:
    """Studies by year, one row a `by` group (cell source by default), marker and colour by
    design tier; registered trials without results drawn hollow (planned work). Milestones are
    dated regulatory records (their own titles), drawn as dotted lines."""
    ev = _prepare(ev, spec)
    desc = describe(spec, caption)
    data = timeline_data(ev, by=by)
    n_missing = len(ev.studies) - len(data)
    with _rc():
        ax = _axes(ax, (14, max(4.8, 1.9 + 0.38 * data["group"].nunique())))
        detail = _studies(len(data)) + (f" ({n_missing} without a year not shown)" if n_missing else "")
        _title(ax, f"Timeline of studies by {by.replace('_', ' ')}", desc, detail,
               pad=24 if show_milestones else 6)
        if data.empty:
            _empty(ax, "dated studies")
            return ax
        for tier_name in sorted(data["tier"].unique(), key=lambda t: TIER_RANK.get(t, 99)):
            d = data[data["tier"] == tier_name]
            colour = style.TIER_COLOURS.get(tier_name, "#777777")
            hollow = tier_name == "registered, no results"
            marker = style.TIER_MARKERS.get(tier_name, "o")
            if marker in _LINE_MARKERS:  # unfilled marker: the colour is the line
                ax.scatter(d["x"], d["y"], s=58, marker=marker, c=colour, linewidths=1.3, zorder=3,
                           gid=f"tier:{tier_name}", label=TIER_LABELS.get(tier_name, tier_name))
                continue
            ax.scatter(d["x"], d["y"], s=58, marker=marker,
                       facecolors="none" if hollow else colour,
                       edgecolors=colour if hollow else "#333333",
                       linewidths=1.5 if hollow else 0.5, zorder=3, gid=f"tier:{tier_name}",
                       label=TIER_LABELS.get(tier_name, tier_name))
        groups = data.drop_duplicates("group").sort_values("y")
        ax.set_yticks(groups["y"], [_short(g, 34) for g in groups["group"]])
        ax.set_ylim(groups["y"].max() + 0.7, -0.7)
        years = range(int(data["year"].min()), int(data["year"].max()) + 1)
        ax.set_xticks([y + 0.5 for y in years], [str(y) for y in years],
                      rotation=45 if len(years) > 12 else 0)
        for y in years:
            ax.axvline(y, color="#eeeeee", linewidth=0.8, zorder=0)
        x0, x1 = min(years), max(years) + 1
        legend = _tier_legend(ax, list(data["tier"].unique()))
        if show_milestones:
            ms = milestones(ev, kinds=milestone_kinds)
            ms = ms[(ms["x"] >= x0) & (ms["x"] < x1 + 1)]
            handles = []
            for i, m in enumerate(ms.to_dict("records"), start=1):
                x1 = max(x1, int(m["x"]) + 1)
                line = ax.axvline(m["x"], color="#555555", linestyle=":", linewidth=1.1, zorder=1,
                                  gid=f"milestone:{m['keys'][0]}")
                ax.annotate(f"M{i}", xy=(m["x"], 1.0), xycoords=("data", "axes fraction"),
                            xytext=(0, 2 + 9 * ((i - 1) % 2)), textcoords="offset points",
                            fontsize=8, ha="center", va="bottom", color="#333333", gid="milestone-label")
                more = f" (+{len(m['keys']) - 1} more)" if len(m["keys"]) > 1 else ""
                line.set_label(f"M{i} {m['date']}: {_short(m['label'], 46)}{more}")
                handles.append(line)
            if handles:
                ax.add_artist(legend)
                ax.legend(handles=handles, title="milestones (regulatory records)", loc="lower left",
                          bbox_to_anchor=(1.01, 0.0), fontsize=8, title_fontsize=9, handlelength=1.5)
        ax.set_xlim(x0 - 0.1, x1 + 0.1)
        ax.set_xlabel("publication year (registered trials: year registered)")
    return ax


def _short(text: str, n: int) -> str:
    text = str(text)
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


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
    out = g.agg(studies=("study", "nunique"), best=("rank", "min"),
                keys=("study", lambda s: tuple(sorted(set(s))))).reset_index()
    out["best_tier"] = out["best"].map(lambda r: TIER_NAMES[r] if r < len(TIER_NAMES) else "narrative review")
    return out.drop(columns="best")


def _light(colour: str) -> bool:
    from matplotlib.colors import to_rgb

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


def _bubble_matrix(ax: Axes, data: pd.DataFrame, *, x: str, y: str, xorder: list[str],
                   yorder: list[str], gid: str) -> None:
    xi = {v: i for i, v in enumerate(xorder)}
    yi = {v: i for i, v in enumerate(yorder)}
    counts = data["studies"].to_numpy(dtype=float)
    per = min(BUBBLE_PER_STUDY, MAX_BUBBLE / counts.max()) if len(counts) else BUBBLE_PER_STUDY
    colours = [style.TIER_COLOURS.get(t, "#777777") for t in data["best_tier"]]
    hollow = data["best_tier"].eq("registered, no results").to_numpy()
    from matplotlib.colors import to_rgba

    # transparency is baked into each colour: a collection-wide alpha would fill the hollow
    # (registered-only) bubbles in black
    face = [((0, 0, 0, 0) if h else to_rgba(c, 0.9)) for c, h in zip(colours, hollow)]
    edge = [(to_rgba(c) if h else to_rgba("#333333", 0.9)) for c, h in zip(colours, hollow)]
    ax.scatter(data[x].map(xi), data[y].map(yi), s=counts * per, facecolors=face,
               edgecolors=edge, linewidths=[1.5 if h else 0.5 for h in hollow], zorder=3, gid=gid)
    for xv, yv, n, c, h in zip(data[x].map(xi), data[y].map(yi), data["studies"], colours, hollow):
        ax.text(xv, yv, str(int(n)), ha="center", va="center", fontsize=8, zorder=4,
                color="#111111" if h or _light(c) else "white", gid=f"{gid}-count")
    ax.set_xticks(range(len(xorder)), [_short(v, 28) for v in xorder], rotation=30, ha="right")
    ax.set_yticks(range(len(yorder)), [_short(v, 34) for v in yorder])
    ax.set_xlim(-0.6, len(xorder) - 0.4)
    ax.set_ylim(len(yorder) - 0.5, -0.6)
    ax.grid(True, color="#eeeeee", linewidth=0.8, zorder=0)
    ax.set_axisbelow(True)


def gap_map(ev: Evidence, *, spec: Filter | None = None, caption: str | None = None,
            ax: Axes | None = None) -> Axes:
    """Evidence gap map: cell source (rows) × outcome group (columns); bubble area ∝ number of
    studies, colour = strongest design among them; empty cells are the gaps."""
    ev = _prepare(ev, spec)
    desc = describe(spec, caption)
    data = gap_map_data(ev)
    glabel = ev.vocabulary["outcome"].label
    groups = [glabel(k) for k, t in ev.vocabulary["outcome"].terms.items() if t.parent is None]
    rows = _vocab_order(ev, "cell_source", data["cell_source"]) if len(data) else []
    with _rc():
        ax = _axes(ax, (10, max(4.2, 1.8 + 0.42 * len(rows))))
        n = len(set().union(*data["keys"])) if len(data) else 0
        _title(ax, "Evidence gap map: cell source × outcome group", desc,
               f"{_studies(n)} with coded outcomes; bubble area = studies")
        if data.empty:
            _empty(ax, "studies with outcomes")
            return ax
        _bubble_matrix(ax, data, x="outcome_group", y="cell_source", xorder=groups, yorder=rows,
                       gid="gap-map")
        ax.set_xlabel("outcome group")
        _tier_legend(ax, list(data["best_tier"]), title="strongest design in cell",
                     marker_by_tier=False)
    return ax


def mode_of_action_data(ev: Evidence) -> pd.DataFrame:
    """Mechanism × cell source: distinct studies that measured the mechanism, strongest tier.

    Columns: mechanism (label), cell_source (label), studies, best_tier, keys."""
    mech = _facet_tags(ev, "mechanism").rename(columns={"label": "mechanism"})[["study", "mechanism"]]
    cs = _facet_tags(ev, "cell_source").rename(columns={"label": "cell_source"})[["study", "cell_source"]]
    return _cell_summary(mech.merge(cs, on="study"), _study_tiers(ev), "mechanism", "cell_source")


def mode_of_action(ev: Evidence, *, spec: Filter | None = None, caption: str | None = None,
                   ax: Axes | None = None) -> Axes:
    """Mode-of-action map: mechanisms the authors measured (rows) per cell source (columns);
    bubble area ∝ studies, colour = strongest design. Mechanisms only speculated about are not
    coded, so an empty cell means 'not measured', not 'not involved'."""
    ev = _prepare(ev, spec)
    desc = describe(spec, caption)
    data = mode_of_action_data(ev)
    rows = _vocab_order(ev, "mechanism", data["mechanism"]) if len(data) else []
    cols = _vocab_order(ev, "cell_source", data["cell_source"]) if len(data) else []
    with _rc():
        ax = _axes(ax, (max(8.0, 3.5 + 0.55 * len(cols)), max(4.2, 1.8 + 0.42 * len(rows))))
        n = len(set().union(*data["keys"])) if len(data) else 0
        _title(ax, "Mode of action: mechanisms measured, by cell source", desc,
               f"{_studies(n)} reporting a mechanism")
        if data.empty:
            _empty(ax, "studies reporting a mechanism")
            return ax
        _bubble_matrix(ax, data, x="cell_source", y="mechanism", xorder=cols, yorder=rows,
                       gid="mode-of-action")
        ax.set_xlabel("cell source")
        _tier_legend(ax, list(data["best_tier"]), title="strongest design in cell",
                     marker_by_tier=False)
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


def evidence_profile(ev: Evidence, *, spec: Filter | None = None, caption: str | None = None,
                     ax: Axes | None = None) -> Axes:
    """How much of the base is human: studies per design tier, split by species group."""
    ev = _prepare(ev, spec)
    desc = describe(spec, caption)
    table = profile_data(ev)
    with _rc():
        ax = _axes(ax, (10, max(4.0, 1.6 + 0.45 * len(table))))
        total = int(table.to_numpy().sum())
        people = int(table["people"].sum()) if "people" in table else 0
        share = f"{people} in people ({100 * people / total:.0f}%)" if total else "none in people"
        _title(ax, "Evidence profile: design tier × species", desc, f"{_studies(total)}; {share}")
        if table.empty:
            _empty(ax, "studies")
            return ax
        y = np.arange(len(table))
        left = np.zeros(len(table))
        for g in table.columns:
            vals = table[g].to_numpy(dtype=float)
            if vals.sum() == 0:
                continue
            ax.barh(y, vals, left=left, color=SPECIES_GROUP_COLOURS[g], edgecolor="white",
                    label=g, gid=f"species:{g}")
            left += vals
        for yi, tot in zip(y, left):
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
    from .evidence import DIRECTIONS

    oc = ev.outcomes
    glabel = ev.vocabulary["outcome"].label
    groups = [glabel(k) for k, t in ev.vocabulary["outcome"].terms.items() if t.parent is None]
    if oc.empty:
        return pd.DataFrame(0, index=groups, columns=list(DIRECTIONS))
    g = oc["group"].astype(str).map(glabel)
    table = pd.crosstab(g, oc["direction"].astype(str))
    return table.reindex(index=groups, columns=list(DIRECTIONS), fill_value=0)


def outcome_directions(ev: Evidence, *, spec: Filter | None = None, caption: str | None = None,
                       ax: Axes | None = None) -> Axes:
    """Reported outcomes by group and direction (increased, decreased, no significant change,
    mixed, planned). Counts are outcome records, not effect sizes."""
    ev = _prepare(ev, spec)
    desc = describe(spec, caption)
    table = direction_data(ev)
    with _rc():
        ax = _axes(ax, (10, 4.6))
        total = int(table.to_numpy().sum())
        n = ev.outcomes["study"].nunique() if len(ev.outcomes) else 0
        _title(ax, "Direction of reported outcomes by outcome group", desc,
               f"{total} outcomes in {_studies(n)}")
        if total == 0:
            _empty(ax, "outcomes")
            return ax
        y = np.arange(len(table))
        left = np.zeros(len(table))
        for d in table.columns:
            vals = table[d].to_numpy(dtype=float)
            if vals.sum() == 0:
                continue
            ax.barh(y, vals, left=left, color=DIRECTION_COLOURS[d], edgecolor="#666666",
                    linewidth=0.4, label=d, hatch="//" if d == "planned" else None, gid=f"direction:{d}")
            left += vals
        ax.set_yticks(y, list(table.index))
        ax.invert_yaxis()
        ax.set_xlabel("outcome records (a study may report several)")
        ax.legend(title="direction", loc="lower right", fontsize=9)
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
    with _rc():
        ax = _axes(ax, (13, max(3.8, 1.6 + 0.36 * len(dated))))
        missing = len(reg) - len(dated)
        _title(ax, "Regulatory and safety timeline", desc,
               f"{len(dated)} dated records" + (f" ({missing} without a date not shown)" if missing else ""))
        if dated.empty:
            _empty(ax, "dated records")
            return ax
        dated["x"] = dated["date"].map(_year_x)
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
                ax.scatter(dated.loc[mask, "x"], y[mask], s=170 if marker == "*" else 70, marker=marker,
                           facecolors=colour[kind] if filled else "none", edgecolors=colour[kind]
                           if not filled else "#333333", linewidths=1.4 if not filled else 0.6,
                           zorder=3, gid=f"regulatory:{kind}")
        ax.hlines(y, dated["x"].min() - 0.3, dated["x"], color="#dddddd", linewidth=0.8, zorder=1)
        ax.set_yticks(y, [f"{d[:10]}  {_short(t, 54)}" for d, t in zip(dated["date"], dated["title"])],
                      fontsize=8.5)
        ax.set_ylim(len(dated) - 0.4, -0.6)
        lo, hi = int(dated["x"].min()), int(dated["x"].max()) + 1
        ax.set_xlim(lo - 0.3, hi + 0.2)
        ax.set_xticks(range(lo, hi + 1))
        ax.set_xlabel("date")
        from matplotlib.lines import Line2D

        handles = [Line2D([], [], linestyle="", marker="s", markersize=8, markerfacecolor=colour[k],
                          markeredgecolor="#333333", label=k) for k in kinds]
        handles += [Line2D([], [], linestyle="", marker="o", markersize=8, markerfacecolor="none",
                           markeredgecolor="#333333", label="no adverse events reported"),
                    Line2D([], [], linestyle="", marker="o", markersize=8, markerfacecolor="#999999",
                           markeredgecolor="#333333", label="adverse events reported"),
                    Line2D([], [], linestyle="", marker="*", markersize=12, markerfacecolor="#999999",
                           markeredgecolor="#333333", label="serious adverse events")]
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8.5)
    return ax


# every figure view by name (the report and the tests call them through this table)
VIEWS: Mapping[str, Callable[..., Any]] = {
    "timeline": timeline, "gap-map": gap_map, "evidence-profile": evidence_profile,
    "mode-of-action": mode_of_action, "outcome-directions": outcome_directions,
    "regulatory-timeline": regulatory_timeline,
}
