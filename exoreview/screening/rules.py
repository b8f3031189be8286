"""The screening rules, as data: the stages and the decisions each allows, the controlled list of
exclusion reasons, which decisions need a reason or a record they duplicate, and the columns of
the log's files. :mod:`.log` reads and checks the log by them; :mod:`.decisions` writes by them."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from ..core.values import present
from ..errors import UsageError

STAGES: Mapping[str, str] = {
    "duplicates": "duplicate check (a person confirms or rejects a possible duplicate)",
    "title-abstract": "title and abstract screening",
    "full-text": "full-text eligibility",
}
STAGE_ALIASES: Mapping[str, str] = {
    "ta": "title-abstract",
    "tiab": "title-abstract",
    "ft": "full-text",
    "fulltext": "full-text",
    "dup": "duplicates",
    "duplicate": "duplicates",
}
DECISIONS: Mapping[str, tuple[str, ...]] = {
    "duplicates": ("duplicate", "not-duplicate"),
    "title-abstract": ("include", "exclude", "maybe"),
    "full-text": ("include", "exclude", "not-retrieved"),
}
# title/abstract decisions that send a record on to full text
PROCEEDS: frozenset[str] = frozenset({"include", "maybe"})
# exclusion reasons: code → (label, stages where it may be given)
REASONS: Mapping[str, tuple[str, tuple[str, ...]]] = {
    "not-hair": ("not about hair or hair loss", ("title-abstract", "full-text")),
    "no-vesicles": (
        "no vesicles or secretome (e.g. PRP alone, micrografts, whole cells)",
        ("title-abstract", "full-text"),
    ),
    "no-hair-outcome": ("no hair-related outcome reported", ("title-abstract", "full-text")),
    "no-data": ("editorial, comment, letter or news without data", ("title-abstract", "full-text")),
    "duplicate-report": ("another report of a study already included", ("title-abstract", "full-text")),
    "language": ("no translation available", ("title-abstract", "full-text")),
    "other": ("other (the note says why)", ("title-abstract", "full-text")),
}
# (stage, decision) pairs that need a reason, and the ones that need `of`
NEEDS_REASON: frozenset[tuple[str, str]] = frozenset({("full-text", "exclude")})
NEEDS_OF: frozenset[tuple[str, str]] = frozenset({("duplicates", "duplicate")})

RECORD_COLUMNS: tuple[str, ...] = (
    "id",
    "database",
    "file",
    "position",
    "line",
    "title",
    "authors",
    "journal",
    "year",
    "volume",
    "pages",
    "doi",
    "pmid",
    "abstract",
    "duplicate_of",
    "duplicate_reason",
    "in_evidence",
    "evidence_reason",
    "check_with",
    "check_reason",
    "imported",
)
RECORD_DTYPES: Mapping[str, str] = {c: "string" for c in RECORD_COLUMNS} | {
    "position": "Int64",
    "line": "Int64",
    "year": "Int64",
}
DECISION_COLUMNS: tuple[str, ...] = (
    "record",
    "stage",
    "decision",
    "reason",
    "of",
    "reviewer",
    "date",
    "final",
    "note",
)

ID_RE = re.compile(r"^R(\d{4,})$")
# a records file: <date>-<NN>-<code> (code: four random characters, so that two branches never
# name the same file); <date>-<NN> before 2026-12-06
BATCH_RE = re.compile(r"^\d{4}-\d{2}-\d{2}-\d{2,}(-[a-z0-9]{4})?$")  # NN: 01, 02 ... 99, 100 ...
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def stage_name(value: str) -> str:
    """Canonical stage from a name or alias ('ta' → 'title-abstract'); UsageError otherwise."""
    v = (value or "").strip().casefold()
    v = STAGE_ALIASES.get(v, v)
    if v not in STAGES:
        raise UsageError(f"unknown stage '{value}'; use {', '.join(STAGES)} (or ta, ft)")
    return v


def record_id(n: int) -> str:
    return f"R{n:04d}"


# --- how decisions become a record's status ---------------------------------------------------------
@dataclass(frozen=True)
class Final:
    decision: str | None = None  # None: no decision yet
    conflict: bool = False
    reason: str | None = None
    of: str | None = None

    def label(self, applies: bool = True) -> str | None:
        if not applies:
            return None
        if self.conflict:
            return "conflict"
        return self.decision or "pending"


_NONE = Final()


def latest_votes(decisions: pd.DataFrame) -> pd.DataFrame:
    """Each reviewer's latest non-final decision per record and stage (later rows win)."""
    votes = decisions[decisions["final"] != "yes"]
    return votes.drop_duplicates(["record", "stage", "reviewer"], keep="last")


def final_decision(rows: pd.DataFrame | None) -> Final:
    """The outcome of one record at one stage.

    1. The latest row marked ``final: yes`` (a resolution) decides.
    2. Otherwise each reviewer's latest decision counts: if they agree, that is the outcome
       (one reviewer alone decides too); at title/abstract, include and maybe together send the
       record on as ``maybe`` (full text will tell); any other disagreement is a conflict.
    """
    if rows is None or rows.empty:
        return _NONE
    finals = rows[rows["final"] == "yes"]
    if not finals.empty:
        r = finals.iloc[-1]
        return Final(r["decision"], False, present(r["reason"]), present(r["of"]))
    votes = rows.drop_duplicates(["reviewer"], keep="last")
    kinds = set(votes["decision"])
    if len(kinds) == 1:
        if kinds == {"duplicate"} and len(set(votes["of"])) > 1:
            return Final(None, True)  # duplicates of different records
        r = votes.iloc[-1]
        return Final(r["decision"], False, present(r["reason"]), present(r["of"]))
    if kinds <= PROCEEDS:
        return Final("maybe")
    return Final(None, True)
