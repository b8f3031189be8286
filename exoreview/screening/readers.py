"""Reading search exports: bytes → text → one dict a record, with file and line of each.

Formats: PubMed MEDLINE (``.nbib`` / ``.txt``), RIS (parsed by rispy), BibTeX (bibtexparser 2)
and CSV (PubMed's and Zotero's column layouts, declared in :data:`CSV_LAYOUTS`). Encodings:
UTF-8, UTF-8 with a byte-order mark, UTF-16 with a byte-order mark, and Latin-1 (read as
Windows-1252, its superset). The MEDLINE tag parser is written here: the one PyPI package for it
(``nbib``) has had no release since 2021 and reports no line numbers.

Every reader returns ``(records, problems)``: a record the reader cannot trust (truncated, no
title, unreadable bytes) becomes a :class:`~exoreview.errors.Problem` naming file, line and
record, and the rest of the file is still read.
"""

from __future__ import annotations

import csv
import functools
import io
import re
import threading
from collections.abc import Callable, Sequence
from itertools import chain
from typing import Any

from ..core.schema import normalize_doi
from ..errors import Problem

FORMATS = ("medline", "ris", "bibtex", "csv")
SUFFIXES = {".nbib": "medline", ".medline": "medline", ".ris": "ris", ".bib": "bibtex",
            ".bibtex": "bibtex", ".csv": "csv"}

# the fields of one record, in table order (authors is a list until the table is built)
FIELDS = ("title", "authors", "journal", "year", "volume", "pages", "doi", "pmid", "abstract",
          "database")

_MAGIC = ((b"%PDF", "a PDF"), (b"PK\x03\x04", "a ZIP archive (an .xlsx or .docx?)"),
          (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"),
          (b"\xd0\xcf\x11\xe0", "an old Office file (.xls or .doc?)"), (b"\x1f\x8b", "a gzip archive"))
_DOI_IN_TEXT = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>]+)", re.I)
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_PMID = re.compile(r"^[1-9]\d{0,8}$")
_PMID_IN_TEXT = re.compile(r"\bPMID:?\s*([1-9]\d{0,8})\b", re.I)


# -- bytes to text --------------------------------------------------------------------------
def decode(raw: bytes, path: str) -> tuple[str | None, str, list[Problem]]:
    """(text, encoding name, problems). Text is None when the file cannot be read as text."""
    if not raw[:4096].strip() and not raw.strip():      # (a copy of 25 MB only if it starts blank)
        return None, "", [Problem(path, None, "", "the file is empty: no records; export the search "
                                  "again", "empty-file")]
    if raw.startswith(b"\xef\xbb\xbf"):
        raw, bom = raw[3:], "UTF-8 with BOM"
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), "UTF-16", []
        except UnicodeDecodeError as err:
            first_bad = err.start
        # A UTF-16 file cut at an odd byte, or holding a stray byte, is still UTF-16 up to there:
        # decode with replacement and let the readers drop the records that hold a replacement
        # character (rejecting the whole file lost every record of it).
        good = raw[:first_bad].decode("utf-16", errors="replace")
        line = len(_LINE_END.findall(good)) + 1
        return raw.decode("utf-16", errors="replace"), "UTF-16 (with bytes that are not UTF-16)", [Problem(
            path, line, "", f"not valid UTF-16 from byte {first_bad}, on this line (the file is cut at an odd "
            "byte or holds stray bytes); records holding them were skipped (re-export the file as UTF-8)", "bad-encoding")]
    else:
        bom = ""
    for magic, what in _MAGIC:
        if raw.startswith(magic):
            return None, "", [Problem(path, None, "", f"binary file ({what}), not a search export; "
                                      "export MEDLINE, RIS, BibTeX or CSV text", "binary")]
    head = raw[:8192]
    if b"\x00" in head or sum(b < 9 or 13 < b < 32 for b in head) > len(head) // 20:
        return None, "", [Problem(path, None, "", "binary file (control bytes), not a search export; "
                                  "export MEDLINE, RIS, BibTeX or CSV text", "binary")]
    try:
        return raw.decode("utf-8"), bom or "UTF-8", []
    except UnicodeDecodeError as err:
        first_bad = err.start
    # Valid UTF-8 multi-byte sequences before the first bad byte mean a mixed file: Latin-1 would
    # turn the good part into mojibake. Decode as UTF-8 with replacement and let the readers drop
    # the records that hold a replacement character.
    if re.search(rb"[\xc2-\xf4][\x80-\xbf]+", raw[:first_bad]) or bom:
        line = raw[:first_bad].count(b"\n") + 1
        text = raw.decode("utf-8", errors="replace")
        return text, "UTF-8 (with bytes that are not UTF-8)", [Problem(
            path, line, "", f"mixed encodings: the file is UTF-8 but byte 0x{raw[first_bad]:02x} on "
            "this line is not; records holding such bytes were skipped (re-export the file as UTF-8)",
            "bad-encoding")]
    return raw.decode("cp1252", errors="replace"), "Latin-1 (Windows-1252)", []


def sniff(text: str, suffix: str) -> str | None:
    """The format of `text`, from its first non-blank line, else from the file suffix."""
    for line in text[:65536].splitlines()[:50]:    # never split a whole 25 MB export
        s = line.strip()
        if not s:
            continue
        if re.match(r"^PMID- ", line):
            return "medline"
        if re.match(r"^(TY|PT)  - ", line):
            return "ris"
        if s.startswith("@") or s.startswith("%"):
            return "bibtex"
        if "," in s and any(c in s.casefold() for c in ("title", "pmid", "doi", "author")):
            return "csv"
        break
    return SUFFIXES.get(suffix.lower())


# -- helpers --------------------------------------------------------------------------------
_LINE_END = re.compile(r"\r\n|\r|\n")


def _lines(text: str) -> list[str]:
    """The lines of `text`, split at LF, CRLF and CR only (as editors and ``open()`` count them).

    ``str.splitlines`` also splits at form feeds, U+0085, U+2028 and other characters a title or
    an abstract can hold: the rest of such a line was lost and every later line number was off."""
    lines = text.split("\n") if "\r" not in text else _LINE_END.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def _doi(value: Any) -> str | None:
    if not value:
        return None
    text = value[0] if isinstance(value, list) else str(value)
    if text.startswith("10.") and " " not in text:      # the common case, already bare
        return text.rstrip(".,;")
    doi = normalize_doi(text)
    m = _DOI_IN_TEXT.search(doi)
    return m.group(1).rstrip(".,;") if m else None


def _year(value: Any) -> int | None:
    if type(value) is str and len(value) == 4 and value.isdigit():
        return int(value) if 1800 <= int(value) <= 2099 else None
    m = _YEAR.search(str(value or ""))
    return int(m.group(1)) if m else None


def _pmid(value: Any) -> str | None:
    text = str(value or "").strip()
    return text if _PMID.match(text) else None


def _clean(value: Any) -> str | None:
    """Text with its runs of whitespace folded to one space; None when empty."""
    if value is None:
        return None
    if type(value) is not str:
        value = " ".join(str(v) for v in value) if type(value) is list else str(value)
    if _messy(value):
        value = " ".join(value.split())
    return value.strip() or None


def _messy(text: str) -> bool:
    """Whitespace to fold: double spaces, line breaks, tabs (each a fast C scan)."""
    if "\n" in text or "\t" in text or "\r" in text:
        return True
    if len(text) < 1 << 16:
        return "  " in text
    # str's search for "  " stalls at every single space (20 MB of abstracts: ~35 ms); numpy
    # reads the UTF-8 bytes as 16-bit pairs from an even and from an odd offset and looks for
    # two spaces (0x2020; a space is byte 32 only)
    import numpy as np

    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        return "  " in text
    even = np.frombuffer(data, dtype=np.uint16, count=len(data) // 2)
    odd = np.frombuffer(data, dtype=np.uint16, count=(len(data) - 1) // 2, offset=1)
    return bool((even == 0x2020).any() or (odd == 0x2020).any())


def _clean_authors(authors: Any) -> list[str]:
    if not authors:
        return []
    if type(authors) is list:
        try:
            joined = "".join(authors)
        except TypeError:
            joined = None
        if joined is not None and not _messy(joined):   # the common case: nothing to fold
            return [a for a in map(str.strip, authors) if a]
    return [a for a in (_clean(a) for a in authors) if a]


def _clean_authors_column(values: list[Any]) -> list[list[str]]:
    """:func:`_clean_authors` of every value; lists of tidy names (the usual case) are checked
    all together."""
    if all(type(v) is list for v in values if v):
        flat = list(chain.from_iterable(v for v in values if v))
        try:
            joined = "".join(flat)
        except TypeError:
            joined = None
        if joined is not None and not _messy(joined) and "" not in flat and list(map(str.strip, flat)) == flat:
            return [v or [] for v in values]
    return [_clean_authors(v) for v in values]


def record(**fields: Any) -> dict[str, Any]:
    out = dict.fromkeys(FIELDS)
    out.update(fields)
    for f in ("title", "journal", "volume", "pages", "abstract", "database"):
        out[f] = _clean(out[f])
    out["authors"] = _clean_authors(out.get("authors"))
    return out


def _check(rec: dict, path: str, line: int, position: int, problems: list[Problem],
           suspect: bool = True) -> dict | None:
    """Position/line added; a record without a title or with unreadable bytes is dropped.
    `suspect`: the file holds replacement characters (bytes not in its encoding)."""
    if suspect and any("\ufffd" in (v if isinstance(v, str) else " ".join(v)) for v in rec.values()
                       if isinstance(v, (str, list))):
        problems.append(Problem(path, line, _record_name(rec, position), "holds bytes that are not "
                                "text in the file's encoding; skipped (re-export the file as UTF-8)",
                                "bad-encoding"))
        return None
    if not rec.get("title"):
        problems.append(Problem(path, line, _record_name(rec, position), "has no title; skipped (a "
                                "record cannot be screened without one: re-export it with titles)",
                                "no-title"))
        return None
    rec["position"], rec["line"] = position, line
    return rec


def _record_name(rec: dict, position: int) -> str:
    return f"record {position}" + (f" (PMID {rec['pmid']})" if rec.get("pmid") else "")


# -- MEDLINE --------------------------------------------------------------------------------
def _pubmed_title(title: str | None) -> str | None:
    """PubMed ends every title with a period the article does not print (MEDLINE and CSV alike)."""
    if title:
        title = title.rstrip()
        if title.endswith(".") and not title.endswith(".."):
            return title[:-1]
    return title


_TAG = re.compile(r"^([A-Z][A-Z0-9]{0,3}) {0,3}- ?(.*)$")


def read_medline(text: str, path: str) -> tuple[list[dict], list[Problem]]:
    """PubMed's MEDLINE format: 'TAG - value' lines, 6-space continuations, blank-line separated."""
    records, problems = [], []
    suspect = "\ufffd" in text
    lines = _lines(text)
    blocks: list[tuple[int, list[tuple[int, str, str]]]] = []
    current: list[tuple[int, str, str]] = []
    for i, raw in enumerate(lines, 1):
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
            problems.append(Problem(path, i, where, f"not a MEDLINE line ('TAG - value'): {raw[:40]!r}; "
                                    "ignored", "bad-line"))
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
            problems.append(Problem(path, line, f"record {position}", "is truncated (the file ends "
                                    "inside it, before its SO line); skipped: export the search again",
                                    "truncated"))
            continue
        if "PMID" not in tags and "TI" not in tags:
            problems.append(Problem(path, line, f"record {position}", "has neither PMID nor TI: not a "
                                    "MEDLINE record; skipped", "not-a-record"))
            continue
        doi = next((v[:-5].strip() for v in tags.get("AID", []) + tags.get("LID", [])
                    if v.endswith("[doi]")), None)
        title = _pubmed_title((tags.get("TI") or tags.get("BTI") or [None])[0])
        rec = record(title=title,
                     authors=tags.get("AU") or tags.get("FAU") or [],
                     journal=(tags.get("JT") or tags.get("TA") or [None])[0],
                     year=_year((tags.get("DP") or [""])[0]), volume=(tags.get("VI") or [None])[0],
                     pages=(tags.get("PG") or [None])[0], doi=_doi(doi),
                     pmid=_pmid((tags.get("PMID") or [None])[0]),
                     abstract=(tags.get("AB") or [None])[0], database="PubMed")
        kept = _check(rec, path, line, position, problems, suspect)
        if kept:
            records.append(kept)
    return records, problems


# -- RIS (rispy) ----------------------------------------------------------------------------
# Unknown tags are skipped (no field is read from them): kept, a 'UK' tag line (rispy's own key for
# unknown tags) followed by another unknown tag raised TypeError inside rispy.
@functools.cache
def _rispy_options() -> dict[str, Any]:
    """rispy's options: unknown tags skipped, and its own list tags as a frozenset (rispy asks
    `tag in list_tags` for every line; a set answers that faster than its default list, with
    the same answers: 9 % of the parse on a 20,000-record export)."""
    from rispy.config import LIST_TYPE_TAGS

    return {"skip_unknown_tags": True, "list_tags": frozenset(LIST_TYPE_TAGS)}


def read_ris(text: str, path: str) -> tuple[list[dict], list[Problem]]:
    """RIS, parsed record by record with rispy; the records' bounds are found here for line numbers."""
    import rispy

    fast = _read_ris_fast(text, path)
    if fast is not None:
        return fast, []
    parser = rispy.RisParser(**_rispy_options())
    records, problems = [], []
    chunk: list[str] = []
    start = 0
    position = 0
    stray: int | None = None
    for i, line in enumerate(_lines(text), 1):
        head = line[:5]
        if head == "TY  -":
            if chunk:
                problems.append(Problem(path, start, f"record {position}", f"has no 'ER  -' line before "
                                        f"the next record on line {i}: truncated; skipped", "truncated"))
            position += 1
            chunk, start = [line], i
        elif head == "ER  -":
            if not chunk:
                problems.append(Problem(path, i, "", "'ER  -' without a record ('TY  -') before it; "
                                        "ignored", "bad-line"))
                continue
            chunk.append(line)
            entries = parser.parse_lines(iter(chunk))
            chunk = []
            if entries:
                kept = _check(_from_ris(entries[0]), path, start, position, problems)
                if kept:
                    records.append(kept)
        elif chunk:
            chunk.append(line)
        elif line.strip() and stray is None:
            stray = i
    if chunk:
        problems.append(Problem(path, start, f"record {position}", "is truncated (the file ends before "
                                "its 'ER  -' line); skipped: export the search again", "truncated"))
    if position == 0:
        problems.append(Problem(path, stray, "", "no RIS records (no line starts with 'TY  - '); is it "
                                "another format? pass --from", "no-records"))
    return records, problems


def _ris_layout(text: str) -> list[int] | None:
    """The line number (from 1) of each TY line of a well-formed RIS file, found with one pass of
    numpy over its UTF-8 bytes; None when it is not well-formed.

    Well-formed: every TY line starts a record that an ER line closes before the next TY line
    and before the end. rispy folds a TY line met before its ER into the open record, skips a
    stray ER and drops a record the file ends inside, so this holds exactly when rispy returns
    one entry per TY line and there are as many ER lines as TY lines (checked by the caller).
    rispy also carries a record's last tag into the next record: a line after a TY line that is
    not a tag line continued the previous record's field (a KeyError when the new record lacks
    it, a stray author or title when it has it); such a file is not well-formed either."""
    import numpy as np

    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:         # lone surrogates: the careful reader copes
        return None
    a = np.frombuffer(data, dtype=np.uint8)
    n = len(a)
    if n < 5:
        return None
    starts = np.concatenate(([0], np.flatnonzero(a == 10) + 1))   # lines as rispy splits them
    # TY and ER lines: a line of at least five bytes starting with T or E, then the rest of the head
    heads = np.lib.stride_tricks.sliding_window_view(a, 5)          # heads[i] = a[i:i + 5], no copy
    lines = np.flatnonzero(starts <= n - 5)
    first = a[starts[lines]]
    lines = lines[(first == 84) | (first == 69)]
    h0, h1, h2, h3, h4 = heads[starts[lines]].T
    tag_sep = (h2 == 32) & (h3 == 32) & (h4 == 45)                     # "  -"
    ty = lines[tag_sep & (h0 == 84) & (h1 == 89)]                       # "TY"
    n_er = int(np.count_nonzero(tag_sep & (h0 == 69) & (h1 == 82)))     # "ER"
    if not len(ty) or n_er != len(ty) or ty[-1] + 1 >= len(starts):
        return None
    # the line after each TY line passes rispy's tag test: line[2:5] == "  -", line[:2].isupper(),
    # line[:1].isalpha() (for ASCII: A-Z then anything but a-z); non-ASCII heads are tested as text
    at = starts[ty + 1]
    if at.max() > n - 5:               # a TY line last, or followed by a line too short for a tag
        return None
    n0, n1, n2, n3, n4 = heads[at].T
    ascii_ok = ((n2 == 32) & (n3 == 32) & (n4 == 45) & (n0 >= 65) & (n0 <= 90)
                & ~((n1 >= 97) & (n1 <= 122)) & (n1 < 128))
    for k in np.flatnonzero(~ascii_ok).tolist():
        if n0[k] < 128 and n1[k] < 128:
            return None
        head = data[int(at[k]):int(at[k]) + 24].decode("utf-8", "ignore")[:5]
        if not (head[2:5] == "  -" and head[:2].isupper() and head[:1].isalpha()):
            return None
    return (ty + 1).tolist()


def _read_ris_fast(text: str, path: str) -> list[dict] | None:
    """A well-formed file (see :func:`_ris_layout`; nothing unreadable) parsed by rispy in one
    call; None sends the file to the record-by-record reader, which reports what is wrong."""
    import rispy

    if "\ufffd" in text or ("\r" in text and text.count("\r") != text.count("\r\n")):
        return None            # unreadable bytes, or lone CRs (line ends rispy does not split at)
    # the layout (numpy, which lets go of the GIL) is checked on a second thread while rispy parses
    found: list[Any] = []

    def layout_of_text() -> None:
        try:
            found.append(_ris_layout(text))
        except Exception:  # noqa: BLE001 - no layout: the record-by-record reader reports what is wrong
            found.append(None)

    worker = threading.Thread(target=layout_of_text, name="ris-layout", daemon=True)
    worker.start()
    try:
        entries = rispy.loads(text, **_rispy_options())
    except Exception:  # noqa: BLE001 - a file rispy cannot parse whole goes record by record
        entries = None
    finally:
        worker.join()
    lines = found[0] if found else None
    if lines is None or entries is None:
        return None
    if len(entries) != len(lines):
        return None
    records = _from_ris_all(entries, {"position": range(1, len(lines) + 1), "line": lines})
    if not all(r["title"] for r in records):     # the careful reader says which record has no title
        return None
    return records


def _clean_column(values: list[Any]) -> list[str | None]:
    """:func:`_clean` of every value; a column of plain, tidy strings (the usual case: rispy
    strips what it reads) is checked with a few C scans and returned as it is."""
    strings = list(filter(None, values))
    try:
        joined = "".join(strings)
    except TypeError:
        joined = None
    if joined is None or _messy(joined):
        return [_clean(v) for v in values]
    if list(map(str.strip, strings)) == strings and "" not in values:
        return values
    return [(v.strip() or None) if v else None for v in values]


_PUBMED_DB = re.compile(r"pubmed|medline", re.I)


def _from_ris_all(entries: list[dict[str, Any]], extra: dict[str, Sequence[Any]] | None = None
                  ) -> list[dict[str, Any]]:
    """rispy entries → records (the fields of :func:`record`, then the `extra` columns), built
    column by column: an export of tens of thousands of records is converted in a few list
    passes, not field by field."""
    g = [e.get for e in entries]
    dbs = [get("name_of_database") or get("database_provider") for get in g]
    pubmed = _pubmed_flags(dbs)
    pmids = [_ris_pmid(get, pub) if pub or get("notes") or get("note") else None
             for get, pub in zip(g, pubmed)]
    pages = []
    for get in g:
        sp, ep = get("start_page"), get("end_page")
        pages.append(f"{sp}-{ep}" if sp and ep and ep != sp else (sp or None))
    columns = {
        "title": _clean_column([get("title") or get("primary_title") or get("translated_title") for get in g]),
        "authors": _clean_authors_column([get("authors") or get("first_authors") for get in g]),
        "journal": _clean_column([get("secondary_title") or get("journal_name") or get("alternate_title3")
                                  or get("alternate_title1") or get("alternate_title2") for get in g]),
        "year": _years([get("year") or get("publication_year") or get("date") for get in g]),
        "volume": _clean_column([get("volume") for get in g]),
        "pages": _clean_column(pages),
        "doi": [d.rstrip(".,;") if type(d) is str and d.startswith("10.") and " " not in d else _doi(d)
                for d in [get("doi") for get in g]],      # the common case of _doi inline
        "pmid": pmids,
        "abstract": _clean_column([get("abstract") or get("notes_abstract") for get in g]),
        "database": _clean_column(dbs),
    }
    if extra is None:
        return [dict(zip(FIELDS, row)) for row in zip(*(columns[f] for f in FIELDS))]
    if set(extra) == {"position", "line"}:
        # the one-call reader's case, written out: a dict display builds a record about twice as
        # fast as dict(zip()) (20,000 records: 10 ms instead of 20); the careful reader's records
        # must compare equal to these (tests/test_fuzz_import.py), so the keys cannot drift
        c = columns
        return [{"title": ti, "authors": au, "journal": jo, "year": ye, "volume": vo, "pages": pa,
                 "doi": do, "pmid": pm, "abstract": ab, "database": db, "position": po, "line": li}
                for ti, au, jo, ye, vo, pa, do, pm, ab, db, po, li in zip(
                    c["title"], c["authors"], c["journal"], c["year"], c["volume"], c["pages"], c["doi"],
                    c["pmid"], c["abstract"], c["database"], extra["position"], extra["line"])]
    names = [*FIELDS, *extra]
    columns.update(extra)
    return [dict(zip(names, row)) for row in zip(*(columns[f] for f in names))]


def _pubmed_flags(dbs: list[Any]) -> list[bool]:
    """Whether each database name is PubMed or MEDLINE (each distinct name searched once)."""
    seen: dict[Any, bool] = {}
    out = []
    for db in dbs:
        try:
            flag = seen[db]
        except KeyError:
            flag = seen[db] = bool(db) and bool(_PUBMED_DB.search(str(db)))
        except TypeError:          # a list (the tag repeated)
            flag = bool(db) and bool(_PUBMED_DB.search(str(db)))
        out.append(flag)
    return out


def _years(values: list[Any]) -> list[int | None]:
    """:func:`_year` of every value (each distinct value read once)."""
    seen: dict[Any, int | None] = {}
    out = []
    for v in values:
        try:
            year = seen[v]
        except KeyError:
            year = seen[v] = _year(v)
        except TypeError:
            year = _year(v)
        out.append(year)
    return out


def _from_ris(e: dict[str, Any]) -> dict[str, Any]:
    """One rispy entry → one record."""
    return _from_ris_all([e])[0]


def _ris_pmid(get: Callable[[str], Any], pubmed: bool) -> str | None:
    """A PubMed/MEDLINE record's accession number, else 'PMID: n' in its notes."""
    if pubmed:
        pmid = _pmid(get("accession_number"))
        if pmid:
            return pmid
    for note in (*(get("notes") or ()), get("note")):
        m = _PMID_IN_TEXT.search(str(note)) if note else None
        if m:
            return m.group(1)
    return None


# -- BibTeX (bibtexparser 2) ----------------------------------------------------------------
def read_bibtex(text: str, path: str) -> tuple[list[dict], list[Problem]]:
    import logging

    import bibtexparser
    from bibtexparser import middlewares as mw

    logger = logging.getLogger("bibtexparser")
    level, logger.level = logger.level, logging.CRITICAL  # failures are reported as problems
    try:
        lib = bibtexparser.parse_string(text, append_middleware=[_bibtex_text_decoding()(),
                                                                 mw.SeparateCoAuthors()])
    finally:
        logger.setLevel(level)
    blocks = sorted([(e.start_line or 0, "entry", e) for e in lib.entries]
                    + [(b.start_line or 0, "failed", b) for b in lib.failed_blocks],
                    key=lambda t: t[0])
    records, problems = [], []
    for position, (start, kind, block) in enumerate(blocks, 1):
        line = start + 1
        if kind == "failed":
            key = re.match(r"@\w+\s*[{(]\s*([^,\s]+)", block.raw or "")
            name = f"record {position}" + (f" ({key.group(1)})" if key else "")
            why = (getattr(block.error, "abort_reason", None) or str(block.error or "")).strip()
            why = why.split("\n")[0].rstrip(". ") or "unbalanced braces or a missing comma"
            problems.append(Problem(path, line, name, f"BibTeX syntax error ({why}); skipped: check the "
                                    "braces and commas of this entry", "bibtex-syntax"))
            continue
        f = {fld.key.lower(): fld.value for fld in block.fields}
        for key in _BIBTEX_VERBATIM.intersection(f):
            f[key] = _verbatim(f[key])
        authors = f.get("author") or []
        if isinstance(authors, str):
            authors = [a.strip() for a in authors.split(" and ")]
        pmid = _pmid(f.get("pmid"))
        if pmid is None and f.get("note"):
            m = _PMID_IN_TEXT.search(str(f["note"]))
            pmid = m.group(1) if m else None
        rec = record(title=_unbrace(f.get("title")), authors=[_unbrace(a) for a in authors],
                     journal=_unbrace(f.get("journal") or f.get("journaltitle") or f.get("booktitle")),
                     year=_year(f.get("year") or f.get("date")), volume=f.get("volume"),
                     pages=(f.get("pages") or "").replace("--", "-") or None, doi=_doi(f.get("doi")),
                     pmid=pmid, abstract=_unbrace(f.get("abstract")), database=None)
        name = f"record {position} ({block.key})"
        before = len(problems)
        kept = _check(rec, path, line, position, problems)
        if kept is None and len(problems) > before:
            p = problems[-1]
            problems[-1] = Problem(p.path, p.line, name, p.message, p.code)
        elif kept:
            records.append(kept)
    if not blocks:
        problems.append(Problem(path, None, "", "no BibTeX entries (no '@type{key, ...}'); is it another "
                                "format? pass --from", "no-records"))
    return records, problems


def _unbrace(value: Any) -> Any:
    return value.replace("{", "").replace("}", "") if isinstance(value, str) else value


# Fields read as written, not as LaTeX: identifiers and page ranges. Decoded, '--' in a page range
# or a DOI became an en dash and '~' in a DOI a no-break space. Only braces and backslash escapes
# (10.1000/a\_b) are removed.
_BIBTEX_VERBATIM = frozenset({"doi", "pmid", "pages", "url", "eprint"})


def _verbatim(value: Any) -> Any:
    return re.sub(r"\\([_%&#$~])", r"\1", _unbrace(value)).strip() if isinstance(value, str) else value


@functools.cache
def _bibtex_text_decoding() -> type:
    """bibtexparser's LaTeX decoding, for every field but those in :data:`_BIBTEX_VERBATIM`."""
    from bibtexparser import middlewares as mw

    class TextDecoding(mw.LatexDecodingMiddleware):
        def transform_entry(self, entry, library):
            fields = entry.fields
            entry.fields = [f for f in fields if f.key.lower() not in _BIBTEX_VERBATIM]
            try:
                return super().transform_entry(entry, library)
            finally:
                entry.fields = fields

    return TextDecoding


# -- CSV ------------------------------------------------------------------------------------
# A layout is recognised when its signature columns are all present (case-insensitive).
CSV_LAYOUTS: dict[str, dict[str, Any]] = {
    "pubmed": {
        "signature": ("PMID", "Title", "Authors", "Citation"),
        "columns": {"title": "Title", "authors": "Authors", "journal": "Journal/Book",
                    "year": "Publication Year", "doi": "DOI", "pmid": "PMID"},
        "authors_sep": ",", "database": "PubMed", "pubmed_titles": True,
    },
    "zotero": {
        "signature": ("Key", "Item Type", "Publication Title"),
        "columns": {"title": "Title", "authors": "Author", "journal": "Publication Title",
                    "year": "Publication Year", "volume": "Volume", "pages": "Pages", "doi": "DOI",
                    "abstract": "Abstract Note", "pmid": "Extra"},
        "authors_sep": ";", "database": None,
    },
    "generic": {
        "signature": ("Title",),
        "columns": {"title": "Title", "authors": "Authors", "journal": "Journal", "year": "Year",
                    "volume": "Volume", "pages": "Pages", "doi": "DOI", "pmid": "PMID",
                    "abstract": "Abstract", "database": "Database"},
        "authors_sep": ";", "database": None,
    },
}
_CITATION = re.compile(r";\s*(?P<volume>[^():;\s]+)(?:\([^)]*\))?:(?P<pages>[^.;\s]+)")


def csv_layout(header: list[str]) -> str | None:
    cols = {h.strip().casefold() for h in header}
    for name, layout in CSV_LAYOUTS.items():
        if all(s.casefold() in cols for s in layout["signature"]):
            return name
    return None


class _Dialect(csv.excel):
    skipinitialspace = True     # 'a, "b, c"' is two fields


def _csv_dialect(text: str) -> Any:
    """The header line decides the delimiter: the one of comma, semicolon and tab whose columns
    form a known layout (the most columns wins). csv.Sniffer, which guesses from the first 4 KB,
    was misled by one cut-off or junk row (and then no record was read) and takes a title in
    single quotes for quoting; it is asked only when no delimiter gives a known layout."""
    first = _LINE_END.split(text[:65536], 1)[0]
    best: tuple[int, str] | None = None
    for delimiter in (",", ";", "\t"):
        try:
            header = next(csv.reader([first], _Dialect, delimiter=delimiter), [])
        except csv.Error:
            continue
        if csv_layout(header) is not None and (best is None or len(header) > best[0]):
            best = (len(header), delimiter)
    if best is not None:
        return type("Dialect", (_Dialect,), {"delimiter": best[1]})
    try:
        return csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        return csv.excel


def read_csv(text: str, path: str) -> tuple[list[dict], list[Problem]]:
    records, problems = [], []
    reader = csv.reader(io.StringIO(text, newline=""), _csv_dialect(text))
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        return [], [Problem(path, 1, "", "no CSV header row", "no-records")]
    name = csv_layout(header)
    if name is None:
        return [], [Problem(path, 1, "", f"unknown CSV layout (columns: {', '.join(header[:8])}); "
                            "expected PubMed's (PMID, Title, Authors, Citation, ...) or Zotero's "
                            "(Key, Item Type, Title, Publication Title, ...) or at least a Title column",
                            "csv-layout")]
    layout = CSV_LAYOUTS[name]
    index = {h.strip().casefold(): i for i, h in enumerate(header)}
    cols = {f: index.get(c.casefold()) for f, c in layout["columns"].items()}
    cit = index.get("citation")
    position = 0
    line = reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as err:
            position += 1
            problems.append(Problem(path, line, f"record {position}", f"CSV error ({err}); skipped",
                                    "csv-syntax"))
            line = reader.line_num + 1
            continue
        if not any(c.strip() for c in row):
            line = reader.line_num + 1
            continue
        position += 1

        def get(field: str, row: list[str] = row) -> str | None:
            i = cols.get(field)
            return row[i] if i is not None and i < len(row) and row[i].strip() else None

        authors = [a.strip().rstrip(".") for a in (get("authors") or "").split(layout["authors_sep"])]
        pmid_text = get("pmid")
        pmid = _pmid(pmid_text)
        if pmid is None and pmid_text:
            m = _PMID_IN_TEXT.search(pmid_text)
            pmid = m.group(1) if m else None
        volume, pages = get("volume"), get("pages")
        if cit is not None and cit < len(row) and not (volume and pages):
            m = _CITATION.search(row[cit])
            if m:
                volume, pages = volume or m.group("volume"), pages or m.group("pages")
        title = get("title")
        if layout.get("pubmed_titles"):
            title = _pubmed_title(title)
        rec = record(title=title, authors=authors, journal=get("journal"), year=_year(get("year")),
                     volume=volume, pages=pages, doi=_doi(get("doi")), pmid=pmid,
                     abstract=get("abstract"), database=get("database") or layout["database"])
        if len(row) < len(header):
            problems.append(Problem(path, line, f"record {position}", f"has {len(row)} of {len(header)} "
                                    "columns: truncated; skipped", "truncated"))
        else:
            kept = _check(rec, path, line, position, problems)
            if kept:
                records.append(kept)
        line = reader.line_num + 1
    if position == 0:
        problems.append(Problem(path, 1, "", "the CSV has a header but no records", "no-records"))
    return records, problems


READERS: dict[str, Callable[[str, str], tuple[list[dict], list[Problem]]]] = {
    "medline": read_medline, "ris": read_ris, "bibtex": read_bibtex, "csv": read_csv}

