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

# --- names --------------------------------------------------------------------------------------------
# Author names in any Latin, Greek or Cyrillic script (Pérez, Özer, Łukasz, Šimić), not only A–Z:
# NAME_UPPER is one capital letter (a regex class), NAME_LETTERS a run of letters, apostrophes, hyphens.
NAME_UPPER = "[" + re.escape("".join(c for c in map(chr, range(0x530)) if c.isupper())) + "]"
NAME_LETTERS = r"(?:[^\W\d_]|['’-])+"

# --- finding the reference list ---------------------------------------------------------------------
REFERENCE_HEADING = re.compile(
    r"^\s*(?:\d+\.?\s*)?(references?|reference list|bibliography|works cited|literature cited|"
    r"literature|sources|citations|cited studies|notes and references)\s*:?\s*$", re.I)
NUMBERED_ENTRY = re.compile(r"^\s*(?:\[(\d{1,3})\]|(\d{1,3})[.)](?!\d)|\((\d{1,3})\))\s*")
YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
DOI = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>]+)", re.I)
PMID = re.compile(r"\bPMID:?\s*(\d{1,9})\b", re.I)

# --- matching a reference to the evidence ---------------------------------------------------------------
TITLE_MATCH = 90      # rapidfuzz token_sort_ratio (0-100) for "the same title"
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
    "Proceedings of the National Academy of Sciences of the United States of America":
        ("Proc Natl Acad Sci U S A", "PNAS"),
    "Cells": ("Cells",),
    "Life": ("Life (Basel)",),
    "Pharmaceutics": ("Pharmaceutics",),
    "Frontiers in Cell and Developmental Biology": ("Front Cell Dev Biol",),
    "Journal of Nanobiotechnology": ("J Nanobiotechnology",),
    "Advanced Science": ("Adv Sci (Weinh)", "Adv Sci"),
}

# --- what a title is about ------------------------------------------------------------------------------
# Words that put a work on hair (the vocabulary's condition and hair-outcome names are added).
HAIR_WORDS: tuple[str, ...] = ("hair", "alopecia", "bald", "follicle", "follicular", "anagen", "telogen",
                               "catagen", "scalp", "dermal papilla", "trichogen", "vibrissa")
# topic → words that put a work elsewhere (checked only when no hair word is present)
OFF_TOPIC: Mapping[str, tuple[str, ...]] = {
    "bone regeneration": ("bone", "osteo", "scaffold", "tricalcium phosphate", "calvari", "fracture",
                          "osseo", "cartilage", "chondro"),
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

# --- which sentences are claims -------------------------------------------------------------------------
# A sentence is kept when it names a vesicle (vocabulary vesicle_term names, plus these) and hair.
VESICLE_WORDS: tuple[str, ...] = ("exosome", "exosomal", "extracellular vesicle", "vesicle", "secretome",
                                  "conditioned medi")
# a claim asserts something: one of these words must be present
ASSERTION = re.compile(r"\b(promot\w*|increas\w*|improv\w*|regrow\w*|stimulat\w*|enhanc\w*|effective\w*|"
                       r"efficac\w*|prove[ns]?|shows?|showed|shown|demonstrat\w*|helps?|helped|treats?|treated|"
                       r"cures?|cured|restor\w*|reduc\w*|prevent\w*|revers\w*|boost\w*|safe|safely|approved|"
                       r"works?|potential|promising|evidence|benefit\w*|results? in|leads? to|alleviat\w*|"
                       r"activat\w*|induc\w*|accelerat\w*|thicken\w*|grows?|lasting|lasts?|permanent\w*|"
                       r"better|superior|push\w*|trigger\w*|drives?|drove|caus\w*|rejuvenat\w*|revitali[sz]\w*|"
                       r"stops?|halts?|fights?|repairs?|renew\w*|clinically|awaken\w*|wak\w*)\b", re.I)
# a sentence starting like this continues the claim before it ("It regrows dead follicles ...")
CONTINUATION = re.compile(r"^(it|they|this (treatment|therapy|product|serum)|these (treatments|products|vesicles))\b",
                          re.I)
# sentences that only hedge are not claims
HEDGE_ONLY = re.compile(r"\b(more (studies|research) (is|are) needed|further research|still in the early "
                        r"stages?)\b", re.I)
# abbreviations that end with a full stop but do not end a sentence
ABBREVIATIONS: tuple[str, ...] = ("et al.", "e.g.", "i.e.", "vs.", "Fig.", "Figs.", "approx.", "cf.",
                                  "Dr.", "Prof.", "No.", "Vol.", "p.", "pp.", "ca.", "resp.", "incl.")
LABEL_PREFIX = re.compile(r"^\s*([A-Z][\w ]{0,30}):\s+(?=[A-Z])")  # "History: The use of ..."

# what kind of claim a sentence makes (first match wins; default: benefit)
CLAIM_KINDS: tuple[tuple[str, re.Pattern], ...] = (
    ("approval", re.compile(r"(?<!not )(?<!un)\b(fda[- ]approved|approved|fda[- ]cleared|cleared by the fda|"
                            r"authori[sz]ed)\b", re.I)),
    ("no-harm", re.compile(r"\bno (known )?(side[- ]effects?|risks?|adverse (events?|effects?)|downtime and "
                           r"no side)|\bzero (side[- ]effects?|risk)|\bcompletely safe|\brisk[- ]free|\b100 ?% safe",
                           re.I)),
    ("superiority", re.compile(r"\b(better|more effective|superior|outperform\w*|beats?)\b(?: than| to)?", re.I)),
    ("durability", re.compile(r"\b(permanent(ly)?|long[- ]lasting|lifetime|last(s|ing)? (for )?(up to )?"
                              r"(a|one|two|three|\d+) (year|month)s?)\b", re.I)),
    ("safety", re.compile(r"\b(safe|safely|safety|well[- ]tolerated)\b", re.I)),
)
COMPARATOR = re.compile(r"\b(?:than|to|over|versus|vs\.?)\s+(?P<comp>PRP|platelet[- ]rich plasma|minoxidil|"
                        r"finasteride|dutasteride|hair transplant\w*|placebo|microneedling)", re.I)
NUMBER_WORDS: Mapping[str, int] = {"a": 1, "one": 1, "two": 2, "three": 3}
DURATION = re.compile(r"\b(?P<n>a|one|two|three|\d+) (?P<unit>year|month)s?\b", re.I)
PERMANENT_WEEKS = 104  # "permanent" is read as at least two years

# cell sources named as the target of an effect, not the vesicles' source
TARGET_CONTEXT = re.compile(r"\b(proliferation|migration|survival|viability|activation|function|"
                            r"differentiation|growth|apoptosis|number) of (the )?(human |mouse |murine )?$"
                            r"|\b(on|in|into|to|recipient|treated|cultured|targeting)\s+(human |mouse )?$", re.I)

# species / experimental system asserted (pattern, model, species)
MODEL_CUES: tuple[tuple[re.Pattern, str, str], ...] = (
    (re.compile(r"\b(mouse|murine)\b(?!\s+(?:\w+\s+)?(?:cells?|fibroblasts?|keratinocytes?|dermal papilla))|"
                r"\bmice\b", re.I), "animal model", "mouse"),
    (re.compile(r"\brats?\b(?!\s+(?:\w+\s+)?(?:cells?|fibroblasts?|keratinocytes?|dermal papilla))", re.I),
     "animal model", "rat"),
    (re.compile(r"\b(patients|men|women|people|participants|volunteers|subjects|clinical (trial|study|use)|"
                r"humans|clients)\b", re.I), "clinical", "human"),
    (re.compile(r"\bhuman [a-z -]*cells\b|\bin vitro\b|\bcultured\b|\bcell culture\b", re.I),
     "cell culture", "human"),
)
# outcome phrases: (pattern, outcome for an animal claim, outcome for a claim about people)
OUTCOME_CUES: tuple[tuple[re.Pattern, str | None, str | None], ...] = (
    (re.compile(r"\bhair (re)?growth\b|\bgrow(s)? hair\b|\bregrow", re.I), "hair-cycle", "clinical"),
    (re.compile(r"\bnumber of (hair )?follicles\b|\bfollicle (number|count)s?\b|\bmore follicles\b", re.I),
     "follicle number", "follicle number"),
    (re.compile(r"\bhair (density|count)\b|\bthicker hair\b|\bfuller hair\b", re.I), "hair density", "hair density"),
    (re.compile(r"\banagen\b", re.I), "anagen induction", "anagen induction"),
)
# vocabulary outcome terms not tagged from free text (group names match too much)
UNTAGGED_OUTCOMES: frozenset[str] = frozenset({"cell-level", "follicle-level", "hair-cycle", "clinical",
                                               "other", "evidence synthesis", "delivery"})
# vocabulary names that mean something else in marketing text ("hair serum" is not blood serum)
UNTAGGED_NAMES: frozenset[str] = frozenset({"serum", "blood", "medium", "cream", "gel", "DP", "MAC", "ASC"})
HAIR_NAME_MIN = 4  # condition names shorter than this ("AA") do not put a text on hair by themselves
# cell-source terms that name no source (never tagged from text)
UNTAGGED_SOURCES: frozenset[str] = frozenset({"not stated", "mixed", "engineered"})

# words that refer back to the studies cited just before ("These studies provide evidence ...")
BACK_REFERENCE = re.compile(r"\b(these|such|both|the above|the two|those) (studies|findings|results|trials|papers)\b"
                            r"|\bthis (study|trial|paper|work)\b", re.I)
BACK_WINDOW = 6  # sentences to look back for the cited studies

# how a sentence names its source
PUBLISHED_IN = re.compile(r"\bpublished (?:in|by) (?:the )?(?P<journal>[A-Z][A-Za-z&,:'\- ]+?)\s+in\s+"
                          r"(?P<year>(?:19|20)\d{2})\b")
YEAR_STUDY_IN = re.compile(r"\b(?P<year>(?:19|20)\d{2}) (?:study|paper|trial|article) (?:in|published in) "
                           r"(?:the )?(?P<journal>[A-Z][A-Za-z&:'\- ]+?)(?=[,.;]| (?:showed|found|demonstrated|reported))")
_NAME = NAME_UPPER + NAME_LETTERS
AUTHOR_YEAR = (
    re.compile(rf"\((?P<author>{_NAME})(?: et al\.?| and {_NAME}| & {_NAME})?,? "
               r"(?P<year>(?:19|20)\d{2})[a-z]?\)"),
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
    need: str                              # what the evidence would need
    shows: str = "verdict"                 # approvals | adverse events | follow-up | verdict
    negatable: bool = False                # 'not approved' is no overreach
    sourced_when_cited: bool = False       # a cited sentence gives its source
    unless: re.Pattern | None = None       # another row covers sentences with this phrase


OVERREACH: tuple[Overreach, ...] = (
    Overreach("clinically proven", re.compile(r"\bclinically (proven|shown|tested|validated|demonstrated)\b", re.I),
              "proof in people needs moderate or high certainty human evidence"),
    Overreach("proven", re.compile(r"\b(scientifically )?(proven|proves)\b", re.I),
              "proof needs moderate or high certainty evidence of the claimed scope", negatable=True,
              unless=re.compile(r"clinically (proven|shown)", re.I)),
    Overreach("permanent", re.compile(r"\bpermanent(ly)?\b|\blifetime\b|\bforever\b", re.I),
              "a permanent effect needs long follow-up after treatment stops", shows="follow-up", negatable=True),
    Overreach("no side effects", re.compile(r"\bno (known )?(side[- ]effects?|risks?|adverse (events?|effects?))\b|"
                                            r"\brisk[- ]free\b|\bcompletely safe\b|\b100 ?% safe\b", re.I),
              "'no side effects' is contradicted by any adverse event on record", shows="adverse events"),
    Overreach("approved", re.compile(r"(?<!not )(?<!un)\b(fda[- ]approved|approved|fda[- ]cleared)\b", re.I),
              "an approval must exist in a regulator's record", shows="approvals", negatable=True),
    Overreach("regrows dead follicles", re.compile(r"\b(regrow\w*|revive\w*|reactivat\w*|bring\w* back)\b[^.]{0,30}"
                                                   r"\bdead (hair )?follicles?\b|\bdead follicles?\b[^.]{0,30}\b"
                                                   r"(regrow|revive|back to life)", re.I),
              "no study in the evidence base shows regrowth from destroyed follicles; studies measure resting or "
              "miniaturised follicles"),
    Overreach("cure", re.compile(r"\bcures?\b|\bcured\b|\bguarantee\w*\b", re.I),
              "no study reports a cure or a guaranteed result"),
    Overreach("everyone responds", re.compile(r"\b(all|every) (patients?|clients?|users?)\b|\beveryone\b|\b100 ?%", re.I),
              "a universal response needs every treated person to respond in a controlled study"),
    Overreach("marketing superlative", re.compile(r"\b(miracle|breakthrough|revolutionary|game[- ]changer)\b", re.I),
              "marketing language, not a finding"),
    Overreach("unsourced percentage", re.compile(r"\b\d{1,3}(?:\.\d+)? ?%|\b\d{1,3}(?:\.\d+)? percent\b", re.I),
              "a percentage needs a source that reports it", sourced_when_cited=True),
)


def rules_table() -> pd.DataFrame:
    """The audit rules as one table (rule, value, meaning) for the notebook."""
    rows = [("reference list heading", REFERENCE_HEADING.pattern, "a line that starts the reference list"),
            ("title match", f"token_sort_ratio ≥ {TITLE_MATCH}", "fuzzy title match to a study record"),
            ("status", "verified", "found (DOI, PMID or title) and journal, year, volume, pages, first "
                                   "author agree"),
            ("status", "metadata-mismatch", "found, but journal, year, volume, pages or authors differ "
                                            "(each difference listed)"),
            ("status", "off-topic", "the work is about something else (from its record or, when it is not "
                                    "in the evidence base, its title)"),
            ("status", "not-found", "neither in the evidence base nor judged off-topic from its title")]
    rows += [("journal abbreviation", ", ".join(abbr), full) for full, abbr in JOURNAL_ABBREVIATIONS.items()]
    rows += [("off-topic words", ", ".join(words), topic) for topic, words in OFF_TOPIC.items()]
    rows += [("claim kind", kind, pattern.pattern) for kind, pattern in CLAIM_KINDS]
    rows += [("overreach", o.name, o.need) for o in OVERREACH]
    return pd.DataFrame(rows, columns=["rule", "value", "meaning"])
