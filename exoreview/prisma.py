"""The PRISMA 2020 flow diagram, counted from the screening log and drawn with matplotlib.

Counts (:func:`counts`) follow the PRISMA 2020 flow diagram for new systematic reviews which
included searches of databases (Page et al., BMJ 2021;372:n71), with one addition: records that
match a study already in the evidence base are removed before screening next to the duplicates.

    identified   = duplicates + already in the evidence + screened
    screened     = excluded at title/abstract + sought for retrieval + awaiting a decision
    sought       = not retrieved + assessed
    assessed     = excluded at full text + included + awaiting a decision

Records waiting for a decision (or with a conflict) are counted and shown, never dropped, so the
boxes always add up. The diagram is one table of boxes (:data:`BOXES`) drawn by
:func:`flow_diagram`, which takes ``ax=None`` and returns the Axes; each box's text artist has
the gid ``prisma-<box>`` so tests read the drawn counts.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass

from .screening import PROCEEDS, REASONS, Log


@dataclass(frozen=True)
class Counts:
    databases: tuple[tuple[str, int], ...]
    identified: int
    duplicates: int
    in_evidence: int
    screened: int
    screen_excluded: int
    screen_reasons: tuple[tuple[str, int], ...]
    screen_pending: int
    sought: int
    not_retrieved: int
    assessed: int
    full_text_excluded: int
    full_text_reasons: tuple[tuple[str, int], ...]
    full_text_pending: int
    included: int

    def as_dict(self) -> dict:
        d = asdict(self)
        d["databases"] = dict(self.databases)
        d["screen_reasons"] = dict(self.screen_reasons)
        d["full_text_reasons"] = dict(self.full_text_reasons)
        return d

    def check(self) -> list[str]:
        """The identities the diagram relies on; an empty list when every box adds up."""
        rules = (
            ("identified", self.identified, self.duplicates + self.in_evidence + self.screened),
            ("identified", self.identified, sum(n for _d, n in self.databases)),
            ("screened", self.screened, self.screen_excluded + self.sought + self.screen_pending),
            ("sought", self.sought, self.not_retrieved + self.assessed),
            ("assessed", self.assessed, self.full_text_excluded + self.included + self.full_text_pending),
            ("full-text exclusions", self.full_text_excluded, sum(n for _r, n in self.full_text_reasons)),
        )
        return [f"{name}: {a} ≠ {b}" for name, a, b in rules if a != b]

    def describe(self) -> str:
        lines = ["Identification",
                 *(f"  records from {db}: {n}" for db, n in self.databases),
                 f"  duplicate records removed: {self.duplicates}",
                 f"  already in the evidence base: {self.in_evidence}",
                 "Screening",
                 f"  records screened: {self.screened}",
                 f"  records excluded: {self.screen_excluded}",
                 *(f"    {r}: {n}" for r, n in self.screen_reasons),
                 f"  awaiting a title/abstract decision: {self.screen_pending}",
                 f"  reports sought for retrieval: {self.sought}",
                 f"  reports not retrieved: {self.not_retrieved}",
                 f"  reports assessed for eligibility: {self.assessed}",
                 f"  reports excluded: {self.full_text_excluded}",
                 *(f"    {r}: {n}" for r, n in self.full_text_reasons),
                 f"  awaiting a full-text decision: {self.full_text_pending}",
                 "Included",
                 f"  new studies included: {self.included}"]
        return "\n".join(lines)


def _reasons(values) -> tuple[tuple[str, int], ...]:
    c = Counter(REASONS[v][0] if v in REASONS else "reason not given" for v in values)
    order = list(REASONS)
    return tuple(sorted(c.items(), key=lambda kv: (next((i for i, k in enumerate(order)
                                                         if REASONS[k][0] == kv[0]), 99), kv[0])))


def counts(log: Log) -> Counts:
    """PRISMA counts from the log's status table (see the identities in the module docstring)."""
    st = log.status()
    dbs = Counter(str(d) if isinstance(d, str) else "database not named" for d in st["database"])
    removed = st["removed"]
    screened = st[removed.isna()]
    ta = screened["title_abstract"]
    sought = screened[ta.isin(PROCEEDS)]
    ft = sought["full_text"]
    excluded_ta = screened[ta == "exclude"]
    excluded_ft = sought[ft == "exclude"]
    return Counts(
        databases=tuple(sorted(dbs.items())),
        identified=len(st), duplicates=int((removed == "duplicate").sum()),
        in_evidence=int((removed == "in evidence").sum()), screened=len(screened),
        screen_excluded=len(excluded_ta),
        screen_reasons=_reasons(r for r in excluded_ta["title_abstract_reason"] if isinstance(r, str)),
        screen_pending=int(ta.isin(["pending", "conflict"]).sum()),
        sought=len(sought), not_retrieved=int((ft == "not-retrieved").sum()),
        assessed=int((ft != "not-retrieved").sum()),
        full_text_excluded=len(excluded_ft),
        full_text_reasons=_reasons(r if isinstance(r, str) else None
                                   for r in excluded_ft["full_text_reason"]),
        full_text_pending=int(ft.isin(["pending", "conflict"]).sum()),
        included=int((ft == "include").sum()),
    )


# -- drawing ---------------------------------------------------------------------------------
# box id → (column, row, template); templates read Counts fields; {databases} etc. are lists
BOXES: tuple[tuple[str, int, int, str], ...] = (
    ("identified", 0, 0, "Records identified from databases\n(n = {identified})\n{databases}"),
    ("removed", 1, 0, "Records removed before screening:\n  Duplicate records (n = {duplicates})\n"
                      "  Already in the evidence base (n = {in_evidence})"),
    ("screened", 0, 1, "Records screened\n(n = {screened}){screen_pending_line}"),
    ("screen_excluded", 1, 1, "Records excluded\n(n = {screen_excluded}){screen_reasons}"),
    ("sought", 0, 2, "Reports sought for retrieval\n(n = {sought})"),
    ("not_retrieved", 1, 2, "Reports not retrieved\n(n = {not_retrieved})"),
    ("assessed", 0, 3, "Reports assessed for eligibility\n(n = {assessed}){full_text_pending_line}"),
    ("full_text_excluded", 1, 3, "Reports excluded (n = {full_text_excluded}){full_text_reasons}"),
    ("included", 0, 4, "New studies included in review\n(n = {included})\n"
                       "Reports of new included studies\n(n = {included})"),
)
ARROWS: tuple[tuple[str, str], ...] = (
    ("identified", "removed"), ("identified", "screened"), ("screened", "screen_excluded"),
    ("screened", "sought"), ("sought", "not_retrieved"), ("sought", "assessed"),
    ("assessed", "full_text_excluded"), ("assessed", "included"))
PHASES: tuple[tuple[str, int, int], ...] = (("Identification", 0, 0), ("Screening", 1, 3),
                                            ("Included", 4, 4))


def box_texts(c: Counts) -> dict[str, str]:
    """The text of every box (what the figure shows), from the counts."""
    import textwrap

    def listing(items: tuple[tuple[str, int], ...]) -> str:
        return "".join("\n" + textwrap.fill(f"{name} (n = {n})", width=52, initial_indent="  ",
                                             subsequent_indent="    ") for name, n in items)

    fields = asdict(c)
    fields["databases"] = "\n".join(f"{db} (n = {n})" for db, n in c.databases) or "no records imported"
    fields["screen_reasons"] = listing(c.screen_reasons)
    fields["full_text_reasons"] = listing(c.full_text_reasons)
    fields["screen_pending_line"] = (f"\nawaiting a decision (n = {c.screen_pending})"
                                     if c.screen_pending else "")
    fields["full_text_pending_line"] = (f"\nawaiting a decision (n = {c.full_text_pending})"
                                        if c.full_text_pending else "")
    return {box: template.format(**fields) for box, _col, _row, template in BOXES}


def flow_diagram(c: Counts, *, ax=None, title: str | None = "PRISMA 2020 flow diagram"):
    """Draw the flow diagram on `ax` (or a new Axes) and return the Axes. Writes nothing."""
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    from .style import new_axes

    texts = box_texts(c)
    lines = {box: t.count("\n") + 1 for box, t in texts.items()}
    row_lines = {}
    for box, _col, row, _t in BOXES:
        row_lines[row] = max(row_lines.get(row, 1), lines[box])
    line_h = 0.24                       # data units (about inches) per 10-pt text line
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
    for box, col, row, _t in BOXES:
        h = heights[row]
        x0, y0 = xs[col], tops[row] - h
        geo[box] = (x0, y0, width[col], h)
        ax.add_patch(FancyBboxPatch((x0, y0), width[col], h, boxstyle="round,pad=0,rounding_size=0.08",
                                    linewidth=1.2, edgecolor="#333333",
                                    facecolor="#FFFFFF" if col == 0 else "#F4F4F4", gid=f"prisma-box-{box}"))
        t = ax.text(x0 + 0.18, y0 + h / 2, texts[box], ha="left", va="center", fontsize=10,
                    linespacing=1.35, color="#111111")
        t.set_gid(f"prisma-{box}")
    for a, b in ARROWS:
        ax0, ay0, aw, ah = geo[a]
        bx0, by0, bw, bh = geo[b]
        if abs(ax0 - bx0) < 1e-9:       # same column: down
            start, end = (ax0 + aw / 2, ay0), (bx0 + bw / 2, by0 + bh)
        else:                           # to the side box
            start, end = (ax0 + aw, ay0 + ah / 2), (bx0, by0 + bh / 2)
        ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=14, linewidth=1.2,
                                     color="#333333", shrinkA=0, shrinkB=0))
    for name, first, last in PHASES:
        top = tops[first]
        bottom = tops[last] - heights[last]
        ax.add_patch(FancyBboxPatch((0.05, bottom), 0.5, top - bottom, boxstyle="round,pad=0,rounding_size=0.08",
                                    linewidth=0, facecolor="#56B4E9", alpha=0.35))
        t = ax.text(0.3, (top + bottom) / 2, name, rotation=90, ha="center", va="center", fontsize=11,
                    fontweight="bold", color="#0B3C5D")
        t.set_gid(f"prisma-phase-{name.lower()}")
    ax.set_xlim(0, xs[1] + width[1] + 0.1)
    ax.set_ylim(-total_h - 0.1, 0.2)
    ax.set_axis_off()
    ax.set_aspect("equal", adjustable="box")
    if title:
        ax.set_title(title, loc="left", fontsize=13)
    return ax
