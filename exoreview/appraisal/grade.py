"""Grading a claim against the evidence: ``assess(claim, evidence) -> Assessment``.

Every study is placed against the claim's scope (:mod:`.fit`): it supports, contradicts or only
borders the claim, and the reason says why. The studies of the claimed scope (or, when there are
none, the nearest neighbouring ones) form the body of evidence, rated GRADE-style domain by domain
(:mod:`.domains`); the verdict is the first row of :data:`.grading_rules.VERDICTS` that fires.
All rules are tables in :mod:`exoreview.appraisal.grading_rules`; this module only applies them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..core.claims import Claim
from ..core.evidence import Evidence
from ..core.levels import TIERS
from ..core.values import present, shorten
from ..errors import GradingError
from . import grading_rules
from .cards import card_html
from .citations import check_reference
from .domains import Domain, rate
from .fit import SCOPE_AXES, StudyFit, fit_study, labels, relevant_intervention


@dataclass(frozen=True)
class StudyRole:
    """A study (or regulatory record) placed against a claim."""

    key: str
    role: str          # supporting | contradicting | bordering
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
    reading: tuple[tuple[str, int], ...] = ()   # (text read, studies) over the body of evidence

    @property
    def reading_note(self) -> str | None:
        """One line when the body of evidence was mostly read from less than the full text."""
        total = sum(n for _level, n in self.reading)
        full = dict(self.reading).get("full text", 0)
        if not total or full * 2 > total:
            return None
        return (f"mostly abstract-level: {full} of {total} studies in the body read in full text; risk of "
                "bias, EV characterisation and effect sizes could not be judged for the others")

    def domain(self, name: str) -> Domain:
        return next(d for d in self.domains if d.name == name)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form documented in the README (``exoreview grade --format json``)."""
        roles = (*self.supporting, *self.contradicting, *self.bordering)
        return {
            "claim": self.claim.key, "statement": self.claim.statement, "verdict": self.verdict,
            "certainty": self.certainty,
            "domains": {d.name: {"rating": d.rating, "reason": d.reason} for d in self.domains},
            "studies": {"supporting": [r.key for r in self.supporting],
                        "contradicting": [r.key for r in self.contradicting],
                        "bordering": [r.key for r in self.bordering]},
            "reasons": list(self.reasons), "start": self.start, "start_reason": self.start_reason,
            "upgrade": {"rating": self.upgrade.rating, "reason": self.upgrade.reason},
            "reading": dict(self.reading), "reading_note": self.reading_note,
            "strongest_design": self.strongest_design, "participants": self.participants,
            "animals": self.animals, "species": list(self.species),
            "study_reasons": {r.key: r.reason for r in roles},
        }

    def to_text(self) -> str:
        lines = [f"{self.claim.key}: {self.claim.statement}",
                 f"  verdict: {self.verdict}   certainty: {self.certainty or '—'}"
                 + (f" (starts {self.start}: {self.start_reason})" if self.start else "")]
        lines += [f"  because: {r}" for r in self.reasons]
        if self.reading_note:
            lines.append(f"  note: {self.reading_note}")
        for d in self.domains:
            lines.append(f"  {d.name}: {d.rating}: {d.reason}")
        lines.append(f"  upgrade: {self.upgrade.rating}: {self.upgrade.reason}")
        if self.strongest_design:
            lines.append(f"  strongest design: {self.strongest_design}; participants {self.participants}; "
                         f"animals {self.animals}; species {', '.join(self.species) or '—'}")
        for label, roles in (("supporting", self.supporting), ("contradicting", self.contradicting),
                             ("bordering", self.bordering)):
            for r in roles:
                lines.append(f"  {label}: {r.key}: {r.reason}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        return card_html(self)


def _claim(claim: Claim | str | Mapping[str, Any], evidence: Evidence) -> Claim:
    if isinstance(claim, Claim):
        return claim
    if isinstance(claim, str):
        try:
            return Claim.from_record(evidence.claim_records[claim])
        except KeyError:
            known = ", ".join(sorted(evidence.claim_records)) or "none"
            raise GradingError(f"no claim '{claim}' in {evidence.root}/claims/ (claims: {known})") from None
    return Claim.from_record(claim)


def _misattributions(claim: Claim, evidence: Evidence, fits: Mapping[str, StudyFit | None]) -> list[str]:
    out = []
    vocab = evidence.vocabulary
    for i, cite in enumerate(claim.cites, 1):
        study = cite.study
        label = f"reference {i}"
        if not study and cite.reference:
            found = check_reference(cite.reference, evidence, label=str(i))
            if found.status in ("not-found", "off-topic"):
                out.append(f"{label} ({shorten(cite.reference)}) is {found.status}: "
                           + "; ".join(found.differences))
                continue
            study = found.study
        if not study:
            continue
        if study not in evidence.records:
            out.append(f"{label} names study '{study}', which is not in the evidence base")
            continue
        rec = evidence.records[study]
        relevant, border = relevant_intervention(claim, rec, vocab)
        fit = fits.get(study)
        what = []
        if not relevant:
            what.append(f"it studied {labels(vocab, 'cell_source', rec['cell_source'])} "
                        f"{labels(vocab, 'vesicle_term', rec['vesicle_term'])}")
        elif border:
            what.append(border)
        if fit is not None:
            what += [d for a, d in fit.differences if a in ("species", "condition")]
        if what:
            out.append(f"{label} ({study}) does not study what the claim says: " + "; ".join(what))
    return out


def _regulatory(claim: Claim, evidence: Evidence) -> tuple[list[StudyRole], list[StudyRole]]:
    contra, border = [], []
    reg = evidence.regulatory
    for rule in grading_rules.REGULATORY_RULES:
        if claim.asserts != rule.asserts or reg.empty:
            continue
        hit = reg[rule.select(reg).fillna(False).to_numpy(dtype=bool)]
        for r in hit.to_dict("records"):
            r = {k: present(v) for k, v in r.items()}
            facts = str(r["facts"] or "").split("\n")
            fact = next((f for f in facts if rule.fact_word in f.casefold()), facts[0] if facts else "")
            where = f"{r['issuer']}, {r['date'] or 'date not seen'}"
            note = "" if rule.asserts == "approval" else (" (hair or scalp use)" if r["hair_use"] is True
                                                          else " (not hair use)")
            entry = StudyRole(str(r["key"]), rule.role, f"{rule.why}{note}: {where}: {fact}", kind="regulatory",
                              tier=str(r["kind"]))
            (contra if rule.role == "contradicting" else border).append(entry)
    return contra, border


def assess(claim: Claim | str | Mapping[str, Any], evidence: Evidence) -> Assessment:
    """Grade `claim` (a Claim, a claim key, or a claim record) against `evidence`."""
    claim = _claim(claim, evidence)
    vocab = evidence.vocabulary
    st = evidence.studies
    fits: dict[str, StudyFit | None] = {}
    for row in st.to_dict("records"):
        fits[row["key"]] = fit_study(claim, row, evidence.records[row["key"]], vocab)
    relevant = [f for f in fits.values() if f is not None]

    misattributed = _misattributions(claim, evidence, fits)
    reg_contra, reg_border = _regulatory(claim, evidence)

    counted = [f for f in relevant if f.evidence and f.intervention is None]
    direct = [f for f in counted if not f.differences]
    nearby = [f for f in counted if f.differences and not (f.axes & SCOPE_AXES)
              and (claim.about_people or not f.human)]  # people only border a claim about animals
    if claim.asserts == "approval":
        body, kind = [], "none"
    elif direct:
        body, kind = direct, "direct"
    elif nearby:
        body, kind = nearby, "indirect"
    else:
        body, kind = [], "none"
    in_body = {f.key for f in body}

    supporting, contradicting, bordering = [], [], []
    for f in relevant:
        if f.key in in_body and f.direction in ("supports", "contradicts"):
            why = f.direction_reason
            if kind == "indirect":
                why += " — indirect: " + "; ".join(d for _, d in f.differences)
            if f.notes:
                why += " (" + "; ".join(f.notes) + ")"
            (supporting if f.direction == "supports" else contradicting).append(
                StudyRole(f.key, "supporting" if f.direction == "supports" else "contradicting",
                          why, tier=f.tier))
            continue
        if f.key in in_body:
            bordering.append(StudyRole(f.key, "bordering", f"mixed or unclear result: {f.direction_reason}",
                                       tier=f.tier))
            continue
        if f.axes & SCOPE_AXES:
            continue  # another condition, comparator or follow-up: it does not address the question
        why = f.not_evidence or f.intervention or "; ".join(d for _, d in f.differences)
        if f.not_evidence is None and f.intervention and f.differences:
            why += "; also " + "; ".join(d for _, d in f.differences)
        if not why:
            continue
        bordering.append(StudyRole(f.key, "bordering", why, tier=f.tier))
    contradicting += reg_contra
    bordering += reg_border

    assessed = [f for f in body if f.direction in ("supports", "contradicts", "mixed")]
    if not assessed:
        kind = "none"   # studies of the scope exist, but none with a result that was seen
    rating = rate(claim, assessed, kind, evidence)
    verdict, reasons = _verdict(claim, kind, rating.certainty, assessed, supporting, contradicting, bordering,
                                misattributed, reg_contra)
    human_body = [f for f in assessed if f.human]
    strongest = None
    if assessed:
        best = min(assessed, key=lambda f: f.extra.get("design_level") or 99)
        strongest = dict(TIERS).get(best.tier, best.tier)
    return Assessment(
        claim=claim, verdict=verdict, certainty=rating.certainty, start=rating.start,
        start_reason=rating.start_reason, domains=rating.domains, upgrade=rating.upgrade,
        supporting=tuple(supporting),
        contradicting=tuple(contradicting), bordering=tuple(bordering), reasons=tuple(reasons),
        strongest_design=strongest, participants=sum(f.n or 0 for f in human_body),
        animals=sum(f.animals or 0 for f in assessed if not f.human),
        species=tuple(vocab["species"].label(s) for s in
                      dict.fromkeys(s for f in assessed for s in f.species)),
        body=kind,
        reading=tuple(Counter(str(f.extra.get("extraction_level")) for f in assessed).most_common()))

def _verdict(claim: Claim, kind: str, level: str | None, body: Sequence[StudyFit],
             supporting: Sequence[StudyRole], contradicting: Sequence[StudyRole],
             bordering: Sequence[StudyRole], misattributed: Sequence[str],
             reg_contra: Sequence[StudyRole]) -> tuple[str, list[str]]:
    """The first row of grading_rules.VERDICTS that fires, and the reasons behind it."""
    n_support = len([r for r in supporting if r.kind == "study"])
    n_contra = len([r for r in contradicting if r.kind == "study"])
    facts = grading_rules.VerdictFacts(
        misattributed=bool(misattributed), regulator_says_otherwise=bool(reg_contra), body=kind,
        n_support=n_support, n_contra=n_contra, about_people=claim.about_people,
        human_in_body=any(f.human for f in body), nonhuman_in_body=any(not f.human for f in body),
        certainty=level)
    rule = grading_rules.first(grading_rules.VERDICTS, facts)
    return rule.result, _REASONS[rule.result](facts, claim, body, bordering, misattributed, reg_contra)


def _misattributed_reasons(f, claim, body, bordering, misattributed, reg_contra) -> list[str]:
    reasons = list(misattributed)
    if f.body != "none":
        reasons.append(f"the evidence base itself, for this scope: {f.body} evidence, {f.n_support} supporting "
                       f"and {f.n_contra} contradicting studies"
                       + (f" at {f.certainty} certainty" if f.certainty else ""))
    return reasons


def _contradicted_reasons(f, claim, body, bordering, misattributed, reg_contra) -> list[str]:
    if f.regulator_says_otherwise:
        return [f"{len(reg_contra)} regulator or safety record(s) say otherwise: "
                + ", ".join(r.key for r in reg_contra)]
    return [f"every study of the scope found no benefit ({f.n_contra} contradicting)"]


def _no_evidence_reasons(f, claim, body, bordering, misattributed, reg_contra) -> list[str]:
    planned = [r.key for r in bordering if r.reason.startswith("registered trial")]
    reasons = ["no regulator record in the evidence base speaks to approval" if claim.asserts == "approval"
               else "no study with results addresses the claimed scope"]
    if planned:
        reasons.append(f"registered without results (planned work, not evidence): {', '.join(planned)}")
    others = [r.key for r in bordering if not r.reason.startswith("registered trial")]
    if others:
        reasons.append(f"{len(others)} studies only border the scope (see bordering)")
    return reasons


def _preclinical_reasons(f, claim, body, bordering, misattributed, reg_contra) -> list[str]:
    if not f.human_in_body:
        return ["no human study of the claimed scope; the nearest evidence is "
                f"{len(body)} cell, organ-culture or animal stud{'y' if len(body) == 1 else 'ies'}"]
    return ["no human study of the claimed scope; the nearest evidence mixes human studies of a "
            "neighbouring scope with animal or cell studies"]


def _supported_reasons(f, claim, body, bordering, misattributed, reg_contra) -> list[str]:
    return [f"{f.n_support} studies of the claimed scope support it at {f.certainty} certainty"]


def _limited_reasons(f, claim, body, bordering, misattributed, reg_contra) -> list[str]:
    what = "human " if claim.about_people else ""
    if f.body == "direct":
        return [f"{what}evidence of the claimed scope exists ({f.n_support} supporting, {f.n_contra} "
                f"contradicting) but certainty is {f.certainty}"]
    return [f"only neighbouring {what}evidence (different outcome, species or route); certainty {f.certainty}"]


_REASONS = {"misattributed": _misattributed_reasons, "contradicted": _contradicted_reasons,
            "no-evidence": _no_evidence_reasons, "preclinical-only": _preclinical_reasons,
            "supported": _supported_reasons, "limited": _limited_reasons}


def assess_all(evidence: Evidence, keys: Sequence[str] | None = None) -> list[Assessment]:
    """Assess every claim of `evidence` (or those named), in key order."""
    keys = list(keys) if keys else sorted(evidence.claim_records)
    return [assess(k, evidence) for k in keys]


def summary_frame(assessments: Sequence[Assessment]) -> pd.DataFrame:
    """One row a claim: verdict, certainty, domain ratings, study counts."""
    rows = []
    for a in assessments:
        rows.append({"claim": a.claim.key, "statement": a.claim.statement, "verdict": a.verdict,
                     "certainty": a.certainty or "—",
                     **{d.name: d.rating for d in a.domains},
                     "supporting": len(a.supporting), "contradicting": len(a.contradicting),
                     "bordering": len(a.bordering), "strongest design": a.strongest_design or "—"})
    return pd.DataFrame(rows)
