"""Risk of bias of a study: its `risk_of_bias` block read with the tool that fits its design,
the overall judgement by the tool's algorithm, and every tool's wording mapped onto one scale.

The tools, their items and algorithms are part of the evidence format
(:mod:`exoreview.core.rob_tools`); this module reads a study's judgements. ``LEVEL`` maps each
wording onto one colour scale for plots; ``CROSS_TOOL`` maps each overall wording onto
``low / some concerns / high / unclear`` for claim grading.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..core import extraction
from ..core.rob_tools import TOOLS, allowed_overall, overall, tool_for

# Every tool's wording → one colour scale (plots) ...
LEVELS: tuple[str, ...] = (
    "low",
    "some concerns",
    "high",
    "critical",
    "unclear",
    "not applicable",
    "not extracted",
)
NOT_EXTRACTED = "not extracted"
# judgements that mean "the text read does not say": from less than the full text, not extracted
NO_INFORMATION = frozenset({"unclear", "no information"})
LEVEL: dict[tuple[str, str], str] = {
    **{("RoB 2", j): j for j in ("low", "some concerns", "high")},
    ("ROBINS-I", "low"): "low",
    ("ROBINS-I", "moderate"): "some concerns",
    ("ROBINS-I", "serious"): "high",
    ("ROBINS-I", "critical"): "critical",
    ("ROBINS-I", "no information"): "unclear",
    **{
        (t, j): lv
        for t in ("JBI case series", "JBI case report")
        for j, lv in (
            ("yes", "low"),
            ("no", "high"),
            ("unclear", "unclear"),
            ("not applicable", "not applicable"),
        )
    },
    ("SYRCLE", "yes"): "low",
    ("SYRCLE", "no"): "high",
    ("SYRCLE", "unclear"): "unclear",
}
# ... and every overall wording → the four levels claim grading reads (Evidence.studies.rob_overall).
CROSS_TOOL_LEVELS: tuple[str, ...] = ("low", "some concerns", "high", "unclear")
CROSS_TOOL: dict[tuple[str, str], str] = {
    ("RoB 2", "low"): "low",
    ("RoB 2", "some concerns"): "some concerns",
    ("RoB 2", "high"): "high",
    ("ROBINS-I", "low"): "low",
    ("ROBINS-I", "moderate"): "some concerns",
    ("ROBINS-I", "serious"): "high",
    ("ROBINS-I", "critical"): "high",
    ("ROBINS-I", "no information"): "unclear",
    **{
        (t, j): c
        for t in ("JBI case series", "JBI case report")
        for j, c in (("low", "low"), ("moderate", "some concerns"), ("high", "high"), ("unclear", "unclear"))
    },
    ("SYRCLE", "low"): "low",
    ("SYRCLE", "high"): "high",
    ("SYRCLE", "unclear"): "unclear",
}


# --------------------------------------------------------------------------------------------
# Reading a study's assessment
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RobItem:
    item: str
    label: str
    judgement: str
    level: str  # on the shared colour scale (LEVELS)
    support: str


@dataclass(frozen=True)
class RobAssessment:
    study: str
    tool: str | None
    why: str  # why this tool, or why none
    items: tuple[RobItem, ...]
    overall: str | None  # in the tool's words
    overall_support: str | None
    cross_tool: str | None  # low / some concerns / high / unclear

    @property
    def assessed(self) -> bool:
        """Judged with the tool from the full text (an overall judgement exists)."""
        return self.overall is not None

    def as_dict(self) -> dict[str, Any]:
        return {i.item: {"judgement": i.judgement, "support": i.support} for i in self.items}


def assess_rob(rec: Mapping[str, Any], vocab: Any) -> RobAssessment:
    """The risk-of-bias assessment of one validated study record (pure; never raises for a
    study that passed validation). A primary study without a `risk_of_bias` block is 'not yet
    assessed': tool named, no items, overall None."""
    tool, why = tool_for(rec, vocab)
    block = rec.get("risk_of_bias")
    key = rec.get("key", "")
    if tool is None or not block or block.get("tool") != tool:
        if tool is not None:
            why = f"{why}; not yet assessed"
        return RobAssessment(key, tool, why, (), None, None, None)
    spec = TOOLS[tool]
    given = {i["item"]: i for i in block.get("items") or [] if i and i.get("item") in spec.item_ids}
    full = extraction.level(rec) == extraction.FULL_TEXT
    items = tuple(
        RobItem(i, spec.label(i), judgement, LEVEL.get((tool, judgement), NOT_EXTRACTED), given[i]["support"])
        for i in spec.item_ids
        if i in given
        for judgement in [
            given[i]["judgement"] if full or given[i]["judgement"] not in NO_INFORMATION else NOT_EXTRACTED
        ]
    )
    if not full:  # judgements need the methods section: from less, the tool cannot be applied
        return RobAssessment(
            key, tool, f"{why}; not assessable: {extraction.not_extracted(rec)}", items, None, None, None
        )
    judged = {i.item: i.judgement for i in items}
    result = overall(tool, judged)
    if block.get("overall") in allowed_overall(tool, result):
        result = block["overall"]
    return RobAssessment(
        key, tool, why, items, result, block.get("overall_support"), CROSS_TOOL.get((tool, result))
    )
