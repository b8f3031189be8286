"""Reading search exports: bytes → text → one dict a record, with file and line of each.

Formats: PubMed MEDLINE (``.nbib`` / ``.txt``, :mod:`.medline`), RIS (:mod:`.ris`, parsed by
rispy), BibTeX (:mod:`.bibtex`, bibtexparser 2) and CSV (:mod:`.tabular`, PubMed's and Zotero's
column layouts). Bytes are decoded and the format sniffed in :mod:`.text`; the fields of a record
are read the same way in every format (:mod:`.fields`).

Every reader returns ``(records, problems)``: a record the reader cannot trust (truncated, no
title, unreadable bytes) becomes a :class:`~exoreview.errors.Problem` naming file, line and
record, and the rest of the file is still read.
"""

from __future__ import annotations

from collections.abc import Callable

from ..errors import Problem
from .bibtex import read_bibtex
from .fields import FIELDS
from .medline import read_medline
from .ris import read_ris
from .tabular import CSV_LAYOUTS, csv_layout, read_csv
from .text import FORMATS, SUFFIXES, decode, sniff

READERS: dict[str, Callable[[str, str], tuple[list[dict], list[Problem]]]] = {
    "medline": read_medline,
    "ris": read_ris,
    "bibtex": read_bibtex,
    "csv": read_csv,
}

__all__ = [
    "CSV_LAYOUTS",
    "FIELDS",
    "FORMATS",
    "READERS",
    "SUFFIXES",
    "csv_layout",
    "decode",
    "read_bibtex",
    "read_csv",
    "read_medline",
    "read_ris",
    "sniff",
]
