"""The certainty and verdict rules, as data. Read and change the grading rules here, in one place.

GRADE-style: a body of evidence starts at a certainty set by its strongest design, is rated down
in five domains (risk of bias, inconsistency, indirectness, imprecision, publication bias) and up
only for a large, consistent effect. The verdict then says what the evidence means for the
claim's own scope. :mod:`exoreview.grade` applies these tables; the claims notebook prints them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

CERTAINTY_LEVELS: tuple[str, ...] = ("very low", "low", "moderate", "high")
DOMAINS: tuple[str, ...] = ("risk_of_bias", "inconsistency", "indirectness", "imprecision",
                            "publication_bias")
RATINGS: Mapping[str, int] = {"not serious": 0, "serious": -1, "very serious": -2,
                              "not applicable": 0}

# --- where a body of evidence starts --------------------------------------------------------------
# (rule, start level, why). First matching rule wins.
START_RULES: tuple[tuple[str, str, str], ...] = (
    ("randomized", "high", "the body includes a randomized controlled trial (GRADE starts randomized "
                           "evidence at high)"),
    ("human", "low", "human studies without randomization start at low (GRADE: observational evidence)"),
    ("preclinical", "high", "controlled animal / laboratory experiments start at high, as in GRADE "
                            "for animal studies (Hooijmans et al. 2018); indirectness to people is "
                            "rated separately"),
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
# When the study-quality columns are present (`rob_overall`: low / some concerns / high / unclear /
# NA) they are used; otherwise the judgement is made from the design, and the reason says so.
DERIVED_ROB: Mapping[str, tuple[str, str]] = {
    "randomized trial": ("some concerns", "randomized, but no RoB 2 judgement recorded yet"),
    "controlled study": ("high", "non-randomized comparison (confounding not controlled)"),
    "uncontrolled human": ("high", "no control group: change from baseline only"),
    "case report": ("high", "a single case"),
    "animal": ("some concerns", "SYRCLE items (randomization, blinding) not recorded"),
    "ex vivo": ("some concerns", "laboratory experiment; blinding not recorded"),
    "in vitro": ("some concerns", "laboratory experiment; blinding not recorded"),
}
ROB_RULES: tuple[tuple[str, str], ...] = (
    ("not serious", "every study judged at low risk of bias"),
    ("very serious", "every study judged at high risk in a recorded risk-of-bias assessment"),
    ("serious", "some studies at high risk, some concerns, or not yet assessed"),
)
EV_WEAK_SHARE = 0.5  # MISEV reporting score below this share of its maximum is called weak

# --- inconsistency -----------------------------------------------------------------------------------
INCONSISTENCY_RULES: tuple[tuple[str, str], ...] = (
    ("very serious", "contradicting studies at least as many as supporting ones"),
    ("serious", "both supporting and contradicting (or mixed) results"),
    ("not serious", "every study points the same way (or a single study)"),
)

# --- indirectness ------------------------------------------------------------------------------------
INDIRECTNESS_RULES: tuple[tuple[str, str], ...] = (
    ("very serious", "animal or cell evidence for a claim about people (or one that does not say)"),
    ("serious", "a different species, outcome or route than claimed"),
    ("not serious", "studies of the claimed population, intervention and outcome"),
)

# --- imprecision -------------------------------------------------------------------------------------
OPTIMAL_PARTICIPANTS = 400   # GRADE's rule of thumb for a continuous outcome
SINGLE_STUDY_PARTICIPANTS = 100
FEW_ANIMALS = 100
REPLICATIONS = 5             # independent agreeing experiments that offset unreported animal numbers
IMPRECISION_RULES: tuple[tuple[str, str], ...] = (
    ("very serious", f"one study, or a single human study under {SINGLE_STUDY_PARTICIPANTS} participants"),
    ("serious", f"fewer than {OPTIMAL_PARTICIPANTS} participants in all, or (animals) fewer than "
                f"{FEW_ANIMALS} animals reported and fewer than {REPLICATIONS} agreeing studies"),
    ("not serious", f"at least {OPTIMAL_PARTICIPANTS} participants, or {REPLICATIONS} or more agreeing "
                    "animal studies"),
)

# --- publication bias ----------------------------------------------------------------------------------
PUBLICATION_BIAS_RULES: tuple[tuple[str, str], ...] = (
    ("serious", "every supporting study funded by, or authored at, the product's maker (industry_funded)"),
    ("not serious", "otherwise (small positive studies may still be published selectively)"),
)

# --- upgrading -----------------------------------------------------------------------------------------
LARGE_EFFECT_RATIO = 2.0     # change ≥ 2 × the control's change (like GRADE's RR > 2)
LARGE_EFFECT_STUDIES = 2
UPGRADE_RULES: tuple[tuple[str, str], ...] = (
    ("+1 large effect", f"non-randomized evidence, no contradicting study, and at least "
                        f"{LARGE_EFFECT_STUDIES} studies whose change is ≥ {LARGE_EFFECT_RATIO:g}× the "
                        "control's"),
    ("none", "otherwise"),
)

# --- regulatory records ---------------------------------------------------------------------------------
# claim kind → (record flag, what it takes, role of matching records, why)
REGULATORY_RULES: tuple[tuple[str, str, str, str], ...] = (
    ("approval", "approved_products == 0", "contradicting",
     "a regulator states that no exosome product is approved"),
    ("no-harm", "adverse_events_reported", "contradicting",
     "adverse events after exosome products are on record"),
    ("safety", "serious_adverse_events", "bordering",
     "serious adverse events after (unapproved) exosome products are on record; they concern other "
     "uses, so they border a claim about hair"),
)

# --- verdicts -----------------------------------------------------------------------------------------
# (verdict, meaning). Checked in this order; the first that applies is the verdict.
VERDICTS: tuple[tuple[str, str], ...] = (
    ("misattributed", "the claim leans on a reference that cannot be found or does not study what the "
                      "claim says"),
    ("contradicted", "the evidence or a regulator's record says otherwise (an approval that does not "
                     "exist; 'no side effects' against reported adverse events; only null results)"),
    ("no-evidence", "nothing in the evidence base addresses the scope (registered trials without "
                    "results are not evidence)"),
    ("preclinical-only", "only cell, organ-culture or animal evidence, for a claim about people or a "
                         "claim that does not say"),
    ("supported", "evidence of the claimed scope at moderate or high certainty"),
    ("limited", "evidence of the claimed scope (for people: human evidence) exists, but at low or "
                "very low certainty, or only for a neighbouring scope"),
)
VERDICT_NAMES: tuple[str, ...] = tuple(v for v, _ in VERDICTS)


# --- small functions ------------------------------------------------------------------------------------
def certainty(start: str, change: int) -> str:
    """Start level moved by `change` steps, kept within very low … high."""
    i = CERTAINTY_LEVELS.index(start) + change
    return CERTAINTY_LEVELS[max(0, min(i, len(CERTAINTY_LEVELS) - 1))]


def benefit_directions(outcome: str) -> frozenset[str]:
    return BENEFIT_DIRECTIONS.get(outcome, DEFAULT_BENEFIT)


def rob_domain(judgements: list[str], assessed: list[bool]) -> str:
    """Domain rating from per-study risk-of-bias judgements (low / some concerns / high / unclear)."""
    if judgements and all(j == "low" for j in judgements):
        return "not serious"
    if judgements and all(j == "high" for j in judgements) and all(assessed):
        return "very serious"
    return "serious"


def inconsistency_domain(n_support: int, n_contra: int, n_mixed: int) -> str:
    if n_contra and n_contra >= n_support:
        return "very serious" if n_support else "not serious"
    if (n_support and n_contra) or n_mixed:
        return "serious"
    return "not serious"


def imprecision_domain(*, human: bool, n_studies: int, total: int, n_agreeing: int) -> str:
    if n_studies <= 1:
        return "very serious" if (not human or total < SINGLE_STUDY_PARTICIPANTS) else "serious"
    if human:
        return "serious" if total < OPTIMAL_PARTICIPANTS else "not serious"
    if n_agreeing >= REPLICATIONS or total >= FEW_ANIMALS:
        return "not serious"
    return "serious"


def imprecision(*, human: bool, n_studies: int, total: int, n_unknown: int, n_agreeing: int) -> tuple[str, str]:
    """(rating, reason) for the imprecision domain."""
    rating = imprecision_domain(human=human, n_studies=n_studies, total=total, n_agreeing=n_agreeing)
    unit = "participants" if human else "animals"
    what = (f"{n_studies} stud{'y' if n_studies == 1 else 'ies'}, {total} {unit} in all"
            + (f" (not reported for {n_unknown})" if n_unknown else ""))
    if rating == "not serious":
        why = (f"at least {OPTIMAL_PARTICIPANTS} participants" if human and total >= OPTIMAL_PARTICIPANTS else
               f"{n_agreeing} agreeing animal studies (≥ {REPLICATIONS}) offset small or unreported group sizes"
               if n_agreeing >= REPLICATIONS else f"at least {FEW_ANIMALS} animals")
    elif n_studies <= 1:
        why = "a single study cannot give a precise estimate"
    elif human:
        why = f"fewer than the ~{OPTIMAL_PARTICIPANTS} participants GRADE's rule of thumb asks for"
    else:
        why = (f"fewer than {FEW_ANIMALS} animals reported and fewer than {REPLICATIONS} agreeing studies")
    return rating, f"{what}: {why}"


def rules_table():
    """Every rule of this module as one table (domain, rating or verdict, when) for the notebook."""
    import pandas as pd

    rows = [("start", level, why) for _, level, why in START_RULES]
    rows += [("risk_of_bias", r, w) for r, w in ROB_RULES]
    rows += [("risk_of_bias (no recorded RoB)", f"{tier}: {judgement}", why)
             for tier, (judgement, why) in DERIVED_ROB.items()]
    rows += [("inconsistency", r, w) for r, w in INCONSISTENCY_RULES]
    rows += [("indirectness", r, w) for r, w in INDIRECTNESS_RULES]
    rows += [("imprecision", r, w) for r, w in IMPRECISION_RULES]
    rows += [("publication_bias", r, w) for r, w in PUBLICATION_BIAS_RULES]
    rows += [("upgrade", r, w) for r, w in UPGRADE_RULES]
    rows += [("not evidence", tier, why) for tier, why in NOT_EVIDENCE.items()]
    rows += [("bordering (intervention)", term, why) for term, why in VESICLE_BORDER.items()]
    rows += [(f"regulatory ({kind})", f"{flag} → {role}", why) for kind, flag, role, why in REGULATORY_RULES]
    rows += [("verdict", v, m) for v, m in VERDICTS]
    return pd.DataFrame(rows, columns=["rule", "rating / verdict", "when"])
