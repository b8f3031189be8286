"""One record's fields, read the same way whatever the format: text folded, DOI, year and PMID
recognised, and a record that cannot be trusted (no title, unreadable bytes) dropped with a
:class:`~exoreview.errors.Problem` naming file, line and record."""

from __future__ import annotations

import re
from typing import Any

from ..core.schema import normalize_doi
from ..errors import Problem

# the fields of one record, in table order (authors is a list until the table is built)
FIELDS = ("title", "authors", "journal", "year", "volume", "pages", "doi", "pmid", "abstract", "database")

_DOI_IN_TEXT = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>]+)", re.I)
# a year alone, or the year of a date written as digits (20170812, 201708): 'Start date: 20170812'
_YEAR = re.compile(r"(?<!\w)(1[89]\d\d|20\d\d)(?:(?:0[1-9]|1[0-2])(?:[0-3]\d)?)?(?![\d])")
_PMID = re.compile(r"^[1-9]\d{0,8}$")
PMID_IN_TEXT = re.compile(r"\bPMID:?\s*([1-9]\d{0,8})\b", re.I)


def doi_of(value: Any) -> str | None:
    """A bare DOI ('10.' and no space) as it is; else the first DOI in the text (a URL, 'doi:')."""
    if not value:
        return None
    text = value[0] if isinstance(value, list) else str(value)
    if text.startswith("10.") and " " not in text:  # kept whole: old DOIs hold '<' and '>'
        return text.rstrip(".,;")
    m = _DOI_IN_TEXT.search(normalize_doi(text))
    return m.group(1).rstrip(".,;") if m else None


def year_of(value: Any) -> int | None:
    """The first year from 1800 to 2099 in the text ('2020', '2020///', 'Mar 2020', '20170812')."""
    if isinstance(value, int):
        return value if 1800 <= value <= 2099 else None
    m = _YEAR.search(str(value or ""))
    return int(m.group(1)) if m else None


def pmid_of(value: Any) -> str | None:
    text = str(value or "").strip()
    return text if _PMID.match(text) else None


def clean(value: Any) -> str | None:
    """Text with its runs of whitespace folded to one space when it holds line breaks, tabs or
    double spaces (a lone odd space, such as U+2028 in a title, is kept); None when empty."""
    if value is None:
        return None
    if not isinstance(value, str):
        value = " ".join(str(v) for v in value) if isinstance(value, list) else str(value)
    if "\n" in value or "\t" in value or "\r" in value or "  " in value:
        value = " ".join(value.split())
    return value.strip() or None


def pubmed_title(title: str | None) -> str | None:
    """PubMed ends every title with a period the article does not print (MEDLINE and CSV alike)."""
    if title:
        title = title.rstrip()
        if title.endswith(".") and not title.endswith(".."):
            return title[:-1]
    return title


# Problem codes that keep the record (or the file): the record is read and the problem says what
# was changed or guessed; the other codes skip a record or a file.
WARNINGS = frozenset(
    {"year-unreadable", "text-changed", "repeated-field", "repeated-key", "encoding-guessed", "no-entries"}
)


def record(**fields: Any) -> dict[str, Any]:
    """A record of every field of FIELDS (missing ones None), text folded, authors a list.

    `year` may be given as the text of the export: a year that cannot be read from it is a
    warning kept on the record (``rec['warnings']``, as (code, message) pairs), never dropped
    without a word."""
    out = dict.fromkeys(FIELDS)
    out.update(fields)
    warnings: list[tuple[str, str]] = list(out.get("warnings") or [])
    out["warnings"] = warnings
    raw_year = out["year"]
    out["year"] = year_of(raw_year)
    if out["year"] is None and raw_year is not None and str(raw_year).strip():
        warnings.append(
            (
                "year-unreadable",
                f"year {clean(str(raw_year))!r} is not a year; read without a year "
                "(fix it in the export or the records file if the record is screened)",
            )
        )
    for f in ("title", "journal", "volume", "pages", "abstract", "database"):
        out[f] = clean(out[f])
    out["authors"] = [a for a in map(clean, out["authors"] or []) if a]
    return out


def check(
    rec: dict, path: str, line: int, position: int, problems: list[Problem], suspect: bool = True
) -> dict | None:
    """The record with its position and line, or None (and a problem) when it has no title or
    holds unreadable bytes. `suspect`: the file holds replacement characters (bytes not in its
    encoding)."""
    if suspect and any(
        "\ufffd" in (v if isinstance(v, str) else " ".join(v))
        for k, v in rec.items()
        if isinstance(v, (str, list)) and k != "warnings"
    ):
        problems.append(
            Problem(
                path,
                line,
                record_name(rec, position),
                "holds bytes that are not text in the file's encoding; skipped (re-export the file as UTF-8)",
                "bad-encoding",
            )
        )
        return None
    if not rec.get("title"):
        problems.append(
            Problem(
                path,
                line,
                record_name(rec, position),
                "has no title; skipped (a record cannot be screened without one: re-export it with titles)",
                "no-title",
            )
        )
        return None
    for code, message in rec.pop("warnings", None) or ():
        problems.append(
            Problem(path, line, record_name(rec, position), message + "; the record is kept", code)
        )
    rec["position"], rec["line"] = position, line
    return rec


def record_name(rec: dict, position: int) -> str:
    return f"record {position}" + (f" (PMID {rec['pmid']})" if rec.get("pmid") else "")
