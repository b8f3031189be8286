"""One figure style for every plot: colour-blind-safe palette, readable at slide size.

Plot functions take ``ax=None``; when they need a new figure they call :func:`new_axes`, which
applies the style. Colours come from the Okabe–Ito palette (safe for the common colour-vision
deficiencies); sequential scales use viridis/cividis.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import matplotlib
import matplotlib.pyplot as plt

if TYPE_CHECKING:
    # for the type checker only: matplotlib.typing is provisional (it may change without deprecation)
    from matplotlib.typing import RcKeyType

# Okabe & Ito (2008), "Color Universal Design"
OKABE_ITO: tuple[str, ...] = (
    "#E69F00",
    "#56B4E9",
    "#009E73",
    "#F0E442",
    "#0072B2",
    "#D55E00",
    "#CC79A7",
    "#000000",
    "#999999",
)
SEQUENTIAL = "cividis"

# one colour per design tier, strongest (dark blue) to weakest (grey); levels.TIER_NAMES order
TIER_COLOURS: dict[str, str] = {
    "systematic review": "#000000",
    "randomized trial": "#0072B2",
    "controlled study": "#56B4E9",
    "uncontrolled human": "#009E73",
    "case report": "#CC79A7",
    "animal": "#E69F00",
    "ex vivo": "#D55E00",
    "in vitro": "#F0E442",
    "registered, no results": "#999999",
    "narrative review": "#BBBBBB",
}
TIER_MARKERS: dict[str, str] = {
    "systematic review": "*",
    "randomized trial": "D",
    "controlled study": "d",
    "uncontrolled human": "s",
    "case report": "P",
    "animal": "o",
    "ex vivo": "^",
    "in vitro": "v",
    "registered, no results": "s",
    "narrative review": "x",
}

RC: dict[RcKeyType, Any] = {
    "figure.dpi": 100,
    "savefig.dpi": 300,
    "font.family": "DejaVu Sans",
    "font.size": 11,
    "axes.titlesize": 13,
    "axes.labelsize": 11,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "legend.frameon": False,
    "legend.fontsize": 10,
    "svg.fonttype": "none",  # SVG keeps text as text
    "pdf.fonttype": 42,
}


def palette(n: int) -> list[str]:
    """`n` colours from the Okabe–Ito palette (cycled if n > 9)."""
    return [OKABE_ITO[i % len(OKABE_ITO)] for i in range(n)]


def new_axes(figsize: tuple[float, float] = (10, 5.6), **subplot_kw: Any):
    """A new styled Figure and Axes (16:9-ish, readable on a slide)."""

    with plt.rc_context(RC):
        fig, ax = plt.subplots(figsize=figsize, subplot_kw=subplot_kw or None, layout="constrained")
        interactive = matplotlib.is_interactive()
    # rc_context restores every rcParam on exit, including `interactive`, which the notebook's
    # inline backend switched on when the first figure was made inside the context; without this
    # line the figures of later cells are not shown.
    matplotlib.interactive(interactive)
    return ax


def apply(ax) -> None:
    """Style an Axes given by the caller (spines, grid) without touching its data."""
    ax.spines["top"].set_visible(False)
    ax.spines["right"].set_visible(False)
    ax.set_axisbelow(True)


def caption(ax, text: str) -> None:
    """Put the filter description (or any caption) under the plot, small and grey."""
    fig = ax.figure
    fig.text(0.01, 0.005, text, ha="left", va="bottom", fontsize=9, color="#555555", gid="exoreview-caption")
