"""Placing one study against a claim's scope: is its preparation the claimed intervention, which
axes differ (species, condition, outcome, route, follow-up, comparator), and which way its
results point. The grade of the claim (:mod:`exoreview.appraisal.grade`) is built on these fits.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..core.claims import Claim
from ..core.values import as_int, missing
from . import fit_rules
from .quality import study_columns


@dataclass(frozen=True)
class StudyFit:
    key: str
    tier: str
    human: bool
    evidence: bool
    intervention: str | None  # None: the claimed intervention; else why it only borders
    differences: tuple[tuple[str, str], ...] = ()  # (axis, what differs)
    direction: str = "none"  # supports | contradicts | mixed | none
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


SCOPE_AXES = frozenset(
    {"condition", "follow-up", "comparator", "safety data", "onset", "dose", "mechanism"}
)  # the question


def labels(vocab: Any, facet: str, keys: Iterable[str]) -> str:
    return ", ".join(vocab[facet].label(k) for k in keys) or "none recorded"


def relevant_intervention(claim: Claim, rec: Mapping[str, Any], vocab: Any) -> tuple[bool, str | None]:
    """(relevant, border reason): is the study's preparation the claimed one?"""
    sources = list(rec.get("cell_source") or [])
    if claim.cell_source:
        allowed = vocab.expand("cell_source", claim.cell_source)
        if not any(s in allowed for s in sources):
            facet = vocab["cell_source"]
            ancestors = {a for c in claim.cell_source for a in facet.ancestors(c)}
            vague = [s for s in sources if s in ancestors or s in fit_rules.VAGUE_SOURCES]
            if not vague:
                return False, None
            said = (
                "not stated"
                if all(v in fit_rules.VAGUE_SOURCES for v in vague)
                else f"stated only as {labels(vocab, 'cell_source', vague)}"
            )
            return True, (
                f"cell source {said}; cannot tell whether it was "
                f"{labels(vocab, 'cell_source', claim.cell_source)}"
            )
    terms = set(rec.get("vesicle_term") or [])
    if claim.vesicle_term:
        allowed_v: set[str] = set()
        for v in claim.vesicle_term:
            allowed_v |= fit_rules.VESICLE_MATCH.get(v, {v})
        if not terms & allowed_v:
            for prep, why in fit_rules.VESICLE_BORDER.items():
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
        what = sorted(
            {f"{vocab['model'].label(m['model'])} ({vocab['species'].label(m['species'])})" for m in models}
        ) or ["no model recorded"]
        return f"animal or cell evidence ({'; '.join(what)}), not people"
    animal = vocab["model"].descendants("animal model")
    in_vivo = [m for m in models if m["model"] in animal]
    if any(m["species"] in claim.species for m in in_vivo):
        return None
    if not in_vivo:
        where = (
            "in people" if any(m["model"] == "clinical" for m in models) else "cells or organ culture only"
        )
        return f"{where}, not living {labels(vocab, 'species', claim.species)}"
    return (
        f"in vivo in {labels(vocab, 'species', {m['species'] for m in in_vivo})}, not "
        f"{labels(vocab, 'species', claim.species)}"
    )


def _condition_diff(claim: Claim, rec: Mapping[str, Any], vocab) -> tuple[str | None, str | None]:
    """(difference, note)."""
    wanted = [c for c in claim.condition if c not in fit_rules.GENERIC_CONDITIONS]
    if not wanted:
        return None, None
    studied = list(rec.get("condition") or [])
    allowed = vocab.expand("condition", wanted)
    if any(c in allowed for c in studied):
        return None, None
    facet = vocab["condition"]
    broader = [c for c in studied if any(c in facet.ancestors(w) for w in wanted)]
    if broader:
        return None, (
            f"population broader than claimed ({labels(vocab, 'condition', broader)}; results not separated)"
        )
    return (f"studied {labels(vocab, 'condition', studied)}, not {labels(vocab, 'condition', wanted)}"), None


def _in_scope_outcomes(claim: Claim, rec: Mapping[str, Any], vocab) -> list[Mapping[str, Any]]:
    outcomes = rec.get("outcomes") or []
    if claim.outcome:
        allowed = vocab.expand("outcome", claim.outcome)
        return [o for o in outcomes if o["outcome"] in allowed]
    return [o for o in outcomes if o["outcome"] not in fit_rules.NON_EFFECT_OUTCOMES]


def _direction(outcomes: Sequence[Mapping[str, Any]], *, controlled: bool = False) -> tuple[str, str]:
    """supports / contradicts / mixed / none, and the measures behind it. A direction read from a
    title, and (in a controlled study) a within-group change without a between-group comparison,
    only border a claim (fit_rules.WEAK_READINGS)."""
    titles = [o for o in outcomes if o.get("seen_in") == "title" and o.get("direction") is not None]
    outcomes = [o for o in outcomes if o.get("seen_in") != "title"]
    # the results by what they say; _ctl: stated against a control (fit_rules.COMPARISON_WORDS)
    benefit_ctl: list[Mapping[str, Any]] = []
    benefit: list[Mapping[str, Any]] = []
    null_ctl: list[Mapping[str, Any]] = []
    opposite: list[Mapping[str, Any]] = []
    other: list[Mapping[str, Any]] = []
    unseen: list[Mapping[str, Any]] = []
    for o in outcomes:
        text = f"{o.get('measure') or ''} {o.get('detail') or ''}"
        d = o["direction"]
        if d is None:  # the result was not seen: it says nothing either way
            unseen.append(o)
        elif d in fit_rules.benefit_directions(o["outcome"]):
            (benefit_ctl if fit_rules.COMPARISON_WORDS.search(text) else benefit).append(o)
        elif d == "no significant change":
            (null_ctl if fit_rules.COMPARISON_WORDS.search(text) else other).append(o)
        elif d in ("increased", "decreased"):
            opposite.append(o)
        else:
            other.append(o)

    def says(items, how):
        return "; ".join(f"{o['measure']} {how or o['direction']}" for o in items)

    if null_ctl and not benefit_ctl:
        extra = f" (within-group: {says(benefit, '')})" if benefit else ""
        return (
            "contradicts",
            f"no significant difference versus control: {says(null_ctl, 'no difference')}{extra}",
        )
    if null_ctl and benefit_ctl:
        return "mixed", f"{says(benefit_ctl, '')}; but {says(null_ctl, 'no difference')}"
    if benefit and not benefit_ctl and controlled:
        return "none", f"{fit_rules.WEAK_READINGS['within-group']}: {says(benefit, '')}"
    if benefit_ctl or benefit:
        text = says(benefit_ctl + benefit, "")
        if opposite:
            text += f"; also {says(opposite, '')}"
        return "supports", text
    if opposite:
        return "contradicts", says(opposite, "")
    if other:
        return "mixed", says(other, "")
    if titles:
        return "none", f"{fit_rules.WEAK_READINGS['title']}: " + "; ".join(o["measure"] for o in titles)
    if unseen:
        return "none", "result not seen: " + "; ".join(o["measure"] for o in unseen)
    return "none", "no outcome in the claimed scope"


def _safety(claim: Claim, rec: Mapping[str, Any]) -> tuple[str, str] | None:
    """Direction of a study's safety information, or None when it reports none."""
    ae = (rec.get("adverse_events") or "").strip()
    safety = [o for o in rec.get("outcomes") or [] if o["outcome"] == "safety"]
    if not ae and not safety:
        return None
    if ae and fit_rules.NO_EVENTS.search(ae):
        return "supports", f"adverse events: {ae}"
    if ae:
        word = "contradicts" if claim.asserts == "no-harm" else "supports"
        return word, f"adverse events: {ae}"
    o = safety[0]
    if o["direction"] in ("no significant change", "decreased"):
        return "supports", f"{o['measure']}: {o['direction']}" + (
            f" ({o['detail']})" if o.get("detail") else ""
        )
    return "mixed", f"{o['measure']}: {o['direction']}"


def fit_study(claim: Claim, row: Mapping[str, Any], rec: Mapping[str, Any], vocab: Any) -> StudyFit | None:
    """How one study stands against a claim's scope, or None when it studies another intervention."""
    relevant, border = relevant_intervention(claim, rec, vocab)
    if not relevant:
        return None
    tier = str(row["tier"])
    models = rec.get("models") or []
    base = dict(
        key=row["key"],
        tier=tier,
        human=bool(row["human"]),
        intervention=border,
        n=as_int(row.get("n_participants")),
        animals=as_int(row.get("n_animals")),
        species=tuple(dict.fromkeys(m["species"] for m in models)),
    )
    notice = rec.get("notice") or {}
    not_ev = fit_rules.NOT_EVIDENCE.get(tier)
    if notice.get("kind") == "retraction":
        not_ev = f"{fit_rules.RETRACTED} ({notice.get('date') or 'date not seen'}, {notice.get('source')})"
    diffs: list[tuple[str, str]] = []
    notes: list[str] = []
    cond, note = _condition_diff(claim, rec, vocab)
    if cond:
        diffs.append(("condition", cond))
    if note:
        notes.append(note)
    if claim.asserts == "durability" and claim.min_follow_up_weeks:
        fu = followed_weeks(rec, row)
        if fu is None or fu < claim.min_follow_up_weeks:
            shown = "not stated" if fu is None else f"{fu:.3g} weeks"
            diffs.append(("follow-up", f"followed for {shown}, not ≥ {claim.min_follow_up_weeks:g} weeks"))
    if claim.asserts == "onset" and claim.onset_weeks:
        first = earliest_weeks(rec)
        if first is None or first > claim.onset_weeks * fit_rules.ONSET_TOLERANCE:
            shown = "no time of measurement stated" if first is None else f"first result at {first:g} weeks"
            diffs.append(("onset", f"{shown}, not within {claim.onset_weeks:g} weeks"))
    if claim.asserts == "dose":
        why = _dose_diff(claim, rec)
        if why:
            diffs.append(("dose", why))
    if claim.asserts == "mechanism" and claim.unmeasured and not claim.outcome:
        diffs.append(
            ("mechanism", f"no outcome recorded in the evidence base measures {', '.join(claim.unmeasured)}")
        )
    if claim.asserts == "superiority" and claim.comparator:
        comp = rec.get("comparator") or ""
        if not any(w in comp.casefold() for w in fit_rules.comparator_words(claim.comparator)):
            diffs.append(
                (
                    "comparator",
                    f"no comparison with {claim.comparator} (comparator: {comp or 'not recorded'})",
                )
            )
    if not_ev:
        return StudyFit(**base, evidence=False, not_evidence=not_ev, differences=tuple(diffs))
    sp = _species_diff(claim, rec, vocab)
    if sp:
        diffs.append(("species", sp))
    if claim.route and rec.get("route"):
        if not set(rec["route"]) & vocab.expand("route", claim.route):
            diffs.append(
                (
                    "route",
                    f"given by {labels(vocab, 'route', rec['route'])}, not "
                    f"{labels(vocab, 'route', claim.route)}",
                )
            )
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
        if outs and claim.about_people and base["human"] and _measured_outside_people(outs, models, vocab):
            # a trial with a laboratory part: its cell, follicle and cycle outcomes come from the laboratory
            base["human"] = False
            diffs.append(
                ("species", "measured in its cell, organ-culture or animal experiments, not in people")
            )
        if claim.asserts == "superiority" and claim.comparator and outs:
            words = fit_rules.comparator_words(claim.comparator)
            against = [
                o
                for o in outs
                if any(w in f"{o.get('measure') or ''} {o.get('detail') or ''}".casefold() for w in words)
            ]
            # a superiority claim needs a result against that comparator, not against an untreated group
            outs = against or [
                {
                    **o,
                    "direction": None,
                    "measure": f"{o['measure']} (no result against {claim.comparator} read)",
                }
                for o in outs
            ]
        if not outs:
            measured = {o["outcome"] for o in rec.get("outcomes") or []}
            diffs.append(
                (
                    "outcome",
                    f"measured {labels(vocab, 'outcome', sorted(measured))}, not "
                    f"{labels(vocab, 'outcome', claim.outcome)}",
                )
            )
            outs = [o for o in rec.get("outcomes") or [] if o["outcome"] not in fit_rules.NON_EFFECT_OUTCOMES]
        direction, why = _direction(outs, controlled=tier in fit_rules.CONTROLLED_TIERS)
    return StudyFit(
        **base,
        evidence=True,
        differences=tuple(diffs),
        direction=direction,
        direction_reason=why,
        notes=tuple(notes),
        extra={
            "industry": row.get("industry_funded"),
            **study_columns(rec, vocab),
            "extraction_level": (rec.get("extraction") or {}).get("level"),
            "design_level": as_int(row.get("design_level")),
            "preprint": rec.get("publication_status") == "preprint",
            "notice": notice.get("kind"),
            "confidence": rec.get("confidence"),
            "model_kinds": tuple(dict.fromkeys(m["model"] for m in models)),
            "co_interventions": co_interventions(claim, rec),
            "source_not_stated": set(rec.get("cell_source") or ()) <= fit_rules.VAGUE_SOURCES,
        },
    )


def _measured_outside_people(
    outs: Sequence[Mapping[str, Any]], models: Sequence[Mapping[str, Any]], vocab
) -> bool:
    """True when every outcome is a laboratory one (cell, follicle or cycle level) and the study has a
    laboratory model besides its participants."""
    facet = vocab["outcome"]
    lab = all(
        facet.terms[o["outcome"]].get("group") not in ("clinical",)
        for o in outs
        if o["outcome"] in facet.terms
    )
    return lab and any(m["model"] != "clinical" for m in models)


def co_interventions(claim: Claim, rec: Mapping[str, Any]) -> tuple[str, ...]:
    """What was given with the vesicles (microneedling, laser, minoxidil, PRP, plant extracts, ...),
    read from the route and the study's own words; a route the claim names is not a co-intervention."""
    text = " · ".join(
        [*(rec.get("route") or ()), *(str(rec.get(f) or "") for f in fit_rules.CO_INTERVENTION_FIELDS)]
    )
    claimed = " ".join(claim.route)
    return tuple(
        name
        for name, pattern in fit_rules.CO_INTERVENTIONS
        if pattern.search(text) and not pattern.search(claimed)
    )


def followed_weeks(rec: Mapping[str, Any], row: Mapping[str, Any]) -> float | None:
    """How long a study followed its participants, in weeks: follow_up_weeks, else the longest time
    its follow_up text states (a mean with its spread is read as the mean)."""
    if not missing(row.get("follow_up_weeks")):
        return float(row["follow_up_weeks"])
    text = str(rec.get("follow_up") or "")
    times = [
        float(m.group("n")) * fit_rules.WEEKS_PER[m.group("unit").casefold()]
        for m in fit_rules.MEAN_TIME.finditer(text)
    ]
    text = fit_rules.MEAN_TIME.sub(" ", text)
    for m in fit_rules.TIMEPOINT.finditer(text):
        n, unit = m.group("n") or m.group("n2"), m.group("unit") or m.group("unit2")
        times.append(float(n) * fit_rules.WEEKS_PER[unit.casefold()])
    return max(times) if times else None


def earliest_weeks(rec: Mapping[str, Any]) -> float | None:
    """The earliest time (in weeks) at which a study reports a result: outcome timepoints, else its
    follow-up."""
    times = []
    for text in [
        *(((o.get("effect") or {}).get("timepoint")) for o in rec.get("outcomes") or []),
        rec.get("follow_up"),
    ]:
        for m in fit_rules.TIMEPOINT.finditer(str(text or "")):
            n, unit = m.group("n") or m.group("n2"), m.group("unit") or m.group("unit2")
            if float(n) > 0:  # week 0 is the baseline, not a result
                times.append(float(n) * fit_rules.WEEKS_PER[unit.casefold()])
    if not times and rec.get("follow_up_weeks") is not None:
        times.append(float(rec["follow_up_weeks"]))
    return min(times) if times else None


def _dose_diff(claim: Claim, rec: Mapping[str, Any]) -> str | None:
    """How a study's dose differs from a dose claim's (None: it addresses the claim)."""
    dose = rec.get("dose") or ""
    if claim.dose_particles:
        given = dose_particles(dose)
        if not given:
            return (
                f"dose not given as a particle number ({dose or 'not stated'}): no link between a number "
                "of vesicles and an effect"
            )
        factor = fit_rules.DOSE_FACTOR
        if not any(claim.dose_particles / factor <= g <= claim.dose_particles * factor for g in given):
            return (
                f"gave {', '.join(f'{g:.3g}' for g in given)} particles, not about {claim.dose_particles:.3g} "
                f"(within a factor of {factor:g})"
            )
        return None
    if claim.dose_sessions:
        span = dose_sessions(dose)
        if span is None:
            return f"number of sessions not stated ({dose or 'no dose recorded'})"
        if not span[0] <= claim.dose_sessions <= span[1]:
            return f"gave {span[0]:g}{'' if span[0] == span[1] else f'-{span[1]:g}'} sessions, not {claim.dose_sessions:g}"
        return None
    if fit_rules.DOSE_COMPARISON.search(f"{rec.get('comparator') or ''} {dose}"):
        return None
    return "compared no doses, concentrations or numbers of sessions"


def dose_particles(dose: str | None) -> tuple[float, ...]:
    """The particle numbers of a dose text ('1×10^9 particles', '10 billion exosomes', '1e8, 1e9')."""
    out = []
    for m in fit_rules.PARTICLE_DOSE.finditer(dose or ""):
        if m.group("n"):
            out.append(float(m.group("n").replace(",", "")) * fit_rules.SCALE[m.group("scale").casefold()])
        else:
            out.append(float(m.group("m")) * 10 ** int(m.group("e")))
    return tuple(out)


def dose_sessions(dose: str | None) -> tuple[float, float] | None:
    """(fewest, most) sessions a dose text states ('six monthly sessions', '4 to 6 sessions'), or None."""
    m = fit_rules.STUDY_SESSIONS.search(dose or "")
    if not m:
        return None
    n = m.group("n")
    low = fit_rules.SESSION_WORDS.get(n.casefold(), None) or float(n)
    high = float(m.group("hi")) if m.group("hi") and "±" not in m.group(0) else low
    return float(low), high
