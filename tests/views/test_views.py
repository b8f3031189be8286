"""Plot views, tested by their artists: points drawn == studies shown, hollow registry markers,
bubble areas ∝ study counts, milestones only from dated regulatory records, filter in every title."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from conftest import base_study  # noqa: E402

import exoreview as xr  # noqa: E402
from exoreview.core.filters import Filter  # noqa: E402
from exoreview.errors import UsageError  # noqa: E402
from exoreview.views import figures as views
from exoreview.views import style  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _points(ax, prefix: str) -> int:
    return sum(len(c.get_offsets()) for c in ax.collections if str(c.get_gid() or "").startswith(prefix))


def _collection(ax, gid: str):
    found = [c for c in ax.collections if c.get_gid() == gid]
    assert len(found) == 1, f"expected one collection {gid!r}, got {len(found)}"
    return found[0]


def _reg(key: str, date: str, kind: str = "regulator notice", title: str = "A notice") -> dict:
    return {
        "key": key,
        "title": title,
        "issuer": "Some regulator",
        "date": date,
        "url": f"https://example.org/{key}",
        "verified_at": [f"https://example.org/{key}"],
        "kind": kind,
        "facts": ["A fact seen on the page."],
    }


# --------------------------------------------------------------------------------- timeline
def test_timeline_draws_one_point_per_dated_study_and_hollow_registry(exhibit):
    ax = views.timeline(exhibit)
    assert _points(ax, "tier:") == len(exhibit.studies)
    reg = _collection(ax, "tier:registered, no results")
    n_reg = int((exhibit.studies["tier"] == "registered, no results").sum())
    assert len(reg.get_offsets()) == n_reg == 1
    fc = reg.get_facecolors()
    assert len(fc) == 0 or np.all(fc[:, 3] == 0), "registered trials without results must be hollow"
    assert len(reg.get_edgecolors()) and reg.get_edgecolors()[0][3] > 0
    filled = _collection(ax, "tier:animal")
    assert np.all(filled.get_facecolors()[:, 3] > 0)
    title = ax.get_title(loc="left")
    assert "all studies" in title and f"{len(exhibit.studies)} studies" in title


def test_timeline_takes_a_filter_into_points_and_title(exhibit):
    spec = Filter(cell_sources=["MSC"], species=["mouse"])
    ax = views.timeline(exhibit, spec=spec)
    n = len(spec.apply(exhibit).studies)
    assert 0 < n < len(exhibit.studies)
    assert _points(ax, "tier:") == n
    assert spec.describe() in ax.get_title(loc="left")


def test_timeline_counts_studies_without_a_year(make_evidence):
    root = make_evidence({"a.yaml": base_study("a"), "b.yaml": base_study("b", year=None)})
    ev = xr.load(root)
    ax = views.timeline(ev)
    assert _points(ax, "tier:") == 1
    assert "1 without a year not shown" in ax.get_title(loc="left")


def test_timeline_groups_by_any_column(exhibit):
    ax = views.timeline(exhibit, by="vesicle_term")
    labels = {t.get_text() for t in ax.get_yticklabels()}
    assert labels == set(exhibit.studies["vesicle_term"])
    with pytest.raises(UsageError, match="no column 'nonsense'"):
        views.timeline(exhibit, by="nonsense")


def test_timeline_milestones_come_from_the_regulatory_records(exhibit):
    ax = views.timeline(exhibit)
    lines = [ln for ln in ax.get_lines() if str(ln.get_gid() or "").startswith("milestone:")]
    assert [ln.get_gid() for ln in lines] == ["milestone:ex-fda-notice"]
    record = exhibit.regulatory_records["ex-fda-notice"]
    assert record["title"] in lines[0].get_label()
    assert str(record["date"])[:10] in lines[0].get_label()
    assert not [
        ln
        for ln in views.timeline(exhibit, show_milestones=False).get_lines()
        if str(ln.get_gid() or "").startswith("milestone:")
    ]


@pytest.mark.parametrize(
    "kind, is_milestone",
    [
        ("regulator notice", True),
        ("society notice", True),
        ("health advisory", True),
        ("policy", False),
        ("market study", False),
        ("adverse-event report", False),
    ],
)
def test_milestone_kinds(make_evidence, kind, is_milestone):
    ev = xr.load(
        make_evidence({"a.yaml": base_study("a")}, regulatory={"r.yaml": _reg("r", "2020-05-01", kind)})
    )
    assert (len(views.milestones(ev)) == 1) is is_milestone


@pytest.mark.parametrize(
    "dates, expected",
    [
        (("2019-12-06", "2019-12-09"), 1),  # days apart: one line, "+1 more"
        (("2019-12-06", "2020-01-15"), 1),  # 40 days
        (("2019-12-06", "2020-03-01"), 2),  # months apart: two lines
        (("2019-12-06", "2021"), 2),
    ],
)
def test_milestones_merge_only_close_dates(make_evidence, dates, expected):
    reg = {f"r{i}.yaml": _reg(f"r{i}", d, title=f"Notice {i}") for i, d in enumerate(dates)}
    ev = xr.load(make_evidence({"a.yaml": base_study("a")}, regulatory=reg))
    ms = views.milestones(ev)
    assert len(ms) == expected
    assert sorted(k for keys in ms["keys"] for k in keys) == sorted(f"r{i}" for i in range(len(dates)))
    assert ms["label"].iloc[0] == "Notice 0"  # the earliest record names the milestone


# --------------------------------------------------------------------------------- gap map
def test_gap_map_bubble_area_is_proportional_to_study_counts(exhibit):
    data = views.gap_map_data(exhibit)
    ax = views.gap_map(exhibit)
    coll = _collection(ax, "gap-map")
    sizes = coll.get_sizes()
    counts = data["studies"].to_numpy(dtype=float)
    assert len(sizes) == len(data)
    assert np.allclose(sizes / sizes.max(), counts / counts.max())
    labels = [int(t.get_text()) for t in ax.texts if t.get_gid() == "gap-map-count"]
    assert labels == list(data["studies"])


def test_gap_map_counts_distinct_studies_and_strongest_design(make_evidence):
    rct = base_study(
        "rct",
        design=["randomized controlled trial"],
        models=[{"model": "clinical", "species": "human"}],
        outcomes=[
            {"outcome": "hair density", "measure": "count", "direction": "increased"},
            {"outcome": "hair diameter", "measure": "diameter", "direction": "increased"},
        ],
    )
    mouse = base_study(
        "mouse", outcomes=[{"outcome": "hair density", "measure": "count", "direction": "increased"}]
    )
    ev = xr.load(make_evidence({"rct.yaml": rct, "mouse.yaml": mouse}))
    data = views.gap_map_data(ev).set_index(["cell_source", "outcome_group"])
    cell = data.loc[("ADSC (adipose)", "clinical")]
    assert cell["studies"] == 2  # two outcomes of one study count once
    assert cell["best_tier"] == "randomized trial"
    ax = views.gap_map(ev)
    coll = _collection(ax, "gap-map")
    assert tuple(coll.get_facecolors()[0][:3]) == pytest.approx(
        matplotlib.colors.to_rgb(style.TIER_COLOURS["randomized trial"])
    )


def test_gap_map_draws_registry_only_cells_hollow(exhibit):
    """A cell whose studies are all registered trials without results is an empty ring."""
    data = views.gap_map_data(exhibit).reset_index(drop=True)
    hollow = data.index[data["best_tier"] == "registered, no results"]
    assert len(hollow), "the exhibit has a registry-only cell"
    coll = _collection(views.gap_map(exhibit), "gap-map")
    face, edge = coll.get_facecolors(), coll.get_edgecolors()
    for i in hollow:
        assert face[i][3] == 0 and edge[i][3] > 0
    filled = data.index[data["best_tier"] != "registered, no results"]
    assert all(face[i][3] > 0 for i in filled)


# --------------------------------------------------------------------------------- profile
def test_evidence_profile_bars_sum_to_studies_per_tier(exhibit):
    table = views.profile_data(exhibit)
    assert int(table.to_numpy().sum()) == len(exhibit.studies)
    ax = views.evidence_profile(exhibit)
    widths: dict[float, float] = {}
    for patch in ax.patches:
        y = round(patch.get_y() + patch.get_height() / 2, 3)
        widths[y] = widths.get(y, 0) + patch.get_width()
    tiers = exhibit.studies["tier"].astype(str).value_counts()
    assert sorted(widths.values()) == sorted(float(v) for v in tiers.values)
    people = int((exhibit.studies["human"]).sum())
    assert f"{people} in people" in ax.get_title(loc="left")


@pytest.mark.parametrize(
    "models, group",
    [
        (
            [{"model": "clinical", "species": "human"}, {"model": "cell culture", "species": "human"}],
            "people",
        ),
        (
            [
                {"model": "telogen-to-anagen model", "species": "mouse"},
                {"model": "cell culture", "species": "human"},
            ],
            "animals in vivo",
        ),
        ([{"model": "organ culture", "species": "human"}], "human tissue or cells"),
        ([{"model": "cell culture", "species": "not stated"}], "other or unstated cells"),
        ([], "no own data"),
    ],
)
def test_species_group_rules(make_evidence, models, group):
    ev = xr.load(make_evidence({"a.yaml": base_study("a", models=models)}))
    assert views.species_groups(ev)["a"] == group


# --------------------------------------------------------------------------------- others
def test_mode_of_action_bubbles_match_mechanism_tags(exhibit):
    data = views.mode_of_action_data(exhibit)
    assert data["studies"].sum() == len(exhibit.mechanisms)  # one cell source per exhibit study
    ax = views.mode_of_action(exhibit)
    coll = _collection(ax, "mode-of-action")
    assert np.allclose(coll.get_sizes() / coll.get_sizes().max(), data["studies"] / data["studies"].max())
    assert {t.get_text() for t in ax.get_yticklabels()} == set(exhibit.mechanisms["label"])


def test_outcome_directions_stack_every_outcome(exhibit):
    ax = views.outcome_directions(exhibit)
    assert sum(p.get_width() for p in ax.patches) == len(exhibit.outcomes)
    planned = [p for p in ax.patches if p.get_gid() == "direction:planned"]
    assert sum(p.get_width() for p in planned) == int((exhibit.outcomes["direction"] == "planned").sum())


def test_regulatory_timeline_draws_dated_records(shipped):
    ax = views.regulatory_timeline(shipped)
    dated = int(shipped.regulatory["date"].notna().sum())
    assert _points(ax, "regulatory:") == dated
    missing = len(shipped.regulatory) - dated
    if missing:
        assert f"{missing} without a date not shown" in ax.get_title(loc="left")


@pytest.mark.parametrize("name", list(views.VIEWS))
def test_every_view_survives_an_empty_selection(exhibit, name):
    fn = views.VIEWS[name]
    nothing = exhibit.subset([])
    ax = fn(nothing, caption="nothing") if name != "regulatory-timeline" else fn(nothing)
    assert ax.get_title(loc="left")
    if name != "regulatory-timeline":
        assert "nothing" in ax.get_title(loc="left")
        assert [t for t in ax.texts if t.get_gid() == "exoreview-empty"]


@pytest.mark.parametrize("name", [n for n in views.VIEWS if n != "regulatory-timeline"])
def test_views_are_pure_and_draw_on_a_given_axes(exhibit, name):
    before = exhibit.studies.copy()
    fig, ax = plt.subplots()
    out = views.VIEWS[name](exhibit, caption="a caption", ax=ax)
    assert out is ax
    assert "a caption" in ax.get_title(loc="left")
    assert exhibit.studies.equals(before)
