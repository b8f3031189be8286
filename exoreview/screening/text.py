"""Search exports as text: the bytes decoded, the format sniffed, the lines split.

Encodings: UTF-8, UTF-8 with a byte-order mark, UTF-16 with a byte-order mark; any other encoding
is guessed (by charset-normalizer when it is installed, else the first of GBK, Big5, Shift-JIS and
Windows-1252 that decodes the file) and the guess is reported as a warning, never silently. A file that is not text (a PDF, a spreadsheet, an image) or is
empty is a :class:`~exoreview.errors.Problem`, never an exception.
"""

from __future__ import annotations

import re

from ..errors import Problem

try:
    # optional: installed with most scientific stacks; without it the candidates below are tried
    from charset_normalizer import from_bytes
except ImportError:  # pragma: no cover - depends on the environment
    from_bytes = None  # type: ignore[assignment]

FORMATS = ("medline", "ris", "bibtex", "csv", "wos", "endnote")
FORMAT_NAMES = {
    "medline": "MEDLINE",
    "ris": "RIS",
    "bibtex": "BibTeX",
    "csv": "CSV",
    "wos": "Web of Science tagged",
    "endnote": "EndNote tagged",
}
SUFFIXES = {
    ".nbib": "medline",
    ".medline": "medline",
    ".ris": "ris",
    ".bib": "bibtex",
    ".bibtex": "bibtex",
    ".csv": "csv",
    ".tsv": "csv",
    ".tab": "csv",
    ".ciw": "wos",
    ".isi": "wos",
    ".enw": "endnote",
}
_CJK = frozenset(
    {
        "gb18030",
        "gb2312",
        "gbk",
        "big5",
        "big5hkscs",
        "cp949",
        "euc_kr",
        "johab",
        "cp932",
        "shift_jis",
        "euc_jp",
        "euc_jis_2004",
        "iso2022_jp",
    }
)
# single-byte encodings of scripts Windows-1252 cannot show: a guess of one is kept
_OTHER_SCRIPTS = frozenset(
    {
        "cp1251",
        "koi8_r",
        "koi8_u",
        "iso8859_5",
        "mac_cyrillic",
        "cp866",
        "cp1253",
        "iso8859_7",
        "cp1255",
        "iso8859_8",
        "cp1256",
        "iso8859_6",
        "cp874",
        "tis_620",
    }
)
_NEAR = 0.1  # charset-normalizer's chaos (0 to 1): readings this close are equally likely
# tried in order when charset-normalizer is not installed: the encodings exports come in
_CANDIDATES = (("gbk", "GBK"), ("big5", "Big5"), ("shift_jis", "Shift-JIS"), ("cp1252", "Windows-1252"))

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
                        f"binary file ({what}), not a search export; export the search again as "
                        "MEDLINE, RIS, BibTeX, CSV/TSV, Web of Science or EndNote text",
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
                    "export the search again as MEDLINE, RIS, BibTeX, CSV/TSV, Web of Science or EndNote text",
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
    return _guess(raw, path)


def _pairs(raw: bytes, text: str) -> bool:
    """Whether a CJK reading takes the file's bytes above ASCII two at a time, as CJK text is
    written (an ideograph, kana or hangul is two bytes); a Latin file's accented letters stand
    alone between ASCII letters and a CJK reading takes them one at a time (half-width kana)."""
    high = sum(b >= 0x80 for b in raw[:200_000])
    wide = sum(ord(c) >= 0x80 for c in text)
    return wide > 0 and high / wide >= 1.8


def _guess(raw: bytes, path: str) -> tuple[str, str, list[Problem]]:
    """A file that is not UTF-8: its encoding guessed, and the guess reported.

    charset-normalizer's guess is taken when it reads the file as CJK text or as a script
    Windows-1252 cannot show (Cyrillic, Greek, ...) with some confidence; any other guess (a
    Latin neighbour such as CP1250, or EBCDIC for a few stray bytes) gives way to Windows-1252,
    which Western exporters on Windows write, when that decodes the file."""
    how = "charset-normalizer's guess"
    name = codec = None
    others: list[str] = []
    if from_bytes is not None:
        matches = list(from_bytes(raw[:200_000]))
        if matches:
            best = matches[0]
            near = [m for m in matches if m.chaos <= best.chaos + _NEAR]
            # a short CJK file reads as several CJK encodings; the Chinese databases (CNKI, Wanfang,
            # CQVIP) export GBK, Korean and Japanese ones mostly UTF-8: among near-equal readings
            # GB18030 (GBK's superset) is taken, and the others are named in the warning
            if best.encoding in _CJK:
                best = next((m for m in near if m.encoding == "gb18030"), best)
            if (best.encoding in _CJK and _pairs(raw, str(best))) or (
                best.encoding in _OTHER_SCRIPTS and best.coherence >= 0.2
            ):
                codec = best.encoding
                name = codec.replace("_", "-").upper()
                others = [m.encoding.replace("_", "-").upper() for m in near if m is not best][:3]
    text = ""
    if codec is not None:
        try:
            text = raw.decode(codec)
        except (UnicodeDecodeError, LookupError):
            codec = None
    if codec is None:
        how = (
            "no other script found in it"
            if from_bytes is not None
            else "the first of GBK, Big5, Shift-JIS and Windows-1252 that decodes it"
        )
        for candidate, label in _CANDIDATES if from_bytes is None else _CANDIDATES[-1:]:
            try:
                text = raw.decode(candidate)
            except UnicodeDecodeError:
                continue
            codec, name = candidate, label
            break
        else:
            codec, name = "cp1252", "Windows-1252"
            text = raw.decode(codec, errors="replace")
    shown = f"{name} (guessed)"
    if others:
        how += f"; it also reads as {', '.join(others)}"
    return (
        text,
        shown,
        [
            Problem(
                path,
                None,
                "",
                f"not UTF-8: read as {name} ({how}); check the titles read, or re-export the file as UTF-8",
                "encoding-guessed",
            )
        ],
    )


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
        if re.match(r"^(FN |VR |PT [A-Z]\b)", line):  # 'FN Clarivate Analytics Web of Science', 'PT J'
            return "wos"
        if re.match(r"^%[0-9A-Z] \S", line):  # '%0 Journal Article', '%T title' (a BibTeX comment is '% ...')
            return "endnote"
        if s.startswith("@") or s.startswith("%"):
            return "bibtex"
        if ("," in s or "\t" in s or ";" in s) and any(
            c in s.casefold() for c in ("title", "pmid", "doi", "author")
        ):
            return "csv"
        break
    return SUFFIXES.get(suffix.lower())


def other_format(text: str, suffix: str, tried: str) -> str:
    """What to do with a file the `tried` reader found no records in: the --from value that reads
    it when its first line is another format's, else how to get a readable export."""
    found = sniff(text, suffix)
    if found and found != tried:
        return f"its first line is {FORMAT_NAMES[found]}: pass --from {found}"
    return "export the search again as MEDLINE, RIS, BibTeX, CSV/TSV, Web of Science or EndNote tagged text"


def lines(text: str) -> list[str]:
    """The lines of `text`, split at LF, CRLF and CR only (as editors and ``open()`` count them).

    ``str.splitlines`` also splits at form feeds, U+0085, U+2028 and other characters a title or
    an abstract can hold: the rest of such a line was lost and every later line number was off."""
    out = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if out and out[-1] == "":
        out.pop()
    return out
