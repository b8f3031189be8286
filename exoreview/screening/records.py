"""Reading search exports into records: every file decoded and parsed by its format's reader,
each record numbered and tagged with its file, position, line and database, and the records table
of one import (the columns of the screening log). Anything wrong inside a file is a problem naming
file, line and record; the other records are still read.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from tqdm import tqdm

from ..core.yamlio import display_path
from ..errors import Problem, UsageError
from . import readers
from .rules import RECORD_COLUMNS, RECORD_DTYPES, record_id

FORMATS = readers.FORMATS
FORMAT_NAMES = readers.FORMAT_NAMES


@dataclass(frozen=True)
class FileReport:
    path: str
    format: str | None
    encoding: str
    read: int  # records found, including those skipped with a problem
    parsed: int  # records kept

    def describe(self) -> str:
        if self.format is None:
            return f"{self.path}: not read"
        return (
            f"{self.path}: {FORMAT_NAMES[self.format]}, {self.encoding}, {self.read} records read, "
            f"{self.parsed} parsed"
        )


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


def read_files(
    paths: Sequence[str | os.PathLike],
    *,
    fmt: str = "auto",
    database: str | None = None,
    progress: bool = False,
) -> tuple[list[dict[str, Any]], list[FileReport], list[Problem]]:
    """Parse every file; returns records (dicts with file, position, line), per-file reports, problems.

    A path that does not exist or cannot be read is a :class:`UsageError` before anything is read;
    anything wrong inside a file is a problem and the other records and files are still read."""
    if fmt != "auto" and fmt not in FORMATS:
        raise UsageError(f"unknown format '{fmt}'; use auto, {', '.join(FORMATS)}")
    files = _check_paths(paths)
    records: list[dict[str, Any]] = []
    reports: list[FileReport] = []
    problems: list[Problem] = []
    bar = None
    if progress:
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
                problems.append(readers.unknown_format(text, shown))
        n_before = len(problems)
        recs: list[dict] = []
        if text is not None and kind is not None:
            recs, probs = readers.READERS[kind](text, shown)
            problems.extend(probs)
        skipped = sum(
            1 for p in problems[n_before:] if p.field.startswith("record") and p.code not in readers.WARNINGS
        )
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


def records_table(records: list[dict[str, Any]], first_id: int, imported: str) -> pd.DataFrame:
    """The records as a table of RECORD_COLUMNS, numbered from `first_id`."""
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
    return pd.DataFrame(
        {col: pd.array(values, dtype=RECORD_DTYPES[col]) for col, values in columns.items()},
        columns=list(RECORD_COLUMNS),
    )
