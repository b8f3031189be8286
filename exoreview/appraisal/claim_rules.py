"""Which sentences of a text are claims: the rules as data. :mod:`exoreview.appraisal.detect`
applies them; what a claim asserts beyond "it works" is :mod:`.scope_rules`. The claims notebook
and docs/rules.md print both.

A page is read as a whole: its topic (exosomes / EVs, secretome or conditioned medium, and hair)
carries to sentences that do not repeat it ("It delivers growth factors straight to the follicle.").
A sentence is a claim when it asserts something in a construction marketing uses, on a page about
the topic; questions, headings, navigation, disclaimers and hedged background stay out.
"""

from __future__ import annotations

import re

# curly apostrophes as straight ones (don’t is don't), one character for one: positions are kept
APOSTROPHES = str.maketrans("’‘`´", "''''")

# --- the topic of a document -------------------------------------------------------------------------
# words that put a sentence on vesicles (the vocabulary's vesicle terms are added)
VESICLE_WORDS: tuple[str, ...] = (
    "exosome",
    "exosomal",
    "exosomes",
    "extracellular vesicle",
    "vesicle",
    "secretome",
    "conditioned medi",
    "nanovesicle",
    "exo-",
    "exos ",
)
SECRETOME_WORDS: tuple[str, ...] = ("secretome", "conditioned medi", "growth factor serum", "stem cell serum")
TOPIC_LEAD = 3  # a topic named in the first sentences (title, lead) is the page's topic
TOPIC_MENTIONS = 2  # or named in at least this many sentences

# --- sentences that are not claims (checked first, in this order) ------------------------------------
NOT_CLAIMS: tuple[tuple[str, re.Pattern], ...] = (
    (
        "question",
        re.compile(
            r"\?\s*[\"”']?\s*$|^(i'?m|i am) (curious|wondering)\b|^(i wonder|does anyone|has anyone|"
            r"anyone (know|tried|here))\b|\b(thoughts|experiences?) (on|about)\b[^.]*$",
            re.I,
        ),
    ),
    (
        "navigation",
        re.compile(
            r"^(home|menu|contact( us)?|book( now| a (free )?consultation| online)?|"
            r"call( us)?( now)?|log ?in|sign (in|up)|cart|checkout|shop( now)?|read more|"
            r"learn more|privacy( policy)?|terms( (and|&) conditions| of (use|service))?|"
            r"cookie( settings| policy)?s?|accept|back to top|next|previous|share|"
            r"(all )?rights reserved|©.*|copyright.*|follow us.*|subscribe.*)[.!:]?$",
            re.I,
        ),
    ),
    # what the text will cover ("In this article, let's look at what it is, how it works ...")
    (
        "navigation",
        re.compile(
            r"\b(in this (article|post|guide|blog|page|video)|let'?s (look at|explore|discuss|dive)|"
            r"let us (look at|explore|discuss)|we('ll| will| shall) (look at|explore|discuss|explain|"
            r"cover|answer)|explains? (what|how|why|who|whether)|(what|how) (it|exosome \w+) "
            r"(is|works), (how|what|who))\b",
            re.I,
        ),
    ),
    (
        "disclaimer",
        re.compile(
            r"\bresults (may|can|will) vary\b|\bindividual results\b|\bnot (intended|meant) to "
            r"(diagnose|treat|replace)|\bnot (a substitute for|medical advice)\b|\bconsult(ing|ation)?"
            r" (with )?(your|a|an|qualified)\b|\bhas not been evaluated by the\b|\bfor (informational|"
            r"educational) purposes\b|\bspeak (to|with) (your|a) (doctor|physician|provider)\b|"
            r"\bdisclaimer\b|\b(is|are) (right|appropriate|suitable) for you\b",
            re.I,
        ),
    ),
    (
        "hedge",
        re.compile(
            r"\b(need|needs|needed|require[sd]?|warrant\w*|call for) (more|further|larger|additional|"
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
            r"should|may|needed)\b",
            re.I,
        ),
    ),
    (
        "practice statement",
        re.compile(
            r"\bwe (don'?t|do not|no longer|won'?t) (offer|provide|perform|recommend|sell|"
            r"use)\b",
            re.I,
        ),
    ),
)
HEADING_MAX_WORDS = 10  # a line without a final full stop this short is a heading, not a claim
# a sentence that only describes how the treatment is given ("They are applied after microneedling.")
PROCEDURE = re.compile(
    r"\b(is|are|was|were|can be|will be|gets?) (usually |typically |often |then |first |"
    r"commonly |generally )?(applied|injected|administered|delivered|performed|done|given|massaged|"
    r"infused|used|combined|mixed|spread|placed)\b",
    re.I,
)
# a hedge does not cancel these specific claims made in the same sentence
HEDGE_KEEPS = frozenset({"approval", "no-harm", "superiority", "dose", "durability", "onset"})

# --- constructions that assert something ----------------------------------------------------------------
_V = r"(?:e|es|ed|ing|s)?"  # verb endings: 'promote', 'promotes', 'promoted', 'promoting' (not 'treatment')
ASSERTIONS: tuple[tuple[str, re.Pattern], ...] = (
    (
        "effect",
        re.compile(
            r"\b(?:(?:promot|increas|improv|regrow|re-grow|stimulat|enhanc|boost|restor|revers|reviv|"
            r"rejuvenat|revitali[sz]|regenerat|repair|renew|thicken|strengthen|nourish|activat|awaken|"
            r"reawaken|reactivat|accelerat|induc|trigger|prolong|extend|reduc|decreas|prevent|stop|halt|"
            r"slow|fight|combat|cur|treat|heal|fix|densif|multipl|signal|deliver|transport|target|"
            r"penetrat|reach|modulat|transfer|regulat|upregulat|downregulat|suppress|inhibit|protect|"
            r"support|encourag|jump-?start|kick-?start|wake|work|help|grow|benefit|facilitat|amplif|"
            r"foster|calm|soothe|reboot|reset|revolutioni[sz]|transform|tackl|maximi[sz]|spark|"
            r"optimi[sz]|unlock|push|driv|carr(?:y|ie))"
            + _V
            + r"|grew|regrew|brought|gave|led|saw|made|carried|acts? on|acted on|set(?:s)? off|benefits?|effective(?:ness)?|"
            r"efficacy|"
            r"miracul\w+|transformative|remarkable|impressive|tremendous|potent|powerful)\b",
            re.I,
        ),
    ),
    (
        "offer",
        re.compile(
            r"\b(gives?|offers?|provides?|provided|brings?|results? in|leads? to|is (the )?(best|ideal|"
            r"perfect|most|only|first|safest|latest|solution|answer|key|future|breakthrough|game[- ]changer|"
            r"alternative|option|choice)|are (the )?(best|ideal|most|only|safest)|(is|are|has|have) "
            r"(emerged|established) as|(is|are|has become|have become) (a |an )?(popular |promising |"
            r"potential |powerful |effective |proven |novel |new |revolutionary |cutting-edge |natural |"
            r"non-surgical |valuable |safe )+(therapeutic |regenerative )?(approach|treatment|therapy|option|"
            r"solution|tool|way|addition|avenue)|holds? (great |real |huge )?(potential|promise)|"
            r"(shown|showing|shows|showed|has|had) (a )?(\w+ )?(amount of )?(potential|promise|results))\b",
            re.I,
        ),
    ),
    (
        "sufficiency",
        re.compile(
            r"\b(is|are) (enough|sufficient|adequate|all you need)\b|\bjust (one|a single|two|\d+) "
            r"(session|treatment)s?\b|\bonly (need|needs|needed|require[sd]?) (one|a single|\d+|"
            r"two|three)\b",
            re.I,
        ),
    ),
    (
        "outcome seen",
        re.compile(
            r"\b(patients|clients|people|users|customers|men|women|everyone|most|many|"
            r"participants|subjects)\b[^.]{0,40}\b(see|saw|seen|notice|noticed|experience|"
            r"experienced|report|reported|reporting|achieve|achieved|enjoy|get|got|had|have)\b|"
            r"\b(i|we|my|our)\b[^.]{0,30}\b(saw|noticed|grew|got|had|felt|love|loved|"
            r"results?)\b",
            re.I,
        ),
    ),
    (
        "safety",
        re.compile(
            r"\b(safe|safely|safer|safety|gentle|natural|non-?invasive|painless|no (known )?"
            r"(side[- ]?effects?|risks?|downtime|complications?|adverse)|zero (side[- ]?effects?|"
            r"risks?|downtime)|well[- ]tolerated|risk[- ]free|side[- ]effect[- ]free|"
            r"complications?|biocompatib\w+)\b",
            re.I,
        ),
    ),
    (
        "regulatory",
        re.compile(
            r"\b(approv\w*|cleared|clearance|authori[sz]\w*|licensed|registered|permitted|"
            r"certified|regulated|regulations?|standards|compliant|banned|banning|bans?|"
            r"prohibit\w*|warning letters?|CE[- ]marked)\b",
            re.I,
        ),
    ),
    (
        "amount",
        re.compile(
            r"\b\d[\d.,]*\s*%|\b\d[\d.,]*\s*(percent|billion|million|trillion)\b|"
            r"\b\d+(\.\d+)?\s*[x×]\s*10",
            re.I,
        ),
    ),
    # weak: they make a claim only beside one of the above
    (
        "time",
        re.compile(
            r"\b(within|after|in|by|for|up to|over|lasts?|lasting)\s+(just |only |about |around |"
            r"as (little|few) as )?(\d+|a|one|two|three|four|five|six|eight|twelve|few|several)"
            r"(-| )?(day|week|month|year|session|treatment)s?\b|\bpermanent\w*|\blong[- ]lasting\b|"
            r"\blifetime\b|\bforever\b|\bimmediate\w*\b|\binstant\w*\b",
            re.I,
        ),
    ),
    (
        "evidence",
        re.compile(
            r"\b(ha(s|ve) been|(is|are|was|were)) (shown|proven|demonstrated|documented|"
            r"confirmed|found)\b|\b(studies|research|trials?|science|data|evidence) (show|shows|showed|"
            r"prove|proves|proved|confirm|demonstrate|suggest|indicate|support)s?\b|\bclinically\b|"
            r"\bscientifically\b|\bpublished\b|\baccording to\b",
            re.I,
        ),
    ),
    (
        "ability",
        re.compile(r"\b(can|will|may|could|able to|capable of|designed to|allows?|enables?)\b", re.I),
    ),
)
WEAK_ASSERTIONS: frozenset[str] = frozenset({"time", "evidence", "ability"})
# background that asserts nothing about the treatment (history, plans of the text, research activity),
# unless an effect is asserted too
BACKGROUND = re.compile(
    r"\b(first (discovered|described|identified|isolated)|we (will|shall|'ll) (explore|discuss|"
    r"review|look at|cover)|this (article|post|page|guide|blog|review) (will |we )?(explores?|"
    r"discuss\w*|covers?|describes?|looks? at)|(have|has) (been )?(investigated|explored|"
    r"examined|studied)|(is|are) (a )?(relatively )?new (area|field|topic)|gained (significant |"
    r"much )?attention|(anagen|telogen|catagen|growth|resting|hair) (phase|cycle)s? (typically |"
    r"normally |usually )?(lasts?|takes?)|(lifespan|length|duration) of the (anagen|telogen|"
    r"catagen|growth|resting) phase)\b",
    re.I,
)
# words that negate the assertion after them ("not approved", "aren't a magic cure", "no FDA-approved")
NEGATION = re.compile(
    r"\b(not|never|nor|no|none|neither|no longer|yet to be|don'?t|doesn'?t|didn'?t|aren'?t|"
    r"isn'?t|wasn'?t|weren'?t|won'?t|hasn'?t|haven'?t|hadn'?t|cannot|can'?t|without)\b[\w\s,'’-]{0,24}$"
    r"|\b(not|no|never)\b[^.;:]{0,40}\b(or|nor)\b[\w\s'’-]{0,24}$",
    re.I,
)  # 'not A-approved or B-approved'
