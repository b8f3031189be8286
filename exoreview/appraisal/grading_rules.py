"""The certainty and verdict rules, as data. Read and change the grading rules here, in one place.

GRADE-style: a body of evidence starts at a certainty set by its designs, is rated down in five
domains (risk of bias, inconsistency, indirectness, imprecision, publication bias) and up only for
a large, consistent effect. The verdict then says what the evidence means for the claim's own
scope.

Every decision is a table of :class:`Rule` rows: the result, the condition in words, and the test
that decides it, read from a small record of facts the grader gathers (``*Facts`` below). The
grader (:mod:`exoreview.appraisal.grade`) takes the first row that fires; notebook 04 and
docs/rules.md print the same rows, so what is printed is what runs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

CERTAINTY_LEVELS: tuple[str, ...] = ("very low", "low", "moderate", "high")
DOMAINS: tuple[str, ...] = ("risk_of_bias", "inconsistency", "indirectness", "imprecision",
                            "publication_bias")
RATINGS: Mapping[str, int] = {"not serious": 0, "serious": -1, "very serious": -2,
                              "not applicable": 0}


@dataclass(frozen=True)
class Rule:
    """One row of a rule table: `result` when `test(facts)` is true (first row that fires wins)."""

    result: str
    when: str
    test: Callable[[Any], bool] = lambda facts: True


def first(rules: Sequence[Rule], facts: Any) -> Rule:
    """The first row of `rules` whose test fires on `facts` (every table ends with a catch-all)."""
    return next(rule for rule in rules if rule.test(facts))


# --- where a body of evidence starts ----------------------------------------------------------------
@dataclass(frozen=True)
class BodyFacts:
    randomized: bool        # a randomized controlled trial is in the body
    human: bool             # a human study is in the body


START_RULES: tuple[Rule, ...] = (
    Rule("high", "the body includes a randomized controlled trial (GRADE starts randomized evidence at high)",
         lambda f: f.randomized),
    Rule("low", "human studies without randomization start at low (GRADE: observational evidence)",
         lambda f: f.human),
    Rule("high", "controlled animal / laboratory experiments start at high, as in GRADE for animal studies "
                 "(Hooijmans et al. 2018); indirectness to people is rated separately"),
)

# --- study designs that never count as evidence of effect -----------------------------------------
# tier (exoreview.levels) → why the study only borders the claim
NOT_EVIDENCE: Mapping[str, str] = {
    "registered, no results": "registered trial or protocol without results: planned work, not "
                              "evidence of effect",
    "narrative review": "narrative review: not evidence",
    "systematic review": "systematic review: summarises other studies, so it is not counted again; "
                         "its included studies are judged one by one where they are in the evidence base",
}

# --- the intervention ------------------------------------------------------------------------------
# vesicle term asked by a claim → study vesicle terms that count as the same intervention
ISOLATED_VESICLES: frozenset[str] = frozenset({"exosome", "small EV", "EV", "engineered exosome",
                                               "exosome-like nanovesicle"})
VESICLE_MATCH: Mapping[str, frozenset[str]] = {
    "exosome": ISOLATED_VESICLES, "small EV": ISOLATED_VESICLES, "EV": ISOLATED_VESICLES,
    "engineered exosome": frozenset({"engineered exosome"}),
    "exosome-like nanovesicle": frozenset({"exosome-like nanovesicle"}),
    "EV mimetic": frozenset({"EV mimetic"}),
    "conditioned medium": frozenset({"conditioned medium"}),
}
# study preparation → why it only borders a claim about isolated exosomes / EVs
VESICLE_BORDER: Mapping[str, str] = {
    "conditioned medium": "conditioned medium / secretome, not isolated exosomes or EVs: not evidence "
                          "for a claim about exosomes/EVs",
    "EV mimetic": "engineered nanovesicles (EV mimetics) made from cells, not vesicles cells secreted: "
                  "not evidence for a claim about exosomes/EVs",
}
# cell sources that cannot confirm a specific claimed source
VAGUE_SOURCES: frozenset[str] = frozenset({"not stated", "mixed", "engineered"})
# claimed conditions that mean "hair loss in general": any studied condition fits
GENERIC_CONDITIONS: frozenset[str] = frozenset({"hair loss (unspecified)", "hair growth"})

# comparator named by a superiority claim → words that name it in a study's comparator
COMPARATORS: Mapping[str, tuple[str, ...]] = {
    "prp": ("prp", "platelet-rich plasma", "platelet rich plasma"),
    "platelet-rich plasma": ("prp", "platelet-rich plasma", "platelet rich plasma"),
    "minoxidil": ("minoxidil",),
    "finasteride": ("finasteride",),
    "placebo": ("placebo", "saline", "vehicle", "sham"),
}


def comparator_words(name: str) -> tuple[str, ...]:
    return COMPARATORS.get(name.casefold().strip(), (name.casefold().strip(),))


# --- which outcome directions mean benefit ---------------------------------------------------------
# outcome term → directions read as benefit (default: increased)
BENEFIT_DIRECTIONS: Mapping[str, frozenset[str]] = {
    "hair shedding": frozenset({"decreased"}),
    "apoptosis": frozenset({"decreased"}),
    # severity scores fall while regrowth rises; the measure says which was reported
    "alopecia severity": frozenset({"increased", "decreased"}),
}
DEFAULT_BENEFIT = frozenset({"increased"})
# outcomes that are not effects on hair (left out when a claim names no outcome)
NON_EFFECT_OUTCOMES: frozenset[str] = frozenset({"evidence synthesis", "delivery", "vesicle cargo",
                                                 "safety"})
# a "no significant change" counts against a claim only when it compares with a control
COMPARISON_WORDS = re.compile(r"\b(vs\.?|versus|placebo|control(?:s|led)?|sham|vehicle|between"
                              r"(?:-group)?|other half|other side|compared)\b", re.I)
# adverse-event text that reports no events
NO_EVENTS = re.compile(r"\b(no|none|without|not any)\b[^.;]*\b(adverse|side[- ]effects?|complications?|"
                       r"events?)\b|\bnone reported\b|\bwell tolerated\b", re.I)

# --- risk of bias ------------------------------------------------------------------------------------
# When a study's risk of bias was assessed with its tool (low / some concerns / high / unclear on the
# cross-tool scale) that judgement is used; otherwise the judgement comes from the design, and the
# reason says so.
DERIVED_ROB: Mapping[str, tuple[str, str]] = {
    "randomized trial": ("some concerns", "randomized, but no RoB 2 judgement recorded yet"),
    "controlled study": ("high", "non-randomized comparison (confounding not controlled)"),
    "uncontrolled human": ("high", "no control group: change from baseline only"),
    "case report": ("high", "a single case"),
    "animal": ("some concerns", "SYRCLE items (randomization, blinding) not recorded"),
    "ex vivo": ("some concerns", "laboratory experiment; blinding not recorded"),
    "in vitro": ("some concerns", "laboratory experiment; blinding not recorded"),
}
EV_WEAK_SHARE = 0.5  # MISEV reporting score below this share of its maximum is called weak


@dataclass(frozen=True)
class RobFacts:
    judgements: tuple[str, ...]   # per study: low / some concerns / high / unclear
    assessed: tuple[bool, ...]    # per study: judged with its tool (True) or from its design


ROB_RULES: tuple[Rule, ...] = (
    Rule("not serious", "every study judged at low risk of bias",
         lambda f: bool(f.judgements) and all(j == "low" for j in f.judgements)),
    Rule("very serious", "every study judged at high risk in a recorded risk-of-bias assessment",
         lambda f: bool(f.judgements) and all(j == "high" for j in f.judgements) and all(f.assessed)),
    Rule("serious", "some studies at high risk, some concerns, or not yet assessed"),
)


# --- inconsistency -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class ConsistencyFacts:
    support: int
    contra: int
    mixed: int


INCONSISTENCY_RULES: tuple[Rule, ...] = (
    Rule("very serious", "contradicting studies at least as many as supporting ones",
         lambda f: f.contra >= f.support > 0),
    Rule("not serious", "every study with a result contradicts the claim (consistent; the verdict says so)",
         lambda f: f.contra > 0 and f.support == 0),
    Rule("serious", "both supporting and contradicting (or mixed) results",
         lambda f: (f.support > 0 and f.contra > 0) or f.mixed > 0),
    Rule("not serious", "every study points the same way (or a single study)"),
)


# --- indirectness ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class IndirectnessFacts:
    direct: bool              # the body studies the claimed population, intervention and outcome
    animal_for_people: bool   # animal or cell studies in a body for a claim about people


INDIRECTNESS_RULES: tuple[Rule, ...] = (
    Rule("not serious", "studies of the claimed population, intervention and outcome", lambda f: f.direct),
    Rule("very serious", "animal or cell evidence for a claim about people (or one that does not say)",
         lambda f: f.animal_for_people),
    Rule("serious", "a different species, outcome or route than claimed"),
)


# --- imprecision -------------------------------------------------------------------------------------
OPTIMAL_PARTICIPANTS = 400   # GRADE's rule of thumb for a continuous outcome
SINGLE_STUDY_PARTICIPANTS = 100
FEW_ANIMALS = 100
REPLICATIONS = 5             # independent agreeing experiments that offset unreported animal numbers


@dataclass(frozen=True)
class PrecisionFacts:
    human: bool          # participants (True) or animals (False) are counted
    n_studies: int
    total: int           # participants or animals reported in all
    n_agreeing: int      # supporting studies when none contradicts


IMPRECISION_RULES: tuple[Rule, ...] = (
    Rule("very serious", f"a single study (an animal study, or a human study under {SINGLE_STUDY_PARTICIPANTS} "
                         "participants) cannot give a precise estimate",
         lambda f: f.n_studies <= 1 and (not f.human or f.total < SINGLE_STUDY_PARTICIPANTS)),
    Rule("serious", f"a single human study of {SINGLE_STUDY_PARTICIPANTS} or more participants cannot give a "
                    "precise estimate", lambda f: f.n_studies <= 1),
    Rule("serious", f"fewer than the ~{OPTIMAL_PARTICIPANTS} participants GRADE's rule of thumb asks for",
         lambda f: f.human and f.total < OPTIMAL_PARTICIPANTS),
    Rule("not serious", f"at least {OPTIMAL_PARTICIPANTS} participants", lambda f: f.human),
    Rule("not serious", f"{REPLICATIONS} or more agreeing animal studies offset small or unreported group "
                        f"sizes, or at least {FEW_ANIMALS} animals",
         lambda f: f.n_agreeing >= REPLICATIONS or f.total >= FEW_ANIMALS),
    Rule("serious", f"fewer than {FEW_ANIMALS} animals reported and fewer than {REPLICATIONS} agreeing studies"),
)


# --- publication bias ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class PublicationFacts:
    support: int         # supporting studies
    funded: int          # of them funded by, or authored at, the product's maker


PUBLICATION_BIAS_RULES: tuple[Rule, ...] = (
    Rule("serious", "every supporting study funded by, or authored at, the product's maker (industry_funded)",
         lambda f: f.support > 0 and f.funded == f.support),
    Rule("not serious", "otherwise (small positive studies may still be published selectively)"),
)


# --- upgrading -----------------------------------------------------------------------------------------
LARGE_EFFECT_RATIO = 2.0     # change ≥ 2 × the control's change (like GRADE's RR > 2)
LARGE_EFFECT_STUDIES = 2


@dataclass(frozen=True)
class UpgradeFacts:
    start: str
    contra: int
    large: int           # supporting studies whose change is ≥ LARGE_EFFECT_RATIO × the control's


UPGRADE_RULES: tuple[Rule, ...] = (
    Rule("+1 large effect", f"non-randomized evidence, no contradicting study, and at least "
                            f"{LARGE_EFFECT_STUDIES} studies whose change is ≥ {LARGE_EFFECT_RATIO:g}× the "
                            "control's", lambda f: f.start == "low" and f.contra == 0
         and f.large >= LARGE_EFFECT_STUDIES),
    Rule("none", "otherwise"),
)
UPGRADE_STEPS: Mapping[str, int] = {"+1 large effect": 1, "none": 0}


# --- regulatory records ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class RegulatoryRule:
    """Which regulator or safety records bear on a kind of claim, and how."""

    asserts: str                                    # the kind of claim
    when: str                                       # the records it takes, in words
    select: Callable[[pd.DataFrame], pd.Series]     # Evidence.regulatory → which rows
    role: str                                       # contradicting | bordering
    why: str
    fact_word: str                                  # the fact of a record shown is the first with this word


REGULATORY_RULES: tuple[RegulatoryRule, ...] = (
    RegulatoryRule("approval", "approved_products is 0", lambda reg: reg["approved_products"] == 0,
                   "contradicting", "a regulator states that no exosome product is approved", "approv"),
    RegulatoryRule("no-harm", "adverse_events_reported is true", lambda reg: reg["adverse_events_reported"],
                   "contradicting", "adverse events after exosome products are on record", "advers"),
    RegulatoryRule("safety", "serious_adverse_events is true", lambda reg: reg["serious_adverse_events"],
                   "bordering", "serious adverse events after (unapproved) exosome products are on record; "
                   "they concern other uses, so they border a claim about hair", "advers"),
)


# --- verdicts -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class VerdictFacts:
    misattributed: bool      # a cited reference cannot be found or does not study what the claim says
    regulator_says_otherwise: bool
    body: str                # direct | indirect | none
    n_support: int
    n_contra: int
    about_people: bool
    human_in_body: bool
    nonhuman_in_body: bool
    certainty: str | None


VERDICTS: tuple[Rule, ...] = (
    Rule("misattributed", "the claim leans on a reference that cannot be found or does not study what the "
                          "claim says", lambda f: f.misattributed),
    Rule("contradicted", "a regulator's record says otherwise (an approval that does not exist; 'no side "
                         "effects' against reported adverse events)", lambda f: f.regulator_says_otherwise),
    Rule("contradicted", "every study of the scope with a result found no benefit",
         lambda f: f.body != "none" and f.n_contra > 0 and f.n_support == 0),
    Rule("no-evidence", "nothing in the evidence base addresses the scope (registered trials without "
                        "results are not evidence)", lambda f: f.body == "none"),
    Rule("preclinical-only", "only cell, organ-culture or animal evidence, for a claim about people or a "
                             "claim that does not say",
         lambda f: f.about_people and f.body == "indirect" and (not f.human_in_body or f.nonhuman_in_body)),
    Rule("supported", "evidence of the claimed scope at moderate or high certainty",
         lambda f: f.body == "direct" and f.certainty in ("moderate", "high")),
    Rule("limited", "evidence of the claimed scope (for people: human evidence) exists, but at low or very low "
                    "certainty, or only for a neighbouring scope"),
)
VERDICT_NAMES: tuple[str, ...] = tuple(dict.fromkeys(v.result for v in VERDICTS))


# --- small functions ------------------------------------------------------------------------------------
def certainty(start: str, change: int) -> str:
    """Start level moved by `change` steps, kept within very low … high."""
    i = CERTAINTY_LEVELS.index(start) + change
    return CERTAINTY_LEVELS[max(0, min(i, len(CERTAINTY_LEVELS) - 1))]


def benefit_directions(outcome: str) -> frozenset[str]:
    return BENEFIT_DIRECTIONS.get(outcome, DEFAULT_BENEFIT)


DOMAIN_RULES: Mapping[str, tuple[Rule, ...]] = {
    "risk_of_bias": ROB_RULES, "inconsistency": INCONSISTENCY_RULES, "indirectness": INDIRECTNESS_RULES,
    "imprecision": IMPRECISION_RULES, "publication_bias": PUBLICATION_BIAS_RULES,
}


def rules_table() -> pd.DataFrame:
    """Every rule of this module as one table (rule, rating or verdict, when), in the order the
    grader tries them: the rows that run, printed."""
    rows = [("start", r.result, r.when) for r in START_RULES]
    for domain, rules in DOMAIN_RULES.items():
        rows += [(domain, r.result, r.when) for r in rules]
    rows += [("risk_of_bias (no recorded RoB)", f"{tier}: {judgement}", why)
             for tier, (judgement, why) in DERIVED_ROB.items()]
    rows += [("upgrade", r.result, r.when) for r in UPGRADE_RULES]
    rows += [("not evidence", tier, why) for tier, why in NOT_EVIDENCE.items()]
    rows += [("bordering (intervention)", term, why) for term, why in VESICLE_BORDER.items()]
    rows += [(f"regulatory ({r.asserts})", f"{r.when} → {r.role}", r.why) for r in REGULATORY_RULES]
    rows += [("verdict", v.result, v.when) for v in VERDICTS]
    return pd.DataFrame(rows, columns=["rule", "rating / verdict", "when"])
