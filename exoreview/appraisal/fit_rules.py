"""Placing a study against a claim's scope, as data: what is never evidence, which preparations are
the claimed intervention and which only border it, which directions mean benefit, co-interventions,
and how times, doses and sessions are read. :mod:`exoreview.appraisal.fit` applies them;
:func:`exoreview.appraisal.grading_rules.rules_table` prints them with the grading rules.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

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
ISOLATED_VESICLES: frozenset[str] = frozenset(
    {"exosome", "small EV", "EV", "engineered exosome", "exosome-like nanovesicle"}
)
VESICLE_MATCH: Mapping[str, frozenset[str]] = {
    "exosome": ISOLATED_VESICLES,
    "small EV": ISOLATED_VESICLES,
    "EV": ISOLATED_VESICLES,
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
    "other treatments": _ACTIVE,  # 'the most effective treatment': any active comparator
    "the treatments alone": ("alone",),  # a combination against its parts
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
NON_EFFECT_OUTCOMES: frozenset[str] = frozenset({"evidence synthesis", "delivery", "vesicle cargo", "safety"})
# a "no significant change" counts against a claim only when it compares with a control
COMPARISON_WORDS = re.compile(
    r"\b(vs\.?|versus|placebo|control(?:s|led)?|sham|vehicle|between"
    r"(?:-group)?|other half|other side|compared)\b",
    re.I,
)
# adverse-event text that reports no events
NO_EVENTS = re.compile(
    r"\b(no|none|without|not any)\b[^.;]*\b(adverse|side[- ]effects?|complications?|"
    r"events?)\b|\bnone reported\b|\bwell tolerated\b",
    re.I,
)

# co-interventions: given with the vesicles, they make the vesicles' own effect indirect
CO_INTERVENTIONS: tuple[tuple[str, re.Pattern], ...] = (
    ("microneedling", re.compile(r"micro-?needl|dermaroller|derma-?pen", re.I)),
    ("laser or light", re.compile(r"\blasers?\b|LLLT|photobiomodul|\bLED\b", re.I)),
    ("radiofrequency", re.compile(r"radio-?frequency|\bRF\b", re.I)),
    ("minoxidil", re.compile(r"minoxidil", re.I)),
    ("finasteride or dutasteride", re.compile(r"finasteride|dutasteride", re.I)),
    ("PRP", re.compile(r"\bPRP\b|platelet[- ]rich plasma", re.I)),
    (
        "plant or herbal extracts",
        re.compile(r"\bplant\b|herbal|botanical|seaweed|algae|Ecklonia|Thuja", re.I),
    ),
    (
        "a combined product",
        re.compile(r"\bcombin(?:es|ed|ing|ation)\b[^.;]{0,40}\bwith\b|\bin combination\b", re.I),
    ),
    ("hair transplantation", re.compile(r"transplant", re.I)),
)
# the fields of a study read for co-interventions (route terms are read too)
CO_INTERVENTION_FIELDS: tuple[str, ...] = (
    "route_text",
    "cell_source_text",
    "vesicle_term_text",
    "dose",
    "design_text",
    "n_text",
)
# relations (a study's `related`) that mark another report of the same experiment: counted once
SAME_EXPERIMENT = re.compile(
    r"\bsame (study|experiment|trial|data|cohort|participants|animals)\b|"
    r"\bduplicate report\b|\bpublished version\b|\bpreprint of\b",
    re.I,
)

# --- scope a claim names beyond "it works" ----------------------------------------------------------
TIMEPOINT = re.compile(
    r"\b(?P<unit>day|week|month|year)s?\s*(?P<n>\d+(\.\d+)?)\b|\b(?P<n2>\d+(\.\d+)?)\s*"
    r"(?P<unit2>day|week|month|year)s?\b",
    re.I,
)
WEEKS_PER: Mapping[str, float] = {"day": 1 / 7, "week": 1.0, "month": 4.33, "year": 52.0}
# a mean with its spread ('4.7 ± 1.9 months'): the mean is the time
MEAN_TIME = re.compile(
    r"\b(?P<n>\d+(\.\d+)?)\s*(±|\+/-)\s*\d+(\.\d+)?\s*(?P<unit>day|week|month|year)s?\b", re.I
)
ONSET_TOLERANCE = 1.25  # a first result this much later than claimed still addresses the claim
PARTICLE_DOSE = re.compile(
    r"(?P<n>\d[\d.,]*)\s*(?P<scale>billion|million|trillion)\b|(?P<m>\d+(\.\d+)?)\s*(?:[x×]"
    r"\s*10\^?\s*|e)(?P<e>\d+)\b",
    re.I,
)
SCALE: Mapping[str, float] = {"million": 1e6, "billion": 1e9, "trillion": 1e12}
DOSE_FACTOR = 3.0  # a study's particle dose within this factor of the claimed one addresses it
# the number of sessions a study gave ('six monthly sessions', '4 to 6 sessions', 'single session')
STUDY_SESSIONS = re.compile(
    r"\b(?P<n>\d+(\.\d+)?|single|one|two|three|four|five|six|seven|eight|nine|ten|twelve)"
    r"(\s*(?:to|-|–|±)\s*(?P<hi>\d+(\.\d+)?))?\s+(monthly |weekly |treatment |injection )?"
    r"(sessions?|treatments?|injections?)\b",
    re.I,
)
SESSION_WORDS: Mapping[str, float] = {
    "single": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "twelve": 12,
}
# a study that compared doses, concentrations or schedules addresses a dose claim that names no number
DOSE_COMPARISON = re.compile(r"\b(dos(e|es|ing)|frequency|concentrations?|cohorts|schedules?)\b", re.I)

# --- what counts as support ----------------------------------------------------------------------
# outcome readings that only border a claim, with why (checked in this order)
WEAK_READINGS: Mapping[str, str] = {
    "title": "direction read from the title only, not from results",
    "within-group": "only a within-group change reported in a controlled study; no between-group comparison",
}
CONTROLLED_TIERS: frozenset[str] = frozenset({"randomized trial", "controlled study"})

# a notice that takes a study out of the evidence altogether
RETRACTED = "retracted: a retracted study never counts as evidence"


def benefit_directions(outcome: str) -> frozenset[str]:
    return BENEFIT_DIRECTIONS.get(outcome, DEFAULT_BENEFIT)
