"""EV reporting quality of a study, after MISEV2018 / MISEV2023: which of the items a reader needs
to trust an EV preparation the study reports (isolation, particle counts, imaging, markers, dose).

The items are derived from the coded fields (isolation, characterization, dose, vesicle_term and
their `*_text`). An item is `reported: true` when the study file records it; `false` when the
full text was read and does not report it; `null` (not extracted) when only the abstract or less
was read. The score is shown as score / items assessed, with the unassessed items named.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..core.extraction import absent, not_extracted

MISEV = (
    "Théry C et al. Minimal information for studies of extracellular vesicles 2018 (MISEV2018). "
    "J Extracell Vesicles 2018;7:1535750; Welsh JA et al. MISEV2023. J Extracell Vesicles "
    "2024;13:e12404"
)

# MISEV2018 section 3 (recovery versus specificity of separation methods).
ISOLATION_SPECIFICITY: dict[str, str] = {
    "density gradient": "high",
    "size-exclusion chromatography": "intermediate",
    "ultracentrifugation": "intermediate",
    "tangential flow filtration": "low",
    "ultrafiltration": "low",
    "precipitation": "low",
    "aqueous two-phase system": "low",
    "extrusion": "not a separation step",
    "not stated": "not stated",
}
SPECIFIC_ENOUGH = frozenset({"high", "intermediate"})

# item id, label, what counts (coded characterization terms; text patterns in *_text fields)
EV_ITEMS: tuple[tuple[str, str], ...] = (
    ("isolation_method", "isolation method named"),
    ("isolation_specificity", "isolation of intermediate or high specificity (UC, SEC, density gradient)"),
    ("particle_count", "particle number (NTA, TRPS or flow cytometry)"),
    ("imaging", "single-vesicle imaging (TEM or cryo-EM)"),
    ("transmembrane_marker", "transmembrane marker (CD9, CD63 or CD81)"),
    ("cytosolic_marker", "cytosolic marker (TSG101 or ALIX)"),
    ("negative_marker", "negative marker (calnexin or ApoA1)"),
    ("dose_reported", "dose reported as a quantity"),
    ("dose_in_particles", "dose in particle numbers (comparable across studies)"),
    ("vesicle_term_justified", "'exosome' supported by the characterisation, or a generic EV term used"),
)
EV_SHORT: dict[str, str] = {  # column labels for figures
    "isolation_method": "isolation named",
    "isolation_specificity": "specific isolation",
    "particle_count": "particle count",
    "imaging": "TEM / cryo-EM",
    "transmembrane_marker": "CD9 / CD63 / CD81",
    "cytosolic_marker": "TSG101 / ALIX",
    "negative_marker": "negative marker",
    "dose_reported": "dose reported",
    "dose_in_particles": "dose in particles",
    "vesicle_term_justified": "term justified",
}
EV_TERMS: dict[str, tuple[frozenset[str], str]] = {  # item → (characterization terms, text pattern)
    "particle_count": (
        frozenset({"NTA", "TRPS", "flow cytometry"}),
        r"\b(NTA|TRPS|nanoparticle tracking|resistive pulse|nano-?flow)\b",
    ),
    "imaging": (frozenset({"TEM", "cryo-EM"}), r"\b(TEM|cryo-?(EM|TEM)|electron microscop\w*)\b"),
    "transmembrane_marker": (frozenset({"CD9", "CD63", "CD81"}), r"\bCD(9|63|81)\b"),
    "cytosolic_marker": (frozenset({"TSG101", "ALIX"}), r"\b(TSG101|ALIX|PDCD6IP)\b"),
    "negative_marker": (
        frozenset({"calnexin negative", "ApoA1 negative"}),
        r"\b(calnexin|ApoA-?1|apolipoprotein A-?1)\b",
    ),
}
# dose unit: first matching pattern wins (a dose giving particles is comparable even if it also
# gives a mass)
DOSE_UNITS: tuple[tuple[str, str], ...] = (
    (
        "particles",
        r"\b\d[\d.,]*\s*(billion|million|trillion)\b|\b\d+(\.\d+)?[eE]\d+\b|"
        r"\d\s*[×x]\s*10\^?\s*\d+|\b\d[\d.,]*\s*(particles|exosomes|EVs|vesicles)\b",
    ),
    ("protein mass", r"(µg|μg|ug|mg|ng)\b"),
    ("volume or concentration only", r"\b\d[\d.,]*\s*(ml|mL|µl|μl|%)"),
)
EXOSOME_TERMS = frozenset({"exosome", "engineered exosome"})
# item → the fact (a not_reported entry) whose absence it is
ITEM_FACT: dict[str, str] = {
    "isolation_method": "isolation",
    "isolation_specificity": "isolation",
    "particle_count": "characterization",
    "imaging": "characterization",
    "transmembrane_marker": "characterization",
    "cytosolic_marker": "characterization",
    "negative_marker": "characterization",
    "dose_reported": "dose",
    "dose_in_particles": "dose",
}


@dataclass(frozen=True)
class EvItem:
    item: str
    label: str
    reported: bool | None  # True, False (the text read does not report it), None (not extracted)
    detail: str


@dataclass(frozen=True)
class EvReport:
    study: str
    applicable: bool
    why: str
    items: tuple[EvItem, ...]
    dose_unit: str | None
    dose_comparable: bool | None

    @property
    def score(self) -> int | None:
        return sum(bool(i.reported) for i in self.items) if self.applicable else None

    @property
    def max(self) -> int | None:
        """Items assessed: reported or not reported (an item not extracted is not counted)."""
        return sum(i.reported is not None for i in self.items) if self.applicable else None

    @property
    def unassessed(self) -> tuple[str, ...]:
        """Items not extracted: the text that would say was not read."""
        return tuple(i.item for i in self.items if i.reported is None)

    def shown(self) -> str:
        """'4/6 (4 not extracted)' or '3/10': score over the items assessed."""
        if not self.applicable:
            return "n/a"
        tail = f" ({len(self.unassessed)} not extracted)" if self.unassessed else ""
        return f"{self.score}/{self.max}{tail}"

    def flags(self) -> list[str]:
        """Short warnings for tables and grading reasons."""
        if not self.applicable:
            return []
        out = []
        state = {i.item: i.reported for i in self.items}
        if self.dose_comparable is False:
            out.append("dose not comparable (" + (self.dose_unit or "not reported") + ")")
        markers = [state[m] for m in ("transmembrane_marker", "cytosolic_marker", "negative_marker")]
        if not any(markers) and None not in markers:
            out.append("no EV marker reported")
        if state["vesicle_term_justified"] is False:
            out.append("'exosome' not justified by the methods reported")
        if self.unassessed:
            out.append(f"{len(self.unassessed)} of {len(self.items)} items not extracted (methods not read)")
        return out


def dose_unit(dose: str | None) -> str:
    if not dose or not str(dose).strip():
        return "not reported"
    for unit, pattern in DOSE_UNITS:
        if re.search(pattern, dose):
            return unit
    return "not quantified"


def _text(rec: Mapping[str, Any]) -> str:
    parts = [rec.get("isolation_text") or "", *(rec.get("characterization_text") or [])]
    return " · ".join(p for p in parts if p)


def ev_reporting(rec: Mapping[str, Any], vocab) -> EvReport:
    """The MISEV item table of one study, from its coded fields and their `*_text`."""
    key = rec.get("key", "")
    isolated = [v for v in rec.get("vesicle_term") or [] if vocab["vesicle_term"].terms[v].get("isolated")]
    status = vocab["publication_status"].terms.get(rec.get("publication_status"))
    designs = rec.get("design") or []
    review = designs and all(vocab["design"].terms[d].get("synthesis") for d in designs)
    why = (
        "conditioned medium / secretome: no vesicles were isolated"
        if not isolated
        else "registry record or protocol without results"
        if status is not None and not status.get("results")
        else "review: EV reporting is assessed for primary studies only"
        if review
        else ""
    )
    if why:
        return EvReport(key, False, why, (), None, None)
    chars = set(rec.get("characterization") or [])
    text = _text(rec)
    iso = [i for i in rec.get("isolation") or [] if i != "not stated"]
    spec = {i: ISOLATION_SPECIFICITY.get(i, "unknown") for i in iso}
    unit = dose_unit(rec.get("dose"))
    found: dict[str, tuple[bool, str]] = {
        "isolation_method": (
            bool(iso),
            ", ".join(vocab["isolation"].label(i) for i in iso) or "not reported",
        ),
        "isolation_specificity": (
            any(s in SPECIFIC_ENOUGH for s in spec.values()),
            "; ".join(f"{vocab['isolation'].label(i)}: {s}" for i, s in spec.items())
            or "no isolation method reported",
        ),
        "dose_reported": (unit not in ("not reported", "not quantified"), rec.get("dose") or "not reported"),
        "dose_in_particles": (unit == "particles", unit),
    }
    for item, (terms, pattern) in EV_TERMS.items():
        coded = sorted(chars & terms)
        texts = sorted(set(m.group(0) for m in re.finditer(pattern, text, flags=re.I)))
        hit = coded or texts
        found[item] = (bool(hit), ", ".join(hit) if hit else "not reported")
    claims_exosome = bool(set(isolated) & EXOSOME_TERMS) and not (set(isolated) - EXOSOME_TERMS)
    markers = all(found[m][0] for m in ("transmembrane_marker", "cytosolic_marker", "negative_marker"))
    sized = found["particle_count"][0] or found["imaging"][0]
    if claims_exosome:
        ok = markers and sized
        detail = (
            "'exosome' used with all three marker classes and particle sizing"
            if ok
            else "'exosome' used without the characterisation MISEV asks for (markers of all three "
            "classes and particle sizing; endosomal origin is rarely shown)"
        )
    else:
        ok, detail = True, "generic term used: " + ", ".join(vocab["vesicle_term"].label(v) for v in isolated)
    found["vesicle_term_justified"] = (ok, detail)
    reported: dict[str, tuple[bool | None, str]] = {}  # None: not extracted
    for item, (present, detail) in found.items():  # an item not found: not reported, or not extracted
        if present:
            reported[item] = (True, detail)
        elif item == "dose_in_particles" and found["dose_reported"][0]:
            reported[item] = (False, detail)  # the dose read shows its unit
        elif item == "isolation_specificity" and found["isolation_method"][0]:
            reported[item] = (False, detail)  # the method read shows its specificity
        elif item == "vesicle_term_justified":
            continue
        else:
            seen = absent(rec, ITEM_FACT[item])
            reported[item] = (seen, detail if seen is False else not_extracted(rec))
    if not found["vesicle_term_justified"][0]:
        needed = [reported[m][0] for m in ("transmembrane_marker", "cytosolic_marker", "negative_marker")]
        sizing = [reported[m][0] for m in ("particle_count", "imaging")]
        unknown = None in needed or (True not in sizing and None in sizing)
        reported["vesicle_term_justified"] = (
            (None, not_extracted(rec)) if unknown else found["vesicle_term_justified"]
        )
    else:
        reported["vesicle_term_justified"] = found["vesicle_term_justified"]
    items = tuple(EvItem(i, label, reported[i][0], reported[i][1]) for i, label in EV_ITEMS)
    return EvReport(
        key,
        True,
        "",
        items,
        unit,
        unit == "particles" if unit != "not reported" or absent(rec, "dose") is False else None,
    )
