"""Tagged exports other than MEDLINE and RIS: Web of Science's field-tagged export (``.txt`` /
``.ciw``: 'FN Clarivate Analytics Web of Science', 'PT J', two-letter tags, three-space
continuation lines, a record ending at 'ER') and EndNote's tagged export (``.enw`` / ``.txt``:
'%0 Journal Article', '%T title', records separated by a blank line).

No maintained PyPI package reads these with line numbers (metaknowledge, which reads Web of
Science, has had no release since 2019), so the two small parsers are written here.
"""

from __future__ import annotations

import re

from ..errors import Problem
from .fields import check, doi_of, pmid_of, record
from .text import lines

_WOS_TAG = re.compile(r"^([A-Z][A-Z0-9]) (.*)$")
_ENDNOTE_TAG = re.compile(r"^%([0-9A-Z@!#$&()*+^~\]\[><?|=])\s?(.*)$")
_PUBMED = re.compile(r"pubmed|medline", re.I)


def _first(tags: dict[str, list[str]], *names: str) -> str | None:
    for name in names:
        if tags.get(name):
            return tags[name][0]
    return None


def read_wos(text: str, path: str) -> tuple[list[dict], list[Problem]]:
    """(records, problems): one record a 'PT' … 'ER' block of a Web of Science tagged export."""
    records: list[dict] = []
    problems: list[Problem] = []
    suspect = "\ufffd" in text
    tags: dict[str, list[str]] = {}
    last: str | None = None
    start = position = 0
    for i, line in enumerate(lines(text), 1):
        if not line.strip():
            continue
        if line.startswith("   ") and last is not None and tags:
            # AU, AF, CR, C1 continue with one value a line; the others continue the text
            if last in ("AU", "AF", "CR", "C1", "BE", "CA"):
                tags[last].append(line.strip())
            else:
                tags[last][-1] += " " + line.strip()
            continue
        tag, value = (line.strip(), "") if len(line.strip()) == 2 else (line[:2], line[3:])
        if tag in ("FN", "VR", "EF") and not tags:
            continue
        if tag == "ER":
            if tags:
                records_append(_from_wos(tags), path, start, position, problems, records, suspect)
            else:
                problems.append(
                    Problem(path, i, "", "'ER' without a record ('PT') before it; ignored", "bad-line")
                )
            tags, last = {}, None
            continue
        if not _WOS_TAG.match(line) and len(line.strip()) != 2:
            problems.append(
                Problem(
                    path,
                    i,
                    f"record {position}" if tags else "",
                    f"not a Web of Science line ('TG value'): {line[:40]!r}; ignored",
                    "bad-line",
                )
            )
            continue
        if not tags:
            position += 1
            start = i
        tags.setdefault(tag, []).append(value.strip())
        last = tag
    if tags:
        problems.append(
            Problem(
                path,
                start,
                f"record {position}",
                "is truncated (the file ends before its 'ER' line); skipped: export the search again",
                "truncated",
            )
        )
    if position == 0:
        problems.append(
            Problem(
                path,
                None,
                "",
                "no Web of Science records (no 'PT' line); export with 'Plain text file' / 'Other file formats'",
                "no-records",
            )
        )
    return records, problems


def _from_wos(tags: dict[str, list[str]]) -> dict:
    first, last = _first(tags, "BP"), _first(tags, "EP")
    return record(
        title=_first(tags, "TI"),
        authors=tags.get("AU") or tags.get("AF") or [],
        journal=_first(tags, "SO", "J9"),
        year=_first(tags, "PY", "EA", "PD"),
        volume=_first(tags, "VL"),
        pages=f"{first}-{last}" if first and last and last != first else (first or _first(tags, "AR")),
        doi=doi_of(_first(tags, "DI", "D2")),
        pmid=pmid_of(_first(tags, "PM")),
        abstract=_first(tags, "AB"),
        database="Web of Science",
    )


def records_append(
    rec: dict,
    path: str,
    line: int,
    position: int,
    problems: list[Problem],
    records: list[dict],
    suspect: bool,
) -> None:
    kept = check(rec, path, line, position, problems, suspect)
    if kept:
        records.append(kept)


def read_endnote(text: str, path: str) -> tuple[list[dict], list[Problem]]:
    """(records, problems): one record a block of '%X value' lines, ended by a blank line or the
    next '%0' line (EndNote starts a record with '%0 type'; some exports put '%T' first)."""
    records: list[dict] = []
    problems: list[Problem] = []
    suspect = "\ufffd" in text
    tags: dict[str, list[str]] = {}
    last: str | None = None
    start = position = 0

    def flush() -> None:
        if tags:
            records_append(_from_endnote(tags), path, start, position, problems, records, suspect)

    for i, line in enumerate(lines(text), 1):
        if not line.strip():
            flush()
            tags, last = {}, None
            continue
        m = _ENDNOTE_TAG.match(line)
        if not m:
            if last is not None and tags:  # a value that runs over lines (an abstract)
                tags[last][-1] += " " + line.strip()
            else:
                problems.append(
                    Problem(
                        path, i, "", f"not an EndNote line ('%T value'): {line[:40]!r}; ignored", "bad-line"
                    )
                )
            continue
        tag, value = m.group(1), m.group(2).strip()
        if tag == "0" and "0" in tags:  # the next record, without a blank line before it
            flush()
            tags = {}
        if not tags:
            position, start = position + 1, i
        tags.setdefault(tag, []).append(value)
        last = tag
    flush()
    if position == 0:
        problems.append(
            Problem(
                path,
                None,
                "",
                "no EndNote records (no '%0 type' or '%T title' lines); export as 'EndNote Export'",
                "no-records",
            )
        )
    return records, problems


def _from_endnote(tags: dict[str, list[str]]) -> dict:
    database = _first(tags, "~", "W")
    accession = _first(tags, "M")
    pmid = pmid_of(accession) if accession and (database is None or _PUBMED.search(database)) else None
    return record(
        title=_first(tags, "T", "!"),
        authors=tags.get("A") or tags.get("E") or [],
        journal=_first(tags, "J", "B"),
        year=_first(tags, "D", "8"),
        volume=_first(tags, "V"),
        pages=_first(tags, "P"),
        doi=doi_of(_first(tags, "R")),
        pmid=pmid,
        abstract=_first(tags, "X"),
        database=database,
    )
