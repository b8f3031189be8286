"""Importing search exports into the screening log.

    >>> from exoreview.importing import import_records
    >>> batch = import_records(["pubmed.nbib", "embase.ris"], evidence="evidence")
    >>> batch.summary()          # read, parsed, duplicates, already in evidence, new
    >>> batch.duplicates()       # which record duplicates which, and why
    >>> batch.save()             # evidence/screening/records/<date>-<NN>.csv (a new file)

Reading (``readers``) → de-duplication against each other, earlier imports and the evidence
base (``exoreview.dedupe``) → suggested tags (``tags``) on display. Nothing is written until
:meth:`ImportBatch.save`.
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

from .._gc import gc_paused
from ..errors import Problem, UsageError
from ..yamlio import display_path
from . import readers

__all__ = ["import_records", "read_files", "ImportBatch", "FileReport", "FORMATS"]

FORMATS = readers.FORMATS
FORMAT_NAMES = {"medline": "MEDLINE", "ris": "RIS", "bibtex": "BibTeX", "csv": "CSV"}


@dataclass(frozen=True)
class FileReport:
    path: str
    format: str | None
    encoding: str
    read: int         # records found, including those skipped with a problem
    parsed: int       # records kept

    def describe(self) -> str:
        if self.format is None:
            return f"{self.path}: not read"
        return (f"{self.path}: {FORMAT_NAMES[self.format]}, {self.encoding}, {self.read} records read, "
                f"{self.parsed} parsed")


def _check_paths(paths: Sequence[str | os.PathLike]) -> list[Path]:
    if not paths:
        raise UsageError("give at least one search export (MEDLINE .nbib/.txt, .ris, .bib or .csv)")
    bad = []
    out = []
    for p in paths:
        path = Path(p).expanduser()
        if not path.exists():
            bad.append(f"{p}: no such file")
        elif path.is_dir():
            bad.append(f"{p}: is a folder; give the export files")
        elif not os.access(path, os.R_OK):
            bad.append(f"{p}: cannot be read (permission denied)")
        out.append(path)
    if bad:
        raise UsageError("; ".join(bad) + "; nothing was imported")
    return out


def read_files(paths: Sequence[str | os.PathLike], *, fmt: str = "auto", database: str | None = None,
               progress: bool = False) -> tuple[list[dict[str, Any]], list[FileReport], list[Problem]]:
    """Parse every file; returns records (dicts with file, position, line), per-file reports, problems.

    A path that does not exist or cannot be read is a :class:`UsageError` before anything is read;
    anything wrong inside a file is a problem and the other records and files are still read."""
    if fmt != "auto" and fmt not in FORMATS:
        raise UsageError(f"unknown format '{fmt}'; use auto, {', '.join(FORMATS)}")
    files = _check_paths(paths)
    with gc_paused():
        return _read_files(files, fmt, database, progress)


def _read_files(files: list[Path], fmt: str, database: str | None, progress: bool
                ) -> tuple[list[dict[str, Any]], list[FileReport], list[Problem]]:
    records: list[dict[str, Any]] = []
    reports: list[FileReport] = []
    problems: list[Problem] = []
    bar = None
    if progress:
        from tqdm import tqdm

        total = sum(p.stat().st_size for p in files)
        bar = tqdm(total=total, unit="B", unit_scale=True, desc="reading", leave=False, disable=None)
    for path in files:
        shown = display_path(path)
        raw = path.read_bytes()
        text, encoding, probs = readers.decode(raw, shown)
        problems.extend(probs)
        kind = None
        if text is not None:
            kind = fmt if fmt != "auto" else readers.sniff(text, path.suffix)
            if kind is None:
                problems.append(Problem(shown, None, "", "cannot tell the format (MEDLINE, RIS, BibTeX "
                                        "or CSV); pass --from", "unknown-format"))
        n_before = len(problems)
        recs: list[dict] = []
        if text is not None and kind is not None:
            recs, probs = readers.READERS[kind](text, shown)
            problems.extend(probs)
        skipped = sum(1 for p in problems[n_before:] if p.field.startswith("record"))
        for r in recs:
            r["file"] = path.name
            if database:
                r["database"] = database
            elif not r.get("database"):
                r["database"] = f"{path.name} ({FORMAT_NAMES[kind]})" if kind else path.name
        records.extend(recs)
        reports.append(FileReport(shown, kind, encoding, len(recs) + skipped, len(recs)))
        if bar is not None:
            bar.update(len(raw))
    if bar is not None:
        bar.close()
    return records, reports, problems


def _frame(records: list[dict[str, Any]], first_id: int, imported: str) -> pd.DataFrame:
    """The records as a table of RECORD_COLUMNS, numbered from `first_id`, built column by column."""
    from ..screening import RECORD_COLUMNS, RECORD_DTYPES, record_id

    n = len(records)
    columns: dict[str, list[Any]] = {}
    for col in RECORD_COLUMNS:
        if col == "id":
            columns[col] = [record_id(first_id + i) for i in range(n)]
        elif col == "authors":
            columns[col] = ["; ".join(r.get("authors") or []) for r in records]
        elif col == "imported":
            columns[col] = [imported] * n
        else:
            columns[col] = [r.get(col) for r in records]
    return pd.DataFrame({col: pd.array(values, dtype=RECORD_DTYPES[col]) for col, values in columns.items()},
                        columns=list(RECORD_COLUMNS))


@dataclass(frozen=True)
class ImportBatch:
    """One import: the records read (with their matches), what each file gave, what went wrong."""

    records: pd.DataFrame
    files: tuple[FileReport, ...]
    problems: tuple[Problem, ...]
    evidence: str
    vocabulary: Any = field(default=None, repr=False)

    # counts -----------------------------------------------------------------------------------
    def summary(self) -> dict[str, int]:
        r = self.records
        dup = r["duplicate_of"].notna()
        ine = r["in_evidence"].notna() & ~dup
        return {"read": sum(f.read for f in self.files), "parsed": len(r), "duplicates": int(dup.sum()),
                "in_evidence": int(ine.sum()), "new": int((~dup & ~ine).sum()),
                "to_check": int(r["check_with"].notna().sum()), "problems": len(self.problems)}

    def describe(self) -> str:
        s = self.summary()
        return (f"{s['read']} read · {s['parsed']} parsed · {s['duplicates']} duplicates · "
                f"{s['in_evidence']} already in the evidence · {s['new']} new"
                + (f" · {s['to_check']} to check" if s["to_check"] else "")
                + (f" · {s['problems']} problem{'s' if s['problems'] != 1 else ''}" if s["problems"] else ""))

    def duplicates(self) -> pd.DataFrame:
        r = self.records
        return r.loc[r["duplicate_of"].notna(), ["id", "duplicate_of", "duplicate_reason", "title",
                                                 "file", "position"]].reset_index(drop=True)

    def in_evidence(self) -> pd.DataFrame:
        r = self.records
        return r.loc[r["in_evidence"].notna(), ["id", "in_evidence", "evidence_reason", "title"]
                     ].reset_index(drop=True)

    def to_check(self) -> pd.DataFrame:
        r = self.records
        return r.loc[r["check_with"].notna(), ["id", "check_with", "check_reason", "title"]
                     ].reset_index(drop=True)

    def suggestions(self) -> pd.DataFrame:
        """id, title and the suggested terms of each facet (as 'term ← trigger words')."""
        from .tags import FACETS, suggest

        rows = []
        for rec in self.records.itertuples(index=False):
            sug = suggest(_str(rec.title), _str(rec.abstract), self.vocabulary) if self.vocabulary else {}
            rows.append({"id": rec.id, "title": rec.title,
                         **{f: "; ".join(f"{s.term} ← {', '.join(s.triggers)}" for s in sug.get(f, ()))
                            for f in FACETS}})
        return pd.DataFrame(rows)

    # output -----------------------------------------------------------------------------------
    def as_json(self) -> dict[str, Any]:
        """The documented JSON of `exoreview import --format json`."""
        from .tags import FACETS, as_json, suggest

        s = self.summary()
        out_records = []
        for rec in self.records.itertuples(index=False):
            sug = (as_json(suggest(_str(rec.title), _str(rec.abstract), self.vocabulary))
                   if self.vocabulary else {f: [] for f in FACETS})
            out_records.append({"id": rec.id, "title": rec.title, "doi": _str(rec.doi),
                                "pmid": _str(rec.pmid), "year": None if pd.isna(rec.year) else int(rec.year),
                                "in_evidence": _str(rec.in_evidence), "duplicate_of": _str(rec.duplicate_of),
                                "suggested": sug})
        return {
            "read": s["read"], "unique": s["parsed"] - s["duplicates"],
            "duplicates": [{"record": d.id, "duplicate_of": d.duplicate_of, "reason": d.duplicate_reason}
                           for d in self.duplicates().itertuples(index=False)],
            "records": out_records,
            "to_check": [{"record": c.id, "candidate": c.check_with, "reason": c.check_reason}
                         for c in self.to_check().itertuples(index=False)],
            "problems": [{"path": p.path, "line": p.line, "record": p.field, "message": p.message,
                          "code": p.code} for p in self.problems],
        }

    def save(self, *, date: dt.date | None = None) -> Path | None:
        """Write the records as a new ``screening/records/<date>-<NN>.csv``; None if there are none."""
        from ..screening import write_batch

        if self.records.empty:
            return None
        return write_batch(self.evidence, self.records, date=date)

    def _repr_html_(self) -> str:
        from ..export import neutralized

        parts = [f"<p><b>Import</b>: {html.escape(self.describe())}</p>"]
        if self.problems:
            parts.append("<ul>" + "".join(f"<li>{html.escape(str(p))}</li>" for p in self.problems) + "</ul>")
        for title, df in (("Duplicates", self.duplicates()), ("Already in the evidence", self.in_evidence()),
                          ("To check by a person", self.to_check())):
            if len(df):
                parts.append(f"<h4>{title}</h4>" + neutralized(df).to_html(index=False, escape=True,
                                                                          na_rep=""))
        return "\n".join(parts)


def _str(v: Any) -> str | None:
    return None if v is None or pd.isna(v) else str(v)


def import_records(paths: Sequence[str | os.PathLike], *, evidence: str | os.PathLike | None = None,
                   fmt: str = "auto", database: str | None = None, progress: bool = False,
                   today: dt.date | None = None) -> ImportBatch:
    """Read, number and de-duplicate search exports; nothing is written (see :meth:`ImportBatch.save`).

    Records are compared with each other, with every record of earlier imports in
    ``<evidence>/screening/records/`` and with the studies in ``<evidence>/studies/``."""
    from ..dedupe import dedupe, evidence_index
    from ..evidence import default_path
    from ..screening import _vocabulary, read_log

    root = Path(evidence) if evidence is not None else default_path()
    if not (root / "vocabulary.yaml").is_file():
        raise UsageError(f"{display_path(root)} is not an evidence folder (no vocabulary.yaml); "
                         "pass --evidence DIR")
    recs, reports, problems = read_files(paths, fmt=fmt, database=database, progress=progress)
    log = read_log(root)
    day = (today or dt.date.today()).isoformat()
    df = _frame(recs, log.next_id(), day)
    studies = pd.DataFrame(evidence_index(root), columns=["key", "title", "year", "doi", "pmid"])
    df = dedupe(df, earlier=log.records, studies=studies, progress=progress)
    return ImportBatch(df, tuple(reports), tuple(problems), str(root), _vocabulary(root))
