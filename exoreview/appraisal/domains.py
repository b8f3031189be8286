"""Rating a body of evidence GRADE-style, stratum by stratum.

The body is split into design strata (:data:`grading_rules.STRATA`); each starts at the level GRADE
gives its design and is rated in the five domains and for a large effect. Every decision is the
first row of a rule table in :mod:`exoreview.appraisal.grading_rules` that fires on the facts
gathered here; each reason says which facts the row saw. The claim's certainty is that of the
stratum that carries it (the highest); a domain that could not be assessed makes that certainty an
upper bound.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..core.claims import Claim
from ..core.evidence import Evidence
from ..core.values import missing
from . import grading_rules
from .effects import study_effects
from .fit import StudyFit
from .pooling import MIN_STUDIES, pool_comparable


@dataclass(frozen=True)
class Domain:
    """One GRADE domain: its rating, the steps it moves certainty, and why."""

    name: str
    rating: str
    reason: str
    change: int = 0


@dataclass(frozen=True)
class StratumRating:
    """The certainty of one design stratum of the body."""

    stratum: str
    studies: tuple[str, ...]
    start: str
    start_reason: str
    domains: tuple[Domain, ...]
    upgrade: Domain
    certainty: str

    @property
    def bounded(self) -> bool:
        """A domain could not be assessed: the certainty is an upper bound (meaningless at very low)."""
        return self.certainty != "very low" and any(
            d.rating == grading_rules.NOT_ASSESSABLE for d in self.domains
        )

    def describe(self) -> str:
        bound = " at most" if self.bounded else ""
        return f"{self.stratum} ({len(self.studies)}):{bound} {self.certainty}"


@dataclass(frozen=True)
class Rating:
    """The certainty of a body of evidence: the stratum that carries it, and every stratum."""

    start: str | None
    start_reason: str
    domains: tuple[Domain, ...]
    upgrade: Domain
    certainty: str | None
    carried_by: StratumRating | None = None
    strata: tuple[StratumRating, ...] = ()

    @property
    def bounded(self) -> bool:
        return self.carried_by is not None and self.carried_by.bounded


def rate(
    claim: Claim, body: Sequence[StudyFit], kind: str, evidence: Evidence, pending_trials: Sequence[str] = ()
) -> Rating:
    """The certainty of `body` (studies with a result, of kind direct / indirect / none) for `claim`."""
    if not body:
        why = (
            "the verdict rests on regulators' records, not on studies"
            if claim.asserts == "approval"
            else "no study in the evidence base addresses the claimed scope"
        )
        doms = tuple(Domain(n, "not applicable", why) for n in grading_rules.DOMAINS)
        return Rating(None, why, doms, Domain("upgrade", "none", why), None)
    strata = []
    for stratum in grading_rules.STRATA:
        members = [f for f in body if f.tier in stratum.tiers]
        if members:
            strata.append(_rate_stratum(stratum, members, claim, kind, evidence, pending_trials))
    rank = {name: i for i, name in enumerate(grading_rules.CERTAINTY_LEVELS)}
    order = {s.name: i for i, s in enumerate(grading_rules.STRATA)}
    carrier = max(strata, key=lambda r: (rank[r.certainty], not r.bounded, -order[r.stratum]))
    others = "; ".join(r.describe() for r in strata if r is not carrier)
    start_reason = (
        f"carried by {carrier.stratum} ({len(carrier.studies)} stud"
        f"{'y' if len(carrier.studies) == 1 else 'ies'}): {carrier.start_reason}"
        + (f". Other strata: {others}" if others else "")
    )
    return Rating(
        carrier.start,
        start_reason,
        carrier.domains,
        carrier.upgrade,
        carrier.certainty,
        carrier,
        tuple(strata),
    )


def _rate_stratum(
    stratum: grading_rules.Stratum,
    body: Sequence[StudyFit],
    claim: Claim,
    kind: str,
    evidence: Evidence,
    pending_trials: Sequence[str],
) -> StratumRating:
    support = [f for f in body if f.direction == "supports"]
    contra = [f for f in body if f.direction == "contradicts"]
    mixed = [f for f in body if f.direction == "mixed"]
    effects, syntheses = _effects(body, claim, evidence)
    domains = (
        _risk_of_bias(body),
        _inconsistency(body, support, contra, mixed, syntheses),
        _indirectness(claim, body, kind, evidence),
        _imprecision(body, effects, syntheses),
        _publication_bias(body, support, pending_trials),
    )
    upgrade = _upgrade(stratum.start, support, contra, effects, domains)
    change = sum(d.change for d in domains) + upgrade.change
    return StratumRating(
        stratum.name,
        tuple(f.key for f in body),
        stratum.start,
        stratum.why,
        domains,
        upgrade,
        grading_rules.certainty(stratum.start, change),
    )


def _domain(name: str, facts: object, reason: str) -> Domain:
    rule = grading_rules.first(grading_rules.DOMAIN_RULES[name], facts)
    return Domain(
        name,
        rule.result,
        f"{rule.result}: {rule.when}. {reason}" if rule.result == grading_rules.NOT_ASSESSABLE else reason,
        grading_rules.RATINGS[rule.result],
    )


# --- risk of bias -------------------------------------------------------------------------------------
STEP_UP = {
    "low": "some concerns",
    "some concerns": "high",
    "high": "high",
    "critical": "critical",
    grading_rules.NOT_ASSESSABLE: "some concerns",
}


def study_rob(f: StudyFit) -> tuple[str, str]:
    """(judgement, why) of one study: its tool's judgement from the full text, else a fact of its
    design, else not assessable; a preprint or a low-confidence record rates it one step worse."""
    rob = f.extra.get("rob_overall")
    if f.tier in grading_rules.ROB_BY_DESIGN_OVERRIDES_TOOL:
        judgement, why = grading_rules.DESIGN_ROB[f.tier]
        if not missing(rob):
            why += f" (its {f.extra.get('rob_tool')} checklist measures reporting, not bias)"
    elif not missing(rob):
        judgement = "some concerns" if str(rob) == "unclear" else str(rob)
        why = f"{f.extra.get('rob_tool')} from the full text: {rob}"
    elif f.tier in grading_rules.DESIGN_ROB:
        judgement, why = grading_rules.DESIGN_ROB[f.tier]
    else:
        judgement = grading_rules.NOT_ASSESSABLE
        why = f"not extracted ({f.extra.get('extraction_level') or 'text'} only)"
    concerns = [
        text
        for name, text in grading_rules.RECORD_CONCERNS.items()
        if (name == "preprint" and f.extra.get("preprint"))
        or (name == "low confidence" and f.extra.get("confidence") == "low")
        or (name == "expression of concern" and f.extra.get("notice") == name)
    ]
    if concerns:
        judgement = STEP_UP[judgement]
        why += "; " + "; ".join(concerns)
    return judgement, why


def _risk_of_bias(body: Sequence[StudyFit]) -> Domain:
    judged = [(f.key, *study_rob(f)) for f in body]
    reason = "; ".join(f"{key}: {j} ({why})" for key, j, why in judged)
    return _domain("risk_of_bias", grading_rules.RobFacts(tuple(j for _k, j, _w in judged)), reason)


# --- inconsistency ------------------------------------------------------------------------------------
def _inconsistency(body, support, contra, mixed, syntheses) -> Domain:
    pooled = [s.pooled for s in syntheses if s.pooled is not None]
    i2 = max((p.i2 for p in pooled), default=None)
    if len(body) == 1:
        reason = "a single study: consistency cannot be judged (see imprecision)"
    else:
        reason = f"{len(support)} supporting, {len(contra)} contradicting, {len(mixed)} mixed"
        if i2 is not None:
            reason += f"; I² of the pooled effect estimates {i2:.0f}%"
        if contra:
            reason += ": against: " + "; ".join(f"{f.key} ({f.direction_reason})" for f in contra)
        if mixed:
            reason += "; mixed: " + "; ".join(f"{f.key} ({f.direction_reason})" for f in mixed)
    return _domain(
        "inconsistency", grading_rules.ConsistencyFacts(len(support), len(contra), len(mixed), i2), reason
    )


# --- indirectness -------------------------------------------------------------------------------------
def _indirectness(claim: Claim, body: Sequence[StudyFit], kind: str, evidence: Evidence) -> Domain:
    animal = kind != "direct" and claim.about_people and any(not f.human for f in body)
    lab = {"cell culture", "organ culture"}
    cells_for_living = (
        bool(claim.species)
        and not claim.cells
        and all(set(f.extra.get("model_kinds") or ()) <= lab for f in body)
    )
    differences: list[str] = []
    co = sorted({c for f in body for c in f.extra.get("co_interventions") or ()})
    if co:
        who = [f.key for f in body if f.extra.get("co_interventions")]
        differences.append(
            f"co-interventions given with the vesicles ({', '.join(co)}) in {len(who)} of "
            f"{len(body)} studies: {', '.join(who[:6])}"
        )
    broader = sorted({n for f in body for n in f.notes if n.startswith("population broader")})
    if broader:
        differences.append("; ".join(broader))
    vague = [f.key for f in body if f.extra.get("source_not_stated")]
    if vague and len(vague) * 2 > len(body):
        differences.append(
            f"the vesicles' source is not stated in {len(vague)} of {len(body)} studies: cannot "
            "tell which preparation the evidence is about"
        )
    weak = [
        f"{f.key} {f.extra['ev_score']}/{f.extra['ev_max']}"
        for f in body
        if f.extra.get("extraction_level") == "full text"
        and not missing(f.extra.get("ev_max"))
        and float(f.extra["ev_max"]) > 0
        and float(f.extra["ev_score"]) / float(f.extra["ev_max"]) < grading_rules.EV_WEAK_SHARE
    ]
    if weak:
        differences.append(f"weak EV characterisation in the full text (MISEV score): {', '.join(weak)}")
    facts = grading_rules.IndirectnessFacts(
        cells_for_living=cells_for_living,
        animal_for_people=animal,
        neighbouring=kind == "indirect",
        differences=len(differences),
    )
    if kind == "direct":
        head = "the studies match the claimed population, intervention and outcome"
    else:
        diffs = sorted({d for f in body for _axis, d in f.differences})
        head = (
            (
                "animal or cell evidence for a claim about people"
                if animal
                else "only neighbouring evidence (a different species, outcome or route)"
            )
            + ": "
            + "; ".join(diffs[:6])
            + (f"; and {len(diffs) - 6} more" if len(diffs) > 6 else "")
        )
    if cells_for_living:
        head = "only cell or organ-culture evidence for a claim about living hair"
    reason = head + ("; but " + "; ".join(differences) if differences else "")
    return _domain("indirectness", facts, reason)


# --- effects of the body -----------------------------------------------------------------------------
def _effects(body: Sequence[StudyFit], claim: Claim, evidence: Evidence):
    """(effects, syntheses) computed from the numbers of the body's studies, for the claim's outcomes."""
    keys = {f.key for f in body}
    sub = evidence.subset(keys)
    effects, _skipped = study_effects(sub)
    if claim.outcome and not effects.empty:
        allowed = evidence.vocabulary.expand("outcome", claim.outcome)
        effects = effects[effects["outcome"].isin(allowed).to_numpy(dtype=bool)]
    return effects, (pool_comparable(effects) if not effects.empty else [])


# --- imprecision --------------------------------------------------------------------------------------
def _imprecision(body: Sequence[StudyFit], effects, syntheses) -> Domain:
    people = any(f.human for f in body)
    sizes = [(f.n if people else f.animals) for f in body]
    total = sum(s or 0 for s in sizes)
    unknown = sum(s is None for s in sizes)
    crosses = None
    pooled = [s.pooled for s in syntheses if s.pooled is not None]
    if pooled:
        crosses = any(p.ci_low <= 0 <= p.ci_high for p in pooled)
    elif len(effects) and effects["study"].nunique() == 1:
        crosses = bool(((effects["ci_low"] <= 0) & (effects["ci_high"] >= 0)).any())
    facts = grading_rules.PrecisionFacts(
        human=people, n_studies=len(body), total=total, unknown=unknown, ci_crosses_null=crosses
    )
    unit = "participants" if people else "animals"
    what = f"{len(body)} stud{'y' if len(body) == 1 else 'ies'}, {total} {unit} in all" + (
        f" (not known for {unknown}: not reported or not extracted)" if unknown else ""
    )
    if crosses is not None:
        what += "; the effect's confidence interval " + ("includes" if crosses else "excludes") + " no effect"
    return _domain("imprecision", facts, what)


# --- publication bias ---------------------------------------------------------------------------------
def _publication_bias(
    body: Sequence[StudyFit], support: Sequence[StudyFit], pending: Sequence[str]
) -> Domain:
    funded = [f.key for f in support if f.extra.get("industry") is True]
    unknown = [f.key for f in support if missing(f.extra.get("industry"))]

    def small(f: StudyFit) -> bool:  # laboratory and animal experiments count as small
        n = f.n if f.human else f.animals
        return (not f.human) or (n is not None and n < grading_rules.SMALL_STUDY)

    small_positive = bool(body) and len(support) == len(body) and all(small(f) for f in body)
    facts = grading_rules.PublicationFacts(
        support=len(support),
        funded=len(funded),
        n_studies=len(body),
        small_positive=small_positive,
        pending_trials=len(pending),
    )
    reason = (
        f"{len(funded)} of {len(support)} supporting studies funded by or authored at the maker"
        + (f"; funding not known for {len(unknown)}" if unknown else "")
        + ("; every study small and positive" if small_positive else "")
    )
    if pending:
        reason += f"; registered trials of the scope without published results: {', '.join(pending)}"
    return _domain("publication_bias", facts, reason)


# --- upgrading ----------------------------------------------------------------------------------------
def _upgrade(start: str, support, contra, effects, domains: Sequence[Domain]) -> Domain:
    large = []
    if len(effects):
        g = effects[(effects["kind"] == "Hedges' g") & effects["study"].isin([f.key for f in support])]
        big = g[(g["estimate"] >= grading_rules.LARGE_EFFECT_SMD) & (g["ci_low"] > 0)]
        large = sorted(set(big["study"]))
    rated_down = any(d.change < 0 or d.rating == grading_rules.NOT_ASSESSABLE for d in domains)
    rule = grading_rules.first(
        grading_rules.UPGRADE_RULES,
        grading_rules.UpgradeFacts(start=start, contra=len(contra), large=len(large), rated_down=rated_down),
    )
    steps = grading_rules.UPGRADE_STEPS[rule.result]
    if steps:
        return Domain(
            "upgrade", rule.result, "large, consistent between-group effect: " + ", ".join(large), steps
        )
    if large:
        why = (
            "randomized or experimental evidence already starts high"
            if start == "high"
            else "a contradicting study exists"
            if contra
            else "a domain is rated down or not assessable"
            if rated_down
            else f"only {len(large)} study with a large effect (needs {MIN_STUDIES})"
        )
        return Domain("upgrade", rule.result, f"not upgraded ({why}): " + ", ".join(large))
    return Domain("upgrade", rule.result, "no study reports a large between-group effect")
