"""Reading search exports: bytes → text → one dict a record, with file and line of each.

Formats: PubMed MEDLINE (``.nbib`` / ``.txt``, :mod:`.medline`), RIS (:mod:`.ris`, parsed by
rispy), BibTeX (:mod:`.bibtex`, bibtexparser 2, text decoded by :mod:`.latex`), CSV and TSV
(:mod:`.tabular`, the column layouts of PubMed, Zotero, Web of Science, Scopus, Springer Link and
any table with a title column) and the tagged exports of Web of Science and EndNote
(:mod:`.tagged`). Bytes are decoded and the format sniffed in :mod:`.text`; the fields of a record
are read the same way in every format (:mod:`.fields`).

Every reader returns ``(records, problems)``: a record the reader cannot trust (truncated, no
title, unreadable bytes) becomes a :class:`~exoreview.errors.Problem` naming file, line and
record, and the rest of the file is still read.
"""

from __future__ import annotations

from collections.abc import Callable

from ..errors import Problem
from .bibtex import read_bibtex
from .fields import FIELDS, WARNINGS
from .medline import read_medline
from .ris import read_ris
from .tabular import CSV_LAYOUTS, csv_layout, read_csv
from .tagged import read_endnote, read_wos
from .text import FORMAT_NAMES, FORMATS, SUFFIXES, decode, sniff

READERS: dict[str, Callable[[str, str], tuple[list[dict], list[Problem]]]] = {
    "medline": read_medline,
    "ris": read_ris,
    "bibtex": read_bibtex,
    "csv": read_csv,
    "wos": read_wos,
    "endnote": read_endnote,
}


def unknown_format(text: str, path: str) -> Problem:
    """The problem of a file whose format neither its first line nor its suffix tells: the
    --from value that reads records from it when one does, else how to export it again."""
    readable = [name for name, read in READERS.items() if read(text, path)[0]]
    if readable:
        fix = " or ".join(f"--from {name}" for name in readable)
        what = f"its records read with {fix}; pass it if that is the format"
    else:
        what = (
            f"no format exoreview reads ({', '.join(FORMAT_NAMES.values())}) finds a record in it; "
            "export the search again in one of them"
        )
    return Problem(
        path, None, "", f"cannot tell the format from the first line or the suffix: {what}", "unknown-format"
    )


__all__ = [
    "unknown_format",
    "CSV_LAYOUTS",
    "FIELDS",
    "FORMATS",
    "FORMAT_NAMES",
    "READERS",
    "SUFFIXES",
    "WARNINGS",
    "csv_layout",
    "decode",
    "read_bibtex",
    "read_csv",
    "read_endnote",
    "read_medline",
    "read_ris",
    "read_wos",
    "sniff",
]
