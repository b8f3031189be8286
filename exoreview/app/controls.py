"""The dashboard's filter controls, built to be read from a projector: every label whole and no
hidden gesture.

One control per :data:`exoreview.core.filters.FIELDS` entry: a checkbox list for each terms field
(instead of a multi-select that needs Ctrl-click), radio buttons for the design level (instead of a
drop-down that cuts long design names), a year-range slider whose range is written out beside it
(the slider's own readout cuts "2010 – 2025" to "2010 – 202"), a text box and the flags. Every label
sits on its own line or wraps; none has a fixed width. The controls map to a
:class:`~exoreview.core.filters.Filter` and back exactly as before.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import ipywidgets as w
import traitlets

from ..core.evidence import Evidence
from ..core.filters import FIELDS, Filter, FilterField, terms_in

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
CONTROLS_CLASS = "exoreview-controls"
CHECKLIST_CLASS = "exoreview-checklist"
YEARS_CLASS = "exoreview-years"
WHOLE = {"description_width": "initial"}  # a description as wide as its text, never cut
# ipywidgets puts a checkbox's or radio button's label on one line and cuts it with "…"; these let it
# wrap instead, so every label is read whole at any width
C = f".{CONTROLS_CLASS}"
WRAP_CSS = (
    "<style>"
    f"{C} .widget-checkbox,{C} .widget-label-basic,{C} .widget-radio-box label"
    "{height:auto !important;min-height:var(--jp-widgets-inline-height,28px);flex-shrink:0 !important}"
    f"{C} .widget-label-basic{{display:flex !important;align-items:flex-start;gap:4px}}"
    f"{C} .widget-checkbox,{C} .widget-label-basic{{min-width:0;max-width:100%}}"
    f"{C} .widget-label-basic span{{min-width:0;flex:1 1 auto}}"
    f"{C} .widget-label-basic,{C} .widget-label-basic span,{C} .widget-radio-box label,{C} .widget-label"
    "{white-space:normal !important;overflow:visible !important;text-overflow:clip !important;"
    "line-height:1.3 !important}"
    f"{C} .widget-label-basic input{{flex:none;margin-top:2px}}"
    "</style>"
)
LIST_HEIGHT = "210px"  # a checkbox list taller than this scrolls (a visible scroll bar, no gesture)


def label_of(f: FilterField) -> str:
    return CONTROL_LABELS.get(f.name, f.name.replace("_", " "))


class CheckList(w.VBox):
    """A titled list of checkboxes, one a term, whose ``value`` is the tuple of ticked terms
    (what ``SelectMultiple.value`` was). Set ``value`` from code to tick boxes; a term that is not
    among the options gets a box of its own, so what the filter holds is always shown."""

    value = traitlets.Tuple()

    def __init__(
        self,
        options: Iterable[tuple[str, str]],
        *,
        description: str,
        tooltip: str = "",
        label: Callable[[str], str] | None = None,
    ) -> None:
        self._label = label or str
        self._syncing = False
        self.title = description
        self.help = tooltip
        self.boxes: dict[str, w.Checkbox] = {}
        self._list = w.VBox(layout=w.Layout(max_height=LIST_HEIGHT, overflow="auto", padding="0 4px"))
        super().__init__(
            [w.HTML(f"<b>{description}</b>", tooltip=tooltip or None), self._list],
            layout=w.Layout(border="1px solid #ddd", padding="2px 6px", margin="0 0 4px 0"),
        )
        for text, key in options:
            self._add(key, text)
        self.add_class(CHECKLIST_CLASS)

    def _add(self, key: str, text: str) -> w.Checkbox:
        box = w.Checkbox(
            value=False,
            description=text,
            tooltip=text,
            indent=False,
            layout=w.Layout(width="auto", height="auto", margin="0"),
        )
        box.observe(self._ticked, names="value")
        self.boxes[key] = box
        self._list.children = (*self._list.children, box)
        return box

    @property
    def options(self) -> tuple[str, ...]:
        return tuple(self.boxes)

    def _ticked(self, _change: Any) -> None:
        if not self._syncing:
            self.value = tuple(k for k, b in self.boxes.items() if b.value)

    @traitlets.observe("value")
    def _show(self, change: Any) -> None:
        wanted = tuple(change["new"])
        self._syncing = True
        try:
            for key in wanted:
                if key not in self.boxes:
                    self._add(key, self._label(key))
            for key, box in self.boxes.items():
                box.value = key in wanted
        finally:
            self._syncing = False


def build_controls(ev: Evidence) -> tuple[dict[str, Any], tuple[int, int]]:
    """The controls (keyed by Filter field name, the year range as ``years``) and the year span."""
    vocab = ev.vocabulary
    years = ev.studies["year"].dropna()
    lo, hi = (int(years.min()), int(years.max())) if len(years) else (2000, 2030)
    out: dict[str, Any] = {}
    for f in FIELDS:
        label = label_of(f)
        if f.kind == "terms":
            facet = vocab[f.term_facet]
            out[f.name] = CheckList(
                [(facet.label(k), k) for k in terms_in(ev, f.term_facet)],
                description=label,
                tooltip=f.help,
                label=facet.label,
            )
        elif f.kind == "level":
            ranked = sorted(
                (t.get("level"), k, t.label)
                for k, t in vocab["design"].terms.items()
                if t.get("level") is not None
            )
            out[f.name] = w.RadioButtons(
                options=[("any design", None)] + [(lab, k) for _, k, lab in ranked],
                value=None,
                description=f"{label} (best design)",
                tooltip=f.help,
                style=WHOLE,
                layout=w.Layout(width="auto"),
            )
        elif f.kind == "year" and f.name == "year_from":
            out["years"] = w.IntRangeSlider(
                value=(lo, hi),
                min=lo,
                max=hi,
                step=1,
                continuous_update=False,
                readout=False,  # its readout box cuts the range; years_text writes it whole
                description=label,
                tooltip="publication years (studies without a year leave when the range is narrowed)",
                style=WHOLE,
                layout=w.Layout(width="auto", flex="1 1 auto"),
            )
        elif f.kind == "text":
            out[f.name] = w.Text(
                value="",
                placeholder="words in title, authors, notes",
                continuous_update=False,
                description=label,
                tooltip=f.help,
                style=WHOLE,
                layout=w.Layout(width="auto"),
            )
        elif f.kind == "flag":
            out[f.name] = w.Checkbox(
                value=True,
                description=label,
                tooltip=f.help,
                indent=False,
                layout=w.Layout(width="auto"),
            )
    return out, (lo, hi)


def years_text(value: tuple[int, int]) -> str:
    """The year range as the slider shows it, whole: '2010 – 2025'."""
    lo, hi = value
    return (
        f'<span class="{YEARS_CLASS}">{lo} – {hi}</span>'
        if lo != hi
        else f'<span class="{YEARS_CLASS}">{lo}</span>'
    )


def spec_of(controls: dict[str, Any], years: tuple[int, int]) -> Filter:
    """The Filter the controls describe (a year bound only where the range is narrowed)."""
    values: dict[str, Any] = {}
    for f in FIELDS:
        if f.kind in ("terms", "level", "text", "flag"):
            values[f.name] = controls[f.name].value
    lo, hi = controls["years"].value
    values["year_from"] = lo if lo > years[0] else None
    values["year_to"] = hi if hi < years[1] else None
    return Filter(**values)


def show_spec(controls: dict[str, Any], years: tuple[int, int], spec: Filter) -> None:
    """Set every control from a Filter (the caller holds rendering until it is done)."""
    for f in FIELDS:
        if f.kind == "terms":
            controls[f.name].value = tuple(getattr(spec, f.name))
        elif f.kind in ("level", "flag"):
            controls[f.name].value = getattr(spec, f.name)
        elif f.kind == "text":
            controls[f.name].value = spec.text or ""
    controls["years"].value = (spec.year_from or years[0], spec.year_to or years[1])


def controls_box(controls: dict[str, Any], years_label: w.HTML) -> w.VBox:
    """The controls laid out: term lists in a grid of columns, then the design level, years,
    text and flags; every label whole."""
    lists = [c for c in controls.values() if isinstance(c, CheckList)]
    others = [c for name, c in controls.items() if not isinstance(c, CheckList) and name != "years"]
    flags = [c for c in others if isinstance(c, w.Checkbox)]
    rest = [c for c in others if not isinstance(c, w.Checkbox)]
    grid = w.GridBox(
        lists,
        layout=w.Layout(grid_template_columns="repeat(auto-fill, minmax(300px, 1fr))", grid_gap="4px 12px"),
    )
    years = w.HBox([controls["years"], years_label], layout=w.Layout(align_items="center", width="100%"))
    box = w.VBox(
        [
            w.HTML(WRAP_CSS),
            grid,
            w.HBox(rest, layout=w.Layout(flex_flow="row wrap", grid_gap="4px 24px")),
            years,
            w.HBox(flags, layout=w.Layout(flex_flow="row wrap", grid_gap="4px 24px")),
        ]
    )
    box.add_class(CONTROLS_CLASS)
    return box
