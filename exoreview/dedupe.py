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

Fuzzy candidates are found through an index of each title's three rarest words among those
that occur in more than one title (a word seen once, often a typo, cannot lead to another
record), filed by year, so the cost grows with the number of records, not its square; an exact
normalised title match is always found.
"""

from __future__ import annotations

import os
import re
import unicodedata
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import Any

from ._gc import gc_paused

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
# ASCII fast path of normalize_title, as a bytes table: A-Z → a-z, other non-alphanumerics → space
_ASCII_FOLD = bytes((c + 32 if 65 <= c <= 90 else c) if chr(c).isalnum() and c < 128 else 32
                    for c in range(256))


def _title_words(title: str | None) -> list[str]:
    """The normalised title's words (see :func:`normalize_title`)."""
    if not title:
        return []
    text = _TAGS.sub(" ", title) if "<" in title else title
    if text.isascii():
        return text.encode("ascii").translate(_ASCII_FOLD).decode("ascii").split()
    text = unicodedata.normalize("NFKD", text.replace("β", "beta").replace("α", "alpha"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return _NON_WORD.sub(" ", text.casefold()).split()


def normalize_title(title: str | None) -> str:
    """'<i>In vivo</i> Exosomes: a Study.' → 'in vivo exosomes a study'."""
    return " ".join(_title_words(title))


@dataclass(frozen=True)
class Match:
    """What one record matched: a duplicate, a study already in the evidence, a pair to check."""

    duplicate_of: str | None = None
    duplicate_reason: str | None = None
    in_evidence: str | None = None
    evidence_reason: str | None = None
    check_with: str | None = None
    check_reason: str | None = None


_NO_MATCH = Match()


@dataclass(slots=True)
class _Item:
    id: str
    title: str
    year: int | None
    doi: str | None
    pmid: str | None
    words: set[str]
    keys: list[int] | None = None
    seq: int = 0                   # order in which the pool received it (ties go to the first)


def _item(rec: dict[str, Any], id_field: str) -> _Item:
    words = _title_words(rec.get("title"))
    year = rec.get("year")
    if year is not None and type(year) is not int:
        year = None if _isna(year) else int(year)
    doi = rec.get("doi")
    if doi is not None and type(doi) is not str:
        doi = None if _isna(doi) else str(doi)
    pmid = rec.get("pmid")
    if pmid is not None and type(pmid) is not str:
        pmid = None if _isna(pmid) else str(pmid)
    return _Item(str(rec[id_field]), " ".join(words), year, doi.casefold() if doi else None,
                 pmid or None, set(words))


def _isna(v: Any) -> bool:
    try:
        return v != v or v is None or str(v) == "<NA>"
    except (TypeError, ValueError):
        return False


def _rank(items: Iterable[_Item]) -> dict[str, int]:
    """Each title word's rank: rarest first, words seen in one title only last (they cannot lead
    to another record; a typo makes one), ties by the word itself. A record is indexed by the
    ranks of its INDEX_WORDS first words."""
    df = Counter(chain.from_iterable(it.words for it in items))
    return {w: i for i, w in enumerate(sorted(df, key=lambda w: (df[w] == 1, df[w], w)))}


class _Pool:
    """Records (or studies) a new record is compared with, indexed by DOI, PMID, title, rare words.

    Fuzzy candidates share one of a record's INDEX_WORDS rarest words and lie within the year
    rule. Each index word keeps its records twice: all of them (for a record without a year),
    and by year, where a record of 2020 is filed under 2019, 2020 and 2021 (a record of 2020
    then finds its candidates under 2020 and "no year"). Each list of records has the list of
    their titles beside it: the candidates of a record are a few list concatenations, and
    rapidfuzz scores them all in one C call."""

    def __init__(self, rank: dict[str, int]):
        from rapidfuzz import process
        from rapidfuzz.fuzz import ratio

        self.rank = rank
        self.by_doi: dict[str, _Item] = {}
        self.by_pmid: dict[str, _Item] = {}
        self.by_title: dict[str, list[_Item]] = {}
        # word rank → (titles, items, {year: (titles, items)})
        self.by_word: dict[int, tuple[list[str], list[_Item], dict]] = {}
        self.added = 0
        self._extract, self._ratio = process.extract, ratio

    def keys(self, item: _Item) -> list[int]:
        if item.keys is None:
            item.keys = sorted(map(self.rank.__getitem__, item.words))[:INDEX_WORDS]
        return item.keys

    def add(self, item: _Item) -> None:
        if item.doi:
            self.by_doi.setdefault(item.doi, item)
        if item.pmid:
            self.by_pmid.setdefault(item.pmid, item)
        if not item.title:
            return
        item.seq = self.added
        self.added += 1
        title, year = item.title, item.year
        self.by_title.setdefault(title, []).append(item)
        filed_under = (None,) if year is None else range(year - YEAR_TOLERANCE, year + YEAR_TOLERANCE + 1)
        for w in self.keys(item):
            entry = self.by_word.get(w)
            if entry is None:
                entry = self.by_word[w] = ([], [], {})
            entry[0].append(title)
            entry[1].append(item)
            by_year = entry[2]
            for y in filed_under:
                same = by_year.get(y)
                if same is None:
                    by_year[y] = ([title], [item])
                else:
                    same[0].append(title)
                    same[1].append(item)

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
            best = self._fuzzy(item)
        if best is None:
            return None
        score, other = best
        return _title_verdict(item, other, score)

    def _fuzzy(self, item: _Item) -> tuple[float, _Item] | None:
        """The most similar candidate within the year rule, at or above CHECK_SIMILARITY; among
        equals the one found first through the rarest word, then the one added first."""
        entries = [e for e in map(self.by_word.get, self.keys(item)) if e is not None]
        if not entries:
            return None
        titles: list[str] = []
        items: list[_Item] = []
        ends: list[int] = []           # where each index word's candidates end in `titles`
        year = item.year
        for entry in entries:
            if year is None:
                titles += entry[0]
                items += entry[1]
            else:
                by_year = entry[2]
                for same in (by_year.get(year), by_year.get(None)):
                    if same is not None:
                        titles += same[0]
                        items += same[1]
            ends.append(len(titles))
        if not titles:
            return None
        # one C call scores every candidate (an item listed under two of its words is scored
        # twice: cheaper than removing it in Python)
        hits = self._extract(item.title, titles, scorer=self._ratio, score_cutoff=CHECK_SIMILARITY,
                             limit=None)
        if not hits:
            return None
        score, _kp, _seq, i = max((score, -bisect_right(ends, i), -items[i].seq, i) for _t, score, i in hits)
        return score, items[i]


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
    with gc_paused():
        return _find_duplicates(records, earlier, studies, progress)


def _find_duplicates(records: Sequence[dict[str, Any]], earlier: Iterable[dict[str, Any]],
                     studies: Iterable[dict[str, Any]], progress: bool) -> list[Match]:
    earlier_items = [_item(r, "id") for r in earlier if _isna(r.get("duplicate_of")) or not r.get("duplicate_of")]
    new_items = [_item(r, "id") for r in records]
    study_items = [_item(s, "key") for s in studies]
    rank = _rank((*earlier_items, *new_items, *study_items))
    evidence = _Pool(rank)
    for it in study_items:
        evidence.add(it)
    pool = _Pool(rank)
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
        out.append(Match(**fields) if fields else _NO_MATCH)
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
