"""One dashboard filter change at scale, against the bare pandas + matplotlib floor.

``python benchmarks/bench_filter.py [N]`` (default 10,000 synthetic studies from synth.py).

A filter change is what the dashboard does on every control change: filter (mask + subset),
build the evidence table and its HTML (first 200 rows, as shown), draw the timeline and the gap
map and encode both as PNG. The floor does the same work by hand with pandas and matplotlib
(precomputed term set, one scatter per design tier, the same figure sizes, constrained layout,
legends, milestone lines with their labels and legend, count labels, plain ``to_html``), in the same run, on the same data.
The result is the ratio of medians; target <= 1.5. ``measure(n)`` returns a dict for
benchmarks/run.py.
"""

from __future__ import annotations

import io
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import synth

import exoreview as xr
from exoreview.app.widgets import MAX_TABLE_ROWS, figure_png, render
from exoreview.core.filters import Filter
from exoreview.views import figures as views
from exoreview.views import style, tables

SPECS = ({"cell_sources": ("MSC",)}, {"species": ("mouse",), "year_from": 2015})
TABLE_ROWS = 200
TARGET = 1.5


def _ours(ev, spec_kwargs):
    view = render(ev, Filter(**spec_kwargs))
    html = view.table.to_html(max_rows=MAX_TABLE_ROWS)
    return len(html), len(figure_png(view.timeline)), len(figure_png(view.gap_map)), view.n


def _floor_factory(ev):
    """The hand-written floor: the same filter, table and two figures (same size, layout, markers,
    legends, count labels, milestone lines with their labels and legend) with bare pandas/matplotlib calls and no exoreview
    code in the loop. Term sets, colours and milestone dates are precomputed once."""
    st, tags, oc = ev.studies, ev.tags, ev.outcomes
    allowed = {
        "cell_source": ev.vocabulary.expand("cell_source", ["MSC"]),
        "species": ev.vocabulary.expand("species", ["mouse"]),
    }
    cs_tags = tags[tags["facet"] == "cell_source"]
    ms = views.milestones(ev)
    milestone_x = list(ms["x"])
    milestone_labels = [
        f"M{i} {d}: {str(t)[:46]}" for i, (d, t) in enumerate(zip(ms["date"], ms["label"]), 1)
    ]
    cols = [
        "citation",
        "title",
        "year",
        "doi",
        "cell_source",
        "vesicle_term",
        "models",
        "tier",
        "n_participants",
        "condition",
        "outcome_summary",
        "industry_funded",
        "citation_status",
    ]

    def png(fig):
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=100, bbox_inches="tight")
        plt.close(fig)
        return len(buf.getvalue())

    def run(spec_kwargs):
        mask = st["key"].notna().to_numpy().copy()
        for facet, key in (("cell_source", "cell_sources"), ("species", "species")):
            if key in spec_kwargs:
                t = tags[(tags["facet"] == facet) & tags["term"].isin(allowed[facet])]
                mask &= st["key"].isin(set(t["study"])).to_numpy()
        if "year_from" in spec_kwargs:
            mask &= (st["year"].fillna(0) >= spec_kwargs["year_from"]).to_numpy(dtype=bool)
        sub = st[mask]
        keys = set(sub["key"])
        html = sub[cols].head(TABLE_ROWS).to_html(escape=True, index=False)
        # timeline: one scatter per tier, groups on y, years as columns, milestone lines, legend
        dated = sub[sub["year"].notna()]
        groups = {g: i for i, g in enumerate(dated["cell_source"].value_counts().index)}
        with plt.rc_context(style.RC):
            fig, ax = plt.subplots(figsize=(14, 1.9 + 0.38 * len(groups)), layout="constrained")
            rng = np.random.default_rng(0)
            for tier, d in dated.groupby("tier", observed=True):
                ax.scatter(
                    d["year"].astype(float) + rng.uniform(0.1, 0.9, len(d)),
                    d["cell_source"].map(groups),
                    s=58,
                    marker=style.TIER_MARKERS[str(tier)],
                    color=style.TIER_COLOURS[str(tier)],
                    label=str(tier),
                )
            lines = []
            for i, (x, label) in enumerate(zip(milestone_x, milestone_labels), 1):
                lines.append(ax.axvline(x, linestyle=":", color="#555555", label=label))
                ax.text(
                    x, 1.0, f"M{i}", transform=ax.get_xaxis_transform(), fontsize=8, ha="center", va="bottom"
                )
            ax.set_yticks(list(groups.values()), list(groups))
            ax.set_title(f"Timeline of studies\nfilter · {len(dated)} studies", loc="left")
            tiers = ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1))
            if lines:  # the milestones' own legend, as the dashboard's timeline has it
                ax.add_artist(tiers)
                ax.legend(handles=lines, loc="lower left", bbox_to_anchor=(1.01, 0.0), fontsize=8)
            a = png(fig)
            # gap map: cell source x outcome group, bubble size = studies, count labels, legend
            cs = cs_tags[cs_tags["study"].isin(keys)][["study", "label"]]
            pairs = cs.merge(oc[oc["study"].isin(keys)][["study", "group"]], on="study").drop_duplicates()
            counts = pairs.groupby(["label", "group"], observed=True)["study"].nunique().reset_index()
            xs = {g: i for i, g in enumerate(sorted(counts["group"].astype(str).unique()))}
            ys = {g: i for i, g in enumerate(sorted(counts["label"].unique()))}
            fig, ax = plt.subplots(figsize=(10, 1.8 + 0.42 * len(ys)), layout="constrained")
            x, y = counts["group"].astype(str).map(xs), counts["label"].map(ys)
            ax.scatter(x, y, s=counts["study"] * (1400 / max(counts["study"].max(), 1)), label="studies")
            for xi, yi, c in zip(x, y, counts["study"]):
                ax.text(xi, yi, str(c), ha="center", va="center", fontsize=8)
            ax.set_xticks(list(xs.values()), list(xs), rotation=30, ha="right")
            ax.set_yticks(list(ys.values()), list(ys))
            ax.set_title(f"Evidence gap map\nfilter · {len(keys)} studies", loc="left")
            ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1))
            b = png(fig)
        return len(html), a, b, len(sub)

    return run


def _breakdown(ev, repeats):
    """Median seconds of each step of our filter change (where the time goes)."""
    steps = {
        "mask": [],
        "subset (Evidence.subset)": [],
        "table + html": [],
        "timeline png": [],
        "gap map png": [],
    }
    for i in range(repeats):
        spec = Filter(**SPECS[i % len(SPECS)])
        t = time.perf_counter()
        mask = spec.mask(ev)
        steps["mask"].append(time.perf_counter() - t)
        t = time.perf_counter()
        sub = ev.subset(ev.studies.loc[mask, "key"])
        steps["subset (Evidence.subset)"].append(time.perf_counter() - t)
        t = time.perf_counter()
        tables.evidence_table(sub, spec=spec).to_html(max_rows=TABLE_ROWS)
        steps["table + html"].append(time.perf_counter() - t)
        t = time.perf_counter()
        figure_png(views.timeline(sub, spec=None, caption=spec.describe()))
        steps["timeline png"].append(time.perf_counter() - t)
        t = time.perf_counter()
        figure_png(views.gap_map(sub, caption=spec.describe()))
        steps["gap map png"].append(time.perf_counter() - t)
    return {k: round(statistics.median(v), 4) for k, v in steps.items()}


def _median_times(fns, arg_cycle, repeats):
    """Median seconds of each function, called in turn on the same argument each repeat (so a
    noisy minute of the machine falls on both, not on one block of repeats); and what each
    returned for each argument (an argument the repeats did not reach is called once more)."""
    times = [[] for _ in fns]
    results = [[None] * len(arg_cycle) for _ in fns]
    for i in range(max(repeats, 1)):
        arg = arg_cycle[i % len(arg_cycle)]
        for fn, out, got in zip(fns, times, results):
            t0 = time.perf_counter()
            got[i % len(arg_cycle)] = fn(arg)
            out.append(time.perf_counter() - t0)
    for fn, got in zip(fns, results):
        for j, arg in enumerate(arg_cycle):
            if got[j] is None:
                got[j] = fn(arg)
    return [(statistics.median(t), t, got) for t, got in zip(times, results)]


def measure(n: int = 10_000, *, repeats: int = 7, folder: str | Path | None = None) -> dict:
    """Time one filter change (ours vs the floor) on `n` synthetic studies; returns a dict."""
    matplotlib.use("Agg")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(folder) if folder else Path(tmp) / "evidence"
        if not (root / "studies").is_dir():
            synth.write(n, root)
        t0 = time.perf_counter()
        ev = xr.load(root)
        load_s = time.perf_counter() - t0
        floor = _floor_factory(ev)
        # warm both paths once (imports, font cache)
        _ours(ev, SPECS[0])
        floor(SPECS[0])
        (ours_s, ours_all, ours_got), (floor_s, floor_all, floor_got) = _median_times(
            [lambda s: _ours(ev, s), floor], SPECS, repeats
        )
        shown = [got[3] for got in ours_got]
        check = [got[3] for got in floor_got]
        breakdown = _breakdown(ev, repeats)
    return {
        "benchmark": "filter change (mask + table + timeline + gap map)",
        "studies": len(ev.studies),
        "load_s": round(load_s, 3),
        "ours_s": round(ours_s, 4),
        "floor_s": round(floor_s, 4),
        "ratio": round(ours_s / floor_s, 3),
        "target": TARGET,
        "ok": ours_s / floor_s <= TARGET,
        "repeats": repeats,
        "studies_shown": shown,
        "floor_studies_shown": check,
        "ours_breakdown_s": breakdown,
        "ours_all_s": [round(t, 4) for t in ours_all],
        "floor_all_s": [round(t, 4) for t in floor_all],
    }


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    print(json.dumps(measure(n), indent=2))
