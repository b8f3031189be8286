"""Tables a reviewer reads: the evidence table and the regulatory and safety panel.

Each builder is a pure function of an :class:`~exoreview.evidence.Evidence` and returns a frozen
:class:`Table`: the plain data (what CSV / XLSX exports hold), a caption carrying the filter
description, and a sortable, escaped HTML rendering that works offline (a few lines of inline
JavaScript on the column headers; no remote script). Writing files is :meth:`Table.export`, which
goes through :mod:`exoreview.export`.

The display rules (direction symbols, funding flag wording, link targets) are the tables below.
"""

from __future__ import annotations

import html
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import numpy as np
import pandas as pd

from ..core.evidence import Evidence
from ..core.filters import Filter
from ..core.levels import TIER_NAMES
from ..core.values import missing
from ..core.yamlio import atomic_write_text
from .export import guard_target, html_document, write_table

TABLE_CLASS = "exoreview-table"

# how an outcome's direction reads in a table cell
DIRECTION_SYMBOLS: Mapping[str, str] = {
    "increased": "↑",
    "decreased": "↓",
    "no significant change": "↔ n.s.",
    "mixed": "±",
    "planned": "(planned)",
    "result not seen": "? (result not seen)",
}
NOT_SEEN = "result not seen"  # how an outcome whose direction was not seen reads
# industry_funded → what the funding column says (null stays "unclear": unknown is not "no")
FUNDING_FLAGS: Mapping[Any, str] = {True: "industry", False: "no industry", None: "unclear"}
# identifier → link (only these; anything else is shown as text)
LINKS: tuple[tuple[str, str, str], ...] = (
    ("doi", "DOI", "https://doi.org/{}"),
    ("pmid", "PMID", "https://pubmed.ncbi.nlm.nih.gov/{}/"),
    ("registry_id", "NCT", "https://clinicaltrials.gov/study/{}"),
)
MAX_OUTCOMES_SHOWN = 4

# the header onclick handler: sorts the table body by that column (numbers by data-sort),
# toggling ascending / descending. Inline so it works in a widget, a notebook and the report.
_SORT_JS = (
    "(function(th){var tr=th.parentNode,t=tr.closest('table'),b=t.tBodies[0],"
    "i=Array.prototype.indexOf.call(tr.children,th),"
    "d=th.getAttribute('aria-sort')==='ascending'?-1:1;"
    "Array.prototype.forEach.call(tr.children,function(h){h.removeAttribute('aria-sort')});"
    "th.setAttribute('aria-sort',d>0?'ascending':'descending');"
    "var r=Array.prototype.slice.call(b.rows);"
    "function k(row){var c=row.cells[i];var s=c.getAttribute('data-sort');return s===null?c.textContent:s}"
    "r.sort(function(x,y){var a=k(x),c=k(y),na=parseFloat(a),nc=parseFloat(c);"
    "if(a!==''&&c!==''&&!isNaN(na)&&!isNaN(nc))return(na-nc)*d;return a.localeCompare(c)*d});"
    "r.forEach(function(row){b.appendChild(row)})})(this)"
)
_CSS = (
    f"<style>table.{TABLE_CLASS}{{border-collapse:collapse;font-size:12.5px;"
    "font-family:DejaVu Sans,Arial,sans-serif}"
    f"table.{TABLE_CLASS} caption{{caption-side:top;text-align:left;font-weight:bold;padding:4px 0}}"
    f"table.{TABLE_CLASS} th{{background:#f0f0f0;cursor:pointer;text-align:left;position:sticky;top:0}}"
    f"table.{TABLE_CLASS} th[aria-sort=ascending]::after{{content:' \\25B2'}}"
    f"table.{TABLE_CLASS} th[aria-sort=descending]::after{{content:' \\25BC'}}"
    f"table.{TABLE_CLASS} td,table.{TABLE_CLASS} th{{border-bottom:1px solid #ddd;padding:3px 6px;"
    "vertical-align:top}"
    f"table.{TABLE_CLASS} td ul{{margin:0;padding-left:1.1em}}"
    f"table.{TABLE_CLASS} tr.hollow td{{color:#555;font-style:italic}}"
    "</style>"
)


@dataclass(frozen=True)
class Column:
    """One displayed column: header, the data column it shows, and how its cells render."""

    header: str
    source: str
    kind: str = "text"  # text | number | links | list | tier
    sort: str | None = None  # data column holding the sort key (numbers), if any


@dataclass(frozen=True)
class Table:
    """A table view: plain data for export plus an escaped, sortable HTML rendering."""

    data: pd.DataFrame
    caption: str
    columns: tuple[Column, ...]
    name: str = "table"
    row_class: str | None = None  # data column naming a CSS class per row
    export_columns: tuple[str, ...] = field(default=())
    display: Callable[[pd.DataFrame], pd.DataFrame] | None = None  # adds HTML-only columns to shown rows

    def __len__(self) -> int:
        return len(self.data)

    @property
    def export_frame(self) -> pd.DataFrame:
        cols = list(self.export_columns) or [c for c in self.data.columns if not c.startswith("_")]
        return self.data[cols]

    def to_html(self, *, max_rows: int | None = None, css: bool = True) -> str:
        """Escaped HTML; headers sort on click. `max_rows` shows the first rows and says so."""
        rows = self.data if max_rows is None else self.data.head(max_rows)
        if self.display is not None:
            rows = self.display(rows)
        head = "".join(
            f'<th scope="col" onclick="{html.escape(_SORT_JS)}" title="sort">{html.escape(c.header)}</th>'
            for c in self.columns
        )
        cells_by_col = [_render_column(rows, c) for c in self.columns]
        body_rows = []
        classes = rows[self.row_class].tolist() if self.row_class else [None] * len(rows)
        for i in range(len(rows)):
            row_class = classes[i]
            cls = f' class="{html.escape(row_class)}"' if row_class else ""
            body_rows.append(f"<tr{cls}>" + "".join(col[i] for col in cells_by_col) + "</tr>")
        shown = len(rows)
        note = ""
        if shown < len(self.data):
            note = (
                f'<p class="exoreview-note">Showing the first {shown} of {len(self.data)} rows; '
                "export the table for all of them.</p>"
            )
        return (
            (_CSS if css else "")
            + f'<table class="{TABLE_CLASS}" data-name="{html.escape(self.name)}" '
            + f'data-rows="{len(self.data)}"><caption>{html.escape(self.caption)}</caption>'
            + f"<thead><tr>{head}</tr></thead><tbody>{''.join(body_rows)}</tbody></table>{note}"
        )

    def _repr_html_(self) -> str:
        return self.to_html()

    def export(self, path: str | os.PathLike) -> Path:
        """Write CSV, XLSX (via :func:`exoreview.export.write_table`) or this sortable HTML."""

        p = Path(path)
        if p.suffix.lower() == ".html":
            guard_target(p)
            return atomic_write_text(p, html_document(self.to_html(), title=self.caption), overwrite=True)
        return write_table(self.export_frame, p, caption=self.caption)


def _render_column(rows: pd.DataFrame, col: Column) -> list[str]:
    values = rows[col.source].tolist()
    sorts = rows[col.sort].tolist() if col.sort else [None] * len(values)
    out = []
    for val, key in zip(values, sorts):
        attr = "" if key is None or _isna(key) else f' data-sort="{html.escape(str(key))}"'
        if col.kind == "links":
            inner = " · ".join(
                f'<a href="{html.escape(url)}" target="_blank" rel="noopener">{html.escape(text)}</a>'
                if url
                else html.escape(text)
                for text, url in (val or ())
            )
        elif col.kind == "list":
            items = [v for v in (val or ()) if v]
            inner = (
                "<ul>" + "".join(f"<li>{html.escape(str(v))}</li>" for v in items) + "</ul>" if items else ""
            )
        else:
            inner = "" if _isna(val) else html.escape(str(val))
        out.append(f"<td{attr}>{inner}</td>")
    return out


def _isna(val: Any) -> bool:
    try:
        return bool(pd.isna(val))
    except (TypeError, ValueError):
        return False


def _description(spec: Filter | None, caption: str | None) -> str:
    if caption:
        return caption
    return spec.describe() if spec is not None else "all studies"


# ---------------------------------------------------------------------------------------------
def links(row: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    """(text, url) pairs for a study's DOI, PMID and NCT registration (only identifiers seen)."""
    out = []
    for fld, label, pattern in LINKS:
        val = row.get(fld)
        if val is None or _isna(val) or not str(val).strip():
            continue
        val = str(val).strip()
        if fld == "registry_id" and not val.upper().startswith("NCT"):
            continue
        out.append((f"{label} {val}", pattern.format(_quote(val))))
    return tuple(out)


EVIDENCE_COLUMNS: tuple[Column, ...] = (
    Column("Study", "citation"),
    Column("Title", "title"),
    Column("Year", "year", sort="year"),
    Column("Links", "_links", kind="links"),
    Column("Cell source", "cell_source"),
    Column("Vesicle", "vesicle_term"),
    Column("Model / species", "model_species"),
    Column("Design", "tier", sort="_tier_rank"),
    Column("n", "n", sort="_n_sort"),
    Column("Read", "extraction_level"),
    Column("Condition", "condition"),
    Column("Main outcomes (direction)", "_outcomes_shown", kind="list"),
    Column("Funding", "funding"),
    Column("Citation", "citation_status"),
)
EVIDENCE_EXPORT = (
    "key",
    "citation",
    "title",
    "year",
    "doi",
    "pmid",
    "registry_id",
    "doi_url",
    "pubmed_url",
    "cell_source",
    "vesicle_term",
    "models",
    "species",
    "tier",
    "design",
    "n",
    "extraction_level",
    "extraction_source",
    "condition",
    "outcomes",
    "funding",
    "citation_status",
    "publication_status",
)


def _outcome_texts(ev: Evidence) -> pd.DataFrame:
    """Per study: 'label (direction)' texts joined by '; ' and their symbol forms joined by newlines.
    A direction that was not seen reads 'result not seen'."""
    label = ev.vocabulary["outcome"].label
    plain: dict[str, list[str]] = {}
    sym: dict[str, list[str]] = {}
    for study, outcome, direction in zip(
        ev.outcomes["study"], ev.outcomes["outcome"], ev.outcomes["direction"]
    ):
        direction = NOT_SEEN if missing(direction) else str(direction)
        text = f"{label(str(outcome))} ({direction})"
        if text not in plain.setdefault(study, []):
            plain[study].append(text)
            sym.setdefault(study, []).append(
                f"{label(str(outcome))} {DIRECTION_SYMBOLS.get(direction, direction)}"
            )
    return pd.DataFrame(
        {
            "outcomes": ["; ".join(v) for v in plain.values()],
            "_outcomes_sym": ["\n".join(sym[k]) for k in plain],
        },
        index=pd.Index(list(plain), name="study"),
    )


def _text(series: pd.Series) -> pd.Series:
    return series.astype(object).where(series.notna(), None)


def _evidence_display(rows: pd.DataFrame) -> pd.DataFrame:
    """The HTML-only columns, computed for the rows actually shown."""
    rows = rows.copy()
    recs = rows[["doi", "pmid", "registry_id"]].astype(object).to_dict("records")
    rows["_links"] = [links(r) for r in recs]

    def shown(text: Any) -> list[str]:
        outs = [] if _isna(text) or not text else str(text).split("\n")
        extra = len(outs) - MAX_OUTCOMES_SHOWN
        return outs[:MAX_OUTCOMES_SHOWN] + ([f"+{extra} more"] if extra > 0 else [])

    rows["_outcomes_shown"] = [shown(t) for t in rows["_outcomes_sym"]]
    return rows


def evidence_table(ev: Evidence, *, spec: Filter | None = None, caption: str | None = None) -> Table:
    """One row a study: citation with DOI/PMID links, cell source, vesicle, model/species, design
    tier, n, condition, main outcomes with direction, funding flag and citation status.

    The caption is the filter description (pass `spec` or `caption`) and the study count."""
    st = ev.studies
    desc = _description(spec, caption)
    rank = {t: i for i, t in enumerate(TIER_NAMES)}
    key = st["key"].astype(str)
    outs = _outcome_texts(ev).reindex(key.to_numpy())
    doi, pmid = _text(st["doi"]), _text(st["pmid"])
    n_part, n_anim = st["n_participants"], st["n_animals"]
    part = n_part.astype("string") + " participants"
    anim = n_anim.astype("string") + " animals"
    n = part.fillna("") + np.where(n_part.notna() & n_anim.notna(), "; ", "") + anim.fillna("")
    n = n.where(n != "", st["n_text"].astype("string").fillna(""))
    n = n.where(n != "", st["n_status"].astype("string").fillna(""))  # not reported / not extracted
    industry = st["industry_funded"]
    tier = st["tier"].astype(str)
    models = st["models"].astype("string").fillna("")
    species = st["species"].astype("string").fillna("")
    data = pd.DataFrame(
        {
            "key": key.to_numpy(),
            "citation": _text(st["citation"]).to_numpy(),
            "title": _text(st["title"]).to_numpy(),
            "year": st["year"].to_numpy(),
            "doi": doi.to_numpy(),
            "pmid": pmid.to_numpy(),
            "registry_id": _text(st["registry_id"]).to_numpy(),
            "doi_url": doi.map(lambda d: None if d is None else LINKS[0][2].format(_quote(d))).to_numpy(),
            "pubmed_url": pmid.map(lambda p: None if p is None else LINKS[1][2].format(_quote(p))).to_numpy(),
            "cell_source": _text(st["cell_source"]).to_numpy(),
            "vesicle_term": _text(st["vesicle_term"]).to_numpy(),
            "models": _text(st["models"]).to_numpy(),
            "species": _text(st["species"]).to_numpy(),
            "tier": tier.to_numpy(),
            "design": _text(st["designs"]).to_numpy(),
            "n": n.astype(object).to_numpy(),
            "condition": _text(st["condition"]).to_numpy(),
            "outcomes": outs["outcomes"].astype(object).where(outs["outcomes"].notna(), "").to_numpy(),
            "extraction_level": _text(st["extraction_level"].astype("string")).to_numpy(),
            "extraction_source": _text(st["extraction_source"]).to_numpy(),
            "funding": np.where(
                industry.isna() & (st["funding_status"] == "reported").to_numpy(),
                FUNDING_FLAGS[None],
                np.where(
                    industry.isna(),
                    st["funding_status"].astype("string").fillna(FUNDING_FLAGS[None]),
                    np.where(industry.fillna(False).astype(bool), FUNDING_FLAGS[True], FUNDING_FLAGS[False]),
                ),
            ),
            "citation_status": st["citation_status"].astype(str).to_numpy(),
            "publication_status": st["publication_status"].astype(str).to_numpy(),
            "model_species": (
                models + np.where((models != "") & (species != ""), " / ", "") + species
            ).to_numpy(),
            "_outcomes_sym": outs["_outcomes_sym"].to_numpy(),
            "_n_sort": n_part.astype("Float64")
            .fillna(n_anim.astype("Float64"))
            .to_numpy(dtype=object, na_value=None),
            "_tier_rank": tier.map(lambda t: rank.get(t, len(rank))).to_numpy(),
            "_row_class": np.where(tier == "registered, no results", "hollow", ""),
        }
    )
    data["year"] = data["year"].astype("Int64")
    count = len(data)
    return Table(
        data,
        f"Evidence table · {desc} · {count} {'study' if count == 1 else 'studies'}",
        EVIDENCE_COLUMNS,
        name="evidence",
        row_class="_row_class",
        export_columns=EVIDENCE_EXPORT,
        display=_evidence_display,
    )


def _quote(value: str) -> str:
    return quote(str(value).strip(), safe="/:;()._-<>[]")


REGULATORY_COLUMNS: tuple[Column, ...] = (
    Column("Date", "date", sort="date"),
    Column("Issuer", "issuer"),
    Column("Record", "_title_link", kind="links"),
    Column("Kind", "kind"),
    Column("Region", "region"),
    Column("Topics", "topics"),
    Column("Approved products", "approved_products", sort="approved_products"),
    Column("Adverse events", "adverse_events"),
    Column("Hair / scalp", "hair_use"),
    Column("What the record says", "_facts", kind="list"),
)
REGULATORY_EXPORT = (
    "key",
    "date",
    "issuer",
    "title",
    "url",
    "kind",
    "region",
    "topics",
    "approved_products",
    "adverse_events",
    "hair_use",
    "facts",
)


def _yes_no(val: Any, yes: str = "yes", no: str = "no") -> str:
    return "not stated" if _isna(val) or val is None else (yes if bool(val) else no)


def regulatory_table(ev: Evidence, *, caption: str | None = None) -> Table:
    """Regulators' notices, safety and adverse-event reports, one row a record, dated."""
    reg = ev.regulatory
    kind_label = ev.vocabulary["regulatory_kind"].label
    rows = []
    for r in reg.to_dict("records"):
        ae = _yes_no(r.get("adverse_events_reported"), "reported", "none reported")
        if ae == "reported" and not _isna(r.get("serious_adverse_events")) and r["serious_adverse_events"]:
            ae = "reported, serious"
        url = r.get("url")
        url = url if isinstance(url, str) and url.startswith(("https://", "http://")) else None
        facts = [f for f in str(r.get("facts") or "").split("\n") if f.strip()]
        rows.append(
            {
                "key": r["key"],
                "date": r.get("date") if not _isna(r.get("date")) else "date not seen",
                "issuer": r["issuer"],
                "title": r["title"],
                "url": url,
                "kind": kind_label(str(r["kind"])),
                "region": r.get("region"),
                "topics": r.get("topics"),
                "approved_products": r.get("approved_products"),
                "adverse_events": ae,
                "hair_use": _yes_no(r.get("hair_use")),
                "facts": "\n".join(facts),
                "_title_link": ((r["title"], url or ""),),
                "_facts": facts,
            }
        )
    data = pd.DataFrame(rows, columns=[*REGULATORY_EXPORT, "_title_link", "_facts"])
    desc = caption or "regulatory and safety records (study filters do not apply)"
    return Table(
        data,
        f"Regulatory and safety panel · {desc} · {len(data)} records",
        REGULATORY_COLUMNS,
        name="regulatory",
        export_columns=REGULATORY_EXPORT,
    )
