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
from typing import Any

from ..core.claims import Claim
from ..core.evidence import Evidence
from ..core.levels import TIERS
from ..core.values import present, shorten
from ..errors import GradingError
from . import fit_rules, grading_rules, scope_rules
from .assessment import Assessment, StudyRole
from .citations import check_reference
from .domains import Rating, rate
from .fit import SCOPE_AXES, StudyFit, fit_study, labels, relevant_intervention


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
                out.append(
                    f"{label} ({shorten(cite.reference)}) is {found.status}: " + "; ".join(found.differences)
                )
                continue
            study = found.study
        if not study:
            continue
        if study not in evidence.records:
            out.append(f"{label} names study '{study}', which is not in the evidence base")
            continue
        rec = evidence.records[study]
        notice = rec.get("notice") or {}
        if notice.get("kind") == "retraction":
            out.append(
                f"{label} ({study}) is retracted ({notice.get('date') or 'date not seen'}, "
                f"{notice.get('source')}): a retracted study supports nothing"
            )
            continue
        relevant, border = relevant_intervention(claim, rec, vocab)
        fit = fits.get(study)
        what = []
        if not relevant:
            what.append(
                f"it studied {labels(vocab, 'cell_source', rec['cell_source'])} "
                f"{labels(vocab, 'vesicle_term', rec['vesicle_term'])}"
            )
        elif border:
            what.append(border)
        if fit is not None:
            what += [d for a, d in fit.differences if a in ("species", "condition")]
        if what:
            out.append(f"{label} ({study}) does not study what the claim says: " + "; ".join(what))
    return out


def _about_hair(claim: Claim) -> bool:
    """A claim about hair use (a 'safe for hair loss' claim), not about exosome products in general."""
    text = f"{claim.statement} {claim.population or ''}".casefold()
    return bool(claim.condition) or "hair" in text or "alopecia" in text


def _regulatory(claim: Claim, evidence: Evidence) -> tuple[list[StudyRole], list[StudyRole], bool]:
    """(contradicting, bordering, direct): regulators' records that bear on the claim, and whether
    one contradicts it directly (for a claim about hair use, only a record of hair use does)."""
    contra: list[StudyRole] = []
    border: list[StudyRole] = []
    direct = False
    reg = evidence.regulatory
    if claim.registration or claim.restriction:  # a facility's registration, a ban or a warning letter:
        return contra, border, direct  # records that no product is approved do not speak to it
    if claim.regulator:  # only the named regulator's records speak to its approvals
        pattern = next((p for name, p in scope_rules.REGULATORS if name == claim.regulator), None)
        if pattern is not None and not reg.empty:
            text = reg["issuer"].fillna("") + " " + reg["region"].fillna("") + " " + reg["title"].fillna("")
            reg = reg[text.str.contains(pattern).to_numpy(dtype=bool)]
    for rule in grading_rules.REGULATORY_RULES:
        if claim.asserts != rule.asserts or reg.empty:
            continue
        hit = reg[rule.select(reg).fillna(False).to_numpy(dtype=bool)]
        for r in hit.to_dict("records"):
            r = {k: present(v) for k, v in r.items()}
            facts = str(r["facts"] or "").split("\n")
            fact = next((f for f in facts if rule.fact_word in f.casefold()), facts[0] if facts else "")
            where = f"{r['issuer']}, {r['date'] or 'date not seen'}"
            hair = r["events_in_hair"] is True
            on_point = rule.asserts != "safety" or hair or not _about_hair(claim)
            note = (
                ""
                if rule.asserts == "approval"
                else (
                    " (in hair or scalp use)"
                    if hair
                    else f" (counted in: {r['events_in'] or 'use not stated'})"
                )
            )
            if not on_point:
                note += "; not hair use: indirect for a claim about hair treatment"
            entry = StudyRole(
                str(r["key"]),
                rule.role if on_point else "bordering",
                f"{rule.why}{note}: {where}: {fact}",
                kind="regulatory",
                tier=str(r["kind"]),
            )
            if entry.role == "contradicting":
                contra.append(entry)
                direct = True
            else:
                border.append(entry)
    return contra, border, direct


def cited_notices(claim: Claim, evidence: Evidence) -> list[str]:
    """A line for each cited study that carries an expression of concern or a correction (a
    retraction makes the claim misattributed)."""
    out = []
    for cite in claim.cites:
        notice = (evidence.records.get(cite.study) or {}).get("notice") or {} if cite.study else {}
        if notice and notice.get("kind") != "retraction":
            out.append(
                f"cited study {cite.study} carries a notice: {notice['kind']} "
                f"({notice.get('date') or 'date not seen'}, {notice.get('source')})"
            )
    return out


def _same_experiment(fits: Mapping[str, StudyFit | None], evidence: Evidence) -> dict[str, str]:
    """study → the study it is another report of (its `related` says so): counted once."""
    out: dict[str, str] = {}
    for key, f in fits.items():
        if f is None:
            continue
        for rel in evidence.records[key].get("related") or []:
            other = rel["study"]
            other_fit = fits.get(other)
            if (
                fit_rules.SAME_EXPERIMENT.search(rel.get("relation") or "")
                and other_fit is not None
                and other not in out
            ):
                # keep the peer-reviewed report, else the earlier key
                preprint = {key: bool(f.extra.get("preprint")), other: bool(other_fit.extra.get("preprint"))}
                keep, drop = sorted((key, other), key=lambda k: (preprint[k], k))
                out[drop] = keep
    return out


def _safety_reason(supporting: Sequence[StudyRole], fits: Mapping[str, StudyFit | None]) -> str | None:
    """Harms as harms: the participants of studies that report no events, and the upper bound."""
    people: list[StudyFit] = []
    for r in supporting:
        f = fits.get(r.key)
        if r.kind == "study" and f is not None and f.human and fit_rules.NO_EVENTS.search(r.reason):
            people.append(f)
    n = sum(f.n or 0 for f in people)
    if not n:
        return None
    bound = grading_rules.RULE_OF_THREE / n
    return (
        f"no adverse events reported in {len(people)} stud{'y' if len(people) == 1 else 'ies'} of {n} "
        f"participants: the true rate could still be up to {bound:.1%} (95% upper bound, rule of three); "
        "rare serious harms cannot be excluded by studies this size"
    )


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
    reg_contra, reg_border, reg_direct = _regulatory(claim, evidence)
    same = _same_experiment(fits, evidence)

    counted = [f for f in relevant if f.evidence and f.intervention is None]
    direct = [f for f in counted if not f.differences]
    nearby = [
        f
        for f in counted
        if f.differences and not (f.axes & SCOPE_AXES) and (claim.about_people or not f.human)
    ]  # people only border a claim about animals
    if claim.asserts == "approval":
        body, kind = [], "none"
    elif direct:
        body, kind = direct, "direct"
    elif nearby:
        body, kind = nearby, "indirect"
    else:
        body, kind = [], "none"
    in_body = {f.key for f in body}

    supporting: list[StudyRole] = []
    contradicting: list[StudyRole] = []
    bordering: list[StudyRole] = []
    for f in relevant:
        if f.key in same and f.key in in_body:
            bordering.append(
                StudyRole(
                    f.key,
                    "bordering",
                    f"another report of the same experiment as {same[f.key]}: counted once",
                    tier=f.tier,
                )
            )
            continue
        if f.key in in_body and f.direction in ("supports", "contradicts"):
            why = f.direction_reason
            if kind == "indirect":
                why += " — indirect: " + "; ".join(d for _, d in f.differences)
            if f.notes:
                why += " (" + "; ".join(f.notes) + ")"
            (supporting if f.direction == "supports" else contradicting).append(
                StudyRole(
                    f.key, "supporting" if f.direction == "supports" else "contradicting", why, tier=f.tier
                )
            )
            continue
        if f.key in in_body:
            bordering.append(
                StudyRole(f.key, "bordering", f"mixed or unclear result: {f.direction_reason}", tier=f.tier)
            )
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

    assessed = [f for f in body if f.direction in ("supports", "contradicts", "mixed") and f.key not in same]
    if not assessed:
        kind = "none"  # studies of the scope exist, but none with a result that was seen
    pending = [r.key for r in bordering if r.reason.startswith("registered trial") and r.key in in_body]
    rating = rate(claim, assessed, kind, evidence, pending)
    verdict, reasons = _verdict(
        claim,
        kind,
        rating,
        assessed,
        supporting,
        contradicting,
        bordering,
        misattributed,
        reg_contra if reg_direct else [],
    )
    if claim.asserts in ("safety", "no-harm") and (harm := _safety_reason(supporting, fits)):
        reasons.append(harm)
    reasons += cited_notices(claim, evidence)
    certainty, bounded, of = rating.certainty, rating.bounded, "the claim"
    if verdict == "contradicted" and reg_direct:
        certainty, bounded, of = grading_rules.REGULATORY_CERTAINTY, False, "the contradicting records"
    elif verdict == "contradicted":
        of = "the contradicting studies"
    elif verdict == "misattributed":
        of = "the evidence base's own studies of this scope (not the cited references)"
    human_body = [f for f in assessed if f.human]
    strongest = None
    if assessed:
        best = min(assessed, key=lambda f: f.extra.get("design_level") or 99)
        strongest = dict(TIERS).get(best.tier, best.tier)
    return Assessment(
        claim=claim,
        verdict=verdict,
        certainty=certainty,
        start=rating.start,
        start_reason=rating.start_reason,
        domains=rating.domains,
        upgrade=rating.upgrade,
        supporting=tuple(supporting),
        contradicting=tuple(contradicting),
        bordering=tuple(bordering),
        reasons=tuple(reasons),
        strongest_design=strongest,
        participants=sum(f.n or 0 for f in human_body),
        animals=sum(f.animals or 0 for f in assessed if not f.human),
        species=tuple(
            vocab["species"].label(s) for s in dict.fromkeys(s for f in assessed for s in f.species)
        ),
        body=kind,
        reading=tuple(Counter(str(f.extra.get("extraction_level")) for f in assessed).most_common()),
        bounded=bounded,
        certainty_of=of,
        carried_by=rating.carried_by.stratum if rating.carried_by else None,
        strata=tuple(r.describe() for r in rating.strata),
    )


def _verdict(
    claim: Claim,
    kind: str,
    rating: Rating,
    body: Sequence[StudyFit],
    supporting: Sequence[StudyRole],
    contradicting: Sequence[StudyRole],
    bordering: Sequence[StudyRole],
    misattributed: Sequence[str],
    reg_contra: Sequence[StudyRole],
) -> tuple[str, list[str]]:
    """The first row of grading_rules.VERDICTS that fires, and the reasons behind it."""
    n_support = len([r for r in supporting if r.kind == "study"])
    n_contra = len([r for r in contradicting if r.kind == "study"])
    carrier = rating.carried_by
    facts = grading_rules.VerdictFacts(
        misattributed=bool(misattributed),
        regulator_says_otherwise=bool(reg_contra),
        body=kind,
        n_support=n_support,
        n_contra=n_contra,
        about_people=claim.about_people,
        human_in_body=any(f.human for f in body),
        nonhuman_in_body=any(not f.human for f in body),
        certainty=rating.certainty,
        bounded=rating.bounded,
        controlled=carrier is not None and carrier.stratum != "uncontrolled human studies",
    )
    rule = grading_rules.first(grading_rules.VERDICTS, facts)
    reasons = _REASONS[rule.result](facts, claim, body, bordering, misattributed, reg_contra)
    if rating.bounded and rule.result in ("limited", "very-uncertain"):
        unassessed = [
            d.name.replace("_", " ") for d in rating.domains if d.rating == grading_rules.NOT_ASSESSABLE
        ]
        reasons.append(
            f"{', '.join(unassessed)} could not be assessed from what was read (abstracts): the "
            f"certainty is at most {rating.certainty}"
        )
    return rule.result, reasons


def _misattributed_reasons(f, claim, body, bordering, misattributed, reg_contra) -> list[str]:
    reasons = list(misattributed)
    if f.body != "none":
        reasons.append(
            f"the evidence base itself, for this scope: {f.body} evidence, {f.n_support} supporting "
            f"and {f.n_contra} contradicting studies"
            + (f" at {f.certainty} certainty" if f.certainty else "")
        )
    return reasons


def _contradicted_reasons(f, claim, body, bordering, misattributed, reg_contra) -> list[str]:
    if f.regulator_says_otherwise:
        return [
            f"{len(reg_contra)} regulator or safety record(s) say otherwise: "
            + ", ".join(r.key for r in reg_contra)
        ]
    return [f"every study of the scope found no benefit ({f.n_contra} contradicting)"]


def _no_evidence_reasons(f, claim, body, bordering, misattributed, reg_contra) -> list[str]:
    planned = [r.key for r in bordering if r.reason.startswith("registered trial")]
    if claim.registration:
        reasons = [
            "a facility's registration or certification is not a product's approval, and says nothing of "
            "its safety or effect; no record in the evidence base speaks to it"
        ]
    elif claim.restriction:
        reasons = [
            f"a ban or warning letter{' by ' + claim.regulator if claim.regulator else ''} needs that "
            "action's record; no record in the evidence base is matched to it"
        ]
    elif claim.unmeasured and not claim.outcome:
        reasons = [f"no study in the evidence base measured {', '.join(claim.unmeasured)}"]
    elif claim.asserts == "approval":
        reasons = [
            f"no record of {claim.regulator or 'a regulator'} in the evidence base speaks to approval: an "
            "approval claim needs a regulator's record"
        ]
    else:
        reasons = ["no study with results addresses the claimed scope"]
    if planned:
        reasons.append(f"registered without results (planned work, not evidence): {', '.join(planned)}")
    others = [r.key for r in bordering if not r.reason.startswith("registered trial")]
    if others:
        reasons.append(
            f"{len(others)} stud{'y' if len(others) == 1 else 'ies'} only border{'s' if len(others) == 1 else ''}"
            " the scope (see bordering)"
        )
    return reasons


def _preclinical_reasons(f, claim, body, bordering, misattributed, reg_contra) -> list[str]:
    if not f.human_in_body:
        return [
            "no human study of the claimed scope; the nearest evidence is "
            f"{len(body)} cell, organ-culture or animal stud{'y' if len(body) == 1 else 'ies'}"
        ]
    return [
        "no human study of the claimed scope; the nearest evidence mixes human studies of a "
        "neighbouring scope with animal or cell studies"
    ]


def _supported_reasons(f, claim, body, bordering, misattributed, reg_contra) -> list[str]:
    return [
        f"{f.n_support} controlled studies of the claimed scope support it at {f.certainty} certainty, "
        "every domain assessed"
    ]


def _limited_reasons(f, claim, body, bordering, misattributed, reg_contra) -> list[str]:
    what = "human " if claim.about_people else ""
    if f.body == "direct":
        why = (
            "uncontrolled studies only"
            if not f.controlled
            else "its certainty is only an upper bound (what could not be assessed is named below)"
            if f.bounded
            else f"certainty is {f.certainty}"
        )
        return [
            f"{what}evidence of the claimed scope exists ({f.n_support} supporting, {f.n_contra} "
            f"contradicting), but {why}: it may be true"
        ]
    return [
        f"only neighbouring {what}evidence (different outcome, species or route); certainty {f.certainty}"
    ]


def _very_uncertain_reasons(f, claim, body, bordering, misattributed, reg_contra) -> list[str]:
    what = "human " if claim.about_people else ""
    scope = "of the claimed scope" if f.body == "direct" else "only of a neighbouring scope"
    return [
        f"{what}evidence {scope} ({f.n_support} supporting, {f.n_contra} contradicting) at very low "
        "certainty: it is very uncertain"
    ]


_REASONS = {
    "misattributed": _misattributed_reasons,
    "contradicted": _contradicted_reasons,
    "no-evidence": _no_evidence_reasons,
    "preclinical-only": _preclinical_reasons,
    "supported": _supported_reasons,
    "limited": _limited_reasons,
    "very-uncertain": _very_uncertain_reasons,
}


def assess_all(evidence: Evidence, keys: Sequence[str] | None = None) -> list[Assessment]:
    """Assess every claim of `evidence` (or those named), in key order."""
    keys = list(keys) if keys else sorted(evidence.claim_records)
    return [assess(k, evidence) for k in keys]
