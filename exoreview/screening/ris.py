"""RIS exports (Embase, Scopus, Web of Science, Zotero, EndNote, PubMed via a reference manager).

The records are found here, record by record: one starts at its 'TY  -' line and ends at its
'ER  -' line. rispy parses each record's lines; this module checks what rispy does not (a record
the file ends inside, a record without its ER line, an ER line without a record) and keeps the
line each record starts on. rispy alone, on a whole file, folds a record without its ER line into
the next one, drops the record the file ends inside and carries a record's last tag into the
next record.
"""

from __future__ import annotations

import re
from typing import Any

import rispy

from ..errors import Problem
from .fields import PMID_IN_TEXT, check, doi_of, pmid_of, record
from .text import lines, other_format

_PUBMED_DB = re.compile(r"pubmed|medline", re.I)


def read_ris(text: str, path: str) -> tuple[list[dict], list[Problem]]:
    """(records, problems): one record a TY … ER block, with the line it starts on."""
    # unknown tags are skipped (no field is read from them); kept, rispy stores them under its
    # own 'UK' key, and a 'UK' tag line followed by another unknown tag raised TypeError inside it
    parser = rispy.RisParser(skip_unknown_tags=True)
    suspect = "\ufffd" in text
    records, problems = [], []
    chunk: list[str] = []
    start = position = 0
    stray: int | None = None
    for i, line in enumerate(lines(text), 1):
        head = line[:5]
        if head == "TY  -":
            if chunk:
                problems.append(
                    Problem(
                        path,
                        start,
                        f"record {position}",
                        f"has no 'ER  -' line before the next record on line {i}: truncated; skipped "
                        "(export the search again, or add the missing 'ER  -' line)",
                        "truncated",
                    )
                )
            position += 1
            chunk, start = [line], i
        elif head == "ER  -":
            if not chunk:
                problems.append(
                    Problem(path, i, "", "'ER  -' without a record ('TY  -') before it; ignored", "bad-line")
                )
                continue
            chunk.append(line)
            for entry in parser.parse_lines(iter(chunk)):  # one entry: the chunk is one record
                kept = check(_from_ris(entry), path, start, position, problems, suspect)
                if kept:
                    records.append(kept)
            chunk = []
        elif chunk:
            chunk.append(line)
        elif line.strip() and stray is None:
            stray = i
    if chunk:
        problems.append(
            Problem(
                path,
                start,
                f"record {position}",
                "is truncated (the file ends before its 'ER  -' line); skipped: export the search again",
                "truncated",
            )
        )
    if position == 0:
        problems.append(
            Problem(
                path,
                stray,
                "",
                "no RIS records (no line starts with 'TY  - '); " + other_format(text, "", "ris"),
                "no-records",
            )
        )
    return records, problems


def _from_ris(e: dict[str, Any]) -> dict[str, Any]:
    """One rispy entry → one record."""
    database = e.get("name_of_database") or e.get("database_provider")
    first, last = e.get("start_page"), e.get("end_page")
    return record(
        title=(
            e.get("title")
            or e.get("primary_title")
            or e.get("translated_title")
            or e.get("short_title")  # ST: some records (conference abstracts, Scopus) have only it
        ),
        authors=e.get("authors") or e.get("first_authors"),
        journal=(
            e.get("secondary_title")
            or e.get("journal_name")
            or e.get("alternate_title3")
            or e.get("alternate_title1")
            or e.get("alternate_title2")
        ),
        year=e.get("year") or e.get("publication_year") or e.get("date"),
        volume=e.get("volume"),
        pages=f"{first}-{last}" if first and last and last != first else (first or None),
        doi=doi_of(e.get("doi")),
        pmid=_pmid(e, pubmed=bool(database) and bool(_PUBMED_DB.search(str(database)))),
        abstract=e.get("abstract") or e.get("notes_abstract"),
        database=database,
    )


def _pmid(e: dict[str, Any], *, pubmed: bool) -> str | None:
    """A PubMed/MEDLINE record's accession number (EndNote writes the PMID in AN, with or without
    a database name), else 'PMID: n' in its notes."""
    accession = e.get("accession_number")
    if pubmed or (accession and str(accession).strip().isdigit() and not e.get("name_of_database")):
        pmid = pmid_of(accession)
        if pmid:
            return pmid
    for note in (*(e.get("notes") or ()), e.get("note")):
        m = PMID_IN_TEXT.search(str(note)) if note else None
        if m:
            return m.group(1)
    return None
