"""References: finding a text's reference list, parsing each entry (Vancouver, AMA, APA-like), and
matching it to the evidence (DOI, then PMID, then fuzzy title) to say whether it is verified,
differs in its metadata (each difference listed), is off-topic or is not found. Used by the text
audit and by claim grading (a claim file's cited references). Rules are tables in
:mod:`exoreview.appraisal.audit_rules`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd
from rapidfuzz import fuzz, process

from ..core.evidence import Evidence
from ..core.vocab import normalize
from . import audit_rules
from .scope import tag_scope, title_topic


@dataclass(frozen=True)
class Reference:
    """One entry of a reference list, parsed as far as it goes."""

    label: str
    text: str
    authors: tuple[str, ...] = ()
    title: str | None = None
    journal: str | None = None
    year: int | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    doi: str | None = None
    pmid: str | None = None

    @property
    def first_author(self) -> str | None:
        return self.authors[0] if self.authors else None


@dataclass(frozen=True)
class ReferenceFinding:
    label: str
    text: str
    status: str  # verified | metadata-mismatch | off-topic | not-found
    study: str | None
    differences: tuple[str, ...]
    reference: Reference | None = None
    title_scope: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "text": self.text,
            "status": self.status,
            "study": self.study,
            "differences": list(self.differences),
        }


def clean_text(text: str) -> str:
    """The text on one line: non-breaking spaces and runs of white space as single spaces."""
    return " ".join(text.replace("\u00a0", " ").split())


def parse_reference(text: str, label: str = "") -> Reference:
    """Parse one reference entry (Vancouver / AMA / APA-like); fields it cannot read stay None."""
    text = clean_text(text)
    body = audit_rules.NUMBERED_ENTRY.sub("", text, count=1)
    doi = audit_rules.DOI.search(body)
    pmid = audit_rules.PMID.search(body)
    doi_s = doi.group(1).rstrip(".,;)") if doi else None
    core = body[: doi.start()] if doi else body
    core = re.sub(r"\b(?:doi|https?)\s*:?\s*$", "", core, flags=re.I).strip()
    core = audit_rules.PMID.sub("", core).strip()
    fields: dict[str, Any] = {}
    # APA: Authors (2019). Title. Journal, 20(15), 3751.
    apa = re.match(r"^(?P<authors>.+?)\s*\((?P<year>(?:19|20)\d{2})[a-z]?\)\.?\s*(?P<rest>.*)$", core)
    vanc = re.search(
        r"(?P<year>(?:19|20)\d{2})(?:\s+[A-Z][a-z]{2}(?:\s+\d{1,2})?)?\s*;\s*(?P<volume>[\w-]+)?"
        r"\s*(?:\((?P<issue>[^)]+)\))?\s*:\s*(?P<pages>[A-Za-z]?\d+(?:\s*[-–]\s*[A-Za-z]?\d+)?)",
        core,
    )
    if apa and not vanc:
        fields["authors"] = _apa_authors(apa.group("authors"))
        fields["year"] = int(apa.group("year"))
        rest = apa.group("rest")
        parts = [p.strip() for p in re.split(r"(?<=[.?!])\s+", rest) if p.strip()]
        if parts:
            fields["title"] = parts[0].rstrip(".")
        if len(parts) > 1:
            # the journal ends at the comma before the volume: 'Clinical, Cosmetic and Investigational
            # Dermatology, 17, 1603-1612' (its first comma ended it); without a volume, at the first comma
            m = re.match(
                r"^(?P<journal>.+?),\s*(?P<volume>\d[\w-]*)\s*(?:\((?P<issue>[^)]+)\))?(?:,\s*"
                r"(?P<pages>[A-Za-z]?\d+(?:\s*[-–]\s*[A-Za-z]?\d+)?)(?:\s*,\s*[A-Za-z]?\d+"
                r"(?:\s*[-–]\s*[A-Za-z]?\d+)?)*)?\.?$",
                parts[1],
            ) or re.match(
                r"^(?P<journal>[^,]+),\s*(?P<volume>\w+)?\s*(?:\((?P<issue>[^)]+)\))?,?\s*"
                r"(?P<pages>[A-Za-z]?\d+(?:\s*[-–]\s*[A-Za-z]?\d+)?)?",
                parts[1],
            )
            if m:
                fields.update({k: v for k, v in m.groupdict().items() if v})
                fields["journal"] = fields.get("journal", "").strip().rstrip(".") or None
    else:
        head = core[: vanc.start()] if vanc else core
        if vanc:
            fields.update(
                year=int(vanc.group("year")),
                volume=vanc.group("volume"),
                issue=vanc.group("issue"),
                pages=re.sub(r"\s+", "", vanc.group("pages")),
            )
        else:
            y = audit_rules.YEAR.search(core)
            if y:
                fields["year"] = int(y.group(1))
                head = core[: y.start()]
        segments = [s.strip() for s in re.split(r"\.\s+", head.strip().rstrip(".")) if s.strip()]
        if segments and _looks_like_authors(segments[0]):
            fields["authors"] = _vancouver_authors(segments.pop(0))
        if len(segments) >= 2:
            fields["journal"] = segments[-1].strip().rstrip(".")
            fields["title"] = ". ".join(segments[:-1]).strip()
        elif segments:
            fields["title"] = segments[0]
    fields.setdefault("authors", ())
    for k in ("title", "journal", "volume", "issue", "pages"):  # a field read as '' was not read
        if isinstance(fields.get(k), str):
            fields[k] = fields[k].strip() or None
    return Reference(
        label=label,
        text=text,
        authors=tuple(fields["authors"]),
        title=fields.get("title"),
        journal=fields.get("journal"),
        year=fields.get("year"),
        volume=fields.get("volume"),
        issue=fields.get("issue"),
        pages=fields.get("pages"),
        doi=doi_s,
        pmid=pmid.group(1) if pmid else None,
    )


# Names are read in any Latin, Greek or Cyrillic script (audit_rules.NAME_UPPER): with A–Z only, 'Pérez-Núñez, J.,
# & Zhang, J.' had the first author Zhang, and 'Özer E, Ersan M' was not read as authors at all.
_U = audit_rules.NAME_UPPER
_VANCOUVER_NAME = re.compile(rf"^(et al\.?|{_U}[\w'’-]+(?: {_U}[\w'’-]+)*(?: {_U}{{1,3}})?)$")
_INITIALS = re.compile(rf" {_U}{{1,3}}$")
_APA_NAME = re.compile(rf"({_U}{audit_rules.NAME_LETTERS}(?: {_U}[^\W\d_]+)?),\s*(?:{_U}\.\s*-?)+")


def _looks_like_authors(seg: str) -> bool:
    names = [n.strip() for n in seg.split(",") if n.strip()]
    ok = sum(bool(_VANCOUVER_NAME.match(n)) for n in names)
    return bool(names) and ok == len(names) and (len(names) > 1 or bool(_INITIALS.search(names[0])))


def _vancouver_authors(seg: str) -> list[str]:
    out = []
    for n in seg.split(","):
        n = n.strip()
        if not n or n.startswith("et al"):
            continue
        out.append(_INITIALS.sub("", n))
    return out


def _apa_authors(seg: str) -> list[str]:
    # the fallback keeps the first name-like part; one without a letter ('--', '0') is no author
    return [m.group(1) for m in _APA_NAME.finditer(seg)] or [
        s.strip() for s in seg.split(",")[:1] if re.search(r"[^\W\d_]", s)
    ]


def _surname(name: str | None) -> str:
    """The first word of a name in matching form; '' for a name without one."""
    words = normalize(name or "").split()
    return words[0] if words else ""


def find_reference_list(text: str) -> tuple[list[Reference], int | None, list[str]]:
    """(references, line where the list starts, notes). Lines after the heading are entries:
    numbered ones start a new entry; otherwise blank lines (or, without blank lines, line ends)
    separate entries. Text after the list that does not look like a reference ends it."""
    lines = text.splitlines()
    start = None
    for i, line in enumerate(lines):
        if audit_rules.REFERENCE_HEADING.match(line):
            start = i
    notes: list[str] = []
    if start is None:
        start = _numbered_block_start(lines)
        if start is None:
            return [], None, notes
        first = start
    else:
        first = start + 1
    region = lines[first:]
    numbered = any(audit_rules.NUMBERED_ENTRY.match(ln) and len(ln.split()) >= 4 for ln in region)
    entries: list[tuple[str, str]] = []
    buf: list[str] = []
    label = None

    def flush() -> None:
        nonlocal buf, label
        if buf:
            entries.append((label or str(len(entries) + 1), " ".join(buf)))
        buf, label = [], None

    blank_separated = any(not ln.strip() for ln in region)
    for ln in region:
        if not ln.strip():
            if not numbered:
                flush()
            continue
        m = audit_rules.NUMBERED_ENTRY.match(ln) if numbered else None
        if m:
            flush()
            label = next(g for g in m.groups() if g)
            buf = [ln.strip()]
        elif numbered:
            if buf and not _ends_list(ln):
                buf.append(ln.strip())
            else:
                flush()
                notes.append(f"not read as a reference: {ln.strip()[:80]!r}")
        else:
            if not blank_separated:
                flush()
            buf.append(ln.strip())
    flush()
    refs: list[Reference] = []
    for lab, entry in entries:
        body = audit_rules.NUMBERED_ENTRY.sub("", entry, count=1)
        readable = _looks_like_reference(entry) or (numbered and len(body.split()) >= 4)
        if not readable:
            notes.append(f"not read as a reference: {entry[:80]!r}")
            continue
        refs.append(parse_reference(entry, lab))
    if not numbered:
        refs = [replace(r, label=str(i)) for i, r in enumerate(refs, 1)]
    return refs, start + 1, notes


def _numbered_block_start(lines: list[str]) -> int | None:
    """Without a heading: the first of at least two numbered lines at the end that look like references."""
    idx = [
        i for i, ln in enumerate(lines) if audit_rules.NUMBERED_ENTRY.match(ln) and _looks_like_reference(ln)
    ]
    if len(idx) >= 2 and idx[-1] >= len([ln for ln in lines if ln.strip()]) // 2:
        return idx[0]
    return None


def _ends_list(line: str) -> bool:
    return bool(re.match(r"^\s*[A-Z][\w ]{0,30}:\s", line)) or (
        len(line.split()) <= 3 and not audit_rules.YEAR.search(line)
    )


def _looks_like_reference(entry: str) -> bool:
    return bool(
        audit_rules.DOI.search(entry)
        or audit_rules.PMID.search(entry)
        or (audit_rules.YEAR.search(entry) and len(entry.split()) >= 5 and "." in entry)
    )


# --- journals ---------------------------------------------------------------------------------
def _journal_words(name: str) -> list[str]:
    return [
        w for w in normalize(name.replace("&", " and ")).split() if w not in audit_rules.JOURNAL_STOPWORDS
    ]


def canonical_journal(name: str | None) -> str | None:
    """The full journal name for an abbreviation in the table (else the name itself)."""
    return _canonical_journal(name) if name else None


def _canonical_journal(name: str) -> str:
    n = normalize(name)
    for full, abbrs in audit_rules.JOURNAL_ABBREVIATIONS.items():
        if n == normalize(full) or any(n == normalize(a) for a in abbrs):
            return full
    return name.strip()


def same_journal(a: str | None, b: str | None) -> bool:
    """True for the same journal, written in full or abbreviated (table, then word-prefix rule)."""
    if not a or not b:
        return False
    ca, cb = _canonical_journal(a), _canonical_journal(b)
    if normalize(ca) == normalize(cb):
        return True
    wa, wb = _journal_words(ca), _journal_words(cb)
    if len(wa) != len(wb) or not wa:
        return False
    return all(x.startswith(y) or y.startswith(x) for x, y in zip(wa, wb))


# --- topic of a title ---------------------------------------------------------------------------


# --- matching ------------------------------------------------------------------------------------
def _norm_pages(p: str | None) -> str | None:
    if not p:
        return None
    m = re.match(r"[A-Za-z]?(\d+)", str(p))
    return m.group(1) if m else str(p)


def check_reference(ref: Reference | str, evidence: Evidence, *, label: str = "") -> ReferenceFinding:
    """Match one reference to the evidence and compare what it says with the study record."""
    if isinstance(ref, str):
        ref = parse_reference(ref, label)
    st = evidence.studies
    key, how = None, None
    if ref.doi:
        hit = st[st["doi"].str.casefold().eq(ref.doi.casefold()).fillna(False).to_numpy(dtype=bool)]
        if len(hit):
            key, how = str(hit.iloc[0]["key"]), "DOI"
    if key is None and ref.pmid:
        hit = st[st["pmid"].eq(ref.pmid).fillna(False).to_numpy(dtype=bool)]
        if len(hit):
            key, how = str(hit.iloc[0]["key"]), "PMID"
    score = None
    if key is None and ref.title:
        titles = {str(k): normalize(t) for k, t in zip(st["key"], st["title"])}
        best = process.extractOne(normalize(ref.title), titles, scorer=fuzz.token_sort_ratio)
        if best and best[1] >= audit_rules.TITLE_MATCH:
            key, how, score = best[2], "title", best[1]
    scope = tag_scope(ref.title or "", evidence.vocabulary) if ref.title else {}
    if key is None:
        on, why = title_topic(ref.title, evidence.vocabulary)
        if on is False:
            return ReferenceFinding(
                ref.label,
                ref.text,
                "off-topic",
                None,
                (f"topic: {why}; it is not in the evidence base",),
                ref,
                scope,
            )
        ids = (
            ", ".join(f"{n} {v}" for n, v in (("DOI", ref.doi), ("PMID", ref.pmid)) if v)
            or "no DOI or PMID given"
        )
        unread = [n for n in ("authors", "title", "journal", "year") if not getattr(ref, n)]
        diffs = [
            f"not found: not in the evidence base ({ids}; no study title within "
            f"{audit_rules.TITLE_MATCH}% similarity); {why}"
        ]
        if unread:
            diffs.append(f"could not read: {', '.join(unread)} (is the reference complete?)")
        return ReferenceFinding(ref.label, ref.text, "not-found", None, tuple(diffs), ref, scope)
    row = st[st["key"].eq(key).to_numpy(dtype=bool)].iloc[0]
    diffs = []
    if ref.journal and not same_journal(ref.journal, row["journal"]):
        diffs.append(f"journal: the reference says '{ref.journal}', the record says '{row['journal']}'")
    if ref.year and not pd.isna(row["year"]) and int(row["year"]) != ref.year:
        diffs.append(f"year: the reference says {ref.year}, the record says {int(row['year'])}")
    if ref.volume and not pd.isna(row["volume"]) and str(row["volume"]) != ref.volume:
        diffs.append(f"volume: the reference says {ref.volume}, the record says {row['volume']}")
    if ref.pages and not pd.isna(row["pages"]) and _norm_pages(ref.pages) != _norm_pages(row["pages"]):
        diffs.append(f"pages: the reference says {ref.pages}, the record says {row['pages']}")
    first = row["first_author"]
    if (
        _surname(ref.first_author)
        and not pd.isna(first)
        and _surname(ref.first_author) != _surname(str(first))
    ):
        diffs.append(f"authors: the reference's first author is {ref.first_author}, the record's is {first}")
    if (
        how == "title"
        and ref.doi
        and not pd.isna(row["doi"])
        and ref.doi.casefold() != str(row["doi"]).casefold()
    ):
        diffs.append(f"DOI: the reference says {ref.doi}, the record says {row['doi']}")
    notice = evidence.records[key].get("notice") or {}
    flagged = (
        (
            f"notice: {notice['kind']} ({notice.get('date') or 'date not seen'}, {notice.get('source')})"
            + (": a retracted study supports nothing" if notice["kind"] == "retraction" else ""),
        )
        if notice
        else ()
    )  # shown whatever else is found
    on, why = title_topic(str(row["title"]), evidence.vocabulary)
    matched = f"matched by {how}" + (f" ({score:.0f}% title similarity)" if score is not None else "")
    if on is False:
        return ReferenceFinding(
            ref.label, ref.text, "off-topic", key, (f"topic: {why}", matched, *diffs, *flagged), ref, scope
        )
    status = "metadata-mismatch" if diffs else "verified"
    return ReferenceFinding(ref.label, ref.text, status, key, (*(diffs or [matched]), *flagged), ref, scope)
