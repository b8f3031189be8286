"""The search log: ``evidence/screening/searches/*.yaml``, one file a search session (format in
docs/search.md). :func:`read_searches` reads and checks every session (each query has an id
unique across sessions, a date, its exact string and hit count; each export it names exists) and
reports every problem with its file, line and field at once.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.paths import default_path, screening_folder
from ..core.yamlio import display_path, read_yaml
from ..errors import Problem, ValidationError

SEARCHES = "searches"


@dataclass(frozen=True)
class Query:
    id: str
    date: str
    string: str
    hits: int
    sources: tuple[tuple[str, int], ...]  # (source, records exported) per export file
    session: str  # the session file's name


@dataclass(frozen=True)
class SearchLog:
    sessions: tuple[tuple[str, str, str], ...]  # (file, searcher, date)
    queries: tuple[Query, ...]

    @property
    def dates(self) -> tuple[str, ...]:
        return tuple(sorted({q.date for q in self.queries}))

    def by_source(self) -> dict[str, int]:
        """Records exported, per source, over every query."""
        c: Counter[str] = Counter()
        for q in self.queries:
            for source, n in q.sources:
                c[source] += n
        return dict(sorted(c.items()))

    def describe(self) -> str:
        """'3 search sessions (2026-12-05), 178 queries, 1,424 records exported from 8 sources'."""
        if not self.queries:
            return "no search logged"
        dates = self.dates
        when = dates[0] if len(dates) == 1 else f"{dates[0]} to {dates[-1]}"
        sources = self.by_source()
        return (
            f"{len(self.sessions)} search session{'s' * (len(self.sessions) != 1)} ({when}), "
            f"{len(self.queries)} queries, {sum(sources.values()):,} records exported from {len(sources)} sources"
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "sessions": [{"file": f, "searcher": s, "date": d} for f, s, d in self.sessions],
            "dates": list(self.dates),
            "queries": len(self.queries),
            "records_by_source": self.by_source(),
        }


def _text(v: Any) -> str:
    return v.isoformat() if isinstance(v, dt.date) else str(v)


def read_searches(evidence: str | os.PathLike | None = None) -> SearchLog:
    """Every session file of the search log; :class:`ValidationError` with every problem found."""
    root = Path(evidence) if evidence is not None else default_path()
    folder = screening_folder(root) / SEARCHES
    problems: list[Problem] = []
    sessions: list[tuple[str, str, str]] = []
    queries: list[Query] = []
    seen: dict[str, str] = {}
    files = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    for path in files:
        shown = display_path(path)
        parsed = read_yaml(path)
        problems += parsed.problems
        data = parsed.data
        if data is None:
            continue
        if not isinstance(data.get("queries"), list):
            problems.append(
                Problem(shown, 1, "queries", "a session file holds a 'queries' list (docs/search.md)")
            )
            continue
        sessions.append((path.name, str(data.get("searcher") or ""), _text(data.get("date") or "")))
        for i, q in enumerate(data["queries"]):
            at = parsed.line(("queries", i))
            if not isinstance(q, dict):
                problems.append(
                    Problem(shown, at, f"queries[{i}]", "each query is a mapping (id, date, string, hits)")
                )
                continue
            missing = [f for f in ("id", "date", "string", "hits") if q.get(f) in (None, "")]
            for f in missing:
                problems.append(
                    Problem(shown, at, f"queries[{i}].{f}", "required: say it as the query was run")
                )
            if missing:
                continue
            qid = str(q["id"])
            if qid in seen:
                problems.append(
                    Problem(shown, at, f"queries[{i}].id", f"{qid} is already a query of {seen[qid]}")
                )
            seen[qid] = path.name
            if not isinstance(q["hits"], int) or q["hits"] < 0:
                problems.append(
                    Problem(shown, at, f"queries[{i}].hits", "a whole number of results, 0 or more")
                )
                continue
            sources = []
            for j, ex in enumerate(q.get("exports") or []):
                file = (ex or {}).get("file")
                if not file or not (screening_folder(root) / str(file)).is_file():
                    problems.append(
                        Problem(
                            shown,
                            parsed.line(("queries", i, "exports", j)),
                            f"queries[{i}].exports[{j}].file",
                            f"{file!r} is not a file in evidence/screening/: keep every export the query produced",
                        )
                    )
                    continue
                sources.append((str(ex.get("source") or "source not named"), int(ex.get("records") or 0)))
            queries.append(
                Query(qid, _text(q["date"]), str(q["string"]), q["hits"], tuple(sources), path.name)
            )
    if problems:
        raise ValidationError(problems)
    return SearchLog(tuple(sessions), tuple(queries))
