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

How it runs: the rules are applied record after record (whether a record is kept decides what
the next ones are compared with), but everything that does not depend on that order is done
for all records at once: titles normalised in bulk, their index words ranked and filed with
numpy, every candidate pair scored in one ``rapidfuzz.process.cpdist`` call. The record loop
then only looks up identifiers and titles and walks each record's scored candidates, best
first. ``tests/dedupe_reference.py`` states the same rules the plain way, record by record
against every earlier record, and the tests check both give the same matches.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections import Counter
from collections.abc import Container, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

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


# -- the records as columns -------------------------------------------------------------------
class _Rec(NamedTuple):
    """One record or study, as the verdict reads it."""

    title: str
    year: int | None
    doi: str | None
    pmid: str | None


class _Columns:
    """Records (or studies) as columns: id, normalised title ('' when none), year, DOI
    (case-folded), PMID. Values of other types (a float year, a pandas NA) are converted as a
    DataFrame's rows hold them."""

    __slots__ = ("ids", "titles", "words", "years", "dois", "pmids")

    def __init__(self, rows: Sequence[dict[str, Any]], id_field: str):
        gets = [r.get for r in rows]
        self.ids = [str(r[id_field]) for r in rows]
        self.titles, self.words = _normalize_all([get("title") for get in gets])
        years = [get("year") for get in gets]
        if not all(y is None or type(y) is int for y in years):
            years = [y if y is None or type(y) is int else None if _isna(y) else int(y) for y in years]
        self.years: list[int | None] = years
        self.dois = [d.casefold() if d else None for d in _texts([get("doi") for get in gets])]
        self.pmids = [p or None for p in _texts([get("pmid") for get in gets])]

    def __len__(self) -> int:
        return len(self.ids)

    def rec(self, k: int) -> _Rec:
        return _Rec(self.titles[k], self.years[k], self.dois[k], self.pmids[k])

    def year_array(self) -> Any:
        import numpy as np

        return np.array([np.nan if y is None else y for y in self.years], dtype=np.float64)


def _texts(values: list[Any]) -> list[str | None]:
    if all(v is None or type(v) is str for v in values):
        return values
    return [v if v is None or type(v) is str else None if _isna(v) else str(v) for v in values]


def _isna(v: Any) -> bool:
    """None, NaN or pandas' NA (whose comparisons are NA, so it is recognised by its name)."""
    if v is None or type(v).__name__ == "NAType":
        return True
    try:
        return bool(v != v)
    except (TypeError, ValueError):
        return False


# ASCII titles are normalised together: joined with \x01 (kept by this table), folded in one
# pass, split and re-joined by Arrow; a tag cannot reach across the separator
_ASCII_FOLD_JOINED = _ASCII_FOLD[:1] + b"\x01" + _ASCII_FOLD[2:]
_TAGS_JOINED = re.compile(r"<[^>\x01]{1,20}>")


def _normalize_all(raw: list[Any]) -> tuple[list[str], Any]:
    """:func:`normalize_title` of every value ('' for a missing one), ASCII titles in bulk; and
    their words (an Arrow list array, one list a title; an empty title may list '')."""
    import pyarrow as pa
    import pyarrow.compute as pc

    out = [""] * len(raw)
    at: list[int] = []
    plain: list[str] = []
    for i, t in enumerate(raw):
        if type(t) is str:
            if t.isascii():
                at.append(i)
                plain.append(t)
            elif t:
                out[i] = normalize_title(t)
        elif t is not None and not _isna(t):
            out[i] = normalize_title(str(t))
    joined = "\x01".join(plain)
    if joined.count("\x01") != len(plain) - 1:     # a title holds the separator
        for i, t in zip(at, plain):
            out[i] = normalize_title(t)
        return out, pc.split_pattern(pa.array(out, pa.string()), " ")
    if "<" in joined:
        joined = _TAGS_JOINED.sub(" ", joined)
    folded = joined.encode("ascii").translate(_ASCII_FOLD_JOINED).decode("ascii").split("\x01")
    words = pc.ascii_split_whitespace(pc.ascii_trim_whitespace(pa.array(folded, pa.string())))
    if len(at) == len(raw):                          # every title went this way (the usual case)
        return pc.binary_join(words, " ").to_pylist(), words
    for i, t in zip(at, pc.binary_join(words, " ").to_pylist()):
        out[i] = t
    return out, pc.split_pattern(pa.array(out, pa.string()), " ")


# -- fuzzy candidates, for all records at once -----------------------------------------------
def _index_keys(lists: Any) -> tuple[Any, Any, Any]:
    """(item, word, position): each title's INDEX_WORDS rarest words (`lists`: an Arrow list
    array of the normalised titles' words), as word ranks (rarest first; words seen in one title
    only last, as they cannot lead to another record; ties by the word itself), sorted by item
    and rank; position 0 is an item's rarest word."""
    import numpy as np
    import pyarrow.compute as pc

    words = pc.list_flatten(lists)
    owner = pc.list_parent_indices(lists)
    blank = pc.equal(words, "")
    if pc.any(blank).as_py():                        # empty titles
        words, owner = words.filter(pc.invert(blank)), owner.filter(pc.invert(blank))
    if len(words) == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    owner = owner.to_numpy().astype(np.int64)
    encoded = words.dictionary_encode()
    wid = encoded.indices.to_numpy().astype(np.int64)
    n_words = len(encoded.dictionary)
    code = np.sort(owner * n_words + wid)
    code = code[np.r_[True, code[1:] != code[:-1]]]              # a word counts once a title
    owner, wid = np.divmod(code, n_words)
    df = np.bincount(wid, minlength=n_words)
    alphabetical = np.empty(n_words, dtype=np.int64)
    alphabetical[pc.array_sort_indices(encoded.dictionary).to_numpy()] = np.arange(n_words)
    rank = np.empty(n_words, dtype=np.int64)
    rank[np.lexsort((alphabetical, df, df == 1))] = np.arange(n_words)
    owner, word = np.divmod(np.sort(owner * n_words + rank[wid]), n_words)
    position = np.arange(len(owner)) - _group_starts(owner)
    keep = position < INDEX_WORDS
    return owner[keep], word[keep], position[keep]


def _group_starts(sorted_keys: Any) -> Any:
    """For each element of a sorted array, the index where its run of equal values starts."""
    import numpy as np

    n = len(sorted_keys)
    if not n:
        return np.zeros(0, dtype=np.int64)
    first = np.r_[True, sorted_keys[1:] != sorted_keys[:-1]]
    return np.maximum.accumulate(np.where(first, np.arange(n), 0))


_CHUNK = 1 << 21      # candidate pairs scored at once (bounds the memory of a corpus of look-alikes)
_SORT_NEEDLES_ABOVE = 4096   # candidates filed: above this many, the records are sorted before the searches


class _Hits:
    """Every (record, candidate) pair sharing an index word, within the year rule and at or above
    CHECK_SIMILARITY, best first for each record: highest score, then found through the record's
    rarer index word, then the candidate first in order. Sorted by record, for one pass in order.

    Candidates are filed by index word and year: a record's candidates under one word are the
    items filed there a year apart or less, and those without a year (two ranges of one sorted
    array; a record without a year takes the whole word)."""

    __slots__ = ("query", "target", "score", "at")

    def __init__(self, q_keys: tuple[Any, Any, Any], t_keys: tuple[Any, Any, Any], q_titles: list[str],
                 t_titles: list[str], q_years: Any, t_years: Any, *, earlier_only: bool):
        import numpy as np

        q_item, q_word, q_position = q_keys
        t_item, t_word, _ = t_keys
        if not earlier_only:                # other columns (the studies): only words they have
            shared = np.isin(q_word, t_word)
            q_item, q_word, q_position = q_item[shared], q_word[shared], q_position[shared]
        # file the candidates by (word, year): a year's code is its rank among the years seen,
        # from 1; no year is the last code
        years = np.unique(np.concatenate((q_years[~np.isnan(q_years)], t_years[~np.isnan(t_years)])))
        none_code = len(years) + 1
        width = len(years) + 2

        def code(y: Any) -> Any:
            return np.where(np.isnan(y), none_code, np.searchsorted(years, np.nan_to_num(y)) + 1)

        # targets sorted by code, then item (one sort of both packed in an int64)
        n_t = int(t_item.max()) + 1 if len(t_item) else 1
        t_code, t_item = np.divmod(np.sort((t_word * width + code(t_years[t_item])) * n_t + t_item), n_t)
        q_code = code(q_years[q_item])
        if len(t_code) > _SORT_NEEDLES_ABOVE and len(q_item):
            # queries in word and year order: numpy's binary searches into a large array are much
            # faster for sorted needles (item and position packed along)
            n_q = (int(q_item.max()) + 1) * INDEX_WORDS
            packed = np.sort((q_word * width + q_code) * n_q + q_item * INDEX_WORDS + q_position)
            key, rest = np.divmod(packed, n_q)
            q_word, q_code = np.divmod(key, width)
            q_item, q_position = np.divmod(rest, INDEX_WORDS)
        # a dated record's codes run from the year - 1 to the year + 1 (by rank), then no year;
        # an undated record takes every code of the word
        first_code = np.searchsorted(years, years - YEAR_TOLERANCE, side="left") + 1
        last_code = np.searchsorted(years, years + YEAR_TOLERANCE, side="right")
        dated = q_code != none_code
        rank = np.where(dated, q_code - 1, 0)
        base = q_word * width
        lo = np.where(dated, base + first_code[rank] if len(years) else base, base)
        hi = np.where(dated, base + last_code[rank] if len(years) else base, base + none_code)
        start1 = np.searchsorted(t_code, lo, side="left")
        count1 = np.searchsorted(t_code, hi, side="right") - start1
        none = base + none_code
        start2 = np.searchsorted(t_code, none, side="left")
        count2 = np.where(dated, np.searchsorted(t_code, none, side="right") - start2, 0)
        owner_of = np.concatenate((np.arange(len(q_item)), np.arange(len(q_item))))
        start = np.concatenate((start1, start2))
        count = np.concatenate((count1, count2))
        keep = count > 0
        owner_of, start, count = owner_of[keep], start[keep], count[keep]

        q_lengths = np.fromiter(map(len, q_titles), dtype=np.float64, count=len(q_titles))
        t_lengths = q_lengths if t_titles is q_titles else \
            np.fromiter(map(len, t_titles), dtype=np.float64, count=len(t_titles))
        found = []
        ends = np.cumsum(count)
        begin = 0                    # the ranges [begin, end) expanded together: about _CHUNK pairs
        while begin < len(count):
            done = int(ends[begin - 1]) if begin else 0
            end = max(begin + 1, int(np.searchsorted(ends, done + _CHUNK, side="right")))
            c = count[begin:end]
            owner = np.repeat(owner_of[begin:end], c)
            t = t_item[np.repeat(start[begin:end] - (np.cumsum(c) - c), c) + np.arange(int(ends[end - 1]) - done)]
            begin = end
            q, p = q_item[owner], q_position[owner]
            ok = t < q if earlier_only else np.ones(len(q), dtype=bool)
            # fuzz.ratio is at most 100 * (1 - |a - b| / (a + b)) for titles of lengths a and b:
            # pairs whose lengths differ too much cannot reach CHECK_SIMILARITY and are not scored
            lq, lt = q_lengths[q], t_lengths[t]
            ok &= 100 * (lq + lt - np.abs(lq - lt)) >= (CHECK_SIMILARITY - 1e-6) * (lq + lt)
            q, t, p = q[ok], t[ok], p[ok]
            if len(q):
                found.append((q, t, p, self._scores(q, t, q_titles, t_titles)))
        if found:
            q, t, p, s = (np.concatenate(cols) for cols in zip(*found))
            h = s >= CHECK_SIMILARITY
            q, t, p, s = q[h], t[h], p[h], s[h]
            order = np.lexsort((t, p, -s, q))
            self.query, self.target, self.score = q[order].tolist(), t[order].tolist(), s[order].tolist()
        else:
            self.query, self.target, self.score = [], [], []
        self.at = 0

    @staticmethod
    def _scores(q: Any, t: Any, q_titles: list[str], t_titles: list[str]) -> Any:
        """fuzz.ratio of each pair (0 below CHECK_SIMILARITY), in C; the two cores when many."""
        import numpy as np
        from rapidfuzz import process
        from rapidfuzz.fuzz import ratio

        return process.cpdist([q_titles[i] for i in q.tolist()], [t_titles[i] for i in t.tolist()],
                              scorer=ratio, score_cutoff=CHECK_SIMILARITY, dtype=np.float64,
                              workers=-1 if len(q) > 20_000 else 1)

    def best(self, q: int, member: list[bool] | None) -> tuple[float, int] | None:
        """The best hit of record `q` among the candidates that are members (all when None).
        Records are asked in increasing order."""
        query, at, n = self.query, self.at, len(self.query)
        while at < n and query[at] < q:
            at += 1
        found = None
        while at < n and query[at] == q:
            t = self.target[at]
            if member is None or member[t]:
                found = (self.score[at], t)
                break
            at += 1
        self.at = at
        return found


class _Target:
    """What a record is compared with: the evidence base, or the records kept before it. Looked
    up by DOI and PMID (the first item with it), exact title, then the fuzzy hits."""

    __slots__ = ("cols", "hits", "member", "filed", "by_doi", "by_pmid", "by_title")

    def __init__(self, cols: _Columns, hits: _Hits, member: list[bool] | None):
        self.cols, self.hits, self.member = cols, hits, member
        self.filed: list[bool] | None = None      # which items need filing (None: all)
        self.by_doi: dict[str, int] = {}
        self.by_pmid: dict[str, int] = {}
        self.by_title: dict[str, list[int]] = {}

    def add(self, k: int) -> None:
        if self.member is not None:
            self.member[k] = True
        if self.filed is not None and not self.filed[k]:
            return                 # its DOI, PMID and title occur once: nobody looks them up
        cols = self.cols
        doi, pmid, title = cols.dois[k], cols.pmids[k], cols.titles[k]
        if doi:
            self.by_doi.setdefault(doi, k)
        if pmid:
            self.by_pmid.setdefault(pmid, k)
        if title:
            by_title = self.by_title.get(title)
            if by_title is None:
                self.by_title[title] = [k]
            else:
                by_title.append(k)

    def match(self, records: _Columns, q: int) -> tuple[str, int, str] | None:
        """(rule code, matched item, reason text) of the first rule that fires, or None."""
        cols = self.cols
        doi, pmid = records.dois[q], records.pmids[q]
        if doi:
            k = self.by_doi.get(doi)
            if k is not None:
                other = cols.pmids[k]
                if pmid and other and pmid != other:
                    return "check", k, f"same DOI but different PMIDs ({pmid} vs {other})"
                return "doi", k, _TEXT["doi"]
        if pmid:
            k = self.by_pmid.get(pmid)
            if k is not None:
                other = cols.dois[k]
                if doi and other and doi != other:
                    return "check", k, f"same PMID but different DOIs ({doi} vs {other})"
                return "pmid", k, _TEXT["pmid"]
        title = records.titles[q]
        if not title:
            return None
        best: tuple[float, int] | None = None
        same = self.by_title.get(title)
        if same:
            year, years = records.years[q], cols.years
            for k in same:
                if _years_close(year, years[k]):
                    best = (100.0, k)
                    if year is None or years[k] is None or year == years[k]:
                        break
        if best is None:
            best = self.hits.best(q, self.member)
        if best is None:
            return None
        score, k = best
        code, reason = _title_verdict(records.rec(q), cols.rec(k), score)
        return code, k, reason


def _years_close(a: int | None, b: int | None) -> bool:
    return a is None or b is None or abs(a - b) <= YEAR_TOLERANCE


def _title_verdict(item: _Rec, other: _Rec, score: float) -> tuple[str, str]:
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
            return "title", _TEXT["title"]
        if score >= AUTO_SIMILARITY and same_year:
            return "similar", _TEXT["similar"].format(score=pct)
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
    return "check", why


def _may_match(cols: _Columns, at: range, dois: Container[str], pmids: Container[str],
               titles: Container[str], hits: _Hits | None = None) -> list[bool]:
    """For each item in `at`: its DOI, PMID or title is in the given sets, or it has fuzzy hits."""
    d, p, t = cols.dois[at.start:at.stop], cols.pmids[at.start:at.stop], cols.titles[at.start:at.stop]
    out = [a in dois or b in pmids or c in titles for a, b, c in zip(d, p, t)]
    if hits is not None:
        for q in set(hits.query):
            out[q - at.start] = True
    return out


def find_duplicates(records: Sequence[dict[str, Any]], *, earlier: Iterable[dict[str, Any]] = (),
                    studies: Iterable[dict[str, Any]] = (), progress: bool = False) -> list[Match]:
    """One :class:`Match` per record of `records` (in order).

    `records` and `earlier` are dicts with id, title, year, doi, pmid; `studies` the same with
    key instead of id. Earlier records that are themselves duplicates (a non-empty
    ``duplicate_of``) are skipped: their originals are in the pool already.
    """
    return _find_duplicates(records, earlier, studies, progress)


def _find_duplicates(records: Sequence[dict[str, Any]], earlier: Iterable[dict[str, Any]],
                     studies: Iterable[dict[str, Any]], progress: bool) -> list[Match]:
    import pyarrow as pa

    kept_earlier = [r for r in earlier if _isna(r.get("duplicate_of")) or not r.get("duplicate_of")]
    first = len(kept_earlier)
    # one set of columns for the earlier records and the new ones (a record's pool is the items
    # before it), one for the studies
    pool_cols = _Columns([*kept_earlier, *records], "id")
    study_cols = _Columns(list(studies), "key")
    n_pool = len(pool_cols)
    item, word, position = _index_keys(pa.concat_arrays([pool_cols.words, study_cols.words]))
    in_pool = item < n_pool
    pool_keys = (item[in_pool], word[in_pool], position[in_pool])
    new = in_pool & (item >= first)
    new_keys = (item[new], word[new], position[new])
    study_keys = (item[~in_pool] - n_pool, word[~in_pool], position[~in_pool])
    pool_years, study_years = pool_cols.year_array(), study_cols.year_array()
    evidence = _Target(study_cols, _Hits(new_keys, study_keys, pool_cols.titles, study_cols.titles,
                                         pool_years, study_years, earlier_only=False), None)
    for k in range(len(study_cols)):
        evidence.add(k)
    pool = _Target(pool_cols, _Hits(new_keys, pool_keys, pool_cols.titles, pool_cols.titles, pool_years,
                                    pool_years, earlier_only=True), [False] * n_pool)
    # Most records match nothing: a record is looked up in the evidence only if its DOI, PMID or
    # title is there or it has fuzzy hits among the studies; in the pool only if its DOI, PMID
    # or title occurs twice among all the records or it has fuzzy hits; and a value that occurs
    # once is never filed (nobody can look it up), so such a record is only marked as kept.
    repeated = [{v for v, n in Counter(col).items() if n > 1 and v}
                for col in (pool_cols.dois, pool_cols.pmids, pool_cols.titles)]
    pool.filed = _may_match(pool_cols, range(n_pool), *repeated)
    for k in range(first):
        pool.add(k)
    new_range = range(first, n_pool)
    ev_may = _may_match(pool_cols, new_range, evidence.by_doi, evidence.by_pmid, evidence.by_title,
                        evidence.hits)
    pool_may = _may_match(pool_cols, new_range, *repeated, pool.hits)
    ids, study_ids = pool_cols.ids, study_cols.ids
    out: list[Match] = []
    iterator: Iterable[int] = new_range
    if progress:
        from tqdm import tqdm

        iterator = tqdm(iterator, desc="de-duplicating", unit=" records", leave=False, disable=None)
    for q, ev_maybe, pool_maybe in zip(iterator, ev_may, pool_may):
        if not (ev_maybe or pool_maybe):
            pool.add(q)
            out.append(_NO_MATCH)
            continue
        fields: dict[str, str] = {}
        hit = evidence.match(pool_cols, q) if ev_maybe else None
        if hit:
            code, k, reason = hit
            if _VERDICT[code] == "duplicate":
                fields.update(in_evidence=study_ids[k], evidence_reason=reason)
            else:
                fields.update(check_with=study_ids[k], check_reason=f"{reason} (study {study_ids[k]})")
        hit = pool.match(pool_cols, q) if pool_maybe else None
        if hit:
            code, k, reason = hit
            if _VERDICT[code] == "duplicate":
                fields.update(duplicate_of=ids[k], duplicate_reason=reason)
            elif "check_with" not in fields:
                fields.update(check_with=ids[k], check_reason=reason)
        if "duplicate_of" not in fields:
            pool.add(q)
        out.append(Match(**fields) if fields else _NO_MATCH)
    return out


def dedupe(records, *, earlier=None, studies=None, progress: bool = False):
    """`records` (a records DataFrame) with the match columns filled; a new DataFrame."""
    matches = find_duplicates(_rows(records, "id"), earlier=[] if earlier is None else _rows(earlier, "id"),
                              studies=[] if studies is None else _rows(studies, "key"), progress=progress)
    out = records.copy()
    for col in ("duplicate_of", "duplicate_reason", "in_evidence", "evidence_reason", "check_with",
                "check_reason"):
        out[col] = [getattr(m, col) for m in matches]
        out[col] = out[col].astype("string")
    return out


def _rows(df, id_field: str) -> list[dict[str, Any]]:
    """The rows of a DataFrame as dicts of the fields de-duplication reads (missing values as
    None), built a column at a time: the abstracts and the rest are never touched."""
    names = [c for c in (id_field, "title", "year", "doi", "pmid", "duplicate_of") if c in df.columns]
    columns = [df[c].to_numpy(dtype=object, na_value=None).tolist() for c in names]
    return [dict(zip(names, row)) for row in zip(*columns)]


# -- the evidence base as a match target ----------------------------------------------------
def evidence_index(root: str | os.PathLike) -> list[dict[str, Any]]:
    """key, title, year, doi, pmid of every study file, read leniently (a draft study file that
    does not validate yet still counts: its record must not be imported twice)."""
    from ..core.schema import normalize_doi
    from ..core.yamlio import read_yaml

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
