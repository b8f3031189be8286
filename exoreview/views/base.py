"""What every figure shares: the tables of display rules (tier order, milestones, species groups,
direction colours, bubble sizes) and the helpers that title, style and size an Axes."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

if TYPE_CHECKING:
    # for the type checker only: matplotlib.typing is provisional (it may change without deprecation)
    from matplotlib.typing import LegendLocType

from ..core.evidence import Evidence
from ..core.filters import Filter
from ..core.levels import TIER_NAMES, TIERS
from . import style

TIER_RANK: Mapping[str, int] = {t: i for i, t in enumerate(TIER_NAMES)}
TIER_LABELS: Mapping[str, str] = dict(TIERS)

# regulatory record kinds drawn as milestones on the study timeline (the record's own date and
# title are the annotation; nothing is typed here by hand)
MILESTONE_KINDS: tuple[str, ...] = ("regulator notice", "society notice", "health advisory")
MERGE_DAYS = 45  # records this close to a milestone share its line

# a study's species group, first matching rule wins (for the evidence profile)
SPECIES_GROUPS: tuple[tuple[str, str], ...] = (
    ("people", "a clinical model (participants)"),
    ("animals in vivo", "an in-vivo animal model"),
    ("human tissue or cells", "human organ culture or cells"),
    ("other or unstated cells", "cells of another or an unstated species"),
    ("no own data", "no experimental system (reviews)"),
)
SPECIES_GROUP_COLOURS: Mapping[str, str] = {
    "people": "#0072B2",
    "animals in vivo": "#E69F00",
    "human tissue or cells": "#009E73",
    "other or unstated cells": "#F0E442",
    "no own data": "#BBBBBB",
}
DIRECTION_COLOURS: Mapping[str, str] = {
    "increased": "#0072B2",
    "decreased": "#D55E00",
    "no significant change": "#999999",
    "mixed": "#CC79A7",
    "planned": "#DDDDDD",
}
LINE_MARKERS = frozenset({"x", "+", "1", "2", "3", "4", "|", "_"})
MAX_BUBBLE = 1400.0  # points² of the largest bubble
BUBBLE_PER_STUDY = 90.0  # points² per study while the largest bubble fits


# --------------------------------------------------------------------------------- helpers
def describe(spec: Filter | None = None, caption: str | None = None) -> str:
    """The filter description used in titles: `caption`, else `spec.describe()`, else all studies."""
    if caption:
        return caption
    return spec.describe() if spec is not None else "all studies"


def prepare(ev: Evidence, spec: Filter | None) -> Evidence:
    return spec.apply(ev) if spec is not None else ev


def n_studies(n: int) -> str:
    return f"{n} {'study' if n == 1 else 'studies'}"


def axes_for(ax: Axes | None, figsize: tuple[float, float]) -> Axes:
    if ax is None:
        return style.new_axes(figsize)
    style.apply(ax)
    return ax


def set_title(ax: Axes, title: str, desc: str, detail: str, pad: float = 6.0) -> None:
    ax.set_title(f"{title}\n{desc} · {detail}", loc="left", fontsize=12, pad=pad)


def rc() -> Any:
    """The shared style while drawing. The pyplot backend is resolved first: a backend activated
    inside rc_context (the notebook's inline backend turns interactive mode on when it loads)
    would be switched off again when the context exits, and later figures would never show."""

    getattr(plt, "_get_backend_mod", lambda: None)()
    return plt.rc_context(style.RC)


def draw_empty(ax: Axes, what: str) -> None:
    ax.text(
        0.5,
        0.5,
        f"No {what} match this filter",
        transform=ax.transAxes,
        ha="center",
        va="center",
        color="#555555",
        gid="exoreview-empty",
    )
    ax.set_xticks([])
    ax.set_yticks([])


def tier_legend(
    ax: Axes,
    tiers: list[str],
    *,
    title: str = "design (strongest first)",
    loc: LegendLocType = "upper left",
    marker_by_tier: bool = True,
) -> Any:

    handles = []
    for t in sorted(set(tiers), key=lambda x: TIER_RANK.get(x, 99)):
        hollow = t == "registered, no results"
        handles.append(
            Line2D(
                [],
                [],
                linestyle="",
                marker=style.TIER_MARKERS[t] if marker_by_tier else "o",
                markersize=8,
                markerfacecolor="none" if hollow else style.TIER_COLOURS[t],
                markeredgecolor=style.TIER_COLOURS[t] if hollow else "#333333",
                markeredgewidth=1.4 if hollow else 0.5,
                label=TIER_LABELS.get(t, t),
            )
        )
    return ax.legend(
        handles=handles, title=title, loc=loc, bbox_to_anchor=(1.01, 1.0), fontsize=8.5, title_fontsize=9
    )


# scripts the figure font (DejaVu Sans) has no glyphs for: CJK ideographs, kana, hangul, full-width forms
_NO_GLYPH = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]")


def drawable(title: str) -> str:
    """A title the figures can draw: as it is, or, when it is in a script the font lacks (Chinese,
    Japanese, Korean titles), the translation it gives in brackets at its end, else its other words."""
    if not _NO_GLYPH.search(title):
        return title
    m = re.search(r"\(([^()]*)\)\s*$", title)
    if m and not _NO_GLYPH.search(m.group(1)):
        return m.group(1).strip()
    return " ".join(_NO_GLYPH.sub(" ", title).split()) or "title in a script the figure font cannot draw"


def year_x(date: str) -> float:
    """'2019-12-06' → 2019.93; '2019-12' → 2019.96 (mid-month); '2019' → 2019.5."""
    parts = str(date).split("-")
    year = int(parts[0])
    if len(parts) == 1:
        return year + 0.5
    month = int(parts[1])
    day = int(parts[2]) if len(parts) > 2 else 15
    return year + ((month - 1) * 30.44 + day) / 365.25
