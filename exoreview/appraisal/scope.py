"""What a piece of text asserts, in vocabulary terms, and how that compares with what a study
studied: the scope of a sentence (cell source, vesicle, species, model, condition, outcome,
route), the kind of claim it makes, whether a title is about hair, and every difference between a
sentence's scope and a study's. The phrases are the vocabulary's, matched with its one
:class:`~exoreview.core.vocab.TermMatcher`; the extra cues are tables in
:mod:`exoreview.appraisal.audit_rules`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from ..core.evidence import Evidence
from ..core.vocab import TermMatch, Vocabulary, normalize
from . import audit_rules


def find_terms(text: str, vocab: Vocabulary, facet: str, *,
               skip_terms: frozenset[str] = frozenset()) -> list[TermMatch]:
    """The vocabulary terms of `facet` named in `text` (names that mean something else in
    marketing text, audit_rules.UNTAGGED_NAMES, are left out)."""
    return vocab[facet].matcher(skip_names=audit_rules.UNTAGGED_NAMES, skip_terms=skip_terms).find(text)


def tag_scope(sentence: str, vocab: Vocabulary) -> dict[str, tuple[str, ...]]:
    """What a sentence asserts, in vocabulary terms: cell_source (the vesicles' source),
    target_cells, vesicle_term, species, model, condition, outcome, route."""
    scope: dict[str, list[str]] = {k: [] for k in ("cell_source", "target_cells", "vesicle_term", "species",
                                                   "model", "condition", "outcome", "route")}
    for hit in find_terms(sentence, vocab, "cell_source", skip_terms=audit_rules.UNTAGGED_SOURCES):
        key = ("target_cells" if audit_rules.TARGET_CONTEXT.search(sentence[max(0, hit.start - 40):hit.start])
               else "cell_source")
        scope[key].append(hit.term)
    scope["vesicle_term"] = [h.term for h in find_terms(sentence, vocab, "vesicle_term")]
    for pattern, model, species in audit_rules.MODEL_CUES:
        if pattern.search(sentence):
            scope["model"].append(model)
            if model != "cell culture":
                scope["species"].append(species)
    scope["condition"] = [h.term for h in find_terms(sentence, vocab, "condition", skip_terms=frozenset({"hair growth"}))]
    animal = "animal model" in scope["model"]
    for pattern, if_animal, if_people in audit_rules.OUTCOME_CUES:
        if pattern.search(sentence):
            out = if_animal if animal else if_people
            if out:
                scope["outcome"].append(out)
    tagged = [h.term for h in find_terms(sentence, vocab, "outcome", skip_terms=audit_rules.UNTAGGED_OUTCOMES)]
    if animal:  # clinical scores are not measured in animals ("hair regrowth" names both)
        tagged = [t for t in tagged if vocab["outcome"].terms[t].get("group") != "clinical"]
    scope["outcome"] += tagged
    scope["route"] = [h.term for h in find_terms(sentence, vocab, "route",
                                                 skip_terms=frozenset({"not stated", "culture medium"}))]
    return {k: tuple(dict.fromkeys(v)) for k, v in scope.items()}


def claim_kind(sentence: str) -> tuple[str, str | None, float | None]:
    """(asserts, comparator, weeks) for a sentence."""
    for kind, pattern in audit_rules.CLAIM_KINDS:
        m = pattern.search(sentence)
        if not m or negated(sentence, m.start()):
            continue
        comp = weeks = None
        if kind == "superiority":
            c = audit_rules.COMPARATOR.search(sentence)
            if not c:
                continue
            comp = c.group("comp")
        if kind == "durability":
            d = audit_rules.DURATION.search(sentence)
            if d:
                n = audit_rules.NUMBER_WORDS.get(d.group("n").casefold()) or int(d.group("n"))
                weeks = float(n * (52 if d.group("unit").casefold() == "year" else 4.33))
            else:
                weeks = float(audit_rules.PERMANENT_WEEKS)
        return kind, comp, weeks
    return "benefit", None, None


def negated(sentence: str, at: int) -> bool:
    return bool(re.search(r"\b(not|never|nor|no longer|yet to be)\b[\w\s-]{0,20}$", sentence[max(0, at - 30):at], re.I))


def hair_words(vocab: Vocabulary) -> tuple[str, ...]:
    """Words that put a text on hair: the rule table's, plus the vocabulary's condition names."""
    words = list(audit_rules.HAIR_WORDS)
    for facet in ("condition",):
        for term in vocab[facet].terms.values():
            words += [n for n in (term.label, *term.synonyms) if len(n) >= audit_rules.HAIR_NAME_MIN]
    return tuple(dict.fromkeys(normalize(w) for w in words))


def title_topic(title: str | None, vocab: Vocabulary) -> tuple[bool | None, str]:
    """(on hair?, why): True, False (off-topic, with the words that say so) or None (cannot tell)."""
    if not title:
        return None, "no title could be read"
    t = f" {normalize(title)} "
    hair = [w for w in hair_words(vocab) if f" {w}" in t]
    if hair:
        return True, f"the title is about hair ({', '.join(hair[:4])})"
    for topic, words in audit_rules.OFF_TOPIC.items():
        hits = [w for w in words if f" {normalize(w)}" in t]
        if hits:
            return False, f"the title is about {topic} ({', '.join(hits)}), not hair"
    return None, "the title does not say it is about hair"


def compare_scope(scope: Mapping[str, Sequence[str]], other: Mapping[str, Sequence[str]], vocab: Vocabulary,
                  what: str) -> list[str]:
    """Every difference between what a sentence asserts and what the cited work studied."""
    diffs = []
    for facet, name in (("cell_source", "cell source"), ("vesicle_term", "vesicle"), ("species", "species"),
                        ("condition", "condition"), ("outcome", "outcome")):
        claimed = [t for t in scope.get(facet) or () if not (facet == "condition" and t in
                                                               ("hair loss (unspecified)", "hair growth"))]
        if not claimed:
            continue
        vfacet = vocab[facet]
        studied = list(other.get(facet) or ())
        allowed = set(vocab.expand(facet, claimed))
        for c in claimed:
            allowed |= set(vfacet.ancestors(c))
        if facet == "outcome":  # an outcome group covers its members both ways
            allowed |= {vfacet.terms[s].get("group") for s in studied if s in vfacet.terms}
        if not studied or not allowed & set(studied) and not set(vocab.expand(facet, studied)) & set(claimed):
            said = ", ".join(vfacet.label(t) for t in claimed)
            got = ", ".join(vfacet.label(t) for t in studied) or "nothing of the kind"
            diffs.append(f"{name}: the sentence says {said}; {what} {got}")
    return diffs


def study_scope(key: str, evidence: Evidence) -> dict[str, tuple[str, ...]]:
    rec = evidence.records[key]
    models = rec.get("models") or []
    return {"cell_source": tuple(rec.get("cell_source") or ()), "vesicle_term": tuple(rec.get("vesicle_term") or ()),
            "species": tuple(m["species"] for m in models if m["model"] != "cell culture"),
            "condition": tuple(rec.get("condition") or ()),
            "outcome": tuple(o["outcome"] for o in rec.get("outcomes") or [])}
