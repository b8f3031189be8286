"""Interactive controls for the review notebooks (ipywidgets).

All widget code lives in this one module.  Each dashboard composes filter
controls with the pure views in :mod:`exoreview.views` and
:mod:`exoreview.tables`; it holds no review logic of its own.  The result of
every render is stored on the dashboard object (``dashboard.current``) so
tests can assert on it without a browser.

ipywidgets and matplotlib are imported inside the functions that need them,
so ``import exoreview.widgets`` stays light.

Other engineers append their own widget classes at the END of this module.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ipywidgets as w
import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ..appraisal.audit import audit
from ..appraisal.cards import findings_html
from ..appraisal.texts import text_from_bytes
from ..core.evidence import Evidence, load
from ..core.filters import FIELDS, Filter, FilterField, terms_in
from ..errors import ExoreviewError
from ..views import figures, tables
from ..views.export import save_figure
from ..views.tables import Table

DASHBOARD_CLASS = "exoreview-dashboard"
MAX_TABLE_ROWS = 200  # rows shown in the widget; exports hold every row
FIGURE_DPI = 100  # on-screen PNG; exports are 300 dpi PNG + SVG + PDF

# what each filter option is called on its control (FIELDS drives which controls exist)
CONTROL_LABELS: dict[str, str] = {
    "cell_sources": "Cell source",
    "vesicle_terms": "Vesicle",
    "designs": "Design",
    "min_design": "At least",
    "species": "Species",
    "models": "Model",
    "conditions": "Condition",
    "outcomes": "Outcome",
    "year_from": "Years",
    "text": "Text",
    "include_conditioned_medium": "include conditioned medium / secretome",
    "include_registry": "include registered trials without results",
    "include_reviews": "include reviews",
}


@dataclass(frozen=True)
class DashboardView:
    """What one render produced: the filter, the filtered evidence, the table and both figures."""

    spec: Filter
    evidence: Evidence
    table: Table
    timeline: Axes
    gap_map: Axes

    @property
    def description(self) -> str:
        return self.spec.describe()

    @property
    def n(self) -> int:
        return len(self.evidence.studies)


def render(ev: Evidence, spec: Filter) -> DashboardView:
    """Pure: filter, then build the table, the timeline and the gap map (figures not shown)."""

    sub = spec.apply(ev)
    desc = spec.describe()
    table = tables.evidence_table(sub, caption=desc)
    tl = figures.timeline(sub, caption=desc)
    gm = figures.gap_map(sub, caption=desc)
    return DashboardView(spec, sub, table, tl, gm)


def _figure_of(ax: Axes) -> Figure:
    """The Figure the Axes is drawn on. An Axes of a SubFigure has no figure of its own to save or
    close (the plots here always draw on a Figure of their own)."""
    fig = ax.get_figure()
    if not isinstance(fig, Figure):
        raise TypeError(f"the Axes must be drawn on a Figure of its own, not on {type(fig).__name__}")
    return fig


def figure_png(ax: Axes, *, dpi: int = FIGURE_DPI, close: bool = True) -> bytes:
    """PNG bytes of the Axes' figure; closes the pyplot figure so nothing leaks into a cell."""

    buf = io.BytesIO()
    fig = _figure_of(ax)
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight")
    if close:
        plt.close(fig)
    return buf.getvalue()


def _label(f: FilterField) -> str:
    return CONTROL_LABELS.get(f.name, f.name.replace("_", " "))


class Dashboard:
    """Filter controls (one per :data:`exoreview.filters.FIELDS` entry), a live count, the
    evidence table, the timeline and the gap map, updating together; export buttons.

    ``dashboard.current`` holds the last :class:`DashboardView`; ``dashboard.spec`` the Filter
    built from the controls; ``dashboard.controls[name]`` each control (set ``.value`` to drive
    it from code)."""

    def __init__(
        self,
        evidence: Evidence | None = None,
        *,
        spec: Filter | None = None,
        export_dir: str | os.PathLike | None = None,
        max_rows: int = MAX_TABLE_ROWS,
    ) -> None:

        self.evidence = evidence if evidence is not None else load()
        self.max_rows = max_rows
        self.export_dir = (
            Path(export_dir)
            if export_dir is not None
            else Path(self.evidence.root).resolve().parent / "exports"
        )
        self.controls: dict[str, Any] = self._build_controls(w)
        self.count = w.HTML(layout=w.Layout(margin="4px 0"))
        self.table = w.HTML(layout=w.Layout(max_height="560px", overflow="auto"))
        self.timeline = w.Image(format="png", layout=w.Layout(max_width="100%"))
        self.gap_map = w.Image(format="png", layout=w.Layout(max_width="100%"))
        self.status = w.HTML()
        self.figure_button = w.Button(
            description="Export figures",
            icon="download",
            tooltip="timeline and gap map: PNG 300 dpi, SVG, PDF → exports/",
        )
        self.table_button = w.Button(
            description="Export table", icon="table", tooltip="evidence table: CSV and XLSX → exports/"
        )
        self.figure_button.on_click(lambda _b: self._export(self.export_figures))
        self.table_button.on_click(lambda _b: self._export(self.export_table))
        self.current: DashboardView | None = None
        self.renders = 0
        if spec is not None:
            self.set_spec(spec)
        for control in self.controls.values():
            control.observe(self.update, names="value")
        controls = [c for c in self.controls.values()]
        grid = w.GridBox(
            controls,
            layout=w.Layout(
                grid_template_columns="repeat(auto-fill, minmax(290px, 1fr))", grid_gap="4px 12px"
            ),
        )
        self.widget = w.VBox(
            [
                w.HTML(
                    "<b>Filter the evidence</b> (terms include the terms below them; "
                    "options combine with AND)"
                ),
                grid,
                self.count,
                w.HBox([self.figure_button, self.table_button, self.status]),
                self.timeline,
                self.gap_map,
                self.table,
            ]
        )
        self.widget.add_class(DASHBOARD_CLASS)
        self.update()

    # -- controls ---------------------------------------------------------------------------
    def _build_controls(self, w: Any) -> dict[str, Any]:
        ev = self.evidence
        vocab = ev.vocabulary
        years = ev.studies["year"].dropna()
        lo, hi = (int(years.min()), int(years.max())) if len(years) else (2000, 2030)
        self._years = (lo, hi)
        out: dict[str, Any] = {}
        style = {"description_width": "86px"}
        for f in FIELDS:
            label = _label(f)
            if f.kind == "terms":
                opts = [(vocab[f.term_facet].label(k), k) for k in terms_in(ev, f.term_facet)]
                out[f.name] = w.SelectMultiple(
                    options=opts,
                    value=(),
                    rows=min(5, max(2, len(opts))),
                    description=label,
                    tooltip=f.help,
                    style=style,
                )
            elif f.kind == "level":
                ranked = sorted(
                    (
                        (t.get("level"), k, t.label)
                        for k, t in vocab["design"].terms.items()
                        if t.get("level") is not None
                    )
                )
                out[f.name] = w.Dropdown(
                    options=[("any design", None)] + [(lab, k) for _, k, lab in ranked],
                    value=None,
                    description=label,
                    tooltip=f.help,
                    style=style,
                )
            elif f.kind == "year" and f.name == "year_from":
                out["years"] = w.IntRangeSlider(
                    value=(lo, hi),
                    min=lo,
                    max=hi,
                    step=1,
                    continuous_update=False,
                    description=label,
                    tooltip="publication years (studies without a year leave when the range is narrowed)",
                    style=style,
                )
            elif f.kind == "text":
                out[f.name] = w.Text(
                    value="",
                    placeholder="words in title, authors, notes",
                    continuous_update=False,
                    description=label,
                    tooltip=f.help,
                    style=style,
                )
            elif f.kind == "flag":
                out[f.name] = w.Checkbox(value=True, description=label, tooltip=f.help, indent=False)
        return out

    @property
    def spec(self) -> Filter:
        """The Filter the controls describe."""
        values: dict[str, Any] = {}
        for f in FIELDS:
            if f.kind in ("terms", "level", "text", "flag"):
                values[f.name] = self.controls[f.name].value
        lo, hi = self.controls["years"].value
        values["year_from"] = lo if lo > self._years[0] else None
        values["year_to"] = hi if hi < self._years[1] else None
        return Filter(**values)

    def set_spec(self, spec: Filter) -> None:
        """Set every control from a Filter (one render at the end)."""
        self._hold = True
        try:
            for f in FIELDS:
                if f.kind == "terms":
                    self.controls[f.name].value = tuple(getattr(spec, f.name))
                elif f.kind in ("level", "flag"):
                    self.controls[f.name].value = getattr(spec, f.name)
                elif f.kind == "text":
                    self.controls[f.name].value = spec.text or ""
            self.controls["years"].value = (spec.year_from or self._years[0], spec.year_to or self._years[1])
        finally:
            self._hold = False
        self.update()

    # -- rendering --------------------------------------------------------------------------
    def update(self, change: Any = None) -> DashboardView | None:
        """Render the current filter into the count, table and figures (no-op while held)."""
        if getattr(self, "_hold", False):
            return self.current

        try:
            view = render(self.evidence, self.spec)
        except ExoreviewError as err:
            self.status.value = f'<span style="color:#b00">{html.escape(str(err))}</span>'
            return self.current
        self.current = view
        self.renders += 1
        total = len(self.evidence.studies)
        self.count.value = (
            f'<span class="exoreview-count"><b>{view.n}</b> of {total} studies · '
            f"{html.escape(view.description)}</span>"
        )
        self.table.value = view.table.to_html(max_rows=self.max_rows)
        self.timeline.value = figure_png(view.timeline)
        self.gap_map.value = figure_png(view.gap_map)
        return view

    # -- exports ----------------------------------------------------------------------------
    def _stamp(self) -> str:
        view = self.current
        assert view is not None
        return f"{view.description} · {view.n} studies · exoreview {dt.date.today().isoformat()}"

    def export_figures(self) -> list[Path]:
        """Timeline and gap map of the current filter: PNG (300 dpi), SVG, PDF in export_dir,
        the filter in the file name and stamped on the figure."""

        view = self.current
        assert view is not None
        slug = view.spec.slug()
        written: list[Path] = []
        for name, fn in (("timeline", figures.timeline), ("gap-map", figures.gap_map)):
            ax = fn(view.evidence, caption=view.description)
            try:
                written += save_figure(ax, self.export_dir / f"{name}_{slug}", stamp=self._stamp())
            finally:
                plt.close(_figure_of(ax))
        return written

    def export_table(self) -> list[Path]:
        """The current evidence table (every row) as CSV and XLSX in export_dir."""
        view = self.current
        assert view is not None
        slug = view.spec.slug()
        return [
            view.table.export(self.export_dir / f"evidence-table_{slug}.{ext}") for ext in ("csv", "xlsx")
        ]

    def _export(self, action: Any) -> None:

        try:
            paths = action()
        except (ExoreviewError, OSError) as err:
            self.status.value = f'<span style="color:#b00">export failed: {html.escape(str(err))}</span>'
            return
        names = ", ".join(html.escape(p.name) for p in paths)
        self.status.value = f"wrote {len(paths)} files to {html.escape(str(self.export_dir))}: {names}"

    # -- display ----------------------------------------------------------------------------
    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)


def dashboard(evidence: Evidence | None = None, **kwargs: Any) -> Dashboard:
    """``exoreview.widgets.dashboard()`` → a :class:`Dashboard` on the given (or default) evidence."""
    return Dashboard(evidence, **kwargs)


# ---------------------------------------------------------------------------------------------
# Claims: check a text (issue 4). The logic is exoreview.audit.audit; this only wires controls.

AUDIT_CLASS = "exoreview-text-audit"


class TextAudit:
    """Paste a text, or load a saved web page (.html) or a PDF, → the audit of its references and
    claims (the same reader as ``exoreview audit``: main text of a page, text of a PDF).

    ``text_audit.current`` holds the last :class:`exoreview.appraisal.audit.Findings`; set
    ``text_audit.text.value`` (or call :meth:`run` / :meth:`load_file`) to audit from code."""

    def __init__(self, evidence: Evidence | None = None, *, text: str = "") -> None:
        self.evidence = evidence if evidence is not None else load()
        self.text = w.Textarea(
            value=text,
            placeholder="Paste a text with its reference list here, or load a saved web page or PDF below",
            continuous_update=False,
            layout=w.Layout(width="100%", height="180px"),
        )
        self.upload = w.FileUpload(
            accept=".txt,.html,.htm,.pdf", multiple=False, description="Load .html / .pdf / .txt"
        )
        self.button = w.Button(description="Audit the text", icon="search")
        self.output = w.HTML(layout=w.Layout(max_height="700px", overflow="auto"))
        self.current = None
        self.runs = 0
        self.source = "pasted text"
        self.button.on_click(lambda _b: self.run())
        self.text.observe(lambda _c: self.run(), names="value")
        self.upload.observe(self._uploaded, names="value")
        self.widget = w.VBox(
            [
                w.HTML(
                    "<b>Check a text</b>: are its references real and on topic, "
                    "and do its claims stay within the evidence?"
                ),
                self.text,
                w.HBox([self.upload, self.button]),
                self.output,
            ]
        )
        self.widget.add_class(AUDIT_CLASS)
        if text:
            self.run()

    def load_file(self, name: str, content: bytes):
        """Audit a file's bytes (a saved web page, a PDF or a text) as ``exoreview audit`` would."""
        try:
            text = text_from_bytes(name, content)
        except ExoreviewError as err:
            self.output.value = f'<span style="color:#b00">{html.escape(str(err))}</span>'
            return None
        self.source = name
        self.text.value = text  # shows the text read, and audits it
        return self.current

    def _uploaded(self, change: Any) -> None:
        files = change["new"] or ()
        if files:
            f = files[0]
            self.load_file(f["name"], bytes(f["content"]))

    def run(self):
        """Audit the current text; the result is shown and kept in ``self.current``."""
        try:
            self.current = audit(self.text.value, self.evidence, source=self.source)
        except ExoreviewError as err:
            self.output.value = f'<span style="color:#b00">{html.escape(str(err))}</span>'
            return None
        self.runs += 1
        self.output.value = findings_html(self.current)
        return self.current

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)
