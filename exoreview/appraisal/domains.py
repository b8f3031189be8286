"""Rating a body of evidence GRADE-style: where it starts, the five domains, the upgrade, and the
certainty that results. Each decision is the first row of a rule table in
:mod:`exoreview.appraisal.grading_rules` that fires on the facts gathered here; each reason says
which facts the row saw.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..core.claims import Claim
from ..core.evidence import Evidence
from ..core.values import missing
from . import grading_rules
from .fit import StudyFit


@dataclass(frozen=True)
class Domain:
    """One GRADE domain: its rating, the steps it moves certainty, and why."""

    name: str
    rating: str
    reason: str
    change: int = 0


@dataclass(frozen=True)
class Rating:
    """The certainty of a body of evidence and how it was reached."""

    start: str | None
    start_reason: str
    domains: tuple[Domain, ...]
    upgrade: Domain
    certainty: str | None


def _domain(name: str, facts: Any, reason: str) -> Domain:
    rule = grading_rules.first(grading_rules.DOMAIN_RULES[name], facts)
    return Domain(name, rule.result, reason, grading_rules.RATINGS[rule.result])


def rate(claim: Claim, body: Sequence[StudyFit], kind: str, evidence: Evidence) -> Rating:
    """The certainty of `body` (studies with a result, of kind direct / indirect / none) for `claim`."""
    if not body:
        why = ("the verdict rests on regulators' records, not on studies" if claim.asserts == "approval"
               else "no study in the evidence base addresses the claimed scope")
        doms = tuple(Domain(n, "not applicable", why) for n in grading_rules.DOMAINS)
        return Rating(None, why, doms, Domain("upgrade", "none", why), None)
    human = [f for f in body if f.human]
    start_rule = grading_rules.first(grading_rules.START_RULES, grading_rules.BodyFacts(
        randomized=any(f.tier == "randomized trial" for f in body), human=bool(human)))
    start = start_rule.result
    support = [f for f in body if f.direction == "supports"]
    contra = [f for f in body if f.direction == "contradicts"]
    mixed = [f for f in body if f.direction == "mixed"]
    domains = (_risk_of_bias(body), _inconsistency(body, support, contra, mixed),
               _indirectness(claim, body, kind, evidence),
               _imprecision(body, human, support, contra),
               _publication_bias(support))
    upgrade = _upgrade(start, support, contra, evidence)
    change = sum(d.change for d in domains) + upgrade.change
    return Rating(start, start_rule.when, domains, upgrade, grading_rules.certainty(start, change))


def _risk_of_bias(body: Sequence[StudyFit]) -> Domain:
    judgements, assessed, parts, weak_ev = [], [], [], []
    for f in body:
        rob = f.extra.get("rob_overall")
        derived, derived_why = grading_rules.DERIVED_ROB.get(f.tier, ("some concerns", "not assessed"))
        if missing(rob) or str(rob) == "NA":
            j, why, was = derived, derived_why, False
        elif str(rob) == "unclear":  # no information: fall back on the design
            j, why, was = derived, f"recorded as unclear; from design: {derived_why}", False
        else:
            j, why, was = str(rob), "recorded judgement", True
        judgements.append(j)
        assessed.append(was)
        parts.append(f"{f.key}: {j} ({why})")
        score, top = f.extra.get("ev_score"), f.extra.get("ev_max")
        if not missing(score) and not missing(top) and float(top) > 0 \
                and float(score) / float(top) < grading_rules.EV_WEAK_SHARE:
            weak_ev.append(f"{f.key} {float(score):g}/{float(top):g}")
    source = ("recorded risk-of-bias judgements" if all(assessed) else
              "judged from design and conduct facts, as no risk-of-bias assessment is recorded"
              if not any(assessed) else "recorded judgements where present, else judged from design")
    reason = f"{source}: " + "; ".join(parts)
    if weak_ev:
        reason += f". Weak EV characterisation (MISEV reporting score): {', '.join(weak_ev)}"
    return _domain("risk_of_bias", grading_rules.RobFacts(tuple(judgements), tuple(assessed)), reason)


def _inconsistency(body, support, contra, mixed) -> Domain:
    if len(body) == 1:
        reason = "a single study: consistency cannot be judged (see imprecision)"
    else:
        reason = f"{len(support)} supporting, {len(contra)} contradicting, {len(mixed)} mixed"
        if contra:
            reason += ": against: " + "; ".join(f"{f.key} ({f.direction_reason})" for f in contra)
        if mixed:
            reason += "; mixed: " + "; ".join(f"{f.key} ({f.direction_reason})" for f in mixed)
    return _domain("inconsistency", grading_rules.ConsistencyFacts(len(support), len(contra), len(mixed)),
                   reason)


def _indirectness(claim: Claim, body: Sequence[StudyFit], kind: str, evidence: Evidence) -> Domain:
    animal = kind != "direct" and claim.about_people and any(not f.human for f in body)
    facts = grading_rules.IndirectnessFacts(direct=kind == "direct", animal_for_people=animal)
    if kind == "direct":
        notes = sorted({n for f in body for n in f.notes})
        vague = [f.key for f in body if "not stated" in (evidence.records[f.key].get("cell_source") or [])]
        reason = "the studies match the claimed population, intervention and outcome"
        if notes:
            reason += "; note: " + "; ".join(notes)
        if vague:
            reason += f"; cell source not stated in {', '.join(vague)}"
    else:
        diffs = sorted({d for f in body for _axis, d in f.differences})
        head = ("animal or cell evidence for a claim about people" if animal else
                "only neighbouring evidence (a different species, outcome or route)")
        reason = f"{head}: " + "; ".join(diffs[:6]) + (f"; and {len(diffs) - 6} more" if len(diffs) > 6 else "")
    return _domain("indirectness", facts, reason)


def _imprecision(body, human, support, contra) -> Domain:
    counts_people = bool(human)   # participants when the body has human studies, else animals
    counted = human if counts_people else body
    sizes = [(f.n if counts_people else f.animals) for f in counted]
    total = sum(s or 0 for s in sizes)
    unknown = sum(s is None for s in sizes)
    facts = grading_rules.PrecisionFacts(human=counts_people, n_studies=len(body), total=total,
                                         n_agreeing=len(support) if not contra else 0)
    rule = grading_rules.first(grading_rules.IMPRECISION_RULES, facts)
    unit = "participants" if counts_people else "animals"
    what = (f"{len(body)} stud{'y' if len(body) == 1 else 'ies'}, {total} {unit} in all"
            + (f" (not reported for {unknown})" if unknown else ""))
    return Domain("imprecision", rule.result, f"{what}: {rule.when}", grading_rules.RATINGS[rule.result])


def _publication_bias(support: Sequence[StudyFit]) -> Domain:
    funded = [f.key for f in support if f.extra.get("industry") is True]
    unknown = [f.key for f in support if missing(f.extra.get("industry"))]
    facts = grading_rules.PublicationFacts(support=len(support), funded=len(funded))
    if support and len(funded) == len(support):
        reason = ("every supporting study was funded by, or authored at, the product's maker: "
                  + ", ".join(funded))
    else:
        reason = (f"{len(funded)} of {len(support)} supporting studies industry-funded"
                  + (f"; funding not recorded for {len(unknown)}" if unknown else "")
                  + "; selective publication of small positive studies cannot be tested here")
    return _domain("publication_bias", facts, reason)


def _large_effects(support: Sequence[StudyFit], evidence: Evidence) -> list[str]:
    large = []
    out = evidence.outcomes
    for f in support:
        rows = out[(out["study"] == f.key).to_numpy(dtype=bool)]
        for r in rows.to_dict("records"):
            ch, ctl = r.get("change"), r.get("control_change")
            if missing(ch) or missing(ctl) or float(ctl) <= 0:
                ch, ctl = r.get("change_pct"), r.get("control_change_pct")
            if missing(ch) or missing(ctl) or float(ctl) <= 0:
                continue
            if float(ch) / float(ctl) >= grading_rules.LARGE_EFFECT_RATIO:
                large.append(f"{f.key} ({float(ch):g} vs {float(ctl):g} {r.get('unit') or ''})".replace(" )", ")"))
                break
    return large


def _upgrade(start: str, support, contra, evidence: Evidence) -> Domain:
    large = _large_effects(support, evidence)
    rule = grading_rules.first(grading_rules.UPGRADE_RULES,
                               grading_rules.UpgradeFacts(start=start, contra=len(contra), large=len(large)))
    steps = grading_rules.UPGRADE_STEPS[rule.result]
    if steps:
        return Domain("upgrade", rule.result, "large, consistent effect: " + "; ".join(large), steps)
    if large:
        why = ("randomized evidence already starts high" if start == "high" else
               "a contradicting study exists" if contra else
               f"only {len(large)} stud{'y' if len(large) == 1 else 'ies'} with a large effect against a control")
        return Domain("upgrade", rule.result, f"not upgraded ({why}): " + "; ".join(large))
    return Domain("upgrade", rule.result, "no study reports an effect at least twice the control's")
