"""Grading a claim against the evidence: ``assess(claim, evidence) -> Assessment``.

Every study is placed against the claim's scope (intervention, species, condition, outcome, route,
follow-up, comparator): it supports, contradicts or only borders the claim, and the reason says
why. The studies of the claimed scope (or, when there are none, the nearest neighbouring ones) form
the body of evidence, rated GRADE-style domain by domain; the verdict says what that means for the
claim. All rules are tables in :mod:`exoreview.grading_rules`; this module only applies them.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from . import grading_rules as R
from .claims_table import Claim
from .errors import GradingError


@dataclass(frozen=True)
class Domain:
    """One GRADE domain: its rating, the steps it moves certainty, and why."""

    name: str
    rating: str
    reason: str
    change: int = 0


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
            "strongest_design": self.strongest_design, "participants": self.participants,
            "animals": self.animals, "species": list(self.species),
            "study_reasons": {r.key: r.reason for r in roles},
        }

    def to_text(self) -> str:
        lines = [f"{self.claim.key}: {self.claim.statement}",
                 f"  verdict: {self.verdict}   certainty: {self.certainty or '—'}"
                 + (f" (starts {self.start}: {self.start_reason})" if self.start else "")]
        lines += [f"  because: {r}" for r in self.reasons]
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


# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Fit:
    key: str
    tier: str
    human: bool
    evidence: bool
    intervention: str | None           # None: the claimed intervention; else why it only borders
    differences: tuple[tuple[str, str], ...] = ()  # (axis, what differs)
    direction: str = "none"            # supports | contradicts | mixed | none
    direction_reason: str = ""
    not_evidence: str | None = None
    notes: tuple[str, ...] = ()
    n: int | None = None
    animals: int | None = None
    species: tuple[str, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def axes(self) -> frozenset[str]:
        return frozenset(a for a, _ in self.differences)


SCOPE_AXES = frozenset({"condition", "follow-up", "comparator", "safety data"})  # define the question
INDIRECT_AXES = frozenset({"species", "outcome", "route"})                       # indirect evidence


def _labels(vocab, facet: str, keys: Iterable[str]) -> str:
    return ", ".join(vocab[facet].label(k) for k in keys) or "none recorded"


def _intervention(claim: Claim, rec: Mapping[str, Any], vocab) -> tuple[bool, str | None]:
    """(relevant, border reason): is the study's preparation the claimed one?"""
    sources = list(rec.get("cell_source") or [])
    if claim.cell_source:
        allowed = vocab.expand("cell_source", claim.cell_source)
        if not any(s in allowed for s in sources):
            facet = vocab["cell_source"]
            ancestors = {a for c in claim.cell_source for a in facet.ancestors(c)}
            vague = [s for s in sources if s in ancestors or s in R.VAGUE_SOURCES]
            if not vague:
                return False, None
            said = ("not stated" if all(v in R.VAGUE_SOURCES for v in vague)
                    else f"stated only as {_labels(vocab, 'cell_source', vague)}")
            return True, (f"cell source {said}; cannot tell whether it was "
                          f"{_labels(vocab, 'cell_source', claim.cell_source)}")
    terms = set(rec.get("vesicle_term") or [])
    if claim.vesicle_term:
        allowed_v: set[str] = set()
        for v in claim.vesicle_term:
            allowed_v |= R.VESICLE_MATCH.get(v, {v})
        if not terms & allowed_v:
            for prep, why in R.VESICLE_BORDER.items():
                if prep in terms and prep not in allowed_v:
                    return True, why
            return False, None
    return True, None


def _species_diff(claim: Claim, rec: Mapping[str, Any], vocab) -> str | None:
    models = rec.get("models") or []
    if claim.cells and not claim.species:
        if any(m["model"] in ("cell culture", "organ culture") for m in models):
            return None
        return "no cell or organ-culture experiment"
    if claim.about_people:
        if any(m["model"] == "clinical" for m in models):
            return None
        what = sorted({f"{vocab['model'].label(m['model'])} ({vocab['species'].label(m['species'])})"
                       for m in models}) or ["no model recorded"]
        return f"animal or cell evidence ({'; '.join(what)}), not people"
    animal = vocab["model"].descendants("animal model")
    in_vivo = [m for m in models if m["model"] in animal]
    if any(m["species"] in claim.species for m in in_vivo):
        return None
    if not in_vivo:
        where = ("in people" if any(m["model"] == "clinical" for m in models)
                 else "cells or organ culture only")
        return f"{where}, not living {_labels(vocab, 'species', claim.species)}"
    return (f"in vivo in {_labels(vocab, 'species', {m['species'] for m in in_vivo})}, not "
            f"{_labels(vocab, 'species', claim.species)}")


def _condition_diff(claim: Claim, rec: Mapping[str, Any], vocab) -> tuple[str | None, str | None]:
    """(difference, note)."""
    wanted = [c for c in claim.condition if c not in R.GENERIC_CONDITIONS]
    if not wanted:
        return None, None
    studied = list(rec.get("condition") or [])
    allowed = vocab.expand("condition", wanted)
    if any(c in allowed for c in studied):
        return None, None
    facet = vocab["condition"]
    broader = [c for c in studied if any(c in facet.ancestors(w) for w in wanted)]
    if broader:
        return None, (f"population broader than claimed ({_labels(vocab, 'condition', broader)}; "
                      "results not separated)")
    return (f"studied {_labels(vocab, 'condition', studied)}, not "
            f"{_labels(vocab, 'condition', wanted)}"), None


def _in_scope_outcomes(claim: Claim, rec: Mapping[str, Any], vocab) -> list[Mapping[str, Any]]:
    outcomes = rec.get("outcomes") or []
    if claim.outcome:
        allowed = vocab.expand("outcome", claim.outcome)
        return [o for o in outcomes if o["outcome"] in allowed]
    return [o for o in outcomes if o["outcome"] not in R.NON_EFFECT_OUTCOMES]


def _direction(outcomes: Sequence[Mapping[str, Any]]) -> tuple[str, str]:
    """supports / contradicts / mixed / none, and the measures behind it."""
    benefit_ctl, benefit, null_ctl, opposite, other = [], [], [], [], []
    for o in outcomes:
        text = f"{o.get('measure') or ''} {o.get('detail') or ''}"
        d = o["direction"]
        if d in R.benefit_directions(o["outcome"]):
            (benefit_ctl if R.COMPARISON_WORDS.search(text) else benefit).append(o)
        elif d == "no significant change":
            (null_ctl if R.COMPARISON_WORDS.search(text) else other).append(o)
        elif d in ("increased", "decreased"):
            opposite.append(o)
        else:
            other.append(o)

    def says(items, how):
        return "; ".join(f"{o['measure']} {how or o['direction']}" for o in items)

    if null_ctl and not benefit_ctl:
        extra = f" (within-group: {says(benefit, '')})" if benefit else ""
        return "contradicts", f"no significant difference versus control: {says(null_ctl, 'no difference')}{extra}"
    if null_ctl and benefit_ctl:
        return "mixed", f"{says(benefit_ctl, '')}; but {says(null_ctl, 'no difference')}"
    if benefit_ctl or benefit:
        text = says(benefit_ctl + benefit, "")
        if opposite:
            text += f"; also {says(opposite, '')}"
        return "supports", text
    if opposite:
        return "contradicts", says(opposite, "")
    if other:
        return "mixed", says(other, "")
    return "none", "no outcome in the claimed scope"


def _safety(claim: Claim, rec: Mapping[str, Any]) -> tuple[str, str] | None:
    """Direction of a study's safety information, or None when it reports none."""
    ae = (rec.get("adverse_events") or "").strip()
    safety = [o for o in rec.get("outcomes") or [] if o["outcome"] == "safety"]
    if not ae and not safety:
        return None
    if ae and R.NO_EVENTS.search(ae):
        return "supports", f"adverse events: {ae}"
    if ae:
        word = "contradicts" if claim.asserts == "no-harm" else "supports"
        return word, f"adverse events: {ae}"
    o = safety[0]
    if o["direction"] in ("no significant change", "decreased"):
        return "supports", f"{o['measure']}: {o['direction']}" + (f" ({o['detail']})" if o.get("detail") else "")
    return "mixed", f"{o['measure']}: {o['direction']}"


def _fit(claim: Claim, row: Mapping[str, Any], rec: Mapping[str, Any], vocab) -> _Fit | None:
    relevant, border = _intervention(claim, rec, vocab)
    if not relevant:
        return None
    tier = str(row["tier"])
    models = rec.get("models") or []
    base = dict(key=row["key"], tier=tier, human=bool(row["human"]), intervention=border,
                n=_int(row.get("n_participants")), animals=_int(row.get("n_animals")),
                species=tuple(dict.fromkeys(m["species"] for m in models)))
    not_ev = R.NOT_EVIDENCE.get(tier)
    diffs: list[tuple[str, str]] = []
    notes: list[str] = []
    cond, note = _condition_diff(claim, rec, vocab)
    if cond:
        diffs.append(("condition", cond))
    if note:
        notes.append(note)
    if claim.asserts == "durability" and claim.min_follow_up_weeks:
        fu = row.get("follow_up_weeks")
        if _na(fu) or float(fu) < claim.min_follow_up_weeks:
            shown = "not stated" if _na(fu) else f"{float(fu):g} weeks"
            diffs.append(("follow-up", f"followed for {shown}, not ≥ {claim.min_follow_up_weeks:g} weeks"))
    if claim.asserts == "superiority" and claim.comparator:
        comp = rec.get("comparator") or ""
        if not any(w in comp.casefold() for w in R.comparator_words(claim.comparator)):
            diffs.append(("comparator", f"no comparison with {claim.comparator} (comparator: "
                                        f"{comp or 'not recorded'})"))
    if not_ev:
        return _Fit(**base, evidence=False, not_evidence=not_ev, differences=tuple(diffs))
    sp = _species_diff(claim, rec, vocab)
    if sp:
        diffs.append(("species", sp))
    if claim.route and rec.get("route"):
        if not set(rec["route"]) & vocab.expand("route", claim.route):
            diffs.append(("route", f"given by {_labels(vocab, 'route', rec['route'])}, not "
                                   f"{_labels(vocab, 'route', claim.route)}"))
    elif claim.route:
        notes.append("route not stated")
    if claim.asserts in ("safety", "no-harm"):
        found = _safety(claim, rec)
        if found is None:
            diffs.append(("safety data", "reports no safety information"))
            direction, why = "none", ""
        else:
            direction, why = found
    else:
        outs = _in_scope_outcomes(claim, rec, vocab)
        if not outs:
            measured = {o["outcome"] for o in rec.get("outcomes") or []}
            diffs.append(("outcome", f"measured {_labels(vocab, 'outcome', sorted(measured))}, not "
                                     f"{_labels(vocab, 'outcome', claim.outcome)}"))
            outs = [o for o in rec.get("outcomes") or [] if o["outcome"] not in R.NON_EFFECT_OUTCOMES]
        direction, why = _direction(outs)
    return _Fit(**base, evidence=True, differences=tuple(diffs), direction=direction,
                direction_reason=why, notes=tuple(notes),
                extra={"industry": row.get("industry_funded"),
                       "rob": row.get("rob_overall"), "ev_score": row.get("ev_score"),
                       "ev_max": row.get("ev_max"), "design_level": _int(row.get("design_level"))})


def _na(v: Any) -> bool:
    try:
        return v is None or bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def _int(v: Any) -> int | None:
    return None if v is None or pd.isna(v) else int(v)


# ---------------------------------------------------------------------------------------------
def _claim(claim: Claim | str | Mapping[str, Any], evidence) -> Claim:
    if isinstance(claim, Claim):
        return claim
    if isinstance(claim, str):
        try:
            return Claim.from_record(evidence.claim_records[claim])
        except KeyError:
            known = ", ".join(sorted(evidence.claim_records)) or "none"
            raise GradingError(f"no claim '{claim}' in {evidence.root}/claims/ (claims: {known})") from None
    return Claim.from_record(claim)


def _misattributions(claim: Claim, evidence, fits: Mapping[str, _Fit | None]) -> list[str]:
    out = []
    vocab = evidence.vocabulary
    for i, cite in enumerate(claim.cites, 1):
        study = cite.study
        label = f"reference {i}"
        if not study and cite.reference:
            from .audit import check_reference

            found = check_reference(cite.reference, evidence, label=str(i))
            if found.status in ("not-found", "off-topic"):
                out.append(f"{label} ({_short(cite.reference)}) is {found.status}: "
                           + "; ".join(found.differences))
                continue
            study = found.study
        if not study:
            continue
        if study not in evidence.records:
            out.append(f"{label} names study '{study}', which is not in the evidence base")
            continue
        rec = evidence.records[study]
        relevant, border = _intervention(claim, rec, vocab)
        fit = fits.get(study)
        what = []
        if not relevant:
            what.append(f"it studied {_labels(vocab, 'cell_source', rec['cell_source'])} "
                        f"{_labels(vocab, 'vesicle_term', rec['vesicle_term'])}")
        elif border:
            what.append(border)
        if fit is not None:
            what += [d for a, d in fit.differences if a in ("species", "condition")]
        if what:
            out.append(f"{label} ({study}) does not study what the claim says: " + "; ".join(what))
    return out


def _short(text: str, n: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _regulatory(claim: Claim, evidence) -> tuple[list[StudyRole], list[StudyRole]]:
    contra, border = [], []
    reg = evidence.regulatory
    for kind, flag, role, why in R.REGULATORY_RULES:
        if claim.asserts != kind or reg.empty:
            continue
        if flag == "approved_products == 0":
            hit = reg[(reg["approved_products"] == 0).fillna(False).to_numpy(dtype=bool)]
        else:
            hit = reg[reg[flag].fillna(False).to_numpy(dtype=bool)]
        for r in hit.to_dict("records"):
            r = {k: (None if _na(v) else v) for k, v in r.items()}
            facts = str(r["facts"] or "").split("\n")
            word = "approv" if kind == "approval" else "advers"
            fact = next((f for f in facts if word in f.casefold()), facts[0] if facts else "")
            where = f"{r['issuer']}, {r['date'] or 'date not seen'}"
            note = "" if kind == "approval" else (" (hair or scalp use)" if r["hair_use"] is True
                                                  else " (not hair use)")
            entry = StudyRole(str(r["key"]), role, f"{why}{note}: {where}: {fact}", kind="regulatory",
                              tier=str(r["kind"]))
            (contra if role == "contradicting" else border).append(entry)
    return contra, border


def assess(claim: Claim | str | Mapping[str, Any], evidence) -> Assessment:
    """Grade `claim` (a Claim, a claim key, or a claim record) against `evidence`."""
    claim = _claim(claim, evidence)
    vocab = evidence.vocabulary
    st = evidence.studies
    fits: dict[str, _Fit | None] = {}
    for row in st.to_dict("records"):
        fits[row["key"]] = _fit(claim, row, evidence.records[row["key"]], vocab)
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
    start, start_reason, domains, upgrade, level = _domains(claim, assessed, kind, evidence)

    verdict, reasons = _verdict(claim, kind, level, assessed, supporting, contradicting, bordering,
                                misattributed, reg_contra, evidence)
    human_body = [f for f in assessed if f.human]
    strongest = None
    if assessed:
        best = min(assessed, key=lambda f: f.extra.get("design_level") or 99)
        strongest = _tier_label(best.tier)
    return Assessment(
        claim=claim, verdict=verdict, certainty=level, start=start, start_reason=start_reason,
        domains=domains, upgrade=upgrade, supporting=tuple(supporting),
        contradicting=tuple(contradicting), bordering=tuple(bordering), reasons=tuple(reasons),
        strongest_design=strongest, participants=sum(f.n or 0 for f in human_body),
        animals=sum(f.animals or 0 for f in assessed if not f.human),
        species=tuple(vocab["species"].label(s) for s in
                      dict.fromkeys(s for f in assessed for s in f.species)),
        body=kind)


def _tier_label(tier: str) -> str:
    from .levels import TIERS

    return dict(TIERS).get(tier, tier)


# ---------------------------------------------------------------------------------------------
def _domains(claim: Claim, body: list[_Fit], kind: str, evidence):
    """(start, start reason, five domains, upgrade, certainty) of a body of evidence."""
    if not body:
        why = ("the verdict rests on regulators' records, not on studies" if claim.asserts == "approval"
               else "no study in the evidence base addresses the claimed scope")
        doms = tuple(Domain(n, "not applicable", why) for n in R.DOMAINS)
        return None, why, doms, Domain("upgrade", "none", why), None
    human = [f for f in body if f.human]
    if any(f.tier == "randomized trial" for f in body):
        rule = "randomized"
    elif human:
        rule = "human"
    else:
        rule = "preclinical"
    _, start, start_reason = next(r for r in R.START_RULES if r[0] == rule)
    support = [f for f in body if f.direction == "supports"]
    contra = [f for f in body if f.direction == "contradicts"]
    mixed = [f for f in body if f.direction == "mixed"]

    # risk of bias
    judgements, assessed, parts, weak_ev = [], [], [], []
    for f in body:
        rob = f.extra.get("rob")
        derived, derived_why = R.DERIVED_ROB.get(f.tier, ("some concerns", "not assessed"))
        if _na(rob) or str(rob) == "NA":
            j, why, was = derived, derived_why, False
        elif str(rob) == "unclear":  # no information: fall back on the design
            j, why, was = derived, f"recorded as unclear; from design: {derived_why}", False
        else:
            j, why, was = str(rob), "recorded judgement", True
        judgements.append(j)
        assessed.append(was)
        parts.append(f"{f.key}: {j} ({why})")
        score, top = f.extra.get("ev_score"), f.extra.get("ev_max")
        if score is not None and top and not pd.isna(score) and not pd.isna(top) and float(top) > 0 \
                and float(score) / float(top) < R.EV_WEAK_SHARE:
            weak_ev.append(f"{f.key} {float(score):g}/{float(top):g}")
    rating = R.rob_domain(judgements, assessed)
    source = ("recorded risk-of-bias judgements" if all(assessed) else
              "judged from design and conduct facts, as no risk-of-bias assessment is recorded"
              if not any(assessed) else "recorded judgements where present, else judged from design")
    reason = f"{source}: " + "; ".join(parts)
    if weak_ev:
        reason += f". Weak EV characterisation (MISEV reporting score): {', '.join(weak_ev)}"
    rob = Domain("risk_of_bias", rating, reason, R.RATINGS[rating])

    # inconsistency
    rating = R.inconsistency_domain(len(support), len(contra), len(mixed))
    if len(body) == 1:
        reason = "a single study: consistency cannot be judged (see imprecision)"
    else:
        reason = f"{len(support)} supporting, {len(contra)} contradicting, {len(mixed)} mixed"
        if contra:
            reason += ": against: " + "; ".join(f"{f.key} ({f.direction_reason})" for f in contra)
        if mixed:
            reason += "; mixed: " + "; ".join(f"{f.key} ({f.direction_reason})" for f in mixed)
    inc = Domain("inconsistency", rating, reason, R.RATINGS[rating])

    # indirectness
    if kind == "direct":
        rating = "not serious"
        notes = sorted({n for f in body for n in f.notes})
        vague = [f.key for f in body if "not stated" in (evidence.records[f.key].get("cell_source") or [])]
        reason = "the studies match the claimed population, intervention and outcome"
        if notes:
            reason += "; note: " + "; ".join(notes)
        if vague:
            reason += f"; cell source not stated in {', '.join(vague)}"
    else:
        animal = claim.about_people and any(not f.human for f in body)
        rating = "very serious" if animal else "serious"
        diffs = sorted({d for f in body for a, d in f.differences})
        head = ("animal or cell evidence for a claim about people" if animal else
                "only neighbouring evidence (a different species, outcome or route)")
        reason = f"{head}: " + "; ".join(diffs[:6]) + (f"; and {len(diffs) - 6} more" if len(diffs) > 6 else "")
    ind = Domain("indirectness", rating, reason, R.RATINGS[rating])

    # imprecision
    is_human = bool(human) and rule != "preclinical"
    total = sum((f.n or 0) if is_human else (f.animals or 0) for f in (human if is_human else body))
    unknown = [f.key for f in (human if is_human else body) if (f.n if is_human else f.animals) is None]
    rating, reason = R.imprecision(human=is_human, n_studies=len(body), total=total, n_unknown=len(unknown),
                                   n_agreeing=len(support) if not contra else 0)
    imp = Domain("imprecision", rating, reason, R.RATINGS[rating])

    # publication bias
    funded = [f.key for f in support if f.extra.get("industry") is True]
    unknown_f = [f.key for f in support if f.extra.get("industry") is None or pd.isna(f.extra.get("industry"))]
    if support and len(funded) == len(support):
        rating = "serious"
        reason = ("every supporting study was funded by, or authored at, the product's maker: "
                  + ", ".join(funded))
    else:
        rating = "not serious"
        reason = (f"{len(funded)} of {len(support)} supporting studies industry-funded"
                  + (f"; funding not recorded for {len(unknown_f)}" if unknown_f else "")
                  + "; selective publication of small positive studies cannot be tested here")
    pub = Domain("publication_bias", rating, reason, R.RATINGS[rating])

    domains = (rob, inc, ind, imp, pub)
    up = _upgrade(start, support, contra, evidence)
    change = sum(d.change for d in domains) + up.change
    return start, start_reason, domains, up, R.certainty(start, change)


def _upgrade(start: str, support: list[_Fit], contra: list[_Fit], evidence) -> Domain:
    large = []
    out = evidence.outcomes
    for f in support:
        rows = out[(out["study"] == f.key).to_numpy(dtype=bool)]
        for r in rows.to_dict("records"):
            ch, ctl = r.get("change"), r.get("control_change")
            if ch is None or ctl is None or pd.isna(ch) or pd.isna(ctl) or float(ctl) <= 0:
                ch, ctl = r.get("change_pct"), r.get("control_change_pct")
            if ch is None or ctl is None or pd.isna(ch) or pd.isna(ctl) or float(ctl) <= 0:
                continue
            if float(ch) / float(ctl) >= R.LARGE_EFFECT_RATIO:
                large.append(f"{f.key} ({float(ch):g} vs {float(ctl):g} {r.get('unit') or ''})".replace(" )", ")"))
                break
    if start == "low" and not contra and len(large) >= R.LARGE_EFFECT_STUDIES:
        return Domain("upgrade", "+1 large effect", "large, consistent effect: " + "; ".join(large), 1)
    if large:
        why = ("randomized evidence already starts high" if start == "high" else
               "a contradicting study exists" if contra else
               f"only {len(large)} stud{'y' if len(large) == 1 else 'ies'} with a large effect against a control")
        return Domain("upgrade", "none", f"not upgraded ({why}): " + "; ".join(large))
    return Domain("upgrade", "none", "no study reports an effect at least twice the control's")


def _verdict(claim, kind, level, body, supporting, contradicting, bordering, misattributed,
             reg_contra, evidence) -> tuple[str, list[str]]:
    reasons: list[str] = []
    n_support = len([r for r in supporting if r.kind == "study"])
    n_contra = len([r for r in contradicting if r.kind == "study"])
    if misattributed:
        reasons += misattributed
        if kind != "none":
            reasons.append(f"the evidence base itself, for this scope: {kind} evidence, "
                           f"{n_support} supporting and {n_contra} contradicting studies"
                           + (f" at {level} certainty" if level else ""))
        return "misattributed", reasons
    if reg_contra:
        reasons.append(f"{len(reg_contra)} regulator or safety record(s) say otherwise: "
                       + ", ".join(r.key for r in reg_contra))
        return "contradicted", reasons
    if kind != "none" and n_contra and not n_support:
        reasons.append(f"every study of the scope found no benefit ({n_contra} contradicting)")
        return "contradicted", reasons
    if kind == "none":
        planned = [r.key for r in bordering if r.reason.startswith("registered trial")]
        if claim.asserts == "approval":
            reasons.append("no regulator record in the evidence base speaks to approval")
        else:
            reasons.append("no study with results addresses the claimed scope")
        if planned:
            reasons.append(f"registered without results (planned work, not evidence): {', '.join(planned)}")
        others = [r.key for r in bordering if not r.reason.startswith("registered trial")]
        if others:
            reasons.append(f"{len(others)} studies only border the scope (see bordering)")
        return "no-evidence", reasons
    humans = [f for f in body if f.human]
    if claim.about_people and kind == "indirect" and not humans:
        reasons.append("no human study of the claimed scope; the nearest evidence is "
                       f"{len(body)} cell, organ-culture or animal stud{'y' if len(body) == 1 else 'ies'}")
        return "preclinical-only", reasons
    if claim.about_people and kind == "indirect" and any(not f.human for f in body):
        reasons.append("no human study of the claimed scope; the nearest evidence mixes human studies of "
                       "a neighbouring scope with animal or cell studies")
        return "preclinical-only", reasons
    if kind == "direct" and level in ("moderate", "high"):
        reasons.append(f"{n_support} studies of the claimed scope support it at {level} certainty")
        return "supported", reasons
    what = "human " if claim.about_people else ""
    if kind == "direct":
        reasons.append(f"{what}evidence of the claimed scope exists ({n_support} supporting, {n_contra} "
                       f"contradicting) but certainty is {level}")
    else:
        reasons.append(f"only neighbouring {what}evidence (different outcome, species or route); "
                       f"certainty {level}")
    return "limited", reasons


# ---------------------------------------------------------------------------------------------
def assess_all(evidence, keys: Sequence[str] | None = None) -> list[Assessment]:
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


VERDICT_COLOURS: Mapping[str, str] = {  # Okabe–Ito
    "supported": "#009E73", "limited": "#E69F00", "preclinical-only": "#56B4E9",
    "contradicted": "#D55E00", "no-evidence": "#999999", "misattributed": "#CC79A7",
}


def card_html(a: Assessment, *, max_studies: int = 12) -> str:
    """One claim card: statement, verdict, certainty, domain reasons, studies (all text escaped)."""
    e = html.escape
    colour = VERDICT_COLOURS.get(a.verdict, "#999999")
    rows = "".join(f"<tr><th>{e(d.name.replace('_', ' '))}</th><td>{e(d.rating)}</td>"
                   f"<td>{e(d.reason)}</td></tr>" for d in (*a.domains, a.upgrade))

    def studies(label: str, roles: Sequence[StudyRole]) -> str:
        if not roles:
            return ""
        items = "".join(f"<li><b>{e(r.key)}</b>: {e(r.reason)}</li>" for r in roles[:max_studies])
        more = (f"<li>… and {len(roles) - max_studies} more</li>" if len(roles) > max_studies else "")
        return f"<details><summary>{e(label)} ({len(roles)})</summary><ul>{items}{more}</ul></details>"

    made = a.claim.made_in.get("url") or a.claim.made_in.get("source") or ""
    facts = (f"strongest design: {a.strongest_design or '—'} · participants {a.participants} · "
             f"animals {a.animals} · species {', '.join(a.species) or '—'}")
    return (
        f'<div class="exoreview-claim-card" data-claim="{e(a.claim.key)}" data-verdict="{e(a.verdict)}" '
        f'style="border-left:6px solid {colour};padding:6px 12px;margin:10px 0;background:#fafafa">'
        f"<p><b>{e(a.claim.statement)}</b><br><small>{e(a.claim.key)}"
        f"{' · made in ' + e(made) if made else ''}</small></p>"
        f'<p><span style="background:{colour};color:#fff;padding:2px 8px;border-radius:3px">'
        f"{e(a.verdict)}</span> certainty: <b>{e(a.certainty or '—')}</b>"
        f"{' (starts ' + e(a.start) + ')' if a.start else ''}</p>"
        f"<ul>{''.join(f'<li>{e(r)}</li>' for r in a.reasons)}</ul>"
        f"<p><small>{e(facts)}</small></p>"
        f'<table class="exoreview-domains">{rows}</table>'
        f"{studies('supporting', a.supporting)}{studies('contradicting', a.contradicting)}"
        f"{studies('bordering', a.bordering)}</div>")


def cards_html(assessments: Sequence[Assessment]) -> str:
    return "".join(card_html(a) for a in assessments)


__all__ = ["assess", "assess_all", "Assessment", "Domain", "StudyRole", "summary_frame", "card_html",
           "cards_html"]
