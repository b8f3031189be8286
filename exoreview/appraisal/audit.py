"""Auditing a text: ``audit(text, evidence) -> Findings``.

1. References: the reference list is found (numbered or not; Vancouver, AMA, APA-like), each entry
   parsed (authors, title, journal, year, volume, pages, DOI, PMID) and matched to the evidence
   (DOI, then PMID, then fuzzy title): verified, metadata-mismatch (each difference listed),
   off-topic (judged from the record or, when the work is not in the evidence, from its title) or
   not-found.
2. Claims: sentences about exosomes/EVs and hair, linked to their references (numbered markers,
   author–year, "a study published in <Journal> in <Year>", "these studies"), tagged with the
   vocabulary, compared with what the cited work studied, graded with :func:`exoreview.appraisal.grade.assess`
   and checked for overreach phrases.

Reference lists and their matching are :mod:`.citations`; what a sentence asserts is :mod:`.scope`;
rules are tables in :mod:`exoreview.appraisal.audit_rules`. The text is never executed or written
anywhere.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pandas as pd

from ..core.claims import Cite, Claim
from ..core.evidence import Evidence
from ..core.paths import sources_folder
from ..core.vocab import normalize
from . import audit_rules, scope_rules
from .assessment import Assessment
from .citations import (
    Reference,
    check_reference,
    clean_text,
    find_reference_list,
    same_journal,
)
from .detect import Topic, document_topic, read_sentence
from .findings import ClaimFinding, Findings
from .grade import assess
from .scope import claim_kind, compare_scope, negated, study_scope, tag_scope
from .texts import read_text

# --- sentences and their citations ------------------------------------------------------------


_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+(?=[\"“(\[]?[A-Z0-9])")
_ABBREVIATION_END = re.compile(
    "(?<!\\w)(?:"
    + "|".join(re.escape(a) for a in sorted(audit_rules.ABBREVIATIONS, key=len, reverse=True))
    + ")$"
)
_INITIAL = re.compile(r"(?<!\w)[A-Z]\.$")  # 'J.' of 'Li J. Smith'
_AFTER_INITIAL = re.compile(r" ?[A-Z]\.| [A-Z][a-z]")


def split_sentences(text: str) -> list[tuple[int, str]]:
    """(paragraph index, sentence) pairs; abbreviations such as 'et al.' do not end a sentence.

    The text is cut where a sentence ends and nowhere else: every character is kept (the full
    stops of abbreviations were once swapped for control characters and back, which turned any
    such character of the text itself into a full stop)."""
    out = []
    for p, para in enumerate(re.split(r"\n\s*\n|\n(?=\S)", text)):
        para = clean_text(para)
        if not para:
            continue
        start = 0
        for m in _SENTENCE_BREAK.finditer(para):
            before = para[max(0, m.start() - 12) : m.start()]
            if _ABBREVIATION_END.search(before) or (
                _INITIAL.search(para, max(0, m.start() - 3), m.start())
                and _AFTER_INITIAL.match(para, m.start())
            ):
                continue
            out.append((p, para[start : m.start()]))
            start = m.end()
        out.append((p, para[start:]))
    return [(p, s.strip()) for p, s in out if s.strip()]


def _without_sources(sentence: str) -> str:
    """The sentence with journal names and author-year markers blanked (they are not claims)."""
    for pattern in audit_rules.JOURNAL_PATTERNS:
        sentence = pattern.sub(lambda m: " " * len(m.group(0)), sentence)
    for pattern in audit_rules.AUTHOR_YEAR:
        sentence = pattern.sub(lambda m: " " * len(m.group(0)), sentence)
    return sentence


def _resolve_markers(sentence: str, refs: Sequence[Reference], numbered: bool) -> tuple[list[str], list[str]]:
    """Reference labels a sentence points to, and markers that point nowhere."""
    labels = {r.label for r in refs}
    found: list[str] = []
    missing: list[str] = []

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

    markers = [m.group("nums") for m in audit_rules.NUMBER_MARKER.finditer(sentence)]
    markers += [
        m.group("nums").translate(audit_rules.SUPERSCRIPTS)
        for m in audit_rules.SUPERSCRIPT_MARKER.finditer(sentence)
    ]
    if numbered:
        markers += [m.group("nums") for m in audit_rules.PAREN_MARKER.finditer(sentence)]
    for nums in markers:
        for n in expand(nums):
            (found if n in labels else missing).append(n)
    for pattern in audit_rules.AUTHOR_YEAR:
        for m in pattern.finditer(sentence):
            # the whole surname: 'Tornero-Esteban' is 'tornero esteban' (its first word never matched)
            hit = [
                r.label
                for r in refs
                if r.year == int(m.group("year"))
                and r.first_author
                and normalize(r.first_author) == normalize(m.group("author"))
            ]
            if hit:
                found += hit
            else:
                missing.append(f"{m.group('author')} {m.group('year')}")
    return list(dict.fromkeys(found)), list(dict.fromkeys(missing))


def _published_in(
    sentence: str, refs: Sequence[Reference], evidence
) -> tuple[list[str], list[str], list[str]]:
    """'a study published in <Journal> in <Year>': (reference labels, studies named, notes)."""
    labels, studies, notes = [], [], []
    seen: set[tuple[str, int]] = set()
    years: set[int] = set()  # a year already read by an earlier pattern (its journal too)
    for pattern in audit_rules.JOURNAL_PATTERNS:
        for m in pattern.finditer(sentence):
            journal, year = m.group("journal").strip().rstrip(","), int(m.group("year"))
            if (
                (journal.casefold(), year) in seen
                or journal.casefold() in ("a", "the", "one", "this")
                or m.start("year") in years
            ):
                continue
            seen.add((journal.casefold(), year))
            years.add(m.start("year"))
            hit = [r.label for r in refs if same_journal(journal, r.journal) and r.year == year]
            if hit:
                labels += hit
                notes.append(
                    f"'published in {journal} in {year}' is reference " + ", ".join(f"[{h}]" for h in hit)
                )
                continue
            near = [r.label for r in refs if same_journal(journal, r.journal)]
            if near:
                labels += near
                notes.append(
                    f"'published in {journal} in {year}' matches reference "
                    f"{', '.join('[' + n + ']' for n in near)} by journal only (its year differs)"
                )
                continue
            st = evidence.studies
            same = [
                str(k)
                for k, j, y in zip(st["key"], st["journal"], st["year"])
                if same_journal(journal, j) and not pd.isna(y) and int(y) == year
            ]
            if same:
                studies += same
                notes.append(
                    f"'published in {journal} in {year}': no such reference; the evidence base "
                    f"holds {', '.join(same)}"
                )
            else:
                notes.append(
                    f"'published in {journal} in {year}': no study in the evidence base matches "
                    "journal and year, and no reference list gives it"
                )
                labels.append(f"{journal} {year}")
    return labels, studies, notes


def audit(text: str, evidence: Evidence, *, source: str = "text", topic: Topic | None = None) -> Findings:
    """Audit a text's references and claims against `evidence` (nothing is written). The page's
    topic is read from the text unless `topic` says it (an excerpt of a page whose title is not in
    the text)."""
    vocab = evidence.vocabulary
    refs, ref_line, notes = find_reference_list(text)
    numbered = any(audit_rules.NUMBERED_ENTRY.match(r.text) for r in refs)
    findings = [check_reference(r, evidence, label=r.label) for r in refs]
    by_label = {f.label: f for f in findings}
    body = "\n".join(text.splitlines()[: ref_line - 1]) if ref_line else text
    sentences = split_sentences(body)
    topic = topic or document_topic([s for _p, s in sentences], vocab)
    claims: list[ClaimFinding] = []
    recent: list[tuple[int, list[str]]] = []
    for i, (_para, labelled) in enumerate(sentences):
        sentence = audit_rules.LABEL_PREFIX.sub("", labelled)  # "History: The use of ..."
        labels, missing = _resolve_markers(sentence, refs, numbered)
        pub_labels, named_studies, link_notes = _published_in(sentence, refs, evidence)
        labels += [x for x in pub_labels if x not in labels]
        reasons: list[str] = list(link_notes)
        if not labels and not named_studies and (back_ref := audit_rules.BACK_REFERENCE.search(sentence)):
            back = [lab for j, labs in recent if i - j <= audit_rules.BACK_WINDOW for lab in labs]
            if back:
                labels = list(dict.fromkeys(back))
                reasons.append(f"'{back_ref.group(0)}' refers back to " + ", ".join(f"[{b}]" for b in labels))
        if labels or named_studies:
            recent.append((i, labels))
        reading = read_sentence(sentence, topic, vocab)
        if (
            reading.kind != "claim" and labelled != sentence
        ):  # the label may be the claim ("No Risk of X: ...")
            reading = read_sentence(labelled, topic, vocab)
            sentence = labelled
        if reading.kind != "claim":
            continue
        claims.append(
            _claim_finding(i, sentence, labels, missing, named_studies, reasons, by_label, evidence, topic)
        )
    if not refs and any(audit_rules.NUMBER_MARKER.search(s) for _, s in sentences):
        notes.append("the text has numbered citation markers but no reference list was found")
    return Findings(tuple(findings), tuple(claims), tuple(notes), source)


def _claim_finding(i, sentence, labels, missing, named_studies, reasons, by_label, evidence, topic):
    vocab = evidence.vocabulary
    scope = tag_scope(_without_sources(sentence), vocab)
    if not scope["vesicle_term"]:  # the page's topic carries: "It delivers growth factors ..."
        scope["vesicle_term"] = ("conditioned medium",) if topic.secretome else ("exosome",)
    if not scope["condition"]:
        scope["condition"] = tuple(name for name, p in scope_rules.POPULATIONS if p.search(sentence))
    if not scope["condition"] and topic.hair:  # on a page about hair, a claim is about hair use
        scope["condition"] = ("hair loss (unspecified)",)
    named = claim_kind(sentence)
    kind = str(named["asserts"])
    if kind == "mechanism":  # how it works is measured by cell, follicle and cycle outcomes
        scope["outcome"] = tuple(named.get("mechanism_outcomes") or ())
    cites: list[Cite] = []
    differences: list[str] = []
    broken: list[str] = []
    for lab in labels:
        f = by_label.get(lab)
        if f is None:
            broken.append(
                f"it names {lab}: no study in the evidence base matches that journal and year, and the "
                "text gives no reference list"
                if re.search(r"(19|20)\d{2}$", lab)
                else f"it cites {lab}, which is neither in the reference list nor in the evidence base"
            )
            continue
        if f.status in ("not-found", "off-topic"):
            what = "the cited title says"
            diffs = compare_scope(scope, f.title_scope, vocab, what)
            broken.append(f"reference [{lab}] is {f.status}: " + "; ".join(f.differences))
            differences += [f"[{lab}] {d}" for d in diffs]
            continue
        cites.append(Cite(f.text, f.study))
        diffs = compare_scope(scope, study_scope(f.study, evidence), vocab, f"{f.study} studied")
        differences += [f"[{lab}] {d}" for d in diffs]
    for key in named_studies:
        cites.append(Cite(None, key))
        differences += compare_scope(scope, study_scope(key, evidence), vocab, f"{key} studied")
    for m in missing:
        broken.append(f"citation marker {m} points to no entry of the reference list")
    cells_only = scope["model"] and set(scope["model"]) == {"cell culture"}
    claim = Claim(
        key=f"sentence-{i + 1}",
        statement=sentence,
        asserts=kind,
        condition=scope["condition"],
        species=() if cells_only else scope["species"],
        cell_source=scope["cell_source"],
        vesicle_term=tuple(v for v in scope["vesicle_term"]) or ("exosome",),
        outcome=scope["outcome"],
        route=scope["route"],
        comparator=named.get("comparator"),
        min_follow_up_weeks=named.get("min_follow_up_weeks"),
        onset_weeks=named.get("onset_weeks"),
        dose_particles=named.get("dose_particles"),
        dose_sessions=named.get("dose_sessions"),
        unmeasured=tuple(named.get("unmeasured") or ()),
        regulator=named.get("regulator"),
        registration=bool(named.get("registration")),
        restriction=bool(named.get("restriction")),
        cites=tuple(cites),
        cells=bool(cells_only),
    )
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
            out_reasons.append(
                "studies in the evidence base that do address this scope (not cited): "
                + ", ".join(addressing[:8])
                + (" …" if len(addressing) > 8 else "")
            )
        out_reasons.append(
            f"on the evidence alone this scope would be {own.verdict}"
            + (f" ({own.certainty} certainty)" if own.certainty else "")
            + ": "
            + "; ".join(own.reasons)
        )
    else:
        out_reasons += list(own.reasons)
    verdict = "misattributed" if misattributed else own.verdict
    a = own
    overreach = _overreach(sentence, a, evidence, bool(cites) or bool(labels))
    studies = tuple(
        dict.fromkeys(
            [
                *(c.study for c in cites if c.study),
                *(r.key for r in a.supporting if r.kind == "study"),
                *(r.key for r in a.contradicting if r.kind == "study"),
            ]
        )
    )
    scope_out: dict[str, Any] = {k: v for k, v in scope.items()}
    scope_out.update(named)
    return ClaimFinding(
        sentence,
        tuple(labels),
        scope_out,
        verdict,
        a.certainty,
        tuple(overreach),
        tuple(dict.fromkeys(out_reasons)),
        studies,
        tuple(differences),
    )


def _overreach(sentence: str, a: Assessment, evidence: Evidence, cited: bool) -> list[str]:
    out = []
    for rule in audit_rules.OVERREACH:
        m = rule.pattern.search(sentence)
        if not m or (rule.negatable and negated(sentence, m.start())):
            continue
        if (rule.sourced_when_cited and cited) or (rule.unless and rule.unless.search(sentence)):
            continue
        out.append(f"'{m.group(0)}': {rule.need}; {EVIDENCE_SHOWS[rule.shows](a, evidence)}")
    return out


def _approvals(a: Assessment, evidence: Evidence) -> str:
    reg = evidence.regulatory
    none = reg[(reg["approved_products"] == 0).fillna(False).to_numpy(dtype=bool)]
    return (
        f"regulators state no exosome product is approved ({', '.join(none['key'])})"
        if len(none)
        else "no approval is on record in the evidence base"
    )


def _adverse_events(a: Assessment, evidence: Evidence) -> str:
    reg = evidence.regulatory
    ae = reg[reg["adverse_events_reported"].fillna(False).to_numpy(dtype=bool)]
    return f"{len(ae)} regulator or safety records report adverse events after exosome products"


def _follow_up(a: Assessment, evidence: Evidence) -> str:
    st = evidence.studies
    human = st[
        (
            st["human"].fillna(False)
            & st["has_results"].fillna(False)
            & st["isolated_vesicles"].fillna(False)
        ).to_numpy(dtype=bool)
    ]
    longest = human["follow_up_weeks"].max()
    return (
        "no human exosome study reports follow-up"
        if pd.isna(longest)
        else f"the longest follow-up of a human exosome study in the evidence base is {float(longest):g} weeks"
    )


def _verdict_of(a: Assessment, evidence: Evidence) -> str:
    verdict = a.verdict if a.verdict != "misattributed" else "see reasons"
    return f"the evidence for this scope is {verdict}" + (
        f" at {a.certainty} certainty" if a.certainty else ""
    )


# what the audit shows beside an overreach (audit_rules.Overreach.shows → the fact)
EVIDENCE_SHOWS = {
    "approvals": _approvals,
    "adverse events": _adverse_events,
    "follow-up": _follow_up,
    "verdict": _verdict_of,
}


SOURCE_SUFFIXES = (".txt", ".html", ".htm", ".pdf")


def source_texts(evidence: Evidence) -> list[Path]:
    """The texts in ``<evidence>/sources/`` (plain text, saved web pages, PDFs), by name."""
    folder = sources_folder(evidence.root)
    return (
        sorted(p for p in folder.iterdir() if p.suffix.lower() in SOURCE_SUFFIXES) if folder.is_dir() else []
    )


def audit_file(path, evidence: Evidence) -> Findings:
    """Audit a text file, a saved web page or a PDF (:mod:`.texts`); :class:`UsageError` for a file
    that gives no text."""
    return audit(read_text(path), evidence, source=Path(path).name)
