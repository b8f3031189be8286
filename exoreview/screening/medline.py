"""PubMed's MEDLINE format (``.nbib`` / ``.txt``): 'TAG - value' lines, six-space continuations,
records separated by a blank line. The parser is written here: the one PyPI package for it
(``nbib``) has had no release since 2021 and reports no line numbers."""

from __future__ import annotations

import re

from ..errors import Problem
from .fields import check, doi_of, pmid_of, pubmed_title, record
from .text import lines

_TAG = re.compile(r"^([A-Z][A-Z0-9]{0,3}) {0,3}- ?(.*)$")


def _first(tags: dict[str, list[str]], *names: str) -> str | None:
    """The first value of the first tag in `names` that the record has, else None."""
    for name in names:
        if tags.get(name):
            return tags[name][0]
    return None


def _database(tags: dict[str, list[str]]) -> str | None:
    """PubMed, unless the record says otherwise: ERIC's .nbib names itself in OWN, DB or SO, or
    has no PMID (every PubMed record has one)."""
    for tag in ("OWN", "DB", "SO", "DS"):
        for value in tags.get(tag, []):
            if re.search(r"\bERIC\b", value):
                return "ERIC"
    if "PMID" not in tags:
        return _first(tags, "DB")
    return "PubMed"


def read_medline(text: str, path: str) -> tuple[list[dict], list[Problem]]:
    """(records, problems): one record a PMID block, with the line it starts on."""
    records, problems = [], []
    suspect = "\ufffd" in text
    blocks: list[tuple[int, list[tuple[int, str, str]]]] = []
    current: list[tuple[int, str, str]] = []
    for i, raw in enumerate(lines(text), 1):
        if not raw.strip():
            if current:
                blocks.append((current[0][0], current))
                current = []
            continue
        if raw.startswith("      ") and current:
            n, tag, value = current[-1]
            current[-1] = (n, tag, value + " " + raw.strip())
            continue
        m = _TAG.match(raw)
        if not m:
            where = f"record {len(blocks) + 1}" if current else ""
            problems.append(
                Problem(
                    path,
                    i,
                    where,
                    f"not a MEDLINE line ('TAG - value'): {raw[:40]!r}; ignored "
                    "(a value that runs over lines continues with six spaces)",
                    "bad-line",
                )
            )
            continue
        if m.group(1) == "PMID" and current:  # a new record without a blank line before it
            blocks.append((current[0][0], current))
            current = []
        current.append((i, m.group(1), m.group(2).strip()))
    if current:
        blocks.append((current[0][0], current))
    truncated_tail = bool(text) and not text.endswith(("\n", "\r")) and bool(blocks)
    for position, (line, block) in enumerate(blocks, 1):
        tags: dict[str, list[str]] = {}
        for _n, tag, value in block:
            tags.setdefault(tag, []).append(value)
        if position == len(blocks) and truncated_tail and "SO" not in tags:
            problems.append(
                Problem(
                    path,
                    line,
                    f"record {position}",
                    "is truncated (the file ends "
                    "inside it, before its SO line); skipped: export the search again",
                    "truncated",
                )
            )
            continue
        if "PMID" not in tags and "TI" not in tags:
            problems.append(
                Problem(
                    path,
                    line,
                    f"record {position}",
                    "has neither PMID nor TI: not a MEDLINE record; skipped (export the search again as MEDLINE)",
                    "not-a-record",
                )
            )
            continue
        doi = next(
            (v[:-5].strip() for v in tags.get("AID", []) + tags.get("LID", []) if v.endswith("[doi]")), None
        ) or next(
            (v for v in tags.get("AID", []) if "doi.org/10." in v), None
        )  # ERIC: AID - http://dx.doi.org/...
        title = pubmed_title(_first(tags, "TI", "BTI"))
        rec = record(
            title=title,
            authors=tags.get("AU") or tags.get("FAU") or [],
            journal=_first(tags, "JT", "TA"),
            year=_first(tags, "DP", "PY", "YR"),
            volume=_first(tags, "VI"),
            pages=_first(tags, "PG"),
            doi=doi_of(doi),
            pmid=pmid_of(_first(tags, "PMID")),
            abstract=_first(tags, "AB"),
            database=_database(tags),
        )
        kept = check(rec, path, line, position, problems, suspect)
        if kept:
            records.append(kept)
    return records, problems
