"""The summary of findings: one row a claim, after GRADEpro's SoF table, for a group in a meeting.

:func:`sof_table` grades every claim (:func:`exoreview.appraisal.grade.assess`) and gives a plain
DataFrame (one row a claim, column names in words): the statement in full, the verdict in plain
words, the certainty as symbols and words (⊕⊕◯◯ low), the studies and participants / animals, the
decisive reasons in a few words with numbered footnotes that hold each reason in full, and the
design stratum that carries the claim. :func:`sof_html` renders it as one self-contained
``<table class="exoreview-sof">`` plus footnotes (wraps at any width, no index column, verdict
chips in Okabe–Ito colours with their words, never colour alone); :func:`sof_figure` draws it for
slides. Writing files is :func:`exoreview.views.export.write_sof`'s job.
"""

from __future__ import annotations

import html
import re
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import matplotlib.pyplot as plt
import pandas as pd

from ..appraisal import grading_rules
from ..appraisal.assessment import Assessment
from ..appraisal.cards import VERDICT_COLOURS
from ..appraisal.grade import assess
from ..core.evidence import Evidence
from .style import RC, new_axes

# GRADE's certainty symbols (GRADEpro's SoF table): filled circles for the level reached
CERTAINTY_SYMBOLS: Mapping[str, str] = {
    "high": "⊕⊕⊕⊕",
    "moderate": "⊕⊕⊕◯",
    "low": "⊕⊕◯◯",
    "very low": "⊕◯◯◯",
}
NO_CERTAINTY = "none"
# each verdict in the plain words a group reads (the chip's text; the colour only repeats it)
VERDICT_WORDS: Mapping[str, str] = {
    "supported": "supported",
    "limited": "may be true",
    "preclinical-only": "only cell or animal studies",
    "contradicted": "the evidence says otherwise",
    "no-evidence": "no study with results",
    "misattributed": "its references do not show it",
    "very-uncertain": "very uncertain",
}
DOMAIN_WORDS: Mapping[str, str] = {
    "risk_of_bias": "risk of bias",
    "inconsistency": "inconsistency",
    "indirectness": "indirectness",
    "imprecision": "imprecision",
    "publication_bias": "publication bias",
}
# verdicts decided before the domains: their own reasons are the decisive ones
_VERDICT_LED = ("contradicted", "misattributed", "no-evidence")
GIST_CHARS = 80  # a reason's few words; the footnote holds it whole
COLUMNS: tuple[str, ...] = (
    "Key",
    "Claim",
    "Verdict",
    "Certainty",
    "Studies",
    "Participants / animals",
    "Reasons",
    "Carried by",
    "Footnotes",
)
_MARK = re.compile(r"\[(\d+)\]")


# --------------------------------------------------------------------------------- data
def certainty_words(a: Assessment) -> str:
    """'⊕⊕◯◯ low', '⊕⊕⊕◯ moderate at most', '⊕⊕⊕⊕ high (of the contradiction)', 'none'."""
    if a.certainty is None:
        return NO_CERTAINTY
    text = f"{CERTAINTY_SYMBOLS[a.certainty]} {a.certainty_shown}"
    return text if a.certainty_of == "the claim" else f"{text} (of {a.certainty_of})"


def _balanced(text: str) -> str:
    """`text` without a trailing '(' left open (a cut inside brackets)."""
    depth, last_open = 0, -1
    for i, ch in enumerate(text):
        if ch == "(":
            depth, last_open = depth + 1, (i if depth == 0 else last_open)
        elif ch == ")" and depth:
            depth -= 1
    return text[:last_open].rstrip(" ,;:") if depth else text


def shorten(text: str, limit: int = GIST_CHARS) -> str:
    """`text` cut at a word boundary to at most `limit` characters, '…' marking the cut (never
    inside an open bracket)."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = textwrap.shorten(text, width=limit, placeholder="")
    return _balanced(cut).rstrip(" ,;:") + " …"


def _clauses(text: str) -> list[str]:
    """`text` split at '; ' outside brackets."""
    out, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        depth += (ch == "(") - (ch == ")" and depth > 0)
        if depth == 0 and text.startswith("; ", i):
            out.append(text[start:i])
            start = i + 2
    return [c for c in (*out, text[start:]) if c.strip()]


_LEVELS = ("low", "moderate", "serious", "high", "critical")
_KEY_LIST = re.compile(r"^[a-z0-9][a-z0-9.-]*(?:, [a-z0-9][a-z0-9.-]*)*$")


def _head(clause: str, *, min_head: int | None = None) -> str:
    """A clause without its list of study or record keys ('…: key, key'), or, with `min_head`,
    only its head when that head says enough by itself (at least `min_head` characters)."""
    head, sep, tail = clause.partition(": ")
    if sep and (_KEY_LIST.match(tail.strip()) or (min_head is not None and len(head) >= min_head)):
        return _balanced(head)
    return clause


def domain_gist(name: str, reason: str) -> str:
    """A domain's reason in a few words: the clause that says why it was rated down, without
    study keys. The footnote holds the reason whole."""
    text = reason
    if text.startswith(grading_rules.NOT_ASSESSABLE + ":"):
        text = text[len(grading_rules.NOT_ASSESSABLE) + 1 :].strip()
    judged = re.findall(r"(?:^|; )[a-z0-9][a-z0-9.-]*: ([a-z ]+?) \(([^:;()]+)", text)
    if name == "risk_of_bias" and judged and not text.startswith("risk of bias"):
        # 'key: high (why); key: some concerns (why)': how many studies at each judgement, and why
        counts: dict[str, int] = {}
        for judgement, _why in judged:
            counts[judgement] = counts.get(judgement, 0) + 1
        whys = "; ".join(dict.fromkeys(why.strip() for _j, why in judged))
        lead = ", ".join(
            f"{n} of {len(judged)} studies {'at ' + j + ' risk' if j in _LEVELS else j}"
            for j, n in counts.items()
        )
        return shorten(f"{lead} ({whys})")
    clauses = _clauses(text)
    if name == "publication_bias":
        clauses = [c for c in clauses if not c.startswith(("0 of ", "funding not known"))] or clauses
    buts = [i for i, c in enumerate(clauses) if c.startswith("but ")]
    if buts:
        clauses = [clauses[buts[0]][4:], *clauses[buts[0] + 1 :]]
    first = clauses[0] if clauses else text
    return shorten(
        first.split(": ", 1)[0] if name in ("inconsistency", "indirectness") else _head(first, min_head=30)
    )


def reason_gist(reason: str) -> str:
    """A verdict's reason in a few words: 'reference 1 is off-topic', '8 regulator … say otherwise'."""
    m = re.match(r"(reference \S+) \(.*?\) is ([\w-]+)", reason)
    if m:
        return f"{m.group(1)} is {m.group(2)}"
    return shorten(_head(reason))


def decisive(a: Assessment) -> list[tuple[str, str]]:
    """(few words, full reason) for what decided the verdict and the certainty: the verdict's own
    reason for verdicts decided before the domains, else each domain rated down or not assessed."""
    out: list[tuple[str, str]] = []
    if a.verdict not in _VERDICT_LED:
        for d in a.domains:
            if d.change < 0 or d.rating == grading_rules.NOT_ASSESSABLE:
                label = f"{DOMAIN_WORDS.get(d.name, d.name.replace('_', ' '))}, {d.rating}"
                out.append((f"{label}: {domain_gist(d.name, d.reason)}", f"{label}: {d.reason}"))
        if a.upgrade.change > 0:
            out.append((f"rated up: {shorten(a.upgrade.reason, 40)}", f"rated up: {a.upgrade.reason}"))
    if not out:
        out = [(reason_gist(r), r) for r in a.reasons[:2]]
    return out


def _studies(a: Assessment) -> str:
    parts = []
    for label, roles in (("supporting", a.supporting), ("contradicting", a.contradicting)):
        studies = sum(1 for r in roles if r.kind == "study")
        records = sum(1 for r in roles if r.kind != "study")
        if studies:
            parts.append(f"{studies} {label}")
        if records:
            parts.append(f"{records} regulator record{'s' if records != 1 else ''} {label}")
    return ", ".join(parts) or "none"


def _people(a: Assessment) -> str:
    parts = []
    if a.participants:
        parts.append(f"{a.participants} participant{'s' if a.participants != 1 else ''}")
    if a.animals:
        parts.append(f"{a.animals} animal{'s' if a.animals != 1 else ''}")
    if parts:
        return ", ".join(parts)
    return "not reported" if any(r.kind == "study" for r in (*a.supporting, *a.contradicting)) else "—"


def _carried_by(a: Assessment) -> str:
    if a.carried_by:
        for s in a.strata:
            if s.startswith(a.carried_by + " ("):
                n = s[len(a.carried_by) + 2 :].split(")", 1)[0]
                return f"{a.carried_by} ({n} stud{'y' if n == '1' else 'ies'})"
        return a.carried_by
    if any(r.kind != "study" for r in a.contradicting) and a.certainty is not None:
        return "regulators' records"
    return "—"


def sof_rows(assessments: Iterable[Assessment]) -> pd.DataFrame:
    """The SoF table of graded claims (see :func:`sof_table`)."""
    rows = []
    n = 0
    for a in assessments:
        marks, notes = [], []
        for gist, full in decisive(a):
            n += 1
            marks.append(f"{gist} [{n}]")
            notes.append(f"[{n}] {' '.join(full.split())}")
        rows.append(
            {
                "Key": a.claim.key,
                "Claim": a.claim.statement,
                "Verdict": VERDICT_WORDS.get(a.verdict, a.verdict),
                "Certainty": certainty_words(a),
                "Studies": _studies(a),
                "Participants / animals": _people(a),
                "Reasons": "; ".join(marks),
                "Carried by": _carried_by(a),
                "Footnotes": "\n".join(notes),
            }
        )
    return pd.DataFrame(rows, columns=list(COLUMNS), dtype="string")


def sof_table(evidence: Evidence, claims: Sequence[str] | None = None) -> pd.DataFrame:
    """The summary of findings, one row a claim of ``evidence/claims/`` (or of `claims`, keys, in
    that order; default every claim in key order). Columns (plain words): Key, Claim (the statement
    in full), Verdict (plain words), Certainty ('⊕⊕◯◯ low'; 'none' where none applies), Studies,
    Participants / animals, Reasons (a few words each, '[n]' naming its footnote), Carried by (the
    design stratum whose certainty the claim has), Footnotes ('[n] full reason', one a line)."""
    keys = list(claims) if claims is not None else sorted(evidence.claim_records)
    return sof_rows(assess(k, evidence) for k in keys)


# --------------------------------------------------------------------------------- HTML
def _text_colour(background: str) -> str:
    """Black or white, whichever contrasts more with `background` (WCAG relative luminance)."""
    rgb = [int(background[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    lum = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    return "#000000" if (lum + 0.05) / 0.05 >= 1.05 / (lum + 0.05) else "#ffffff"


VERDICT_OF_WORDS: Mapping[str, str] = {w: v for v, w in VERDICT_WORDS.items()}


def chip_colours(verdict_words: str) -> tuple[str, str]:
    """(background, text colour) of a verdict chip, from its plain words."""
    bg = VERDICT_COLOURS.get(VERDICT_OF_WORDS.get(verdict_words, ""), "#999999")
    return bg, _text_colour(bg)


SOF_CSS = """
/* each selector starts at the block so it outranks JupyterLab's right-aligned output tables */
.exoreview-sof-block{max-width:100%;font-size:16px;line-height:1.35}
.exoreview-sof-block table.exoreview-sof{width:100%;border-collapse:collapse;table-layout:fixed}
.exoreview-sof-block table.exoreview-sof th,.exoreview-sof-block table.exoreview-sof td{border-bottom:1px solid #ccc;padding:6px 8px;
 text-align:left;vertical-align:top;overflow-wrap:break-word;white-space:normal}
.exoreview-sof-block table.exoreview-sof thead th{background:#eef2f5;border-bottom:2px solid #0b3c5d}
.exoreview-sof-block table.exoreview-sof col.c-claim{width:23%} .exoreview-sof-block table.exoreview-sof col.c-verdict{width:10%}
.exoreview-sof-block table.exoreview-sof col.c-certainty{width:12%} .exoreview-sof-block table.exoreview-sof col.c-studies{width:12%}
.exoreview-sof-block table.exoreview-sof col.c-people{width:11%} .exoreview-sof-block table.exoreview-sof col.c-reasons{width:22%}
.exoreview-sof-block table.exoreview-sof col.c-stratum{width:10%}
.exoreview-sof-block table.exoreview-sof tr{break-inside:avoid;page-break-inside:avoid}
.exoreview-sof-block .exoreview-sof .chip{display:inline-block;padding:2px 8px;border-radius:4px;font-weight:bold}
.exoreview-sof-block .exoreview-sof .symbols{letter-spacing:1px;white-space:nowrap}
.exoreview-sof ul.reasons{margin:0;padding-left:1.1em}
.exoreview-sof-notes{font-size:13px;color:#333} .exoreview-sof-notes li{margin:.15em 0}
@media print{.exoreview-sof-block{font-size:9pt} .exoreview-sof-notes{font-size:7.5pt}
 .exoreview-sof-block table.exoreview-sof th,.exoreview-sof-block table.exoreview-sof td{padding:3px 5px}}
"""


_SUP = r'<sup><a href="#sof-note-\1">\1</a></sup>'


def _reasons_html(text: str) -> str:
    """'gist [1]; gist [2]' as a list, each footnote number a superscript link."""
    items = [t for t in re.split(r"(?<=\]);\s+", text) if t.strip()]
    lis = "".join("<li>" + _MARK.sub(_SUP, html.escape(t)) + "</li>" for t in items)
    return f'<ul class="reasons">{lis}</ul>' if lis else ""


def sof_html(table: pd.DataFrame, footnotes: bool = True) -> str:
    """The SoF table as one self-contained HTML block: ``<table class="exoreview-sof">`` (its own
    CSS, wrapping, fixed layout: no horizontal scroll at 1400 px, no index column; each row carries
    ``data-claim`` and ``data-verdict``) and, with `footnotes`, the numbered footnotes under it.
    Every piece of text is escaped."""
    e = html.escape
    body = []
    for _, row in table.iterrows():
        words = str(row["Verdict"])
        bg, fg = chip_colours(words)
        cert = str(row["Certainty"])
        sym, _, rest = cert.partition(" ")
        cert_html = (
            f'<span class="symbols" aria-hidden="true">{e(sym)}</span> {e(rest)}'
            if set(sym) <= set("⊕◯")
            else e(cert)
        )
        body.append(
            f'<tr data-claim="{e(str(row["Key"]))}" data-verdict="{e(VERDICT_OF_WORDS.get(words, words))}">'
            f"<td>{e(str(row['Claim']))}</td>"
            f'<td><span class="chip" style="background:{bg};color:{fg}">{e(words)}</span></td>'
            f'<td class="certainty" title="{e(cert)}">{cert_html}</td>'
            f"<td>{e(str(row['Studies']))}</td><td>{e(str(row['Participants / animals']))}</td>"
            f"<td>{_reasons_html(str(row['Reasons']))}</td><td>{e(str(row['Carried by']))}</td></tr>"
        )
    cols = "".join(
        f'<col class="c-{c}">'
        for c in ("claim", "verdict", "certainty", "studies", "people", "reasons", "stratum")
    )
    head = "".join(
        f'<th scope="col">{e(h)}</th>'
        for h in (
            "Claim",
            "Verdict",
            "Certainty",
            "Studies",
            "Participants / animals",
            "Why (decisive reasons)",
            "Carried by",
        )
    )
    notes = ""
    if footnotes:
        items = []
        for text in table["Footnotes"].fillna(""):
            for line in str(text).splitlines():
                m = _MARK.match(line)
                if m:
                    items.append(
                        f'<li id="sof-note-{m.group(1)}" value="{m.group(1)}">{e(line[m.end() :].strip())}</li>'
                    )
        notes = f'<ol class="exoreview-sof-notes">{"".join(items)}</ol>' if items else ""
    legend = (
        '<p class="exoreview-sof-legend"><small>Certainty (GRADE): ⊕⊕⊕⊕ high · ⊕⊕⊕◯ moderate · ⊕⊕◯◯ low · '
        "⊕◯◯◯ very low; “at most”: a domain could not be assessed from what was read. Numbers in "
        "the reasons name the footnotes below.</small></p>"
    )
    return (
        f'<div class="exoreview-sof-block"><style>{SOF_CSS}</style>'
        f'<table class="exoreview-sof"><colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>{legend}{notes}</div>"
    )


def sof_section(table: pd.DataFrame, files: Mapping[str, str] | None = None) -> str:
    """The summary of findings as a report section: a line on what it is, the table and its
    footnotes, and links to its `files` (format → path relative to the page)."""
    links = " · ".join(
        f'<a href="{html.escape(f)}">{html.escape(x.upper())}</a>' for x, f in (files or {}).items()
    )
    return (
        "<p>One row a claim of the evidence folder's <code>claims/</code>: what the evidence says, how "
        "sure we can be (GRADE certainty) and why. The full grading of each claim is in notebook 04.</p>"
        + sof_html(table)
        + (f'<p class="files">Files: {links}</p>' if links else "")
    )


# --------------------------------------------------------------------------------- figure
_FIG_COLUMNS: tuple[tuple[str, float], ...] = (  # column, share of the width
    ("Claim", 0.30),
    ("Verdict", 0.13),
    ("Certainty", 0.14),
    ("Studies", 0.13),
    ("Participants / animals", 0.12),
    ("Carried by", 0.18),
)


def sof_figure(table: pd.DataFrame, *, width: float = 13.0, fontsize: float = 10.0) -> Any:
    """The SoF table drawn for a slide (matplotlib; long statements wrapped): the Axes. The
    reasons stay in the HTML and the spreadsheet, where their footnotes are."""
    chars_per_inch = 72 / (fontsize * 0.68)
    wrapped = []
    for _, row in table.iterrows():
        cells = []
        for col, share in _FIG_COLUMNS:
            text = str(row[col])
            cells.append(textwrap.wrap(text, max(8, int(share * width * chars_per_inch))) or [""])
        wrapped.append(cells)
    line_h = fontsize * 1.45 / 72  # inches
    heights = [max(len(c) for c in cells) * line_h + 0.12 for cells in wrapped]
    header_h = 2 * line_h + 0.12
    total = header_h + sum(heights) + 0.3
    ax = new_axes(figsize=(width, max(2.0, total)))
    fig = ax.figure
    fig.set_layout_engine("none")
    ax.set_position((0, 0, 1, 1))
    ax.set_axis_off()
    ax.set_xlim(0, width)
    ax.set_ylim(total, 0)
    with plt.rc_context(RC):
        x = 0.1
        xs = []
        for col, share in _FIG_COLUMNS:
            xs.append(x)
            ax.text(x, 0.1, "\n".join(textwrap.wrap(col, 14)), va="top", fontsize=fontsize, weight="bold")
            x += share * (width - 0.2)
        y = header_h
        ax.axhline(y - 0.04, color="#0b3c5d", lw=1.5)
        for cells, h, (_, row) in zip(wrapped, heights, table.iterrows()):
            for i, lines in enumerate(cells):
                kw: dict[str, Any] = {"va": "top", "fontsize": fontsize, "linespacing": 1.3}
                if _FIG_COLUMNS[i][0] == "Verdict":
                    bg, fg = chip_colours(str(row["Verdict"]))
                    kw.update(
                        color=fg, weight="bold", bbox={"boxstyle": "round,pad=0.25", "fc": bg, "ec": bg}
                    )
                ax.text(xs[i] + (0.05 if i == 1 else 0), y + 0.06, "\n".join(lines), **kw)
            y += h
            ax.axhline(y - 0.02, color="#cccccc", lw=0.8)
    ax.set_title("Summary of findings", loc="left")
    return ax
