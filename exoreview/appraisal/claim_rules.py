"""Which sentences of a text are claims, and what a claim asserts beyond "it works": the rules as
data. :mod:`exoreview.appraisal.detect` and :mod:`exoreview.appraisal.scope` apply them; the
claims notebook and docs/rules.md print them.

A page is read as a whole: its topic (exosomes / EVs, secretome or conditioned medium, and hair)
carries to sentences that do not repeat it ("It delivers growth factors straight to the follicle.").
A sentence is a claim when it asserts something in a construction marketing uses, on a page about
the topic; questions, headings, navigation, disclaimers and hedged background stay out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

# curly apostrophes as straight ones (don’t is don't), one character for one: positions are kept
APOSTROPHES = str.maketrans("’‘`´", "''''")

# --- the topic of a document -------------------------------------------------------------------------
# words that put a sentence on vesicles (the vocabulary's vesicle terms are added)
VESICLE_WORDS: tuple[str, ...] = ("exosome", "exosomal", "exosomes", "extracellular vesicle", "vesicle",
                                  "secretome", "conditioned medi", "nanovesicle", "exo-", "exos ")
SECRETOME_WORDS: tuple[str, ...] = ("secretome", "conditioned medi", "growth factor serum", "stem cell serum")
TOPIC_LEAD = 3          # a topic named in the first sentences (title, lead) is the page's topic
TOPIC_MENTIONS = 2      # or named in at least this many sentences

# --- sentences that are not claims (checked first, in this order) ------------------------------------
NOT_CLAIMS: tuple[tuple[str, re.Pattern], ...] = (
    ("question", re.compile(r"\?\s*[\"”']?\s*$|^(i'?m|i am) (curious|wondering)\b|^(i wonder|does anyone|has anyone|"
                            r"anyone (know|tried|here))\b|\b(thoughts|experiences?) (on|about)\b[^.]*$", re.I)),
    ("navigation", re.compile(r"^(home|menu|contact( us)?|book( now| a (free )?consultation| online)?|"
                              r"call( us)?( now)?|log ?in|sign (in|up)|cart|checkout|shop( now)?|read more|"
                              r"learn more|privacy( policy)?|terms( (and|&) conditions| of (use|service))?|"
                              r"cookie( settings| policy)?s?|accept|back to top|next|previous|share|"
                              r"(all )?rights reserved|©.*|copyright.*|follow us.*|subscribe.*)[.!:]?$", re.I)),
    # what the text will cover ("In this article, let's look at what it is, how it works ...")
    ("navigation", re.compile(r"\b(in this (article|post|guide|blog|page|video)|let'?s (look at|explore|discuss|dive)|"
                              r"let us (look at|explore|discuss)|we('ll| will| shall) (look at|explore|discuss|explain|"
                              r"cover|answer)|explains? (what|how|why|who|whether)|(what|how) (it|exosome \w+) "
                              r"(is|works), (how|what|who))\b", re.I)),
    ("disclaimer", re.compile(r"\bresults (may|can|will) vary\b|\bindividual results\b|\bnot (intended|meant) to "
                              r"(diagnose|treat|replace)|\bnot (a substitute for|medical advice)\b|\bconsult(ing|ation)?"
                              r" (with )?(your|a|an|qualified)\b|\bhas not been evaluated by the\b|\bfor (informational|"
                              r"educational) purposes\b|\bspeak (to|with) (your|a) (doctor|physician|provider)\b|"
                              r"\bdisclaimer\b|\b(is|are) (right|appropriate|suitable) for you\b", re.I)),
    ("hedge", re.compile(r"\b(need|needs|needed|require[sd]?|warrant\w*|call for) (more|further|larger|additional|"
                         r"long-term|high-quality|well-designed|rigorous|controlled)\b[\w\s,-]{0,40}\b(research|studies|"
                         r"trials|data|evidence)\b|\b(more|further|larger|additional) (\w+ ){0,2}(research|studies|"
                         r"trials|evidence) (is|are) (still )?(needed|required)\b|\bstill (in (its|the) (early|infancy)|"
                         r"evolving|emerging|experimental|investigational|being (studied|researched))|\bremains? "
                         r"(unclear|unknown|unproven|to be (seen|determined|established))\b|\b(evidence|data|research)"
                         r" (is|are|remains?) (limited|preliminary|insufficient|scarce|lacking|sparse)\b|\bnot yet "
                         r"(been )?(proven|established|standardi[sz]ed)\b|\bno (long-term|large|controlled|"
                         r"high-quality) (studies|data|trials|evidence)\b|\b(lack|lacks|lacking|lack of|absence of|"
                         r"little|scant|limited) ([\w-]+ ){0,2}(evidence|data|studies|trials|research|standardi[sz]ation)"
                         r"\b|\b(don'?t|do not|does not|doesn'?t) (yet )?have ([\w-]+ ){0,3}(data|evidence|studies)\b|"
                         r"\bexpressed concerns?\b|\b(ongoing|future) (research|studies|trials)\b[^.]{0,40}\b(will|"
                         r"should|may|needed)\b", re.I)),
    ("practice statement", re.compile(r"\bwe (don'?t|do not|no longer|won'?t) (offer|provide|perform|recommend|sell|"
                                      r"use)\b", re.I)),
)
HEADING_MAX_WORDS = 10  # a line without a final full stop this short is a heading, not a claim
# a sentence that only describes how the treatment is given ("They are applied after microneedling.")
PROCEDURE = re.compile(r"\b(is|are|was|were|can be|will be|gets?) (usually |typically |often |then |first |"
                       r"commonly |generally )?(applied|injected|administered|delivered|performed|done|given|massaged|"
                       r"infused|used|combined|mixed|spread|placed)\b", re.I)
# a hedge does not cancel these specific claims made in the same sentence
HEDGE_KEEPS = frozenset({"approval", "no-harm", "superiority", "dose", "durability", "onset"})

# --- constructions that assert something ----------------------------------------------------------------
_V = r"(?:e|es|ed|ing|s)?"   # verb endings: 'promote', 'promotes', 'promoted', 'promoting' (not 'treatment')
ASSERTIONS: tuple[tuple[str, re.Pattern], ...] = (
    ("effect", re.compile(r"\b(?:(?:promot|increas|improv|regrow|re-grow|stimulat|enhanc|boost|restor|revers|reviv|"
                          r"rejuvenat|revitali[sz]|regenerat|repair|renew|thicken|strengthen|nourish|activat|awaken|"
                          r"reawaken|reactivat|accelerat|induc|trigger|prolong|extend|reduc|decreas|prevent|stop|halt|"
                          r"slow|fight|combat|cur|treat|heal|fix|densif|multipl|signal|deliver|transport|target|"
                          r"penetrat|reach|modulat|transfer|regulat|upregulat|downregulat|suppress|inhibit|protect|"
                          r"support|encourag|jump-?start|kick-?start|wake|work|help|grow|benefit|facilitat|amplif|"
                          r"foster|calm|soothe|reboot|reset|revolutioni[sz]|transform|tackl|maximi[sz]|spark|"
                          r"optimi[sz]|unlock|push|driv|carr(?:y|ie))" + _V +
                          r"|grew|regrew|brought|gave|led|saw|made|carried|acts? on|acted on|set(?:s)? off|benefits?|effective(?:ness)?|"
                          r"efficacy|"
                          r"miracul\w+|transformative|remarkable|impressive|tremendous|potent|powerful)\b", re.I)),
    ("offer", re.compile(r"\b(gives?|offers?|provides?|provided|brings?|results? in|leads? to|is (the )?(best|ideal|"
                         r"perfect|most|only|first|safest|latest|solution|answer|key|future|breakthrough|game[- ]changer|"
                         r"alternative|option|choice)|are (the )?(best|ideal|most|only|safest)|(is|are|has|have) "
                         r"(emerged|established) as|(is|are|has become|have become) (a |an )?(popular |promising |"
                         r"potential |powerful |effective |proven |novel |new |revolutionary |cutting-edge |natural |"
                         r"non-surgical |valuable |safe )+(therapeutic |regenerative )?(approach|treatment|therapy|option|"
                         r"solution|tool|way|addition|avenue)|holds? (great |real |huge )?(potential|promise)|"
                         r"(shown|showing|shows|showed|has|had) (a )?(\w+ )?(amount of )?(potential|promise|results))\b", re.I)),
    ("sufficiency", re.compile(r"\b(is|are) (enough|sufficient|adequate|all you need)\b|\bjust (one|a single|two|\d+) "
                               r"(session|treatment)s?\b|\bonly (need|needs|needed|require[sd]?) (one|a single|\d+|"
                               r"two|three)\b", re.I)),
    ("outcome seen", re.compile(r"\b(patients|clients|people|users|customers|men|women|everyone|most|many|"
                                r"participants|subjects)\b[^.]{0,40}\b(see|saw|seen|notice|noticed|experience|"
                                r"experienced|report|reported|reporting|achieve|achieved|enjoy|get|got|had|have)\b|"
                                r"\b(i|we|my|our)\b[^.]{0,30}\b(saw|noticed|grew|got|had|felt|love|loved|"
                                r"results?)\b", re.I)),
    ("safety", re.compile(r"\b(safe|safely|safer|safety|gentle|natural|non-?invasive|painless|no (known )?"
                          r"(side[- ]?effects?|risks?|downtime|complications?|adverse)|zero (side[- ]?effects?|"
                          r"risks?|downtime)|well[- ]tolerated|risk[- ]free|side[- ]effect[- ]free|"
                          r"complications?|biocompatib\w+)\b", re.I)),
    ("regulatory", re.compile(r"\b(approv\w*|cleared|clearance|authori[sz]\w*|licensed|registered|permitted|"
                              r"certified|regulated|regulations?|standards|compliant|banned|banning|bans?|"
                              r"prohibit\w*|warning letters?|CE[- ]marked)\b", re.I)),
    ("amount", re.compile(r"\b\d[\d.,]*\s*%|\b\d[\d.,]*\s*(percent|billion|million|trillion)\b|"
                          r"\b\d+(\.\d+)?\s*[x×]\s*10", re.I)),
    # weak: they make a claim only beside one of the above
    ("time", re.compile(r"\b(within|after|in|by|for|up to|over|lasts?|lasting)\s+(just |only |about |around |"
                        r"as (little|few) as )?(\d+|a|one|two|three|four|five|six|eight|twelve|few|several)"
                        r"(-| )?(day|week|month|year|session|treatment)s?\b|\bpermanent\w*|\blong[- ]lasting\b|"
                        r"\blifetime\b|\bforever\b|\bimmediate\w*\b|\binstant\w*\b", re.I)),
    ("evidence", re.compile(r"\b(ha(s|ve) been|(is|are|was|were)) (shown|proven|demonstrated|documented|"
                            r"confirmed|found)\b|\b(studies|research|trials?|science|data|evidence) (show|shows|showed|"
                            r"prove|proves|proved|confirm|demonstrate|suggest|indicate|support)s?\b|\bclinically\b|"
                            r"\bscientifically\b|\bpublished\b|\baccording to\b", re.I)),
    ("ability", re.compile(r"\b(can|will|may|could|able to|capable of|designed to|allows?|enables?)\b", re.I)),
)
WEAK_ASSERTIONS: frozenset[str] = frozenset({"time", "evidence", "ability"})
# background that asserts nothing about the treatment (history, plans of the text, research activity),
# unless an effect is asserted too
BACKGROUND = re.compile(r"\b(first (discovered|described|identified|isolated)|we (will|shall|'ll) (explore|discuss|"
                        r"review|look at|cover)|this (article|post|page|guide|blog|review) (will |we )?(explores?|"
                        r"discuss\w*|covers?|describes?|looks? at)|(have|has) (been )?(investigated|explored|"
                        r"examined|studied)|(is|are) (a )?(relatively )?new (area|field|topic)|gained (significant |"
                        r"much )?attention|(anagen|telogen|catagen|growth|resting|hair) (phase|cycle)s? (typically |"
                        r"normally |usually )?(lasts?|takes?)|(lifespan|length|duration) of the (anagen|telogen|"
                        r"catagen|growth|resting) phase)\b", re.I)
# words that negate the assertion after them ("not approved", "aren't a magic cure", "no FDA-approved")
NEGATION = re.compile(r"\b(not|never|nor|no|none|neither|no longer|yet to be|don'?t|doesn'?t|didn'?t|aren'?t|"
                      r"isn'?t|wasn'?t|weren'?t|won'?t|hasn'?t|haven'?t|hadn'?t|cannot|can'?t|without)\b[\w\s,'’-]{0,24}$"
                      r"|\b(not|no|never)\b[^.;:]{0,40}\b(or|nor)\b[\w\s'’-]{0,24}$", re.I)   # 'not A-approved or B-approved'

# --- what a claim asserts beyond "it works" -------------------------------------------------------------
_N = r"(?:\d+(?:\.\d+)?|a|an|one|two|three|four|five|six|seven|eight|nine|ten|twelve|few|several)"
_RANGE = _N + r"(?:\s*(?:-|–|to)\s*" + _N + r")?"
_COUNT = (r"(?:\d+|an?|single|one|two|three|four|five|six|seven|eight|nine|ten|twelve)(?:\s*(?:-|–|to)\s*(?:\d+|two|three|"
          r"four|five|six|eight|ten|twelve))?(?!\.\d)")   # whole numbers of sessions ('2.4 ± 0.7 sessions' is a mean)
_ORDINAL = r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|twelfth)"
# what kind of claim a sentence makes (first match wins; default: benefit)
CLAIM_KINDS: tuple[tuple[str, re.Pattern], ...] = (
    ("approval", re.compile(r"(?<!not )(?<!un)\b(fda[- ]approved|approved|fda[- ]cleared|cleared by|cleared for|"
                            r"authori[sz]ed|licensed|permitted|regulatory (approval|clearance))\b", re.I)),
    ("no-harm", re.compile(r"\bno (known |reported |serious )?(side[- ]?effects?|risks?|adverse (events?|effects?|"
                           r"reactions?)|complications?|downtime and no side)|\bzero (side[- ]?effects?|risks?|"
                           r"complications?)|\bcompletely safe|\brisk[- ]free|\bside[- ]effect[- ]free|\b100 ?% "
                           r"(safe|natural and safe)|\bwithout (any )?(side[- ]?effects?|risks?|complications?)|\bnever "
                           r"(been )?(reported|caused|had) (any )?(side|complication|adverse)|\b(removes?|eliminates?|"
                           r"no) (any |all )?(\w+ )?risk of\b|\bno (\w+ ){0,2}(complications?|side[- ]?effects?) "
                           r"(\w+ ){0,3}reported", re.I)),
    ("superiority", re.compile(r"\b(better|more effective|superior|outperform\w*|beats?|stronger|faster|quicker|"
                               r"more (robust|natural|lasting|durable|powerful|potent|advanced|effective|efficient)|"
                               r"most (effective|natural|advanced|powerful|promising|likely|potent)|(the )?best\b|"
                               r"greatest|advantages? (of [^.]{0,60}\b)?over|over (other|traditional|conventional)|"
                               r"compared (to|with)|"
                               r"(?<!more )(?<!less )(?<!rather )than(?! \d)|unlike|instead of|alternative to|"
                               r"replac\w+ (all|other|the need)|amplif\w+|comparable)\b", re.I)),
    ("dose", re.compile(r"\b\d[\d.,]*\s*(billion|million|trillion)\b|\b\d+(\.\d+)?\s*[x×]\s*10\^?\s*\d+|"
                        r"\b(only|just|a single|up to|at least)?\s*(?<![\d.±] )(?<![\d.±])" + _COUNT + r"\s+(treatment |"
                        r"injection )?(sessions?|treatments?|injections?)\b(?! (?:apart|later|after))|\b(number of "
                        r"(treatments|sessions)|concentration of)\b", re.I)),
    ("durability", re.compile(r"\b(permanent(ly)?|long[- ]lasting|lifetime|forever|(last|continu|maintain|persist|"
                              r"promot|sustain)\w* (for |over )?(the course of )?(up to |at least |over |about )?"
                              + _RANGE + r"(\s*(±|\+/-)\s*[\d.]+)? (year|month)s?)\b", re.I)),
    ("onset", re.compile(r"\b(within|after|in|by|around|from)\s+(just |only |about |around |roughly |as (little|few) "
                         r"as )?" + _RANGE + r"\s*(-| )?(day|week|month)s?\b|\b" + _RANGE + r"\s*(day|week|"
                         r"month)s? (after|from|following)\b|\b(the )?" + _ORDINAL + r" (week|month)\b|\b(immediate|"
                         r"instant|rapid|fast|quick)\w*\s+(results?|regrowth|growth|onset|improvement)", re.I)),
    ("safety", re.compile(r"\b(safe|safely|safer|safety|well[- ]tolerated|gentle|non-?invasive|biocompatib\w+|"
                          r"(minimal|low|little) risk)\b", re.I)),
)
# a sentence that matches no kind above but names how it works (MECHANISMS) is a mechanism claim,
# unless it also names a clinical measure: then it is a benefit claim on that measure
CLINICAL_MEASURES = re.compile(r"\b(density|thick(er|ness|en\w*)|hair counts?|shedding|fuller|volume|coverage|"
                               r"bald (spots?|patches))\b", re.I)
# how it works: (mechanism, pattern, the vocabulary outcome a study measures it by, or None when no
# outcome of the vocabulary records it, so that no study can have shown it)
MECHANISMS: tuple[tuple[str, re.Pattern, str | None], ...] = (
    ("hair cycle", re.compile(r"\b(anagen|anlagen|telogen(?! effluvium)|telegen\w*|catagen|(growth|hair|hair growth|follicle) "
                              r"(cycle|phase)|(resting|active|growth) (phase|mode)|dormant)\b", re.I), "anagen induction"),
    ("follicle stem cells", re.compile(r"\b((hair )?follicle stem cells?|HFSCs?|stem cell (niche|activation))\b", re.I),
     "stem cell activation"),
    ("follicle cells", re.compile(r"\b(dermal papilla|papilla cells?|DPCs?|hair matrix|outer root sheath|(follicle|"
                                  r"follicular|hair|skin|recipient|target) cells|cellular level|cell (proliferation|"
                                  r"growth|survival)|proliferat\w*)\b", re.I), "cell proliferation"),
    ("signalling", re.compile(r"\b(signal\w*|pathways?|wnt|β-catenin|beta-cat\w+|gene expression|mRNA|microRNAs?|"
                              r"miRNAs?|messages?|messengers?|instruct\w*|communicat\w*|cargo|repair signals)\b", re.I),
     "signalling markers"),
    ("growth factors", re.compile(r"\b(growth factors?|VEGF|IGF-?1?|FGF|cytokines?)\b", re.I), "growth factor expression"),
    ("blood supply", re.compile(r"\b(angiogen\w*|blood (flow|supply|vessels?|vessel formation|circulation)|"
                                r"circulation|vasculari[sz]\w*|micro-?circulation)\b", re.I), "skin and vasculature"),
    ("collagen and skin", re.compile(r"\b(collagen|elastin|dermal thickness|skin thickness)\b", re.I),
     "skin and vasculature"),
    ("inflammation and immunity", re.compile(r"\b(inflammat\w*|anti-inflammatory|immun\w*|oxidative stress)\b",
                                             re.I), "signalling markers"),
    ("apoptosis", re.compile(r"\b(apoptosis|cell death)\b", re.I), "apoptosis"),
    ("pigment cells", re.compile(r"\b(melanocytes?|melanin|pigment production)\b", re.I), None),
    ("penetration and distribution", re.compile(r"\b(penetrat\w*|bloodstream|across barriers|barriers?|"
                                                r"absor\w*|biodistribution)\b", re.I), None),
    ("cell ageing", re.compile(r"\b(cell(ular)? ag(e)?ing|senescen\w*|aging can be reversed)\b", re.I), None),
    ("regrowth from dead follicles", re.compile(r"\bdead (hair )?follicles?\b|\bfollicles?\b[^.]{0,50}\b(dead|"
                                                r"destroyed)\b|\bdestroyed (hair )?follicles?\b", re.I), None),
    ("new follicles", re.compile(r"\b(new (hair )?follicles|follicle (neogenesis|formation)|neogenesis)\b", re.I),
     "follicle number"),
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
    ("other vesicle sources", re.compile(r"\b(over|than|versus|vs\.?|compared (to|with)) (\w+ ){0,2}(exosomes|vesicles|"
                                         r"EVs|secretomes?)\b", re.I)),
    ("the treatments alone", re.compile(r"\b(combination|combined|combining|together|in addition to|add-on|alone)\b",
                                        re.I)),
    ("other treatments", re.compile(r"\b(other|traditional|conventional|standard|existing|current|older|all)\b "
                                    r"(\w+ ){0,2}(treatments?|therapies|options|methods|medicine|solutions|"
                                    r"alternatives)\b", re.I)),
)
# a comparison that names none of the above ('the most natural treatment', 'penetrate better')
UNNAMED_COMPARATOR = "other treatments"
# comparators that are not a treatment of their own (never the subject of a sentence)
GENERIC_COMPARATORS = frozenset({"other vesicle sources", "the treatments alone", "other treatments"})
# words just before a treatment's name that make it what a superiority claim compares with
COMPARED_WITH = re.compile(r"\b(than|over|versus|vs\.?|compared (to|with)|unlike|instead of|alternative to|"
                           r"replac\w*|outperform\w*|beats?)\b[^.,;]{0,25}$", re.I)
# words before a treatment's name that make it a comparator or a co-intervention, not the subject
COMPARED_BEFORE = re.compile(r"\b(than|to|over|versus|vs\.?|compared|comparison|alternative|instead|unlike|like|with|"
                             r"combined|combination|plus|and|or|after|before|no need for|without|replace\w*)\b",
                             re.I)
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
REGULATOR_STANDARDS = re.compile(r"\b(according to|under|meets?|meeting|follow\w*|compl\w+ with|adher\w+ to|"
                                 r"processed to) (the )?(\w+ ){0,2}(standards?|regulations?|guidelines?|requirements?)\b",
                                 re.I)
# a regulator's restriction or enforcement (a ban, a warning letter): it needs that action's record
RESTRICTION = re.compile(r"\b(bann(ed|ing)|bans?|prohibit\w*|warning letters?|crack(ed|ing)? down|seiz\w*|recall\w*)\b",
                         re.I)
# a facility's registration, which says nothing about a product's approval
REGISTERED_FACILITY = re.compile(r"\b(registered|certified|inspected|GMP|cGMP)\b[^.]{0,30}\b(facility|facilities|"
                                 r"lab|laboratory|laboratories|manufactur\w*|plant)\b|\b(facility|lab|laboratory)\b"
                                 r"[^.]{0,20}\b(registered|certified)\b", re.I)
NUMBER_WORDS: Mapping[str, float] = {"a": 1, "an": 1, "one": 1, "single": 1, "two": 2, "three": 3, "four": 4,
                                     "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
                                     "twelve": 12, "few": 3, "several": 4, "first": 1, "second": 2, "third": 3,
                                     "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9,
                                     "tenth": 10, "twelfth": 12}
# a duration: '6 weeks', 'two to three months', '6–8 weeks' (the lower bound is read), 'the fourth month'
DURATION = re.compile(r"\b(?P<n>\d+(\.\d+)?|an?|one|two|three|four|five|six|seven|eight|nine|ten|twelve|few|several|"
                      + _ORDINAL + r")(\s*(-|–|to)\s*(\d+(\.\d+)?|two|three|four|five|six|eight|ten|twelve))?"
                      r"(\s*(±|\+/-)\s*\d+(\.\d+)?)?\s*(-| )?(?P<unit>day|week|month|year)s?\b", re.I)
# a number of sessions ('one treatment', 'four treatment sessions', 'up to five treatments')
SESSIONS = re.compile(r"(?<![\d.±] )(?<![\d.±])\b(?P<n>\d+|an?|one|single|two|three|four|five|six|seven|eight|nine|ten|twelve)(?!\.\d)"
                      r"(\s*(-|–|to)\s*\d+)?\s+(treatment |injection )?(?P<unit>session|treatment|injection)s?\b",
                      re.I)
WEEKS_PER: Mapping[str, float] = {"day": 1 / 7, "week": 1.0, "month": 4.33, "year": 52.0}
PERMANENT_WEEKS = 104  # "permanent" is read as at least two years
PARTICLES = re.compile(r"(?P<n>\d[\d.,]*)\s*(?P<scale>billion|million|trillion)\b|(?P<m>\d+(\.\d+)?)\s*[x×]\s*10"
                       r"\^?\s*(?P<e>\d+)", re.I)
SCALE: Mapping[str, float] = {"million": 1e6, "billion": 1e9, "trillion": 1e12}
# populations a claim may name (vocabulary condition terms do most of this; these add the plain words)
POPULATIONS: tuple[tuple[str, re.Pattern], ...] = (
    ("FPHL", re.compile(r"\bwomen\b|\bfemale\b|\bwoman\b|\bpostpartum\b|\bmenopaus", re.I)),
    ("MPHL", re.compile(r"\bmen\b(?! and women)|\bmale pattern\b", re.I)),
    ("alopecia areata", re.compile(r"alopecia areata|patchy hair loss|bald patches", re.I)),
    ("chemotherapy-induced alopecia", re.compile(r"chemo\w*", re.I)),
    ("telogen effluvium", re.compile(r"telogen effluvium|stress[- ]related (hair loss|shedding)|after covid|"
                                     r"shedding after", re.I)),
    ("hair graying", re.compile(r"gr[ae]y(ing|s)?\b|white hairs?|canities|hair colou?r|repigment\w*", re.I)),
)
# testimonials: a person's own experience, not evidence
TESTIMONIAL = re.compile(r"^[\"“']|\b(i|my|me)\b[^.]{0,40}\b(hair|results?|scalp)\b|\b(review|testimonial)s?\b",
                         re.I)
