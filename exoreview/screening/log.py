"""The screening log: imported records, decisions by stage, conflicts, agreement, study drafts.

Layout of ``evidence/screening/`` (plain CSV under git; see its README.md):

* ``records/<YYYY-MM-DD>-<NN>-<code>.csv`` (``<YYYY-MM-DD>-<NN>.csv`` before 2026-12-06) — one
  file per import, never rewritten: one row per record read (duplicates too), columns
  :data:`RECORD_COLUMNS`. Record ids (``R0001``…) run on across imports; two files giving one
  id (two branches that both imported, merged) are reported once, with the fix.
* ``decisions.csv`` — the decisions, one row each, appended as whole lines under the screening
  lock: columns :data:`DECISION_COLUMNS`. A last line cut short is reported (:mod:`.logfiles`).

The rules are the tables below: stages and the decisions each allows, the controlled list of
exclusion reasons, and how the decisions of one record at one stage become its status
(:func:`final_decision`). Reading collects every problem (file, line, field, fix) at once.
"""

from __future__ import annotations

import datetime as dt
import html
import os
import re
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..core.locking import screening_lock
from ..core.paths import default_path, screening_folder
from ..core.values import missing, present
from ..core.yamlio import display_path, list_folder
from ..errors import EvidenceError, Problem, UsageError
from .logfiles import exists, read_rows
from .rules import (
    BATCH_RE,
    DATE_RE,
    DECISION_COLUMNS,
    DECISIONS,
    ID_RE,
    NEEDS_OF,
    NEEDS_REASON,
    PROCEEDS,
    REASONS,
    RECORD_COLUMNS,
    RECORD_DTYPES,
    STAGES,
    Final,
    final_decision,
    latest_votes,
    record_id,
    stage_name,
)


# -- the log ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Agreement:
    """Agreement of two reviewers at one stage (Cohen's kappa from statsmodels)."""

    stage: str
    reviewers: tuple[str, str]
    n: int  # records both reviewers decided
    observed: float | None  # proportion of agreement
    kappa: float | None  # None when undefined (fewer than 2 records, or one category only)
    low: float | None  # 95% confidence interval
    high: float | None
    table: pd.DataFrame  # rows: first reviewer's decision, columns: second's

    def describe(self) -> str:
        a, b = self.reviewers
        if self.n == 0:
            return f"{self.stage}: {a} and {b} have no record in common"
        head = f"{self.stage}: {a} vs {b}, {self.n} records, agreement {self.observed:.0%}"
        if self.kappa is None:
            return head + ", kappa undefined (every decision in one category)"
        return head + f", Cohen's kappa {self.kappa:.2f} (95% CI {self.low:.2f} to {self.high:.2f})"


@dataclass(frozen=True)
class Log:
    """The screening log of one evidence folder, read and checked."""

    root: str  # the screening folder
    records: pd.DataFrame  # every imported record (RECORD_COLUMNS + batch)
    decisions: pd.DataFrame  # every decision (DECISION_COLUMNS + line)
    problems: tuple[Problem, ...] = ()

    def __repr__(self) -> str:
        return f"<screening log {self.root}: {len(self.records)} records, {len(self.decisions)} decisions>"

    # status ---------------------------------------------------------------------------------
    def status(self) -> pd.DataFrame:
        """One row a record: where it stands (removed before screening, each stage's outcome)."""
        dec = self.decisions
        groups = {k: g for k, g in dec.groupby(["record", "stage"], sort=False)} if len(dec) else {}
        rows = []
        for rec in self.records.itertuples(index=False):
            rid = rec.id
            dup = final_decision(groups.get((rid, "duplicates")))
            removed, removed_by = None, None
            if dup.decision == "duplicate":
                removed = "in evidence" if not ID_RE.match(dup.of or "") else "duplicate"
                removed_by = dup.of
            elif dup.decision != "not-duplicate":
                if _has(rec.duplicate_of):
                    removed, removed_by = "duplicate", rec.duplicate_of
                elif _has(rec.in_evidence):
                    removed, removed_by = "in evidence", rec.in_evidence
            ta = final_decision(groups.get((rid, "title-abstract"))) if removed is None else Final()
            ft = final_decision(groups.get((rid, "full-text"))) if ta.decision in PROCEEDS else Final()
            rows.append(
                {
                    "id": rid,
                    "database": rec.database,
                    "title": rec.title,
                    "year": rec.year,
                    "removed": removed,
                    "removed_by": removed_by,
                    "check_with": None if dup.decision else present(rec.check_with),
                    "check_reason": None if dup.decision else present(rec.check_reason),
                    "title_abstract": ta.label(removed is None),
                    "title_abstract_reason": ta.reason,
                    "full_text": ft.label(ta.decision in PROCEEDS),
                    "full_text_reason": ft.reason,
                }
            )
        cols = [
            "id",
            "database",
            "title",
            "year",
            "removed",
            "removed_by",
            "check_with",
            "check_reason",
            "title_abstract",
            "title_abstract_reason",
            "full_text",
            "full_text_reason",
        ]
        out = pd.DataFrame(rows, columns=cols)
        out["year"] = out["year"].astype("Int64")
        return out

    def conflicts(self, stage: str | None = None) -> pd.DataFrame:
        """Records whose reviewers disagree (and no final decision settles it): one row a vote."""
        stages = [stage_name(stage)] if stage else list(STAGES)
        st = self.status()
        rows = []
        col = {"title-abstract": "title_abstract", "full-text": "full_text"}
        for s in stages:
            if s == "duplicates":
                continue
            ids = set(st.loc[st[col[s]] == "conflict", "id"])
            votes = latest_votes(
                self.decisions[(self.decisions["stage"] == s) & self.decisions["record"].isin(ids)]
            )
            for v in votes.itertuples(index=False):
                rows.append(
                    {
                        "record": v.record,
                        "stage": s,
                        "reviewer": v.reviewer,
                        "decision": v.decision,
                        "reason": v.reason,
                        "date": v.date,
                    }
                )
        return pd.DataFrame(rows, columns=["record", "stage", "reviewer", "decision", "reason", "date"])

    def reviewers(self, stage: str) -> list[str]:
        d = self.decisions
        return sorted(set(d.loc[(d["stage"] == stage) & (d["final"] != "yes"), "reviewer"]))

    def agreement(self, stage: str = "title-abstract", reviewers: tuple[str, str] | None = None) -> Agreement:
        """Cohen's kappa of two reviewers' latest decisions on the records both decided."""
        stage = stage_name(stage)
        if reviewers is None:
            found = self.reviewers(stage)
            if len(found) != 2:
                raise UsageError(
                    f"{stage}: kappa needs two reviewers; found {len(found)} "
                    f"({', '.join(found) or 'none'}): name two with --reviewers A B"
                )
            reviewers = (found[0], found[1])
        a, b = reviewers
        votes = latest_votes(self.decisions[self.decisions["stage"] == stage])
        va = votes[votes["reviewer"] == a].set_index("record")["decision"]
        vb = votes[votes["reviewer"] == b].set_index("record")["decision"]
        common = va.index.intersection(vb.index)
        cats = [c for c in DECISIONS[stage] if c in set(va[common]) | set(vb[common])]
        table = pd.crosstab(
            pd.Categorical(va[common], cats),
            pd.Categorical(vb[common], cats),
            rownames=[a],
            colnames=[b],
            dropna=False,
        )
        n = len(common)
        if n == 0:
            return Agreement(stage, (a, b), 0, None, None, None, None, table)
        observed = float(np.trace(table.to_numpy())) / n
        if len(cats) < 2 or n < 2:
            return Agreement(stage, (a, b), n, observed, None, None, None, table)
        from statsmodels.stats.inter_rater import cohens_kappa  # heavy: loaded only for kappa

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = cohens_kappa(table.to_numpy())
        # the asymptotic interval can pass kappa's bounds on few records: it is cut at -1 and 1
        return Agreement(
            stage,
            (a, b),
            n,
            observed,
            float(res.kappa),
            max(-1.0, float(res["kappa_low"])),
            min(1.0, float(res["kappa_upp"])),
            table,
        )

    def agreements(self) -> list[Agreement]:
        """Cohen's kappa at every stage screened by exactly two reviewers."""
        return [self.agreement(s) for s in ("title-abstract", "full-text") if len(self.reviewers(s)) == 2]

    def _repr_html_(self) -> str:
        st = self.status()
        counts = {
            "records": len(st),
            "removed before screening": int(st["removed"].notna().sum()),
            "title/abstract pending or in conflict": int(
                st["title_abstract"].isin(["pending", "conflict"]).sum()
            ),
            "full text pending or in conflict": int(st["full_text"].isin(["pending", "conflict"]).sum()),
            "included": int((st["full_text"] == "include").sum()),
        }
        items = "".join(f"<li>{html.escape(k)}: {v}</li>" for k, v in counts.items())
        return f"<p><b>Screening log</b> ({html.escape(self.root)})</p><ul>{items}</ul>"

    def record(self, rid: str) -> Mapping[str, Any]:
        hit = self.records[self.records["id"] == rid]
        if hit.empty:
            raise UsageError(f"no record '{rid}' in the screening log; `exoreview screen list` shows them")
        return {k: (None if missing(v) else v) for k, v in hit.iloc[0].to_dict().items()}

    def next_id(self) -> int:
        nums = [int(m.group(1)) for m in (ID_RE.match(str(i)) for i in self.records["id"]) if m]
        return max(nums, default=0) + 1


def _has(v: Any) -> bool:
    return present(v) is not None


# -- reading ---------------------------------------------------------------------------------
def read_log(evidence: str | os.PathLike | None = None, *, strict: bool = True, _locked: bool = False) -> Log:
    """Read ``<evidence>/screening/``; with `strict`, any problem raises one EvidenceError."""
    root = screening_folder(evidence if evidence is not None else default_path())
    problems: list[Problem] = []
    frames: list[dict] = []
    seen: dict[str, str] = {}
    clashes: dict[tuple[str, str], list[tuple[int, str]]] = {}
    files = _record_files(root, problems)  # None: screening/ itself is a file or unreadable
    for path in files or []:
        rows = read_rows(path, RECORD_COLUMNS, problems)
        shown = display_path(path)
        if not BATCH_RE.match(path.stem):
            problems.append(
                Problem(
                    shown,
                    None,
                    "",
                    "a records file is named <YYYY-MM-DD>-<NN>-<code>.csv (written by `exoreview "
                    "import`; <YYYY-MM-DD>-<NN>.csv before 2026-12-06): rename it",
                    "bad-name",
                )
            )
        for line, row in rows:
            _check_record_row(row, shown, line, seen, clashes, problems)
            row["batch"] = path.stem
        frames.extend(row for _line, row in rows)
    problems.extend(_clash_problems(clashes, seen))
    records = pd.DataFrame(frames, columns=[*RECORD_COLUMNS, "batch"])
    for col, dtype in RECORD_DTYPES.items():
        if dtype == "Int64":
            records[col] = pd.to_numeric(records[col].replace("", None), errors="coerce").astype("Int64")
        else:
            records[col] = records[col].replace("", None).astype("string")
    known = set(records["id"].dropna())
    for rec in records.itertuples(index=False):
        if _has(rec.duplicate_of) and rec.duplicate_of not in known:
            problems.append(
                Problem(
                    f"{display_path(root / 'records' / (rec.batch + '.csv'))}",
                    None,
                    "duplicate_of",
                    f"{rec.id} is a duplicate of '{rec.duplicate_of}', which is in no records file",
                    "dangling-reference",
                )
            )
    dpath = root / "decisions.csv"
    drows = (
        read_rows(dpath, DECISION_COLUMNS, problems) if files is not None and exists(dpath, problems) else []
    )
    shown = display_path(dpath)
    for line, row in drows:
        check_decision_row(row, shown, line, known, problems)
        row["line"] = line
    decisions = pd.DataFrame([r for _l, r in drows], columns=[*DECISION_COLUMNS, "line"])
    for col in DECISION_COLUMNS:
        decisions[col] = decisions[col].fillna("").astype(str)
    decisions["line"] = decisions["line"].astype("Int64")
    log = Log(display_path(root), records, decisions, tuple(problems))
    if any(p.code == "truncated-line" for p in problems) and not _locked:
        # a line cut short may be a write still under way: read again once no one writes
        with screening_lock(evidence if evidence is not None else default_path()):
            return read_log(evidence, strict=strict, _locked=True)
    if strict and problems:
        raise EvidenceError(problems)
    return log


def _batch_order(path: Path) -> tuple[str, int, str]:
    """Batches in the order they were written: by day, then by the day's number as a number
    (the 100th import of a day after the 99th, not after the 10th)."""
    m = re.match(r"^(\d{4}-\d{2}-\d{2})-(\d+)", path.name)
    return (m.group(1), int(m.group(2)), path.name) if m else (path.name, 0, "")


def _record_files(root: Path, problems: list[Problem]) -> list[Path] | None:
    """records/*.csv of the screening folder (none when missing). A screening/ or records/ that
    is a file, or that cannot be read, is a problem (never an empty log: ids would restart);
    None when it is screening/ itself (so decisions.csv is not reported again)."""
    must_be = "{}/ must be a folder (see screening/README.md)"
    if list_folder(root, problems, must_be=must_be.format("screening")) is None:
        return None
    folder_ = root / "records"
    names = list_folder(folder_, problems, must_be=must_be.format("records"))
    if names is None:
        return []
    return sorted((folder_ / n for n in names if n.endswith(".csv")), key=_batch_order)


def _clash_problems(
    clashes: dict[tuple[str, str], list[tuple[int, str]]], seen: dict[str, str]
) -> list[Problem]:
    """One problem a pair of records files that give the same ids, with the command that fixes it."""
    nums = [int(m.group(1)) for m in map(ID_RE.match, seen) if m]
    free = record_id(max(nums, default=0) + 1)
    out = []
    for (path, other), hits in clashes.items():
        line, first = hits[0]
        more = f" (and {len(hits) - 1} more, to {hits[-1][1]})" if len(hits) > 1 else ""
        out.append(
            Problem(
                path,
                line,
                "id",
                f"{first} is also in {other}{more}: two imports numbered their records from the same "
                "log, on two branches or clones that were then merged. Undo the merge (`git reset "
                f"--hard ORIG_HEAD`), on the branch that made {path} run `exoreview screen renumber "
                f"--from {first} --to {free}`, commit, and merge again (docs/screening.md, "
                "'Working as a team')",
                "duplicate-id",
            )
        )
    return out


def _check_record_row(
    row: dict,
    path: str,
    line: int,
    seen: dict[str, str],
    clashes: dict[tuple[str, str], list[tuple[int, str]]],
    problems: list[Problem],
) -> None:
    rid = row.get("id") or ""
    if not ID_RE.match(rid):
        problems.append(
            Problem(path, line, "id", f"'{rid}' is not a record id (R0001, R0002, ...)", "bad-id")
        )
    elif rid in seen:
        clashes.setdefault((path, seen[rid]), []).append((line, rid))
    else:
        seen[rid] = path
    if not row.get("title"):
        problems.append(Problem(path, line, "title", "a record needs a title", "missing-value"))
    for col in ("year", "position", "line"):
        v = row.get(col)
        if v is not None and not str(v).isdigit():
            problems.append(Problem(path, line, col, f"expected a whole number, found {v!r}", "wrong-type"))


def check_decision_row(row: dict, path: str, line: int, known: set[str], problems: list[Problem]) -> None:
    def bad(field: str, message: str, code: str) -> None:
        problems.append(Problem(path, line, field, message, code))

    rid = row.get("record") or ""
    if rid not in known:
        bad(
            "record",
            f"'{rid}' is not a record of the screening log (records/*.csv); `exoreview screen "
            "list` shows the ids",
            "dangling-reference",
        )
    stage = row.get("stage") or ""
    if stage not in STAGES:
        bad("stage", f"'{stage}' is not a stage; use {', '.join(STAGES)}", "bad-choice")
        return
    decision = row.get("decision") or ""
    if decision not in DECISIONS[stage]:
        bad(
            "decision",
            f"'{decision}' is not a {stage} decision; use {', '.join(DECISIONS[stage])}",
            "bad-choice",
        )
    reason = row.get("reason")
    if reason:
        if reason not in REASONS:
            bad("reason", f"'{reason}' is not an exclusion reason; use {', '.join(REASONS)}", "bad-choice")
        elif stage not in REASONS[reason][1]:
            bad("reason", f"'{reason}' is not a reason at {stage}", "bad-choice")
        elif decision != "exclude":
            bad("reason", "only an exclusion takes a reason; put other remarks in note", "bad-choice")
    elif (stage, decision) in NEEDS_REASON:
        bad("reason", f"a {stage} exclusion needs a reason: {', '.join(REASONS)}", "missing-value")
    if (stage, decision) in NEEDS_OF and not row.get("of"):
        bad("of", "a duplicate needs `of`: the record id or study key it duplicates", "missing-value")
    if not (row.get("reviewer") or "").strip():
        bad("reviewer", "who decided? give a name or initials", "missing-value")
    date = row.get("date") or ""
    try:
        ok = bool(DATE_RE.match(date)) and dt.date.fromisoformat(date) is not None
    except ValueError:
        ok = False
    if not ok:
        bad("date", f"expected a date as YYYY-MM-DD, found {date!r}", "bad-date")
    if (row.get("final") or "") not in ("", "yes"):
        bad("final", f"final is 'yes' (a resolution) or empty, found {row['final']!r}", "bad-choice")
