"""What auditing a text gives: a :class:`ClaimFinding` per claim sentence and :class:`Findings` for
the text (its references and claims), with their JSON, text, tables and HTML. :mod:`.audit` builds
them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from .cards import findings_html
from .citations import ReferenceFinding


@dataclass(frozen=True)
class ClaimFinding:
    sentence: str
    cites: tuple[str, ...]
    scope: Mapping[str, Any]
    verdict: str
    certainty: str | None
    overreach: tuple[str, ...]
    reasons: tuple[str, ...]
    studies: tuple[str, ...]
    differences: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "sentence": self.sentence,
            "cites": list(self.cites),
            "scope": dict(self.scope),
            "verdict": self.verdict,
            "certainty": self.certainty,
            "overreach": list(self.overreach),
            "reasons": list(self.reasons),
            "studies": list(self.studies),
        }


@dataclass(frozen=True)
class Findings:
    """What the audit of one text found: a finding per reference and per claim sentence."""

    references: tuple[ReferenceFinding, ...]
    claims: tuple[ClaimFinding, ...]
    notes: tuple[str, ...] = ()
    source: str = "text"

    def to_dict(self) -> dict[str, Any]:
        """The JSON form documented in docs/json.md (``exoreview audit --format json``)."""
        return {
            "references": [r.to_dict() for r in self.references],
            "claims": [c.to_dict() for c in self.claims],
        }

    def references_frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            [
                {
                    "label": r.label,
                    "status": r.status,
                    "study": r.study or "",
                    "differences": "\n".join(r.differences),
                    "text": r.text,
                }
                for r in self.references
            ],
            columns=["label", "status", "study", "differences", "text"],
        )

    def claims_frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            [
                {
                    "sentence": c.sentence,
                    "cites": ", ".join(c.cites),
                    "verdict": c.verdict,
                    "certainty": c.certainty or "—",
                    "overreach": "\n".join(c.overreach),
                    "reasons": "\n".join(c.reasons),
                    "studies": ", ".join(c.studies[:8])
                    + (f" … (+{len(c.studies) - 8})" if len(c.studies) > 8 else ""),
                }
                for c in self.claims
            ],
            columns=["sentence", "cites", "verdict", "certainty", "overreach", "reasons", "studies"],
        )

    def summary(self) -> str:
        rs = Counter(r.status for r in self.references)
        cs = Counter(c.verdict for c in self.claims)
        refs = ", ".join(f"{n} {s}" for s, n in rs.items()) or "none found"
        claims = ", ".join(f"{n} {v}" for v, n in cs.items()) or "none found"
        return f"{self.source}: references: {refs}; claims: {claims}"

    def to_text(self) -> str:
        lines = [self.summary(), "", "REFERENCES"]
        if not self.references:
            lines.append("  (no reference list found)")
        for r in self.references:
            lines.append(f"  [{r.label}] {r.status}" + (f" → {r.study}" if r.study else ""))
            lines.append(f"      {r.text}")
            lines += [f"      - {d}" for d in r.differences]
        lines += ["", "CLAIMS"]
        if not self.claims:
            lines.append("  (no sentence about exosomes/EVs and hair found)")
        for i, c in enumerate(self.claims, 1):
            lines.append(f"  {i}. {c.sentence}")
            lines.append(
                f"      verdict: {c.verdict}; certainty: {c.certainty or '—'}; cites: "
                f"{', '.join(c.cites) or 'nothing'}"
            )
            scope = "; ".join(
                f"{k}: {', '.join(v)}" for k, v in c.scope.items() if v and isinstance(v, tuple)
            )
            if scope:
                lines.append(f"      asserts: {c.scope.get('asserts')}; {scope}")
            lines += [f"      - {r}" for r in c.reasons]
            lines += [f"      ! overreach: {o}" for o in c.overreach]
        if self.notes:
            lines += ["", "NOTES"] + [f"  {n}" for n in self.notes]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        return findings_html(self)
