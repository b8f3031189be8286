"""The risk-of-bias tools as part of the evidence format: each tool's items, the judgements it
allows, its overall algorithm (rows of rules, the first that fires decides), which tool fits a
study's design, and the check of a study file's `risk_of_bias` block (file, line, item).

Reading the judgements of a study and mapping them onto a shared scale is appraisal
(:mod:`exoreview.appraisal.rob`); this module is what `exoreview validate` needs to know.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import Problem
from .schema import loc_name
from .yamlio import Parsed

JBI_THRESHOLDS: tuple[tuple[float, str], ...] = ((0.70, "low"), (0.50, "moderate"), (0.0, "high"))
JBI_UNCLEAR_SHARE = 0.5


@dataclass(frozen=True)
class OverallRule:
    """One row of a tool's overall algorithm."""

    result: str  # the overall judgement, in the tool's words
    when: str  # the condition in words (docs, notebook 04)
    fires: Callable[[Sequence[str]], bool]  # item judgements → does this row decide


def _applicable(j: Sequence[str]) -> list[str]:
    return [x for x in j if x != "not applicable"]


def _share(j: Sequence[str], value: str) -> float:
    applicable = _applicable(j)
    return sum(x == value for x in applicable) / len(applicable) if applicable else 0.0


def _yes_share_at_least(cut: float) -> Callable[[Sequence[str]], bool]:
    """The JBI row test for one threshold (a function, so each row keeps its own cut)."""
    return lambda j: _share(j, "yes") >= cut - 1e-9


ROB2_RULES: tuple[OverallRule, ...] = (
    OverallRule(
        "high",
        "if any domain is high (or, set by the reviewer with `overall: high` and "
        "`overall_support`, if some concerns in several domains substantially lower confidence)",
        lambda j: "high" in j,
    ),
    OverallRule("low", "if every domain is low", lambda j: bool(j) and all(x == "low" for x in j)),
    OverallRule("some concerns", "otherwise", lambda j: True),
)
ROBINS_I_RULES: tuple[OverallRule, ...] = (  # every one of the seven domains is a key domain here
    OverallRule("critical", "if any domain is critical", lambda j: "critical" in j),
    OverallRule("serious", "if any domain is serious", lambda j: "serious" in j),
    OverallRule("no information", "if any key domain lacks information", lambda j: "no information" in j),
    OverallRule("moderate", "if any domain is moderate", lambda j: "moderate" in j),
    OverallRule("low", "if every domain is low", lambda j: True),
)
JBI_RULES: tuple[OverallRule, ...] = (  # JBI gives no scoring rule: the convention used here
    OverallRule(
        "unclear",
        "if half or more of the applicable questions are unclear (JBI gives no scoring "
        "rule; this is the convention used here)",
        lambda j: not _applicable(j) or _share(j, "unclear") >= JBI_UNCLEAR_SHARE,
    ),
    *(
        OverallRule(
            label,
            f"if at least {cut:.0%} of the applicable questions are yes",
            _yes_share_at_least(cut),
        )
        for cut, label in JBI_THRESHOLDS[:-1]
    ),
    OverallRule(JBI_THRESHOLDS[-1][1], "otherwise", lambda j: True),
)
SYRCLE_RULES: tuple[OverallRule, ...] = (  # SYRCLE advises against a summary: Cochrane's original convention
    OverallRule(
        "high",
        "if any item is no (high risk; SYRCLE advises against a summary score, this is "
        "the convention of Cochrane's original tool)",
        lambda j: "no" in j,
    ),
    OverallRule("low", "if every item is yes (low risk)", lambda j: bool(j) and all(x == "yes" for x in j)),
    OverallRule("unclear", "otherwise", lambda j: True),
)


@dataclass(frozen=True)
class Tool:
    name: str
    reference: str
    items: tuple[tuple[str, str], ...]  # (item id, the tool's wording)
    scale: tuple[str, ...]  # judgements allowed, the tool's own words
    overall_scale: tuple[str, ...]  # overall judgements, best first
    overall_rules: tuple[OverallRule, ...]  # the algorithm: the first rule that fires decides

    @property
    def overall_rule(self) -> str:
        """The algorithm in words, from its rows."""
        return "; ".join(f"{r.result} {r.when}" for r in self.overall_rules)

    @property
    def item_ids(self) -> tuple[str, ...]:
        return tuple(i for i, _ in self.items)

    def label(self, item: str) -> str:
        return dict(self.items)[item]


TOOLS: dict[str, Tool] = {
    t.name: t
    for t in (
        Tool(
            "RoB 2",
            "Sterne JAC et al. RoB 2: a revised tool for assessing risk of bias in randomised trials. "
            "BMJ 2019;366:l4898",
            (
                ("randomization", "D1 Bias arising from the randomization process"),
                ("deviations", "D2 Bias due to deviations from intended interventions"),
                ("missing_data", "D3 Bias due to missing outcome data"),
                ("measurement", "D4 Bias in measurement of the outcome"),
                ("selective_reporting", "D5 Bias in selection of the reported result"),
            ),
            ("low", "some concerns", "high"),
            ("low", "some concerns", "high"),
            ROB2_RULES,
        ),
        Tool(
            "ROBINS-I",
            "Sterne JAC et al. ROBINS-I: a tool for assessing risk of bias in non-randomised studies "
            "of interventions. BMJ 2016;355:i4919",
            (
                ("confounding", "D1 Bias due to confounding"),
                ("selection", "D2 Bias in selection of participants into the study"),
                ("classification", "D3 Bias in classification of interventions"),
                ("deviations", "D4 Bias due to deviations from intended interventions"),
                ("missing_data", "D5 Bias due to missing data"),
                ("measurement", "D6 Bias in measurement of outcomes"),
                ("selective_reporting", "D7 Bias in selection of the reported result"),
            ),
            ("low", "moderate", "serious", "critical", "no information"),
            ("low", "moderate", "serious", "critical", "no information"),
            ROBINS_I_RULES,
        ),
        Tool(
            "JBI case series",
            "Munn Z et al. Methodological quality of case series studies: an introduction to the JBI "
            "critical appraisal tool. JBI Evid Synth 2020;18(10):2127-2133",
            (
                ("inclusion_criteria", "Q1 Clear criteria for inclusion in the case series?"),
                (
                    "condition_measured",
                    "Q2 Condition measured in a standard, reliable way for all participants?",
                ),
                (
                    "condition_identified",
                    "Q3 Valid methods used for identification of the condition for all participants?",
                ),
                ("consecutive_inclusion", "Q4 Consecutive inclusion of participants?"),
                ("complete_inclusion", "Q5 Complete inclusion of participants?"),
                ("demographics", "Q6 Clear reporting of the demographics of the participants?"),
                ("clinical_information", "Q7 Clear reporting of clinical information of the participants?"),
                ("outcomes_reported", "Q8 Outcomes or follow-up results of cases clearly reported?"),
                (
                    "site_demographics",
                    "Q9 Clear reporting of the presenting site(s)/clinic(s) demographic information?",
                ),
                ("statistics", "Q10 Was statistical analysis appropriate?"),
            ),
            ("yes", "no", "unclear", "not applicable"),
            ("low", "moderate", "high", "unclear"),
            JBI_RULES,
        ),
        Tool(
            "JBI case report",
            "Moola S et al. Chapter 7: Systematic reviews of etiology and risk. JBI Manual for "
            "Evidence Synthesis, 2020 (checklist for case reports)",
            (
                ("demographics", "Q1 Patient's demographic characteristics clearly described?"),
                ("history_timeline", "Q2 Patient's history clearly described and presented as a timeline?"),
                ("presentation", "Q3 Current clinical condition on presentation clearly described?"),
                ("diagnostics", "Q4 Diagnostic tests or assessment methods and results clearly described?"),
                ("intervention", "Q5 Intervention(s) or treatment procedure(s) clearly described?"),
                ("post_intervention", "Q6 Post-intervention clinical condition clearly described?"),
                (
                    "adverse_events",
                    "Q7 Adverse events (harms) or unanticipated events identified and described?",
                ),
                ("takeaway", "Q8 Does the case report provide takeaway lessons?"),
            ),
            ("yes", "no", "unclear", "not applicable"),
            ("low", "moderate", "high", "unclear"),
            JBI_RULES,
        ),
        Tool(
            "SYRCLE",
            "Hooijmans CR et al. SYRCLE's risk of bias tool for animal studies. BMC Med Res Methodol "
            "2014;14:43",
            (
                ("sequence_generation", "1 Sequence generation (selection bias)"),
                ("baseline_characteristics", "2 Baseline characteristics (selection bias)"),
                ("allocation_concealment", "3 Allocation concealment (selection bias)"),
                ("random_housing", "4 Random housing (performance bias)"),
                ("blinding_caregivers", "5 Blinding of caregivers and investigators (performance bias)"),
                ("random_outcome_assessment", "6 Random outcome assessment (detection bias)"),
                ("blinding_assessors", "7 Blinding of outcome assessors (detection bias)"),
                ("incomplete_data", "8 Incomplete outcome data (attrition bias)"),
                ("selective_reporting", "9 Selective outcome reporting (reporting bias)"),
                ("other_bias", "10 Other sources of bias"),
            ),
            ("yes", "no", "unclear"),  # yes = low risk of bias, no = high risk, unclear
            ("low", "high", "unclear"),
            SYRCLE_RULES,
        ),
    )
}

# Strongest design with results (vocabulary design level) → tool.
TOOL_BY_LEVEL: dict[int, str] = {
    2: "RoB 2",
    3: "ROBINS-I",
    4: "JBI case series",
    5: "JBI case report",
    6: "SYRCLE",
}
# Why a study gets no risk-of-bias assessment (checked in this order).
NO_TOOL: dict[str, str] = {
    "no results": "registry record or protocol without results: nothing to assess",
    "review": "review: risk of bias is assessed for primary studies only",
    "in vitro / ex vivo": "in vitro or ex vivo study: none of the tools used here (RoB 2, "
    "ROBINS-I, JBI, SYRCLE) covers it",
    "no design level": "design not stated: no tool can be chosen",
}


def overall(tool: str, judgements: Mapping[str, str]) -> str:
    """The tool's overall judgement from its item judgements (item id → judgement): the result of
    the first row of its algorithm that fires."""
    spec = TOOLS[tool]
    vals = [judgements[i] for i in spec.item_ids if i in judgements]
    return next(rule.result for rule in spec.overall_rules if rule.fires(vals))


def allowed_overall(tool: str, computed: str) -> tuple[str, ...]:
    """Overall judgements a reviewer may record: the computed one, plus RoB 2's escalation of
    'some concerns' to 'high' (the tool leaves that call to the reviewer)."""
    if tool == "RoB 2" and computed == "some concerns":
        return ("some concerns", "high")
    return (computed,)


# --------------------------------------------------------------------------------------------
# Which tool a study takes
# --------------------------------------------------------------------------------------------
def design_levels(rec: Mapping[str, Any], vocab) -> list[int]:
    terms = vocab["design"].terms
    return sorted(lv for d in rec.get("design") or [] if (lv := terms[d].get("level")) is not None)


def tool_for(rec: Mapping[str, Any], vocab) -> tuple[str | None, str]:
    """(tool, why) for a validated study record; tool is None when no tool applies."""
    status = vocab["publication_status"].terms.get(rec.get("publication_status"))
    if status is not None and not status.get("results"):
        return None, NO_TOOL["no results"]
    terms = vocab["design"].terms
    primary = [
        (terms[d].get("level"), d)
        for d in rec.get("design") or []
        if terms[d].get("level") is not None and not terms[d].get("synthesis")
    ]
    if not primary:
        synthesis = any(terms[d].get("synthesis") for d in rec.get("design") or [])
        return None, NO_TOOL["review" if synthesis else "no design level"]
    top, design = min(primary)
    if top in TOOL_BY_LEVEL:
        return TOOL_BY_LEVEL[top], f"strongest design with results: {vocab['design'].label(design)}"
    return None, NO_TOOL["in vitro / ex vivo"]


# --------------------------------------------------------------------------------------------
# Validation (called by exoreview.core.validate after the schema check)
# --------------------------------------------------------------------------------------------
def check_study(rec: Mapping[str, Any], parsed: Parsed, vocab: Any) -> list[Problem]:
    """Problems in a study's `risk_of_bias` block, located by file and line: wrong tool for the
    design, an item the tool does not have, a judgement outside the tool's wording, a missing or
    repeated item, an overall judgement the algorithm does not allow."""
    raw = parsed.data.get("risk_of_bias") if isinstance(parsed.data, dict) else None
    block = rec.get("risk_of_bias")
    if raw is None or not isinstance(raw, dict) or block is None:
        return []
    problems: list[Problem] = []

    def add(loc: tuple, message: str, code: str) -> None:
        problems.append(Problem(parsed.path, parsed.line(loc), loc_name(loc), message, code))

    root = ("risk_of_bias",)
    expected, why = tool_for(rec, vocab)
    tool = block.get("tool")
    if expected is None:
        add(
            root,
            f"this study takes no risk-of-bias assessment ({why}); set risk_of_bias: null",
            "rob-not-applicable",
        )
        return problems
    if tool is None:
        return problems  # the schema already reported the missing or unknown tool
    if tool != expected:
        add(
            root + ("tool",),
            f"'{tool}' does not fit this study's design ({why}); use '{expected}'",
            "rob-wrong-tool",
        )
        return problems
    spec = TOOLS[tool]
    seen: dict[str, int] = {}
    judged: dict[str, str] = {}
    items = raw.get("items")
    raw_items = items if isinstance(items, list) else []
    for i, item in enumerate(raw_items):
        if not isinstance(item, dict):
            continue
        name, judgement = item.get("item"), item.get("judgement")
        if not isinstance(name, str):
            continue
        if name not in spec.item_ids:
            hint = difflib.get_close_matches(name, spec.item_ids, n=1, cutoff=0.6)
            tip = f"did you mean '{hint[0]}'?" if hint else "items: " + ", ".join(spec.item_ids)
            add(root + ("items", i, "item"), f"'{name}' is not an item of {tool}; {tip}", "rob-unknown-item")
            continue
        if name in seen:
            add(
                root + ("items", i, "item"),
                f"item '{name}' is judged twice (first at item {seen[name]}); keep one",
                "rob-duplicate-item",
            )
            continue
        seen[name] = i
        if judgement not in spec.scale:
            add(
                root + ("items", i, "judgement"),
                f"{judgement!r} is not a {tool} judgement; allowed: " + ", ".join(spec.scale),
                "rob-bad-judgement",
            )
            continue
        if not str(item.get("support") or "").strip():
            continue  # the schema reports the missing support sentence
        judged[name] = judgement
    missing = [i for i in spec.item_ids if i not in seen]
    if missing:
        add(
            root + ("items",),
            f"{tool} needs a judgement for every item; missing: {', '.join(missing)} "
            "(write 'unclear' / 'no information' with a support sentence when the record does not say)",
            "rob-missing-item",
        )
    given = block.get("overall")
    if given is not None and not missing and len(judged) == len(spec.item_ids):
        computed = overall(tool, judged)
        if given not in allowed_overall(tool, computed):
            add(
                root + ("overall",),
                f"overall '{given}' contradicts the {tool} algorithm, which gives "
                f"'{computed}' ({spec.overall_rule}); remove it or change the item judgements",
                "rob-bad-overall",
            )
        elif given != computed and not str(block.get("overall_support") or "").strip():
            add(
                root + ("overall",),
                f"overall '{given}' departs from the computed '{computed}'; say why in overall_support",
                "rob-overall-unsupported",
            )
    return problems
