"""Interactive controls for the review notebooks (ipywidgets).

The dashboard composes the filter controls of :mod:`exoreview.app.controls` with the pure views
in :mod:`exoreview.views`; it holds no review logic of its own. The result of every render is
stored on the dashboard object (``dashboard.current``) so tests can assert on it without a
browser. The claims view (:mod:`exoreview.app.claims_view`) drives a dashboard from a claim; the
check-a-text box (:class:`TextAudit`) is here too.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
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
from ..core.filters import Filter
from ..errors import ExoreviewError
from ..views import figures, tables
from ..views.export import save_figure
from ..views.tables import Table
from . import controls as ctl

DASHBOARD_CLASS = "exoreview-dashboard"
MAX_TABLE_ROWS = 200  # rows shown in the widget; exports hold every row
FIGURE_DPI = 100  # on-screen PNG; exports are 300 dpi PNG + SVG + PDF

CONTROL_LABELS = ctl.CONTROL_LABELS  # kept here for callers of the old name


@dataclass(frozen=True)
class DashboardView:
    """What one render produced: the filter, the filtered evidence, the table and both figures."""

    spec: Filter
    evidence: Evidence
    table: Table
    timeline: Axes
    gap_map: Axes
    roles: Mapping[str, str] = field(default_factory=dict)  # study key → its role for a claim
    note: str = ""  # what the view shows beyond the filter (the claims view says so here)

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
        self.controls: dict[str, Any]
        self.controls, self._years = ctl.build_controls(self.evidence)
        self.years_label = w.HTML(ctl.years_text(self.controls["years"].value))
        self.controls["years"].observe(
            lambda c: setattr(self.years_label, "value", ctl.years_text(c["new"])), names="value"
        )
        # what a render is: the filter's studies (the claims view swaps in its claim's body of evidence)
        self.renderer: Callable[[Evidence, Filter], DashboardView] = render
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
        self.widget = w.VBox(
            [
                w.HTML(
                    "<b>Filter the evidence</b> (terms include the terms below them; "
                    "options combine with AND)"
                ),
                ctl.controls_box(self.controls, self.years_label),
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
    @property
    def spec(self) -> Filter:
        """The Filter the controls describe."""
        return ctl.spec_of(self.controls, self._years)

    def set_spec(self, spec: Filter) -> None:
        """Set every control from a Filter (one render at the end)."""
        self._hold = True
        try:
            ctl.show_spec(self.controls, self._years, spec)
        finally:
            self._hold = False
        self.update()

    # -- rendering --------------------------------------------------------------------------
    def update(self, change: Any = None) -> DashboardView | None:
        """Render the current filter into the count, table and figures (no-op while held)."""
        if getattr(self, "_hold", False):
            return self.current

        try:
            view = self.renderer(self.evidence, self.spec)
        except ExoreviewError as err:
            self.status.value = f'<span style="color:#b00">{html.escape(str(err))}</span>'
            return self.current
        self.current = view
        self.renders += 1
        total = len(self.evidence.studies)
        self.count.value = (
            f'<span class="exoreview-count"><b>{view.n}</b> of {total} studies · '
            f"{html.escape(view.description)}</span>"
            + (f'<br><span class="exoreview-count-note">{html.escape(view.note)}</span>' if view.note else "")
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
