"""De-duplication of search records: against each other, earlier imports and the evidence base.

Rules (one table, :data:`RULES`, first match wins), for a record and an earlier record or study:

==========  =====================================================================  ===========
code        when                                                                   verdict
==========  =====================================================================  ===========
doi         same DOI (case-insensitive), PMIDs not in conflict                     duplicate
pmid        same PMID, DOIs not in conflict                                        duplicate
title       same normalised title, same year (both known), title ≥ 30 characters  duplicate
similar     title similarity ≥ 95, same year, title ≥ 30 characters, no conflict   duplicate
check       same DOI or PMID but the other identifier differs; or title             person checks
            similarity ≥ 85 (100: the same title) with year ±1 or a year missing, or
            a conflict, or a short title
==========  =====================================================================  ===========

"Conflict" means both records carry a DOI (or both a PMID) and they differ: two reports with
near-identical titles and different DOIs (a correction, a preprint and its paper, parts 1 and 2)
are never merged automatically; a person decides. Similarity is rapidfuzz's ``fuzz.ratio`` on
normalised titles (case, accents, punctuation and HTML tags removed).

Records are taken in order; each is compared with the studies and with the records kept before
it (a duplicate is not kept: later records are compared with its original). DOI, PMID and exact
title are looked up in dicts. Fuzzy candidates come from a word index: each title is filed under
its :data:`INDEX_WORDS` rarest words among those seen in more than one title (a word seen once,
often a typo, cannot lead to another record), by year, so a record is scored only against the
titles sharing one of those words within the year rule, and the cost grows with the number of
records, not its square. The best candidate wins: highest score, then found through the
record's rarer index word, then the earlier one.
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

from rapidfuzz.fuzz import ratio
from tqdm import tqdm

from ..core.schema import normalize_doi
from ..core.values import missing
from ..core.yamlio import read_yaml

AUTO_SIMILARITY = 95  # fuzz.ratio at or above which a same-year title is a duplicate
CHECK_SIMILARITY = 85  # fuzz.ratio at or above which a pair is listed for a person
MIN_TITLE_LENGTH = 30  # shorter normalised titles are never merged automatically on title alone
YEAR_TOLERANCE = 1  # a year apart: listed for a person, never merged automatically
INDEX_WORDS = 3  # rarest words of a title that index it for fuzzy candidates

RULES: tuple[tuple[str, str, str], ...] = (
    ("doi", "same DOI", "duplicate"),
    ("pmid", "same PMID", "duplicate"),
    ("title", "same title and year", "duplicate"),
    ("similar", "title {score}% similar, same year", "duplicate"),
    ("check", "{why}", "check"),
)
_VERDICT = {code: verdict for code, _text, verdict in RULES}
_TEXT = {code: text for code, text, _verdict in RULES}

MATCH_COLUMNS = (
    "duplicate_of",
    "duplicate_reason",
    "in_evidence",
    "evidence_reason",
    "check_with",
    "check_reason",
)

_TAGS = re.compile(r"<[^>]{1,20}>")
_WORD = re.compile(r"[^\W_]+")  # a run of letters and digits


def normalize_title(title: str | None) -> str:
    """'<i>In vivo</i> Exosomes: a Study.' → 'in vivo exosomes a study'."""
    if not title:
        return ""
    text = _TAGS.sub(" ", title)
    if not text.isascii():  # accents off (ASCII text has none to take off)
        text = unicodedata.normalize("NFKD", text.replace("β", "beta").replace("α", "alpha"))
        text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(_WORD.findall(text.casefold()))


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


# -- one record or study, as the rules read it ---------------------------------------------------
@dataclass(slots=True)
class _Item:
    """One record or study as the rules read it."""

    order: int  # its place among the items it is filed with (earlier first)
    id: str
    title: str  # normalised; '' when there is none
    year: int | None
    doi: str | None  # case-folded
    pmid: str | None
    keys: tuple[str, ...] = ()  # index words, rarest first


def _text(value: Any) -> str | None:
    """A field as text; None when missing (None, NaN, pandas' NA) or empty."""
    if value is None or isinstance(value, str):
        return value or None
    return None if missing(value) else str(value)


def _items(rows: Iterable[dict[str, Any]], id_field: str) -> list[_Item]:
    """Rows (dicts with `id_field`, title, year, doi, pmid) as items, in order."""
    out = []
    for order, row in enumerate(rows):
        year, doi = row.get("year"), _text(row.get("doi"))
        out.append(
            _Item(
                order,
                str(row[id_field]),
                normalize_title(_text(row.get("title"))),
                year if year is None or type(year) is int else None if missing(year) else int(year),
                doi.casefold() if doi else None,
                _text(row.get("pmid")),
            )
        )
    return out


def _index_words(items: list[_Item]) -> None:
    """Each item's keys: its INDEX_WORDS rarest words (fewest titles, then alphabetical) among
    the words seen in more than one title."""
    seen_in = Counter(w for it in items for w in set(it.title.split()))
    for it in items:
        rarest = sorted((seen_in[w], w) for w in set(it.title.split()) if seen_in[w] > 1)[:INDEX_WORDS]
        it.keys = tuple(w for _n, w in rarest)


def _years_close(a: int | None, b: int | None) -> bool:
    return a is None or b is None or abs(a - b) <= YEAR_TOLERANCE


# -- what a record is compared with ------------------------------------------------------------
class _Pool:
    """The evidence base, or the records kept so far: filed by DOI and PMID (the first item with
    it), by exact title, and by (index word, year)."""

    def __init__(self, items: Iterable[_Item] = ()):
        self.by_doi: dict[str, _Item] = {}
        self.by_pmid: dict[str, _Item] = {}
        self.by_title: dict[str, list[_Item]] = {}
        self.by_word: dict[tuple[str, int | None], list[_Item]] = {}
        self.years: set[int | None] = {None}
        for it in items:
            self.add(it)

    def add(self, it: _Item) -> None:
        if it.doi:
            self.by_doi.setdefault(it.doi, it)
        if it.pmid:
            self.by_pmid.setdefault(it.pmid, it)
        if it.title:
            self.by_title.setdefault(it.title, []).append(it)
        for word in it.keys:
            self.by_word.setdefault((word, it.year), []).append(it)
        self.years.add(it.year)

    def match(self, it: _Item) -> tuple[str, _Item, str] | None:
        """(rule code, matched item, reason) of the first rule that fires, or None."""
        if it.doi and it.doi in self.by_doi:
            other = self.by_doi[it.doi]
            if it.pmid and other.pmid and it.pmid != other.pmid:
                return "check", other, f"same DOI but different PMIDs ({it.pmid} vs {other.pmid})"
            return "doi", other, _TEXT["doi"]
        if it.pmid and it.pmid in self.by_pmid:
            other = self.by_pmid[it.pmid]
            if it.doi and other.doi and it.doi != other.doi:
                return "check", other, f"same PMID but different DOIs ({it.doi} vs {other.doi})"
            return "pmid", other, _TEXT["pmid"]
        if not it.title:
            return None
        found = self._same_title(it) or self._similar_title(it)
        if found is None:
            return None
        score, other = found
        code, reason = _title_verdict(it, other, score)
        return code, other, reason

    def _same_title(self, it: _Item) -> tuple[float, _Item] | None:
        """The first item with the same title and year (or a year missing), else the last one a
        year apart."""
        found = None
        for other in self.by_title.get(it.title, ()):
            if _years_close(it.year, other.year):
                found = (100.0, other)
                if it.year is None or other.year is None or it.year == other.year:
                    break
        return found

    def _similar_title(self, it: _Item) -> tuple[float, _Item] | None:
        """The best candidate sharing an index word, within the year rule, scored at least
        CHECK_SIMILARITY: highest score, then through the record's rarer word, then filed first."""
        if it.year is None:  # a record without a year: every year
            years: Iterable[int | None] = self.years
        else:
            years = (*range(it.year - YEAR_TOLERANCE, it.year + YEAR_TOLERANCE + 1), None)
        best: tuple[tuple[float, int, int], _Item] | None = None
        scored: set[int] = set()
        for position, word in enumerate(it.keys):
            for year in years:
                for other in self.by_word.get((word, year), ()):
                    if other.order in scored:  # found through a rarer word already
                        continue
                    scored.add(other.order)
                    score = ratio(it.title, other.title, score_cutoff=CHECK_SIMILARITY)
                    rank = (score, -position, -other.order)
                    if score >= CHECK_SIMILARITY and (best is None or rank > best[0]):
                        best = (rank, other)
        return None if best is None else (best[0][0], best[1])


def _title_verdict(it: _Item, other: _Item, score: float) -> tuple[str, str]:
    pct = int(score)
    conflict = []
    if it.doi and other.doi and it.doi != other.doi:
        conflict.append(f"different DOIs ({it.doi} vs {other.doi})")
    if it.pmid and other.pmid and it.pmid != other.pmid:
        conflict.append(f"different PMIDs ({it.pmid} vs {other.pmid})")
    same_year = it.year is not None and it.year == other.year
    long_enough = min(len(it.title), len(other.title)) >= MIN_TITLE_LENGTH
    if not conflict and long_enough:
        # a year missing: the same title may be another report (an erratum, a conference
        # abstract, a reply): a person confirms it (docs/screening.md, the dedupe table)
        if score == 100 and same_year:
            return "title", _TEXT["title"]
        if score >= AUTO_SIMILARITY and same_year:
            return "similar", _TEXT["similar"].format(score=pct)
    what = "same title" if score == 100 else f"title {pct}% similar"
    if conflict:
        why = f"{what} but {' and '.join(conflict)}"
    elif not long_enough:
        why = f"{what}, but the title is too short to be sure"
    elif it.year is None or other.year is None:
        why = f"{what}, a year is missing"
    elif it.year != other.year:
        why = f"{what}, years {it.year} and {other.year}"
    else:
        why = f"{what}, same year"
    return "check", why


def find_duplicates(
    records: Sequence[dict[str, Any]],
    *,
    earlier: Iterable[dict[str, Any]] = (),
    studies: Iterable[dict[str, Any]] = (),
    progress: bool = False,
) -> list[Match]:
    """One :class:`Match` per record of `records` (in order).

    `records` and `earlier` are dicts with id, title, year, doi, pmid; `studies` the same with
    key instead of id. Earlier records that are themselves duplicates (a non-empty
    ``duplicate_of``) are skipped: their originals are in the pool already.
    """
    kept = [r for r in earlier if not _text(r.get("duplicate_of"))]
    pooled = _items([*kept, *records], "id")  # numbered together: earlier ones first
    in_evidence = _items(studies, "key")
    _index_words([*pooled, *in_evidence])
    evidence, pool = _Pool(in_evidence), _Pool(pooled[: len(kept)])
    new = pooled[len(kept) :]
    out: list[Match] = []
    for it in tqdm(
        new, desc="de-duplicating", unit=" records", leave=False, disable=None if progress else True
    ):
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
    matches = find_duplicates(
        _rows(records, "id"), earlier=_rows(earlier, "id"), studies=_rows(studies, "key"), progress=progress
    )
    out = records.copy()
    for col in MATCH_COLUMNS:
        out[col] = [getattr(m, col) for m in matches]
        out[col] = out[col].astype("string")
    return out


def _rows(df, id_field: str) -> list[dict[str, Any]]:
    """The rows of a DataFrame (None: none) as dicts of the fields de-duplication reads."""
    if df is None:
        return []
    names = [c for c in (id_field, "title", "year", "doi", "pmid", "duplicate_of") if c in df.columns]
    return df[names].to_dict("records")


# -- the evidence base as a match target ----------------------------------------------------
def evidence_index(root: str | os.PathLike) -> list[dict[str, Any]]:
    """key, title, year, doi, pmid of every study file, read leniently (a draft study file that
    does not validate yet still counts: its record must not be imported twice)."""
    out: list[dict[str, Any]] = []
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
        out.append(
            {
                "key": str(data.get("key") or path.stem),
                "title": data.get("title"),
                "year": year if isinstance(year, int) and not isinstance(year, bool) else None,
                "doi": normalize_doi(doi) if isinstance(doi, str) else None,
                "pmid": str(data["pmid"]) if data.get("pmid") else None,
            }
        )
    return out
