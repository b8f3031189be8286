"""Writing tables (CSV, XLSX, HTML) and, later, figures and reports. The only module that writes.

Every write is atomic (temporary file + rename). Spreadsheet cells that begin with = + - @ (or a
tab / carriage return) are neutralised with a leading apostrophe, per OWASP's CSV-injection
guidance, so the text stays readable but is never run as a formula. HTML is escaped. Nothing is
ever written into an evidence folder.
"""

from __future__ import annotations

import html
import io
import os
from pathlib import Path
from typing import Any

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd

from ..core.values import neutralize, neutralized
from ..core.yamlio import atomic_write_bytes, atomic_write_text, display_path, dump_yaml
from ..errors import UsageError
from .sof import sof_figure, sof_html

TABLE_FORMATS = (".csv", ".xlsx", ".html")


def guard_target(path: str | os.PathLike) -> Path:
    """Refuse paths inside an evidence folder or with an evidence file's suffix."""
    p = Path(path)
    if p.suffix.lower() in {".yaml", ".yml"}:
        raise UsageError(f"{display_path(p)}: exports are never written as .yaml (evidence files)")
    for parent in [p.parent.resolve(), *p.parent.resolve().parents]:
        if (parent / "vocabulary.yaml").is_file() and (parent / "schema.yaml").is_file():
            raise UsageError(
                f"{display_path(p)} is inside the evidence folder {display_path(parent)}; "
                "write exports elsewhere (e.g. exports/)"
            )
    return p


def table_bytes(df: pd.DataFrame, fmt: str, *, caption: str | None = None, sheet: str = "evidence") -> bytes:
    fmt = fmt.lower().lstrip(".")
    if fmt == "csv":
        return neutralized(df).to_csv(index=False).encode("utf-8-sig")
    if fmt == "xlsx":
        buf = io.BytesIO()
        with pd.ExcelWriter(buf, engine="openpyxl") as xl:
            neutralized(df).to_excel(xl, index=False, sheet_name=sheet)
            if caption:
                pd.DataFrame({"caption": [neutralize(caption)]}).to_excel(xl, index=False, sheet_name="about")
        return buf.getvalue()
    if fmt == "html":
        return html_document(
            df.to_html(index=False, escape=True, na_rep="", classes="exoreview-table", border=0),
            title=caption or "exoreview table",
        ).encode("utf-8")
    raise UsageError(f"unknown table format '{fmt}'; use csv, xlsx or html")


def html_document(body: str, *, title: str) -> str:
    """A self-contained HTML page (no remote scripts or styles)."""
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>"
        "body{font-family:DejaVu Sans,Arial,sans-serif;margin:1.5em;color:#222}"
        "table{border-collapse:collapse;font-size:13px}th,td{border-bottom:1px solid #ddd;"
        "padding:4px 8px;text-align:left;vertical-align:top}th{background:#f3f3f3}"
        f"</style></head><body><h1>{html.escape(title)}</h1>\n{body}\n</body></html>\n"
    )


def write_table(df: pd.DataFrame, path: str | os.PathLike, *, caption: str | None = None) -> Path:
    """Write `df` as CSV, XLSX or HTML by the file's suffix; atomic; never into evidence/."""
    p = guard_target(path)
    if p.is_dir() and p.suffix.lower() not in TABLE_FORMATS:
        raise UsageError(
            f"{display_path(p)}: is a folder, not a file; give a file in it, such as "
            f"{display_path(p / 'table.csv')} (.csv, .xlsx or .html)"
        )
    if p.suffix.lower() not in TABLE_FORMATS:
        raise UsageError(f"{display_path(p)}: unknown table format; use .csv, .xlsx or .html")
    data = table_bytes(df, p.suffix, caption=caption)
    return atomic_write_bytes(p, data, overwrite=True)


def write_evidence(
    evidence: Any, folder: str | os.PathLike, *, source: str | os.PathLike | None = None
) -> Path:
    """Write (a filtered) Evidence as a new evidence folder that ``load`` reads back unchanged.

    vocabulary.yaml and schema.yaml are copied from `source` (default: the folder the evidence
    was loaded from); each study and regulatory record becomes one YAML file. The target must
    not exist or be empty; nothing is ever overwritten.
    """

    target = Path(folder)
    if target.exists() and any(target.iterdir()):
        raise UsageError(f"{display_path(target)} is not empty; choose a new folder")
    guard_target(target / "studies" / "x.csv")
    src = Path(source or evidence.root)
    for name in ("vocabulary.yaml", "schema.yaml"):
        if not (src / name).is_file():
            raise UsageError(f"{display_path(src / name)} not found; pass source=<evidence folder>")
    for name in ("vocabulary.yaml", "schema.yaml"):
        atomic_write_bytes(target / name, (src / name).read_bytes())
    for sub, records in (
        ("studies", evidence.records),
        ("regulatory", evidence.regulatory_records),
        ("claims", evidence.claim_records),
    ):
        for key, rec in records.items():
            clean = {k: v for k, v in rec.items() if not k.startswith("_")}
            atomic_write_text(target / sub / f"{key}.yaml", dump_yaml(clean))
    return target


FIGURE_FORMATS = ("png", "svg", "pdf")


def save_figure(
    fig_or_ax: Any,
    stem: str | os.PathLike,
    *,
    formats: tuple[str, ...] = FIGURE_FORMATS,
    dpi: int = 300,
    stamp: str | None = None,
) -> list[Path]:
    """Save a figure as PNG (300 dpi), SVG (text kept as text) and PDF: ``<stem>.<fmt>``.

    `stamp` (e.g. the filter description) is written on the figure before saving. Each file is
    written atomically; the figure is not closed.
    """

    fig = getattr(fig_or_ax, "figure", fig_or_ax)
    if hasattr(fig, "get_figure") and fig.get_figure() is not None:
        fig = fig.get_figure()
    stem = Path(stem)
    guard_target(stem.with_suffix(".png"))
    if stamp:
        fig.text(
            0.99, 0.005, stamp, ha="right", va="bottom", fontsize=8, color="#555555", gid="exoreview-stamp"
        )
    written = []
    with matplotlib.rc_context({"svg.fonttype": "none", "pdf.fonttype": 42}):
        for fmt in formats:
            buf = io.BytesIO()
            fig.savefig(buf, format=fmt, dpi=dpi, bbox_inches="tight", metadata=figure_metadata(fmt))
            written.append(atomic_write_bytes(stem.with_suffix(f".{fmt}"), buf.getvalue(), overwrite=True))
    return written


def figure_metadata(fmt: str) -> dict[str, Any] | None:
    # reproducible files: no creation date in SVG/PDF
    if fmt == "svg":
        return {"Date": None}
    if fmt == "pdf":
        return {"CreationDate": None}
    return None


SOF_FORMATS = (".html", ".csv", ".xlsx", ".png", ".svg", ".pdf")
SOF_TITLE = "Summary of findings"


def sof_bytes(table: pd.DataFrame, fmt: str) -> bytes:
    """The summary-of-findings table (:func:`exoreview.views.sof.sof_table`) as one file's bytes:
    html (a self-contained page with the footnotes), csv or xlsx (every column, footnotes
    included; spreadsheet formulas neutralised), png (300 dpi), svg or pdf (the figure for slides)."""
    fmt = fmt.lower().lstrip(".")
    if fmt == "html":
        return html_document(sof_html(table), title=SOF_TITLE).encode("utf-8")
    if fmt in ("csv", "xlsx"):
        return table_bytes(table, fmt, caption=SOF_TITLE, sheet="summary of findings")
    if fmt in FIGURE_FORMATS:
        fig = sof_figure(table).figure
        buf = io.BytesIO()
        with matplotlib.rc_context({"svg.fonttype": "none", "pdf.fonttype": 42}):
            fig.savefig(buf, format=fmt, dpi=300, bbox_inches="tight", metadata=figure_metadata(fmt))
        plt.close(fig)
        return buf.getvalue()
    raise UsageError(f"unknown summary-of-findings format '{fmt}'; use {', '.join(SOF_FORMATS)}")


def write_sof(table: pd.DataFrame, path: str | os.PathLike) -> Path:
    """Write the summary of findings by the file's suffix (.html, .csv, .xlsx, .png, .svg, .pdf);
    atomic; never into an evidence folder."""
    p = guard_target(path)
    if p.is_dir():
        raise UsageError(
            f"{display_path(p)}: is a folder, not a file; give a file in it, such as "
            f"{display_path(p / 'sof.html')} ({', '.join(SOF_FORMATS)})"
        )
    if p.suffix.lower() not in SOF_FORMATS:
        raise UsageError(
            f"{display_path(p)}: unknown summary-of-findings format; use {', '.join(SOF_FORMATS)}"
        )
    return atomic_write_bytes(p, sof_bytes(table, p.suffix), overwrite=True)
