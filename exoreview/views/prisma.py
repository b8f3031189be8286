"""The PRISMA 2020 flow diagram, drawn from :func:`exoreview.screening.prisma.counts`.

The diagram is one table of boxes (:data:`BOXES`) drawn by :func:`flow_diagram`, which takes
``ax=None`` and returns the Axes; each box's text artist has the gid ``prisma-<box>`` so tests
read the drawn counts.
"""

from __future__ import annotations

import textwrap
from dataclasses import asdict

from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from ..screening.prisma import OTHER_METHODS, Counts
from .style import new_axes

BOXES: tuple[tuple[str, int, int, str], ...] = (
    ("identified", 0, 0, "Records identified from databases\n(n = {identified})\n{databases}"),
    (
        "removed",
        1,
        0,
        "Records removed before screening:\n  Duplicate records (n = {duplicates})\n"
        "  Already in the evidence base (n = {in_evidence})",
    ),
    ("screened", 0, 1, "Records screened\n(n = {screened}){screen_pending_line}"),
    ("screen_excluded", 1, 1, "Records excluded\n(n = {screen_excluded}){screen_reasons}"),
    ("sought", 0, 2, "Reports sought for retrieval\n(n = {sought})"),
    ("not_retrieved", 1, 2, "Reports not retrieved\n(n = {not_retrieved})"),
    ("assessed", 0, 3, "Reports assessed for eligibility\n(n = {assessed}){full_text_pending_line}"),
    ("full_text_excluded", 1, 3, "Reports excluded (n = {full_text_excluded}){full_text_reasons}"),
    (
        "included",
        0,
        4,
        "New studies included in review\n(n = {included})\nReports of new included studies\n(n = {included})",
    ),
)
# drawn when the counts place the evidence base's studies (counts(log, evidence))
STUDY_BOXES: tuple[tuple[str, int, int, str], ...] = (
    (
        "before_search",
        1,
        4,
        "Studies in the evidence base before the search\n(n = {before_search})\n"
        "  found again by the search (n = {found_again})\n"
        "  not found by it, identified via other methods:\n"
        "    {other_methods_source} (n = {other_methods})",
    ),
    ("total_studies", 0, 5, "Total studies included in review\n(n = {total_studies})"),
)
STUDY_ARROWS: tuple[tuple[str, str], ...] = (
    ("included", "total_studies"),
    ("before_search", "total_studies"),
)
ARROWS: tuple[tuple[str, str], ...] = (
    ("identified", "removed"),
    ("identified", "screened"),
    ("screened", "screen_excluded"),
    ("screened", "sought"),
    ("sought", "not_retrieved"),
    ("sought", "assessed"),
    ("assessed", "full_text_excluded"),
    ("assessed", "included"),
)
PHASES: tuple[tuple[str, int, int], ...] = (("Identification", 0, 0), ("Screening", 1, 3), ("Included", 4, 4))


def boxes(c: Counts) -> tuple[tuple[str, int, int, str], ...]:
    """The boxes to draw: the flow of the search, and the evidence base's studies when counted."""
    return BOXES + (STUDY_BOXES if c.total_studies is not None else ())


def arrows(c: Counts) -> tuple[tuple[str, str], ...]:
    return ARROWS + (STUDY_ARROWS if c.total_studies is not None else ())


def phases(c: Counts) -> tuple[tuple[str, int, int], ...]:
    return PHASES[:-1] + (("Included", 4, 5 if c.total_studies is not None else 4),)


def box_texts(c: Counts) -> dict[str, str]:
    """The text of every box (what the figure shows), from the counts."""

    def listing(items: tuple[tuple[str, int], ...]) -> str:
        return "".join(
            "\n" + textwrap.fill(f"{name} (n = {n})", width=52, initial_indent="  ", subsequent_indent="    ")
            for name, n in items
        )

    fields = asdict(c)
    fields["databases"] = "\n".join(f"{db} (n = {n})" for db, n in c.databases) or "no records imported"
    fields["screen_reasons"] = listing(c.screen_reasons)
    fields["full_text_reasons"] = listing(c.full_text_reasons)
    fields["screen_pending_line"] = (
        f"\nawaiting a decision (n = {c.screen_pending})" if c.screen_pending else ""
    )
    fields["full_text_pending_line"] = (
        f"\nawaiting a decision (n = {c.full_text_pending})" if c.full_text_pending else ""
    )
    fields["other_methods_source"] = "\n    ".join(textwrap.wrap(OTHER_METHODS, width=44))
    return {box: template.format(**fields) for box, _col, _row, template in boxes(c)}


def flow_diagram(c: Counts, *, ax=None, title: str | None = "PRISMA 2020 flow diagram"):
    """Draw the flow diagram on `ax` (or a new Axes) and return the Axes. Writes nothing."""

    texts = box_texts(c)
    lines = {box: t.count("\n") + 1 for box, t in texts.items()}
    row_lines: dict[int, int] = {}
    for box, _col, row, _t in boxes(c):
        row_lines[row] = max(row_lines.get(row, 1), lines[box])
    line_h = 0.24  # data units (about inches) per 10-pt text line
    heights = {row: n * line_h + 0.4 for row, n in row_lines.items()}
    gap = 0.45
    tops, y = {}, 0.0
    for row in sorted(heights):
        tops[row] = y
        y -= heights[row] + gap
    total_h = -y
    if ax is None:
        ax = new_axes(figsize=(11, max(5.0, total_h * 0.95 + 0.8)))
    width = (4.6, 5.6)
    xs = (0.9, 6.2)
    geo = {}
    for box, col, row, _t in boxes(c):
        h = heights[row]
        x0, y0 = xs[col], tops[row] - h
        geo[box] = (x0, y0, width[col], h)
        ax.add_patch(
            FancyBboxPatch(
                (x0, y0),
                width[col],
                h,
                boxstyle="round,pad=0,rounding_size=0.08",
                linewidth=1.2,
                edgecolor="#333333",
                facecolor="#FFFFFF" if col == 0 else "#F4F4F4",
                gid=f"prisma-box-{box}",
            )
        )
        t = ax.text(
            x0 + 0.18,
            y0 + h / 2,
            texts[box],
            ha="left",
            va="center",
            fontsize=10,
            linespacing=1.35,
            color="#111111",
        )
        t.set_gid(f"prisma-{box}")
    for a, b in arrows(c):
        ax0, ay0, aw, ah = geo[a]
        bx0, by0, bw, bh = geo[b]
        if abs(ax0 - bx0) < 1e-9:  # same column: down
            start, end = (ax0 + aw / 2, ay0), (bx0 + bw / 2, by0 + bh)
        elif by0 + bh < ay0:  # a side box above: down and across to the box below
            start, end = (ax0 + aw / 2, ay0), (bx0 + bw * 0.8, by0 + bh)
        else:  # to the side box
            start, end = (ax0 + aw, ay0 + ah / 2), (bx0, by0 + bh / 2)
        ax.add_patch(
            FancyArrowPatch(
                start,
                end,
                arrowstyle="-|>",
                mutation_scale=14,
                linewidth=1.2,
                color="#333333",
                shrinkA=0,
                shrinkB=0,
            )
        )
    for name, first, last in phases(c):
        top = tops[first]
        bottom = tops[last] - heights[last]
        ax.add_patch(
            FancyBboxPatch(
                (0.05, bottom),
                0.5,
                top - bottom,
                boxstyle="round,pad=0,rounding_size=0.08",
                linewidth=0,
                facecolor="#56B4E9",
                alpha=0.35,
            )
        )
        t = ax.text(
            0.3,
            (top + bottom) / 2,
            name,
            rotation=90,
            ha="center",
            va="center",
            fontsize=11,
            fontweight="bold",
            color="#0B3C5D",
        )
        t.set_gid(f"prisma-phase-{name.lower()}")
    ax.set_xlim(0, xs[1] + width[1] + 0.1)
    ax.set_ylim(-total_h - 0.1, 0.2)
    ax.set_axis_off()
    ax.set_aspect("equal", adjustable="box")
    if title:
        ax.set_title(title + (f"\n{c.searched}" if c.searched else ""), loc="left", fontsize=13)
    return ax
