"""Loading and validating the evidence folder into tidy tables.

``load(path)`` reads ``vocabulary.yaml``, ``schema.yaml`` and every file of ``studies/``,
``regulatory/`` and ``claims/``, checks them all, and returns an :class:`Evidence` with tidy pandas
tables and explicit dtypes. Any problem anywhere raises one :class:`ValidationError` carrying every
problem found. ``validate(path)`` returns the same report without raising. Nothing is written.
"""

from __future__ import annotations

import html
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from ..errors import ValidationError
from . import cache, extraction, levels
from .claims import claim_frames
from .paths import default_path
from .validate import check_all
from .vocab import Vocabulary

# study-level facets stored in the long `tags` table (facet → record field)
TAG_FIELDS: tuple[tuple[str, str], ...] = (
    ("cell_source", "cell_source"),
    ("vesicle_term", "vesicle_term"),
    ("design", "design"),
    ("condition", "condition"),
    ("route", "route"),
    ("isolation", "isolation"),
    ("characterization", "characterization"),
    ("mechanism", "mechanisms"),
)

STUDY_DTYPES: dict[str, str] = {
    "key": "string",
    "title": "string",
    "authors": "string",
    "first_author": "string",
    "journal": "string",
    "year": "Int64",
    "volume": "string",
    "issue": "string",
    "pages": "string",
    "doi": "string",
    "pmid": "string",
    "registry_id": "string",
    "citation": "string",
    "citation_status": "category",
    "confidence": "category",
    "extraction_level": "category",
    "extraction_source": "string",
    "not_reported": "string",
    "n_status": "string",
    "dose_status": "string",
    "funding_status": "string",
    "publication_status": "category",
    "has_results": "boolean",
    "notice": "string",
    "cell_source": "string",
    "cell_source_text": "string",
    "vesicle_term": "string",
    "vesicle_term_text": "string",
    "isolated_vesicles": "boolean",
    "conditioned_medium": "boolean",
    "design": "category",
    "design_level": "Int64",
    "designs": "string",
    "tier": "category",
    "species": "string",
    "models": "string",
    "human": "boolean",
    "condition": "string",
    "route": "string",
    "n_text": "string",
    "n_participants": "Int64",
    "n_animals": "Int64",
    "dose": "string",
    "comparator": "string",
    "follow_up": "string",
    "follow_up_weeks": "Float64",
    "outcome_summary": "string",
    "mechanisms": "string",
    "funding_coi": "string",
    "industry_funded": "boolean",
    "adverse_events": "string",
    "notes": "string",
    "verified_at": "string",
    "file": "string",
}
OUTCOME_DTYPES: dict[str, str] = {
    "study": "string",
    "index": "Int64",
    "outcome": "category",
    "group": "category",
    "measure": "string",
    "direction": "category",
    "detail": "string",
    "timepoint": "string",
    "summary": "string",
    "unit": "string",
    "baseline": "Float64",
    "value": "Float64",
    "change": "Float64",
    "change_sd": "Float64",
    "control_change": "Float64",
    "change_pct": "Float64",
    "control_change_pct": "Float64",
    "n": "Int64",
    "p_value": "Float64",
    "effect_source": "string",
    "source": "string",
    "seen_in": "category",
    "comparison": "string",
    "paired": "boolean",
}
# one row a study × outcome × arm (per-arm numbers as reported)
ARM_DTYPES: dict[str, str] = {
    "study": "string",
    "index": "Int64",
    "arm": "Int64",
    "label": "string",
    "role": "category",
    "n": "Int64",
    "mean": "Float64",
    "sd": "Float64",
    "se": "Float64",
    "ci_low": "Float64",
    "ci_high": "Float64",
    "ci_level": "Float64",
    "median": "Float64",
    "q1": "Float64",
    "q3": "Float64",
    "events": "Int64",
}
MODEL_DTYPES = {"study": "string", "model": "category", "species": "category", "detail": "string"}
TAG_DTYPES = {"study": "string", "facet": "category", "term": "string", "label": "string"}
REGULATORY_DTYPES: dict[str, str] = {
    "key": "string",
    "title": "string",
    "issuer": "string",
    "date": "string",
    "year": "Int64",
    "url": "string",
    "kind": "category",
    "region": "string",
    "topics": "string",
    "approved_products": "Int64",
    "adverse_events_reported": "boolean",
    "serious_adverse_events": "boolean",
    "hair_use": "boolean",
    "events_in": "string",
    "events_in_hair": "boolean",
    "doi": "string",
    "facts": "string",
    "n_facts": "Int64",
    "notes": "string",
    "verified_at": "string",
    "file": "string",
}
DIRECTIONS = ("increased", "decreased", "no significant change", "mixed", "planned")


def _frame(rows: list[dict], dtypes: Mapping[str, str]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=list(dtypes))
    for col, dtype in dtypes.items():
        if dtype == "category":
            df[col] = df[col].astype("string").astype("category")
        else:
            df[col] = df[col].astype(dtype)
    return df


@dataclass(frozen=True)
class Evidence:
    """The evidence base as tidy tables. Views read these; they never re-read files.

    studies      one row a study (citation, design tier, display columns)
    outcomes     one row a study × outcome (measure, direction, effect numbers, where it was read)
    arms         one row a study × outcome × arm (per-arm n, mean with SD / SE / CI, medians)
    models       one row a study × experimental system (model, species, detail)
    tags         one row a study × facet × term (cell_source, design, condition, mechanism, ...)
    mechanisms   one row a study × mechanism term
    regulatory   one row a regulator's notice or safety record
    claims, claim_links   claims and the studies they cite (see the claims issue)
    """

    studies: pd.DataFrame
    outcomes: pd.DataFrame
    arms: pd.DataFrame
    models: pd.DataFrame
    tags: pd.DataFrame
    mechanisms: pd.DataFrame
    regulatory: pd.DataFrame
    claims: pd.DataFrame
    claim_links: pd.DataFrame
    vocabulary: Vocabulary
    records: Mapping[str, Mapping[str, Any]] = field(repr=False)
    regulatory_records: Mapping[str, Mapping[str, Any]] = field(repr=False)
    claim_records: Mapping[str, Mapping[str, Any]] = field(repr=False)
    root: str = "evidence"  # the folder it was loaded from (absolute path)

    def __len__(self) -> int:
        return len(self.studies)

    def __repr__(self) -> str:
        return (
            f"<Evidence {self.root}: {len(self.studies)} studies, {len(self.outcomes)} outcomes, "
            f"{len(self.regulatory)} regulatory records, {len(self.claims)} claims>"
        )

    def study(self, key: str) -> Mapping[str, Any]:
        """The validated record of one study (KeyError names the key)."""
        return self.records[key]

    def subset(self, keys: Iterable[str]) -> Evidence:
        """The same evidence restricted to `keys` (order of `studies` kept); a new object."""
        keys = set(keys)

        def keep(df: pd.DataFrame, col: str) -> pd.DataFrame:
            # a plain membership test: Series.isin converts the set on every call (about 0.1 s at any size)
            return df[np.array([k in keys for k in df[col].tolist()], dtype=bool)].reset_index(drop=True)

        return replace(
            self,
            studies=keep(self.studies, "key"),
            outcomes=keep(self.outcomes, "study"),
            arms=keep(self.arms, "study"),
            models=keep(self.models, "study"),
            tags=keep(self.tags, "study"),
            mechanisms=keep(self.mechanisms, "study"),
            records=(
                self.records.restricted(keys)
                if hasattr(self.records, "restricted")
                else MappingProxyType({k: v for k, v in self.records.items() if k in keys})
            ),
        )

    def summary(self) -> str:
        n_inc = int((self.studies["citation_status"] == "incomplete").sum())
        return (
            f"{len(self.studies)} studies, {len(self.outcomes)} outcomes, "
            f"{len(self.regulatory)} regulatory records"
            + (f", {len(self.claims)} claims" if len(self.claims) else "")
            + f"; {n_inc} incomplete citations"
        )

    def _repr_html_(self) -> str:
        return f"<p><b>Evidence</b> ({html.escape(self.root)}): {html.escape(self.summary())}</p>"


def load(path: str | os.PathLike | None = None) -> Evidence:
    """Read and validate the evidence folder; raise :class:`ValidationError` with every problem.

    Without `path`: $EXOREVIEW_EVIDENCE, ./evidence, or the nearest evidence/ above. The tables
    built from an unchanged folder are read back from the load cache (:mod:`.cache`)."""
    root = Path(path) if path is not None else default_path()
    stored = cache.read(root)
    if stored is not None:
        tables, records, vocab_data = stored
        stored_vocab, _ = Vocabulary.from_data(vocab_data, check=False)  # it was validated when stored
        return Evidence(**tables, **records, vocabulary=stored_vocab, root=str(root.resolve()))
    problems, vocab, recs = check_all(root)
    if problems:
        problems.sort(key=lambda p: (p.path, p.line or 0))
        raise ValidationError(problems)
    assert vocab is not None
    evidence = build(recs["studies"], recs["regulatory"], recs["claims"], vocab, str(root.resolve()))
    cache.write(
        root,
        {name: getattr(evidence, name) for name in cache.TABLES},
        {name: getattr(evidence, name) for name in cache.RECORDS},
        vocab.to_data(),
    )
    return evidence


# ---------------------------------------------------------------------------------------------
def _labels(vocab: Vocabulary, facet: str, keys: Iterable[str]) -> str:
    return " · ".join(vocab[facet].label(k) for k in keys)


def _citation(rec: Mapping[str, Any]) -> str:
    authors = rec.get("authors") or []
    first = authors[0] if authors else "[authors not seen]"
    etal = " et al." if len([a for a in authors if a != "et al."]) > 1 else ""
    first = first if first != "et al." else "[authors not seen]"
    year = rec.get("year") or "n.d."
    return f"{first}{etal} ({year}). {rec.get('journal')}"


def study_row(rec: Mapping[str, Any], vocab: Vocabulary) -> dict[str, Any]:
    """The `studies` row of one validated record (display columns derived here, once)."""
    design = vocab["design"]
    levels_ = [design.terms[d].get("level") for d in rec["design"]]
    levels_ = [lv for lv in levels_ if lv is not None]
    top_level = min(levels_) if levels_ else None
    top = min(rec["design"], key=lambda d: design.terms[d].get("level") or 99)
    has_results = bool(vocab["publication_status"].terms[rec["publication_status"]].get("results"))
    isolated = [bool(vocab["vesicle_term"].terms[v].get("isolated")) for v in rec["vesicle_term"]]
    models = rec.get("models") or []
    notice = rec.get("notice")
    authors = [a for a in rec.get("authors") or []]
    return {
        "key": rec["key"],
        "title": rec["title"],
        "authors": "; ".join(authors),
        "first_author": authors[0] if authors and authors[0] != "et al." else None,
        "journal": rec["journal"],
        "year": rec.get("year"),
        "volume": rec.get("volume"),
        "issue": rec.get("issue"),
        "pages": rec.get("pages"),
        "doi": rec.get("doi"),
        "pmid": rec.get("pmid"),
        "registry_id": rec.get("registry_id"),
        "citation": _citation(rec),
        "citation_status": levels.citation_status(rec),
        "confidence": rec["confidence"],
        "extraction_level": (rec.get("extraction") or {}).get("level"),
        "extraction_source": (rec.get("extraction") or {}).get("source"),
        "not_reported": "; ".join(rec.get("not_reported") or []) or None,
        "n_status": (
            extraction.REPORTED
            if rec.get("n_participants") is not None or rec.get("n_animals") is not None
            else extraction.fact_status(
                rec,
                "n_participants"
                if any(m["model"] == "clinical" for m in rec.get("models") or [])
                else "n_animals",
            )
        ),
        "dose_status": extraction.fact_status(rec, "dose"),
        "funding_status": extraction.fact_status(rec, "funding_coi"),
        "publication_status": rec["publication_status"],
        "has_results": has_results,
        "notice": f"{notice['kind']} ({notice.get('date') or 'date not seen'})" if notice else None,
        "cell_source": _labels(vocab, "cell_source", rec["cell_source"]),
        "cell_source_text": rec.get("cell_source_text"),
        "vesicle_term": _labels(vocab, "vesicle_term", rec["vesicle_term"]),
        "vesicle_term_text": rec.get("vesicle_term_text"),
        "isolated_vesicles": any(isolated),
        "conditioned_medium": not any(isolated),
        "design": top,
        "design_level": top_level,
        "designs": _labels(vocab, "design", rec["design"]),
        "tier": levels.tier(top_level, has_results),
        "species": " · ".join(dict.fromkeys(vocab["species"].label(m["species"]) for m in models)),
        "models": " · ".join(dict.fromkeys(vocab["model"].label(m["model"]) for m in models)),
        "human": any(m["model"] == "clinical" for m in models),
        "condition": _labels(vocab, "condition", rec["condition"]),
        "route": _labels(vocab, "route", rec.get("route") or []),
        "n_text": rec.get("n_text"),
        "n_participants": rec.get("n_participants"),
        "n_animals": rec.get("n_animals"),
        "dose": rec.get("dose"),
        "comparator": rec.get("comparator"),
        "follow_up": rec.get("follow_up"),
        "follow_up_weeks": rec.get("follow_up_weeks"),
        "outcome_summary": "; ".join(f"{o['measure']} ({o['direction']})" for o in rec.get("outcomes") or []),
        "mechanisms": _labels(vocab, "mechanism", rec.get("mechanisms") or []),
        "funding_coi": rec.get("funding_coi"),
        "industry_funded": rec.get("industry_funded"),
        "adverse_events": rec.get("adverse_events"),
        "notes": rec.get("notes"),
        "verified_at": "\n".join(rec.get("verified_at") or []),
        "file": rec.get("_file"),
    }


def build(
    studies: Mapping[str, dict],
    regulatory: Mapping[str, dict],
    claims: Mapping[str, dict],
    vocab: Vocabulary,
    root: str = "evidence",
) -> Evidence:
    """Tidy tables from validated records (used by ``load`` and by tests building data in code)."""
    srows, orows, arows, mrows, trows = [], [], [], [], []
    for key in sorted(studies, key=lambda k: (studies[k].get("year") or 9999, k)):
        rec = studies[key]
        srows.append(study_row(rec, vocab))
        for i, o in enumerate(rec.get("outcomes") or []):
            eff = o.get("effect") or {}
            orows.append(
                {
                    "study": key,
                    "index": i,
                    "outcome": o["outcome"],
                    "group": vocab["outcome"].terms[o["outcome"]].get("group"),
                    "measure": o["measure"],
                    "direction": o["direction"],
                    "detail": o.get("detail"),
                    **{
                        k: eff.get(k)
                        for k in (
                            "timepoint",
                            "summary",
                            "unit",
                            "baseline",
                            "value",
                            "change",
                            "change_sd",
                            "control_change",
                            "change_pct",
                            "control_change_pct",
                            "n",
                            "p_value",
                        )
                    },
                    "effect_source": eff.get("source"),
                    "source": o.get("source"),
                    "seen_in": o.get("seen_in") or (rec.get("extraction") or {}).get("level"),
                    "comparison": eff.get("comparison"),
                    "paired": eff.get("paired"),
                }
            )
            for a, arm in enumerate(eff.get("arms") or []):
                arows.append(
                    {
                        "study": key,
                        "index": i,
                        "arm": a,
                        **{k: arm.get(k) for k in ARM_DTYPES if k not in ("study", "index", "arm")},
                    }
                )
        for m in rec.get("models") or []:
            mrows.append(
                {"study": key, "model": m["model"], "species": m["species"], "detail": m.get("detail")}
            )
        for facet, fld in TAG_FIELDS:
            for term in dict.fromkeys(rec.get(fld) or []):
                trows.append({"study": key, "facet": facet, "term": term, "label": vocab[facet].label(term)})
        for facet, fld in (("model", "model"), ("species", "species")):
            for term in dict.fromkeys(m[fld] for m in rec.get("models") or []):
                trows.append({"study": key, "facet": facet, "term": term, "label": vocab[facet].label(term)})
        for term in dict.fromkeys(o["outcome"] for o in rec.get("outcomes") or []):
            trows.append(
                {"study": key, "facet": "outcome", "term": term, "label": vocab["outcome"].label(term)}
            )
        trows.append(
            {
                "study": key,
                "facet": "publication_status",
                "term": rec["publication_status"],
                "label": vocab["publication_status"].label(rec["publication_status"]),
            }
        )
    tags = _frame(trows, TAG_DTYPES)
    mech = (
        tags[tags["facet"] == "mechanism"][["study", "term", "label"]]
        .rename(columns={"term": "mechanism"})
        .reset_index(drop=True)
    )
    rrows = []
    for key in sorted(regulatory, key=lambda k: (regulatory[k].get("date") or "", k)):
        r = regulatory[key]
        rrows.append(
            {
                **{k: r.get(k) for k in REGULATORY_DTYPES if k in r},
                "year": int(r["date"][:4]) if r.get("date") else None,
                "events_in": "; ".join(
                    f"{k}: {v}"
                    for k, v in (r.get("adverse_events_in") or {}).items()
                    if v is not None and k != "hair"
                )
                or None,
                "events_in_hair": (r.get("adverse_events_in") or {}).get("hair"),
                "topics": _labels(vocab, "regulatory_topic", r.get("topics") or []),
                "facts": "\n".join(r.get("facts") or []),
                "n_facts": len(r.get("facts") or []),
                "verified_at": "\n".join(r.get("verified_at") or []),
                "file": r.get("_file"),
            }
        )
    claims_df, links_df = claim_frames(claims, vocab)
    return Evidence(
        studies=_frame(srows, STUDY_DTYPES),
        outcomes=_frame(orows, OUTCOME_DTYPES),
        arms=_frame(arows, ARM_DTYPES),
        models=_frame(mrows, MODEL_DTYPES),
        tags=tags,
        mechanisms=mech,
        regulatory=_frame(rrows, REGULATORY_DTYPES),
        claims=claims_df,
        claim_links=links_df,
        vocabulary=vocab,
        records=MappingProxyType(dict(studies)),
        regulatory_records=MappingProxyType(dict(regulatory)),
        claim_records=MappingProxyType(dict(claims)),
        root=root,
    )
