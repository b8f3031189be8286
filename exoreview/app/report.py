"""The meeting report: one self-contained, offline HTML file plus the figures as files.

``build(...)`` loads the evidence, draws the report figures (:data:`REPORT_FIGURES`), builds the
evidence table and the regulatory panel, executes every notebook in the notebooks folder headless
(:func:`exoreview.notebook.execute`, finite timeout), and writes

- ``<out>/index.html``: code hidden, figures embedded as data URIs, no remote script, style or
  font; notebook cells tagged ``report-skip`` left out; every widget replaced by the static view of its state at the end of the run (read from
  the widget state nbclient stores in the executed notebook);
- ``<out>/sof.csv|xlsx|png|svg|pdf``: the summary of findings that opens the report;
- ``<out>/figures/<name>.png|svg|pdf``: each report figure at 300 dpi, SVG text kept as text.

Nothing is written until every notebook has run; a failure names the notebook and cell. The
report is never written inside an evidence folder.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import matplotlib
import matplotlib.pyplot as plt
from nbconvert.filters.markdown_mistune import markdown2html_mistune
from tqdm.auto import tqdm

from .. import __version__
from ..core.evidence import load
from ..core.filters import Filter
from ..core.paths import default_path, require_folder
from ..core.yamlio import (
    atomic_write_bytes,
    atomic_write_text,
    describe_os_error,
    display_path,
    os_error_line,
)
from ..errors import ExoreviewError, UsageError
from ..screening.searches import read_searches
from ..views import tables
from ..views.export import figure_metadata, guard_target, sof_bytes
from ..views.figures import VIEWS, describe
from ..views.sof import sof_section, sof_table
from .changes import changes_html, compare
from .notebook import NotebookError, execute
from .report_page import page

REPORT_TIMEOUT = 300  # seconds a notebook cell may run
EMBED_DPI = 130  # figures embedded in index.html (the files are 300 dpi)
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"

# the report's own figures: file name, view (exoreview.views.figures.VIEWS), filter (None: all studies)
REPORT_FIGURES: tuple[tuple[str, str, Filter | None], ...] = (
    ("timeline", "timeline", None),
    ("timeline-people", "timeline", Filter(models=("clinical",))),
    ("gap-map", "gap-map", None),
    ("evidence-profile", "evidence-profile", None),
    ("mode-of-action", "mode-of-action", None),
    ("outcome-directions", "outcome-directions", None),
    ("regulatory-timeline", "regulatory-timeline", None),
)

# output MIME types in order of preference (the first one an output has is rendered)
MIME_ORDER = (
    "application/vnd.jupyter.widget-view+json",
    "text/html",
    "image/png",
    "image/jpeg",
    "image/svg+xml",
    "text/markdown",
    "text/plain",
)
_REMOTE = re.compile(
    r"<script\b[^>]*\bsrc\s*=\s*[\"']?\s*(?:https?:)?//[^>]*>\s*</script\s*>"
    r"|<link\b[^>]*\bhref\s*=\s*[\"']?\s*(?:https?:)?//[^>]*>"
    r"|@import\s+url\(\s*[\"']?(?:https?:)?//[^)]*\)\s*;?",
    re.IGNORECASE,
)


class ReportError(ExoreviewError):
    """The report could not be built (names every notebook that failed)."""


@dataclass(frozen=True)
class ReportResult:
    index: Path
    figures: tuple[Path, ...]
    notebooks: tuple[str, ...]
    warnings: tuple[str, ...] = field(default=())
    tables: tuple[Path, ...] = field(default=())  # the summary of findings as files (sof.*)


# --------------------------------------------------------------------------------- notebooks
def notebook_paths(folder: str | os.PathLike) -> list[Path]:
    """Every notebook of `folder`, sorted by name (checkpoints and hidden files left out)."""
    p = Path(folder)
    if not p.is_dir():
        raise UsageError(f"{p}: no such notebooks folder; pass --notebooks DIR")
    return sorted(x for x in p.glob("*.ipynb") if not x.name.startswith((".", "_")))


def _markdown(text: str) -> str:

    return markdown2html_mistune(text)


def strip_remote(fragment: str) -> str:
    """Remove remote <script src>, <link href> and @import url() from an HTML fragment."""
    return _REMOTE.sub("", fragment)


def _data_uri(mime: str, payload: str | bytes) -> str:
    if isinstance(payload, bytes):
        payload = base64.b64encode(payload).decode("ascii")
    elif mime == "image/svg+xml":
        payload = base64.b64encode(payload.encode("utf-8")).decode("ascii")
    return f"data:{mime};base64,{''.join(str(payload).split())}"


def render_bundle(data: Mapping[str, Any], widgets: Mapping[str, Any]) -> str:
    """HTML for one output's MIME bundle (the first type of MIME_ORDER it has)."""
    for mime in MIME_ORDER:
        if mime not in data:
            continue
        val = data[mime]
        if mime == "application/vnd.jupyter.widget-view+json":
            model_id = val.get("model_id") if isinstance(val, Mapping) else None
            if model_id and model_id in widgets:
                return f'<div class="widget-static">{render_widget(model_id, widgets)}</div>'
            continue  # no stored state: fall back to the next MIME type
        text = "".join(val) if isinstance(val, list) else val
        if mime == "text/html":
            return f'<div class="output-html">{strip_remote(text)}</div>'
        if mime.startswith("image/"):
            return f'<img class="output-image" alt="figure" src="{_data_uri(mime, text)}">'
        if mime == "text/markdown":
            return _markdown(text)
        if mime == "text/plain":
            return f'<pre class="output-text">{html.escape(text)}</pre>'
    return ""


def render_outputs(outputs: Iterable[Mapping[str, Any]], widgets: Mapping[str, Any]) -> str:
    parts = []
    for out in outputs:
        kind = out.get("output_type")
        if kind in ("display_data", "execute_result"):
            parts.append(render_bundle(out.get("data", {}), widgets))
        elif kind == "stream" and out.get("name") == "stdout":
            text = out.get("text", "")
            text = "".join(text) if isinstance(text, list) else text
            parts.append(f'<pre class="output-text">{html.escape(text)}</pre>')
    return "".join(parts)


# --------------------------------------------------------------------------------- widgets
_CONTAINERS = {
    "VBoxModel": "column",
    "BoxModel": "column",
    "HBoxModel": "row",
    "GridBoxModel": "grid",
    "AccordionModel": "column",
    "TabModel": "column",
    "StackModel": "column",
}
_SKIP = {"ButtonModel", "LayoutModel", "FileUploadModel", "PlayModel", "ControllerModel"}


def widget_states(nb: Any) -> dict[str, Any]:
    """model id → {'model_name', 'state', 'buffers'} from an executed notebook's metadata."""
    meta = (nb.get("metadata") or {}).get("widgets") or {}
    return dict((meta.get("application/vnd.jupyter.widget-state+json") or {}).get("state") or {})


def _ref(value: Any) -> str | None:
    return value[len("IPY_MODEL_") :] if isinstance(value, str) and value.startswith("IPY_MODEL_") else None


def _buffer(model: Mapping[str, Any], path: str) -> bytes | None:
    for buf in model.get("buffers") or []:
        if list(buf.get("path") or []) == [path] and buf.get("encoding") == "base64":
            return base64.b64decode(buf.get("data") or "")
    return None


def render_widget(model_id: str, widgets: Mapping[str, Any], depth: int = 0) -> str:
    """The static view of a widget's stored state: containers lay out their children, HTML shows
    its value, images embed, Output widgets render their outputs, and each control shows its
    label and current value. Buttons are left out (nothing to press in a report)."""
    model = widgets.get(model_id)
    if model is None or depth > 30:
        return ""
    name = model.get("model_name", "")
    st = model.get("state") or {}
    desc = html.escape(str(st.get("description") or ""))
    classes = " ".join(html.escape(str(c)) for c in st.get("_dom_classes") or [])
    if name in _SKIP or name.endswith("StyleModel"):
        return ""
    if name in _CONTAINERS:
        kids = [render_widget(r, widgets, depth + 1) for r in map(_ref, st.get("children") or []) if r]
        titles = st.get("titles") or []
        if name in ("TabModel", "AccordionModel") and titles:
            kids = [f"<h4>{html.escape(str(t))}</h4>{k}" for t, k in zip(titles, kids)]
        return (
            f'<div class="w-{_CONTAINERS[name]} {classes}">'
            + "".join(f"<div>{k}</div>" for k in kids if k)
            + "</div>"
        )
    if name in ("HTMLModel", "HTMLMathModel"):
        return f'<div class="{classes}">{strip_remote(str(st.get("value") or ""))}</div>'
    if name == "LabelModel":
        return f"<span>{html.escape(str(st.get('value') or ''))}</span>"
    if name == "ImageModel":
        data = _buffer(model, "value")
        if not data:
            return ""
        fmt = str(st.get("format") or "png").lower()
        mime = "image/svg+xml" if fmt.startswith("svg") else f"image/{fmt}"
        return f'<img class="output-image" alt="{desc or "figure"}" src="{_data_uri(mime, data)}">'
    if name == "OutputModel":
        return render_outputs(st.get("outputs") or [], widgets)
    if "value" in st or "index" in st:
        return (
            f'<div class="w-control"><span class="w-label">{desc or "value"}</span> '
            f"{html.escape(_control_value(name, st))}</div>"
        )
    return ""


def _control_value(name: str, st: Mapping[str, Any]) -> str:
    labels = list(st.get("_options_labels") or [])
    if "index" in st and labels:
        idx = st.get("index")
        if isinstance(idx, (list, tuple)):
            chosen = [labels[i] for i in idx if isinstance(i, int) and 0 <= i < len(labels)]
            return ", ".join(chosen) if chosen else "any"
        return labels[idx] if isinstance(idx, int) and 0 <= idx < len(labels) else "—"
    val = st.get("value")
    if isinstance(val, bool):
        return "yes" if val else "no"
    if isinstance(val, (list, tuple)) and len(val) == 2 and "Range" in name:
        return f"{val[0]}–{val[1]}"
    return "—" if val in (None, "") else str(val)


REPORT_SKIP = "report-skip"  # a notebook cell tagged so is not copied into the report


def render_notebook(nb: Any, title: str) -> str:
    """A notebook as an HTML section: markdown rendered, code hidden, outputs kept; cells tagged
    ``report-skip`` left out (a notebook's copy of what the report already shows, such as the
    summary of findings at the top of the dashboard)."""
    widgets = widget_states(nb)
    parts = []
    for cell in nb.get("cells", []):
        if REPORT_SKIP in cell.get("metadata", {}).get("tags", []):
            continue
        if cell.get("cell_type") == "markdown":
            parts.append(_markdown(cell.get("source", "")))
        elif cell.get("cell_type") == "code":
            parts.append(render_outputs(cell.get("outputs", []), widgets))
    return (
        f'<section class="notebook" id="{_anchor(title)}"><p class="nb-name">notebook '
        f"{html.escape(title)}</p>{''.join(parts)}</section>"
    )


def _anchor(name: str) -> str:
    return "nb-" + re.sub(r"[^A-Za-z0-9_-]+", "-", name).strip("-")


def _headings(section_html: str) -> str:
    m = re.search(r"<h1[^>]*>(.*?)</h1>", section_html, re.S)
    if not m:
        return ""
    return re.sub(r"<a class=\"anchor-link\".*?</a>", "", m.group(1))


# --------------------------------------------------------------------------------- figures
def figure_bytes(
    ev: Any,
    figures: Iterable[tuple[str, str, Filter | None]] = REPORT_FIGURES,
) -> Iterator[tuple[str, str, dict[str, bytes]]]:
    """(name, title, {fmt: bytes}) for every REPORT_FIGURES entry, one at a time: PNG 300 dpi,
    SVG, PDF, and a smaller PNG for embedding. Drawn in memory; nothing is written."""

    for name, view, spec in figures:
        fn = VIEWS[view]
        ax = fn(ev, spec=spec) if spec is not None else fn(ev)
        fig = ax.figure
        stamp = f"exoreview · {describe(spec)} · evidence: {display_path(ev.root)} · {dt.date.today().isoformat()}"
        fig.text(
            0.99, 0.005, stamp, ha="right", va="bottom", fontsize=7, color="#555555", gid="exoreview-stamp"
        )
        files: dict[str, bytes] = {}
        with matplotlib.rc_context({"svg.fonttype": "none", "pdf.fonttype": 42}):
            for fmt, dpi in (("png", 300), ("svg", 300), ("pdf", 300), ("embed", EMBED_DPI)):
                buf = io.BytesIO()
                real = "png" if fmt == "embed" else fmt
                fig.savefig(buf, format=real, dpi=dpi, bbox_inches="tight", metadata=figure_metadata(real))
                files[fmt] = buf.getvalue()
        title = ax.get_title(loc="left").replace("\n", " — ")
        plt.close(fig)
        yield name, title, files


# --------------------------------------------------------------------------------- build
def _check_paths(evidence: Path, out: Path, notebooks: str | os.PathLike | None) -> None:
    """Fail fast (UsageError, exit 2) on a path the report cannot use, before anything runs:
    the evidence folder, a notebooks folder that is missing, a file or unreadable, an --out that
    is a file, lies under a file, or is in a folder that cannot be written."""

    require_folder(evidence)
    if notebooks is not None:
        nb = Path(notebooks)
        try:
            with os.scandir(nb):
                pass
        except FileNotFoundError:
            raise UsageError(f"{display_path(nb)}: no such notebooks folder; pass --notebooks DIR") from None
        except NotADirectoryError:
            raise UsageError(
                f"{display_path(nb)} is a file, not a notebooks folder; pass --notebooks "
                "DIR (a folder of .ipynb files)"
            ) from None
        except OSError as err:
            what, fix = describe_os_error(err)
            raise UsageError(f"{display_path(nb)}: cannot read the notebooks folder: {what}; {fix}") from None
    existing = out
    try:
        while not existing.exists() and existing != existing.parent:
            existing = existing.parent
        is_dir = existing.is_dir()
    except OSError as err:
        raise UsageError(f"--out {display_path(out)}: {os_error_line(err)}") from None
    if not is_dir:
        where = "is a file" if existing == out else f"is under {display_path(existing)}, which is a file"
        raise UsageError(
            f"{display_path(out)} {where}; --out is the report folder: pass --out DIR "
            "(a folder, made if missing)"
        )
    if not os.access(existing, os.W_OK | os.X_OK):
        raise UsageError(
            f"{display_path(existing)}: permission denied, the report cannot be written "
            "there; check its permissions (ls -ld) or pass another --out DIR"
        )


def build(
    *,
    evidence: str | os.PathLike | None = None,
    out: str | os.PathLike = "reports",
    notebooks: str | os.PathLike | None = "notebooks",
    timeout: int = REPORT_TIMEOUT,
    progress: bool = True,
    executor: Callable[..., Any] | None = None,
    figures: tuple[tuple[str, str, Filter | None], ...] = REPORT_FIGURES,
    since: str | None = None,
) -> ReportResult:
    """Build the meeting report (see the module docstring). Returns what was written.

    `executor(path, timeout=, env=)` runs one notebook (default :func:`exoreview.notebook.execute`);
    `figures` chooses the report figures (default :data:`REPORT_FIGURES`)."""

    out = Path(out)
    guard_target(out / "index.html")
    guard_target(out / "figures" / "x.png")
    ev_root = Path(evidence) if evidence is not None else default_path()
    _check_paths(ev_root, out, notebooks)  # UsageError (exit 2) before any figure or notebook
    ev = load(ev_root)  # raises ValidationError with every problem before any work
    # --since: the evidence at a git revision beside today's (a bad revision: UsageError before any work)
    since_html = changes_html(compare(ev_root, since, today=ev)) if since else None
    searched = read_searches(ev_root).describe()  # the search log, checked the same way
    paths = notebook_paths(notebooks) if notebooks is not None else []
    run = executor or execute
    env = {"EXOREVIEW_EVIDENCE": str(ev_root.resolve()), "MPLBACKEND": INLINE_BACKEND}

    bar = tqdm(
        total=len(figures) + len(paths) + 1, desc="report", unit="step", disable=not progress, file=sys.stderr
    )
    try:
        executed: list[tuple[str, Any]] = []
        failures: list[str] = []
        for path in paths:
            bar.set_postfix_str(path.name)
            try:
                executed.append((path.name, run(path, timeout=timeout, env=env)))
            except NotebookError as err:
                failures.append(str(err))
            bar.update(1)
        if failures:
            raise ReportError(
                f"{len(failures)} of {len(paths)} notebooks failed; nothing was written:\n"
                + "\n".join(failures)
            )
        bar.set_postfix_str("summary of findings")
        sof = sof_table(ev)
        sof_files = {ext: sof_bytes(sof, ext) for ext in SOF_FILES}
        bar.set_postfix_str("figures")
        figs = []
        for item in figure_bytes(ev, figures):
            figs.append(item)
            bar.update(1)

        bar.set_postfix_str("writing")
        sections = [("summary-of-findings", "Summary of findings", sof_section(sof, SOF_FILES))]
        fig_html = []
        for name, title, files in figs:
            links = " · ".join(
                f'<a href="figures/{name}.{ext}">{ext.upper()}</a>' for ext in ("png", "svg", "pdf")
            )
            fig_html.append(
                f'<figure id="fig-{name}"><img alt="{html.escape(title)}" '
                f'src="{_data_uri("image/png", files["embed"])}">'
                f"<figcaption>{html.escape(title)} · files: {links}</figcaption></figure>"
            )
        sections.append(("figures", "Key figures", "".join(fig_html)))
        sections.append(
            (
                "evidence-table",
                "Evidence table",
                "<p>Click a column header to sort. Hollow (italic) rows are registered trials "
                "without results.</p>" + tables.evidence_table(ev).to_html(),
            )
        )
        sections.append(("regulatory", "Regulatory and safety panel", tables.regulatory_table(ev).to_html()))
        for name, nb in executed:
            section = render_notebook(nb, name)
            heading = re.sub(r"<[^>]+>", "", _headings(section)) or name
            sections.append((_anchor(name) + "-section", html.unescape(heading), section))
        if not executed:
            sections.append(
                ("notebooks", "Notebooks", f"<p>No notebooks found in {html.escape(str(notebooks))}.</p>")
            )

        if since_html is not None:  # right after the summary of findings (first when there is none)
            at = next((i + 1 for i, (a, _h, _s) in enumerate(sections) if a == "summary-of-findings"), 0)
            sections.insert(at, ("since", "Since the last meeting", since_html))
        notes = [] if len(ev.studies) else ["The evidence folder holds no studies."]
        subtitle = (
            f"Evidence: {display_path(ev_root)} · {ev.summary()} · search: {searched} · generated "
            f"{dt.datetime.now().strftime('%Y-%m-%d %H:%M')} · exoreview {__version__}"
        )
        doc = page(
            title="Exosomes / EVs for hair loss: evidence review",
            subtitle=subtitle,
            sections=sections,
            notes=notes,
        )

        written = []
        for name, _title, files in figs:
            for ext in ("png", "svg", "pdf"):
                written.append(
                    atomic_write_bytes(out / "figures" / f"{name}.{ext}", files[ext], overwrite=True)
                )
        sof_written = [
            atomic_write_bytes(out / SOF_FILES[ext], data, overwrite=True) for ext, data in sof_files.items()
        ]
        index = atomic_write_text(out / "index.html", doc, overwrite=True)
        bar.update(1)
    finally:
        bar.close()
    return ReportResult(index, tuple(written), tuple(n for n, _ in executed), tables=tuple(sof_written))


# the summary of findings beside the report: format → file (relative to the report folder)
SOF_FILES = {x: f"sof.{x}" for x in ("csv", "xlsx", "png", "svg", "pdf")}
