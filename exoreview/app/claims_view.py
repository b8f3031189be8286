"""The dashboard's claims view: pick a claim → its card, the filters set to its scope, and the
timeline, gap map and evidence table of its body of evidence with every study marked supporting,
contradicting or bordering (from its :class:`~exoreview.appraisal.assessment.Assessment`).

What the dashboard shows for a claim: the studies its filters keep (set to the claim's scope; the
group can narrow or widen them) and, always, the studies the grading counts for or against the
claim, even where they lie outside the strict scope (a study of a broader population that the
grading counts with a downgrade). Each row says its role; a legend says what the roles mean.
"All studies" leaves the claim and clears the filters.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

import ipywidgets as w

from ..appraisal.assessment import Assessment, StudyRole
from ..appraisal.cards import card_html
from ..appraisal.grade import assess_all
from ..core.claims import Claim
from ..core.evidence import Evidence, load
from ..core.filters import Filter
from ..errors import UsageError
from ..views import figures, tables
from ..views.tables import Column, Table
from .widgets import Dashboard, DashboardView, render

CLAIMS_CLASS = "exoreview-claims"
LEGEND_CLASS = "exoreview-role-legend"
ROLES = ("supporting", "contradicting", "bordering")
NOT_PLACED = "not placed"  # in the claim's scope by the filters, but the grading gave it no role


@dataclass(frozen=True)
class RoleStyle:
    mark: str  # a symbol as well as a colour: readable without colour
    colour: str  # Okabe–Ito (colour-blind safe)
    meaning: str


ROLE_STYLES: Mapping[str, RoleStyle] = {
    "supporting": RoleStyle("▲", "#009E73", "counts for the claim"),
    "contradicting": RoleStyle("▼", "#D55E00", "counts against the claim"),
    "bordering": RoleStyle(
        "◇", "#E69F00", "near the claim but not evidence for it (other scope, design or unclear result)"
    ),
    NOT_PLACED: RoleStyle("·", "#999999", "in the claim's scope by the filters; the grading gave it no role"),
}
# scope conditions that mean "any hair loss": the grading reads them so (scope.compare_scope), and as a
# filter they would keep only studies tagged with that very term
ANY_HAIR_LOSS = frozenset({"hair loss (unspecified)", "hair growth"})
# claim scope field → Filter field
SCOPE_FILTER = (
    ("cell_source", "cell_sources", "cell_source"),
    ("vesicle_term", "vesicle_terms", "vesicle_term"),
    ("species", "species", "species"),
    ("condition", "conditions", "condition"),
    ("outcome", "outcomes", "outcome"),
)


def scope_filter(claim: Claim, evidence: Evidence) -> Filter:
    """The Filter of a claim's scope: its cell source, vesicle, species, condition and outcome (a
    condition meaning any hair loss is left open; a term the vocabulary does not know is left out)."""
    values: dict[str, tuple[str, ...]] = {}
    vocab = evidence.vocabulary
    for scope_name, filter_name, facet in SCOPE_FILTER:
        keys = []
        for term in getattr(claim, scope_name):
            key = vocab[facet].resolve(term)
            if key is not None and key not in ANY_HAIR_LOSS and key not in keys:
                keys.append(key)
        values[filter_name] = tuple(keys)
    return Filter(
        cell_sources=values["cell_sources"],
        vesicle_terms=values["vesicle_terms"],
        species=values["species"],
        conditions=values["conditions"],
        outcomes=values["outcomes"],
    )


def study_roles(a: Assessment, evidence: Evidence) -> dict[str, StudyRole]:
    """Study key → its role for the claim (studies only: regulatory records are on the card)."""
    known = set(evidence.records)
    return {
        r.key: r
        for r in (*a.supporting, *a.contradicting, *a.bordering)
        if r.kind == "study" and r.key in known
    }


def role_table(table: Table, roles: Mapping[str, StudyRole]) -> Table:
    """The evidence table with a first column marking each study's role (and the grading's reason in
    the exports), rows ordered supporting, contradicting, bordering, not placed."""
    data = table.data.copy()
    role = [roles[k].role if k in roles else NOT_PLACED for k in data["key"]]
    order = {r: i for i, r in enumerate((*ROLES, NOT_PLACED))}
    data["role"] = role
    data["role_reason"] = [roles[k].reason if k in roles else "" for k in data["key"]]
    data["_role_shown"] = [f"{ROLE_STYLES[r].mark} {r}" for r in role]
    data["_role_rank"] = [order[r] for r in role]
    data["_row_class"] = [f"{c} role-{r.replace(' ', '-')}".strip() for c, r in zip(data["_row_class"], role)]
    data = data.sort_values("_role_rank", kind="stable").reset_index(drop=True)
    exports = table.export_columns or tuple(c for c in table.data.columns if not c.startswith("_"))
    return replace(
        table,
        data=data,
        columns=(Column("Role", "_role_shown", sort="_role_rank"), *table.columns),
        export_columns=("role", "role_reason", *exports),
    )


def claim_render(evidence: Evidence, spec: Filter, *, assessment: Assessment) -> DashboardView:
    """Pure: the claim's view: the studies the filter keeps plus those the grading counts for or
    against the claim, each marked by its role."""
    roles = study_roles(assessment, evidence)
    kept = set(spec.apply(evidence).studies["key"])
    decisive = {k for k, r in roles.items() if r.role in ("supporting", "contradicting")}
    extra = decisive - kept
    keys = [k for k in evidence.studies["key"] if k in kept or k in extra]
    sub = evidence.subset(keys)
    claim = assessment.claim
    desc = f"{claim.key} · {spec.describe()}"
    table = role_table(tables.evidence_table(sub, caption=desc), roles)
    counts = {
        r: sum(1 for k in keys if (roles[k].role if k in roles else NOT_PLACED) == r) for r in ROLE_STYLES
    }
    shown = ", ".join(f"{n} {r}" for r, n in counts.items() if n)
    note = (
        f"claim {claim.key}: {_studies(len(kept))} in its scope by the filters"
        + (f", {len(extra)} more the grading counts for or against it" if extra else "")
        + (f" · {shown}" if shown else "")
    )
    return DashboardView(
        spec,
        sub,
        table,
        figures.timeline(sub, caption=desc),
        figures.gap_map(sub, caption=desc),
        roles={k: (roles[k].role if k in roles else NOT_PLACED) for k in keys},
        note=note,
    )


def _studies(n: int) -> str:
    return f"{n} study" if n == 1 else f"{n} studies"


def legend_html() -> str:
    """What the role marks mean, and the CSS that colours the role cell of each row."""
    css = "".join(
        f"table.{tables.TABLE_CLASS} tr.role-{r.replace(' ', '-')} td:first-child"
        f"{{border-left:6px solid {s.colour};font-weight:bold;white-space:nowrap}}"
        for r, s in ROLE_STYLES.items()
    )
    items = "".join(
        f'<li data-role="{html.escape(r)}"><span style="border-left:6px solid {s.colour};padding-left:4px">'
        f"<b>{html.escape(s.mark)} {html.escape(r)}</b></span>: {html.escape(s.meaning)}</li>"
        for r, s in ROLE_STYLES.items()
    )
    return (
        f"<style>{css}</style>"
        f'<div class="{LEGEND_CLASS}"><b>Roles in the table</b>'
        f'<ul style="list-style:none;padding-left:0;margin:2px 0">{items}</ul></div>'
    )


class ClaimsView:
    """A claim picker above a :class:`~exoreview.app.widgets.Dashboard`: picking a claim shows its
    card, sets the filters to its scope and marks every study's role; "All studies" goes back.

    ``claims_view.picker.value`` is the claim key (None: all studies); ``claims_view.pick(key)``
    does the same from code; ``claims_view.dashboard.current`` holds what is shown."""

    def __init__(
        self,
        evidence: Evidence | None = None,
        *,
        dashboard: Dashboard | None = None,
        assessments: list[Assessment] | None = None,
        **dashboard_options: Any,
    ) -> None:
        self.evidence = evidence if evidence is not None else load()
        self.dashboard = dashboard or Dashboard(self.evidence, **dashboard_options)
        found = assessments if assessments is not None else assess_all(self.evidence)
        self.assessments: dict[str, Assessment] = {a.claim.key: a for a in found}
        self.picker = w.RadioButtons(
            options=[("All studies (no claim)", None)]
            + [(a.claim.statement, k) for k, a in self.assessments.items()],
            value=None,
            layout=w.Layout(width="100%"),
        )
        self.picker.add_class("exoreview-claim-picker")
        self.back = w.Button(description="Back to all studies", icon="undo", layout=w.Layout(width="auto"))
        self.back.on_click(lambda _b: self.pick(None))
        self.card = w.HTML()
        self.legend = w.HTML()
        self.picker.observe(lambda c: self._show(c["new"]), names="value")
        self.widget = w.VBox(
            [
                w.HTML(
                    # radio labels wrap instead of being cut (ipywidgets sets them on one line)
                    f"<style>.{CLAIMS_CLASS} .exoreview-claim-picker label{{white-space:normal;"
                    "height:auto;line-height:1.3;margin-bottom:4px}</style>"
                    "<b>Pick a claim</b>: its card, the filters set to its scope and its body of "
                    "evidence with each study's role"
                ),
                self.picker,
                self.back,
                self.card,
                self.legend,
                self.dashboard.widget,
            ]
        )
        self.widget.add_class(CLAIMS_CLASS)

    @property
    def assessment(self) -> Assessment | None:
        """The picked claim's assessment (None: all studies)."""
        key = self.picker.value
        return self.assessments[key] if key is not None else None

    def pick(self, key: str | None) -> DashboardView | None:
        """Show a claim (by key), or every study (None)."""
        if key is not None and key not in self.assessments:
            raise UsageError(f"no claim {key!r}; the claims are {', '.join(self.assessments)}")
        if self.picker.value == key:
            self._show(key)
        else:
            self.picker.value = key  # observed: shows it
        return self.dashboard.current

    def _show(self, key: str | None) -> None:
        dash = self.dashboard
        if key is None:
            self.card.value = ""
            self.legend.value = ""
            dash.renderer = render
            dash.set_spec(Filter())
            return
        a = self.assessments[key]
        self.card.value = card_html(a)
        self.legend.value = legend_html()
        dash.renderer = partial(claim_render, assessment=a)
        dash.set_spec(scope_filter(a.claim, self.evidence))

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)
