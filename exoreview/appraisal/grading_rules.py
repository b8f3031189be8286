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

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

CERTAINTY_LEVELS: tuple[str, ...] = ("very low", "low", "moderate", "high")
DOMAINS: tuple[str, ...] = ("risk_of_bias", "inconsistency", "indirectness", "imprecision",
                            "publication_bias")
NOT_ASSESSABLE = "not assessable"
RATINGS: Mapping[str, int] = {"not serious": 0, "serious": -1, "very serious": -2,
                              "not applicable": 0, NOT_ASSESSABLE: 0}
# GRADE's plain-language wording of each certainty (Santesso et al. 2020): how a verdict reads
PLAIN_LANGUAGE: Mapping[str, str] = {
    "high": "the evidence shows it", "moderate": "probably true", "low": "may be true",
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
    tiers: frozenset[str]      # display tiers (exoreview.core.levels) in the stratum
    start: str
    why: str


STRATA: tuple[Stratum, ...] = (
    Stratum("randomized trials", frozenset({"randomized trial"}), "high",
            "randomized trials start at high (GRADE)"),
    Stratum("non-randomized controlled studies", frozenset({"controlled study"}), "low",
            "non-randomized comparisons start at low (GRADE: observational evidence)"),
    Stratum("uncontrolled human studies", frozenset({"uncontrolled human", "case report"}), "low",
            "case series, uncontrolled trials and case reports never start above low"),
    Stratum("animal studies", frozenset({"animal"}), "high",
            "controlled animal experiments start at high, as in GRADE for animal studies (Hooijmans et al. "
            "2018); indirectness to people is rated separately"),
    Stratum("cell and organ culture", frozenset({"ex vivo", "in vitro"}), "high",
            "controlled laboratory experiments start at high; indirectness to living hair is rated separately"),
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
_ACTIVE = ("prp", "platelet", "minoxidil", "finasteride", "dutasteride", "transplant", "laser")
COMPARATORS: Mapping[str, tuple[str, ...]] = {
    "other treatments": _ACTIVE,            # 'the most effective treatment': any active comparator
    "the treatments alone": ("alone",),     # a combination against its parts
    "medication": ("minoxidil", "finasteride", "dutasteride"),
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

# co-interventions: given with the vesicles, they make the vesicles' own effect indirect
CO_INTERVENTIONS: tuple[tuple[str, re.Pattern], ...] = (
    ("microneedling", re.compile(r"micro-?needl|dermaroller|derma-?pen", re.I)),
    ("laser or light", re.compile(r"\blasers?\b|LLLT|photobiomodul|\bLED\b", re.I)),
    ("radiofrequency", re.compile(r"radio-?frequency|\bRF\b", re.I)),
    ("minoxidil", re.compile(r"minoxidil", re.I)),
    ("finasteride or dutasteride", re.compile(r"finasteride|dutasteride", re.I)),
    ("PRP", re.compile(r"\bPRP\b|platelet[- ]rich plasma", re.I)),
    ("plant or herbal extracts", re.compile(r"\bplant\b|herbal|botanical|seaweed|algae|Ecklonia|Thuja", re.I)),
    ("a combined product", re.compile(r"\bcombin(?:es|ed|ing|ation)\b[^.;]{0,40}\bwith\b|\bin combination\b", re.I)),
    ("hair transplantation", re.compile(r"transplant", re.I)),
)
# the fields of a study read for co-interventions (route terms are read too)
CO_INTERVENTION_FIELDS: tuple[str, ...] = ("route_text", "cell_source_text", "vesicle_term_text", "dose",
                                           "design_text", "n_text")
# relations (a study's `related`) that mark another report of the same experiment: counted once
SAME_EXPERIMENT = re.compile(r"\bsame (study|experiment|trial|data|cohort|participants|animals)\b|"
                             r"\bduplicate report\b|\bpublished version\b|\bpreprint of\b", re.I)

# --- scope a claim names beyond "it works" ----------------------------------------------------------
TIMEPOINT = re.compile(r"\b(?P<unit>day|week|month|year)s?\s*(?P<n>\d+(\.\d+)?)\b|\b(?P<n2>\d+(\.\d+)?)\s*"
                       r"(?P<unit2>day|week|month|year)s?\b", re.I)
WEEKS_PER: Mapping[str, float] = {"day": 1 / 7, "week": 1.0, "month": 4.33, "year": 52.0}
# a mean with its spread ('4.7 ± 1.9 months'): the mean is the time
MEAN_TIME = re.compile(r"\b(?P<n>\d+(\.\d+)?)\s*(±|\+/-)\s*\d+(\.\d+)?\s*(?P<unit>day|week|month|year)s?\b", re.I)
ONSET_TOLERANCE = 1.25     # a first result this much later than claimed still addresses the claim
PARTICLE_DOSE = re.compile(r"(?P<n>\d[\d.,]*)\s*(?P<scale>billion|million|trillion)\b|(?P<m>\d+(\.\d+)?)\s*(?:[x×]"
                           r"\s*10\^?\s*|e)(?P<e>\d+)\b", re.I)
SCALE: Mapping[str, float] = {"million": 1e6, "billion": 1e9, "trillion": 1e12}
DOSE_FACTOR = 3.0          # a study's particle dose within this factor of the claimed one addresses it
# the number of sessions a study gave ('six monthly sessions', '4 to 6 sessions', 'single session')
STUDY_SESSIONS = re.compile(r"\b(?P<n>\d+(\.\d+)?|single|one|two|three|four|five|six|seven|eight|nine|ten|twelve)"
                            r"(\s*(?:to|-|–|±)\s*(?P<hi>\d+(\.\d+)?))?\s+(monthly |weekly |treatment |injection )?"
                            r"(sessions?|treatments?|injections?)\b", re.I)
SESSION_WORDS: Mapping[str, float] = {"single": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
                                      "seven": 7, "eight": 8, "nine": 9, "ten": 10, "twelve": 12}
# a study that compared doses, concentrations or schedules addresses a dose claim that names no number
DOSE_COMPARISON = re.compile(r"\b(dos(e|es|ing)|frequency|concentrations?|cohorts|schedules?)\b", re.I)

# --- what counts as support ----------------------------------------------------------------------
# outcome readings that only border a claim, with why (checked in this order)
WEAK_READINGS: Mapping[str, str] = {
    "title": "direction read from the title only, not from results",
    "within-group": "only a within-group change reported in a controlled study; no between-group comparison",
}
CONTROLLED_TIERS: frozenset[str] = frozenset({"randomized trial", "controlled study"})

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
# a notice that takes a study out of the evidence altogether
RETRACTED = "retracted: a retracted study never counts as evidence"


@dataclass(frozen=True)
class RobFacts:
    judgements: tuple[str, ...]   # per study: low / some concerns / high / critical / not assessable


ROB_RULES: tuple[Rule, ...] = (
    Rule(NOT_ASSESSABLE, "risk of bias could not be judged for most studies: the methods were not extracted "
                         "(abstract only); not rated down, but the certainty is an upper bound",
         lambda f: sum(j == NOT_ASSESSABLE for j in f.judgements) * 2 > len(f.judgements)),
    Rule("very serious", "most studies at high or critical risk (a critical study, or high in a design without "
                         "control or in a recorded assessment)",
         lambda f: "critical" in f.judgements or sum(j == "high" for j in f.judgements) * 2 > len(f.judgements)),
    Rule("not serious", "every study assessed at low risk of bias",
         lambda f: bool(f.judgements) and all(j == "low" for j in f.judgements)),
    Rule("serious", "some studies at high risk or with some concerns"),
)


# --- inconsistency -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class ConsistencyFacts:
    support: int
    contra: int
    mixed: int
    i2: float | None = None      # I² of a pooled group of effect estimates, when there is one


INCONSISTENCY_RULES: tuple[Rule, ...] = (
    Rule("not applicable", "a single study: consistency cannot be judged (see imprecision)",
         lambda f: f.support + f.contra + f.mixed == 1),
    Rule("very serious", "effect estimates disagree widely (I² ≥ 75%), or contradicting studies are at least "
                         "as many as supporting ones", lambda f: (f.i2 is not None and f.i2 >= 75)
         or f.contra >= f.support > 0),
    Rule("serious", "effect estimates disagree (I² ≥ 50%), or both supporting and contradicting (or mixed) "
                    "results", lambda f: (f.i2 is not None and f.i2 >= 50) or (f.support > 0 and f.contra > 0)
         or f.mixed > 0),
    Rule("not serious", "every study points the same way (when every study contradicts, the verdict says so)"),
)


# --- indirectness ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class IndirectnessFacts:
    cells_for_living: bool       # only cell / organ-culture evidence for a claim about living hair
    animal_for_people: bool      # animal or cell studies for a claim about people
    neighbouring: bool           # a different species, outcome or route than claimed
    differences: int             # other differences in the body: co-interventions, populations not
                                 # separated, source not stated, weak EV characterisation (full text)


INDIRECTNESS_RULES: tuple[Rule, ...] = (
    Rule("very serious", "animal or cell evidence for a claim about people (or one that does not say), or "
                         "only cell / organ-culture evidence for a claim about living hair",
         lambda f: f.animal_for_people or f.cells_for_living),
    Rule("serious", "a different species, outcome or route than claimed; or co-interventions, populations "
                    "whose results are not separated, a cell source not stated, or weak EV characterisation",
         lambda f: f.neighbouring or f.differences > 0),
    Rule("not serious", "studies of the claimed population, intervention and outcome, with nothing else given"),
)


# --- imprecision -------------------------------------------------------------------------------------
OPTIMAL_PARTICIPANTS = 400   # GRADE's optimal information size, rule of thumb for a continuous outcome
FEW_PARTICIPANTS = 100
FEW_ANIMALS = 100


@dataclass(frozen=True)
class PrecisionFacts:
    human: bool          # participants (True) or animals (False) are counted
    n_studies: int
    total: int           # participants or animals reported in all
    unknown: int         # studies whose numbers are not known (not reported or not extracted)
    ci_crosses_null: bool | None = None   # the pooled or single effect's CI includes no effect


IMPRECISION_RULES: tuple[Rule, ...] = (
    Rule("serious", "one study of unknown size carries the body: a single experiment rarely meets GRADE's optimal "
                    "information size", lambda f: f.n_studies == 1 and f.unknown == 1),
    Rule(NOT_ASSESSABLE, "the sample sizes of most studies are not known (not reported or not extracted); "
                         "not rated down, but the certainty is an upper bound",
         lambda f: f.unknown * 2 > f.n_studies),
    Rule("very serious", f"fewer than {FEW_PARTICIPANTS} participants in all (people), or the effect's "
                         "confidence interval includes no effect and fewer than "
                         f"{OPTIMAL_PARTICIPANTS} participants",
         lambda f: f.human and (f.total < FEW_PARTICIPANTS or (f.ci_crosses_null is True
                                                              and f.total < OPTIMAL_PARTICIPANTS))),
    Rule("serious", f"fewer than the ~{OPTIMAL_PARTICIPANTS} participants of GRADE's optimal information size, "
                    f"or (animals) fewer than {FEW_ANIMALS} animals, or a confidence interval that includes "
                    "no effect", lambda f: (f.human and f.total < OPTIMAL_PARTICIPANTS)
         or (not f.human and f.total < FEW_ANIMALS) or f.ci_crosses_null is True),
    Rule("not serious", f"at least {OPTIMAL_PARTICIPANTS} participants (or {FEW_ANIMALS} animals) and an "
                        "effect whose interval excludes no effect, where one exists"),
)


# --- publication bias ----------------------------------------------------------------------------------
SMALL_STUDY = 100            # participants or animals below which a study counts as small


@dataclass(frozen=True)
class PublicationFacts:
    support: int         # supporting studies
    funded: int          # of them funded by, or authored at, the product's maker
    n_studies: int
    small_positive: bool # every study small and every study supporting
    pending_trials: int  # registered trials of the scope without results


PUBLICATION_BIAS_RULES: tuple[Rule, ...] = (
    Rule("serious", "every supporting study funded by, or authored at, the product's maker",
         lambda f: f.support > 0 and f.funded == f.support),
    Rule("serious", "a small body in which every study is positive (GRADE: suspect publication bias for small, "
                    "all-positive bodies)", lambda f: f.n_studies >= 2 and f.small_positive),
    Rule("not serious", "otherwise (registered trials whose results are not published are named)"),
)


# --- upgrading -----------------------------------------------------------------------------------------
LARGE_EFFECT_SMD = 0.8       # a between-group standardised mean difference this large (Cohen: large)
LARGE_EFFECT_STUDIES = 2


@dataclass(frozen=True)
class UpgradeFacts:
    start: str
    contra: int
    large: int           # studies with a large between-group effect whose interval excludes no effect
    rated_down: bool     # any domain rated down or not assessable


UPGRADE_RULES: tuple[Rule, ...] = (
    Rule("+1 large effect", f"observational evidence (start low), no contradicting study, nothing rated down, and "
                            f"at least {LARGE_EFFECT_STUDIES} studies with a between-group Hedges' g ≥ "
                            f"{LARGE_EFFECT_SMD:g} whose interval excludes no effect",
         lambda f: f.start == "low" and f.contra == 0 and not f.rated_down and f.large >= LARGE_EFFECT_STUDIES),
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
                   "contradicting", "serious adverse events after exosome products are on record", "advers"),
)
# the certainty that a regulator's record says what it says (a documented fact, as of its date)
REGULATORY_CERTAINTY = "high"


# --- verdicts -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class VerdictFacts:
    misattributed: bool      # a cited reference cannot be found or does not study what the claim says
    regulator_says_otherwise: bool   # a regulator's record contradicts the claim directly
    body: str                # direct | indirect | none
    n_support: int
    n_contra: int
    about_people: bool
    human_in_body: bool
    nonhuman_in_body: bool
    certainty: str | None
    bounded: bool            # a domain could not be assessed: the certainty is an upper bound
    controlled: bool         # the carrying stratum compares with a control (trial, animal or lab experiment)


VERDICTS: tuple[Rule, ...] = (
    Rule("misattributed", "the claim leans on a reference that cannot be found or does not study what the "
                          "claim says", lambda f: f.misattributed),
    Rule("contradicted", "a regulator's record says otherwise (an approval that does not exist; 'no side "
                         "effects' against reported adverse events; serious adverse events against 'safe' in hair "
                         "use)", lambda f: f.regulator_says_otherwise),
    Rule("contradicted", "every study of the scope with a result found no benefit",
         lambda f: f.body != "none" and f.n_contra > 0 and f.n_support == 0),
    Rule("no-evidence", "nothing in the evidence base addresses the scope (registered trials without "
                        "results are not evidence)", lambda f: f.body == "none"),
    Rule("preclinical-only", "only cell, organ-culture or animal evidence, for a claim about people or a "
                             "claim that does not say",
         lambda f: f.about_people and f.body == "indirect" and (not f.human_in_body or f.nonhuman_in_body)),
    Rule("supported", "controlled evidence of the claimed scope at moderate or high certainty, with every domain "
                      "assessed", lambda f: f.body == "direct" and f.certainty in ("moderate", "high")
         and not f.bounded and f.controlled),
    Rule("limited", "evidence of the claimed scope (for people: human evidence) at low certainty, or at an "
                    "upper bound because a domain could not be assessed: it may be true",
         lambda f: f.certainty in ("low", "moderate", "high")),
    Rule("very-uncertain", "evidence of the claimed scope, or only of a neighbouring scope, at very low "
                           "certainty: it is very uncertain"),
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
    rows = [("start", f"{s.name}: {s.start}", s.why) for s in STRATA]
    for domain, rules in DOMAIN_RULES.items():
        rows += [(domain, r.result, r.when) for r in rules]
    rows += [("risk_of_bias (by design)", f"{tier}: {judgement}", why) for tier, (judgement, why) in DESIGN_ROB.items()]
    rows += [("risk_of_bias (record)", name, why) for name, why in RECORD_CONCERNS.items()]
    rows += [("indirectness (co-intervention)", name, pattern.pattern) for name, pattern in CO_INTERVENTIONS]
    rows += [("upgrade", r.result, r.when) for r in UPGRADE_RULES]
    rows += [("not evidence", tier, why) for tier, why in NOT_EVIDENCE.items()]
    rows += [("not evidence", "retraction notice", RETRACTED)]
    rows += [("bordering (intervention)", term, why) for term, why in VESICLE_BORDER.items()]
    rows += [("bordering (reading)", name, why) for name, why in WEAK_READINGS.items()]
    rows += [(f"regulatory ({r.asserts})", f"{r.when} → {r.role}", r.why) for r in REGULATORY_RULES]
    rows += [("verdict", v.result, v.when) for v in VERDICTS]
    rows += [("plain language", level, words) for level, words in PLAIN_LANGUAGE.items()]
    return pd.DataFrame(rows, columns=["rule", "rating / verdict", "when"])
