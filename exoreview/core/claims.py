"""Claims: the :class:`Claim` domain object and the two claim tables of :class:`Evidence`.

A claim file (``evidence/claims/<key>.yaml``, fields in ``evidence/schema.yaml``) states what is
asserted (``asserts``: benefit, mechanism, safety, no-harm, approval, superiority, durability, onset,
dose), its scope in
vocabulary terms, the references its author cited, and where it was made. ``Evidence.claims`` has
one row a claim; ``Evidence.claim_links`` one row a claim × cited reference (with the study key when
the cited work is in ``evidence/studies/``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from .vocab import Vocabulary

ASSERTS = (
    "benefit",
    "mechanism",
    "safety",
    "no-harm",
    "approval",
    "superiority",
    "durability",
    "onset",
    "dose",
)
SCOPE_FACETS: tuple[tuple[str, str], ...] = (  # scope field → vocabulary facet
    ("condition", "condition"),
    ("species", "species"),
    ("cell_source", "cell_source"),
    ("vesicle_term", "vesicle_term"),
    ("outcome", "outcome"),
    ("route", "route"),
)

CLAIM_DTYPES = {
    "key": "string",
    "statement": "string",
    "asserts": "category",
    "condition": "string",
    "population": "string",
    "species": "string",
    "cell_source": "string",
    "vesicle_term": "string",
    "outcome": "string",
    "route": "string",
    "comparator": "string",
    "min_follow_up_weeks": "Float64",
    "n_cites": "Int64",
    "made_in": "string",
    "quote": "string",
    "notes": "string",
    "file": "string",
}
LINK_DTYPES = {
    "claim": "string",
    "index": "Int64",
    "study": "string",
    "role": "string",
    "reference": "string",
    "note": "string",
}


@dataclass(frozen=True)
class Cite:
    """A reference as the claim's author gave it, and the study it is (when it is in the base)."""

    reference: str | None = None
    study: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Claim:
    """What a claim asserts, in vocabulary terms. Empty tuples mean "the claim does not say"."""

    key: str
    statement: str
    asserts: str = "benefit"
    condition: tuple[str, ...] = ()
    population: str | None = None
    species: tuple[str, ...] = ()
    cell_source: tuple[str, ...] = ()
    vesicle_term: tuple[str, ...] = ()
    outcome: tuple[str, ...] = ()
    route: tuple[str, ...] = ()
    comparator: str | None = None
    min_follow_up_weeks: float | None = None
    onset_weeks: float | None = None  # onset claims: results said to show within this many weeks
    dose_particles: float | None = None  # dose claims: the particle number said to be enough
    dose_sessions: float | None = None  # dose claims: the number of sessions said to be enough or needed
    unmeasured: tuple[str, ...] = ()  # mechanism claims: what no outcome of the vocabulary records
    regulator: str | None = None  # approval claims: the regulator named (FDA, TGA, ...)
    registration: bool = False  # only a facility's registration is claimed, not a product's approval
    restriction: bool = False  # a regulator's ban or warning letter is claimed, not an approval
    cites: tuple[Cite, ...] = ()
    made_in: Mapping[str, Any] = field(default_factory=dict)
    notes: str | None = None
    cells: bool = False  # the claim is about cells or follicles in culture (set by the text audit)

    def __post_init__(self) -> None:
        if self.asserts not in ASSERTS:
            raise ValueError(f"asserts must be one of {', '.join(ASSERTS)}, not {self.asserts!r}")
        for name, _ in SCOPE_FACETS:
            val = getattr(self, name)
            object.__setattr__(self, name, (val,) if isinstance(val, str) else tuple(val or ()))
        object.__setattr__(
            self, "cites", tuple(c if isinstance(c, Cite) else Cite(**c) for c in self.cites or ())
        )

    @property
    def about_people(self) -> bool:
        """True when the claim is about people, or does not say whom (judged as about people)."""
        return (not self.species and not self.cells) or "human" in self.species

    @classmethod
    def from_record(cls, rec: Mapping[str, Any]) -> Claim:
        """A Claim from a validated claim record (as in ``Evidence.claim_records``)."""
        scope = rec.get("scope") or {}
        return cls(
            key=rec["key"],
            statement=rec["statement"],
            asserts=rec.get("asserts") or "benefit",
            condition=tuple(scope.get("condition") or ()),
            population=scope.get("population"),
            species=tuple(scope.get("species") or ()),
            cell_source=tuple(scope.get("cell_source") or ()),
            vesicle_term=tuple(scope.get("vesicle_term") or ()),
            outcome=tuple(scope.get("outcome") or ()),
            route=tuple(scope.get("route") or ()),
            comparator=scope.get("comparator"),
            min_follow_up_weeks=scope.get("min_follow_up_weeks"),
            onset_weeks=scope.get("onset_weeks"),
            dose_particles=scope.get("dose_particles"),
            dose_sessions=scope.get("dose_sessions"),
            regulator=scope.get("regulator"),
            cites=tuple(
                Cite(c.get("reference"), c.get("study"), c.get("note")) for c in rec.get("cites") or []
            ),
            made_in=dict(rec.get("made_in") or {}),
            notes=rec.get("notes"),
        )

    def describe(self, vocab: Vocabulary | None = None) -> str:
        """Short scope line: 'ADSC · exosomes · male pattern hair loss · human · hair density'."""
        parts = []
        for name, facet in SCOPE_FACETS:
            vals = getattr(self, name)
            if vals:
                parts.append(" or ".join(vocab[facet].label(v) if vocab else v for v in vals))
        if self.comparator:
            parts.append(f"versus {self.comparator}")
        if self.min_follow_up_weeks:
            parts.append(f"≥ {self.min_follow_up_weeks:g} weeks")
        if self.onset_weeks:
            parts.append(f"results within {self.onset_weeks:g} weeks")
        if self.dose_particles:
            parts.append(f"{self.dose_particles:.3g} particles")
        if self.dose_sessions:
            parts.append(f"{self.dose_sessions:g} sessions")
        if self.unmeasured:
            parts.append(f"unmeasured: {', '.join(self.unmeasured)}")
        if self.regulator:
            parts.append(f"regulator: {self.regulator}")
        return " · ".join(parts) or "any scope"


def claim_frames(
    claims: Mapping[str, Mapping[str, Any]], vocab: Vocabulary
) -> tuple[pd.DataFrame, pd.DataFrame]:
    rows, links = [], []
    for key, rec in sorted(claims.items()):
        scope = rec.get("scope") or {}
        made = rec.get("made_in") or {}

        def labels(name: str, facet: str, scope=scope) -> str:
            return " · ".join(vocab[facet].label(t) for t in scope.get(name) or [])

        rows.append(
            {
                "key": key,
                "statement": rec.get("statement"),
                "asserts": rec.get("asserts") or "benefit",
                **{name: labels(name, facet) for name, facet in SCOPE_FACETS},
                "population": scope.get("population"),
                "comparator": scope.get("comparator"),
                "min_follow_up_weeks": scope.get("min_follow_up_weeks"),
                "n_cites": len(rec.get("cites") or []),
                "made_in": made.get("url") or made.get("source"),
                "quote": made.get("quote"),
                "notes": rec.get("notes"),
                "file": rec.get("_file"),
            }
        )
        for i, c in enumerate(rec.get("cites") or []):
            links.append(
                {
                    "claim": key,
                    "index": i,
                    "study": c.get("study"),
                    "role": "cited",
                    "reference": c.get("reference"),
                    "note": c.get("note"),
                }
            )
    claims_df = _typed(rows, CLAIM_DTYPES)
    links_df = _typed(links, LINK_DTYPES)
    return claims_df, links_df


def _typed(rows: list[dict], dtypes: Mapping[str, str]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=list(dtypes))
    for col, dtype in dtypes.items():
        df[col] = (
            df[col].astype("string").astype("category") if dtype == "category" else df[col].astype(dtype)
        )
    return df
