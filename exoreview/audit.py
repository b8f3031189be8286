"""Auditing a text: ``audit(text, evidence) -> Findings``.

1. References: the reference list is found (numbered or not; Vancouver, AMA, APA-like), each entry
   parsed (authors, title, journal, year, volume, pages, DOI, PMID) and matched to the evidence
   (DOI, then PMID, then fuzzy title): verified, metadata-mismatch (each difference listed),
   off-topic (judged from the record or, when the work is not in the evidence, from its title) or
   not-found.
2. Claims: sentences about exosomes/EVs and hair, linked to their references (numbered markers,
   author–year, "a study published in <Journal> in <Year>", "these studies"), tagged with the
   vocabulary, compared with what the cited work studied, graded with :func:`exoreview.grade.assess`
   and checked for overreach phrases.

Rules are tables in :mod:`exoreview.audit_rules`. The text is never executed or written anywhere.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from . import audit_rules as A
from .claims_table import Cite, Claim
from .vocab import normalize

# ---------------------------------------------------------------------------------------------
# references


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
    status: str                       # verified | metadata-mismatch | off-topic | not-found
    study: str | None
    differences: tuple[str, ...]
    reference: Reference | None = None
    title_scope: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "text": self.text, "status": self.status, "study": self.study,
                "differences": list(self.differences)}


def _clean(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


def parse_reference(text: str, label: str = "") -> Reference:
    """Parse one reference entry (Vancouver / AMA / APA-like); fields it cannot read stay None."""
    text = _clean(text)
    body = A.NUMBERED_ENTRY.sub("", text, count=1)
    doi = A.DOI.search(body)
    pmid = A.PMID.search(body)
    doi_s = doi.group(1).rstrip(".,;)") if doi else None
    core = body[: doi.start()] if doi else body
    core = re.sub(r"\b(?:doi|https?)\s*:?\s*$", "", core, flags=re.I).strip()
    core = A.PMID.sub("", core).strip()
    fields: dict[str, Any] = {}
    # APA: Authors (2019). Title. Journal, 20(15), 3751.
    apa = re.match(r"^(?P<authors>.+?)\s*\((?P<year>(?:19|20)\d{2})[a-z]?\)\.?\s*(?P<rest>.*)$", core)
    vanc = re.search(r"(?P<year>(?:19|20)\d{2})(?:\s+[A-Z][a-z]{2}(?:\s+\d{1,2})?)?\s*;\s*(?P<volume>[\w-]+)?"
                     r"\s*(?:\((?P<issue>[^)]+)\))?\s*:\s*(?P<pages>[A-Za-z]?\d+(?:\s*[-–]\s*[A-Za-z]?\d+)?)", core)
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
            m = re.match(r"^(?P<journal>.+?),\s*(?P<volume>\d[\w-]*)\s*(?:\((?P<issue>[^)]+)\))?(?:,\s*"
                         r"(?P<pages>[A-Za-z]?\d+(?:\s*[-–]\s*[A-Za-z]?\d+)?)(?:\s*,\s*[A-Za-z]?\d+"
                         r"(?:\s*[-–]\s*[A-Za-z]?\d+)?)*)?\.?$", parts[1]) or \
                re.match(r"^(?P<journal>[^,]+),\s*(?P<volume>\w+)?\s*(?:\((?P<issue>[^)]+)\))?,?\s*"
                         r"(?P<pages>[A-Za-z]?\d+(?:\s*[-–]\s*[A-Za-z]?\d+)?)?", parts[1])
            if m:
                fields.update({k: v for k, v in m.groupdict().items() if v})
                fields["journal"] = fields.get("journal", "").strip().rstrip(".") or None
    else:
        head = core[: vanc.start()] if vanc else core
        if vanc:
            fields.update(year=int(vanc.group("year")), volume=vanc.group("volume"),
                          issue=vanc.group("issue"), pages=re.sub(r"\s+", "", vanc.group("pages")))
        else:
            y = A.YEAR.search(core)
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
    for k in ("title", "journal", "volume", "issue", "pages"):   # a field read as '' was not read
        if isinstance(fields.get(k), str):
            fields[k] = fields[k].strip() or None
    return Reference(label=label, text=text, doi=doi_s, pmid=pmid.group(1) if pmid else None,
                     **{k: (tuple(v) if k == "authors" else v) for k, v in fields.items()
                        if k in {"authors", "title", "journal", "year", "volume", "issue", "pages"}})


# Names are read in any Latin, Greek or Cyrillic script (A.NAME_UPPER): with A–Z only, 'Pérez-Núñez, J.,
# & Zhang, J.' had the first author Zhang, and 'Özer E, Ersan M' was not read as authors at all.
_U = A.NAME_UPPER
_VANCOUVER_NAME = re.compile(rf"^(et al\.?|{_U}[\w'’-]+(?: {_U}[\w'’-]+)*(?: {_U}{{1,3}})?)$")
_INITIALS = re.compile(rf" {_U}{{1,3}}$")
_APA_NAME = re.compile(rf"({_U}{A.NAME_LETTERS}(?: {_U}[^\W\d_]+)?),\s*(?:{_U}\.\s*-?)+")


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
    return [m.group(1) for m in _APA_NAME.finditer(seg)] \
        or [s.strip() for s in seg.split(",")[:1] if re.search(r"[^\W\d_]", s)]


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
        if A.REFERENCE_HEADING.match(line):
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
    numbered = any(A.NUMBERED_ENTRY.match(ln) and len(ln.split()) >= 4 for ln in region)
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
        m = A.NUMBERED_ENTRY.match(ln) if numbered else None
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
        body = A.NUMBERED_ENTRY.sub("", entry, count=1)
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
    idx = [i for i, ln in enumerate(lines) if A.NUMBERED_ENTRY.match(ln) and _looks_like_reference(ln)]
    if len(idx) >= 2 and idx[-1] >= len([ln for ln in lines if ln.strip()]) // 2:
        return idx[0]
    return None


def _ends_list(line: str) -> bool:
    return bool(re.match(r"^\s*[A-Z][\w ]{0,30}:\s", line)) or (len(line.split()) <= 3 and not A.YEAR.search(line))


def _looks_like_reference(entry: str) -> bool:
    return bool(A.DOI.search(entry) or A.PMID.search(entry) or
                (A.YEAR.search(entry) and len(entry.split()) >= 5 and "." in entry))


# --- journals ---------------------------------------------------------------------------------
def _journal_words(name: str) -> list[str]:
    return [w for w in normalize(name.replace("&", " and ")).split() if w not in A.JOURNAL_STOPWORDS]


def canonical_journal(name: str | None) -> str | None:
    """The full journal name for an abbreviation in the table (else the name itself)."""
    if not name:
        return None
    n = normalize(name)
    for full, abbrs in A.JOURNAL_ABBREVIATIONS.items():
        if n == normalize(full) or any(n == normalize(a) for a in abbrs):
            return full
    return name.strip()


def same_journal(a: str | None, b: str | None) -> bool:
    """True for the same journal, written in full or abbreviated (table, then word-prefix rule)."""
    if not a or not b:
        return False
    ca, cb = canonical_journal(a), canonical_journal(b)
    if normalize(ca) == normalize(cb):
        return True
    wa, wb = _journal_words(ca), _journal_words(cb)
    if len(wa) != len(wb) or not wa:
        return False
    return all(x.startswith(y) or y.startswith(x) for x, y in zip(wa, wb))


# --- topic of a title ---------------------------------------------------------------------------
def _hair_words(vocab) -> tuple[str, ...]:
    words = list(A.HAIR_WORDS)
    for facet in ("condition",):
        for term in vocab[facet].terms.values():
            words += [n for n in (term.label, *term.synonyms) if len(n) >= A.SHORT_NAME]
    return tuple(dict.fromkeys(normalize(w) for w in words))


def title_topic(title: str | None, vocab) -> tuple[bool | None, str]:
    """(on hair?, why): True, False (off-topic, with the words that say so) or None (cannot tell)."""
    if not title:
        return None, "no title could be read"
    t = f" {normalize(title)} "
    hair = [w for w in _hair_words(vocab) if f" {w}" in t]
    if hair:
        return True, f"the title is about hair ({', '.join(hair[:4])})"
    for topic, words in A.OFF_TOPIC.items():
        hits = [w for w in words if f" {normalize(w)}" in t]
        if hits:
            return False, f"the title is about {topic} ({', '.join(hits)}), not hair"
    return None, "the title does not say it is about hair"


# --- matching ------------------------------------------------------------------------------------
def _norm_pages(p: str | None) -> str | None:
    if not p:
        return None
    m = re.match(r"[A-Za-z]?(\d+)", str(p))
    return m.group(1) if m else str(p)


def check_reference(ref: Reference | str, evidence, *, label: str = "") -> ReferenceFinding:
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
        from rapidfuzz import fuzz, process

        titles = {str(k): normalize(t) for k, t in zip(st["key"], st["title"])}
        best = process.extractOne(normalize(ref.title), titles, scorer=fuzz.token_sort_ratio)
        if best and best[1] >= A.TITLE_MATCH:
            key, how, score = best[2], "title", best[1]
    scope = tag_scope(ref.title or "", evidence.vocabulary) if ref.title else {}
    if key is None:
        on, why = title_topic(ref.title, evidence.vocabulary)
        if on is False:
            return ReferenceFinding(ref.label, ref.text, "off-topic", None,
                                    (f"topic: {why}; it is not in the evidence base",), ref, scope)
        ids = ", ".join(f"{n} {v}" for n, v in (("DOI", ref.doi), ("PMID", ref.pmid)) if v) or "no DOI or PMID given"
        unread = [n for n in ("authors", "title", "journal", "year") if not getattr(ref, n)]
        diffs = [f"not found: not in the evidence base ({ids}; no study title within "
                 f"{A.TITLE_MATCH}% similarity); {why}"]
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
    if _surname(ref.first_author) and not pd.isna(first) and _surname(ref.first_author) != _surname(str(first)):
        diffs.append(f"authors: the reference's first author is {ref.first_author}, the record's is {first}")
    if how == "title" and ref.doi and not pd.isna(row["doi"]) and ref.doi.casefold() != str(row["doi"]).casefold():
        diffs.append(f"DOI: the reference says {ref.doi}, the record says {row['doi']}")
    on, why = title_topic(str(row["title"]), evidence.vocabulary)
    matched = f"matched by {how}" + (f" ({score:.0f}% title similarity)" if score is not None else "")
    if on is False:
        return ReferenceFinding(ref.label, ref.text, "off-topic", key, (f"topic: {why}", matched, *diffs), ref, scope)
    status = "metadata-mismatch" if diffs else "verified"
    return ReferenceFinding(ref.label, ref.text, status, key, tuple(diffs) if diffs else (matched,), ref, scope)


# ---------------------------------------------------------------------------------------------
# tagging text with the vocabulary


def _names(vocab, facet: str, skip: frozenset[str] = frozenset()) -> list[tuple[str, str, bool]]:
    """(name, term, case-sensitive) of a facet, longest first."""
    out = []
    for term in vocab[facet].terms.values():
        if term.key in skip:
            continue
        for name in dict.fromkeys((term.key, term.label, *term.synonyms)):
            if name in A.UNTAGGED_NAMES:
                continue
            out.append((name, term.key, len(name) < A.SHORT_NAME or name.isupper() and len(name) <= 5))
    return sorted(out, key=lambda x: -len(x[0]))


def _find(text: str, vocab, facet: str, skip: frozenset[str] = frozenset()) -> list[tuple[str, int, int]]:
    """(term, start, end) of non-overlapping vocabulary names in `text`."""
    taken: list[tuple[int, int]] = []
    hits = []
    for name, term, exact in _names(vocab, facet, skip):
        pattern = r"(?<![\w-])" + r"[\s\-/]+".join(re.escape(w) for w in re.split(r"[\s\-/]+", name)) \
            + r"(?:s|es)?(?![\w-])"
        for m in re.finditer(pattern, text, 0 if exact else re.I):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            hits.append((term, m.start(), m.end()))
    return sorted(hits, key=lambda h: h[1])


def tag_scope(sentence: str, vocab) -> dict[str, tuple[str, ...]]:
    """What a sentence asserts, in vocabulary terms: cell_source (the vesicles' source),
    target_cells, vesicle_term, species, model, condition, outcome, route."""
    scope: dict[str, list[str]] = {k: [] for k in ("cell_source", "target_cells", "vesicle_term", "species",
                                                   "model", "condition", "outcome", "route")}
    for term, s, _e in _find(sentence, vocab, "cell_source", frozenset({"not stated", "mixed", "engineered"})):
        key = "target_cells" if A.TARGET_CONTEXT.search(sentence[max(0, s - 40):s]) else "cell_source"
        scope[key].append(term)
    scope["vesicle_term"] = [t for t, _, _ in _find(sentence, vocab, "vesicle_term")]
    for pattern, model, species in A.MODEL_CUES:
        if pattern.search(sentence):
            scope["model"].append(model)
            if model != "cell culture":
                scope["species"].append(species)
    scope["condition"] = [t for t, _, _ in _find(sentence, vocab, "condition", frozenset({"hair growth"}))]
    animal = "animal model" in scope["model"]
    for pattern, if_animal, if_people in A.OUTCOME_CUES:
        if pattern.search(sentence):
            out = if_animal if animal else if_people
            if out:
                scope["outcome"].append(out)
    tagged = [t for t, _, _ in _find(sentence, vocab, "outcome", A.UNTAGGED_OUTCOMES)]
    if animal:  # clinical scores are not measured in animals ("hair regrowth" names both)
        tagged = [t for t in tagged if vocab["outcome"].terms[t].get("group") != "clinical"]
    scope["outcome"] += tagged
    scope["route"] = [t for t, _, _ in _find(sentence, vocab, "route", frozenset({"not stated", "culture medium"}))]
    return {k: tuple(dict.fromkeys(v)) for k, v in scope.items()}


def claim_kind(sentence: str) -> tuple[str, str | None, float | None]:
    """(asserts, comparator, weeks) for a sentence."""
    for kind, pattern in A.CLAIM_KINDS:
        m = pattern.search(sentence)
        if not m or _negated(sentence, m.start()):
            continue
        comp = weeks = None
        if kind == "superiority":
            c = A.COMPARATOR.search(sentence)
            if not c:
                continue
            comp = c.group("comp")
        if kind == "durability":
            d = A.DURATION.search(sentence)
            if d:
                n = A.NUMBER_WORDS.get(d.group("n").casefold()) or int(d.group("n"))
                weeks = float(n * (52 if d.group("unit").casefold() == "year" else 4.33))
            else:
                weeks = float(A.PERMANENT_WEEKS)
        return kind, comp, weeks
    return "benefit", None, None


def _negated(sentence: str, at: int) -> bool:
    return bool(re.search(r"\b(not|never|nor|no longer|yet to be)\b[\w\s-]{0,20}$", sentence[max(0, at - 30):at], re.I))


# ---------------------------------------------------------------------------------------------
# sentences and their citations


_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+(?=[\"“(\[]?[A-Z0-9])")
_ABBREVIATION_END = re.compile("(?<!\\w)(?:" + "|".join(re.escape(a) for a in sorted(A.ABBREVIATIONS, key=len,
                                                                                    reverse=True)) + ")$")
_INITIAL = re.compile(r"(?<!\w)[A-Z]\.$")                     # 'J.' of 'Li J. Smith'
_AFTER_INITIAL = re.compile(r" ?[A-Z]\.| [A-Z][a-z]")


def split_sentences(text: str) -> list[tuple[int, str]]:
    """(paragraph index, sentence) pairs; abbreviations such as 'et al.' do not end a sentence.

    The text is cut where a sentence ends and nowhere else: every character is kept (the full
    stops of abbreviations were once swapped for control characters and back, which turned any
    such character of the text itself into a full stop)."""
    out = []
    for p, para in enumerate(re.split(r"\n\s*\n|\n(?=\S)", text)):
        para = _clean(para)
        if not para:
            continue
        start = 0
        for m in _SENTENCE_BREAK.finditer(para):
            before = para[max(0, m.start() - 12):m.start()]
            if _ABBREVIATION_END.search(before) or (_INITIAL.search(para, max(0, m.start() - 3), m.start())
                                                    and _AFTER_INITIAL.match(para, m.start())):
                continue
            out.append((p, para[start:m.start()]))
            start = m.end()
        out.append((p, para[start:]))
    return [(p, s.strip()) for p, s in out if s.strip()]


def _mentions(sentence: str, words: Sequence[str]) -> bool:
    s = sentence.casefold()
    return any(w in s for w in words)


def _is_claim(sentence: str, vocab) -> bool:
    s = sentence.casefold()
    vesicle = _mentions(s, A.VESICLE_WORDS) or bool(_find(sentence, vocab, "vesicle_term"))
    hair = any(w in normalize(sentence) for w in _hair_words(vocab)) or "hair" in s
    if not (vesicle and hair) or sentence.rstrip().endswith("?"):
        return False
    if not A.ASSERTION.search(sentence):
        return False
    return not (A.HEDGE_ONLY.search(sentence) and not re.search(
        r"\b(promot|increas|improv|regrow|stimulat|effective|prove|show|demonstrat|help|treat|restor|safe)", s))


def _without_sources(sentence: str) -> str:
    """The sentence with journal names and author-year markers blanked (they are not claims)."""
    for pattern in (A.PUBLISHED_IN, A.YEAR_STUDY_IN):
        sentence = pattern.sub(lambda m: " " * len(m.group(0)), sentence)
    for pattern in A.AUTHOR_YEAR:
        sentence = pattern.sub(lambda m: " " * len(m.group(0)), sentence)
    return sentence


@dataclass(frozen=True)
class ClaimFinding:
    sentence: str
    cites: tuple[str, ...]
    scope: Mapping[str, Any]
    verdict: str
    certainty: str | None
    overreach: tuple[str, ...]
    reasons: tuple[str, ...]
    studies: tuple[str, ...]
    differences: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"sentence": self.sentence, "cites": list(self.cites), "scope": dict(self.scope),
                "verdict": self.verdict, "certainty": self.certainty, "overreach": list(self.overreach),
                "reasons": list(self.reasons), "studies": list(self.studies)}


@dataclass(frozen=True)
class Findings:
    """What the audit of one text found: a finding per reference and per claim sentence."""

    references: tuple[ReferenceFinding, ...]
    claims: tuple[ClaimFinding, ...]
    notes: tuple[str, ...] = ()
    source: str = "text"

    def to_dict(self) -> dict[str, Any]:
        """The JSON form documented in the README (``exoreview audit --format json``)."""
        return {"references": [r.to_dict() for r in self.references],
                "claims": [c.to_dict() for c in self.claims]}

    def references_frame(self) -> pd.DataFrame:
        return pd.DataFrame([{"label": r.label, "status": r.status, "study": r.study or "",
                              "differences": "\n".join(r.differences), "text": r.text}
                             for r in self.references],
                            columns=["label", "status", "study", "differences", "text"])

    def claims_frame(self) -> pd.DataFrame:
        return pd.DataFrame([{"sentence": c.sentence, "cites": ", ".join(c.cites), "verdict": c.verdict,
                              "certainty": c.certainty or "—", "overreach": "\n".join(c.overreach),
                              "reasons": "\n".join(c.reasons), "studies": ", ".join(c.studies[:8])
                              + (f" … (+{len(c.studies) - 8})" if len(c.studies) > 8 else "")}
                             for c in self.claims],
                            columns=["sentence", "cites", "verdict", "certainty", "overreach", "reasons",
                                     "studies"])

    def summary(self) -> str:
        from collections import Counter

        rs = Counter(r.status for r in self.references)
        cs = Counter(c.verdict for c in self.claims)
        refs = ", ".join(f"{n} {s}" for s, n in rs.items()) or "none found"
        claims = ", ".join(f"{n} {v}" for v, n in cs.items()) or "none found"
        return f"{self.source}: references: {refs}; claims: {claims}"

    def to_text(self) -> str:
        lines = [self.summary(), "", "REFERENCES"]
        if not self.references:
            lines.append("  (no reference list found)")
        for r in self.references:
            lines.append(f"  [{r.label}] {r.status}" + (f" → {r.study}" if r.study else ""))
            lines.append(f"      {r.text}")
            lines += [f"      - {d}" for d in r.differences]
        lines += ["", "CLAIMS"]
        if not self.claims:
            lines.append("  (no sentence about exosomes/EVs and hair found)")
        for i, c in enumerate(self.claims, 1):
            lines.append(f"  {i}. {c.sentence}")
            lines.append(f"      verdict: {c.verdict}; certainty: {c.certainty or '—'}; cites: "
                         f"{', '.join(c.cites) or 'nothing'}")
            scope = "; ".join(f"{k}: {', '.join(v)}" for k, v in c.scope.items() if v and isinstance(v, tuple))
            if scope:
                lines.append(f"      asserts: {c.scope.get('asserts')}; {scope}")
            lines += [f"      - {r}" for r in c.reasons]
            lines += [f"      ! overreach: {o}" for o in c.overreach]
        if self.notes:
            lines += ["", "NOTES"] + [f"  {n}" for n in self.notes]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        return findings_html(self)


def _resolve_markers(sentence: str, refs: Sequence[Reference], numbered: bool) -> tuple[list[str], list[str]]:
    """Reference labels a sentence points to, and markers that point nowhere."""
    labels = {r.label for r in refs}
    found, missing = [], []

    def expand(nums: str) -> list[str]:
        out = []
        for part in re.split(r"\s*,\s*", nums):
            if re.search(r"[-–⁻]", part):
                a, b = re.split(r"\s*[-–⁻]\s*", part)[:2]
                if a.isdigit() and b.isdigit() and int(b) - int(a) < 50:
                    out += [str(i) for i in range(int(a), int(b) + 1)]
            elif part.strip().isdigit():
                out.append(str(int(part)))
        return out

    markers = [m.group("nums") for m in A.NUMBER_MARKER.finditer(sentence)]
    markers += [m.group("nums").translate(A.SUPERSCRIPTS) for m in A.SUPERSCRIPT_MARKER.finditer(sentence)]
    if numbered:
        markers += [m.group("nums") for m in A.PAREN_MARKER.finditer(sentence)]
    for nums in markers:
        for n in expand(nums):
            (found if n in labels else missing).append(n)
    for pattern in A.AUTHOR_YEAR:
        for m in pattern.finditer(sentence):
            # the whole surname: 'Tornero-Esteban' is 'tornero esteban' (its first word never matched)
            hit = [r.label for r in refs if r.year == int(m.group("year")) and r.first_author
                   and normalize(r.first_author) == normalize(m.group("author"))]
            if hit:
                found += hit
            else:
                missing.append(f"{m.group('author')} {m.group('year')}")
    return list(dict.fromkeys(found)), list(dict.fromkeys(missing))


def _published_in(sentence: str, refs: Sequence[Reference], evidence) -> tuple[list[str], list[str], list[str]]:
    """'a study published in <Journal> in <Year>': (reference labels, studies named, notes)."""
    labels, studies, notes = [], [], []
    for pattern in (A.PUBLISHED_IN, A.YEAR_STUDY_IN):
        for m in pattern.finditer(sentence):
            journal, year = m.group("journal").strip().rstrip(","), int(m.group("year"))
            hit = [r.label for r in refs if same_journal(journal, r.journal) and r.year == year]
            if hit:
                labels += hit
                notes.append(f"'published in {journal} in {year}' is reference "
                             + ", ".join(f"[{h}]" for h in hit))
                continue
            near = [r.label for r in refs if same_journal(journal, r.journal)]
            if near:
                labels += near
                notes.append(f"'published in {journal} in {year}' matches reference "
                             f"{', '.join('[' + n + ']' for n in near)} by journal only (its year differs)")
                continue
            st = evidence.studies
            same = [str(k) for k, j, y in zip(st["key"], st["journal"], st["year"])
                    if same_journal(journal, j) and not pd.isna(y) and int(y) == year]
            if same:
                studies += same
                notes.append(f"'published in {journal} in {year}': no such reference; the evidence base "
                             f"holds {', '.join(same)}")
            else:
                notes.append(f"'published in {journal} in {year}': neither the reference list nor the "
                             "evidence base holds such a study")
                labels.append(f"{journal} {year}")
    return labels, studies, notes


def compare_scope(scope: Mapping[str, Sequence[str]], other: Mapping[str, Sequence[str]], vocab,
                  what: str) -> list[str]:
    """Every difference between what a sentence asserts and what the cited work studied."""
    diffs = []
    for facet, name in (("cell_source", "cell source"), ("vesicle_term", "vesicle"), ("species", "species"),
                        ("condition", "condition"), ("outcome", "outcome")):
        claimed = [t for t in scope.get(facet) or () if not (facet == "condition" and t in
                                                               ("hair loss (unspecified)", "hair growth"))]
        if not claimed:
            continue
        vfacet = vocab[facet]
        studied = list(other.get(facet) or ())
        allowed = set(vocab.expand(facet, claimed))
        for c in claimed:
            allowed |= set(vfacet.ancestors(c))
        if facet == "outcome":  # an outcome group covers its members both ways
            allowed |= {vfacet.terms[s].get("group") for s in studied if s in vfacet.terms}
        if not studied or not allowed & set(studied) and not set(vocab.expand(facet, studied)) & set(claimed):
            said = ", ".join(vfacet.label(t) for t in claimed)
            got = ", ".join(vfacet.label(t) for t in studied) or "nothing of the kind"
            diffs.append(f"{name}: the sentence says {said}; {what} {got}")
    return diffs


def _study_scope(key: str, evidence) -> dict[str, tuple[str, ...]]:
    rec = evidence.records[key]
    models = rec.get("models") or []
    return {"cell_source": tuple(rec.get("cell_source") or ()), "vesicle_term": tuple(rec.get("vesicle_term") or ()),
            "species": tuple(m["species"] for m in models if m["model"] != "cell culture"),
            "condition": tuple(rec.get("condition") or ()),
            "outcome": tuple(o["outcome"] for o in rec.get("outcomes") or [])}


def audit(text: str, evidence, *, source: str = "text") -> Findings:
    """Audit a text's references and claims against `evidence` (nothing is written)."""
    from .grade import assess

    vocab = evidence.vocabulary
    refs, ref_line, notes = find_reference_list(text)
    numbered = any(A.NUMBERED_ENTRY.match(r.text) for r in refs)
    findings = [check_reference(r, evidence, label=r.label) for r in refs]
    by_label = {f.label: f for f in findings}
    body = "\n".join(text.splitlines()[: ref_line - 1]) if ref_line else text
    sentences = split_sentences(body)
    claims: list[ClaimFinding] = []
    recent: list[tuple[int, list[str]]] = []
    prev_claim: tuple[int, int] | None = None
    for i, (para, sentence) in enumerate(sentences):
        sentence = A.LABEL_PREFIX.sub("", sentence)
        labels, missing = _resolve_markers(sentence, refs, numbered)
        pub_labels, named_studies, link_notes = _published_in(sentence, refs, evidence)
        labels += [x for x in pub_labels if x not in labels]
        reasons: list[str] = list(link_notes)
        if not labels and not named_studies and A.BACK_REFERENCE.search(sentence):
            back = [lab for j, labs in recent if i - j <= A.BACK_WINDOW for lab in labs]
            if back:
                labels = list(dict.fromkeys(back))
                reasons.append(f"'{A.BACK_REFERENCE.search(sentence).group(0)}' refers back to "
                               + ", ".join(f"[{b}]" for b in labels))
        if labels or named_studies:
            recent.append((i, labels))
        continues = (bool(A.CONTINUATION.match(sentence)) and prev_claim == (i - 1, para)
                     and _is_claim(f"exosomes {sentence}", vocab))
        if not (_is_claim(sentence, vocab) or continues):
            continue
        prev_claim = (i, para)
        claims.append(_claim_finding(i, sentence, labels, missing, named_studies, reasons, by_label,
                                     evidence, assess))
    if not refs and any(A.NUMBER_MARKER.search(s) for _, s in sentences):
        notes.append("the text has numbered citation markers but no reference list was found")
    return Findings(tuple(findings), tuple(claims), tuple(notes), source)


def _claim_finding(i, sentence, labels, missing, named_studies, reasons, by_label, evidence, assess):
    vocab = evidence.vocabulary
    scope = tag_scope(_without_sources(sentence), vocab)
    if not scope["vesicle_term"] and A.CONTINUATION.match(sentence):
        scope["vesicle_term"] = ("exosome",)  # "It regrows ..." continues a sentence about exosomes
    kind, comp, weeks = claim_kind(sentence)
    cites: list[Cite] = []
    differences: list[str] = []
    broken: list[str] = []
    for lab in labels:
        f = by_label.get(lab)
        if f is None:
            broken.append(f"it cites {lab}, which is neither in the reference list nor in the evidence base")
            continue
        if f.status in ("not-found", "off-topic"):
            what = "the cited title says"
            diffs = compare_scope(scope, f.title_scope, vocab, what)
            broken.append(f"reference [{lab}] is {f.status}: " + "; ".join(f.differences))
            differences += [f"[{lab}] {d}" for d in diffs]
            continue
        cites.append(Cite(f.text, f.study))
        diffs = compare_scope(scope, _study_scope(f.study, evidence), vocab, f"{f.study} studied")
        differences += [f"[{lab}] {d}" for d in diffs]
    for key in named_studies:
        cites.append(Cite(None, key))
        differences += compare_scope(scope, _study_scope(key, evidence), vocab, f"{key} studied")
    for m in missing:
        broken.append(f"citation marker {m} points to no entry of the reference list")
    cells_only = scope["model"] and set(scope["model"]) == {"cell culture"}
    claim = Claim(key=f"sentence-{i + 1}", statement=sentence, asserts=kind,
                  condition=scope["condition"], species=() if cells_only else scope["species"],
                  cell_source=scope["cell_source"],
                  vesicle_term=tuple(v for v in scope["vesicle_term"]) or ("exosome",),
                  outcome=scope["outcome"], route=scope["route"], comparator=comp,
                  min_follow_up_weeks=weeks if kind == "durability" else None, cites=tuple(cites),
                  cells=bool(cells_only))
    own = assess(replace(claim, cites=()), evidence)
    a = assess(claim, evidence) if cites else own
    out_reasons = list(reasons) + broken
    if a.verdict == "misattributed":
        out_reasons += [r for r in a.reasons if not r.startswith("the evidence base itself")]
    out_reasons += differences
    misattributed = bool(broken) or a.verdict == "misattributed"
    if misattributed:
        addressing = [r.key for r in own.supporting if r.kind == "study"]
        if addressing:
            out_reasons.append("studies in the evidence base that do address this scope (not cited): "
                               + ", ".join(addressing[:8]) + (" …" if len(addressing) > 8 else ""))
        out_reasons.append(f"on the evidence alone this scope would be {own.verdict}"
                           + (f" ({own.certainty} certainty)" if own.certainty else "") + ": "
                           + "; ".join(own.reasons))
    else:
        out_reasons += list(own.reasons)
    verdict = "misattributed" if misattributed else own.verdict
    a = own
    overreach = _overreach(sentence, a, evidence, bool(cites) or bool(labels))
    studies = tuple(dict.fromkeys([*(c.study for c in cites if c.study),
                                   *(r.key for r in a.supporting if r.kind == "study"),
                                   *(r.key for r in a.contradicting if r.kind == "study")]))
    scope_out: dict[str, Any] = {k: v for k, v in scope.items()}
    scope_out["asserts"] = kind
    if comp:
        scope_out["comparator"] = comp
    if weeks:
        scope_out["min_follow_up_weeks"] = weeks
    return ClaimFinding(sentence, tuple(labels), scope_out, verdict, a.certainty, tuple(overreach),
                        tuple(dict.fromkeys(out_reasons)), studies, tuple(differences))


def _overreach(sentence: str, a, evidence, cited: bool) -> list[str]:
    out = []
    for name, pattern, need in A.OVERREACH:
        m = pattern.search(sentence)
        if not m or (name in ("approved", "proven", "permanent") and _negated(sentence, m.start())):
            continue
        if name == "unsourced percentage" and cited:
            continue
        if name == "proven" and re.search(r"clinically (proven|shown)", sentence, re.I):
            continue
        shows = _evidence_shows(name, a, evidence)
        out.append(f"'{m.group(0)}': {need}; {shows}")
    return out


def _evidence_shows(name: str, a, evidence) -> str:
    reg = evidence.regulatory
    if name == "approved":
        none = reg[(reg["approved_products"] == 0).fillna(False).to_numpy(dtype=bool)]
        return (f"regulators state no exosome product is approved ({', '.join(none['key'])})" if len(none)
                else "no approval is on record in the evidence base")
    if name == "no side effects":
        ae = reg[reg["adverse_events_reported"].fillna(False).to_numpy(dtype=bool)]
        return f"{len(ae)} regulator or safety records report adverse events after exosome products"
    if name == "permanent":
        st = evidence.studies
        human = st[(st["human"].fillna(False) & st["has_results"].fillna(False)
                    & st["isolated_vesicles"].fillna(False)).to_numpy(dtype=bool)]
        longest = human["follow_up_weeks"].max()
        return ("no human exosome study reports follow-up" if pd.isna(longest) else
                f"the longest follow-up of a human exosome study in the evidence base is {float(longest):g} weeks")
    verdict = a.verdict if a.verdict != "misattributed" else "see reasons"
    return f"the evidence for this scope is {verdict}" + (f" at {a.certainty} certainty" if a.certainty else "")


# ---------------------------------------------------------------------------------------------
STATUS_COLOURS = {"verified": "#009E73", "metadata-mismatch": "#E69F00", "off-topic": "#D55E00",
                  "not-found": "#CC79A7"}


def findings_html(f: Findings) -> str:
    """The audit as two HTML tables (references, claims); every piece of text is escaped."""
    from .grade import VERDICT_COLOURS

    e = html.escape

    def badge(text: str, colour: str) -> str:
        return f'<span style="background:{colour};color:#fff;padding:1px 6px;border-radius:3px">{e(text)}</span>'

    ref_rows = "".join(
        f"<tr><td>{e(r.label)}</td><td>{badge(r.status, STATUS_COLOURS.get(r.status, '#999'))}</td>"
        f"<td>{e(r.study or '')}</td><td>{e(r.text)}<ul>{''.join(f'<li>{e(d)}</li>' for d in r.differences)}"
        "</ul></td></tr>" for r in f.references) or '<tr><td colspan="4">no reference list found</td></tr>'
    claim_rows = "".join(
        f"<tr><td>{e(c.sentence)}</td><td>{e(', '.join(c.cites))}</td>"
        f"<td>{badge(c.verdict, VERDICT_COLOURS.get(c.verdict, '#999'))}</td><td>{e(c.certainty or '—')}</td>"
        f"<td><ul>{''.join(f'<li>{e(r)}</li>' for r in c.reasons)}"
        f"{''.join(f'<li><b>overreach</b>: {e(o)}</li>' for o in c.overreach)}</ul></td></tr>"
        for c in f.claims) or '<tr><td colspan="5">no sentence about exosomes/EVs and hair found</td></tr>'
    notes = "".join(f"<li>{e(n)}</li>" for n in f.notes)
    return (f'<div class="exoreview-audit"><p>{e(f.summary())}</p>'
            '<table class="exoreview-audit-references"><tr><th>ref</th><th>status</th><th>study</th>'
            f"<th>reference and differences</th></tr>{ref_rows}</table>"
            '<table class="exoreview-audit-claims"><tr><th>sentence</th><th>cites</th><th>verdict</th>'
            f"<th>certainty</th><th>reasons</th></tr>{claim_rows}</table>"
            + (f"<ul>{notes}</ul>" if notes else "") + "</div>")


def read_text_file(path) -> str:
    """A text file's content as UTF-8; :class:`UsageError` (exit 2) for missing, binary or
    non-UTF-8 files, naming the file and the fix."""
    from pathlib import Path

    from .errors import UsageError
    from .yamlio import display_path

    p = Path(path)
    shown = display_path(p)
    if p.is_dir():
        raise UsageError(f"{shown} is a folder; give a text file")
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise UsageError(f"{shown}: no such file") from None
    except OSError as err:
        raise UsageError(f"{shown}: cannot read the file: {err.strerror}") from None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if b"\x00" in raw[:8192]:
        raise UsageError(f"{shown} is a binary file, not text; save the text as a UTF-8 .txt file")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise UsageError(f"{shown}:{line}: not UTF-8 (byte 0x{raw[err.start]:02x}); save the file as "
                         "UTF-8") from None


def source_texts(evidence) -> list:
    """The texts in ``<evidence>/sources/`` (``*.txt``), by name."""
    from pathlib import Path

    folder = Path(evidence.root) / "sources"
    return sorted(folder.glob("*.txt")) if folder.is_dir() else []


def audit_file(path, evidence) -> Findings:
    """Audit a text file (UTF-8); :class:`UsageError` for missing, binary or non-UTF-8 files."""
    from pathlib import Path

    return audit(read_text_file(path), evidence, source=Path(path).name)


__all__ = ["audit", "audit_file", "source_texts", "Findings", "ClaimFinding", "ReferenceFinding", "Reference", "parse_reference",
           "find_reference_list", "check_reference", "tag_scope", "split_sentences", "same_journal",
           "canonical_journal", "title_topic", "findings_html", "read_text_file"]
