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
3. vesicle_term: when no vesicle phrase is found but a ``NO_VESICLE`` phrase is (PRP, micrografts),
   the suggestion is ``none`` with those words as its trigger.
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
    "design": frozenset({"SR", "review"}),
    "condition": frozenset({"hair cycle", "AA"}),
}
# extra trigger phrases (facet → term → phrases) for wordings the vocabulary does not list
EXTRA: Mapping[str, Mapping[str, tuple[str, ...]]] = {
    "cell_source": {"platelet": ("platelet-rich plasma", "platelet rich plasma")},
    "design": {
        "narrative review": ("this review", "narrative review"),
        "randomized controlled trial": (
            "randomised controlled trial",
            "randomized clinical trial",
            "randomised clinical trial",
        ),
    },
    "species": {"human": ("men", "women", "volunteers")},
}
# terms dropped when a more specific term of the facet is found
GENERIC: Mapping[str, frozenset[str]] = {
    "condition": frozenset({"hair loss (unspecified)", "hair growth"}),
    "design": frozenset({"narrative review", "unspecified trial"}),
}
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
    return vocab[facet].matcher(skip_names=SKIP.get(facet, frozenset()), extra=EXTRA.get(facet))


_NO_VESICLE = TermMatcher.build((phrase, "none") for phrase in NO_VESICLE)


def _found(matcher: TermMatcher, text: str) -> dict[str, list[str]]:
    """term → the distinct words that named it, in text order."""
    found: dict[str, list[str]] = {}
    for hit in matcher.find(text):
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
