"""BibTeX exports, parsed by bibtexparser 2: an entry it cannot parse is a problem naming its
line and key, and the other entries are still read."""

from __future__ import annotations

import logging
import re
from typing import Any

import bibtexparser
from bibtexparser import middlewares
from bibtexparser.model import Entry, ParsingFailedBlock

from ..errors import Problem
from .fields import PMID_IN_TEXT, check, doi_of, pmid_of, record, year_of

# Fields read as written, not as LaTeX: identifiers and page ranges. Decoded, '--' in a page range
# or a DOI became an en dash and '~' in a DOI a no-break space. Only braces and backslash escapes
# (10.1000/a\_b) are removed.
VERBATIM = frozenset({"doi", "pmid", "pages", "url", "eprint"})


class _TextDecoding(middlewares.LatexDecodingMiddleware):
    """bibtexparser's LaTeX decoding, for every field but those in :data:`VERBATIM`."""

    def transform_entry(self, entry, library):
        fields = entry.fields
        entry.fields = [f for f in fields if f.key.lower() not in VERBATIM]
        try:
            return super().transform_entry(entry, library)
        finally:
            entry.fields = fields


def read_bibtex(text: str, path: str) -> tuple[list[dict], list[Problem]]:
    """(records, problems): one record an entry, with the line it starts on."""
    logger = logging.getLogger("bibtexparser")
    level, logger.level = logger.level, logging.CRITICAL  # failures are reported as problems
    try:
        lib = bibtexparser.parse_string(
            text, append_middleware=[_TextDecoding(), middlewares.SeparateCoAuthors()]
        )
    finally:
        logger.setLevel(level)
    blocks: list[tuple[int, Entry | ParsingFailedBlock]] = sorted(
        [(e.start_line or 0, e) for e in lib.entries] + [(b.start_line or 0, b) for b in lib.failed_blocks],
        key=lambda t: t[0],
    )
    records, problems = [], []
    for position, (start, block) in enumerate(blocks, 1):
        line = start + 1
        if isinstance(block, ParsingFailedBlock):
            cite_key = re.match(r"@\w+\s*[{(]\s*([^,\s]+)", block.raw or "")
            name = f"record {position}" + (f" ({cite_key.group(1)})" if cite_key else "")
            why = (getattr(block.error, "abort_reason", None) or str(block.error or "")).strip()
            why = why.split("\n")[0].rstrip(". ") or "unbalanced braces or a missing comma"
            problems.append(
                Problem(
                    path,
                    line,
                    name,
                    f"BibTeX syntax error ({why}); skipped: check the braces and commas of this entry",
                    "bibtex-syntax",
                )
            )
            continue
        f = {fld.key.lower(): fld.value for fld in block.fields}
        for key in VERBATIM.intersection(f):
            f[key] = _verbatim(f[key])
        authors = f.get("author") or []
        if isinstance(authors, str):
            authors = [a.strip() for a in authors.split(" and ")]
        pmid = pmid_of(f.get("pmid"))
        if pmid is None and f.get("note"):
            m = PMID_IN_TEXT.search(str(f["note"]))
            pmid = m.group(1) if m else None
        rec = record(
            title=_unbrace(f.get("title")),
            authors=[_unbrace(a) for a in authors],
            journal=_unbrace(f.get("journal") or f.get("journaltitle") or f.get("booktitle")),
            year=year_of(f.get("year") or f.get("date")),
            volume=f.get("volume"),
            pages=(f.get("pages") or "").replace("--", "-") or None,
            doi=doi_of(f.get("doi")),
            pmid=pmid,
            abstract=_unbrace(f.get("abstract")),
            database=None,
        )
        name = f"record {position} ({block.key})"
        before = len(problems)
        kept = check(rec, path, line, position, problems)
        if kept is None and len(problems) > before:
            p = problems[-1]
            problems[-1] = Problem(p.path, p.line, name, p.message, p.code)
        elif kept:
            records.append(kept)
    if not blocks:
        problems.append(
            Problem(
                path,
                None,
                "",
                "no BibTeX entries (no '@type{key, ...}'); is it another format? pass --from",
                "no-records",
            )
        )
    return records, problems


def _unbrace(value: Any) -> Any:
    return value.replace("{", "").replace("}", "") if isinstance(value, str) else value


def _verbatim(value: Any) -> Any:
    return re.sub(r"\\([_%&#$~])", r"\1", _unbrace(value)).strip() if isinstance(value, str) else value
