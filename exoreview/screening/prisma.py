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

Given the evidence base, the counts also place every study in it (PRISMA 2020 for updated reviews
with identification via other methods): the studies the search added (those whose
``screening_record`` is a record included at full text), and the studies that were in the base
before the search, split into those the search found again (records marked "already in the
evidence base") and those it did not (identified via other methods: the project's literature
dossier).

    total studies = new studies included + studies in the base before the search
    before        = found again by the search + identified via other methods
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass
from typing import Any

from ..core.evidence import Evidence
from .log import Log
from .rules import ID_RE, PROCEEDS, REASONS
from .searches import SearchLog

# where the studies that the search did not find came from (PRISMA: identification via other methods)
OTHER_METHODS = "the project's verified literature dossier, evidence/dossier/"


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
    # with the evidence base (None without it)
    search_studies: int | None = None  # studies whose screening_record is a record included at full text
    before_search: int | None = None  # studies in the base that no included record made
    found_again: int | None = None  # ... of which the search found (records "already in the evidence base")
    other_methods: int | None = None  # ... of which it did not: identified via other methods
    total_studies: int | None = None
    links: tuple[str, ...] = ()  # records and study files that do not point at each other
    # with the search log (empty without it)
    searched: str = ""  # the search log in one line: sessions, dates, queries
    exported: tuple[tuple[str, int], ...] = ()  # records the logged queries exported, per source

    def as_dict(self) -> dict:
        d = asdict(self)
        d["databases"] = dict(self.databases)
        d["screen_reasons"] = dict(self.screen_reasons)
        d["full_text_reasons"] = dict(self.full_text_reasons)
        d["links"] = list(self.links)
        d["exported"] = dict(self.exported)
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
        out = [f"{name}: {a} ≠ {b}" for name, a, b in rules if a != b]
        if self.total_studies is not None:
            studies = (
                (
                    "new studies (records included = study files made from them)",
                    self.included,
                    self.search_studies,
                ),
                ("total studies", self.total_studies, (self.search_studies or 0) + (self.before_search or 0)),
                (
                    "before the search",
                    self.before_search,
                    (self.found_again or 0) + (self.other_methods or 0),
                ),
            )
            out += [f"{name}: {a} ≠ {b}" for name, a, b in studies if a != b]
            out += list(self.links)
        if self.exported:
            for db, n in self.databases:
                logged = dict(self.exported).get(db, 0)
                if logged != n:
                    out.append(f"records from {db}: {n} imported, {logged} exported by the logged queries")
        return out

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
        if self.total_studies is not None:
            lines += [
                f"  studies in the evidence base before the search: {self.before_search}",
                f"    found again by the search (already in the evidence base): {self.found_again}",
                f"    identified via other methods ({OTHER_METHODS}): {self.other_methods}",
                f"  total studies in the review: {self.total_studies}",
            ]
        if self.searched:
            lines.insert(0, f"Search: {self.searched}")
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


def counts(log: Log, evidence: Evidence | None = None, searches: SearchLog | None = None) -> Counts:
    """PRISMA counts from the log's status table (see the identities in the module docstring); with
    `evidence`, where every study of the base came from; with `searches`, the search log beside the
    records it exported."""
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
        **(_studies(st, sought, evidence) if evidence is not None else {}),
        **(_searched(searches) if searches is not None else {}),
    )


def _searched(searches: SearchLog) -> dict[str, Any]:
    """The search log's line for the diagram and the records each source exported."""
    return {"searched": searches.describe(), "exported": tuple(searches.by_source().items())}


def _studies(st, sought, evidence: Evidence) -> dict[str, Any]:
    """Where every study of the evidence base came from, and the links that do not hold."""
    included = {str(r) for r in sought.loc[sought["full_text"] == "include", "id"]}
    made = {k: str(r["screening_record"]) for k, r in evidence.records.items() if r.get("screening_record")}
    links = [
        f"{k}: screening_record {rid} is not a record included at full text"
        for k, rid in sorted(made.items())
        if rid not in included or not ID_RE.match(rid)
    ]
    orphans = sorted(included - set(made.values()))
    links += [
        f"{rid}: included at full text, but no study file names it as its screening_record" for rid in orphans
    ]
    before = set(evidence.records) - set(made)
    in_evidence = st.loc[st["removed"] == "in evidence", "removed_by"]
    found = before & {str(k) for k in in_evidence if isinstance(k, str)}
    return {
        "search_studies": len(made),
        "before_search": len(before),
        "found_again": len(found),
        "other_methods": len(before - found),
        "total_studies": len(evidence.records),
        "links": tuple(links),
    }


# -- drawing ---------------------------------------------------------------------------------
# box id → (column, row, template); templates read Counts fields; {databases} etc. are lists
