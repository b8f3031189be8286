"""Writing the screening log: a new records batch for each import, and decisions appended to
``decisions.csv`` after every one was checked (nothing is written when any is wrong)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from ..core.paths import VOCABULARY, screening_folder
from ..core.values import missing, present
from ..core.yamlio import atomic_write_bytes, display_path
from ..errors import EvidenceError, Problem, UsageError
from .log import Log, check_decision_row, read_log
from .rules import DECISION_COLUMNS, PROCEEDS, RECORD_COLUMNS, stage_name


def csv_text(rows: Iterable[Mapping[str, Any]], columns: tuple[str, ...], *, header: bool = True) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    if header:
        w.writerow(columns)
    for r in rows:
        w.writerow(["" if missing(r.get(c)) else r.get(c) for c in columns])
    return buf.getvalue()


def write_batch(evidence: str | os.PathLike, records: pd.DataFrame, *, date: dt.date | None = None) -> Path:
    """Write one import as ``records/<date>-<NN>.csv`` (a new file; atomic)."""
    day = (date or dt.date.today()).isoformat()
    target = screening_folder(evidence) / "records"
    n = 1
    while (target / f"{day}-{n:02d}.csv").exists():
        n += 1
    path = target / f"{day}-{n:02d}.csv"
    text = csv_text(records.to_dict("records"), RECORD_COLUMNS)
    return atomic_write_bytes(path, text.encode("utf-8"))


def decide(
    evidence: str | os.PathLike,
    records: Iterable[str],
    *,
    stage: str,
    decision: str,
    reviewer: str,
    reason: str | None = None,
    of: str | None = None,
    note: str | None = None,
    final: bool = False,
    date: str | dt.date | None = None,
) -> Log:
    """Append one decision per record to ``decisions.csv`` after checking every one; returns the
    new log. Any problem (unknown record, a decision the stage does not take, a full-text decision
    for a record not sent on from title/abstract) raises before anything is written."""
    stage = stage_name(stage)
    if not (Path(evidence) / VOCABULARY).is_file():
        raise UsageError(
            f"{display_path(evidence)} is not an evidence folder (no vocabulary.yaml); pass --evidence DIR"
        )
    log = read_log(evidence)
    day = date.isoformat() if isinstance(date, dt.date) else (date or dt.date.today().isoformat())
    st = log.status().set_index("id")
    problems: list[Problem] = []
    rows = []
    known = set(log.records["id"].dropna())
    for rid in records:
        row = {
            "record": rid,
            "stage": stage,
            "decision": decision,
            "reason": reason or "",
            "of": of or "",
            "reviewer": (reviewer or "").strip(),
            "date": day,
            "final": "yes" if final else "",
            "note": note or "",
        }
        found: list[Problem] = []
        check_decision_row(row, "", 0, known, found)
        problems.extend(Problem("", None, p.field, f"{rid}: {p.message}", p.code) for p in found)
        if rid in known:
            why = _not_open(st.loc[rid], stage)
            if why:
                problems.append(Problem("", None, "record", f"{rid}: {why}", "not-open"))
        rows.append(row)
    if stage == "duplicates" and of and of not in known and not _study_exists(evidence, of):
        problems.append(
            Problem(
                "",
                None,
                "of",
                f"'{of}' is neither a record id nor a study key in evidence/studies/",
                "dangling-reference",
            )
        )
    if problems:
        raise EvidenceError(problems)
    path = screening_folder(evidence) / "decisions.csv"
    old = path.read_bytes() if path.is_file() else b""
    if old and not old.endswith(b"\n"):
        old += b"\n"
    new = csv_text(rows, DECISION_COLUMNS, header=not old).encode("utf-8")
    atomic_write_bytes(path, old + new, overwrite=True)
    return read_log(evidence)


def _not_open(st: pd.Series, stage: str) -> str | None:
    if stage == "duplicates":
        return None
    if present(st["removed"]) is not None:
        return (
            f"was removed before screening ({st['removed']}: {st['removed_by']}); run "
            f"`exoreview screen duplicate {st.name} --not-duplicate` first if that is wrong"
        )
    if stage == "full-text" and st["title_abstract"] not in PROCEEDS:
        return (
            f"title/abstract outcome is '{st['title_abstract']}'; a full-text decision needs "
            "include or maybe there first"
        )
    return None


def _study_exists(evidence: str | os.PathLike, key: str) -> bool:
    return (Path(evidence) / "studies" / f"{key}.yaml").is_file()
