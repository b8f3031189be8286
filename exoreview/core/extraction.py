"""Which text a study's facts were read from, and what an empty field means.

A study file says in ``extraction.level`` which text was read (full text, abstract, registry
record, citation only). A fact the full text was read for and does not give is listed in
``not_reported``. So an empty field has one of two meanings, told apart everywhere:

- **not reported by the study**: the full text (or registry record) was read and does not say;
- **not extracted**: only the abstract (or less) was read, so nobody knows yet.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

FULL_TEXT = "full text"
LEVELS: tuple[str, ...] = ("full text", "abstract", "registry record", "citation only")
# levels whose reading can show that a study does not report something
SEES_ABSENCE = frozenset({"full text", "registry record"})
REPORTED = "reported"
NOT_REPORTED = "not reported by the study"

# not_reported entry → the fields of the record it covers (a fact may span several fields)
FACT_FIELDS: Mapping[str, tuple[str, ...]] = {
    "n_participants": ("n_participants",),
    "n_animals": ("n_animals",),
    "dose": ("dose",),
    "route": ("route",),
    "comparator": ("comparator",),
    "follow_up": ("follow_up", "follow_up_weeks"),
    "funding_coi": ("funding_coi", "industry_funded"),
    "adverse_events": ("adverse_events",),
    "isolation": ("isolation",),
    "characterization": ("characterization",),
}


def level(rec: Mapping[str, Any]) -> str | None:
    return (rec.get("extraction") or {}).get("level")


def not_extracted(rec: Mapping[str, Any]) -> str:
    """'not extracted (abstract only)': the words for a fact nobody has read yet."""
    read = level(rec) or "text not recorded"
    return f"not extracted ({read if read.endswith('only') else read + ' only'})"


def fact_status(rec: Mapping[str, Any], fact: str) -> str:
    """'reported', 'not reported by the study' or 'not extracted (<level> only)' for one fact
    (a key of FACT_FIELDS)."""
    if any(rec.get(f) not in (None, [], "") for f in FACT_FIELDS[fact]):
        return REPORTED
    if fact in (rec.get("not_reported") or ()) or (
        fact == "n_animals" and "n_participants" in (rec.get("not_reported") or ())
    ):
        return NOT_REPORTED
    return not_extracted(rec)


def absent(rec: Mapping[str, Any], fact: str | None = None) -> bool | None:
    """What an empty fact means for a yes/no item: False (the study does not report it) when the
    text read can show absence, None (not extracted) otherwise."""
    if fact is not None and fact in (rec.get("not_reported") or ()):
        return False
    return False if level(rec) in SEES_ABSENCE else None
