"""The dashboard without a browser: set a control, the stored render (count, table rows, plot
artists) changes; exports write the current filter's figures and table."""

from __future__ import annotations

import csv
import struct

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from exoreview.app.widgets import Dashboard, render  # noqa: E402
from exoreview.core.filters import FIELDS, Filter  # noqa: E402


@pytest.fixture
def dash(exhibit, tmp_path):
    return Dashboard(exhibit, export_dir=tmp_path / "exports")


def _points(ax) -> int:
    return sum(len(c.get_offsets()) for c in ax.collections if str(c.get_gid() or "").startswith("tier:"))


def _rows(html_text: str) -> int:
    return html_text.split("<tbody>", 1)[1].split("</tbody>", 1)[0].count("<tr")


def _png_dpi(data: bytes) -> float:
    i = data.index(b"pHYs")
    ppm_x = struct.unpack(">I", data[i + 4 : i + 8])[0]
    return ppm_x * 0.0254


def test_starts_with_every_study(dash, exhibit):
    view = dash.current
    assert view.n == len(exhibit.studies)
    assert view.spec == Filter()
    assert _rows(dash.table.value) == len(exhibit.studies)
    assert f"<b>{len(exhibit.studies)}</b> of {len(exhibit.studies)} studies" in dash.count.value
    assert bytes(dash.timeline.value).startswith(b"\x89PNG") and bytes(dash.gap_map.value).startswith(
        b"\x89PNG"
    )


def test_a_control_change_updates_count_table_and_plots_together(dash, exhibit):
    dash.controls["cell_sources"].value = ("ADSC",)
    expected = Filter(cell_sources=["ADSC"]).apply(exhibit)
    view = dash.current
    assert view.n == len(expected.studies) == 2
    assert set(view.evidence.studies["key"]) == set(expected.studies["key"])
    assert _rows(dash.table.value) == view.n
    assert _points(view.timeline) == view.n
    gap = [c for c in view.gap_map.collections if c.get_gid() == "gap-map"][0]
    assert len(gap.get_sizes()) == len(expected.outcomes.drop_duplicates(["group"]))
    for text in (
        view.timeline.get_title(loc="left"),
        view.gap_map.get_title(loc="left"),
        view.table.caption,
        dash.count.value,
    ):
        assert "ADSC" in text


@pytest.mark.parametrize(
    "control, value, spec",
    [
        ("species", ("rat",), Filter(species=["rat"])),
        ("min_design", "randomized controlled trial", Filter(min_design="randomized controlled trial")),
        ("include_registry", False, Filter(include_registry=False)),
        ("include_conditioned_medium", False, Filter(include_conditioned_medium=False)),
        ("text", "exhibit study", Filter(text="exhibit study")),
        ("outcomes", ("clinical",), Filter(outcomes=["clinical"])),
    ],
)
def test_each_control_maps_to_the_filter(dash, exhibit, control, value, spec):
    dash.controls[control].value = value
    assert dash.spec == spec
    assert dash.current.n == len(spec.apply(exhibit).studies)
    assert _rows(dash.table.value) == dash.current.n


def test_year_slider_sets_a_range_only_when_narrowed(dash, exhibit):
    lo, hi = dash.controls["years"].min, dash.controls["years"].max
    assert dash.spec.year_from is None and dash.spec.year_to is None
    dash.controls["years"].value = (lo + 1, hi)
    assert dash.spec.year_from == lo + 1 and dash.spec.year_to is None
    assert dash.current.n == len(Filter(year_from=lo + 1).apply(exhibit).studies)
    assert dash.controls["years"].continuous_update is False
    assert dash.controls["text"].continuous_update is False


def test_controls_come_from_the_filter_fields(dash):
    for f in FIELDS:
        name = "years" if f.kind == "year" else f.name
        assert name in dash.controls, f"no control for {f.name}"


def test_set_spec_round_trips_and_renders_once(dash, exhibit):
    spec = Filter(cell_sources=("MSC",), species=("mouse",), year_to=2020, include_reviews=False)
    before = dash.renders
    dash.set_spec(spec)
    assert dash.renders == before + 1
    assert dash.spec == spec
    assert dash.current.n == len(spec.apply(exhibit).studies)


def test_no_figures_leak_into_pyplot(dash):
    plt.close("all")
    dash.controls["species"].value = ("mouse",)
    dash.controls["species"].value = ()
    assert plt.get_fignums() == []


def test_render_is_pure(exhibit):
    before = exhibit.studies.copy()
    view = render(exhibit, Filter(species=["mouse"]))
    assert exhibit.studies.equals(before)
    assert view.n == len(Filter(species=["mouse"]).apply(exhibit).studies)
    plt.close("all")


def test_export_figures_writes_three_formats_with_the_filter(dash, tmp_path):
    dash.controls["species"].value = ("mouse",)
    paths = dash.export_figures()
    slug = Filter(species=["mouse"]).slug()
    assert sorted(p.name for p in paths) == sorted(
        f"{n}_{slug}.{ext}" for n in ("timeline", "gap-map") for ext in ("png", "svg", "pdf")
    )
    png = (tmp_path / "exports" / f"timeline_{slug}.png").read_bytes()
    assert round(_png_dpi(png)) == 300
    svg = (tmp_path / "exports" / f"timeline_{slug}.svg").read_text(encoding="utf-8")
    assert "<text" in svg or "mouse ·" in svg  # text kept as text, not paths
    assert f"mouse · {dash.current.n} studies · exoreview" in svg  # the stamp
    assert (tmp_path / "exports" / f"gap-map_{slug}.pdf").read_bytes().startswith(b"%PDF")
    assert plt.get_fignums() == []


def test_export_table_writes_csv_and_xlsx(dash, tmp_path):
    dash.controls["include_registry"].value = False
    paths = dash.export_table()
    slug = Filter(include_registry=False).slug()
    assert sorted(p.name for p in paths) == [f"evidence-table_{slug}.csv", f"evidence-table_{slug}.xlsx"]
    with open(paths[0], encoding="utf-8-sig", newline="") as fh:
        assert len(list(csv.DictReader(fh))) == dash.current.n


def test_export_buttons_report_in_the_status_line(dash, exhibit_dir):
    dash.table_button.click()
    assert "wrote 2 files" in dash.status.value
    dash.export_dir = exhibit_dir / "studies"  # inside the evidence folder: refused
    dash.figure_button.click()
    assert "export failed" in dash.status.value and "evidence folder" in dash.status.value
    assert not list((exhibit_dir / "studies").glob("*.png"))
