"""What a piece of text asserts, in vocabulary terms, and how that compares with what a study
studied: the scope of a sentence (cell source, vesicle, species, model, condition, outcome,
route), the kind of claim it makes, whether a title is about hair, and every difference between a
sentence's scope and a study's. The phrases are the vocabulary's, matched with its one
:class:`~exoreview.core.vocab.TermMatcher`; the extra cues are tables in
:mod:`exoreview.appraisal.audit_rules`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..core.evidence import Evidence
from ..core.vocab import TermMatch, Vocabulary, normalize
from . import audit_rules, claim_rules, scope_rules


def find_terms(
    text: str, vocab: Vocabulary, facet: str, *, skip_terms: frozenset[str] = frozenset()
) -> list[TermMatch]:
    """The vocabulary terms of `facet` named in `text` (names that mean something else in
    marketing text, audit_rules.UNTAGGED_NAMES, are left out)."""
    return vocab[facet].matcher(skip_names=audit_rules.UNTAGGED_NAMES, skip_terms=skip_terms).find(text)


def tag_scope(sentence: str, vocab: Vocabulary) -> dict[str, tuple[str, ...]]:
    """What a sentence asserts, in vocabulary terms: cell_source (the vesicles' source),
    target_cells, vesicle_term, species, model, condition, outcome, route."""
    scope: dict[str, list[str]] = {
        k: []
        for k in (
            "cell_source",
            "target_cells",
            "vesicle_term",
            "species",
            "model",
            "condition",
            "outcome",
            "route",
        )
    }
    previous = None  # the last target named: the cells listed after it are targets too
    for hit in find_terms(sentence, vocab, "cell_source", skip_terms=audit_rules.UNTAGGED_SOURCES):
        listed = previous is not None and audit_rules.LIST_CONTINUES.match(sentence[previous : hit.start])
        target = listed or audit_rules.TARGET_CONTEXT.search(sentence[max(0, hit.start - 40) : hit.start])
        scope["target_cells" if target else "cell_source"].append(hit.term)
        previous = hit.end if target else None
    scope["vesicle_term"] = [h.term for h in find_terms(sentence, vocab, "vesicle_term")]
    for pattern, model, species in audit_rules.MODEL_CUES:
        if pattern.search(sentence):
            scope["model"].append(model)
            if species == audit_rules.ANY_ANIMAL:
                scope["species"] += [s for s in vocab["species"].terms if s not in ("human", "not stated")]
            elif model != "cell culture":
                scope["species"].append(species)
    scope["condition"] = [
        h.term for h in find_terms(sentence, vocab, "condition", skip_terms=frozenset({"hair growth"}))
    ]
    animal = "animal model" in scope["model"]
    for pattern, if_animal, if_people in audit_rules.OUTCOME_CUES:
        if pattern.search(sentence):
            out = if_animal if animal else if_people
            if out:
                scope["outcome"].append(out)
    tagged = [
        h.term for h in find_terms(sentence, vocab, "outcome", skip_terms=audit_rules.UNTAGGED_OUTCOMES)
    ]
    if animal:  # clinical scores are not measured in animals ("hair regrowth" names both)
        tagged = [t for t in tagged if vocab["outcome"].terms[t].get("group") != "clinical"]
    scope["outcome"] += tagged
    scope["route"] = [
        h.term
        for h in find_terms(sentence, vocab, "route", skip_terms=frozenset({"not stated", "culture medium"}))
    ]
    return {k: tuple(dict.fromkeys(v)) for k, v in scope.items()}


def _count(word: str) -> float:
    count = scope_rules.NUMBER_WORDS.get(word.casefold())
    return float(count) if count is not None else float(word)


def _weeks(n: str, unit: str) -> float:
    return _count(n) * scope_rules.WEEKS_PER[unit.casefold()]


def claim_kind(sentence: str) -> dict[str, object]:
    """What kind of claim a sentence makes (asserts) and what it names beyond "it works":
    comparator (superiority), min_follow_up_weeks (durability), onset_weeks, dose_particles or
    dose_sessions (dose), mechanism and unmeasured (how it works, and the parts of it that no
    vocabulary outcome records), regulator, and whether only a facility's registration is claimed."""
    sentence = sentence.translate(claim_rules.APOSTROPHES)
    out: dict[str, object] = {"asserts": "benefit"}
    for kind, pattern in scope_rules.CLAIM_KINDS:
        m = next((m for m in pattern.finditer(sentence) if not negated(sentence, m.start())), None)
        if not m:
            continue
        rest = sentence[m.start() :]
        if kind == "superiority":
            out["comparator"] = comparator(sentence)
        elif kind == "durability":
            d = scope_rules.DURATION.search(rest)
            out["min_follow_up_weeks"] = (
                _weeks(d.group("n"), d.group("unit"))
                if d and d.group("unit").casefold() in ("month", "year")
                else float(scope_rules.PERMANENT_WEEKS)
            )
        elif kind == "onset":
            d = scope_rules.DURATION.search(sentence)
            if d:
                out["onset_weeks"] = round(_weeks(d.group("n"), d.group("unit")), 1)
        elif kind == "dose":
            p = scope_rules.PARTICLES.search(sentence)
            sessions = scope_rules.SESSIONS.search(sentence)
            if p and p.group("n"):
                out["dose_particles"] = (
                    float(p.group("n").replace(",", "")) * scope_rules.SCALE[p.group("scale").casefold()]
                )
            elif p:
                out["dose_particles"] = float(p.group("m")) * 10 ** int(p.group("e"))
            elif sessions:
                out["dose_sessions"] = _count(sessions.group("n"))
        out["asserts"] = kind
        break
    if out["asserts"] == "benefit":
        found = [(name, outcome) for name, p, outcome in scope_rules.MECHANISMS if p.search(sentence)]
        if found and not scope_rules.CLINICAL_MEASURES.search(sentence):
            out["asserts"] = "mechanism"
            out["mechanism"] = tuple(name for name, _ in found)
            out["mechanism_outcomes"] = tuple(dict.fromkeys(o for _, o in found if o))
            out["unmeasured"] = tuple(name for name, o in found if o is None)
    regulator = next((name for name, p in scope_rules.REGULATORS if p.search(sentence)), None)
    if regulator:
        out["regulator"] = regulator
        standards = scope_rules.REGULATOR_STANDARDS.search(sentence)
        if (
            out["asserts"] in ("benefit", "mechanism", "safety")
            and standards
            and not negated(sentence, standards.start())
        ):
            out["asserts"] = "approval"  # 'processed according to FDA standards' claims regulatory status
    if out["asserts"] in ("benefit", "mechanism") and scope_rules.REGISTERED_FACILITY.search(sentence):
        out["asserts"], out["registration"] = "approval", True
    restriction = next(
        (m for m in scope_rules.RESTRICTION.finditer(sentence) if not negated(sentence, m.start())), None
    )
    if out["asserts"] in ("benefit", "mechanism", "safety") and restriction:
        out["asserts"], out["restriction"] = "approval", True
    return out


def comparator(sentence: str) -> str:
    """What a superiority claim compares with: a treatment named after 'than', 'versus', 'unlike' ...;
    else, for a combination, the treatments alone; else any treatment named; else other treatments."""
    named = [
        (name, m)
        for name, p in scope_rules.COMPARATORS
        if name not in scope_rules.GENERIC_COMPARATORS
        for m in p.finditer(sentence)
    ]
    for name, m in sorted(named, key=lambda nm: nm[1].start()):
        if scope_rules.COMPARED_WITH.search(sentence[max(0, m.start() - 30) : m.start()]):
            return name
    for name, p in scope_rules.COMPARATORS:
        if name in scope_rules.GENERIC_COMPARATORS and p.search(sentence):
            return name
    return named[0][0] if named else scope_rules.UNNAMED_COMPARATOR


def negated(sentence: str, at: int) -> bool:
    """Is the word at `at` negated ('not approved', "aren't a magic cure", 'no FDA-approved')?"""
    return bool(
        claim_rules.NEGATION.search(sentence[max(0, at - 36) : at].translate(claim_rules.APOSTROPHES))
    )


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


def compare_scope(
    scope: Mapping[str, Sequence[str]], other: Mapping[str, Sequence[str]], vocab: Vocabulary, what: str
) -> list[str]:
    """Every difference between what a sentence asserts and what the cited work studied."""
    diffs = []
    for facet, name in (
        ("cell_source", "cell source"),
        ("vesicle_term", "vesicle"),
        ("species", "species"),
        ("condition", "condition"),
        ("outcome", "outcome"),
    ):
        claimed = [
            t
            for t in scope.get(facet) or ()
            if not (facet == "condition" and t in ("hair loss (unspecified)", "hair growth"))
        ]
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
    return {
        "cell_source": tuple(rec.get("cell_source") or ()),
        "vesicle_term": tuple(rec.get("vesicle_term") or ()),
        "species": tuple(m["species"] for m in models if m["model"] != "cell culture"),
        "condition": tuple(rec.get("condition") or ()),
        "outcome": tuple(o["outcome"] for o in rec.get("outcomes") or []),
    }
