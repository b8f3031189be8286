"""The audit rules, as data: reference lists, journal abbreviations, topic words, claim cues and
overreach phrases. Read and change how texts are audited here, in one place.

:mod:`exoreview.appraisal.audit` applies these tables; the claims notebook prints them. Verdicts
themselves are the grading verdicts (:data:`exoreview.appraisal.grading_rules.VERDICTS`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from . import claim_rules, scope_rules

# --- names --------------------------------------------------------------------------------------------
# Author names in any Latin, Greek or Cyrillic script (Pérez, Özer, Łukasz, Šimić), not only A–Z:
# NAME_UPPER is one capital letter (a regex class), NAME_LETTERS a run of letters, apostrophes, hyphens.
NAME_UPPER = "[" + re.escape("".join(c for c in map(chr, range(0x530)) if c.isupper())) + "]"
NAME_LETTERS = r"(?:[^\W\d_]|['’-])+"

# --- finding the reference list ---------------------------------------------------------------------
REFERENCE_HEADING = re.compile(
    r"^\s*(?:\d+\.?\s*)?(references?|reference list|bibliography|works cited|literature cited|"
    r"literature|sources|citations|cited studies|notes and references)\s*:?\s*$",
    re.I,
)
NUMBERED_ENTRY = re.compile(r"^\s*(?:\[(\d{1,3})\]|(\d{1,3})[.)](?!\d)|\((\d{1,3})\))\s*")
YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
DOI = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>]+)", re.I)
PMID = re.compile(r"\bPMID:?\s*(\d{1,9})\b", re.I)

# --- matching a reference to the evidence ---------------------------------------------------------------
TITLE_MATCH = 90  # rapidfuzz token_sort_ratio (0-100) for "the same title"
JOURNAL_STOPWORDS = frozenset({"of", "the", "and", "&", "for", "in", "on", "journal-"})
# Full journal name → abbreviations (NLM / ISO 4 and common short forms). A generic rule also
# matches an abbreviation whose words are prefixes of the full name's words ("Stem Cells Transl
# Med" ↔ "Stem Cells Translational Medicine"); this table holds the ones that rule cannot see.
JOURNAL_ABBREVIATIONS: Mapping[str, tuple[str, ...]] = {
    "Stem Cells Translational Medicine": ("Stem Cells Transl Med", "SCTM", "STEM CELLS Transl Med"),
    "International Journal of Molecular Sciences": ("Int J Mol Sci", "IJMS"),
    "Stem Cell Research & Therapy": ("Stem Cell Res Ther", "SCRT"),
    "Scientific Reports": ("Sci Rep",),
    "Biochemical and Biophysical Research Communications": ("Biochem Biophys Res Commun", "BBRC"),
    "Journal of Cosmetic Dermatology": ("J Cosmet Dermatol",),
    "Journal of Investigative Dermatology": ("J Invest Dermatol", "JID"),
    "Journal of the American Academy of Dermatology": ("J Am Acad Dermatol", "JAAD"),
    "Dermatologic Surgery": ("Dermatol Surg",),
    "Aesthetic Plastic Surgery": ("Aesthetic Plast Surg",),
    "Experimental Dermatology": ("Exp Dermatol",),
    "Stem Cells International": ("Stem Cells Int",),
    "Experimental Cell Research": ("Exp Cell Res",),
    "Clinical, Cosmetic and Investigational Dermatology": ("Clin Cosmet Investig Dermatol", "CCID"),
    "Journal of Extracellular Vesicles": ("J Extracell Vesicles", "JEV"),
    "Proceedings of the National Academy of Sciences of the United States of America": (
        "Proc Natl Acad Sci U S A",
        "PNAS",
    ),
    "Cells": ("Cells",),
    "Life": ("Life (Basel)",),
    "Pharmaceutics": ("Pharmaceutics",),
    "Frontiers in Cell and Developmental Biology": ("Front Cell Dev Biol",),
    "Journal of Nanobiotechnology": ("J Nanobiotechnology",),
    "Advanced Science": ("Adv Sci (Weinh)", "Adv Sci"),
}

# --- what a title is about ------------------------------------------------------------------------------
# Words that put a work on hair (the vocabulary's condition and hair-outcome names are added).
HAIR_WORDS: tuple[str, ...] = (
    "hair",
    "alopecia",
    "bald",
    "follicle",
    "follicular",
    "anagen",
    "telogen",
    "catagen",
    "scalp",
    "dermal papilla",
    "trichogen",
    "vibrissa",
)
# topic → words that put a work elsewhere (checked only when no hair word is present)
OFF_TOPIC: Mapping[str, tuple[str, ...]] = {
    "bone regeneration": (
        "bone",
        "osteo",
        "scaffold",
        "tricalcium phosphate",
        "calvari",
        "fracture",
        "osseo",
        "cartilage",
        "chondro",
    ),
    "the heart": ("cardiac", "myocard", "heart", "cardio"),
    "the nervous system": ("neural", "neuron", "brain", "stroke", "spinal cord", "nerve"),
    "the kidney": ("renal", "kidney", "nephr"),
    "the liver": ("liver", "hepat"),
    "cancer": ("tumor", "tumour", "cancer", "carcinoma", "oncol", "metasta"),
    "the lung": ("lung", "pulmonary", "respiratory"),
    "diabetes": ("diabet", "insulin", "glyc"),
    "the eye": ("retina", "cornea", "ocular"),
    "wound healing": ("wound",),
}

# abbreviations that end with a full stop but do not end a sentence
ABBREVIATIONS: tuple[str, ...] = (
    "et al.",
    "e.g.",
    "i.e.",
    "vs.",
    "Fig.",
    "Figs.",
    "approx.",
    "cf.",
    "Dr.",
    "Prof.",
    "No.",
    "Vol.",
    "p.",
    "pp.",
    "ca.",
    "resp.",
    "incl.",
)
LABEL_PREFIX = re.compile(r"^\s*([A-Z][\w ]{0,30}):\s+(?=[A-Z])")  # "History: The use of ..."

# cell sources named as the target of an effect, not the vesicles' source
TARGET_CONTEXT = re.compile(
    r"\b(proliferation|migration|survival|viability|activation|function|"
    r"differentiation|growth|apoptosis|number) of (the )?(human |mouse |murine )?$"
    r"|\b(on|in|into|to|recipient|treated|cultured|targeting|stimulat\w*|activat\w*|"
    r"(re)?awaken\w*|energi[sz]\w*|nourish\w*|reach\w*|instruct\w*|recipient cells,? "
    r"including)\s+(the )?(human |mouse |murine )?$",
    re.I,
)

# the text between two items of one list ('dermal papilla cells, hair matrix cells, and outer root sheath')
LIST_CONTINUES = re.compile(r"^[\w\s-]{0,25}(,|\band\b|\bor\b)[\w\s,-]{0,25}$")
ANY_ANIMAL = "any animal"  # a species cue that stands for every non-human species of the vocabulary
# species / experimental system asserted (pattern, model, species)
MODEL_CUES: tuple[tuple[re.Pattern, str, str], ...] = (
    (
        re.compile(
            r"\b(mouse|murine)\b(?!\s+(?:\w+\s+)?(?:cells?|fibroblasts?|keratinocytes?|dermal papilla))|"
            r"\bmice\b",
            re.I,
        ),
        "animal model",
        "mouse",
    ),
    (
        re.compile(r"\brats?\b(?!\s+(?:\w+\s+)?(?:cells?|fibroblasts?|keratinocytes?|dermal papilla))", re.I),
        "animal model",
        "rat",
    ),
    # 'animal models', 'in animals', 'preclinical': every animal species of the vocabulary
    (
        re.compile(
            r"\banimal (models?|studies|experiments|research)\b|\bin animals\b|\bpre-?clinical\b", re.I
        ),
        "animal model",
        ANY_ANIMAL,
    ),
    (
        re.compile(
            r"\b(patients|men|women|people|participants|volunteers|subjects|clinical (trial|study|use)|"
            r"humans|clients)\b",
            re.I,
        ),
        "clinical",
        "human",
    ),
    (
        re.compile(r"\bhuman [a-z -]*cells\b|\bin vitro\b|\bcultured\b|\bcell culture\b", re.I),
        "cell culture",
        "human",
    ),
)
# outcome phrases: (pattern, outcome for an animal claim, outcome for a claim about people)
OUTCOME_CUES: tuple[tuple[re.Pattern, str | None, str | None], ...] = (
    (re.compile(r"\bhair (re)?growth\b|\bgrow(s)? hair\b|\bregrow", re.I), "hair-cycle", "clinical"),
    (
        re.compile(r"\bnumber of (hair )?follicles\b|\bfollicle (number|count)s?\b|\bmore follicles\b", re.I),
        "follicle number",
        "follicle number",
    ),
    (
        re.compile(r"\bhair (density|count)\b|\bthicker hair\b|\bfuller hair\b", re.I),
        "hair density",
        "hair density",
    ),
    (re.compile(r"\banagen\b", re.I), "anagen induction", "anagen induction"),
)
# vocabulary outcome terms not tagged from free text (group names match too much)
UNTAGGED_OUTCOMES: frozenset[str] = frozenset(
    {"cell-level", "follicle-level", "hair-cycle", "clinical", "other", "evidence synthesis", "delivery"}
)
# vocabulary names that mean something else in marketing text ("hair serum" is not blood serum)
UNTAGGED_NAMES: frozenset[str] = frozenset({"serum", "blood", "medium", "cream", "gel", "DP", "MAC", "ASC"})
HAIR_NAME_MIN = 4  # condition names shorter than this ("AA") do not put a text on hair by themselves
# cell-source terms that name no source (never tagged from text)
UNTAGGED_SOURCES: frozenset[str] = frozenset({"not stated", "mixed", "engineered"})

# words that refer back to the studies cited just before ("These studies provide evidence ...")
BACK_REFERENCE = re.compile(
    r"\b(these|such|both|the above|the two|those) (studies|findings|results|trials|papers)\b"
    r"|\bthis (study|trial|paper|work)\b",
    re.I,
)
BACK_WINDOW = 6  # sentences to look back for the cited studies

# how a sentence names its source
PUBLISHED_IN = re.compile(
    r"\bpublished (?:in|by) (?:the )?(?P<journal>[A-Z][A-Za-z&,:'\- ]+?)\s+in\s+"
    r"(?P<year>(?:19|20)\d{2})\b"
)
# 'a 2021 study in Stem Cell Research & Therapy found', 'a 2022 Korean study published in Stem Cells Transl Med was'
YEAR_STUDY_IN = re.compile(
    r"\b(?P<year>(?:19|20)\d{2})(?: [A-Za-z-]+){0,3}? (?:study|paper|trial|article|review|report) "
    r"(?:in|published in) (?:the )?(?:journal )?(?P<journal>[A-Z][A-Za-z&:'\- ]+?)(?=[,.;]| (?:showed|"
    r"found|demonstrated|reported|suggested|was|is|that|and|of|on|with)\b)"
)
# 'a 2021 Journal of Dermatological Science study showed', 'a study in Stem Cell Res Ther (2020)'
YEAR_JOURNAL_STUDY = re.compile(
    r"\b(?P<year>(?:19|20)\d{2}) (?:issue of )?(?:the )?(?P<journal>(?:[A-Z][\w&:'\-]*"
    r"(?: (?:of|and|in|for|&|the))? ?)+?) (?:study|trial|paper|article|review|report)\b"
)
STUDY_IN_JOURNAL_YEAR = re.compile(
    r"\b(?:study|trial|paper|article|review|research) (?:published )?in (?:the )?"
    r"(?P<journal>[A-Z][A-Za-z&:'\- ]+?) \((?P<year>(?:19|20)\d{2})\)"
)
JOURNAL_PATTERNS = (PUBLISHED_IN, YEAR_STUDY_IN, YEAR_JOURNAL_STUDY, STUDY_IN_JOURNAL_YEAR)
_NAME = NAME_UPPER + NAME_LETTERS
AUTHOR_YEAR = (
    re.compile(
        rf"\((?P<author>{_NAME})(?: et al\.?| and {_NAME}| & {_NAME})?,? "
        r"(?P<year>(?:19|20)\d{2})[a-z]?\)"
    ),
    re.compile(rf"\b(?P<author>{_NAME}) et al\.? \((?P<year>(?:19|20)\d{{2}})[a-z]?\)"),
)
NUMBER_MARKER = re.compile(r"\[(?P<nums>\d{1,3}(?:\s*[-–,]\s*\d{1,3})*)\]")
PAREN_MARKER = re.compile(r"\((?P<nums>\d{1,2}(?:\s*[-–,]\s*\d{1,2})*)\)")  # only with a numbered list
SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
SUPERSCRIPT_MARKER = re.compile(r"(?<=[A-Za-z.,)])(?P<nums>[⁰¹²³⁴⁵⁶⁷⁸⁹]+(?:[,⁻–][⁰¹²³⁴⁵⁶⁷⁸⁹]+)*)")


# --- overreach ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Overreach:
    """An absolute or promotional phrase, what the evidence would need to carry it, and which fact
    of the evidence base the audit shows beside it."""

    name: str
    pattern: re.Pattern
    need: str  # what the evidence would need
    shows: str = "verdict"  # approvals | adverse events | follow-up | verdict
    negatable: bool = False  # 'not approved' is no overreach
    sourced_when_cited: bool = False  # a cited sentence gives its source
    unless: re.Pattern | None = None  # another row covers sentences with this phrase


OVERREACH: tuple[Overreach, ...] = (
    Overreach(
        "clinically proven",
        re.compile(r"\bclinically (proven|shown|tested|validated|demonstrated)\b", re.I),
        "proof in people needs moderate or high certainty human evidence",
    ),
    Overreach(
        "proven",
        re.compile(
            r"\b(scientifically )?(proven|proves)\b|\bclearly (shown|demonstrated|established)\b|"
            r"\b(scientifically|science|evidence|research)[- ](backed|based|supported)\b|\bwell[- ]"
            r"established\b",
            re.I,
        ),
        "proof needs moderate or high certainty evidence of the claimed scope",
        negatable=True,
        unless=re.compile(r"clinically (proven|shown)", re.I),
    ),
    Overreach(
        "permanent",
        re.compile(r"\bpermanent(ly)?\b|\blifetime\b|\bforever\b", re.I),
        "a permanent effect needs long follow-up after treatment stops",
        shows="follow-up",
        negatable=True,
    ),
    Overreach(
        "no side effects",
        re.compile(
            r"\bno (known |reported |serious )?(side[- ]effects?|risks?|adverse (events?|"
            r"effects?|reactions?)|complications?)\b|\brisk[- ]free\b|\bcompletely safe\b|"
            r"\b100 ?% (safe|natural)\b|\b(removes?|eliminates?) (any|all) (\w+ )?risks?\b|"
            r"\bwithout (any )?(side[- ]effects?|risks?)\b",
            re.I,
        ),
        "'no side effects' is contradicted by any adverse event on record",
        shows="adverse events",
        negatable=True,
    ),
    Overreach(
        "approved",
        re.compile(r"(?<!not )(?<!un)\b(fda[- ]approved|approved|fda[- ]cleared)\b", re.I),
        "an approval must exist in a regulator's record",
        shows="approvals",
        negatable=True,
    ),
    Overreach(
        "implied approval",
        re.compile(
            r"\b(FDA|MFDS|KFDA|TGA)[- ](certified|registered|compliant|inspected|"
            r"permitted|standards?)\b|\b(certified|registered)\b[^.]{0,20}\b(lab|"
            r"laborator\w+|facilit\w+)\b|\b(standards|regulations)\b[^.]{0,120}\b(FDA|"
            r"Food (and|&) Drug)",
            re.I,
        ),
        "a registered or certified facility, or standards followed, is not a product's approval",
        shows="approvals",
        negatable=True,
    ),
    Overreach(
        "regrows dead follicles",
        re.compile(
            r"\b(regrow\w*|revive\w*|reactivat\w*|regenerat\w*|bring\w* back)\b"
            r"[^.]{0,60}?\b(dead|destroyed)( (hair )?follicles?)?\b|\b(dead|destroyed) "
            r"(hair )?follicles?\b",
            re.I,
        ),
        "no study in the evidence base shows regrowth from destroyed follicles; studies measure resting or "
        "miniaturised follicles",
    ),
    Overreach(
        "cure",
        re.compile(r"\bcures?\b|\bcured\b|\bguarantee\w*\b", re.I),
        "no study reports a cure or a guaranteed result",
        negatable=True,
    ),
    Overreach(
        "certain outcome",
        re.compile(
            r"\b(will|ensures?|ensuring)\b (\w+ ){0,2}(have|see|get|notice|add|grow|regrow|"
            r"thicken|restore|stop|minimal|results?|fuller|thicker)\b",
            re.I,
        ),
        "a result every treated person will get needs every treated person to respond in a controlled study",
        negatable=True,
    ),
    Overreach(
        "everyone responds",
        re.compile(r"\b(all|every) (patients?|clients?|users?)\b|\beveryone\b|\b100 ?%", re.I),
        "a universal response needs every treated person to respond in a controlled study",
    ),
    Overreach(
        "marketing superlative",
        re.compile(
            r"\b(miracle|miraculous|breakthrough|revolutionary|game[- ]changer|"
            r"tremendous|incredible|amazing|remarkable|unmatched|unparalleled|"
            r"uniquely|greatest|most (natural|advanced|powerful|effective)|"
            r"the best|number one|#1|replac\w+ all|shaking)\b",
            re.I,
        ),
        "marketing language, not a finding",
    ),
    Overreach(
        "unsourced percentage",
        re.compile(r"\b\d{1,3}(?:\.\d+)? ?%|\b\d{1,3}(?:\.\d+)? percent\b", re.I),
        "a percentage needs a source that reports it",
        sourced_when_cited=True,
    ),
)


def rules_table() -> pd.DataFrame:
    """The audit rules as one table (rule, value, meaning) for the notebook."""
    rows = [
        ("reference list heading", REFERENCE_HEADING.pattern, "a line that starts the reference list"),
        ("title match", f"token_sort_ratio ≥ {TITLE_MATCH}", "fuzzy title match to a study record"),
        (
            "status",
            "verified",
            "found (DOI, PMID or title) and journal, year, volume, pages, first author agree",
        ),
        (
            "status",
            "metadata-mismatch",
            "found, but journal, year, volume, pages or authors differ (each difference listed)",
        ),
        (
            "status",
            "off-topic",
            "the work is about something else (from its record or, when it is not "
            "in the evidence base, its title)",
        ),
        ("status", "not-found", "neither in the evidence base nor judged off-topic from its title"),
    ]
    rows += [("journal abbreviation", ", ".join(abbr), full) for full, abbr in JOURNAL_ABBREVIATIONS.items()]
    rows += [("off-topic words", ", ".join(words), topic) for topic, words in OFF_TOPIC.items()]
    rows += [("claim kind", kind, pattern.pattern) for kind, pattern in scope_rules.CLAIM_KINDS]
    rows += [
        ("mechanism", name, f"{pattern.pattern} → {outcome or 'no outcome records it'}")
        for name, pattern, outcome in scope_rules.MECHANISMS
    ]
    rows += [("not a claim", kind, pattern.pattern) for kind, pattern in claim_rules.NOT_CLAIMS]
    rows += [("overreach", o.name, o.need) for o in OVERREACH]
    return pd.DataFrame(rows, columns=["rule", "value", "meaning"])
