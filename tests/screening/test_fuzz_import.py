"""Fuzzing the importers: whatever a search export holds, the readers (MEDLINE, RIS, BibTeX, CSV,
Web of Science and EndNote tagged), ``decode``, ``sniff`` and ``read_files`` raise nothing but
exoreview's own errors, every record they return is complete, every problem names the file, and a record in a part of the file that nothing
touched is still read, at the same position and line. (≥ 500 generated inputs per target.)

Structured inputs are well-formed exports of each format built from generated records, then
mutated: lines dropped, duplicated or cut, junk lines and characters inserted, the file truncated,
written in UTF-8 (with or without BOM), UTF-16 with BOM or Latin-1, with LF or CRLF line ends, and
with bytes of another encoding mixed in."""

from __future__ import annotations

import csv
import io
import string
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exoreview.core.yamlio import display_path
from exoreview.errors import ExoreviewError, Problem
from exoreview.screening import readers
from exoreview.screening.records import read_files

# hundreds of generated inputs: `make test` runs them, `make check` leaves them out
pytestmark = pytest.mark.slow

FUZZ = settings(
    max_examples=500,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
PATH = "exports/search.txt"
SUFFIX = {
    "medline": ".nbib",
    "ris": ".ris",
    "bibtex": ".bib",
    "csv": ".csv",
    "wos": ".ciw",
    "endnote": ".enw",
}


# -- invariants -----------------------------------------------------------------------------------
def check_output(records, problems, path: str, text: str | None = None) -> None:
    """What every reader promises, whatever the input."""
    n_lines = len(text.splitlines()) + 1 if text is not None else None
    assert isinstance(records, list) and isinstance(problems, list)
    for r in records:
        assert isinstance(r, dict) and set(readers.FIELDS) <= set(r)
        assert isinstance(r["title"], str) and r["title"] and r["title"] == r["title"].strip()
        for key in ("position", "line"):
            assert type(r[key]) is int and r[key] >= 1, (key, r)
        if n_lines is not None:
            assert r["line"] <= n_lines
        assert isinstance(r["authors"], list) and all(isinstance(a, str) and a for a in r["authors"])
        assert r["year"] is None or (type(r["year"]) is int and 1800 <= r["year"] <= 2099)
        assert r["doi"] is None or (isinstance(r["doi"], str) and r["doi"].startswith("10."))
        assert r["pmid"] is None or (isinstance(r["pmid"], str) and r["pmid"].isdigit())
        for f in ("journal", "volume", "pages", "abstract", "database"):
            assert r[f] is None or (isinstance(r[f], str) and r[f] and r[f] == r[f].strip()), (f, r)
    positions = [r["position"] for r in records]
    assert positions == sorted(set(positions))  # file order, each record once
    assert [r["line"] for r in records] == sorted(r["line"] for r in records)
    for p in problems:
        assert isinstance(p, Problem) and isinstance(p.message, str) and p.message.strip()
        assert p.path == path and isinstance(p.code, str) and p.code
        assert p.field == "" or p.field.startswith("record ")
        assert p.line is None or (type(p.line) is int and p.line >= 1)
        if n_lines is not None and p.line is not None:
            assert p.line <= n_lines, (p, n_lines)


def read(fmt: str, text: str, path: str = PATH):
    records, problems = readers.READERS[fmt](text, path)
    check_output(records, problems, path, text)
    return records, problems


# -- generated records --------------------------------------------------------------------------
# Title characters safe in every format (no BibTeX/LaTeX specials, no full stop: PubMed's is
# added by the builders), with the odd spaces real exports hold. Latin-1 files get only
# U+00C0–U+00FF beyond ASCII (never a UTF-8 continuation byte, so never taken for UTF-8).
ASCII_TITLE = string.ascii_letters + string.digits + "      ,:;?!()'-/+"
TITLE_CHARS = {
    "latin-1": ASCII_TITLE + "\tàéèüößñçøåÀÉÖÿ",
    "wide": ASCII_TITLE + "\tàéüßñÀÿβαΩ中文ąłŁ–—’\u00a0\u2028\x0c\x85\u200b",
}
# (strategies are built once: building them inside a composite costs more than the parsing)
TITLES = {
    cs: st.text(chars, min_size=1, max_size=60).map(lambda t: t if t.split() else "x" + t)
    for cs, chars in TITLE_CHARS.items()
}
dois = st.builds(
    lambda n, body, tail: f"10.{n}/{body}{tail}",
    st.integers(1000, 99999999),
    st.text(string.ascii_letters + string.digits + "._-/()", max_size=12),
    st.sampled_from(string.ascii_letters + string.digits),
)
pmids = st.integers(1, 99_999_999).map(str)
AUTHORS = st.lists(
    st.sampled_from(
        [
            ("Doe", "J"),
            ("Pérez-Núñez", "ML"),
            ("O'Neill", "K"),
            ("Li", "W"),
            ("Van der Berg", "A"),
            ("Zhang", "JY"),
        ]
    ),
    max_size=3,
)
JOURNALS = st.sampled_from(("Scientific Reports", "Stem Cell Res Ther", "J Cosmet Dermatol", "Cells"))
YEARS = st.one_of(st.none(), st.integers(1950, 2030))
VOLUMES = st.one_of(st.none(), st.integers(1, 999).map(str))
PAGES = st.one_of(
    st.none(),
    st.integers(1, 9999).map(str),
    st.builds(lambda a, n: f"{a}-{a + n}", st.integers(1, 9999), st.integers(1, 99)),
)


def citations(charset: str):
    return st.fixed_dictionaries(
        {
            "title": TITLES[charset],
            "authors": AUTHORS,
            "journal": JOURNALS,
            "year": YEARS,
            "volume": VOLUMES,
            "pages": PAGES,
            "doi": st.one_of(st.none(), dois),
            "pmid": st.one_of(st.none(), pmids),
        }
    )


CITATIONS = {cs: st.lists(citations(cs), min_size=1, max_size=4) for cs in TITLE_CHARS}
pick = st.sampled_from


# -- well-formed exports of each format ------------------------------------------------------------
@dataclass
class Built:
    lines: list[str]  # without line ends
    spans: list[tuple[int, int]]  # each record's first and last line index (its separator included)
    expected: list[dict]  # what each record must read as (title, year, doi, pmid, ...)


def _expect(c: dict) -> dict:
    return {
        "title": c["title"],
        "year": c["year"],
        "doi": c["doi"],
        "pmid": c["pmid"],
        "journal": c["journal"],
        "volume": c["volume"],
        "pages": c["pages"],
        "authors": len(c["authors"]),
    }


DP_SUFFIX = pick(("", " Jan", " Mar 5", " Winter"))
DOI_TAG, TITLE_TAG, YEAR_TAG = pick(("LID", "AID")), pick(("TI", "T1")), pick(("PY", "Y1"))
YEAR_SUFFIX, JOURNAL_TAG = pick(("", "///", "/05/01/")), pick(("T2", "JO", "JF"))
DOI_PREFIX = pick(("", "https://doi.org/", "doi:", "DOI: ", "http://dx.doi.org/"))
ENTRY_TYPE, BRACES = pick(("article", "Article", "ARTICLE")), st.integers(1, 2)
CSV_DELIMITER, CSV_QUOTING = pick((",", ",", ";", "\t")), pick((csv.QUOTE_MINIMAL, csv.QUOTE_ALL))
CUTS = st.integers(0, 80)


def build_medline(draw, cits: list[dict]) -> Built:
    lines, spans, expected = [], [], []
    for c in cits:
        first = len(lines)
        pmid = c["pmid"] or draw(pmids)
        block = [f"PMID- {pmid}", "OWN - NLM", "STAT- MEDLINE"]
        title = c["title"] + "."  # PubMed ends every title with a full stop
        cut = draw(CUTS)
        if 0 < cut < len(title) - 1 and title[cut] == " " and title[cut + 1] != " ":
            block += [f"TI  - {title[:cut]}", f"      {title[cut + 1 :]}"]  # a continuation line
        else:
            block.append(f"TI  - {title}")
        for surname, initials in c["authors"]:
            block += [f"FAU - {surname}, {initials}", f"AU  - {surname} {initials}"]
        if c["year"]:
            block.append(f"DP  - {c['year']}{draw(DP_SUFFIX)}")
        block.append(f"JT  - {c['journal']}")
        if c["volume"]:
            block.append(f"VI  - {c['volume']}")
        if c["pages"]:
            block.append(f"PG  - {c['pages']}")
        if c["doi"]:
            block.append(f"{draw(DOI_TAG)} - {c['doi']} [doi]")
        block.append(f"SO  - {c['journal']}. {c['year'] or ''};{c['volume'] or ''}:{c['pages'] or ''}.")
        lines += block + [""]
        spans.append((first, len(lines) - 1))
        expected.append({**_expect(c), "pmid": pmid})
    return Built(lines, spans, expected)


def build_ris(draw, cits: list[dict]) -> Built:
    lines, spans, expected = [], [], []
    for c in cits:
        first = len(lines)
        block = ["TY  - JOUR", f"{draw(TITLE_TAG)}  - {c['title']}"]
        block += [f"AU  - {s}, {i}." for s, i in c["authors"]]
        if c["year"]:
            block.append(f"{draw(YEAR_TAG)}  - {c['year']}{draw(YEAR_SUFFIX)}")
        block.append(f"{draw(JOURNAL_TAG)}  - {c['journal']}")
        if c["volume"]:
            block.append(f"VL  - {c['volume']}")
        if c["pages"]:
            sp, _, ep = c["pages"].partition("-")
            block += [f"SP  - {sp}"] + ([f"EP  - {ep}"] if ep else [])
        if c["doi"]:
            prefix = draw(DOI_PREFIX)
            block.append(f"DO  - {prefix}{c['doi']}")
        if c["pmid"]:
            block += ["DB  - PubMed", f"AN  - {c['pmid']}"]
        block.append("ER  - ")
        lines += block + [""]
        spans.append((first, len(lines) - 1))
        expected.append(_expect(c))
    return Built(lines, spans, expected)


def build_bibtex(draw, cits: list[dict]) -> Built:
    lines, spans, expected = [], [], []
    for k, c in enumerate(cits):
        first = len(lines)
        braces = draw(BRACES)
        block = [
            f"@{draw(ENTRY_TYPE)}{{key{k},",
            "  title = " + "{" * braces + c["title"] + "}" * braces + ",",
        ]
        if c["authors"]:
            block.append("  author = {" + " and ".join(f"{s}, {i}." for s, i in c["authors"]) + "},")
        block.append(f"  journal = {{{c['journal']}}},")
        if c["year"]:
            block.append(draw(pick((f"  year = {c['year']},", f"  year = {{{c['year']}}},"))))
        if c["volume"]:
            block.append(f"  volume = {{{c['volume']}}},")
        if c["pages"]:
            block.append(f"  pages = {{{c['pages'].replace('-', '--')}}},")
        if c["doi"]:
            block.append(f"  doi = {{{c['doi']}}},")
        if c["pmid"]:
            block.append(f"  pmid = {{{c['pmid']}}},")
        block.append("}")
        lines += block + [""]
        spans.append((first, len(lines) - 1))
        # titles are LaTeX text: '--' is an en dash, '---' an em dash, "''" a closing quote
        title = c["title"].replace("---", "—").replace("--", "–").replace("''", "”")
        expected.append({**_expect(c), "title": title})
    return Built(lines, spans, expected)


CSV_COLUMNS = {
    "pubmed": (
        "PMID",
        "Title",
        "Authors",
        "Citation",
        "First Author",
        "Journal/Book",
        "Publication Year",
        "DOI",
    ),
    "zotero": (
        "Key",
        "Item Type",
        "Publication Year",
        "Author",
        "Title",
        "Publication Title",
        "DOI",
        "Pages",
        "Volume",
        "Extra",
    ),
    "generic": ("Title", "Authors", "Journal", "Year", "Volume", "Pages", "DOI", "PMID"),
}
CSV_LAYOUT = pick(sorted(CSV_COLUMNS))


def _csv_row(layout: str, c: dict, k: int) -> dict[str, str]:
    year, doi, pmid = str(c["year"] or ""), c["doi"] or "", c["pmid"] or ""
    if layout == "pubmed":
        return {
            "PMID": pmid,
            "Title": c["title"] + ".",
            "Authors": ", ".join(f"{s} {i}" for s, i in c["authors"]),
            "Citation": f"{c['journal']}. {year};{c['volume'] or ''}:{c['pages'] or ''}.",
            "First Author": "",
            "Journal/Book": c["journal"],
            "Publication Year": year,
            "DOI": doi,
        }
    if layout == "zotero":
        return {
            "Key": f"ZK{k}",
            "Item Type": "journalArticle",
            "Publication Year": year,
            "Author": "; ".join(f"{s}, {i}" for s, i in c["authors"]),
            "Title": c["title"],
            "Publication Title": c["journal"],
            "DOI": doi,
            "Pages": c["pages"] or "",
            "Volume": c["volume"] or "",
            "Extra": f"PMID: {pmid}" if pmid else "",
        }
    return {
        "Title": c["title"],
        "Authors": "; ".join(f"{s} {i}" for s, i in c["authors"]),
        "Journal": c["journal"],
        "Year": year,
        "Volume": c["volume"] or "",
        "Pages": c["pages"] or "",
        "DOI": doi,
        "PMID": pmid,
    }


def build_csv(draw, cits: list[dict]) -> Built:
    layout = draw(CSV_LAYOUT)
    columns = draw(st.permutations(CSV_COLUMNS[layout]))
    delimiter = draw(CSV_DELIMITER)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n", quoting=draw(CSV_QUOTING))
    writer.writerow(columns)
    for k, c in enumerate(cits):
        row = _csv_row(layout, c, k)
        writer.writerow([row[col] for col in columns])
    lines = out.getvalue().split("\n")[:-1]
    spans = [(k + 1, k + 1) for k in range(len(cits))]
    expected = [_expect(c) for c in cits]
    if layout == "pubmed":  # volume and pages come from the Citation column, when it gives both
        expected = [
            {**e, "volume": e["volume"] if e["pages"] else None, "pages": e["pages"] if e["volume"] else None}
            for e in expected
        ]
    return Built(lines, spans, expected)


def build_wos(draw, cits: list[dict]) -> Built:
    lines, spans, expected = ["FN Clarivate Analytics Web of Science", "VR 1.0"], [], []
    for c in cits:
        first = len(lines)
        block = ["PT J"]
        for k, (surname, initials) in enumerate(c["authors"]):
            block.append(("AU " if k == 0 else "   ") + f"{surname}, {initials}")
        title = c["title"]
        cut = draw(CUTS)
        if 0 < cut < len(title) - 1 and title[cut] == " " and title[cut + 1] != " ":
            block += [f"TI {title[:cut]}", f"   {title[cut + 1 :]}"]  # a continuation line
        else:
            block.append(f"TI {title}")
        block.append(f"SO {c['journal']}")
        if c["year"]:
            block.append(f"PY {c['year']}")
        if c["volume"]:
            block.append(f"VL {c['volume']}")
        if c["pages"]:
            bp, _, ep = c["pages"].partition("-")
            block += [f"BP {bp}"] + ([f"EP {ep}"] if ep else [])
        if c["doi"]:
            block.append(f"DI {c['doi']}")
        if c["pmid"]:
            block.append(f"PM {c['pmid']}")
        block.append("ER")
        lines += block + [""]
        spans.append((first, len(lines) - 1))
        expected.append(_expect(c))
    lines.append("EF")
    return Built(lines, spans, expected)


def build_endnote(draw, cits: list[dict]) -> Built:
    lines, spans, expected = [], [], []
    for c in cits:
        first = len(lines)
        block = ["%0 Journal Article", f"%T {c['title']}"]
        block += [f"%A {s}, {i}" for s, i in c["authors"]]
        block.append(f"%J {c['journal']}")
        if c["year"]:
            block.append(f"%D {c['year']}")
        if c["volume"]:
            block.append(f"%V {c['volume']}")
        if c["pages"]:
            block.append(f"%P {c['pages']}")
        if c["doi"]:
            block.append(f"%R {c['doi']}")
        if c["pmid"]:
            block.append(f"%M {c['pmid']}")
        lines += block + [""]
        spans.append((first, len(lines) - 1))
        expected.append(_expect(c))
    return Built(lines, spans, expected)


BUILDERS = {
    "medline": build_medline,
    "ris": build_ris,
    "bibtex": build_bibtex,
    "csv": build_csv,
    "wos": build_wos,
    "endnote": build_endnote,
}


# -- mutations ----------------------------------------------------------------------------------------
JUNK_LINES = (
    "TY  - JOUR",
    "ER  - ",
    "ER  -",
    "PMID- 123",
    "TI  - ",
    "      continued",
    "SO  - X. 2020;1:1.",
    "UK  - unknown",
    "ZZ  - y",
    "AU  - ",
    "@article{dup,",
    "@comment{x}",
    "}",
    "{",
    "title = {",
    '"',
    '","',
    ",,,",
    "\t",
    "%% comment",
    '@string{j = "J"}',
    "TY  - ",
    "DO  - doi:",
    "TI  -",
    "AB  - abstract",
    "  ",
)
junk_text = st.one_of(
    st.sampled_from(JUNK_LINES),
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=30),
    st.text(string.printable, max_size=30),
)


INDEX = st.integers(0, 200)  # a line, modulo the number of lines
MUTATIONS = st.lists(
    st.one_of(
        st.tuples(st.just("drop"), INDEX),
        st.tuples(st.just("dup"), INDEX),
        st.tuples(st.just("junk"), INDEX, junk_text),
        st.tuples(st.just("splice"), INDEX, CUTS, junk_text),
        st.tuples(st.just("truncate"), INDEX, CUTS),
    ),
    max_size=3,
)


def mutations(draw, n_lines: int) -> list[tuple]:
    """(kind, line index, ...) tuples, highest index first (applied in that order)."""
    muts = [
        (m[0], m[1] % (n_lines + 1 if m[0] == "junk" else max(n_lines, 1)), *m[2:]) for m in draw(MUTATIONS)
    ]
    return sorted(muts, key=lambda m: -m[1])


def apply(lines: list[str], muts: list[tuple]) -> tuple[list[str], bool]:
    """The mutated lines and whether the file now ends inside a line (no final line end)."""
    lines = list(lines)
    cut = False
    for m in muts:
        kind, i = m[0], m[1]
        if kind == "drop" and i < len(lines):
            del lines[i]
        elif kind == "dup" and i < len(lines):
            lines.insert(i, lines[i])
        elif kind == "junk":
            lines.insert(min(i, len(lines)), m[2])
        elif kind == "splice" and i < len(lines):
            lines[i] = lines[i][: m[2]] + m[3] + lines[i][m[2] :]
        elif kind == "truncate" and i < len(lines):
            lines = lines[:i] + [lines[i][: m[2]]]
            cut = True
    return lines, cut


@dataclass
class Export:
    fmt: str
    text: str
    built: Built
    first_mutated: int  # index of the first line any mutation touched
    mutated: bool
    newline: str

    def untouched(self) -> list[tuple[int, dict]]:
        """(position, expected fields) of every record wholly before the first mutated line."""
        return [
            (k + 1, {**e, "line": self.built.spans[k][0] + 1})
            for k, e in enumerate(self.built.expected)
            if self.built.spans[k][1] < self.first_mutated
        ]


CHARSETS, NEWLINES = pick(("wide", "latin-1")), pick(("\n", "\r\n"))


@st.composite
def exports(draw, fmt: str, charset: str | None = None) -> Export:
    charset = charset or draw(CHARSETS)
    cits = draw(CITATIONS[charset])
    built = BUILDERS[fmt](draw, cits)
    muts = mutations(draw, len(built.lines))
    lines, cut = apply(built.lines, muts)
    newline = draw(NEWLINES)
    text = newline.join(lines) + ("" if cut else newline)
    first = min((m[1] for m in muts), default=len(built.lines))
    return Export(fmt, text, built, first, bool(muts), newline)


def check_untouched(ex: Export, records: list[dict], problems: list[Problem]) -> None:
    by_position = {r["position"]: r for r in records}
    for position, want in ex.untouched():
        got = by_position.get(position)
        assert got is not None, (position, want, problems)
        assert got["line"] == want["line"], (got, want)
        assert got["title"].split() == want["title"].split(), (got["title"], want["title"])
        for f in ("year", "doi", "pmid", "journal", "volume", "pages"):
            assert got[f] == want[f], (f, got, want)
        assert len(got["authors"]) == want["authors"], (got, want)
    if not ex.mutated:  # a warning (a guessed encoding) is not a problem with the records
        assert [p for p in problems if p.code not in readers.WARNINGS] == []
        assert len(records) == len(ex.built.expected)


# -- bytes to text, and the format ----------------------------------------------------------------
@FUZZ
@given(
    raw=st.one_of(
        st.binary(max_size=600),
        st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass")),
        st.tuples(
            st.sampled_from((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"%PDF", b"PK\x03\x04", b"")),
            st.binary(max_size=300),
        ).map(lambda t: t[0] + t[1]),
    )
)
def test_decode_any_bytes(raw):
    text, encoding, problems = readers.decode(raw, PATH)
    assert text is None or isinstance(text, str)
    assert isinstance(encoding, str) and (text is None) == (encoding == "")
    assert text is not None or problems  # a file not read says why
    for p in problems:
        assert isinstance(p, Problem) and p.message and p.path == PATH and p.code
        assert p.line is None or p.line >= 1


@FUZZ
@given(
    text=st.text(max_size=400),
    suffix=st.sampled_from(("", ".txt", ".nbib", ".ris", ".bib", ".csv", ".RIS", ".xlsx")),
)
def test_sniff_any_text(text, suffix):
    fmt = readers.sniff(text, suffix)
    assert fmt is None or fmt in readers.FORMATS
    if fmt is None:
        assert suffix.lower() not in readers.SUFFIXES


# -- each reader on random text ------------------------------------------------------------------------
TAGGY = st.text(
    st.sampled_from(list("TYPMIDERAUJOSK -\n\r\t{}@,\"';:.()[]0123456789abxyzé\ufffd%=\\")), max_size=400
)


@pytest.mark.parametrize("fmt", readers.FORMATS)
@FUZZ
@given(text=st.one_of(st.text(max_size=400), TAGGY))
def test_reader_on_random_text(fmt, text):
    try:
        read(fmt, text)
    except ExoreviewError:
        pass


# -- each reader on well-formed, then mutated, exports ----------------------------------------------------
@pytest.mark.parametrize("fmt", readers.FORMATS)
@FUZZ
@given(data=st.data())
def test_reader_on_mutated_export(fmt, data):
    ex = data.draw(exports(fmt))
    try:
        records, problems = read(fmt, ex.text)
    except ExoreviewError:
        return
    check_untouched(ex, records, problems)


# -- read_files on files of any bytes and in every encoding ---------------------------------------------
def _check_read_files(path, records, reports, problems):
    shown = display_path(path)
    assert len(reports) == 1
    rep = reports[0]
    assert rep.path == shown and rep.format in (None, *readers.FORMATS)
    assert rep.parsed == len(records) and rep.read >= rep.parsed
    # a warning keeps its record: only the other problems count records read but not kept
    assert rep.read == rep.parsed + sum(
        p.field.startswith("record") and p.code not in readers.WARNINGS for p in problems
    )
    assert rep.encoding.endswith(" (guessed)") or rep.encoding in (
        "",
        "UTF-8",
        "UTF-8 with BOM",
        "UTF-16",
        "UTF-8 (with bytes that are not UTF-8)",
        "UTF-16 (with bytes that are not UTF-16)",
    )
    assert rep.format is not None or not records
    assert isinstance(rep.describe(), str)
    check_output([{k: v for k, v in r.items() if k != "file"} for r in records], problems, shown)
    for r in records:
        assert r["file"] == path.name and isinstance(r["database"], str) and r["database"]


@FUZZ
@given(
    raw=st.one_of(
        st.binary(max_size=600), st.text(max_size=400).map(lambda t: t.encode("utf-8", "surrogatepass"))
    ),
    suffix=st.sampled_from((".nbib", ".ris", ".bib", ".csv", ".txt")),
    fmt=st.sampled_from(("auto", *readers.FORMATS)),
)
def test_read_files_any_bytes(tmp_path, raw, suffix, fmt):
    path = tmp_path / f"search{suffix}"
    path.write_bytes(raw)
    try:
        records, reports, problems = read_files([path], fmt=fmt)
    except ExoreviewError:
        return
    _check_read_files(path, records, reports, problems)


ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "utf-16-be-bom", "latin-1")


def encode_lines(text: str, newline: str, encoding: str) -> list[bytes]:
    """The file's bytes, one chunk a line (its line end included); the BOM goes with the first."""
    parts = text.split(newline)
    chunks = [p + newline for p in parts[:-1]] + ([parts[-1]] if parts[-1] else [])
    codec = {"utf-8-sig": "utf-8", "utf-16": "utf-16-le", "utf-16-be-bom": "utf-16-be"}.get(
        encoding, encoding
    )
    bom = {"utf-8-sig": b"\xef\xbb\xbf", "utf-16": b"\xff\xfe", "utf-16-be-bom": b"\xfe\xff"}.get(
        encoding, b""
    )
    out = [c.encode(codec, errors="replace") for c in chunks]
    if out:
        out[0] = bom + out[0]
    return out or [bom]


BYTE_MUTATIONS = st.lists(
    st.one_of(
        st.tuples(
            st.just("byte"),
            INDEX,
            CUTS,
            st.binary(min_size=1, max_size=2).filter(lambda b: all(x >= 0x20 or x in (9, 10, 13) for x in b)),
        ),  # no control byte: still text
        st.tuples(st.just("latin-1"), INDEX),
        st.tuples(st.just("cut"), INDEX, CUTS),
    ),
    max_size=2,
)


def byte_mutations(draw, n_chunks: int) -> list[tuple]:
    muts = [(m[0], m[1] % max(n_chunks, 1), *m[2:]) for m in draw(BYTE_MUTATIONS)]
    return sorted(muts, key=lambda m: -m[1])


@FUZZ
@given(data=st.data())
def test_read_files_on_encoded_mutated_export(tmp_path, data):
    """Every format (drawn), every encoding, mutated as text and then as bytes, through read_files."""
    fmt = data.draw(pick(readers.FORMATS))
    encoding = data.draw(pick(ENCODINGS))
    ex = data.draw(exports(fmt, charset="latin-1" if encoding == "latin-1" else "wide"))
    chunks = encode_lines(ex.text, ex.newline, encoding)
    bmuts = byte_mutations(data.draw, len(chunks))
    for m in bmuts:
        kind, i = m[0], m[1]
        if kind == "byte":
            chunks[i] = chunks[i][: m[2]] + m[3] + chunks[i][m[2] :]
        elif kind == "latin-1" and encoding in ("utf-8", "utf-8-sig"):
            line = chunks[i][3:] if i == 0 and encoding == "utf-8-sig" else chunks[i]
            chunks[i] = chunks[i][: len(chunks[i]) - len(line)] + line.decode("utf-8", "replace").encode(
                "latin-1", "replace"
            )
        elif kind == "cut":
            chunks = chunks[:i] + [chunks[i][: m[2]]]
    # a line whose bytes changed counts as mutated (in the line numbering of the text)
    first_line = min([ex.first_mutated] + [m[1] for m in bmuts])
    ex = Export(ex.fmt, ex.text, ex.built, first_line, ex.mutated or bool(bmuts), ex.newline)
    path = tmp_path / f"search{SUFFIX[fmt]}"
    path.write_bytes(b"".join(chunks))
    how = data.draw(pick(("auto", fmt)))
    try:
        records, reports, problems = read_files([path], fmt=how)
    except ExoreviewError:
        return
    _check_read_files(path, records, reports, problems)
    if reports[0].format == fmt:
        check_untouched(ex, records, problems)
    else:
        assert ex.first_mutated == 0 or not ex.untouched()


# -- regression tests for the bugs the fuzzing found -------------------------------------------------------
RIS_TWO = "TY  - JOUR\nTI  - First\nDO  - 10.1000/a\nER  - \n\nTY  - JOUR\n{gap}TI  - Second\nAU  - Doe, J.\nER  - \n"


@pytest.mark.parametrize("gap", ["\n", "a stray line\n", "      continued\n"])
def test_ris_line_before_a_records_first_tag_continues_nothing(gap):
    # rispy carried the previous record's last tag over: KeyError ('doi'), or a stray author
    records, problems = readers.read_ris(RIS_TWO.format(gap=gap), PATH)
    assert [(r["title"], r["authors"], r["doi"]) for r in records] == [
        ("First", [], "10.1000/a"),
        ("Second", ["Doe, J."], None),
    ]


def test_ris_uk_tag_before_an_unknown_tag():
    # rispy stored 'UK  - ' as a string where it keeps unknown tags, then indexed it: TypeError
    text = "TY  - JOUR\nUK  - United Kingdom\nZZ  - odd tag\nTI  - A title\nER  - \n"
    records, _ = readers.read_ris(text, PATH)
    assert [r["title"] for r in records] == ["A title"]


@pytest.mark.parametrize("odd", ["\u2028", "\x0c", "\x85", "\x1e"])
def test_line_separators_inside_a_title_do_not_split_the_line(odd):
    # str.splitlines() split there: MEDLINE lost the rest of the title, and every later line
    # number was one too high
    medline = (
        f"PMID- 1\nTI  - Exosomes{odd}and hair.\nSO  - X. 2020;1:1.\n\n"
        "PMID- 2\nTI  - Second.\nSO  - X. 2020;1:1.\n"
    )
    records, problems = readers.read_medline(medline, PATH)
    assert problems == [] and [r["title"] for r in records] == [f"Exosomes{odd}and hair", "Second"]
    assert [r["line"] for r in records] == [1, 5]
    ris = f"TY  - JOUR\nTI  - Exosomes{odd}and hair\nER  - \nTY  - JOUR\nTI  - Second\nER  - \nTY  - JOUR\n"
    records, _ = readers.read_ris(ris, PATH)
    assert [r["line"] for r in records] == [1, 4]


def test_bibtex_page_ranges_and_dois_are_not_read_as_latex():
    # LaTeX decoding ran first: '1806--1818' became '1806–1818' (en dash), '--' in a DOI too
    text = (
        "@article{k,\n  title = {Exosomes --- a review},\n  pages = {1806--1818},\n"
        "  doi = {10.1000/a--b\\_c},\n  pmid = {{123}},\n}\n"
    )
    (rec,), problems = readers.read_bibtex(text, PATH)
    assert problems == [] and rec["title"] == "Exosomes — a review"
    assert (rec["pages"], rec["doi"], rec["pmid"]) == ("1806-1818", "10.1000/a--b_c", "123")


def test_utf16_file_cut_at_an_odd_byte_keeps_its_whole_records(tmp_path):
    # the whole file was rejected ("not valid UTF-16"): every record lost
    text = "TY  - JOUR\nTI  - First\nER  - \n\nTY  - JOUR\nTI  - Second\nER  - \n"
    path = tmp_path / "cut.ris"
    raw = ("\ufeff" + text).encode("utf-16-le")
    path.write_bytes(raw[: raw.index("Second".encode("utf-16-le")) + 5])  # ends inside 'Se'
    records, reports, problems = read_files([path])
    assert [r["title"] for r in records] == ["First"]
    assert reports[0].encoding == "UTF-16 (with bytes that are not UTF-16)"
    assert [(p.code, p.line) for p in problems] == [("bad-encoding", 6), ("truncated", 5)]


def test_pubmed_csv_titles_lose_pubmeds_full_stop_like_medline():
    text = "PMID,Title,Authors,Citation\n1,Exosomes and hair.,,X. 2020;1:1.\n2,Dots... kept..,,X\n"
    records, _ = readers.read_csv(text, PATH)
    assert [r["title"] for r in records] == ["Exosomes and hair", "Dots... kept.."]


@pytest.mark.parametrize("tail", ["0", "0;", '"unclosed', "x,y,z,w"])
def test_csv_delimiter_comes_from_the_header_not_a_cut_off_row(tail):
    # csv.Sniffer guessed from the first 4 KB; one cut-off row made it pick the wrong delimiter
    # and every record was lost as "unknown CSV layout"
    text = f"Title;Authors;Year\nExosomes and hair;Doe J;2020\n{tail}"
    records, problems = readers.read_csv(text, PATH)
    assert [(r["title"], r["year"], r["line"]) for r in records][:1] == [("Exosomes and hair", 2020, 2)]
    assert "csv-layout" not in {p.code for p in problems}
