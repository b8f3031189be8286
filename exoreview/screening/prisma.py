"""The PRISMA 2020 flow diagram, counted from the screening log and drawn with matplotlib.

Counts (:func:`counts`) follow the PRISMA 2020 flow diagram for new systematic reviews which
included searches of databases (Page et al., BMJ 2021;372:n71), with one addition: records that
match a study already in the evidence base are removed before screening next to the duplicates.

    identified   = duplicates + already in the evidence + screened
    screened     = excluded at title/abstract + sought for retrieval + awaiting a decision
    sought       = not retrieved + assessed
    assessed     = excluded at full text + included + awaiting a decision

Records waiting for a decision (or with a conflict) are counted and shown, never dropped, so the
boxes always add up. The diagram is drawn by :func:`exoreview.views.prisma.flow_diagram`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass

from .log import Log
from .rules import PROCEEDS, REASONS


@dataclass(frozen=True)
class Counts:
    databases: tuple[tuple[str, int], ...]
    identified: int
    duplicates: int
    in_evidence: int
    screened: int
    screen_excluded: int
    screen_reasons: tuple[tuple[str, int], ...]
    screen_pending: int
    sought: int
    not_retrieved: int
    assessed: int
    full_text_excluded: int
    full_text_reasons: tuple[tuple[str, int], ...]
    full_text_pending: int
    included: int

    def as_dict(self) -> dict:
        d = asdict(self)
        d["databases"] = dict(self.databases)
        d["screen_reasons"] = dict(self.screen_reasons)
        d["full_text_reasons"] = dict(self.full_text_reasons)
        return d

    def check(self) -> list[str]:
        """The identities the diagram relies on; an empty list when every box adds up."""
        rules = (
            ("identified", self.identified, self.duplicates + self.in_evidence + self.screened),
            ("identified", self.identified, sum(n for _d, n in self.databases)),
            ("screened", self.screened, self.screen_excluded + self.sought + self.screen_pending),
            ("sought", self.sought, self.not_retrieved + self.assessed),
            ("assessed", self.assessed, self.full_text_excluded + self.included + self.full_text_pending),
            ("full-text exclusions", self.full_text_excluded, sum(n for _r, n in self.full_text_reasons)),
        )
        return [f"{name}: {a} ≠ {b}" for name, a, b in rules if a != b]

    def describe(self) -> str:
        lines = [
            "Identification",
            *(f"  records from {db}: {n}" for db, n in self.databases),
            f"  duplicate records removed: {self.duplicates}",
            f"  already in the evidence base: {self.in_evidence}",
            "Screening",
            f"  records screened: {self.screened}",
            f"  records excluded: {self.screen_excluded}",
            *(f"    {r}: {n}" for r, n in self.screen_reasons),
            f"  awaiting a title/abstract decision: {self.screen_pending}",
            f"  reports sought for retrieval: {self.sought}",
            f"  reports not retrieved: {self.not_retrieved}",
            f"  reports assessed for eligibility: {self.assessed}",
            f"  reports excluded: {self.full_text_excluded}",
            *(f"    {r}: {n}" for r, n in self.full_text_reasons),
            f"  awaiting a full-text decision: {self.full_text_pending}",
            "Included",
            f"  new studies included: {self.included}",
        ]
        return "\n".join(lines)


def _reasons(values) -> tuple[tuple[str, int], ...]:
    c = Counter(REASONS[v][0] if v in REASONS else "reason not given" for v in values)
    order = list(REASONS)
    return tuple(
        sorted(
            c.items(),
            key=lambda kv: (next((i for i, k in enumerate(order) if REASONS[k][0] == kv[0]), 99), kv[0]),
        )
    )


def counts(log: Log) -> Counts:
    """PRISMA counts from the log's status table (see the identities in the module docstring)."""
    st = log.status()
    dbs = Counter(str(d) if isinstance(d, str) else "database not named" for d in st["database"])
    removed = st["removed"]
    screened = st[removed.isna()]
    ta = screened["title_abstract"]
    sought = screened[ta.isin(PROCEEDS)]
    ft = sought["full_text"]
    excluded_ta = screened[ta == "exclude"]
    excluded_ft = sought[ft == "exclude"]
    return Counts(
        databases=tuple(sorted(dbs.items())),
        identified=len(st),
        duplicates=int((removed == "duplicate").sum()),
        in_evidence=int((removed == "in evidence").sum()),
        screened=len(screened),
        screen_excluded=len(excluded_ta),
        screen_reasons=_reasons(r for r in excluded_ta["title_abstract_reason"] if isinstance(r, str)),
        screen_pending=int(ta.isin(["pending", "conflict"]).sum()),
        sought=len(sought),
        not_retrieved=int((ft == "not-retrieved").sum()),
        assessed=int((ft != "not-retrieved").sum()),
        full_text_excluded=len(excluded_ft),
        full_text_reasons=_reasons(
            r if isinstance(r, str) else None for r in excluded_ft["full_text_reason"]
        ),
        full_text_pending=int(ft.isin(["pending", "conflict"]).sum()),
        included=int((ft == "include").sum()),
    )


# -- drawing ---------------------------------------------------------------------------------
# box id → (column, row, template); templates read Counts fields; {databases} etc. are lists
