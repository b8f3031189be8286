"""Which sentences of a text are claims, read at the level of the document.

The page's topic is found first (:func:`document_topic`): vesicles (exosomes, EVs, secretome) and
hair, named in its lead or in several sentences. A sentence is then a claim when it is not a
question, heading, navigation item, disclaimer or hedge, asserts something in one of the
constructions of :data:`claim_rules.ASSERTIONS`, and is about vesicles and hair, by its own words
or by the page's topic. Rules are tables in :mod:`exoreview.appraisal.claim_rules`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..core.vocab import Vocabulary, normalize
from . import audit_rules, claim_rules, scope_rules
from .scope import claim_kind, hair_words, negated


@dataclass(frozen=True)
class Topic:
    """What a whole text is about."""

    vesicles: bool  # exosomes / EVs / secretome
    secretome: bool  # conditioned medium or secretome rather than isolated vesicles
    hair: bool
    why: str


@dataclass(frozen=True)
class Reading:
    """How one sentence was read: claim, or why not."""

    kind: str  # claim | question | navigation | heading | disclaimer | hedge | background
    why: str
    by_topic: bool = False  # a claim only because the page's topic carries to it


def mentions_vesicles(sentence: str, vocab: Vocabulary) -> bool:
    s = sentence.casefold()
    return any(w in s for w in claim_rules.VESICLE_WORDS) or bool(
        vocab["vesicle_term"].matcher(skip_names=audit_rules.UNTAGGED_NAMES).find(sentence)
    )


def mentions_hair(sentence: str, vocab: Vocabulary) -> bool:
    text = f" {normalize(sentence)} "
    return any(f" {w}" in text for w in hair_words(vocab))


def document_topic(sentences: Sequence[str], vocab: Vocabulary) -> Topic:
    """The page's topic: named in its first sentences, or in several of them."""
    lead = sentences[: claim_rules.TOPIC_LEAD]
    ves = [s for s in sentences if mentions_vesicles(s, vocab)]
    hair = [s for s in sentences if mentions_hair(s, vocab)]
    on_vesicles = any(mentions_vesicles(s, vocab) for s in lead) or len(ves) >= claim_rules.TOPIC_MENTIONS
    on_hair = any(mentions_hair(s, vocab) for s in lead) or len(hair) >= claim_rules.TOPIC_MENTIONS
    secretome = (
        sum(any(w in s.casefold() for w in claim_rules.SECRETOME_WORDS) for s in ves) * 2 > len(ves) > 0
    )
    return Topic(
        on_vesicles, secretome, on_hair, f"vesicles named in {len(ves)} sentences, hair in {len(hair)}"
    )


def read_sentence(sentence: str, topic: Topic, vocab: Vocabulary) -> Reading:
    """Is `sentence` a claim, given the page's `topic`?"""
    text = sentence.strip().translate(claim_rules.APOSTROPHES)
    kind = str(claim_kind(text)["asserts"])
    specific = kind in claim_rules.HEDGE_KEEPS  # onset, dose, superiority, ...: a claim even when hedged
    for name, pattern in claim_rules.NOT_CLAIMS:
        if pattern.search(text) and not (name == "hedge" and specific):
            return Reading(name, f"a {name}, not a claim")
    words = text.split()
    if (
        not re.search(r"[.!:;\"”')\]]$", text)
        and len(words) <= claim_rules.HEADING_MAX_WORDS
        and not specific
    ):
        return Reading("heading", "a heading or label (no sentence end), not a claim")
    asserts = [name for name, pattern in claim_rules.ASSERTIONS if pattern.search(text)]
    said = [
        (name, m)
        for name, pattern in claim_rules.ASSERTIONS
        if name not in claim_rules.WEAK_ASSERTIONS
        for m in pattern.finditer(text)
    ]
    strong = list(dict.fromkeys(name for name, m in said if not negated(text, m.start())))
    if specific:
        strong.append(kind)
    if any(p.search(text) for p in audit_rules.JOURNAL_PATTERNS):
        strong.append("a study named by journal and year")  # what it reports is claimed
    if said and not strong:
        return Reading(
            "disclaimer", "every assertion in it is negated ('not approved', 'no evidence'): not a claim"
        )
    if not strong:
        return Reading("background", "asserts nothing about an effect, safety, approval or amount")
    if claim_rules.BACKGROUND.search(text) and "effect" not in strong:
        return Reading("background", "background (history, research activity, what the text will cover)")
    if claim_rules.PROCEDURE.search(text) and set(strong) <= {"safety"}:
        return Reading("procedure", "describes how the treatment is given, not what it does")
    own_vesicles, own_hair = mentions_vesicles(text, vocab), mentions_hair(text, vocab)
    if not own_vesicles and kind != "superiority" and about_another_treatment(text):
        return Reading("background", "about another treatment, not vesicles")
    about_vesicles = own_vesicles or topic.vesicles
    # safety, approval and regulatory sentences on a page about vesicles need no hair word of their own
    general = any(a in ("safety", "regulatory") for a in strong) or kind in ("approval", "no-harm", "safety")
    about_hair = own_hair or topic.hair or general
    if not (about_vesicles and about_hair):
        return Reading("background", "not about vesicles and hair (by its words or the page's topic)")
    return Reading(
        "claim", f"asserts ({', '.join(asserts)}); {kind}", by_topic=not (own_vesicles and own_hair)
    )


def about_another_treatment(sentence: str) -> bool:
    """True when another treatment (minoxidil, PRP, a transplant, ...) is the sentence's subject, not
    what vesicles are compared with or given with ('faster than PRP', 'combined with microneedling')."""
    for name, pattern in scope_rules.COMPARATORS:
        if name in scope_rules.GENERIC_COMPARATORS:
            continue
        m = pattern.search(sentence)
        if m and not scope_rules.COMPARED_BEFORE.search(sentence[: m.start()]):
            return True
    return False
