"""Study quality over an Evidence: one table a study (tool, overall judgement, EV score), the item
tables the plots draw, and the JSON of ``exoreview quality``. Risk of bias is
:mod:`exoreview.appraisal.rob`, EV reporting :mod:`exoreview.appraisal.misev`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from ..core.evidence import Evidence
from ..core.values import as_int
from .misev import EvReport, ev_reporting
from .rob import RobAssessment, assess_rob


def study_quality(rec: Mapping[str, Any], vocab: Any) -> tuple[RobAssessment, EvReport]:
    return assess_rob(rec, vocab), ev_reporting(rec, vocab)


def records(
    ev: Evidence, keys: Iterable[str] | None = None
) -> list[tuple[Mapping[str, Any], Mapping[str, Any]]]:
    """(studies row, record) in the order of ev.studies."""
    rows = ev.studies.to_dict("records")
    return [(row, ev.records[row["key"]]) for row in rows if keys is None or row["key"] in keys]


def rob_table(ev: Evidence, tool: str | None = None) -> pd.DataFrame:
    """One row a study × item: study, label (citation), tool, item, item_label, judgement, level,
    support, overall, cross_tool. Only assessed studies; optionally one tool."""
    rows = []
    for row, rec in records(ev):
        a = assess_rob(rec, ev.vocabulary)
        if not a.items or (tool and a.tool != tool):
            continue
        for it in a.items:
            rows.append(
                {
                    "study": a.study,
                    "citation": row["citation"],
                    "tool": a.tool,
                    "item": it.item,
                    "item_label": it.label,
                    "judgement": it.judgement,
                    "level": it.level,
                    "support": it.support,
                    "overall": a.overall,
                    "cross_tool": a.cross_tool,
                    "n": _n(row),
                }
            )
    cols = [
        "study",
        "citation",
        "tool",
        "item",
        "item_label",
        "judgement",
        "level",
        "support",
        "overall",
        "cross_tool",
        "n",
    ]
    return pd.DataFrame(rows, columns=cols)


def ev_table(ev: Evidence) -> pd.DataFrame:
    """One row a study × MISEV item for studies where EV reporting applies."""
    rows = []
    for row, rec in records(ev):
        r = ev_reporting(rec, ev.vocabulary)
        if not r.applicable:
            continue
        for it in r.items:
            rows.append(
                {
                    "study": r.study,
                    "citation": row["citation"],
                    "item": it.item,
                    "item_label": it.label,
                    "reported": it.reported,
                    "detail": it.detail,
                    "score": r.score,
                    "max": r.max,
                    "dose_unit": r.dose_unit,
                    "dose_comparable": r.dose_comparable,
                }
            )
    cols = [
        "study",
        "citation",
        "item",
        "item_label",
        "reported",
        "detail",
        "score",
        "max",
        "dose_unit",
        "dose_comparable",
    ]
    return pd.DataFrame(rows, columns=cols)


def summary(ev: Evidence) -> pd.DataFrame:
    """One row a study: design, tool, overall (tool's words and cross-tool), EV score, flags."""
    rows = []
    for row, rec in records(ev):
        a, r = study_quality(rec, ev.vocabulary)
        rows.append(
            {
                "study": a.study,
                "citation": row["citation"],
                "design": row["design"],
                "extraction_level": row["extraction_level"],
                "rob_tool": a.tool,
                "rob_overall": a.overall,
                "rob_cross_tool": a.cross_tool,
                "rob_note": a.why,
                "ev_score": r.score,
                "ev_max": r.max,
                "ev_shown": r.shown(),
                "ev_not_extracted": ", ".join(r.unassessed) or None,
                "dose_unit": r.dose_unit,
                "dose_comparable": r.dose_comparable,
                "ev_flags": "; ".join(r.flags()) or None,
                "ev_note": r.why or None,
            }
        )
    df = pd.DataFrame(
        rows,
        columns=[
            "study",
            "citation",
            "design",
            "extraction_level",
            "rob_tool",
            "rob_overall",
            "rob_cross_tool",
            "rob_note",
            "ev_score",
            "ev_max",
            "ev_shown",
            "ev_not_extracted",
            "dose_unit",
            "dose_comparable",
            "ev_flags",
            "ev_note",
        ],
    )
    for c in ("ev_score", "ev_max"):
        df[c] = df[c].astype("Int64")
    df["dose_comparable"] = df["dose_comparable"].astype("boolean")
    return df


def to_json(ev: Evidence) -> list[dict[str, Any]]:
    """The `exoreview quality --format json` list, one object a study."""
    out = []
    for row, rec in records(ev):
        a, r = study_quality(rec, ev.vocabulary)
        out.append(
            {
                "study": a.study,
                "design": row["design"],
                "extraction": {"level": row["extraction_level"], "source": row["extraction_source"]},
                "rob_tool": a.tool,
                "rob_overall": a.overall,
                "rob_overall_cross_tool": a.cross_tool,
                "rob_note": a.why,
                "rob_items": a.as_dict(),
                "ev_reporting": {
                    "score": r.score,
                    "max": r.max,
                    "assessed": r.max,
                    "items_total": len(r.items) if r.applicable else None,
                    "not_extracted": list(r.unassessed),
                    "shown": r.shown(),
                    "applicable": r.applicable,
                    "note": r.why or None,
                    "dose_unit": r.dose_unit,
                    "dose_comparable": r.dose_comparable,
                    "flags": r.flags(),
                    "items": {i.item: {"reported": i.reported, "detail": i.detail} for i in r.items},
                },
            }
        )
    return out


def _n(row: Mapping[str, Any]) -> int | None:
    for col in ("n_participants", "n_animals"):
        n = as_int(row.get(col))
        if n is not None:
            return n
    return None


# --------------------------------------------------------------------------------------------
# Columns added to Evidence.studies (read by claim grading)
# --------------------------------------------------------------------------------------------
def study_columns(rec: Mapping[str, Any], vocab) -> dict[str, Any]:
    """rob_overall (low / some concerns / high / unclear, None when no tool applies or it could not
    be applied: not assessed, or only the abstract read), rob_tool, rob_note (why), ev_score and
    ev_max (items assessed; None when EV reporting does not apply)."""
    a, r = study_quality(rec, vocab)
    return {
        "rob_overall": a.cross_tool,
        "rob_tool": a.tool,
        "rob_note": a.why,
        "ev_score": r.score,
        "ev_max": r.max,
    }
