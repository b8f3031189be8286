"""The controlled vocabulary: terms, synonyms, hierarchy, and "did you mean" suggestions.

Read from ``evidence/vocabulary.yaml``. Matching ignores case, punctuation, Greek beta vs
"beta" and repeated spaces, so "Adipose-derived stem cells" and "adipose derived stem cells"
resolve to the same term.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from ..errors import Problem, VocabularyError


def normalize(text: str) -> str:
    """Matching form of a term: casefolded, 'β'→'beta', punctuation folded to single spaces."""
    text = unicodedata.normalize("NFKC", str(text)).replace("β", "beta").replace("ß", "beta")
    text = text.casefold().replace("'", "").replace("’", "")
    text = re.sub(r"[\s\-_/.,;:()\[\]–—+]+", " ", text)
    return text.strip()


@dataclass(frozen=True)
class Term:
    key: str
    label: str
    parent: str | None = None
    synonyms: tuple[str, ...] = ()
    attrs: Mapping[str, Any] = field(default_factory=dict)

    def get(self, name: str, default: Any = None) -> Any:
        return self.attrs.get(name, default)


@dataclass(frozen=True)
class TermMatch:
    term: str  # the vocabulary key
    start: int
    end: int
    words: str  # the words of the text that matched


def _is_exact_case(name: str) -> bool:
    """Names matched only as written: short names and capital acronyms ('AA', 'MSC', 'PRP')."""
    letters = re.sub(r"[^A-Za-z]", "", name)
    return len(name) < 4 or (len(name) <= 6 and " " not in name and letters.isupper())


def _name_pattern(name: str) -> str:
    """Whole words; spaces, hyphens and slashes interchangeable; a plural 's' or 'es' allowed
    (and a final 's' optional: 'exosomes' finds 'exosome')."""
    words = [w for w in re.split(r"[\s\-/]+", name.strip()) if w]
    last = words[-1]
    if len(last) > 3 and last[-1] in "sS" and last[-2].isalpha():
        last_re = re.escape(last[:-1]) + "(?:[sS]|es)?"
    elif last[-1].isalpha():
        last_re = re.escape(last) + "(?:s|es)?"
    else:
        last_re = re.escape(last)
    return r"[\s\-/]+".join([*(re.escape(w) for w in words[:-1]), last_re])


@dataclass(frozen=True)
class TermMatcher:
    """Finds the terms of one facet in free text: the one matcher the text audit and the import
    tag suggestions share. Rules: whole words, case-insensitive except short names and capital
    acronyms; the longest phrase wins where two overlap."""

    patterns: tuple[tuple[re.Pattern, tuple[str, ...]], ...]  # pattern, term key of each group

    @classmethod
    def build(cls, names: Iterable[tuple[str, str]]) -> TermMatcher:
        """From (name, term key) pairs."""
        pats = []
        plain: list[tuple[str, str]] = []
        exact: list[tuple[str, str]] = []
        for name, key in dict.fromkeys(names):
            (exact if _is_exact_case(name) else plain).append((name, key))
        for group, flags in ((plain, re.IGNORECASE), (exact, 0)):
            if not group:
                continue
            ordered = sorted(group, key=lambda p: -len(p[0]))
            body = "|".join(f"(?P<p{i}>{_name_pattern(n)})" for i, (n, _k) in enumerate(ordered))
            pats.append(
                (re.compile(r"(?<![\w-])(?:" + body + r")(?![\w-])", flags), tuple(k for _n, k in ordered))
            )
        return cls(tuple(pats))

    def find(self, text: str) -> list[TermMatch]:
        """Non-overlapping matches in text order (longer matches taken first)."""
        hits = [
            TermMatch(keys[int(m.lastgroup[1:])], m.start(), m.end(), m.group(0))
            for pattern, keys in self.patterns
            for m in pattern.finditer(text or "")
            if m.lastgroup is not None  # always: every alternative is a named group
        ]
        taken: list[TermMatch] = []
        for h in sorted(hits, key=lambda h: (h.start - h.end, h.start)):
            if not any(h.start < t.end and t.start < h.end for t in taken):
                taken.append(h)
        return sorted(taken, key=lambda h: h.start)


@dataclass(frozen=True)
class Facet:
    name: str
    description: str
    terms: Mapping[str, Term]
    _matchers: dict = field(default_factory=dict, compare=False, repr=False)

    def matcher(
        self,
        *,
        skip_names: frozenset[str] = frozenset(),
        skip_terms: frozenset[str] = frozenset(),
        extra: Mapping[str, tuple[str, ...]] | None = None,
    ) -> TermMatcher:
        """A :class:`TermMatcher` for this facet's keys, labels and synonyms, leaving out the names
        in `skip_names` and the terms in `skip_terms`, with `extra` phrases (term → phrases)."""
        extra = extra or {}
        cache_key = (skip_names, skip_terms, tuple(sorted((k, tuple(v)) for k, v in extra.items())))
        if cache_key not in self._matchers:
            names = [
                (n, t.key)
                for t in self.terms.values()
                if t.key not in skip_terms
                for n in (t.key, t.label, *t.synonyms)
                if n not in skip_names and "(" not in n
            ]
            names += [(p, key) for key, phrases in extra.items() for p in phrases]
            self._matchers[cache_key] = TermMatcher.build(names)
        return self._matchers[cache_key]

    @cached_property
    def index(self) -> dict[str, str]:
        idx: dict[str, str] = {}
        for term in self.terms.values():
            for name in (term.key, term.label, *term.synonyms):
                idx.setdefault(normalize(name), term.key)
        return idx

    @cached_property
    def children(self) -> dict[str, tuple[str, ...]]:
        kids: dict[str, list[str]] = {k: [] for k in self.terms}
        for term in self.terms.values():
            if term.parent:
                kids[term.parent].append(term.key)
        return {k: tuple(v) for k, v in kids.items()}

    def resolve(self, value: str) -> str | None:
        """Canonical key of `value` (a key, label or synonym), or None."""
        return self.index.get(normalize(value))

    def suggest(self, value: str) -> str | None:
        """The closest known term for a near miss, or None."""
        norm = normalize(value)
        match = difflib.get_close_matches(norm, list(self.index), n=1, cutoff=0.72)
        if match:
            return self.index[match[0]]
        # a truncated word is a good guess ("adipos" → adipose-derived stem cells → ADSC)
        qwords = norm.split()
        if qwords and len(norm) >= 4:
            for name, key in self.index.items():
                nwords = name.split()
                if all(any(w.startswith(q) for w in nwords) for q in qwords):
                    return key
        # a word-level containment is a decent guess too ("adipose stem cell" → ADSC)
        words = set(norm.split())
        best, score = None, 0.0
        for name, key in self.index.items():
            common = len(words & set(name.split()))
            s = common / max(len(words), len(name.split()))
            if common and s > score:
                best, score = key, s
        return best if score >= 0.5 else None

    def descendants(self, key: str) -> frozenset[str]:
        """`key` and every term below it."""
        out, stack = set(), [key]
        while stack:
            k = stack.pop()
            if k not in out:
                out.add(k)
                stack.extend(self.children.get(k, ()))
        return frozenset(out)

    def ancestors(self, key: str) -> tuple[str, ...]:
        out, k = [], self.terms[key].parent
        while k:
            out.append(k)
            k = self.terms[k].parent
        return tuple(out)

    def label(self, key: str) -> str:
        term = self.terms.get(key)
        return term.label if term else key

    def unknown_message(self, value: str) -> str:
        hint = self.suggest(value)
        known = ", ".join(list(self.terms)[:8]) + (", …" if len(self.terms) > 8 else "")
        tip = f"did you mean '{hint}'?" if hint else f"known terms: {known}"
        return f"'{value}' is not a known {self.name} term; {tip} (see evidence/vocabulary.yaml)"


@dataclass(frozen=True)
class Vocabulary:
    facets: Mapping[str, Facet]

    def __getitem__(self, name: str) -> Facet:
        return self.facets[name]

    def __contains__(self, name: str) -> bool:
        return name in self.facets

    def resolve(self, facet: str, value: str) -> str:
        """Canonical key or a :class:`VocabularyError` with a suggestion."""
        key = self.facets[facet].resolve(value)
        if key is None:
            raise VocabularyError(
                [Problem("", None, facet, self.facets[facet].unknown_message(value), "unknown-term")]
            )
        return key

    def to_data(self) -> dict[str, Any]:
        """The vocabulary as the plain data :meth:`from_data` reads (for the load cache)."""
        out: dict[str, Any] = {}
        for name, facet in self.facets.items():
            terms = {}
            for key, term in facet.terms.items():
                entry: dict[str, Any] = {"label": term.label, "synonyms": list(term.synonyms), **term.attrs}
                if term.parent:
                    entry["parent"] = term.parent
                terms[key] = entry
            out[name] = {"description": facet.description, "terms": terms}
        return out

    def expand(self, facet: str, keys: Iterable[str]) -> frozenset[str]:
        """Keys and all their descendants."""
        out: set[str] = set()
        for k in keys:
            out |= self.facets[facet].descendants(k)
        return frozenset(out)

    @classmethod
    def from_data(
        cls,
        data: Mapping[str, Any],
        path: str = "evidence/vocabulary.yaml",
        lines: Mapping[tuple, int] | None = None,
        *,
        check: bool = True,
    ) -> tuple[Vocabulary, list[Problem]]:
        """Build from parsed YAML; returns the vocabulary and the problems found in it.

        ``check=False`` skips the name-collision check (for a vocabulary already validated, e.g.
        read back from the load cache)."""
        lines = lines or {}
        problems: list[Problem] = []
        facets: dict[str, Facet] = {}

        def where(*loc: Any) -> int | None:
            loc_t = tuple(loc)
            while loc_t and loc_t not in lines:
                loc_t = loc_t[:-1]
            return lines.get(loc_t)

        for fname, fdata in (data or {}).items():
            if not isinstance(fdata, dict) or not isinstance(fdata.get("terms"), dict):
                problems.append(
                    Problem(path, where(fname), fname, "a facet needs a 'terms' mapping", "bad-vocabulary")
                )
                continue
            terms: dict[str, Term] = {}
            for key, tdata in fdata["terms"].items():
                tdata = tdata or {}
                if not isinstance(tdata, dict):
                    problems.append(
                        Problem(
                            path,
                            where(fname, "terms", key),
                            f"{fname}.{key}",
                            "a term must be a mapping (label, synonyms, parent)",
                            "bad-vocabulary",
                        )
                    )
                    continue
                syn = tdata.get("synonyms") or []
                if not isinstance(syn, list):
                    problems.append(
                        Problem(
                            path,
                            where(fname, "terms", key, "synonyms"),
                            f"{fname}.{key}.synonyms",
                            "synonyms must be a list",
                            "bad-vocabulary",
                        )
                    )
                    syn = []
                attrs = {k: v for k, v in tdata.items() if k not in {"label", "parent", "synonyms"}}
                terms[str(key)] = Term(
                    str(key),
                    str(tdata.get("label") or key),
                    tdata.get("parent"),
                    tuple(str(s) for s in syn),
                    attrs,
                )
            for term in terms.values():
                if term.parent and term.parent not in terms:
                    problems.append(
                        Problem(
                            path,
                            where(fname, "terms", term.key, "parent"),
                            f"{fname}.{term.key}.parent",
                            f"parent '{term.parent}' is not a term of {fname}",
                            "bad-vocabulary",
                        )
                    )
            seen: dict[str, str] = {}
            for term in terms.values() if check else ():
                for name in {normalize(n) for n in (term.key, term.label, *term.synonyms)}:
                    if name in seen and seen[name] != term.key:
                        problems.append(
                            Problem(
                                path,
                                where(fname, "terms", term.key),
                                f"{fname}.{term.key}",
                                f"'{name}' names both '{seen[name]}' and '{term.key}'; keep it on one",
                                "ambiguous-term",
                            )
                        )
                    seen.setdefault(name, term.key)
            facets[str(fname)] = Facet(str(fname), str(fdata.get("description") or ""), terms)
        return cls(facets), problems
