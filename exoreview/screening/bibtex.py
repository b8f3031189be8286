"""BibTeX exports, split into blocks by bibtexparser 2; field values are read here.

bibtexparser splits the file (entries, @string, comments) and reports blocks it cannot parse.
The values are resolved here, not by its middlewares: '@string' references and concatenations
(``a # " " # b``) are expanded, a field repeated in one entry (Scopus writes one
``funding_details`` a funder) is kept, joined, and an entry whose key an earlier entry already
has (two .bib files joined) is read too, with a note. Text is decoded as LaTeX only
(:mod:`.latex`): '%' and '&' as exporters write them are kept and any loss is a warning.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import bibtexparser
from bibtexparser.model import DuplicateBlockKeyBlock, DuplicateFieldKeyBlock, Entry, ParsingFailedBlock

from ..errors import Problem
from .fields import PMID_IN_TEXT, check, doi_of, pmid_of, record
from .latex import decode_latex
from .text import other_format, sniff

# Fields read as written, not as LaTeX: identifiers and page ranges. Decoded, '--' in a page range
# or a DOI became an en dash and '~' in a DOI a no-break space. Only braces and backslash escapes
# (10.1000/a\_b) are removed.
VERBATIM = frozenset({"doi", "pmid", "pages", "url", "eprint"})
# the fields a record is made of: only their decoding can lose what a person screens
_READ = ("title", "author", "journal", "journaltitle", "booktitle", "abstract")
_MONTHS = {m: str(i) for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}
_PART = re.compile(r'\s*(\{(?:[^{}]|\{(?:[^{}]|\{[^{}]*\})*\})*\}|"(?:[^"\\]|\\.)*"|[^#\s]+)\s*(?:#|$)', re.S)


def _expand(raw: str, strings: dict[str, str]) -> str:
    """A field's value as BibTeX means it: braces or quotes removed, @string names and month
    macros replaced, '#' concatenations joined. A value that is not such an expression is kept."""
    raw = raw.strip()
    parts, pos = [], 0
    while pos < len(raw):
        m = _PART.match(raw, pos)
        if not m or m.end() == pos:
            return raw
        token, pos = m.group(1), m.end()
        if token[0] in '{"':
            parts.append(token[1:-1])
        elif token.isdigit():
            parts.append(token)
        else:
            parts.append(strings.get(token.casefold(), _MONTHS.get(token.casefold(), token)))
    return "".join(parts)


def _entry_fields(entry: Entry, strings: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """(fields, repeated): every field's expanded value, a repeated field's values joined by '; '."""
    out: dict[str, str] = {}
    repeated: list[str] = []
    for fld in entry.fields:
        key = fld.key.lower()
        value = _expand(str(fld.value), strings)
        if key in out:
            if key not in repeated:
                repeated.append(key)
            if value and value != out[key]:
                out[key] = f"{out[key]}; {value}" if out[key] else value
        else:
            out[key] = value
    return out, repeated


def read_bibtex(text: str, path: str) -> tuple[list[dict], list[Problem]]:
    """(records, problems): one record an entry, with the line it starts on."""
    logger = logging.getLogger("bibtexparser")
    level, logger.level = logger.level, logging.CRITICAL  # failures are reported as problems
    try:
        lib = bibtexparser.parse_string(text, parse_stack=[])
    finally:
        logger.setLevel(level)
    strings: dict[str, str] = {}
    for s in lib.strings:  # in file order: a string may use the ones before it
        strings[str(s.key).casefold()] = _expand(str(s.value), strings)
    blocks: list[tuple[int, Entry | ParsingFailedBlock]] = sorted(
        [(e.start_line or 0, e) for e in lib.entries] + [(b.start_line or 0, b) for b in lib.failed_blocks],
        key=lambda t: t[0],
    )
    records: list[dict] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for position, (start, block) in enumerate(blocks, 1):
        line = start + 1
        notes: list[tuple[str, str]] = []
        if isinstance(block, (DuplicateFieldKeyBlock, DuplicateBlockKeyBlock)) and isinstance(
            block.ignore_error_block, Entry
        ):
            entry = block.ignore_error_block
        elif isinstance(block, ParsingFailedBlock):
            cite_key = re.match(r"@\w+\s*[{(]\s*([^,\s]+)", block.raw or "")
            name = f"record {position}" + (f" ({cite_key.group(1)})" if cite_key else "")
            why = (getattr(block.error, "abort_reason", None) or str(block.error or "")).strip()
            why = why.split("\n")[0].rstrip(". ") or "unbalanced braces or a missing comma"
            problems.append(
                Problem(
                    path,
                    line,
                    name,
                    f"BibTeX syntax error ({why}); skipped: check the braces and commas of this entry "
                    "(the entry ends at the '}' that closes its first '{')",
                    "bibtex-syntax",
                )
            )
            continue
        else:
            entry = block
        if entry.key in seen:
            notes.append(
                (
                    "repeated-key",
                    f"key '{entry.key}' is also the key of the entry on line {seen[entry.key]} "
                    "(joined .bib files?); both are read and de-duplicated as any two records",
                )
            )
        else:
            seen[entry.key] = line
        f, repeated = _entry_fields(entry, strings)
        for key in repeated:
            if key in _READ or key in VERBATIM or key in ("year", "date", "volume", "pmid", "note"):
                notes.append(
                    ("repeated-field", f"field '{key}' is given more than once; its values are joined")
                )
        for key in VERBATIM.intersection(f):
            f[key] = _verbatim(f[key])
        for key in _READ:
            if f.get(key):
                f[key], lost = decode_latex(f[key])
                if lost:
                    notes.append(("text-changed", f"{key}: {lost}"))
        authors = [_unbrace(a.strip()) for a in re.split(r"\s+and\s+", f.get("author") or "") if a.strip()]
        pmid = pmid_of(f.get("pmid"))
        if pmid is None and f.get("note"):
            m = PMID_IN_TEXT.search(str(f["note"]))
            pmid = m.group(1) if m else None
        rec = record(
            title=_unbrace(f.get("title")),
            authors=authors,
            journal=_unbrace(f.get("journal") or f.get("journaltitle") or f.get("booktitle")),
            year=f.get("year") or f.get("date"),
            volume=_unbrace(f.get("volume")),
            pages=(f.get("pages") or "").replace("--", "-") or None,
            doi=doi_of(f.get("doi")),
            pmid=pmid,
            abstract=_unbrace(f.get("abstract")),
            database=None,
            warnings=notes,
        )
        name = f"record {position} ({entry.key})"
        before = len(problems)
        kept = check(rec, path, line, position, problems)
        for i in range(before, len(problems)):
            p = problems[i]
            problems[i] = Problem(p.path, p.line, name, p.message, p.code)
        if kept:
            records.append(kept)
    if not blocks:
        other = sniff(text, "")
        if other not in (None, "bibtex"):
            problems.append(
                Problem(
                    path,
                    None,
                    "",
                    "no BibTeX entries ('@type{key, ...}'); " + other_format(text, "", "bibtex"),
                    "no-records",
                )
            )
        else:  # comments, @string, @comment or @preamble only: a valid file with nothing to import
            problems.append(
                Problem(
                    path,
                    None,
                    "",
                    "no BibTeX entries: the file holds only comments, @string, @comment or @preamble "
                    "blocks; nothing imported from it (export the search results if this is not intended)",
                    "no-entries",
                )
            )
    return records, problems


def _unbrace(value: Any) -> Any:
    return value.replace("{", "").replace("}", "") if isinstance(value, str) else value


def _verbatim(value: Any) -> Any:
    return re.sub(r"\\([_%&#$~])", r"\1", _unbrace(value)).strip() if isinstance(value, str) else value
