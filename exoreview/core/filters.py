"""The one filter spec shared by notebooks, the dashboard and the CLI.

A :class:`Filter` is frozen data; ``apply`` is pure and returns a new :class:`Evidence`. Each
option is declared once in :data:`FIELDS`; that table drives the CLI options, the English
description that titles every figure and table ("ADSC or BM-MSC · mouse · 2017–2024") and the
dashboard controls.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from typing import Any

import numpy as np
import pandas as pd

from ..errors import Problem, VocabularyError
from .evidence import Evidence
from .vocab import Vocabulary


@dataclass(frozen=True)
class FilterField:
    name: str  # attribute of Filter
    kind: str  # terms | level | year | text | flag
    facet: str | None  # vocabulary facet for terms/level
    flag: str  # CLI option
    help: str

    @property
    def term_facet(self) -> str:
        """The vocabulary facet of a terms or level field; the other kinds have none."""
        if self.facet is None:
            raise ValueError(f"filter field {self.name!r} ({self.kind}) has no vocabulary facet")
        return self.facet


FIELDS: tuple[FilterField, ...] = (
    FilterField(
        "cell_sources",
        "terms",
        "cell_source",
        "--cell-source",
        "cell source (MSC includes ADSC, BM-MSC, ...); repeat for several",
    ),
    FilterField("vesicle_terms", "terms", "vesicle_term", "--vesicle", "vesicle term (exosome, EV, ...)"),
    FilterField("designs", "terms", "design", "--design", "study design (animal, case series, ...)"),
    FilterField(
        "min_design",
        "level",
        "design",
        "--min-design",
        "keep studies whose best design is at least this strong",
    ),
    FilterField("species", "terms", "species", "--species", "species (human, mouse, ...)"),
    FilterField("models", "terms", "model", "--model", "experimental model (clinical, androgen model, ...)"),
    FilterField("conditions", "terms", "condition", "--condition", "condition (AGA includes MPHL and FPHL)"),
    FilterField(
        "outcomes",
        "terms",
        "outcome",
        "--outcome",
        "outcome or outcome group (clinical, hair-cycle, hair density, ...)",
    ),
    FilterField("year_from", "year", None, "--year-from", "first publication year"),
    FilterField("year_to", "year", None, "--year-to", "last publication year"),
    FilterField("text", "text", None, "--text", "words in title, authors, notes or source text"),
    FilterField(
        "include_conditioned_medium",
        "flag",
        None,
        "--no-conditioned-medium",
        "leave out conditioned-medium / secretome studies (no isolated vesicles)",
    ),
    FilterField(
        "include_registry",
        "flag",
        None,
        "--no-registry",
        "leave out registered trials and protocols without results",
    ),
    FilterField("include_reviews", "flag", None, "--no-reviews", "leave out reviews"),
)
TERM_FIELDS = tuple(f for f in FIELDS if f.kind == "terms")
_TEXT_COLUMNS = (
    "title",
    "authors",
    "journal",
    "notes",
    "cell_source_text",
    "vesicle_term_text",
    "outcome_summary",
    "key",
)


@dataclass(frozen=True)
class Filter:
    """What to keep. Empty options keep everything; options combine with AND, terms within an
    option with OR; terms include their descendants in the vocabulary hierarchy."""

    cell_sources: tuple[str, ...] = ()
    vesicle_terms: tuple[str, ...] = ()
    designs: tuple[str, ...] = ()
    min_design: str | None = None
    species: tuple[str, ...] = ()
    models: tuple[str, ...] = ()
    conditions: tuple[str, ...] = ()
    outcomes: tuple[str, ...] = ()
    year_from: int | None = None
    year_to: int | None = None
    text: str | None = None
    include_conditioned_medium: bool = True
    include_registry: bool = True
    include_reviews: bool = True

    def __post_init__(self) -> None:
        for f in TERM_FIELDS:
            val = getattr(self, f.name)
            if isinstance(val, str):
                val = (val,)
            object.__setattr__(self, f.name, tuple(v for v in (val or ()) if v))
        if self.text is not None and not str(self.text).strip():
            object.__setattr__(self, "text", None)
        if self.min_design == "":
            object.__setattr__(self, "min_design", None)

    # -- resolution ------------------------------------------------------------------------
    def resolved(self, vocabulary: Vocabulary) -> Filter:
        """The same filter with every term in canonical form; unknown terms raise
        :class:`VocabularyError` listing all of them, each with a suggestion."""
        changes: dict[str, Any] = {}
        problems: list[Problem] = []
        for f in FIELDS:
            if f.kind not in {"terms", "level"}:
                continue
            val = getattr(self, f.name)
            vals = (val,) if isinstance(val, str) else (val or ())
            out = []
            for v in vals:
                key = vocabulary[f.term_facet].resolve(v)
                if key is None:
                    problems.append(
                        Problem(
                            "",
                            None,
                            f.flag.lstrip("-"),
                            vocabulary[f.term_facet].unknown_message(v),
                            "unknown-term",
                        )
                    )
                elif key not in out:
                    out.append(key)
            if f.kind == "level" and out:
                if vocabulary["design"].terms[out[0]].get("level") is None:
                    problems.append(
                        Problem(
                            "",
                            None,
                            f.flag.lstrip("-"),
                            f"'{out[0]}' has no evidence level; choose a ranked design",
                            "no-level",
                        )
                    )
                changes[f.name] = out[0]
            elif f.kind == "terms":
                changes[f.name] = tuple(out)
        if self.year_from and self.year_to and self.year_from > self.year_to:
            problems.append(
                Problem(
                    "",
                    None,
                    "year",
                    f"year range {self.year_from}–{self.year_to} is "
                    "empty; the first year must not be after the last",
                    "bad-range",
                )
            )
        if problems:
            raise VocabularyError(problems)
        return replace(self, **changes)

    @property
    def is_empty(self) -> bool:
        return self == Filter()

    # -- applying ----------------------------------------------------------------------------
    def mask(self, evidence: Evidence) -> np.ndarray:
        """Boolean array over ``evidence.studies`` rows."""
        spec = self.resolved(evidence.vocabulary)
        st = evidence.studies
        keys = st["key"]
        mask = np.ones(len(st), dtype=bool)
        tags = evidence.tags
        for f in TERM_FIELDS:
            terms = getattr(spec, f.name)
            if not terms:
                continue
            allowed = evidence.vocabulary.expand(f.term_facet, terms)
            facet_rows = tags[(tags["facet"] == f.facet).to_numpy(dtype=bool)]
            hit = facet_rows.loc[facet_rows["term"].isin(allowed).to_numpy(dtype=bool), "study"]
            mask &= keys.isin(set(hit)).to_numpy(dtype=bool)
        if spec.min_design:
            level = evidence.vocabulary["design"].terms[spec.min_design].get("level")
            lv = st["design_level"]
            mask &= (lv.notna() & (lv.fillna(99) <= level)).to_numpy(dtype=bool)
        year = st["year"]
        if spec.year_from is not None:
            mask &= (year.notna() & (year.fillna(0) >= spec.year_from)).to_numpy(dtype=bool)
        if spec.year_to is not None:
            mask &= (year.notna() & (year.fillna(0) <= spec.year_to)).to_numpy(dtype=bool)
        if spec.text:
            hay = st[list(_TEXT_COLUMNS)].fillna("").astype(str).agg(" ".join, axis=1)
            mask &= hay.str.contains(spec.text, case=False, regex=False).to_numpy(dtype=bool)
        if not spec.include_conditioned_medium:
            mask &= st["isolated_vesicles"].fillna(False).to_numpy(dtype=bool)
        if not spec.include_registry:
            mask &= st["has_results"].fillna(False).to_numpy(dtype=bool)
        if not spec.include_reviews:
            mask &= ~st["tier"].isin(["systematic review", "narrative review"]).to_numpy(dtype=bool)
        return mask

    def apply(self, evidence: Evidence) -> Evidence:
        """A new Evidence holding only the studies this filter keeps (the input is untouched)."""
        if self.is_empty:
            return evidence
        return evidence.subset(evidence.studies.loc[self.mask(evidence), "key"])

    # -- describing ----------------------------------------------------------------------------
    def describe(self) -> str:
        """Short English description: 'ADSC or BM-MSC · mouse · 2017–2024'; 'all studies' if empty."""
        parts: list[str] = []
        for f in FIELDS:
            val = getattr(self, f.name)
            if f.kind == "terms" and val:
                parts.append(" or ".join(val))
            elif f.kind == "level" and val:
                parts.append(f"{val} or stronger")
            elif f.name == "year_from" and (self.year_from or self.year_to):
                if self.year_from and self.year_to:
                    parts.append(
                        f"{self.year_from}–{self.year_to}"
                        if self.year_from != self.year_to
                        else str(self.year_from)
                    )
                elif self.year_from:
                    parts.append(f"{self.year_from} onwards")
                else:
                    parts.append(f"up to {self.year_to}")
            elif f.kind == "text" and val:
                parts.append(f"“{val}”")
            elif f.kind == "flag" and val is False:
                parts.append(
                    {
                        "include_conditioned_medium": "no conditioned medium",
                        "include_registry": "no registry records",
                        "include_reviews": "no reviews",
                    }[f.name]
                )
        return " · ".join(parts) or "all studies"

    def slug(self, max_len: int = 80) -> str:
        """File-name-safe form of the description ('adsc-or-bm-msc_mouse_2017-2024')."""
        text = self.describe().replace(" · ", "_").replace("–", "-")
        text = re.sub(r"[^A-Za-z0-9_.-]+", "-", text.replace(" or ", "-or-")).strip("-_.")
        return (text.lower()[:max_len].rstrip("-_.")) or "all-studies"

    def to_dict(self) -> dict[str, Any]:
        """Only the options that differ from the default (for JSON and file names)."""
        default = Filter()
        return {
            f.name: (list(v) if isinstance(v, tuple) else v)
            for f in fields(self)
            if (v := getattr(self, f.name)) != getattr(default, f.name)
        }


def apply(evidence: Evidence, spec: Filter | None = None, **options: Any) -> Evidence:
    """Shortcut: ``apply(ev, cell_sources=["ADSC"])``."""
    return (spec or Filter(**options)).apply(evidence)


def count_by(evidence: Evidence, facet: str) -> pd.Series:
    """Studies per term of a facet (a study counts once per term)."""
    t = evidence.tags
    sub = t[(t["facet"] == facet).to_numpy(dtype=bool)]
    return sub.groupby("label", observed=True)["study"].nunique().sort_values(ascending=False)


def terms_in(evidence: Evidence, facet: str) -> list[str]:
    """Terms of `facet` that occur in the evidence, in vocabulary order (for controls)."""
    present = set(evidence.tags.loc[(evidence.tags["facet"] == facet).to_numpy(dtype=bool), "term"])
    facet_ = evidence.vocabulary[facet]
    with_ancestors: set[str] = set()
    for k in present:
        with_ancestors.add(k)
        with_ancestors.update(facet_.ancestors(k))
    return [k for k in facet_.terms if k in with_ancestors]
