"""Reading the screening log's CSV files row by row, each row with its line, every problem named.

Besides CSV syntax and the columns, the two problems that a write cut short or a merge leaves:

* a last line cut short (no line end, too few values or an open quote): a write was
  interrupted; the lines before it are intact;
* the header line repeated further down (two files joined).

A decision row kept twice (two branches that both carried it, merged with ``merge=union``) is
harmless: a reviewer's latest row counts, and a copy of it changes nothing. The writer never
writes a row equal to the same reviewer's latest one on that record and stage (:func:`repeat_key`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..core.yamlio import describe_os_error, display_path
from ..errors import Problem


def unreadable(path: Path, err: OSError) -> Problem:
    what, fix = describe_os_error(err)
    return Problem(display_path(path), None, "", f"cannot read the file: {what}; {fix}", "unreadable")


def exists(path: Path, problems: list[Problem]) -> bool:
    """Whether `path` exists; a path that cannot even be looked at is a problem, not 'missing'."""
    try:
        path.stat()
    except FileNotFoundError:
        return False
    except OSError as err:
        problems.append(unreadable(path, err))
        return False
    return True


def repeat_key(row: Mapping[str, Any]) -> tuple[str, ...]:
    """Rows with one key follow each other in time: one reviewer's votes (or resolutions) on one
    record at one stage. A row equal to the previous row of its key changes nothing."""
    return tuple(str(row.get(c) or "") for c in ("record", "stage", "reviewer", "final"))


def _cut_short(text: str, header: list[str]) -> tuple[int, str] | None:
    """(line, what) when the text's last line was cut short by an interrupted write."""
    if not text or text.endswith(("\n", "\r")):
        return None
    start = text.rfind("\n") + 1
    line = text.count("\n") + 1
    try:
        rows = list(csv.reader(io.StringIO(text[start:], newline=""), strict=True))
    except csv.Error:
        return line, "a quoted value is not closed"
    values = len(rows[0]) if rows else 0
    if values != len(header):
        return line, f"{values} value{'s' if values != 1 else ''} for {len(header)} columns"
    return None


def read_rows(path: Path, columns: tuple[str, ...], problems: list[Problem]) -> list[tuple[int, dict]]:
    """Every data row of a log file as (line, {column: value or None}); problems appended."""
    shown = display_path(path)
    try:
        raw = path.read_bytes()
    except OSError as err:
        problems.append(unreadable(path, err))
        return []
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        problems.append(
            Problem(
                shown, raw[: err.start].count(b"\n") + 1, "", "not UTF-8; save the file as UTF-8", "not-utf8"
            )
        )
        return []
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        problems.append(
            Problem(
                shown, 1, "", f"empty; the first line names the columns: {','.join(columns)}", "empty-file"
            )
        )
        return []
    except csv.Error as err:
        problems.append(Problem(shown, 1, "", f"CSV error: {err}", "csv-syntax"))
        return []
    missing = [c for c in columns if c not in header]
    unknown = [c for c in header if c not in columns]
    if missing or unknown:
        what = "; ".join(
            filter(
                None,
                [
                    f"missing column(s) {', '.join(missing)}" if missing else "",
                    f"unknown column(s) {', '.join(unknown)}" if unknown else "",
                ],
            )
        )
        problems.append(Problem(shown, 1, "", f"{what}; the columns are {','.join(columns)}", "bad-columns"))
        return []
    cut = _cut_short(text, header)
    out = []
    line = 2
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as err:
            problems.append(Problem(shown, line, "", f"CSV error: {err}", "csv-syntax"))
            break
        if cut is not None and reader.line_num >= cut[0]:
            problems.append(
                Problem(
                    shown,
                    line,
                    "",
                    f"the last line is cut short ({cut[1]}, no line end): a write was interrupted "
                    "(a command killed, a full disk); the lines before it are intact. Complete the "
                    "line or delete it, then run the command again",
                    "truncated-line",
                )
            )
            break
        if row == header:
            problems.append(
                Problem(
                    shown,
                    line,
                    "",
                    "the header line again (two files joined into one): delete this line",
                    "repeated-header",
                )
            )
        elif any(c.strip() for c in row):
            if len(row) != len(header):
                problems.append(
                    Problem(
                        shown,
                        line,
                        "",
                        f"{len(row)} values for {len(header)} columns; quote values that hold commas",
                        "bad-row",
                    )
                )
            else:
                values = {h: (v if v != "" else None) for h, v in zip(header, row)}
                out.append((line, values))
        line = reader.line_num + 1
    return out
