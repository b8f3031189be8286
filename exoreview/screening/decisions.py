"""Writing the screening log: a new records batch for each import, and decisions appended to
``decisions.csv`` after every one was checked (nothing is written when any is wrong).

Every write holds the screening lock (:mod:`exoreview.core.locking`) from reading the log to
writing it. A batch file is written whole under a name no other branch can give
(``records/<date>-<NN>-<code>.csv``, `code` four random characters); decisions are appended as
whole lines with one write, so a killed process loses at most its own unfinished line.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import secrets
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from ..core.locking import append_bytes, screening_lock
from ..core.paths import VOCABULARY, screening_folder
from ..core.values import missing, present
from ..core.yamlio import atomic_write_bytes, display_path
from ..errors import EvidenceError, Problem, UsageError
from .log import Log, check_decision_row, read_log
from .logfiles import repeat_key
from .rules import DECISION_COLUMNS, ID_RE, PROCEEDS, RECORD_COLUMNS, record_id, stage_name


def csv_text(rows: Iterable[Mapping[str, Any]], columns: tuple[str, ...], *, header: bool = True) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    if header:
        w.writerow(columns)
    for r in rows:
        w.writerow(["" if missing(r.get(c)) else r.get(c) for c in columns])
    return buf.getvalue()


_CODE_CHARS = "abcdefghijkmnpqrstuvwxyz23456789"  # no 0/o, 1/l: read aloud and typed safely


def batch_name(folder: Path, day: str) -> str:
    """A new batch name of `day`: the next number of the day in `folder`, and a random code so
    that two clones or branches importing on the same day never name the same file."""
    try:
        names = os.listdir(folder)
    except FileNotFoundError:
        names = []
    nums = [int(m.group(1)) for n in names if (m := re.match(rf"^{re.escape(day)}-(\d{{2,}})\b", n))]
    n = max(nums, default=0) + 1
    while True:
        code = "".join(secrets.choice(_CODE_CHARS) for _ in range(4))
        name = f"{day}-{n:02d}-{code}"
        if not any(x.startswith(name) for x in names):
            return name


def write_batch(evidence: str | os.PathLike, records: pd.DataFrame, *, date: dt.date | None = None) -> Path:
    """Write one import as ``records/<date>-<NN>-<code>.csv`` (a new file, written whole, never
    replacing another). Call it holding the screening lock, after numbering the records against
    the log read under that lock (as :meth:`ImportBatch.save` does)."""
    day = (date or dt.date.today()).isoformat()
    target = screening_folder(evidence) / "records"
    text = csv_text(records.to_dict("records"), RECORD_COLUMNS)
    with screening_lock(evidence):
        path = target / f"{batch_name(target, day)}.csv"
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
    with screening_lock(evidence):  # from reading the log to writing it: no decision lost
        _decide_locked(evidence, records, stage, decision, reviewer, reason, of, note, final, date)
    return read_log(evidence)


def _decide_locked(
    evidence: str | os.PathLike,
    records: Iterable[str],
    stage: str,
    decision: str,
    reviewer: str,
    reason: str | None,
    of: str | None,
    note: str | None,
    final: bool,
    date: str | dt.date | None,
) -> None:
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
    # a row equal to the reviewer's latest one on that record and stage changes nothing and is
    # not written: the reader reports such a repeat as a line kept twice (e.g. by a git merge)
    latest: dict[tuple[str, ...], tuple[str, ...]] = {}
    for old in log.decisions[list(DECISION_COLUMNS)].to_dict("records"):
        latest[repeat_key(old)] = tuple(old[c] for c in DECISION_COLUMNS)
    fresh = []
    for r in rows:
        values = tuple(r[c] for c in DECISION_COLUMNS)
        if latest.get(repeat_key(r)) != values:
            fresh.append(r)
            latest[repeat_key(r)] = values
    rows = fresh
    if not rows:
        return
    path = screening_folder(evidence) / "decisions.csv"
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        size = 0
    lead = b""
    if size:
        with open(path, "rb") as fh:  # a last line saved without its line end (by an editor)
            fh.seek(size - 1)
            lead = b"" if fh.read(1) == b"\n" else b"\n"
    new = csv_text(rows, DECISION_COLUMNS, header=not size).encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    append_bytes(path, lead + new)


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


_RENUMBERED = {"records": ("id", "duplicate_of", "check_with"), "decisions": ("record", "of")}


def renumber(evidence: str | os.PathLike, first: str, to: str) -> list[Path]:
    """Give every record from id `first` on a new id from `to` on (the same shift for all), in
    every records file and in ``decisions.csv`` (``record``, ``of``, ``duplicate_of``,
    ``check_with``): how one branch's imports make room for another branch's before a merge.
    Returns the files rewritten (each atomically, under the screening lock)."""
    a, b = ID_RE.match(first or ""), ID_RE.match(to or "")
    if not a or not b:
        bad = first if not a else to
        raise UsageError(f"'{bad}' is not a record id (R0001, R0002, ...); give --from R#### --to R####")
    start, shift = int(a.group(1)), int(b.group(1)) - int(a.group(1))
    if shift <= 0:
        raise UsageError(f"--to {to} must come after --from {first}: ids move up, to ids no one has yet")

    def new(v: str) -> str:
        m = ID_RE.match(v)
        return record_id(int(m.group(1)) + shift) if m and int(m.group(1)) >= start else v

    written = []
    with screening_lock(evidence) as folder:
        log = read_log(evidence)
        ids = [int(m.group(1)) for m in map(ID_RE.match, log.records["id"].dropna()) if m]
        if not any(i >= start for i in ids):
            raise UsageError(f"no record from {first} on in the screening log; nothing renumbered")
        files = sorted((folder / "records").glob("*.csv"))
        if (folder / "decisions.csv").is_file():
            files.append(folder / "decisions.csv")
        for path in files:
            cols = _RENUMBERED["decisions" if path.name == "decisions.csv" else "records"]
            rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))
            at = [i for i, h in enumerate(rows[0]) if h in cols]
            changed = [[new(v) if i in at else v for i, v in enumerate(r)] for r in rows[1:]]
            if changed != rows[1:]:
                buf = io.StringIO()
                csv.writer(buf, lineterminator="\n").writerows([rows[0], *changed])
                written.append(atomic_write_bytes(path, buf.getvalue().encode("utf-8"), overwrite=True))
    return written
