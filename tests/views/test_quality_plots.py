"""Study-quality figures: the artists drawn say what the tables say."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402

from exoreview.appraisal import effects, misev, pooling, quality  # noqa: E402
from exoreview.core import rob_tools  # noqa: E402
from exoreview.views import quality_plots  # noqa: E402


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def rob(shipped):
    return quality.rob_table(shipped)


def _by_gid(ax, gid):
    return [a for a in ax.get_children() if a.get_gid() == gid]


@pytest.mark.parametrize("tool", list(rob_tools.TOOLS))
def test_traffic_light_draws_one_dot_per_judgement(rob, tool):
    table = rob[rob["tool"] == tool]
    studies = list(dict.fromkeys(table["study"]))
    n_items = len(rob_tools.TOOLS[tool].item_ids)
    ax = quality_plots.traffic_light(rob, tool=tool)
    (dots,) = _by_gid(ax, "rob-traffic-light")
    assert len(dots.get_offsets()) == len(studies) * (n_items + 1)
    assert [t.get_text() for t in ax.get_yticklabels()] == studies
    assert [t.get_text() for t in ax.get_xticklabels()][-1] == "Overall"
    # the first study's item colours follow its judgements
    first = table[table["study"] == studies[0]].set_index("item")["level"]
    colours = [to_hex(c) for c in dots.get_facecolors()[:n_items]]
    expected = [quality_plots.LEVEL_COLOURS[first[i]].lower() for i in rob_tools.TOOLS[tool].item_ids]
    assert colours == expected
    symbols = [t for t in ax.texts if (t.get_gid() or "").startswith("rob-symbol:")]
    assert len(symbols) == len(studies) * (n_items + 1)
    legend = " | ".join(t.get_text() for t in ax.get_legend().get_texts())
    for judgement in set(table["judgement"]):  # the legend speaks the tool's own words
        assert judgement in legend, (judgement, legend)


def test_traffic_light_needs_one_tool(rob):
    with pytest.raises(ValueError, match="mixes tools"):
        quality_plots.traffic_light(rob)
    with pytest.raises(ValueError, match="no studies assessed"):
        quality_plots.traffic_light(rob[rob["tool"] == "SYRCLE"], tool="RoB 2")


def test_traffic_light_uses_the_given_axes(rob):
    fig, ax = plt.subplots()
    assert quality_plots.traffic_light(rob, tool="RoB 2", ax=ax) is ax


@pytest.mark.parametrize("tool", ["RoB 2", "SYRCLE"])
def test_summary_bars_add_to_100_and_say_how_they_are_weighted(rob, tool):
    ax = quality_plots.summary_bar(rob, tool=tool)
    bars = [p for p in ax.patches if (p.get_gid() or "").startswith("rob-summary:")]
    rows = len(rob_tools.TOOLS[tool].item_ids) + 1
    totals = np.zeros(rows)
    for b in bars:
        totals[int(round(b.get_y() + b.get_height() / 2))] += b.get_width()
    assert totals == pytest.approx(np.full(rows, 100.0))
    table = rob[rob["tool"] == tool].drop_duplicates("study")
    if table["n"].notna().all():
        assert "weighted by sample size" in ax.get_xlabel()
    else:
        assert "unweighted (sample size missing" in ax.get_xlabel()


def test_summary_bar_shares_are_weighted_by_n():
    table = pd.DataFrame(
        [
            {"study": s, "tool": "RoB 2", "item": i, "level": lv, "judgement": lv, "overall": ov, "n": n}
            for s, lv, ov, n in (("a", "low", "low", 90), ("b", "high", "high", 10))
            for i in rob_tools.TOOLS["RoB 2"].item_ids
        ]
    )
    ax = quality_plots.summary_bar(table, tool="RoB 2")
    widths = {b.get_gid(): b.get_width() for b in ax.patches if b.get_y() < 0.5 and b.get_gid()}
    assert widths == {"rob-summary:low": pytest.approx(90), "rob-summary:high": pytest.approx(10)}
    ax = quality_plots.summary_bar(table, tool="RoB 2", weighted=False)
    widths = {b.get_gid(): b.get_width() for b in ax.patches if b.get_y() < 0.5 and b.get_gid()}
    assert widths["rob-summary:low"] == pytest.approx(50)


def test_ev_heatmap_cells_match_the_item_table(shipped):
    table = quality.ev_table(shipped)
    ax = quality_plots.ev_heatmap(table)
    (img,) = [i for i in ax.get_images() if i.get_gid() == "ev-heatmap"]
    grid = np.asarray(img.get_array())
    studies = [t.get_text() for t in ax.get_yticklabels()]
    items = [i for i, _ in misev.EV_ITEMS]
    assert grid.shape == (len(studies), len(items))
    for r in table.itertuples():
        expected = 2.0 if r.reported is True else 1.0 if r.reported is False else 0.0
        assert grid[studies.index(r.study), items.index(r.item)] == expected
    scores = [t.get_text() for t in ax.texts if t.get_gid() == "ev-score"]
    assert len(scores) == len(studies) and all(s.endswith("assessed") for s in scores)
    dots = [c for c in ax.collections if c.get_gid() == "ev-not-extracted"]
    assert len(dots) == (1 if (table["reported"].isna()).any() else 0)
    if dots:
        assert len(dots[0].get_offsets()) == int(table["reported"].isna().sum())


def test_forest_plot_with_pooling():
    df = pd.DataFrame({"label": ["a", "b", "c"], "estimate": [1.0, 2.0, 0.5], "variance": [0.1, 0.2, 0.4]})
    df["ci_low"] = df["estimate"] - 1.96 * np.sqrt(df["variance"])
    df["ci_high"] = df["estimate"] + 1.96 * np.sqrt(df["variance"])
    pooled = pooling.pool(df["estimate"], df["variance"], df["label"])
    ax = quality_plots.forest(df, pooled=pooled, xlabel="mean difference")
    (squares,) = _by_gid(ax, "forest-study")
    assert [tuple(p) for p in squares.get_offsets()] == [(1.0, 0.0), (2.0, 1.0), (0.5, 2.0)]
    sizes = squares.get_sizes()
    assert sizes[0] > sizes[1] > sizes[2]  # heavier weight, bigger square
    (diamond,) = [p for p in ax.patches if p.get_gid() == "forest-pooled"]
    xs = diamond.get_xy()[:, 0]
    assert xs.min() == pytest.approx(pooled.ci_low) and xs.max() == pytest.approx(pooled.ci_high)
    (pi,) = _by_gid(ax, "forest-pi")
    seg = pi.get_segments()[0]
    assert (seg[0][0], seg[1][0]) == pytest.approx((pooled.pi_low, pooled.pi_high))
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[:3] == ["a", "b", "c"] and labels[3].startswith("Random effects (DL), k = 3")
    assert ax.get_xlabel() == "mean difference"


def test_forest_plot_of_the_shipped_effects_has_no_pooled_diamond(shipped):
    eff, _ = effects.study_effects(shipped)
    ax = quality_plots.forest(eff, xlabel="change")
    (squares,) = _by_gid(ax, "forest-study")
    assert len(squares.get_offsets()) == len(eff)
    assert not [p for p in ax.patches if p.get_gid() == "forest-pooled"]
    assert _by_gid(ax, "forest-null")


def test_forest_plot_needs_effects():
    with pytest.raises(ValueError, match="no effect sizes"):
        quality_plots.forest(pd.DataFrame(columns=["label", "estimate", "ci_low", "ci_high"]))
