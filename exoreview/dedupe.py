"""De-duplication of search records: against each other, earlier imports and the evidence base.

Rules (one table, :data:`RULES`, first match wins), for a record and an earlier record or study:

==========  =====================================================================  ===========
code        when                                                                   verdict
==========  =====================================================================  ===========
doi         same DOI (case-insensitive), PMIDs not in conflict                     duplicate
pmid        same PMID, DOIs not in conflict                                        duplicate
title       same normalised title, same year (or one year missing), title ≥ 30 ch.  duplicate
similar     title similarity ≥ 95, same year, title ≥ 30 characters, no conflict   duplicate
check       same DOI or PMID but the other identifier differs; or title             person checks
            similarity ≥ 85 with year ±1 or missing, or a conflict, or a short title
==========  =====================================================================  ===========

"Conflict" means both records carry a DOI (or both a PMID) and they differ: two reports with
near-identical titles and different DOIs (a correction, a preprint and its paper, parts 1 and 2)
are never merged automatically; a person decides. Similarity is rapidfuzz's ``fuzz.ratio`` on
normalised titles (case, accents, punctuation and HTML tags removed).

Fuzzy candidates are found through an index of each title's three rarest words, so the cost
grows with the number of records, not its square; an exact normalised title match is always
found.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

AUTO_SIMILARITY = 95       # fuzz.ratio at or above which a same-year title is a duplicate
CHECK_SIMILARITY = 85      # fuzz.ratio at or above which a pair is listed for a person
MIN_TITLE_LENGTH = 30      # shorter normalised titles are never merged automatically on title alone
YEAR_TOLERANCE = 1         # a year apart: listed for a person, never merged automatically
INDEX_WORDS = 3            # rarest words of a title that index it for fuzzy candidates

RULES: tuple[tuple[str, str, str], ...] = (
    ("doi", "same DOI", "duplicate"),
    ("pmid", "same PMID", "duplicate"),
    ("title", "same title and year", "duplicate"),
    ("similar", "title {score}% similar, same year", "duplicate"),
    ("check", "{why}", "check"),
)
_VERDICT = {code: verdict for code, _text, verdict in RULES}
_TEXT = {code: text for code, text, _verdict in RULES}

_TAGS = re.compile(r"<[^>]{1,20}>")
_NON_WORD = re.compile(r"[\W_]+")


def normalize_title(title: str | None) -> str:
    """'<i>In vivo</i> Exosomes: a Study.' → 'in vivo exosomes a study'."""
    if not title:
        return ""
    text = _TAGS.sub(" ", title) if "<" in title else title
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text.replace("β", "beta").replace("α", "alpha"))
        text = "".join(c for c in text if not unicodedata.combining(c))
    return _NON_WORD.sub(" ", text.casefold()).strip()


@dataclass(frozen=True)
class Match:
    """What one record matched: a duplicate, a study already in the evidence, a pair to check."""

    duplicate_of: str | None = None
    duplicate_reason: str | None = None
    in_evidence: str | None = None
    evidence_reason: str | None = None
    check_with: str | None = None
    check_reason: str | None = None


@dataclass
class _Item:
    id: str
    title: str
    year: int | None
    doi: str | None
    pmid: str | None
    words: tuple[str, ...]
    keys: tuple[str, ...] = ()


def _item(rec: dict[str, Any], id_field: str) -> _Item:
    title = normalize_title(rec.get("title"))
    year = rec.get("year")
    year = None if year is None or _isna(year) else int(year)
    doi = rec.get("doi")
    doi = str(doi).casefold() if doi and not _isna(doi) else None
    pmid = rec.get("pmid")
    pmid = str(pmid) if pmid and not _isna(pmid) else None
    return _Item(str(rec[id_field]), title, year, doi, pmid, tuple(set(title.split())))


def _isna(v: Any) -> bool:
    try:
        return v != v or v is None or str(v) == "<NA>"
    except (TypeError, ValueError):
        return False


class _Pool:
    """Records (or studies) a new record is compared with, indexed by DOI, PMID, title, rare words."""

    def __init__(self, df: Counter):
        self.df = df
        self.by_doi: dict[str, _Item] = {}
        self.by_pmid: dict[str, _Item] = {}
        self.by_title: dict[str, list[_Item]] = {}
        self.by_word: dict[str, list[_Item]] = {}

    def keys(self, item: _Item) -> tuple[str, ...]:
        if not item.keys and item.words:
            df = self.df
            # rarest first, ties by the word itself (two C sorts, no Python key function)
            item.keys = tuple(sorted(sorted(item.words), key=df.__getitem__)[:INDEX_WORDS])
        return item.keys

    def add(self, item: _Item) -> None:
        if item.doi:
            self.by_doi.setdefault(item.doi, item)
        if item.pmid:
            self.by_pmid.setdefault(item.pmid, item)
        if item.title:
            self.by_title.setdefault(item.title, []).append(item)
            for w in self.keys(item):
                self.by_word.setdefault(w, []).append(item)

    def match(self, item: _Item) -> tuple[str, _Item, str] | None:
        """(rule code, matched item, reason text) of the first rule that fires, or None."""
        if item.doi and item.doi in self.by_doi:
            other = self.by_doi[item.doi]
            if item.pmid and other.pmid and item.pmid != other.pmid:
                return "check", other, f"same DOI but different PMIDs ({item.pmid} vs {other.pmid})"
            return "doi", other, _TEXT["doi"]
        if item.pmid and item.pmid in self.by_pmid:
            other = self.by_pmid[item.pmid]
            if item.doi and other.doi and item.doi != other.doi:
                return "check", other, f"same PMID but different DOIs ({item.doi} vs {other.doi})"
            return "pmid", other, _TEXT["pmid"]
        if not item.title:
            return None
        best: tuple[float, _Item] | None = None
        for other in self.by_title.get(item.title, ()):
            if _years_close(item.year, other.year):
                best = (100.0, other)
                if item.year == other.year or item.year is None or other.year is None:
                    break
        if best is None:
            from rapidfuzz import process
            from rapidfuzz.fuzz import ratio

            by_word = self.by_word
            pool = {id(o): o for w in self.keys(item) for o in by_word.get(w, ())}
            year = item.year
            if year is None:
                candidates = list(pool.values())
            else:
                candidates = [o for o in pool.values()
                              if o.year is None or abs(o.year - year) <= YEAR_TOLERANCE]
            if candidates:  # the C loop of rapidfuzz scores them all; first best wins
                hit = process.extractOne(item.title, [o.title for o in candidates], scorer=ratio,
                                         score_cutoff=CHECK_SIMILARITY)
                if hit:
                    best = (hit[1], candidates[hit[2]])
        if best is None:
            return None
        score, other = best
        return _title_verdict(item, other, score)


def _years_close(a: int | None, b: int | None) -> bool:
    return a is None or b is None or abs(a - b) <= YEAR_TOLERANCE


def _title_verdict(item: _Item, other: _Item, score: float) -> tuple[str, _Item, str]:
    pct = int(score)
    conflict = []
    if item.doi and other.doi and item.doi != other.doi:
        conflict.append(f"different DOIs ({item.doi} vs {other.doi})")
    if item.pmid and other.pmid and item.pmid != other.pmid:
        conflict.append(f"different PMIDs ({item.pmid} vs {other.pmid})")
    same_year = item.year is not None and item.year == other.year
    long_enough = min(len(item.title), len(other.title)) >= MIN_TITLE_LENGTH
    if not conflict and long_enough:
        if score == 100 and (same_year or item.year is None or other.year is None):
            return "title", other, _TEXT["title"]
        if score >= AUTO_SIMILARITY and same_year:
            return "similar", other, _TEXT["similar"].format(score=pct)
    what = "same title" if score == 100 else f"title {pct}% similar"
    if conflict:
        why = f"{what} but {' and '.join(conflict)}"
    elif not long_enough:
        why = f"{what}, but the title is too short to be sure"
    elif item.year is None or other.year is None:
        why = f"{what}, a year is missing"
    elif item.year != other.year:
        why = f"{what}, years {item.year} and {other.year}"
    else:
        why = f"{what}, same year"
    return "check", other, why


def find_duplicates(records: Sequence[dict[str, Any]], *, earlier: Iterable[dict[str, Any]] = (),
                    studies: Iterable[dict[str, Any]] = (), progress: bool = False) -> list[Match]:
    """One :class:`Match` per record of `records` (in order).

    `records` and `earlier` are dicts with id, title, year, doi, pmid; `studies` the same with
    key instead of id. Earlier records that are themselves duplicates (a non-empty
    ``duplicate_of``) are skipped: their originals are in the pool already.
    """
    earlier_items = [_item(r, "id") for r in earlier if _isna(r.get("duplicate_of")) or not r.get("duplicate_of")]
    new_items = [_item(r, "id") for r in records]
    study_items = [_item(s, "key") for s in studies]
    df = Counter(w for it in (*earlier_items, *new_items, *study_items) for w in it.words)
    evidence = _Pool(df)
    for it in study_items:
        evidence.add(it)
    pool = _Pool(df)
    for it in earlier_items:
        pool.add(it)
    out: list[Match] = []
    iterator: Iterable[_Item] = new_items
    if progress:
        from tqdm import tqdm

        iterator = tqdm(new_items, desc="de-duplicating", unit=" records", leave=False, disable=None)
    for it in iterator:
        fields: dict[str, str] = {}
        hit = evidence.match(it)
        if hit:
            code, other, reason = hit
            if _VERDICT[code] == "duplicate":
                fields.update(in_evidence=other.id, evidence_reason=reason)
            else:
                fields.update(check_with=other.id, check_reason=f"{reason} (study {other.id})")
        hit = pool.match(it)
        if hit:
            code, other, reason = hit
            if _VERDICT[code] == "duplicate":
                fields.update(duplicate_of=other.id, duplicate_reason=reason)
            elif "check_with" not in fields:
                fields.update(check_with=other.id, check_reason=reason)
        if "duplicate_of" not in fields:
            pool.add(it)
        out.append(Match(**fields))
    return out


def dedupe(records, *, earlier=None, studies=None, progress: bool = False):
    """`records` (a records DataFrame) with the match columns filled; a new DataFrame."""
    rows = records.to_dict("records")
    matches = find_duplicates(rows, earlier=[] if earlier is None else earlier.to_dict("records"),
                              studies=[] if studies is None else studies.to_dict("records"),
                              progress=progress)
    out = records.copy()
    for col in ("duplicate_of", "duplicate_reason", "in_evidence", "evidence_reason", "check_with",
                "check_reason"):
        out[col] = [getattr(m, col) for m in matches]
        out[col] = out[col].astype("string")
    return out


# -- the evidence base as a match target ----------------------------------------------------
def evidence_index(root: str | os.PathLike) -> list[dict[str, Any]]:
    """key, title, year, doi, pmid of every study file, read leniently (a draft study file that
    does not validate yet still counts: its record must not be imported twice)."""
    from .schema import normalize_doi
    from .yamlio import read_yaml

    out = []
    folder = Path(root) / "studies"
    if not folder.is_dir():
        return out
    for path in sorted(folder.glob("*.y*ml")):
        parsed = read_yaml(path)
        data = parsed.data if isinstance(parsed.data, dict) else None
        if not data:
            continue
        year = data.get("year")
        doi = data.get("doi")
        out.append({"key": str(data.get("key") or path.stem), "title": data.get("title"),
                    "year": year if isinstance(year, int) and not isinstance(year, bool) else None,
                    "doi": normalize_doi(doi) if isinstance(doi, str) else None,
                    "pmid": str(data["pmid"]) if data.get("pmid") else None})
    return out
