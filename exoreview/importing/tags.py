"""Suggested tags for a search record, from its title and abstract, with the words that triggered them.

The phrases are the vocabulary's own (each term's key, label and synonyms in
``evidence/vocabulary.yaml``), plus the few extra triggers and exclusions declared in the tables
below. Suggestions help a screener; they are never written into a study file as facts.

Rules, in order:
1. A phrase matches as whole words, case-insensitively; hyphens and spaces are interchangeable.
   Acronyms written in capitals in the vocabulary (``DP``, ``AA``, ``PRP``) match only in capitals.
2. The longest phrase wins where two overlap ("adipose-derived stem cells" → ADSC, not MSC).
3. A term is dropped when a term below it in the hierarchy was also found (ADSC drops MSC), and
   a facet's generic terms (``GENERIC``) are dropped when a specific one was found.
4. vesicle_term: when no vesicle phrase is found but a ``NO_VESICLE`` phrase is (PRP, micrografts),
   the suggestion is ``none`` with those words as its trigger.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

FACETS: tuple[str, ...] = ("cell_source", "vesicle_term", "species", "design", "condition")

# vocabulary phrases too ambiguous in an abstract to suggest a term ("fetal bovine serum" is not
# a plasma source; "hair follicle stem cells" are not MSC)
SKIP: Mapping[str, frozenset[str]] = {
    "cell_source": frozenset({"stem cells", "serum", "blood", "MAC", "various", "multiple sources",
                              "synthetic", "unknown", "not reported", "unstated", "not stated",
                              "mixed", "DP", "botanical"}),
    "vesicle_term": frozenset({"CM", "cell extract"}),
    "species": frozenset({"people", "unknown", "unstated", "not reported", "not stated"}),
    "design": frozenset({"SR", "review"}),
    "condition": frozenset({"hair cycle", "AA"}),
}
# extra trigger phrases (facet → term → phrases) for wordings the vocabulary does not list
EXTRA: Mapping[str, Mapping[str, tuple[str, ...]]] = {
    "cell_source": {"platelet": ("platelet-rich plasma", "platelet rich plasma")},
    "design": {"narrative review": ("this review", "narrative review"),
               "randomized controlled trial": ("randomised controlled trial", "randomized clinical trial",
                                               "randomised clinical trial")},
    "species": {"human": ("men", "women", "volunteers")},
}
# terms dropped when a more specific term of the facet is found
GENERIC: Mapping[str, frozenset[str]] = {
    "condition": frozenset({"hair loss (unspecified)", "hair growth"}),
    "design": frozenset({"narrative review", "unspecified trial"}),
}
# phrases that mark work without vesicles (vesicle_term → none)
NO_VESICLE: tuple[str, ...] = ("platelet-rich plasma", "platelet rich plasma", "PRP", "micrograft",
                               "micrografts", "micrografting", "stromal vascular fraction", "fat graft",
                               "fat grafting", "hair transplantation")


@dataclass(frozen=True)
class Suggestion:
    facet: str
    term: str            # a vocabulary key, or "none" (vesicle_term only)
    label: str
    triggers: tuple[str, ...]

    def as_dict(self) -> dict:
        return {"term": self.term, "label": self.label, "triggers": list(self.triggers)}


def _pattern(phrases: list[tuple[str, str]], flags: int) -> re.Pattern | None:
    if not phrases:
        return None
    parts = []
    for i, (phrase, _key) in enumerate(sorted(phrases, key=lambda p: -len(p[0]))):
        words = re.split(r"[\s\-]+", phrase.strip())
        last = words[-1]
        if len(last) > 3 and last[-1] in "sS" and last[-2].isalpha():
            last = re.escape(last[:-1]) + "[sS]?"       # "exosomes" also matches "exosome"
        elif len(last) >= 2 and last[-1].isalpha():
            last = re.escape(last) + "s?"                # "stem cell" → "stem cells", "MSC" → "MSCs"
        else:
            last = re.escape(last)
        body = r"[\s\-]+".join([*(re.escape(w) for w in words[:-1]), last])
        parts.append(f"(?P<p{i}>{body})")
    return re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w])", flags)


def _is_acronym(phrase: str) -> bool:
    letters = re.sub(r"[^A-Za-z]", "", phrase)
    return 1 < len(phrase) <= 6 and letters.isupper() and " " not in phrase


@dataclass(frozen=True)
class _Matcher:
    patterns: tuple[tuple[re.Pattern, tuple[str, ...]], ...]   # pattern, key of each group

    def find(self, text: str) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        taken: list[tuple[int, int]] = []
        hits = []
        for pattern, keys in self.patterns:
            for m in pattern.finditer(text):
                hits.append((m.start(), m.end(), keys[int(m.lastgroup[1:])], m.group(0)))
        for start, end, key, words in sorted(hits, key=lambda h: (-(h[1] - h[0]), h[0])):
            if any(start < e and s < end for s, e in taken):
                continue
            taken.append((start, end))
            found.setdefault(key, [])
            if words not in found[key]:
                found[key].append(words)
        return found


_CACHE: dict[int, tuple[object, dict[str, _Matcher]]] = {}


def _matchers(vocab) -> dict[str, _Matcher]:
    hit = _CACHE.get(id(vocab))
    if hit is not None and hit[0] is vocab:
        return hit[1]
    if len(_CACHE) > 8:
        _CACHE.clear()
    out = _build(vocab)
    _CACHE[id(vocab)] = (vocab, out)
    return out


def _build(vocab) -> dict[str, _Matcher]:
    out = {}
    for facet in FACETS + ("_no_vesicle",):
        plain: list[tuple[str, str]] = []
        caps: list[tuple[str, str]] = []
        if facet == "_no_vesicle":
            names = [(p, "none") for p in NO_VESICLE]
        else:
            names = []
            for term in vocab[facet].terms.values():
                for name in (term.key, term.label, *term.synonyms):
                    if name not in SKIP.get(facet, ()) and "(" not in name:
                        names.append((name, term.key))
            for key, phrases in EXTRA.get(facet, {}).items():
                names.extend((p, key) for p in phrases)
        for name, key in dict.fromkeys(names):
            (caps if _is_acronym(name) else plain).append((name, key))
        pats = []
        for group, flags in ((plain, re.IGNORECASE), (caps, 0)):
            pat = _pattern(group, flags)
            if pat is not None:
                ordered = tuple(k for _p, k in sorted(group, key=lambda p: -len(p[0])))
                pats.append((pat, ordered))
        out[facet] = _Matcher(tuple(pats))
    return out


def suggest(title: str | None, abstract: str | None, vocab) -> dict[str, tuple[Suggestion, ...]]:
    """Suggested terms for each facet of :data:`FACETS`, each with its trigger words."""
    text = " ".join(t for t in (title, abstract) if t)
    matchers = _matchers(vocab)
    out: dict[str, tuple[Suggestion, ...]] = {}
    for facet in FACETS:
        found = matchers[facet].find(text) if text else {}
        fac = vocab[facet]
        drop = set()
        for key in found:
            drop.update(fac.ancestors(key))
        if len(set(found) - GENERIC.get(facet, frozenset())) > 0:
            drop.update(GENERIC.get(facet, frozenset()))
        kept = [Suggestion(facet, k, fac.label(k), tuple(w)) for k, w in found.items() if k not in drop]
        if facet == "vesicle_term" and not kept:
            none = matchers["_no_vesicle"].find(text) if text else {}
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
