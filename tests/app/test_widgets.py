"""The dashboard without a browser: set a control, the stored render (count, table rows, plot
artists) changes; exports write the current filter's figures and table."""

from __future__ import annotations

import csv
import html
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


# -- controls a group can read from a projector (issue 16 item 8) ------------------------------------
def test_term_controls_are_checkbox_lists_with_whole_labels(dash, exhibit):
    import ipywidgets as w

    from exoreview.app.controls import CheckList

    assert not [c for c in dash.controls.values() if isinstance(c, w.SelectMultiple)]
    for f in FIELDS:
        if f.kind == "terms":
            control = dash.controls[f.name]
            assert isinstance(control, CheckList)
            labels = [b.description for b in control.boxes.values()]
            facet = exhibit.vocabulary[f.term_facet]
            assert labels == [facet.label(k) for k in control.options]  # the vocabulary's whole label
            assert all(
                b.layout.width == "auto" and b.tooltip == b.description for b in control.boxes.values()
            )
    for control in dash.controls.values():  # no fixed description width cuts a label
        style = getattr(control, "style", None)
        if style is not None and hasattr(style, "description_width"):
            assert style.description_width in ("", "initial")


def test_ticking_a_box_filters_as_the_multi_select_did(dash, exhibit):
    box = dash.controls["cell_sources"].boxes["ADSC"]
    box.value = True
    assert dash.controls["cell_sources"].value == ("ADSC",)
    assert dash.spec == Filter(cell_sources=["ADSC"])
    assert dash.current.n == len(Filter(cell_sources=["ADSC"]).apply(exhibit).studies)
    box.value = False
    assert dash.spec == Filter() and dash.current.n == len(exhibit.studies)


def test_a_term_set_from_code_ticks_its_box_and_an_unlisted_term_gets_one(dash):
    species = dash.controls["species"]
    species.value = ("mouse",)
    assert species.boxes["mouse"].value is True
    assert "pig" not in species.boxes
    species.value = ("mouse", "pig")
    assert species.boxes["pig"].value is True and species.boxes["pig"].description
    assert dash.spec.species == ("mouse", "pig")


def test_design_level_is_a_radio_list_and_the_year_range_is_written_whole(dash):
    import ipywidgets as w

    assert isinstance(dash.controls["min_design"], w.RadioButtons)
    slider = dash.controls["years"]
    assert slider.readout is False  # its own readout box cut "2010 – 2025" to "2010 – 202"
    lo, hi = slider.min, slider.max
    assert f"{lo} – {hi}" in dash.years_label.value
    slider.value = (lo + 1, hi)
    assert f"{lo + 1} – {hi}" in dash.years_label.value


# -- the claims view (issue 16 item 3) -----------------------------------------------------------------
@pytest.fixture(scope="module")
def claimed(tmp_path_factory):
    """The exhibit with two claims: one whose scope the filters keep, one whose only support lies
    outside its strict scope (a mouse study for a claim about men)."""
    import shutil

    import yaml
    from conftest import EVIDENCE, EXHIBIT

    import exoreview as xr

    root = tmp_path_factory.mktemp("claimed") / "evidence"
    shutil.copytree(EXHIBIT, root)
    for name in ("vocabulary.yaml", "schema.yaml"):
        shutil.copy(EVIDENCE / name, root / name)
    (root / "claims").mkdir()
    claims = {
        "msc-exosomes-mice": {
            "statement": "Exosomes from mesenchymal stem cells make hair grow in mice.",
            "scope": {
                "species": ["mouse"],
                "cell_source": ["MSC"],
                "vesicle_term": ["exosome"],
                "outcome": ["hair-cycle"],
            },
        },
        "adsc-density-men": {
            "statement": "Exosomes from adipose-derived stem cells raise hair density in men with pattern hair loss.",
            "scope": {
                "condition": ["MPHL"],
                "species": ["human"],
                "cell_source": ["ADSC"],
                "vesicle_term": ["exosome"],
                "outcome": ["hair density"],
            },
        },
    }
    for key, rec in claims.items():
        rec = {"key": key, **rec, "asserts": "benefit", "made_in": {"source": "reviewer question"}}
        (root / "claims" / f"{key}.yaml").write_text(yaml.safe_dump(rec, sort_keys=False), encoding="utf-8")
    return xr.load(root)


@pytest.fixture
def claims_view(claimed, tmp_path):
    from exoreview.app.claims_view import ClaimsView

    return ClaimsView(claimed, export_dir=tmp_path / "exports")


def test_claim_picker_lists_every_statement_whole(claims_view, claimed):
    labels = [label for label, _key in claims_view.picker.options]
    assert labels[0].startswith("All studies")
    assert sorted(labels[1:]) == sorted(claimed.claims["statement"])  # whole statements, not cut


def test_picking_a_claim_sets_the_filters_to_its_scope(claims_view, claimed):
    from exoreview.app.claims_view import scope_filter

    view = claims_view.pick("msc-exosomes-mice")
    dash = claims_view.dashboard
    claim = claims_view.assessments["msc-exosomes-mice"].claim
    assert dash.spec == scope_filter(claim, claimed)
    assert dash.spec.species == ("mouse",) and dash.spec.cell_sources == ("MSC",)
    assert dash.spec.outcomes == ("hair-cycle",) and dash.spec.vesicle_terms == ("exosome",)
    assert dash.controls["species"].boxes["mouse"].value is True
    assert dash.controls["cell_sources"].boxes["MSC"].value is True
    assert 'data-claim="msc-exosomes-mice"' in claims_view.card.value  # its card
    assert "Roles in the table" in claims_view.legend.value
    kept = set(scope_filter(claim, claimed).apply(claimed).studies["key"])
    assert kept <= set(view.evidence.studies["key"])
    assert view.n < len(claimed.studies)


def test_the_table_marks_each_study_by_its_role(claims_view, claimed):
    a = claims_view.assessments["adsc-density-men"]
    view = claims_view.pick("adsc-density-men")
    supporting = {r.key for r in a.supporting if r.kind == "study"}
    assert supporting and supporting <= set(view.evidence.studies["key"])  # shown though outside the scope
    data = view.table.data
    for key, role in zip(data["key"], data["role"]):
        expected = next(
            (r.role for r in (*a.supporting, *a.contradicting, *a.bordering) if r.key == key), "not placed"
        )
        assert role == expected == view.roles[key]
    ranks = data["_role_rank"].tolist()
    assert ranks == sorted(ranks)  # supporting first
    html_text = claims_view.dashboard.table.value
    assert "<th" in html_text and ">Role</th>" in html_text
    for key in supporting:
        citation = html.escape(data.loc[data["key"] == key, "citation"].iloc[0])
        row = next(r for r in html_text.split("<tr")[1:] if citation in r)
        assert "role-supporting" in row and "▲ supporting" in row
    assert "role" in view.table.export_frame.columns and "role_reason" in view.table.export_frame.columns
    assert "1 more the grading counts" in claims_view.dashboard.count.value


def test_narrowing_a_claim_keeps_its_roles_and_back_shows_every_study(claims_view, claimed):
    claims_view.pick("msc-exosomes-mice")
    dash = claims_view.dashboard
    dash.controls["include_reviews"].value = False
    assert dash.current.roles and set(dash.current.roles) == set(dash.current.evidence.studies["key"])
    claims_view.back.click()
    assert claims_view.picker.value is None and claims_view.card.value == ""
    assert dash.spec == Filter() and dash.current.n == len(claimed.studies)
    assert not dash.current.roles and ">Role</th>" not in dash.table.value


def test_an_unknown_claim_is_a_one_line_error(claims_view):
    from exoreview.errors import UsageError

    with pytest.raises(UsageError, match="no claim 'nope'; the claims are"):
        claims_view.pick("nope")


def test_the_check_a_text_box_is_in_the_dashboard_notebook(exhibit):
    """The Voilà app (notebook 01) builds a TextAudit; pasting a sentence gives a verdict."""
    import json

    from conftest import NOTEBOOKS

    from exoreview.app.widgets import TextAudit

    nb = json.loads((NOTEBOOKS / "01_review_dashboard.ipynb").read_text(encoding="utf-8"))
    code = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    assert "TextAudit(ev)" in code and "ClaimsView(ev)" in code
    box = TextAudit(exhibit)
    box.text.value = "Exosomes from adipose stem cells regrow hair in men with androgenetic alopecia."
    assert box.runs == 1 and box.current.claims
    assert box.current.claims[0].verdict in box.output.value
