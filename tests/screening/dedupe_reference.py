"""The de-duplication rules of :mod:`exoreview.dedupe`, written the plain way: record after record,
every earlier record looked at. The oracle that the vectorised implementation is checked against
(tests/test_dedupe.py): same rules, same candidates (records sharing one of a title's
INDEX_WORDS rarest words, within the year rule), same tie-breaks, none of the speed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz.fuzz import ratio


@dataclass
class Item:
    id: str
    title: str
    year: int | None
    doi: str | None
    pmid: str | None
    words: set[str] = field(default_factory=set)
    keys: list[int] = field(default_factory=list)


def _item(rec: dict[str, Any], id_field: str) -> Item:
    title = d.normalize_title(rec.get("title"))
    doi = rec.get("doi")
    return Item(str(rec[id_field]), title, rec.get("year"), doi.casefold() if doi else None,
                rec.get("pmid") or None, set(title.split()))


def _close(a: int | None, b: int | None) -> bool:
    return a is None or b is None or abs(a - b) <= d.YEAR_TOLERANCE


def _match(it: Item, pool: list[Item]) -> tuple[str, Item, str] | None:
    if it.doi:
        for o in pool:
            if o.doi == it.doi:
                if it.pmid and o.pmid and it.pmid != o.pmid:
                    return "check", o, f"same DOI but different PMIDs ({it.pmid} vs {o.pmid})"
                return "doi", o, "same DOI"
    if it.pmid:
        for o in pool:
            if o.pmid == it.pmid:
                if it.doi and o.doi and it.doi != o.doi:
                    return "check", o, f"same PMID but different DOIs ({it.doi} vs {o.doi})"
                return "pmid", o, "same PMID"
    if not it.title:
        return None
    same = [o for o in pool if o.title == it.title and _close(it.year, o.year)]
    exact = [o for o in same if it.year is None or o.year is None or it.year == o.year]
    if exact or same:
        other, score = (exact[0] if exact else same[-1]), 100.0
    else:
        best = None
        for seq, o in enumerate(pool):
            shared = [i for i, k in enumerate(it.keys) if k in o.keys]
            if not o.title or not shared or not _close(it.year, o.year):
                continue
            score = ratio(it.title, o.title)
            if score >= d.CHECK_SIMILARITY and (best is None or (score, -shared[0], -seq) > best[0]):
                best = ((score, -shared[0], -seq), o)
        if best is None:
            return None
        (score, _, _), other = best
    code, reason = d._title_verdict(it, other, score)
    return code, other, reason


def find_duplicates(records: list[dict], *, earlier: list[dict] = (), studies: list[dict] = ()) -> list[d.Match]:
    earlier_items = [_item(r, "id") for r in earlier if not r.get("duplicate_of")]
    new_items = [_item(r, "id") for r in records]
    study_items = [_item(s, "key") for s in studies]
    everything = [*earlier_items, *new_items, *study_items]
    df = Counter(w for it in everything for w in it.words)
    rank = {w: i for i, w in enumerate(sorted(df, key=lambda w: (df[w] == 1, df[w], w)))}
    for it in everything:
        it.keys = sorted(rank[w] for w in it.words)[: d.INDEX_WORDS]
    pool = list(earlier_items)
    out = []
    for it in new_items:
        fields: dict[str, str] = {}
        hit = _match(it, study_items)
        if hit:
            code, other, reason = hit
            if d._VERDICT[code] == "duplicate":
                fields.update(in_evidence=other.id, evidence_reason=reason)
            else:
                fields.update(check_with=other.id, check_reason=f"{reason} (study {other.id})")
        hit = _match(it, pool)
        if hit:
            code, other, reason = hit
            if d._VERDICT[code] == "duplicate":
                fields.update(duplicate_of=other.id, duplicate_reason=reason)
            elif "check_with" not in fields:
                fields.update(check_with=other.id, check_reason=reason)
        if "duplicate_of" not in fields:
            pool.append(it)
        out.append(d.Match(**fields))
    return out
