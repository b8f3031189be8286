"""Fuzzing the audit's text readers: ``parse_reference``, ``find_reference_list`` and
``split_sentences`` (≥ 500 generated inputs each) and the whole ``audit`` (fewer: it grades every
claim) raise nothing but exoreview's own errors and return what they document, whatever the text.

Structured inputs are reference lists in Vancouver, AMA and APA-like styles, numbered "1." /
"[1]" / "1)" / "(1)" or not, under a "References" heading or none, after a body of sentences with
citation markers; then mutated (lines dropped, duplicated, cut, junk inserted). A well-formed
numbered list of N entries must read as N references with the generated labels, years and DOIs."""

from __future__ import annotations

import functools
import json
import string
from dataclasses import dataclass

import pytest
from conftest import EVIDENCE
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import exoreview as xr
from exoreview.appraisal.audit import _resolve_markers, audit, split_sentences
from exoreview.appraisal.cards import findings_html
from exoreview.appraisal.citations import (
    Reference,
    ReferenceFinding,
    check_reference,
    find_reference_list,
    parse_reference,
)
from exoreview.appraisal.findings import ClaimFinding, Findings
from exoreview.appraisal.grading_rules import VERDICT_NAMES
from exoreview.errors import ExoreviewError

FUZZ = settings(
    max_examples=500,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)

# hundreds of generated inputs: `make test` runs them, `make check` leaves them out
pytestmark = pytest.mark.slow
pick = st.sampled_from


# -- invariants ---------------------------------------------------------------------------------
def check_reference_type(ref: Reference, label: str | None = None) -> None:
    assert isinstance(ref, Reference) and isinstance(ref.text, str) and isinstance(ref.label, str)
    if label is not None:
        assert ref.label == label
    assert isinstance(ref.authors, tuple)
    assert all(isinstance(a, str) and any(c.isalpha() for c in a) for a in ref.authors), ref.authors
    for f in ("title", "journal", "volume", "issue", "pages"):
        v = getattr(ref, f)
        assert v is None or (isinstance(v, str) and v.strip()), (f, ref)
    assert ref.year is None or (type(ref.year) is int and 1900 <= ref.year <= 2099)
    assert ref.doi is None or (isinstance(ref.doi, str) and ref.doi.startswith("10.") and " " not in ref.doi)
    assert ref.pmid is None or (isinstance(ref.pmid, str) and ref.pmid.isdigit())
    assert ref.first_author == (ref.authors[0] if ref.authors else None)


def parse(text: str, label: str = "") -> Reference:
    ref = parse_reference(text, label)
    check_reference_type(ref, label)
    assert ref.text == " ".join(text.replace("\u00a0", " ").split())
    return ref


def find(text: str):
    refs, start, notes = find_reference_list(text)
    assert isinstance(refs, list) and isinstance(notes, list) and all(isinstance(n, str) and n for n in notes)
    for r in refs:
        check_reference_type(r)
        assert r.label and r.text
    assert start is None or (type(start) is int and 1 <= start <= max(len(text.splitlines()), 1))
    if start is None:
        assert refs == []
    return refs, start, notes


def sentences(text: str):
    out = split_sentences(text)
    assert isinstance(out, list)
    paras = [p for p, _ in out]
    assert paras == sorted(paras) and all(type(p) is int and p >= 0 for p in paras)
    for _, s in out:
        assert isinstance(s, str) and s and s == s.strip() and "\n" not in s
    # nothing is lost, added or changed: the sentences hold the text's characters, in order
    assert "".join("".join(s.split()) for _, s in out) == "".join(text.replace("\u00a0", " ").split())
    return out


# -- random text ----------------------------------------------------------------------------------
REFERENCE_CHARS = st.lists(
    pick(
        list(string.ascii_letters[:8] + "ABZ 0123456789.,;:()[]-–/&\n\t\u00a0\x00\x01\ufffd")
        + ["doi:", "10.", "PMID:", "2019", "et al.", "(2017).", "https://", "References", "1. ", "[2] "]
    ),
    max_size=120,
).map("".join)
any_text = st.one_of(st.text(max_size=400), REFERENCE_CHARS)


@FUZZ
@given(text=any_text, label=st.text(max_size=4))
def test_parse_reference_any_text(text, label):
    parse(text, label)


@FUZZ
@given(text=any_text)
def test_find_reference_list_any_text(text):
    find(text)


SENTENCE_PIECES = st.lists(
    pick(list('Ab. !?\n"“([0\x00\x01') + ["e.g.", "et al.", "Fig.", "J.", "Dr.", "pp."]), max_size=80
).map("".join)


@FUZZ
@given(text=st.one_of(any_text, SENTENCE_PIECES))
def test_split_sentences_any_text(text):
    sentences(text)


# -- structured reference lists ---------------------------------------------------------------------
TITLE_WORDS = (
    "Exosomes",
    "derived",
    "from",
    "adipose",
    "stem",
    "cells",
    "promote",
    "hair",
    "growth",
    "in",
    "mice",
    "miR-218-5p",
    "CD63",
    "β-catenin",
    "(ADSC-Exos)",
    "dermal",
    "papilla",
    "and",
    "the",
    "Wnt/β-catenin",
    "pathway",
    "androgenetic",
    "alopecia:",
    "a",
    "randomized",
    "trial",
    "review",
    "of",
    "extracellular",
    "vesicles",
    "bone",
    "regeneration",
    "scaffolds",
    "women",
    "with",
    "follicle",
    "anagen",
    "Pérez",
)
SURNAMES = (
    "Zhang",
    "Li",
    "Rajendran",
    "Gangadaran",
    "Pérez-Núñez",
    "O'Neill",
    "Kwack",
    "Ersan",
    "Müller",
    "Yan",
    "Özer",
    "Tornero-Esteban",
    "Łukasik",
)
JOURNALS = {
    "short": (
        "Sci Rep",
        "Stem Cells Transl Med",
        "Int J Mol Sci",
        "J Cosmet Dermatol",
        "Cells",
        "Aesthetic Plast Surg",
    ),
    "full": (
        "Scientific Reports",
        "Stem Cells Translational Medicine",
        "International Journal of Molecular Sciences",
        "Journal of Cosmetic Dermatology",
        "Cells",
    ),
}
MONTHS = ("", " Jan", " Oct", " Nov 14")

dois = st.builds(
    lambda n, body, tail: f"10.{n}/{body}{tail}",
    st.integers(1000, 99999999),
    st.text(string.ascii_letters + string.digits + "._-/()", max_size=12),
    pick(string.ascii_letters + string.digits),
)
citation = st.fixed_dictionaries(
    {
        "authors": st.lists(
            st.tuples(pick(SURNAMES), pick(("J", "RL", "SS", "K", "ML"))), min_size=1, max_size=4
        ),
        "et_al": st.booleans(),
        "title": st.lists(pick(TITLE_WORDS), min_size=2, max_size=10)
        .map(lambda w: " ".join(w))
        .map(lambda t: t[0].upper() + t[1:]),
        "journal": st.integers(0, 4),
        "year": st.integers(1950, 2049),
        "month": pick(MONTHS),
        "volume": st.integers(1, 999).map(str),
        "issue": st.one_of(st.none(), st.integers(1, 24).map(str)),
        "pages": st.one_of(
            st.none(),
            st.integers(1, 9999).map(str),
            st.builds(lambda a, n: f"{a}-{a + n}", st.integers(1, 9999), st.integers(1, 99)),
            st.integers(1000, 9999).map(lambda n: f"e{n}"),
        ),
        "doi": st.one_of(st.none(), dois),
        "doi_form": pick(("doi:", "doi: ", "https://doi.org/", "DOI: ")),
        "pmid": st.one_of(st.none(), st.integers(1, 99_999_999).map(str)),
    }
)


def vancouver(c: dict, *, ama: bool = False) -> str:
    names = ", ".join(f"{s} {i}" for s, i in c["authors"]) + (", et al" if c["et_al"] else "")
    journal = JOURNALS["short"][c["journal"] % len(JOURNALS["short"])]
    date = f"{c['year']}{'' if ama else c['month']}"
    where = (
        f"{date};{c['volume']}"
        + (f"({c['issue']})" if c["issue"] else "")
        + (f":{c['pages']}" if c["pages"] else "")
    )
    out = f"{names}. {c['title']}. {journal}. {where}."
    if c["doi"]:
        out += f" {'doi:' if ama else c['doi_form']}{c['doi']}"
    if c["pmid"]:
        out += f"{'.' if c['doi'] else ''} PMID: {c['pmid']}"
    return out


def apa(c: dict) -> str:
    names = [f"{s}, {'. '.join(i)}." for s, i in c["authors"]]
    authors = names[0] if len(names) == 1 else ", ".join(names[:-1]) + ", & " + names[-1]
    journal = JOURNALS["full"][c["journal"] % len(JOURNALS["full"])]
    out = (
        f"{authors} ({c['year']}). {c['title']}. {journal}, {c['volume']}"
        + (f"({c['issue']})" if c["issue"] else "")
        + (f", {c['pages']}" if c["pages"] else "")
        + "."
    )
    if c["doi"]:
        out += f" https://doi.org/{c['doi']}"
    return out


STYLES = {"vancouver": vancouver, "ama": lambda c: vancouver(c, ama=True), "apa": apa}
NUMBERINGS = ("{n}. ", "[{n}] ", "{n}) ", "({n}) ", "")
HEADINGS = (
    "References",
    "References:",
    "REFERENCES",
    "Bibliography",
    "Works cited",
    "Literature cited",
    "Sources:",
    "",
)
BODY = (
    "Exosomes derived from adipose-derived stem cells promote hair growth in mice [1].",
    "A study published in Stem Cells Translational Medicine in 2017 showed that exosomes regrow hair.",
    "These studies provide evidence that exosomes are a promising treatment for hair loss.",
    "Exosome therapy is clinically proven and has no side effects (2).",
    "Extracellular vesicles increased the proliferation of human dermal papilla cells¹.",
    "Minoxidil helps hair.",
    "Exosomes regrow hair in men with androgenetic alopecia (Ersan et al., 2024).",
    "More research is needed.",
    "Is it safe?",
    "Dr. Kim et al. reported e.g. thicker hair in 95% of clients.",
)


@dataclass
class RefList:
    text: str
    citations: list[dict]
    style: str
    numbering: str
    heading: str
    blank_lines: bool
    lines: list[str]
    first_entry_line: int  # 0-based index of the first entry's line


@st.composite
def reference_lists(draw, style: str | None = None, numbering: str | None = None, body: int = 3) -> RefList:
    style = style or draw(pick(sorted(STYLES)))
    numbering = numbering if numbering is not None else draw(pick(NUMBERINGS))
    heading = draw(pick(HEADINGS))
    cits = draw(st.lists(citation, min_size=1, max_size=6))
    body = draw(st.lists(pick(BODY), max_size=body))
    blank = draw(st.booleans())
    lines = [" ".join(body[i : i + 2]) for i in range(0, len(body), 2)]
    if lines:
        lines.append("")
    if heading:
        lines.append(heading)
        if blank:
            lines.append("")
    first = len(lines)
    for n, c in enumerate(cits, 1):
        lines.append(numbering.format(n=n) + STYLES[style](c))
        if blank and n < len(cits):
            lines.append("")
    return RefList("\n".join(lines) + "\n", cits, style, numbering, heading, blank, lines, first)


def check_citation(ref: Reference, c: dict, style: str) -> None:
    assert ref.year == c["year"], (ref, c)
    assert ref.doi == c["doi"], (ref, c)
    assert ref.pmid == (c["pmid"] if style != "apa" else None), (ref, c)
    assert ref.first_author == c["authors"][0][0], (ref, c)
    if style == "apa":
        assert ref.title == c["title"] and ref.journal == JOURNALS["full"][c["journal"] % 5], (ref, c)
        assert (ref.volume, ref.issue, ref.pages) == (c["volume"], c["issue"], c["pages"]), (ref, c)
    else:
        assert ref.title == c["title"] and ref.journal == JOURNALS["short"][c["journal"] % 6], (ref, c)
        if c["pages"]:
            assert (ref.volume, ref.issue, ref.pages) == (c["volume"], c["issue"], c["pages"]), (ref, c)
        assert list(ref.authors) == [s for s, _ in c["authors"]], (ref, c)


@FUZZ
@given(c=citation, style=pick(sorted(STYLES)), numbering=pick(NUMBERINGS))
def test_parse_reference_reads_each_style(c, style, numbering):
    text = numbering.format(n=7) + STYLES[style](c)
    ref = parse(text, "7")
    check_citation(ref, c, style)


@FUZZ
@given(rl=reference_lists())
def test_find_reference_list_reads_well_formed_lists(rl):
    refs, start, notes = find(rl.text)
    n = len(rl.citations)
    numbered = bool(rl.numbering)
    if not rl.heading and (not numbered or n < 2):
        return  # nothing marks the list: it need not be found
    assert len(refs) == n, (refs, notes, rl.text)
    assert [r.label for r in refs] == [str(i) for i in range(1, n + 1)]
    assert start == (rl.first_entry_line + 1 if not rl.heading else rl.lines.index(rl.heading) + 1)
    for k, (ref, c) in enumerate(zip(refs, rl.citations), 1):
        check_citation(ref, c, rl.style)
        # and a sentence's '(Author et al., Year)' and '[k]' point to it
        labels, missing = _resolve_markers(
            f"Exosomes regrow hair ({c['authors'][0][0]} et al., {c['year']}) [{k}].", refs, numbered
        )
        assert str(k) in labels and not missing, (labels, missing, ref)


# -- mutated lists and whole texts ----------------------------------------------------------------
JUNK = st.one_of(
    pick(
        (
            "References",
            "",
            "1.",
            "[3]",
            "Used for: everything",
            "2. ???",
            "doi:",
            "(2019).",
            "Zhang J, Li W. Title. Sci Rep. 2017;",
            "   ",
            "Exosomes [1, 3].",
            "et al.",
            "10.1000/x",
        )
    ),
    st.text(max_size=40),
)
MUTATION = st.one_of(
    st.tuples(pick(("drop", "dup")), st.integers(0, 100)),
    st.tuples(st.just("junk"), st.integers(0, 100), JUNK),
    st.tuples(st.just("cut"), st.integers(0, 100), st.integers(0, 120)),
)


def mutate(lines: list[str], muts: list[tuple]) -> str:
    lines = list(lines)
    for m in sorted(muts, key=lambda m: -m[1]):
        i = m[1] % (len(lines) + 1)
        if m[0] == "junk":
            lines.insert(i, m[2])
        elif i < len(lines):
            if m[0] == "drop":
                del lines[i]
            elif m[0] == "dup":
                lines.insert(i, lines[i])
            else:
                lines = lines[:i] + [lines[i][: m[2]]]
    return "\n".join(lines)


@FUZZ
@given(rl=reference_lists(), muts=st.lists(MUTATION, min_size=1, max_size=3))
def test_reference_readers_on_mutated_texts(rl, muts):
    text = mutate(rl.lines, muts)
    try:
        find(text)
        sentences(text)
    except ExoreviewError:
        pass


@functools.cache
def shipped_evidence():
    """The shipped evidence, loaded once for this module (not a fixture: hypothesis would print it
    with every falsifying example)."""
    return xr.load(EVIDENCE)


def check_findings(f: Findings) -> None:
    assert isinstance(f, Findings)
    assert all(
        isinstance(r, ReferenceFinding)
        and r.status in ("verified", "metadata-mismatch", "off-topic", "not-found")
        for r in f.references
    )
    assert all(isinstance(d, str) and d for r in f.references for d in r.differences)
    for c in f.claims:
        assert isinstance(c, ClaimFinding) and c.verdict in VERDICT_NAMES and c.sentence
        assert c.certainty in (None, "high", "moderate", "low", "very low")
        assert all(isinstance(x, str) for x in (*c.cites, *c.reasons, *c.overreach, *c.studies))
    data = json.loads(json.dumps(f.to_dict()))
    assert set(data) == {"references", "claims"} and len(data["references"]) == len(f.references)
    assert isinstance(f.to_text(), str) and isinstance(f.summary(), str)
    assert findings_html(f).startswith('<div class="exoreview-audit">')


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    rl=reference_lists(body=2),
    intact=st.booleans(),
    muts=st.lists(MUTATION, max_size=2),
    extra=st.text(max_size=60),
    k=st.integers(0, 5),
)
def test_audit_whole_texts(rl, intact, muts, extra, k):
    """Any text is audited; in an intact text with a reference list, every entry is checked and a
    sentence citing entry k by number or as (Author et al., Year) is linked to it."""
    evidence = shipped_evidence()
    k %= len(rl.citations)
    c = rl.citations[k]
    cited = (
        f"Exosomes promote hair growth in mice [{k + 1}]. Extracellular vesicles regrow hair in mice "
        f"({c['authors'][0][0]} et al., {c['year']})."
    )
    at = rl.lines.index(rl.heading) if rl.heading else rl.first_entry_line
    lines = rl.lines[:at] + [cited, ""] + rl.lines[at:]
    text = "\n".join(lines) if intact else mutate(lines, muts) + extra
    try:
        f = audit(text, evidence)
    except ExoreviewError:
        return
    check_findings(f)
    if intact and rl.heading:
        assert len(f.references) == len(rl.citations)
        by_number = next(x for x in f.claims if x.sentence.endswith(f"[{k + 1}]."))
        by_author = next(
            x for x in f.claims if x.sentence.endswith(f"{c['year']}).") and "regrow" in x.sentence
        )
        assert by_number.cites == (str(k + 1),), by_number
        assert str(k + 1) in by_author.cites, (by_author, f.references[k].reference)


def _study_rows(evidence) -> list[dict]:
    cols = ["key", "title", "first_author", "journal", "year", "volume", "issue", "pages", "doi", "pmid"]
    rows = evidence.studies[cols].astype(object).where(evidence.studies[cols].notna(), None)
    return [r for r in rows.to_dict("records") if r["title"] and r["year"]]


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    data=st.data(),
    style=pick(sorted(STYLES)),
    author=st.one_of(st.none(), st.text(max_size=6), pick(("--", "()", "’", "0", "Özer", "-"))),
)
def test_references_copied_from_study_records_are_found(data, style, author):
    """A study's own citation, in any style, is matched to it; with its own first author it is verified.
    Any text as the first author is compared, never raises."""
    evidence = shipped_evidence()
    row = data.draw(pick(_study_rows(evidence)))
    surname, _, initials = (row["first_author"] or "Anon A").rpartition(" ")
    c = {
        "authors": [(surname or initials, initials or "A")],
        "et_al": True,
        "title": row["title"].rstrip("."),
        "journal": 0,
        "year": int(row["year"]),
        "month": "",
        "volume": row["volume"] or "1",
        "issue": None,
        "pages": row["pages"] if row["volume"] else None,
        "doi": row["doi"],
        "doi_form": "doi:",
        "pmid": row["pmid"],
    }
    text = STYLES[style](c)
    placeholder = JOURNALS["full" if style == "apa" else "short"][0]  # journal 0, then the record's own
    text = text.replace(
        f" {placeholder}{',' if style == 'apa' else '.'}",
        f" {row['journal']}{',' if style == 'apa' else '.'}",
        1,
    )
    if author is not None:  # any text where the first author goes
        text = author + (text[text.index(" (") :] if style == "apa" else text[text.index(",") :])
    f = check_reference(text, evidence, label="1")
    assert isinstance(f, ReferenceFinding) and f.label == "1" and f.reference is not None
    assert all(isinstance(d, str) and d for d in f.differences)
    if row["doi"]:
        assert f.study == row["key"], (f, text)
        if author is None and ". " not in row["title"] + row["journal"]:
            assert f.status == "verified", (f, text)


# -- regression tests for the bugs the fuzzing found ---------------------------------------------------
RAJENDRAN_APA = (
    "{author} (2017). Extracellular vesicles derived from MSCs activates dermal papilla cell in vitro. "
    "Scientific Reports, 7, 15560. https://doi.org/10.1038/s41598-017-15505-3"
)


@pytest.mark.parametrize("author", ["--", "()", "0", "’"])
def test_an_author_without_letters_is_no_author_and_checking_does_not_raise(author):
    # the APA fallback kept '--' as the first author; matched to a study, its first word
    # (normalize('--').split()[0]) raised IndexError
    ref = parse_reference(RAJENDRAN_APA.format(author=author))
    assert ref.authors == () and ref.doi == "10.1038/s41598-017-15505-3"
    f = check_reference(ref, shipped_evidence(), label="1")
    assert f.study == "rajendran-2017-msc-evs" and f.status == "verified"


@pytest.mark.parametrize("text", ["a\x01b. C.", "Mice\x000\x00 grow. Hair."])
def test_split_sentences_keeps_control_characters(text):
    # full stops of abbreviations were swapped for \x00<n>\x00 and \x01 and back: such
    # characters of the text itself came back as full stops
    assert "".join(s for _, s in split_sentences(text)).replace(" ", "") == text.replace(" ", "")


def test_names_beyond_a_to_z_are_read():
    # with [A-Z] only, the APA entry's first author was Zhang and the Vancouver authors were not read
    apa = parse_reference("Pérez-Núñez, J., & Zhang, W. (2020). Exosomes and hair. Cells, 9(2), 100.")
    assert apa.authors == ("Pérez-Núñez", "Zhang")
    vancouver = parse_reference("Özer E, Łukasik K, Ersan M. Exosomes and hair. Cells. 2020;9(2):100.")
    assert vancouver.authors == ("Özer", "Łukasik", "Ersan") and vancouver.title == "Exosomes and hair"


@pytest.mark.parametrize("name", ["Tornero-Esteban", "Özer", "O'Neill"])
def test_author_year_markers_link_hyphenated_and_accented_surnames(name):
    # a hyphenated surname was compared by its first word only ('tornero' vs 'tornero esteban')
    # and a capital beyond A-Z did not start a name: '(Özer et al., 2020)' pointed nowhere
    text = (
        f"Extracellular vesicles regrow hair in mice ({name} et al., 2020).\n\nReferences\n"
        f"1. {name} J, Li W. Exosomes and hair. Sci Rep. 2020;10:1.\n"
    )
    refs, _, _ = find_reference_list(text)
    assert _resolve_markers(text.splitlines()[0], refs, True) == (["1"], [])


def test_apa_journal_with_a_comma_in_its_name():
    # the journal ended at its first comma: 'Clinical', a metadata mismatch for a correct citation
    text = (
        "Cheng, M. (2024). The Roles of Exosomes in Regulating Hair Follicle Growth. Clinical, Cosmetic and "
        "Investigational Dermatology, 17, 1603-1612. https://doi.org/10.2147/CCID.S465963"
    )
    ref = parse_reference(text)
    assert (ref.journal, ref.volume, ref.pages) == (
        "Clinical, Cosmetic and Investigational Dermatology",
        "17",
        "1603-1612",
    )
    f = check_reference(ref, shipped_evidence())
    assert (f.study, f.status) == ("cheng-2024-exosomes-hair-follicle-review", "verified")


@pytest.mark.parametrize("text", ["0(2000)..", "(2001). . ", "Smith J. . 2020;1:2."])
def test_fields_read_as_empty_are_none(text):
    ref = parse_reference(text)
    assert all(
        getattr(ref, f) is None or getattr(ref, f).strip()
        for f in ("title", "journal", "volume", "issue", "pages")
    ), ref
