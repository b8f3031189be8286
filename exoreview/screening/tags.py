"""Suggested tags for a search record, from its title and abstract, with the words that triggered them.

The phrases are the vocabulary's own (each term's key, label and synonyms in
``evidence/vocabulary.yaml``), plus the few extra triggers and exclusions declared in the tables
below. Suggestions help a screener; they are never written into a study file as facts.

Rules, in order:
1. Phrases are found by the vocabulary's one matcher (:class:`~exoreview.core.vocab.TermMatcher`):
   whole words, case-insensitive except short names and capital acronyms (``DP``, ``AA``, ``PRP``);
   the longest phrase wins where two overlap ("adipose-derived stem cells" → ADSC, not MSC).
2. A term is dropped when a term below it in the hierarchy was also found (ADSC drops MSC), and
   a facet's generic terms (``GENERIC``) are dropped when a specific one was found.
3. A term in ``DROPS`` drops the terms listed under it (a randomized trial is not also suggested
   as a controlled, prospective or unspecified trial; a systematic review not also as a review).
4. Phrases in ``NOT_TERMS`` name no term: they are matched only so that a shorter phrase inside them
   is not ("institutional review board" is not a review).
5. vesicle_term: when no vesicle phrase is found but a ``NO_VESICLE`` phrase is (PRP, micrografts),
   the suggestion is ``none`` with those words as its trigger.

The design phrases were checked against 50 real titles labelled by hand before the rule was written
(``tests/data/design_titles.yaml``; ``tests/screening/test_design_tags.py`` prints the agreement).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..core.vocab import TermMatcher, Vocabulary

FACETS: tuple[str, ...] = ("cell_source", "vesicle_term", "species", "design", "condition")

# vocabulary phrases too ambiguous in an abstract to suggest a term ("fetal bovine serum" is not
# a plasma source; "hair follicle stem cells" are not MSC)
SKIP: Mapping[str, frozenset[str]] = {
    "cell_source": frozenset(
        {
            "stem cells",
            "serum",
            "blood",
            "MAC",
            "various",
            "multiple sources",
            "synthetic",
            "unknown",
            "not reported",
            "unstated",
            "not stated",
            "mixed",
            "DP",
            "botanical",
        }
    ),
    "vesicle_term": frozenset({"CM", "cell extract"}),
    "species": frozenset({"people", "unknown", "unstated", "not reported", "not stated"}),
    "design": frozenset({"SR"}),
    "condition": frozenset({"hair cycle", "AA"}),
}
_NUMBERS = ("two", "three", "four", "five", "six", "seven", "eight")
# extra trigger phrases (facet → term → phrases) for wordings the vocabulary does not list
EXTRA: Mapping[str, Mapping[str, tuple[str, ...]]] = {
    "cell_source": {"platelet": ("platelet-rich plasma", "platelet rich plasma")},
    "design": {
        "narrative review": (
            "this review",
            "narrative review",
            "review",
            "mini-review",
            "literature review",
            "review of the literature",
            "review of clinical studies",
        ),
        "systematic review": ("systematic review", "meta-analysis", "meta-analyses", "meta analysis"),
        "randomized controlled trial": (
            "randomised controlled trial",
            "randomized clinical trial",
            "randomised clinical trial",
            "randomized",
            "randomised",
            "randomly assigned",
            "randomly allocated",
        ),
        "controlled trial": (
            "double-blind",
            "double blind",
            "double-blinded",
            "single-blind",
            "placebo-controlled",
            "placebo controlled",
            "vehicle-controlled",
            "vehicle controlled",
            "active controlled",
            "active-controlled",
            "split-scalp",
            "split scalp",
            "half-side",
            "half side",
            "half-head",
            "comparative study",
        ),
        "prospective uncontrolled trial": ("prospective", "open-label", "open label", "single-arm"),
        "retrospective analysis": ("retrospective", "retrospectively"),
        # "three cases" would also match "three case" (a phrase's last word may be plural), so the
        # longer "three case reports" is listed to win at the same place
        "case series": tuple(f"{n} cases" for n in _NUMBERS),
        "case report": tuple(f"{n} case reports" for n in _NUMBERS),
        "unspecified trial": ("pilot study", "pilot trial", "clinical study"),
        "animal": ("mice", "mouse", "murine", "rat", "rats", "C57BL/6", "C57BL/6J"),
        "ex vivo organ culture": (
            "cultured human hair follicles",
            "cultured hair follicles",
            "organ-cultured",
        ),
    },
    "species": {"human": ("men", "women", "volunteers")},
}
# terms dropped when a more specific term of the facet is found
GENERIC: Mapping[str, frozenset[str]] = {
    "condition": frozenset({"hair loss (unspecified)", "hair growth"}),
    "design": frozenset({"unspecified trial"}),
}
# a term found drops the terms listed under it (facet → term → dropped terms)
DROPS: Mapping[str, Mapping[str, frozenset[str]]] = {
    "design": {
        "randomized controlled trial": frozenset(
            {"controlled trial", "prospective uncontrolled trial", "unspecified trial"}
        ),
        "controlled trial": frozenset({"prospective uncontrolled trial", "unspecified trial"}),
        "case series": frozenset({"retrospective analysis"}),
        "systematic review": frozenset({"narrative review"}),
    },
}
# phrases that name no term of the facet, matched so that a shorter phrase inside them is not
NOT_TERMS: Mapping[str, tuple[str, ...]] = {
    "design": (
        "institutional review board",
        "ethical review board",
        "ethics review",
        "review board",
        "peer review",
        "non-randomized",
        "non-randomised",
    ),
}
NOT_A_TERM = ""  # the term key NOT_TERMS phrases are matched as
# phrases that mark work without vesicles (vesicle_term → none)
NO_VESICLE: tuple[str, ...] = (
    "platelet-rich plasma",
    "platelet rich plasma",
    "PRP",
    "micrograft",
    "micrografts",
    "micrografting",
    "stromal vascular fraction",
    "fat graft",
    "fat grafting",
    "hair transplantation",
)


@dataclass(frozen=True)
class Suggestion:
    facet: str
    term: str  # a vocabulary key, or "none" (vesicle_term only)
    label: str
    triggers: tuple[str, ...]

    def as_dict(self) -> dict:
        return {"term": self.term, "label": self.label, "triggers": list(self.triggers)}


def _matcher(vocab: Vocabulary, facet: str) -> TermMatcher:
    extra = {**EXTRA.get(facet, {}), NOT_A_TERM: NOT_TERMS.get(facet, ())}
    return vocab[facet].matcher(skip_names=SKIP.get(facet, frozenset()), extra=extra)


_NO_VESICLE = TermMatcher.build((phrase, "none") for phrase in NO_VESICLE)


def _found(matcher: TermMatcher, text: str) -> dict[str, list[str]]:
    """term → the distinct words that named it, in text order."""
    found: dict[str, list[str]] = {}
    for hit in matcher.find(text):
        if hit.term == NOT_A_TERM:
            continue
        words = found.setdefault(hit.term, [])
        if hit.words not in words:
            words.append(hit.words)
    return found


def suggest(title: str | None, abstract: str | None, vocab: Vocabulary) -> dict[str, tuple[Suggestion, ...]]:
    """Suggested terms for each facet of :data:`FACETS`, each with its trigger words."""
    text = " ".join(t for t in (title, abstract) if t)
    out: dict[str, tuple[Suggestion, ...]] = {}
    for facet in FACETS:
        found = _found(_matcher(vocab, facet), text) if text else {}
        fac = vocab[facet]
        drop: set[str] = set()
        for key in found:
            drop.update(fac.ancestors(key))
            drop.update(DROPS.get(facet, {}).get(key, frozenset()))
        if len(set(found) - GENERIC.get(facet, frozenset())) > 0:
            drop.update(GENERIC.get(facet, frozenset()))
        kept = [Suggestion(facet, k, fac.label(k), tuple(w)) for k, w in found.items() if k not in drop]
        if facet == "vesicle_term" and not kept:
            none = _found(_NO_VESICLE, text) if text else {}
            if none:
                kept = [Suggestion(facet, "none", "no vesicles", tuple(none["none"]))]
        out[facet] = tuple(kept)
    return out


def as_json(suggestions: Mapping[str, tuple[Suggestion, ...]]) -> dict[str, list[dict]]:
    return {facet: [s.as_dict() for s in suggestions.get(facet, ())] for facet in FACETS}


def as_text(suggestions: Mapping[str, tuple[Suggestion, ...]]) -> str:
    """'ADSC ← adipose-derived stem cells · mouse ← mice' (empty when nothing was found)."""
    parts = []
    for facet in FACETS:
        for s in suggestions.get(facet, ()):
            parts.append(f"{s.term} ← {', '.join(s.triggers)}")
    return " · ".join(parts)
