"""The certainty and verdict rules, as data. Read and change the grading rules here, in one place.

GRADE-style. A body of evidence is split into design strata (randomized trials, non-randomized
controlled studies, uncontrolled human studies, animal studies, cell and organ culture); each
stratum starts at the level GRADE gives its design, is rated down in five domains (risk of bias,
inconsistency, indirectness, imprecision, publication bias) and up only for a large, consistent
between-group effect with nothing rated down. The claim's certainty is that of the stratum that
carries it (the highest), and the card says which. A domain that cannot be assessed from what was
read (only abstracts) is said as such and not rated down, but then the certainty is an upper
bound ("at most") and the claim cannot be called supported. The verdict says what the evidence
means for the claim's own scope; its certainty is the certainty of what the verdict states.

Every decision is a table of :class:`Rule` rows: the result, the condition in words, and the test
that decides it, read from a small record of facts the grader gathers (``*Facts`` below). The
grader (:mod:`exoreview.appraisal.grade`) takes the first row that fires; notebook 04 and
docs/rules.md print the same rows, so what is printed is what runs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from . import fit_rules

CERTAINTY_LEVELS: tuple[str, ...] = ("very low", "low", "moderate", "high")
DOMAINS: tuple[str, ...] = (
    "risk_of_bias",
    "inconsistency",
    "indirectness",
    "imprecision",
    "publication_bias",
)
NOT_ASSESSABLE = "not assessable"
RATINGS: Mapping[str, int] = {
    "not serious": 0,
    "serious": -1,
    "very serious": -2,
    "not applicable": 0,
    NOT_ASSESSABLE: 0,
}
# GRADE's plain-language wording of each certainty (Santesso et al. 2020): how a verdict reads
PLAIN_LANGUAGE: Mapping[str, str] = {
    "high": "the evidence shows it",
    "moderate": "probably true",
    "low": "may be true",
    "very low": "very uncertain",
}


@dataclass(frozen=True)
class Rule:
    """One row of a rule table: `result` when `test(facts)` is true (first row that fires wins)."""

    result: str
    when: str
    test: Callable[[Any], bool] = lambda facts: True


def first(rules: Sequence[Rule], facts: Any) -> Rule:
    """The first row of `rules` whose test fires on `facts` (every table ends with a catch-all)."""
    return next(rule for rule in rules if rule.test(facts))


# --- design strata and where each starts ------------------------------------------------------------
@dataclass(frozen=True)
class Stratum:
    name: str
    tiers: frozenset[str]  # display tiers (exoreview.core.levels) in the stratum
    start: str
    why: str


STRATA: tuple[Stratum, ...] = (
    Stratum(
        "randomized trials",
        frozenset({"randomized trial"}),
        "high",
        "randomized trials start at high (GRADE)",
    ),
    Stratum(
        "non-randomized controlled studies",
        frozenset({"controlled study"}),
        "low",
        "non-randomized comparisons start at low (GRADE: observational evidence)",
    ),
    Stratum(
        "uncontrolled human studies",
        frozenset({"uncontrolled human", "case report"}),
        "low",
        "case series, uncontrolled trials and case reports never start above low",
    ),
    Stratum(
        "animal studies",
        frozenset({"animal"}),
        "high",
        "controlled animal experiments start at high, as in GRADE for animal studies (Hooijmans et al. "
        "2018); indirectness to people is rated separately",
    ),
    Stratum(
        "cell and organ culture",
        frozenset({"ex vivo", "in vitro"}),
        "high",
        "controlled laboratory experiments start at high; indirectness to living hair is rated separately",
    ),
)


# --- risk of bias ------------------------------------------------------------------------------------
# A study's risk of bias: its tool's judgement when assessed from the full text; otherwise a fact of
# its design where the design itself decides (no control group, no randomization), else not
# assessable. JBI checklists measure reporting, not bias: an uncontrolled design stays high.
# (A non-randomized comparison's confounding is already why it starts at low: not counted twice.)
DESIGN_ROB: Mapping[str, tuple[str, str]] = {
    "uncontrolled human": ("high", "no control group: change from baseline only"),
    "case report": ("high", "a single case, no control"),
}
ROB_BY_DESIGN_OVERRIDES_TOOL: frozenset[str] = frozenset({"uncontrolled human", "case report"})
EV_WEAK_SHARE = 0.5  # MISEV score (full text read) below this share of the items assessed: weak
# record facts that rate a study's risk of bias up one step, with why
RECORD_CONCERNS: Mapping[str, str] = {
    "preprint": "a preprint: not peer reviewed",
    "low confidence": "some facts of the record were inferred (confidence low)",
    "expression of concern": "under an expression of concern from its publisher",
}


@dataclass(frozen=True)
class RobFacts:
    judgements: tuple[str, ...]  # per study: low / some concerns / high / critical / not assessable


ROB_RULES: tuple[Rule, ...] = (
    Rule(
        NOT_ASSESSABLE,
        "risk of bias could not be judged for most studies: the methods were not extracted "
        "(abstract only); not rated down, but the certainty is an upper bound",
        lambda f: sum(j == NOT_ASSESSABLE for j in f.judgements) * 2 > len(f.judgements),
    ),
    Rule(
        "very serious",
        "most studies at high or critical risk (a critical study, or high in a design without "
        "control or in a recorded assessment)",
        lambda f: (
            "critical" in f.judgements or sum(j == "high" for j in f.judgements) * 2 > len(f.judgements)
        ),
    ),
    Rule(
        "not serious",
        "every study assessed at low risk of bias",
        lambda f: bool(f.judgements) and all(j == "low" for j in f.judgements),
    ),
    Rule("serious", "some studies at high risk or with some concerns"),
)


# --- inconsistency -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class ConsistencyFacts:
    support: int
    contra: int
    mixed: int
    i2: float | None = None  # I² of a pooled group of effect estimates, when there is one


INCONSISTENCY_RULES: tuple[Rule, ...] = (
    Rule(
        "not applicable",
        "a single study: consistency cannot be judged (see imprecision)",
        lambda f: f.support + f.contra + f.mixed == 1,
    ),
    Rule(
        "very serious",
        "effect estimates disagree widely (I² ≥ 75%), or contradicting studies are at least "
        "as many as supporting ones",
        lambda f: (f.i2 is not None and f.i2 >= 75) or f.contra >= f.support > 0,
    ),
    Rule(
        "serious",
        "effect estimates disagree (I² ≥ 50%), or both supporting and contradicting (or mixed) results",
        lambda f: (f.i2 is not None and f.i2 >= 50) or (f.support > 0 and f.contra > 0) or f.mixed > 0,
    ),
    Rule(
        "not serious", "every study points the same way (when every study contradicts, the verdict says so)"
    ),
)


# --- indirectness ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class IndirectnessFacts:
    cells_for_living: bool  # only cell / organ-culture evidence for a claim about living hair
    animal_for_people: bool  # animal or cell studies for a claim about people
    neighbouring: bool  # a different species, outcome or route than claimed
    differences: int  # other differences in the body: co-interventions, populations not
    # separated, source not stated, weak EV characterisation (full text)


INDIRECTNESS_RULES: tuple[Rule, ...] = (
    Rule(
        "very serious",
        "animal or cell evidence for a claim about people (or one that does not say), or "
        "only cell / organ-culture evidence for a claim about living hair",
        lambda f: f.animal_for_people or f.cells_for_living,
    ),
    Rule(
        "serious",
        "a different species, outcome or route than claimed; or co-interventions, populations "
        "whose results are not separated, a cell source not stated, or weak EV characterisation",
        lambda f: f.neighbouring or f.differences > 0,
    ),
    Rule(
        "not serious", "studies of the claimed population, intervention and outcome, with nothing else given"
    ),
)


# --- imprecision -------------------------------------------------------------------------------------
OPTIMAL_PARTICIPANTS = 400  # GRADE's optimal information size, rule of thumb for a continuous outcome
FEW_PARTICIPANTS = 100
FEW_ANIMALS = 100


@dataclass(frozen=True)
class PrecisionFacts:
    human: bool  # participants (True) or animals (False) are counted
    n_studies: int
    total: int  # participants or animals reported in all
    unknown: int  # studies whose numbers are not known (not reported or not extracted)
    ci_crosses_null: bool | None = None  # the pooled or single effect's CI includes no effect


IMPRECISION_RULES: tuple[Rule, ...] = (
    Rule(
        "serious",
        "one study of unknown size carries the body: a single experiment rarely meets GRADE's optimal "
        "information size",
        lambda f: f.n_studies == 1 and f.unknown == 1,
    ),
    Rule(
        NOT_ASSESSABLE,
        "the sample sizes of most studies are not known (not reported or not extracted); "
        "not rated down, but the certainty is an upper bound",
        lambda f: f.unknown * 2 > f.n_studies,
    ),
    Rule(
        "very serious",
        f"fewer than {FEW_PARTICIPANTS} participants in all (people), or the effect's "
        "confidence interval includes no effect and fewer than "
        f"{OPTIMAL_PARTICIPANTS} participants",
        lambda f: (
            f.human
            and (f.total < FEW_PARTICIPANTS or (f.ci_crosses_null is True and f.total < OPTIMAL_PARTICIPANTS))
        ),
    ),
    Rule(
        "serious",
        f"fewer than the ~{OPTIMAL_PARTICIPANTS} participants of GRADE's optimal information size, "
        f"or (animals) fewer than {FEW_ANIMALS} animals, or a confidence interval that includes "
        "no effect",
        lambda f: (
            (f.human and f.total < OPTIMAL_PARTICIPANTS)
            or (not f.human and f.total < FEW_ANIMALS)
            or f.ci_crosses_null is True
        ),
    ),
    Rule(
        "not serious",
        f"at least {OPTIMAL_PARTICIPANTS} participants (or {FEW_ANIMALS} animals) and an "
        "effect whose interval excludes no effect, where one exists",
    ),
)


# --- publication bias ----------------------------------------------------------------------------------
SMALL_STUDY = 100  # participants or animals below which a study counts as small


@dataclass(frozen=True)
class PublicationFacts:
    support: int  # supporting studies
    funded: int  # of them funded by, or authored at, the product's maker
    n_studies: int
    small_positive: bool  # every study small and every study supporting
    pending_trials: int  # registered trials of the scope without results


PUBLICATION_BIAS_RULES: tuple[Rule, ...] = (
    Rule(
        "serious",
        "every supporting study funded by, or authored at, the product's maker",
        lambda f: f.support > 0 and f.funded == f.support,
    ),
    Rule(
        "serious",
        "a small body in which every study is positive (GRADE: suspect publication bias for small, "
        "all-positive bodies)",
        lambda f: f.n_studies >= 2 and f.small_positive,
    ),
    Rule("not serious", "otherwise (registered trials whose results are not published are named)"),
)


# --- upgrading -----------------------------------------------------------------------------------------
LARGE_EFFECT_SMD = 0.8  # a between-group standardised mean difference this large (Cohen: large)
LARGE_EFFECT_STUDIES = 2


@dataclass(frozen=True)
class UpgradeFacts:
    start: str
    contra: int
    large: int  # studies with a large between-group effect whose interval excludes no effect
    rated_down: bool  # any domain rated down or not assessable


UPGRADE_RULES: tuple[Rule, ...] = (
    Rule(
        "+1 large effect",
        f"observational evidence (start low), no contradicting study, nothing rated down, and "
        f"at least {LARGE_EFFECT_STUDIES} studies with a between-group Hedges' g ≥ "
        f"{LARGE_EFFECT_SMD:g} whose interval excludes no effect",
        lambda f: f.start == "low" and f.contra == 0 and not f.rated_down and f.large >= LARGE_EFFECT_STUDIES,
    ),
    Rule("none", "otherwise"),
)
UPGRADE_STEPS: Mapping[str, int] = {"+1 large effect": 1, "none": 0}


# --- harms -----------------------------------------------------------------------------------------------
# 0 events in n people: the 95% upper bound of the event rate is about 3/n (the rule of three)
RULE_OF_THREE = 3.0


# --- regulatory records ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class RegulatoryRule:
    """Which regulator or safety records bear on a kind of claim, and how."""

    asserts: str  # the kind of claim
    when: str  # the records it takes, in words
    select: Callable[[pd.DataFrame], pd.Series]  # Evidence.regulatory → which rows
    role: str  # contradicting | bordering
    why: str
    fact_word: str  # the fact of a record shown is the first with this word


REGULATORY_RULES: tuple[RegulatoryRule, ...] = (
    RegulatoryRule(
        "approval",
        "approved_products is 0",
        lambda reg: reg["approved_products"] == 0,
        "contradicting",
        "a regulator states that no exosome product is approved",
        "approv",
    ),
    RegulatoryRule(
        "no-harm",
        "adverse_events_reported is true",
        lambda reg: reg["adverse_events_reported"],
        "contradicting",
        "adverse events after exosome products are on record",
        "advers",
    ),
    RegulatoryRule(
        "safety",
        "serious_adverse_events is true",
        lambda reg: reg["serious_adverse_events"],
        "contradicting",
        "serious adverse events after exosome products are on record",
        "advers",
    ),
)
# the certainty that a regulator's record says what it says (a documented fact, as of its date)
REGULATORY_CERTAINTY = "high"


# --- verdicts -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class VerdictFacts:
    misattributed: bool  # a cited reference cannot be found or does not study what the claim says
    regulator_says_otherwise: bool  # a regulator's record contradicts the claim directly
    body: str  # direct | indirect | none
    n_support: int
    n_contra: int
    about_people: bool
    human_in_body: bool
    nonhuman_in_body: bool
    certainty: str | None
    bounded: bool  # a domain could not be assessed: the certainty is an upper bound
    controlled: bool  # the carrying stratum compares with a control (trial, animal or lab experiment)


VERDICTS: tuple[Rule, ...] = (
    Rule(
        "misattributed",
        "the claim leans on a reference that cannot be found or does not study what the claim says",
        lambda f: f.misattributed,
    ),
    Rule(
        "contradicted",
        "a regulator's record says otherwise (an approval that does not exist; 'no side "
        "effects' against reported adverse events; serious adverse events against 'safe' in hair "
        "use)",
        lambda f: f.regulator_says_otherwise,
    ),
    Rule(
        "contradicted",
        "every study of the scope with a result found no benefit",
        lambda f: f.body != "none" and f.n_contra > 0 and f.n_support == 0,
    ),
    Rule(
        "no-evidence",
        "nothing in the evidence base addresses the scope (registered trials without "
        "results are not evidence)",
        lambda f: f.body == "none",
    ),
    Rule(
        "preclinical-only",
        "only cell, organ-culture or animal evidence, for a claim about people or a claim that does not say",
        lambda f: f.about_people and f.body == "indirect" and (not f.human_in_body or f.nonhuman_in_body),
    ),
    Rule(
        "supported",
        "controlled evidence of the claimed scope at moderate or high certainty, with every domain assessed",
        lambda f: (
            f.body == "direct" and f.certainty in ("moderate", "high") and not f.bounded and f.controlled
        ),
    ),
    Rule(
        "limited",
        "evidence of the claimed scope (for people: human evidence) at low certainty, or at an "
        "upper bound because a domain could not be assessed: it may be true",
        lambda f: f.certainty in ("low", "moderate", "high"),
    ),
    Rule(
        "very-uncertain",
        "evidence of the claimed scope, or only of a neighbouring scope, at very low "
        "certainty: it is very uncertain",
    ),
)
VERDICT_NAMES: tuple[str, ...] = tuple(dict.fromkeys(v.result for v in VERDICTS))


# --- small functions ------------------------------------------------------------------------------------
def certainty(start: str, change: int) -> str:
    """Start level moved by `change` steps, kept within very low … high."""
    i = CERTAINTY_LEVELS.index(start) + change
    return CERTAINTY_LEVELS[max(0, min(i, len(CERTAINTY_LEVELS) - 1))]


DOMAIN_RULES: Mapping[str, tuple[Rule, ...]] = {
    "risk_of_bias": ROB_RULES,
    "inconsistency": INCONSISTENCY_RULES,
    "indirectness": INDIRECTNESS_RULES,
    "imprecision": IMPRECISION_RULES,
    "publication_bias": PUBLICATION_BIAS_RULES,
}


def rules_table() -> pd.DataFrame:
    """Every rule of this module as one table (rule, rating or verdict, when), in the order the
    grader tries them: the rows that run, printed."""
    rows = [("start", f"{s.name}: {s.start}", s.why) for s in STRATA]
    for domain, rules in DOMAIN_RULES.items():
        rows += [(domain, r.result, r.when) for r in rules]
    rows += [
        ("risk_of_bias (by design)", f"{tier}: {judgement}", why)
        for tier, (judgement, why) in DESIGN_ROB.items()
    ]
    rows += [("risk_of_bias (record)", name, why) for name, why in RECORD_CONCERNS.items()]
    rows += [
        ("indirectness (co-intervention)", name, pattern.pattern)
        for name, pattern in fit_rules.CO_INTERVENTIONS
    ]
    rows += [("upgrade", r.result, r.when) for r in UPGRADE_RULES]
    rows += [("not evidence", tier, why) for tier, why in fit_rules.NOT_EVIDENCE.items()]
    rows += [("not evidence", "retraction notice", fit_rules.RETRACTED)]
    rows += [("bordering (intervention)", term, why) for term, why in fit_rules.VESICLE_BORDER.items()]
    rows += [("bordering (reading)", name, why) for name, why in fit_rules.WEAK_READINGS.items()]
    rows += [(f"regulatory ({r.asserts})", f"{r.when} → {r.role}", r.why) for r in REGULATORY_RULES]
    rows += [("verdict", v.result, v.when) for v in VERDICTS]
    rows += [("plain language", level, words) for level, words in PLAIN_LANGUAGE.items()]
    return pd.DataFrame(rows, columns=["rule", "rating / verdict", "when"])
