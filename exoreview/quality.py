"""Study quality: risk of bias with the tool that fits each design, and EV reporting (MISEV).

Everything a reviewer may want to read or change is a table in this module:

- ``TOOL_BY_LEVEL`` picks the tool from the study's strongest design with results;
  ``NO_TOOL`` says why a study gets none (reviews, records without results, in vitro / ex vivo).
- ``TOOLS`` holds each tool's items (as the tool words them) and its judgement scale.
- ``OVERALL`` rules turn item judgements into the overall judgement, by the tool's own algorithm
  (RoB 2, ROBINS-I) or, where the tool defines none (JBI, SYRCLE), by the convention stated
  beside it.
- ``LEVEL`` maps every tool's wording onto one colour scale for plots; ``CROSS_TOOL`` maps each
  overall wording onto ``low / some concerns / high / unclear`` for claim grading.
- ``EV_ITEMS``, ``ISOLATION_SPECIFICITY`` and ``DOSE_UNITS`` define the MISEV reporting checklist.

The judgements themselves are curation: they live in each study file under ``risk_of_bias``
(tool, one entry per item with judgement and a support sentence, read only from the record).
The EV-reporting table is derived from the coded fields (isolation, characterization, dose,
vesicle_term) and says only what the record reports, not what a study may have done.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .errors import Problem

# --------------------------------------------------------------------------------------------
# Tools, items and scales
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tool:
    name: str
    reference: str
    items: tuple[tuple[str, str], ...]      # (item id, the tool's wording)
    scale: tuple[str, ...]                  # judgements allowed, the tool's own words
    overall_scale: tuple[str, ...]          # overall judgements, best first
    overall_rule: str                       # the algorithm, in words

    @property
    def item_ids(self) -> tuple[str, ...]:
        return tuple(i for i, _ in self.items)

    def label(self, item: str) -> str:
        return dict(self.items)[item]


TOOLS: dict[str, Tool] = {t.name: t for t in (
    Tool("RoB 2",
         "Sterne JAC et al. RoB 2: a revised tool for assessing risk of bias in randomised trials. "
         "BMJ 2019;366:l4898",
         (("randomization", "D1 Bias arising from the randomization process"),
          ("deviations", "D2 Bias due to deviations from intended interventions"),
          ("missing_data", "D3 Bias due to missing outcome data"),
          ("measurement", "D4 Bias in measurement of the outcome"),
          ("selective_reporting", "D5 Bias in selection of the reported result")),
         ("low", "some concerns", "high"),
         ("low", "some concerns", "high"),
         "low if every domain is low; high if any domain is high, or if the reviewer judges that "
         "some concerns in several domains substantially lower confidence (set `overall: high` "
         "with `overall_support`); otherwise some concerns"),
    Tool("ROBINS-I",
         "Sterne JAC et al. ROBINS-I: a tool for assessing risk of bias in non-randomised studies "
         "of interventions. BMJ 2016;355:i4919",
         (("confounding", "D1 Bias due to confounding"),
          ("selection", "D2 Bias in selection of participants into the study"),
          ("classification", "D3 Bias in classification of interventions"),
          ("deviations", "D4 Bias due to deviations from intended interventions"),
          ("missing_data", "D5 Bias due to missing data"),
          ("measurement", "D6 Bias in measurement of outcomes"),
          ("selective_reporting", "D7 Bias in selection of the reported result")),
         ("low", "moderate", "serious", "critical", "no information"),
         ("low", "moderate", "serious", "critical", "no information"),
         "critical if any domain is critical; serious if any is serious; otherwise no information "
         "if any key domain lacks information; moderate if any is moderate; low if all are low"),
    Tool("JBI case series",
         "Munn Z et al. Methodological quality of case series studies: an introduction to the JBI "
         "critical appraisal tool. JBI Evid Synth 2020;18(10):2127-2133",
         (("inclusion_criteria", "Q1 Clear criteria for inclusion in the case series?"),
          ("condition_measured", "Q2 Condition measured in a standard, reliable way for all participants?"),
          ("condition_identified", "Q3 Valid methods used for identification of the condition for all participants?"),
          ("consecutive_inclusion", "Q4 Consecutive inclusion of participants?"),
          ("complete_inclusion", "Q5 Complete inclusion of participants?"),
          ("demographics", "Q6 Clear reporting of the demographics of the participants?"),
          ("clinical_information", "Q7 Clear reporting of clinical information of the participants?"),
          ("outcomes_reported", "Q8 Outcomes or follow-up results of cases clearly reported?"),
          ("site_demographics", "Q9 Clear reporting of the presenting site(s)/clinic(s) demographic information?"),
          ("statistics", "Q10 Was statistical analysis appropriate?")),
         ("yes", "no", "unclear", "not applicable"),
         ("low", "moderate", "high", "unclear"),
         "JBI gives no scoring rule; convention used: unclear if half or more of the applicable "
         "questions are unclear; else low if at least 70% are yes, moderate if 50-69%, high below 50%"),
    Tool("JBI case report",
         "Moola S et al. Chapter 7: Systematic reviews of etiology and risk. JBI Manual for "
         "Evidence Synthesis, 2020 (checklist for case reports)",
         (("demographics", "Q1 Patient's demographic characteristics clearly described?"),
          ("history_timeline", "Q2 Patient's history clearly described and presented as a timeline?"),
          ("presentation", "Q3 Current clinical condition on presentation clearly described?"),
          ("diagnostics", "Q4 Diagnostic tests or assessment methods and results clearly described?"),
          ("intervention", "Q5 Intervention(s) or treatment procedure(s) clearly described?"),
          ("post_intervention", "Q6 Post-intervention clinical condition clearly described?"),
          ("adverse_events", "Q7 Adverse events (harms) or unanticipated events identified and described?"),
          ("takeaway", "Q8 Does the case report provide takeaway lessons?")),
         ("yes", "no", "unclear", "not applicable"),
         ("low", "moderate", "high", "unclear"),
         "JBI gives no scoring rule; convention used: unclear if half or more of the applicable "
         "questions are unclear; else low if at least 70% are yes, moderate if 50-69%, high below 50%"),
    Tool("SYRCLE",
         "Hooijmans CR et al. SYRCLE's risk of bias tool for animal studies. BMC Med Res Methodol "
         "2014;14:43",
         (("sequence_generation", "1 Sequence generation (selection bias)"),
          ("baseline_characteristics", "2 Baseline characteristics (selection bias)"),
          ("allocation_concealment", "3 Allocation concealment (selection bias)"),
          ("random_housing", "4 Random housing (performance bias)"),
          ("blinding_caregivers", "5 Blinding of caregivers and investigators (performance bias)"),
          ("random_outcome_assessment", "6 Random outcome assessment (detection bias)"),
          ("blinding_assessors", "7 Blinding of outcome assessors (detection bias)"),
          ("incomplete_data", "8 Incomplete outcome data (attrition bias)"),
          ("selective_reporting", "9 Selective outcome reporting (reporting bias)"),
          ("other_bias", "10 Other sources of bias")),
         ("yes", "no", "unclear"),   # yes = low risk of bias, no = high risk, unclear
         ("low", "high", "unclear"),
         "SYRCLE advises against a summary score; convention used (as Cochrane's original tool): "
         "high if any item is no (high risk), low if every item is yes (low risk), else unclear"),
)}

# Strongest design with results (vocabulary design level) → tool.
TOOL_BY_LEVEL: dict[int, str] = {2: "RoB 2", 3: "ROBINS-I", 4: "JBI case series",
                                 5: "JBI case report", 6: "SYRCLE"}
# Why a study gets no risk-of-bias assessment (checked in this order).
NO_TOOL: dict[str, str] = {
    "no results": "registry record or protocol without results: nothing to assess",
    "review": "review: risk of bias is assessed for primary studies only",
    "in vitro / ex vivo": "in vitro or ex vivo study: none of the tools used here (RoB 2, "
                          "ROBINS-I, JBI, SYRCLE) covers it",
    "no design level": "design not stated: no tool can be chosen",
}

# Every tool's wording → one colour scale (plots) ...
LEVELS: tuple[str, ...] = ("low", "some concerns", "high", "critical", "unclear", "not applicable")
LEVEL: dict[tuple[str, str], str] = {
    **{("RoB 2", j): j for j in ("low", "some concerns", "high")},
    ("ROBINS-I", "low"): "low", ("ROBINS-I", "moderate"): "some concerns",
    ("ROBINS-I", "serious"): "high", ("ROBINS-I", "critical"): "critical",
    ("ROBINS-I", "no information"): "unclear",
    **{(t, j): lv for t in ("JBI case series", "JBI case report")
       for j, lv in (("yes", "low"), ("no", "high"), ("unclear", "unclear"),
                     ("not applicable", "not applicable"))},
    ("SYRCLE", "yes"): "low", ("SYRCLE", "no"): "high", ("SYRCLE", "unclear"): "unclear",
}
# ... and every overall wording → the four levels claim grading reads (Evidence.studies.rob_overall).
CROSS_TOOL_LEVELS: tuple[str, ...] = ("low", "some concerns", "high", "unclear")
CROSS_TOOL: dict[tuple[str, str], str] = {
    ("RoB 2", "low"): "low", ("RoB 2", "some concerns"): "some concerns", ("RoB 2", "high"): "high",
    ("ROBINS-I", "low"): "low", ("ROBINS-I", "moderate"): "some concerns",
    ("ROBINS-I", "serious"): "high", ("ROBINS-I", "critical"): "high",
    ("ROBINS-I", "no information"): "unclear",
    **{(t, j): c for t in ("JBI case series", "JBI case report")
       for j, c in (("low", "low"), ("moderate", "some concerns"), ("high", "high"),
                    ("unclear", "unclear"))},
    ("SYRCLE", "low"): "low", ("SYRCLE", "high"): "high", ("SYRCLE", "unclear"): "unclear",
}
ROBINS_I_KEY_DOMAINS: frozenset[str] = frozenset(TOOLS["ROBINS-I"].item_ids)  # all seven
JBI_THRESHOLDS: tuple[tuple[float, str], ...] = ((0.70, "low"), (0.50, "moderate"), (0.0, "high"))
JBI_UNCLEAR_SHARE = 0.5


# --------------------------------------------------------------------------------------------
# Overall judgement, by tool
# --------------------------------------------------------------------------------------------
def _overall_rob2(j: Sequence[str]) -> str:
    if "high" in j:
        return "high"
    return "low" if all(x == "low" for x in j) else "some concerns"


def _overall_robins(j: Mapping[str, str]) -> str:
    vals = list(j.values())
    if "critical" in vals:
        return "critical"
    if "serious" in vals:
        return "serious"
    if any(v == "no information" for k, v in j.items() if k in ROBINS_I_KEY_DOMAINS):
        return "no information"
    return "moderate" if "moderate" in vals else "low"


def _overall_jbi(j: Sequence[str]) -> str:
    applicable = [x for x in j if x != "not applicable"]
    if not applicable:
        return "unclear"
    if sum(x == "unclear" for x in applicable) / len(applicable) >= JBI_UNCLEAR_SHARE:
        return "unclear"
    share = sum(x == "yes" for x in applicable) / len(applicable)
    return next(label for cut, label in JBI_THRESHOLDS if share >= cut - 1e-9)


def _overall_syrcle(j: Sequence[str]) -> str:
    if "no" in j:
        return "high"
    return "low" if all(x == "yes" for x in j) else "unclear"


def overall(tool: str, judgements: Mapping[str, str]) -> str:
    """The tool's overall judgement from its item judgements (item id → judgement)."""
    vals = [judgements[i] for i in TOOLS[tool].item_ids if i in judgements]
    if tool == "RoB 2":
        return _overall_rob2(vals)
    if tool == "ROBINS-I":
        return _overall_robins(judgements)
    if tool.startswith("JBI"):
        return _overall_jbi(vals)
    return _overall_syrcle(vals)


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
    primary = [(terms[d].get("level"), d) for d in rec.get("design") or []
               if terms[d].get("level") is not None and not terms[d].get("synthesis")]
    if not primary:
        synthesis = any(terms[d].get("synthesis") for d in rec.get("design") or [])
        return None, NO_TOOL["review" if synthesis else "no design level"]
    top, design = min(primary)
    if top in TOOL_BY_LEVEL:
        return TOOL_BY_LEVEL[top], f"strongest design with results: {vocab['design'].label(design)}"
    return None, NO_TOOL["in vitro / ex vivo"]


# --------------------------------------------------------------------------------------------
# Reading a study's assessment
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RobItem:
    item: str
    label: str
    judgement: str
    level: str       # on the shared colour scale (LEVELS)
    support: str


@dataclass(frozen=True)
class RobAssessment:
    study: str
    tool: str | None
    why: str                         # why this tool, or why none
    items: tuple[RobItem, ...]
    overall: str | None              # in the tool's words
    overall_support: str | None
    cross_tool: str | None           # low / some concerns / high / unclear

    @property
    def assessed(self) -> bool:
        return bool(self.items)

    def as_dict(self) -> dict[str, Any]:
        return {i.item: {"judgement": i.judgement, "support": i.support} for i in self.items}


def assess(rec: Mapping[str, Any], vocab) -> RobAssessment:
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
    items = tuple(RobItem(i, spec.label(i), given[i]["judgement"],
                          LEVEL.get((tool, given[i]["judgement"]), "unclear"), given[i]["support"])
                  for i in spec.item_ids if i in given)
    judged = {i.item: i.judgement for i in items}
    result = overall(tool, judged)
    if block.get("overall") in allowed_overall(tool, result):
        result = block["overall"]
    return RobAssessment(key, tool, why, items, result, block.get("overall_support"),
                         CROSS_TOOL.get((tool, result)))


# --------------------------------------------------------------------------------------------
# Validation (called from evidence._read_folder, after the schema check)
# --------------------------------------------------------------------------------------------
def check_study(rec: Mapping[str, Any], parsed, vocab) -> list[Problem]:
    """Problems in a study's `risk_of_bias` block, located by file and line: wrong tool for the
    design, an item the tool does not have, a judgement outside the tool's wording, a missing or
    repeated item, an overall judgement the algorithm does not allow."""
    from .schema import loc_name

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
        add(root, f"this study takes no risk-of-bias assessment ({why}); set risk_of_bias: null",
            "rob-not-applicable")
        return problems
    if tool is None:
        return problems  # the schema already reported the missing or unknown tool
    if tool != expected:
        add(root + ("tool",), f"'{tool}' does not fit this study's design ({why}); use '{expected}'",
            "rob-wrong-tool")
        return problems
    spec = TOOLS[tool]
    seen: dict[str, int] = {}
    judged: dict[str, str] = {}
    raw_items = raw.get("items") if isinstance(raw.get("items"), list) else []
    for i, item in enumerate(raw_items):
        if not isinstance(item, dict):
            continue
        name, judgement = item.get("item"), item.get("judgement")
        if not isinstance(name, str):
            continue
        if name not in spec.item_ids:
            import difflib
            hint = difflib.get_close_matches(name, spec.item_ids, n=1, cutoff=0.6)
            tip = f"did you mean '{hint[0]}'?" if hint else "items: " + ", ".join(spec.item_ids)
            add(root + ("items", i, "item"), f"'{name}' is not an item of {tool}; {tip}", "rob-unknown-item")
            continue
        if name in seen:
            add(root + ("items", i, "item"), f"item '{name}' is judged twice (first at item {seen[name]}); "
                "keep one", "rob-duplicate-item")
            continue
        seen[name] = i
        if judgement not in spec.scale:
            add(root + ("items", i, "judgement"), f"{judgement!r} is not a {tool} judgement; allowed: "
                + ", ".join(spec.scale), "rob-bad-judgement")
            continue
        if not str(item.get("support") or "").strip():
            continue  # the schema reports the missing support sentence
        judged[name] = judgement
    missing = [i for i in spec.item_ids if i not in seen]
    if missing:
        add(root + ("items",), f"{tool} needs a judgement for every item; missing: {', '.join(missing)} "
            "(write 'unclear' / 'no information' with a support sentence when the record does not say)",
            "rob-missing-item")
    given = block.get("overall")
    if given is not None and not missing and len(judged) == len(spec.item_ids):
        computed = overall(tool, judged)
        if given not in allowed_overall(tool, computed):
            add(root + ("overall",), f"overall '{given}' contradicts the {tool} algorithm, which gives "
                f"'{computed}' ({spec.overall_rule}); remove it or change the item judgements",
                "rob-bad-overall")
        elif given != computed and not str(block.get("overall_support") or "").strip():
            add(root + ("overall",), f"overall '{given}' departs from the computed '{computed}'; say why "
                "in overall_support", "rob-overall-unsupported")
    return problems


# --------------------------------------------------------------------------------------------
# EV reporting quality (MISEV2018 / MISEV2023)
# --------------------------------------------------------------------------------------------
MISEV = ("Théry C et al. Minimal information for studies of extracellular vesicles 2018 (MISEV2018). "
         "J Extracell Vesicles 2018;7:1535750; Welsh JA et al. MISEV2023. J Extracell Vesicles "
         "2024;13:e12404")

# MISEV2018 section 3 (recovery versus specificity of separation methods).
ISOLATION_SPECIFICITY: dict[str, str] = {
    "density gradient": "high", "size-exclusion chromatography": "intermediate",
    "ultracentrifugation": "intermediate", "tangential flow filtration": "low",
    "ultrafiltration": "low", "precipitation": "low", "aqueous two-phase system": "low",
    "extrusion": "not a separation step", "not stated": "not stated",
}
SPECIFIC_ENOUGH = frozenset({"high", "intermediate"})

# item id, label, what counts (coded characterization terms; text patterns in *_text fields)
EV_ITEMS: tuple[tuple[str, str], ...] = (
    ("isolation_method", "isolation method named"),
    ("isolation_specificity", "isolation of intermediate or high specificity (UC, SEC, density gradient)"),
    ("particle_count", "particle number (NTA, TRPS or flow cytometry)"),
    ("imaging", "single-vesicle imaging (TEM or cryo-EM)"),
    ("transmembrane_marker", "transmembrane marker (CD9, CD63 or CD81)"),
    ("cytosolic_marker", "cytosolic marker (TSG101 or ALIX)"),
    ("negative_marker", "negative marker (calnexin or ApoA1)"),
    ("dose_reported", "dose reported as a quantity"),
    ("dose_in_particles", "dose in particle numbers (comparable across studies)"),
    ("vesicle_term_justified", "'exosome' supported by the characterisation, or a generic EV term used"),
)
EV_SHORT: dict[str, str] = {  # column labels for figures
    "isolation_method": "isolation named", "isolation_specificity": "specific isolation",
    "particle_count": "particle count", "imaging": "TEM / cryo-EM",
    "transmembrane_marker": "CD9 / CD63 / CD81", "cytosolic_marker": "TSG101 / ALIX",
    "negative_marker": "negative marker", "dose_reported": "dose reported",
    "dose_in_particles": "dose in particles", "vesicle_term_justified": "term justified",
}
EV_TERMS: dict[str, tuple[frozenset[str], str]] = {  # item → (characterization terms, text pattern)
    "particle_count": (frozenset({"NTA", "TRPS", "flow cytometry"}),
                       r"\b(NTA|TRPS|nanoparticle tracking|resistive pulse|nano-?flow)\b"),
    "imaging": (frozenset({"TEM", "cryo-EM"}), r"\b(TEM|cryo-?(EM|TEM)|electron microscop\w*)\b"),
    "transmembrane_marker": (frozenset({"CD9", "CD63", "CD81"}), r"\bCD(9|63|81)\b"),
    "cytosolic_marker": (frozenset({"TSG101", "ALIX"}), r"\b(TSG101|ALIX|PDCD6IP)\b"),
    "negative_marker": (frozenset({"calnexin negative", "ApoA1 negative"}),
                        r"\b(calnexin|ApoA-?1|apolipoprotein A-?1)\b"),
}
# dose unit: first matching pattern wins (a dose giving particles is comparable even if it also
# gives a mass)
DOSE_UNITS: tuple[tuple[str, str], ...] = (
    ("particles", r"\b\d[\d.,]*\s*(billion|million|trillion)\b|\b\d+(\.\d+)?[eE]\d+\b|"
                  r"\d\s*[×x]\s*10\^?\s*\d+|\b\d[\d.,]*\s*(particles|exosomes|EVs|vesicles)\b"),
    ("protein mass", r"(µg|μg|ug|mg|ng)\b"),
    ("volume or concentration only", r"\b\d[\d.,]*\s*(ml|mL|µl|μl|%)"),
)
EXOSOME_TERMS = frozenset({"exosome", "engineered exosome"})


@dataclass(frozen=True)
class EvItem:
    item: str
    label: str
    reported: bool | None        # None: not applicable
    detail: str


@dataclass(frozen=True)
class EvReport:
    study: str
    applicable: bool
    why: str
    items: tuple[EvItem, ...]
    dose_unit: str | None
    dose_comparable: bool | None

    @property
    def score(self) -> int | None:
        return sum(bool(i.reported) for i in self.items) if self.applicable else None

    @property
    def max(self) -> int | None:
        return sum(i.reported is not None for i in self.items) if self.applicable else None

    def flags(self) -> list[str]:
        """Short warnings for tables and grading reasons."""
        if not self.applicable:
            return []
        out = []
        if not self.dose_comparable:
            out.append("dose not comparable (" + (self.dose_unit or "not reported") + ")")
        got = {i.item for i in self.items if i.reported}
        if not {"transmembrane_marker", "cytosolic_marker", "negative_marker"} & got:
            out.append("no EV marker reported")
        if "vesicle_term_justified" not in got:
            out.append("'exosome' not justified by the methods reported")
        return out


def dose_unit(dose: str | None) -> str:
    if not dose or not str(dose).strip():
        return "not reported"
    for unit, pattern in DOSE_UNITS:
        if re.search(pattern, dose):
            return unit
    return "not quantified"


def _text(rec: Mapping[str, Any]) -> str:
    parts = [rec.get("isolation_text") or "", *(rec.get("characterization_text") or [])]
    return " · ".join(p for p in parts if p)


def ev_reporting(rec: Mapping[str, Any], vocab) -> EvReport:
    """The MISEV item table of one study, from its coded fields and their `*_text`."""
    key = rec.get("key", "")
    isolated = [v for v in rec.get("vesicle_term") or []
                if vocab["vesicle_term"].terms[v].get("isolated")]
    status = vocab["publication_status"].terms.get(rec.get("publication_status"))
    designs = rec.get("design") or []
    review = designs and all(vocab["design"].terms[d].get("synthesis") for d in designs)
    why = ("conditioned medium / secretome: no vesicles were isolated" if not isolated
           else "registry record or protocol without results" if status is not None and not status.get("results")
           else "review: EV reporting is assessed for primary studies only" if review else "")
    if why:
        return EvReport(key, False, why, (), None, None)
    chars = set(rec.get("characterization") or [])
    text = _text(rec)
    iso = [i for i in rec.get("isolation") or [] if i != "not stated"]
    spec = {i: ISOLATION_SPECIFICITY.get(i, "unknown") for i in iso}
    unit = dose_unit(rec.get("dose"))
    found: dict[str, tuple[bool, str]] = {
        "isolation_method": (bool(iso), ", ".join(vocab["isolation"].label(i) for i in iso) or "not reported"),
        "isolation_specificity": (any(s in SPECIFIC_ENOUGH for s in spec.values()),
                                  "; ".join(f"{vocab['isolation'].label(i)}: {s}" for i, s in spec.items())
                                  or "no isolation method reported"),
        "dose_reported": (unit not in ("not reported", "not quantified"),
                          rec.get("dose") or "not reported"),
        "dose_in_particles": (unit == "particles", unit),
    }
    for item, (terms, pattern) in EV_TERMS.items():
        coded = sorted(chars & terms)
        texts = sorted(set(m.group(0) for m in re.finditer(pattern, text, flags=re.I)))
        hit = coded or texts
        found[item] = (bool(hit), ", ".join(hit) if hit else "not reported")
    claims_exosome = bool(set(isolated) & EXOSOME_TERMS) and not (set(isolated) - EXOSOME_TERMS)
    markers = all(found[m][0] for m in ("transmembrane_marker", "cytosolic_marker", "negative_marker"))
    sized = found["particle_count"][0] or found["imaging"][0]
    if claims_exosome:
        ok = markers and sized
        detail = ("'exosome' used with all three marker classes and particle sizing" if ok else
                  "'exosome' used without the characterisation MISEV asks for (markers of all three "
                  "classes and particle sizing; endosomal origin is rarely shown)")
    else:
        ok, detail = True, "generic term used: " + ", ".join(vocab["vesicle_term"].label(v) for v in isolated)
    found["vesicle_term_justified"] = (ok, detail)
    items = tuple(EvItem(i, label, found[i][0], found[i][1]) for i, label in EV_ITEMS)
    return EvReport(key, True, "", items, unit, unit == "particles")


# --------------------------------------------------------------------------------------------
# Tables over an Evidence
# --------------------------------------------------------------------------------------------
def study_quality(rec: Mapping[str, Any], vocab) -> tuple[RobAssessment, EvReport]:
    return assess(rec, vocab), ev_reporting(rec, vocab)


def records(ev, keys: Iterable[str] | None = None) -> list[tuple[Mapping[str, Any], Mapping[str, Any]]]:
    """(studies row, record) in the order of ev.studies."""
    rows = ev.studies.to_dict("records")
    return [(row, ev.records[row["key"]]) for row in rows if keys is None or row["key"] in keys]


def rob_table(ev, tool: str | None = None):
    """One row a study × item: study, label (citation), tool, item, item_label, judgement, level,
    support, overall, cross_tool. Only assessed studies; optionally one tool."""
    import pandas as pd

    rows = []
    for row, rec in records(ev):
        a = assess(rec, ev.vocabulary)
        if not a.assessed or (tool and a.tool != tool):
            continue
        for it in a.items:
            rows.append({"study": a.study, "citation": row["citation"], "tool": a.tool,
                         "item": it.item, "item_label": it.label, "judgement": it.judgement,
                         "level": it.level, "support": it.support, "overall": a.overall,
                         "cross_tool": a.cross_tool, "n": _n(row)})
    cols = ["study", "citation", "tool", "item", "item_label", "judgement", "level", "support",
            "overall", "cross_tool", "n"]
    return pd.DataFrame(rows, columns=cols)


def ev_table(ev):
    """One row a study × MISEV item for studies where EV reporting applies."""
    import pandas as pd

    rows = []
    for row, rec in records(ev):
        r = ev_reporting(rec, ev.vocabulary)
        if not r.applicable:
            continue
        for it in r.items:
            rows.append({"study": r.study, "citation": row["citation"], "item": it.item,
                         "item_label": it.label, "reported": it.reported, "detail": it.detail,
                         "score": r.score, "max": r.max, "dose_unit": r.dose_unit,
                         "dose_comparable": r.dose_comparable})
    cols = ["study", "citation", "item", "item_label", "reported", "detail", "score", "max",
            "dose_unit", "dose_comparable"]
    return pd.DataFrame(rows, columns=cols)


def summary(ev):
    """One row a study: design, tool, overall (tool's words and cross-tool), EV score, flags."""
    import pandas as pd

    rows = []
    for row, rec in records(ev):
        a, r = study_quality(rec, ev.vocabulary)
        rows.append({"study": a.study, "citation": row["citation"], "design": row["design"],
                     "rob_tool": a.tool, "rob_overall": a.overall, "rob_cross_tool": a.cross_tool,
                     "rob_note": a.why, "ev_score": r.score, "ev_max": r.max,
                     "dose_unit": r.dose_unit, "dose_comparable": r.dose_comparable,
                     "ev_flags": "; ".join(r.flags()) or None, "ev_note": r.why or None})
    df = pd.DataFrame(rows, columns=["study", "citation", "design", "rob_tool", "rob_overall",
                                     "rob_cross_tool", "rob_note", "ev_score", "ev_max", "dose_unit",
                                     "dose_comparable", "ev_flags", "ev_note"])
    for c in ("ev_score", "ev_max"):
        df[c] = df[c].astype("Int64")
    df["dose_comparable"] = df["dose_comparable"].astype("boolean")
    return df


def to_json(ev) -> list[dict[str, Any]]:
    """The `exoreview quality --format json` list, one object a study."""
    out = []
    for row, rec in records(ev):
        a, r = study_quality(rec, ev.vocabulary)
        out.append({
            "study": a.study, "design": row["design"], "rob_tool": a.tool, "rob_overall": a.overall,
            "rob_overall_cross_tool": a.cross_tool, "rob_note": a.why, "rob_items": a.as_dict(),
            "ev_reporting": {"score": r.score, "max": r.max, "applicable": r.applicable,
                             "note": r.why or None, "dose_unit": r.dose_unit,
                             "dose_comparable": r.dose_comparable, "flags": r.flags(),
                             "items": {i.item: {"reported": i.reported, "detail": i.detail}
                                       for i in r.items}},
        })
    return out


def _n(row: Mapping[str, Any]) -> int | None:
    for col in ("n_participants", "n_animals"):
        v = row.get(col)
        if v is not None and not _isna(v):
            return int(v)
    return None


def _isna(v: Any) -> bool:
    try:
        import pandas as pd
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


# --------------------------------------------------------------------------------------------
# Columns added to Evidence.studies (read by claim grading)
# --------------------------------------------------------------------------------------------
def study_columns(rec: Mapping[str, Any], vocab) -> dict[str, Any]:
    """rob_overall (low / some concerns / high / unclear, None when no tool or not assessed),
    rob_tool (None when no tool applies), ev_score and ev_max (None when EV reporting does not
    apply)."""
    a, r = study_quality(rec, vocab)
    return {"rob_overall": a.cross_tool, "rob_tool": a.tool, "ev_score": r.score, "ev_max": r.max}
