"""Since the last meeting, in the dashboard: type the revision of the last meeting (a git tag, a
commit or a date) → what changed in the evidence and in the verdicts since then, the same section
as ``exoreview report --since`` and the same comparison as ``exoreview changes``
(:func:`exoreview.app.changes.compare`).

The revision starts as ``since=`` or ``$EXOREVIEW_SINCE`` (so ``make dashboard`` can open on the
last meeting), else empty with a line saying what to type. A revision git does not know, or a
folder outside a git repository, shows the one line ``exoreview changes`` prints; nothing else
changes on the page.
"""

from __future__ import annotations

import html
import os
from typing import Any

import ipywidgets as w

from ..core.evidence import Evidence, load
from ..errors import ExoreviewError
from .changes import Changes, changes_html, compare

SINCE_CLASS = "exoreview-since"
SINCE_ENV = "EXOREVIEW_SINCE"
PROMPT = (
    "<p>Type the revision of the last meeting (a git tag such as <code>meeting-2026-11</code>, a "
    "commit, or a date such as <code>2026-11-01</code>) to see the studies and regulatory records "
    "added, removed or changed since, and the claims whose verdict or certainty changed.</p>"
)


class SinceView:
    """A revision box and the "Since the last meeting" section for it.

    ``view.current`` holds the last :class:`~exoreview.app.changes.Changes` (None before a
    revision is given or after one git cannot read); set ``view.revision.value`` or call
    :meth:`run` to compare from code."""

    def __init__(self, evidence: Evidence | None = None, *, since: str | None = None) -> None:
        self.evidence = evidence if evidence is not None else load()
        start = since if since is not None else os.environ.get(SINCE_ENV, "")
        self.revision = w.Text(
            value=start.strip(),
            placeholder="tag, commit or date (YYYY-MM-DD)",
            description="Since",
            continuous_update=False,
            layout=w.Layout(width="28em"),
        )
        self.button = w.Button(description="Show what changed", icon="history")
        self.output = w.HTML(value=PROMPT)
        self.current: Changes | None = None
        self.button.on_click(lambda _b: self.run())
        self.revision.observe(lambda _c: self.run(), names="value")
        self.widget = w.VBox([w.HBox([self.revision, self.button]), self.output])
        self.widget.add_class(SINCE_CLASS)
        if self.revision.value:
            self.run()

    def run(self) -> Changes | None:
        """Compare the evidence at the typed revision with today's; show and keep the result."""
        rev = self.revision.value.strip()
        self.current = None
        if not rev:
            self.output.value = PROMPT
            return None
        try:
            self.current = compare(self.evidence.root, rev, today=self.evidence)
        except ExoreviewError as err:  # unknown revision, no repository: the CLI's one line
            self.output.value = f'<p style="color:#b00">{html.escape(str(err))}</p>'
            return None
        self.output.value = changes_html(self.current)
        return self.current

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)
