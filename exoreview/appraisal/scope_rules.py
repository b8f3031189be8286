"""What a claim asserts beyond "it works", as data: its kind (approval, no-harm, superiority, dose,
durability, onset, safety, mechanism), the comparator, regulator, durations, doses and populations
it names. :mod:`exoreview.appraisal.scope` applies them; docs/rules.md prints them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

# --- what a claim asserts beyond "it works" -------------------------------------------------------------
_N = r"(?:\d+(?:\.\d+)?|a|an|one|two|three|four|five|six|seven|eight|nine|ten|twelve|few|several)"
_RANGE = _N + r"(?:\s*(?:-|–|to)\s*" + _N + r")?"
_COUNT = (
    r"(?:\d+|an?|single|one|two|three|four|five|six|seven|eight|nine|ten|twelve)(?:\s*(?:-|–|to)\s*(?:\d+|two|three|"
    r"four|five|six|eight|ten|twelve))?(?!\.\d)"
)  # whole numbers of sessions ('2.4 ± 0.7 sessions' is a mean)
_ORDINAL = r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|twelfth)"
# what kind of claim a sentence makes (first match wins; default: benefit)
CLAIM_KINDS: tuple[tuple[str, re.Pattern], ...] = (
    (
        "approval",
        re.compile(
            r"(?<!not )(?<!un)\b(fda[- ]approved|approved|fda[- ]cleared|cleared by|cleared for|"
            r"authori[sz]ed|licensed|permitted|regulatory (approval|clearance))\b",
            re.I,
        ),
    ),
    (
        "no-harm",
        re.compile(
            r"\bno (known |reported |serious )?(side[- ]?effects?|risks?|adverse (events?|effects?|"
            r"reactions?)|complications?|downtime and no side)|\bzero (side[- ]?effects?|risks?|"
            r"complications?)|\bcompletely safe|\brisk[- ]free|\bside[- ]effect[- ]free|\b100 ?% "
            r"(safe|natural and safe)|\bwithout (any )?(side[- ]?effects?|risks?|complications?)|\bnever "
            r"(been )?(reported|caused|had) (any )?(side|complication|adverse)|\b(removes?|eliminates?|"
            r"no) (any |all )?(\w+ )?risk of\b|\bno (\w+ ){0,2}(complications?|side[- ]?effects?) "
            r"(\w+ ){0,3}reported",
            re.I,
        ),
    ),
    (
        "superiority",
        re.compile(
            r"\b(better|more effective|superior|outperform\w*|beats?|stronger|faster|quicker|"
            r"more (robust|natural|lasting|durable|powerful|potent|advanced|effective|efficient)|"
            r"most (effective|natural|advanced|powerful|promising|likely|potent)|(the )?best\b|"
            r"greatest|advantages? (of [^.]{0,60}\b)?over|over (other|traditional|conventional)|"
            r"compared (to|with)|"
            r"(?<!more )(?<!less )(?<!rather )than(?! \d)|unlike|instead of|alternative to|"
            r"replac\w+ (all|other|the need)|amplif\w+|comparable)\b",
            re.I,
        ),
    ),
    (
        "dose",
        re.compile(
            r"\b\d[\d.,]*\s*(billion|million|trillion)\b|\b\d+(\.\d+)?\s*[x×]\s*10\^?\s*\d+|"
            r"\b(only|just|a single|up to|at least)?\s*(?<![\d.±] )(?<![\d.±])" + _COUNT + r"\s+(treatment |"
            r"injection )?(sessions?|treatments?|injections?)\b(?! (?:apart|later|after))|\b(number of "
            r"(treatments|sessions)|concentration of)\b",
            re.I,
        ),
    ),
    (
        "durability",
        re.compile(
            r"\b(permanent(ly)?|long[- ]lasting|lifetime|forever|(last|continu|maintain|persist|"
            r"promot|sustain)\w* (for |over )?(the course of )?(up to |at least |over |about )?"
            + _RANGE
            + r"(\s*(±|\+/-)\s*[\d.]+)? (year|month)s?)\b",
            re.I,
        ),
    ),
    (
        "onset",
        re.compile(
            r"\b(within|after|in|by|around|from)\s+(just |only |about |around |roughly |as (little|few) "
            r"as )?" + _RANGE + r"\s*(-| )?(day|week|month)s?\b|\b" + _RANGE + r"\s*(day|week|"
            r"month)s? (after|from|following)\b|\b(the )?" + _ORDINAL + r" (week|month)\b|\b(immediate|"
            r"instant|rapid|fast|quick)\w*\s+(results?|regrowth|growth|onset|improvement)",
            re.I,
        ),
    ),
    (
        "safety",
        re.compile(
            r"\b(safe|safely|safer|safety|well[- ]tolerated|gentle|non-?invasive|biocompatib\w+|"
            r"(minimal|low|little) risk)\b",
            re.I,
        ),
    ),
)
# a sentence that matches no kind above but names how it works (MECHANISMS) is a mechanism claim,
# unless it also names a clinical measure: then it is a benefit claim on that measure
CLINICAL_MEASURES = re.compile(
    r"\b(density|thick(er|ness|en\w*)|hair counts?|shedding|fuller|volume|coverage|"
    r"bald (spots?|patches))\b",
    re.I,
)
# how it works: (mechanism, pattern, the vocabulary outcome a study measures it by, or None when no
# outcome of the vocabulary records it, so that no study can have shown it)
MECHANISMS: tuple[tuple[str, re.Pattern, str | None], ...] = (
    (
        "hair cycle",
        re.compile(
            r"\b(anagen|anlagen|telogen(?! effluvium)|telegen\w*|catagen|(growth|hair|hair growth|follicle) "
            r"(cycle|phase)|(resting|active|growth) (phase|mode)|dormant)\b",
            re.I,
        ),
        "anagen induction",
    ),
    (
        "follicle stem cells",
        re.compile(r"\b((hair )?follicle stem cells?|HFSCs?|stem cell (niche|activation))\b", re.I),
        "stem cell activation",
    ),
    (
        "follicle cells",
        re.compile(
            r"\b(dermal papilla|papilla cells?|DPCs?|hair matrix|outer root sheath|(follicle|"
            r"follicular|hair|skin|recipient|target) cells|cellular level|cell (proliferation|"
            r"growth|survival)|proliferat\w*)\b",
            re.I,
        ),
        "cell proliferation",
    ),
    (
        "signalling",
        re.compile(
            r"\b(signal\w*|pathways?|wnt|β-catenin|beta-cat\w+|gene expression|mRNA|microRNAs?|"
            r"miRNAs?|messages?|messengers?|instruct\w*|communicat\w*|cargo|repair signals)\b",
            re.I,
        ),
        "signalling markers",
    ),
    (
        "growth factors",
        re.compile(r"\b(growth factors?|VEGF|IGF-?1?|FGF|cytokines?)\b", re.I),
        "growth factor expression",
    ),
    (
        "blood supply",
        re.compile(
            r"\b(angiogen\w*|blood (flow|supply|vessels?|vessel formation|circulation)|"
            r"circulation|vasculari[sz]\w*|micro-?circulation)\b",
            re.I,
        ),
        "skin and vasculature",
    ),
    (
        "collagen and skin",
        re.compile(r"\b(collagen|elastin|dermal thickness|skin thickness)\b", re.I),
        "skin and vasculature",
    ),
    (
        "inflammation and immunity",
        re.compile(r"\b(inflammat\w*|anti-inflammatory|immun\w*|oxidative stress)\b", re.I),
        "signalling markers",
    ),
    ("apoptosis", re.compile(r"\b(apoptosis|cell death)\b", re.I), "apoptosis"),
    ("pigment cells", re.compile(r"\b(melanocytes?|melanin|pigment production)\b", re.I), None),
    (
        "penetration and distribution",
        re.compile(
            r"\b(penetrat\w*|bloodstream|across barriers|barriers?|"
            r"absor\w*|biodistribution)\b",
            re.I,
        ),
        None,
    ),
    ("cell ageing", re.compile(r"\b(cell(ular)? ag(e)?ing|senescen\w*|aging can be reversed)\b", re.I), None),
    (
        "regrowth from dead follicles",
        re.compile(
            r"\bdead (hair )?follicles?\b|\bfollicles?\b[^.]{0,50}\b(dead|"
            r"destroyed)\b|\bdestroyed (hair )?follicles?\b",
            re.I,
        ),
        None,
    ),
    (
        "new follicles",
        re.compile(r"\b(new (hair )?follicles|follicle (neogenesis|formation)|neogenesis)\b", re.I),
        "follicle number",
    ),
)
# comparators a superiority claim names (name → pattern); anything else is "another treatment"
COMPARATORS: tuple[tuple[str, re.Pattern], ...] = (
    ("PRP", re.compile(r"\bPRP\b|platelet[- ]rich plasma", re.I)),
    ("hair transplant", re.compile(r"transplant\w*|\bFUE\b|\bFUT\b|grafting", re.I)),
    ("minoxidil", re.compile(r"minoxidil|rogaine", re.I)),
    ("finasteride", re.compile(r"finasteride|propecia|dutasteride", re.I)),
    ("microneedling", re.compile(r"micro-?needling( alone)?", re.I)),
    ("laser", re.compile(r"\blaser\b|LLLT|red light", re.I)),
    ("stem cells", re.compile(r"stem cell (therapy|treatment|injections?)", re.I)),
    ("medication", re.compile(r"\bmedications?\b|\bdrugs?\b|\bpills?\b|\bhormones?\b", re.I)),
    (
        "other vesicle sources",
        re.compile(
            r"\b(over|than|versus|vs\.?|compared (to|with)) (\w+ ){0,2}(exosomes|vesicles|"
            r"EVs|secretomes?)\b",
            re.I,
        ),
    ),
    (
        "the treatments alone",
        re.compile(r"\b(combination|combined|combining|together|in addition to|add-on|alone)\b", re.I),
    ),
    (
        "other treatments",
        re.compile(
            r"\b(other|traditional|conventional|standard|existing|current|older|all)\b "
            r"(\w+ ){0,2}(treatments?|therapies|options|methods|medicine|solutions|"
            r"alternatives)\b",
            re.I,
        ),
    ),
)
# a comparison that names none of the above ('the most natural treatment', 'penetrate better')
UNNAMED_COMPARATOR = "other treatments"
# comparators that are not a treatment of their own (never the subject of a sentence)
GENERIC_COMPARATORS = frozenset({"other vesicle sources", "the treatments alone", "other treatments"})
# words just before a treatment's name that make it what a superiority claim compares with
COMPARED_WITH = re.compile(
    r"\b(than|over|versus|vs\.?|compared (to|with)|unlike|instead of|alternative to|"
    r"replac\w*|outperform\w*|beats?)\b[^.,;]{0,25}$",
    re.I,
)
# words before a treatment's name that make it a comparator or a co-intervention, not the subject
COMPARED_BEFORE = re.compile(
    r"\b(than|to|over|versus|vs\.?|compared|comparison|alternative|instead|unlike|like|with|"
    r"combined|combination|plus|and|or|after|before|no need for|without|replace\w*)\b",
    re.I,
)
# regulators a claim may name (name → pattern over the sentence; the same pattern finds its records)
REGULATORS: tuple[tuple[str, re.Pattern], ...] = (
    ("FDA", re.compile(r"\bFDA\b|U\.?S\.? Food and Drug|Food and Drug Administration", re.I)),
    ("Health Canada", re.compile(r"Health Canada", re.I)),
    ("TGA", re.compile(r"\bTGA\b|Therapeutic Goods Administration", re.I)),
    ("EMA", re.compile(r"\bEMA\b|European Medicines Agency|\bCE[- ]mark", re.I)),
    ("MFDS", re.compile(r"\bMFDS\b|\bKFDA\b|Ministry of Food and Drug Safety|Korea\w* FDA", re.I)),
    ("PMDA / MHLW", re.compile(r"\bPMDA\b|\bMHLW\b|Ministry of Health, Labour", re.I)),
    ("NMPA", re.compile(r"\bNMPA\b|\bCFDA\b|National Medical Products Administration", re.I)),
)
# following a named regulator's standards or rules is a claim about regulatory status (approval)
REGULATOR_STANDARDS = re.compile(
    r"\b(according to|under|meets?|meeting|follow\w*|compl\w+ with|adher\w+ to|"
    r"processed to) (the )?(\w+ ){0,2}(standards?|regulations?|guidelines?|requirements?)\b",
    re.I,
)
# a regulator's restriction or enforcement (a ban, a warning letter): it needs that action's record
RESTRICTION = re.compile(
    r"\b(bann(ed|ing)|bans?|prohibit\w*|warning letters?|crack(ed|ing)? down|seiz\w*|recall\w*)\b", re.I
)
# a facility's registration, which says nothing about a product's approval
REGISTERED_FACILITY = re.compile(
    r"\b(registered|certified|inspected|GMP|cGMP)\b[^.]{0,30}\b(facility|facilities|"
    r"lab|laboratory|laboratories|manufactur\w*|plant)\b|\b(facility|lab|laboratory)\b"
    r"[^.]{0,20}\b(registered|certified)\b",
    re.I,
)
NUMBER_WORDS: Mapping[str, float] = {
    "a": 1,
    "an": 1,
    "one": 1,
    "single": 1,
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
    "few": 3,
    "several": 4,
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "twelfth": 12,
}
# a duration: '6 weeks', 'two to three months', '6–8 weeks' (the lower bound is read), 'the fourth month'
DURATION = re.compile(
    r"\b(?P<n>\d+(\.\d+)?|an?|one|two|three|four|five|six|seven|eight|nine|ten|twelve|few|several|"
    + _ORDINAL
    + r")(\s*(-|–|to)\s*(\d+(\.\d+)?|two|three|four|five|six|eight|ten|twelve))?"
    r"(\s*(±|\+/-)\s*\d+(\.\d+)?)?\s*(-| )?(?P<unit>day|week|month|year)s?\b",
    re.I,
)
# a number of sessions ('one treatment', 'four treatment sessions', 'up to five treatments')
SESSIONS = re.compile(
    r"(?<![\d.±] )(?<![\d.±])\b(?P<n>\d+|an?|one|single|two|three|four|five|six|seven|eight|nine|ten|twelve)(?!\.\d)"
    r"(\s*(-|–|to)\s*\d+)?\s+(treatment |injection )?(?P<unit>session|treatment|injection)s?\b",
    re.I,
)
WEEKS_PER: Mapping[str, float] = {"day": 1 / 7, "week": 1.0, "month": 4.33, "year": 52.0}
PERMANENT_WEEKS = 104  # "permanent" is read as at least two years
PARTICLES = re.compile(
    r"(?P<n>\d[\d.,]*)\s*(?P<scale>billion|million|trillion)\b|(?P<m>\d+(\.\d+)?)\s*[x×]\s*10"
    r"\^?\s*(?P<e>\d+)",
    re.I,
)
SCALE: Mapping[str, float] = {"million": 1e6, "billion": 1e9, "trillion": 1e12}
# populations a claim may name (vocabulary condition terms do most of this; these add the plain words)
POPULATIONS: tuple[tuple[str, re.Pattern], ...] = (
    ("FPHL", re.compile(r"\bwomen\b|\bfemale\b|\bwoman\b|\bpostpartum\b|\bmenopaus", re.I)),
    ("MPHL", re.compile(r"\bmen\b(?! and women)|\bmale pattern\b", re.I)),
    ("alopecia areata", re.compile(r"alopecia areata|patchy hair loss|bald patches", re.I)),
    ("chemotherapy-induced alopecia", re.compile(r"chemo\w*", re.I)),
    (
        "telogen effluvium",
        re.compile(
            r"telogen effluvium|stress[- ]related (hair loss|shedding)|after covid|"
            r"shedding after",
            re.I,
        ),
    ),
    ("hair graying", re.compile(r"gr[ae]y(ing|s)?\b|white hairs?|canities|hair colou?r|repigment\w*", re.I)),
)
