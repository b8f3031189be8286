"""Search exports as text: the bytes decoded, the format sniffed, the lines split.

Encodings: UTF-8, UTF-8 with a byte-order mark, UTF-16 with a byte-order mark, and Latin-1 (read
as Windows-1252, its superset). A file that is not text (a PDF, a spreadsheet, an image) or is
empty is a :class:`~exoreview.errors.Problem`, never an exception.
"""

from __future__ import annotations

import re

from ..errors import Problem

FORMATS = ("medline", "ris", "bibtex", "csv")
SUFFIXES = {
    ".nbib": "medline",
    ".medline": "medline",
    ".ris": "ris",
    ".bib": "bibtex",
    ".bibtex": "bibtex",
    ".csv": "csv",
}

_MAGIC = (
    (b"%PDF", "a PDF"),
    (b"PK\x03\x04", "a ZIP archive (an .xlsx or .docx?)"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"\xd0\xcf\x11\xe0", "an old Office file (.xls or .doc?)"),
    (b"\x1f\x8b", "a gzip archive"),
)
LINE_END = re.compile(r"\r\n|\r|\n")


def decode(raw: bytes, path: str) -> tuple[str | None, str, list[Problem]]:
    """(text, encoding name, problems). Text is None when the file cannot be read as text."""
    if not raw.strip():
        return (
            None,
            "",
            [Problem(path, None, "", "the file is empty: no records; export the search again", "empty-file")],
        )
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
        line = len(LINE_END.findall(good)) + 1
        return (
            raw.decode("utf-16", errors="replace"),
            "UTF-16 (with bytes that are not UTF-16)",
            [
                Problem(
                    path,
                    line,
                    "",
                    f"not valid UTF-16 from byte {first_bad}, on this line (the file is cut at an odd "
                    "byte or holds stray bytes); records holding them were skipped (re-export the file as UTF-8)",
                    "bad-encoding",
                )
            ],
        )
    else:
        bom = ""
    for magic, what in _MAGIC:
        if raw.startswith(magic):
            return (
                None,
                "",
                [
                    Problem(
                        path,
                        None,
                        "",
                        f"binary file ({what}), not a search export; export MEDLINE, RIS, BibTeX or CSV text",
                        "binary",
                    )
                ],
            )
    head = raw[:8192]
    if b"\x00" in head or sum(b < 9 or 13 < b < 32 for b in head) > len(head) // 20:
        return (
            None,
            "",
            [
                Problem(
                    path,
                    None,
                    "",
                    "binary file (control bytes), not a search export; "
                    "export MEDLINE, RIS, BibTeX or CSV text",
                    "binary",
                )
            ],
        )
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
        return (
            text,
            "UTF-8 (with bytes that are not UTF-8)",
            [
                Problem(
                    path,
                    line,
                    "",
                    f"mixed encodings: the file is UTF-8 but byte 0x{raw[first_bad]:02x} on "
                    "this line is not; records holding such bytes were skipped (re-export the file as UTF-8)",
                    "bad-encoding",
                )
            ],
        )
    return raw.decode("cp1252", errors="replace"), "Latin-1 (Windows-1252)", []


def sniff(text: str, suffix: str) -> str | None:
    """The format of `text`, from its first non-blank line, else from the file suffix."""
    for line in text[:65536].splitlines()[:50]:  # the head only: never split a whole 25 MB export
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


def lines(text: str) -> list[str]:
    """The lines of `text`, split at LF, CRLF and CR only (as editors and ``open()`` count them).

    ``str.splitlines`` also splits at form feeds, U+0085, U+2028 and other characters a title or
    an abstract can hold: the rest of such a line was lost and every later line number was off."""
    out = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if out and out[-1] == "":
        out.pop()
    return out
