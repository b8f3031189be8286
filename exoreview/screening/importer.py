"""Importing search exports into the screening log.

    >>> from exoreview.screening.importer import import_records
    >>> batch = import_records(["pubmed.nbib", "embase.ris"], evidence="evidence")
    >>> batch.summary()          # read, parsed, duplicates, already in evidence, new
    >>> batch.duplicates()       # which record duplicates which, and why
    >>> batch.save()             # evidence/screening/records/<date>-<NN>-<code>.csv (a new file)

Reading (:mod:`.records`) → de-duplication against each other, earlier imports and the evidence
base (:mod:`.dedupe`) → suggested tags (:mod:`.tags`) on display. Nothing is written until
:meth:`ImportBatch.save`, which numbers and de-duplicates again, under the screening lock, when
another import wrote meanwhile.
"""

from __future__ import annotations

import datetime as dt
import html
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..core.locking import screening_lock
from ..core.paths import VOCABULARY, default_path
from ..core.validate import read_vocabulary
from ..core.values import neutralized, present
from ..core.yamlio import display_path
from ..errors import Problem, UsageError
from .decisions import write_batch
from .dedupe import dedupe, evidence_index
from .fields import WARNINGS
from .log import Log, read_log
from .records import FileReport, read_files, records_table
from .tags import FACETS, as_json, suggest


@dataclass(frozen=True)
class ImportBatch:
    """One import: the records read (with their matches), what each file gave, what went wrong."""

    records: pd.DataFrame
    files: tuple[FileReport, ...]
    problems: tuple[Problem, ...]
    evidence: str
    vocabulary: Any = field(default=None, repr=False)
    # what numbering and de-duplication were based on: the records read, the day, and the ids
    # of the log at the time; save() does both again when another import wrote meanwhile
    parsed: tuple[dict[str, Any], ...] = field(default=(), repr=False)
    day: str = field(default="", repr=False)
    seen: tuple[str, ...] = field(default=(), repr=False)

    # counts -----------------------------------------------------------------------------------
    def summary(self) -> dict[str, int]:
        r = self.records
        dup = r["duplicate_of"].notna()
        ine = r["in_evidence"].notna() & ~dup
        return {
            "read": sum(f.read for f in self.files),
            "parsed": len(r),
            "duplicates": int(dup.sum()),
            "in_evidence": int(ine.sum()),
            "new": int((~dup & ~ine).sum()),
            "to_check": int(r["check_with"].notna().sum()),
            "problems": sum(p.code not in WARNINGS for p in self.problems),
            "warnings": sum(p.code in WARNINGS for p in self.problems),
        }

    def describe(self) -> str:
        s = self.summary()
        return (
            f"{s['read']} read · {s['parsed']} parsed · {s['duplicates']} duplicates · "
            f"{s['in_evidence']} already in the evidence · {s['new']} new"
            + (f" · {s['to_check']} to check" if s["to_check"] else "")
            + (f" · {s['problems']} problem{'s' if s['problems'] != 1 else ''}" if s["problems"] else "")
            + (f" · {s['warnings']} warning{'s' if s['warnings'] != 1 else ''}" if s["warnings"] else "")
        )

    def duplicates(self) -> pd.DataFrame:
        r = self.records
        return r.loc[
            r["duplicate_of"].notna(), ["id", "duplicate_of", "duplicate_reason", "title", "file", "position"]
        ].reset_index(drop=True)

    def in_evidence(self) -> pd.DataFrame:
        r = self.records
        return r.loc[r["in_evidence"].notna(), ["id", "in_evidence", "evidence_reason", "title"]].reset_index(
            drop=True
        )

    def to_check(self) -> pd.DataFrame:
        r = self.records
        return r.loc[r["check_with"].notna(), ["id", "check_with", "check_reason", "title"]].reset_index(
            drop=True
        )

    def suggestions(self) -> pd.DataFrame:
        """id, title and the suggested terms of each facet (as 'term ← trigger words')."""
        rows = []
        for rec in self.records.itertuples(index=False):
            sug = suggest(_str(rec.title), _str(rec.abstract), self.vocabulary) if self.vocabulary else {}
            rows.append(
                {
                    "id": rec.id,
                    "title": rec.title,
                    **{
                        f: "; ".join(f"{s.term} ← {', '.join(s.triggers)}" for s in sug.get(f, ()))
                        for f in FACETS
                    },
                }
            )
        return pd.DataFrame(rows)

    # output -----------------------------------------------------------------------------------
    def as_json(self) -> dict[str, Any]:
        """The documented JSON of `exoreview import --format json`."""
        s = self.summary()
        out_records = []
        for rec in self.records.itertuples(index=False):
            sug = (
                as_json(suggest(_str(rec.title), _str(rec.abstract), self.vocabulary))
                if self.vocabulary
                else {f: [] for f in FACETS}
            )
            out_records.append(
                {
                    "id": rec.id,
                    "title": rec.title,
                    "doi": _str(rec.doi),
                    "pmid": _str(rec.pmid),
                    "year": None if pd.isna(rec.year) else int(rec.year),
                    "in_evidence": _str(rec.in_evidence),
                    "duplicate_of": _str(rec.duplicate_of),
                    "suggested": sug,
                }
            )
        return {
            "read": s["read"],
            "unique": s["parsed"] - s["duplicates"],
            "duplicates": [
                {"record": d.id, "duplicate_of": d.duplicate_of, "reason": d.duplicate_reason}
                for d in self.duplicates().itertuples(index=False)
            ],
            "records": out_records,
            "to_check": [
                {"record": c.id, "candidate": c.check_with, "reason": c.check_reason}
                for c in self.to_check().itertuples(index=False)
            ],
            "problems": [
                {"path": p.path, "line": p.line, "record": p.field, "message": p.message, "code": p.code}
                for p in self.problems
            ],
        }

    def save(self, *, date: dt.date | None = None) -> Path | None:
        """Write the records as a new ``screening/records/<date>-<NN>-<code>.csv``; None if there
        are none.

        Holds the screening lock from reading the log to writing the file. When another import
        wrote meanwhile, the records are numbered and de-duplicated again against the log as it
        is now (this batch's table is updated in place), so concurrent imports never give one id
        twice and each one's duplicates of the others are flagged."""
        if self.records.empty:
            return None
        with screening_lock(self.evidence):
            log = read_log(self.evidence)
            if _ids(log.records) != self.seen:
                self._redo(log)
            return write_batch(self.evidence, self.records, date=date)

    def _redo(self, log: Log) -> None:
        fresh = _number_and_dedupe(list(self.parsed), log, Path(self.evidence), self.day, progress=False)
        if len(fresh) != len(self.records):  # pragma: no cover - the same records read
            raise RuntimeError("records changed between reading and saving an import")
        for col in self.records.columns:
            self.records[col] = fresh[col].array  # positional: the same records, in order
        object.__setattr__(self, "seen", _ids(log.records))

    def _repr_html_(self) -> str:
        parts = [f"<p><b>Import</b>: {html.escape(self.describe())}</p>"]
        if self.problems:
            parts.append("<ul>" + "".join(f"<li>{html.escape(str(p))}</li>" for p in self.problems) + "</ul>")
        for title, df in (
            ("Duplicates", self.duplicates()),
            ("Already in the evidence", self.in_evidence()),
            ("To check by a person", self.to_check()),
        ):
            if len(df):
                parts.append(
                    f"<h4>{title}</h4>" + neutralized(df).to_html(index=False, escape=True, na_rep="")
                )
        return "\n".join(parts)


def _str(v: Any) -> str | None:
    v = present(v)
    return None if v is None else str(v)


def import_records(
    paths: Sequence[str | os.PathLike],
    *,
    evidence: str | os.PathLike | None = None,
    fmt: str = "auto",
    database: str | None = None,
    progress: bool = False,
    today: dt.date | None = None,
) -> ImportBatch:
    """Read, number and de-duplicate search exports; nothing is written (see :meth:`ImportBatch.save`).

    Records are compared with each other, with every record of earlier imports in
    ``<evidence>/screening/records/`` and with the studies in ``<evidence>/studies/``."""
    root = Path(evidence) if evidence is not None else default_path()
    if not (root / VOCABULARY).is_file():
        raise UsageError(
            f"{display_path(root)} is not an evidence folder (no vocabulary.yaml); pass --evidence DIR"
        )
    recs, reports, problems = read_files(paths, fmt=fmt, database=database, progress=progress)
    log = read_log(root)
    day = (today or dt.date.today()).isoformat()
    df = _number_and_dedupe(recs, log, root, day, progress=progress)
    return ImportBatch(
        df,
        tuple(reports),
        tuple(problems),
        str(root),
        read_vocabulary(root),
        parsed=tuple(recs),
        day=day,
        seen=_ids(log.records),
    )


def _number_and_dedupe(
    recs: list[dict[str, Any]], log: Log, root: Path, day: str, *, progress: bool
) -> pd.DataFrame:
    df = records_table(recs, log.next_id(), day)
    studies = pd.DataFrame(evidence_index(root), columns=["key", "title", "year", "doi", "pmid"])
    return dedupe(df, earlier=log.records, studies=studies, progress=progress)


def _ids(records: pd.DataFrame) -> tuple[str, ...]:
    return tuple(str(i) for i in records["id"])
