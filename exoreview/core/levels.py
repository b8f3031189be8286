"""Evidence levels: how a study's designs and record type place it in the hierarchy.

The design ranks themselves are data in ``evidence/vocabulary.yaml`` (design → level). This module
holds the two small rule tables built on them: the display tier of a study, and the citation
status of its bibliographic record. Change the rules here, in one place.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

# tier name, short label for figures, the design levels it takes (None: by record type)
TIERS: tuple[tuple[str, str], ...] = (
    ("systematic review", "systematic review / meta-analysis"),
    ("randomized trial", "randomized controlled trial"),
    ("controlled study", "non-randomized controlled study"),
    ("uncontrolled human", "uncontrolled human study / case series"),
    ("case report", "case report"),
    ("animal", "animal in vivo"),
    ("ex vivo", "human ex vivo organ culture"),
    ("in vitro", "in vitro cells"),
    ("registered, no results", "registered trial / protocol without results"),
    ("narrative review", "narrative review (not evidence)"),
)
TIER_NAMES: tuple[str, ...] = tuple(t for t, _ in TIERS)
TIER_BY_LEVEL: Mapping[int, str] = {
    1: "systematic review",
    2: "randomized trial",
    3: "controlled study",
    4: "uncontrolled human",
    5: "case report",
    6: "animal",
    7: "ex vivo",
    8: "in vitro",
}


def tier(design_level: int | None, has_results: bool) -> str:
    """Display tier: registry records and protocols sit apart; reviews without a level too."""
    if not has_results:
        return "registered, no results"
    if design_level is None:
        return "narrative review"
    return TIER_BY_LEVEL[int(design_level)]


@dataclass(frozen=True)
class CitationRule:
    status: str
    when: str
    test: Callable[[Mapping[str, Any]], bool]


# Citation status of a study record: the first row that fires decides.
CITATION_RULES: tuple[CitationRule, ...] = (
    CitationRule(
        "incomplete",
        "no DOI, PMID or trial registration number was seen",
        lambda rec: not (rec.get("doi") or rec.get("pmid") or rec.get("registry_id")),
    ),
    CitationRule(
        "partial",
        "identifier seen, but some fields were inferred (confidence below high), or "
        "authors or year were not seen",
        lambda rec: rec.get("confidence") != "high" or not rec.get("authors") or rec.get("year") is None,
    ),
    CitationRule(
        "complete", "identifier seen and every filled field seen on the verified pages", lambda rec: True
    ),
)


def citation_status(rec: Mapping[str, Any]) -> str:
    return next(rule.status for rule in CITATION_RULES if rule.test(rec))
