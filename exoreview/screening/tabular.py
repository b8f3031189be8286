"""CSV exports: PubMed's and Zotero's column layouts, or any table with a Title column (declared
in :data:`CSV_LAYOUTS`). The delimiter (comma, semicolon or tab) is read from the header."""

from __future__ import annotations

import ast
import csv
import io
import re
from typing import Any

from ..errors import Problem
from .fields import PMID_IN_TEXT, check, doi_of, pmid_of, pubmed_title, record
from .text import LINE_END

# A layout is recognised when its signature columns are all present (case-insensitive; 'A|B'
# means either). A column given as a tuple is the first of its names the header has.
_TITLES = ("Title", "TI", "Item Title", "Article Title", "Document Title", "Primary Title")
_YEARS = (
    "Year",
    "PY",
    "Publication Year",
    "Year Published",
    "Publication Date",
    "Date",
    "Date Published",
    "Start date",
    "Publication year",
)
CSV_LAYOUTS: dict[str, dict[str, Any]] = {
    "pubmed": {
        "signature": ("PMID", "Title", "Authors", "Citation"),
        "columns": {
            "title": "Title",
            "authors": "Authors",
            "journal": "Journal/Book",
            "year": ("Publication Year", "Create Date"),
            "doi": "DOI",
            "pmid": "PMID",
        },
        "authors_sep": ",",
        "database": "PubMed",
        "pubmed_titles": True,
    },
    "zotero": {
        "signature": ("Key", "Item Type", "Publication Title"),
        "columns": {
            "title": ("Title", "Short Title"),
            "authors": "Author",
            "journal": "Publication Title",
            "year": ("Publication Year", "Date"),
            "volume": "Volume",
            "pages": "Pages",
            "doi": "DOI",
            "abstract": "Abstract Note",
            "pmid": "Extra",
        },
        "authors_sep": ";",
        "database": None,
    },
    "wos": {  # Web of Science 'Excel' / tab-delimited export
        "signature": ("Article Title", "Source Title", "UT (Unique WOS ID)"),
        "columns": {
            "title": "Article Title",
            "authors": "Authors",
            "journal": "Source Title",
            "year": ("Publication Year", "Early Access Date", "Publication Date"),
            "volume": "Volume",
            "pages": ("Start Page", "Article Number"),
            "doi": "DOI",
            "pmid": "Pubmed Id",
            "abstract": "Abstract",
        },
        "authors_sep": ";",
        "database": "Web of Science",
    },
    "scopus": {
        "signature": ("Title", "Source title", "EID"),
        "columns": {
            "title": "Title",
            "authors": ("Author full names", "Authors"),
            "journal": "Source title",
            "year": "Year",
            "volume": "Volume",
            "pages": ("Page start", "Art. No."),
            "doi": "DOI",
            "pmid": "PubMed ID",
            "abstract": "Abstract",
            "database": "Source",
        },
        "authors_sep": ";",
        "database": "Scopus",
    },
    "springer": {  # Springer Link's 'Download search results (CSV)'
        "signature": ("Item Title", "Item DOI"),
        "columns": {
            "title": "Item Title",
            "authors": "Authors",
            "journal": "Publication Title",
            "year": "Publication Year",
            "volume": "Journal Volume",
            "doi": "Item DOI",
        },
        "authors_sep": None,  # Springer runs the names together: kept as one author string
        "database": "Springer Link",
    },
    "generic": {
        "signature": ("|".join(_TITLES),),
        "columns": {
            "title": _TITLES,
            "authors": ("Authors", "Author", "AU", "Author Names", "first_authors"),
            "journal": ("Journal", "Source", "Source title", "Publication Title", "SO", "JO", "T2"),
            "year": _YEARS,
            "volume": ("Volume", "VL"),
            "pages": ("Pages", "SP", "start_page"),
            "doi": ("DOI", "DI", "DO"),
            "pmid": ("PMID", "PM", "PubMed ID", "Pubmed Id"),
            "abstract": ("Abstract", "AB"),
            "database": "Database",
        },
        "authors_sep": ";",
        "database": None,
    },
}
_CITATION = re.compile(r";\s*(?P<volume>[^():;\s]+)(?:\([^)]*\))?:(?P<pages>[^.;\s]+)")


def _name(column: str) -> str:
    """A column name compared: case, surrounding spaces and '_' for ' ' ignored (publication_year)."""
    return column.strip().casefold().replace("_", " ")


def csv_layout(header: list[str]) -> str | None:
    cols = {_name(h) for h in header}
    for name, layout in CSV_LAYOUTS.items():
        if all(any(_name(alt) in cols for alt in s.split("|")) for s in layout["signature"]):
            return name
    return None


def _column(index: dict[str, int], names: str | tuple[str, ...]) -> int | None:
    for name in (names,) if isinstance(names, str) else names:
        if _name(name) in index:
            return index[_name(name)]
    return None


class _Dialect(csv.excel):
    skipinitialspace = True  # 'a, "b, c"' is two fields


def _csv_dialect(text: str) -> Any:
    """The header line decides the delimiter: the one of comma, semicolon and tab whose columns
    form a known layout (the most columns wins). csv.Sniffer, which guesses from the first 4 KB,
    was misled by one cut-off or junk row (and then no record was read) and takes a title in
    single quotes for quoting; it is asked only when no delimiter gives a known layout."""
    first = LINE_END.split(text[:65536], 1)[0]
    best: tuple[int, str] | None = None
    for delimiter in (",", ";", "\t"):
        try:
            header = next(csv.reader([first], _Dialect, delimiter=delimiter), [])
        except csv.Error:
            continue
        if csv_layout(header) is not None and (best is None or len(header) > best[0]):
            best = (len(header), delimiter)
    if best is not None:
        return type("Dialect", (_Dialect,), {"delimiter": best[1]})
    try:
        return csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        return csv.excel


def _listed(value: str | None) -> list[str] | None:
    """The names of a Python list literal ("['Marx, Karl', 'Lindgren, Astrid']", as ASReview and
    pandas write a list to a table), else None."""
    if value and value.startswith("[") and value.endswith("]"):
        try:
            names = ast.literal_eval(value)
        except (ValueError, SyntaxError):
            return None
        if isinstance(names, list) and all(isinstance(n, str) for n in names):
            return names
    return None


def read_csv(text: str, path: str) -> tuple[list[dict], list[Problem]]:
    records, problems = [], []
    reader = csv.reader(io.StringIO(text, newline=""), _csv_dialect(text))
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        return [], [
            Problem(
                path,
                1,
                "",
                "no CSV header row; the first line must name the columns (Title, Authors, Year, ...)",
                "no-records",
            )
        ]
    name = csv_layout(header)
    if name is None:
        return [], [
            Problem(
                path,
                1,
                "",
                f"unknown CSV layout (columns: {', '.join(header[:8])}); "
                "a table needs a title column (one of: " + ", ".join(_TITLES) + "); rename the title "
                "column to Title, or export again with titles",
                "csv-layout",
            )
        ]
    layout = CSV_LAYOUTS[name]
    index = {_name(h): i for i, h in enumerate(header)}
    cols = {f: _column(index, c) for f, c in layout["columns"].items()}
    cit = index.get("citation")
    position = 0
    line = reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as err:
            position += 1
            problems.append(
                Problem(
                    path,
                    line,
                    f"record {position}",
                    f"CSV error ({err}); skipped (check the quotes on this line)",
                    "csv-syntax",
                )
            )
            line = reader.line_num + 1
            continue
        if not any(c.strip() for c in row):
            line = reader.line_num + 1
            continue
        position += 1

        def get(field: str, row: list[str] = row) -> str | None:
            i = cols.get(field)
            return row[i] if i is not None and i < len(row) and row[i].strip() else None

        sep = layout["authors_sep"]
        listed = _listed(get("authors"))
        authors = (
            listed
            if listed is not None
            else [
                a.strip().rstrip(".")
                for a in ((get("authors") or "").split(sep) if sep else [get("authors")])
                if a
            ]
        )
        pmid_text = get("pmid")
        pmid = pmid_of(pmid_text)
        if pmid is None and pmid_text:
            m = PMID_IN_TEXT.search(pmid_text)
            pmid = m.group(1) if m else None
        volume, pages = get("volume"), get("pages")
        if cit is not None and cit < len(row) and not (volume and pages):
            m = _CITATION.search(row[cit])
            if m:
                volume, pages = volume or m.group("volume"), pages or m.group("pages")
        title = get("title")
        if layout.get("pubmed_titles"):
            title = pubmed_title(title)
        rec = record(
            title=title,
            authors=authors,
            journal=get("journal"),
            year=get("year"),
            volume=volume,
            pages=pages,
            doi=doi_of(get("doi")),
            pmid=pmid,
            abstract=get("abstract"),
            database=get("database") or layout["database"],
        )
        if len(row) < len(header):
            problems.append(
                Problem(
                    path,
                    line,
                    f"record {position}",
                    f"has {len(row)} of {len(header)} columns: truncated; skipped (export the search again)",
                    "truncated",
                )
            )
        else:
            kept = check(rec, path, line, position, problems)
            if kept:
                records.append(kept)
        line = reader.line_num + 1
    if position == 0:
        problems.append(Problem(path, 1, "", "the CSV has a header but no records", "no-records"))
    return records, problems
