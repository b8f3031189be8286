"""What grading a claim gives: :class:`Assessment` (verdict, certainty, domains, the studies for,
against and bordering, with reasons) and the ways it is read (plain words, JSON, text, a card, a
summary table). :mod:`.grade` builds it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..core.claims import Claim
from . import grading_rules
from .cards import card_html
from .domains import Domain


@dataclass(frozen=True)
class StudyRole:
    """A study (or regulatory record) placed against a claim."""

    key: str
    role: str  # supporting | contradicting | bordering
    reason: str
    kind: str = "study"  # study | regulatory
    tier: str | None = None


@dataclass(frozen=True)
class Assessment:
    """The grade of one claim: verdict, certainty, five reasoned domains, and the studies behind it."""

    claim: Claim
    verdict: str
    certainty: str | None
    start: str | None
    start_reason: str
    domains: tuple[Domain, ...]
    upgrade: Domain
    supporting: tuple[StudyRole, ...]
    contradicting: tuple[StudyRole, ...]
    bordering: tuple[StudyRole, ...]
    reasons: tuple[str, ...]
    strongest_design: str | None = None
    participants: int = 0
    animals: int = 0
    species: tuple[str, ...] = ()
    body: str = "none"  # direct | indirect | none
    reading: tuple[tuple[str, int], ...] = ()  # (text read, studies) over the body of evidence
    bounded: bool = False  # a domain could not be assessed: the certainty is an upper bound
    certainty_of: str = "the claim"  # what the certainty is about (for contradicted: the contradiction)
    carried_by: str | None = None  # the design stratum whose certainty the claim has
    strata: tuple[str, ...] = ()  # every stratum of the body with its certainty

    @property
    def certainty_shown(self) -> str:
        """'low', 'moderate at most', '—'."""
        if self.certainty is None:
            return "—"
        return f"{self.certainty} at most" if self.bounded else self.certainty

    @property
    def plain_language(self) -> str:
        """The verdict in GRADE's plain words: 'May be true: <statement>'."""
        s = self.claim.statement
        if self.verdict == "misattributed":
            return f"Its references do not show it: {s}"
        if self.verdict == "contradicted":
            return (
                f"The evidence says otherwise (certainty of the contradiction: {self.certainty_shown}): {s}"
            )
        if self.verdict == "no-evidence":
            return f"No study with results addresses it: {s}"
        if self.verdict == "preclinical-only":
            return f"Not tested in people; only cell or animal studies: {s}"
        level = self.certainty or "very low"
        if self.bounded and level in ("high", "moderate"):
            level = "low"  # what could not be assessed keeps the wording at 'may'
        words = grading_rules.PLAIN_LANGUAGE[level]
        return f"{words[0].upper()}{words[1:]} (certainty: {self.certainty_shown}): {s}"

    @property
    def reading_note(self) -> str | None:
        """One line when the body of evidence was mostly read from less than the full text."""
        total = sum(n for _level, n in self.reading)
        full = dict(self.reading).get("full text", 0)
        if not total or full * 2 > total:
            return None
        return (
            f"mostly abstract-level: {full} of {total} studies in the body read in full text; risk of "
            "bias, EV characterisation and effect sizes could not be judged for the others"
        )

    def domain(self, name: str) -> Domain:
        return next(d for d in self.domains if d.name == name)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form documented in docs/json.md (``exoreview grade --format json``)."""
        roles = (*self.supporting, *self.contradicting, *self.bordering)
        return {
            "claim": self.claim.key,
            "statement": self.claim.statement,
            "verdict": self.verdict,
            "certainty": self.certainty,
            "certainty_bounded": self.bounded,
            "certainty_of": self.certainty_of,
            "plain_language": self.plain_language,
            "carried_by": self.carried_by,
            "strata": list(self.strata),
            "domains": {d.name: {"rating": d.rating, "reason": d.reason} for d in self.domains},
            "studies": {
                "supporting": [r.key for r in self.supporting],
                "contradicting": [r.key for r in self.contradicting],
                "bordering": [r.key for r in self.bordering],
            },
            "reasons": list(self.reasons),
            "start": self.start,
            "start_reason": self.start_reason,
            "upgrade": {"rating": self.upgrade.rating, "reason": self.upgrade.reason},
            "reading": dict(self.reading),
            "reading_note": self.reading_note,
            "strongest_design": self.strongest_design,
            "participants": self.participants,
            "animals": self.animals,
            "species": list(self.species),
            "study_reasons": {r.key: r.reason for r in roles},
        }

    def to_text(self) -> str:
        lines = [
            f"{self.claim.key}: {self.claim.statement}",
            f"  verdict: {self.verdict}   certainty: {self.certainty_shown} (of {self.certainty_of})"
            + (f"; starts {self.start}: {self.start_reason}" if self.start else ""),
            f"  in plain words: {self.plain_language}",
        ]
        lines += [f"  because: {r}" for r in self.reasons]
        if self.reading_note:
            lines.append(f"  note: {self.reading_note}")
        for d in self.domains:
            lines.append(f"  {d.name}: {d.rating}: {d.reason}")
        lines.append(f"  upgrade: {self.upgrade.rating}: {self.upgrade.reason}")
        if self.strongest_design:
            lines.append(
                f"  strongest design: {self.strongest_design}; participants {self.participants}; "
                f"animals {self.animals}; species {', '.join(self.species) or '—'}"
            )
        for label, roles in (
            ("supporting", self.supporting),
            ("contradicting", self.contradicting),
            ("bordering", self.bordering),
        ):
            for r in roles:
                lines.append(f"  {label}: {r.key}: {r.reason}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        return card_html(self)


def summary_frame(assessments: Sequence[Assessment]) -> pd.DataFrame:
    """One row a claim: verdict, certainty, domain ratings, study counts."""
    rows = []
    for a in assessments:
        rows.append(
            {
                "claim": a.claim.key,
                "statement": a.claim.statement,
                "verdict": a.verdict,
                "certainty": a.certainty or "—",
                **{d.name: d.rating for d in a.domains},
                "supporting": len(a.supporting),
                "contradicting": len(a.contradicting),
                "bordering": len(a.bordering),
                "strongest design": a.strongest_design or "—",
            }
        )
    return pd.DataFrame(rows)
