"""A draft study file for a record included at full text (``exoreview screen make-study``).

The citation fields are copied from the search record; every field a curator must fill from the
article is left empty so that `exoreview validate` names each one, and nothing unverified can
enter the evidence base.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..core.locking import under_screening_lock
from ..core.paths import folder_problems
from ..core.schema import KEY_RE
from ..core.validate import read_vocabulary
from ..core.values import as_int, present
from ..core.yamlio import atomic_write_text, display_path, dump_yaml
from ..errors import EvidenceError, UsageError
from .dedupe import evidence_index, normalize_title
from .log import read_log
from .tags import as_text, suggest

_STOP = frozenset(
    "a an and the of in on for to with by from at as is are its their via vs versus into using after".split()
)


def study_key(rec: Mapping[str, Any]) -> str:
    """'firstauthor-year-two-words' from the record (ASCII, lowercase), e.g. 'doe-2021-adipose-exosomes'."""

    def ascii_words(text: str) -> list[str]:
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
        return re.findall(r"[a-z0-9]+", text)

    authors = [a for a in str(rec.get("authors") or "").split(";") if a.strip()]
    first = ascii_words(re.split(r"[,\s]", authors[0].strip())[0]) if authors else []
    year = as_int(rec.get("year"))
    words = [w for w in ascii_words(str(rec.get("title") or "")) if w not in _STOP and len(w) > 2][:2]
    parts = [first[0] if first else "unattributed", str(year) if year is not None else "nd", *words]
    return "-".join(parts)


# fields a draft leaves for the curator: each fails `exoreview validate` until filled
DRAFT_PLACEHOLDERS: tuple[tuple[str, Any], ...] = (
    ("verified_at", []),
    ("confidence", None),
    ("extraction", {"level": None, "source": None, "date": None}),
    ("publication_status", None),
    ("cell_source", []),
    ("vesicle_term", []),
    ("design", []),
    ("models", []),
    ("condition", []),
    ("outcomes", []),
)


@under_screening_lock  # one writer at a time: two drafts of one record cannot both pass the checks
def make_study(
    evidence: str | os.PathLike, rid: str, *, key: str | None = None, today: dt.date | None = None
) -> Path:
    """Write ``studies/<key>.yaml`` for a record included at full text; never overwrite.

    The citation fields are copied from the search record (what it says, not checked facts).
    Everything else stays empty, so `exoreview validate` names each field to fill — verified_at,
    confidence, publication_status, cell_source, vesicle_term, design, condition — and the
    evidence cannot be loaded until a curator has filled them from the article. Suggested terms
    appear only as comments."""
    # a studies folder that cannot be read would hide the study this record already is
    if problems := folder_problems(evidence, ["studies"]):
        raise EvidenceError(problems)
    log = read_log(evidence)
    rec = log.record(rid)
    st = log.status().set_index("id").loc[rid]
    if st["full_text"] != "include":
        now = next(
            (
                f"{label} {st[col]}"
                for col, label in (
                    ("removed", "removed:"),
                    ("full_text", "full text:"),
                    ("title_abstract", "title/abstract:"),
                )
                if present(st[col]) is not None
            ),
            "",
        )
        raise UsageError(
            f"{rid} is not included at full text ({now}); a study file is written only for an included record"
        )
    key = key or study_key(rec)
    if not KEY_RE.match(key):
        raise UsageError(f"'{key}' is not a key (lowercase letters, digits, hyphens)")
    for s in evidence_index(evidence):
        same = (
            (rec.get("doi") and s["doi"] and s["doi"].casefold() == str(rec["doi"]).casefold())
            or (rec.get("pmid") and s["pmid"] == rec["pmid"])
            or (normalize_title(s["title"]) == normalize_title(rec.get("title")))
        )
        if same:
            raise UsageError(
                f"{rid} is already in the evidence as study '{s['key']}' "
                f"(evidence/studies/{s['key']}.yaml); nothing written"
            )
    path = Path(evidence) / "studies" / f"{key}.yaml"
    if path.exists():
        raise UsageError(f"{display_path(path)} exists; not overwritten (pass --key to choose another)")
    authors = [a.strip() for a in str(rec.get("authors") or "").split(";") if a.strip()]
    data: dict[str, Any] = {
        "key": key,
        "title": rec.get("title"),
        "authors": authors,
        "journal": rec.get("journal"),
        "year": int(rec["year"]) if rec.get("year") is not None else None,
        "volume": rec.get("volume"),
        "pages": rec.get("pages"),
        "doi": rec.get("doi"),
        "pmid": rec.get("pmid"),
        "screening_record": rid,
        **dict(DRAFT_PLACEHOLDERS),
        "notes": f"Drafted from screening record {rid} ({rec.get('database') or 'database not named'}, "
        f"{rec.get('file')}, record {rec.get('position')}); citation fields copied from the "
        "search record and still to be checked against the article.",
    }
    vocab = read_vocabulary(evidence)
    hints = as_text(suggest(rec.get("title"), rec.get("abstract"), vocab)) if vocab else ""
    day = (today or dt.date.today()).isoformat()
    head = [
        f"# DRAFT written by `exoreview screen make-study {rid}` on {day}.",
        "# The citation fields are copied from the search record: check each against the article",
        "# and list the page you read in verified_at. `exoreview validate` fails on this file until",
        "# verified_at, confidence, extraction (which text you read: full text, abstract, ...),",
        "# publication_status, cell_source, vesicle_term, design and condition are filled",
        "# (models and outcomes too, from the article): deliberately, so that",
        "# nothing unverified enters the evidence base.",
    ]
    if hints:
        head.append("# Suggested from the title/abstract (words, not facts; check them):")
        head.extend(f"#   {h}" for h in hints.split(" · "))
    text = "\n".join(head) + "\n" + dump_yaml(data)
    try:
        return atomic_write_text(path, text)
    except FileExistsError as err:
        raise UsageError(str(err)) from None
